/* test-chart-series.c — the chart's data model without a display: smoothing against hand-computed
 * TensorBoard values, ranges, binary search, decimation that keeps spikes, ticks and scales. */
#include "config.h"
#include "zi-chart-series.h"

#include <math.h>
#include <string.h>

static void
test_smoothing_debiased (void)
{
  g_autoptr(ZiChartSeries) s = zi_chart_series_new ();
  double w = 0.6;

  zi_chart_series_set_smoothing (s, w);
  zi_chart_series_append (s, 0, 0, 0, 10);
  zi_chart_series_append (s, 1, 16, 1, 20);
  zi_chart_series_append (s, 2, 32, 2, NAN);
  zi_chart_series_append (s, 3, 48, 3, 0);

  /* First point: debiasing makes it exactly the first value. */
  g_assert_cmpfloat_with_epsilon (zi_chart_series_get_smoothed (s, 0), 10.0, 1e-12);
  /* Second: last = 0.6*4 + 0.4*20 = 10.4; debias 1 - 0.36 = 0.64 → 16.25. */
  g_assert_cmpfloat_with_epsilon (zi_chart_series_get_smoothed (s, 1), 10.4 / 0.64, 1e-12);
  /* NaN passes through and does not enter the average. */
  g_assert_true (isnan (zi_chart_series_get_smoothed (s, 2)));
  /* Third finite: last = 0.6*10.4 + 0 = 6.24; debias 1 - 0.216 = 0.784. */
  g_assert_cmpfloat_with_epsilon (zi_chart_series_get_smoothed (s, 3), 6.24 / 0.784, 1e-12);

  /* Changing the weight recomputes; weight 0 is the raw series. */
  zi_chart_series_set_smoothing (s, 0.0);
  g_assert_cmpfloat (zi_chart_series_get_smoothed (s, 1), ==, 20.0);
  zi_chart_series_set_smoothing (s, w);
  g_assert_cmpfloat_with_epsilon (zi_chart_series_get_smoothed (s, 3), 6.24 / 0.784, 1e-12);
  g_assert_cmpfloat (zi_chart_series_get_smoothing (s), ==, w);
}

static void
test_search_and_ranges (void)
{
  g_autoptr(ZiChartSeries) s = zi_chart_series_new ();
  double lo, hi;

  for (guint i = 0; i < 100; i++)
    zi_chart_series_append (s, i * 10, i * 160, i * 0.5, (i == 50) ? -1.0 : i + 1.0);

  g_assert_cmpuint (zi_chart_series_get_length (s), ==, 100);
  g_assert_cmpuint (zi_chart_series_lower_bound (s, ZI_CHART_AXIS_STEPS, 0), ==, 0);
  g_assert_cmpuint (zi_chart_series_lower_bound (s, ZI_CHART_AXIS_STEPS, 15), ==, 2);
  g_assert_cmpuint (zi_chart_series_lower_bound (s, ZI_CHART_AXIS_STEPS, 20), ==, 2);
  g_assert_cmpuint (zi_chart_series_lower_bound (s, ZI_CHART_AXIS_STEPS, 5000), ==, 100);
  g_assert_cmpuint (zi_chart_series_lower_bound (s, ZI_CHART_AXIS_IMAGES, 320), ==, 2);
  g_assert_cmpint (zi_chart_series_nearest (s, ZI_CHART_AXIS_SECONDS, 10.2), ==, 20);
  g_assert_cmpint (zi_chart_series_nearest (s, ZI_CHART_AXIS_SECONDS, 10.3), ==, 21);

  g_assert_true (zi_chart_series_get_x_extent (s, ZI_CHART_AXIS_IMAGES, &lo, &hi));
  g_assert_cmpfloat (lo, ==, 0);
  g_assert_cmpfloat (hi, ==, 99 * 160);

  /* Window [100, 200] holds points 10..20, values 11..21. */
  g_assert_true (zi_chart_series_get_y_range (s, ZI_CHART_AXIS_STEPS, 100, 200, FALSE, FALSE, &lo, &hi));
  g_assert_cmpfloat (lo, ==, 11);
  g_assert_cmpfloat (hi, ==, 21);
  /* The negative value counts linearly, not on a log scale. */
  g_assert_true (zi_chart_series_get_y_range (s, ZI_CHART_AXIS_STEPS, 480, 520, FALSE, FALSE, &lo, &hi));
  g_assert_cmpfloat (lo, ==, -1);
  g_assert_true (zi_chart_series_get_y_range (s, ZI_CHART_AXIS_STEPS, 480, 520, FALSE, TRUE, &lo, &hi));
  g_assert_cmpfloat (lo, ==, 49);
  g_assert_cmpfloat (hi, ==, 53);
  /* Nothing in view. */
  g_assert_false (zi_chart_series_get_y_range (s, ZI_CHART_AXIS_STEPS, 2000, 3000, FALSE, FALSE, &lo, &hi));

  zi_chart_series_clear (s);
  g_assert_cmpuint (zi_chart_series_get_length (s), ==, 0);
  g_assert_false (zi_chart_series_get_x_extent (s, ZI_CHART_AXIS_STEPS, &lo, &hi));
  g_assert_cmpint (zi_chart_series_nearest (s, ZI_CHART_AXIS_STEPS, 1), ==, -1);
}

