/* zi-trainer-ema.h — the exponential moving average of the generator's weights during training
 * (Polyak averaging): updated after each step, swapped into the model for validation, previews and
 * its own checkpoint file with batch-norm statistics re-estimated for it, snapshotted with each
 * checkpoint and restored with it after a divergence. Each call is handed the model, since a
 * rollback replaces it. */
#pragma once

#include <glib.h>
#include "nn-pix2pix.h"
#include "zi-dataset.h"

G_BEGIN_DECLS

/* The training glyphs that re-estimate the norm statistics of the averaged weights. */
typedef struct {
  const ZiDataset *dataset;  /* whose source glyphs they are */
  const guint     *index;    /* [n] the training glyphs among them */
  guint            n;
  gsize            pixels;
  int              batch;    /* the model's batch */
  guint64          seed;     /* the run's seed */
  guint            n_styles; /* the target styles the glyphs go through in turn (0 or 1: style 0) */
} ZiTrainerEmaGlyphs;

typedef struct _ZiTrainerEma ZiTrainerEma;

/* Starts the average (decay per step, > 0) from model's generator weights. glyphs must stay valid
 * while the average lives. */
ZiTrainerEma *zi_trainer_ema_new  (NnPix2Pix *model, float decay, const ZiTrainerEmaGlyphs *glyphs);
void          zi_trainer_ema_free (ZiTrainerEma *ema);
/* Takes the average from a generator-only checkpoint's bytes (a checkpoint's EMA file), and makes
 * it the snapshot; FALSE (nothing changes) when they do not hold a generator of the same size. */
gboolean      zi_trainer_ema_load (ZiTrainerEma *ema, const guint8 *buf, gsize len);

/* Folds model's generator weights after step steps into the average. */
void          zi_trainer_ema_update (ZiTrainerEma *ema, NnPix2Pix *model, guint64 step);
/* Puts the average in place in model with batch-norm statistics re-estimated for it (once per step:
 * a validation and a checkpoint often come together), and takes it out again, restoring the trained
 * weights and statistics exactly. Neither touches the training's random stream or data order. On
 * failure enter leaves the trained weights in place. */
gboolean      zi_trainer_ema_enter (ZiTrainerEma *ema, NnPix2Pix *model, guint64 step, GError **error);
void          zi_trainer_ema_leave (ZiTrainerEma *ema, NnPix2Pix *model);

/* The snapshot is the rollback target: taken when a checkpoint is on disk, restored after a
 * divergence (which also forgets the statistics measured for steps trained again). */
void          zi_trainer_ema_snapshot (ZiTrainerEma *ema);
void          zi_trainer_ema_restore  (ZiTrainerEma *ema);

G_END_DECLS
