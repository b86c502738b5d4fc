/* zi-trainer-config.c — the trainer's configuration: defaults, presets, range checks, the "config"
 * object of run.json, and the memory check done before training starts. Kept apart from the worker
 * thread in zi-trainer.c because the GUI and the CLI use it long before any training. */
#include "config.h"
#include "zi-trainer.h"
#include "zi-error.h"
#include "zi-fileutil.h"
#include "zi-font.h"
#include "zi-range.h"
#include "zi-render.h"
#include "zi-representation.h"
#include "zi-trainer-config-private.h"
#include "nn-gemm.h"
#include "nn-peak.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

/* ---- enum names ---- */

typedef struct {
  int         value;
  const char *name;
} EnumName;

static const EnumName norm_names[] = { { NN_NORM_BATCH, "batch" }, { NN_NORM_INSTANCE, "instance" } };
static const EnumName gan_names[] = {
  { NN_GAN_BCE, "bce" }, { NN_GAN_LSGAN, "lsgan" }, { NN_GAN_HINGE, "hinge" },
};
static const EnumName opt_names[] = {
  { NN_OPT_ADAM, "adam" }, { NN_OPT_RMSPROP, "rmsprop" }, { NN_OPT_SGD, "sgd" },
};
static const EnumName sched_names[] = {
  { NN_SCHED_FIXED, "fixed" }, { NN_SCHED_STEP, "step" }, { NN_SCHED_EXP, "exp" },
  { NN_SCHED_COSINE, "cosine" }, { NN_SCHED_PLATEAU, "plateau" },
};

static const char *
enum_to_string (const EnumName *names, gsize n, int value)
{
  for (gsize i = 0; i < n; i++)
    if (names[i].value == value)
      return names[i].name;
  return "unknown";
}

static gboolean
enum_from_string (const EnumName *names, gsize n, const char *s, int *value)
{
  for (gsize i = 0; s != NULL && i < n; i++)
    if (g_ascii_strcasecmp (names[i].name, s) == 0)
      {
        *value = names[i].value;
        return TRUE;
      }
  return FALSE;
}

#define ENUM_PAIR(fn, Type, table)                                                  \
  const char *zi_trainer_##fn##_to_string (Type kind)                               \
  {                                                                                 \
    return enum_to_string (table, G_N_ELEMENTS (table), (int) kind);                \
  }                                                                                 \
  gboolean zi_trainer_##fn##_from_string (const char *s, Type *kind)                \
  {                                                                                 \
    int v;                                                                          \
    g_return_val_if_fail (kind != NULL, FALSE);                                     \
    if (!enum_from_string (table, G_N_ELEMENTS (table), s, &v))                     \
      return FALSE;                                                                 \
    *kind = (Type) v;                                                               \
    return TRUE;                                                                    \
  }

ENUM_PAIR (norm, NnNormKind, norm_names)
ENUM_PAIR (gan_loss, NnGanLoss, gan_names)
ENUM_PAIR (optimizer, NnOptKind, opt_names)
ENUM_PAIR (schedule, NnSchedKind, sched_names)

/* ---- defaults and presets ---- */

void
zi_trainer_config_init (ZiTrainerConfig *cfg)
{
  g_return_if_fail (cfg != NULL);

  memset (cfg, 0, sizeof *cfg);
  cfg->source_font = g_strdup (ZI_DEFAULT_SOURCE_FONT);
  cfg->target_font = g_strdup (ZI_DEFAULT_TARGET_FONT);
  cfg->em_fraction = ZI_DEFAULT_EM_FRACTION;
  cfg->augment = FALSE;
  cfg->representation = ZI_REPRESENTATION_INK;
  cfg->field_spread = ZI_FIELD_SPREAD_DEFAULT;

  nn_pix2pix_defaults (&cfg->net);
  cfg->net.size = 64;
  cfg->net.ngf = 32;
  cfg->net.batch = 16;
  cfg->net.l1_weight = 100.0f;
  /* bf16 products where the processor has them: twice as many steps a minute, and step for step
   * the same validation figures (README, "Performance"). */
  cfg->net.precision = nn_precision_resolve (NN_PRECISION_AUTO);

  /* Beyond plain pix2pix (lr 2e-4, dropout 0.5, L1 only; --preset pix2pix), as the ablation on the
   * default pair at 64 px supported (README, "Training quality"): at step 2000, validation SSIM
   * 0.679 plain, 0.715 with lr 5e-4 and no dropout, 0.742 adding the SSIM loss at weight 500; weight
   * 1500 gave +0.004 more at steps 1000 and 1500 with the same L1, weight 100 0.014 less. Dropout 0.5
   * cost 0.013 at step 4000 even against over-fitting, random shifts (--augment) 0.021 at 3000. */
  cfg->net.dropout = 0.0f;
  cfg->net.ssim_weight = 1500.0f;

  nn_optim_defaults (&cfg->opt_g, NN_OPT_ADAM);
  cfg->opt_g.lr = 5e-4f;
  cfg->opt_g.beta1 = 0.5f;
  cfg->opt_g.beta2 = 0.999f;
  cfg->opt_d = cfg->opt_g;
  cfg->opt_d.lr = 0.0f;  /* follows G */
  nn_sched_defaults (&cfg->sched, NN_SCHED_FIXED, cfg->opt_g.lr);

  /* Measured on the default pair at 64 px (10 minutes, paired in one run): validation SSIM 0.650 with
   * the average against 0.632 without at step 961, 0.608 against 0.560 at step 500. */
  cfg->ema_decay = 0.999f;
  cfg->freeze_steps = ZI_TRAINER_FREEZE_STEPS_DEFAULT;

  cfg->log_every = 10;
  cfg->checkpoint_every = 1000;
  cfg->keep = 3;
  cfg->val_fraction = 0.05;
  cfg->val_every = 500;
  cfg->val_max = 0;
  cfg->preview_count = 8;
  cfg->seed = 1;
  cfg->threads = 0;
}

