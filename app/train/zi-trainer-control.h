/* zi-trainer-control.h — the controls a training run shares between the thread that steers it (the
 * trainer object: start, pause, resume, stop, new learning rates) and the worker that runs it (the
 * session loop, which reads them between steps), with the run's state and step for either side to
 * read. Thread-safe; it calls neither side. */
#pragma once

#include <glib.h>
#include "zi-trainer-event.h"

G_BEGIN_DECLS

typedef struct _ZiTrainerControl ZiTrainerControl;

ZiTrainerControl *zi_trainer_control_new  (void);
void              zi_trainer_control_free (ZiTrainerControl *control);

/* ---- The steering side (any thread) ---- */

/* Marks the run started; FALSE if it already was. */
gboolean zi_trainer_control_start      (ZiTrainerControl *control);
gboolean zi_trainer_control_is_started (ZiTrainerControl *control);
void     zi_trainer_control_pause      (ZiTrainerControl *control);
/* Resume and stop wake a worker waiting in zi_trainer_control_wait_while_paused(). */
void     zi_trainer_control_resume     (ZiTrainerControl *control);
void     zi_trainer_control_stop       (ZiTrainerControl *control);
/* Hands new base rates to the worker; FALSE (nothing changes) when the run is not paused. */
gboolean zi_trainer_control_set_lr     (ZiTrainerControl *control, float lr_g, float lr_d);

/* ---- The worker's side ---- */

gboolean zi_trainer_control_should_stop   (ZiTrainerControl *control);
/* TRUE when a pause is asked for and no stop. */
gboolean zi_trainer_control_pause_pending (ZiTrainerControl *control);
/* Blocks while paused (and not stopped). Returns TRUE with the rates of the last
 * zi_trainer_control_set_lr() made meanwhile, which it consumes. */
gboolean zi_trainer_control_wait_while_paused (ZiTrainerControl *control, float *lr_g, float *lr_d);

/* ---- State and step: set by the worker, read anywhere ---- */

/* Returns TRUE when the state changed, with the step at that moment (for the STATE event). */
gboolean       zi_trainer_control_set_state (ZiTrainerControl *control, ZiTrainerState state,
                                             guint64 *step);
ZiTrainerState zi_trainer_control_get_state (ZiTrainerControl *control);
void           zi_trainer_control_set_step  (ZiTrainerControl *control, guint64 step);
guint64        zi_trainer_control_get_step  (ZiTrainerControl *control);

G_END_DECLS
