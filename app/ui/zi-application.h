/* zi-application.h — the Zimaru GtkApplication: app-wide actions, settings, style sheet. It knows
 * no window: whoever runs it opens the main window on its "activate" signal (main.c). */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define ZI_TYPE_APPLICATION (zi_application_get_type ())
G_DECLARE_FINAL_TYPE (ZiApplication, zi_application, ZI, APPLICATION, GtkApplication)

ZiApplication *zi_application_new (void);

/* The application's settings, or NULL when the schema is not installed (running from a build tree
 * without GSETTINGS_SCHEMA_DIR): the app then works with defaults and remembers nothing. */
GSettings *zi_application_get_settings (ZiApplication *self);

/* The renderer GTK should use when the user has not chosen one (GSK_RENDERER, value env_renderer):
 * "cairo" when the machine has no GPU render node in dri_dir (normally "/dev/dri"), NULL to leave
 * GTK's choice. Without a GPU, GTK's GL renderer rasterises on the processors that training uses
 * (Mesa's llvmpipe), and its frames come late; cairo draws this window's content for less. */
const char *zi_application_pick_renderer (const char *env_renderer, const char *dri_dir);
/* Applies zi_application_pick_renderer() to this process (sets GSK_RENDERER); call before GTK
 * opens its display. */
void        zi_application_choose_renderer (void);

G_END_DECLS
