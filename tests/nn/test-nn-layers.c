/* test-nn-layers.c — the engine's layers and losses: finite-difference gradient checks (central
 * differences, sums in double) w.r.t. inputs and parameters at several shapes, the im2col convolutions
 * against naive direct ones, batch norm train vs eval, dropout determinism, and a tiny conv
 * autoencoder that must learn.
 *
 * A gradient check projects the layer output on a fixed random tensor r (L = Σ r·y), runs backward
 * with dy = r, and compares each analytic ∂L/∂θ with (L(θ + ε) - L(θ - ε)) / 2ε. */
#include <glib.h>
#include <math.h>
#include <string.h>

#include "naive-conv.h"
#include "nn-act.h"
#include "nn-conv.h"
#include "nn-init.h"
#include "nn-loss.h"
#include "nn-misc.h"
#include "nn-norm.h"
#include "nn-optim.h"
#include "nn-pool.h"
#include "nn-rng.h"

/* ---- helpers ---- */

static float *
rand_buf (NnRng *rng, size_t n, float scale)
{
  float *p = g_new (float, n);
  for (size_t i = 0; i < n; i++)
    p[i] = scale * (2.0f * nn_rng_uniform (rng) - 1.0f);
  return p;
}

/* Values at least 0.05 away from 0, for functions with a kink there. */
static float *
rand_away_from_zero (NnRng *rng, size_t n)
{
  float *p = g_new (float, n);
  for (size_t i = 0; i < n; i++)
    {
      float u = nn_rng_uniform (rng);
      p[i] = (nn_rng_uniform (rng) < 0.5f ? -1.0f : 1.0f) * (0.05f + u);
    }
  return p;
}

static double
dot (const float *a, const float *b, size_t n)
{
  double acc = 0.0;
  for (size_t i = 0; i < n; i++)
    acc += (double) a[i] * b[i];
  return acc;
}

/* A layer under test: evaluates L for the current inputs and parameters. */
typedef double (*LossFn) (gpointer ctx);

/* Compares the analytic gradient grad[n] of the tensor theta[n] with central differences of fn,
 * on every element (or every stride-th one for big tensors). */
static void
check_grad (const char *what, LossFn fn, gpointer ctx, float *theta, const float *grad, size_t n,
            float eps, double atol, double rtol)
{
  size_t stride = n > 400 ? n / 200 : 1;
  double worst = 0.0;
  for (size_t i = 0; i < n; i += stride)
    {
      float keep = theta[i];
      theta[i] = keep + eps;
      double lp = fn (ctx);
      theta[i] = keep - eps;
      double lm = fn (ctx);
      theta[i] = keep;
      double fd = (lp - lm) / (2.0 * eps);
      double err = fabs (fd - grad[i]);
      double tol = atol + rtol * fabs (fd);
      if (err > tol)
        g_error ("%s: element %zu of %zu: analytic %.6g, finite difference %.6g", what, i, n,
                 (double) grad[i], fd);
      worst = fmax (worst, err / tol);
    }
  g_test_message ("%s: worst error / tolerance %.3f", what, worst);
}

/* ---- convolution ---- */

typedef struct {
  NnConv2d geo;
  int      n, transposed, bias;
  float   *x, *w, *b, *y, *r, *col;
} ConvCase;

static double
conv_loss (gpointer p)
{
  ConvCase *c = p;
  if (c->transposed)
    nn_conv_transpose2d_forward (c->y, c->col, c->x, c->w, c->bias ? c->b : NULL, &c->geo, c->n);
  else
    nn_conv2d_forward (c->y, c->col, c->x, c->w, c->bias ? c->b : NULL, &c->geo, c->n);
  return dot (c->y, c->r, (size_t) c->geo.co * c->n * c->geo.ho * c->geo.wo);
}

static void
run_conv_case (int transposed, int ci, int co, int k, int s, int p, int h, int w, int n, int bias)
{
  NnRng rng;
  ConvCase c = { .n = n, .transposed = transposed, .bias = bias };
  nn_rng_seed (&rng, (uint64_t) (ci * 131 + co * 17 + k * 7 + s * 3 + p + h * 1000 + n));
  if (transposed)
    nn_conv_transpose2d_init (&c.geo, ci, co, k, s, p, h, w);
  else
    nn_conv2d_init (&c.geo, ci, co, k, s, p, h, w);
  size_t nx = (size_t) ci * n * h * w;
  size_t nw = (size_t) ci * co * k * k;
  size_t ny = (size_t) co * n * c.geo.ho * c.geo.wo;
  size_t ncol = transposed ? nn_conv_transpose2d_scratch_floats (&c.geo, n)
                           : nn_conv2d_scratch_floats (&c.geo, n);
  c.x = rand_buf (&rng, nx, 1.0f);
  c.w = rand_buf (&rng, nw, 0.5f);
  c.b = rand_buf (&rng, (size_t) co, 0.5f);
  c.r = rand_buf (&rng, ny, 1.0f);
  c.y = g_new (float, ny);
  c.col = g_new (float, ncol + 1);

  /* Forward against the naive direct form. */
  float *ref = g_new (float, ny);
  conv_loss (&c);
  if (transposed)
    naive_conv_transpose2d (ref, c.x, c.w, bias ? c.b : NULL, &c.geo, n);
  else
    naive_conv2d (ref, c.x, c.w, bias ? c.b : NULL, &c.geo, n);
  for (size_t i = 0; i < ny; i++)
    g_assert_cmpfloat_with_epsilon (c.y[i], ref[i], 1e-4 * (1.0 + fabs (ref[i])));

  /* Backward adds: start the gradients from a known non-zero value and subtract it after. */
  float *dx = g_new (float, nx), *dw = g_new (float, nw), *db = g_new (float, co);
  for (size_t i = 0; i < nx; i++)
    dx[i] = 1.0f;
  for (size_t i = 0; i < nw; i++)
    dw[i] = 1.0f;
  for (int i = 0; i < co; i++)
    db[i] = 1.0f;
  if (transposed)
    nn_conv_transpose2d_backward (dx, dw, bias ? db : NULL, c.col, c.r, c.x, c.w, &c.geo, n);
  else
    nn_conv2d_backward (dx, dw, bias ? db : NULL, c.col, c.r, c.x, c.w, &c.geo, n);
  for (size_t i = 0; i < nx; i++)
    dx[i] -= 1.0f;
  for (size_t i = 0; i < nw; i++)
    dw[i] -= 1.0f;
  for (int i = 0; i < co; i++)
    db[i] -= 1.0f;

  char what[128];
  g_snprintf (what, sizeof what, "%s ci%d co%d k%d s%d p%d %dx%d n%d", transposed ? "convT" : "conv",
              ci, co, k, s, p, h, w, n);
  /* A conv is linear in x and in w: central differences are exact up to rounding. */
  check_grad (what, conv_loss, &c, c.x, dx, nx, 1e-2f, 2e-3, 2e-3);
  check_grad (what, conv_loss, &c, c.w, dw, nw, 1e-2f, 2e-3, 2e-3);
  if (bias)
    check_grad (what, conv_loss, &c, c.b, db, (size_t) co, 1e-2f, 2e-3, 2e-3);

  g_free (c.x); g_free (c.w); g_free (c.b); g_free (c.r); g_free (c.y); g_free (c.col);
  g_free (ref); g_free (dx); g_free (dw); g_free (db);
}