void
zi_trainer_config_clear (ZiTrainerConfig *cfg)
{
  g_return_if_fail (cfg != NULL);

  g_free (cfg->source_font);
  g_free (cfg->target_font);
  g_strfreev (cfg->target_fonts);
  g_free (cfg->style_weights);
  g_free (cfg->chars);
  g_free (cfg->cache_dir);
  g_free (cfg->val_chars);
  g_free (cfg->init_from);
  memset (cfg, 0, sizeof *cfg);
}

void
zi_trainer_config_copy (ZiTrainerConfig *dst, const ZiTrainerConfig *src)
{
  g_return_if_fail (dst != NULL && src != NULL && dst != src);

  *dst = *src;
  dst->source_font = g_strdup (src->source_font);
  dst->target_font = g_strdup (src->target_font);
  dst->target_fonts = g_strdupv (src->target_fonts);
  dst->style_weights = src->style_weights ? g_memdup2 (src->style_weights, sizeof (double) * src->n_targets)
                                          : NULL;
  dst->cache_dir = g_strdup (src->cache_dir);
  dst->chars = src->chars ? g_memdup2 (src->chars, sizeof (gunichar) * src->n_chars) : NULL;
  dst->val_chars = src->val_chars ? g_memdup2 (src->val_chars, sizeof (gunichar) * src->n_val_chars) : NULL;
  dst->init_from = g_strdup (src->init_from);
}

/* What a preset decides: the model, the losses, the optimisers, the schedule, the average and the
 * intervals, all back to the defaults first, so a preset means the same whatever came before it. */
static void
reset_recipe (ZiTrainerConfig *cfg)
{
  ZiTrainerConfig d;

  zi_trainer_config_init (&d);
  /* The styles are the data's, not the recipe's. */
  d.net.n_styles = cfg->net.n_styles;
  d.net.embed_dim = cfg->net.embed_dim;
  cfg->net = d.net;
  cfg->opt_g = d.opt_g;
  cfg->opt_d = d.opt_d;
  cfg->sched = d.sched;
  cfg->ema_decay = d.ema_decay;
  cfg->augment = d.augment;
  cfg->val_every = d.val_every;
  cfg->checkpoint_every = d.checkpoint_every;
  zi_trainer_config_clear (&d);
}

