/* ui-test-util.h — what the UI tests share: running the main loop until a condition holds, and
 * saving a widget's picture as a PNG through its own renderer (no screen grab needed). */
#pragma once

#include <gtk/gtk.h>

#include "zi-glyph-cache.h"

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