static void
test_conv2d (void)
{
  run_conv_case (0, 3, 4, 3, 1, 1, 5, 7, 1, 1);
  run_conv_case (0, 2, 3, 4, 2, 1, 9, 8, 3, 1);
  run_conv_case (0, 2, 5, 3, 2, 0, 7, 7, 3, 0);
  run_conv_case (0, 4, 3, 1, 1, 0, 5, 3, 3, 1);   /* 1×1: no column matrix */
  run_conv_case (0, 3, 2, 4, 1, 1, 6, 6, 2, 0);   /* PatchGAN's stride-1 layers */
  run_conv_case (0, 1, 2, 2, 3, 0, 7, 8, 1, 1);   /* stride larger than the kernel */
  /* Few output channels: computed from the output side (Co·Hi·Wi < Ci·Ho·Wo). */
  run_conv_case (0, 6, 1, 4, 1, 1, 7, 7, 3, 1);   /* the PatchGAN's last layer */
  run_conv_case (0, 8, 2, 3, 2, 1, 7, 6, 3, 0);
  run_conv_case (0, 5, 2, 4, 1, 1, 6, 6, 1, 1);
  /* Planes of over 1024 outputs: the column matrix is filled a block of images at a time. */
  run_conv_case (0, 3, 4, 4, 2, 1, 64, 66, 3, 1);
  /* k 4, s 2, p 1 on even sizes takes the column transforms' fast path (nn-conv.c), down to one
   * output column; an odd size the general one. */
  run_conv_case (0, 3, 2, 4, 2, 1, 6, 2, 2, 1);
  run_conv_case (0, 2, 3, 4, 2, 1, 8, 7, 2, 0);
  /* k 4, s 1, p 1 (the PatchGAN's third layer) has a path of its own for widths from 4; width 3
   * takes the general one. */
  run_conv_case (0, 3, 4, 4, 1, 1, 4, 4, 2, 1);
  run_conv_case (0, 2, 5, 4, 1, 1, 9, 5, 3, 0);
  run_conv_case (0, 2, 3, 4, 1, 1, 2, 11, 2, 1);
  run_conv_case (0, 3, 4, 4, 1, 1, 5, 3, 2, 1);
}

static void
test_conv_transpose2d (void)
{
  run_conv_case (1, 3, 2, 4, 2, 1, 3, 4, 3, 1);
  run_conv_case (1, 2, 3, 3, 1, 0, 4, 5, 1, 0);
  run_conv_case (1, 2, 2, 3, 2, 1, 5, 3, 3, 1);
  run_conv_case (1, 4, 3, 1, 1, 0, 3, 3, 2, 1);   /* 1×1 */
  run_conv_case (1, 3, 1, 4, 2, 1, 1, 1, 3, 1);   /* the U-Net's 1×1 bottleneck */
  run_conv_case (1, 4, 2, 4, 2, 1, 33, 32, 3, 1);  /* blocks of images */
  run_conv_case (1, 3, 2, 4, 2, 1, 2, 1, 2, 0);    /* fast path, one input column */
  run_conv_case (1, 2, 2, 4, 2, 1, 4, 6, 1, 1);    /* fast path, output overwritten: no zeroing */
}

