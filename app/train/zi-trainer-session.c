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
 * resumed run takes bit-identical steps. Validation and previews run the generator in eval mode, which
 * touches neither the RNG nor the running statistics.
 *
 * Below the loop, each part keeps its own state: the fonts, dataset and data order are
 * zi-trainer-data.c's; the model, its checkpoints, the moving average and rollback are
 * zi-trainer-model.c's. They report warnings through warn_cb; nothing here calls back up into the
 * trainer object: the controls come from zi-trainer-control.h and the events go to the function the
 * session is handed. */
#include <inttypes.h>
#include "config.h"
#include "zi-trainer-session.h"
#include "zi-dataset.h"
#include "zi-error.h"
#include "zi-fileutil.h"
#include "zi-health.h"
#include "zi-metrics.h"
#include "zi-model.h"
#include "zi-run.h"
#include "zi-run-lock.h"
#include "zi-trainer-data.h"
#include "zi-trainer-model.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

/* One target style's validation glyphs (a range of the session's val_* buffers) and its figures. */
typedef struct {
  guint                    n;
  ZiMetrics                baseline;
  ZiMetrics                val;
  ZiMetrics                val_raw;
} StyleVal;

typedef struct {
  const ZiTrainerConfig   *cfg;
  const char              *run_dir;
  ZiTrainerControl        *control;
  ZiTrainerSessionEmitFunc emit;
  gpointer                 emit_data;
  const ZiTrainerDist     *dist;            /* a data-parallel job's process, or NULL */
  guint                    size;
  gsize                    pixels;
  int                      batch;

  ZiTrainerData           *data;
  ZiTrainerModel          *model;           /* NULL until the data is loaded */
  ZiTrainerEmaGlyphs       ema_glyphs;      /* the training glyphs, for the average's statistics */
  ZiHealth                *health;

  guint                    n_val;           /* validation glyphs measured, all styles (≤ the splits) */
  guint8                  *val_src, *val_tgt, *val_gen;  /* [the most validation glyphs of a style
                                                            * * pixels]: one style's at a time */
  guint                    n_styles;
  StyleVal                *styles;          /* [n_styles] */
  guint                    n_preview;
  guint                   *preview_idx;     /* [n_preview] indices into the dataset */
  ZiMetrics                baseline;        /* the identity baseline: source against target */
  gboolean                 has_baseline;
  ZiMetrics                val;             /* the latest validation */
  guint64                  val_step;
  gboolean                 has_val;
  ZiMetrics                val_raw;         /* with EMA: the latest validation of the raw weights */

  float                   *src_batch, *tgt_batch, *out_batch;  /* [batch * pixels] */
  int                     *style_batch;     /* [batch] */
  gboolean                 poisoned;
  NnStepStats              last_stats;      /* the last step's, for the final log line */
  float                    last_lr_g, last_lr_d;
  guint64                  window_images;   /* throughput over the last log interval */
  gint64                   window_us;
  gint64                   loading_reported_us;
} Session;

static void
session_clear (Session *s)
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

/* The model's step, or 0 before it is built. */
static guint64
current_step (Session *s)
{
  return s->model != NULL ? zi_trainer_model_get_progress (s->model)->step : 0;
}

/* FALSE in a data-parallel job's processes other than rank 0, which write nothing into the run. */
static gboolean
writes_run (Session *s)
{
  return s->dist == NULL || s->dist->rank == 0;
}

/* ---- reporting ---- */

static void
emit (Session *s, ZiTrainerEvent *event)
{
  s->emit (event, s->emit_data);
}

static void
set_state (Session *s, ZiTrainerState state)
{
  ZiTrainerEvent ev = { 0 };

  ev.kind = ZI_TRAINER_EVENT_STATE;
  if (zi_trainer_control_set_state (s->control, state, &ev.step))
    emit (s, &ev);
}

/* Where the data and the model send their warnings: a WARNING event. */
static void
warn_cb (ZiHealthKind kind, const char *message, gpointer user_data)
{
  Session *s = user_data;
  ZiTrainerEvent ev = { 0 };

  ev.kind = ZI_TRAINER_EVENT_WARNING;
  ev.step = current_step (s);
  ev.warning.kind = kind;
  ev.warning.message = (char *) message;
  emit (s, &ev);
}

/* Blocks while paused (PAUSED, then RUNNING or STOPPING). Returns TRUE with the new base rates when
 * they were changed meanwhile. */
