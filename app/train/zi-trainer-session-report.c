/* zi-trainer-session-report.c — what a training session measures and reports as it goes: validation
 * of every target style with its own embedding index (their mean where a one-style run has its
 * figures, and with EMA the raw weights beside the average), previews of style 0, the metrics log
 * with its STEP events, and the warnings of the data, the model and the health checks. The loop in
 * zi-trainer-session.c calls it; it calls nothing there. Validation and previews run the generator in
 * eval mode, which touches neither the RNG nor the running statistics. */
#include <inttypes.h>
#include "config.h"
#include "zi-trainer-session-private.h"
#include "zi-dataset.h"
#include "zi-model.h"
#include "zi-run.h"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

/* ---- warnings and the generator ---- */

/* Where the data and the model send their warnings: a WARNING event. */
void
zi_session_warn_cb (ZiHealthKind kind, const char *message, gpointer user_data)
{
  ZiSession *s = user_data;
  ZiTrainerEvent ev = { 0 };

  ev.kind = ZI_TRAINER_EVENT_WARNING;
  ev.step = zi_session_current_step (s);
  ev.warning.kind = kind;
  ev.warning.message = (char *) message;
  zi_session_emit (s, &ev);
}

/* Runs the generator (eval mode) over n coverage images; out is ink, derived in a field run, so that
 * validation, previews and health checks measure the same thing in both representations. */
static gboolean
generate (ZiSession *s, int style, const guint8 *src, guint n, guint8 *out, GError **error)
{
  ZiModelGenerator gen = { zi_trainer_model_get_net (s->model), s->batch, s->src_batch, s->out_batch,
                           zi_trainer_config_get_field_spread (s->cfg), style };
  g_autofree char *what = g_strdup_printf (_("generating validation glyphs at step %" PRIu64),
                                           zi_session_current_step (s));

  return zi_model_generate_with (&gen, src, n, out, NULL, NULL, NULL, what, error);
}

/* ---- the validation glyphs ---- */

/* The mean of the styles' figures (over those with validation glyphs), as one style's would be. */
static void
mean_metrics (ZiSession *s, gsize field_offset, ZiMetrics *out)
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
unpack_validation (ZiSession *s, guint i)
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
void
zi_session_prepare_validation (ZiSession *s)
{
  const GArray *pool;
  guint val_max_style = 0;

  s->n_styles = zi_trainer_data_get_n_styles (s->data);
  s->styles = g_new0 (ZiSessionStyle, s->n_styles);
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
      mean_metrics (s, G_STRUCT_OFFSET (ZiSessionStyle, baseline), &s->baseline);
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
 * measures them into the ZiSessionStyle field at field_offset (val or val_raw), and their mean into *mean. */
static gboolean
measure_styles (ZiSession *s, gsize field_offset, ZiMetrics *mean, GError **error)
{
  for (guint i = 0; i < s->n_styles; i++)
    {
      ZiSessionStyle *sv = &s->styles[i];

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
validate_current (ZiSession *s, gboolean has_raw, gboolean *is_best, GError **error)
{
  const ZiDataset *ds = zi_trainer_data_get_dataset (s->data);
  guint64 step = zi_session_current_step (s);
  ZiTrainerEvent ev = { 0 };
  ZiHealthKind kind;
  g_autofree char *msg = NULL;

  *is_best = FALSE;
  if (s->n_val > 0)
    {
      g_autofree ZiTrainerStyleValidation *styles = NULL;

      if (!measure_styles (s, G_STRUCT_OFFSET (ZiSessionStyle, val), &s->val, error))
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
              const ZiSessionStyle *sv = &s->styles[i];

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
      zi_session_emit (s, &ev);
      if (step > 0 && zi_health_observe_validation (s->health, step, s->val.ssim, &kind, &msg))
        zi_session_warn_cb (kind, msg, s);
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
  zi_session_emit (s, &ev);
  if (zi_health_observe_previews (s->health, step, gen, src, s->n_preview, s->size, &kind, &msg))
    zi_session_warn_cb (kind, msg, s);
  return TRUE;
}

/* Validation and previews. With EMA on they show the averaged generator (what generation uses), and
 * the raw weights are measured too, so every run carries its own EMA ablation. */
gboolean
zi_session_validate (ZiSession *s, gboolean *is_best, GError **error)
{
  gboolean ok;

  if (!zi_trainer_model_has_ema (s->model))
    return validate_current (s, FALSE, is_best, error);
  if (s->n_val > 0 && !measure_styles (s, G_STRUCT_OFFSET (ZiSessionStyle, val_raw), &s->val_raw, error))
    return FALSE;
  if (!zi_trainer_model_enter_ema (s->model, error))
    return FALSE;
  ok = validate_current (s, s->n_val > 0, is_best, error);
  zi_trainer_model_leave_ema (s->model);
  return ok;
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

gboolean
zi_session_log_step (ZiSession *s, const NnStepStats *st, float lr_g, float lr_d, gboolean with_val,
                     gboolean with_event, GError **error)
{
  const ZiTrainerProgress *p = zi_trainer_model_get_progress (s->model);
  ZiRunMetric m = { 0 };
  ZiTrainerEvent ev = { 0 };
  ZiTrainerStepStats *x = &ev.stats;
  double window_s = (p->active_us - s->window_us) / (double) G_USEC_PER_SEC;

  m.step = p->step;
  m.images = p->images;
  m.seconds = zi_session_total_seconds (p);
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
          const ZiSessionStyle *sv = &s->styles[i];

          zi_run_style_score_set_name (&m.val_styles[i], names[i].name);
          m.val_styles[i].l1 = sv->n > 0 ? sv->val.l1 : NAN;
          m.val_styles[i].ssim = sv->n > 0 ? sv->val.ssim : NAN;
          m.val_styles[i].iou = sv->n > 0 ? sv->val.iou : NAN;
        }
    }
  if (zi_session_writes_run (s) && !zi_run_metrics_append (s->run_dir, &m, error))
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
  zi_session_emit (s, &ev);
  return TRUE;
}
