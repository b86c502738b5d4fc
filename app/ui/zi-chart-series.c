/* zi-chart-series.c — the GTK-free data model of a chart line: points, TensorBoard-style smoothing,
 * ranges, decimation and ticks. See zi-chart-series.h. */
#include "config.h"
#include "zi-chart-series.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

struct _ZiChartSeries
{
  GArray  *x[ZI_CHART_N_AXES];  /* double, non-decreasing */
  GArray  *y;                   /* double, raw values */
  GArray  *smoothed;            /* double, EMA of y */
  double   weight;
  /* Running EMA state, so that appending does not rescan the series. */
  double   ema_last;
  guint    ema_count;
};

ZiChartSeries *
zi_chart_series_new (void)
{
  ZiChartSeries *self = g_new0 (ZiChartSeries, 1);

  for (guint a = 0; a < ZI_CHART_N_AXES; a++)
    self->x[a] = g_array_new (FALSE, FALSE, sizeof (double));
  self->y = g_array_new (FALSE, FALSE, sizeof (double));
  self->smoothed = g_array_new (FALSE, FALSE, sizeof (double));
  return self;
}

void
zi_chart_series_free (ZiChartSeries *self)
{
  if (self == NULL)
    return;
  for (guint a = 0; a < ZI_CHART_N_AXES; a++)
    g_array_unref (self->x[a]);
  g_array_unref (self->y);
  g_array_unref (self->smoothed);
  g_free (self);
}

void
zi_chart_series_clear (ZiChartSeries *self)
{
  g_return_if_fail (self != NULL);

  for (guint a = 0; a < ZI_CHART_N_AXES; a++)
    g_array_set_size (self->x[a], 0);
  g_array_set_size (self->y, 0);
  g_array_set_size (self->smoothed, 0);
  self->ema_last = 0;
  self->ema_count = 0;
}

/* TensorBoard's smoothing (tf_scalar_dashboard): an EMA that starts at 0 and is divided by
 * 1 - w^n, so the first points are not dragged towards zero. Non-finite values pass through untouched
 * and do not enter the average. */
static double
ema_push (ZiChartSeries *self, double y)
{
  if (!isfinite (y))
    return y;
  if (self->weight <= 0)
    return y;
  self->ema_last = self->ema_last * self->weight + (1.0 - self->weight) * y;
  self->ema_count++;
  return self->ema_last / (1.0 - pow (self->weight, self->ema_count));
}

void
zi_chart_series_append (ZiChartSeries *self, double step, double images, double seconds, double y)
{
  double xs[ZI_CHART_N_AXES] = { step, images, seconds };
  double s;

  g_return_if_fail (self != NULL);

  for (guint a = 0; a < ZI_CHART_N_AXES; a++)
    g_array_append_val (self->x[a], xs[a]);
  g_array_append_val (self->y, y);
  s = ema_push (self, y);
  g_array_append_val (self->smoothed, s);
}

guint
zi_chart_series_get_length (const ZiChartSeries *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->y->len;
}

double
zi_chart_series_get_x (const ZiChartSeries *self, ZiChartAxis axis, guint i)
{
  g_return_val_if_fail (self != NULL && axis < ZI_CHART_N_AXES && i < self->y->len, NAN);
  return g_array_index (self->x[axis], double, i);
}

double
zi_chart_series_get_y (const ZiChartSeries *self, guint i)
{
  g_return_val_if_fail (self != NULL && i < self->y->len, NAN);
  return g_array_index (self->y, double, i);
}

void
zi_chart_series_set_smoothing (ZiChartSeries *self, double weight)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (weight >= 0 && weight < 1);

  if (weight == self->weight)
    return;
  self->weight = weight;
  self->ema_last = 0;
  self->ema_count = 0;
  for (guint i = 0; i < self->y->len; i++)
    g_array_index (self->smoothed, double, i) = ema_push (self, g_array_index (self->y, double, i));
}

double
zi_chart_series_get_smoothing (const ZiChartSeries *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->weight;
}

double
zi_chart_series_get_smoothed (const ZiChartSeries *self, guint i)
{
  g_return_val_if_fail (self != NULL && i < self->y->len, NAN);
  return g_array_index (self->smoothed, double, i);
}

