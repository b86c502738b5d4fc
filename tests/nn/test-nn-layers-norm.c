/* test-nn-layers-norm.c — the engine's normalisation layers: finite-difference gradient checks
 * (grad-check.h) of batch and instance norm, with and without affine parameters and with the
 * activation (and dropout mask) fused after them, moments of inputs far from zero, and batch norm's
 * training against evaluation mode. */
#include <glib.h>
#include <math.h>
#include <string.h>

#include "grad-check.h"
#include "nn-act.h"
#include "nn-norm.h"
#include "nn-rng.h"

/* ---- normalisation ---- */

typedef struct {
  int           c, n, hw, instance, affine;
  NnNormActKind kind;
  float        *x, *xhat, *inv, *g, *b, *y, *a, *r, *mask;
} NormCase;

#define TEST_SLOPE 0.2f

/* Σ out·r·mask, where out is the norm's output after its activation (LeakyReLU's in a). */
static double
norm_loss (gpointer p)
{
  NormCase *c = p;
  size_t total = (size_t) c->c * c->n * c->hw;
  NnNormAct act = { c->kind, TEST_SLOPE, c->a, NULL };
  if (c->instance)
    nn_instancenorm2d_forward (c->y, c->xhat, c->inv, c->x, c->affine ? c->g : NULL,
                               c->affine ? c->b : NULL, c->c, c->n, (size_t) c->hw, NN_NORM_EPS,
                               &act);
  else
    nn_batchnorm2d_forward_train (c->y, c->xhat, c->inv, NULL, NULL, c->x, c->g, c->b, c->c,
                                  (size_t) c->n * c->hw, NN_BN_MOMENTUM, NN_NORM_EPS, &act);
  const float *out = c->kind == NN_NORM_ACT_LRELU ? c->a : c->y;
  double sum = 0.0;
  for (size_t i = 0; i < total; i++)
    sum += (double) out[i] * c->r[i] * (c->mask != NULL ? c->mask[i] : 1.0f);
  return sum;
}

/* Moves each channel's β (a constant added to the run, for instance norm without affine) until
 * no v = γ·x̂ + β is within 0.01 of the activation's kink at 0, where central differences with
 * steps of 1e-3 would straddle it; then normalises again. */
static void
keep_off_kinks (NormCase *c)
{
  size_t per = (size_t) c->n * c->hw;
  for (int ch = 0; ch < c->c; ch++)
    for (int tries = 0; tries < 200; tries++)
      {
        float g = c->affine ? c->g[ch] : 1.0f, b = c->affine ? c->b[ch] : 0.0f;
        float nearest = INFINITY;
        for (size_t i = 0; i < per; i++)
          nearest = fminf (nearest, fabsf (g * c->xhat[ch * per + i] + b));
        if (nearest >= 0.01f)
          break;
        g_assert_true (c->affine);  /* without affine, β is 0: place x instead (not needed yet) */
        c->b[ch] += 0.0037f;
      }
  norm_loss (c);
}

