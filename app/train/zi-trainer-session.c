/* zi-trainer-session.c — one training session on the trainer's worker thread: open the fonts, build or
 * load the dataset and the split, build or resume the model, then step, log, validate, preview,
 * checkpoint and watch the run's health until a bound or a stop request ends it.
 *
 * Reproducibility: the data order is a function of the seed and the number of pairs consumed (one
 * seeded shuffle per epoch), and everything else a step depends on (weights, optimiser state, batch
 * norm statistics, the dropout/augmentation RNG, the learning-rate state) is in the checkpoint, so a
 * resumed run takes bit-identical steps. Validation and previews run the generator in eval mode, which
 * touches neither the RNG nor the running statistics.
 *
 * The model's own life (building, checkpoints, the moving average, rollback) is zi-trainer-state.c. */
#include <inttypes.h>
#include "config.h"
#include "zi-trainer-session.h"
#include "nn-blas.h"
#include "zi-charset.h"
#include "zi-dataset.h"
#include "zi-error.h"
#include "zi-fileutil.h"
#include "zi-health.h"
#include "zi-image.h"
#include "zi-metrics.h"
#include "zi-run.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

static void
session_clear (Session *s)
{
  g_clear_pointer (&s->source_font, zi_font_free);
  g_clear_pointer (&s->target_font, zi_font_free);
  g_clear_pointer (&s->data, zi_dataset_free);
  g_clear_pointer (&s->train_idx, g_array_unref);
  g_clear_pointer (&s->val_idx, g_array_unref);
  g_free (s->val_src);
  g_free (s->val_tgt);
  g_free (s->val_gen);
  g_free (s->preview_idx);
  g_clear_pointer (&s->model, nn_pix2pix_free);
  g_free (s->src_batch);
  g_free (s->tgt_batch);
  g_free (s->out_batch);
  g_free (s->pair_scratch);
  g_free (s->perm);
  g_free (s->ema);
  g_free (s->ema_snap);
  g_free (s->ema_swap);
  g_free (s->stats_keep);
  g_free (s->ema_stats);
  g_free (s->last_saved_path);
  g_clear_pointer (&s->health, zi_health_free);
}

/* Runs the generator (eval mode) over n coverage images. */
static gboolean
generate (Session *s, const guint8 *src, guint n, guint8 *out, GError **error)
{
  for (guint i = 0; i < n; i += (guint) s->batch)
    {
      guint m = MIN ((guint) s->batch, n - i);
      NnStatus st;

      zi_image_coverage_to_net (src + (gsize) i * s->pixels, s->src_batch, m * s->pixels);
      st = nn_pix2pix_generate (s->model, s->src_batch, NULL, (int) m, s->out_batch);
      if (st != NN_OK)
        {
          zi_error_from_nn (error, st, _("generating validation glyphs at step %" PRIu64), s->step);
          return FALSE;
        }
      zi_image_net_to_coverage (s->out_batch, out + (gsize) i * s->pixels, m * s->pixels);
    }
  return TRUE;
}

/* ---- loading ---- */

static void
loading_progress_cb (guint64 done, guint64 total, gpointer user_data)
{
  Session *s = user_data;
  gint64 now = g_get_monotonic_time ();
  ZiTrainerEvent ev = { 0 };

  /* At most ten reports a second, and always the last one. */
  if (done != total && now - s->loading_reported_us < G_USEC_PER_SEC / 10)
    return;
  s->loading_reported_us = now;
  ev.kind = ZI_TRAINER_EVENT_LOADING;
  ev.progress.done = done;
  ev.progress.total = total;
  zi_trainer_emit (s->trainer, &ev);
}

static void
check_font_hash (Session *s, ZiFont *font, const char *expected, gboolean is_source)
{
  g_autofree char *msg = NULL;

  if (expected == NULL || *expected == '\0' || g_strcmp0 (zi_font_get_file_hash (font), expected) == 0)
    return;
  if (is_source)
    msg = g_strdup_printf (_("The source font %s is not the file this run was trained with; the dataset is "
                             "rebuilt from it, so results may change."), zi_font_get_path (font));
  else
    msg = g_strdup_printf (_("The target font %s is not the file this run was trained with; the dataset is "
                             "rebuilt from it, so results may change."), zi_font_get_path (font));
  zi_session_warn (s, ZI_HEALTH_OTHER, msg);
}

