/* zi-chart.c — the training chart widget. One drawing function serves the screen (through
 * gtk_snapshot_append_cairo), PNG and SVG export; every line is decimated to about two points per
 * pixel column first, so 100k points per series cost what a few hundred do. */
#include "config.h"
#include "zi-chart-private.h"

#include <glib/gi18n.h>
#include <math.h>

#define M_LEFT    58.0
#define M_RIGHT   52.0
#define M_TOP     14.0
#define M_BOTTOM  30.0
#define MAX_TICKS 6

G_DEFINE_FINAL_TYPE (ZiChart, zi_chart, GTK_TYPE_WIDGET)

/* The ranges the current view maps to the plot area. */
typedef struct {
  double x0, x1;
  gboolean has_left, has_right;
  double l0, l1;  /* left axis */
  double r0, r1;  /* right axis */
  double px, py, pw, ph;  /* plot rectangle in pixels */
} View;

static void
line_free (Line *line)
{
  g_free (line->id);
  g_free (line->label);
  g_free (line->color_spec);
  zi_chart_series_free (line->data);
  g_free (line);
}

static gboolean
redraw_cb (GtkWidget *widget, GdkFrameClock *clock, gpointer user_data)
{
  ZiChart *self = ZI_CHART (widget);

  self->redraw_id = 0;
  gtk_widget_queue_draw (widget);
  return G_SOURCE_REMOVE;
}

/* New points arrive in bursts; redraw once per frame, not once per point. */
static void
queue_redraw (ZiChart *self)
{
  if (self->redraw_id == 0 && gtk_widget_get_realized (GTK_WIDGET (self)))
    self->redraw_id = gtk_widget_add_tick_callback (GTK_WIDGET (self), redraw_cb, NULL, NULL);
  else if (!gtk_widget_get_realized (GTK_WIDGET (self)))
    gtk_widget_queue_draw (GTK_WIDGET (self));
}

static gboolean
compute_view (ZiChart *self, double width, double height, View *v)
{
  gboolean any = FALSE;

  memset (v, 0, sizeof *v);
  v->px = M_LEFT;
  v->py = M_TOP + _zi_chart_legend_room (self);
  v->pw = MAX (10, width - M_LEFT - M_RIGHT);
  v->ph = MAX (10, height - v->py - M_BOTTOM);

  if (self->zoomed)
    {
      v->x0 = self->zoom_x0;
      v->x1 = self->zoom_x1;
      any = TRUE;
    }
  else
    {
      v->x0 = INFINITY;
      v->x1 = -INFINITY;
      for (guint i = 0; i < self->lines->len; i++)
        {
          Line *line = g_ptr_array_index (self->lines, i);
          double a, b;
          if (line->visible && zi_chart_series_get_x_extent (line->data, self->x_axis, &a, &b))
            {
              v->x0 = MIN (v->x0, a);
              v->x1 = MAX (v->x1, b);
              any = TRUE;
            }
        }
    }
  if (!any)
    return FALSE;
  if (v->x1 <= v->x0)
    v->x1 = v->x0 + 1;

  v->l0 = v->r0 = INFINITY;
  v->l1 = v->r1 = -INFINITY;
  for (guint i = 0; i < self->lines->len; i++)
    {
      Line *line = g_ptr_array_index (self->lines, i);
      gboolean log_scale = self->log_scale && line->y_axis == ZI_CHART_Y_LEFT;
      double a, b;

      if (!line->visible || line->y_axis != ZI_CHART_Y_LEFT)
        continue;
      if (!zi_chart_series_get_y_range (line->data, self->x_axis, v->x0, v->x1, FALSE, log_scale, &a, &b))
        continue;
      v->l0 = MIN (v->l0, a);
      v->l1 = MAX (v->l1, b);
      v->has_left = TRUE;
    }
  /* The validation axis spans what is shown: hiding a style in the legend rescales it to the others. */
  {
    g_autofree ZiChartSeries **right = g_new (ZiChartSeries *, self->lines->len + 1);
    g_autofree gboolean *shown = g_new (gboolean, self->lines->len + 1);
    guint n = 0;

    for (guint i = 0; i < self->lines->len; i++)
      {
        Line *line = g_ptr_array_index (self->lines, i);
        if (line->y_axis != ZI_CHART_Y_RIGHT)
          continue;
        right[n] = line->data;
        shown[n++] = line->visible;
      }
    v->has_right = zi_chart_series_group_y_range (right, shown, n, self->x_axis, v->x0, v->x1, FALSE,
                                                  &v->r0, &v->r1);
  }
  if (v->has_left)
    {
      if (self->log_scale)
        {
          if (v->l1 <= v->l0)
            v->l1 = v->l0 * 10;
          /* A little air above and below, in log space. */
          v->l0 /= 1.1;
          v->l1 *= 1.1;
        }
      else
        {
          double pad = (v->l1 - v->l0) * 0.05;
          if (pad == 0)
            pad = fabs (v->l0) * 0.1 + 1e-6;
          v->l0 = v->l0 >= 0 && v->l0 - pad < 0 ? 0 : v->l0 - pad;
          v->l1 += pad;
        }
    }
  if (v->has_right)
    {
      /* Validation metrics live in [0, 1]: show the part that matters, with round ends. */
      v->r0 = MAX (0, floor (v->r0 * 10) / 10);
      v->r1 = MIN (1, ceil (v->r1 * 10) / 10);
      if (v->r1 <= v->r0)
        v->r1 = v->r0 + 0.1;
    }
  return TRUE;
}

