/* zi-trainer-state.c — the model's life within a training session: building or resuming it,
 * checkpoints (engine bytes + the JSON metadata of zi-run.h, written atomically, pruned), the moving
 * average of the generator's weights, and the rollback after a divergence.
 *
 * Checkpoints are streamed to their files (nn_pix2pix_save_stream into zi_file_write_atomic_stream):
 * the file is never whole in memory, which would cost twice the model and its optimiser state at
 * every save.
 *
 * Divergence: the last checkpoint written (a new run writes one at step 0) is read back from its
 * file; a NaN/Inf or a loss explosion reloads it, halves the learning rate and goes on. */
#include <inttypes.h>
#include "config.h"
#include "zi-trainer-session.h"
#include "zi-error.h"
#include "zi-fileutil.h"
#include "zi-image.h"
#include "zi-run.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_ROLLBACKS 6  /* consecutive divergences (lr / 64) before giving up */

void
zi_session_warn (Session *s, ZiHealthKind kind, const char *message)
{
  ZiTrainerEvent ev = { 0 };

  ev.kind = ZI_TRAINER_EVENT_WARNING;
  ev.step = s->step;
  ev.warning.kind = kind;
  ev.warning.message = (char *) message;
  zi_trainer_emit (s->trainer, &ev);
}

/* ---- checkpoints ---- */

static char *
make_meta (Session *s)
{
  ZiCheckpointMeta m;

  zi_checkpoint_meta_init (&m);
  m.source_font = s->cfg->source_font;
  m.target_font = s->cfg->target_font;
  m.em_fraction = s->cfg->em_fraction;
  m.size = s->size;
  m.images = s->images;
  m.seconds = s->seconds_before + s->active_us / (double) G_USEC_PER_SEC;
  m.lr_g = s->lr_g_base;
  m.lr_d = s->lr_d_base;
  m.lr_scale = s->lr_scale;
  m.plateau_factor = s->plateau.factor;
  m.plateau_best = s->plateau.best;
  m.plateau_bad = s->plateau.bad_evals;
  m.has_best = s->has_best;
  m.best_step = s->best_step;
  m.best_ssim = s->best_ssim;
  m.has_val = s->has_val && s->val_step == s->step;
  m.val_l1 = s->val.l1;
  m.val_ssim = s->val.ssim;
  m.val_iou = s->val.iou;
  m.has_baseline = s->has_baseline;
  m.base_l1 = s->baseline.l1;
  m.base_ssim = s->baseline.ssim;
  m.base_iou = s->baseline.iou;
  /* The strings are borrowed: serialise without clearing. */
  return zi_checkpoint_meta_to_json (&m);
}

/* What a model file holds: the whole model, or only its generator (the EMA file). */
typedef struct
{
  Session  *s;
  gboolean  generator_only;
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
  Session *s = file->s;
  g_autofree char *meta = make_meta (s);
  NnStatus st = nn_pix2pix_save_stream (s->model, &s->rng, s->step, meta, file->generator_only, 0,
                                        file_sink, out);

  if (st != NN_OK)
    {
      zi_error_from_nn (error, st, _("saving the model at step %" PRIu64), s->step);
      return FALSE;
    }
  return TRUE;
}

/* Writes the model (or its generator) to path atomically, as it is streamed out of the engine. */
static gboolean
save_model (Session *s, const char *path, gboolean generator_only, GError **error)
{
  ModelFile file = { s, generator_only };

  return zi_file_write_atomic_stream (path, write_model, &file, error);
}

/* ---- the generator's moving average ---- */

/* Exchanges the generator's weights and the EMA copy; doing it twice restores both exactly. */
void
zi_session_swap_ema (Session *s)
{
  float *params = NULL;

  nn_pix2pix_param_block (s->model, 0, &params, NULL);
  memcpy (s->ema_swap, params, s->n_ema * sizeof (float));
  memcpy (params, s->ema, s->n_ema * sizeof (float));
  memcpy (s->ema, s->ema_swap, s->n_ema * sizeof (float));
}

