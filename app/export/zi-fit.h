/* zi-fit.h — fitting lines and cubic Béziers to a closed, noisy polyline the way a type designer draws
 * a glyph outline: on-curve points at corners and at horizontal or vertical extrema, and elsewhere only
 * where the tolerance needs one; straight segments where the edge is straight, exactly horizontal or
 * vertical where it is within a few degrees of that; smooth joins with collinear handles.
 *
 * The tracer (zi-trace.h) samples potrace's curves into a sub-pixel polyline in font units and hands
 * each contour here. The polyline is resampled evenly, lightly smoothed between corners, cut at corners,
 * straight runs and extrema, and each curved piece is fitted by least squares (Schneider, "An Algorithm
 * for Automatically Fitting Digitized Curves", Graphics Gems, 1990), split where the error exceeds the
 * tolerance. On-curve points land on the integer grid of font units. */
#pragma once

#include <glib.h>
#include "zi-outline.h"

G_BEGIN_DECLS

typedef struct {
  double tolerance;     /* largest distance of the outline from the smoothed samples, font units */
  double smooth;        /* σ of the Gaussian smoothing along the contour, font units (0 = none) */
  double line_smooth;   /* σ of the heavier smoothing on which straight runs are found */
  double corner_span;   /* arc length either side of a point over which its turn is measured */
  double corner_angle;  /* a point turning more than this (radians) over ±corner_span is a corner */
  double corner_shift;  /* how far (font units) a corner may move off its samples, to where its two
                         * sides cross (anti-aliasing rounds a sharp corner off by half a pixel) */
  double convex_angle;  /* ...or more than this where it turns towards the ink (a convex corner) */
  double line_min;      /* shortest straight segment, font units */
  double hv_angle;      /* lines within this angle (radians) of horizontal or vertical become exactly so */
  double min_segment;   /* shortest segment between two on-curve points, font units */
  double corner_radius; /* convex corners are rounded with this radius, font units (0 = kept sharp) */
} ZiFitParams;

/* Defaults for samples whose noise is about one source pixel of `pixel` font units wide (18 at 64 px
 * with 1000 units per em): tolerance in font units; keep_corners lowers the corner angle and keeps
 * convex corners sharp, for square stroke ends (otherwise they are rounded, as in Maru designs). */
void zi_fit_params_init (ZiFitParams *params, double pixel, double tolerance, gboolean keep_corners);

/* Fits the closed polyline pts[n] (font units, the closing point not repeated), which runs with the ink
 * on its left (outer contours counter-clockwise, holes clockwise, y up; it matters only to tell convex
 * corners from concave ones), and stores the result in out->segments / out->n_segments (other fields
 * untouched), running the same way. Fewer than 3 points or no length give no segments. */
void zi_fit_contour (ZiContour *out, const ZiPoint *pts, guint n, const ZiFitParams *params);

/* Whether contour a crosses itself (b == a) or contour b: their curves flattened within a quarter unit,
 * touching ends not counted (zi-fit-cross.c). */
gboolean zi_fit_contours_cross (const ZiContour *a, const ZiContour *b);

G_END_DECLS