static void
run_norm_case (int instance, int affine, int ch, int n, int hw, NnNormActKind kind, int masked)
{
  NnRng rng;
  nn_rng_seed (&rng, (uint64_t) (instance * 100 + ch * 10 + n + hw * 1000 + kind * 7 + masked));
  NormCase c = { ch, n, hw, instance, affine, kind };
  size_t total = (size_t) ch * n * hw;
  c.x = rand_buf (&rng, total, 2.0f);
  c.xhat = g_new (float, total);
  c.inv = g_new (float, (size_t) ch * n);
  c.g = rand_buf (&rng, (size_t) ch, 1.0f);
  c.b = rand_buf (&rng, (size_t) ch, 1.0f);
  c.y = g_new (float, total);
  c.a = g_new (float, total);
  c.r = rand_buf (&rng, total, 1.0f);
  if (masked)
    {
      /* Dropout's mask: zeros and the scale 1/(1 - p). */
      c.mask = rand_buf (&rng, total, 1.0f);
      for (size_t i = 0; i < total; i++)
        c.mask[i] = c.mask[i] > 0.0f ? 2.0f : 0.0f;
    }
  float *dx = g_new (float, total), *dg = g_new0 (float, ch), *db = g_new0 (float, ch);
  float *dx_add = g_new (float, total);
  /* dx_set overwrites (dx starts as NaN); without it the gradient is added (to ones here). */
  for (size_t i = 0; i < total; i++)
    {
      dx[i] = NAN;
      dx_add[i] = 1.0f;
    }

  norm_loss (&c);
  if (kind != NN_NORM_ACT_NONE)
    keep_off_kinks (&c);
  NnNormAct act = { kind, TEST_SLOPE, NULL, c.mask };
  for (int set = 1; set >= 0; set--)
    if (instance)
      nn_instancenorm2d_backward (set ? dx : dx_add, affine && set ? dg : NULL,
                                  affine && set ? db : NULL, c.r, c.xhat, c.inv,
                                  affine ? c.g : NULL, affine ? c.b : NULL, ch, n, (size_t) hw,
                                  set, &act);
    else
      nn_batchnorm2d_backward (set ? dx : dx_add, set ? dg : NULL, set ? db : NULL, c.r, c.xhat,
                               c.inv, c.g, c.b, ch, (size_t) n * hw, set, &act);
  for (size_t i = 0; i < total; i++)
    g_assert_cmpfloat_with_epsilon (dx_add[i] - 1.0f, dx[i], 1e-5 * (1.0 + fabs (dx[i])));
  g_free (dx_add);

  char what[96];
  g_snprintf (what, sizeof what, "%s c%d n%d hw%d act %d%s",
              instance ? "instancenorm" : "batchnorm", ch, n, hw, (int) kind,
              masked ? " masked" : "");
  check_grad (what, norm_loss, &c, c.x, dx, total, 1e-3f, 2e-3, 2e-2);
  if (!instance || affine)
    {
      check_grad (what, norm_loss, &c, c.g, dg, (size_t) ch, 1e-3f, 2e-3, 2e-2);
      check_grad (what, norm_loss, &c, c.b, db, (size_t) ch, 1e-3f, 2e-3, 2e-2);
    }
  g_free (c.x); g_free (c.xhat); g_free (c.inv); g_free (c.g); g_free (c.b); g_free (c.y);
  g_free (c.a); g_free (c.r); g_free (c.mask); g_free (dx); g_free (dg); g_free (db);
}

static void
test_batchnorm_grad (void)
{
  run_norm_case (0, 1, 3, 3, 20, NN_NORM_ACT_NONE, 0);
  run_norm_case (0, 1, 2, 1, 9, NN_NORM_ACT_NONE, 0);
  run_norm_case (0, 1, 4, 3, 1, NN_NORM_ACT_NONE, 0);
  run_norm_case (0, 1, 3, 3, 20, NN_NORM_ACT_LRELU, 0);
  run_norm_case (0, 1, 3, 2, 9, NN_NORM_ACT_RELU, 0);
  run_norm_case (0, 1, 3, 2, 9, NN_NORM_ACT_NONE, 1);
  run_norm_case (0, 1, 2, 3, 7, NN_NORM_ACT_LRELU, 1);
}

static void
test_instancenorm_grad (void)
{
  run_norm_case (1, 1, 3, 3, 15, NN_NORM_ACT_NONE, 0);
  run_norm_case (1, 0, 2, 1, 9, NN_NORM_ACT_NONE, 0);
  run_norm_case (1, 0, 2, 3, 4, NN_NORM_ACT_NONE, 0);
  run_norm_case (1, 1, 2, 3, 15, NN_NORM_ACT_LRELU, 0);
  run_norm_case (1, 0, 3, 2, 8, NN_NORM_ACT_LRELU, 1);
  run_norm_case (1, 1, 2, 2, 9, NN_NORM_ACT_RELU, 1);
}

/* The fused activations write what the norm followed by the separate activation layers writes,
 * bit for bit, in training and evaluation mode; LeakyReLU's output may be y itself. */
