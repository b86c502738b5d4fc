/* zi-chart-legend.c — the chart's legend of per-style lines (a run of several target styles): one
 * entry a style, in its line's colour, in rows above the plot; a hidden style's entry
 * stays, faded with a hollow mark, so that a click can bring it back: drawing it, marking lines for it
 * and the click. The layout and the hit test are zi-chart-series.c's, which tests them without a
 * display. */
#include "config.h"
#include "zi-chart-private.h"

#define SWATCH     8.0
#define PAD        5.0
#define GAP        4.0
#define ROW_HEIGHT (ZI_CHART_LEGEND_ROW - GAP)

double
_zi_chart_legend_room (ZiChart *self)
{
  gboolean any = FALSE;

  for (guint i = 0; i < self->lines->len && !any; i++)
    any = ((Line *) g_ptr_array_index (self->lines, i))->legend;
  return any ? MAX (self->legend_height, ZI_CHART_LEGEND_ROW) : 0;
}

void
_zi_chart_draw_legend (ZiChart *self, cairo_t *cr, PangoLayout *layout, double px, double y, double pw,
                       const GdkRGBA *fg, const GdkRGBA *bg)
{
  g_autofree double *widths = NULL;
  double old_height = self->legend_height;
  guint n = 0;

  g_assert (ZI_IS_CHART (self));

  for (guint i = 0; i < self->lines->len; i++)
    n += ((Line *) g_ptr_array_index (self->lines, i))->legend;
  self->n_legend = n;
  self->legend_rects = g_renew (ZiChartRect, self->legend_rects, MAX (n, 1));
  self->legend_lines = g_renew (guint, self->legend_lines, MAX (n, 1));
  self->legend_height = 0;
  if (n == 0)
    return;

  widths = g_new (double, n);
  for (guint i = 0, k = 0; i < self->lines->len; i++)
    {
      Line *line = g_ptr_array_index (self->lines, i);
      int tw;

      if (!line->legend)
        continue;
      pango_layout_set_text (layout, line->label, -1);
      pango_layout_get_pixel_size (layout, &tw, NULL);
      widths[k] = PAD + SWATCH + PAD + tw + PAD;
      self->legend_lines[k++] = i;
    }
  self->legend_height = ZI_CHART_LEGEND_ROW
                        * zi_chart_legend_layout (widths, n, px, y, pw, ZI_CHART_LEGEND_ROW, GAP, self->legend_rects);
  /* The plot below was placed for the legend's last height: once more when it grew or shrank. */
  if (self->legend_height != MAX (old_height, ZI_CHART_LEGEND_ROW))
    gtk_widget_queue_draw (GTK_WIDGET (self));

  for (guint k = 0; k < n; k++)
    {
      const ZiChartRect *r = &self->legend_rects[k];
      Line *line = g_ptr_array_index (self->lines, self->legend_lines[k]);
      double alpha = line->visible ? 1.0 : 0.4;
      double cx = r->x + PAD + SWATCH / 2, cy = r->y + ROW_HEIGHT / 2;
      int th;

      /* A frame makes each entry read as something to click. */
      cairo_set_source_rgba (cr, fg->red, fg->green, fg->blue, 0.15);
      cairo_set_line_width (cr, 1);
      cairo_rectangle (cr, r->x + 0.5, r->y + 0.5, r->width - 1, ROW_HEIGHT - 1);
      cairo_stroke (cr);

      cairo_set_source_rgba (cr, line->color.red, line->color.green, line->color.blue, alpha);
      cairo_arc (cr, cx, cy, SWATCH / 2, 0, 2 * G_PI);
      if (line->visible)
        cairo_fill (cr);
      else
        {
          cairo_set_line_width (cr, 1.5);
          cairo_stroke (cr);
        }

      pango_layout_set_text (layout, line->label, -1);
      pango_layout_get_pixel_size (layout, NULL, &th);
      cairo_set_source_rgba (cr, fg->red, fg->green, fg->blue, 0.85 * alpha);
      cairo_move_to (cr, r->x + PAD + SWATCH + PAD, cy - th / 2.0);
      pango_cairo_show_layout (cr, layout);
    }
}

void
zi_chart_set_series_legend (ZiChart *self, guint index, gboolean legend)
{
  g_return_if_fail (ZI_IS_CHART (self));
  g_return_if_fail (index < self->lines->len);
  ((Line *) g_ptr_array_index (self->lines, index))->legend = !!legend;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

int
zi_chart_toggle_legend_at (ZiChart *self, double x, double y)
{
  int k;
  Line *line;

  g_return_val_if_fail (ZI_IS_CHART (self), -1);
  k = zi_chart_legend_hit (self->legend_rects, self->n_legend, x, y);
  if (k < 0)
    return -1;
  line = g_ptr_array_index (self->lines, self->legend_lines[k]);
  line->visible = !line->visible;
  gtk_widget_queue_draw (GTK_WIDGET (self));
  return (int) self->legend_lines[k];
}

gboolean
zi_chart_get_legend_entry (ZiChart *self, guint index, double *x, double *y)
{
  g_return_val_if_fail (ZI_IS_CHART (self), FALSE);
  for (guint k = 0; k < self->n_legend; k++)
    if (self->legend_lines[k] == index)
      {
        if (x != NULL)
          *x = self->legend_rects[k].x + self->legend_rects[k].width / 2;
        if (y != NULL)
          *y = self->legend_rects[k].y + self->legend_rects[k].height / 2;
        return TRUE;
      }
  return FALSE;
}
