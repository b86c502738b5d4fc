/* zi-trainer-model.c — the model's life within a training session (zi-trainer-model.h): building or
 * resuming it, its steps and learning-rate state, checkpoints (engine bytes + the JSON metadata of
 * zi-run.h, written atomically, pruned) and the rollback after a divergence.
 *
 * Checkpoints are streamed to their files (nn_pix2pix_save_stream into zi_file_write_atomic_stream):
 * the file is never whole in memory, which would cost twice the model and its optimiser state at
 * every save.
 *
 * Divergence: the last checkpoint written (a new run writes one at step 0) is read back from its
 * file; a NaN/Inf or a loss explosion reloads it, halves the learning rate and goes on. */
#include <inttypes.h>
#include "config.h"
#include "zi-trainer-model.h"
#include "zi-error.h"
#include "zi-fileutil.h"
#include "zi-range.h"
#include "zi-run.h"
#include "zi-trainer-init.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <stdlib.h>

#define MAX_ROLLBACKS 6  /* consecutive divergences (lr / 64) before giving up */

struct _ZiTrainerModel {
  const ZiTrainerConfig *cfg;
  char                  *run_dir;
  ZiHealthWarnFunc       warn;
  gpointer               warn_data;
  int                    batch;
  int                    share;           /* pairs of each step computed here (batch; less in a job) */
  gboolean               writes;          /* FALSE: a data-parallel job's rank > 0, which writes nothing */

  const ZiRunStyle      *styles;          /* [n_styles] the target styles (the data's), or NULL */
  guint                  n_styles;
  ZiTrainerData         *data;            /* for a run that starts from a trained model, or NULL */

  NnPix2Pix             *net;
  NnRng                  rng;             /* dropout and augmentation */
  ZiTrainerProgress      p;
  ZiTrainerEma          *ema;             /* NULL when cfg->ema_decay is 0 */

  guint64                last_saved_step;
  char                  *last_saved_path; /* the rollback target */
  guint                  rollbacks;
};

ZiTrainerModel *
zi_trainer_model_new (const ZiTrainerConfig *cfg, const char *run_dir, ZiHealthWarnFunc warn,
                      gpointer warn_data)
{
  ZiTrainerModel *m = g_new0 (ZiTrainerModel, 1);

  m->cfg = cfg;
  m->run_dir = g_strdup (run_dir);
  m->warn = warn;
  m->warn_data = warn_data;
  m->batch = cfg->net.batch;
  m->share = m->batch;
  m->writes = TRUE;
  m->last_saved_step = G_MAXUINT64;
  return m;
}

void
zi_trainer_model_free (ZiTrainerModel *model)
{
  if (model == NULL)
    return;
  g_clear_pointer (&model->net, nn_pix2pix_free);
  g_clear_pointer (&model->ema, zi_trainer_ema_free);
  g_free (model->run_dir);
  g_free (model->last_saved_path);
  g_free (model);
}

const ZiTrainerProgress *
zi_trainer_model_get_progress (ZiTrainerModel *model)
{
  return &model->p;
}

NnPix2Pix *
zi_trainer_model_get_net (ZiTrainerModel *model)
{
  return model->net;
}

NnRng *
zi_trainer_model_get_rng (ZiTrainerModel *model)
{
  return &model->rng;
}

const char *
zi_trainer_model_get_checkpoint (ZiTrainerModel *model)
{
  return model->last_saved_path;
}

gboolean
zi_trainer_model_is_saved (ZiTrainerModel *model)
{
  return model->last_saved_step == model->p.step;
}

void
zi_trainer_model_set_share (ZiTrainerModel *model, int share, gboolean writes)
{
  g_return_if_fail (share >= 1 && share <= model->batch);
  model->share = share;
  model->writes = writes;
}

void
zi_trainer_model_add_time (ZiTrainerModel *model, gint64 us)
{
  model->p.active_us += us;
}

/* ---- steps ---- */

void
zi_trainer_model_set_base_rates (ZiTrainerModel *model, float lr_g, float lr_d)
{
  ZiTrainerProgress *p = &model->p;

  p->lr_d_base = lr_d > 0 ? lr_d : lr_g * (p->lr_d_base / p->lr_g_base);
  p->lr_g_base = lr_g;
  p->lr_scale = 1.0;
}

