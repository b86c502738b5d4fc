/* zi-export-dialog.c — the export dialog over zi-export's asynchronous job. The preview glyph is
 * generated on a worker thread; re-tracing it when the preset changes is a few milliseconds of
 * potrace on a small bitmap, so that happens on the main thread. */
#include <inttypes.h>
#include "config.h"
#include "zi-export-dialog.h"

#include "zi-char-list.h"
#include "zi-error.h"
#include "zi-export.h"
#include "zi-font.h"
#include "zi-model.h"
#include "zi-picks.h"
#include "zi-render.h"
#include "zi-trace.h"

#include <glib/gi18n.h>

/* The glyph shown before and after tracing: 永 has every basic stroke (the "eight principles"). */
#define PREVIEW_CHAR 0x6C38

struct _ZiExportDialog
{
  GtkWindow       parent_instance;

  GtkWidget      *export_button;
  GtkWidget      *cancel_button;
  GtkWidget      *form;
  GtkCheckButton *png_check;
  GtkCheckButton *svg_check;
  GtkCheckButton *ufo_check;
  GtkDropDown    *charset_dropdown;
  GtkLabel       *folder_label;
  GtkEntry       *name_entry;
  GtkDropDown    *preset_dropdown;
  GtkSpinButton  *threshold_spin;
  GtkDrawingArea *trace_preview;
  GtkLabel       *trace_label;
  GtkWidget      *progress_box;
  GtkProgressBar *progress_bar;
  GtkLabel       *result_label;
  GtkWidget      *show_button;

  char           *checkpoint;
  guint           style;        /* the model's style that export draws */
  char           *run_dir;
  char           *source_font;
  char           *target_font;
  GArray         *sets[4];      /* missing, shown, selected, all */
  char           *parent_dir;
  char           *out_dir;

  GCancellable   *cancellable;  /* the running export, or the preview job */
  GCancellable   *preview_cancellable;
  gboolean        running;
  gboolean        done;
  gboolean        ok;
  guint64         total;

  /* The preview glyph and its tracing. */
  guint8         *preview;      /* coverage, size × size */
  guint           preview_size;
  ZiPlacement     placement;
  ZiOutline      *outline;
};

G_DEFINE_FINAL_TYPE (ZiExportDialog, zi_export_dialog, GTK_TYPE_WINDOW)

/* ---- Trace preview ---------------------------------------------------------------------------- */

typedef struct {
  char        *checkpoint;
  guint        style;
  char        *source_font;
  char        *target_font;
  guint8      *coverage;
  guint        size;
  ZiPlacement  placement;
} PreviewJob;

static void
preview_job_free (PreviewJob *job)
{
  g_free (job->checkpoint);
  g_free (job->source_font);
  g_free (job->target_font);
  g_free (job->coverage);
  g_free (job);
}

static void
preview_thread (GTask *task, gpointer source_object, gpointer task_data, GCancellable *cancellable)
{
  PreviewJob *job = task_data;
  g_autoptr(ZiModel) model = NULL;
  ZiFont *source = NULL, *target = NULL;
  ZiPlacement sp;
  g_autofree guint8 *src = NULL;
  GError *error = NULL;

  model = zi_model_load (job->checkpoint, &error);
  if (model != NULL)
    zi_model_set_style (model, job->style);
  if (model == NULL || (source = zi_font_open (job->source_font, &error)) == NULL ||
      (target = zi_font_open (job->target_font, &error)) == NULL)
    goto out;
  job->size = zi_model_get_size (model);
  if (!zi_placement_init (&sp, source, job->size, zi_model_get_em_fraction (model), &error) ||
      !zi_placement_init (&job->placement, target, job->size, zi_model_get_em_fraction (model), &error))
    goto out;
  src = g_malloc0 (job->size * job->size);
  job->coverage = g_malloc0 (job->size * job->size);
  zi_render_char (source, &sp, PREVIEW_CHAR, src, NULL);
  zi_model_generate (model, src, 1, job->coverage, NULL, NULL, cancellable, &error);

out:
  g_clear_pointer (&source, zi_font_free);
  g_clear_pointer (&target, zi_font_free);
  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static void
get_trace_params (ZiExportDialog *self, ZiTraceParams *params)
{
  zi_trace_params_init (params, gtk_drop_down_get_selected (self->preset_dropdown) == 1
                                  ? ZI_TRACE_PRESET_SQUARE : ZI_TRACE_PRESET_ROUND);
  params->threshold = (guint8) gtk_spin_button_get_value_as_int (self->threshold_spin);
}

static void
retrace (ZiExportDialog *self)
{
  ZiTraceParams params;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;

  if (self->preview == NULL)
    return;
  g_clear_pointer (&self->outline, zi_outline_free);
  get_trace_params (self, &params);
  self->outline = zi_trace_bitmap (self->preview, self->preview_size, &self->placement, &params, &error);
  if (self->outline == NULL)
    text = g_strdup (error->message);
  else
    text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Bitmap → outline: %u contour",
                                         "Bitmap → outline: %u contours", self->outline->n_contours),
                            self->outline->n_contours);
  gtk_label_set_label (self->trace_label, text);
  gtk_widget_queue_draw (GTK_WIDGET (self->trace_preview));
}