/* Opens the fonts, builds the dataset and the split. info is run.json when resuming, else NULL. */
static gboolean
load_data (Session *s, const ZiRunInfo *info, GError **error)
{
  ZiTrainerConfig *cfg = s->cfg;
  g_autoptr(GArray) chars = NULL;

  s->source_font = zi_font_open (cfg->source_font, error);
  if (s->source_font == NULL)
    return FALSE;
  s->target_font = zi_font_open (cfg->target_font, error);
  if (s->target_font == NULL)
    return FALSE;

  if (info != NULL)
    {
      check_font_hash (s, s->source_font, info->source_hash, TRUE);
      check_font_hash (s, s->target_font, info->target_hash, FALSE);
      chars = g_array_sized_new (FALSE, FALSE, sizeof (gunichar), info->n_chars);
      g_array_append_vals (chars, info->chars, info->n_chars);
    }
  else if (cfg->chars != NULL)
    {
      chars = g_array_sized_new (FALSE, FALSE, sizeof (gunichar), cfg->n_chars);
      g_array_append_vals (chars, cfg->chars, cfg->n_chars);
    }
  else
    chars = zi_charset_compute (s->source_font, s->target_font, ZI_CHARSET_SHARED, ZI_BLOCK_CJK);

  s->data = zi_dataset_load (s->source_font, s->target_font, (const gunichar *) chars->data, chars->len,
                             s->size, cfg->em_fraction, cfg->cache_dir, loading_progress_cb, s,
                             zi_trainer_session_cancellable (s->trainer), error);
  if (s->data == NULL)
    return FALSE;

  if (info != NULL)
    {
      g_autoptr(GHashTable) where = g_hash_table_new (NULL, NULL);
      if (s->data->n != info->n_chars)
        {
          g_set_error (error, ZI_ERROR, ZI_ERROR_RUN,
                       _("The fonts now share %u of the run's %u characters; resume with the fonts the run "
                         "was trained with (%s, %s)."),
                       s->data->n, info->n_chars, info->source_path, info->target_path);
          return FALSE;
        }
      for (guint i = 0; i < s->data->n; i++)
        g_hash_table_insert (where, GUINT_TO_POINTER (s->data->chars[i]), GUINT_TO_POINTER (i + 1));
      s->train_idx = g_array_new (FALSE, FALSE, sizeof (guint));
      s->val_idx = g_array_new (FALSE, FALSE, sizeof (guint));
      g_autoptr(GHashTable) is_val = g_hash_table_new (NULL, NULL);
      for (guint i = 0; i < info->n_val_chars; i++)
        {
          guint at = GPOINTER_TO_UINT (g_hash_table_lookup (where, GUINT_TO_POINTER (info->val_chars[i])));
          if (at == 0)
            continue;
          g_hash_table_add (is_val, GUINT_TO_POINTER (at));
        }
      for (guint i = 0; i < s->data->n; i++)
        g_array_append_val (g_hash_table_contains (is_val, GUINT_TO_POINTER (i + 1)) ? s->val_idx : s->train_idx, i);
    }
  else
    zi_dataset_split (s->data->n, cfg->seed, cfg->val_fraction, &s->train_idx, &s->val_idx);

  if (s->train_idx->len == 0)
    {
      g_set_error (error, ZI_ERROR, ZI_ERROR_CHARSET,
                   g_dngettext (GETTEXT_PACKAGE,
                                "Only %u character pair is available, which leaves none for training; "
                                "give more characters or a smaller --val-fraction.",
                                "Only %u character pairs are available, which leaves none for training; "
                                "give more characters or a smaller --val-fraction.", s->data->n),
                   s->data->n);
      return FALSE;
    }
  return TRUE;
}

