/* zi-trainer-ema.c — the generator's moving average during training (zi-trainer-ema.h). */
#include "config.h"
#include "zi-trainer-ema.h"
#include "zi-error.h"
#include "zi-image.h"

#include <glib/gi18n.h>
#include <string.h>

/* Batches of training glyphs that re-estimate the norm statistics of the averaged weights: with the
 * momentum 0.1 of the running statistics, 32 batches leave 3% of the trained weights' statistics. */
#define RECAL_BATCHES 32

struct _ZiTrainerEma {
  float              decay;
  ZiTrainerEmaGlyphs glyphs;
  gsize              n;           /* generator weights */
  float             *avg;         /* [n] the average */
  float             *snap;        /* [n] the average at the last checkpoint (the rollback target) */
  float             *swap;        /* [n] scratch for swapping weights in and out */
  float             *stats_keep;  /* the trained weights' norm statistics while the average is in */
  float             *stats;       /* the norm statistics measured for the average at stats_step */
  guint64            stats_step;
};

ZiTrainerEma *
zi_trainer_ema_new (NnPix2Pix *model, float decay, const ZiTrainerEmaGlyphs *glyphs)
{
  ZiTrainerEma *ema = g_new0 (ZiTrainerEma, 1);
  float *params = NULL;

  ema->decay = decay;
  ema->glyphs = *glyphs;
  ema->n = nn_pix2pix_param_block (model, 0, &params, NULL);
  ema->avg = g_memdup2 (params, ema->n * sizeof (float));
  ema->snap = g_memdup2 (params, ema->n * sizeof (float));
  ema->swap = g_new (float, ema->n);
  return ema;
}

void
zi_trainer_ema_free (ZiTrainerEma *ema)
{
  if (ema == NULL)
    return;
  g_free (ema->avg);
  g_free (ema->snap);
  g_free (ema->swap);
  g_free (ema->stats_keep);
  g_free (ema->stats);
  g_free (ema);
}

gboolean
zi_trainer_ema_load (ZiTrainerEma *ema, const guint8 *buf, gsize len)
{
  NnPix2Pix *avg = NULL;
  float *p = NULL;
  gboolean ok = nn_pix2pix_load (&avg, buf, len, NULL, 1, NULL, NULL, NULL) == NN_OK
                && nn_pix2pix_param_block (avg, 0, &p, NULL) == ema->n;

  if (ok)
    {
      memcpy (ema->avg, p, ema->n * sizeof (float));
      memcpy (ema->snap, p, ema->n * sizeof (float));
    }
  g_clear_pointer (&avg, nn_pix2pix_free);
  return ok;
}

void
zi_trainer_ema_update (ZiTrainerEma *ema, NnPix2Pix *model, guint64 step)
{
  float *params = NULL;
  /* The decay ramps up over the first steps so the average is not anchored to the random
   * initialisation (TensorFlow's ExponentialMovingAverage with num_updates does the same). */
  float d = MIN (ema->decay, (1.0f + step) / (10.0f + step));

  nn_pix2pix_param_block (model, 0, &params, NULL);
  for (gsize i = 0; i < ema->n; i++)
    ema->avg[i] = d * ema->avg[i] + (1.0f - d) * params[i];
}

/* Exchanges the generator's weights and the average; doing it twice restores both exactly. */
static void
swap_weights (ZiTrainerEma *ema, NnPix2Pix *model)
{
  float *params = NULL;

  nn_pix2pix_param_block (model, 0, &params, NULL);
  memcpy (ema->swap, params, ema->n * sizeof (float));
  memcpy (params, ema->avg, ema->n * sizeof (float));
  memcpy (ema->avg, ema->swap, ema->n * sizeof (float));
}

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
recalibrate_norms (ZiTrainerEma *ema, NnPix2Pix *model, GError **error)
{
  const ZiTrainerEmaGlyphs *g = &ema->glyphs;
  guint n = g->n;
  g_autofree float *src = g_new (float, (gsize) g->batch * g->pixels);
  g_autofree float *out = g_new (float, (gsize) g->batch * g->pixels);
  g_autofree int *style = g_new0 (int, g->batch);
  g_autofree guint8 *glyph = g_malloc (g->pixels);
  NnRng rng;
  guint stride = 7919, pos = 0;

  if (n == 0)
    return TRUE;
  /* A fixed spread of the training glyphs (a stride coprime to their number), the same at every
   * call, and a stream of its own for dropout: the training's order and randomness stay untouched. */
  while (gcd (stride, n) != 1)
    stride++;
  nn_rng_seed (&rng, g->seed ^ G_GUINT64_CONSTANT (0xA5A5F00DCAFE1234));
  for (int k = 0; k < RECAL_BATCHES; k++)
    {
      for (int b = 0; b < g->batch; b++, pos++)
        {
          guint idx = g->index[((guint64) pos * stride) % n];
          /* Every style in turn: the statistics after the style embedding are those of the mix. */
          style[b] = g->n_styles > 1 ? (int) (pos % g->n_styles) : 0;
          zi_dataset_get_source (g->dataset, idx, glyph);
          zi_image_coverage_to_net (glyph, src + (gsize) b * g->pixels, g->pixels);
        }
      NnStatus st = nn_pix2pix_norm_update (model, src, style, g->batch, &rng, out);
      if (st != NN_OK)
        {
          zi_error_from_nn (error, st, _("Cannot measure the averaged generator"));
          return FALSE;
        }
    }
  return TRUE;
}

gboolean
zi_trainer_ema_enter (ZiTrainerEma *ema, NnPix2Pix *model, guint64 step, GError **error)
{
  float *stats = NULL;
  gsize n_stats = nn_pix2pix_norm_stats (model, &stats);

  swap_weights (ema, model);
  if (nn_pix2pix_config (model)->norm != NN_NORM_BATCH || n_stats == 0)
    return TRUE;
  g_free (ema->stats_keep);
  ema->stats_keep = g_memdup2 (stats, n_stats * sizeof (float));
  if (ema->stats != NULL && ema->stats_step == step)
    {
      memcpy (stats, ema->stats, n_stats * sizeof (float));
      return TRUE;
    }
  if (!recalibrate_norms (ema, model, error))
    {
      zi_trainer_ema_leave (ema, model);
      return FALSE;
    }
  g_free (ema->stats);
  ema->stats = g_memdup2 (stats, n_stats * sizeof (float));
  ema->stats_step = step;
  return TRUE;
}

void
zi_trainer_ema_leave (ZiTrainerEma *ema, NnPix2Pix *model)
{
  float *stats = NULL;
  gsize n_stats = nn_pix2pix_norm_stats (model, &stats);

  if (ema->stats_keep != NULL)
    memcpy (stats, ema->stats_keep, n_stats * sizeof (float));
  g_clear_pointer (&ema->stats_keep, g_free);
  swap_weights (ema, model);
}

void
zi_trainer_ema_snapshot (ZiTrainerEma *ema)
{
  memcpy (ema->snap, ema->avg, ema->n * sizeof (float));
}

void
zi_trainer_ema_restore (ZiTrainerEma *ema)
{
  memcpy (ema->avg, ema->snap, ema->n * sizeof (float));
  /* The steps are trained again with other weights. */
  g_clear_pointer (&ema->stats, g_free);
}