static void
preview_done_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  ZiExportDialog *self = ZI_EXPORT_DIALOG (object);
  g_autoptr(GError) error = NULL;
  PreviewJob *job = g_task_get_task_data (G_TASK (result));

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        gtk_label_set_label (self->trace_label, error->message);
      return;
    }
  self->preview = g_steal_pointer (&job->coverage);
  self->preview_size = job->size;
  self->placement = job->placement;
  retrace (self);
}

static void
params_changed_cb (ZiExportDialog *self)
{
  retrace (self);
}

static void
draw_trace_cb (GtkDrawingArea *area, cairo_t *cr, int width, int height, gpointer user_data)
{
  ZiExportDialog *self = user_data;
  double d = MIN (height, (width - 24) / 2.0);
  double x0 = (width - 2 * d - 24) / 2, x1 = x0 + d + 24;
  GdkRGBA fg;

  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  gtk_style_context_get_color (gtk_widget_get_style_context (GTK_WIDGET (area)), &fg);
  G_GNUC_END_IGNORE_DEPRECATIONS

  cairo_set_source_rgba (cr, fg.red, fg.green, fg.blue, 0.05);
  cairo_rectangle (cr, x0, 0, d, d);
  cairo_rectangle (cr, x1, 0, d, d);
  cairo_fill (cr);
  if (self->preview == NULL)
    return;

  /* Before: the bitmap, pixels visible (no smoothing), as the tracer sees it. */
  {
    guint s = self->preview_size;
    cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_A8, s, s);
    int stride = cairo_image_surface_get_stride (surface);
    guint8 *data = cairo_image_surface_get_data (surface);
    cairo_pattern_t *mask;

    cairo_surface_flush (surface);
    for (guint r = 0; r < s; r++)
      memcpy (data + r * stride, self->preview + r * s, s);
    cairo_surface_mark_dirty (surface);
    cairo_save (cr);
    cairo_translate (cr, x0, 0);
    cairo_scale (cr, d / s, d / s);
    gdk_cairo_set_source_rgba (cr, &fg);
    mask = cairo_pattern_create_for_surface (surface);
    cairo_pattern_set_filter (mask, CAIRO_FILTER_NEAREST);
    cairo_mask (cr, mask);
    cairo_pattern_destroy (mask);
    cairo_restore (cr);
    cairo_surface_destroy (surface);
  }

  /* After: the outline, mapped from font units back through the placement. */
  if (self->outline != NULL)
    {
      double k = d / self->preview_size;

      cairo_save (cr);
      cairo_translate (cr, x1, 0);
      for (guint i = 0; i < self->outline->n_contours; i++)
        {
          const ZiContour *contour = &self->outline->contours[i];
          const ZiSegment *last = &contour->segments[contour->n_segments - 1];
          double x, y;

          if (contour->n_segments == 0)
            continue;
          zi_placement_font_to_pixel (&self->placement, last->p.x, last->p.y, &x, &y);
          cairo_move_to (cr, x * k, y * k);
          for (guint s = 0; s < contour->n_segments; s++)
            {
              const ZiSegment *seg = &contour->segments[s];
              double px, py, ax, ay, bx, by;
              zi_placement_font_to_pixel (&self->placement, seg->p.x, seg->p.y, &px, &py);
              if (seg->kind == ZI_SEGMENT_CUBIC)
                {
                  zi_placement_font_to_pixel (&self->placement, seg->c1.x, seg->c1.y, &ax, &ay);
                  zi_placement_font_to_pixel (&self->placement, seg->c2.x, seg->c2.y, &bx, &by);
                  cairo_curve_to (cr, ax * k, ay * k, bx * k, by * k, px * k, py * k);
                }
              else
                cairo_line_to (cr, px * k, py * k);
            }
          cairo_close_path (cr);
        }
      cairo_set_fill_rule (cr, CAIRO_FILL_RULE_WINDING);
      cairo_set_source_rgba (cr, 0.11, 0.44, 0.85, 1);
      cairo_fill (cr);
      cairo_restore (cr);
    }
}