static void
test_norm_fused_act (void)
{
  NnRng rng;
  nn_rng_seed (&rng, 23);
  int ch = 3;
  size_t m = 1100;  /* more than one reduction block */
  float g[3] = { 1.0f, -0.5f, 2.0f }, b[3] = { 0.0f, 0.3f, -0.5f };
  float rmean[3] = { 0.1f, -0.2f, 0.0f }, rvar[3] = { 1.0f, 0.5f, 2.0f }, inv[3];
  float *x = rand_buf (&rng, ch * m, 2.0f);
  float *xhat = g_new (float, ch * m), *plain = g_new (float, ch * m);
  float *want = g_new (float, ch * m), *y = g_new (float, ch * m), *a = g_new (float, ch * m);

  for (int train = 1; train >= 0; train--)
    for (int kind = NN_NORM_ACT_NONE; kind <= NN_NORM_ACT_LRELU_RELU; kind++)
      for (int in_place = 0; in_place <= (kind == NN_NORM_ACT_LRELU); in_place++)
        {
          NnNormAct act = { kind, TEST_SLOPE, in_place ? y : a, NULL };
          if (train)
            {
              nn_batchnorm2d_forward_train (plain, xhat, inv, NULL, NULL, x, g, b, ch, m,
                                            NN_BN_MOMENTUM, NN_NORM_EPS, NULL);
              nn_batchnorm2d_forward_train (y, xhat, inv, NULL, NULL, x, g, b, ch, m,
                                            NN_BN_MOMENTUM, NN_NORM_EPS, &act);
            }
          else
            {
              nn_batchnorm2d_forward_eval (plain, x, g, b, rmean, rvar, ch, m, NN_NORM_EPS, NULL);
              nn_batchnorm2d_forward_eval (y, x, g, b, rmean, rvar, ch, m, NN_NORM_EPS, &act);
            }
          if (kind == NN_NORM_ACT_LRELU || kind == NN_NORM_ACT_LRELU_RELU)
            {
              nn_leaky_relu_forward (want, plain, TEST_SLOPE, ch * m);
              g_assert_cmpmem (in_place ? y : a, ch * m * sizeof (float), want,
                               ch * m * sizeof (float));
            }
          if (kind == NN_NORM_ACT_RELU || kind == NN_NORM_ACT_LRELU_RELU)
            nn_relu_forward (plain, plain, ch * m);
          if (!in_place)
            g_assert_cmpmem (y, ch * m * sizeof (float), plain, ch * m * sizeof (float));
        }
  g_free (x); g_free (xhat); g_free (plain); g_free (want); g_free (y); g_free (a);
}

/* The moments come from one pass around a shift, not from Σx² - (Σx)²/m, which loses the variance
 * of values far from zero: mean 1000, σ 0.01. */
static void
test_norm_moments_far_from_zero (void)
{
  NnRng rng;
  nn_rng_seed (&rng, 29);
  size_t m = 5000;
  float *x = rand_buf (&rng, m, 0.01f);
  x[0] = 1000.5f;  /* the first value is not the mean either */
  for (size_t i = 1; i < m; i++)
    x[i] += 1000.0f;
  double mean = 0.0, var = 0.0;
  for (size_t i = 0; i < m; i++)
    mean += x[i];
  mean /= (double) m;
  for (size_t i = 0; i < m; i++)
    var += ((double) x[i] - mean) * ((double) x[i] - mean);
  var /= (double) m;
  float g = 1.0f, b = 0.0f, inv, rmean = 0.0f, rvar = 0.0f;
  float *y = g_new (float, m), *xhat = g_new (float, m);
  nn_batchnorm2d_forward_train (y, xhat, &inv, &rmean, &rvar, x, &g, &b, 1, m, 1.0f, 0.0f, NULL);
  g_assert_cmpfloat_with_epsilon (rmean, mean, 1e-3);
  g_assert_cmpfloat_with_epsilon (rvar / (var * m / (m - 1)), 1.0, 1e-3);
  g_assert_cmpfloat_with_epsilon (inv * sqrt (var), 1.0, 1e-3);
  g_free (x); g_free (y); g_free (xhat);
}