/* Copies the validation and preview glyphs out of the dataset and measures the identity baseline. */
static void
prepare_validation (Session *s)
{
  GArray *pool = s->val_idx->len > 0 ? s->val_idx : s->train_idx;

  s->n_val = s->val_idx->len;
  if (s->cfg->val_max > 0)
    s->n_val = MIN (s->n_val, s->cfg->val_max);
  s->val_src = g_malloc ((gsize) MAX (s->n_val, 1) * s->pixels);
  s->val_tgt = g_malloc ((gsize) MAX (s->n_val, 1) * s->pixels);
  s->val_gen = g_malloc ((gsize) MAX (s->n_val, 1) * s->pixels);
  for (guint i = 0; i < s->n_val; i++)
    {
      guint k = g_array_index (s->val_idx, guint, i);
      memcpy (s->val_src + (gsize) i * s->pixels, s->data->source + (gsize) k * s->pixels, s->pixels);
      memcpy (s->val_tgt + (gsize) i * s->pixels, s->data->target + (gsize) k * s->pixels, s->pixels);
    }
  if (s->n_val > 0)
    {
      zi_metrics_coverage (s->val_src, s->val_tgt, s->n_val, s->size, &s->baseline);
      s->has_baseline = TRUE;
    }

  /* Previews: the first validation glyphs (training glyphs when there is no validation split). */
  s->n_preview = MIN (s->cfg->preview_count, pool->len);
  s->preview_idx = g_new (guint, MAX (s->n_preview, 1));
  for (guint i = 0; i < s->n_preview; i++)
    s->preview_idx[i] = g_array_index (pool, guint, i);
}

static gboolean
write_run_info (Session *s, GError **error)
{
  ZiRunInfo info = { 0 };
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  gboolean ok;

  info.created = g_date_time_format_iso8601 (now);
  info.source_font = g_strdup (s->cfg->source_font);
  info.source_path = g_strdup (zi_font_get_path (s->source_font));
  info.source_face = zi_font_get_face_index (s->source_font);
  info.source_hash = g_strdup (zi_font_get_file_hash (s->source_font));
  info.target_font = g_strdup (s->cfg->target_font);
  info.target_path = g_strdup (zi_font_get_path (s->target_font));
  info.target_face = zi_font_get_face_index (s->target_font);
  info.target_hash = g_strdup (zi_font_get_file_hash (s->target_font));
  info.chars = g_memdup2 (s->data->chars, sizeof (gunichar) * s->data->n);
  info.n_chars = s->data->n;
  info.val_chars = g_new (gunichar, MAX (s->val_idx->len, 1));
  for (guint i = 0; i < s->val_idx->len; i++)
    info.val_chars[i] = s->data->chars[g_array_index (s->val_idx, guint, i)];
  info.n_val_chars = s->val_idx->len;
  info.config_json = zi_trainer_config_to_json (s->cfg);
  ok = zi_run_info_save (s->run_dir, &info, error);
  zi_run_info_clear (&info);
  return ok;
}

/* ---- data order ---- */

static guint
data_index (Session *s, guint64 pos)
{
  guint n = s->train_idx->len;
  gint64 epoch = (gint64) (pos / n);

  if (epoch != s->perm_epoch)
    {
      NnRng r;
      /* Each epoch's order depends only on the seed and the epoch number. */
      nn_rng_seed (&r, s->cfg->seed ^ (G_GUINT64_CONSTANT (0x9E3779B97F4A7C15) * (guint64) (epoch + 1)));
      for (guint i = 0; i < n; i++)
        s->perm[i] = i;
      for (guint i = n - 1; i > 0; i--)
        {
          guint j = nn_rng_below (&r, i + 1);
          guint t = s->perm[i];
          s->perm[i] = s->perm[j];
          s->perm[j] = t;
        }
      s->perm_epoch = epoch;
    }
  return g_array_index (s->train_idx, guint, s->perm[pos % n]);
}

static void
fill_batch (Session *s)
{
  for (int b = 0; b < s->batch; b++)
    {
      guint k = data_index (s, s->images + (guint64) b);
      guint8 *src = s->pair_scratch, *tgt = s->pair_scratch + s->pixels;

      memcpy (src, s->data->source + (gsize) k * s->pixels, s->pixels);
      memcpy (tgt, s->data->target + (gsize) k * s->pixels, s->pixels);
      if (s->cfg->augment)
        zi_dataset_augment_pair (src, tgt, s->size, 2, 0.04, s->rng.s);
      zi_image_coverage_to_net (src, s->src_batch + (gsize) b * s->pixels, s->pixels);
      zi_image_coverage_to_net (tgt, s->tgt_batch + (gsize) b * s->pixels, s->pixels);
    }
}

