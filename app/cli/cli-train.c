/* cli-train.c — `zimaru-cli train [--source FONT] [--target FONT]... [--target-family NAME] [CHARS]
 * [--exclude FILE] --run DIR [options]`: trains a model into a run directory (zi-run.h), or continues
 * one with --resume. Several targets (a repeated --target, or every installed face of a family) train
 * one model with a style per target.
 *
 * The same ZiTrainer as the window, with the same worker thread: this command runs a main loop that
 * receives the trainer's events, draws progress on a terminal, prints warnings, and turns SIGINT and
 * SIGTERM into a clean stop (the current step finishes and a checkpoint is written). */
#include <inttypes.h>
#include "config.h"
#include "cli-chars.h"
#include "cli-common.h"
#include "cli-train-mpi.h"
#include "zi-charset.h"
#include "zi-error.h"
#include "zi-font.h"
#include "zi-range.h"
#include "zi-render.h"
#include "zi-representation.h"
#include "nn-gemm.h"
#include "nn-peak.h"
#include "zi-trainer.h"
#include "zi-trainer-data.h"

#include <glib-unix.h>
#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

/* Options as given; -1 / ZI_CLI_UNSET / NULL mean "not given", so a preset and the defaults apply first
 * and only what the user typed overrides them. */
typedef struct {
  char   **targets;             /* --target, repeatable */
  char    *target_family, *style_ratio;
  char    *source, *run, *norm, *gan_loss, *optimizer, *schedule, *seed, *cache_dir, *from;
  char    *representation, *precision, *init_from, *val_chars;
  gint64   freeze_steps;
  gboolean resume, quiet, json, augment;
  int      size, ngf, ndf, batch, val_every, checkpoint_every, keep, log_every, threads, patience;
  int      field_spread;
  gint64   steps, lr_step_every, warmup_steps;
  double   lr, lr_d, beta1, beta2, momentum, weight_decay, lr_gamma, lr_floor, l1_weight, const_weight,
           tv_weight, ssim_weight, clip_norm, dropout, val_fraction, minutes, em_fraction, ema;
} TrainOptions;

static void
options_init (TrainOptions *o)
{
  memset (o, 0, sizeof *o);
  o->size = o->ngf = o->ndf = o->batch = o->val_every = o->checkpoint_every = o->keep = o->log_every = -1;
  o->threads = o->patience = -1;
  o->field_spread = G_MININT;  /* any number typed, even a negative one, is given */
  o->steps = o->lr_step_every = o->warmup_steps = o->freeze_steps = -1;
  o->lr = o->lr_d = o->beta1 = o->beta2 = o->momentum = o->weight_decay = o->lr_gamma = o->lr_floor
    = ZI_CLI_UNSET;
  o->l1_weight = o->const_weight = o->tv_weight = o->ssim_weight = o->clip_norm = o->dropout = o->val_fraction
    = ZI_CLI_UNSET;
  o->minutes = o->em_fraction = o->ema = ZI_CLI_UNSET;
}

static void
options_clear (TrainOptions *o)
{
  g_free (o->source);
  g_strfreev (o->targets);
  g_free (o->target_family);
  g_free (o->style_ratio);
  g_free (o->run);
  g_free (o->norm);
  g_free (o->gan_loss);
  g_free (o->optimizer);
  g_free (o->schedule);
  g_free (o->seed);
  g_free (o->cache_dir);
  g_free (o->from);
  g_free (o->representation);
  g_free (o->precision);
  g_free (o->init_from);
  g_free (o->val_chars);
}

#define GIVEN_D(v) ZI_CLI_GIVEN (v)

/* Applies what may change on a resumed run too: bounds, intervals, threads, precision, rates. */
static gboolean
apply_session_options (const TrainOptions *o, ZiTrainerConfig *cfg, GError **error)
{
  if (o->steps >= 0)
    cfg->max_steps = (guint64) o->steps;
  if (GIVEN_D (o->minutes))
    cfg->max_minutes = o->minutes;
  if (o->threads >= 0)
    cfg->threads = (guint) o->threads;
  if (o->precision != NULL && !nn_precision_parse (o->precision, &cfg->net.precision))
    {
      g_set_error (error, ZI_ERROR, ZI_ERROR_INVALID,
                   _("unknown --precision '%s' (use fp32, bf16 or auto)"), o->precision);
      return FALSE;
    }
  cfg->net.precision = nn_precision_resolve (cfg->net.precision);
  if (o->checkpoint_every >= 0)
    cfg->checkpoint_every = (guint) o->checkpoint_every;
  if (o->keep >= 0)
    cfg->keep = (guint) o->keep;
  if (o->val_every >= 0)
    cfg->val_every = (guint) o->val_every;
  if (o->log_every >= 0)
    cfg->log_every = (guint) o->log_every;
  if (o->cache_dir != NULL)
    {
      g_free (cfg->cache_dir);
      cfg->cache_dir = g_strdup (o->cache_dir);
    }
  if (GIVEN_D (o->lr))
    cfg->opt_g.lr = (float) o->lr;
  if (GIVEN_D (o->lr_d))
    cfg->opt_d.lr = (float) o->lr_d;
  cfg->sched.base_lr = cfg->opt_g.lr;
  if (GIVEN_D (o->minutes)
      && !zi_check_range (o->minutes, 0.0, INFINITY, ZI_RANGE_CLOSED, "--minutes", error))
    return FALSE;
  return zi_trainer_config_validate (cfg, error);
}