void
zi_trainer_model_set_styles (ZiTrainerModel *model, const ZiRunStyle *styles, guint n)
{
  model->styles = styles;
  model->n_styles = n;
}

void
zi_trainer_model_set_data (ZiTrainerModel *model, ZiTrainerData *data)
{
  model->data = data;
}

NnStatus
zi_trainer_model_step (ZiTrainerModel *model, const float *src, const float *tgt, const int *style,
                       float *lr_g, float *lr_d, NnStepStats *stats)
{
  const ZiTrainerProgress *p = &model->p;
  NnSchedConfig sched = model->cfg->sched;

  sched.base_lr = p->lr_g_base;
  *lr_g = (float) (nn_sched_lr (&sched, &p->plateau, p->step) * p->lr_scale);
  *lr_d = *lr_g * (p->lr_d_base / p->lr_g_base);
  /* A run from a trained model updates G in two parts for its whole life (nn-pix2pix.h), the
   * encoder's skipped for its first freeze_steps steps. */
  if (model->cfg->init_from != NULL)
    nn_pix2pix_set_frozen_encoder (model->net, 1, p->step < model->cfg->freeze_steps);
  return nn_pix2pix_train_step (model->net, src, tgt, style, model->share, *lr_g, *lr_d, &model->rng, stats);
}

void
zi_trainer_model_commit_step (ZiTrainerModel *model)
{
  model->p.step++;
  model->p.images += (guint64) model->batch;
  if (model->ema != NULL)
    zi_trainer_ema_update (model->ema, model->net, model->p.step);
}

gboolean
zi_trainer_model_observe_validation (ZiTrainerModel *model, const ZiMetrics *val)
{
  ZiTrainerProgress *p = &model->p;
  gboolean is_best = FALSE;

  /* The untrained model at step 0 is a reference point, not a candidate for "best". */
  if (p->step > 0 && (!p->has_best || val->ssim > p->best_ssim))
    {
      p->has_best = TRUE;
      p->best_step = p->step;
      p->best_ssim = val->ssim;
      is_best = TRUE;
    }
  if (p->step > 0 && model->cfg->sched.kind == NN_SCHED_PLATEAU)
    nn_plateau_observe (&model->cfg->sched, &p->plateau, (float) val->l1);
  return is_best;
}

/* ---- checkpoints ---- */

static char *
make_meta (ZiTrainerModel *model, const ZiTrainerScores *scores)
{
  const ZiTrainerProgress *p = &model->p;
  ZiCheckpointMeta m;

  zi_checkpoint_meta_init (&m);
  m.source_font = model->cfg->source_font;
  m.target_font = model->cfg->target_font;
  m.styles = (ZiRunStyle *) model->styles;
  m.n_styles = model->n_styles;
  m.em_fraction = model->cfg->em_fraction;
  m.size = (guint) model->cfg->net.size;
  m.representation = model->cfg->representation;
  m.field_spread = model->cfg->field_spread;
  m.precision = model->cfg->net.precision;
  m.images = p->images;
  m.seconds = p->seconds_before + p->active_us / (double) G_USEC_PER_SEC;
  m.lr_g = p->lr_g_base;
  m.lr_d = p->lr_d_base;
  m.lr_scale = p->lr_scale;
  m.plateau_factor = p->plateau.factor;
  m.plateau_best = p->plateau.best;
  m.plateau_bad = p->plateau.bad_evals;
  m.has_best = p->has_best;
  m.best_step = p->best_step;
  m.best_ssim = p->best_ssim;
  m.has_val = scores->has_val;
  m.val_l1 = scores->val.l1;
  m.val_ssim = scores->val.ssim;
  m.val_iou = scores->val.iou;
  m.has_baseline = scores->has_baseline;
  m.base_l1 = scores->baseline.l1;
  m.base_ssim = scores->baseline.ssim;
  m.base_iou = scores->baseline.iou;
  /* The strings are borrowed: serialise without clearing. */
  return zi_checkpoint_meta_to_json (&m);
}

