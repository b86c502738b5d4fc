/* ui-test-util.h — what the UI tests share: running the main loop until a condition holds, saving a
 * widget's picture as a PNG through its own renderer (no screen grab needed), and the window tests'
 * start and end around the real application window. */
#pragma once

#include <gtk/gtk.h>

#include "zi-application.h"
#include "zi-glyph-cache.h"
#include "zi-window.h"

typedef gboolean (*UiCondition) (gpointer data);

/* Prepares a UI test program before gtk_test_init: Xvfb comes without a D-Bus session, which
 * GtkApplication wants (it warns, and warnings are fatal in the tests), so the program runs again
 * inside a private session bus that ends with it; that bus has no accessibility bus, so GTK's is
 * turned off; and with ZIMARU_TEST_LOCALEDIR (e.g. LANGUAGE=ja ZIMARU_TEST_LOCALEDIR=build/po) the
 * translations come from a build tree, for screenshots in another language. */
void     ui_test_prepare (int argc, char **argv);
/* Runs the main loop until cond holds or seconds pass; returns cond's last value. */
gboolean ui_wait_for (UiCondition cond, gpointer data, double seconds);
/* Runs the main loop for seconds. */
void     ui_spin (double seconds);
/* Draws widget (a toplevel or any realised widget) into the PNG file path. */
void     ui_save_png (GtkWidget *widget, const char *path);
/* Saves toplevel as ZIMARU_SCREENSHOT_DIR/name when that variable is set (nothing otherwise), drawn
 * right after its next frame, when the layout is valid even though training keeps changing labels. */
void     ui_take_screenshot (GtkWidget *toplevel, const char *name);
/* The first toplevel window of type (a dialog the window opened), or NULL. */
gpointer ui_find_toplevel (GType type);
/* The sum of a coverage bitmap's pixels: 0 for a glyph without ink. */
guint64  ui_ink_sum (GBytes *coverage);

/* A condition for ui_wait_for: the glyph cache rendered more than `renders` images so far and has
 * nothing left to do. */
typedef struct {
  ZiGlyphCache *cache;
  guint64       renders;
} UiRenderWait;
gboolean ui_cache_settled (gpointer data);

/* A condition for ui_wait_for: the glyph cache has the image of c (kind, size), or knows it has
 * none. */
typedef struct {
  ZiGlyphCache *cache;
  gunichar      c;
  ZiGlyphKind   kind;
  guint         size;
} UiGlyphWait;
gboolean ui_glyph_known (gpointer data);

/* The start the window tests (test-window.c, test-window-train.c) share, after ui_test_prepare: a
 * temporary directory (*tmp_dir) holding the XDG data and cache folders, so runs and datasets stay
 * out of the user's; ZIMARU_MODEL_DIR, unless set, at an empty folder in it, so that no shipped model
 * is found; gtk_test_init; the application (*app), registered; and its main window, shown
 * at 1400×860, which it returns. The fonts load from then on: wait with ui_window_loaded. */
ZiWindow *ui_window_test_start (int *argc, char ***argv, ZiApplication **app, char **tmp_dir);
/* Runs the tests added since ui_window_test_start, then destroys window, drops app, and removes and
 * frees tmp_dir; returns g_test_run's status for main to return. */
int       ui_window_test_run (ZiWindow *window, ZiApplication *app, char *tmp_dir);
/* The number of points in the series id of the chart of window's training panel. */
guint     ui_chart_points (ZiWindow *window, const char *id);
/* A condition for ui_wait_for: the window (data) has loaded its fonts, or failed to. */
gboolean  ui_window_loaded (gpointer data);
/* Runs an export dialog to its end: waits for its preview, exports charset (the dialog's index) into
 * dir/name and asserts that it finished without error. */
void     ui_export_dialog_run (GtkWidget *dialog, const char *dir, const char *name, guint charset);