void
zi_session_update_ema (Session *s)
{
  float *params = NULL;
  /* The decay ramps up over the first steps so the average is not anchored to the random
   * initialisation (TensorFlow's ExponentialMovingAverage with num_updates does the same). */
  float d = MIN (s->cfg->ema_decay, (1.0f + s->step) / (10.0f + s->step));

  nn_pix2pix_param_block (s->model, 0, &params, NULL);
  for (gsize i = 0; i < s->n_ema; i++)
    s->ema[i] = d * s->ema[i] + (1.0f - d) * params[i];
}

/* Batches of training glyphs that re-estimate the norm statistics of the averaged weights: with the
 * momentum 0.1 of the running statistics, 32 batches leave 3% of the trained weights' statistics. */
#define RECAL_BATCHES 32

static guint
gcd (guint a, guint b)
{
  while (b != 0)
    {
      guint t = a % b;
      a = b;
      b = t;
    }
  return a;
}

static gboolean
recalibrate_norms (Session *s, GError **error)
{
  guint n = s->train_idx->len;
  g_autofree float *src = g_new (float, (gsize) s->batch * s->pixels);
  g_autofree float *out = g_new (float, (gsize) s->batch * s->pixels);
  NnRng rng;
  guint stride = 7919, pos = 0;

  if (n == 0)
    return TRUE;
  /* A fixed spread of the training glyphs (a stride coprime to their number), the same at every
   * call, and a stream of its own for dropout: the training's order and randomness stay untouched. */
  while (gcd (stride, n) != 1)
    stride++;
  nn_rng_seed (&rng, s->cfg->seed ^ G_GUINT64_CONSTANT (0xA5A5F00DCAFE1234));
  for (int k = 0; k < RECAL_BATCHES; k++)
    {
      for (int b = 0; b < s->batch; b++, pos++)
        {
          guint idx = g_array_index (s->train_idx, guint, (guint) (((guint64) pos * stride) % n));
          zi_image_coverage_to_net (s->data->source + (gsize) idx * s->pixels, src + (gsize) b * s->pixels,
                                    s->pixels);
        }
      NnStatus st = nn_pix2pix_norm_update (s->model, src, NULL, s->batch, &rng, out);
      if (st != NN_OK)
        {
          zi_error_from_nn (error, st, _("Cannot measure the averaged generator"));
          return FALSE;
        }
    }
  return TRUE;
}

gboolean
zi_session_enter_ema (Session *s, GError **error)
{
  float *stats = NULL;
  gsize n_stats = nn_pix2pix_norm_stats (s->model, &stats);

  if (s->ema == NULL)
    return TRUE;
  zi_session_swap_ema (s);
  if (s->cfg->net.norm != NN_NORM_BATCH || n_stats == 0)
    return TRUE;
  g_free (s->stats_keep);
  s->stats_keep = g_memdup2 (stats, n_stats * sizeof (float));
  /* A validation and a checkpoint often come at the same step: measure the average once. */
  if (s->ema_stats != NULL && s->ema_stats_step == s->step)
    {
      memcpy (stats, s->ema_stats, n_stats * sizeof (float));
      return TRUE;
    }
  if (!recalibrate_norms (s, error))
    {
      zi_session_leave_ema (s);
      return FALSE;
    }
  g_free (s->ema_stats);
  s->ema_stats = g_memdup2 (stats, n_stats * sizeof (float));
  s->ema_stats_step = s->step;
  return TRUE;
}

void
zi_session_leave_ema (Session *s)
{
  float *stats = NULL;
  gsize n_stats = nn_pix2pix_norm_stats (s->model, &stats);

  if (s->ema == NULL)
    return;
  if (s->stats_keep != NULL)
    memcpy (stats, s->stats_keep, n_stats * sizeof (float));
  g_clear_pointer (&s->stats_keep, g_free);
  zi_session_swap_ema (s);
}