/* The target styles: every --target in order, then the faces of --target-family from light to heavy.
 * A family without an installed face is an error naming it. */
static gboolean
apply_targets (const TrainOptions *o, ZiTrainerConfig *cfg, GError **error)
{
  g_autoptr(GPtrArray) specs = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; o->targets != NULL && o->targets[i] != NULL; i++)
    g_ptr_array_add (specs, g_strdup (o->targets[i]));
  if (o->target_family != NULL)
    {
      g_auto(GStrv) faces = zi_font_list_family (o->target_family, error);

      if (faces == NULL)
        return FALSE;
      for (guint i = 0; faces[i] != NULL; i++)
        g_ptr_array_add (specs, g_strdup (faces[i]));
    }
  if (specs->len > 0)
    zi_trainer_config_set_targets (cfg, (const char *const *) specs->pdata, specs->len);
  return o->style_ratio == NULL || zi_trainer_config_set_style_ratio (cfg, o->style_ratio, error);
}

static gboolean
apply_new_run_options (const TrainOptions *o, const char *preset, ZiTrainerConfig *cfg, GError **error)
{
  if (o->source != NULL)
    {
      g_free (cfg->source_font);
      cfg->source_font = g_strdup (o->source);
    }
  if (!apply_targets (o, cfg, error))
    return FALSE;
  if (preset != NULL && !zi_trainer_config_apply_preset (cfg, preset, error))
    return FALSE;
  if (o->size >= 0)
    cfg->net.size = o->size;
  if (o->ngf >= 0)
    cfg->net.ngf = o->ngf;
  if (o->ndf >= 0)
    cfg->net.ndf = o->ndf;
  if (o->batch >= 0)
    cfg->net.batch = o->batch;
  if ((o->norm && !zi_trainer_norm_from_string (o->norm, &cfg->net.norm))
      || (o->gan_loss && !zi_trainer_gan_loss_from_string (o->gan_loss, &cfg->net.gan_loss)))
    {
      g_set_error (error, ZI_ERROR, ZI_ERROR_INVALID,
                   _("unknown --norm '%s' or --gan-loss '%s' (use batch|instance and bce|lsgan|hinge)"),
                   o->norm ? o->norm : "", o->gan_loss ? o->gan_loss : "");
      return FALSE;
    }
  if (o->optimizer != NULL)
    {
      NnOptKind kind;
      if (!zi_trainer_optimizer_from_string (o->optimizer, &kind))
        {
          g_set_error (error, ZI_ERROR, ZI_ERROR_INVALID,
                       _("unknown --optimizer '%s' (use adam, rmsprop or sgd)"), o->optimizer);
          return FALSE;
        }
      float lr = cfg->opt_g.lr;
      nn_optim_defaults (&cfg->opt_g, kind);
      cfg->opt_g.lr = lr;
      cfg->opt_d = cfg->opt_g;
      cfg->opt_d.lr = 0.0f;
    }
  if (GIVEN_D (o->beta1))
    cfg->opt_g.beta1 = cfg->opt_d.beta1 = (float) o->beta1;
  if (GIVEN_D (o->beta2))
    cfg->opt_g.beta2 = cfg->opt_d.beta2 = (float) o->beta2;
  if (GIVEN_D (o->momentum))
    cfg->opt_g.momentum = cfg->opt_d.momentum = cfg->opt_g.rms_momentum = cfg->opt_d.rms_momentum
      = (float) o->momentum;
  if (GIVEN_D (o->weight_decay))
    cfg->opt_g.weight_decay = cfg->opt_d.weight_decay = (float) o->weight_decay;
  if (GIVEN_D (o->l1_weight))
    cfg->net.l1_weight = (float) o->l1_weight;
  if (GIVEN_D (o->const_weight))
    cfg->net.const_weight = (float) o->const_weight;
  if (GIVEN_D (o->tv_weight))
    cfg->net.tv_weight = (float) o->tv_weight;
  if (GIVEN_D (o->ssim_weight))
    cfg->net.ssim_weight = (float) o->ssim_weight;
  if (GIVEN_D (o->clip_norm))
    cfg->net.clip_norm = (float) o->clip_norm;
  if (GIVEN_D (o->dropout))
    cfg->net.dropout = (float) o->dropout;
  if (GIVEN_D (o->val_fraction))
    cfg->val_fraction = o->val_fraction;
  if (GIVEN_D (o->em_fraction))
    cfg->em_fraction = o->em_fraction;
  if (GIVEN_D (o->ema))
    cfg->ema_decay = (float) o->ema;
  if (o->augment)
    cfg->augment = TRUE;
  if (o->representation != NULL
      && !zi_representation_from_string (o->representation, &cfg->representation))
    {
      g_set_error (error, ZI_ERROR, ZI_ERROR_INVALID,
                   _("unknown --representation '%s' (use ink or field)"), o->representation);
      return FALSE;
    }
  if (o->field_spread != G_MININT && cfg->representation != ZI_REPRESENTATION_FIELD)
    {
      g_set_error (error, ZI_ERROR, ZI_ERROR_INVALID,
                   _("--field-spread goes with --representation field (see 'zimaru-cli train --help')"));
      return FALSE;
    }
  if (o->field_spread != G_MININT)
    {
      if (!zi_check_range (o->field_spread, ZI_FIELD_SPREAD_MIN, ZI_FIELD_SPREAD_MAX, ZI_RANGE_CLOSED,
                           "--field-spread", error))
        return FALSE;
      cfg->field_spread = (guint) o->field_spread;
    }
  if (o->freeze_steps >= 0 && o->init_from == NULL)
    {
      g_set_error (error, ZI_ERROR, ZI_ERROR_INVALID,
                   _("--freeze-steps goes with --init-from (see 'zimaru-cli train --help')"));
      return FALSE;
    }
  if (o->init_from != NULL)
    {
      g_free (cfg->init_from);
      cfg->init_from = g_strdup (o->init_from);
    }
  if (o->freeze_steps >= 0)
    cfg->freeze_steps = (guint64) o->freeze_steps;
  if (o->val_chars != NULL)
    {
      g_autoptr(GArray) val = zi_charset_from_file (o->val_chars, error);
      if (val == NULL)
        return FALSE;
      g_free (cfg->val_chars);
      cfg->n_val_chars = val->len;
      cfg->val_chars = (gunichar *) g_array_free (g_steal_pointer (&val), FALSE);
    }
  if (o->seed != NULL)
    {
      guint64 seed;
      if (!g_ascii_string_to_unsigned (o->seed, 10, 0, G_MAXUINT64, &seed, NULL))
        {
          g_set_error (error, ZI_ERROR, ZI_ERROR_INVALID, _("--seed '%s' is not a non-negative integer"), o->seed);
          return FALSE;
        }
      cfg->seed = seed;
    }
  if (o->steps >= 0)
    cfg->max_steps = (guint64) o->steps;
  if (GIVEN_D (o->lr))
    cfg->opt_g.lr = (float) o->lr;

  /* The schedule, after the rates are known. */
  if (o->schedule != NULL)
    {
      NnSchedKind kind;
      if (!zi_trainer_schedule_from_string (o->schedule, &kind))
        {
          g_set_error (error, ZI_ERROR, ZI_ERROR_INVALID,
                       _("unknown --lr-schedule '%s' (use fixed, step, exp, cosine or plateau)"), o->schedule);
          return FALSE;
        }
      nn_sched_defaults (&cfg->sched, kind, cfg->opt_g.lr);
    }
  cfg->sched.base_lr = cfg->opt_g.lr;
  if (o->lr_step_every >= 0)
    cfg->sched.every = (guint64) o->lr_step_every;
  if (GIVEN_D (o->lr_gamma))
    cfg->sched.gamma = (float) o->lr_gamma;
  if (GIVEN_D (o->lr_floor))
    cfg->sched.floor_lr = cfg->sched.min_lr = (float) o->lr_floor;
  if (o->warmup_steps >= 0)
    cfg->sched.warmup_steps = (guint64) o->warmup_steps;
  if (o->patience >= 0)
    cfg->sched.patience = (guint32) o->patience;
  /* Cosine decays over the run's steps; a preset's own length stands when there is no --steps. */
  if (cfg->sched.kind == NN_SCHED_COSINE && cfg->max_steps > 0)
    cfg->sched.total_steps = cfg->max_steps;
  else if (cfg->sched.kind == NN_SCHED_COSINE && o->schedule != NULL)
    {
      g_set_error (error, ZI_ERROR, ZI_ERROR_INVALID, _("--lr-schedule cosine needs --steps"));
      return FALSE;
    }
  return apply_session_options (o, cfg, error);
}

