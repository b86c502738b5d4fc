/* zi-trainer-session.c — one training session on the trainer's worker thread: open the fonts, build or
 * load the dataset and the split, build or resume the model, then step, log, validate, preview,
 * checkpoint and watch the run's health until a bound or a stop request ends it.
 *
 * Several target styles (zi-trainer-config.h): every batch mixes them, each image with its style's
 * embedding index; validation measures each style on its own glyphs, generated with its index, and
 * reports their mean where a one-style run reports its figures, so the chart, the best checkpoint and
 * the health checks work alike; previews show style 0.
 *
 * Reproducibility: the data order is a function of the seed and the number of pairs consumed (one
 * seeded shuffle per epoch), and everything else a step depends on (weights, optimiser state, batch
 * norm statistics, the dropout/augmentation RNG, the learning-rate state) is in the checkpoint, so a
 * resumed run takes bit-identical steps.
 *
 * This file loads, runs the step loop, writes the checkpoints and rolls back; validation, previews,
 * the metrics log and the warnings are zi-trainer-session-report.c's, which it calls. Below the loop,
 * each part keeps its own state: the fonts, dataset and data order are zi-trainer-data.c's; the model,
 * its checkpoints, the moving average and rollback are zi-trainer-model.c's. They report warnings
 * through zi_session_warn_cb; nothing here calls back up into the trainer object: the controls come
 * from zi-trainer-control.h and the events go to the function the session is handed. */
#include <inttypes.h>
#include "config.h"
#include "zi-trainer-session-private.h"
#include "zi-dataset.h"
#include "zi-error.h"
#include "zi-fileutil.h"
#include "zi-run.h"
#include "zi-run-lock.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <math.h>

static void
session_clear (ZiSession *s)
{
  /* The model before the data: the average's glyphs point into the dataset. */
  g_clear_pointer (&s->model, zi_trainer_model_free);
  g_clear_pointer (&s->data, zi_trainer_data_free);
  g_free (s->val_src);
  g_free (s->val_tgt);
  g_free (s->val_gen);
  g_free (s->preview_idx);
  g_free (s->src_batch);
  g_free (s->tgt_batch);
  g_free (s->out_batch);
  g_free (s->style_batch);
  g_free (s->styles);
  g_clear_pointer (&s->health, zi_health_free);
}

/* ---- state ---- */

static void
set_state (ZiSession *s, ZiTrainerState state)
{
  ZiTrainerEvent ev = { 0 };

  ev.kind = ZI_TRAINER_EVENT_STATE;
  if (zi_trainer_control_set_state (s->control, state, &ev.step))
    zi_session_emit (s, &ev);
}

/* Blocks while paused (PAUSED, then RUNNING or STOPPING). Returns TRUE with the new base rates when
 * they were changed meanwhile. */
static gboolean
wait_if_paused (ZiSession *s, float *lr_g, float *lr_d)
{
  gboolean lr_changed;

  if (!zi_trainer_control_pause_pending (s->control))
    return FALSE;
  set_state (s, ZI_TRAINER_STATE_PAUSED);
  lr_changed = zi_trainer_control_wait_while_paused (s->control, lr_g, lr_d);
  set_state (s, zi_trainer_control_should_stop (s->control) ? ZI_TRAINER_STATE_STOPPING
                                                            : ZI_TRAINER_STATE_RUNNING);
  return lr_changed;
}

/* ---- loading ---- */

static void
loading_progress_cb (guint64 done, guint64 total, gpointer user_data)
{
  ZiSession *s = user_data;
  gint64 now = g_get_monotonic_time ();
  ZiTrainerEvent ev = { 0 };

  /* At most ten reports a second, and always the last one. */
  if (done != total && now - s->loading_reported_us < G_USEC_PER_SEC / 10)
    return;
  s->loading_reported_us = now;
  ev.kind = ZI_TRAINER_EVENT_LOADING;
  ev.progress.done = done;
  ev.progress.total = total;
  zi_session_emit (s, &ev);
}

/* ---- checkpoints and rollback ---- */

