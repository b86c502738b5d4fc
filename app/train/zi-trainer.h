/* zi-trainer.h — the GAN trainer: builds the dataset and the pix2pix model of a font pair, trains it on
 * one worker thread that alone owns the model, validates, checkpoints into a run directory
 * (../shared/CLI.md) and reports everything as small copied event records delivered on the caller's
 * GMainContext (or synchronously on the worker thread for scripts and tests).
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
#include "nn-optim.h"
#include "nn-pix2pix.h"
#include "nn-sched.h"
#include "zi-health.h"

G_BEGIN_DECLS

/* ---- Configuration ---------------------------------------------------------------------------- */

typedef struct {
  /* Data. */
  char      *source_font;      /* font spec (path, path#N or fontconfig pattern) */
  char      *target_font;
  gunichar  *chars;            /* the training charset; NULL = the shared CJK ideographs of the pair */
  guint      n_chars;
  double     em_fraction;      /* placement (ZI_DEFAULT_EM_FRACTION) */
  char      *cache_dir;        /* dataset cache; NULL = $XDG_CACHE_HOME/zimaru */
  gboolean   augment;          /* small random shift/scale of each pair (off by default) */

  /* Model and losses: size, ngf, ndf, norm, dropout, gan_loss, l1/const/tv weights, clip_norm,
   * batch. */
  NnPix2PixConfig net;

  /* Optimisers. opt_d.lr == 0 means "the same as opt_g.lr". */
  NnOptConfig opt_g;
  NnOptConfig opt_d;
  /* Schedule of the generator's lr; the discriminator's follows it in proportion
   * (lr_d(step) = sched(step) × opt_d.lr / opt_g.lr). sched.base_lr is kept equal to opt_g.lr. */
  NnSchedConfig sched;

  /* Exponential moving average of the generator's weights (Polyak averaging), decay per step; used
   * for validation, previews and generation, saved beside each checkpoint (step-N.ema.zck).
   * 0 = off; 0.999 by default. */
  float      ema_decay;

  /* Bounds: the run stops at whichever comes first; 0 = unbounded. max_steps counts the run's steps
   * (a resumed run goes on up to it), max_minutes this session's training time. */
  guint64    max_steps;
  double     max_minutes;      /* of training time in this session (the CLI's --minutes) */

  /* Bookkeeping. */
  guint      log_every;        /* steps between metrics.jsonl lines and STEP events (10) */
  guint      checkpoint_every; /* steps between checkpoints (1000) */
  guint      keep;             /* newest checkpoints kept, besides the best by val SSIM (3) */
  double     val_fraction;     /* held-out share of the charset (0.05) */
  guint      val_every;        /* steps between validations (500) */
  guint      val_max;          /* at most this many validation glyphs per validation (0 = all) */
  guint      preview_count;    /* preview glyphs (fixed validation glyphs) per PREVIEW event (8) */
  guint64    seed;
  guint      threads;          /* engine threads; 0 = one per core */

  /* Test hook: at this 1-based step, poison one batch with a NaN so the rollback path runs (0 = off).
   * Also settable with the environment variable ZIMARU_POISON_STEP. */
  guint64    poison_step;
} ZiTrainerConfig;

/* Fills cfg with the defaults (64 px, ngf 32, batch 16, Adam 5e-4 β1 0.5 for G and D, no dropout,
 * L1 100 + SSIM loss 1500, fixed schedule, EMA 0.999, fonts "Noto Sans CJK TC" → "Zen Maru Gothic").
 * cfg is overwritten without freeing. */
void     zi_trainer_config_init (ZiTrainerConfig *cfg);
/* Frees what cfg owns (strings, chars) and zeroes it. */
void     zi_trainer_config_clear (ZiTrainerConfig *cfg);
/* Deep copy into dst (dst is overwritten without freeing). */
void     zi_trainer_config_copy (ZiTrainerConfig *dst, const ZiTrainerConfig *src);
/* Presets: "recommended" (the defaults), "quick" (ngf 16: something recognisable in minutes),
 * "pix2pix" (the plain recipe: Adam 2e-4, dropout 0.5, L1 only, no averaging), "zi2zi" (Adam 1e-3
 * halved every ~10 epochs, const loss 15: the zi2zi repositories' recipe), "hq" (256 px, cosine
 * schedule over max_steps, else 100k steps). Each sets the model, losses, optimisers, schedule,
 * average and intervals from the defaults (fonts, chars, bounds, seed and threads are left alone).
 * Unknown: FALSE with ZI_ERROR_INVALID. */
