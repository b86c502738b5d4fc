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
void        zi_outline_free (ZiOutline *outline);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (ZiOutline, zi_outline_free)

G_END_DECLS
