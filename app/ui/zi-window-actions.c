/* zi-window-actions.c — the main window's win.* actions and their shortcuts: the error banner, the
 * font pickers, copying, zoom and search in the grid, the style switcher's steps, picks, opening and
 * starting runs, pause, resume and stop, export and the Preferences. zi-window.c installs them with
 * _zi_window_actions_class_init(); they use what zi-window-api.c shares and never call zi-window.c. */
#include "config.h"
#include "zi-window-private.h"

#include "zi-export-dialog.h"
#include "zi-preferences-window.h"

#include <glib/gi18n.h>

/* ---- Errors ----------------------------------------------------------------------------------- */

static void
dismiss_error_cb (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  ZiWindow *self = ZI_WINDOW (widget);
  gtk_revealer_set_reveal_child (self->error_revealer, FALSE);
}

/* ---- Fonts ------------------------------------------------------------------------------------ */

/* win.choose-family and win.open-font-files: several target styles for a new run. */
static void
pick_targets_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  zi_window_fonts_pick_targets (ZI_WINDOW (widget)->fonts, GTK_WINDOW (widget),
                                g_str_equal (action_name, "win.choose-family"),
                                _zi_window_get_settings (ZI_WINDOW (widget)));
}

/* win.choose-font (an installed family) and win.open-font-file, for "source" or "target". */
static void
pick_font_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  zi_window_fonts_pick (ZI_WINDOW (widget)->fonts, GTK_WINDOW (widget), g_str_equal (action_name, "win.choose-font"),
                        g_str_equal (g_variant_get_string (parameter, NULL), "source"),
                        _zi_window_get_settings (ZI_WINDOW (widget)));
}

/* ---- The grid --------------------------------------------------------------------------------- */

static void
copy_char_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  gunichar c = zi_window_get_selected_char (ZI_WINDOW (widget));
  char utf8[8] = { 0 };

  if (c == 0)
    return;
  g_unichar_to_utf8 (c, utf8);
  gdk_clipboard_set_text (gtk_widget_get_clipboard (widget), utf8);
}

static void
zoom_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  zi_window_grid_zoom (ZI_WINDOW (widget)->grid, g_str_equal (action_name, "win.zoom-in") ? 16 : -16);
}

static void
search_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  ZiWindow *self = ZI_WINDOW (widget);
  zi_window_show_page (self, "glyphs");
  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

/* ---- The run: styles and picks ---------------------------------------------------------------- */

/* win.style-next and win.style-previous: the next heavier or lighter trained style. */
static void
style_step_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  ZiWindow *self = ZI_WINDOW (widget);

  if (self->styles != NULL)
    zi_window_styles_step (self->styles, g_str_equal (action_name, "win.style-next") ? 1 : -1);
}

/* While comparing checkpoints of a run, the designer chooses per glyph which checkpoint's output
 * export keeps (RUN/picks.json). */
static void
pick_checkpoint_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  ZiWindow *self = ZI_WINDOW (widget);
  gunichar c = zi_window_get_selected_char (self);

  if (!zi_window_runs_pick (self->runs, c, g_variant_get_string (parameter, NULL)))
    return;
  zi_window_grid_refresh_cell_states (self->grid);
  zi_window_runs_show_pick (self->runs, c);
}

/* ---- Runs and training ------------------------------------------------------------------------- */

static void
open_run_response_cb (ZiWindow *self, int response, GtkFileChooserNative *chooser)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
      g_autofree char *path = g_file_get_path (file);
      g_autoptr(GError) error = NULL;

      if (path != NULL && !zi_window_open_run (self, path, &error))
        _zi_window_show_error (self, error->message);
    }
  g_object_unref (chooser);
}

static void
open_run_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  GtkFileChooserNative *chooser =
    gtk_file_chooser_native_new (_("Open a Training Run"), GTK_WINDOW (widget),
                                 GTK_FILE_CHOOSER_ACTION_SELECT_FOLDER, _("_Open"), _("_Cancel"));

  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  g_signal_connect_swapped (chooser, "response", G_CALLBACK (open_run_response_cb), widget);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static void
new_run_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  ZiWindow *self = ZI_WINDOW (widget);

  if (!zi_window_runs_new_run (self->runs))
    return;
  _zi_window_update_styles (self);
  zi_window_compare_checkpoints (self, NULL);
  zi_window_grid_rebuild (self->grid);
  zi_window_show_page (self, "training");
}

/* An open run with checkpoints continues; otherwise a new run on the shared characters of the
 * chosen block. */
static void
train_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  ZiWindow *self = ZI_WINDOW (widget);
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) chars = NULL;
  g_auto(GStrv) targets = NULL;

  if (!zi_window_fonts_is_ready (self->fonts))
    return;
  chars = _zi_window_shared_in_block (self);
  targets = zi_window_fonts_dup_targets (self->fonts);
  if (!zi_window_runs_train (self->runs, zi_window_fonts_get_source (self->fonts),
                             (const char * const *) targets, chars, _zi_window_get_settings (self), &error))
    {
      _zi_window_show_error (self, error->message);
      return;
    }
  zi_window_show_page (self, "training");
}