/* What a model file holds: the whole model, or only its generator (the EMA file). */
typedef struct
{
  ZiTrainerModel        *model;
  const ZiTrainerScores *scores;
  gboolean               generator_only;
} ModelFile;

static int
file_sink (void *user, const void *data, size_t len)
{
  return zi_file_stream_write (user, data, len) ? 0 : 1;
}

static gboolean
write_model (ZiFileStream *out, gpointer user_data, GError **error)
{
  const ModelFile *file = user_data;
  ZiTrainerModel *model = file->model;
  g_autofree char *meta = make_meta (model, file->scores);
  NnStatus st = nn_pix2pix_save_stream (model->net, &model->rng, model->p.step, meta,
                                        file->generator_only, 0, file_sink, out);

  if (st != NN_OK)
    {
      zi_error_from_nn (error, st, _("saving the model at step %" PRIu64), model->p.step);
      return FALSE;
    }
  return TRUE;
}

/* Writes the model (or its generator) to path atomically, as it is streamed out of the engine. */
static gboolean
save_model (ZiTrainerModel *model, const char *path, const ZiTrainerScores *scores,
            gboolean generator_only, GError **error)
{
  ModelFile file = { model, scores, generator_only };

  return zi_file_write_atomic_stream (path, write_model, &file, error);
}

/* ---- the generator's moving average ---- */

gboolean
zi_trainer_model_has_ema (ZiTrainerModel *model)
{
  return model->ema != NULL;
}

gboolean
zi_trainer_model_enter_ema (ZiTrainerModel *model, GError **error)
{
  return model->ema == NULL || zi_trainer_ema_enter (model->ema, model->net, model->p.step, error);
}

void
zi_trainer_model_leave_ema (ZiTrainerModel *model)
{
  if (model->ema != NULL)
    zi_trainer_ema_leave (model->ema, model->net);
}

/* Starts the average from the current weights, or from the EMA file of the checkpoint resumed. */
static void
init_ema (ZiTrainerModel *model, const char *resume, const ZiTrainerEmaGlyphs *glyphs)
{
  g_autofree char *path = resume ? zi_run_ema_path (resume) : NULL;
  g_autofree guint8 *buf = NULL;
  gsize len = 0;

  if (model->cfg->ema_decay <= 0.0f)
    return;
  model->ema = zi_trainer_ema_new (model->net, model->cfg->ema_decay, glyphs);
  if (path != NULL && g_file_get_contents (path, (char **) &buf, &len, NULL)
      && !zi_trainer_ema_load (model->ema, buf, len))
    model->warn (ZI_HEALTH_OTHER,
                 _("The averaged generator weights beside the checkpoint could not be read; the "
                   "average starts again from the current weights."), model->warn_data);
}