gboolean
zi_trainer_config_apply_preset (ZiTrainerConfig *cfg, const char *preset, GError **error)
{
  g_return_val_if_fail (cfg != NULL, FALSE);

  if (g_strcmp0 (preset, "recommended") != 0 && g_strcmp0 (preset, "quick") != 0
      && g_strcmp0 (preset, "pix2pix") != 0 && g_strcmp0 (preset, "zi2zi") != 0
      && g_strcmp0 (preset, "hq") != 0)
    {
      g_set_error (error, ZI_ERROR, ZI_ERROR_INVALID,
                   _("Unknown training preset '%s'; use recommended, quick, pix2pix, zi2zi or hq."),
                   preset ? preset : "");
      return FALSE;
    }
  reset_recipe (cfg);
  if (g_strcmp0 (preset, "recommended") == 0)
    ;  /* the defaults */
  else if (g_strcmp0 (preset, "quick") == 0)
    {
      /* Something recognisable within minutes on two cores: a narrower generator, a higher rate and
       * no dropout. At ngf 32 the last two gave validation SSIM 0.683 (L1 0.084) at step 1000
       * against 0.652 (L1 0.092) with plain pix2pix's, on the default pair at 64 px. */
      cfg->net.size = 64;
      cfg->net.ngf = 16;
      cfg->net.batch = 16;
      cfg->net.dropout = 0.0f;
      cfg->opt_g.lr = 5e-4f;
      cfg->val_every = 200;
      cfg->checkpoint_every = 500;
    }
  else if (g_strcmp0 (preset, "pix2pix") == 0)
    {
      /* Plain pix2pix (Isola et al. 2017): the defaults' Adam (β1 0.5, D following G), fixed
       * schedule and L1 100, at 2e-4 with dropout 0.5, no SSIM loss and no weight averaging: the
       * baseline the defaults improve on. */
      cfg->opt_g.lr = 2e-4f;
      cfg->net.dropout = 0.5f;
      cfg->net.ssim_weight = 0.0f;
      cfg->ema_decay = 0.0f;
    }
  else if (g_strcmp0 (preset, "zi2zi") == 0)
    {
      /* zi2zi (Tian 2017): Adam 1e-3 β1 0.5, lr halved every 10 epochs (~4000 steps of 16 on the
       * ~6,300 shared ideographs) down to 2e-4, const loss 15, L1 100 (the defaults' Adam and L1). */
      cfg->opt_g.lr = 1e-3f;
      nn_sched_defaults (&cfg->sched, NN_SCHED_STEP, cfg->opt_g.lr);
      cfg->sched.every = 4000;
      cfg->sched.gamma = 0.5f;
      cfg->sched.floor_lr = 2e-4f;
      cfg->net.const_weight = 15.0f;
      cfg->net.dropout = 0.5f;  /* its pix2pix decoder's */
    }
  else  /* hq */
    {
      /* 256 px keeps the curves of the strokes that 64 px loses; ngf stays 32, so a step costs
       * ~1.8 s on two cores (64 px ngf 64 would cost as much and see less). */
      cfg->net.size = 256;
      cfg->net.ngf = 32;
      nn_sched_defaults (&cfg->sched, NN_SCHED_COSINE, cfg->opt_g.lr);
      cfg->sched.warmup_steps = 500;
      cfg->sched.total_steps = cfg->max_steps > 0 ? cfg->max_steps : 100000;
      cfg->sched.min_lr = cfg->opt_g.lr * 0.05f;
    }
  cfg->sched.base_lr = cfg->opt_g.lr;
  return TRUE;
}

/* A number of the configuration with its range, checked by zi_check_range(). */
typedef struct {
  const char *name;
  double      value, low, high;
  ZiRangeEnds ends;
} RangeCheck;

static gboolean
check_ranges (const RangeCheck *checks, gsize n, GError **error)
{
  for (gsize i = 0; i < n; i++)
    {
      const RangeCheck *c = &checks[i];

      if (!zi_check_range (c->value, c->low, c->high, c->ends, c->name, error))
        return FALSE;
    }
  return TRUE;
}

/* Every field of an optimiser, used or not by its kind: each is written to run.json, which holds only
 * finite numbers, and switching the kind later uses them. */
static gboolean
check_opt (const NnOptConfig *o, const char *which, gboolean lr_may_be_zero, GError **error)
{
  const RangeCheck fields[] = {
    { N_("learning rate"), o->lr, 0.0, 10.0, ZI_RANGE_OPEN },
    { N_("Adam β1"), o->beta1, 0.0, 1.0, ZI_RANGE_OPEN_HIGH },
    { N_("Adam β2"), o->beta2, 0.0, 1.0, ZI_RANGE_OPEN_HIGH },
    { N_("momentum"), o->momentum, 0.0, 1.0, ZI_RANGE_OPEN_HIGH },
    { N_("RMSprop momentum"), o->rms_momentum, 0.0, 1.0, ZI_RANGE_OPEN_HIGH },
    { N_("RMSprop α"), o->alpha, 0.0, 1.0, ZI_RANGE_OPEN_HIGH },
    { N_("ε"), o->eps, 0.0, 1.0, ZI_RANGE_CLOSED },
    { N_("weight decay"), o->weight_decay, 0.0, INFINITY, ZI_RANGE_CLOSED },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (fields); i++)
    {
      const RangeCheck *f = &fields[i];
      g_autofree char *name = NULL;

      /* The discriminator's rate 0 means "the generator's". */
      if ((i == 0 && lr_may_be_zero && o->lr == 0.0f) || zi_in_range (f->value, f->low, f->high, f->ends))
        continue;
      /* TRANSLATORS: "The generator learning rate", "The discriminator Adam β1". */
      name = g_strdup_printf (_("The %s %s"), which, _(f->name));
      return zi_check_range (f->value, f->low, f->high, f->ends, name, error);
    }
  return TRUE;
}