static gboolean
wait_if_paused (Session *s, float *lr_g, float *lr_d)
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

/* Runs the generator (eval mode) over n coverage images; out is ink, derived in a field run, so that
 * validation, previews and health checks measure the same thing in both representations. */
static gboolean
generate (Session *s, int style, const guint8 *src, guint n, guint8 *out, GError **error)
{
  ZiModelGenerator gen = { zi_trainer_model_get_net (s->model), s->batch, s->src_batch, s->out_batch,
                           zi_trainer_config_get_field_spread (s->cfg), style };
  g_autofree char *what = g_strdup_printf (_("generating validation glyphs at step %" PRIu64),
                                           current_step (s));

  return zi_model_generate_with (&gen, src, n, out, NULL, NULL, NULL, what, error);
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
  emit (s, &ev);
}

/* The mean of the styles' figures (over those with validation glyphs), as one style's would be. */
static void
mean_metrics (Session *s, gsize field_offset, ZiMetrics *out)
{
  guint counted = 0;

  memset (out, 0, sizeof *out);
  for (guint i = 0; i < s->n_styles; i++)
    {
      const ZiMetrics *m = (const ZiMetrics *) ((const guint8 *) &s->styles[i] + field_offset);

      if (s->styles[i].n == 0)
        continue;
      out->l1 += m->l1;
      out->ssim += m->ssim;
      out->iou += m->iou;
      out->n += m->n;
      counted++;
    }
  if (counted > 1)
    {
      out->l1 /= counted;
      out->ssim /= counted;
      out->iou /= counted;
    }
}

/* Unpacks style i's validation glyphs into val_src and val_tgt; returns their number. Each
 * validation reads them from the dataset again (~1 ms a style at 64 px) rather than holding a copy
 * of every style's. */
static guint
unpack_validation (Session *s, guint i)
{
  const ZiDataset *ds = zi_trainer_data_get_style_dataset (s->data, i);
  const GArray *val_idx = zi_trainer_data_get_style_validation (s->data, i);

  for (guint j = 0; j < s->styles[i].n; j++)
    {
      guint k = g_array_index (val_idx, guint, j);
      zi_dataset_get_source (ds, k, s->val_src + (gsize) j * s->pixels);
      zi_dataset_get_target (ds, k, s->val_tgt + (gsize) j * s->pixels);
    }
  return s->styles[i].n;
}

/* Counts each style's validation glyphs (at most val_max a style), picks style 0's preview glyphs,
 * and measures the identity baselines. */
static void
prepare_validation (Session *s)
{
  const GArray *pool;
  guint val_max_style = 0;

  s->n_styles = zi_trainer_data_get_n_styles (s->data);
  s->styles = g_new0 (StyleVal, s->n_styles);
  s->n_val = 0;
  for (guint i = 0; i < s->n_styles; i++)
    {
      guint n = zi_trainer_data_get_style_validation (s->data, i)->len;

      s->styles[i].n = s->cfg->val_max > 0 ? MIN (n, s->cfg->val_max) : n;
      s->n_val += s->styles[i].n;
      val_max_style = MAX (val_max_style, s->styles[i].n);
    }
  s->val_src = g_malloc ((gsize) MAX (val_max_style, 1) * s->pixels);
  s->val_tgt = g_malloc ((gsize) MAX (val_max_style, 1) * s->pixels);
  s->val_gen = g_malloc ((gsize) MAX (val_max_style, 1) * s->pixels);
  for (guint i = 0; i < s->n_styles; i++)
    if (unpack_validation (s, i) > 0)
      zi_metrics_coverage (s->val_src, s->val_tgt, s->styles[i].n, s->size, &s->styles[i].baseline);
  if (s->n_val > 0)
    {
      mean_metrics (s, G_STRUCT_OFFSET (StyleVal, baseline), &s->baseline);
      s->has_baseline = TRUE;
    }

  /* Previews: style 0's first validation glyphs (training glyphs when it has no validation glyph). */
  pool = zi_trainer_data_get_validation (s->data);
  if (pool->len == 0)
    pool = zi_trainer_data_get_train (s->data);
  s->n_preview = MIN (s->cfg->preview_count, pool->len);
  s->preview_idx = g_new (guint, MAX (s->n_preview, 1));
  for (guint i = 0; i < s->n_preview; i++)
    s->preview_idx[i] = g_array_index (pool, guint, i);
}