guint
zi_chart_series_lower_bound (const ZiChartSeries *self, ZiChartAxis axis, double x)
{
  const double *xs;
  guint lo = 0, hi;

  g_return_val_if_fail (self != NULL && axis < ZI_CHART_N_AXES, 0);

  xs = (const double *) self->x[axis]->data;
  hi = self->x[axis]->len;
  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;
      if (xs[mid] < x)
        lo = mid + 1;
      else
        hi = mid;
    }
  return lo;
}

gboolean
zi_chart_series_get_x_extent (const ZiChartSeries *self, ZiChartAxis axis, double *x_min, double *x_max)
{
  g_return_val_if_fail (self != NULL && axis < ZI_CHART_N_AXES, FALSE);

  if (self->y->len == 0)
    return FALSE;
  *x_min = g_array_index (self->x[axis], double, 0);
  *x_max = g_array_index (self->x[axis], double, self->y->len - 1);
  return TRUE;
}

static inline gboolean
drawable (double v, gboolean log_scale)
{
  return isfinite (v) && (!log_scale || v > 0);
}

gboolean
zi_chart_series_get_y_range (const ZiChartSeries *self, ZiChartAxis axis, double x0, double x1,
                             gboolean smoothed, gboolean log_scale, double *y_min, double *y_max)
{
  const double *xs, *ys;
  double lo = INFINITY, hi = -INFINITY;

  g_return_val_if_fail (self != NULL && axis < ZI_CHART_N_AXES, FALSE);

  xs = (const double *) self->x[axis]->data;
  ys = (const double *) (smoothed ? self->smoothed : self->y)->data;
  for (guint i = zi_chart_series_lower_bound (self, axis, x0); i < self->y->len && xs[i] <= x1; i++)
    {
      if (!drawable (ys[i], log_scale))
        continue;
      lo = MIN (lo, ys[i]);
      hi = MAX (hi, ys[i]);
    }
  if (lo > hi)
    return FALSE;
  *y_min = lo;
  *y_max = hi;
  return TRUE;
}

guint
zi_chart_series_decimate (const ZiChartSeries *self, ZiChartAxis axis, double x0, double x1,
                          guint n_buckets, gboolean smoothed, gboolean log_scale, ZiChartPoint *out)
{
  const double *xs, *ys;
  guint first, last, n_out = 0;
  guint bucket = G_MAXUINT;
  guint i_min = 0, i_max = 0;
  double width;

  g_return_val_if_fail (self != NULL && axis < ZI_CHART_N_AXES && out != NULL, 0);
  g_return_val_if_fail (n_buckets > 0, 0);

  if (self->y->len == 0 || x1 < x0)
    return 0;

  xs = (const double *) self->x[axis]->data;
  ys = (const double *) (smoothed ? self->smoothed : self->y)->data;

  /* One point beyond each edge, so the line is not cut short at the sides of the view. */
  first = zi_chart_series_lower_bound (self, axis, x0);
  if (first > 0)
    first--;
  last = zi_chart_series_lower_bound (self, axis, x1);
  while (last < self->y->len && xs[last] <= x1)
    last++;
  if (last >= self->y->len)
    last = self->y->len - 1;

  /* Few points: no reduction needed, every drawable point goes out as is. */
  if (last - first + 1 <= 2 * n_buckets + 2)
    {
      for (guint i = first; i <= last; i++)
        if (drawable (ys[i], log_scale))
          out[n_out++] = (ZiChartPoint) { xs[i], ys[i] };
      return n_out;
    }

  width = (x1 > x0) ? (x1 - x0) / n_buckets : 1.0;
  for (guint i = first; i <= last; i++)
    {
      double t;
      guint b;

      if (!drawable (ys[i], log_scale))
        continue;
      /* Edge points outside [x0, x1] get buckets of their own (clamped below 0 or past the end). */
      t = (xs[i] - x0) / width;
      b = t < 0 ? 0 : (t >= n_buckets ? n_buckets + 1 : (guint) t + 1);
      if (b != bucket)
        {
          if (bucket != G_MAXUINT)
            {
              guint a = MIN (i_min, i_max), z = MAX (i_min, i_max);
              out[n_out++] = (ZiChartPoint) { xs[a], ys[a] };
              if (z != a)
                out[n_out++] = (ZiChartPoint) { xs[z], ys[z] };
            }
          bucket = b;
          i_min = i_max = i;
        }
      else
        {
          if (ys[i] < ys[i_min])
            i_min = i;
          if (ys[i] > ys[i_max])
            i_max = i;
        }
    }
  if (bucket != G_MAXUINT)
    {
      guint a = MIN (i_min, i_max), z = MAX (i_min, i_max);
      out[n_out++] = (ZiChartPoint) { xs[a], ys[a] };
      if (z != a)
        out[n_out++] = (ZiChartPoint) { xs[z], ys[z] };
    }
  return n_out;
}