/* Training mode normalises with the batch statistics and moves the running ones towards them;
 * evaluation mode uses the running ones. */
static void
test_batchnorm_train_eval (void)
{
  NnRng rng;
  nn_rng_seed (&rng, 11);
  int ch = 3;
  size_t m = 40;
  float *x = rand_buf (&rng, ch * m, 1.0f);
  for (size_t i = 0; i < m; i++)
    x[m + i] = 3.0f * x[m + i] + 2.0f;  /* channel 1: mean 2, larger spread */
  float g[3] = { 1.0f, 0.5f, 2.0f }, b[3] = { 0.0f, -1.0f, 0.5f };
  float rmean[3] = { 0, 0, 0 }, rvar[3] = { 1, 1, 1 }, inv[3];
  float *xhat = g_new (float, ch * m), *ytrain = g_new (float, ch * m), *yeval = g_new (float, ch * m);

  nn_batchnorm2d_forward_train (ytrain, xhat, inv, rmean, rvar, x, g, b, ch, m, NN_BN_MOMENTUM,
                                NN_NORM_EPS, NULL);
  for (int c = 0; c < ch; c++)
    {
      double mean = 0, var = 0;
      for (size_t i = 0; i < m; i++)
        mean += x[c * m + i];
      mean /= m;
      for (size_t i = 0; i < m; i++)
        var += (x[c * m + i] - mean) * (x[c * m + i] - mean);
      double uvar = var / (m - 1);
      var /= m;
      /* One update with momentum 0.1 from (0, 1). */
      g_assert_cmpfloat_with_epsilon (rmean[c], 0.1 * mean, 1e-5);
      g_assert_cmpfloat_with_epsilon (rvar[c], 0.9 + 0.1 * uvar, 1e-5);
      for (size_t i = 0; i < m; i++)
        {
          double want = g[c] * (x[c * m + i] - mean) / sqrt (var + NN_NORM_EPS) + b[c];
          g_assert_cmpfloat_with_epsilon (ytrain[c * m + i], want, 1e-4);
        }
    }
  /* After many passes the running statistics are the batch's (variance unbiased). */
  for (int it = 0; it < 300; it++)
    nn_batchnorm2d_forward_train (ytrain, xhat, inv, rmean, rvar, x, g, b, ch, m, NN_BN_MOMENTUM,
                                  NN_NORM_EPS, NULL);
  nn_batchnorm2d_forward_eval (yeval, x, g, b, rmean, rvar, ch, m, NN_NORM_EPS, NULL);
  double k = sqrt ((double) (m - 1) / m);
  for (int c = 0; c < ch; c++)
    for (size_t i = 0; i < m; i++)
      {
        /* Eval divides by the unbiased σ: (y_train - β)·sqrt((m-1)/m) = y_eval - β. */
        double want = (ytrain[c * m + i] - b[c]) * k + b[c];
        g_assert_cmpfloat_with_epsilon (yeval[c * m + i], want, 1e-4);
      }
  /* Evaluation of a single value uses the running statistics, not its own. */
  float one = 5.0f, out;
  nn_batchnorm2d_forward_eval (&out, &one, g, b, rmean, rvar, 1, 1, NN_NORM_EPS, NULL);
  g_assert_cmpfloat_with_epsilon (out, g[0] * (5.0f - rmean[0]) / sqrtf (rvar[0] + NN_NORM_EPS) + b[0],
                                  1e-4);
  g_assert_cmpfloat (fabsf (out - b[0]), >, 0.5f);
  g_free (x); g_free (xhat); g_free (ytrain); g_free (yeval);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/nn/batchnorm/gradcheck", test_batchnorm_grad);
  g_test_add_func ("/nn/batchnorm/train-eval", test_batchnorm_train_eval);
  g_test_add_func ("/nn/instancenorm/gradcheck", test_instancenorm_grad);
  g_test_add_func ("/nn/norm/fused-activation", test_norm_fused_act);
  g_test_add_func ("/nn/norm/moments-far-from-zero", test_norm_moments_far_from_zero);
  return g_test_run ();
}
