/* zi-outline.h — glyph outlines in font units (y up): contours of line and cubic segments, shared by
 * the font's own outlines (zi-font.h) and the traced outlines of generated glyphs (app/export).
 * Contours follow the PostScript / UFO convention: outer contours counter-clockwise, holes clockwise. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct {
  double x, y;
} ZiPoint;

typedef enum {
  ZI_SEGMENT_LINE,
  ZI_SEGMENT_CUBIC,
} ZiSegmentKind;

/* A segment ends at p; it starts at the previous segment's p (the last one's for the first). */
typedef struct {
  ZiSegmentKind kind;
  ZiPoint c1, c2;  /* control points of a cubic (unused for a line) */
  ZiPoint p;
  /* TRUE when p is an on-curve point the font does not store: TrueType's implied point halfway
   * between two off-curve points (zi_font_char_outline() sets it; traced outlines never do). */
  gboolean implied;
} ZiSegment;

typedef struct {
  guint      n_segments;
  ZiSegment *segments;
  gboolean   hole;       /* TRUE for a counter (clockwise), FALSE for an outer contour */
  double     area;       /* signed area in font units², > 0 counter-clockwise (the polygon of ends) */
  double     pixel_area; /* traced contours: the tracer's area in pixels of the source bitmap (0 for
                          * a font's own outline) */
} ZiContour;

/* The outline of one glyph in font units, y up. */
typedef struct {
  guint      n_contours;
  ZiContour *contours;
  /* Bounding box of the curves in font units (cubics sampled, within a unit); all 0 when empty. */
  double     x_min, y_min, x_max, y_max;
} ZiOutline;

/* The point at t in [0, 1] of the cubic a, b, c, d. */
ZiPoint     zi_cubic_at (ZiPoint a, ZiPoint b, ZiPoint c, ZiPoint d, double t);
/* Signed area (shoelace; cubics flattened into 8 chords), > 0 for counter-clockwise with y up. */
double      zi_contour_signed_area (const ZiContour *c);
/* Reverses the direction of c (and the sign of c->area). */
void        zi_contour_reverse (ZiContour *c);
/* Sets the outline's bounding box from its segments (cubics sampled, within a unit). */
void        zi_outline_update_bbox (ZiOutline *outline);
/* Appends to points (a GArray of ZiPoint) a closed polyline through c: the start of each segment, then
 * for a cubic the inner points of n equal steps in t, n from Wang's formula so that the chords stay
 * within tolerance (font units) of the curve. The closing chord back to the first point is implied. */
void        zi_contour_flatten (const ZiContour *c, double tolerance, GArray *points);
/* Maps every point of outline by (x, y) → (scale·x + dx, scale·y + dy), scale > 0 (one font's units
 * into another's); areas and the bounding box follow. */
void        zi_outline_transform (ZiOutline *outline, double scale, double dx, double dy);
void        zi_outline_free (ZiOutline *outline);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (ZiOutline, zi_outline_free)

G_END_DECLS
