/* zi-run-watch.c — following a run that another process writes (see zi-run-watch.h). */
#include "config.h"
#include "zi-run-watch.h"

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <stdio.h>
#include <string.h>

/* What is read of metrics.jsonl at a time; a longer gap is read over several polls. */
#define READ_MAX (4 * 1024 * 1024)

struct _ZiRunWatch {
  char                *run_dir;
  char                *metrics_path;
  guint64              metrics_end;     /* where the next complete line starts */
  ZiRunWatchCallbacks  cb;
  gpointer             user_data;

  GFileMonitor        *metrics_monitor;
  GFileMonitor        *checkpoints_monitor;
  GSource             *poll;
  GSource             *soon;            /* an early poll after a file event */

  gboolean             polled;          /* the first poll reports checkpoints and writer as they are */
  GArray              *steps;           /* last reported checkpoints */
  guint64              best_step;
  gboolean             has_writer;      /* last reported writer */
  ZiRunWriter          writer;
};

/* Reads the complete lines appended since metrics_end and reports the records among them. A line
 * that does not parse is skipped (the reader of the whole file names it); a file that shrank was
 * replaced, and is read again from its start. */
static void
read_metrics (ZiRunWatch *self)
{
  g_autoptr(GArray) records = NULL;
  g_autofree char *buf = NULL;
  const char *p, *end;
  GStatBuf st;
  FILE *f;
  gsize len;

  if (g_stat (self->metrics_path, &st) != 0)
    return;
  if ((guint64) st.st_size < self->metrics_end)
    self->metrics_end = 0;
  if ((guint64) st.st_size == self->metrics_end)
    return;
  f = fopen (self->metrics_path, "rb");
  if (f == NULL)
    return;
  len = (gsize) MIN ((guint64) st.st_size - self->metrics_end, READ_MAX);
  buf = g_malloc (len + 1);
  if (fseeko (f, (off_t) self->metrics_end, SEEK_SET) != 0)
    len = 0;
  else
    len = fread (buf, 1, len, f);
  fclose (f);
  buf[len] = '\0';

  records = g_array_new (FALSE, FALSE, sizeof (ZiRunMetric));
  for (p = buf; (end = memchr (p, '\n', len - (gsize) (p - buf))) != NULL; p = end + 1)
    {
      g_autofree char *line = g_strndup (p, (gsize) (end - p));
      ZiRunMetric m;

      if (line[0] != '\0' && zi_run_metric_from_json (line, &m, NULL))
        g_array_append_val (records, m);
    }
  /* What follows the last '\n' is a line still being written: read again next time. */
  self->metrics_end += (guint64) (p - buf);
  if (records->len > 0 && self->cb.metrics != NULL)
    self->cb.metrics (self->user_data, (const ZiRunMetric *) records->data, records->len);
}

static gboolean
same_steps (GArray *a, GArray *b)
{
  return a != NULL && b != NULL && a->len == b->len
         && memcmp (a->data, b->data, a->len * sizeof (guint64)) == 0;
}

static void
read_checkpoints (ZiRunWatch *self)
{
  g_autoptr(GArray) steps = zi_run_list_checkpoints (self->run_dir);
  guint64 best = G_MAXUINT64;

  zi_run_best_load (self->run_dir, &best, NULL);
  if (self->polled && same_steps (steps, self->steps) && best == self->best_step)
    return;
  g_clear_pointer (&self->steps, g_array_unref);
  self->steps = g_array_ref (steps);
  self->best_step = best;
  if (self->cb.checkpoints != NULL)
    self->cb.checkpoints (self->user_data, steps, best);
}

static void
read_writer (ZiRunWatch *self)
{
  g_auto(ZiRunWriter) now = { 0 };
  gboolean held = zi_run_lock_get_writer (self->run_dir, &now);

  /* A holder that has not written its name yet is reported once it has. */
  if (self->polled && held == self->has_writer
      && (!held || (now.pid == self->writer.pid && now.started == self->writer.started
                    && g_strcmp0 (now.program, self->writer.program) == 0)))
    return;
  zi_run_writer_clear (&self->writer);
  self->has_writer = held;
  if (held)
    {
      self->writer = now;
      memset (&now, 0, sizeof now);
    }
  if (self->cb.writer != NULL)
    self->cb.writer (self->user_data, held ? &self->writer : NULL);
}

