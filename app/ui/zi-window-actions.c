/* zi-window-actions.c — the window's actions: training controls, runs, fonts, export, picks, zoom,
 * search, copy and preferences, and their keyboard shortcuts. */
#include "config.h"
#include "zi-window-private.h"

#include "zi-export-dialog.h"
#include "zi-font-picker.h"
#include "zi-preferences-window.h"

#include <glib/gi18n.h>

static void
dismiss_error_cb (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  ZiWindow *self = ZI_WINDOW (widget);
  gtk_revealer_set_reveal_child (self->error_revealer, FALSE);
}

/* The detail pane's pick row: while comparing checkpoints of a run, the designer chooses per glyph
 * which checkpoint's output export keeps (RUN/picks.json). */
void
_zi_window_update_pick_row (ZiWindow *self)
{
  gunichar c = zi_window_get_selected_char (self);
  const char *picked = self->picks != NULL && c != 0 ? zi_picks_get (self->picks, c) : NULL;
  g_autofree char *label = picked != NULL ? g_strdup_printf (_("Picked: %s"), picked)
                                          : g_strdup (_("Export uses the default checkpoint"));

  zi_glyph_detail_set_pick_label (self->detail, label);
}

void
_zi_window_update_pick_menu (ZiWindow *self, const char * const *checkpoints, guint n)
{
  g_autoptr(GMenu) menu = NULL;

  if (!self->comparing || zi_training_panel_get_run_dir (self->training_panel) == NULL)
    {
      zi_glyph_detail_set_pick_menu (self->detail, NULL);
      return;
    }
  menu = g_menu_new ();
  g_menu_append (menu, _("Default Checkpoint"), "win.pick-checkpoint::");
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *name = g_path_get_basename (checkpoints[i]);
      g_autofree char *label = g_strdup_printf (_("Column %u: %s"), i + 1, name);
      g_autoptr(GMenuItem) item = g_menu_item_new (label, NULL);

      g_menu_item_set_action_and_target_value (item, "win.pick-checkpoint", g_variant_new_string (name));
      g_menu_append_item (menu, item);
    }
  zi_glyph_detail_set_pick_menu (self->detail, G_MENU_MODEL (menu));
  _zi_window_update_pick_row (self);
}

static void
pick_checkpoint_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  ZiWindow *self = ZI_WINDOW (widget);
  const char *name = g_variant_get_string (parameter, NULL);
  const char *run_dir = zi_training_panel_get_run_dir (self->training_panel);
  gunichar c = zi_window_get_selected_char (self);
  g_autoptr(GError) error = NULL;

  if (c == 0 || run_dir == NULL)
    return;
  if (self->picks == NULL)
    self->picks = zi_picks_new ();
  if (name[0] == '\0')
    zi_picks_unset (self->picks, c);
  else if (!zi_picks_set (self->picks, c, name))
    return;
  if (!zi_picks_save (self->picks, run_dir, &error))
    _zi_window_show_error (self, error->message);

  _zi_window_refresh_cell_states (self);
  _zi_window_update_pick_row (self);
}

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

  if (zi_training_panel_get_state (self->training_panel) != ZI_TRAINER_STATE_IDLE)
    return;
  zi_training_panel_new_run (self->training_panel);
  _zi_window_set_run_chars (self, NULL, 0, NULL, 0);
  g_clear_pointer (&self->picks, zi_picks_free);
  self->comparing = FALSE;
  zi_glyph_cache_set_models (self->cache, NULL);
  _zi_window_set_kinds (self, 0);
  _zi_window_rebuild_list (self);
  zi_window_show_page (self, "training");
}

char *
zi_window_new_run_dir (ZiWindow *self)
{
  GtkApplication *app;
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *name = g_date_time_format (now, "%Y%m%d-%H%M%S");
  g_autofree char *folder = NULL;

  g_return_val_if_fail (ZI_IS_WINDOW (self), NULL);
  app = gtk_window_get_application (GTK_WINDOW (self));
  folder = zi_preferences_get_folder (app != NULL ? zi_application_get_settings (ZI_APPLICATION (app)) : NULL,
                                      "runs-dir");
  return g_build_filename (folder, name, NULL);
}

static void
train_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  ZiWindow *self = ZI_WINDOW (widget);
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) chars = g_array_new (FALSE, FALSE, sizeof (gunichar));
  g_autofree char *run_dir = NULL;
  const char * const *existing = zi_training_panel_get_checkpoints (self->training_panel);
  GSettings *settings;

  if (self->fonts == NULL)
    return;
  /* An open run with checkpoints continues; otherwise a new run on the shared characters of the
   * chosen block. */
  if (zi_training_panel_get_run_dir (self->training_panel) == NULL || existing == NULL || existing[0] == NULL)
    {
      for (guint i = 0; i < self->fonts->shared->len; i++)
        {
          gunichar c = g_array_index (self->fonts->shared, gunichar, i);
          if (zi_block_filter_matches (self->block, c))
            g_array_append_val (chars, c);
        }
      run_dir = zi_window_new_run_dir (self);
    }
  if (!zi_training_panel_start (self->training_panel, self->source_spec, self->target_spec,
                                (const gunichar *) chars->data, chars->len, run_dir, &error))
    {
      _zi_window_show_error (self, error->message);
      return;
    }
  /* The new run is the one to come back to next time. */
  settings = zi_application_get_settings (ZI_APPLICATION (gtk_window_get_application (GTK_WINDOW (self))));
  if (settings != NULL && zi_training_panel_get_run_dir (self->training_panel) != NULL)
    g_settings_set_string (settings, "last-run", zi_training_panel_get_run_dir (self->training_panel));
  zi_window_show_page (self, "training");
}

