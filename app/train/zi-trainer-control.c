/* zi-trainer-control.c — the flags between the trainer object and its worker (zi-trainer-control.h).
 * POSIX primitives rather than GMutex/GCond: GLib's futex-based ones are invisible to
 * ThreadSanitizer, which then reports every guarded field as a race. */
#include "config.h"
#include "zi-trainer-control.h"

#include <pthread.h>

struct _ZiTrainerControl {
  pthread_mutex_t lock;
  pthread_cond_t  cond;
  gboolean        started;
  gboolean        paused;
  gboolean        stop;
  gboolean        lr_pending;
  float           pending_lr_g, pending_lr_d;
  ZiTrainerState  state;
  guint64         step;
};

ZiTrainerControl *
zi_trainer_control_new (void)
{
  ZiTrainerControl *c = g_new0 (ZiTrainerControl, 1);

  pthread_mutex_init (&c->lock, NULL);
  pthread_cond_init (&c->cond, NULL);
  c->state = ZI_TRAINER_STATE_IDLE;
  return c;
}

void
zi_trainer_control_free (ZiTrainerControl *control)
{
  if (control == NULL)
    return;
  pthread_mutex_destroy (&control->lock);
  pthread_cond_destroy (&control->cond);
  g_free (control);
}

gboolean
zi_trainer_control_start (ZiTrainerControl *control)
{
  gboolean was_started;

  pthread_mutex_lock (&control->lock);
  was_started = control->started;
  control->started = TRUE;
  pthread_mutex_unlock (&control->lock);
  return !was_started;
}

gboolean
zi_trainer_control_is_started (ZiTrainerControl *control)
{
  gboolean started;

  pthread_mutex_lock (&control->lock);
  started = control->started;
  pthread_mutex_unlock (&control->lock);
  return started;
}

void
zi_trainer_control_pause (ZiTrainerControl *control)
{
  pthread_mutex_lock (&control->lock);
  control->paused = TRUE;
  pthread_mutex_unlock (&control->lock);
}

void
zi_trainer_control_resume (ZiTrainerControl *control)
{
  pthread_mutex_lock (&control->lock);
  control->paused = FALSE;
  pthread_cond_broadcast (&control->cond);
  pthread_mutex_unlock (&control->lock);
}

void
zi_trainer_control_stop (ZiTrainerControl *control)
{
  pthread_mutex_lock (&control->lock);
  control->stop = TRUE;
  pthread_cond_broadcast (&control->cond);
  pthread_mutex_unlock (&control->lock);
}

gboolean
zi_trainer_control_set_lr (ZiTrainerControl *control, float lr_g, float lr_d)
{
  gboolean paused;

  pthread_mutex_lock (&control->lock);
  paused = control->paused;
  if (paused)
    {
      control->pending_lr_g = lr_g;
      control->pending_lr_d = lr_d;
      control->lr_pending = TRUE;
    }
  pthread_mutex_unlock (&control->lock);
  return paused;
}

gboolean
zi_trainer_control_should_stop (ZiTrainerControl *control)
{
  gboolean stop;

  pthread_mutex_lock (&control->lock);
  stop = control->stop;
  pthread_mutex_unlock (&control->lock);
  return stop;
}

gboolean
zi_trainer_control_pause_pending (ZiTrainerControl *control)
{
  gboolean paused;

  pthread_mutex_lock (&control->lock);
  paused = control->paused && !control->stop;
  pthread_mutex_unlock (&control->lock);
  return paused;
}

gboolean
zi_trainer_control_wait_while_paused (ZiTrainerControl *control, float *lr_g, float *lr_d)
{
  gboolean lr_changed = FALSE;

  pthread_mutex_lock (&control->lock);
  while (control->paused && !control->stop)
    pthread_cond_wait (&control->cond, &control->lock);
  if (control->lr_pending)
    {
      *lr_g = control->pending_lr_g;
      *lr_d = control->pending_lr_d;
      control->lr_pending = FALSE;
      lr_changed = TRUE;
    }
  pthread_mutex_unlock (&control->lock);
  return lr_changed;
}

gboolean
zi_trainer_control_set_state (ZiTrainerControl *control, ZiTrainerState state, guint64 *step)
{
  gboolean changed;

  pthread_mutex_lock (&control->lock);
  changed = control->state != state;
  control->state = state;
  *step = control->step;
  pthread_mutex_unlock (&control->lock);
  return changed;
}

ZiTrainerState
zi_trainer_control_get_state (ZiTrainerControl *control)
{
  ZiTrainerState state;

  pthread_mutex_lock (&control->lock);
  state = control->state;
  pthread_mutex_unlock (&control->lock);
  return state;
}

void
zi_trainer_control_set_step (ZiTrainerControl *control, guint64 step)
{
  pthread_mutex_lock (&control->lock);
  control->step = step;
  pthread_mutex_unlock (&control->lock);
}

guint64
zi_trainer_control_get_step (ZiTrainerControl *control)
{
  guint64 step;

  pthread_mutex_lock (&control->lock);
  step = control->step;
  pthread_mutex_unlock (&control->lock);
  return step;
}