gboolean zi_trainer_config_apply_preset (ZiTrainerConfig *cfg, const char *preset, GError **error);
/* Checks ranges (size 64/128/256/512, batch ≥ 1, lr > 0, fractions in [0, 1), ...); the error names
 * the option and the value (ZI_ERROR_INVALID). */
gboolean zi_trainer_config_validate (const ZiTrainerConfig *cfg, GError **error);
/* Serialises to / from the "config" object of run.json (a JsonObject, as a JSON string here so that
 * callers need not include json-glib). from_json overwrites cfg without freeing it (like _init), and
 * fills what the JSON lacks with the defaults. */
char    *zi_trainer_config_to_json (const ZiTrainerConfig *cfg);
gboolean zi_trainer_config_from_json (ZiTrainerConfig *cfg, const char *json, GError **error);

/* Names of the enum values as used on the command line and in run.json ("batch", "instance"; "bce",
 * "lsgan", "hinge"; "adam", "rmsprop", "sgd"; "fixed", "step", "exp", "cosine", "plateau"). The parsers
 * return FALSE for an unknown name. */
const char *zi_trainer_norm_to_string (NnNormKind kind);
gboolean    zi_trainer_norm_from_string (const char *s, NnNormKind *kind);
const char *zi_trainer_gan_loss_to_string (NnGanLoss kind);
gboolean    zi_trainer_gan_loss_from_string (const char *s, NnGanLoss *kind);
const char *zi_trainer_optimizer_to_string (NnOptKind kind);
gboolean    zi_trainer_optimizer_from_string (const char *s, NnOptKind *kind);
const char *zi_trainer_schedule_to_string (NnSchedKind kind);
gboolean    zi_trainer_schedule_from_string (const char *s, NnSchedKind *kind);

/* Bytes of memory training cfg would need (model + dataset), and the check against MemAvailable
 * (ZI_ERROR_RESOURCES with the numbers and advice when it does not fit). n_pairs 0 = estimate. */
guint64  zi_trainer_estimate_memory (const ZiTrainerConfig *cfg, guint n_pairs);
gboolean zi_trainer_check_resources (const ZiTrainerConfig *cfg, guint n_pairs, GError **error);

/* ---- Events ------------------------------------------------------------------------------------ */

typedef enum {
  ZI_TRAINER_STATE_IDLE,      /* created, not started */
  ZI_TRAINER_STATE_LOADING,   /* opening fonts, building the dataset and model */
  ZI_TRAINER_STATE_RUNNING,
  ZI_TRAINER_STATE_PAUSED,
  ZI_TRAINER_STATE_STOPPING,  /* finishing the current step and writing the final checkpoint */
  ZI_TRAINER_STATE_FINISHED,
  ZI_TRAINER_STATE_FAILED,
} ZiTrainerState;

typedef enum {
  ZI_TRAINER_EVENT_STATE,       /* state changed: .state */
  ZI_TRAINER_EVENT_LOADING,     /* dataset progress: .progress */
  ZI_TRAINER_EVENT_STEP,        /* every log_every steps: .stats */
  ZI_TRAINER_EVENT_VALIDATION,  /* .validation */
  ZI_TRAINER_EVENT_PREVIEW,     /* .preview */
  ZI_TRAINER_EVENT_CHECKPOINT,  /* .checkpoint */
  ZI_TRAINER_EVENT_WARNING,     /* .warning */
  ZI_TRAINER_EVENT_FINISHED,    /* .finished; the last event of a successful run */
  ZI_TRAINER_EVENT_FAILED,      /* .error; the last event of a failed run */
} ZiTrainerEventKind;

typedef enum {
  ZI_TRAINER_STOP_STEPS,        /* max_steps reached */
  ZI_TRAINER_STOP_TIME,         /* max_minutes reached */
  ZI_TRAINER_STOP_REQUESTED,    /* zi_trainer_stop() (GUI stop button, SIGINT/SIGTERM) */
} ZiTrainerStopReason;