/* ---- Output folder ---------------------------------------------------------------------------- */

void
zi_export_dialog_set_output (ZiExportDialog *self, const char *parent_dir, const char *name)
{
  g_return_if_fail (ZI_IS_EXPORT_DIALOG (self));
  g_return_if_fail (parent_dir != NULL);

  g_free (self->parent_dir);
  self->parent_dir = g_strdup (parent_dir);
  gtk_label_set_label (self->folder_label, parent_dir);
  if (name != NULL)
    gtk_editable_set_text (GTK_EDITABLE (self->name_entry), name);
}

static void
folder_response_cb (ZiExportDialog *self, int response, GtkFileChooserNative *chooser)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
      g_autofree char *path = g_file_get_path (file);
      if (path != NULL)
        zi_export_dialog_set_output (self, path, NULL);
    }
  g_object_unref (chooser);
}

static void
choose_folder_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  GtkFileChooserNative *chooser =
    gtk_file_chooser_native_new (_("Export Into"), GTK_WINDOW (widget), GTK_FILE_CHOOSER_ACTION_SELECT_FOLDER,
                                 _("_Select"), _("_Cancel"));

  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  g_signal_connect_swapped (chooser, "response", G_CALLBACK (folder_response_cb), widget);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

/* ---- The job ---------------------------------------------------------------------------------- */

static void
set_running (ZiExportDialog *self, gboolean running)
{
  self->running = running;
  gtk_widget_set_sensitive (self->form, !running);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "export.start", !running);
  gtk_widget_set_visible (self->progress_box, TRUE);
  gtk_button_set_label (GTK_BUTTON (self->cancel_button), running || !self->done ? _("_Cancel") : _("_Close"));
}

static void
progress_cb (guint64 done, guint64 total, gpointer user_data)
{
  ZiExportDialog *self = user_data;
  g_autofree char *text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%'" PRIu64 " of %'" PRIu64 " glyph",
                                                        "%'" PRIu64 " of %'" PRIu64 " glyphs", (gulong) total),
                                           done, total);

  if (total > 0)
    gtk_progress_bar_set_fraction (self->progress_bar, (double) done / total);
  gtk_progress_bar_set_text (self->progress_bar, text);
}

static void
export_done_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  ZiExportDialog *self = user_data;
  g_autoptr(GError) error = NULL;
  ZiExportSummary summary = { 0 };
  g_autofree char *text = NULL;

  self->ok = zi_export_run_finish (result, &summary, &error);
  self->done = TRUE;
  if (self->ok)
    {
      text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                           "Exported %u glyph in %.1f s (%u skipped, %u flagged for review in manifest.json).",
                                           "Exported %u glyphs in %.1f s (%u skipped, %u flagged for review in manifest.json).",
                                           summary.exported),
                              summary.exported, summary.seconds, summary.skipped, summary.flagged);
      gtk_progress_bar_set_fraction (self->progress_bar, 1);
      gtk_widget_set_visible (self->show_button, TRUE);
    }
  else if (g_error_matches (error, ZI_ERROR, ZI_ERROR_CANCELLED) ||
           g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    text = g_strdup (_("Export cancelled; nothing was written."));
  else
    text = g_strdup (error->message);
  gtk_label_set_label (self->result_label, text);
  set_running (self, FALSE);
  g_object_unref (self);
}