gboolean
zi_trainer_config_validate (const ZiTrainerConfig *cfg, GError **error)
{
  const NnPix2PixConfig *n;

  g_return_val_if_fail (cfg != NULL, FALSE);

  n = &cfg->net;
  /* 32 px is accepted for tests and experiments; the CLI documents 64..512. */
  if (n->size < 32 || n->size > 512 || (n->size & (n->size - 1)) != 0)
    {
      g_set_error (error, ZI_ERROR, ZI_ERROR_INVALID,
                   _("The image size %d is not supported; use 64, 128, 256 or 512."), n->size);
      return FALSE;
    }
  if (n->ngf < 1 || n->ngf > 512 || n->ndf < 0 || n->ndf > 512)
    {
      g_set_error (error, ZI_ERROR, ZI_ERROR_INVALID,
                   _("The channel width %d is out of range; use 1 to 512 (32 is the default)."),
                   n->ngf < 1 || n->ngf > 512 ? n->ngf : n->ndf);
      return FALSE;
    }
  if (n->batch < 1 || n->batch > 1024)
    {
      g_set_error (error, ZI_ERROR, ZI_ERROR_INVALID,
                   _("The batch size %d is out of range; use 1 to 1024 (16 is the default)."), n->batch);
      return FALSE;
    }
  if (!check_opt (&cfg->opt_g, _("generator"), FALSE, error)
      || !check_opt (&cfg->opt_d, _("discriminator"), TRUE, error))
    return FALSE;
  {
    const NnSchedConfig *s = &cfg->sched;
    const RangeCheck checks[] = {
      { _("The L1 loss weight"), n->l1_weight, 0.0, INFINITY, ZI_RANGE_CLOSED },
      { _("The const loss weight"), n->const_weight, 0.0, INFINITY, ZI_RANGE_CLOSED },
      { _("The total variation weight"), n->tv_weight, 0.0, INFINITY, ZI_RANGE_CLOSED },
      { _("The SSIM loss weight"), n->ssim_weight, 0.0, 1e6, ZI_RANGE_OPEN_HIGH },
      { _("The gradient clipping norm"), n->clip_norm, 0.0, INFINITY, ZI_RANGE_CLOSED },
      { _("The dropout"), n->dropout, 0.0, 1.0, ZI_RANGE_OPEN_HIGH },
      { _("The validation fraction"), cfg->val_fraction, 0.0, 1.0, ZI_RANGE_OPEN_HIGH },
      { _("The EMA decay"), cfg->ema_decay, 0.0, 1.0, ZI_RANGE_OPEN_HIGH },
      { _("The em fraction"), cfg->em_fraction, 0.1, 1.0, ZI_RANGE_OPEN_LOW },
      { _("The time limit in minutes"), cfg->max_minutes, 0.0, INFINITY, ZI_RANGE_CLOSED },
      /* The schedule's numbers, whichever kind uses them (run.json stores them all). */
      { _("The schedule's base learning rate"), s->base_lr, 0.0, 10.0, ZI_RANGE_CLOSED },
      { _("The schedule's decay factor"), s->gamma, 0.0, 1.0, ZI_RANGE_CLOSED },
      { _("The schedule's lowest learning rate"), s->floor_lr, 0.0, 10.0, ZI_RANGE_CLOSED },
      { _("The cosine schedule's lowest learning rate"), s->min_lr, 0.0, 10.0, ZI_RANGE_CLOSED },
      { _("The plateau threshold"), s->threshold, 0.0, 1.0, ZI_RANGE_CLOSED },
      { _("The log interval"), cfg->log_every, 1.0, INFINITY, ZI_RANGE_CLOSED },
      { _("The checkpoint interval"), cfg->checkpoint_every, 1.0, INFINITY, ZI_RANGE_CLOSED },
      { _("The validation interval"), cfg->val_every, 1.0, INFINITY, ZI_RANGE_CLOSED },
      { _("The number of checkpoints kept"), cfg->keep, 1.0, INFINITY, ZI_RANGE_CLOSED },
    };

    if (!check_ranges (checks, G_N_ELEMENTS (checks), error))
      return FALSE;
  }
  if ((cfg->sched.kind == NN_SCHED_STEP || cfg->sched.kind == NN_SCHED_EXP)
      && (cfg->sched.every == 0 || cfg->sched.gamma == 0.0f))
    {
      g_set_error (error, ZI_ERROR, ZI_ERROR_INVALID,
                   _("A step or exponential schedule needs --lr-step-every ≥ 1 and --lr-gamma in (0, 1]."));
      return FALSE;
    }
  if (n->precision == NN_PRECISION_BF16 && !nn_cpu_has_bf16 ())
    {
      g_set_error (error, ZI_ERROR, ZI_ERROR_INVALID,
                   _("bf16 precision needs a processor with AVX512_BF16 (CPU flag avx512_bf16), which "
                     "this one lacks; use --precision fp32."));
      return FALSE;
    }
  if (cfg->representation == ZI_REPRESENTATION_FIELD
      && !zi_check_range (cfg->field_spread, ZI_FIELD_SPREAD_MIN, ZI_FIELD_SPREAD_MAX, ZI_RANGE_CLOSED,
                          _("The field spread in pixels"), error))
    return FALSE;
  if (cfg->source_font == NULL || cfg->target_font == NULL)
    {
      g_set_error (error, ZI_ERROR, ZI_ERROR_INVALID, _("Both a source and a target font are needed."));
      return FALSE;
    }
  return zi_trainer_config_validate_targets (cfg, error);
}

