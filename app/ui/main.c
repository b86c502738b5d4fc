/* main.c — entry point of the Zimaru desktop application: runs the application and opens its main
 * window when it is activated. */
#include "config.h"
#include "nn-blas.h"
#include "zi-application.h"
#include "zi-window.h"

#include <glib/gi18n.h>
#include <locale.h>

/* With ZIMARU_QUIT_AFTER_FIRST_FRAME set, the application quits once its window has painted its
 * first frame: tests/bench/bench-startup.sh times the whole start (exec, fonts, window) from outside. */
static void
first_paint_cb (GdkFrameClock *clock, gpointer app)
{
  g_signal_handlers_disconnect_by_func (clock, first_paint_cb, app);
  g_application_quit (G_APPLICATION (app));
}

static gboolean
first_tick_cb (GtkWidget *widget, GdkFrameClock *clock, gpointer app)
{
  g_signal_connect (clock, "after-paint", G_CALLBACK (first_paint_cb), app);
  return G_SOURCE_REMOVE;
}

static void
activate_cb (GApplication *app, gpointer user_data)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (app));

  if (window == NULL)
    {
      window = GTK_WINDOW (zi_window_new (ZI_APPLICATION (app)));
      if (g_getenv ("ZIMARU_QUIT_AFTER_FIRST_FRAME") != NULL)
        gtk_widget_add_tick_callback (GTK_WIDGET (window), first_tick_cb, app, NULL);
    }
  gtk_window_present (window);
}

int
main (int argc, char **argv)
{
  g_autoptr(ZiApplication) app = NULL;

  /* Choose OpenBLAS's kernels before anything calls BLAS; this may re-execute the program once. */
  nn_blas_setup (argv);

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
  /* How a run's lock names this program to a second writer (zi-run-lock.h). */
  g_set_application_name (_("Zimaru window"));

  zi_application_choose_renderer ();
  app = zi_application_new ();
  g_signal_connect (app, "activate", G_CALLBACK (activate_cb), NULL);
  return g_application_run (G_APPLICATION (app), argc, argv);
}