/* Writes the checkpoint of the current step (with the scores measured at it) and emits CHECKPOINT. */
static gboolean
save_checkpoint (ZiSession *s, gboolean is_best, GError **error)
{
  guint64 step = zi_session_current_step (s);
  ZiTrainerScores scores = { 0 };
  ZiTrainerEvent ev = { 0 };

  scores.has_val = s->has_val && s->val_step == step;
  scores.val = s->val;
  scores.has_baseline = s->has_baseline;
  scores.baseline = s->baseline;
  if (!zi_trainer_model_save (s->model, is_best, &scores, error))
    return FALSE;

  ev.kind = ZI_TRAINER_EVENT_CHECKPOINT;
  ev.step = step;
  ev.checkpoint.path = (char *) zi_trainer_model_get_checkpoint (s->model);
  ev.checkpoint.is_best = is_best;
  ev.checkpoint.has_validation = scores.has_val;
  ev.checkpoint.val_l1 = s->val.l1;
  ev.checkpoint.val_ssim = s->val.ssim;
  ev.checkpoint.val_iou = s->val.iou;
  zi_session_emit (s, &ev);
  return TRUE;
}

/* Goes back to the last checkpoint after a divergence; the loss history starts again. */
static gboolean
rollback (ZiSession *s, const char *why, GError **error)
{
  if (!zi_trainer_model_rollback (s->model, why, error))
    return FALSE;
  zi_health_reset_history (s->health);
  zi_trainer_control_set_step (s->control, zi_session_current_step (s));
  return TRUE;
}

/* ---- the loop ---- */

static gboolean
train_loop (ZiSession *s, ZiTrainerStopReason *reason, GError **error)
{
  const ZiTrainerConfig *cfg = s->cfg;
  const ZiTrainerProgress *p = zi_trainer_model_get_progress (s->model);

  for (;;)
    {
      NnStepStats st = { 0 };
      gboolean is_best = FALSE, did_val = FALSE;
      float new_g, new_d, lr_g, lr_d;
      gint64 t0;

      if (wait_if_paused (s, &new_g, &new_d))
        zi_trainer_model_set_base_rates (s->model, new_g, new_d);
      /* The reason + 1, 0 to go on; a data-parallel job's processes stop together. */
      int stop = 0;
      if (zi_trainer_control_should_stop (s->control))
        stop = ZI_TRAINER_STOP_REQUESTED + 1;
      else if (cfg->max_steps > 0 && p->step >= cfg->max_steps)
        stop = ZI_TRAINER_STOP_STEPS + 1;
      else if (cfg->max_minutes > 0 && p->active_us >= cfg->max_minutes * 60.0 * G_USEC_PER_SEC)
        stop = ZI_TRAINER_STOP_TIME + 1;
      if (s->dist != NULL)
        stop = s->dist->agree_stop (s->dist->user, stop);
      if (stop != 0)
        {
          *reason = (ZiTrainerStopReason) (stop - 1);
          return TRUE;
        }

      t0 = g_get_monotonic_time ();
      zi_trainer_data_fill_batch (s->data, p->images, s->batch, zi_trainer_model_get_rng (s->model),
                                  s->src_batch, s->tgt_batch, s->style_batch);
      if (cfg->poison_step == p->step + 1 && !s->poisoned)
        {
          s->src_batch[0] = NAN;
          s->poisoned = TRUE;
        }
      /* In a data-parallel job every process draws the whole batch (the same draw, and the same
       * augmentation stream) and trains on its slice. */
      gsize first = s->dist != NULL ? (gsize) s->dist->rank * (s->batch / s->dist->size) : 0;
      gsize slice = first * s->pixels;
      if (s->dist != NULL)
        s->dist->attach (s->dist->user, zi_trainer_model_get_net (s->model));
      NnStatus status = zi_trainer_model_step (s->model, s->src_batch + slice, s->tgt_batch + slice,
                                               s->style_batch + first, &lr_g, &lr_d, &st);
      if (status == NN_OK && s->dist != NULL)
        s->dist->after_step (s->dist->user, zi_trainer_model_get_net (s->model), &st);
      if (status == NN_ERR_NONFINITE
          || (status == NN_OK && zi_health_is_explosion (s->health, st.g_loss, st.d_loss)))
        {
          zi_trainer_model_add_time (s->model, g_get_monotonic_time () - t0);
          if (!rollback (s, status == NN_OK ? _("loss explosion") : _("NaN or infinite value"), error))
            return FALSE;
          continue;
        }
      if (status != NN_OK)
        {
          zi_error_from_nn (error, status, _("training step %" PRIu64), p->step + 1);
          return FALSE;
        }
      zi_trainer_model_commit_step (s->model);
      s->last_stats = st;
      s->last_lr_g = lr_g;
      s->last_lr_d = lr_d;
      zi_trainer_control_set_step (s->control, p->step);

      ZiHealthKind kind;
      g_autofree char *msg = NULL;
      if (zi_health_observe_step (s->health, p->step, st.d_loss, st.g_adv, st.g_loss, &kind, &msg))
        zi_session_warn_cb (kind, msg, s);

      if (p->step % cfg->val_every == 0)
        {
          if (!zi_session_validate (s, &is_best, error))
            return FALSE;
          did_val = s->n_val > 0;
        }
      zi_trainer_model_add_time (s->model, g_get_monotonic_time () - t0);
      t0 = g_get_monotonic_time ();
      if ((p->step % cfg->log_every == 0 || did_val)
          && !zi_session_log_step (s, &st, lr_g, lr_d, did_val, TRUE, error))
        return FALSE;
      if ((p->step % cfg->checkpoint_every == 0 || is_best) && !save_checkpoint (s, is_best, error))
        return FALSE;
      zi_trainer_model_add_time (s->model, g_get_monotonic_time () - t0);
    }
}

