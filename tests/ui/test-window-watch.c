/* test-window-watch.c — the real window under Xvfb beside a run that zimaru-cli trains: the run's
 * lock keeps the window from training it (the Train action reports the writer); the window shows
 * the run read-only with a banner naming the writer while the chart and the checkpoint list follow
 * the files; once the CLI stops, the banner offers to continue the run here, and does. A line of
 * metrics.jsonl reaches the chart only once it is complete. */
#include "config.h"

#include "zi-chart.h"
#include "zi-run.h"
#include "zi-run-lock.h"
#include "zi-window.h"

#include <signal.h>
#include <stdio.h>
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

static guint
chart_points (const char *id)
{
  return ui_chart_points (window, id);
}

static gboolean
has_points (gpointer data)
{
  return chart_points ("d_loss") >= GPOINTER_TO_UINT (data);
}

static gboolean
newest_checkpoint_after (gpointer data)
{
  const char * const *cps = zi_training_panel_get_checkpoints (zi_window_get_training_panel (window));
  guint n = cps != NULL ? g_strv_length ((char **) cps) : 0;
  g_autofree char *base = n > 0 ? g_path_get_basename (cps[n - 1]) : NULL;
  guint64 step = 0;

  return base != NULL && zi_run_parse_checkpoint_name (base, &step) && step > GPOINTER_TO_UINT (data);
}

static gboolean
banner_says (gpointer data)
{
  const char *text = zi_training_panel_get_watch_banner (zi_window_get_training_panel (window));
  return text != NULL && strstr (text, data) != NULL;
}

static gboolean
panel_idle (gpointer data)
{
  return zi_training_panel_get_state (zi_window_get_training_panel (window)) == ZI_TRAINER_STATE_IDLE;
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

static void
test_watch_run (void)
{
  ZiTrainingPanel *panel = zi_window_get_training_panel (window);
  g_autofree char *who = g_strdup_printf ("zimaru-cli (pid %d on %s, since ", (int) writer_pid, g_get_host_name ());
  const char * const *cps = zi_training_panel_get_checkpoints (panel);
  g_autofree char *newest = g_path_get_basename (cps[g_strv_length ((char **) cps) - 1]);
  guint64 step = 0;
  guint n;

  /* The run opened by the test before: read-only, with the writer named. */
  g_assert_cmpstr (zi_training_panel_get_run_dir (panel), ==, run_dir);
  g_assert_true (ui_wait_for (banner_says, (gpointer) "is training this run", 10));
  g_test_message ("banner: %s", zi_training_panel_get_watch_banner (panel));
  g_assert_nonnull (strstr (zi_training_panel_get_watch_banner (panel), who));
  /* Nothing to take over while the CLI trains. */
  gtk_widget_activate_action (GTK_WIDGET (panel), "panel.take-over", NULL);
  g_assert_cmpint (zi_training_panel_get_state (panel), ==, ZI_TRAINER_STATE_IDLE);

  /* The chart grows with metrics.jsonl, and new checkpoints join the list. */
  n = chart_points ("d_loss");
  g_assert_true (ui_wait_for (has_points, GUINT_TO_POINTER (n + 3), 60));
  g_assert_true (zi_run_parse_checkpoint_name (newest, &step));
  g_assert_true (ui_wait_for (newest_checkpoint_after, GUINT_TO_POINTER ((guint) step), 60));
  g_assert_cmpint (zi_training_panel_get_state (panel), ==, ZI_TRAINER_STATE_IDLE);

  /* The CLI stops (with a checkpoint): the banner offers to continue here. */
  kill (writer_pid, SIGTERM);
  waitpid (writer_pid, NULL, 0);
  g_spawn_close_pid (writer_pid);
  writer_pid = 0;
  g_assert_true (ui_wait_for (banner_says, (gpointer) "has stopped", 10));
  g_test_message ("banner: %s", zi_training_panel_get_watch_banner (panel));
  g_assert_nonnull (strstr (zi_training_panel_get_watch_banner (panel), "zimaru-cli"));

  /* Taking over: this window trains the run now, under its own lock. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (panel), "panel.take-over", NULL));
  g_assert_cmpint (zi_training_panel_get_state (panel), !=, ZI_TRAINER_STATE_IDLE);
  g_assert_null (zi_training_panel_get_watch_banner (panel));
  zi_training_panel_stop (panel);
  g_assert_true (ui_wait_for (panel_idle, NULL, 120));
  g_assert_false (zi_run_lock_get_writer (run_dir, NULL));
}

/* A copy of the run, opened with no writer: a torn last line stays out of the chart until its end is
 * written. */
static void
test_watch_torn_line (void)
{
  ZiTrainingPanel *panel = zi_window_get_training_panel (window);
  g_autofree char *copy = g_build_filename (tmp_dir, "torn-run", NULL);
  g_autofree char *metrics = g_build_filename (copy, "metrics.jsonl", NULL);
  const char *cp_args[] = { "cp", "-r", run_dir, copy, NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) records = NULL;
  g_autofree char *line = NULL;
  ZiRunMetric m = { 0 };
  gsize half;
  guint n;
  FILE *f;

  run_cli (cp_args);
  records = zi_run_metrics_load (copy, &error);
  g_assert_no_error (error);
  g_assert_true (zi_window_open_run (window, copy, &error));
  g_assert_no_error (error);
  g_assert_null (zi_training_panel_get_watch_banner (panel));
  n = chart_points ("d_loss");
  g_assert_cmpuint (n, ==, records->len);

  m = g_array_index (records, ZiRunMetric, records->len - 1);
  m.step += 1000;
  m.has_val = FALSE;
  line = zi_run_metric_to_json (&m);
  half = strlen (line) / 2;
  f = fopen (metrics, "ab");
  fwrite (line, 1, half, f);
  fclose (f);
  ui_spin (2.5);
  g_assert_cmpuint (chart_points ("d_loss"), ==, n);
  f = fopen (metrics, "ab");
  fputs (line + half, f);
  fputs ("\n", f);
  fclose (f);
  g_assert_true (ui_wait_for (has_points, GUINT_TO_POINTER (n + 1), 10));
  ui_spin (1.5);
  g_assert_cmpuint (chart_points ("d_loss"), ==, n + 1);
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
  g_test_add_func ("/ui/window/watch-run", test_watch_run);
  g_test_add_func ("/ui/window/watch-torn-line", test_watch_torn_line);
  status = ui_window_test_run (window, app, tmp_dir);
  if (writer_pid != 0)
    {
      kill (writer_pid, SIGKILL);
      waitpid (writer_pid, NULL, 0);
    }
  g_free (run_dir);
  return status;
}
