/* bench-outline-ceiling.c — a benchmark program, not a test: the best outline figures a generator
 * could reach with a given representation and canvas size. It renders the target font's own glyphs
 * as the dataset does (ink coverage, or a signed distance field), traces them exactly as export traces
 * a generated glyph, and measures the tracings against the font's own outlines with the measures of
 * `zimaru-cli eval --outlines` (zi-outline-metric.h). A perfect generator draws exactly these
 * renderings, so the figures bound what training at that size and representation can give; the
 * distance between a model's figures and these is the model's own error.
 *
 *   bench-outline-ceiling [N (default 300)] [TARGET_FONT (default Zen Maru Gothic)]
 *
 * The characters are every k-th CJK ideograph that both Noto Sans CJK TC and the target have (k chosen
 * so that N remain), in code-point order. */
#include "config.h"
#include "zi-charset.h"
#include "zi-export.h"
#include "zi-font.h"
#include "zi-outline-metric.h"
#include "zi-render.h"

#include <stdio.h>
#include <stdlib.h>

typedef struct {
  guint size;
  guint spread;   /* 0: ink coverage */
} Variant;

static gboolean
measure_variant (ZiFont *font, const GArray *chars, const Variant *v, ZiOutlineSummary *out,
                 double *seconds, GError **error)
{
  ZiPlacement placement;
  ZiTraceParams params;
  g_autofree guint8 *canvas = g_malloc ((gsize) v->size * v->size);
  ZiOutlineMetric *m = g_new0 (ZiOutlineMetric, chars->len);
  int upm = zi_font_get_units_per_em (font);
  gint64 start = g_get_monotonic_time ();
  gboolean ok = TRUE;
  guint n = 0;

  zi_trace_params_init (&params, ZI_TRACE_PRESET_ROUND);
  if (!zi_placement_init (&placement, font, v->size, ZI_DEFAULT_EM_FRACTION, error))
    ok = FALSE;
  for (guint i = 0; ok && i < chars->len; i++)
    {
      gunichar c = g_array_index (chars, gunichar, i);
      g_autoptr(ZiOutline) traced = NULL;
      g_autoptr(ZiOutline) want = NULL;

      ok = v->spread == 0 ? zi_render_char (font, &placement, c, canvas, error)
                          : zi_render_char_field (font, &placement, c, v->spread, canvas, error);
      if (!ok)
        break;
      traced = zi_export_trace_generated (canvas, v->spread, v->size, &placement, &params, error);
      want = traced != NULL ? zi_font_char_outline (font, c, error) : NULL;
      if (want == NULL)
        {
          ok = FALSE;
          break;
        }
      zi_outline_metric_measure (&m[n++], traced, want, upm);
    }
  if (ok)
    zi_outline_metric_summarize (out, m, n);
  for (guint i = 0; i < n; i++)
    zi_outline_metric_clear (&m[i]);
  g_free (m);
  *seconds = (g_get_monotonic_time () - start) / 1e6;
  return ok;
}

int
main (int argc, char **argv)
{
  guint want = argc > 1 ? (guint) strtoul (argv[1], NULL, 10) : 300;
  const char *target_spec = argc > 2 ? argv[2] : ZI_DEFAULT_TARGET_FONT;
  static const Variant variants[] = {
    { 64, 0 }, { 64, 4 }, { 128, 0 }, { 128, 4 }, { 256, 0 },
  };
  g_autoptr(GError) error = NULL;
  ZiFont *source = NULL, *target = NULL;
  g_autoptr(GArray) shared = NULL;
  g_autoptr(GArray) chars = g_array_new (FALSE, FALSE, sizeof (gunichar));
  guint k;

  if (want == 0)
    {
      fprintf (stderr, "bench-outline-ceiling: N must be a positive number, not '%s'\n", argv[1]);
      return 2;
    }
  source = zi_font_open (ZI_DEFAULT_SOURCE_FONT, &error);
  target = source != NULL ? zi_font_open (target_spec, &error) : NULL;
  if (target == NULL)
    {
      fprintf (stderr, "bench-outline-ceiling: %s\n", error->message);
      g_clear_pointer (&source, zi_font_free);
      return 1;
    }
  shared = zi_charset_compute (source, target, ZI_CHARSET_SHARED, ZI_BLOCK_CJK);
  zi_font_free (source);
  k = MAX (1, shared->len / want);
  for (guint i = 0; i < shared->len && chars->len < want; i += k)
    g_array_append_val (chars, g_array_index (shared, gunichar, i));

  printf ("%u characters of %s (every %u-th shared CJK ideograph), traced as export does (round "
          "preset), against the font's own outlines; lengths in units of a 1000-unit em, medians\n",
          chars->len, zi_font_get_family (target), k);
  printf ("%-16s %6s %7s %7s %9s %7s %8s %9s %7s\n", "representation", "IoU", "dist", "p95",
          "on-curve", "wobble", "contours", "straight", "seconds");
  for (guint v = 0; v < G_N_ELEMENTS (variants); v++)
    {
      ZiOutlineSummary s;
      double seconds;
      g_autofree char *name = variants[v].spread == 0
                              ? g_strdup_printf ("ink %u px", variants[v].size)
                              : g_strdup_printf ("field %u px/%u", variants[v].size, variants[v].spread);

      if (!measure_variant (target, chars, &variants[v], &s, &seconds, &error))
        {
          fprintf (stderr, "bench-outline-ceiling: %s: %s\n", name, error->message);
          zi_font_free (target);
          return 1;
        }
      printf ("%-16s %6.3f %7.2f %7.1f %8.2f× %6.2f× %7.1f%% %8.1f%% %7.1f\n", name, s.iou.median,
              s.mean_distance.median, s.p95_pooled, s.on_curve_ratio.median,
              s.wobble.median / s.target_wobble.median, 100.0 * s.contour_match,
              100.0 * s.straight_share.median, seconds);
    }
  zi_font_free (target);
  return 0;
}
