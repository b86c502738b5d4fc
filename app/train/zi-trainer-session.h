/* zi-trainer-session.h — the state of one training session, shared by the two files that run it:
 * zi-trainer-session.c (loading, the step loop, validation, logging) and zi-trainer-state.c (the model's
 * life: building, checkpoints, the moving average, rollback). Private to the trainer. */
#pragma once

#include "zi-trainer-private.h"
#include "zi-dataset.h"
#include "zi-font.h"
#include "zi-health.h"
#include "zi-metrics.h"
#include "nn-pix2pix.h"

G_BEGIN_DECLS

typedef struct {
  ZiTrainer       *trainer;
  ZiTrainerConfig *cfg;
  const char      *run_dir;
  guint            size;
  gsize            pixels;
  int              batch;

  ZiFont          *source_font;
  ZiFont          *target_font;
  ZiDataset       *data;
  GArray          *train_idx;           /* guint indices into data */
  GArray          *val_idx;
  guint            n_val;               /* validation glyphs measured (≤ val_idx->len) */
  guint8          *val_src, *val_tgt, *val_gen;  /* [n_val * pixels] */
  guint            n_preview;
  guint           *preview_idx;         /* [n_preview] indices into data */

  NnPix2Pix       *model;
  NnRng            rng;                 /* dropout and augmentation */
  guint64          step;
  guint64          images;              /* pairs consumed: the position in the data order */
  double           seconds_before;      /* training time of earlier sessions */
  gint64           active_us;           /* training time of this session */
  float            lr_g_base, lr_d_base;
  double           lr_scale;
  NnPlateauState   plateau;
  gboolean         has_best;
  guint64          best_step;
  double           best_ssim;
  ZiMetrics        baseline;
  gboolean         has_baseline;
  ZiMetrics        val;                 /* the latest validation */
  guint64          val_step;
  gboolean         has_val;

  float           *src_batch, *tgt_batch, *out_batch;  /* [batch * pixels] */
  guint8          *pair_scratch;        /* [2 * pixels] */
  guint           *perm;                /* [train_idx->len] the order of perm_epoch */
  gint64           perm_epoch;

  float           *ema;                 /* [n_ema] averaged generator weights, or NULL when off */
  float           *ema_snap;            /* [n_ema] ema at the last checkpoint (the rollback target) */
  float           *ema_swap;            /* [n_ema] scratch for swapping weights in and out */
  gsize            n_ema;
  float           *stats_keep;          /* the raw weights' norm statistics while the EMA is in */
  float           *ema_stats;           /* the norm statistics measured for the EMA at ema_stats_step */
  guint64          ema_stats_step;
  ZiMetrics        val_raw;             /* with EMA: the latest validation of the raw weights */

  guint64          last_saved_step;
  char            *last_saved_path;     /* the rollback target */
  guint            rollbacks;
  gboolean         poisoned;
  ZiHealth        *health;

  NnStepStats      last_stats;          /* the last step's, for the final log line */
  float            last_lr_g, last_lr_d;
  guint64          window_images;       /* throughput over the last log interval */
  gint64           window_us;
  gint64           loading_reported_us;
} Session;

/* A WARNING event. */
void     zi_session_warn (Session *s, ZiHealthKind kind, const char *message);

/* Builds a fresh model, or loads the checkpoint being resumed (with its data position, clock and
 * learning-rate state); the checkpoint resumed is the first rollback target. */
gboolean zi_session_build_model (Session *s, GError **error);
/* Writes RUN/checkpoints/step-N.zck (and its EMA file first), prunes old ones, emits CHECKPOINT. */
gboolean zi_session_save_checkpoint (Session *s, gboolean is_best, GError **error);
/* Reloads the last checkpoint after a divergence and halves the learning rate; FALSE with
 * ZI_ERROR_NUMERIC after too many divergences in a row. */
gboolean zi_session_rollback (Session *s, const char *why, GError **error);

/* The generator's moving average (a no-op family when cfg->ema_decay is 0, except init). */
void     zi_session_init_ema (Session *s, const char *resume);
void     zi_session_update_ema (Session *s);
void     zi_session_swap_ema (Session *s);
/* Puts the averaged generator in place (for validation, previews and its checkpoint file) with batch-
 * norm statistics re-estimated for its weights, and takes it out again, restoring the trained
 * weights and statistics exactly. Neither touches the training's random stream or data order. */
gboolean zi_session_enter_ema (Session *s, GError **error);
void     zi_session_leave_ema (Session *s);

G_END_DECLS