static void
poll_now (ZiRunWatch *self)
{
  read_metrics (self);
  read_checkpoints (self);
  read_writer (self);
  self->polled = TRUE;
}

static gboolean
poll_cb (gpointer data)
{
  poll_now (data);
  return G_SOURCE_CONTINUE;
}

static gboolean
soon_cb (gpointer data)
{
  ZiRunWatch *self = data;

  g_clear_pointer (&self->soon, g_source_unref);
  poll_now (self);
  return G_SOURCE_REMOVE;
}

/* A burst of file events (a checkpoint written, renamed, pruned) becomes one early poll. */
static void
changed_cb (GFileMonitor *monitor, GFile *file, GFile *other, GFileMonitorEvent event, gpointer data)
{
  ZiRunWatch *self = data;

  if (self->soon != NULL)
    return;
  self->soon = g_timeout_source_new (50);
  g_source_set_callback (self->soon, soon_cb, self, NULL);
  g_source_set_static_name (self->soon, "[zimaru] run watch");
  g_source_attach (self->soon, g_main_context_get_thread_default ());
}

static GFileMonitor *
monitor (ZiRunWatch *self, const char *path, gboolean directory)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  GFileMonitor *m = directory ? g_file_monitor_directory (file, G_FILE_MONITOR_WATCH_MOVES, NULL, NULL)
                              : g_file_monitor_file (file, G_FILE_MONITOR_NONE, NULL, NULL);

  /* Without a monitor the poll still sees everything, a little later. */
  if (m != NULL)
    g_signal_connect (m, "changed", G_CALLBACK (changed_cb), self);
  return m;
}

ZiRunWatch *
zi_run_watch_new (const char *run_dir, guint64 metrics_end, const ZiRunWatchCallbacks *callbacks,
                  gpointer user_data)
{
  ZiRunWatch *self;
  g_autofree char *checkpoints = NULL;

  g_return_val_if_fail (run_dir != NULL, NULL);
  g_return_val_if_fail (callbacks != NULL, NULL);

  self = g_new0 (ZiRunWatch, 1);
  self->run_dir = g_strdup (run_dir);
  self->metrics_path = g_build_filename (run_dir, "metrics.jsonl", NULL);
  self->metrics_end = metrics_end;
  self->cb = *callbacks;
  self->user_data = user_data;
  self->best_step = G_MAXUINT64;
  checkpoints = zi_run_checkpoints_dir (run_dir);
  self->metrics_monitor = monitor (self, self->metrics_path, FALSE);
  self->checkpoints_monitor = monitor (self, checkpoints, TRUE);
  self->poll = g_timeout_source_new (ZI_RUN_WATCH_POLL_MS);
  g_source_set_callback (self->poll, poll_cb, self, NULL);
  g_source_set_static_name (self->poll, "[zimaru] run watch poll");
  g_source_attach (self->poll, g_main_context_get_thread_default ());
  /* The first report comes from the main loop, not from inside this call. */
  changed_cb (NULL, NULL, NULL, 0, self);
  return self;
}

static void
drop_monitor (ZiRunWatch *self, GFileMonitor **m)
{
  if (*m == NULL)
    return;
  g_signal_handlers_disconnect_by_data (*m, self);
  g_file_monitor_cancel (*m);
  g_clear_object (m);
}

void
zi_run_watch_free (ZiRunWatch *self)
{
  if (self == NULL)
    return;
  drop_monitor (self, &self->metrics_monitor);
  drop_monitor (self, &self->checkpoints_monitor);
  if (self->soon != NULL)
    {
      g_source_destroy (self->soon);
      g_source_unref (self->soon);
    }
  g_source_destroy (self->poll);
  g_source_unref (self->poll);
  g_clear_pointer (&self->steps, g_array_unref);
  zi_run_writer_clear (&self->writer);
  g_free (self->metrics_path);
  g_free (self->run_dir);
  g_free (self);
}

const char *
zi_run_watch_get_run_dir (ZiRunWatch *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->run_dir;
}
