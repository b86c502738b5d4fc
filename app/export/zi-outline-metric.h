/* zi-outline-metric.h — how close traced outlines come to a target font's own outlines, measured on the
 * outlines themselves rather than on bitmaps (designers judge outlines). Pure geometry over ZiOutline:
 * `zimaru-cli eval --outlines` measures generated glyphs (and the identity baseline) with it.
 *
 * Both outlines are given in the same font units (the target font's) and every length is scaled to a
 * 1000-unit em. The glyph is the outline measured, the target the font's own outline of the character:
 *
 * - IoU: the two outlines filled (nonzero winding) at 256 px per em by the rasteriser of
 *   zi-outline-raster.h, which gives each pixel the share of its area inside, on one canvas that holds
 *   both glyphs (pixel edges on multiples of 1000/256 units, so edges there are exact); the sum over
 *   the pixels of the smaller coverage over the sum of the larger: the areas' |glyph ∩ target| /
 *   |glyph ∪ target|, but for pixels that both edges cross; 1 when both are empty.
 * - mean distance: both outlines sampled every 2 units along the curves, from each contour's start; each
 *   sample's distance to the nearest point on the other outline (on its curves, flattened within 0.02
 *   units); the mean of the two directions' mean distances.
 * - 95th percentile: of all those nearest-point distances, both directions pooled (linear interpolation
 *   between order statistics, numpy.percentile's default). Over a set, of every glyph's distances pooled.
 * - on-curve ratio: the glyph's on-curve points divided by the target's, counting only the points an
 *   outline stores: for a TrueType glyph, an on-curve point implied between two off-curve points does
 *   not count (ZiSegment.implied); a point repeated at the same place counts once.
 * - wobble: each contour resampled every 8 units by arc length (L / round(L / 8) apart, at least 3
 *   points, so the closing step is as long as the others), the absolute turning angles between
 *   successive chords of that closed polyline added up, divided by 2π × the number of contours. A convex
 *   contour scores 1; every wiggle and every concave turn adds to it.
 * - contour match: whether the glyph has as many contours as the target; over a set, the share of glyphs
 *   that do.
 * - straight share: the share of the outline's length, measured on the chords between successive
 *   on-curve points (every segment's end, implied ones included), that is drawn as straight line
 *   segments.
 *
 * A measure that an empty outline leaves undefined (distances, wobble, straight share; the ratio
 * against an empty target) is NAN and is left out of a set's median and mean. */
#pragma once

#include <glib.h>
#include "zi-outline.h"

G_BEGIN_DECLS

#define ZI_OUTLINE_METRIC_EM          1000.0  /* units per em of every length below */
#define ZI_OUTLINE_METRIC_IOU_PX_PER_EM 256   /* IoU raster */
#define ZI_OUTLINE_METRIC_SAMPLE_STEP 2.0     /* distance samples along the curves */
#define ZI_OUTLINE_METRIC_WOBBLE_STEP 8.0     /* wobble resampling */

/* One glyph against its target. */
typedef struct {
  double iou;
  double mean_distance;
  double p95;                      /* of this glyph's distances, both directions */
  float *distances;                /* [n_distances]: glyph → target, then target → glyph */
  guint  n_distances;
  guint  on_curve, target_on_curve;
  double wobble, target_wobble;
  guint  contours, target_contours;
  double straight_length, chord_length;                /* the glyph's, 1000-unit em */
  double target_straight_length, target_chord_length;  /* the target's */
} ZiOutlineMetric;

/* Measures glyph against target, both in font units of an em of units_per_em. out is overwritten
 * (clear it before measuring into it again). */
void   zi_outline_metric_measure (ZiOutlineMetric *out,
                                  const ZiOutline *glyph,
                                  const ZiOutline *target,
                                  int              units_per_em);
void   zi_outline_metric_clear (ZiOutlineMetric *m);

double zi_outline_metric_on_curve_ratio (const ZiOutlineMetric *m);
gboolean zi_outline_metric_contour_match (const ZiOutlineMetric *m);
double zi_outline_metric_straight_share (const ZiOutlineMetric *m);
double zi_outline_metric_target_straight_share (const ZiOutlineMetric *m);

/* The single measures on their own (lengths scaled from an em of units_per_em). */
double zi_outline_iou (const ZiOutline *a, const ZiOutline *b, int units_per_em);
double zi_outline_wobble (const ZiOutline *outline, int units_per_em);
guint  zi_outline_count_on_curve (const ZiOutline *outline);
/* straight and chord lengths (1000-unit em); the share is straight / chord. */
void   zi_outline_chord_lengths (const ZiOutline *outline, int units_per_em, double *straight,
                                 double *chord);

/* Median and mean of the finite values. */
typedef struct {
  double median;
  double mean;
} ZiOutlineStat;

/* A set of glyphs. */
typedef struct {
  guint         n;                  /* glyphs */
  guint         n_empty;            /* glyphs whose outline is empty */
  ZiOutlineStat iou;
  ZiOutlineStat mean_distance;
  ZiOutlineStat p95;                /* of each glyph's own 95th percentile */
  double        p95_pooled;         /* of every glyph's distances pooled */
  ZiOutlineStat on_curve_ratio;
  ZiOutlineStat wobble;
  ZiOutlineStat target_wobble;
  double        contour_match;      /* share of glyphs with as many contours as the target */
  ZiOutlineStat straight_share;
  ZiOutlineStat target_straight_share;
} ZiOutlineSummary;

void   zi_outline_metric_summarize (ZiOutlineSummary      *out,
                                    const ZiOutlineMetric *glyphs,
                                    guint                  n);

G_END_DECLS
