/* ui-test-util.h — what the UI tests share: running the main loop until a condition holds, and
 * saving a widget's picture as a PNG through its own renderer (no screen grab needed). */
#pragma once

#include <gtk/gtk.h>

typedef gboolean (*UiCondition) (gpointer data);

/* Runs the main loop until cond holds or seconds pass; returns cond's last value. */
gboolean ui_wait_for (UiCondition cond, gpointer data, double seconds);
/* Runs the main loop for seconds. */
void     ui_spin (double seconds);
/* Draws widget (a toplevel or any realised widget) into the PNG file path. */
void     ui_save_png (GtkWidget *widget, const char *path);
