/* zi-trainer.c — the trainer object: controls (pause, resume, stop, lr), the worker thread and the
 * delivery of event records to the caller's main context. The training session itself (dataset,
 * model, steps, checkpoints, rollback) is zi-trainer-session.c, with its validation and reports in
 * zi-trainer-session-report.c; this file runs it on the worker. The calls go one way: this file steers the session through the flags of
 * zi-trainer-control.h (which the session reads between steps) and hands it deliver_event() for its
 * events; the session calls nothing here.
 *
 * Threads: the worker alone owns the model. Events are copied and delivered by idle sources attached to the caller's context; each carries a
 * weak reference to the trainer and the delivery generation, so an event queued before the trainer
 * was disposed (or before the callback was replaced) is dropped instead of reaching a dead window
 * (gnome-text-editor's statistics worker does the same). */
#include "config.h"
#include "zi-trainer.h"
#include "zi-error.h"
#include "zi-range.h"
#include "zi-run.h"
#include "zi-run-lock.h"
#include "zi-trainer-control.h"
#include "zi-trainer-init.h"
#include "zi-trainer-session.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <math.h>
#include <pthread.h>
#include <string.h>
#ifdef __linux__
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>
#endif

struct _ZiTrainer {
  GObject          parent_instance;

  ZiTrainerConfig  config;
  char            *run_dir;
  char            *resume_checkpoint;  /* NULL for a new run */
  gboolean         resuming;
  gboolean         created_run_dir;
  ZiRunLock       *run_lock;           /* RUN/.lock, from the constructor to the session's end */
  float            run_lr_g, run_lr_d; /* run.json's rates at resume, to see a caller's override */
  const ZiTrainerDist *dist;           /* a data-parallel job's (zi-trainer-dist.h), or NULL */

  /* Delivery; set before start, read by the worker and in delivery callbacks. */
  GMainContext      *context;
  ZiTrainerEventFunc func;
  gpointer           user_data;
  GDestroyNotify     destroy;
  gint               generation;       /* atomic */
  gboolean           synchronous;      /* zi_trainer_run: deliver on the calling thread */
  int                nice;             /* added to the worker thread's nice value; before start */

  ZiTrainerControl *control;           /* pause, stop, rates, state and step, shared with the worker */
  GCancellable    *cancellable;        /* cancels dataset loading on stop */

  /* Under lock. POSIX primitives rather than GMutex: GLib's futex-based ones are invisible to
   * ThreadSanitizer, which then reports every guarded field as a race. */
  pthread_mutex_t  lock;
  GThread         *thread;
  GError          *error;              /* the failure of a finished run */
};

G_DEFINE_FINAL_TYPE (ZiTrainer, zi_trainer, G_TYPE_OBJECT)

typedef struct {
  GWeakRef        trainer;
  gint            generation;
  ZiTrainerEvent *event;
  gint            published;  /* set last by the worker, read first by the receiver (atomically) */
} Delivery;

static void
delivery_free (gpointer data)
{
  Delivery *d = data;

  g_weak_ref_clear (&d->trainer);
  zi_trainer_event_free (d->event);
  g_free (d);
}

static gboolean
deliver_cb (gpointer data)
{
  Delivery *d = data;
  g_autoptr(ZiTrainer) self = NULL;

  /* The idle source already orders these, but inside GLib where ThreadSanitizer cannot see it;
   * this pair of atomics states the hand-over in our own code. */
  g_assert (g_atomic_int_get (&d->published));
  self = g_weak_ref_get (&d->trainer);
  if (self != NULL && self->func != NULL && d->generation == g_atomic_int_get (&self->generation))
    self->func (self, d->event, self->user_data);
  return G_SOURCE_REMOVE;
}

/* The session's event function: stamps the state and delivers a copy to the caller's context (or
 * calls the caller at once when delivery is synchronous). */