/* ---- JSON ---- */

static void
put_num (JsonBuilder *b, const char *name, double v)
{
  json_builder_set_member_name (b, name);
  json_builder_add_double_value (b, v);
}

static void
put_int (JsonBuilder *b, const char *name, gint64 v)
{
  json_builder_set_member_name (b, name);
  json_builder_add_int_value (b, v);
}

static void
put_str (JsonBuilder *b, const char *name, const char *v)
{
  json_builder_set_member_name (b, name);
  json_builder_add_string_value (b, v);
}

static void
put_opt (JsonBuilder *b, const char *name, const NnOptConfig *o)
{
  json_builder_set_member_name (b, name);
  json_builder_begin_object (b);
  put_str (b, "kind", zi_trainer_optimizer_to_string (o->kind));
  put_num (b, "lr", o->lr);
  put_num (b, "momentum", o->momentum);
  put_int (b, "nesterov", o->nesterov);
  put_num (b, "beta1", o->beta1);
  put_num (b, "beta2", o->beta2);
  put_num (b, "eps", o->eps);
  put_num (b, "weight_decay", o->weight_decay);
  put_num (b, "alpha", o->alpha);
  put_num (b, "rms_momentum", o->rms_momentum);
  put_int (b, "centered", o->centered);
  json_builder_end_object (b);
}

char *
zi_trainer_config_to_json (const ZiTrainerConfig *cfg)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  const NnPix2PixConfig *n = &cfg->net;
  const NnSchedConfig *s = &cfg->sched;

  g_return_val_if_fail (cfg != NULL, NULL);

  json_builder_begin_object (b);
  put_str (b, "source_font", cfg->source_font);
  put_str (b, "target_font", cfg->target_font);
  zi_trainer_config_targets_to_json (b, cfg);
  put_num (b, "em_fraction", cfg->em_fraction);
  put_int (b, "augment", cfg->augment);
  zi_representation_to_json (b, cfg->representation, cfg->field_spread);
  put_int (b, "size", n->size);
  put_int (b, "ngf", n->ngf);
  put_int (b, "ndf", n->ndf);
  put_str (b, "norm", zi_trainer_norm_to_string (n->norm));
  put_int (b, "n_styles", n->n_styles);
  put_int (b, "embed_dim", n->embed_dim);
  if (n->keep_embed)
    put_int (b, "keep_embed", n->keep_embed);
  if (n->n_styles > 1)
    put_int (b, "d_style", n->d_style);
  if (n->n_styles > 1 || n->keep_embed)
    put_int (b, "g_cnorm", n->g_cnorm);
  put_num (b, "dropout", n->dropout);
  put_str (b, "gan_loss", zi_trainer_gan_loss_to_string (n->gan_loss));
  put_num (b, "l1_weight", n->l1_weight);
  put_num (b, "const_weight", n->const_weight);
  put_num (b, "tv_weight", n->tv_weight);
  put_num (b, "ssim_weight", n->ssim_weight);
  put_num (b, "clip_norm", n->clip_norm);
  put_int (b, "batch", n->batch);
  put_str (b, "precision", nn_precision_name (n->precision));
  put_opt (b, "opt_g", &cfg->opt_g);
  put_opt (b, "opt_d", &cfg->opt_d);
  json_builder_set_member_name (b, "schedule");
  json_builder_begin_object (b);
  put_str (b, "kind", zi_trainer_schedule_to_string (s->kind));
  put_num (b, "base_lr", s->base_lr);
  put_int (b, "every", (gint64) s->every);
  put_num (b, "gamma", s->gamma);
  put_num (b, "floor_lr", s->floor_lr);
  put_int (b, "warmup_steps", (gint64) s->warmup_steps);
  put_int (b, "total_steps", (gint64) s->total_steps);
  put_num (b, "min_lr", s->min_lr);
  put_int (b, "patience", s->patience);
  put_num (b, "threshold", s->threshold);
  json_builder_end_object (b);
  put_num (b, "ema_decay", cfg->ema_decay);
  if (cfg->init_from != NULL)
    {
      put_str (b, "init_from", cfg->init_from);
      put_int (b, "freeze_steps", (gint64) cfg->freeze_steps);
    }
  put_int (b, "max_steps", (gint64) cfg->max_steps);
  put_num (b, "max_minutes", cfg->max_minutes);
  put_int (b, "log_every", cfg->log_every);
  put_int (b, "checkpoint_every", cfg->checkpoint_every);
  put_int (b, "keep", cfg->keep);
  put_num (b, "val_fraction", cfg->val_fraction);
  put_int (b, "val_every", cfg->val_every);
  put_int (b, "val_max", cfg->val_max);
  put_int (b, "preview_count", cfg->preview_count);
  /* The seed's bits are stored as a signed 64-bit integer (JSON integers), read back the same way. */
  put_int (b, "seed", (gint64) cfg->seed);
  put_int (b, "threads", cfg->threads);
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  return zi_json_repair_exponents (json_to_string (root, TRUE));
}

