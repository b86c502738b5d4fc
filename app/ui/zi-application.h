/* zi-application.h — the Zimaru GtkApplication: app-wide actions, settings, style sheet. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define ZI_TYPE_APPLICATION (zi_application_get_type ())
G_DECLARE_FINAL_TYPE (ZiApplication, zi_application, ZI, APPLICATION, GtkApplication)

ZiApplication *zi_application_new (void);

/* The application's settings, or NULL when the schema is not installed (running from a build tree
 * without GSETTINGS_SCHEMA_DIR): the app then works with defaults and remembers nothing. */
GSettings *zi_application_get_settings (ZiApplication *self);

G_END_DECLS