gboolean
zi_trainer_model_save (ZiTrainerModel *model, gboolean is_best, const ZiTrainerScores *scores,
                       GError **error)
{
  const ZiTrainerProgress *p = &model->p;
  g_autofree char *dir = zi_run_checkpoints_dir (model->run_dir);
  g_autofree char *path = zi_run_checkpoint_path (model->run_dir, p->step);
  g_autoptr(GError) prune_error = NULL;
  g_autofree char *ema_path = zi_run_ema_path (path);
  gboolean had_checkpoint = g_file_test (path, G_FILE_TEST_EXISTS);

  if (!model->writes)
    {
      /* Rank 0 writes this very file (zi_trainer_model_set_share): only the bookkeeping follows. */
      if (model->ema != NULL)
        zi_trainer_ema_snapshot (model->ema);
      model->last_saved_step = p->step;
      g_free (model->last_saved_path);
      model->last_saved_path = g_steal_pointer (&path);
      model->rollbacks = 0;
      return TRUE;
    }
  if (g_mkdir_with_parents (dir, 0755) != 0)
    {
      int saved = errno;
      g_set_error (error, ZI_ERROR, ZI_ERROR_IO, _("Cannot create %s: %s"), dir, g_strerror (saved));
      return FALSE;
    }
  if (model->ema != NULL)
    {
      /* The EMA file first: a checkpoint on disk always has its average beside it. The averaged
       * weights stay in place while they are streamed out (enter leaves them itself when it
       * fails). */
      gboolean ok;

      if (!zi_trainer_model_enter_ema (model, error))
        return FALSE;
      ok = save_model (model, ema_path, scores, TRUE, error);
      zi_trainer_model_leave_ema (model);
      if (!ok)
        return FALSE;
    }
  if (!save_model (model, path, scores, FALSE, error))
    {
      /* No average without its checkpoint: a failed write leaves the run as it was. */
      if (model->ema != NULL && !had_checkpoint)
        g_unlink (ema_path);
      return FALSE;
    }
  /* The rollback targets move together, only once both files are on disk. */
  if (model->ema != NULL)
    zi_trainer_ema_snapshot (model->ema);
  /* The rollback target is this file on disk (written atomically and synced); keeping its bytes in
   * memory too would cost a model's worth of memory all along. */
  model->last_saved_step = p->step;
  g_free (model->last_saved_path);
  model->last_saved_path = g_strdup (path);
  model->rollbacks = 0;

  if (is_best && !zi_run_best_save (model->run_dir, p->step, p->best_ssim, error))
    return FALSE;
  if (!zi_run_prune_checkpoints (model->run_dir, model->cfg->keep, p->has_best ? p->best_step : G_MAXUINT64,
                                 &prune_error))
    model->warn (ZI_HEALTH_OTHER, prune_error->message, model->warn_data);
  return TRUE;
}

/* The styles' names, for messages: "Regular, Bold". */
static char *
style_names (const ZiRunStyle *styles, guint n)
{
  GString *s = g_string_new (NULL);

  for (guint i = 0; i < n; i++)
    g_string_append_printf (s, "%s%s", i > 0 ? ", " : "", styles[i].name);
  return g_string_free (s, FALSE);
}

/* A checkpoint of another run, trained on other target styles, cannot continue this one. One style
 * against one style is not compared: runs from before styles existed name theirs from the font
 * (zi-run.h), which may have moved. */
static gboolean
check_styles (ZiTrainerModel *model, const ZiCheckpointMeta *m, const char *what, GError **error)
{
  gboolean same = m->n_styles == model->n_styles;

  if (model->styles == NULL || (m->n_styles <= 1 && model->n_styles <= 1))
    return TRUE;
  for (guint i = 0; same && i < m->n_styles; i++)
    same = zi_run_styles_find (&model->styles[i], 1, m->styles[i].name) == 0;
  if (!same)
    {
      g_autofree char *theirs = style_names (m->styles, m->n_styles);
      g_autofree char *ours = style_names (model->styles, model->n_styles);
      g_set_error (error, ZI_ERROR, ZI_ERROR_CHECKPOINT,
                   _("The checkpoint %s was trained on the target styles %s, but this run trains %s; "
                     "resume from a checkpoint of this run."), what, theirs, ours);
      return FALSE;
    }
  return TRUE;
}

/* Restores step, data position and learning-rate state from a checkpoint's meta. */
static gboolean
apply_meta (ZiTrainerModel *model, const char *meta_json, const char *what, gboolean restore_lr,
            gboolean restore_clock, GError **error)
{
  ZiTrainerProgress *p = &model->p;
  ZiCheckpointMeta m;

  if (!zi_checkpoint_meta_from_json (&m, meta_json, error))
    return FALSE;
  if (!check_styles (model, &m, what, error))
    {
      zi_checkpoint_meta_clear (&m);
      return FALSE;
    }
  p->images = m.images;
  if (restore_clock)
    p->seconds_before = m.seconds;
  /* The metadata comes from a file: a rate or factor out of its range is left at the configuration's. */
  if (restore_lr)
    {
      if (zi_in_range (m.lr_g, 0.0, 10.0, ZI_RANGE_OPEN))
        p->lr_g_base = (float) m.lr_g;
      if (zi_in_range (m.lr_d, 0.0, 10.0, ZI_RANGE_OPEN))
        p->lr_d_base = (float) m.lr_d;
      p->lr_scale = zi_in_range (m.lr_scale, 0.0, 1.0, ZI_RANGE_OPEN_LOW) ? m.lr_scale : 1.0;
    }
  p->plateau.factor = zi_in_range (m.plateau_factor, 0.0, 1.0, ZI_RANGE_OPEN_LOW) ? (float) m.plateau_factor
                                                                                   : 1.0f;
  p->plateau.best = (float) m.plateau_best;
  p->plateau.bad_evals = m.plateau_bad;
  p->has_best = m.has_best;
  p->best_step = m.best_step;
  p->best_ssim = m.best_ssim;
  zi_checkpoint_meta_clear (&m);
  return TRUE;
}

