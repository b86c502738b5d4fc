/* zi-training-panel-views.c — what the training panel shows: the status line, the health banner,
 * the chart's toggles and controls (smoothing, log scale, x axis, export), the validation preview
 * strip, and the checkpoint list with its selection for comparison. */
#include <inttypes.h>
#include "config.h"
#include "zi-training-panel-private.h"

#include "zi-error.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>

static const struct {
  const char   *id;
  const char   *label;
  const char   *color;
  ZiChartYAxis  axis;
  gboolean      visible;
} chart_lines[] = {
  { "d_loss",   N_("D loss"),          "#e01b24", ZI_CHART_Y_LEFT,  TRUE },
  { "g_loss",   N_("G loss"),          "#1c71d8", ZI_CHART_Y_LEFT,  TRUE },
  { "g_adv",    N_("Adversarial"),     "#e66100", ZI_CHART_Y_LEFT,  TRUE },
  { "l1",       N_("L1"),              "#26a269", ZI_CHART_Y_LEFT,  TRUE },
  { "val_ssim", N_("Validation SSIM"), "#9141ac", ZI_CHART_Y_RIGHT, TRUE },
  { "val_l1",   N_("Validation L1"),   "#986a44", ZI_CHART_Y_RIGHT, TRUE },
  { "lr",       N_("Learning rate"),   "#77767b", ZI_CHART_Y_OWN,   TRUE },
};

void
_zi_training_panel_checkpoint_free (Checkpoint *cp)
{
  g_free (cp->path);
  g_free (cp);
}

/* ---- Status ----------------------------------------------------------------------------------- */

static GtkLabel *
add_stat (ZiTrainingPanel *self, const char *caption)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *value = gtk_label_new ("—");
  GtkWidget *label = gtk_label_new (caption);

  gtk_label_set_xalign (GTK_LABEL (value), 0);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_widget_add_css_class (value, "numeric");
  gtk_widget_add_css_class (value, "stat-value");
  gtk_widget_add_css_class (label, "dim-label");
  gtk_widget_add_css_class (label, "caption");
  gtk_box_append (GTK_BOX (box), value);
  gtk_box_append (GTK_BOX (box), label);
  gtk_box_append (self->status_box, box);
  return GTK_LABEL (value);
}

static char *
format_duration (double seconds)
{
  int s = (int) MAX (0, round (seconds));

  if (s >= 3600)
    return g_strdup_printf ("%d:%02d:%02d", s / 3600, (s / 60) % 60, s % 60);
  return g_strdup_printf ("%d:%02d", s / 60, s % 60);
}

const char *
_zi_training_panel_state_text (ZiTrainerState state)
{
  switch (state)
    {
    case ZI_TRAINER_STATE_IDLE:     return _("Ready");
    case ZI_TRAINER_STATE_LOADING:  return _("Preparing…");
    case ZI_TRAINER_STATE_RUNNING:  return _("Training");
    case ZI_TRAINER_STATE_PAUSED:   return _("Paused");
    case ZI_TRAINER_STATE_STOPPING: return _("Stopping…");
    case ZI_TRAINER_STATE_FINISHED: return _("Finished");
    case ZI_TRAINER_STATE_FAILED:   return _("Failed");
    default:                        return "";
    }
}

