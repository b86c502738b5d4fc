/* zi-trainer-config.h — the trainer's configuration: the data, model, losses, optimisers, schedule,
 * average, bounds and bookkeeping of a run; defaults, presets, range checks, run.json's "config"
 * object and the memory check (zi-trainer-config.c). The window and the CLI use it long before any
 * training. */
#pragma once

#include <glib.h>
#include "nn-optim.h"
#include "nn-pix2pix.h"
#include "nn-sched.h"
#include "zi-types.h"

G_BEGIN_DECLS

/* How the batches share out the target styles of a run with several (zi_trainer_config_set_targets):
 * in equal shares (the default: every weight of a family is learnt as well as the others, and the
 * faces of one family cover nearly the same characters anyway), in proportion to each style's
 * training pairs (every pair is seen equally often), or by the weights given. */
typedef enum {
  ZI_STYLE_RATIO_EQUAL,
  ZI_STYLE_RATIO_PAIRS,
  ZI_STYLE_RATIO_WEIGHTS,
} ZiStyleRatio;

/* The embedding width of a run with several styles (zi2zi uses 128). Measured on Zen Maru Gothic
 * Regular + Bold, --preset quick (64 px, ngf 16), 300 steps on one thread, 200 validation glyphs a
 * style: mean validation SSIM 0.6534 with 64 against 0.6546 with 128 (Regular 0.6412 / 0.6423, Bold
 * 0.6655 / 0.6670; 0.4976 / 0.5009 at step 100), a difference within run-to-run noise. 64 halves
 * the embedding and the weights it adds to the first decoder layer for the same result. */
#define ZI_TRAINER_EMBED_DIM_DEFAULT 64

/* Steps a run started from a trained model keeps its encoder as trained (freeze_steps): none by
 * default. Measured on Motoya L Maruberi (1,000 characters, 10 minutes on one core, README "The
 * shipped model and fine-tuning"), freezing it for the first 1,000 steps ended 0.003-0.004 lower in
 * validation SSIM than letting everything learn from the start, from either starting model. */
#define ZI_TRAINER_FREEZE_STEPS_DEFAULT 0

typedef struct {
  /* Data. */
  char      *source_font;      /* font spec (path, path#N or fontconfig pattern) */
  char      *target_font;      /* the (first) target style's font spec */
  /* The target styles' font specs in embedding order (NULL-terminated), when set with
   * zi_trainer_config_set_targets(); n_targets 0 (and target_fonts NULL) means the one target
   * target_font. Read them through zi_trainer_config_get_target(). */
  char     **target_fonts;
  guint      n_targets;
  ZiStyleRatio style_ratio;    /* how batches share out the styles (equal by default) */
  double    *style_weights;    /* [n_targets] relative weights, > 0, for ZI_STYLE_RATIO_WEIGHTS */
  gunichar  *chars;            /* the training charset; NULL = the shared CJK ideographs of the pair */
  guint      n_chars;
  double     em_fraction;      /* placement (ZI_DEFAULT_EM_FRACTION) */
  char      *cache_dir;        /* dataset cache; NULL = $XDG_CACHE_HOME/zimaru */
  gboolean   augment;          /* small random shift/scale of each pair (off by default) */
  /* What the generator learns to draw (zi-representation.h): the target's ink (the default) or its
   * signed distance field of field_spread pixels (ZI_FIELD_SPREAD_MIN..MAX, default 4; kept but
   * unused for ink). Validation measures ink either way. Fixed for the life of a run. */
  ZiRepresentation representation;
  guint      field_spread;

  /* Validation characters named by the user (NULL: a val_fraction share of the charset drawn by the
   * seed). They join the charset when it lacks them. */
  gunichar  *val_chars;
  guint      n_val_chars;

  /* Start: NULL trains from random weights; otherwise a generator checkpoint (a path, or
   * "default" for the model that ships with Zimaru, zi-model.h) whose weights start the run
   * (zi-trainer-init.c: same architecture, each new style's embedding from the trained style that
   * draws its font best). freeze_steps: for that many first steps only the decoder and the style
   * embedding learn, the encoder and its features stay as trained (0, the default: everything learns
   * at once). */
  char      *init_from;
  guint64    freeze_steps;

  /* Model and losses: size, ngf, ndf, norm, dropout, gan_loss, l1/const/tv weights, clip_norm,
   * batch, and the precision of the convs' products (by default bf16 where the processor has
   * AVX512_BF16, float32 elsewhere; never NN_PRECISION_AUTO once initialised or read; may change
   * when a run resumes, checkpoints stay float32). */
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

/* Sets the target styles (n ≥ 1 font specs, at most ZI_RUN_MAX_STYLES): target_fonts, target_font (the
 * first), net.n_styles = n and, with several, net.embed_dim = ZI_TRAINER_EMBED_DIM_DEFAULT. Style
 * weights are dropped (the ratio goes back to equal when it was by weights). */
void        zi_trainer_config_set_targets (ZiTrainerConfig *cfg, const char *const *specs, guint n);
/* The number of target styles (at least 1), and the font spec of style i. */
guint       zi_trainer_config_get_n_targets (const ZiTrainerConfig *cfg);
const char *zi_trainer_config_get_target (const ZiTrainerConfig *cfg, guint i);
/* Parses --style-ratio: "equal", "pairs", or one positive number per style, comma-separated
 * ("1,1,2"); ZI_ERROR_INVALID naming the value otherwise. Call after the targets are set. */
gboolean    zi_trainer_config_set_style_ratio (ZiTrainerConfig *cfg, const char *text, GError **error);
/* The share of the batches each style gets ([n_targets], summing to 1), given each style's training
 * pairs (for ZI_STYLE_RATIO_PAIRS). */
void        zi_trainer_config_style_shares (const ZiTrainerConfig *cfg, const guint *train_pairs,
                                            double *shares);

/* The field spread the run's dataset and generator use: cfg->field_spread for a field run, 0 for ink. */
guint    zi_trainer_config_get_field_spread (const ZiTrainerConfig *cfg);

/* Bytes of memory training cfg would need (model + dataset), and the check against MemAvailable
 * (ZI_ERROR_RESOURCES with the numbers and advice when it does not fit). n_pairs 0 = estimate. */
guint64  zi_trainer_estimate_memory (const ZiTrainerConfig *cfg, guint n_pairs);
gboolean zi_trainer_check_resources (const ZiTrainerConfig *cfg, guint n_pairs, GError **error);

G_END_DECLS
