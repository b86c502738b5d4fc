/* zi-window-session.c — the main window's size, font pair and last run between sessions (see
 * zi-window-session.h). */
#include "config.h"
#include "zi-window-session.h"

#include "zi-font.h"

/* An empty string in the settings means "not set". */
static char *
get_spec (GSettings *settings, const char *key, const char *fallback)
{
  g_autofree char *value = settings != NULL ? g_settings_get_string (settings, key) : NULL;

  return g_strdup (value != NULL && *value != '\0' ? value : fallback);
}

void
zi_window_session_restore (GtkWindow *window, GSettings *settings, ZiWindowSession *session)
{
  g_autofree char *last_run = NULL;

  g_return_if_fail (GTK_IS_WINDOW (window) && session != NULL);

  if (settings != NULL)
    {
      gtk_window_set_default_size (window, g_settings_get_int (settings, "window-width"),
                                   g_settings_get_int (settings, "window-height"));
      if (g_settings_get_boolean (settings, "window-maximized"))
        gtk_window_maximize (window);
      if (g_settings_get_boolean (settings, "reopen-last-run"))
        last_run = g_settings_get_string (settings, "last-run");
    }
  session->source = get_spec (settings, "source-font", ZI_DEFAULT_SOURCE_FONT);
  session->target = get_spec (settings, "target-font", ZI_DEFAULT_TARGET_FONT);
  /* The last run comes back when it still exists; a vanished one is silently forgotten. */
  session->last_run = last_run != NULL && *last_run != '\0' && g_file_test (last_run, G_FILE_TEST_IS_DIR)
                      ? g_steal_pointer (&last_run) : NULL;
}

void
zi_window_session_clear (ZiWindowSession *session)
{
  g_clear_pointer (&session->source, g_free);
  g_clear_pointer (&session->target, g_free);
  g_clear_pointer (&session->last_run, g_free);
}

void
zi_window_session_save (GtkWindow *window, GSettings *settings)
{
  int width, height;

  g_return_if_fail (GTK_IS_WINDOW (window));

  if (settings == NULL)
    return;
  gtk_window_get_default_size (window, &width, &height);
  g_settings_set_int (settings, "window-width", width);
  g_settings_set_int (settings, "window-height", height);
  g_settings_set_boolean (settings, "window-maximized", gtk_window_is_maximized (window));
}
