/* zi-chart.h — the training chart: several loss curves on a left axis, validation metrics on a right
 * axis, the learning rate as a thin line on its own scale; EMA smoothing with the raw curve faint
 * behind it (as TensorBoard draws it), a log scale, x in steps, images or time, a hover readout,
 * drag to zoom, double-click to reset, a legend of per-style lines whose entries hide and show them
 * on a click, and export as PNG, SVG or CSV. Drawing goes through
 * gtk_snapshot_append_cairo; the data lives in zi-chart-series. */
#pragma once

#include <gtk/gtk.h>
#include "zi-chart-series.h"

G_BEGIN_DECLS

typedef enum {
  ZI_CHART_Y_LEFT,    /* losses */
  ZI_CHART_Y_RIGHT,   /* validation metrics, 0..1 */
  ZI_CHART_Y_OWN,     /* its own scale filling the plot, no ticks (the learning rate) */
} ZiChartYAxis;

#define ZI_TYPE_CHART (zi_chart_get_type ())
G_DECLARE_FINAL_TYPE (ZiChart, zi_chart, ZI, CHART, GtkWidget)

GtkWidget     *zi_chart_new (void);
/* Adds a line; returns its index. color is "#rrggbb". */
guint          zi_chart_add_series (ZiChart *self, const char *id, const char *label, const char *color,
                                    ZiChartYAxis y_axis);
int            zi_chart_find_series (ZiChart *self, const char *id);
ZiChartSeries *zi_chart_get_series (ZiChart *self, guint index);
/* Appends to a series by id (ignored when there is no such series). Redraws at most once a frame. */
void           zi_chart_append (ZiChart *self, const char *id, double step, double images,
                                double seconds, double y);
void           zi_chart_clear (ZiChart *self);

void           zi_chart_set_series_visible (ZiChart *self, guint index, gboolean visible);
gboolean       zi_chart_get_series_visible (ZiChart *self, guint index);
guint          zi_chart_get_n_series (ZiChart *self);
/* Removes the lines from index first on (those a run added, such as its styles'). */
void           zi_chart_remove_series_from (ZiChart *self, guint first);
/* Lists a line in the legend drawn over the plot (a run's style lines), where a click on its entry
 * hides or shows it. */
void           zi_chart_set_series_legend (ZiChart *self, guint index, gboolean legend);
/* What a click at (x, y) does: hides or shows the line whose legend entry is there, as last drawn,
 * and returns its index (-1: no entry there). get_legend_entry: the centre of line index's entry as
 * last drawn (FALSE when it has none). */
int            zi_chart_toggle_legend_at (ZiChart *self, double x, double y);
gboolean       zi_chart_get_legend_entry (ZiChart *self, guint index, double *x, double *y);
void           zi_chart_set_smoothing (ZiChart *self, double weight);
void           zi_chart_set_log_scale (ZiChart *self, gboolean log_scale);
void           zi_chart_set_x_axis (ZiChart *self, ZiChartAxis axis);
/* Zooms to an x window on the current axis; reset shows everything (and follows new points). */
void           zi_chart_zoom (ZiChart *self, double x0, double x1);
void           zi_chart_reset_zoom (ZiChart *self);
gboolean       zi_chart_is_zoomed (ZiChart *self);
/* The x range the plot shows now, zoomed or not (FALSE when there is nothing to show). */
gboolean       zi_chart_get_x_range (ZiChart *self, double *x0, double *x1);
double         zi_chart_get_smoothing (ZiChart *self);
/* The hover readout as plain text ("step 1234\n● loss  0.42\n…"), or NULL when the pointer is not
 * over the plot. Free with g_free. */
char          *zi_chart_get_readout (ZiChart *self);

/* Exports what the chart shows (PNG, SVG: width × height pixels / points) or all the data (CSV: one
 * row per logged step, one column per series, raw values). Written atomically. */
gboolean       zi_chart_export_png (ZiChart *self, const char *path, int width, int height, GError **error);
gboolean       zi_chart_export_svg (ZiChart *self, const char *path, int width, int height, GError **error);
gboolean       zi_chart_export_csv (ZiChart *self, const char *path, GError **error);

/* Time of the last full redraw in microseconds (for the frame-time log). */
gint64         zi_chart_get_last_draw_time (ZiChart *self);

G_END_DECLS