/* ⟨conv(x), y⟩ = ⟨x, convT(y)⟩ with the same weights: the transposed conv is the adjoint. */
static void
test_conv_adjoint (void)
{
  NnRng rng;
  nn_rng_seed (&rng, 7);
  NnConv2d c, t;
  int n = 2;
  nn_conv2d_init (&c, 3, 5, 4, 2, 1, 8, 6);
  nn_conv_transpose2d_init (&t, 5, 3, 4, 2, 1, c.ho, c.wo);
  g_assert_cmpint (t.ho, ==, 8);
  g_assert_cmpint (t.wo, ==, 6);
  size_t nx = (size_t) 3 * n * 8 * 6, ny = (size_t) 5 * n * c.ho * c.wo;
  float *x = rand_buf (&rng, nx, 1.0f), *y = rand_buf (&rng, ny, 1.0f);
  float *w = rand_buf (&rng, (size_t) 5 * 3 * 16, 1.0f);
  float *cx = g_new (float, ny), *ty = g_new (float, nx);
  float *col = g_new (float, nn_conv2d_scratch_floats (&c, n)
                                 + nn_conv_transpose2d_scratch_floats (&t, n));
  nn_conv2d_forward (cx, col, x, w, NULL, &c, n);
  /* The conv's weight [Co=5, Ci=3, K, K] is the transposed conv's [Ci=5, Co=3, K, K]. */
  nn_conv_transpose2d_forward (ty, col, y, w, NULL, &t, n);
  double a = dot (cx, y, ny), b = dot (x, ty, nx);
  g_assert_cmpfloat_with_epsilon (a, b, 1e-4 * (1.0 + fabs (a)));
  g_free (x); g_free (y); g_free (w); g_free (cx); g_free (ty); g_free (col);
}

/* The threaded parts of each pass (nn-conv.h), run one after the other, give the plain result up to
 * rounding (OpenBLAS's edge kernels sum a narrower block in another order). */
static void
assert_close (const float *a, const float *b, size_t n)
{
  /* Sums of thousands of terms cancel: the rounding scales with the largest value, not each one. */
  double scale = 1.0;
  for (size_t i = 0; i < n; i++)
    scale = fmax (scale, fabs (a[i]));
  for (size_t i = 0; i < n; i++)
    g_assert_cmpfloat_with_epsilon (a[i], b[i], 1e-5 * scale);
}

static void
run_parts_case (int transposed, int ci, int co, int k, int s, int p, int h, int wd, int n)
{
  NnRng rng;
  NnConv2d c;
  nn_rng_seed (&rng, (uint64_t) (ci + co * 10 + k * 100 + n * 1000 + transposed));
  if (transposed)
    nn_conv_transpose2d_init (&c, ci, co, k, s, p, h, wd);
  else
    nn_conv2d_init (&c, ci, co, k, s, p, h, wd);
  size_t nx = (size_t) ci * n * h * wd, ny = (size_t) co * n * c.ho * c.wo;
  size_t nw = (size_t) ci * co * k * k;
  size_t ncol = (transposed ? nn_conv_transpose2d_scratch_floats (&c, n)
                            : nn_conv2d_scratch_floats (&c, n)) + 1;
  float *x = rand_buf (&rng, nx, 1.0f), *w = rand_buf (&rng, nw, 1.0f), *b = rand_buf (&rng, co, 1.0f);
  float *dy = rand_buf (&rng, ny, 1.0f), *col = g_new (float, ncol);
  float *y1 = g_new (float, ny), *y2 = g_new (float, ny);
  float *dx1 = g_new0 (float, nx), *dx2 = g_new0 (float, nx);
  /* dx_set overwrites: a buffer full of NaN must come out as the plain gradient from zero. */
  float *dx3 = g_new (float, nx);
  for (size_t i = 0; i < nx; i++)
    dx3[i] = NAN;
  float *dw1 = g_new0 (float, nw), *dw2 = g_new0 (float, nw);
  float *db1 = g_new0 (float, co), *db2 = g_new0 (float, co);
  int parts = 3;

  if (transposed)
    {
      nn_conv_transpose2d_forward (y1, col, x, w, b, &c, n);
      nn_conv_transpose2d_backward (dx1, dw1, db1, col, dy, x, w, &c, n);
      for (int i = 0; i < parts; i++)
        nn_conv_transpose2d_forward_part (y2, col, x, w, b, &c, n, i, parts);
      for (int i = 0; i < parts; i++)
        nn_conv_transpose2d_backward_weight_part (dw2, db2, col, dy, x, &c, n, i, parts);
      for (int i = 0; i < parts; i++)
        nn_conv_transpose2d_backward_data_part (dx2, col, dy, w, &c, n, i, parts, 0);
      for (int i = 0; i < parts; i++)
        nn_conv_transpose2d_backward_data_part (dx3, col, dy, w, &c, n, i, parts, 1);
    }
  else
    {
      nn_conv2d_forward (y1, col, x, w, b, &c, n);
      nn_conv2d_backward (dx1, dw1, db1, col, dy, x, w, &c, n);
      for (int i = 0; i < parts; i++)
        nn_conv2d_forward_part (y2, col, x, w, b, &c, n, i, parts);
      for (int i = 0; i < parts; i++)
        nn_conv2d_backward_part (dx2, dw2, db2, col, dy, x, w, &c, n, i, parts, 0);
      for (int i = 0; i < parts; i++)
        nn_conv2d_backward_part (dx3, NULL, NULL, col, dy, x, w, &c, n, i, parts, 1);
    }
  assert_close (y1, y2, ny);
  assert_close (dx1, dx2, nx);
  assert_close (dx1, dx3, nx);
  assert_close (dw1, dw2, nw);
  assert_close (db1, db2, co);
  g_free (x); g_free (w); g_free (b); g_free (dy); g_free (col); g_free (y1); g_free (y2);
  g_free (dx1); g_free (dx2); g_free (dx3); g_free (dw1); g_free (dw2); g_free (db1); g_free (db2);
}