/* Options that shape the model or the data cannot change on a resumed run. */
static const char *
first_new_run_option (const TrainOptions *o, const ZiCliChars *chars, const char *preset)
{
  if (o->source || o->targets || o->target_family || o->style_ratio)
    return "--source/--target/--target-family/--style-ratio";
  if (zi_cli_chars_given (chars) || chars->exclude_file)
    return "CHARS";
  if (preset)
    return "--preset";
  if (o->size >= 0 || o->ngf >= 0 || o->ndf >= 0 || o->batch >= 0)
    return "--size/--ngf/--ndf/--batch";
  if (o->norm || o->gan_loss || o->optimizer || o->schedule || o->seed || o->augment)
    return "--norm/--gan-loss/--optimizer/--lr-schedule/--seed/--augment";
  if (o->representation || o->field_spread != G_MININT)
    return "--representation/--field-spread";
  if (o->init_from || o->freeze_steps >= 0 || o->val_chars)
    return "--init-from/--freeze-steps/--val-chars";
  if (GIVEN_D (o->beta1) || GIVEN_D (o->beta2) || GIVEN_D (o->momentum) || GIVEN_D (o->weight_decay)
      || GIVEN_D (o->l1_weight) || GIVEN_D (o->const_weight) || GIVEN_D (o->tv_weight)
      || GIVEN_D (o->ssim_weight)
      || GIVEN_D (o->clip_norm) || GIVEN_D (o->dropout) || GIVEN_D (o->val_fraction)
      || GIVEN_D (o->em_fraction) || GIVEN_D (o->ema) || GIVEN_D (o->lr_gamma) || GIVEN_D (o->lr_floor)
      || o->lr_step_every >= 0 || o->warmup_steps >= 0 || o->patience >= 0)
    return _("optimiser, schedule and loss options");
  return NULL;
}