static double
view_px (const View *v, double x)
{
  return v->px + (x - v->x0) / (v->x1 - v->x0) * v->pw;
}

static double
view_unpx (const View *v, double px)
{
  return v->x0 + (px - v->px) / v->pw * (v->x1 - v->x0);
}

static char *
format_x (ZiChartAxis axis, double x)
{
  if (axis == ZI_CHART_AXIS_SECONDS)
    {
      int s = (int) round (x);
      if (s >= 3600)
        return g_strdup_printf ("%d:%02d:%02d", s / 3600, (s / 60) % 60, s % 60);
      return g_strdup_printf ("%d:%02d", s / 60, s % 60);
    }
  if (fabs (x) >= 1e6)
    return g_strdup_printf ("%.3gM", x / 1e6);
  if (fabs (x) >= 1e4)
    return g_strdup_printf ("%.4gk", x / 1e3);
  return g_strdup_printf ("%.6g", x);
}

static void
draw_text (cairo_t *cr, PangoLayout *layout, const char *text, double x, double y, double xalign,
           double yalign)
{
  int w, h;

  pango_layout_set_text (layout, text, -1);
  pango_layout_get_pixel_size (layout, &w, &h);
  cairo_move_to (cr, x - w * xalign, y - h * yalign);
  pango_cairo_show_layout (cr, layout);
}

static void
draw_line (ZiChart *self, cairo_t *cr, const View *v, Line *line, gboolean smoothed, double alpha,
           double width)
{
  gboolean log_scale = self->log_scale && line->y_axis == ZI_CHART_Y_LEFT;
  guint buckets = MAX (8, (guint) v->pw);
  double lo, hi;
  guint n;

  if (self->scratch_len < 2 * buckets + 2)
    {
      self->scratch_len = 2 * buckets + 2;
      self->scratch = g_renew (ZiChartPoint, self->scratch, self->scratch_len);
    }
  n = zi_chart_series_decimate (line->data, self->x_axis, v->x0, v->x1, buckets, smoothed, log_scale,
                                self->scratch);
  if (n == 0)
    return;

  if (line->y_axis == ZI_CHART_Y_LEFT)
    lo = v->l0, hi = v->l1;
  else if (line->y_axis == ZI_CHART_Y_RIGHT)
    lo = v->r0, hi = v->r1;
  else if (!zi_chart_series_get_y_range (line->data, self->x_axis, -INFINITY, INFINITY, FALSE, FALSE,
                                         &lo, &hi))
    return;
  else
    {
      /* Own scale: from zero to 10% above the maximum, so a constant rate is a flat line. */
      lo = 0;
      hi = hi > 0 ? hi * 1.1 : 1;
    }

  cairo_save (cr);
  cairo_rectangle (cr, v->px, v->py, v->pw, v->ph);
  cairo_clip (cr);
  cairo_set_source_rgba (cr, line->color.red, line->color.green, line->color.blue, alpha);
  cairo_set_line_width (cr, width);
  cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);
  for (guint i = 0; i < n; i++)
    {
      double x = view_px (v, self->scratch[i].x);
      double y = v->py + v->ph * (1 - zi_chart_scale (self->scratch[i].y, lo, hi, log_scale));
      if (i == 0)
        cairo_move_to (cr, x, y);
      else
        cairo_line_to (cr, x, y);
    }
  if (n == 1)
    {
      cairo_arc (cr, view_px (v, self->scratch[0].x),
                 v->py + v->ph * (1 - zi_chart_scale (self->scratch[0].y, lo, hi, log_scale)), 2, 0, 2 * G_PI);
      cairo_fill (cr);
    }
  else
    cairo_stroke (cr);
  cairo_restore (cr);
}