int
zi_chart_series_nearest (const ZiChartSeries *self, ZiChartAxis axis, double x)
{
  guint i;
  const double *xs;

  g_return_val_if_fail (self != NULL && axis < ZI_CHART_N_AXES, -1);

  if (self->y->len == 0)
    return -1;
  xs = (const double *) self->x[axis]->data;
  i = zi_chart_series_lower_bound (self, axis, x);
  if (i >= self->y->len)
    return self->y->len - 1;
  if (i > 0 && x - xs[i - 1] < xs[i] - x)
    return i - 1;
  return i;
}

guint
zi_chart_nice_ticks (double lo, double hi, guint max_ticks, double *ticks)
{
  static const double mults[] = { 1, 2, 5, 10 };
  double range, mag, step = 0, first;
  guint n = 0;

  g_return_val_if_fail (ticks != NULL && max_ticks > 0, 0);

  if (!isfinite (lo) || !isfinite (hi) || hi < lo)
    return 0;
  if (hi == lo)
    {
      ticks[0] = lo;
      return 1;
    }
  range = hi - lo;
  mag = pow (10, floor (log10 (range / max_ticks)));
  for (guint m = 0; m < G_N_ELEMENTS (mults); m++)
    {
      step = mag * mults[m];
      if (floor (hi / step) - ceil (lo / step) <= max_ticks)
        break;
    }
  first = ceil (lo / step) * step;
  for (double v = first; v <= hi + step * 1e-9 && n <= max_ticks; v = first + n * step)
    ticks[n++] = fabs (v) < step * 1e-9 ? 0.0 : v;
  return n;
}

guint
zi_chart_log_ticks (double lo, double hi, guint max_ticks, double *ticks)
{
  int e0, e1, stride;
  guint n = 0;

  g_return_val_if_fail (ticks != NULL && max_ticks > 0, 0);

  if (!(lo > 0) || !(hi >= lo) || !isfinite (hi))
    return 0;
  e0 = (int) ceil (log10 (lo) - 1e-9);
  e1 = (int) floor (log10 (hi) + 1e-9);
  /* Less than two decades in view: decade ticks alone would be too few, so use linear 1-2-5 ticks. */
  if (e1 - e0 < 1)
    return zi_chart_nice_ticks (lo, hi, max_ticks, ticks);
  stride = (e1 - e0) / (int) max_ticks + 1;
  for (int e = e0; e <= e1 && n <= max_ticks; e += stride)
    ticks[n++] = pow (10, e);
  return n;
}

void
zi_chart_format_tick (double v, char *buf, gsize len)
{
  double a = fabs (v);

  g_return_if_fail (buf != NULL && len > 0);

  if (a == 0 || !isfinite (v))
    g_snprintf (buf, len, "%g", a == 0 ? 0.0 : v);
  else if (a >= 1e-3 && a < 1e4)
    g_snprintf (buf, len, "%.4g", v);
  else if (a >= 1e4 && a < 1e6)
    g_snprintf (buf, len, "%.4gk", v / 1e3);
  else if (a >= 1e6 && a < 1e9)
    g_snprintf (buf, len, "%.4gM", v / 1e6);
  else
    {
      /* printf's "2.50e-04" as "2.5e-4": no trailing zeros, no padded or signed-plus exponent. */
      char tmp[32], mant[32];
      g_snprintf (tmp, sizeof tmp, "%.2e", v);
      char *e = strchr (tmp, 'e');
      int exp = e != NULL ? atoi (e + 1) : 0;
      if (e != NULL)
        *e = '\0';
      g_strlcpy (mant, tmp, sizeof mant);
      if (strchr (mant, '.') != NULL)
        {
          char *end = mant + strlen (mant) - 1;
          while (*end == '0')
            *end-- = '\0';
          if (*end == '.')
            *end = '\0';
        }
      g_snprintf (buf, len, "%se%d", mant, exp);
    }
}

