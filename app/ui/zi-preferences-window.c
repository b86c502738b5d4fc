/* zi-preferences-window.c — the Preferences window. Plain GSettings bindings for the numbers and the
 * switch; the two folders are chosen with a folder chooser (GtkFileChooserNative: GTK 4.8 has no
 * GtkFileDialog) and shown by name, with a button that goes back to the default folder. */
#include "config.h"
#include "zi-preferences-window.h"

#include <glib/gi18n.h>

struct _ZiPreferencesWindow
{
  GtkWindow      parent_instance;

  GtkSpinButton *threads_spin;
  GtkButton     *cache_button;
  GtkLabel      *cache_label;
  GtkButton     *cache_reset_button;
  GtkButton     *runs_button;
  GtkLabel      *runs_label;
  GtkButton     *runs_reset_button;
  GtkSwitch     *reopen_switch;
  GtkAdjustment *smoothing_adjustment;

  GSettings     *settings;
};

G_DEFINE_FINAL_TYPE (ZiPreferencesWindow, zi_preferences_window, GTK_TYPE_WINDOW)

char *
zi_preferences_get_folder (GSettings *settings, const char *key)
{
  g_autofree char *value = NULL;

  g_return_val_if_fail (settings == NULL || G_IS_SETTINGS (settings), NULL);
  g_return_val_if_fail (g_strcmp0 (key, "cache-dir") == 0 || g_strcmp0 (key, "runs-dir") == 0, NULL);

  if (settings != NULL)
    value = g_settings_get_string (settings, key);
  if (value != NULL && value[0] != '\0')
    return g_steal_pointer (&value);
  /* The same defaults as the dataset cache (zi-dataset.c) and the window's new runs. */
  if (g_str_equal (key, "cache-dir"))
    return g_build_filename (g_get_user_cache_dir (), "zimaru", NULL);
  return g_build_filename (g_get_user_data_dir (), "zimaru", "runs", NULL);
}

static void
show_folder (ZiPreferencesWindow *self, const char *key, GtkLabel *label, GtkButton *reset)
{
  g_autofree char *folder = zi_preferences_get_folder (self->settings, key);
  g_autofree char *value = self->settings != NULL ? g_settings_get_string (self->settings, key) : NULL;
  g_autofree char *shown = NULL;
  gboolean is_default = value == NULL || value[0] == '\0';

  /* The home folder as ~, so the interesting end of the path fits. */
  if (g_str_has_prefix (folder, g_get_home_dir ()) && folder[strlen (g_get_home_dir ())] == G_DIR_SEPARATOR)
    shown = g_strconcat ("~", folder + strlen (g_get_home_dir ()), NULL);
  else
    shown = g_strdup (folder);
  gtk_label_set_label (label, shown);
  gtk_widget_set_tooltip_text (GTK_WIDGET (label), folder);
  gtk_widget_set_sensitive (GTK_WIDGET (reset), self->settings != NULL && !is_default);
}

static void
settings_changed_cb (ZiPreferencesWindow *self, const char *key, GSettings *settings)
{
  if (key == NULL || g_str_equal (key, "cache-dir"))
    show_folder (self, "cache-dir", self->cache_label, self->cache_reset_button);
  if (key == NULL || g_str_equal (key, "runs-dir"))
    show_folder (self, "runs-dir", self->runs_label, self->runs_reset_button);
}

typedef struct {
  ZiPreferencesWindow *self;
  char                *key;
} FolderRequest;

static void
folder_response_cb (GtkNativeDialog *chooser, int response, FolderRequest *request)
{
  if (response == GTK_RESPONSE_ACCEPT && request->self->settings != NULL)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
      g_autofree char *path = file != NULL ? g_file_get_path (file) : NULL;

      if (path != NULL)
        g_settings_set_string (request->self->settings, request->key, path);
    }
  g_object_unref (request->self);
  g_free (request->key);
  g_free (request);
  g_object_unref (chooser);
}