/* The hover readout's Pango markup at data x: the x value, then each visible series' value there. */
static char *
readout_markup (ZiChart *self, double x)
{
  GString *text = g_string_new (NULL);
  g_autofree char *xs = format_x (self->x_axis, x);
  static const char *axis_names[] = { N_("step"), N_("images"), N_("time") };

  g_string_append_printf (text, "<b>%s %s</b>", _(axis_names[self->x_axis]), xs);
  for (guint i = 0; i < self->lines->len; i++)
    {
      Line *line = g_ptr_array_index (self->lines, i);
      int k;
      double y;
      g_autofree char *label = NULL;

      if (!line->visible)
        continue;
      k = zi_chart_series_nearest (line->data, self->x_axis, x);
      if (k < 0)
        continue;
      y = self->smoothing > 0 ? zi_chart_series_get_smoothed (line->data, k)
                              : zi_chart_series_get_y (line->data, k);
      label = g_markup_escape_text (line->label, -1);
      g_string_append_printf (text, "\n<span foreground=\"%s\">●</span> %s  %.4g", line->color_spec,
                              label, y);
    }
  return g_string_free (text, FALSE);
}

static void
draw_readout (ZiChart *self, cairo_t *cr, const View *v, PangoLayout *layout, const GdkRGBA *fg,
              const GdkRGBA *bg)
{
  g_autofree char *markup = readout_markup (self, view_unpx (v, self->hover_x));
  int w, h;
  double bx, by;

  pango_layout_set_markup (layout, markup, -1);
  pango_layout_get_pixel_size (layout, &w, &h);
  bx = self->hover_x + 12;
  if (bx + w + 12 > v->px + v->pw)
    bx = self->hover_x - w - 20;
  by = v->py + 6;

  cairo_set_source_rgba (cr, fg->red, fg->green, fg->blue, 0.35);
  cairo_set_line_width (cr, 1);
  cairo_move_to (cr, round (self->hover_x) + 0.5, v->py);
  cairo_line_to (cr, round (self->hover_x) + 0.5, v->py + v->ph);
  cairo_stroke (cr);

  cairo_set_source_rgba (cr, bg->red, bg->green, bg->blue, 0.92);
  cairo_rectangle (cr, bx - 6, by - 4, w + 12, h + 8);
  cairo_fill_preserve (cr);
  cairo_set_source_rgba (cr, fg->red, fg->green, fg->blue, 0.2);
  cairo_stroke (cr);
  gdk_cairo_set_source_rgba (cr, fg);
  cairo_move_to (cr, bx, by);
  pango_cairo_show_layout (cr, layout);
  pango_layout_set_attributes (layout, NULL);
}

