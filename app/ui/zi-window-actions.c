/* zi-window-actions.c — the main window's header-bar actions on runs: train, pause, resume and
 * stop, export, open and new run, and preferences, with their shortcuts. They read the window's
 * parts (zi-window-private.h) and hand the work to the training panel, the runs part and the export
 * dialog. */
#include "config.h"
#include "zi-window-private.h"

#include "zi-export-dialog.h"
#include "zi-preferences-window.h"

#include <glib/gi18n.h>

static void
open_run_response_cb (ZiWindow *self, int response, GtkFileChooserNative *chooser)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
      g_autofree char *path = g_file_get_path (file);
      g_autoptr(GError) error = NULL;

      if (path != NULL && !zi_window_open_run (self, path, &error))
        zi_window_show_error (self, error->message);
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
  zi_window_update_styles (self);
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
  chars = zi_window_shared_in_block (self);
  targets = zi_window_fonts_dup_targets (self->fonts);
  if (!zi_window_runs_train (self->runs, zi_window_fonts_get_source (self->fonts),
                             (const char * const *) targets, chars, zi_window_get_settings (self), &error))
    {
      zi_window_show_error (self, error->message);
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

  gtk_window_present (GTK_WINDOW (zi_preferences_window_new (GTK_WINDOW (self), zi_window_get_settings (self))));
}

void
zi_window_actions_install (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "win.train", NULL, train_action);
  gtk_widget_class_install_action (widget_class, "win.pause", NULL, control_action);
  gtk_widget_class_install_action (widget_class, "win.resume", NULL, control_action);
  gtk_widget_class_install_action (widget_class, "win.stop", NULL, control_action);
  gtk_widget_class_install_action (widget_class, "win.export", NULL, export_action);
  gtk_widget_class_install_action (widget_class, "win.open-run", NULL, open_run_action);
  gtk_widget_class_install_action (widget_class, "win.new-run", NULL, new_run_action);
  gtk_widget_class_install_action (widget_class, "win.preferences", NULL, preferences_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_o, GDK_CONTROL_MASK, "win.open-run", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_n, GDK_CONTROL_MASK, "win.new-run", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_e, GDK_CONTROL_MASK, "win.export", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_comma, GDK_CONTROL_MASK, "win.preferences", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Return, GDK_CONTROL_MASK, "win.train", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_space, GDK_CONTROL_MASK, "win.pause", NULL);
}