void
_zi_training_panel_show_stats (ZiTrainingPanel *self, const ZiTrainerStepStats *s)
{
  g_autofree char *step = g_strdup_printf ("%'" PRIu64, s->step);
  g_autofree char *epoch = self->n_train > 0 ? g_strdup_printf ("%.2f", (double) s->images / self->n_train)
                                             : g_strdup ("—");
  g_autofree char *speed = g_strdup_printf ("%.1f", s->images_per_second);
  g_autofree char *elapsed = format_duration (s->seconds);
  g_autofree char *eta = s->eta_seconds >= 0 ? format_duration (s->eta_seconds) : g_strdup ("—");

  gtk_label_set_label (self->step_value, step);
  gtk_label_set_label (self->epoch_value, epoch);
  gtk_label_set_label (self->speed_value, speed);
  gtk_label_set_label (self->elapsed_value, elapsed);
  gtk_label_set_label (self->eta_value, eta);
  /* The bar shows how far the run is towards its bound, in steps or in minutes (the ETA says which
   * comes first). A run without a bound has no progress to show, so the bar goes away: pulsing it
   * started GtkProgressBar's activity animation, which repaints on every frame for as long as
   * training runs (bench-frames, 30 s of training with GL on llvmpipe under Xvfb: 436-463 of about
   * 750 frames late, median interval 50 ms; without it 20-23 of about 1,740, median 16.7 ms). */
  gtk_widget_set_visible (GTK_WIDGET (self->progress_bar), s->total_steps > 0 || s->eta_seconds >= 0);
  if (s->total_steps > 0)
    gtk_progress_bar_set_fraction (self->progress_bar, MIN (1.0, (double) s->step / s->total_steps));
  else if (s->eta_seconds >= 0 && s->seconds + s->eta_seconds > 0)
    gtk_progress_bar_set_fraction (self->progress_bar, s->seconds / (s->seconds + s->eta_seconds));
}

void
_zi_training_panel_show_warning (ZiTrainingPanel *self, const char *message)
{
  gtk_label_set_label (self->warning_label, message);
  gtk_revealer_set_reveal_child (self->warning_revealer, TRUE);
}

static void
dismiss_warning_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  gtk_revealer_set_reveal_child (ZI_TRAINING_PANEL (widget)->warning_revealer, FALSE);
}

/* ---- Checkpoints ------------------------------------------------------------------------------ */

void
_zi_training_panel_rebuild_paths (ZiTrainingPanel *self)
{
  g_strfreev (self->checkpoint_paths);
  self->checkpoint_paths = g_new0 (char *, self->checkpoints->len + 1);
  for (guint i = 0; i < self->checkpoints->len; i++)
    self->checkpoint_paths[i] = g_strdup (((Checkpoint *) g_ptr_array_index (self->checkpoints, i))->path);
}

static guint
count_selected (ZiTrainingPanel *self)
{
  guint n = 0;
  for (guint i = 0; i < self->checkpoints->len; i++)
    n += ((Checkpoint *) g_ptr_array_index (self->checkpoints, i))->selected;
  return n;
}

static void
checkpoint_toggled_cb (GtkCheckButton *check, ZiTrainingPanel *self)
{
  Checkpoint *cp = g_object_get_data (G_OBJECT (check), "checkpoint");
  gboolean active = gtk_check_button_get_active (check);

  /* Up to three side by side: more columns would not fit a cell. */
  if (active && !cp->selected && count_selected (self) >= 3)
    {
      gtk_check_button_set_active (check, FALSE);
      return;
    }
  cp->selected = active;
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "panel.compare", count_selected (self) >= 1);
}