/* ---- the event loop ---- */

typedef struct {
  GMainLoop          *loop;
  ZiCliProgress       progress;
  gboolean            quiet;
  guint64             total;
  gboolean            done;
  ZiTrainerStopReason reason;
  char               *checkpoint;
  guint64             step;
  guint64             images;
  double              seconds;
  gboolean            has_val;
  ZiTrainerValidation val;
  ZiTrainerEvent     *val_event;    /* the last validation, copied: its per-style figures */
  float               last_l1;
} TrainUi;

static void
train_event_cb (ZiTrainer *trainer, const ZiTrainerEvent *e, gpointer user_data)
{
  TrainUi *ui = user_data;

  switch (e->kind)
    {
    case ZI_TRAINER_EVENT_LOADING:
      zi_cli_progress_update (&ui->progress, _("Rendering glyphs"), e->progress.done, e->progress.total);
      break;
    case ZI_TRAINER_EVENT_STEP:
      {
        g_autofree char *label = NULL;
        ui->step = e->stats.step;
        ui->images = e->stats.images;
        ui->seconds = e->stats.seconds;
        ui->last_l1 = e->stats.l1;
        if (ui->has_val)
          label = g_strdup_printf (_("Training: L1 %.3f, D %.3f, val SSIM %.3f, %.0f img/s, step"),
                                   e->stats.l1, e->stats.d_loss, ui->val.ssim, e->stats.images_per_second);
        else
          label = g_strdup_printf (_("Training: L1 %.3f, D %.3f, %.0f img/s, step"),
                                   e->stats.l1, e->stats.d_loss, e->stats.images_per_second);
        zi_cli_progress_update (&ui->progress, label, e->stats.step, ui->total);
      }
      break;
    case ZI_TRAINER_EVENT_VALIDATION:
      ui->has_val = TRUE;
      ui->val = e->validation;
      g_clear_pointer (&ui->val_event, zi_trainer_event_free);
      ui->val_event = zi_trainer_event_copy (e);
      break;
    case ZI_TRAINER_EVENT_WARNING:
      if (!ui->quiet)
        {
          zi_cli_progress_done (&ui->progress);
          fprintf (stderr, "zimaru-cli: warning: %s\n", e->warning.message);
        }
      break;
    case ZI_TRAINER_EVENT_FINISHED:
      ui->done = TRUE;
      ui->reason = e->finished.reason;
      ui->checkpoint = g_strdup (e->finished.checkpoint);
      ui->step = e->step;
      ui->images = e->finished.images;
      ui->seconds = e->finished.seconds;
      g_main_loop_quit (ui->loop);
      break;
    case ZI_TRAINER_EVENT_FAILED:
      g_main_loop_quit (ui->loop);
      break;
    case ZI_TRAINER_EVENT_STATE:
    case ZI_TRAINER_EVENT_PREVIEW:
    case ZI_TRAINER_EVENT_CHECKPOINT:
    default:
      break;
    }
}