/* Generates every style's validation glyphs with its own index, one style at a time into val_gen, and
 * measures them into the StyleVal field at field_offset (val or val_raw), and their mean into *mean. */
static gboolean
measure_styles (Session *s, gsize field_offset, ZiMetrics *mean, GError **error)
{
  for (guint i = 0; i < s->n_styles; i++)
    {
      StyleVal *sv = &s->styles[i];

      if (unpack_validation (s, i) == 0)
        continue;
      if (!generate (s, (int) i, s->val_src, sv->n, s->val_gen, error))
        return FALSE;
      zi_metrics_coverage (s->val_gen, s->val_tgt, sv->n, s->size,
                           (ZiMetrics *) ((guint8 *) sv + field_offset));
    }
  mean_metrics (s, field_offset, mean);
  return TRUE;
}

/* ---- validation and logging ---- */

static gboolean
validate_current (Session *s, gboolean has_raw, gboolean *is_best, GError **error)
{
  const ZiDataset *ds = zi_trainer_data_get_dataset (s->data);
  guint64 step = current_step (s);
  ZiTrainerEvent ev = { 0 };
  ZiHealthKind kind;
  g_autofree char *msg = NULL;

  *is_best = FALSE;
  if (s->n_val > 0)
    {
      g_autofree ZiTrainerStyleValidation *styles = NULL;

      if (!measure_styles (s, G_STRUCT_OFFSET (StyleVal, val), &s->val, error))
        return FALSE;
      s->has_val = TRUE;
      s->val_step = step;
      *is_best = zi_trainer_model_observe_validation (s->model, &s->val);

      ev.kind = ZI_TRAINER_EVENT_VALIDATION;
      ev.step = step;
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
      if (s->n_styles > 1)
        {
          const ZiRunStyle *names = zi_trainer_data_get_styles (s->data);

          styles = g_new0 (ZiTrainerStyleValidation, s->n_styles);
          for (guint i = 0; i < s->n_styles; i++)
            {
              const StyleVal *sv = &s->styles[i];

              styles[i].name = names[i].name;
              styles[i].style = i;
              styles[i].n = sv->n;
              styles[i].l1 = sv->n > 0 ? sv->val.l1 : NAN;
              styles[i].ssim = sv->n > 0 ? sv->val.ssim : NAN;
              styles[i].iou = sv->n > 0 ? sv->val.iou : NAN;
              styles[i].base_l1 = sv->n > 0 ? sv->baseline.l1 : NAN;
              styles[i].base_ssim = sv->n > 0 ? sv->baseline.ssim : NAN;
              styles[i].base_iou = sv->n > 0 ? sv->baseline.iou : NAN;
            }
          ev.validation.n_styles = s->n_styles;
          ev.validation.styles = styles;
        }
      emit (s, &ev);
      if (step > 0 && zi_health_observe_validation (s->health, step, s->val.ssim, &kind, &msg))
        warn_cb (kind, msg, s);
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
      chars[i] = ds->chars[k];
      zi_dataset_get_source (ds, k, src + i * s->pixels);
      zi_dataset_get_target (ds, k, tgt + i * s->pixels);
    }
  if (!generate (s, 0, src, s->n_preview, gen, error))
    return FALSE;
  memset (&ev, 0, sizeof ev);
  ev.kind = ZI_TRAINER_EVENT_PREVIEW;
  ev.step = step;
  ev.preview.n = s->n_preview;
  ev.preview.size = s->size;
  ev.preview.chars = chars;
  ev.preview.source = src;
  ev.preview.generated = gen;
  ev.preview.target = tgt;
  emit (s, &ev);
  if (zi_health_observe_previews (s->health, step, gen, src, s->n_preview, s->size, &kind, &msg))
    warn_cb (kind, msg, s);
  return TRUE;
}

/* Validation and previews. With EMA on they show the averaged generator (what generation uses), and
 * the raw weights are measured too, so every run carries its own EMA ablation. */
static gboolean
validate (Session *s, gboolean *is_best, GError **error)
{
  gboolean ok;

  if (!zi_trainer_model_has_ema (s->model))
    return validate_current (s, FALSE, is_best, error);
  if (s->n_val > 0 && !measure_styles (s, G_STRUCT_OFFSET (StyleVal, val_raw), &s->val_raw, error))
    return FALSE;
  if (!zi_trainer_model_enter_ema (s->model, error))
    return FALSE;
  ok = validate_current (s, s->n_val > 0, is_best, error);
  zi_trainer_model_leave_ema (s->model);
  return ok;
}