static void
test_conv_parts (void)
{
  run_parts_case (0, 5, 7, 4, 2, 1, 16, 12, 4);   /* im2col */
  run_parts_case (0, 6, 4, 1, 1, 0, 5, 5, 3);     /* pointwise */
  run_parts_case (0, 9, 1, 4, 1, 1, 7, 7, 3);     /* output side */
  run_parts_case (0, 2, 3, 3, 1, 1, 6, 6, 2);     /* fewer input channels than parts */
  run_parts_case (0, 3, 4, 4, 2, 1, 9, 7, 3);     /* k 4, s 2 off the fast path (odd sizes) */
  run_parts_case (1, 7, 5, 4, 2, 1, 6, 5, 4);     /* transposed */
  run_parts_case (1, 6, 4, 1, 1, 0, 4, 4, 2);     /* transposed pointwise */
  run_parts_case (0, 4, 3, 4, 2, 1, 66, 64, 5);   /* blocks of images */
  run_parts_case (1, 5, 3, 4, 2, 1, 32, 33, 5);
  run_parts_case (1, 4, 2, 4, 2, 1, 8, 8, 5);     /* fewer output channels than parts */
  run_parts_case (0, 5, 7, 4, 1, 1, 8, 6, 4);     /* k 4, s 1: overwritten rows, then added */
  run_parts_case (0, 4, 6, 4, 1, 1, 4, 4, 3);
}

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

/* ---- element-wise layers ---- */

typedef struct {
  int    kind;
  size_t n;
  float *x, *y, *r, *mask;
  uint64_t seed;
} ActCase;

enum { ACT_LRELU, ACT_RELU, ACT_TANH, ACT_SIGMOID, ACT_DROPOUT };

static double
act_loss (gpointer p)
{
  ActCase *c = p;
  NnRng rng;
  switch (c->kind)
    {
    case ACT_LRELU: nn_leaky_relu_forward (c->y, c->x, 0.2f, c->n); break;
    case ACT_RELU: nn_relu_forward (c->y, c->x, c->n); break;
    case ACT_TANH: nn_tanh_forward (c->y, c->x, c->n); break;
    case ACT_SIGMOID: nn_sigmoid_forward (c->y, c->x, c->n); break;
    default:
      /* The same seed every time: the same mask. */
      nn_rng_seed (&rng, c->seed);
      nn_dropout_forward (c->y, c->mask, c->x, 0.5f, c->n, &rng);
      break;
    }
  return dot (c->y, c->r, c->n);
}

static void
test_activations_grad (void)
{
  static const char *const names[] = { "leaky_relu", "relu", "tanh", "sigmoid", "dropout" };
  for (int kind = ACT_LRELU; kind <= ACT_DROPOUT; kind++)
    {
      NnRng rng;
      nn_rng_seed (&rng, 100 + kind);
      ActCase c = { kind, 3 * 5 * 7, NULL, NULL, NULL, NULL, 42 };
      c.x = rand_away_from_zero (&rng, c.n);
      c.y = g_new (float, c.n);
      c.r = rand_buf (&rng, c.n, 1.0f);
      c.mask = g_new (float, c.n);
      float *dx = g_new0 (float, c.n);
      act_loss (&c);
      switch (kind)
        {
        case ACT_LRELU: nn_leaky_relu_backward (dx, c.r, c.y, 0.2f, c.n); break;
        case ACT_RELU: nn_relu_backward (dx, c.r, c.y, c.n); break;
        case ACT_TANH: nn_tanh_backward (dx, c.r, c.y, c.n); break;
        case ACT_SIGMOID: nn_sigmoid_backward (dx, c.r, c.y, c.n); break;
        default: nn_dropout_backward (dx, c.r, c.mask, c.n); break;
        }
      check_grad (names[kind], act_loss, &c, c.x, dx, c.n, 1e-3f, 1e-3, 1e-2);

      /* The in-place gradient forms agree with the adding ones. */
      if (kind == ACT_LRELU || kind == ACT_RELU)
        {
          float *d = g_memdup2 (c.r, c.n * sizeof (float));
          if (kind == ACT_LRELU)
            nn_leaky_relu_grad_inplace (d, c.y, 0.2f, c.n);
          else
            nn_relu_grad_inplace (d, c.y, c.n);
          for (size_t i = 0; i < c.n; i++)
            g_assert_cmpfloat (d[i], ==, dx[i]);
          g_free (d);
        }
      g_free (c.x); g_free (c.y); g_free (c.r); g_free (c.mask); g_free (dx);
    }
}

static void
test_dropout_determinism (void)
{
  size_t n = 20000;
  float *x = g_new (float, n), *y1 = g_new (float, n), *y2 = g_new (float, n);
  float *m1 = g_new (float, n), *m2 = g_new (float, n);
  for (size_t i = 0; i < n; i++)
    x[i] = 1.0f;
  NnRng a, b;
  nn_rng_seed (&a, 5);
  nn_rng_seed (&b, 5);
  nn_dropout_forward (y1, m1, x, 0.3f, n, &a);
  nn_dropout_forward (y2, m2, x, 0.3f, n, &b);
  g_assert_cmpmem (y1, n * sizeof (float), y2, n * sizeof (float));
  /* A different seed gives a different mask; the kept fraction is about 1 - p, scaled 1/(1-p). */
  nn_rng_seed (&b, 6);
  nn_dropout_forward (y2, m2, x, 0.3f, n, &b);
  g_assert_true (memcmp (y1, y2, n * sizeof (float)) != 0);
  size_t kept = 0;
  for (size_t i = 0; i < n; i++)
    {
      g_assert_true (y1[i] == 0.0f || fabsf (y1[i] - 1.0f / 0.7f) < 1e-6f);
      kept += y1[i] != 0.0f;
    }
  g_assert_cmpfloat (fabs ((double) kept / n - 0.7), <, 0.02);
  g_free (x); g_free (y1); g_free (y2); g_free (m1); g_free (m2);
}

/* ---- concat, embedding, linear ---- */

typedef struct {
  int    in, out, n;
  float *x, *w, *b, *y, *r;
} LinCase;

