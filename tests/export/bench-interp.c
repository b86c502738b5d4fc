/* bench-interp.c — a benchmark program, not a test: how many glyphs of a family come out interpolation-
 * compatible (zi-interp.h) when each weight's glyphs are traced on their own, as a family export
 * traces them, and how far the compatible outlines lie from each weight's own tracing and from the
 * font's real outline. It renders the family's own faces (a perfect generator draws exactly these), so
 * the figures bound what a family export of a model can give.
 *
 *   bench-interp [N (default 300)] [SIZE (default 64)] [FAMILY (default Zen Maru Gothic)]
 *
 * The characters are every k-th CJK ideograph that Noto Sans CJK TC and the family's first face share
 * (k chosen so that N remain), in code-point order, as bench-outline-ceiling picks them. Lengths are in
 * units of a 1000-unit em; p95 pools every glyph's distances. */
#include "config.h"
#include "zi-charset.h"
#include "zi-export.h"
#include "zi-font.h"
#include "zi-interp.h"
#include "zi-outline-metric.h"
#include "zi-render.h"

#include <stdio.h>
#include <stdlib.h>

/* Distances pooled over glyphs, for a mean and a 95th percentile. */
typedef struct {
  GArray *d;      /* float */
  double  sum_mean;
  guint   n;
} Pool;

static void
pool_add (Pool *pool, const ZiOutline *a, const ZiOutline *b, int upm)
{
  ZiOutlineMetric m = { 0 };

  zi_outline_metric_measure (&m, a, b, upm);
  g_array_append_vals (pool->d, m.distances, m.n_distances);
  pool->sum_mean += m.mean_distance;
  pool->n++;
  zi_outline_metric_clear (&m);
}

static int
compare_float (gconstpointer a, gconstpointer b)
{
  float x = *(const float *) a, y = *(const float *) b;

  return (x > y) - (x < y);
}

static void
pool_print (const char *what, Pool *pool)
{
  double p95 = 0;

  if (pool->d->len > 0)
    {
      double r = 0.95 * (pool->d->len - 1);
      guint lo = (guint) r;
      float *v = (float *) pool->d->data;

      g_array_sort (pool->d, compare_float);
      p95 = v[lo] + (r - lo) * (v[MIN (lo + 1, pool->d->len - 1)] - v[lo]);
    }
  printf ("  %-46s mean distance %5.2f  p95 %5.1f  (%u outlines)\n", what,
          pool->n ? pool->sum_mean / pool->n : 0, p95, pool->n);
}

/* Whether the n outlines have as many contours each. */
static gboolean
outlines_agree (ZiOutline **o, guint n)
{
  for (guint s = 1; s < n; s++)
    if (o[s]->n_contours != o[0]->n_contours)
      return FALSE;
  return TRUE;
}