static double
num (JsonObject *o, const char *name, double fallback)
{
  JsonNode *n = o ? json_object_get_member (o, name) : NULL;

  if (n == NULL || JSON_NODE_TYPE (n) != JSON_NODE_VALUE)
    return fallback;
  return json_node_get_double (n);
}

static gint64
inum (JsonObject *o, const char *name, gint64 fallback, gint64 lo, gint64 hi)
{
  JsonNode *n = o ? json_object_get_member (o, name) : NULL;

  if (n == NULL || json_node_get_value_type (n) != G_TYPE_INT64)
    return fallback;
  return CLAMP (json_node_get_int (n), lo, hi);
}

static const char *
str (JsonObject *o, const char *name)
{
  JsonNode *n = o ? json_object_get_member (o, name) : NULL;

  /* Never warns on a member of another type: run.json comes from disk. */
  return n != NULL && json_node_get_value_type (n) == G_TYPE_STRING ? json_node_get_string (n) : NULL;
}

static JsonObject *
obj (JsonObject *o, const char *name)
{
  JsonNode *n = json_object_get_member (o, name);
  return n != NULL && JSON_NODE_HOLDS_OBJECT (n) ? json_node_get_object (n) : NULL;
}

static gboolean
get_opt (JsonObject *o, NnOptConfig *opt)
{
  const char *kind = str (o, "kind");

  if (kind != NULL && !zi_trainer_optimizer_from_string (kind, &opt->kind))
    return FALSE;
  opt->lr = (float) num (o, "lr", opt->lr);
  opt->momentum = (float) num (o, "momentum", opt->momentum);
  opt->nesterov = (int) inum (o, "nesterov", opt->nesterov, 0, 1);
  opt->beta1 = (float) num (o, "beta1", opt->beta1);
  opt->beta2 = (float) num (o, "beta2", opt->beta2);
  opt->eps = (float) num (o, "eps", opt->eps);
  opt->weight_decay = (float) num (o, "weight_decay", opt->weight_decay);
  opt->alpha = (float) num (o, "alpha", opt->alpha);
  opt->rms_momentum = (float) num (o, "rms_momentum", opt->rms_momentum);
  opt->centered = (int) inum (o, "centered", opt->centered, 0, 1);
  return TRUE;
}