void
_zi_training_panel_rebuild_checkpoint_list (ZiTrainingPanel *self)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->checkpoint_list))) != NULL)
    gtk_list_box_remove (self->checkpoint_list, child);

  /* Newest first: that is the one people look for. */
  for (guint k = self->checkpoints->len; k > 0; k--)
    {
      Checkpoint *cp = g_ptr_array_index (self->checkpoints, k - 1);
      GtkWidget *row = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
      GtkWidget *check = gtk_check_button_new ();
      g_autofree char *step = g_strdup_printf (_("Step %'" PRIu64), cp->step);
      g_autofree char *time = NULL;
      g_autofree char *scores = cp->has_val ? g_strdup_printf (_("SSIM %.3f · L1 %.3f"), cp->val_ssim, cp->val_l1)
                                            : g_strdup (_("not validated"));
      GtkWidget *label;

      if (cp->mtime > 0)
        {
          g_autoptr(GDateTime) dt = g_date_time_new_from_unix_local (cp->mtime);
          time = g_date_time_format (dt, "%H:%M");
        }
      gtk_widget_set_margin_start (row, 6);
      gtk_widget_set_margin_end (row, 12);
      gtk_widget_set_margin_top (row, 2);
      gtk_widget_set_margin_bottom (row, 2);
      gtk_check_button_set_active (GTK_CHECK_BUTTON (check), cp->selected);
      g_object_set_data (G_OBJECT (check), "checkpoint", cp);
      g_signal_connect (check, "toggled", G_CALLBACK (checkpoint_toggled_cb), self);
      gtk_box_append (GTK_BOX (row), check);

      label = gtk_label_new (step);
      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_label_set_width_chars (GTK_LABEL (label), 12);
      gtk_widget_add_css_class (label, "numeric");
      gtk_box_append (GTK_BOX (row), label);

      label = gtk_label_new (time != NULL ? time : "");
      gtk_widget_add_css_class (label, "dim-label");
      gtk_widget_add_css_class (label, "numeric");
      gtk_box_append (GTK_BOX (row), label);

      label = gtk_label_new (scores);
      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_widget_set_hexpand (label, TRUE);
      gtk_widget_add_css_class (label, "numeric");
      gtk_box_append (GTK_BOX (row), label);

      if (cp->best)
        {
          GtkWidget *star = gtk_image_new_from_icon_name ("starred-symbolic");
          gtk_widget_set_tooltip_text (star, _("Best validation SSIM of the run"));
          gtk_widget_add_css_class (star, "best-mark");
          gtk_box_append (GTK_BOX (row), star);
        }
      gtk_widget_set_tooltip_text (row, cp->path);
      gtk_list_box_append (self->checkpoint_list, row);
    }
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "panel.compare", count_selected (self) >= 1);
}

void
_zi_training_panel_add_checkpoint (ZiTrainingPanel *self, const char *path, guint64 step, gboolean has_val, double l1,
                double ssim, gboolean best)
{
  Checkpoint *cp = g_new0 (Checkpoint, 1);
  GStatBuf st;

  cp->path = g_strdup (path);
  cp->step = step;
  cp->has_val = has_val;
  cp->val_l1 = l1;
  cp->val_ssim = ssim;
  cp->best = best;
  if (g_stat (path, &st) == 0)
    cp->mtime = st.st_mtime;
  if (best)
    for (guint i = 0; i < self->checkpoints->len; i++)
      ((Checkpoint *) g_ptr_array_index (self->checkpoints, i))->best = FALSE;
  /* The trainer prunes old checkpoints: forget the files that are gone. */
  for (guint i = self->checkpoints->len; i > 0; i--)
    {
      Checkpoint *old = g_ptr_array_index (self->checkpoints, i - 1);
      if (g_str_equal (old->path, path) || !g_file_test (old->path, G_FILE_TEST_EXISTS))
        g_ptr_array_remove_index (self->checkpoints, i - 1);
    }
  g_ptr_array_add (self->checkpoints, cp);
  _zi_training_panel_rebuild_paths (self);
  _zi_training_panel_rebuild_checkpoint_list (self);
  g_signal_emit_by_name (self, "checkpoints-changed");
}

const char * const *
zi_training_panel_get_checkpoints (ZiTrainingPanel *self)
{
  g_return_val_if_fail (ZI_IS_TRAINING_PANEL (self), NULL);
  return (const char * const *) self->checkpoint_paths;
}

const char *
zi_training_panel_get_default_checkpoint (ZiTrainingPanel *self)
{
  g_return_val_if_fail (ZI_IS_TRAINING_PANEL (self), NULL);

  if (self->checkpoints->len == 0)
    return NULL;
  /* While training, the newest shows progress; afterwards the best is what one keeps. */
  if (self->trainer == NULL)
    for (guint i = 0; i < self->checkpoints->len; i++)
      {
        Checkpoint *cp = g_ptr_array_index (self->checkpoints, i);
        if (cp->best)
          return cp->path;
      }
  return ((Checkpoint *) g_ptr_array_index (self->checkpoints, self->checkpoints->len - 1))->path;
}