static void
start_export (ZiExportDialog *self, gboolean force)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ZiModel) model = NULL;
  g_autoptr(ZiPicks) picks = NULL;
  ZiFont *source = NULL, *target = NULL;
  ZiExportSource *export_source;
  ZiExportOptions options;
  GArray *chars = self->sets[MIN (gtk_drop_down_get_selected (self->charset_dropdown), 3)];
  const char *name = gtk_editable_get_text (GTK_EDITABLE (self->name_entry));

  zi_export_options_init (&options);
  options.formats = (gtk_check_button_get_active (self->png_check) ? ZI_EXPORT_FORMAT_PNG : 0) |
                    (gtk_check_button_get_active (self->svg_check) ? ZI_EXPORT_FORMAT_SVG : 0) |
                    (gtk_check_button_get_active (self->ufo_check) ? ZI_EXPORT_FORMAT_UFO : 0);
  get_trace_params (self, &options.trace);
  options.force = force;

  if (options.formats == 0)
    g_set_error (&error, ZI_ERROR, ZI_ERROR_INVALID, _("Choose at least one format to export."));
  else if (chars == NULL || chars->len == 0)
    g_set_error (&error, ZI_ERROR, ZI_ERROR_CHARSET, _("There are no characters to export in this choice."));
  else if (name[0] == '\0' || strchr (name, '/') != NULL)
    g_set_error (&error, ZI_ERROR, ZI_ERROR_INVALID, _("Give the export folder a name without “/”."));
  if (error == NULL && (model = zi_model_load (self->checkpoint, &error)) != NULL &&
      (source = zi_font_open (self->source_font, &error)) != NULL)
    target = zi_font_open (self->target_font, &error);
  if (model != NULL)
    zi_model_set_style (model, self->style);
  if (error != NULL)
    {
      g_clear_pointer (&source, zi_font_free);
      gtk_widget_set_visible (self->progress_box, TRUE);
      gtk_label_set_label (self->result_label, error->message);
      return;
    }

  if (self->run_dir != NULL)
    picks = zi_picks_load (self->run_dir, NULL);
  if (picks != NULL && zi_picks_get_count (picks) > 0)
    export_source = zi_export_source_new_picks (g_steal_pointer (&model), source, g_steal_pointer (&picks),
                                                self->run_dir, &error);
  else
    export_source = zi_export_source_new_model (g_steal_pointer (&model), source, &error);
  if (export_source == NULL)
    {
      zi_font_free (target);
      gtk_widget_set_visible (self->progress_box, TRUE);
      gtk_label_set_label (self->result_label, error->message);
      return;
    }

  g_free (self->out_dir);
  self->out_dir = g_build_filename (self->parent_dir, name, NULL);
  self->total = chars->len;
  self->done = FALSE;
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  gtk_widget_set_visible (self->show_button, FALSE);
  gtk_label_set_label (self->result_label, "");
  progress_cb (0, chars->len, self);
  set_running (self, TRUE);
  zi_export_run_async (export_source, target, (const gunichar *) chars->data, chars->len, self->out_dir,
                       &options, progress_cb, self, self->cancellable, export_done_cb, g_object_ref (self));
}

static void
overwrite_response_cb (GtkDialog *dialog, int response, ZiExportDialog *self)
{
  gtk_window_destroy (GTK_WINDOW (dialog));
  if (response == GTK_RESPONSE_ACCEPT)
    start_export (self, TRUE);
}

void
zi_export_dialog_start (ZiExportDialog *self)
{
  g_autofree char *out = NULL;

  g_return_if_fail (ZI_IS_EXPORT_DIALOG (self));
  if (self->running)
    return;

  out = g_build_filename (self->parent_dir, gtk_editable_get_text (GTK_EDITABLE (self->name_entry)), NULL);
  if (g_file_test (out, G_FILE_TEST_EXISTS))
    {
      GtkWidget *dialog;

      /* GtkMessageDialog is deprecated from GTK 4.10 on, but it is the confirmation of GTK 4.8. */
      G_GNUC_BEGIN_IGNORE_DEPRECATIONS
      dialog = gtk_message_dialog_new (GTK_WINDOW (self), GTK_DIALOG_MODAL | GTK_DIALOG_DESTROY_WITH_PARENT,
                                       GTK_MESSAGE_QUESTION, GTK_BUTTONS_NONE,
                                       _("Replace “%s”?"), out);
      gtk_message_dialog_format_secondary_text (GTK_MESSAGE_DIALOG (dialog),
                                                _("The folder exists. Exporting replaces it and everything in it."));
      gtk_dialog_add_buttons (GTK_DIALOG (dialog), _("_Cancel"), GTK_RESPONSE_CANCEL,
                              _("_Replace"), GTK_RESPONSE_ACCEPT, NULL);
      G_GNUC_END_IGNORE_DEPRECATIONS
      g_signal_connect (dialog, "response", G_CALLBACK (overwrite_response_cb), self);
      gtk_window_present (GTK_WINDOW (dialog));
      return;
    }
  start_export (self, FALSE);
}

