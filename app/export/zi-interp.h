/* zi-interp.h — interpolatable masters: one glyph traced independently in several styles (the weights
 * of a family) redrawn so that every style's outline has the same contours, with the same segments
 * (line or cubic) and on-curve points, in the same order and direction, as a variable font needs.
 *
 * One style is the reference; its own tracing is kept as it is. The other styles' contours are matched
 * to the reference's (same count, outer to outer and hole to hole, each pair the other's nearest by
 * centroid), each reference on-curve point is found on the other style's tracing (nearest along the
 * contour with the same tangent, snapped to that tracing's own on-curve point at an extremum or corner
 * when one has the same tangents), and each segment is redrawn of the same kind through the other
 * style's samples: a line stays a line (exactly horizontal or vertical where the reference's is), a
 * cubic is fitted by least squares with the reference's end tangents (zi-fit.h). The result is kept
 * only when every style stays within a tolerance of its own tracing (zi-outline-metric.h). */
#pragma once

#include <glib.h>
#include "zi-outline.h"

G_BEGIN_DECLS

/* Tolerances of the compatible outlines against each style's own tracing, 1000-unit em. */
#define ZI_INTERP_MAX_MEAN 3.0
#define ZI_INTERP_MAX_P95  10.0

typedef enum {
  ZI_INTERP_COMPATIBLE,  /* every style redrawn within the tolerances */
  ZI_INTERP_CONTOURS,    /* the styles differ in contour count or in outer contours and holes */
  ZI_INTERP_AMBIGUOUS,   /* contours or points could not be paired one to one */
  ZI_INTERP_DISTANCE,    /* a redrawn style strayed beyond the tolerances from its own tracing */
  ZI_INTERP_EMPTY,       /* a style's glyph has no contours, and another's has */
} ZiInterpResult;

typedef struct {
  ZiInterpResult result;
  guint          reference;      /* the style whose tracing the others follow */
  double         mean_distance;  /* the largest over the styles, against their own tracing */
  double         p95;            /* likewise */
} ZiInterpReport;

/* "compatible", "contours", "ambiguous", "distance", "empty" (for manifests). */
const char *zi_interp_result_to_string (ZiInterpResult result);

/* Makes the n_styles independent tracings outlines[] (font units of an em of units_per_em) compatible.
 * On success (ZI_INTERP_COMPATIBLE; also when no style has a contour) out[n_styles] receives new
 * outlines (free with zi_outline_free);
 * otherwise out[] is set to NULL. Every style is tried as the reference, the one with most on-curve
 * points first (on a tie the later style, the heavier in a family listed light to heavy); the first
 * that succeeds is kept. report (may be NULL) says what happened, for the last reference tried. */
ZiInterpResult zi_interp_make_compatible (ZiOutline *const *outlines,
                                          guint              n_styles,
                                          int                units_per_em,
                                          ZiOutline        **out,
                                          ZiInterpReport    *report);

/* Whether outlines a and b have as many contours and as many holes: without it no two styles of a
 * glyph can be made compatible (ZI_INTERP_CONTOURS). */
gboolean zi_interp_same_topology (const ZiOutline *a, const ZiOutline *b);

/* Whether outlines a and b have the same structure: contour count, and per contour the segment count
 * and kinds in order. */
gboolean zi_interp_same_structure (const ZiOutline *a, const ZiOutline *b);

/* A deep copy of o. */
ZiOutline *zi_interp_outline_copy (const ZiOutline *o);

G_END_DECLS