/* ---- validation and logging ---- */

static gboolean
validate_current (Session *s, gboolean has_raw, gboolean *is_best, GError **error)
{
  ZiTrainerEvent ev = { 0 };
  ZiHealthKind kind;
  g_autofree char *msg = NULL;

  *is_best = FALSE;
  if (s->n_val > 0)
    {
      if (!generate (s, s->val_src, s->n_val, s->val_gen, error))
        return FALSE;
      zi_metrics_coverage (s->val_gen, s->val_tgt, s->n_val, s->size, &s->val);
      s->has_val = TRUE;
      s->val_step = s->step;
      /* The untrained model at step 0 is a reference point, not a candidate for "best". */
      if (s->step > 0 && (!s->has_best || s->val.ssim > s->best_ssim))
        {
          s->has_best = TRUE;
          s->best_step = s->step;
          s->best_ssim = s->val.ssim;
          *is_best = TRUE;
        }
      if (s->step > 0 && s->cfg->sched.kind == NN_SCHED_PLATEAU)
        nn_plateau_observe (&s->cfg->sched, &s->plateau, (float) s->val.l1);

      ev.kind = ZI_TRAINER_EVENT_VALIDATION;
      ev.step = s->step;
      ev.validation.l1 = s->val.l1;
      ev.validation.ssim = s->val.ssim;
      ev.validation.iou = s->val.iou;
      ev.validation.base_l1 = s->baseline.l1;
      ev.validation.base_ssim = s->baseline.ssim;
      ev.validation.base_iou = s->baseline.iou;
      ev.validation.n = s->n_val;
      ev.validation.is_best = *is_best;
      ev.validation.has_raw = has_raw;
      ev.validation.raw_l1 = s->val_raw.l1;
      ev.validation.raw_ssim = s->val_raw.ssim;
      ev.validation.raw_iou = s->val_raw.iou;
      zi_trainer_emit (s->trainer, &ev);
      if (s->step > 0 && zi_health_observe_validation (s->health, s->step, s->val.ssim, &kind, &msg))
        zi_session_warn (s, kind, msg);
      g_clear_pointer (&msg, g_free);
    }

  if (s->n_preview == 0)
    return TRUE;
  g_autofree gunichar *chars = g_new (gunichar, s->n_preview);
  g_autofree guint8 *src = g_malloc (s->n_preview * s->pixels);
  g_autofree guint8 *tgt = g_malloc (s->n_preview * s->pixels);
  g_autofree guint8 *gen = g_malloc (s->n_preview * s->pixels);
  for (guint i = 0; i < s->n_preview; i++)
    {
      guint k = s->preview_idx[i];
      chars[i] = s->data->chars[k];
      memcpy (src + i * s->pixels, s->data->source + (gsize) k * s->pixels, s->pixels);
      memcpy (tgt + i * s->pixels, s->data->target + (gsize) k * s->pixels, s->pixels);
    }
  if (!generate (s, src, s->n_preview, gen, error))
    return FALSE;
  memset (&ev, 0, sizeof ev);
  ev.kind = ZI_TRAINER_EVENT_PREVIEW;
  ev.step = s->step;
  ev.preview.n = s->n_preview;
  ev.preview.size = s->size;
  ev.preview.chars = chars;
  ev.preview.source = src;
  ev.preview.generated = gen;
  ev.preview.target = tgt;
  zi_trainer_emit (s->trainer, &ev);
  if (zi_health_observe_previews (s->health, s->step, gen, src, s->n_preview, s->size, &kind, &msg))
    zi_session_warn (s, kind, msg);
  return TRUE;
}

/* Validation and previews. With EMA on they show the averaged generator (what generation uses), and
 * the raw weights are measured too, so every run carries its own EMA ablation. */
static gboolean
validate (Session *s, gboolean *is_best, GError **error)
{
  gboolean ok;

  if (s->ema == NULL)
    return validate_current (s, FALSE, is_best, error);
  if (s->n_val > 0)
    {
      if (!generate (s, s->val_src, s->n_val, s->val_gen, error))
        return FALSE;
      zi_metrics_coverage (s->val_gen, s->val_tgt, s->n_val, s->size, &s->val_raw);
    }
  if (!zi_session_enter_ema (s, error))
    return FALSE;
  ok = validate_current (s, s->n_val > 0, is_best, error);
  zi_session_leave_ema (s);
  return ok;
}