static void
choose_folder_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  ZiPreferencesWindow *self = ZI_PREFERENCES_WINDOW (widget);
  const char *key = g_variant_get_string (parameter, NULL);
  gboolean cache = g_str_equal (key, "cache-dir");
  g_autofree char *current = zi_preferences_get_folder (self->settings, cache ? "cache-dir" : "runs-dir");
  g_autoptr(GFile) folder = g_file_new_for_path (current);
  GtkFileChooserNative *chooser;
  FolderRequest *request;

  chooser = gtk_file_chooser_native_new (cache ? _("Dataset Cache Folder") : _("Folder for New Runs"),
                                         GTK_WINDOW (self), GTK_FILE_CHOOSER_ACTION_SELECT_FOLDER,
                                         _("_Select"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  /* A folder that does not exist yet (the defaults before first use) cannot be opened: no error. */
  if (g_file_query_exists (folder, NULL))
    gtk_file_chooser_set_file (GTK_FILE_CHOOSER (chooser), folder, NULL);
  request = g_new0 (FolderRequest, 1);
  request->self = g_object_ref (self);
  request->key = g_strdup (cache ? "cache-dir" : "runs-dir");
  g_signal_connect (chooser, "response", G_CALLBACK (folder_response_cb), request);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static void
reset_folder_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  ZiPreferencesWindow *self = ZI_PREFERENCES_WINDOW (widget);
  const char *key = g_variant_get_string (parameter, NULL);

  if (self->settings != NULL && (g_str_equal (key, "cache-dir") || g_str_equal (key, "runs-dir")))
    g_settings_reset (self->settings, key);
}

static void
zi_preferences_window_dispose (GObject *object)
{
  ZiPreferencesWindow *self = ZI_PREFERENCES_WINDOW (object);

  if (self->settings != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->settings, self);
      g_settings_unbind (gtk_spin_button_get_adjustment (self->threads_spin), "value");
      g_settings_unbind (self->reopen_switch, "active");
      g_settings_unbind (self->smoothing_adjustment, "value");
    }
  g_clear_object (&self->settings);
  gtk_widget_dispose_template (GTK_WIDGET (self), ZI_TYPE_PREFERENCES_WINDOW);
  G_OBJECT_CLASS (zi_preferences_window_parent_class)->dispose (object);
}

static void
zi_preferences_window_class_init (ZiPreferencesWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = zi_preferences_window_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/zi-preferences-window.ui");
  gtk_widget_class_bind_template_child (widget_class, ZiPreferencesWindow, threads_spin);
  gtk_widget_class_bind_template_child (widget_class, ZiPreferencesWindow, cache_button);
  gtk_widget_class_bind_template_child (widget_class, ZiPreferencesWindow, cache_label);
  gtk_widget_class_bind_template_child (widget_class, ZiPreferencesWindow, cache_reset_button);
  gtk_widget_class_bind_template_child (widget_class, ZiPreferencesWindow, runs_button);
  gtk_widget_class_bind_template_child (widget_class, ZiPreferencesWindow, runs_label);
  gtk_widget_class_bind_template_child (widget_class, ZiPreferencesWindow, runs_reset_button);
  gtk_widget_class_bind_template_child (widget_class, ZiPreferencesWindow, reopen_switch);
  gtk_widget_class_bind_template_child (widget_class, ZiPreferencesWindow, smoothing_adjustment);

  gtk_widget_class_install_action (widget_class, "prefs.choose-folder", "s", choose_folder_action);
  gtk_widget_class_install_action (widget_class, "prefs.reset-folder", "s", reset_folder_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
zi_preferences_window_init (ZiPreferencesWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
zi_preferences_window_new (GtkWindow *parent, GSettings *settings)
{
  ZiPreferencesWindow *self;

  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (settings == NULL || G_IS_SETTINGS (settings), NULL);

  self = g_object_new (ZI_TYPE_PREFERENCES_WINDOW, "transient-for", parent, NULL);
  self->settings = settings != NULL ? g_object_ref (settings) : NULL;
  if (settings != NULL)
    {
      g_settings_bind (settings, "threads", gtk_spin_button_get_adjustment (self->threads_spin), "value",
                       G_SETTINGS_BIND_DEFAULT);
      g_settings_bind (settings, "reopen-last-run", self->reopen_switch, "active", G_SETTINGS_BIND_DEFAULT);
      g_settings_bind (settings, "chart-smoothing", self->smoothing_adjustment, "value", G_SETTINGS_BIND_DEFAULT);
      g_signal_connect_swapped (settings, "changed", G_CALLBACK (settings_changed_cb), self);
    }
  else
    {
      gtk_widget_set_sensitive (GTK_WIDGET (self->threads_spin), FALSE);
      gtk_widget_set_sensitive (GTK_WIDGET (self->reopen_switch), FALSE);
      gtk_widget_set_sensitive (GTK_WIDGET (self->cache_button), FALSE);
      gtk_widget_set_sensitive (GTK_WIDGET (self->runs_button), FALSE);
    }
  settings_changed_cb (self, NULL, settings);
  return GTK_WIDGET (self);
}
