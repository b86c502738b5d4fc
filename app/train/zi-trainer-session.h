/* zi-trainer-session.h — one training session, run on the calling thread (the trainer's worker): open
 * the fonts, build or load the dataset and the split, build or resume the model, then step, log,
 * validate, preview, checkpoint and watch the run's health until a bound or a stop ends it. It reads
 * the controls between steps and reports every event to the function it is handed; it knows nothing
 * of the object that starts it. */
#pragma once

#include <gio/gio.h>
#include "zi-trainer-config.h"
#include "zi-trainer-control.h"
#include "zi-trainer-dist.h"
#include "zi-trainer-event.h"

G_BEGIN_DECLS

typedef struct {
  const ZiTrainerConfig *config;
  const char            *run_dir;
  const char            *resume;           /* the checkpoint to resume from, or NULL for a new run */
  float                  run_lr_g, run_lr_d; /* run.json's rates at resume: other rates in config
                                            * override the checkpoint's */
  gboolean               created_run_dir;  /* a new run that never started may remove the directory */
  GCancellable          *cancellable;      /* cancels the dataset's building */
  const ZiTrainerDist   *dist;             /* a data-parallel job's process, or NULL */
} ZiTrainerSessionSetup;

/* Receives each event of the session on its thread; the event is the session's (copy what you keep)
 * and its state field is for the receiver to fill. */
typedef void (*ZiTrainerSessionEmitFunc) (ZiTrainerEvent *event, gpointer user_data);

/* Runs a whole session: LOADING, training, the final checkpoint, FINISHED; on failure FAILED, and
 * FALSE with the error. The state and the step go into control as they change. */
gboolean zi_trainer_session_run (const ZiTrainerSessionSetup *setup,
                                 ZiTrainerControl            *control,
                                 ZiTrainerSessionEmitFunc     emit,
                                 gpointer                     emit_data,
                                 GError                     **error);

G_END_DECLS