static void
test_decimate_keeps_spikes (void)
{
  g_autoptr(ZiChartSeries) s = zi_chart_series_new ();
  guint n = 100000, buckets = 200, got;
  g_autofree ZiChartPoint *out = g_new (ZiChartPoint, 2 * buckets + 2);
  gboolean saw_spike = FALSE, saw_dip = FALSE;
  gint64 t0;

  for (guint i = 0; i < n; i++)
    {
      double y = 1.0 + 0.1 * sin (i * 0.01);
      if (i == 54321)
        y = 100.0;
      if (i == 77777)
        y = -50.0;
      zi_chart_series_append (s, i, i * 16.0, i * 0.1, y);
    }

  t0 = g_get_monotonic_time ();
  got = zi_chart_series_decimate (s, ZI_CHART_AXIS_STEPS, 0, n - 1, buckets, FALSE, FALSE, out);
  g_test_message ("decimating %u points to %u took %.2f ms", n, got,
                  (g_get_monotonic_time () - t0) / 1000.0);

  g_assert_cmpuint (got, <=, 2 * buckets + 2);
  g_assert_cmpuint (got, >=, buckets);
  for (guint i = 0; i < got; i++)
    {
      if (out[i].y == 100.0 && out[i].x == 54321)
        saw_spike = TRUE;
      if (out[i].y == -50.0 && out[i].x == 77777)
        saw_dip = TRUE;
      if (i > 0)
        g_assert_cmpfloat (out[i].x, >=, out[i - 1].x);
    }
  g_assert_true (saw_spike);
  g_assert_true (saw_dip);

  /* A log scale drops the non-positive dip. */
  got = zi_chart_series_decimate (s, ZI_CHART_AXIS_STEPS, 0, n - 1, buckets, FALSE, TRUE, out);
  for (guint i = 0; i < got; i++)
    g_assert_cmpfloat (out[i].y, >, 0);

  /* A narrow window returns its points and one neighbour each side, undecimated. */
  got = zi_chart_series_decimate (s, ZI_CHART_AXIS_STEPS, 100, 109, buckets, FALSE, FALSE, out);
  g_assert_cmpuint (got, ==, 12);
  g_assert_cmpfloat (out[0].x, ==, 99);
  g_assert_cmpfloat (out[11].x, ==, 110);
}