static double
total_seconds (Session *s)
{
  return s->seconds_before + s->active_us / (double) G_USEC_PER_SEC;
}

/* A float as the double with the same 7 significant digits, so metrics.jsonl says 0.0002 rather
 * than 0.00019999999494757503 (the log feeds charts, not resumption). */
static double
tidy (float v)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  if (!isfinite (v))
    return v;
  return g_ascii_strtod (g_ascii_formatd (buf, sizeof buf, "%.7g", v), NULL);
}

static gboolean
log_step (Session *s, const NnStepStats *st, float lr_g, float lr_d, gboolean with_val, gboolean emit,
          GError **error)
{
  ZiRunMetric m = { 0 };
  ZiTrainerEvent ev = { 0 };
  ZiTrainerStepStats *x = &ev.stats;
  double window_s = (s->active_us - s->window_us) / (double) G_USEC_PER_SEC;

  m.step = s->step;
  m.images = s->images;
  m.seconds = total_seconds (s);
  m.lr = tidy (lr_g);
  m.lr_d = tidy (lr_d);
  m.d_loss = st ? tidy (st->d_loss) : NAN;
  m.d_real = st ? tidy (st->d_real) : NAN;
  m.d_fake = st ? tidy (st->d_fake) : NAN;
  m.g_loss = st ? tidy (st->g_loss) : NAN;
  m.g_adv = st ? tidy (st->g_adv) : NAN;
  m.l1 = st ? tidy (st->g_l1) : NAN;
  m.const_loss = st ? tidy (st->g_const) : NAN;
  m.tv = st ? tidy (st->g_tv) : NAN;
  m.d_grad_norm = st ? tidy (st->d_grad_norm) : NAN;
  m.g_grad_norm = st ? tidy (st->g_grad_norm) : NAN;
  m.has_val = with_val;
  m.val_l1 = s->val.l1;
  m.val_ssim = s->val.ssim;
  m.val_iou = s->val.iou;
  m.has_raw = with_val && s->ema != NULL;
  m.val_raw_l1 = s->val_raw.l1;
  m.val_raw_ssim = s->val_raw.ssim;
  m.val_raw_iou = s->val_raw.iou;
  if (!zi_run_metrics_append (s->run_dir, &m, error))
    return FALSE;
  if (st == NULL || !emit)
    return TRUE;

  ev.kind = ZI_TRAINER_EVENT_STEP;
  ev.step = s->step;
  x->step = s->step;
  x->images = s->images;
  x->seconds = m.seconds;
  x->lr_g = lr_g;
  x->lr_d = lr_d;
  x->d_loss = st->d_loss;
  x->d_real = st->d_real;
  x->d_fake = st->d_fake;
  x->g_loss = st->g_loss;
  x->g_adv = st->g_adv;
  x->l1 = st->g_l1;
  x->const_loss = st->g_const;
  x->tv = st->g_tv;
  x->d_grad_norm = st->d_grad_norm;
  x->g_grad_norm = st->g_grad_norm;
  x->images_per_second = window_s > 0 ? (s->images - s->window_images) / window_s : 0.0;
  x->total_steps = s->cfg->max_steps;
  x->eta_seconds = -1.0;
  if (s->cfg->max_steps > s->step && x->images_per_second > 0)
    x->eta_seconds = (double) (s->cfg->max_steps - s->step) * s->batch / x->images_per_second;
  if (s->cfg->max_minutes > 0)
    {
      double left = MAX (0.0, s->cfg->max_minutes * 60.0 - s->active_us / (double) G_USEC_PER_SEC);
      x->eta_seconds = x->eta_seconds < 0 ? left : MIN (x->eta_seconds, left);
    }
  s->window_images = s->images;
  s->window_us = s->active_us;
  zi_trainer_emit (s->trainer, &ev);
  return TRUE;
}

/* ---- the loop ---- */

