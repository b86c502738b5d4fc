/* test-window-watch.c — the real window under Xvfb beside a run that zimaru-cli trains: the run's
 * lock keeps the window from training it (the Train action reports the writer). */
#include "config.h"

#include "zi-run-lock.h"
#include "zi-window.h"

#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include "ui-test-util.h"

static ZiApplication *app;
static ZiWindow *window;
static char *tmp_dir;
static char *run_dir;
static GPid writer_pid;

#define TINY_CHARS "あいうえおかきくけこさしすせそたちつてとなにぬねのはひふへほまみむめもやゆよらりるれろわをん永東國"

static void
run_cli (const char * const *args)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *err = NULL;
  int status = 0;

  g_assert_true (g_spawn_sync (NULL, (char **) args, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL, NULL, NULL, NULL, &err,
                               &status, &error));
  g_assert_no_error (error);
  if (!g_spawn_check_wait_status (status, NULL))
    g_test_message ("%s failed: %s", args[1], err);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
}

static gboolean
run_locked (gpointer data)
{
  return zi_run_lock_get_writer (run_dir, NULL) == GPOINTER_TO_INT (data);
}

/* A tiny run made by the CLI, then the CLI training it on (for far longer than the tests take). */
static void
start_writer (void)
{
  g_autofree char *cache = g_build_filename (tmp_dir, "cli-cache", NULL);
  const char *cli = g_getenv ("ZIMARU_CLI");
  const char *make[] = { cli, "train", "--chars-text", TINY_CHARS, "--run", run_dir, "--size", "32", "--ngf", "8",
                         "--batch", "4", "--steps", "2", "--val-every", "20", "--checkpoint-every", "20",
                         "--log-every", "2", "--threads", "1", "--cache-dir", cache, "--quiet", NULL };
  const char *resume[] = { cli, "train", "--resume", "--run", run_dir, "--steps", "1000000", "--threads", "1",
                           "--cache-dir", cache, "--quiet", NULL };
  g_autoptr(GError) error = NULL;

  g_assert_nonnull (cli);
  run_cli (make);
  g_assert_true (g_spawn_async (NULL, (char **) resume, NULL,
                                G_SPAWN_DO_NOT_REAP_CHILD | G_SPAWN_STDOUT_TO_DEV_NULL | G_SPAWN_STDERR_TO_DEV_NULL,
                                NULL, NULL, &writer_pid, &error));
  g_assert_no_error (error);
  g_assert_true (ui_wait_for (run_locked, GINT_TO_POINTER (TRUE), 60));
}

static void
test_locked_run_refused (void)
{
  ZiTrainingPanel *panel = zi_window_get_training_panel (window);
  g_autoptr(GError) error = NULL;
  g_autofree char *who = g_strdup_printf ("is being trained by zimaru-cli (pid %d on %s, since ", (int) writer_pid,
                                          g_get_host_name ());

  /* Opening reads the run: no lock needed. */
  g_assert_true (zi_window_open_run (window, run_dir, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (zi_training_panel_get_run_dir (panel), ==, run_dir);

  /* Training it is writing it: refused, with the writer named. */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.train", NULL);
  g_assert_cmpint (zi_training_panel_get_state (panel), ==, ZI_TRAINER_STATE_IDLE);
  g_assert_nonnull (zi_window_get_error (window));
  g_test_message ("%s", zi_window_get_error (window));
  g_assert_nonnull (strstr (zi_window_get_error (window), who));
  g_assert_nonnull (strstr (zi_window_get_error (window), run_dir));
  g_assert_true (zi_run_lock_get_writer (run_dir, NULL));
}

int
main (int argc, char **argv)
{
  int status;

  ui_test_prepare (argc, argv);
  window = ui_window_test_start (&argc, &argv, &app, &tmp_dir);
  g_assert_true (ui_wait_for (ui_window_loaded, window, 60));
  run_dir = g_build_filename (tmp_dir, "watched-run", NULL);
  start_writer ();

  g_test_add_func ("/ui/window/locked-run-refused", test_locked_run_refused);
  status = ui_window_test_run (window, app, tmp_dir);
  if (writer_pid != 0)
    {
      kill (writer_pid, SIGKILL);
      waitpid (writer_pid, NULL, 0);
    }
  g_free (run_dir);
  return status;
}