static double
total_seconds (const ZiTrainerProgress *p)
{
  return p->seconds_before + p->active_us / (double) G_USEC_PER_SEC;
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
log_step (Session *s, const NnStepStats *st, float lr_g, float lr_d, gboolean with_val,
          gboolean with_event, GError **error)
{
  const ZiTrainerProgress *p = zi_trainer_model_get_progress (s->model);
  ZiRunMetric m = { 0 };
  ZiTrainerEvent ev = { 0 };
  ZiTrainerStepStats *x = &ev.stats;
  double window_s = (p->active_us - s->window_us) / (double) G_USEC_PER_SEC;

  m.step = p->step;
  m.images = p->images;
  m.seconds = total_seconds (p);
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
  m.has_raw = with_val && zi_trainer_model_has_ema (s->model);
  m.val_raw_l1 = s->val_raw.l1;
  m.val_raw_ssim = s->val_raw.ssim;
  m.val_raw_iou = s->val_raw.iou;
  if (with_val && s->n_styles > 1)
    {
      const ZiRunStyle *names = zi_trainer_data_get_styles (s->data);

      m.n_val_styles = MIN (s->n_styles, ZI_RUN_METRIC_MAX_STYLES);
      for (guint i = 0; i < m.n_val_styles; i++)
        {
          const StyleVal *sv = &s->styles[i];

          zi_run_style_score_set_name (&m.val_styles[i], names[i].name);
          m.val_styles[i].l1 = sv->n > 0 ? sv->val.l1 : NAN;
          m.val_styles[i].ssim = sv->n > 0 ? sv->val.ssim : NAN;
          m.val_styles[i].iou = sv->n > 0 ? sv->val.iou : NAN;
        }
    }
  if (writes_run (s) && !zi_run_metrics_append (s->run_dir, &m, error))
    return FALSE;
  if (st == NULL || !with_event)
    return TRUE;

  ev.kind = ZI_TRAINER_EVENT_STEP;
  ev.step = p->step;
  x->step = p->step;
  x->images = p->images;
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
  x->images_per_second = window_s > 0 ? (p->images - s->window_images) / window_s : 0.0;
  x->total_steps = s->cfg->max_steps;
  x->eta_seconds = -1.0;
  if (s->cfg->max_steps > p->step && x->images_per_second > 0)
    x->eta_seconds = (double) (s->cfg->max_steps - p->step) * s->batch / x->images_per_second;
  if (s->cfg->max_minutes > 0)
    {
      double left = MAX (0.0, s->cfg->max_minutes * 60.0 - p->active_us / (double) G_USEC_PER_SEC);
      x->eta_seconds = x->eta_seconds < 0 ? left : MIN (x->eta_seconds, left);
    }
  s->window_images = p->images;
  s->window_us = p->active_us;
  emit (s, &ev);
  return TRUE;
}

/* Writes the checkpoint of the current step (with the scores measured at it) and emits CHECKPOINT. */
static gboolean
save_checkpoint (Session *s, gboolean is_best, GError **error)
{
  guint64 step = current_step (s);
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
  emit (s, &ev);
  return TRUE;
}

/* Goes back to the last checkpoint after a divergence; the loss history starts again. */
static gboolean
rollback (Session *s, const char *why, GError **error)
{
  if (!zi_trainer_model_rollback (s->model, why, error))
    return FALSE;
  zi_health_reset_history (s->health);
  zi_trainer_control_set_step (s->control, current_step (s));
  return TRUE;
}

/* ---- the loop ---- */

static gboolean
train_loop (Session *s, ZiTrainerStopReason *reason, GError **error)
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
        warn_cb (kind, msg, s);

      if (p->step % cfg->val_every == 0)
        {
          if (!validate (s, &is_best, error))
            return FALSE;
          did_val = s->n_val > 0;
        }
      zi_trainer_model_add_time (s->model, g_get_monotonic_time () - t0);
      t0 = g_get_monotonic_time ();
      if ((p->step % cfg->log_every == 0 || did_val)
          && !log_step (s, &st, lr_g, lr_d, did_val, TRUE, error))
        return FALSE;
      if ((p->step % cfg->checkpoint_every == 0 || is_best) && !save_checkpoint (s, is_best, error))
        return FALSE;
      zi_trainer_model_add_time (s->model, g_get_monotonic_time () - t0);
    }
}