static gboolean
train_loop (Session *s, ZiTrainerStopReason *reason, GError **error)
{
  ZiTrainerConfig *cfg = s->cfg;

  for (;;)
    {
      NnStepStats st = { 0 };
      gboolean is_best = FALSE, did_val = FALSE;
      float new_g, new_d;
      gint64 t0;

      if (zi_trainer_session_wait_if_paused (s->trainer, &new_g, &new_d))
        {
          s->lr_d_base = new_d > 0 ? new_d : new_g * (s->lr_d_base / s->lr_g_base);
          s->lr_g_base = new_g;
          s->lr_scale = 1.0;
        }
      if (zi_trainer_session_should_stop (s->trainer))
        {
          *reason = ZI_TRAINER_STOP_REQUESTED;
          return TRUE;
        }
      if (cfg->max_steps > 0 && s->step >= cfg->max_steps)
        {
          *reason = ZI_TRAINER_STOP_STEPS;
          return TRUE;
        }
      if (cfg->max_minutes > 0 && s->active_us >= cfg->max_minutes * 60.0 * G_USEC_PER_SEC)
        {
          *reason = ZI_TRAINER_STOP_TIME;
          return TRUE;
        }

      t0 = g_get_monotonic_time ();
      fill_batch (s);
      if (cfg->poison_step == s->step + 1 && !s->poisoned)
        {
          s->src_batch[0] = NAN;
          s->poisoned = TRUE;
        }
      /* The schedule gives G's rate; D's follows in proportion; halvings after divergences apply
       * to both. */
      NnSchedConfig sched = cfg->sched;
      sched.base_lr = s->lr_g_base;
      float lr_g = (float) (nn_sched_lr (&sched, &s->plateau, s->step) * s->lr_scale);
      float lr_d = lr_g * (s->lr_d_base / s->lr_g_base);
      NnStatus status = nn_pix2pix_train_step (s->model, s->src_batch, s->tgt_batch, NULL, s->batch,
                                               lr_g, lr_d, &s->rng, &st);
      if (status == NN_ERR_NONFINITE
          || (status == NN_OK && zi_health_is_explosion (s->health, st.g_loss, st.d_loss)))
        {
          s->active_us += g_get_monotonic_time () - t0;
          if (!zi_session_rollback (s, status == NN_OK ? _("loss explosion") : _("NaN or infinite value"), error))
            return FALSE;
          continue;
        }
      if (status != NN_OK)
        {
          zi_error_from_nn (error, status, _("training step %" PRIu64), s->step + 1);
          return FALSE;
        }
      s->step++;
      s->images += (guint64) s->batch;
      s->last_stats = st;
      s->last_lr_g = lr_g;
      s->last_lr_d = lr_d;
      if (s->ema != NULL)
        zi_session_update_ema (s);
      zi_trainer_session_set_step (s->trainer, s->step);

      ZiHealthKind kind;
      g_autofree char *msg = NULL;
      if (zi_health_observe_step (s->health, s->step, st.d_loss, st.g_adv, st.g_loss, &kind, &msg))
        zi_session_warn (s, kind, msg);

      if (s->step % cfg->val_every == 0)
        {
          if (!validate (s, &is_best, error))
            return FALSE;
          did_val = s->n_val > 0;
        }
      s->active_us += g_get_monotonic_time () - t0;
      t0 = g_get_monotonic_time ();
      if ((s->step % cfg->log_every == 0 || did_val)
          && !log_step (s, &st, lr_g, lr_d, did_val, TRUE, error))
        return FALSE;
      if ((s->step % cfg->checkpoint_every == 0 || is_best) && !zi_session_save_checkpoint (s, is_best, error))
        return FALSE;
      s->active_us += g_get_monotonic_time () - t0;
    }
}

