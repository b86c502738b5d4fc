/* bench-render.c — prints how long the glyph pipeline takes on the default pair: opening the fonts,
 * computing the shared/missing CJK sets, rendering every shared ideograph of both fonts at 64 px (the
 * goal: under 5 s), and building then reloading the dataset cache (goal: a load under 0.5 s).
 * A benchmark, not a test: `meson test --benchmark glyph-render` or run it directly. */
#include "config.h"
#include "zi-charset.h"
#include "zi-dataset.h"

#include <glib/gstdio.h>
#include <stdio.h>
#include "zi-fileutil.h"

static double
seconds_since (gint64 start)
{
  return (g_get_monotonic_time () - start) / 1e6;
}

int
main (int argc, char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) shared = NULL;
  g_autoptr(GArray) missing = NULL;
  g_autofree guint8 *canvas = NULL;
  g_autofree char *cache = NULL;
  guint size = argc > 1 ? (guint) g_ascii_strtoull (argv[1], NULL, 10) : 64;
  ZiFont *source, *target;
  ZiPlacement ps, pt;
  gint64 t;

  t = g_get_monotonic_time ();
  source = zi_font_open ("Noto Sans CJK TC", &error);
  target = source != NULL ? zi_font_open ("Zen Maru Gothic", &error) : NULL;
  if (target == NULL)
    {
      fprintf (stderr, "bench-render: %s\n", error->message);
      return 1;
    }
  printf ("open both fonts:                 %.3f s\n", seconds_since (t));

  t = g_get_monotonic_time ();
  shared = zi_charset_compute (source, target, ZI_CHARSET_SHARED, ZI_BLOCK_CJK);
  missing = zi_charset_compute (source, target, ZI_CHARSET_MISSING, ZI_BLOCK_CJK);
  printf ("shared %u + missing %u CJK sets:  %.3f s\n", shared->len, missing->len, seconds_since (t));

  if (!zi_placement_init (&ps, source, size, ZI_DEFAULT_EM_FRACTION, &error) ||
      !zi_placement_init (&pt, target, size, ZI_DEFAULT_EM_FRACTION, &error))
    {
      fprintf (stderr, "bench-render: %s\n", error->message);
      return 1;
    }
  canvas = g_malloc ((gsize) shared->len * size * size);
  for (guint threads = 1; threads <= g_get_num_processors (); threads++)
    {
      t = g_get_monotonic_time ();
      if (!zi_render_many (source, &ps, (gunichar *) shared->data, shared->len, 0, canvas, NULL, threads,
                           NULL, NULL, NULL, &error) ||
          !zi_render_many (target, &pt, (gunichar *) shared->data, shared->len, 0, canvas, NULL, threads,
                           NULL, NULL, NULL, &error))
        {
          fprintf (stderr, "bench-render: %s\n", error->message);
          return 1;
        }
      printf ("render 2 × %u at %u px, %u thread(s): %.3f s\n", shared->len, size, threads, seconds_since (t));
    }

  cache = g_dir_make_tmp ("zimaru-bench-XXXXXX", &error);
  for (int pass = 0; pass < 2 && cache != NULL; pass++)
    {
      g_autoptr(ZiDataset) ds = NULL;
      t = g_get_monotonic_time ();
      ds = zi_dataset_load (source, target, (gunichar *) shared->data, shared->len, size,
                            ZI_DEFAULT_EM_FRACTION, 0, cache, NULL, NULL, NULL, NULL, &error);
      if (ds == NULL)
        {
          fprintf (stderr, "bench-render: %s\n", error->message);
          return 1;
        }
      printf ("dataset of %u pairs, %s:%*s %.3f s\n", ds->n, ds->from_cache ? "cached load" : "build + save",
              ds->from_cache ? 2 : 1, "", seconds_since (t));
    }
  if (cache != NULL)
    zi_dir_remove_tree (cache);
  zi_font_free (target);
  zi_font_free (source);
  return 0;
}