static double
linear_loss (gpointer p)
{
  LinCase *c = p;
  nn_linear_forward (c->y, c->x, c->w, c->b, c->in, c->out, c->n);
  return dot (c->y, c->r, (size_t) c->out * c->n);
}

static void
test_linear_grad (void)
{
  static const int shapes[][3] = { { 5, 3, 1 }, { 4, 6, 3 } };
  for (int s = 0; s < 2; s++)
    {
      NnRng rng;
      nn_rng_seed (&rng, 300 + s);
      LinCase c = { shapes[s][0], shapes[s][1], shapes[s][2] };
      size_t nx = (size_t) c.in * c.n, nw = (size_t) c.in * c.out, ny = (size_t) c.out * c.n;
      c.x = rand_buf (&rng, nx, 1.0f);
      c.w = rand_buf (&rng, nw, 1.0f);
      c.b = rand_buf (&rng, (size_t) c.out, 1.0f);
      c.y = g_new (float, ny);
      c.r = rand_buf (&rng, ny, 1.0f);
      float *dx = g_new0 (float, nx), *dw = g_new0 (float, nw), *db = g_new0 (float, c.out);
      linear_loss (&c);
      /* Against the definition y[o, j] = Σ_i w[o, i]·x[i, j] + b[o]. */
      for (int o = 0; o < c.out; o++)
        for (int j = 0; j < c.n; j++)
          {
            double acc = c.b[o];
            for (int i = 0; i < c.in; i++)
              acc += (double) c.w[o * c.in + i] * c.x[i * c.n + j];
            g_assert_cmpfloat_with_epsilon (c.y[o * c.n + j], acc, 1e-5);
          }
      nn_linear_backward (dx, dw, db, c.r, c.x, c.w, c.in, c.out, c.n);
      check_grad ("linear x", linear_loss, &c, c.x, dx, nx, 1e-2f, 1e-3, 1e-3);
      check_grad ("linear w", linear_loss, &c, c.w, dw, nw, 1e-2f, 1e-3, 1e-3);
      check_grad ("linear b", linear_loss, &c, c.b, db, (size_t) c.out, 1e-2f, 1e-3, 1e-3);
      g_free (c.x); g_free (c.w); g_free (c.b); g_free (c.y); g_free (c.r);
      g_free (dx); g_free (dw); g_free (db);
    }
}

typedef struct {
  float *a, *b, *y, *r, *table;
  int    ca, cb, d, s, n;
  size_t m, hw;
  int   *index;
} MiscCase;

static double
concat_loss (gpointer p)
{
  MiscCase *c = p;
  nn_concat_forward (c->y, c->a, c->b, c->ca, c->cb, c->m);
  return dot (c->y, c->r, (size_t) (c->ca + c->cb) * c->m);
}

static double
embedding_loss (gpointer p)
{
  MiscCase *c = p;
  nn_embedding_forward (c->y, c->table, c->index, c->d, c->n, c->hw);
  return dot (c->y, c->r, (size_t) c->d * c->n * c->hw);
}

static void
test_concat_embedding_grad (void)
{
  NnRng rng;
  nn_rng_seed (&rng, 400);
  MiscCase c = { 0 };
  c.ca = 2;
  c.cb = 3;
  c.m = 3 * 5;
  c.a = rand_buf (&rng, c.ca * c.m, 1.0f);
  c.b = rand_buf (&rng, c.cb * c.m, 1.0f);
  c.y = g_new (float, (c.ca + c.cb) * c.m);
  c.r = rand_buf (&rng, (c.ca + c.cb) * c.m, 1.0f);
  float *da = g_new0 (float, c.ca * c.m), *db = g_new0 (float, c.cb * c.m);
  concat_loss (&c);
  g_assert_cmpfloat (c.y[c.ca * c.m], ==, c.b[0]);
  nn_concat_backward (da, db, c.r, c.ca, c.cb, c.m);
  check_grad ("concat a", concat_loss, &c, c.a, da, c.ca * c.m, 1e-2f, 1e-4, 1e-4);
  check_grad ("concat b", concat_loss, &c, c.b, db, c.cb * c.m, 1e-2f, 1e-4, 1e-4);
  g_free (c.a); g_free (c.b); g_free (c.y); g_free (c.r); g_free (da); g_free (db);

  /* Embedding: 4 styles of width 3, a batch of 3 that uses style 2 twice, broadcast over 2×2. */
  int index[3] = { 2, 0, 2 };
  c.d = 3;
  c.s = 4;
  c.n = 3;
  c.hw = 4;
  c.index = index;
  c.table = rand_buf (&rng, (size_t) c.s * c.d, 1.0f);
  c.y = g_new (float, (size_t) c.d * c.n * c.hw);
  c.r = rand_buf (&rng, (size_t) c.d * c.n * c.hw, 1.0f);
  float *dt = g_new0 (float, (size_t) c.s * c.d);
  embedding_loss (&c);
  g_assert_cmpfloat (c.y[(1 * c.n + 2) * c.hw + 3], ==, c.table[2 * c.d + 1]);
  nn_embedding_backward (dt, c.r, index, c.d, c.n, c.hw);
  check_grad ("embedding", embedding_loss, &c, c.table, dt, (size_t) c.s * c.d, 1e-2f, 1e-4, 1e-4);
  for (int k = 0; k < c.d; k++)
    g_assert_cmpfloat (dt[1 * c.d + k], ==, 0.0f);  /* style 1 is unused */
  g_free (c.table); g_free (c.y); g_free (c.r); g_free (dt);
}

/* ---- losses ---- */

typedef struct {
  int    kind;
  size_t n;
  float *x, *t, scale;
  int    h, w;
} LossCase;

