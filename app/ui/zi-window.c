/* zi-window.c — the Zimaru main window, built from resources/zi-window.ui. */
#include "config.h"
#include "zi-window.h"

struct _ZiWindow
{
  GtkApplicationWindow  parent_instance;
  GtkHeaderBar         *header_bar;
};

G_DEFINE_FINAL_TYPE (ZiWindow, zi_window, GTK_TYPE_APPLICATION_WINDOW)

ZiWindow *
zi_window_new (ZiApplication *application)
{
  g_return_val_if_fail (ZI_IS_APPLICATION (application), NULL);
  return g_object_new (ZI_TYPE_WINDOW, "application", application, NULL);
}

static void
zi_window_class_init (ZiWindowClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/zi-window.ui");
  gtk_widget_class_bind_template_child (widget_class, ZiWindow, header_bar);
}

static void
zi_window_init (ZiWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  if (DEVELOPMENT_PROFILE)
    gtk_widget_add_css_class (GTK_WIDGET (self), "devel");
}
