/* zi-glyph-outline.h — the outlines the window shows, as a type designer judges a glyph: a generated
 * glyph traced exactly as export traces it (zi_export_trace_generated with the export's default
 * parameters), measured against the target font's own outline (zi-outline-metric.h), and the target
 * font's outline itself; and how a font editor marks an outline's points (corner or smooth on-curve
 * points, off-curve points). GTK-free: the glyph cache's worker thread makes these, the detail pane
 * draws them. */
#pragma once

#include <glib.h>
#include "zi-font.h"
#include "zi-model.h"
#include "zi-outline-metric.h"
#include "zi-outline.h"
#include "zi-render.h"

G_BEGIN_DECLS

typedef struct {
  ZiOutline       *outline;       /* in the target font's units, y up */
  int              units_per_em;  /* the target font's */
  /* A traced glyph: the target font's placement at the model's size, which maps the pixels of the
   * bitmap it was traced from to font units; and how long tracing took. */
  gboolean         traced;
  ZiPlacement      placement;
  double           trace_seconds;
  /* A traced glyph whose character the target font has: measured against the font's outline. */
  gboolean         has_metric;
  ZiOutlineMetric  metric;
} ZiGlyphOutline;

/* Traces raw (the model's own output for c, zi_model_generate_raw, size × size) placed with
 * placement (the target font's at the model's size and em fraction) as export does, and measures it
 * against target's outline of c when target has c (target may be NULL). NULL if tracing fails. */
ZiGlyphOutline *zi_glyph_outline_trace (ZiModel           *model,
                                        const guint8      *raw,
                                        const ZiPlacement *placement,
                                        ZiFont            *target,
                                        gunichar           c);
/* font's own outline of c, or NULL when font lacks c. */
ZiGlyphOutline *zi_glyph_outline_font (ZiFont *font, gunichar c);
void            zi_glyph_outline_free (ZiGlyphOutline *go);
/* Appends one line of go's figures to text: IoU, mean distance, on-curve ratio, wobble and contours
 * against the target font's outline, or what can be said without it. */
void            zi_glyph_outline_append_figures (const ZiGlyphOutline *go, GString *text);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (ZiGlyphOutline, zi_glyph_outline_free)

/* Whether the on-curve point ending segment i of c is smooth: the curve leaves it in the direction it
 * arrives (within 2°), as a font editor draws a circle rather than a square. Tangents come from the
 * nearest distinct control point on each side, so a cubic with a retracted handle still counts. */
gboolean        zi_contour_point_is_smooth (const ZiContour *c, guint i);
/* The points an outline stores: on-curve (segment ends; implied ones left out, as
 * zi_outline_count_on_curve counts) and off-curve (two per cubic). */
void            zi_outline_count_points (const ZiOutline *outline, guint *on_curve, guint *off_curve);

G_END_DECLS
