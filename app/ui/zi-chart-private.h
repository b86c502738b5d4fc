/* zi-chart-private.h — the chart's instance struct and drawing functions, shared by zi-chart.c (the
 * widget), zi-chart-export.c (PNG, SVG and CSV export) and zi-chart-legend.c (the style legend). */
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
  gboolean       legend;    /* an entry of the in-plot legend, which a click shows or hides */
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

  /* The legend as last drawn: where each entry is, and whose line it stands for. */
  ZiChartRect *legend_rects;
  guint       *legend_lines;
  guint        n_legend;
  double       legend_height;  /* of its rows, which the plot leaves room for above it */
};

/* Draws the whole chart into cr (width × height); interactive adds the hover readout and the zoom
 * selection. */
void _zi_chart_draw (ZiChart *self, cairo_t *cr, double width, double height, const GdkRGBA *fg,
                     const GdkRGBA *bg, gboolean interactive);

/* Draws the legend of the lines marked legend (zi-chart-legend.c) in rows from (px, y), pw wide,
 * above the plot, and keeps where its entries went for clicks and how tall it was. */
#define ZI_CHART_LEGEND_ROW 22.0
void _zi_chart_draw_legend (ZiChart *self, cairo_t *cr, PangoLayout *layout, double px, double y, double pw,
                            const GdkRGBA *fg, const GdkRGBA *bg);
/* The room the legend takes above the plot: its last height, or a row before it was first drawn. */
double _zi_chart_legend_room (ZiChart *self);

G_END_DECLS