/* win.pause, win.resume and win.stop. */
static void
control_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  ZiTrainingPanel *panel = ZI_WINDOW (widget)->training_panel;

  if (g_str_equal (action_name, "win.pause"))
    zi_training_panel_pause (panel);
  else if (g_str_equal (action_name, "win.resume"))
    zi_training_panel_resume (panel);
  else
    zi_training_panel_stop (panel);
}

static void
export_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  ZiWindow *self = ZI_WINDOW (widget);
  gboolean shipped = zi_window_runs_shows_fallback (self->runs);
  const char *checkpoint = shipped ? zi_window_shipped_get_path (self->shipped)
                                   : zi_training_panel_get_default_checkpoint (self->training_panel);
  g_autoptr(GArray) selection = g_array_new (FALSE, FALSE, sizeof (gunichar));
  gunichar c = zi_window_get_selected_char (self);
  GtkWidget *dialog;

  if (checkpoint == NULL || !zi_window_fonts_is_ready (self->fonts))
    return;
  if (c != 0)
    g_array_append_val (selection, c);
  dialog = zi_export_dialog_new (GTK_WINDOW (self), checkpoint,
                                 shipped ? zi_window_shipped_get_style (self->shipped)
                                         : zi_window_styles_get_style (self->styles),
                                 shipped ? NULL : zi_training_panel_get_run_dir (self->training_panel),
                                 zi_window_fonts_get_source (self->fonts),
                                 zi_window_fonts_get_target (self->fonts),
                                 zi_window_fonts_get_missing (self->fonts),
                                 zi_window_fonts_get_all (self->fonts), zi_window_get_grid_model (self),
                                 selection);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
preferences_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  ZiWindow *self = ZI_WINDOW (widget);

  gtk_window_present (GTK_WINDOW (zi_preferences_window_new (GTK_WINDOW (self), _zi_window_get_settings (self))));
}

/* ---- Installing the actions ------------------------------------------------------------------- */

void
_zi_window_actions_class_init (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "win.train", NULL, train_action);
  gtk_widget_class_install_action (widget_class, "win.pause", NULL, control_action);
  gtk_widget_class_install_action (widget_class, "win.resume", NULL, control_action);
  gtk_widget_class_install_action (widget_class, "win.stop", NULL, control_action);
  gtk_widget_class_install_action (widget_class, "win.export", NULL, export_action);
  gtk_widget_class_install_action (widget_class, "win.open-run", NULL, open_run_action);
  gtk_widget_class_install_action (widget_class, "win.new-run", NULL, new_run_action);
  gtk_widget_class_install_action (widget_class, "win.preferences", NULL, preferences_action);
  gtk_widget_class_install_action (widget_class, "win.choose-font", "s", pick_font_action);
  gtk_widget_class_install_action (widget_class, "win.open-font-file", "s", pick_font_action);
  gtk_widget_class_install_action (widget_class, "win.choose-family", NULL, pick_targets_action);
  gtk_widget_class_install_action (widget_class, "win.open-font-files", NULL, pick_targets_action);
  gtk_widget_class_install_action (widget_class, "win.copy-char", NULL, copy_char_action);
  gtk_widget_class_install_action (widget_class, "win.dismiss-error", NULL, dismiss_error_cb);
  gtk_widget_class_install_action (widget_class, "win.zoom-in", NULL, zoom_action);
  gtk_widget_class_install_action (widget_class, "win.zoom-out", NULL, zoom_action);
  gtk_widget_class_install_action (widget_class, "win.search", NULL, search_action);
  gtk_widget_class_install_action (widget_class, "win.pick-checkpoint", "s", pick_checkpoint_action);
  gtk_widget_class_install_action (widget_class, "win.style-next", NULL, style_step_action);
  gtk_widget_class_install_action (widget_class, "win.style-previous", NULL, style_step_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_plus, GDK_CONTROL_MASK, "win.zoom-in", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_equal, GDK_CONTROL_MASK, "win.zoom-in", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_minus, GDK_CONTROL_MASK, "win.zoom-out", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_f, GDK_CONTROL_MASK, "win.search", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_c, GDK_CONTROL_MASK, "win.copy-char", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_o, GDK_CONTROL_MASK, "win.open-run", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_n, GDK_CONTROL_MASK, "win.new-run", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_e, GDK_CONTROL_MASK, "win.export", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_comma, GDK_CONTROL_MASK, "win.preferences", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Return, GDK_CONTROL_MASK, "win.train", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_space, GDK_CONTROL_MASK, "win.pause", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Down, GDK_ALT_MASK, "win.style-next", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Up, GDK_ALT_MASK, "win.style-previous", NULL);
}
