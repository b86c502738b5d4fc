/* zi-run-watch.h — following a run directory that another process writes, for a window that shows
 * it read-only: new records of metrics.jsonl as they are appended (a torn last line is read once its
 * '\n' arrives), changes to the checkpoint files and best.json, and the writer named by RUN/.lock
 * coming and going. GFileMonitor reports changes at once where the file system can tell; a poll every
 * ZI_RUN_WATCH_POLL_MS catches the rest (network file systems, and the lock, which no file event
 * announces when its holder dies). Everything is reported on the thread-default main context of the
 * caller of zi_run_watch_new(), through the callbacks it was given. */
#pragma once

#include <glib.h>
#include "zi-run.h"
#include "zi-run-lock.h"

G_BEGIN_DECLS

#define ZI_RUN_WATCH_POLL_MS 1000

typedef struct _ZiRunWatch ZiRunWatch;

typedef struct {
  /* Records appended to metrics.jsonl since the last report (n ≥ 1), in file order. */
  void (*metrics)     (gpointer user_data, const ZiRunMetric *records, guint n);
  /* The checkpoint files or the best checkpoint changed: steps ascending (GArray of guint64), and
   * best_step (G_MAXUINT64 when best.json names none). */
  void (*checkpoints) (gpointer user_data, GArray *steps, guint64 best_step);
  /* The lock's holder changed: writer is who holds it now, or NULL when no one does. */
  void (*writer)      (gpointer user_data, const ZiRunWriter *writer);
} ZiRunWatchCallbacks;

/* Starts following run_dir. metrics_end is where metrics.jsonl is read from (the end that
 * zi_run_metrics_load_to() gave for the records the caller already has). The checkpoints and writer
 * callbacks are first called on the first poll, with what the run holds then. */
ZiRunWatch *zi_run_watch_new  (const char                *run_dir,
                               guint64                    metrics_end,
                               const ZiRunWatchCallbacks *callbacks,
                               gpointer                   user_data);
/* Stops: no callback runs after this. NULL is fine. */
void        zi_run_watch_free (ZiRunWatch *watch);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (ZiRunWatch, zi_run_watch_free)

const char *zi_run_watch_get_run_dir (ZiRunWatch *watch);

G_END_DECLS
