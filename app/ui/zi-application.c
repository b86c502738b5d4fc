/* zi-application.c — the Zimaru GtkApplication: owns the app-wide actions (About, Quit) and the
 * settings, and loads the style sheet from the resources. The windows use it; main.c opens the main
 * window when the application is activated. */
#include "config.h"
#include "zi-application.h"
#include "resources/zimaru-resources.h"

#include <glib/gi18n.h>

struct _ZiApplication
{
  GtkApplication  parent_instance;
  GSettings      *settings;
};

G_DEFINE_FINAL_TYPE (ZiApplication, zi_application, GTK_TYPE_APPLICATION)

ZiApplication *
zi_application_new (void)
{
  return g_object_new (ZI_TYPE_APPLICATION,
                       "application-id", APP_ID,
                       "resource-base-path", RESOURCE_PREFIX,
                       "flags", G_APPLICATION_DEFAULT_FLAGS,
                       NULL);
}

const char *
zi_application_pick_renderer (const char *env_renderer, const char *dri_dir)
{
  g_autoptr(GDir) dir = NULL;
  const char *name;

  if (env_renderer != NULL && *env_renderer != '\0')
    return NULL;
  dir = g_dir_open (dri_dir, 0, NULL);
  if (dir != NULL)
    while ((name = g_dir_read_name (dir)) != NULL)
      if (g_str_has_prefix (name, "renderD"))
        return NULL;
  return "cairo";
}

void
zi_application_choose_renderer (void)
{
  const char *pick = zi_application_pick_renderer (g_getenv ("GSK_RENDERER"), "/dev/dri");

  if (pick != NULL)
    g_setenv ("GSK_RENDERER", pick, TRUE);
}

GSettings *
zi_application_get_settings (ZiApplication *self)
{
  g_return_val_if_fail (ZI_IS_APPLICATION (self), NULL);
  return self->settings;
}

static void
zi_application_startup (GApplication *app)
{
  ZiApplication *self = ZI_APPLICATION (app);
  g_autoptr(GtkCssProvider) css = gtk_css_provider_new ();
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) schema = NULL;

  G_APPLICATION_CLASS (zi_application_parent_class)->startup (app);

  /* The resources live in a static library: referencing them here makes the linker keep the object
   * whose constructor registers them. */
  if (zimaru_get_resource () == NULL)
    g_critical ("The application's resources are missing from the build");

  gtk_css_provider_load_from_resource (css, RESOURCE_PREFIX "/style.css");
  gtk_style_context_add_provider_for_display (gdk_display_get_default (), GTK_STYLE_PROVIDER (css),
                                              GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);

  if (source != NULL)
    schema = g_settings_schema_source_lookup (source, APP_ID, TRUE);
  if (schema != NULL)
    self->settings = g_settings_new (APP_ID);
}

static void
zi_application_dispose (GObject *object)
{
  ZiApplication *self = ZI_APPLICATION (object);

  g_clear_object (&self->settings);
  G_OBJECT_CLASS (zi_application_parent_class)->dispose (object);
}

static void
zi_application_class_init (ZiApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->dispose = zi_application_dispose;
  app_class->startup = zi_application_startup;
}

static void
about_cb (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  ZiApplication *self = user_data;
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));
  static const char *developers[] = { "The Zimaru developers", NULL };

  gtk_show_about_dialog (window,
                         "program-name", _("Zimaru"),
                         "logo-icon-name", APP_ID,
                         "version", PACKAGE_VERSION,
                         "comments", _("Learn a rounded glyph style from a font pair and generate the glyphs the rounded font lacks"),
                         "website", "https://github.com/zimaru/zimaru",
                         "authors", developers,
                         "translator-credits", _("translator-credits"),
                         "license-type", GTK_LICENSE_GPL_3_0,
                         "copyright", "© 2026 The Zimaru developers",
                         NULL);
}

static void
quit_cb (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  ZiApplication *self = user_data;
  GList *windows = gtk_application_get_windows (GTK_APPLICATION (self));

  /* Close the windows first so that each one can stop its training and save a checkpoint. */
  for (GList *l = windows; l != NULL;)
    {
      GList *next = l->next;
      gtk_window_close (GTK_WINDOW (l->data));
      l = next;
    }
}

static const GActionEntry app_actions[] = {
  { .name = "about", .activate = about_cb },
  { .name = "quit", .activate = quit_cb },
};

static void
zi_application_init (ZiApplication *self)
{
  static const char *quit_accels[] = { "<Control>q", NULL };

  g_action_map_add_action_entries (G_ACTION_MAP (self), app_actions, G_N_ELEMENTS (app_actions), self);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.quit", quit_accels);
}
