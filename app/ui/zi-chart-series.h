/* zi-chart-series.h — the data behind one line of the loss chart, kept free of GTK so it can be tested
 * without a display (the split sysprof uses for its line layer): growable arrays of points with three
 * x coordinates (steps, images, seconds), TensorBoard's debiased EMA smoothing, y ranges over a visible
 * x window (linear or log), min/max decimation to a pixel budget, tick placement for the axes, and
 * for runs of several target styles the lines' colours, their y extent with some hidden, and the
 * layout and hit test of the legend that hides and shows them. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum {
  ZI_CHART_AXIS_STEPS,
  ZI_CHART_AXIS_IMAGES,
  ZI_CHART_AXIS_SECONDS,
  ZI_CHART_N_AXES,
} ZiChartAxis;

typedef struct {
  double x;
  double y;
} ZiChartPoint;

typedef struct _ZiChartSeries ZiChartSeries;

ZiChartSeries *zi_chart_series_new (void);
void           zi_chart_series_free (ZiChartSeries *series);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (ZiChartSeries, zi_chart_series_free)

void           zi_chart_series_clear (ZiChartSeries *series);
/* Appends a point. The x coordinates must not decrease from one point to the next (a training log is
 * ordered), which is what lets the queries below use binary search. y may be NaN or ±Inf: such points
 * are kept (so indices match the log) but never drawn and never counted in ranges. */
void           zi_chart_series_append (ZiChartSeries *series,
                                       double         step,
                                       double         images,
                                       double         seconds,
                                       double         y);
guint          zi_chart_series_get_length (const ZiChartSeries *series);
double         zi_chart_series_get_x (const ZiChartSeries *series, ZiChartAxis axis, guint i);
double         zi_chart_series_get_y (const ZiChartSeries *series, guint i);

/* EMA weight in [0, 1): 0 = raw. Smoothed values are computed incrementally as points arrive and
 * recomputed in one pass when the weight changes. */
void           zi_chart_series_set_smoothing (ZiChartSeries *series, double weight);
double         zi_chart_series_get_smoothing (const ZiChartSeries *series);
double         zi_chart_series_get_smoothed (const ZiChartSeries *series, guint i);

/* Index of the first point whose x on axis is >= x (the length when there is none). */
guint          zi_chart_series_lower_bound (const ZiChartSeries *series, ZiChartAxis axis, double x);

/* The x extent of the series on an axis; FALSE when it is empty. */
gboolean       zi_chart_series_get_x_extent (const ZiChartSeries *series, ZiChartAxis axis,
                                             double *x_min, double *x_max);
/* The y extent of the finite points with x in [x0, x1] (raw or smoothed). With log_scale only
 * positive values count. FALSE when no point qualifies. */
gboolean       zi_chart_series_get_y_range (const ZiChartSeries *series, ZiChartAxis axis,
                                            double x0, double x1, gboolean smoothed, gboolean log_scale,
                                            double *y_min, double *y_max);

/* Reduces the points with x in [x0, x1] (plus one neighbour on each side, so the line reaches the
 * edges) to at most 2 * n_buckets + 2 points, keeping each bucket's minimum and maximum in their
 * original order, so spikes survive and 100k points draw as fast as a few hundred. Non-finite (and,
 * with log_scale, non-positive) values are dropped. Returns the number of points written to out,
 * which must have room for 2 * n_buckets + 2. */
guint          zi_chart_series_decimate (const ZiChartSeries *series, ZiChartAxis axis,
                                         double x0, double x1, guint n_buckets,
                                         gboolean smoothed, gboolean log_scale,
                                         ZiChartPoint *out);

/* Nearest point to x on an axis (by x only), or -1 when empty. */
int            zi_chart_series_nearest (const ZiChartSeries *series, ZiChartAxis axis, double x);

/* Tick placement: a "nice" step (1, 2 or 5 × 10^k) giving at most max_ticks intervals over [lo, hi];
 * returns the number of ticks written to ticks (room for max_ticks + 1). */
guint          zi_chart_nice_ticks (double lo, double hi, guint max_ticks, double *ticks);
/* Decade ticks for a log axis over [lo, hi] (both > 0): powers of ten, or 1-2-5 steps inside one
 * decade when the range is narrow. Returns the number written (room for max_ticks + 1). */
guint          zi_chart_log_ticks (double lo, double hi, guint max_ticks, double *ticks);

/* A tick's label, short and without C's exponent notation where a reader expects digits: "1000",
 * "0.01", "20k", "1.5M", "2.5e-4", "0". */
void           zi_chart_format_tick (double v, char *buf, gsize len);

/* Maps v in [lo, hi] to [0, 1] linearly or on a log10 scale (lo, hi > 0 for log), and back. */
double         zi_chart_scale (double v, double lo, double hi, gboolean log_scale);
double         zi_chart_unscale (double t, double lo, double hi, gboolean log_scale);

/* ---- Lines per target style (a run of several styles) ---- */

/* The colour ("#rrggbb") of the lines of style i of n: shades of one hue, lightest for the first
 * (a family's lightest weight) to darkest for the last, each distinct for up to seven styles; more
 * round through the shades again. */
const char    *zi_chart_style_color (guint i, guint n);
/* The series id of a metric of one style: "val_ssim:Bold". Free with g_free. */
char          *zi_chart_style_series_id (const char *metric, const char *style);

/* The y extent over the series whose visible[i] is TRUE (visible NULL: all), as
 * zi_chart_series_get_y_range on a linear axis: what the validation axis spans when the legend hides
 * some styles. FALSE when no visible series has a point in [x0, x1]. */
gboolean       zi_chart_series_group_y_range (ZiChartSeries * const *series, const gboolean *visible,
                                              guint n, ZiChartAxis axis, double x0, double x1,
                                              gboolean smoothed, double *y_min, double *y_max);

/* The chart's legend of style lines: entries of the given widths laid out left to right from (x, y),
 * wrapping to a new row of row_height when one would pass x + max_width (an entry wider than that
 * still gets a row), gap apart. Fills rects[n]; returns the number of rows. hit: the entry at (x, y),
 * or -1, for a click that shows or hides a style. */
typedef struct {
  double x, y, width, height;
} ZiChartRect;

guint          zi_chart_legend_layout (const double *widths, guint n, double x, double y, double max_width,
                                       double row_height, double gap, ZiChartRect *rects);
int            zi_chart_legend_hit (const ZiChartRect *rects, guint n, double x, double y);

G_END_DECLS
