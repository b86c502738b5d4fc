/* zi-trainer-model.h — the model a training session trains, and what its checkpoints carry besides
 * the weights: the step, the position in the data order, the training clock, the learning-rate state
 * (base rates, the halvings after divergences, reduce-on-plateau) and the best validation score. It
 * builds or resumes the model, takes the training steps, writes checkpoints (with the average of
 * zi-trainer-ema.h beside them) and rolls back to the last one after a divergence. Warnings go to the
 * function it is given; it knows nothing of events or threads. */
#pragma once

#include <glib.h>
#include "nn-pix2pix.h"
#include "nn-sched.h"
#include "zi-health.h"
#include "zi-metrics.h"
#include "zi-run.h"
#include "zi-trainer-config.h"
#include "zi-trainer-ema.h"
#include "zi-trainer-data.h"

G_BEGIN_DECLS

/* Read-only to callers; written by zi-trainer-model.c alone. */
typedef struct {
  guint64        step;            /* steps done */
  guint64        images;          /* training pairs consumed: the position in the data order */
  double         seconds_before;  /* training time of earlier sessions */
  gint64         active_us;       /* training time of this session */
  float          lr_g_base, lr_d_base;
  double         lr_scale;        /* the halvings after divergences (1 = none) */
  NnPlateauState plateau;
  gboolean       has_best;
  guint64        best_step;
  double         best_ssim;
} ZiTrainerProgress;

/* The validation scores a checkpoint records: its own step's, when measured, and the identity
 * baseline (source against target). */
typedef struct {
  gboolean  has_val;
  ZiMetrics val;
  gboolean  has_baseline;
  ZiMetrics baseline;
} ZiTrainerScores;

typedef struct _ZiTrainerModel ZiTrainerModel;

/* Nothing is built yet; cfg must outlive the model. */
ZiTrainerModel *zi_trainer_model_new  (const ZiTrainerConfig *cfg,
                                       const char            *run_dir,
                                       ZiHealthWarnFunc       warn,
                                       gpointer               warn_data);
void            zi_trainer_model_free (ZiTrainerModel *model);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (ZiTrainerModel, zi_trainer_model_free)

/* Builds a fresh model, or loads the checkpoint resume with its data position, clock and (when
 * restore_rates) learning-rate state; the checkpoint resumed is the first rollback target. With
 * cfg->ema_decay > 0 the average starts from the weights, or from resume's EMA file; glyphs
 * re-estimate its norm statistics and must stay valid while the model lives. */
gboolean        zi_trainer_model_build (ZiTrainerModel           *model,
                                        const char               *resume,
                                        gboolean                  restore_rates,
                                        const ZiTrainerEmaGlyphs *glyphs,
                                        GError                  **error);

const ZiTrainerProgress *zi_trainer_model_get_progress (ZiTrainerModel *model);
/* The network itself (replaced by a rollback): for generation between steps. */
NnPix2Pix      *zi_trainer_model_get_net (ZiTrainerModel *model);
/* The random stream of dropout and augmentation, saved in each checkpoint: the data's augmentation
 * draws on it between steps. */
NnRng          *zi_trainer_model_get_rng (ZiTrainerModel *model);

/* New base rates (lr_d ≤ 0 keeps D's ratio to G); the halvings start again from 1. */
void            zi_trainer_model_set_base_rates (ZiTrainerModel *model, float lr_g, float lr_d);
void            zi_trainer_model_add_time (ZiTrainerModel *model, gint64 us);
/* For a data-parallel job (zi-trainer-dist.h): each step computes share of the batch's pairs (the
 * slice the caller passes to step; the data position still advances by the whole batch), and
 * writes FALSE makes save write nothing but still move the rollback target to the file of the
 * same name, which rank 0 writes. */
void            zi_trainer_model_set_share (ZiTrainerModel *model, int share, gboolean writes);

/* The target styles the checkpoints record (zi-run.h); borrowed, they must outlive the model. With
 * them set, a checkpoint trained on other styles is refused (ZI_ERROR_CHECKPOINT naming both lists).
 * Call before zi_trainer_model_build(). */
void            zi_trainer_model_set_styles (ZiTrainerModel *model, const ZiRunStyle *styles, guint n);

/* The run's data, for a run that starts from a trained model (cfg->init_from: zi-trainer-init.h
 * chooses each style's embedding with it); borrowed. Call before zi_trainer_model_build(). */
void            zi_trainer_model_set_data (ZiTrainerModel *model, ZiTrainerData *data);

/* One training step on a batch at the step's rates (the schedule gives G's, D's follows in
 * proportion, the halvings apply to both), which it returns. The step counts only once committed: a
 * step the caller rejects (a non-finite value, a loss explosion) is rolled back instead. */
NnStatus        zi_trainer_model_step (ZiTrainerModel *model,
                                       const float    *src,     /* [batch * size * size] */
                                       const float    *tgt,     /* [batch * size * size] */
                                       const int      *style,   /* [batch] or NULL (style 0) */
                                       float          *lr_g,
                                       float          *lr_d,
                                       NnStepStats    *stats);
/* Counts the step just taken: the step and the data position advance and the average follows. */
void            zi_trainer_model_commit_step (ZiTrainerModel *model);

/* Records the validation of the current step: the best by SSIM (the untrained model at step 0 is a
 * reference point, not a candidate) and reduce-on-plateau by L1. TRUE when it is the best so far. */
gboolean        zi_trainer_model_observe_validation (ZiTrainerModel *model, const ZiMetrics *val);

/* Puts the averaged generator in place and takes it out again (zi-trainer-ema.h); without an
 * average both do nothing. */
gboolean        zi_trainer_model_has_ema   (ZiTrainerModel *model);
gboolean        zi_trainer_model_enter_ema (ZiTrainerModel *model, GError **error);
void            zi_trainer_model_leave_ema (ZiTrainerModel *model);

/* Writes RUN/checkpoints/step-N.zck (its EMA file first), best.json when is_best, and prunes old
 * checkpoints. The new file is the rollback target. */
gboolean        zi_trainer_model_save (ZiTrainerModel        *model,
                                       gboolean               is_best,
                                       const ZiTrainerScores *scores,
                                       GError               **error);
/* The last checkpoint written or resumed (NULL before any), and whether it is of the current step. */
const char     *zi_trainer_model_get_checkpoint (ZiTrainerModel *model);
gboolean        zi_trainer_model_is_saved (ZiTrainerModel *model);

/* Reloads the last checkpoint after a divergence (why says which) and halves the learning rate;
 * FALSE with ZI_ERROR_NUMERIC after too many divergences in a row. */
gboolean        zi_trainer_model_rollback (ZiTrainerModel *model, const char *why, GError **error);

G_END_DECLS