/* Loads the data and the model and trains until a bound or a stop; FINISHED on the way out. */
static gboolean
run_session (Session *s, const ZiTrainerSessionSetup *setup, gboolean *run_written, GError **error)
{
  const char *resume = setup->resume;
  g_auto(ZiRunInfo) info = { 0 };
  ZiTrainerStopReason reason = ZI_TRAINER_STOP_REQUESTED;
  ZiTrainerEvent ev = { 0 };

  set_state (s, ZI_TRAINER_STATE_LOADING);
  if (resume != NULL && !zi_run_info_load (s->run_dir, &info, error))
    return FALSE;
  if (resume != NULL && writes_run (s))
    {
      g_autoptr(GError) stale_error = NULL;

      /* What a killed checkpoint write left behind; only a warning, training can go on beside it. */
      if (!zi_run_remove_stale_files (s->run_dir, &stale_error))
        warn_cb (ZI_HEALTH_OTHER, stale_error->message, s);
    }
  s->data = zi_trainer_data_load (s->cfg, resume != NULL ? &info : NULL, loading_progress_cb, s, warn_cb, s,
                                  setup->cancellable, error);
  if (s->data == NULL)
    {
      /* A stop during loading is not a failure: the run just ends before it began. */
      if (error && *error && g_error_matches (*error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_clear_error (error);
          set_state (s, ZI_TRAINER_STATE_FINISHED);
          ev.kind = ZI_TRAINER_EVENT_FINISHED;
          ev.finished.reason = ZI_TRAINER_STOP_REQUESTED;
          emit (s, &ev);
          return TRUE;
        }
      return FALSE;
    }
  const ZiDataset *ds = zi_trainer_data_get_dataset (s->data);
  const GArray *train = zi_trainer_data_get_train (s->data);
  if (!zi_trainer_check_resources (s->cfg, ds->n, error))
    return FALSE;
  prepare_validation (s);
  s->src_batch = g_new (float, (gsize) s->batch * s->pixels);
  s->tgt_batch = g_new (float, (gsize) s->batch * s->pixels);
  s->out_batch = g_new (float, (gsize) s->batch * s->pixels);
  s->style_batch = g_new0 (int, s->batch);

  s->ema_glyphs = (ZiTrainerEmaGlyphs) { ds, (const guint *) train->data, train->len, s->pixels,
                                         s->batch, s->cfg->seed, s->n_styles };
  s->model = zi_trainer_model_new (s->cfg, s->run_dir, warn_cb, s);
  zi_trainer_model_set_styles (s->model, zi_trainer_data_get_styles (s->data), s->n_styles);
  zi_trainer_model_set_data (s->model, s->data);
  if (s->dist != NULL)
    zi_trainer_model_set_share (s->model, s->batch / s->dist->size, writes_run (s));
  /* The checkpoint's rates win (they include changes made while paused) unless the caller asked for
   * other rates when resuming. */
  gboolean restore_rates = setup->run_lr_g == s->cfg->opt_g.lr && setup->run_lr_d == s->cfg->opt_d.lr;
  if (!zi_trainer_model_build (s->model, resume, restore_rates, &s->ema_glyphs, error))
    return FALSE;
  /* A new run writes its step-0 checkpoint before run.json: once run.json exists, --resume always
   * finds a checkpoint, however early the process is killed. It is also the first rollback target. */
  if (resume == NULL
      && (!save_checkpoint (s, FALSE, error)
          || (writes_run (s) && !zi_trainer_data_write_run_info (s->data, s->run_dir, error))))
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
      if (!validate (s, &unused, error) || (s->n_val > 0 && !log_step (s, NULL, 0, 0, TRUE, FALSE, error)))
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
          && (!validate (s, &is_best, error)
              || !log_step (s, &s->last_stats, s->last_lr_g, s->last_lr_d, TRUE, FALSE, error)))
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
  ev.finished.seconds = total_seconds (p);
  emit (s, &ev);
  return TRUE;
}

gboolean
zi_trainer_session_run (const ZiTrainerSessionSetup *setup, ZiTrainerControl *control,
                        ZiTrainerSessionEmitFunc emit_func, gpointer emit_data, GError **error)
{
  Session s = { 0 };
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
  if (!run_written && writes_run (&s))
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
  emit (&s, &ev);
  g_propagate_error (error, g_steal_pointer (&local));
  return FALSE;
}
