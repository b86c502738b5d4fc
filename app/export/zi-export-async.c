/* zi-export-async.c — the export job on a worker thread (GTask), for the window and for the CLI,
 * which waits in a main loop so that Ctrl+C cancels cleanly: one export (zi_export_run) or a family
 * of styles (zi_export_family_run). */
#include "config.h"
#include "zi-export-private.h"

#include <pthread.h>

/* Progress crosses from the worker to the caller's main context through this relay: the worker
 * stores the newest numbers and schedules one idle call if none is pending, so a fast export never
 * floods the main loop. Reference-counted because the idle may outlive the task. A pthread mutex,
 * not a GMutex: GLib's futex-based mutex is invisible to ThreadSanitizer, which tests/reliability runs. */
typedef struct {
  pthread_mutex_t lock;
  guint64        done, total;
  gboolean       pending;
  ZiProgressFunc func;
  gpointer       data;
  GMainContext  *context;
} ProgressRelay;

static void
progress_relay_clear (gpointer data)
{
  ProgressRelay *relay = data;

  pthread_mutex_destroy (&relay->lock);
  g_main_context_unref (relay->context);
}

static void
progress_relay_unref (gpointer data)
{
  g_atomic_rc_box_release_full (data, progress_relay_clear);
}

static gboolean
progress_relay_deliver_cb (gpointer data)
{
  ProgressRelay *relay = data;
  guint64 done, total;

  pthread_mutex_lock (&relay->lock);
  done = relay->done;
  total = relay->total;
  relay->pending = FALSE;
  pthread_mutex_unlock (&relay->lock);
  relay->func (done, total, relay->data);
  return G_SOURCE_REMOVE;
}

static void
progress_relay_post (guint64 done, guint64 total, gpointer data)
{
  ProgressRelay *relay = data;
  gboolean schedule;

  pthread_mutex_lock (&relay->lock);
  relay->done = done;
  relay->total = total;
  schedule = !relay->pending;
  relay->pending = TRUE;
  pthread_mutex_unlock (&relay->lock);
  if (schedule)
    g_main_context_invoke_full (relay->context, G_PRIORITY_DEFAULT, progress_relay_deliver_cb,
                                g_atomic_rc_box_acquire (relay), progress_relay_unref);
}

typedef struct {
  ZiExportSource  *source;   /* one export, or */
  ZiFont          *target;
  ZiExportStyle   *styles;   /* a family: n_styles styles */
  guint            n_styles;
  gunichar        *chars;
  guint            n;
  char            *out_dir;
  ZiExportOptions  options;
  char            *family_suffix;
  char            *style_name;
  ProgressRelay   *relay;
  ZiExportSummary  summary;
} AsyncJob;

static void
async_job_free (gpointer data)
{
  AsyncJob *job = data;

  if (job->source != NULL)
    zi_export_source_free (job->source);
  zi_font_free (job->target);
  zi_export_styles_free (job->styles, job->n_styles);
  g_free (job->chars);
  g_free (job->out_dir);
  g_free (job->family_suffix);
  g_free (job->style_name);
  if (job->relay != NULL)
    progress_relay_unref (job->relay);
  g_free (job);
}

static void
export_thread (GTask *task, gpointer source_object, gpointer task_data, GCancellable *cancellable)
{
  AsyncJob *job = task_data;
  GError *error = NULL;

  gboolean ok;

  if (job->styles != NULL)
    {
      /* The family run takes the styles. */
      ok = zi_export_family_run (job->styles, job->n_styles, job->chars, job->n, job->out_dir,
                                 &job->options, &job->summary,
                                 job->relay ? progress_relay_post : NULL, job->relay, cancellable,
                                 &error);
      job->styles = NULL;
      job->n_styles = 0;
    }
  else
    ok = zi_export_run (job->source, job->target, job->chars, job->n, job->out_dir, &job->options,
                        &job->summary, job->relay ? progress_relay_post : NULL, job->relay,
                        cancellable, &error);
  if (ok)
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

/* Runs job (its source or styles already set) on a worker thread. */
static void
start_job (AsyncJob              *job,
           const gunichar        *chars,
           guint                  n,
           const char            *out_dir,
           const ZiExportOptions *options,
           ZiProgressFunc         progress,
           gpointer               progress_data,
           GCancellable          *cancellable,
           GAsyncReadyCallback    callback,
           gpointer               user_data)
{
  g_autoptr(GTask) task = NULL;

  job->chars = g_memdup2 (chars, (gsize) n * sizeof (gunichar));
  job->n = n;
  job->out_dir = g_strdup (out_dir);
  job->options = *options;
  job->family_suffix = g_strdup (options->family_suffix);
  job->options.family_suffix = job->family_suffix;
  job->style_name = g_strdup (options->style_name);
  job->options.style_name = job->style_name;
  if (progress != NULL)
    {
      job->relay = g_atomic_rc_box_new0 (ProgressRelay);
      pthread_mutex_init (&job->relay->lock, NULL);
      job->relay->func = progress;
      job->relay->data = progress_data;
      job->relay->context = g_main_context_ref_thread_default ();
    }

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, zi_export_run_async);
  g_task_set_name (task, "zi-export");
  g_task_set_task_data (task, job, async_job_free);
  /* Report our own ZI_ERROR_CANCELLED (naming the output) rather than GIO's generic one. */
  g_task_set_check_cancellable (task, FALSE);
  g_task_run_in_thread (task, export_thread);
}

void
zi_export_run_async (ZiExportSource        *source,
                     ZiFont                *target,
                     const gunichar        *chars,
                     guint                  n,
                     const char            *out_dir,
                     const ZiExportOptions *options,
                     ZiProgressFunc         progress,
                     gpointer               progress_data,
                     GCancellable          *cancellable,
                     GAsyncReadyCallback    callback,
                     gpointer               user_data)
{
  AsyncJob *job;

  g_return_if_fail (source != NULL);
  g_return_if_fail (target != NULL);
  g_return_if_fail (chars != NULL || n == 0);
  g_return_if_fail (out_dir != NULL);
  g_return_if_fail (options != NULL);

  job = g_new0 (AsyncJob, 1);
  job->source = source;
  job->target = target;
  start_job (job, chars, n, out_dir, options, progress, progress_data, cancellable, callback,
             user_data);
}

void
zi_export_family_run_async (ZiExportStyle         *styles,
                            guint                  n_styles,
                            const gunichar        *chars,
                            guint                  n,
                            const char            *out_dir,
                            const ZiExportOptions *options,
                            ZiProgressFunc         progress,
                            gpointer               progress_data,
                            GCancellable          *cancellable,
                            GAsyncReadyCallback    callback,
                            gpointer               user_data)
{
  AsyncJob *job;

  g_return_if_fail (styles != NULL && n_styles > 0);
  g_return_if_fail (chars != NULL || n == 0);
  g_return_if_fail (out_dir != NULL);
  g_return_if_fail (options != NULL);

  job = g_new0 (AsyncJob, 1);
  job->styles = styles;
  job->n_styles = n_styles;
  start_job (job, chars, n, out_dir, options, progress, progress_data, cancellable, callback,
             user_data);
}

gboolean
zi_export_run_finish (GAsyncResult     *result,
                      ZiExportSummary  *summary,
                      GError          **error)
{
  AsyncJob *job;

  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == zi_export_run_async, FALSE);

  job = g_task_get_task_data (G_TASK (result));
  if (!g_task_propagate_boolean (G_TASK (result), error))
    return FALSE;
  if (summary != NULL)
    *summary = job->summary;
  return TRUE;
}
