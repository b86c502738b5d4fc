/* test-run-watch.c — zi-run-watch.h without a display: a watcher of a run directory reports the
 * records appended to metrics.jsonl (not those read before it started, and a torn last line only
 * once it is complete), the checkpoint files as they come and go, and the lock's holder coming and
 * going. */
#include "zi-error.h"
#include "zi-run.h"
#include "zi-run-lock.h"
#include "zi-run-watch.h"

#include <glib/gstdio.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

typedef struct {
  GArray  *steps;        /* of the metrics records reported, in order */
  GArray  *checkpoints;  /* the last checkpoint list reported */
  guint64  best;
  guint    n_checkpoint_reports;
  gboolean has_writer;
  gint64   writer_pid;
  char    *writer_program;
  guint    n_writer_reports;
} Seen;

static void
metrics_cb (gpointer data, const ZiRunMetric *records, guint n)
{
  Seen *seen = data;

  for (guint i = 0; i < n; i++)
    g_array_append_val (seen->steps, records[i].step);
}

static void
checkpoints_cb (gpointer data, GArray *steps, guint64 best)
{
  Seen *seen = data;

  g_clear_pointer (&seen->checkpoints, g_array_unref);
  seen->checkpoints = g_array_ref (steps);
  seen->best = best;
  seen->n_checkpoint_reports++;
}

static void
writer_cb (gpointer data, const ZiRunWriter *writer)
{
  Seen *seen = data;

  seen->has_writer = writer != NULL;
  seen->writer_pid = writer != NULL ? writer->pid : 0;
  g_free (seen->writer_program);
  seen->writer_program = writer != NULL ? g_strdup (writer->program) : NULL;
  seen->n_writer_reports++;
}

static void
append (const char *path, const char *text)
{
  FILE *f = fopen (path, "ab");

  g_assert_nonnull (f);
  g_assert_cmpint (fputs (text, f), >=, 0);
  g_assert_cmpint (fclose (f), ==, 0);
}

static char *
metric_line (guint64 step)
{
  ZiRunMetric m = { 0 };
  g_autofree char *json = NULL;

  m.step = step;
  m.images = step * 4;
  m.l1 = 0.5;
  json = zi_run_metric_to_json (&m);
  return g_strconcat (json, "\n", NULL);
}

typedef gboolean (*Cond) (Seen *seen, gpointer data);