double
zi_chart_scale (double v, double lo, double hi, gboolean log_scale)
{
  if (log_scale)
    {
      if (!(v > 0) || !(lo > 0) || !(hi > lo))
        return NAN;
      return (log10 (v) - log10 (lo)) / (log10 (hi) - log10 (lo));
    }
  if (hi == lo)
    return 0.5;
  return (v - lo) / (hi - lo);
}

double
zi_chart_unscale (double t, double lo, double hi, gboolean log_scale)
{
  if (log_scale)
    return pow (10, log10 (lo) + t * (log10 (hi) - log10 (lo)));
  return lo + t * (hi - lo);
}

/* One hue from light to dark, so that a family's weights read as light to heavy at a glance; magenta,
 * which none of the chart's other lines uses (they are red, blue, orange, green, purple, brown and
 * grey). */
static const char *style_colors[] = { "#f29cc3", "#e8689f", "#d9397f", "#bf1d66", "#9c1152", "#770a3f",
                                      "#52052b" };

const char *
zi_chart_style_color (guint i, guint n)
{
  const guint last = G_N_ELEMENTS (style_colors) - 1;

  /* Spread over the whole ramp while it has a shade for each style; past that, round again. */
  if (n > G_N_ELEMENTS (style_colors))
    return style_colors[i % G_N_ELEMENTS (style_colors)];
  if (n <= 1)
    return style_colors[last / 2];
  return style_colors[(i * last + (n - 1) / 2) / (n - 1)];
}

char *
zi_chart_style_series_id (const char *metric, const char *style)
{
  g_return_val_if_fail (metric != NULL && style != NULL, NULL);
  return g_strdup_printf ("%s:%s", metric, style);
}

guint
zi_chart_legend_layout (const double *widths, guint n, double x, double y, double max_width,
                        double row_height, double gap, ZiChartRect *rects)
{
  double cx = x, cy = y;
  guint rows = n > 0 ? 1 : 0;

  g_return_val_if_fail (widths != NULL || n == 0, 0);
  g_return_val_if_fail (rects != NULL || n == 0, 0);

  for (guint i = 0; i < n; i++)
    {
      double w = MAX (0, widths[i]);

      /* A new row when this entry would cross the right edge, unless it starts the row anyway. */
      if (cx > x && cx + w > x + max_width)
        {
          cx = x;
          cy += row_height;
          rows++;
        }
      rects[i].x = cx;
      rects[i].y = cy;
      rects[i].width = w;
      rects[i].height = row_height;
      cx += w + gap;
    }
  return rows;
}

int
zi_chart_legend_hit (const ZiChartRect *rects, guint n, double x, double y)
{
  g_return_val_if_fail (rects != NULL || n == 0, -1);

  for (guint i = 0; i < n; i++)
    if (x >= rects[i].x && x < rects[i].x + rects[i].width && y >= rects[i].y && y < rects[i].y + rects[i].height)
      return (int) i;
  return -1;
}

gboolean
zi_chart_series_group_y_range (ZiChartSeries * const *series, const gboolean *visible, guint n,
                               ZiChartAxis axis, double x0, double x1, gboolean smoothed,
                               double *y_min, double *y_max)
{
  gboolean any = FALSE;
  double lo = INFINITY, hi = -INFINITY;

  g_return_val_if_fail (series != NULL || n == 0, FALSE);

  for (guint i = 0; i < n; i++)
    {
      double a, b;

      if ((visible != NULL && !visible[i]) || series[i] == NULL ||
          !zi_chart_series_get_y_range (series[i], axis, x0, x1, smoothed, FALSE, &a, &b))
        continue;
      lo = MIN (lo, a);
      hi = MAX (hi, b);
      any = TRUE;
    }
  if (any && y_min != NULL)
    *y_min = lo;
  if (any && y_max != NULL)
    *y_max = hi;
  return any;
}