static gboolean
stop_signal_cb (gpointer user_data)
{
  zi_trainer_stop (ZI_TRAINER (user_data));
  return G_SOURCE_CONTINUE;
}

static const char *
reason_name (ZiTrainerStopReason reason)
{
  switch (reason)
    {
    case ZI_TRAINER_STOP_STEPS: return "steps";
    case ZI_TRAINER_STOP_TIME: return "time";
    case ZI_TRAINER_STOP_REQUESTED:
    default: return "stopped";
    }
}

static void
print_summary (const TrainUi *ui, const char *run, gboolean json)
{
  if (json)
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();
      ZiMetrics val = { ui->val.l1, ui->val.ssim, ui->val.iou, 0 };
      ZiMetrics base = { ui->val.base_l1, ui->val.base_ssim, ui->val.base_iou, 0 };

      json_builder_begin_object (b);
      zi_cli_json_string (b, "run", run);
      zi_cli_json_int (b, "step", (gint64) ui->step);
      zi_cli_json_int (b, "images", (gint64) ui->images);
      zi_cli_json_double (b, "seconds", ui->seconds);
      zi_cli_json_string (b, "reason", reason_name (ui->reason));
      zi_cli_json_string (b, "checkpoint", ui->checkpoint);
      zi_cli_json_metrics (b, "validation", ui->has_val ? &val : NULL);
      zi_cli_json_metrics (b, "baseline", ui->has_val ? &base : NULL);
      if (ui->val_event != NULL && ui->val_event->validation.n_styles > 0)
        {
          const ZiTrainerValidation *v = &ui->val_event->validation;

          json_builder_set_member_name (b, "styles");
          json_builder_begin_object (b);
          for (guint i = 0; i < v->n_styles; i++)
            {
              ZiMetrics m = { v->styles[i].l1, v->styles[i].ssim, v->styles[i].iou, v->styles[i].n };
              zi_cli_json_metrics (b, v->styles[i].name, v->styles[i].n > 0 ? &m : NULL);
            }
          json_builder_end_object (b);
        }
      json_builder_end_object (b);
      zi_cli_json_print (b);
      return;
    }
  if (ui->quiet)
    return;
  printf (_("Trained %s to step %" PRIu64 " (%s).\n"), run, ui->step, reason_name (ui->reason));
  if (ui->checkpoint)
    printf (_("Checkpoint: %s\n"), ui->checkpoint);
  if (ui->has_val)
    printf (_("Validation at step %" PRIu64 ": L1 %.4f, SSIM %.4f, IoU %.4f "
              "(identity baseline: L1 %.4f, SSIM %.4f, IoU %.4f)\n"),
            ui->step, ui->val.l1, ui->val.ssim, ui->val.iou, ui->val.base_l1, ui->val.base_ssim,
            ui->val.base_iou);
  for (guint i = 0; ui->val_event != NULL && i < ui->val_event->validation.n_styles; i++)
    {
      const ZiTrainerStyleValidation *v = &ui->val_event->validation.styles[i];

      if (v->n > 0)
        printf (_("  %s: L1 %.4f, SSIM %.4f, IoU %.4f (identity baseline: SSIM %.4f)\n"), v->name, v->l1, v->ssim,
                v->iou, v->base_ssim);
      else
        printf (_("  %s: no validation glyphs\n"), v->name);
    }
}