static void
deliver_event (ZiTrainerEvent *event, gpointer user_data)
{
  ZiTrainer *self = user_data;
  Delivery *d;
  g_autoptr(GSource) source = NULL;

  event->state = zi_trainer_control_get_state (self->control);
  if (self->func == NULL)
    return;
  if (self->synchronous || self->context == NULL)
    {
      self->func (self, event, self->user_data);
      return;
    }
  /* An idle source rather than g_main_context_invoke(), which would run the callback right here
   * on the worker whenever the caller's context happens to be free. */
  d = g_new0 (Delivery, 1);
  g_weak_ref_init (&d->trainer, self);
  d->generation = g_atomic_int_get (&self->generation);
  d->event = zi_trainer_event_copy (event);
  g_atomic_int_set (&d->published, 1);
  source = g_idle_source_new ();
  g_source_set_priority (source, G_PRIORITY_DEFAULT);
  g_source_set_callback (source, deliver_cb, d, delivery_free);
  g_source_set_static_name (source, "[zimaru] trainer event");
  g_source_attach (source, self->context);
}

/* ---- GObject ---- */

static void
zi_trainer_dispose (GObject *object)
{
  ZiTrainer *self = ZI_TRAINER (object);

  /* Events still queued for this trainer become stale. */
  g_atomic_int_inc (&self->generation);
  if (self->thread != NULL)
    {
      g_autoptr(GError) error = NULL;
      zi_trainer_stop (self);
      zi_trainer_wait (self, &error);
    }
  if (self->destroy != NULL)
    self->destroy (self->user_data);
  self->destroy = NULL;
  self->func = NULL;
  self->user_data = NULL;
  g_clear_pointer (&self->context, g_main_context_unref);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (zi_trainer_parent_class)->dispose (object);
}

static void
zi_trainer_finalize (GObject *object)
{
  ZiTrainer *self = ZI_TRAINER (object);

  zi_trainer_config_clear (&self->config);
  g_clear_pointer (&self->run_lock, zi_run_lock_release);
  g_free (self->run_dir);
  g_free (self->resume_checkpoint);
  g_clear_error (&self->error);
  g_clear_pointer (&self->control, zi_trainer_control_free);
  pthread_mutex_destroy (&self->lock);

  G_OBJECT_CLASS (zi_trainer_parent_class)->finalize (object);
}

static void
zi_trainer_class_init (ZiTrainerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = zi_trainer_dispose;
  object_class->finalize = zi_trainer_finalize;
}

static void
zi_trainer_init (ZiTrainer *self)
{
  pthread_mutex_init (&self->lock, NULL);
  self->control = zi_trainer_control_new ();
  self->cancellable = g_cancellable_new ();
}

/* The test hook of zi-trainer.h: ZIMARU_POISON_STEP overrides the config's poison_step. */
static void
apply_poison_env (ZiTrainerConfig *cfg)
{
  const char *env = g_getenv ("ZIMARU_POISON_STEP");

  if (env != NULL && *env != '\0')
    cfg->poison_step = g_ascii_strtoull (env, NULL, 10);
}