/* Starts the average from the current weights, or from the EMA file of the checkpoint resumed. */
void
zi_session_init_ema (Session *s, const char *resume)
{
  float *params = NULL;
  g_autofree char *path = resume ? zi_run_ema_path (resume) : NULL;
  g_autofree guint8 *buf = NULL;
  gsize len = 0;

  if (s->cfg->ema_decay <= 0.0f)
    return;
  s->n_ema = nn_pix2pix_param_block (s->model, 0, &params, NULL);
  s->ema = g_memdup2 (params, s->n_ema * sizeof (float));
  s->ema_swap = g_new (float, s->n_ema);
  if (path != NULL && g_file_get_contents (path, (char **) &buf, &len, NULL))
    {
      NnPix2Pix *avg = NULL;
      float *p = NULL;
      if (nn_pix2pix_load (&avg, buf, len, NULL, 1, NULL, NULL, NULL) == NN_OK
          && nn_pix2pix_param_block (avg, 0, &p, NULL) == s->n_ema)
        memcpy (s->ema, p, s->n_ema * sizeof (float));
      else
        zi_session_warn (s, ZI_HEALTH_OTHER,
                      _("The averaged generator weights beside the checkpoint could not be read; the "
                        "average starts again from the current weights."));
      g_clear_pointer (&avg, nn_pix2pix_free);
    }
  s->ema_snap = g_memdup2 (s->ema, s->n_ema * sizeof (float));
}

gboolean
zi_session_save_checkpoint (Session *s, gboolean is_best, GError **error)
{
  g_autofree char *dir = zi_run_checkpoints_dir (s->run_dir);
  g_autofree char *path = zi_run_checkpoint_path (s->run_dir, s->step);
  g_autoptr(GError) prune_error = NULL;
  g_autofree char *ema_path = zi_run_ema_path (path);
  gboolean had_checkpoint = g_file_test (path, G_FILE_TEST_EXISTS);
  ZiTrainerEvent ev = { 0 };

  if (g_mkdir_with_parents (dir, 0755) != 0)
    {
      int saved = errno;
      g_set_error (error, ZI_ERROR, ZI_ERROR_IO, _("Cannot create %s: %s"), dir, g_strerror (saved));
      return FALSE;
    }
  if (s->ema != NULL)
    {
      /* The EMA file first: a checkpoint on disk always has its average beside it. The averaged
       * weights stay in place while they are streamed out (enter_ema leaves them itself when it
       * fails). */
      gboolean ok;

      if (!zi_session_enter_ema (s, error))
        return FALSE;
      ok = save_model (s, ema_path, TRUE, error);
      zi_session_leave_ema (s);
      if (!ok)
        return FALSE;
    }
  if (!save_model (s, path, FALSE, error))
    {
      /* No average without its checkpoint: a failed write leaves the run as it was. */
      if (s->ema != NULL && !had_checkpoint)
        g_unlink (ema_path);
      return FALSE;
    }
  /* The rollback targets move together, only once both files are on disk. */
  if (s->ema != NULL)
    memcpy (s->ema_snap, s->ema, s->n_ema * sizeof (float));
  /* The rollback target is this file on disk (written atomically and synced); keeping its bytes in
   * memory too would cost a model's worth of memory all along. */
  s->last_saved_step = s->step;
  g_free (s->last_saved_path);
  s->last_saved_path = g_strdup (path);
  s->rollbacks = 0;

  if (is_best && !zi_run_best_save (s->run_dir, s->step, s->best_ssim, error))
    return FALSE;
  if (!zi_run_prune_checkpoints (s->run_dir, s->cfg->keep, s->has_best ? s->best_step : G_MAXUINT64,
                                 &prune_error))
    zi_session_warn (s, ZI_HEALTH_OTHER, prune_error->message);

  ev.kind = ZI_TRAINER_EVENT_CHECKPOINT;
  ev.step = s->step;
  ev.checkpoint.path = path;
  ev.checkpoint.is_best = is_best;
  ev.checkpoint.has_validation = s->has_val && s->val_step == s->step;
  ev.checkpoint.val_l1 = s->val.l1;
  ev.checkpoint.val_ssim = s->val.ssim;
  ev.checkpoint.val_iou = s->val.iou;
  zi_trainer_emit (s->trainer, &ev);
  return TRUE;
}