enum { L_BCE, L_BCE_LABEL, L_LSGAN, L_HINGE_REAL, L_HINGE_FAKE, L_HINGE_G, L_L1, L_MSE_A, L_MSE_B,
       L_TV, L_COUNT };

static float
loss_eval (LossCase *c, float *dx, float *dt)
{
  switch (c->kind)
    {
    case L_BCE: return nn_loss_bce_logits (dx, c->x, c->t, 0.0f, c->n, c->scale);
    case L_BCE_LABEL: return nn_loss_bce_logits (dx, c->x, NULL, 1.0f, c->n, c->scale);
    case L_LSGAN: return nn_loss_lsgan (dx, c->x, 1.0f, c->n, c->scale);
    case L_HINGE_REAL: return nn_loss_hinge_d (dx, c->x, 1, c->n, c->scale);
    case L_HINGE_FAKE: return nn_loss_hinge_d (dx, c->x, 0, c->n, c->scale);
    case L_HINGE_G: return nn_loss_hinge_g (dx, c->x, c->n, c->scale);
    case L_L1: return nn_loss_l1 (dx, c->x, c->t, c->n, c->scale);
    case L_MSE_A: return nn_loss_mse (dx, dt, c->x, c->t, c->n, c->scale);
    case L_MSE_B: return nn_loss_mse (dt, dx, c->t, c->x, c->n, c->scale);
    default: return nn_loss_tv (dx, c->x, c->n / ((size_t) c->h * c->w), c->h, c->w, c->scale);
    }
}

static double
loss_fn (gpointer p)
{
  LossCase *c = p;
  return c->scale * (double) loss_eval (c, NULL, NULL);
}

static void
test_losses_grad (void)
{
  static const char *const names[] = { "bce", "bce label", "lsgan", "hinge real", "hinge fake",
                                       "hinge g", "l1", "mse a", "mse b", "tv" };
  for (int kind = 0; kind < L_COUNT; kind++)
    {
      NnRng rng;
      nn_rng_seed (&rng, 500 + kind);
      LossCase c = { kind, 2 * 5 * 6, NULL, NULL, 0.7f, 5, 6 };
      c.x = g_new (float, c.n);
      c.t = g_new (float, c.n);
      for (size_t i = 0; i < c.n; i++)
        {
          /* Kinks (hinge at ±1, L1 at x = t, TV at equal neighbours) stay ≥ 0.05 away. */
          int yy = (int) (i / c.w) % c.h, xx = (int) (i % c.w);
          c.t[i] = 2.0f * nn_rng_uniform (&rng) - 1.0f;
          float off = (0.1f + nn_rng_uniform (&rng)) * (nn_rng_uniform (&rng) < 0.5f ? -1.0f : 1.0f);
          float sign = nn_rng_uniform (&rng) < 0.5f ? -1.0f : 1.0f;
          if (kind == L_TV)
            c.x[i] = 0.1f * ((3 * xx + 7 * yy) % 11) + 0.01f * nn_rng_uniform (&rng);
          else if (kind == L_L1)
            c.x[i] = c.t[i] + off;
          else if (kind == L_HINGE_REAL || kind == L_HINGE_FAKE)
            c.x[i] = sign + off;
          else
            c.x[i] = 3.0f * (2.0f * nn_rng_uniform (&rng) - 1.0f);
          if (kind == L_BCE)
            c.t[i] = nn_rng_uniform (&rng);
        }
      float *dx = g_new0 (float, c.n), *dt = g_new0 (float, c.n);
      loss_eval (&c, dx, dt);
      check_grad (names[kind], loss_fn, &c, c.x, dx, c.n, 1e-2f, 1e-4, 1e-2);
      g_free (c.x); g_free (c.t); g_free (dx); g_free (dt);
    }
}

/* Values of the losses against their definitions at chosen points. */
static void
test_losses_values (void)
{
  float x[2] = { 0.0f, 2.0f }, t[2] = { 1.0f, -1.0f };
  /* BCE(0, 1) = log 2; BCE(2, 1) = log(1 + e^-2). */
  g_assert_cmpfloat_with_epsilon (nn_loss_bce_logits (NULL, x, NULL, 1.0f, 2, 1.0f),
                                  (log (2.0) + log1p (exp (-2.0))) / 2, 1e-6);
  /* Large logits stay finite (the stable form). */
  float big[2] = { 200.0f, -200.0f };
  g_assert_cmpfloat_with_epsilon (nn_loss_bce_logits (NULL, big, NULL, 0.0f, 2, 1.0f), 100.0, 1e-3);
  g_assert_cmpfloat_with_epsilon (nn_loss_lsgan (NULL, x, 1.0f, 2, 1.0f), 1.0, 1e-6);
  g_assert_cmpfloat_with_epsilon (nn_loss_hinge_d (NULL, x, 1, 2, 1.0f), 0.5, 1e-6);
  g_assert_cmpfloat_with_epsilon (nn_loss_hinge_d (NULL, x, 0, 2, 1.0f), 2.0, 1e-6);
  g_assert_cmpfloat_with_epsilon (nn_loss_hinge_g (NULL, x, 2, 1.0f), -1.0, 1e-6);
  g_assert_cmpfloat_with_epsilon (nn_loss_l1 (NULL, x, t, 2, 1.0f), 2.0, 1e-6);
  g_assert_cmpfloat_with_epsilon (nn_loss_mse (NULL, NULL, x, t, 2, 1.0f), 5.0, 1e-6);
  float img[4] = { 0.0f, 1.0f, 3.0f, 3.0f };  /* 2×2: |1| + |3| + |2| + |0| over 4 */
  g_assert_cmpfloat_with_epsilon (nn_loss_tv (NULL, img, 1, 2, 2, 1.0f), 1.5, 1e-6);
}