/* The constructors; take_lock FALSE for a data-parallel job's other ranks (rank 0 holds the lock). */
static ZiTrainer *
trainer_new (const ZiTrainerConfig *config, const char *run_dir, gboolean take_lock, GError **error)
{
  g_autoptr(ZiTrainer) self = NULL;
  g_autofree char *info_path = NULL;

  g_return_val_if_fail (config != NULL, NULL);
  g_return_val_if_fail (run_dir != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!zi_trainer_config_validate (config, error))
    return NULL;
  /* What a starting model fixes (zi-trainer-init.h), before anything is written. */
  ZiTrainerConfig own;
  zi_trainer_config_copy (&own, config);
  if (!zi_trainer_init_adopt (&own, error) || !zi_trainer_config_validate (&own, error))
    {
      zi_trainer_config_clear (&own);
      return NULL;
    }
  info_path = zi_run_info_path (run_dir);
  if (g_file_test (info_path, G_FILE_TEST_EXISTS))
    {
      g_set_error (error, ZI_ERROR, ZI_ERROR_EXISTS,
                   _("The directory %s already holds a run; continue it with --resume or choose another "
                     "directory."), run_dir);
      zi_trainer_config_clear (&own);
      return NULL;
    }
  gboolean created = !g_file_test (run_dir, G_FILE_TEST_EXISTS);
  if (g_mkdir_with_parents (run_dir, 0755) != 0)
    {
      int saved = errno;
      g_set_error (error, ZI_ERROR, ZI_ERROR_IO, _("Cannot create the run directory %s: %s"),
                   run_dir, g_strerror (saved));
      zi_trainer_config_clear (&own);
      return NULL;
    }
  self = g_object_new (ZI_TYPE_TRAINER, NULL);
  /* Before anything is written: another writer may be preparing a new run in the same folder. */
  self->run_lock = take_lock ? zi_run_lock_acquire (run_dir, NULL, error) : NULL;
  if (take_lock && self->run_lock == NULL)
    {
      if (created)
        g_rmdir (run_dir);
      zi_trainer_config_clear (&own);
      return NULL;
    }
  self->config = own;
  apply_poison_env (&self->config);
  self->run_dir = g_strdup (run_dir);
  self->created_run_dir = created;
  return g_steal_pointer (&self);
}

static ZiTrainer *
trainer_new_resume (const char *run_dir, const char *checkpoint, gboolean take_lock, GError **error)
{
  g_autoptr(ZiTrainer) self = NULL;
  ZiRunInfo info = { 0 };
  g_autofree char *ckpt = NULL;

  g_return_val_if_fail (run_dir != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!zi_run_info_load (run_dir, &info, error))
    return NULL;
  self = g_object_new (ZI_TYPE_TRAINER, NULL);
  /* Held until the session ends: nothing of the run is read for writing or written before. */
  self->run_lock = take_lock ? zi_run_lock_acquire (run_dir, NULL, error) : NULL;
  if (take_lock && self->run_lock == NULL)
    {
      zi_run_info_clear (&info);
      return NULL;
    }
  if (!zi_trainer_config_from_json (&self->config, info.config_json, error))
    {
      g_prefix_error (error, _("In %s: "), run_dir);
      zi_run_info_clear (&info);
      return NULL;
    }
  zi_run_info_clear (&info);
  if (checkpoint != NULL)
    ckpt = g_strdup (checkpoint);
  else if ((ckpt = zi_run_newest_checkpoint (run_dir, error)) == NULL)
    return NULL;
  if (!g_file_test (ckpt, G_FILE_TEST_IS_REGULAR))
    {
      g_set_error (error, ZI_ERROR, ZI_ERROR_CHECKPOINT, _("The checkpoint %s does not exist."), ckpt);
      return NULL;
    }
  apply_poison_env (&self->config);
  self->run_dir = g_strdup (run_dir);
  /* The step, known from the file name before the worker loads the checkpoint, so callers can set
   * bounds relative to it (zi_trainer_get_step). */
  {
    g_autofree char *base = g_path_get_basename (ckpt);
    guint64 step = 0;
    zi_run_parse_checkpoint_name (base, &step);
    zi_trainer_control_set_step (self->control, step);
  }
  self->resume_checkpoint = g_steal_pointer (&ckpt);
  self->resuming = TRUE;
  self->run_lr_g = self->config.opt_g.lr;
  self->run_lr_d = self->config.opt_d.lr;
  return g_steal_pointer (&self);
}

ZiTrainer *
zi_trainer_new (const ZiTrainerConfig *config, const char *run_dir, GError **error)
{
  return trainer_new (config, run_dir, TRUE, error);
}

ZiTrainer *
zi_trainer_new_resume (const char *run_dir, const char *checkpoint, GError **error)
{
  return trainer_new_resume (run_dir, checkpoint, TRUE, error);
}