void
zi_export_dialog_cancel (ZiExportDialog *self)
{
  g_return_if_fail (ZI_IS_EXPORT_DIALOG (self));
  g_cancellable_cancel (self->cancellable);
}

gboolean
zi_export_dialog_is_done (ZiExportDialog *self, gboolean *ok)
{
  g_return_val_if_fail (ZI_IS_EXPORT_DIALOG (self), FALSE);
  if (ok != NULL)
    *ok = self->ok;
  return self->done;
}

gboolean
zi_export_dialog_has_preview (ZiExportDialog *self)
{
  g_return_val_if_fail (ZI_IS_EXPORT_DIALOG (self), FALSE);
  return self->outline != NULL;
}

void
zi_export_dialog_set_charset (ZiExportDialog *self, guint which)
{
  g_return_if_fail (ZI_IS_EXPORT_DIALOG (self));
  g_return_if_fail (which < 4);
  gtk_drop_down_set_selected (self->charset_dropdown, which);
}

static void
start_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  zi_export_dialog_start (ZI_EXPORT_DIALOG (widget));
}

static void
cancel_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  ZiExportDialog *self = ZI_EXPORT_DIALOG (widget);

  /* Cancel a running export first; the dialog closes on a second press. */
  if (self->running)
    zi_export_dialog_cancel (self);
  else
    gtk_window_close (GTK_WINDOW (self));
}

static void
show_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  ZiExportDialog *self = ZI_EXPORT_DIALOG (widget);
  g_autoptr(GFile) file = g_file_new_for_path (self->out_dir);
  g_autofree char *uri = g_file_get_uri (file);

  gtk_show_uri (GTK_WINDOW (self), uri, GDK_CURRENT_TIME);
}

/* ---- Life cycle ------------------------------------------------------------------------------- */

static gboolean
zi_export_dialog_close_request (GtkWindow *window)
{
  ZiExportDialog *self = ZI_EXPORT_DIALOG (window);

  /* Closing cancels: the job removes its temporary directory. */
  g_cancellable_cancel (self->cancellable);
  g_cancellable_cancel (self->preview_cancellable);
  return GTK_WINDOW_CLASS (zi_export_dialog_parent_class)->close_request (window);
}

static void
zi_export_dialog_dispose (GObject *object)
{
  ZiExportDialog *self = ZI_EXPORT_DIALOG (object);

  g_cancellable_cancel (self->preview_cancellable);
  g_clear_object (&self->preview_cancellable);
  g_clear_object (&self->cancellable);
  G_OBJECT_CLASS (zi_export_dialog_parent_class)->dispose (object);
}

static void
zi_export_dialog_finalize (GObject *object)
{
  ZiExportDialog *self = ZI_EXPORT_DIALOG (object);

  g_free (self->checkpoint);
  g_free (self->run_dir);
  g_free (self->source_font);
  g_free (self->target_font);
  g_free (self->parent_dir);
  g_free (self->out_dir);
  g_free (self->preview);
  g_clear_pointer (&self->outline, zi_outline_free);
  for (guint i = 0; i < G_N_ELEMENTS (self->sets); i++)
    g_clear_pointer (&self->sets[i], g_array_unref);
  G_OBJECT_CLASS (zi_export_dialog_parent_class)->finalize (object);
}