/* Draws the whole chart; shared by the widget and the exporters. */
void
_zi_chart_draw (ZiChart *self, cairo_t *cr, double width, double height, const GdkRGBA *fg,
            const GdkRGBA *bg, gboolean interactive)
{
  PangoLayout *layout = pango_cairo_create_layout (cr);
  PangoFontDescription *font = pango_font_description_from_string ("Sans 8");
  double ticks[MAX_TICKS + 2];
  guint n;
  View v;

  pango_layout_set_font_description (layout, font);
  pango_font_description_free (font);

  if (!compute_view (self, width, height, &v))
    {
      cairo_set_source_rgba (cr, fg->red, fg->green, fg->blue, 0.5);
      draw_text (cr, layout, _("No training data yet"), width / 2, height / 2, 0.5, 0.5);
      /* With every style hidden there is nothing to plot, but the legend must stay to bring them back. */
      _zi_chart_draw_legend (self, cr, layout, M_LEFT, M_TOP / 2, MAX (10, width - M_LEFT - M_RIGHT), fg, bg);
      g_object_unref (layout);
      return;
    }

  cairo_set_line_width (cr, 1);
  /* Vertical grid and x labels. */
  n = zi_chart_nice_ticks (v.x0, v.x1, MAX_TICKS, ticks);
  for (guint i = 0; i < n; i++)
    {
      double x = round (view_px (&v, ticks[i])) + 0.5;
      g_autofree char *label = format_x (self->x_axis, ticks[i]);
      cairo_set_source_rgba (cr, fg->red, fg->green, fg->blue, 0.08);
      cairo_move_to (cr, x, v.py);
      cairo_line_to (cr, x, v.py + v.ph);
      cairo_stroke (cr);
      cairo_set_source_rgba (cr, fg->red, fg->green, fg->blue, 0.6);
      draw_text (cr, layout, label, x, v.py + v.ph + 6, 0.5, 0);
    }
  /* Horizontal grid and left labels. */
  if (v.has_left)
    {
      n = self->log_scale ? zi_chart_log_ticks (v.l0, v.l1, MAX_TICKS, ticks)
                          : zi_chart_nice_ticks (v.l0, v.l1, MAX_TICKS, ticks);
      for (guint i = 0; i < n; i++)
        {
          double y = round (v.py + v.ph * (1 - zi_chart_scale (ticks[i], v.l0, v.l1, self->log_scale))) + 0.5;
          char label[32];
          zi_chart_format_tick (ticks[i], label, sizeof label);
          cairo_set_source_rgba (cr, fg->red, fg->green, fg->blue, 0.08);
          cairo_move_to (cr, v.px, y);
          cairo_line_to (cr, v.px + v.pw, y);
          cairo_stroke (cr);
          cairo_set_source_rgba (cr, fg->red, fg->green, fg->blue, 0.6);
          draw_text (cr, layout, label, v.px - 6, y, 1, 0.5);
        }
    }
  if (v.has_right)
    {
      n = zi_chart_nice_ticks (v.r0, v.r1, MAX_TICKS, ticks);
      for (guint i = 0; i < n; i++)
        {
          double y = v.py + v.ph * (1 - zi_chart_scale (ticks[i], v.r0, v.r1, FALSE));
          char label[32];
          g_snprintf (label, sizeof label, "%.2f", ticks[i]);
          cairo_set_source_rgba (cr, fg->red, fg->green, fg->blue, 0.6);
          draw_text (cr, layout, label, v.px + v.pw + 6, y, 0, 0.5);
        }
    }
  /* Plot frame. */
  cairo_set_source_rgba (cr, fg->red, fg->green, fg->blue, 0.2);
  cairo_rectangle (cr, v.px + 0.5, v.py + 0.5, v.pw - 1, v.ph - 1);
  cairo_stroke (cr);

  /* Raw curves faint behind the smoothed ones, as TensorBoard draws them. */
  for (guint i = 0; i < self->lines->len; i++)
    {
      Line *line = g_ptr_array_index (self->lines, i);
      if (!line->visible)
        continue;
      if (line->y_axis == ZI_CHART_Y_OWN)
        draw_line (self, cr, &v, line, FALSE, 0.7, 1.0);
      else if (self->smoothing > 0)
        draw_line (self, cr, &v, line, FALSE, 0.22, 1.0);
    }
  for (guint i = 0; i < self->lines->len; i++)
    {
      Line *line = g_ptr_array_index (self->lines, i);
      if (line->visible && line->y_axis != ZI_CHART_Y_OWN)
        draw_line (self, cr, &v, line, self->smoothing > 0, 1.0, 1.6);
    }

  _zi_chart_draw_legend (self, cr, layout, v.px, M_TOP / 2, v.pw, fg, bg);

  if (interactive && self->dragging)
    {
      double a = CLAMP (MIN (self->drag_start, self->drag_now), v.px, v.px + v.pw);
      double b = CLAMP (MAX (self->drag_start, self->drag_now), v.px, v.px + v.pw);
      cairo_set_source_rgba (cr, 0.21, 0.52, 0.89, 0.18);
      cairo_rectangle (cr, a, v.py, b - a, v.ph);
      cairo_fill (cr);
    }
  if (interactive && self->hovering && !self->dragging && self->hover_x >= v.px &&
      self->hover_x <= v.px + v.pw)
    draw_readout (self, cr, &v, layout, fg, bg);

  g_object_unref (layout);
}

