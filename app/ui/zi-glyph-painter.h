/* zi-glyph-painter.h — drawing glyphs with cairo for the detail pane: coverage bitmaps in one colour,
 * outlines as paths, and the outline view of a font editor — contours with their points (on-curve
 * points as squares at corners and circles at smooth points, off-curve points as small rings on
 * handles), over the bitmap a traced outline came from and the target font's own outline. */
#pragma once

#include <cairo.h>
#include <gdk/gdk.h>
#include "zi-glyph-outline.h"
#include "zi-outline-raster.h"

G_BEGIN_DECLS

#define ZI_GLYPH_PAINTER_MAX_MODELS 4

/* The side of a square coverage bitmap from its length. */
guint zi_glyph_painter_coverage_side (GBytes *coverage);
/* Paints a square coverage bitmap in ink, its top-left corner at (x, y), each pixel k wide. */
void  zi_glyph_painter_coverage (cairo_t *cr, GBytes *coverage, double x, double y, double k,
                                 const GdkRGBA *ink, cairo_filter_t filter);

/* Adds outline's contours to cr's path, mapped by frame (font units → the user space of cr). */
void  zi_glyph_painter_path (cairo_t *cr, const ZiOutline *outline, const ZiOutlineFrame *frame);
/* Draws outline's handles and points in color (smooth on-curve points in smooth), mapped by frame;
 * sizes are in cr's user units (the canvas's pixels). Adds the points drawn to *on_curve and
 * *off_curve. */
void  zi_glyph_painter_nodes (cairo_t *cr, const ZiOutline *outline, const ZiOutlineFrame *frame,
                              const GdkRGBA *color, const GdkRGBA *smooth, guint *on_curve, guint *off_curve);

/* The outline view, mapped by frame: models[k] (n of them, entries may be NULL) traced outlines, each
 * lightly filled and stroked in its column's colour (blue, orange, green, purple), over bitmap (the
 * first one's source bitmap in fg, faint, its pixels where its placement puts them; may be NULL) and
 * target's outline as a thin magenta line (may be NULL); with show_nodes, each model outline's points
 * (a single outline's smooth points green, its corners blue).
 * Adds the outlines stroked and the points marked to the counters. */
void  zi_glyph_painter_outline_view (cairo_t *cr, const ZiOutlineFrame *frame, const ZiGlyphOutline *target,
                                     const ZiGlyphOutline * const *models, guint n, GBytes *bitmap,
                                     const GdkRGBA *fg, gboolean show_nodes, guint *outlines,
                                     guint *on_curve, guint *off_curve);

G_END_DECLS