gboolean
zi_trainer_session_run (ZiTrainer *self, GError **error)
{
  Session s = { 0 };
  ZiRunInfo info = { 0 };
  const char *resume = zi_trainer_session_resume_checkpoint (self);
  ZiTrainerStopReason reason = ZI_TRAINER_STOP_REQUESTED;
  ZiTrainerEvent ev = { 0 };
  gboolean ok = FALSE;
  gboolean run_written = resume != NULL;

  s.trainer = self;
  s.cfg = zi_trainer_session_config (self);
  s.run_dir = zi_trainer_get_run_dir (self);
  s.size = (guint) s.cfg->net.size;
  s.pixels = (gsize) s.size * s.size;
  s.batch = s.cfg->net.batch;
  s.perm_epoch = -1;
  s.health = zi_health_new ();

  zi_trainer_set_state (self, ZI_TRAINER_STATE_LOADING);
  if (resume != NULL && !zi_run_info_load (s.run_dir, &info, error))
    goto out;
  if (resume != NULL)
    {
      g_autoptr(GError) stale_error = NULL;

      /* What a killed checkpoint write left behind; only a warning, training can go on beside it. */
      if (!zi_run_remove_stale_files (s.run_dir, &stale_error))
        zi_session_warn (&s, ZI_HEALTH_OTHER, stale_error->message);
    }
  if (!load_data (&s, resume != NULL ? &info : NULL, error))
    {
      /* A stop during loading is not a failure: the run just ends before it began. */
      if (error && *error && g_error_matches (*error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_clear_error (error);
          ok = TRUE;
          zi_trainer_set_state (self, ZI_TRAINER_STATE_FINISHED);
          ev.kind = ZI_TRAINER_EVENT_FINISHED;
          ev.finished.reason = ZI_TRAINER_STOP_REQUESTED;
          zi_trainer_emit (self, &ev);
        }
      goto out;
    }
  if (!zi_trainer_check_resources (s.cfg, s.data->n, error))
    goto out;
  prepare_validation (&s);
  s.src_batch = g_new (float, (gsize) s.batch * s.pixels);
  s.tgt_batch = g_new (float, (gsize) s.batch * s.pixels);
  s.out_batch = g_new (float, (gsize) s.batch * s.pixels);
  s.pair_scratch = g_malloc (2 * s.pixels);
  s.perm = g_new (guint, s.train_idx->len);
  if (!zi_session_build_model (&s, error))
    goto out;
  zi_session_init_ema (&s, resume);
  /* A new run writes its step-0 checkpoint before run.json: once run.json exists, --resume always
   * finds a checkpoint, however early the process is killed. It is also the first rollback target. */
  if (resume == NULL && (!zi_session_save_checkpoint (&s, FALSE, error) || !write_run_info (&s, error)))
    goto out;
  run_written = TRUE;
  zi_trainer_session_set_step (self, s.step);

  zi_trainer_set_state (self, ZI_TRAINER_STATE_RUNNING);
  if (s.step == 0)
    {
      gboolean unused;
      /* The untrained model's scores: the start of the curves. */
      if (!validate (&s, &unused, error) || (s.n_val > 0 && !log_step (&s, NULL, 0, 0, TRUE, FALSE, error)))
        goto out;
    }
  if (!train_loop (&s, &reason, error))
    goto out;

  zi_trainer_set_state (self, ZI_TRAINER_STATE_STOPPING);
  if (s.last_saved_step != s.step)
    {
      gboolean is_best = FALSE;
      /* At a bound the final checkpoint comes with its own scores (the summary and "best" stay
       * current); a stop button is answered at once instead (validation takes a while at 256 px). */
      if (reason != ZI_TRAINER_STOP_REQUESTED && s.n_val > 0 && s.val_step != s.step
          && (!validate (&s, &is_best, error)
              || !log_step (&s, &s.last_stats, s.last_lr_g, s.last_lr_d, TRUE, FALSE, error)))
        goto out;
      if (!zi_session_save_checkpoint (&s, is_best, error))
        goto out;
    }
  zi_trainer_set_state (self, ZI_TRAINER_STATE_FINISHED);
  ev.kind = ZI_TRAINER_EVENT_FINISHED;
  ev.step = s.step;
  ev.finished.reason = reason;
  ev.finished.checkpoint = s.last_saved_path;
  ev.finished.images = s.images;
  ev.finished.seconds = total_seconds (&s);
  zi_trainer_emit (self, &ev);
  ok = TRUE;

out:
  zi_run_info_clear (&info);
  session_clear (&s);
  /* A new run that ended before it had a run.json leaves nothing behind (no half a run directory
   * that --resume would reject). */
  if (!run_written)
    {
      g_autofree char *checkpoints = zi_run_checkpoints_dir (s.run_dir);
      zi_dir_remove_tree (checkpoints);
      if (zi_trainer_session_created_run_dir (self))
        g_rmdir (s.run_dir);
    }
  return ok;
}