/* Restores step, data position and learning-rate state from a checkpoint's meta. */
static gboolean
apply_meta (Session *s, const char *meta_json, gboolean restore_lr, gboolean restore_clock,
            GError **error)
{
  ZiCheckpointMeta m;

  if (!zi_checkpoint_meta_from_json (&m, meta_json, error))
    return FALSE;
  s->images = m.images;
  if (restore_clock)
    s->seconds_before = m.seconds;
  if (restore_lr)
    {
      if (m.lr_g > 0)
        s->lr_g_base = (float) m.lr_g;
      if (m.lr_d > 0)
        s->lr_d_base = (float) m.lr_d;
      s->lr_scale = m.lr_scale > 0 ? m.lr_scale : 1.0;
    }
  s->plateau.factor = (float) m.plateau_factor;
  s->plateau.best = (float) m.plateau_best;
  s->plateau.bad_evals = m.plateau_bad;
  s->has_best = m.has_best;
  s->best_step = m.best_step;
  s->best_ssim = m.best_ssim;
  zi_checkpoint_meta_clear (&m);
  return TRUE;
}

/* Builds the model from checkpoint bytes, replacing the current one. */
static gboolean
load_model (Session *s, const guint8 *buf, gsize len, const char *what, gboolean restore_lr,
            gboolean restore_clock, GError **error)
{
  NnPix2Pix *model = NULL;
  uint64_t step = 0;
  char *meta = NULL;
  NnStatus st = nn_pix2pix_load (&model, buf, len, &s->cfg->net, s->batch, &s->rng, &step, &meta);
  gboolean ok;

  if (st != NN_OK)
    {
      g_set_error (error, ZI_ERROR, ZI_ERROR_CHECKPOINT,
                   _("Cannot load the checkpoint %s: %s. Resume from an older checkpoint of the run."),
                   what, nn_status_str (st));
      return FALSE;
    }
  if (s->cfg->threads > 0)
    nn_pix2pix_set_threads (model, (int) s->cfg->threads);
  /* The run's loss weights, whatever the checkpoint's engine section holds (it has no SSIM weight). */
  st = nn_pix2pix_set_training (model, &s->cfg->net);
  if (st != NN_OK)
    {
      nn_pix2pix_free (model);
      free (meta);
      g_set_error (error, ZI_ERROR, ZI_ERROR_CHECKPOINT,
                   _("Cannot load the checkpoint %s: %s. Resume from an older checkpoint of the run."),
                   what, nn_status_str (st));
      return FALSE;
    }
  ok = apply_meta (s, meta, restore_lr, restore_clock, error);
  free (meta);
  if (!ok)
    {
      nn_pix2pix_free (model);
      return FALSE;
    }
  g_clear_pointer (&s->model, nn_pix2pix_free);
  s->model = model;
  s->step = step;
  return TRUE;
}

