/* zi-window-session.h — what the main window keeps between sessions in the application's settings:
 * its size and maximized state, the font pair, and the run to reopen (when the Preferences say so).
 * The window calls it when it opens and closes; it never calls the window. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* The font pair and the run a restored window opens: specs as in zi-font.h (the default pair when
 * the settings hold none), and a run directory that still exists, or NULL. */
typedef struct {
  char *source;
  char *target;
  char *last_run;
} ZiWindowSession;

/* Sets window's default size and maximized state from settings (NULL: no schema; the defaults) and
 * fills session, which zi_window_session_clear() frees. */
void zi_window_session_restore (GtkWindow *window, GSettings *settings, ZiWindowSession *session);
void zi_window_session_clear   (ZiWindowSession *session);
/* Keeps window's size and maximized state in settings (NULL: nothing to do). */
void zi_window_session_save    (GtkWindow *window, GSettings *settings);

G_END_DECLS
