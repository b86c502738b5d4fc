/* zi-lrfind.c — the learning-rate range test (see zi-lrfind.h). The model is a fresh one built for
 * the test and freed after it, so a running training is never touched. */
#include "config.h"
#include "zi-lrfind.h"
#include "zi-error.h"
#include "zi-image.h"
#include "zi-range.h"
#include "nn-pix2pix.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <math.h>
#include <string.h>

void
zi_lrfind_options_init (ZiLrFindOptions *o)
{
  g_return_if_fail (o != NULL);

  o->lr_min = 1e-6;
  o->lr_max = 1e-1;
  o->steps = 200;
  o->beta = 0.9;
  o->diverge = 4.0;
}

gboolean
zi_lrfind_options_check (const ZiLrFindOptions *o, GError **error)
{
  g_return_val_if_fail (o != NULL, FALSE);

  if (!zi_check_range (o->lr_min, 0.0, 10.0, ZI_RANGE_OPEN, _("The lowest learning rate of the test"), error)
      || !zi_check_range (o->lr_max, o->lr_min, 10.0, ZI_RANGE_OPEN_LOW,
                          _("The highest learning rate of the test"), error)
      || !zi_check_range (o->beta, 0.0, 1.0, ZI_RANGE_OPEN_HIGH, _("The smoothing of the test's loss"), error)
      || !zi_check_range (o->diverge, 1.0, INFINITY, ZI_RANGE_OPEN_LOW,
                          _("The test's divergence factor"), error))
    return FALSE;
  if (o->steps < 3)
    {
      g_set_error (error, ZI_ERROR, ZI_ERROR_INVALID,
                   _("The learning-rate test needs at least 3 steps (%u given)."), o->steps);
      return FALSE;
    }
  return TRUE;
}

void
zi_lrfind_result_free (ZiLrFindResult *r)
{
  if (r == NULL)
    return;
  g_free (r->lr);
  g_free (r->g_loss);
  g_free (r->d_loss);
  g_free (r->smoothed);
  g_free (r);
}

/* Bias-corrected exponential moving average (as Adam corrects its moments), so the first points
 * are not pulled towards zero. */
static void
smooth (const double *loss, guint n, double beta, double *out)
{
  double avg = 0.0;

  for (guint i = 0; i < n; i++)
    {
      avg = beta * avg + (1.0 - beta) * loss[i];
      out[i] = avg / (1.0 - pow (beta, i + 1));
    }
}

guint
zi_lrfind_suggest (const double *lr, const double *loss, guint n, double beta, double *smoothed)
{
  guint argmin = 0, best = G_MAXUINT;
  double steepest = 0.0;

  g_return_val_if_fail (n == 0 || (lr != NULL && loss != NULL && smoothed != NULL), G_MAXUINT);

  if (n < 3)
    {
      if (n > 0)
        smooth (loss, n, beta, smoothed);
      return G_MAXUINT;
    }
  smooth (loss, n, beta, smoothed);
  for (guint i = 1; i < n; i++)
    if (smoothed[i] < smoothed[argmin])
      argmin = i;
  /* Central differences in log(lr) up to the minimum: the most negative slope is where a rate
   * buys the most progress while still being well below the blow-up. */
  for (guint i = 1; i + 1 < n && i <= argmin; i++)
    {
      double dx = log (lr[i + 1]) - log (lr[i - 1]);
      double slope = dx > 0 ? (smoothed[i + 1] - smoothed[i - 1]) / dx : 0.0;
      if (slope < steepest)
        {
          steepest = slope;
          best = i;
        }
    }
  return best;
}