static void
zi_export_dialog_class_init (ZiExportDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = zi_export_dialog_dispose;
  object_class->finalize = zi_export_dialog_finalize;
  window_class->close_request = zi_export_dialog_close_request;

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/zi-export-dialog.ui");
#define BIND(name) gtk_widget_class_bind_template_child (widget_class, ZiExportDialog, name)
  BIND (export_button);
  BIND (cancel_button);
  BIND (form);
  BIND (png_check);
  BIND (svg_check);
  BIND (ufo_check);
  BIND (charset_dropdown);
  BIND (folder_label);
  BIND (name_entry);
  BIND (preset_dropdown);
  BIND (threshold_spin);
  BIND (trace_preview);
  BIND (trace_label);
  BIND (progress_box);
  BIND (progress_bar);
  BIND (result_label);
  BIND (show_button);
#undef BIND

  gtk_widget_class_install_action (widget_class, "export.start", NULL, start_action);
  gtk_widget_class_install_action (widget_class, "export.cancel", NULL, cancel_action);
  gtk_widget_class_install_action (widget_class, "export.choose-folder", NULL, choose_folder_action);
  gtk_widget_class_install_action (widget_class, "export.show", NULL, show_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "export.cancel", NULL);
}

static void
zi_export_dialog_init (ZiExportDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_drawing_area_set_draw_func (self->trace_preview, draw_trace_cb, self, NULL);
  g_signal_connect_swapped (self->preset_dropdown, "notify::selected", G_CALLBACK (params_changed_cb), self);
  g_signal_connect_swapped (self->threshold_spin, "value-changed", G_CALLBACK (params_changed_cb), self);
}

static GArray *
array_from_list (GListModel *list)
{
  guint n = list != NULL ? g_list_model_get_n_items (list) : 0;
  GArray *chars = g_array_sized_new (FALSE, FALSE, sizeof (gunichar), n);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(ZiGlyphItem) item = g_list_model_get_item (list, i);
      gunichar c = zi_glyph_item_get_char (item);
      g_array_append_val (chars, c);
    }
  return chars;
}

GtkWidget *
zi_export_dialog_new (GtkWindow *parent, const char *checkpoint, guint style, const char *run_dir, const char *source_font,
                      const char *target_font, GArray *missing, GArray *all, GListModel *shown, GArray *selection)
{
  ZiExportDialog *self;
  g_autoptr(GtkStringList) choices = gtk_string_list_new (NULL);
  g_autoptr(GTask) task = NULL;
  g_autofree char *documents = NULL;
  PreviewJob *job;
  const char *labels[4];

  g_return_val_if_fail (checkpoint != NULL && source_font != NULL && target_font != NULL, NULL);

  self = g_object_new (ZI_TYPE_EXPORT_DIALOG, "transient-for", parent, NULL);
  self->checkpoint = g_strdup (checkpoint);
  self->style = style;
  self->run_dir = g_strdup (run_dir);
  self->source_font = g_strdup (source_font);
  self->target_font = g_strdup (target_font);
  self->sets[0] = missing != NULL ? g_array_ref (missing) : g_array_new (FALSE, FALSE, sizeof (gunichar));
  self->sets[1] = array_from_list (shown);
  self->sets[2] = selection != NULL ? g_array_ref (selection) : g_array_new (FALSE, FALSE, sizeof (gunichar));
  self->sets[3] = all != NULL ? g_array_ref (all) : g_array_new (FALSE, FALSE, sizeof (gunichar));

  labels[0] = _("Missing in the target font (%'u)");
  labels[1] = _("Shown in the grid (%'u)");
  labels[2] = _("Selected glyph (%'u)");
  labels[3] = _("All in the source font (%'u)");
  for (guint i = 0; i < 4; i++)
    {
      g_autofree char *text = g_strdup_printf (labels[i], self->sets[i]->len);
      gtk_string_list_append (choices, text);
    }
  gtk_drop_down_set_model (self->charset_dropdown, G_LIST_MODEL (choices));

  documents = g_strdup (g_get_user_special_dir (G_USER_DIRECTORY_DOCUMENTS));
  zi_export_dialog_set_output (self, documents != NULL ? documents : g_get_home_dir (), "Zimaru-export");

  self->preview_cancellable = g_cancellable_new ();
  job = g_new0 (PreviewJob, 1);
  job->checkpoint = g_strdup (checkpoint);
  job->style = style;
  job->source_font = g_strdup (source_font);
  job->target_font = g_strdup (target_font);
  task = g_task_new (self, self->preview_cancellable, preview_done_cb, NULL);
  g_task_set_task_data (task, job, (GDestroyNotify) preview_job_free);
  g_task_run_in_thread (task, preview_thread);
  gtk_label_set_label (self->trace_label, _("Generating the preview glyph…"));

  return GTK_WIDGET (self);
}