gboolean
zi_session_build_model (Session *s, GError **error)
{
  const char *resume = zi_trainer_session_resume_checkpoint (s->trainer);
  NnOptConfig opt_g = s->cfg->opt_g, opt_d = s->cfg->opt_d;

  s->lr_g_base = opt_g.lr;
  s->lr_d_base = opt_d.lr > 0 ? opt_d.lr : opt_g.lr;
  s->lr_scale = 1.0;
  nn_plateau_init (&s->plateau);
  if (opt_d.lr <= 0)
    opt_d.lr = opt_g.lr;

  if (resume != NULL)
    {
      g_autoptr(GError) local = NULL;
      g_autofree guint8 *buf = NULL;
      gsize len = 0;
      float run_lr_g, run_lr_d;

      if (!g_file_get_contents (resume, (char **) &buf, &len, &local))
        {
          g_set_error (error, ZI_ERROR, ZI_ERROR_CHECKPOINT, _("Cannot read the checkpoint %s: %s"),
                       resume, local->message);
          return FALSE;
        }
      /* The checkpoint's rates win (they include changes made while paused) unless the caller
       * asked for other rates when resuming. */
      zi_trainer_session_run_lrs (s->trainer, &run_lr_g, &run_lr_d);
      gboolean override = run_lr_g != s->cfg->opt_g.lr || run_lr_d != s->cfg->opt_d.lr;
      if (!load_model (s, buf, len, resume, !override, TRUE, error))
        return FALSE;
      nn_pix2pix_set_optim (s->model, &opt_g, &opt_d);
      s->last_saved_step = s->step;
      s->last_saved_path = g_strdup (resume);
      return TRUE;
    }

  NnStatus st = nn_pix2pix_create (&s->model, &s->cfg->net, &opt_g, &opt_d, s->cfg->seed);
  if (st != NN_OK)
    {
      zi_error_from_nn (error, st, _("building the model (%d px, ngf %d, batch %d)"),
                        s->cfg->net.size, s->cfg->net.ngf, s->cfg->net.batch);
      return FALSE;
    }
  if (s->cfg->threads > 0)
    nn_pix2pix_set_threads (s->model, (int) s->cfg->threads);
  /* The dropout/augmentation stream is seeded apart from the weights' initialisation. */
  nn_rng_seed (&s->rng, s->cfg->seed ^ G_GUINT64_CONSTANT (0x5DEECE66D2B7E151));
  s->step = 0;
  s->images = 0;
  s->last_saved_step = G_MAXUINT64;
  return TRUE;
}

gboolean
zi_session_rollback (Session *s, const char *why, GError **error)
{
  guint64 bad_step = s->step + 1;
  double scale = s->lr_scale * 0.5;
  g_autofree guint8 *snap = NULL;
  gsize snap_len = 0;
  g_autoptr(GError) local = NULL;

  if (++s->rollbacks > MAX_ROLLBACKS)
    {
      g_set_error (error, ZI_ERROR, ZI_ERROR_NUMERIC,
                   _("Training diverged %u times in a row near step %" PRIu64 " (%s) even after "
                     "lowering the learning rate %u times; lower --lr, enable gradient clipping or use "
                     "instance normalisation."),
                   s->rollbacks, bad_step, why, MAX_ROLLBACKS);
      return FALSE;
    }
  /* The diverged weights are of no further use (a failed rollback ends the session): freeing them
   * before the checkpoint is read and a model built from it keeps a rollback from holding two models
   * at once: a 64 px run (ngf 32, batch 16) that rolled back peaked at 682 MiB with both, at 498 MiB
   * without. */
  g_clear_pointer (&s->model, nn_pix2pix_free);
  if (s->last_saved_path == NULL
      || !g_file_get_contents (s->last_saved_path, (char **) &snap, &snap_len, &local))
    {
      g_set_error (error, ZI_ERROR, ZI_ERROR_CHECKPOINT,
                   _("Training diverged near step %" PRIu64 " (%s) and the last checkpoint %s cannot be "
                     "read to go back to: %s"),
                   bad_step, why, s->last_saved_path ? s->last_saved_path : "",
                   local ? local->message : "");
      return FALSE;
    }
  if (!load_model (s, snap, snap_len, s->last_saved_path, FALSE, FALSE, error))
    return FALSE;
  s->lr_scale = scale;
  if (s->ema != NULL)
    memcpy (s->ema, s->ema_snap, s->n_ema * sizeof (float));
  /* The steps are trained again with other weights. */
  g_clear_pointer (&s->ema_stats, g_free);
  zi_health_reset_history (s->health);
  zi_trainer_session_set_step (s->trainer, s->step);

  g_autofree char *msg = g_strdup_printf (_("Training diverged at step %" PRIu64 " (%s): went back "
                                            "to step %" PRIu64 " and halved the learning rate to "
                                            "%.3g. If this repeats, lower --lr or enable gradient clipping."),
                                          bad_step, why, s->step, s->lr_g_base * s->lr_scale);
  zi_session_warn (s, ZI_HEALTH_DIVERGED, msg);
  return TRUE;
}