void
zi_training_panel_select_checkpoints (ZiTrainingPanel *self, const guint *indices, guint n)
{
  g_return_if_fail (ZI_IS_TRAINING_PANEL (self));

  for (guint i = 0; i < self->checkpoints->len; i++)
    ((Checkpoint *) g_ptr_array_index (self->checkpoints, i))->selected = FALSE;
  for (guint k = 0; k < MIN (n, 3); k++)
    if (indices[k] < self->checkpoints->len)
      ((Checkpoint *) g_ptr_array_index (self->checkpoints, indices[k]))->selected = TRUE;
  _zi_training_panel_rebuild_checkpoint_list (self);
}

char **
zi_training_panel_get_selected_checkpoints (ZiTrainingPanel *self)
{
  GPtrArray *out = g_ptr_array_new ();

  g_return_val_if_fail (ZI_IS_TRAINING_PANEL (self), NULL);
  for (guint i = 0; i < self->checkpoints->len; i++)
    {
      Checkpoint *cp = g_ptr_array_index (self->checkpoints, i);
      if (cp->selected)
        g_ptr_array_add (out, g_strdup (cp->path));
    }
  g_ptr_array_add (out, NULL);
  return (char **) g_ptr_array_free (out, FALSE);
}

static void
compare_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  g_signal_emit_by_name (widget, "compare-requested");
}

/* ---- Preview strip ---------------------------------------------------------------------------- */

static void
paint_bitmap (cairo_t *cr, const guint8 *cov, guint size, double x, double y, double d, const GdkRGBA *ink)
{
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_A8, size, size);
  int stride = cairo_image_surface_get_stride (surface);
  guint8 *data = cairo_image_surface_get_data (surface);
  cairo_pattern_t *mask;

  cairo_surface_flush (surface);
  for (guint r = 0; r < size; r++)
    memcpy (data + r * stride, cov + r * size, size);
  cairo_surface_mark_dirty (surface);

  cairo_save (cr);
  cairo_translate (cr, x, y);
  cairo_scale (cr, d / size, d / size);
  gdk_cairo_set_source_rgba (cr, ink);
  mask = cairo_pattern_create_for_surface (surface);
  cairo_pattern_set_filter (mask, CAIRO_FILTER_GOOD);
  cairo_mask (cr, mask);
  cairo_pattern_destroy (mask);
  cairo_restore (cr);
  cairo_surface_destroy (surface);
}