static void
pause_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  zi_training_panel_pause (ZI_WINDOW (widget)->training_panel);
}

static void
resume_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  zi_training_panel_resume (ZI_WINDOW (widget)->training_panel);
}

static void
stop_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  zi_training_panel_stop (ZI_WINDOW (widget)->training_panel);
}

static void
font_picked (GObject *owner, const char *spec, const char *error_message, gboolean source)
{
  ZiWindow *self = ZI_WINDOW (owner);

  if (spec == NULL)
    _zi_window_show_error (self, error_message);
  else
    zi_window_set_fonts (self, source ? spec : NULL, source ? NULL : spec);
}

static void
source_picked_cb (GObject *owner, const char *spec, const char *error_message)
{
  font_picked (owner, spec, error_message, TRUE);
}

static void
target_picked_cb (GObject *owner, const char *spec, const char *error_message)
{
  font_picked (owner, spec, error_message, FALSE);
}

static void
choose_font_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  gboolean source = g_str_equal (g_variant_get_string (parameter, NULL), "source");

  zi_font_picker_choose_installed (GTK_WINDOW (widget), source ? _("Source Font") : _("Target Font"),
                                   G_OBJECT (widget), source ? source_picked_cb : target_picked_cb);
}

static void
open_font_file_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  gboolean source = g_str_equal (g_variant_get_string (parameter, NULL), "source");

  zi_font_picker_open_file (GTK_WINDOW (widget), source ? _("Open a Source Font File") : _("Open a Target Font File"),
                            G_OBJECT (widget), source ? source_picked_cb : target_picked_cb);
}

static void
block_action (GSimpleAction *action, GVariant *value, gpointer user_data)
{
  zi_window_set_block (ZI_WINDOW (user_data), g_variant_get_string (value, NULL));
}

static void
copy_char_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  ZiWindow *self = ZI_WINDOW (widget);
  gunichar c = zi_window_get_selected_char (self);
  char utf8[8] = { 0 };

  if (c == 0)
    return;
  g_unichar_to_utf8 (c, utf8);
  gdk_clipboard_set_text (gtk_widget_get_clipboard (widget), utf8);
}

static void
export_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  ZiWindow *self = ZI_WINDOW (widget);
  const char *checkpoint = zi_training_panel_get_default_checkpoint (self->training_panel);
  g_autoptr(GArray) selection = g_array_new (FALSE, FALSE, sizeof (gunichar));
  gunichar c = zi_window_get_selected_char (self);
  GtkWidget *dialog;

  if (checkpoint == NULL || self->fonts == NULL)
    return;
  if (c != 0)
    g_array_append_val (selection, c);
  dialog = zi_export_dialog_new (GTK_WINDOW (self), checkpoint,
                                 zi_training_panel_get_run_dir (self->training_panel),
                                 self->source_spec, self->target_spec, self->fonts->missing, self->fonts->all,
                                 G_LIST_MODEL (self->list), selection);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
zoom_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  ZiWindow *self = ZI_WINDOW (widget);
  double step = g_str_equal (action_name, "win.zoom-in") ? 16 : -16;
  gtk_adjustment_set_value (self->zoom_adjustment, gtk_adjustment_get_value (self->zoom_adjustment) + step);
}

static void
search_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  ZiWindow *self = ZI_WINDOW (widget);
  zi_window_show_page (self, "glyphs");
  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

static void
preferences_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  ZiWindow *self = ZI_WINDOW (widget);
  GtkApplication *app = gtk_window_get_application (GTK_WINDOW (self));
  GSettings *settings = app != NULL ? zi_application_get_settings (ZI_APPLICATION (app)) : NULL;

  gtk_window_present (GTK_WINDOW (zi_preferences_window_new (GTK_WINDOW (self), settings)));
}

static const GActionEntry win_entries[] = {
  { .name = "block", .parameter_type = "s", .state = "'cjk'", .change_state = block_action },
};

void
_zi_window_add_action_entries (ZiWindow *self)
{
  g_action_map_add_action_entries (G_ACTION_MAP (self), win_entries, G_N_ELEMENTS (win_entries), self);
}

void
_zi_window_class_add_actions (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "win.train", NULL, train_action);
  gtk_widget_class_install_action (widget_class, "win.pause", NULL, pause_action);
  gtk_widget_class_install_action (widget_class, "win.resume", NULL, resume_action);
  gtk_widget_class_install_action (widget_class, "win.stop", NULL, stop_action);
  gtk_widget_class_install_action (widget_class, "win.export", NULL, export_action);
  gtk_widget_class_install_action (widget_class, "win.open-run", NULL, open_run_action);
  gtk_widget_class_install_action (widget_class, "win.new-run", NULL, new_run_action);
  gtk_widget_class_install_action (widget_class, "win.preferences", NULL, preferences_action);
  gtk_widget_class_install_action (widget_class, "win.choose-font", "s", choose_font_action);
  gtk_widget_class_install_action (widget_class, "win.open-font-file", "s", open_font_file_action);
  gtk_widget_class_install_action (widget_class, "win.copy-char", NULL, copy_char_action);
  gtk_widget_class_install_action (widget_class, "win.dismiss-error", NULL, dismiss_error_cb);
  gtk_widget_class_install_action (widget_class, "win.zoom-in", NULL, zoom_action);
  gtk_widget_class_install_action (widget_class, "win.zoom-out", NULL, zoom_action);
  gtk_widget_class_install_action (widget_class, "win.search", NULL, search_action);
  gtk_widget_class_install_action (widget_class, "win.pick-checkpoint", "s", pick_checkpoint_action);

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
}