/* Builds the model from checkpoint bytes, replacing the current one. */
static gboolean
load_model (ZiTrainerModel *m, const guint8 *buf, gsize len, const char *what, gboolean restore_lr,
            gboolean restore_clock, GError **error)
{
  NnPix2Pix *model = NULL;
  uint64_t step = 0;
  char *meta = NULL;
  NnStatus st = nn_pix2pix_load (&model, buf, len, &m->cfg->net, m->batch, &m->rng, &step, &meta);
  gboolean ok;

  if (st != NN_OK)
    {
      /* A model of another shape may be one of other styles: its metadata says so more clearly. */
      if (nn_pix2pix_load (&model, buf, len, NULL, 1, NULL, NULL, &meta) == NN_OK)
        {
          ZiCheckpointMeta other;

          nn_pix2pix_free (model);
          ok = zi_checkpoint_meta_from_json (&other, meta, NULL) && !check_styles (m, &other, what, error);
          zi_checkpoint_meta_clear (&other);
          free (meta);
          if (ok)
            return FALSE;
        }
      g_set_error (error, ZI_ERROR, ZI_ERROR_CHECKPOINT,
                   _("Cannot load the checkpoint %s: %s. Resume from an older checkpoint of the run."),
                   what, nn_status_str (st));
      return FALSE;
    }
  if (m->cfg->threads > 0)
    nn_pix2pix_set_threads (model, (int) m->cfg->threads);
  /* The run's loss weights, whatever the checkpoint's engine section holds (it has no SSIM weight). */
  st = nn_pix2pix_set_training (model, &m->cfg->net);
  if (st != NN_OK)
    {
      nn_pix2pix_free (model);
      free (meta);
      g_set_error (error, ZI_ERROR, ZI_ERROR_CHECKPOINT,
                   _("Cannot load the checkpoint %s: %s. Resume from an older checkpoint of the run."),
                   what, nn_status_str (st));
      return FALSE;
    }
  ok = apply_meta (m, meta, what, restore_lr, restore_clock, error);
  free (meta);
  if (!ok)
    {
      nn_pix2pix_free (model);
      return FALSE;
    }
  g_clear_pointer (&m->net, nn_pix2pix_free);
  m->net = model;
  m->p.step = step;
  return TRUE;
}