ZiTrainer *
zi_trainer_new_replica (const ZiTrainerConfig *config, const char *run_dir, const char *checkpoint,
                        GError **error)
{
  return config != NULL ? trainer_new (config, run_dir, FALSE, error)
                        : trainer_new_resume (run_dir, checkpoint, FALSE, error);
}

void
zi_trainer_set_dist (ZiTrainer *self, const ZiTrainerDist *dist)
{
  g_return_if_fail (ZI_IS_TRAINER (self));
  self->dist = dist;
}

const ZiTrainerConfig *
zi_trainer_get_config (ZiTrainer *self)
{
  g_return_val_if_fail (ZI_IS_TRAINER (self), NULL);
  return &self->config;
}

ZiTrainerConfig *
zi_trainer_get_config_mutable (ZiTrainer *self)
{
  g_return_val_if_fail (ZI_IS_TRAINER (self), NULL);

  return zi_trainer_control_is_started (self->control) ? NULL : &self->config;
}

const char *
zi_trainer_get_run_dir (ZiTrainer *self)
{
  g_return_val_if_fail (ZI_IS_TRAINER (self), NULL);
  return self->run_dir;
}

ZiTrainerState
zi_trainer_get_state (ZiTrainer *self)
{
  g_return_val_if_fail (ZI_IS_TRAINER (self), ZI_TRAINER_STATE_IDLE);

  return zi_trainer_control_get_state (self->control);
}

guint64
zi_trainer_get_step (ZiTrainer *self)
{
  g_return_val_if_fail (ZI_IS_TRAINER (self), 0);

  return zi_trainer_control_get_step (self->control);
}

void
zi_trainer_set_event_func (ZiTrainer *self, GMainContext *context, ZiTrainerEventFunc func,
                           gpointer user_data, GDestroyNotify destroy)
{
  g_return_if_fail (ZI_IS_TRAINER (self));
  g_return_if_fail (!zi_trainer_control_is_started (self->control));

  g_atomic_int_inc (&self->generation);
  if (self->destroy != NULL)
    self->destroy (self->user_data);
  g_clear_pointer (&self->context, g_main_context_unref);
  self->context = context ? g_main_context_ref (context) : NULL;
  self->func = func;
  self->user_data = user_data;
  self->destroy = destroy;
}

static gboolean
mark_started (ZiTrainer *self, GError **error)
{
  if (!zi_trainer_control_start (self->control))
    {
      g_set_error (error, ZI_ERROR, ZI_ERROR_INVALID, _("This trainer has already been started."));
      return FALSE;
    }
  return TRUE;
}

/* Runs the session (which ends with FINISHED or FAILED) and keeps its failure for zi_trainer_wait. */
static gboolean
run_to_end (ZiTrainer *self, GError **error)
{
  g_autoptr(GError) local = NULL;
  ZiTrainerSessionSetup setup = { 0 };
  gboolean ok;

  setup.config = &self->config;
  setup.run_dir = self->run_dir;
  setup.resume = self->resuming ? self->resume_checkpoint : NULL;
  setup.run_lr_g = self->run_lr_g;
  setup.run_lr_d = self->run_lr_d;
  setup.created_run_dir = self->created_run_dir;
  setup.cancellable = self->cancellable;
  setup.dist = self->dist;
  ok = zi_trainer_session_run (&setup, self->control, deliver_event, self, &local);
  /* The run is written: the next writer may come. */
  g_clear_pointer (&self->run_lock, zi_run_lock_release);
  if (ok)
    return TRUE;

  pthread_mutex_lock (&self->lock);
  g_clear_error (&self->error);
  self->error = g_error_copy (local);
  pthread_mutex_unlock (&self->lock);
  g_propagate_error (error, g_steal_pointer (&local));
  return FALSE;
}

/* On Linux the nice value belongs to a thread, and threads it creates inherit it: lowering it here
 * covers the engine's threads, which the session creates with its model. */