static void
draw_preview_cb (GtkDrawingArea *area, cairo_t *cr, int width, int height, gpointer user_data)
{
  ZiTrainingPanel *self = user_data;
  const ZiTrainerPreview *p;
  GdkRGBA fg, accent = { 0.11, 0.44, 0.85, 1 }, dim;
  double d, x0;
  PangoLayout *layout;
  static const char *rows[] = { N_("Source"), N_("Generated"), N_("Target") };
  int label_w = 0;

  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  gtk_style_context_get_color (gtk_widget_get_style_context (GTK_WIDGET (area)), &fg);
  G_GNUC_END_IGNORE_DEPRECATIONS
  dim = fg;
  dim.alpha *= 0.6;

  layout = gtk_widget_create_pango_layout (GTK_WIDGET (area), NULL);
  for (guint r = 0; r < 3; r++)
    {
      int w;
      pango_layout_set_text (layout, _(rows[r]), -1);
      pango_layout_get_pixel_size (layout, &w, NULL);
      label_w = MAX (label_w, w);
    }
  label_w += 12;

  if (self->preview_event == NULL || self->preview_event->preview.n == 0)
    {
      pango_layout_set_text (layout, _("Generated glyphs appear here after the first validation."), -1);
      cairo_set_source_rgba (cr, fg.red, fg.green, fg.blue, 0.5);
      cairo_move_to (cr, 0, height / 2.0 - 8);
      pango_cairo_show_layout (cr, layout);
      g_object_unref (layout);
      return;
    }

  p = &self->preview_event->preview;
  d = MIN (height / 3.0, (width - label_w) / (double) p->n);
  x0 = label_w;
  for (guint r = 0; r < 3; r++)
    {
      const guint8 *images = r == 0 ? p->source : r == 1 ? p->generated : p->target;
      int h;

      pango_layout_set_text (layout, _(rows[r]), -1);
      pango_layout_get_pixel_size (layout, NULL, &h);
      cairo_set_source_rgba (cr, fg.red, fg.green, fg.blue, 0.55);
      cairo_move_to (cr, 0, r * d + (d - h) / 2);
      pango_cairo_show_layout (cr, layout);

      for (guint i = 0; i < p->n; i++)
        {
          cairo_set_source_rgba (cr, fg.red, fg.green, fg.blue, 0.04);
          cairo_rectangle (cr, x0 + i * d + 1, r * d + 1, d - 2, d - 2);
          cairo_fill (cr);
          if (images != NULL)
            paint_bitmap (cr, images + (gsize) i * p->size * p->size, p->size, x0 + i * d, r * d, d,
                          r == 1 ? &accent : r == 0 ? &dim : &fg);
        }
    }
  g_object_unref (layout);
}

/* ---- Chart controls --------------------------------------------------------------------------- */

void
_zi_training_panel_append_style_ssim (ZiTrainingPanel *self, guint index, guint n, const char *name,
                                      guint64 step, double images, double seconds, double ssim)
{
  g_autofree char *id = zi_chart_style_series_id ("val_ssim", name);

  if (zi_chart_find_series (self->chart, id) < 0)
    {
      /* TRANSLATORS: the validation SSIM of one target style in the chart's legend, e.g. "SSIM Bold" */
      g_autofree char *label = g_strdup_printf (_("SSIM %s"), name);
      guint line = zi_chart_add_series (self->chart, id, label, zi_chart_style_color (index, n),
                                         ZI_CHART_Y_RIGHT);
      zi_chart_set_series_legend (self->chart, line, TRUE);
    }
  zi_chart_append (self->chart, id, step, images, seconds, ssim);
}

void
_zi_training_panel_clear_style_lines (ZiTrainingPanel *self)
{
  /* The style lines come after the panel's own, which the toggles stand for. */
  zi_chart_remove_series_from (self->chart, G_N_ELEMENTS (chart_lines));
}

static void
series_toggled_cb (GtkToggleButton *button, ZiTrainingPanel *self)
{
  guint index = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (button), "series"));
  zi_chart_set_series_visible (self->chart, index, gtk_toggle_button_get_active (button));
}

static void
smoothing_changed_cb (ZiTrainingPanel *self, GtkAdjustment *adjustment)
{
  zi_chart_set_smoothing (self->chart, MIN (0.99, MAX (0, gtk_adjustment_get_value (adjustment))));
}

static void
log_toggled_cb (ZiTrainingPanel *self, GtkToggleButton *button)
{
  zi_chart_set_log_scale (self->chart, gtk_toggle_button_get_active (button));
}

static void
x_axis_changed_cb (ZiTrainingPanel *self, GParamSpec *pspec, GtkDropDown *dropdown)
{
  guint i = gtk_drop_down_get_selected (dropdown);
  if (i < ZI_CHART_N_AXES)
    zi_chart_set_x_axis (self->chart, i);
}

