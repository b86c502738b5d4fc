/* zi-trainer.h — the GAN trainer: builds the dataset and the pix2pix model of a font pair, trains it on
 * one worker thread that alone owns the model, validates, checkpoints into a run directory (laid
 * out as zi-run.h says) and reports everything as small copied event records delivered on the
 * caller's GMainContext (or synchronously on the worker thread for scripts and tests).
 *
 * Life cycle:
 *   trainer = zi_trainer_new (&config, run_dir, &error)      a new run (run_dir must not hold a run)
 *   trainer = zi_trainer_new_resume (run_dir, NULL, &error)   continue a run from its newest checkpoint
 *   zi_trainer_set_event_func (trainer, context, func, data, destroy)
 *   zi_trainer_start (trainer, &error)                        spawns the worker thread
 *   zi_trainer_pause / _resume / _set_lr / _stop              from any thread
 *   zi_trainer_wait (trainer, &error)                         joins; or wait for FINISHED / FAILED
 * Dropping the last reference while training stops the run (with a final checkpoint) and joins the
 * worker; events still queued for a disposed trainer are dropped (weak reference + generation). */
#pragma once

#include <glib-object.h>
#include "zi-trainer-config.h"
#include "zi-trainer-dist.h"
#include "zi-trainer-event.h"

G_BEGIN_DECLS

#define ZI_TYPE_TRAINER (zi_trainer_get_type ())
G_DECLARE_FINAL_TYPE (ZiTrainer, zi_trainer, ZI, TRAINER, GObject)

/* The event is owned by the trainer and valid during the call only (copy what you keep). */
typedef void (*ZiTrainerEventFunc) (ZiTrainer            *trainer,
                                    const ZiTrainerEvent *event,
                                    gpointer              user_data);

/* A new run in run_dir (created if missing; ZI_ERROR_EXISTS if it already holds a run.json).
 * Validates the config; the fonts are opened on the worker thread. Both constructors take the run's
 * lock (zi-run-lock.h; ZI_ERROR_BUSY naming the writer when another holds it) and the trainer keeps
 * it until its session ends, or until it is dropped unstarted. */
ZiTrainer  *zi_trainer_new (const ZiTrainerConfig *config, const char *run_dir, GError **error);
/* Continues the run in run_dir from checkpoint (NULL = its newest). Reads run.json; errors name the
 * file (ZI_ERROR_RUN, ZI_ERROR_CHECKPOINT). The bounds (max_steps, max_minutes), threads and
 * the bookkeeping intervals may be changed with zi_trainer_get_config_mutable() before start. */
ZiTrainer  *zi_trainer_new_resume (const char *run_dir, const char *checkpoint, GError **error);
/* For the ranks other than 0 of a data-parallel job: zi_trainer_new (config non-NULL, after rank 0
 * made the directory) or zi_trainer_new_resume (config NULL) without the run's lock, which rank 0
 * holds for the whole job; with zi_trainer_set_dist such a trainer writes nothing into the run. */
ZiTrainer  *zi_trainer_new_replica (const ZiTrainerConfig *config, const char *run_dir,
                                    const char *checkpoint, GError **error);
/* Makes the session one process of a data-parallel job (zi-trainer-dist.h); dist must outlive the
 * run. Call before zi_trainer_start(). */
void        zi_trainer_set_dist (ZiTrainer *self, const ZiTrainerDist *dist);

const ZiTrainerConfig *zi_trainer_get_config (ZiTrainer *self);
/* Only before zi_trainer_start(); NULL afterwards. */
ZiTrainerConfig       *zi_trainer_get_config_mutable (ZiTrainer *self);
const char            *zi_trainer_get_run_dir (ZiTrainer *self);
ZiTrainerState         zi_trainer_get_state (ZiTrainer *self);
/* Steps done so far; for a resumed trainer, the checkpoint's step from zi_trainer_new_resume() on. */
guint64                zi_trainer_get_step (ZiTrainer *self);

/* Where events go. context non-NULL: func runs on that context's thread (e.g. NULL → pass
 * g_main_context_default() for the GUI); context NULL: func runs synchronously on the worker thread.
 * Call before zi_trainer_start(). */
void        zi_trainer_set_event_func (ZiTrainer          *self,
                                       GMainContext       *context,
                                       ZiTrainerEventFunc  func,
                                       gpointer            user_data,
                                       GDestroyNotify      destroy);

/* Lowers the scheduling priority of the thread zi_trainer_start() runs, and so of the engine's
 * threads it creates, by increment (0: unchanged; at most 19), so that a window sharing the
 * processors keeps drawing its frames on time while training takes what is left. Linux only (a
 * thread's nice value); if the system refuses, training runs at the caller's priority. Call before
 * zi_trainer_start(). */
void        zi_trainer_set_nice (ZiTrainer *self, int increment);
/* Starts the worker thread. FALSE if already started. */
gboolean    zi_trainer_start (ZiTrainer *self, GError **error);
/* Runs the whole training on the calling thread (events synchronous on it, whatever the context);
 * returns FALSE with the failure. Equivalent to start + wait without a second thread. */
gboolean    zi_trainer_run (ZiTrainer *self, GError **error);
/* Thread-safe controls. pause/resume take effect between steps; stop finishes the current step,
 * writes a checkpoint and ends with FINISHED (reason REQUESTED). */
void        zi_trainer_pause (ZiTrainer *self);
void        zi_trainer_resume (ZiTrainer *self);
void        zi_trainer_stop (ZiTrainer *self);
/* Sets the base learning rates (lr_d ≤ 0: keep D's ratio to G) while paused; FALSE with
 * ZI_ERROR_INVALID when not paused or out of range. Saved in the next checkpoint. */
gboolean    zi_trainer_set_lr (ZiTrainer *self, float lr_g, float lr_d, GError **error);
/* Waits for the worker thread to end; returns FALSE with the run's error if it failed. */
gboolean    zi_trainer_wait (ZiTrainer *self, GError **error);

G_END_DECLS