gboolean
zi_trainer_config_from_json (ZiTrainerConfig *cfg, const char *json, GError **error)
{
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) local = NULL;
  JsonObject *o, *s;
  NnPix2PixConfig *n;
  const char *v;

  g_return_val_if_fail (cfg != NULL, FALSE);
  g_return_val_if_fail (json != NULL, FALSE);

  zi_trainer_config_init (cfg);
  root = json_from_string (json, &local);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error (error, ZI_ERROR, ZI_ERROR_RUN, _("The training configuration is not a JSON object (%s)."),
                   local ? local->message : "");
      return FALSE;
    }
  o = json_node_get_object (root);
  n = &cfg->net;
  if ((v = str (o, "source_font")) != NULL)
    {
      g_free (cfg->source_font);
      cfg->source_font = g_strdup (v);
    }
  if ((v = str (o, "target_font")) != NULL)
    {
      g_free (cfg->target_font);
      cfg->target_font = g_strdup (v);
    }
  if (!zi_trainer_config_targets_from_json (o, cfg))
    {
      g_set_error (error, ZI_ERROR, ZI_ERROR_RUN,
                   _("The training configuration has a list of target fonts or a style ratio Zimaru "
                     "cannot read; restore run.json or start a new run."));
      return FALSE;
    }
  cfg->em_fraction = num (o, "em_fraction", cfg->em_fraction);
  cfg->augment = inum (o, "augment", cfg->augment, 0, 1);
  /* Not the default when absent: a run.json without it was trained on ink, whatever the default. */
  if (!zi_representation_from_json (o, &cfg->representation, &cfg->field_spread))
    {
      g_set_error (error, ZI_ERROR, ZI_ERROR_RUN,
                   _("The training configuration names an unknown output representation; use ink, or "
                     "field with a spread of %d to %d pixels."), ZI_FIELD_SPREAD_MIN, ZI_FIELD_SPREAD_MAX);
      return FALSE;
    }
  n->size = (int) inum (o, "size", n->size, 0, 4096);
  n->ngf = (int) inum (o, "ngf", n->ngf, 0, 4096);
  n->ndf = (int) inum (o, "ndf", n->ndf, 0, 4096);
  n->n_styles = (int) inum (o, "n_styles", n->n_styles, 1, 4096);
  n->embed_dim = (int) inum (o, "embed_dim", n->embed_dim, 0, 4096);
  n->keep_embed = (int) inum (o, "keep_embed", 0, 0, 1);
  /* Absent from runs of several styles made before the discriminator was told the style. */
  n->d_style = (int) inum (o, "d_style", 0, 0, 1);
  n->g_cnorm = (int) inum (o, "g_cnorm", 0, 0, 1);
  n->dropout = (float) num (o, "dropout", n->dropout);
  n->l1_weight = (float) num (o, "l1_weight", n->l1_weight);
  n->const_weight = (float) num (o, "const_weight", n->const_weight);
  n->tv_weight = (float) num (o, "tv_weight", n->tv_weight);
  /* Absent from runs made before the SSIM loss existed: they trained without it. */
  n->ssim_weight = (float) num (o, "ssim_weight", 0.0);
  n->clip_norm = (float) num (o, "clip_norm", n->clip_norm);
  n->batch = (int) inum (o, "batch", n->batch, 0, 65536);
  if (((v = str (o, "norm")) != NULL && !zi_trainer_norm_from_string (v, &n->norm))
      || ((v = str (o, "gan_loss")) != NULL && !zi_trainer_gan_loss_from_string (v, &n->gan_loss))
      /* Absent from runs made before bf16: they trained in float32, whatever the default. */
      || !nn_precision_parse ((v = str (o, "precision")) != NULL ? v : "fp32", &n->precision)
      || (obj (o, "opt_g") && !get_opt (obj (o, "opt_g"), &cfg->opt_g))
      || (obj (o, "opt_d") && !get_opt (obj (o, "opt_d"), &cfg->opt_d)))
    {
      g_set_error (error, ZI_ERROR, ZI_ERROR_RUN,
                   _("The training configuration names an unknown normalisation, loss, precision or "
                     "optimiser."));
      return FALSE;
    }
  n->precision = nn_precision_resolve (n->precision);
  s = obj (o, "schedule");
  if (s != NULL)
    {
      NnSchedConfig *sc = &cfg->sched;
      if ((v = str (s, "kind")) != NULL && !zi_trainer_schedule_from_string (v, &sc->kind))
        {
          g_set_error (error, ZI_ERROR, ZI_ERROR_RUN,
                       _("The training configuration names an unknown schedule '%s'."), v);
          return FALSE;
        }
      sc->base_lr = (float) num (s, "base_lr", sc->base_lr);
      sc->every = (guint64) inum (s, "every", (gint64) sc->every, 0, G_MAXINT64);
      sc->gamma = (float) num (s, "gamma", sc->gamma);
      sc->floor_lr = (float) num (s, "floor_lr", sc->floor_lr);
      sc->warmup_steps = (guint64) inum (s, "warmup_steps", (gint64) sc->warmup_steps, 0, G_MAXINT64);
      sc->total_steps = (guint64) inum (s, "total_steps", (gint64) sc->total_steps, 0, G_MAXINT64);
      sc->min_lr = (float) num (s, "min_lr", sc->min_lr);
      sc->patience = (guint32) inum (s, "patience", sc->patience, 0, G_MAXUINT32);
      sc->threshold = (float) num (s, "threshold", sc->threshold);
    }
  cfg->ema_decay = (float) num (o, "ema_decay", cfg->ema_decay);
  if ((v = str (o, "init_from")) != NULL)
    {
      g_free (cfg->init_from);
      cfg->init_from = g_strdup (v);
      cfg->freeze_steps = (guint64) inum (o, "freeze_steps", 0, 0, G_MAXINT64);
    }
  cfg->max_steps = (guint64) inum (o, "max_steps", (gint64) cfg->max_steps, 0, G_MAXINT64);
  cfg->max_minutes = num (o, "max_minutes", cfg->max_minutes);
  cfg->log_every = (guint) inum (o, "log_every", cfg->log_every, 0, G_MAXUINT);
  cfg->checkpoint_every = (guint) inum (o, "checkpoint_every", cfg->checkpoint_every, 0, G_MAXUINT);
  cfg->keep = (guint) inum (o, "keep", cfg->keep, 0, G_MAXUINT);
  cfg->val_fraction = num (o, "val_fraction", cfg->val_fraction);
  cfg->val_every = (guint) inum (o, "val_every", cfg->val_every, 0, G_MAXUINT);
  cfg->val_max = (guint) inum (o, "val_max", cfg->val_max, 0, G_MAXUINT);
  cfg->preview_count = (guint) inum (o, "preview_count", cfg->preview_count, 0, 256);
  cfg->seed = (guint64) inum (o, "seed", (gint64) cfg->seed, G_MININT64, G_MAXINT64);
  cfg->threads = (guint) inum (o, "threads", cfg->threads, 0, 1024);
  return zi_trainer_config_validate (cfg, error);
}