int
zi_cli_train (int argc, char **argv)
{
  TrainOptions o;
  ZiCliChars chars_opts = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(ZiTrainer) trainer = NULL;
  g_autofree char *preset = NULL;
  ZiTrainerConfig cfg = { 0 };
  TrainUi ui = { 0 };
  ZiTrainerMpi *mpi = NULL;
  int code;

  options_init (&o);
  const GOptionEntry command_entries[] = {
    { "source", 0, 0, G_OPTION_ARG_STRING, &o.source, N_("Source font (default \"Noto Sans CJK TC\")"), N_("FONT") },
    { "target", 0, 0, G_OPTION_ARG_STRING_ARRAY, &o.targets,
      N_("Target font (default \"Zen Maru Gothic\"); repeat it to train one model on several targets, "
         "each a style of the model"), N_("FONT") },
    { "target-family", 0, 0, G_OPTION_ARG_STRING, &o.target_family,
      N_("Train on every installed face of this family, each a style, from light to heavy (after any "
         "--target)"), N_("NAME") },
    { "style-ratio", 0, 0, G_OPTION_ARG_STRING, &o.style_ratio,
      N_("How batches share out the styles: equal (default), pairs (in proportion to each style's "
         "characters), or one weight per style, comma-separated (1,1,2)"), N_("RATIO") },
    { "run", 0, 0, G_OPTION_ARG_FILENAME, &o.run, N_("Run directory (created; required)"), N_("DIR") },
    { "resume", 0, 0, G_OPTION_ARG_NONE, &o.resume, N_("Continue the run in DIR from its newest checkpoint"), NULL },
    { "checkpoint", 0, 0, G_OPTION_ARG_FILENAME, &o.from, N_("With --resume: continue from this checkpoint instead"), N_("CKPT") },
    { "size", 0, 0, G_OPTION_ARG_INT, &o.size, N_("Image size: 64, 128, 256 or 512 (default 64)"), N_("N") },
    { "ngf", 0, 0, G_OPTION_ARG_INT, &o.ngf, N_("Generator base channels (default 32)"), N_("N") },
    { "ndf", 0, 0, G_OPTION_ARG_INT, &o.ndf, N_("Discriminator base channels (default: ngf)"), N_("N") },
    { "batch", 0, 0, G_OPTION_ARG_INT, &o.batch, N_("Batch size (default 16)"), N_("N") },
    { "norm", 0, 0, G_OPTION_ARG_STRING, &o.norm, N_("Normalisation: batch or instance (default batch)"), N_("KIND") },
    { "gan-loss", 0, 0, G_OPTION_ARG_STRING, &o.gan_loss, N_("Adversarial loss: bce, lsgan or hinge (default bce)"), N_("KIND") },
    { "dropout", 0, 0, G_OPTION_ARG_DOUBLE, &o.dropout, N_("Dropout in the innermost decoder blocks (default 0)"), N_("X") },
    { "optimizer", 0, 0, G_OPTION_ARG_STRING, &o.optimizer, N_("adam, rmsprop or sgd (default adam)"), N_("KIND") },
    { "lr", 0, 0, G_OPTION_ARG_DOUBLE, &o.lr, N_("Generator learning rate (default 5e-4)"), N_("X") },
    { "lr-d", 0, 0, G_OPTION_ARG_DOUBLE, &o.lr_d, N_("Discriminator learning rate (default: --lr)"), N_("X") },
    { "beta1", 0, 0, G_OPTION_ARG_DOUBLE, &o.beta1, N_("Adam β1 (default 0.5)"), N_("X") },
    { "beta2", 0, 0, G_OPTION_ARG_DOUBLE, &o.beta2, N_("Adam β2 (default 0.999)"), N_("X") },
    { "momentum", 0, 0, G_OPTION_ARG_DOUBLE, &o.momentum, N_("SGD / RMSprop momentum"), N_("X") },
    { "weight-decay", 0, 0, G_OPTION_ARG_DOUBLE, &o.weight_decay, N_("Weight decay (decoupled for Adam)"), N_("X") },
    { "lr-schedule", 0, 0, G_OPTION_ARG_STRING, &o.schedule, N_("fixed, step, exp, cosine or plateau (default fixed)"), N_("KIND") },
    { "lr-step-every", 0, 0, G_OPTION_ARG_INT64, &o.lr_step_every, N_("Steps per decay period (step, exp)"), N_("N") },
    { "lr-gamma", 0, 0, G_OPTION_ARG_DOUBLE, &o.lr_gamma, N_("Decay factor per period or plateau"), N_("X") },
    { "lr-floor", 0, 0, G_OPTION_ARG_DOUBLE, &o.lr_floor, N_("Lowest learning rate of a decaying schedule"), N_("X") },
    { "lr-patience", 0, 0, G_OPTION_ARG_INT, &o.patience, N_("Validations without improvement before a plateau cut"), N_("N") },
    { "warmup-steps", 0, 0, G_OPTION_ARG_INT64, &o.warmup_steps, N_("Linear warm-up steps"), N_("N") },
    { "l1-weight", 0, 0, G_OPTION_ARG_DOUBLE, &o.l1_weight, N_("Weight of the L1 loss (default 100)"), N_("X") },
    { "const-weight", 0, 0, G_OPTION_ARG_DOUBLE, &o.const_weight, N_("Weight of zi2zi's const loss (default 0)"), N_("X") },
    { "tv-weight", 0, 0, G_OPTION_ARG_DOUBLE, &o.tv_weight, N_("Weight of total variation (default 0)"), N_("X") },
    { "ssim-weight", 0, 0, G_OPTION_ARG_DOUBLE, &o.ssim_weight, N_("Weight of the structural loss 1 − SSIM (default 1500)"), N_("X") },
    { "clip-norm", 0, 0, G_OPTION_ARG_DOUBLE, &o.clip_norm, N_("Clip each network's gradient norm to X (default off)"), N_("X") },
    { "ema", 0, 0, G_OPTION_ARG_DOUBLE, &o.ema, N_("Average the generator's weights with this decay per step (default 0.999; 0 turns it off)"), N_("X") },
    { "augment", 0, 0, G_OPTION_ARG_NONE, &o.augment, N_("Shift and scale pairs slightly at random"), NULL },
    { "representation", 0, 0, G_OPTION_ARG_STRING, &o.representation,
      N_("What the generator learns to draw: ink (coverage, the default) or field (the target's signed "
         "distance field; validation and previews still show ink, export traces the field)"), N_("KIND") },
    { "field-spread", 0, 0, G_OPTION_ARG_INT, &o.field_spread,
      N_("With --representation field: the distance in pixels at which the field saturates, 2 to 16 "
         "(default 4)"), N_("N") },
    { "em-fraction", 0, 0, G_OPTION_ARG_DOUBLE, &o.em_fraction, N_("Em size as a fraction of the canvas (default 0.86)"), N_("X") },
    { "val-fraction", 0, 0, G_OPTION_ARG_DOUBLE, &o.val_fraction, N_("Held-out share for validation (default 0.05)"), N_("X") },
    { "val-chars", 0, 0, G_OPTION_ARG_FILENAME, &o.val_chars,
      N_("Validate on exactly these characters (a file like --chars; they join the training set's "
         "list and are held out of training)"), N_("FILE") },
    { "init-from", 0, 0, G_OPTION_ARG_STRING, &o.init_from,
      N_("Start from a trained generator instead of random weights: a checkpoint, or \"default\" for "
         "the model that ships with Zimaru (fine-tuning; the run takes its size, ngf and placement)"),
      N_("CKPT") },
    { "freeze-steps", 0, 0, G_OPTION_ARG_INT64, &o.freeze_steps,
      N_("With --init-from: steps during which only the decoder and the style embedding learn "
         "(default 0)"), N_("N") },
    { "val-every", 0, 0, G_OPTION_ARG_INT, &o.val_every, N_("Steps between validations (default 500)"), N_("N") },
    { "checkpoint-every", 0, 0, G_OPTION_ARG_INT, &o.checkpoint_every, N_("Steps between checkpoints (default 1000)"), N_("N") },
    { "keep", 0, 0, G_OPTION_ARG_INT, &o.keep, N_("Newest checkpoints kept besides the best (default 3)"), N_("N") },
    { "log-every", 0, 0, G_OPTION_ARG_INT, &o.log_every, N_("Steps between metrics.jsonl lines (default 10)"), N_("N") },
    { "steps", 0, 0, G_OPTION_ARG_INT64, &o.steps, N_("Stop when the run reaches N steps"), N_("N") },
    { "minutes", 0, 0, G_OPTION_ARG_DOUBLE, &o.minutes, N_("Stop after M minutes of training (with a checkpoint)"), N_("M") },
    { "seed", 0, 0, G_OPTION_ARG_STRING, &o.seed, N_("Random seed (default 1)"), N_("N") },
    { "threads", 0, 0, G_OPTION_ARG_INT, &o.threads, N_("Engine threads (default: one per core)"), N_("N") },
    { "precision", 0, 0, G_OPTION_ARG_STRING, &o.precision,
      N_("Precision of the convolutions' matrix products: fp32, bf16 or auto (the default: bf16 where the processor has AVX512_BF16, else fp32)"),
      N_("KIND") },
    { "cache-dir", 0, 0, G_OPTION_ARG_FILENAME, &o.cache_dir, N_("Dataset cache (default ~/.cache/zimaru)"), N_("DIR") },
    { "quiet", 'q', 0, G_OPTION_ARG_NONE, &o.quiet, N_("Show no progress and no summary"), NULL },
    { "json", 0, 0, G_OPTION_ARG_NONE, &o.json, N_("Print a JSON summary on stdout"), NULL },
    { NULL }
  };
  g_autofree GOptionEntry *entries = zi_cli_chars_entries (&chars_opts, command_entries);

  if (!zi_cli_parse (&argc, &argv, "train", NULL,
                     _("Train a model on a font pair into a run directory (run.json, metrics.jsonl, "
                       "checkpoints/). CHARS default to the CJK ideographs both fonts have. --preset "
                       "recommended, quick, pix2pix, zi2zi or hq picks a training recipe (other names pick a character list). "
                       "--steps counts the run's total steps. SIGINT or SIGTERM stop cleanly with a "
                       "checkpoint."),
                     entries, &code))
    goto out;
  if (!zi_cli_train_mpi_begin (&mpi, &code))
    goto out;
  code = ZI_EXIT_USAGE;
  if (o.run == NULL)
    {
      zi_cli_usage_error (_("--run DIR is required (see 'zimaru-cli train --help')"));
      goto out;
    }
  /* --preset is shared with the character lists: the training recipes' names are taken here. */
  if (chars_opts.preset != NULL
      && (g_str_equal (chars_opts.preset, "recommended") || g_str_equal (chars_opts.preset, "quick")
          || g_str_equal (chars_opts.preset, "pix2pix")
          || g_str_equal (chars_opts.preset, "zi2zi") || g_str_equal (chars_opts.preset, "hq")))
    preset = g_steal_pointer (&chars_opts.preset);

  if (o.from != NULL && !o.resume)
    {
      zi_cli_usage_error (_("--checkpoint needs --resume"));
      goto out;
    }
  if (o.resume)
    {
      const char *bad = first_new_run_option (&o, &chars_opts, preset);
      if (bad != NULL)
        {
          zi_cli_usage_error (_("%s cannot change when resuming a run; only --steps, --minutes, --lr, --lr-d, "
                                "--threads and the interval options can"), bad);
          goto out;
        }
      trainer = zi_cli_train_mpi_new_trainer (mpi, NULL, o.run, o.from, &code);
      if (trainer == NULL)
        goto out;
      /* The rates the checkpoint holds stay unless --lr/--lr-d are given. */
      if (!apply_session_options (&o, zi_trainer_get_config_mutable (trainer), &error))
        {
          code = zi_cli_fail (error);
          goto out;
        }
      if (!zi_cli_train_mpi_prepare (mpi, zi_trainer_get_config_mutable (trainer), FALSE, o.threads >= 0,
                                     &code))
        goto out;
    }
  else
    {
      zi_trainer_config_init (&cfg);
      if (!apply_new_run_options (&o, preset, &cfg, &error))
        {
          code = zi_cli_fail (error);
          goto out;
        }
      g_autoptr(GArray) chars = zi_cli_chars_resolve (&chars_opts, &error);
      if (chars == NULL && error != NULL)
        {
          code = zi_cli_fail (error);
          goto out;
        }
      if (chars == NULL && chars_opts.exclude_file != NULL)
        {
          /* The default set, minus the exclusions: computed here so --exclude applies to it. */
          guint n = zi_trainer_config_get_n_targets (&cfg);
          ZiFont *src = zi_font_open (cfg.source_font, &error);
          g_autofree ZiFont **tgt = g_new0 (ZiFont *, n);
          guint opened = 0;
          while (src != NULL && opened < n
                 && (tgt[opened] = zi_font_open (zi_trainer_config_get_target (&cfg, opened), &error)) != NULL)
            opened++;
          if (opened == n)
            chars = zi_trainer_data_default_chars (src, tgt, n);
          g_clear_pointer (&src, zi_font_free);
          for (guint i = 0; i < opened; i++)
            zi_font_free (tgt[i]);
          if (chars == NULL || !zi_cli_chars_exclude (&chars_opts, chars, &error))
            {
              code = zi_cli_fail (error);
              goto out;
            }
        }
      if (chars != NULL)
        {
          cfg.n_chars = chars->len;
          cfg.chars = (gunichar *) g_array_free (g_steal_pointer (&chars), FALSE);
        }
      if (!zi_cli_train_mpi_prepare (mpi, &cfg, TRUE, o.threads >= 0, &code))
        goto out;
      trainer = zi_cli_train_mpi_new_trainer (mpi, &cfg, o.run, NULL, &code);
      if (trainer == NULL)
        goto out;
    }

  ui.loop = g_main_loop_new (NULL, FALSE);
  ui.quiet = o.quiet;
  ui.total = zi_trainer_get_config (trainer)->max_steps;
  zi_cli_progress_init (&ui.progress, o.quiet);
  zi_trainer_set_event_func (trainer, g_main_context_default (), train_event_cb, &ui, NULL);
  guint signals[3] = { 0 };
  if (!zi_cli_train_mpi_signals (mpi, trainer, signals))
    {
      signals[0] = g_unix_signal_add (SIGINT, stop_signal_cb, trainer);
      signals[1] = g_unix_signal_add (SIGTERM, stop_signal_cb, trainer);
    }
  if (zi_trainer_start (trainer, &error))
    g_main_loop_run (ui.loop);
  zi_cli_progress_done (&ui.progress);
  for (guint i = 0; i < G_N_ELEMENTS (signals); i++)
    if (signals[i] != 0)
      g_source_remove (signals[i]);
  if (error != NULL || !zi_trainer_wait (trainer, &error))
    {
      code = zi_cli_fail (error);
      zi_cli_train_mpi_failed (mpi, code, error);
    }
  else
    {
      print_summary (&ui, o.run, o.json);
      code = ZI_EXIT_OK;
    }
  g_main_loop_unref (ui.loop);
  g_free (ui.checkpoint);
  g_clear_pointer (&ui.val_event, zi_trainer_event_free);

out:
  g_clear_object (&trainer);
  zi_trainer_mpi_finish (mpi);
  zi_trainer_config_clear (&cfg);
  zi_cli_chars_clear (&chars_opts);
  options_clear (&o);
  return code;
}