/* Loads the data and the model and trains until a bound or a stop; FINISHED on the way out. */
static gboolean
run_session (ZiSession *s, const ZiTrainerSessionSetup *setup, gboolean *run_written, GError **error)
{
  const char *resume = setup->resume;
  g_auto(ZiRunInfo) info = { 0 };
  ZiTrainerStopReason reason = ZI_TRAINER_STOP_REQUESTED;
  ZiTrainerEvent ev = { 0 };

  set_state (s, ZI_TRAINER_STATE_LOADING);
  if (resume != NULL && !zi_run_info_load (s->run_dir, &info, error))
    return FALSE;
  if (resume != NULL && zi_session_writes_run (s))
    {
      g_autoptr(GError) stale_error = NULL;

      /* What a killed checkpoint write left behind; only a warning, training can go on beside it. */
      if (!zi_run_remove_stale_files (s->run_dir, &stale_error))
        zi_session_warn_cb (ZI_HEALTH_OTHER, stale_error->message, s);
    }
  s->data = zi_trainer_data_load (s->cfg, resume != NULL ? &info : NULL, loading_progress_cb, s,
                                  zi_session_warn_cb, s, setup->cancellable, error);
  if (s->data == NULL)
    {
      /* A stop during loading is not a failure: the run just ends before it began. */
      if (error && *error && g_error_matches (*error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_clear_error (error);
          set_state (s, ZI_TRAINER_STATE_FINISHED);
          ev.kind = ZI_TRAINER_EVENT_FINISHED;
          ev.finished.reason = ZI_TRAINER_STOP_REQUESTED;
          zi_session_emit (s, &ev);
          return TRUE;
        }
      return FALSE;
    }
  const ZiDataset *ds = zi_trainer_data_get_dataset (s->data);
  const GArray *train = zi_trainer_data_get_train (s->data);
  if (!zi_trainer_check_resources (s->cfg, ds->n, error))
    return FALSE;
  zi_session_prepare_validation (s);
  s->src_batch = g_new (float, (gsize) s->batch * s->pixels);
  s->tgt_batch = g_new (float, (gsize) s->batch * s->pixels);
  s->out_batch = g_new (float, (gsize) s->batch * s->pixels);
  s->style_batch = g_new0 (int, s->batch);

  s->ema_glyphs = (ZiTrainerEmaGlyphs) { ds, (const guint *) train->data, train->len, s->pixels,
                                         s->batch, s->cfg->seed, s->n_styles };
  s->model = zi_trainer_model_new (s->cfg, s->run_dir, zi_session_warn_cb, s);
  zi_trainer_model_set_styles (s->model, zi_trainer_data_get_styles (s->data), s->n_styles);
  zi_trainer_model_set_data (s->model, s->data);
  if (s->dist != NULL)
    zi_trainer_model_set_share (s->model, s->batch / s->dist->size, zi_session_writes_run (s));
  /* The checkpoint's rates win (they include changes made while paused) unless the caller asked for
   * other rates when resuming. */
  gboolean restore_rates = setup->run_lr_g == s->cfg->opt_g.lr && setup->run_lr_d == s->cfg->opt_d.lr;
  if (!zi_trainer_model_build (s->model, resume, restore_rates, &s->ema_glyphs, error))
    return FALSE;
  /* A new run writes its step-0 checkpoint before run.json: once run.json exists, --resume always
   * finds a checkpoint, however early the process is killed. It is also the first rollback target. */
  if (resume == NULL
      && (!save_checkpoint (s, FALSE, error)
          || (zi_session_writes_run (s) && !zi_trainer_data_write_run_info (s->data, s->run_dir, error))))
    return FALSE;
  *run_written = TRUE;

  const ZiTrainerProgress *p = zi_trainer_model_get_progress (s->model);
  zi_trainer_control_set_step (s->control, p->step);
  set_state (s, ZI_TRAINER_STATE_RUNNING);
  if (p->step == 0 && resume == NULL)
    {
      gboolean unused;
      /* The untrained model's scores: the start of the curves. A run resumed at step 0 (stopped
       * before its first interval checkpoint) logged them when it began; logging them again would
       * put a second step-0 line in metrics.jsonl. */
      if (!zi_session_validate (s, &unused, error)
          || (s->n_val > 0 && !zi_session_log_step (s, NULL, 0, 0, TRUE, FALSE, error)))
        return FALSE;
    }
  if (!train_loop (s, &reason, error))
    return FALSE;

  set_state (s, ZI_TRAINER_STATE_STOPPING);
  if (!zi_trainer_model_is_saved (s->model))
    {
      gboolean is_best = FALSE;
      /* At a bound the final checkpoint comes with its own scores (the summary and "best" stay
       * current); a stop button is answered at once instead (validation takes a while at 256 px). */
      if (reason != ZI_TRAINER_STOP_REQUESTED && s->n_val > 0 && s->val_step != p->step
          && (!zi_session_validate (s, &is_best, error)
              || !zi_session_log_step (s, &s->last_stats, s->last_lr_g, s->last_lr_d, TRUE, FALSE, error)))
        return FALSE;
      if (!save_checkpoint (s, is_best, error))
        return FALSE;
    }
  set_state (s, ZI_TRAINER_STATE_FINISHED);
  ev.kind = ZI_TRAINER_EVENT_FINISHED;
  ev.step = p->step;
  ev.finished.reason = reason;
  ev.finished.checkpoint = (char *) zi_trainer_model_get_checkpoint (s->model);
  ev.finished.images = p->images;
  ev.finished.seconds = zi_session_total_seconds (p);
  zi_session_emit (s, &ev);
  return TRUE;
}

gboolean
zi_trainer_session_run (const ZiTrainerSessionSetup *setup, ZiTrainerControl *control,
                        ZiTrainerSessionEmitFunc emit_func, gpointer emit_data, GError **error)
{
  ZiSession s = { 0 };
  g_autoptr(GError) local = NULL;
  gboolean run_written = setup->resume != NULL;
  gboolean ok;

  s.cfg = setup->config;
  s.run_dir = setup->run_dir;
  s.control = control;
  s.emit = emit_func;
  s.emit_data = emit_data;
  s.dist = setup->dist;
  s.size = (guint) s.cfg->net.size;
  s.pixels = (gsize) s.size * s.size;
  s.batch = s.cfg->net.batch;
  s.health = zi_health_new ();

  ok = run_session (&s, setup, &run_written, &local);
  session_clear (&s);
  /* A new run that ended before it had a run.json leaves nothing behind (no half a run directory
   * that --resume would reject). */
  if (!run_written && zi_session_writes_run (&s))
    {
      g_autofree char *checkpoints = zi_run_checkpoints_dir (s.run_dir);
      g_autofree char *lock = zi_run_lock_path (s.run_dir);
      zi_dir_remove_tree (checkpoints);
      /* The lock file too (its lock, which the trainer holds until this returns, goes with it). */
      g_unlink (lock);
      if (setup->created_run_dir)
        g_rmdir (s.run_dir);
    }
  if (ok)
    return TRUE;

  ZiTrainerEvent ev = { 0 };
  set_state (&s, ZI_TRAINER_STATE_FAILED);
  ev.kind = ZI_TRAINER_EVENT_FAILED;
  ev.step = zi_trainer_control_get_step (control);
  ev.error = local;
  zi_session_emit (&s, &ev);
  g_propagate_error (error, g_steal_pointer (&local));
  return FALSE;
}