guint
zi_trainer_config_get_field_spread (const ZiTrainerConfig *cfg)
{
  g_return_val_if_fail (cfg != NULL, 0);

  return cfg->representation == ZI_REPRESENTATION_FIELD ? cfg->field_spread : 0;
}

/* ---- resources ---- */

guint64
zi_trainer_estimate_memory (const ZiTrainerConfig *cfg, guint n_pairs)
{
  guint64 model, pixels, data;

  g_return_val_if_fail (cfg != NULL, 0);

  if (n_pairs == 0)
    n_pairs = cfg->n_chars > 0 ? cfg->n_chars : 7000;  /* ~the shared ideographs of the default pair */
  model = nn_pix2pix_memory_bytes (&cfg->net);
  pixels = (guint64) cfg->net.size * (guint64) cfg->net.size;
  /* Source and target bytes of every pair (and the target's field in a field run), plus a rendering
   * buffer of the same size while the dataset is built. */
  data = (zi_trainer_config_get_field_spread (cfg) > 0 ? 6 : 4) * (guint64) n_pairs * pixels;
  /* A dataset per target style (zi-trainer-data.c), each with its own copy of the sources. */
  data *= zi_trainer_config_get_n_targets (cfg);
  /* The in-memory copy of the last checkpoint (weights and optimiser state, the rollback target)
   * is bounded by half the model's blocks (activations make up the rest). */
  return model + model / 2 + data;
}

/* MemAvailable from /proc/meminfo in bytes, or 0 when unknown. */
static guint64
mem_available (void)
{
  g_autofree char *text = NULL;
  const char *p;
  guint64 kib;

  if (!g_file_get_contents ("/proc/meminfo", &text, NULL, NULL))
    return 0;
  p = strstr (text, "MemAvailable:");
  if (p == NULL || sscanf (p, "MemAvailable: %" G_GUINT64_FORMAT " kB", &kib) != 1)
    return 0;
  return kib * 1024;
}

gboolean
zi_trainer_check_resources (const ZiTrainerConfig *cfg, guint n_pairs, GError **error)
{
  guint64 need, avail;

  g_return_val_if_fail (cfg != NULL, FALSE);

  need = zi_trainer_estimate_memory (cfg, n_pairs);
  avail = mem_available ();
  if (avail != 0 && need > avail)
    {
      g_autofree char *need_s = g_format_size (need);
      g_autofree char *avail_s = g_format_size (avail);
      g_set_error (error, ZI_ERROR, ZI_ERROR_RESOURCES,
                   _("Training at %d px with ngf %d and batch %d needs about %s of memory, but only %s is "
                     "available; use a smaller --batch, --ngf or --size, or close other programs."),
                   cfg->net.size, cfg->net.ngf, cfg->net.batch, need_s, avail_s);
      return FALSE;
    }
  return TRUE;
}