gboolean
zi_trainer_model_build (ZiTrainerModel *model, const char *resume, gboolean restore_rates,
                        const ZiTrainerEmaGlyphs *glyphs, GError **error)
{
  const ZiTrainerConfig *cfg = model->cfg;
  ZiTrainerProgress *p = &model->p;
  NnOptConfig opt_g = cfg->opt_g, opt_d = cfg->opt_d;

  p->lr_g_base = opt_g.lr;
  p->lr_d_base = opt_d.lr > 0 ? opt_d.lr : opt_g.lr;
  p->lr_scale = 1.0;
  nn_plateau_init (&p->plateau);
  if (opt_d.lr <= 0)
    opt_d.lr = opt_g.lr;

  if (resume != NULL)
    {
      g_autoptr(GError) local = NULL;
      g_autofree guint8 *buf = NULL;
      gsize len = 0;

      if (!g_file_get_contents (resume, (char **) &buf, &len, &local))
        {
          g_set_error (error, ZI_ERROR, ZI_ERROR_CHECKPOINT, _("Cannot read the checkpoint %s: %s"),
                       resume, local->message);
          return FALSE;
        }
      if (!load_model (model, buf, len, resume, restore_rates, TRUE, error))
        return FALSE;
      nn_pix2pix_set_optim (model->net, &opt_g, &opt_d);
      model->last_saved_step = p->step;
      model->last_saved_path = g_strdup (resume);
      init_ema (model, resume, glyphs);
      return TRUE;
    }

  NnStatus st = nn_pix2pix_create (&model->net, &cfg->net, &opt_g, &opt_d, cfg->seed);
  if (st != NN_OK)
    {
      zi_error_from_nn (error, st, _("building the model (%d px, ngf %d, batch %d)"),
                        cfg->net.size, cfg->net.ngf, cfg->net.batch);
      return FALSE;
    }
  if (cfg->threads > 0)
    nn_pix2pix_set_threads (model->net, (int) cfg->threads);
  /* The dropout/augmentation stream is seeded apart from the weights' initialisation. */
  nn_rng_seed (&model->rng, cfg->seed ^ G_GUINT64_CONSTANT (0x5DEECE66D2B7E151));
  p->step = 0;
  p->images = 0;
  model->last_saved_step = G_MAXUINT64;
  if (cfg->init_from != NULL)
    {
      g_autoptr(GPtrArray) chosen = g_ptr_array_new_with_free_func (g_free);
      if (model->data == NULL || !zi_trainer_init_weights (model->net, cfg, model->data, chosen, error))
        {
          if (model->data == NULL)
            g_set_error (error, ZI_ERROR, ZI_ERROR_INVALID, _("No training data to start from %s with."),
                         cfg->init_from);
          return FALSE;
        }
      for (guint i = 0; i < chosen->len; i++)
        g_debug ("style %u starts from the embedding of %s", i, (const char *) chosen->pdata[i]);
    }
  init_ema (model, NULL, glyphs);
  return TRUE;
}

gboolean
zi_trainer_model_rollback (ZiTrainerModel *model, const char *why, GError **error)
{
  ZiTrainerProgress *p = &model->p;
  guint64 bad_step = p->step + 1;
  double scale = p->lr_scale * 0.5;
  g_autofree guint8 *snap = NULL;
  gsize snap_len = 0;
  g_autoptr(GError) local = NULL;

  if (++model->rollbacks > MAX_ROLLBACKS)
    {
      g_set_error (error, ZI_ERROR, ZI_ERROR_NUMERIC,
                   _("Training diverged %u times in a row near step %" PRIu64 " (%s) even after "
                     "lowering the learning rate %u times; lower --lr, enable gradient clipping or use "
                     "instance normalisation."),
                   model->rollbacks, bad_step, why, MAX_ROLLBACKS);
      return FALSE;
    }
  /* The diverged weights are of no further use (a failed rollback ends the session): freeing them
   * before the checkpoint is read and a model built from it keeps a rollback from holding two models
   * at once: a 64 px run (ngf 32, batch 16) that rolled back peaked at 682 MiB with both, at 498 MiB
   * without. */
  g_clear_pointer (&model->net, nn_pix2pix_free);
  if (model->last_saved_path == NULL
      || !g_file_get_contents (model->last_saved_path, (char **) &snap, &snap_len, &local))
    {
      g_set_error (error, ZI_ERROR, ZI_ERROR_CHECKPOINT,
                   _("Training diverged near step %" PRIu64 " (%s) and the last checkpoint %s cannot be "
                     "read to go back to: %s"),
                   bad_step, why, model->last_saved_path ? model->last_saved_path : "",
                   local ? local->message : "");
      return FALSE;
    }
  if (!load_model (model, snap, snap_len, model->last_saved_path, FALSE, FALSE, error))
    return FALSE;
  p->lr_scale = scale;
  if (model->ema != NULL)
    zi_trainer_ema_restore (model->ema);

  g_autofree char *msg = g_strdup_printf (_("Training diverged at step %" PRIu64 " (%s): went back "
                                            "to step %" PRIu64 " and halved the learning rate to "
                                            "%.3g. If this repeats, lower --lr or enable gradient clipping."),
                                          bad_step, why, p->step, p->lr_g_base * p->lr_scale);
  model->warn (ZI_HEALTH_DIVERGED, msg, model->warn_data);
  return TRUE;
}