static void
widget_colors (GtkWidget *widget, GdkRGBA *fg, GdkRGBA *bg)
{
  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  gtk_style_context_get_color (gtk_widget_get_style_context (widget), fg);
  G_GNUC_END_IGNORE_DEPRECATIONS
  /* The readout's box: the inverse luminance of the text colour, so it works in dark mode too. */
  if (fg->red + fg->green + fg->blue > 1.5)
    *bg = (GdkRGBA) { 0.14, 0.14, 0.14, 1 };
  else
    *bg = (GdkRGBA) { 1, 1, 1, 1 };
}

static void
zi_chart_snapshot (GtkWidget *widget, GtkSnapshot *snapshot)
{
  ZiChart *self = ZI_CHART (widget);
  int width = gtk_widget_get_width (widget), height = gtk_widget_get_height (widget);
  gint64 t0 = g_get_monotonic_time ();
  GdkRGBA fg, bg;
  cairo_t *cr;

  widget_colors (widget, &fg, &bg);
  cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, width, height));
  _zi_chart_draw (self, cr, width, height, &fg, &bg, TRUE);
  cairo_destroy (cr);
  self->last_draw_us = g_get_monotonic_time () - t0;
}

static void
zi_chart_measure (GtkWidget *widget, GtkOrientation orientation, int for_size, int *minimum,
                  int *natural, int *minimum_baseline, int *natural_baseline)
{
  *minimum = orientation == GTK_ORIENTATION_HORIZONTAL ? 240 : 160;
  *natural = orientation == GTK_ORIENTATION_HORIZONTAL ? 640 : 320;
}

/* ---- Interaction ------------------------------------------------------------------------------ */