static void
test_ticks_and_scale (void)
{
  double ticks[12];
  guint n;

  n = zi_chart_nice_ticks (0, 1, 5, ticks);
  g_assert_cmpuint (n, ==, 6);
  g_assert_cmpfloat_with_epsilon (ticks[1], 0.2, 1e-12);
  g_assert_cmpfloat_with_epsilon (ticks[5], 1.0, 1e-12);

  n = zi_chart_nice_ticks (3, 97, 10, ticks);
  g_assert_cmpuint (n, ==, 9);
  g_assert_cmpfloat (ticks[0], ==, 10);
  g_assert_cmpfloat (ticks[8], ==, 90);

  n = zi_chart_log_ticks (0.003, 250, 8, ticks);
  g_assert_cmpuint (n, ==, 5);
  g_assert_cmpfloat_with_epsilon (ticks[0], 0.01, 1e-12);
  g_assert_cmpfloat_with_epsilon (ticks[4], 100, 1e-9);
  g_assert_cmpuint (zi_chart_log_ticks (-1, 10, 8, ticks), ==, 0);

  g_assert_cmpfloat_with_epsilon (zi_chart_scale (5, 0, 10, FALSE), 0.5, 1e-12);
  g_assert_cmpfloat_with_epsilon (zi_chart_scale (10, 1, 100, TRUE), 0.5, 1e-12);
  g_assert_cmpfloat_with_epsilon (zi_chart_unscale (0.5, 1, 100, TRUE), 10, 1e-9);
  g_assert_cmpfloat_with_epsilon (zi_chart_unscale (0.25, 0, 8, FALSE), 2, 1e-12);
  g_assert_true (isnan (zi_chart_scale (-1, 1, 100, TRUE)));
}

/* Tick labels read as numbers: no "1e+03" on a loss axis that starts near 1000. */
static void
test_tick_labels (void)
{
  static const struct {
    double      v;
    const char *want;
  } cases[] = {
    { 0, "0" },          { 1000, "1000" },  { 100, "100" },    { 0.01, "0.01" },
    { 0.001, "0.001" },  { 2500, "2500" },  { -0.5, "-0.5" },  { 20000, "20k" },
    { 15000, "15k" },    { 1e5, "100k" },   { 1e6, "1M" },     { 2.5e6, "2.5M" },
    { 1e-4, "1e-4" },    { 2.5e-4, "2.5e-4" }, { -2e-5, "-2e-5" }, { 1e10, "1e10" },
  };
  char buf[32];
  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      zi_chart_format_tick (cases[i].v, buf, sizeof buf);
      g_assert_cmpstr (buf, ==, cases[i].want);
    }
}

/* A run of several styles: one series per style with a colour of its own, the validation axis over
 * the styles shown (hiding one rescales it to the others), and the legend's layout and clicks. */
