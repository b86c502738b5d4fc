/* bench-export.c — a benchmark program, not a test: the time to export N glyphs at 64 px as
 * PNG + SVG + UFO. Without a checkpoint the bitmaps are renderings of the source font (so the figure
 * is the export's own cost: tracing and writing); with one, the model generates them (the full cost
 * of `zimaru-cli export`).
 *
 *   bench-export [N (default 1000; 0 = all missing CJK)] [CHECKPOINT] [THREADS]
 *
 * The characters are the CJK ideographs Noto Sans CJK TC has and Zen Maru Gothic lacks. */
#include "config.h"
#include "zi-charset.h"
#include "zi-export.h"
#include "zi-font.h"
#include "zi-render.h"

#include <stdio.h>
#include <stdlib.h>

typedef struct {
  gint64 start;
  gint64 last;
  guint  step;
} Timing;

/* Prints the elapsed time at every tenth of the work, to see where it goes. */
static void
progress_cb (guint64 done, guint64 total, gpointer user_data)
{
  Timing *t = user_data;

  t->last = g_get_monotonic_time ();
  if (done * 10 >= (guint64) t->step * total)
    {
      printf ("  %3u%%  %6.2f s\n", t->step * 10, (t->last - t->start) / 1e6);
      t->step++;
    }
}

int
main (int argc, char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) missing = NULL;
  g_autoptr(ZiExportSource) src = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *out = NULL;
  g_autofree char *cmd = NULL;
  g_autofree char *quoted = NULL;
  ZiFont *source, *target;
  ZiExportOptions options;
  ZiExportSummary summary = { 0 };
  guint n = argc > 1 ? (guint) atoi (argv[1]) : 1000;
  const char *ckpt = argc > 2 && argv[2][0] ? argv[2] : NULL;
  Timing timing = { 0, 0, 1 };
  gint64 t0, t_charset = g_get_monotonic_time ();

  source = zi_font_open ("Noto Sans CJK TC", &error);
  target = source ? zi_font_open ("Zen Maru Gothic", &error) : NULL;
  if (target == NULL)
    {
      fprintf (stderr, "bench-export: %s\n", error->message);
      return 1;
    }
  missing = zi_charset_compute (source, target, ZI_CHARSET_MISSING, ZI_BLOCK_CJK);
  printf ("charset: %u missing CJK ideographs in %.2f s\n", missing->len,
          (g_get_monotonic_time () - t_charset) / 1e6);
  if (n == 0 || n > missing->len)
    n = missing->len;

  if (ckpt != NULL)
    {
      ZiModel *model = zi_model_load (ckpt, &error);
      src = model ? zi_export_source_new_model (model, source, &error) : NULL;
    }
  else
    src = zi_export_source_new_font (source, 64, ZI_DEFAULT_EM_FRACTION, &error);
  if (src == NULL)
    {
      fprintf (stderr, "bench-export: %s\n", error->message);
      return 1;
    }

  dir = g_dir_make_tmp ("zimaru-bench-export-XXXXXX", &error);
  out = g_build_filename (dir, "out", NULL);
  zi_export_options_init (&options);
  if (argc > 3)
    options.n_threads = (guint) atoi (argv[3]);

  t0 = g_get_monotonic_time ();
  timing.start = t0;
  if (!zi_export_run (src, target, (gunichar *) missing->data, n, out, &options, &summary, progress_cb,
                      &timing, NULL, &error))
    {
      fprintf (stderr, "bench-export: %s\n", error->message);
      return 1;
    }
  printf ("exported %u glyphs (%u flagged, %u skipped) at %u px as png+svg+ufo from %s in %.2f s "
          "(%.2f ms/glyph, %u threads)\n",
          summary.exported, summary.flagged, summary.skipped, zi_export_source_get_size (src),
          ckpt ? ckpt : "font renderings", (g_get_monotonic_time () - t0) / 1e6,
          (g_get_monotonic_time () - t0) / 1e3 / MAX (summary.exported, 1),
          options.n_threads ? options.n_threads : g_get_num_processors ());

  printf ("after the last glyph (manifest, UFO plists, syncfs, rename): %.2f s\n",
          (g_get_monotonic_time () - timing.last) / 1e6);
  quoted = g_shell_quote (dir);
  cmd = g_strdup_printf ("rm -rf %s", quoted);
  if (system (cmd) != 0)
    fprintf (stderr, "bench-export: could not remove %s\n", dir);
  zi_font_free (target);
  return 0;
}
