/* zi-glyph-outline.c — traced and font outlines for the window, with their measures, and the
 * classification of points a font editor shows (see zi-glyph-outline.h). */
#include "config.h"
#include "zi-glyph-outline.h"

#include "zi-export.h"

#include <glib/gi18n.h>
#include <math.h>

/* sin 2°: tangents closer to parallel than this make a smooth point. */
#define SMOOTH_SIN 0.035

ZiGlyphOutline *
zi_glyph_outline_trace (ZiModel *model, const guint8 *raw, const ZiPlacement *placement, ZiFont *target,
                        gunichar c)
{
  g_autoptr(ZiGlyphOutline) go = g_new0 (ZiGlyphOutline, 1);
  g_autoptr(ZiOutline) own = NULL;
  ZiExportOptions options;
  gint64 start;

  g_return_val_if_fail (model != NULL && raw != NULL && placement != NULL, NULL);

  /* The export's own defaults, so that the window shows what an export would write. */
  zi_export_options_init (&options);
  start = g_get_monotonic_time ();
  go->outline = zi_export_trace_generated (raw, zi_model_get_field_spread (model), placement->size, placement,
                                           &options.trace, NULL);
  go->trace_seconds = (g_get_monotonic_time () - start) / 1e6;
  if (go->outline == NULL)
    return NULL;
  go->traced = TRUE;
  go->placement = *placement;
  go->units_per_em = placement->units_per_em;
  if (target != NULL && zi_font_has_char (target, c))
    own = zi_font_char_outline (target, c, NULL);
  if (own != NULL)
    {
      zi_outline_metric_measure (&go->metric, go->outline, own, go->units_per_em);
      go->has_metric = TRUE;
    }
  return g_steal_pointer (&go);
}

ZiGlyphOutline *
zi_glyph_outline_font (ZiFont *font, gunichar c)
{
  ZiGlyphOutline *go;
  ZiOutline *outline;

  g_return_val_if_fail (font != NULL, NULL);

  if (!zi_font_has_char (font, c) || (outline = zi_font_char_outline (font, c, NULL)) == NULL)
    return NULL;
  go = g_new0 (ZiGlyphOutline, 1);
  go->outline = outline;
  go->units_per_em = zi_font_get_units_per_em (font);
  return go;
}

void
zi_glyph_outline_free (ZiGlyphOutline *go)
{
  if (go == NULL)
    return;
  g_clear_pointer (&go->outline, zi_outline_free);
  zi_outline_metric_clear (&go->metric);
  g_free (go);
}

void
zi_glyph_outline_append_figures (const ZiGlyphOutline *go, GString *text)
{
  const ZiOutlineMetric *m;

  g_return_if_fail (go != NULL && text != NULL);

  m = &go->metric;

  if (go->outline->n_contours == 0)
    g_string_append (text, _("Empty outline: the trace found no ink"));
  else if (!go->has_metric)
    g_string_append_printf (text, _("%u contours · %u on-curve points · wobble %.2f"), go->outline->n_contours,
                            zi_outline_count_on_curve (go->outline), zi_outline_wobble (go->outline, go->units_per_em));
  else
    g_string_append_printf (text, _("IoU %.3f · mean distance %.1f/1000 em · on-curve ratio %.2f · wobble %.2f "
                                    "(target %.2f) · contours %u of %u"),
                            m->iou, m->mean_distance, zi_outline_metric_on_curve_ratio (m), m->wobble,
                            m->target_wobble, m->contours, m->target_contours);
}

/* The unit direction from a to the first of the candidates that lies away from a; FALSE when all of
 * them sit on a. */
static gboolean
direction (ZiPoint a, const ZiPoint *candidates, guint n, double *dx, double *dy)
{
  for (guint k = 0; k < n; k++)
    {
      double x = candidates[k].x - a.x, y = candidates[k].y - a.y, len = hypot (x, y);

      if (len > 1e-6)
        {
          *dx = x / len;
          *dy = y / len;
          return TRUE;
        }
    }
  return FALSE;
}

gboolean
zi_contour_point_is_smooth (const ZiContour *c, guint i)
{
  const ZiSegment *in, *out;
  ZiPoint p, before[3], after[3];
  guint n_before = 0, n_after = 0;
  double ix, iy, ox, oy;

  g_return_val_if_fail (c != NULL && i < c->n_segments, FALSE);

  in = &c->segments[i];
  out = &c->segments[(i + 1) % c->n_segments];
  p = in->p;
  /* Backwards along the arriving segment, forwards along the leaving one. */
  if (in->kind == ZI_SEGMENT_CUBIC)
    {
      before[n_before++] = in->c2;
      before[n_before++] = in->c1;
    }
  before[n_before++] = c->segments[(i + c->n_segments - 1) % c->n_segments].p;
  if (out->kind == ZI_SEGMENT_CUBIC)
    {
      after[n_after++] = out->c1;
      after[n_after++] = out->c2;
    }
  after[n_after++] = out->p;
  if (!direction (p, before, n_before, &ix, &iy) || !direction (p, after, n_after, &ox, &oy))
    return FALSE;
  /* Smooth when the leaving direction is the arriving one turned round: opposite unit vectors. */
  return ix * ox + iy * oy < 0 && fabs (ix * oy - iy * ox) < SMOOTH_SIN;
}

void
zi_outline_count_points (const ZiOutline *outline, guint *on_curve, guint *off_curve)
{
  guint off = 0;

  g_return_if_fail (outline != NULL);

  for (guint ci = 0; ci < outline->n_contours; ci++)
    for (guint i = 0; i < outline->contours[ci].n_segments; i++)
      off += outline->contours[ci].segments[i].kind == ZI_SEGMENT_CUBIC ? 2 : 0;
  if (on_curve != NULL)
    *on_curve = zi_outline_count_on_curve (outline);
  if (off_curve != NULL)
    *off_curve = off;
}