int
main (int argc, char **argv)
{
  guint want = argc > 1 ? (guint) strtoul (argv[1], NULL, 10) : 300;
  guint size = argc > 2 ? (guint) strtoul (argv[2], NULL, 10) : 64;
  const char *family = argc > 3 ? argv[3] : "Zen Maru Gothic";
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) specs = NULL;
  g_autoptr(GArray) shared = NULL;
  g_autoptr(GArray) chars = g_array_new (FALSE, FALSE, sizeof (gunichar));
  ZiFont *source, *fonts[16] = { NULL };
  ZiPlacement placement[16];
  guint n_styles, counts[ZI_INTERP_EMPTY + 1] = { 0 }, refs[16] = { 0 }, pairs[16] = { 0 }, k;
  guint font_same = 0, traced_same = 0;
  Pool own = { g_array_new (FALSE, FALSE, sizeof (float)), 0, 0 };
  Pool real = { g_array_new (FALSE, FALSE, sizeof (float)), 0, 0 };
  Pool indep = { g_array_new (FALSE, FALSE, sizeof (float)), 0, 0 };
  g_autofree guint8 *canvas = NULL;
  ZiTraceParams params;
  gint64 start;
  double interp_seconds = 0;
  int upm;

  if (want == 0 || size < 16 || size > 1024)
    {
      fprintf (stderr, "bench-interp: N must be positive and SIZE 16 to 1024\n");
      return 2;
    }
  specs = zi_font_list_family (family, &error);
  source = specs != NULL ? zi_font_open (ZI_DEFAULT_SOURCE_FONT, &error) : NULL;
  if (source == NULL)
    {
      fprintf (stderr, "bench-interp: %s\n", error->message);
      return 1;
    }
  n_styles = MIN (g_strv_length (specs), G_N_ELEMENTS (fonts));
  for (guint s = 0; s < n_styles; s++)
    if ((fonts[s] = zi_font_open (specs[s], &error)) == NULL
        || !zi_placement_init (&placement[s], fonts[s], size, ZI_DEFAULT_EM_FRACTION, &error))
      {
        fprintf (stderr, "bench-interp: %s\n", error->message);
        return 1;
      }
  upm = zi_font_get_units_per_em (fonts[0]);
  shared = zi_charset_compute (source, fonts[0], ZI_CHARSET_SHARED, ZI_BLOCK_CJK);
  zi_font_free (source);
  k = MAX (1, shared->len / want);
  for (guint i = 0; i < shared->len && chars->len < want; i += k)
    g_array_append_val (chars, g_array_index (shared, gunichar, i));

  zi_trace_params_init (&params, ZI_TRACE_PRESET_ROUND);
  canvas = g_malloc ((gsize) size * size);
  start = g_get_monotonic_time ();
  for (guint i = 0; i < chars->len; i++)
    {
      gunichar c = g_array_index (chars, gunichar, i);
      ZiOutline *traced[16] = { NULL }, *compat[16] = { NULL }, *font_outline[16] = { NULL };
      ZiInterpReport report;
      gint64 t0;

      for (guint s = 0; s < n_styles; s++)
        {
          if (!zi_render_char (fonts[s], &placement[s], c, canvas, &error)
              || (traced[s] = zi_export_trace_generated (canvas, 0, size, &placement[s], &params,
                                                          &error)) == NULL
              || (font_outline[s] = zi_font_char_outline (fonts[s], c, &error)) == NULL)
            {
              fprintf (stderr, "bench-interp: U+%04X: %s\n", c, error->message);
              return 1;
            }
        }
      font_same += outlines_agree (font_outline, n_styles);
      traced_same += outlines_agree (traced, n_styles);
      /* Each pair of neighbouring weights on its own, as a two-style model exports them. */
      for (guint s = 0; s + 1 < n_styles; s++)
        {
          ZiOutline *pair[2] = { NULL, NULL };

          pairs[s] += zi_interp_make_compatible (traced + s, 2, upm, pair, NULL) == ZI_INTERP_COMPATIBLE;
          zi_outline_free (pair[0]);
          zi_outline_free (pair[1]);
        }
      t0 = g_get_monotonic_time ();
      zi_interp_make_compatible (traced, n_styles, upm, compat, &report);
      interp_seconds += (g_get_monotonic_time () - t0) / 1e6;
      counts[report.result]++;
      if (report.result == ZI_INTERP_COMPATIBLE)
        {
          refs[report.reference]++;
          for (guint s = 0; s < n_styles; s++)
            {
              pool_add (&own, compat[s], traced[s], upm);
              pool_add (&real, compat[s], font_outline[s], upm);
              pool_add (&indep, traced[s], font_outline[s], upm);
            }
        }
      if (argc > 4)
        printf ("U+%04X %s ref %u mean %.2f p95 %.1f\n", c, zi_interp_result_to_string (report.result),
                report.reference, report.mean_distance, report.p95);
      for (guint s = 0; s < n_styles; s++)
        {
          zi_outline_free (traced[s]);
          zi_outline_free (compat[s]);
          zi_outline_free (font_outline[s]);
        }
    }

  printf ("%u characters (every %u-th shared CJK ideograph) of %s, %u weights, traced at %u px as a "
          "family export traces them\n", chars->len, k, family, n_styles, size);
  printf ("  compatible: %u of %u (%.1f%%); not: contours differ %u, ambiguous %u, too far %u, empty %u\n",
          counts[ZI_INTERP_COMPATIBLE], chars->len, 100.0 * counts[ZI_INTERP_COMPATIBLE] / chars->len,
          counts[ZI_INTERP_CONTOURS], counts[ZI_INTERP_AMBIGUOUS], counts[ZI_INTERP_DISTANCE],
          counts[ZI_INTERP_EMPTY]);
  printf ("  as many contours in every weight: the tracings %u (%.1f%%), the font's own outlines %u "
          "(%.1f%%)\n", traced_same, 100.0 * traced_same / chars->len, font_same,
          100.0 * font_same / chars->len);
  printf ("  neighbouring weights alone:");
  for (guint s = 0; s + 1 < n_styles; s++)
    printf (" %s+%s %.1f%%", zi_font_get_style (fonts[s]), zi_font_get_style (fonts[s + 1]),
            100.0 * pairs[s] / chars->len);
  printf ("\n  reference styles of the compatible glyphs:");
  for (guint s = 0; s < n_styles; s++)
    printf (" %s %u", zi_font_get_style (fonts[s]), refs[s]);
  printf ("\n  compatible glyphs, every weight (lengths in a 1000-unit em):\n");
  pool_print ("compatible outline vs the weight's own tracing", &own);
  pool_print ("compatible outline vs the font's outline", &real);
  pool_print ("independent tracing vs the font's outline", &indep);
  printf ("  making compatible: %.2f s in all (%.1f ms a glyph); tracing and measuring: %.1f s\n",
          interp_seconds, 1000 * interp_seconds / MAX (chars->len, 1),
          (g_get_monotonic_time () - start) / 1e6 - interp_seconds);
  for (guint s = 0; s < n_styles; s++)
    zi_font_free (fonts[s]);
  g_array_unref (own.d);
  g_array_unref (real.d);
  g_array_unref (indep.d);
  return 0;
}