/* The SSIM loss: its gradient against central differences on two planes larger than the window
 * (so border pixels, seen by fewer windows, are checked too), and its value at known points. */
typedef struct {
  float *x, *y;
  size_t planes;
  int    h, w;
  float  scale;
} SsimCase;

static double
ssim_fn (gpointer p)
{
  SsimCase *c = p;
  return c->scale * (double) nn_loss_ssim (NULL, c->x, c->y, c->planes, c->h, c->w, 1.0f);
}

static void
test_ssim_loss (void)
{
  NnRng rng;
  SsimCase c = { NULL, NULL, 2, 13, 14, 0.9f };
  size_t n = c.planes * (size_t) c.h * c.w;

  nn_rng_seed (&rng, 77);
  c.x = g_new (float, n);
  c.y = g_new (float, n);
  for (size_t i = 0; i < n; i++)
    {
      /* Glyph-like values: mostly near paper or ink, some in between. */
      c.y[i] = nn_rng_uniform (&rng) < 0.4f ? 0.9f : -0.9f;
      c.x[i] = 0.7f * c.y[i] + 0.3f * (2.0f * nn_rng_uniform (&rng) - 1.0f);
    }
  float *dx = g_new0 (float, n);
  float loss = nn_loss_ssim (dx, c.x, c.y, c.planes, c.h, c.w, c.scale);
  g_assert_true (loss > 0.0f && loss < 1.0f);
  check_grad ("ssim", ssim_fn, &c, c.x, dx, n, 1e-2f, 1e-5, 2e-2);

  /* Identical planes: no dissimilarity and no gradient. */
  memset (dx, 0, n * sizeof (float));
  g_assert_cmpfloat_with_epsilon (nn_loss_ssim (dx, c.y, c.y, c.planes, c.h, c.w, 1.0f), 0.0, 1e-6);
  for (size_t i = 0; i < n; i++)
    g_assert_cmpfloat_with_epsilon (dx[i], 0.0, 1e-6);

  /* Flat planes 0.75 and 0.25 on [0, 1]: no variance, so SSIM is the luminance term
   * (2·0.75·0.25 + C1) / (0.75² + 0.25² + C1). */
  for (size_t i = 0; i < n; i++)
    {
      c.x[i] = 0.5f;
      c.y[i] = -0.5f;
    }
  double want = 1.0 - (2 * 0.75 * 0.25 + 1e-4) / (0.75 * 0.75 + 0.25 * 0.25 + 1e-4);
  g_assert_cmpfloat_with_epsilon (nn_loss_ssim (NULL, c.x, c.y, c.planes, c.h, c.w, 1.0f), want, 1e-5);
  /* Too small for the window: nothing. */
  g_assert_cmpfloat (nn_loss_ssim (NULL, c.x, c.y, 1, 10, 10, 1.0f), ==, 0.0f);
  g_free (c.x); g_free (c.y); g_free (dx);
}

/* ---- the thread pool ---- */

typedef struct {
  gint runs[8];   /* how often each part ran in this round */
  gint parts_seen;
} PoolCount;

static void
pool_count_part (void *p, int part, int parts)
{
  PoolCount *c = p;
  g_atomic_int_inc (&c->runs[part]);
  g_atomic_int_set (&c->parts_seen, parts);
}

/* Every part of every run runs exactly once, on some thread, with the run's own part count — also
 * when runs with different counts follow each other as fast as possible. */
static void
test_pool (void)
{
  NnPool *pool;
  g_assert_cmpint (nn_pool_new (&pool, 3), ==, NN_OK);
  g_assert_cmpint (nn_pool_threads (pool), ==, 3);
  for (int round = 0; round < 20000; round++)
    {
      PoolCount c = { { 0 }, 0 };
      int parts = 1 + round % 5;
      nn_pool_run_parts (pool, pool_count_part, &c, parts);
      for (int i = 0; i < 8; i++)
        g_assert_cmpint (c.runs[i], ==, i < parts ? 1 : 0);
      g_assert_cmpint (c.parts_seen, ==, parts);
    }
  nn_pool_free (pool);

  int first, count, total = 0;
  for (int part = 0; part < 3; part++)
    {
      nn_pool_split (10, part, 3, &first, &count);
      g_assert_cmpint (first, ==, total);
      total += count;
    }
  g_assert_cmpint (total, ==, 10);
}

/* ---- a tiny conv autoencoder must learn ---- */