static void
export_chart_response_cb (ZiTrainingPanel *self, int response, GtkFileChooserNative *chooser)
{
  const char *format = g_object_get_data (G_OBJECT (chooser), "format");

  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
      g_autofree char *path = g_file_get_path (file);
      g_autoptr(GError) error = NULL;
      gboolean ok = FALSE;

      if (path == NULL)
        g_set_error (&error, ZI_ERROR, ZI_ERROR_IO, _("Charts can only be saved to local files."));
      else if (g_str_equal (format, "png"))
        ok = zi_chart_export_png (self->chart, path, 1600, 900, &error);
      else if (g_str_equal (format, "svg"))
        ok = zi_chart_export_svg (self->chart, path, 1600, 900, &error);
      else
        ok = zi_chart_export_csv (self->chart, path, &error);
      if (!ok)
        g_signal_emit_by_name (self, "failed", error->message);
    }
  g_object_unref (chooser);
}

static void
export_chart_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  const char *format = g_variant_get_string (parameter, NULL);
  GtkRoot *root = gtk_widget_get_root (widget);
  g_autofree char *name = g_strdup_printf ("%s.%s", g_str_equal (format, "csv") ? "metrics" : "chart", format);
  GtkFileChooserNative *chooser =
    gtk_file_chooser_native_new (_("Export the Chart"), GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                 GTK_FILE_CHOOSER_ACTION_SAVE, _("_Save"), _("_Cancel"));

  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), name);
  g_object_set_data_full (G_OBJECT (chooser), "format", g_strdup (format), g_free);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  g_signal_connect_swapped (chooser, "response", G_CALLBACK (export_chart_response_cb), widget);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

void
_zi_training_panel_views_class_init (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "panel.dismiss-warning", NULL, dismiss_warning_action);
  gtk_widget_class_install_action (widget_class, "panel.compare", NULL, compare_action);
  gtk_widget_class_install_action (widget_class, "panel.export-chart", "s", export_chart_action);
}

void
_zi_training_panel_views_init (ZiTrainingPanel *self)
{
  self->step_value = add_stat (self, _("step"));
  self->epoch_value = add_stat (self, _("epoch"));
  self->speed_value = add_stat (self, _("images/s"));
  self->elapsed_value = add_stat (self, _("elapsed"));
  self->eta_value = add_stat (self, _("remaining"));

  for (guint i = 0; i < G_N_ELEMENTS (chart_lines); i++)
    {
      g_autofree char *markup = g_strdup_printf ("<span foreground=\"%s\">●</span> %s", chart_lines[i].color,
                                                 _(chart_lines[i].label));
      GtkWidget *button = gtk_toggle_button_new ();
      GtkWidget *label = gtk_label_new (NULL);
      guint index = zi_chart_add_series (self->chart, chart_lines[i].id, _(chart_lines[i].label),
                                         chart_lines[i].color, chart_lines[i].axis);

      gtk_label_set_markup (GTK_LABEL (label), markup);
      gtk_button_set_child (GTK_BUTTON (button), label);
      gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (button), chart_lines[i].visible);
      gtk_widget_add_css_class (button, "flat");
      gtk_widget_add_css_class (button, "series-toggle");
      g_object_set_data (G_OBJECT (button), "series", GUINT_TO_POINTER (index));
      g_signal_connect (button, "toggled", G_CALLBACK (series_toggled_cb), self);
      gtk_flow_box_append (self->toggles_box, button);
    }
  zi_chart_set_smoothing (self->chart, gtk_adjustment_get_value (self->smoothing_adjustment));
  /* G loss carries the ×100 L1 term: on a linear axis it flattens the other curves. */
  gtk_toggle_button_set_active (self->log_toggle, TRUE);
  zi_chart_set_log_scale (self->chart, TRUE);

  g_signal_connect_swapped (self->smoothing_adjustment, "value-changed", G_CALLBACK (smoothing_changed_cb), self);
  g_signal_connect_swapped (self->log_toggle, "toggled", G_CALLBACK (log_toggled_cb), self);
  g_signal_connect_swapped (self->x_dropdown, "notify::selected", G_CALLBACK (x_axis_changed_cb), self);

  gtk_drawing_area_set_draw_func (self->preview, draw_preview_cb, self, NULL);
}