ZiLrFindResult *
zi_lrfind_run (const ZiTrainerConfig *cfg, const ZiDataset *data, const ZiLrFindOptions *options,
               ZiProgressFunc progress, gpointer user_data, GCancellable *cancellable, GError **error)
{
  g_autoptr(ZiLrFindResult) r = NULL;
  NnPix2Pix *model = NULL;
  NnOptConfig opt_g, opt_d;
  NnRng rng, order;
  NnStatus st;
  gsize pixels;
  int batch;
  double ratio, best_smoothed = INFINITY, avg = 0.0;

  g_return_val_if_fail (cfg != NULL && data != NULL && options != NULL, NULL);

  if (!zi_lrfind_options_check (options, error))
    return NULL;
  if (data->n == 0 || data->size != (guint) cfg->net.size)
    {
      g_set_error (error, ZI_ERROR, ZI_ERROR_INVALID,
                   _("The learning-rate test needs glyph pairs at %d px."), cfg->net.size);
      return NULL;
    }

  opt_g = cfg->opt_g;
  opt_d = cfg->opt_d;
  ratio = opt_d.lr > 0 ? (double) opt_d.lr / opt_g.lr : 1.0;
  if (opt_d.lr <= 0)
    opt_d.lr = opt_g.lr;
  st = nn_pix2pix_create (&model, &cfg->net, &opt_g, &opt_d, cfg->seed);
  if (st != NN_OK)
    {
      zi_error_from_nn (error, st, _("building the model for the learning-rate test"));
      return NULL;
    }
  if (cfg->threads > 0)
    nn_pix2pix_set_threads (model, (int) cfg->threads);

  batch = cfg->net.batch;
  pixels = (gsize) data->size * data->size;
  g_autofree float *src = g_new (float, (gsize) batch * pixels);
  g_autofree float *tgt = g_new (float, (gsize) batch * pixels);
  g_autofree guint8 *glyph = g_malloc (pixels);
  nn_rng_seed (&rng, cfg->seed ^ G_GUINT64_CONSTANT (0x5DEECE66D2B7E151));
  nn_rng_seed (&order, cfg->seed);

  r = g_new0 (ZiLrFindResult, 1);
  r->lr = g_new (double, options->steps);
  r->g_loss = g_new (double, options->steps);
  r->d_loss = g_new (double, options->steps);
  r->smoothed = g_new (double, options->steps);
  for (guint i = 0; i < options->steps; i++)
    {
      NnStepStats stats;
      double lr = options->lr_min * pow (options->lr_max / options->lr_min, (double) i / (options->steps - 1));

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        {
          nn_pix2pix_free (model);
          return NULL;
        }
      for (int b = 0; b < batch; b++)
        {
          guint k = nn_rng_below (&order, data->n);
          zi_dataset_get_source (data, k, glyph);
          zi_image_coverage_to_net (glyph, src + b * pixels, pixels);
          zi_dataset_get_train_target (data, k, glyph);
          zi_image_coverage_to_net (glyph, tgt + b * pixels, pixels);
        }
      st = nn_pix2pix_train_step (model, src, tgt, NULL, batch, (float) lr, (float) (lr * ratio), &rng, &stats);
      if (st == NN_ERR_NONFINITE)
        {
          r->diverged = TRUE;
          break;
        }
      if (st != NN_OK)
        {
          nn_pix2pix_free (model);
          zi_error_from_nn (error, st, _("learning-rate test step %u"), i + 1);
          return NULL;
        }
      r->lr[r->n] = lr;
      r->g_loss[r->n] = stats.g_loss;
      r->d_loss[r->n] = stats.d_loss;
      r->n++;
      avg = options->beta * avg + (1.0 - options->beta) * stats.g_loss;
      double sm = avg / (1.0 - pow (options->beta, r->n));
      best_smoothed = MIN (best_smoothed, sm);
      if (progress != NULL)
        progress (i + 1, options->steps, user_data);
      if (r->n > 10 && sm > options->diverge * best_smoothed)
        {
          r->diverged = TRUE;
          break;
        }
    }
  nn_pix2pix_free (model);

  r->suggested_index = zi_lrfind_suggest (r->lr, r->g_loss, r->n, options->beta, r->smoothed);
  r->suggested = r->suggested_index == G_MAXUINT ? 0.0 : r->lr[r->suggested_index];
  return g_steal_pointer (&r);
}

char *
zi_lrfind_result_to_json (const ZiLrFindResult *r)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  g_return_val_if_fail (r != NULL, NULL);

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "suggested_lr");
  if (r->suggested > 0)
    json_builder_add_double_value (b, r->suggested);
  else
    json_builder_add_null_value (b);
  json_builder_set_member_name (b, "diverged");
  json_builder_add_boolean_value (b, r->diverged);
  json_builder_set_member_name (b, "points");
  json_builder_begin_array (b);
  for (guint i = 0; i < r->n; i++)
    {
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "lr");
      json_builder_add_double_value (b, r->lr[i]);
      json_builder_set_member_name (b, "g_loss");
      json_builder_add_double_value (b, r->g_loss[i]);
      json_builder_set_member_name (b, "d_loss");
      json_builder_add_double_value (b, r->d_loss[i]);
      json_builder_set_member_name (b, "smoothed");
      json_builder_add_double_value (b, r->smoothed[i]);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  return json_to_string (root, TRUE);
}
