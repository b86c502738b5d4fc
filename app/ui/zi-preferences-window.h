/* zi-preferences-window.h — the Preferences window: engine threads, the dataset cache folder, the
 * folder for new runs, reopening the last run at start and the chart's default smoothing, each
 * stored in the application's GSettings and read where it applies (the training panel, the window's
 * start-up and its Train action). */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define ZI_TYPE_PREFERENCES_WINDOW (zi_preferences_window_get_type ())
G_DECLARE_FINAL_TYPE (ZiPreferencesWindow, zi_preferences_window, ZI, PREFERENCES_WINDOW, GtkWindow)

/* settings may be NULL (no installed schema): the window then shows the defaults, insensitive. */
GtkWidget *zi_preferences_window_new (GtkWindow *parent, GSettings *settings);

/* The folder a folder key means: its value, or the built-in default when it is empty
 * (key "cache-dir": ~/.cache/zimaru; "runs-dir": ~/.local/share/zimaru/runs). */
char      *zi_preferences_get_folder (GSettings *settings, const char *key);

G_END_DECLS