static void
test_styles_and_legend (void)
{
  g_autoptr(ZiChartSeries) light = zi_chart_series_new ();
  g_autoptr(ZiChartSeries) bold = zi_chart_series_new ();
  g_autoptr(ZiChartSeries) black = zi_chart_series_new ();
  ZiChartSeries *all[] = { light, bold, black };
  gboolean shown[] = { TRUE, TRUE, TRUE };
  double lo = 0, hi = 0;
  g_autofree char *id = zi_chart_style_series_id ("val_ssim", "Bold");
  double widths[] = { 60, 50, 70, 40 };
  ZiChartRect rects[4];

  /* Per-style series: Light climbs to 0.62, Bold to 0.71, Black stays low at 0.30–0.41. */
  for (guint i = 0; i <= 10; i++)
    {
      zi_chart_series_append (light, i * 100, i * 1600, i * 2.0, 0.12 + i * 0.05);
      zi_chart_series_append (bold, i * 100, i * 1600, i * 2.0, 0.21 + i * 0.05);
      zi_chart_series_append (black, i * 100, i * 1600, i * 2.0, 0.30 + i * 0.011);
    }
  g_assert_cmpstr (id, ==, "val_ssim:Bold");

  /* Distinct colours for up to seven styles, from the lightest shade to the darkest, and a cycle for
   * more. */
  for (guint n = 2; n <= 7; n++)
    {
      g_assert_cmpstr (zi_chart_style_color (0, n), ==, "#f29cc3");
      g_assert_cmpstr (zi_chart_style_color (n - 1, n), ==, "#52052b");
      for (guint i = 0; i < n; i++)
        for (guint j = i + 1; j < n; j++)
          g_assert_cmpstr (zi_chart_style_color (i, n), !=, zi_chart_style_color (j, n));
    }
  g_assert_cmpstr (zi_chart_style_color (7, 9), ==, zi_chart_style_color (0, 9));
  g_assert_cmpuint (strlen (zi_chart_style_color (0, 1)), ==, 7);

  /* All shown: the axis spans 0.12 to 0.71. */
  g_assert_true (zi_chart_series_group_y_range (all, shown, 3, ZI_CHART_AXIS_STEPS, 0, 1000, FALSE, &lo, &hi));
  g_assert_cmpfloat_with_epsilon (lo, 0.12, 1e-9);
  g_assert_cmpfloat_with_epsilon (hi, 0.71, 1e-9);
  /* Light hidden: from Black's 0.30 (Bold starts at 0.21). */
  shown[0] = FALSE;
  g_assert_true (zi_chart_series_group_y_range (all, shown, 3, ZI_CHART_AXIS_STEPS, 0, 1000, FALSE, &lo, &hi));
  g_assert_cmpfloat_with_epsilon (lo, 0.21, 1e-9);
  g_assert_cmpfloat_with_epsilon (hi, 0.71, 1e-9);
  /* Only Black, and only from step 500 on. */
  shown[1] = FALSE;
  g_assert_true (zi_chart_series_group_y_range (all, shown, 3, ZI_CHART_AXIS_STEPS, 500, 1000, FALSE, &lo, &hi));
  g_assert_cmpfloat_with_epsilon (lo, 0.355, 1e-9);
  g_assert_cmpfloat_with_epsilon (hi, 0.41, 1e-9);
  /* Nothing shown: no range, and the outputs untouched. */
  shown[2] = FALSE;
  lo = hi = -1;
  g_assert_false (zi_chart_series_group_y_range (all, shown, 3, ZI_CHART_AXIS_STEPS, 0, 1000, FALSE, &lo, &hi));
  g_assert_cmpfloat (lo, ==, -1);
  /* visible NULL: every series; a NaN point does not count. */
  zi_chart_series_append (black, 1100, 17600, 22, NAN);
  g_assert_true (zi_chart_series_group_y_range (all, NULL, 3, ZI_CHART_AXIS_STEPS, 0, 2000, FALSE, &lo, &hi));
  g_assert_cmpfloat_with_epsilon (hi, 0.71, 1e-9);

  /* The legend: entries of 60, 50, 70 and 40 px, 4 apart, in 150 px from (10, 20), rows of 18. */
  g_assert_cmpuint (zi_chart_legend_layout (widths, 4, 10, 20, 150, 18, 4, rects), ==, 2);
  g_assert_cmpfloat (rects[0].x, ==, 10);
  g_assert_cmpfloat (rects[1].x, ==, 74);
  g_assert_cmpfloat (rects[1].y, ==, 20);
  g_assert_cmpfloat (rects[2].x, ==, 10);   /* 128 + 70 passes 160: a new row */
  g_assert_cmpfloat (rects[2].y, ==, 38);
  g_assert_cmpfloat (rects[3].x, ==, 84);
  g_assert_cmpfloat (rects[3].y, ==, 38);
  /* Clicks: inside an entry, in the gap between two, outside. */
  g_assert_cmpint (zi_chart_legend_hit (rects, 4, 80, 25), ==, 1);
  g_assert_cmpint (zi_chart_legend_hit (rects, 4, 100, 45), ==, 3);
  g_assert_cmpint (zi_chart_legend_hit (rects, 4, 72, 25), ==, -1);
  g_assert_cmpint (zi_chart_legend_hit (rects, 4, 300, 25), ==, -1);
  g_assert_cmpint (zi_chart_legend_hit (rects, 0, 80, 25), ==, -1);
  /* An entry wider than the room still gets a row of its own; none is no row. */
  widths[0] = 500;
  g_assert_cmpuint (zi_chart_legend_layout (widths, 2, 0, 0, 150, 18, 4, rects), ==, 2);
  g_assert_cmpfloat (rects[1].y, ==, 18);
  g_assert_cmpuint (zi_chart_legend_layout (widths, 0, 0, 0, 150, 18, 4, rects), ==, 0);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/ui/chart-series/smoothing", test_smoothing_debiased);
  g_test_add_func ("/ui/chart-series/ranges", test_search_and_ranges);
  g_test_add_func ("/ui/chart-series/decimate", test_decimate_keeps_spikes);
  g_test_add_func ("/ui/chart-series/ticks", test_ticks_and_scale);
  g_test_add_func ("/ui/chart-series/tick-labels", test_tick_labels);
  g_test_add_func ("/ui/chart-series/styles-legend", test_styles_and_legend);
  return g_test_run ();
}