static void
lower_priority (int increment)
{
#ifdef __linux__
  id_t tid = (id_t) syscall (SYS_gettid);
  errno = 0;
  int current = getpriority (PRIO_PROCESS, tid);
  if (errno != 0)
    return;
  int target = MIN (current + increment, 19);
  if (setpriority (PRIO_PROCESS, tid, target) != 0)
    g_debug ("could not lower the training thread's priority to nice %d: %s", target,
             g_strerror (errno));
#else
  (void) increment;
#endif
}

static gpointer
worker_thread (gpointer data)
{
  ZiTrainer *self = data;

  if (self->nice > 0)
    lower_priority (self->nice);
  run_to_end (self, NULL);
  return NULL;
}

void
zi_trainer_set_nice (ZiTrainer *self, int increment)
{
  g_return_if_fail (ZI_IS_TRAINER (self));

  self->nice = CLAMP (increment, 0, 19);
}

gboolean
zi_trainer_start (ZiTrainer *self, GError **error)
{
  g_return_val_if_fail (ZI_IS_TRAINER (self), FALSE);

  if (!mark_started (self, error))
    return FALSE;
  /* The worker does not hold a reference: disposing the trainer stops and joins it. */
  GThread *thread = g_thread_try_new ("zimaru-trainer", worker_thread, self, error);
  pthread_mutex_lock (&self->lock);
  self->thread = thread;
  pthread_mutex_unlock (&self->lock);
  return thread != NULL;
}

gboolean
zi_trainer_run (ZiTrainer *self, GError **error)
{
  g_return_val_if_fail (ZI_IS_TRAINER (self), FALSE);

  if (!mark_started (self, error))
    return FALSE;
  self->synchronous = TRUE;
  return run_to_end (self, error);
}

void
zi_trainer_pause (ZiTrainer *self)
{
  g_return_if_fail (ZI_IS_TRAINER (self));

  zi_trainer_control_pause (self->control);
}

void
zi_trainer_resume (ZiTrainer *self)
{
  g_return_if_fail (ZI_IS_TRAINER (self));

  zi_trainer_control_resume (self->control);
}

void
zi_trainer_stop (ZiTrainer *self)
{
  g_return_if_fail (ZI_IS_TRAINER (self));

  zi_trainer_control_stop (self->control);
  g_cancellable_cancel (self->cancellable);
}

gboolean
zi_trainer_set_lr (ZiTrainer *self, float lr_g, float lr_d, GError **error)
{
  g_return_val_if_fail (ZI_IS_TRAINER (self), FALSE);

  /* D's rate ≤ 0 keeps its ratio to G's. */
  if (!zi_check_range (lr_g, 0.0, 10.0, ZI_RANGE_OPEN, _("The generator learning rate"), error)
      || (!zi_in_range (lr_d, -INFINITY, 0.0, ZI_RANGE_CLOSED)
          && !zi_check_range (lr_d, 0.0, 10.0, ZI_RANGE_OPEN, _("The discriminator learning rate"), error)))
    return FALSE;
  if (!zi_trainer_control_set_lr (self->control, lr_g, lr_d))
    {
      g_set_error (error, ZI_ERROR, ZI_ERROR_INVALID,
                   _("The learning rate can only be changed while training is paused."));
      return FALSE;
    }
  return TRUE;
}

gboolean
zi_trainer_wait (ZiTrainer *self, GError **error)
{
  GThread *thread;

  g_return_val_if_fail (ZI_IS_TRAINER (self), FALSE);

  pthread_mutex_lock (&self->lock);
  thread = g_steal_pointer (&self->thread);
  pthread_mutex_unlock (&self->lock);
  if (thread != NULL)
    g_thread_join (thread);

  pthread_mutex_lock (&self->lock);
  if (self->error != NULL)
    {
      g_propagate_error (error, g_error_copy (self->error));
      pthread_mutex_unlock (&self->lock);
      return FALSE;
    }
  pthread_mutex_unlock (&self->lock);
  return TRUE;
}
