/* test-nn-layers-conv.c — the engine's convolutions: finite-difference gradient checks (grad-check.h)
 * of the im2col conv and transposed conv w.r.t. inputs and parameters at several shapes, both against
 * naive direct ones (naive-conv.h), the transposed conv as the conv's adjoint, the threaded parts of
 * each pass against the plain result, and the thread pool they run on. */
#include <glib.h>
#include <math.h>
#include <string.h>

#include "grad-check.h"
#include "naive-conv.h"
#include "nn-conv.h"
#include "nn-pool.h"
#include "nn-rng.h"

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
        nn_conv_transpose2d_forward_part (y2, col, x, w, b, &c, n, i, parts, NULL);
      for (int i = 0; i < parts; i++)
        nn_conv_transpose2d_backward_weight_part (dw2, db2, col, dy, x, &c, n, i, parts, NULL);
      for (int i = 0; i < parts; i++)
        nn_conv_transpose2d_backward_data_part (dx2, col, dy, w, &c, n, i, parts, 0, NULL);
      for (int i = 0; i < parts; i++)
        nn_conv_transpose2d_backward_data_part (dx3, col, dy, w, &c, n, i, parts, 1, NULL);
    }
  else
    {
      nn_conv2d_forward (y1, col, x, w, b, &c, n);
      nn_conv2d_backward (dx1, dw1, db1, col, dy, x, w, &c, n);
      for (int i = 0; i < parts; i++)
        nn_conv2d_forward_part (y2, col, x, w, b, &c, n, i, parts, NULL);
      for (int i = 0; i < parts; i++)
        nn_conv2d_backward_part (dx2, dw2, db2, col, dy, x, w, &c, n, i, parts, 0, NULL);
      for (int i = 0; i < parts; i++)
        nn_conv2d_backward_part (dx3, NULL, NULL, col, dy, x, w, &c, n, i, parts, 1, NULL);
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

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/nn/conv2d/gradcheck", test_conv2d);
  g_test_add_func ("/nn/conv-transpose2d/gradcheck", test_conv_transpose2d);
  g_test_add_func ("/nn/conv-transpose2d/adjoint", test_conv_adjoint);
  g_test_add_func ("/nn/conv/parts", test_conv_parts);
  g_test_add_func ("/nn/pool/run", test_pool);
  return g_test_run ();
}