typedef struct {
  guint64 step;          /* steps done (1-based count after this step) */
  guint64 images;        /* training pairs seen */
  double  seconds;       /* training time, summed over sessions of the run */
  float   lr_g, lr_d;
  float   d_loss, d_real, d_fake;
  float   g_loss, g_adv, l1, const_loss, tv;
  float   d_grad_norm, g_grad_norm;
  double  images_per_second;
  double  eta_seconds;   /* < 0 when there is no bound */
  guint64 total_steps;   /* the bound in steps, or 0 */
} ZiTrainerStepStats;

typedef struct {
  double l1, ssim, iou;  /* generated vs target on the validation glyphs ([0,1] images, ink = 1) */
  double base_l1, base_ssim, base_iou;  /* the identity baseline (source vs target), computed once */
  guint  n;              /* validation glyphs measured */
  gboolean is_best;      /* best validation SSIM of the run so far */
  gboolean has_raw;      /* with EMA on: l1/ssim/iou are the averaged generator's, raw_* the trained one's */
  double raw_l1, raw_ssim, raw_iou;
} ZiTrainerValidation;

typedef struct {
  guint     n;
  guint     size;
  gunichar *chars;       /* [n] */
  guint8   *source;      /* [n * size * size] coverage, 0 = paper, 255 = ink */
  guint8   *generated;   /* [n * size * size] */
  guint8   *target;      /* [n * size * size] */
} ZiTrainerPreview;

typedef struct {
  char    *path;
  gboolean is_best;
  gboolean has_validation;
  double   val_l1, val_ssim, val_iou;
} ZiTrainerCheckpoint;

typedef struct {
  ZiHealthKind kind;
  char        *message;  /* one line: what happened and what to do */
} ZiTrainerWarning;

typedef struct {
  ZiTrainerStopReason reason;
  char               *checkpoint;  /* the final checkpoint's path (NULL if none could be written) */
  guint64             images;      /* training pairs seen by the run */
  double              seconds;     /* training time of the run */
} ZiTrainerFinished;

typedef struct {
  ZiTrainerEventKind kind;
  guint64            step;      /* the step the event belongs to (all kinds) */
  ZiTrainerState     state;     /* the trainer's state when the event was made (all kinds) */
  struct { guint64 done, total; } progress;
  ZiTrainerStepStats  stats;
  ZiTrainerValidation validation;
  ZiTrainerPreview    preview;
  ZiTrainerCheckpoint checkpoint;
  ZiTrainerWarning    warning;
  ZiTrainerFinished   finished;
  GError             *error;
} ZiTrainerEvent;

ZiTrainerEvent *zi_trainer_event_copy (const ZiTrainerEvent *event);
void            zi_trainer_event_free (ZiTrainerEvent *event);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (ZiTrainerEvent, zi_trainer_event_free)

/* ---- The trainer ------------------------------------------------------------------------------- */

#define ZI_TYPE_TRAINER (zi_trainer_get_type ())
G_DECLARE_FINAL_TYPE (ZiTrainer, zi_trainer, ZI, TRAINER, GObject)

/* The event is owned by the trainer and valid during the call only (copy what you keep). */
typedef void (*ZiTrainerEventFunc) (ZiTrainer            *trainer,
                                    const ZiTrainerEvent *event,
                                    gpointer              user_data);

/* A new run in run_dir (created if missing; ZI_ERROR_EXISTS if it already holds a run.json).
 * Validates the config; the fonts are opened on the worker thread. */
ZiTrainer  *zi_trainer_new (const ZiTrainerConfig *config, const char *run_dir, GError **error);
/* Continues the run in run_dir from checkpoint (NULL = its newest). Reads run.json; errors name the
 * file (ZI_ERROR_RUN, ZI_ERROR_CHECKPOINT). The bounds (max_steps, max_minutes), threads and
 * the bookkeeping intervals may be changed with zi_trainer_get_config_mutable() before start. */
ZiTrainer  *zi_trainer_new_resume (const char *run_dir, const char *checkpoint, GError **error);

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
