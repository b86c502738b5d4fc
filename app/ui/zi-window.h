/* zi-window.h — the Zimaru main window. */
#pragma once

#include <gtk/gtk.h>
#include "zi-application.h"

G_BEGIN_DECLS

#define ZI_TYPE_WINDOW (zi_window_get_type ())
G_DECLARE_FINAL_TYPE (ZiWindow, zi_window, ZI, WINDOW, GtkApplicationWindow)

ZiWindow *zi_window_new (ZiApplication *application);

G_END_DECLS