static void
motion_cb (GtkEventControllerMotion *controller, double x, double y, ZiChart *self)
{
  self->hovering = TRUE;
  self->hover_x = x;
  self->hover_y = y;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
leave_cb (GtkEventControllerMotion *controller, ZiChart *self)
{
  self->hovering = FALSE;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
drag_begin_cb (GtkGestureDrag *gesture, double x, double y, ZiChart *self)
{
  self->dragging = TRUE;
  self->drag_start = self->drag_now = x;
}

static void
drag_update_cb (GtkGestureDrag *gesture, double dx, double dy, ZiChart *self)
{
  self->drag_now = self->drag_start + dx;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
drag_end_cb (GtkGestureDrag *gesture, double dx, double dy, ZiChart *self)
{
  View v;

  self->dragging = FALSE;
  /* A click is not a zoom: ask for a few pixels of drag. */
  if (fabs (dx) >= 4 &&
      compute_view (self, gtk_widget_get_width (GTK_WIDGET (self)), gtk_widget_get_height (GTK_WIDGET (self)), &v))
    {
      double a = view_unpx (&v, MIN (self->drag_start, self->drag_start + dx));
      double b = view_unpx (&v, MAX (self->drag_start, self->drag_start + dx));
      zi_chart_zoom (self, MAX (a, v.x0), MIN (b, v.x1));
    }
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
pressed_cb (GtkGestureClick *gesture, int n_press, double x, double y, ZiChart *self)
{
  if (n_press == 2)
    zi_chart_reset_zoom (self);
  else if (n_press == 1)
    zi_chart_toggle_legend_at (self, x, y);
}

static void
zi_chart_dispose (GObject *object)
{
  ZiChart *self = ZI_CHART (object);

  if (self->redraw_id != 0)
    {
      gtk_widget_remove_tick_callback (GTK_WIDGET (self), self->redraw_id);
      self->redraw_id = 0;
    }
  G_OBJECT_CLASS (zi_chart_parent_class)->dispose (object);
}

static void
zi_chart_finalize (GObject *object)
{
  ZiChart *self = ZI_CHART (object);

  g_ptr_array_unref (self->lines);
  g_free (self->scratch);
  g_free (self->legend_rects);
  g_free (self->legend_lines);
  G_OBJECT_CLASS (zi_chart_parent_class)->finalize (object);
}

static void
zi_chart_class_init (ZiChartClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = zi_chart_dispose;
  object_class->finalize = zi_chart_finalize;
  widget_class->snapshot = zi_chart_snapshot;
  widget_class->measure = zi_chart_measure;
  gtk_widget_class_set_css_name (widget_class, "chart");
}

static void
zi_chart_init (ZiChart *self)
{
  GtkEventController *motion = gtk_event_controller_motion_new ();
  GtkGesture *drag = gtk_gesture_drag_new ();
  GtkGesture *click = gtk_gesture_click_new ();

  self->lines = g_ptr_array_new_with_free_func ((GDestroyNotify) line_free);

  g_signal_connect (motion, "motion", G_CALLBACK (motion_cb), self);
  g_signal_connect (motion, "leave", G_CALLBACK (leave_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), motion);
  g_signal_connect (drag, "drag-begin", G_CALLBACK (drag_begin_cb), self);
  g_signal_connect (drag, "drag-update", G_CALLBACK (drag_update_cb), self);
  g_signal_connect (drag, "drag-end", G_CALLBACK (drag_end_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (drag));
  g_signal_connect (click, "pressed", G_CALLBACK (pressed_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (click));
}

/* ---- Public API ------------------------------------------------------------------------------- */

GtkWidget *
zi_chart_new (void)
{
  return g_object_new (ZI_TYPE_CHART, NULL);
}

guint
zi_chart_add_series (ZiChart *self, const char *id, const char *label, const char *color,
                     ZiChartYAxis y_axis)
{
  Line *line;

  g_return_val_if_fail (ZI_IS_CHART (self), 0);
  g_return_val_if_fail (id != NULL && label != NULL && color != NULL, 0);

  line = g_new0 (Line, 1);
  line->id = g_strdup (id);
  line->label = g_strdup (label);
  line->color_spec = g_strdup (color);
  if (!gdk_rgba_parse (&line->color, color))
    line->color = (GdkRGBA) { 0.5, 0.5, 0.5, 1 };
  line->y_axis = y_axis;
  line->visible = TRUE;
  line->data = zi_chart_series_new ();
  zi_chart_series_set_smoothing (line->data, self->smoothing);
  g_ptr_array_add (self->lines, line);
  queue_redraw (self);
  return self->lines->len - 1;
}

int
zi_chart_find_series (ZiChart *self, const char *id)
{
  g_return_val_if_fail (ZI_IS_CHART (self), -1);
  for (guint i = 0; i < self->lines->len; i++)
    if (g_str_equal (((Line *) g_ptr_array_index (self->lines, i))->id, id))
      return i;
  return -1;
}

ZiChartSeries *
zi_chart_get_series (ZiChart *self, guint index)
{
  g_return_val_if_fail (ZI_IS_CHART (self), NULL);
  g_return_val_if_fail (index < self->lines->len, NULL);
  return ((Line *) g_ptr_array_index (self->lines, index))->data;
}

void
zi_chart_append (ZiChart *self, const char *id, double step, double images, double seconds, double y)
{
  int i;

  g_return_if_fail (ZI_IS_CHART (self));

  i = zi_chart_find_series (self, id);
  if (i < 0)
    return;
  zi_chart_series_append (((Line *) g_ptr_array_index (self->lines, i))->data, step, images, seconds, y);
  queue_redraw (self);
}

void
zi_chart_clear (ZiChart *self)
{
  g_return_if_fail (ZI_IS_CHART (self));
  for (guint i = 0; i < self->lines->len; i++)
    zi_chart_series_clear (((Line *) g_ptr_array_index (self->lines, i))->data);
  self->zoomed = FALSE;
  queue_redraw (self);
}

void
zi_chart_set_series_visible (ZiChart *self, guint index, gboolean visible)
{
  g_return_if_fail (ZI_IS_CHART (self));
  g_return_if_fail (index < self->lines->len);
  ((Line *) g_ptr_array_index (self->lines, index))->visible = visible;
  queue_redraw (self);
}

gboolean
zi_chart_get_series_visible (ZiChart *self, guint index)
{
  g_return_val_if_fail (ZI_IS_CHART (self), FALSE);
  g_return_val_if_fail (index < self->lines->len, FALSE);
  return ((Line *) g_ptr_array_index (self->lines, index))->visible;
}

guint
zi_chart_get_n_series (ZiChart *self)
{
  g_return_val_if_fail (ZI_IS_CHART (self), 0);
  return self->lines->len;
}

void
zi_chart_remove_series_from (ZiChart *self, guint first)
{
  g_return_if_fail (ZI_IS_CHART (self));
  if (first < self->lines->len)
    g_ptr_array_remove_range (self->lines, first, self->lines->len - first);
  /* The legend's rectangles name lines by index: none is clickable until the next draw. */
  self->n_legend = 0;
  queue_redraw (self);
}

void
zi_chart_set_smoothing (ZiChart *self, double weight)
{
  g_return_if_fail (ZI_IS_CHART (self));
  g_return_if_fail (weight >= 0 && weight < 1);

  self->smoothing = weight;
  for (guint i = 0; i < self->lines->len; i++)
    zi_chart_series_set_smoothing (((Line *) g_ptr_array_index (self->lines, i))->data, weight);
  queue_redraw (self);
}

void
zi_chart_set_log_scale (ZiChart *self, gboolean log_scale)
{
  g_return_if_fail (ZI_IS_CHART (self));
  self->log_scale = !!log_scale;
  queue_redraw (self);
}

void
zi_chart_set_x_axis (ZiChart *self, ZiChartAxis axis)
{
  g_return_if_fail (ZI_IS_CHART (self));
  g_return_if_fail (axis < ZI_CHART_N_AXES);
  self->x_axis = axis;
  /* A zoom window in steps means nothing in seconds. */
  self->zoomed = FALSE;
  queue_redraw (self);
}

void
zi_chart_zoom (ZiChart *self, double x0, double x1)
{
  g_return_if_fail (ZI_IS_CHART (self));
  if (!(x1 > x0))
    return;
  self->zoomed = TRUE;
  self->zoom_x0 = x0;
  self->zoom_x1 = x1;
  queue_redraw (self);
}

void
zi_chart_reset_zoom (ZiChart *self)
{
  g_return_if_fail (ZI_IS_CHART (self));
  self->zoomed = FALSE;
  queue_redraw (self);
}

gboolean
zi_chart_is_zoomed (ZiChart *self)
{
  g_return_val_if_fail (ZI_IS_CHART (self), FALSE);
  return self->zoomed;
}

gint64
zi_chart_get_last_draw_time (ZiChart *self)
{
  g_return_val_if_fail (ZI_IS_CHART (self), 0);
  return self->last_draw_us;
}

double
zi_chart_get_smoothing (ZiChart *self)
{
  g_return_val_if_fail (ZI_IS_CHART (self), 0);
  return self->smoothing;
}

gboolean
zi_chart_get_x_range (ZiChart *self, double *x0, double *x1)
{
  View v;

  g_return_val_if_fail (ZI_IS_CHART (self), FALSE);
  if (!compute_view (self, gtk_widget_get_width (GTK_WIDGET (self)), gtk_widget_get_height (GTK_WIDGET (self)), &v))
    return FALSE;
  if (x0 != NULL)
    *x0 = v.x0;
  if (x1 != NULL)
    *x1 = v.x1;
  return TRUE;
}

char *
zi_chart_get_readout (ZiChart *self)
{
  View v;
  g_autofree char *markup = NULL;
  char *text = NULL;

  g_return_val_if_fail (ZI_IS_CHART (self), NULL);
  /* The same condition as the drawing: hovering the plot area, not dragging. */
  if (!self->hovering || self->dragging ||
      !compute_view (self, gtk_widget_get_width (GTK_WIDGET (self)), gtk_widget_get_height (GTK_WIDGET (self)), &v) ||
      self->hover_x < v.px || self->hover_x > v.px + v.pw)
    return NULL;
  markup = readout_markup (self, view_unpx (&v, self->hover_x));
  if (!pango_parse_markup (markup, -1, 0, NULL, &text, NULL, NULL))
    return NULL;
  return text;
}