static gboolean
timeout_cb (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

/* Runs the main loop until cond holds, for at most three polls. */
static gboolean
wait_for (Cond cond, Seen *seen, gpointer data)
{
  gboolean timed_out = FALSE;
  guint id = g_timeout_add (3 * ZI_RUN_WATCH_POLL_MS + 500, timeout_cb, &timed_out);

  while (!cond (seen, data) && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  if (!timed_out)
    g_source_remove (id);
  return cond (seen, data);
}

static gboolean
n_steps (Seen *seen, gpointer data)
{
  return seen->steps->len >= GPOINTER_TO_UINT (data);
}

static gboolean
n_checkpoints (Seen *seen, gpointer data)
{
  return seen->checkpoints != NULL && seen->checkpoints->len == GPOINTER_TO_UINT (data);
}

static gboolean
writer_is (Seen *seen, gpointer data)
{
  return seen->n_writer_reports > 0 && seen->has_writer == (data != NULL)
         && (data == NULL || g_strcmp0 (seen->writer_program, data) == 0);
}

static void
touch_checkpoint (const char *run_dir, guint64 step)
{
  g_autofree char *path = zi_run_checkpoint_path (run_dir, step);

  g_assert_true (g_file_set_contents (path, "x", 1, NULL));
}

static void
test_follow (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *run_dir = g_dir_make_tmp ("zi-run-watch-XXXXXX", &error);
  g_autofree char *metrics = g_build_filename (run_dir, "metrics.jsonl", NULL);
  g_autofree char *checkpoints = g_build_filename (run_dir, "checkpoints", NULL);
  g_autoptr(GArray) loaded = NULL;
  g_autoptr(ZiRunWatch) watch = NULL;
  g_autoptr(ZiRunLock) lock = NULL;
  ZiRunWatchCallbacks cb = { metrics_cb, checkpoints_cb, writer_cb };
  Seen seen = { 0 };
  guint64 end = 0, written = 0;

  g_assert_no_error (error);
  g_assert_cmpint (g_mkdir (checkpoints, 0755), ==, 0);
  seen.steps = g_array_new (FALSE, FALSE, sizeof (guint64));
  for (guint64 s = 10; s <= 30; s += 10)
    {
      g_autofree char *line = metric_line (s);
      append (metrics, line);
      written += strlen (line);
    }
  /* A line being written when the window opens the run: not read yet, read once complete. */
  {
    g_autofree char *line = metric_line (40);
    g_autofree char *torn = g_strndup (line, strlen (line) / 2);

    append (metrics, torn);
    loaded = zi_run_metrics_load_to (run_dir, &end, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (loaded->len, ==, 3);
    g_assert_cmpuint (end, ==, written);

    touch_checkpoint (run_dir, 20);
    watch = zi_run_watch_new (run_dir, end, &cb, &seen);
    g_assert_cmpstr (zi_run_watch_get_run_dir (watch), ==, run_dir);
    /* The first poll: the checkpoints as they are, and no writer. */
    g_assert_true (wait_for (n_checkpoints, &seen, GUINT_TO_POINTER (1)));
    g_assert_true (wait_for (writer_is, &seen, NULL));
    g_assert_cmpuint (seen.steps->len, ==, 0);

    append (metrics, line + strlen (line) / 2);
  }
  g_assert_true (wait_for (n_steps, &seen, GUINT_TO_POINTER (1)));
  g_assert_cmpuint (g_array_index (seen.steps, guint64, 0), ==, 40);

  /* A torn append stays unread until its end comes; then both records arrive, in order. */
  {
    g_autofree char *l50 = metric_line (50);
    g_autofree char *l60 = metric_line (60);
    g_autofree char *head = g_strndup (l60, 7);

    append (metrics, l50);
    append (metrics, head);
    g_assert_true (wait_for (n_steps, &seen, GUINT_TO_POINTER (2)));
    /* Two polls later the torn line is still unread. */
    for (gint64 until = g_get_monotonic_time () + 2 * ZI_RUN_WATCH_POLL_MS * 1000; g_get_monotonic_time () < until;)
      g_main_context_iteration (NULL, FALSE), g_usleep (10000);
    g_assert_cmpuint (seen.steps->len, ==, 2);
    append (metrics, l60 + 7);
    g_assert_true (wait_for (n_steps, &seen, GUINT_TO_POINTER (3)));
    g_assert_cmpuint (g_array_index (seen.steps, guint64, 1), ==, 50);
    g_assert_cmpuint (g_array_index (seen.steps, guint64, 2), ==, 60);
  }

  /* Checkpoints come and go (pruning), and best.json marks one. */
  touch_checkpoint (run_dir, 40);
  g_assert_true (wait_for (n_checkpoints, &seen, GUINT_TO_POINTER (2)));
  g_assert_cmpuint (g_array_index (seen.checkpoints, guint64, 1), ==, 40);
  g_assert_cmpuint (seen.best, ==, G_MAXUINT64);
  g_assert_true (zi_run_best_save (run_dir, 40, 0.7, &error));
  g_assert_no_error (error);
  {
    g_autofree char *old = zi_run_checkpoint_path (run_dir, 20);
    g_assert_cmpint (g_unlink (old), ==, 0);
  }
  g_assert_true (wait_for (n_checkpoints, &seen, GUINT_TO_POINTER (1)));
  g_assert_cmpuint (g_array_index (seen.checkpoints, guint64, 0), ==, 40);
  g_assert_cmpuint (seen.best, ==, 40);

  /* A writer comes, named by its lock file, and goes. */
  lock = zi_run_lock_acquire (run_dir, "watched-writer", &error);
  g_assert_no_error (error);
  g_assert_true (wait_for (writer_is, &seen, (gpointer) "watched-writer"));
  g_assert_cmpint (seen.writer_pid, ==, getpid ());
  g_clear_pointer (&lock, zi_run_lock_release);
  g_assert_true (wait_for (writer_is, &seen, NULL));

  g_clear_pointer (&watch, zi_run_watch_free);
  g_array_unref (seen.steps);
  g_clear_pointer (&seen.checkpoints, g_array_unref);
  g_free (seen.writer_program);
  {
    g_autofree char *best = g_build_filename (checkpoints, "best.json", NULL);
    g_autofree char *ckpt = zi_run_checkpoint_path (run_dir, 40);
    g_autofree char *lock_path = zi_run_lock_path (run_dir);
    g_unlink (best);
    g_unlink (ckpt);
    g_unlink (lock_path);
    g_unlink (metrics);
    g_rmdir (checkpoints);
    g_rmdir (run_dir);
  }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/core/run-watch/follow", test_follow);
  return g_test_run ();
}
