/* main.c — entry point of the Zimaru desktop application. */
#include "config.h"
#include "nn-blas.h"
#include "zi-application.h"

#include <glib/gi18n.h>
#include <locale.h>

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

  zi_application_choose_renderer ();
  app = zi_application_new ();
  return g_application_run (G_APPLICATION (app), argc, argv);
}
