/* zi-trainer-private.h — the seam between the trainer object (zi-trainer.c: controls, thread, event
 * delivery) and the training session that runs on its worker thread (zi-trainer-session.c). Not for
 * use outside those two files. */
#pragma once

#include <gio/gio.h>
#include "zi-trainer.h"

G_BEGIN_DECLS

/* Runs a whole session on the calling thread: loading, training, final checkpoint, FINISHED event.
 * On failure returns FALSE; the caller emits FAILED. */
gboolean         zi_trainer_session_run (ZiTrainer *self, GError **error);

/* Delivers an event (copied when it goes to another context); sets event->state. */
void             zi_trainer_emit (ZiTrainer *self, ZiTrainerEvent *event);
void             zi_trainer_set_state (ZiTrainer *self, ZiTrainerState state);

ZiTrainerConfig *zi_trainer_session_config (ZiTrainer *self);
/* The checkpoint to resume from, or NULL for a new run. */
const char      *zi_trainer_session_resume_checkpoint (ZiTrainer *self);
/* The base rates run.json had when the run was reopened (to tell whether the caller changed them). */
void             zi_trainer_session_run_lrs (ZiTrainer *self, float *lr_g, float *lr_d);
GCancellable    *zi_trainer_session_cancellable (ZiTrainer *self);
/* TRUE when zi_trainer_new() created the run directory (so a run that never started may remove it). */
gboolean         zi_trainer_session_created_run_dir (ZiTrainer *self);
void             zi_trainer_session_set_step (ZiTrainer *self, guint64 step);
gboolean         zi_trainer_session_should_stop (ZiTrainer *self);
/* Blocks while paused (emitting PAUSED, then RUNNING or STOPPING). Returns TRUE with the new base
 * rates when zi_trainer_set_lr() was called meanwhile. */
gboolean         zi_trainer_session_wait_if_paused (ZiTrainer *self, float *lr_g, float *lr_d);

G_END_DECLS