static void
test_autoencoder_learns (void)
{
  enum { N = 8, S = 16 };
  NnRng rng;
  nn_rng_seed (&rng, 2024);
  NnConv2d c1, c2, t1, t2;
  nn_conv2d_init (&c1, 1, 8, 4, 2, 1, S, S);
  nn_conv2d_init (&c2, 8, 16, 4, 2, 1, 8, 8);
  nn_conv_transpose2d_init (&t1, 16, 8, 4, 2, 1, 4, 4);
  nn_conv_transpose2d_init (&t2, 8, 1, 4, 2, 1, 8, 8);
  size_t w1 = 8 * 16, w2 = 16 * 8 * 16, w3 = 16 * 8 * 16, w4 = 8 * 16;
  size_t np = w1 + 8 + w2 + 16 + w3 + 8 + w4 + 1;
  float *p = g_new0 (float, np), *g = g_new0 (float, np);
  float *W1 = p, *B1 = W1 + w1, *W2 = B1 + 8, *B2 = W2 + w2, *W3 = B2 + 16, *B3 = W3 + w3,
        *W4 = B3 + 8, *B4 = W4 + w4;
  float *dW1 = g, *dB1 = dW1 + w1, *dW2 = dB1 + 8, *dB2 = dW2 + w2, *dW3 = dB2 + 16,
        *dB3 = dW3 + w3, *dW4 = dB3 + 8, *dB4 = dW4 + w4;
  nn_init_kaiming_normal (W1, w1, 16, 0.0f, &rng);
  nn_init_kaiming_normal (W2, w2, 128, 0.0f, &rng);
  nn_init_kaiming_normal (W3, w3, 128, 0.0f, &rng);
  nn_init_kaiming_normal (W4, w4, 128, 0.0f, &rng);

  /* Images: a bar and a box at random places, in CNHW with C = 1. */
  float *x = g_new0 (float, N * S * S);
  for (int b = 0; b < N; b++)
    {
      int x0 = 2 + (int) nn_rng_below (&rng, 8), y0 = 2 + (int) nn_rng_below (&rng, 8);
      for (int yy = 0; yy < S; yy++)
        for (int xx = 0; xx < S; xx++)
          {
            int ink = (xx >= x0 && xx < x0 + 5 && yy >= y0 && yy < y0 + 5)
                      || (b % 2 == 0 && yy == 12) || (b % 2 == 1 && xx == 3);
            x[(b * S + yy) * S + xx] = ink ? 1.0f : -1.0f;
          }
    }
  size_t a1n = 8 * N * 8 * 8, a2n = 16 * N * 4 * 4, a3n = a1n, outn = N * S * S;
  float *a1 = g_new (float, a1n), *a2 = g_new (float, a2n), *a3 = g_new (float, a3n);
  float *out = g_new (float, outn);
  float *d1 = g_new (float, a1n), *d2 = g_new (float, a2n), *d3 = g_new (float, a3n);
  float *dout = g_new (float, outn);
  float *col = g_new (float, 16 * 16 * N * 8 * 8);
  NnOptConfig opt;
  nn_optim_defaults (&opt, NN_OPT_ADAM);
  opt.beta1 = 0.9f;
  float *state = g_new0 (float, nn_optim_state_floats (&opt, np));

  float first = 0.0f, last = 0.0f;
  for (int step = 1; step <= 200; step++)
    {
      nn_conv2d_forward (a1, col, x, W1, B1, &c1, N);
      nn_relu_forward (a1, a1, a1n);
      nn_conv2d_forward (a2, col, a1, W2, B2, &c2, N);
      nn_relu_forward (a2, a2, a2n);
      nn_conv_transpose2d_forward (a3, col, a2, W3, B3, &t1, N);
      nn_relu_forward (a3, a3, a3n);
      nn_conv_transpose2d_forward (out, col, a3, W4, B4, &t2, N);

      memset (g, 0, np * sizeof (float));
      memset (dout, 0, outn * sizeof (float));
      memset (d1, 0, a1n * sizeof (float));
      memset (d2, 0, a2n * sizeof (float));
      memset (d3, 0, a3n * sizeof (float));
      float loss = nn_loss_mse (dout, NULL, out, x, outn, 1.0f);
      if (step == 1)
        first = loss;
      last = loss;
      nn_conv_transpose2d_backward (d3, dW4, dB4, col, dout, a3, W4, &t2, N);
      nn_relu_grad_inplace (d3, a3, a3n);
      nn_conv_transpose2d_backward (d2, dW3, dB3, col, d3, a2, W3, &t1, N);
      nn_relu_grad_inplace (d2, a2, a2n);
      nn_conv2d_backward (d1, dW2, dB2, col, d2, a1, W2, &c2, N);
      nn_relu_grad_inplace (d1, a1, a1n);
      nn_conv2d_backward (NULL, dW1, dB1, col, d1, x, W1, &c1, N);
      nn_optim_step (&opt, 3e-3f, (uint64_t) step, p, g, state, np);
    }
  g_test_message ("autoencoder MSE: %.4f -> %.5f (%.1fx)", first, last, first / last);
  g_assert_cmpfloat (first / last, >=, 10.0);
  g_free (p); g_free (g); g_free (x); g_free (a1); g_free (a2); g_free (a3); g_free (out);
  g_free (d1); g_free (d2); g_free (d3); g_free (dout); g_free (col); g_free (state);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/nn/conv2d/gradcheck", test_conv2d);
  g_test_add_func ("/nn/conv-transpose2d/gradcheck", test_conv_transpose2d);
  g_test_add_func ("/nn/conv-transpose2d/adjoint", test_conv_adjoint);
  g_test_add_func ("/nn/conv/parts", test_conv_parts);
  g_test_add_func ("/nn/batchnorm/gradcheck", test_batchnorm_grad);
  g_test_add_func ("/nn/batchnorm/train-eval", test_batchnorm_train_eval);
  g_test_add_func ("/nn/instancenorm/gradcheck", test_instancenorm_grad);
  g_test_add_func ("/nn/norm/fused-activation", test_norm_fused_act);
  g_test_add_func ("/nn/norm/moments-far-from-zero", test_norm_moments_far_from_zero);
  g_test_add_func ("/nn/activations/gradcheck", test_activations_grad);
  g_test_add_func ("/nn/dropout/determinism", test_dropout_determinism);
  g_test_add_func ("/nn/linear/gradcheck", test_linear_grad);
  g_test_add_func ("/nn/concat-embedding/gradcheck", test_concat_embedding_grad);
  g_test_add_func ("/nn/loss/gradcheck", test_losses_grad);
  g_test_add_func ("/nn/loss/ssim", test_ssim_loss);
  g_test_add_func ("/nn/loss/values", test_losses_values);
  g_test_add_func ("/nn/pool/run", test_pool);
  g_test_add_func ("/nn/autoencoder/learns", test_autoencoder_learns);
  return g_test_run ();
}
