/* zi-chart-private.h — the chart's instance struct and drawing function, shared by zi-chart.c (the
 * widget) and zi-chart-export.c (PNG, SVG and CSV export). */
#pragma once

#include "zi-chart.h"

G_BEGIN_DECLS

typedef struct {
  char          *id;
  char          *label;
  char          *color_spec;
  GdkRGBA        color;
  ZiChartYAxis   y_axis;
  gboolean       visible;
  ZiChartSeries *data;
} Line;

struct _ZiChart
{
  GtkWidget    parent_instance;

  GPtrArray   *lines;       /* Line* */
  double       smoothing;
  gboolean     log_scale;
  ZiChartAxis  x_axis;
  gboolean     zoomed;
  double       zoom_x0, zoom_x1;

  /* Interaction state. */
  gboolean     hovering;
  double       hover_x, hover_y;
  gboolean     dragging;
  double       drag_start, drag_now;

  guint        redraw_id;
  gint64       last_draw_us;
  ZiChartPoint *scratch;
  guint        scratch_len;
};

/* Draws the whole chart into cr (width × height); interactive adds the hover readout and the zoom
 * selection. */
void _zi_chart_draw (ZiChart *self, cairo_t *cr, double width, double height, const GdkRGBA *fg,
                     const GdkRGBA *bg, gboolean interactive);

G_END_DECLS
