/* test-nn-direct.c — the column-matrix-free forward pass and weight gradient of the 4×4 stride-2
 * convs (nn-direct.h) against double-precision references: full 32-pixel panels, panels that span
 * rows and images, a short last panel, rows longer than a panel, one to three parts, with and
 * without bias, a gradient added to what dW holds; and which layers it takes. Skipped where the processor has no AVX-512F or
 * ZIMARU_NN_DIRECT=0 turned it off (as under valgrind, which does not run AVX-512). */
#include <glib.h>
#include <math.h>

#include "naive-conv.h"
#include "nn-conv.h"
#include "nn-direct.h"
#include "nn-rng.h"

static float *
noise (NnRng *rng, size_t n)
{
  float *p = g_new (float, n);
  for (size_t i = 0; i < n; i++)
    p[i] = 2.0f * nn_rng_uniform (rng) - 1.0f;
  return p;
}

static void
run_case (int ci, int co, int h, int w, int n, int parts, int bias)
{
  NnRng rng;
  nn_rng_seed (&rng, (uint64_t) (ci * 1000 + co * 100 + h * 10 + w + n + parts));
  NnConv2d c;
  nn_conv2d_init (&c, ci, co, 4, 2, 1, h, w);
  g_assert_true (nn_direct_fits (&c));
  size_t nx = (size_t) ci * n * h * w, ny = (size_t) co * n * c.ho * c.wo;
  float *x = noise (&rng, nx), *wt = noise (&rng, (size_t) co * ci * 16), *b = noise (&rng, co);
  float *want = g_new (float, ny), *got = g_new (float, ny);
  float *scratch = g_new (float, nn_direct_scratch_floats (&c, parts));
  for (size_t i = 0; i < ny; i++)
    got[i] = NAN;  /* every output is written, none read */

  naive_conv2d (want, x, wt, bias ? b : NULL, &c, n);
  for (int p = 0; p < parts; p++)
    nn_direct_pack_part (scratch, wt, &c, p, parts);
  for (int p = 0; p < parts; p++)
    nn_conv2d_forward_direct_part (got, scratch, x, bias ? b : NULL, &c, n, p, parts);

  double worst = 0.0;
  for (size_t i = 0; i < ny; i++)
    {
      double err = fabs ((double) got[i] - want[i]) / (1.0 + fabs (want[i]));
      if (!(err <= 1e-4))  /* float sums of up to 4096 products against double */
        g_error ("ci %d co %d %dx%d n %d parts %d: output %zu is %g, want %g", ci, co, h, w, n,
                 parts, i, (double) got[i], (double) want[i]);
      worst = fmax (worst, err);
    }
  g_test_message ("ci %d co %d %dx%d n %d parts %d bias %d: worst relative error %.2g", ci, co, h,
                  w, n, parts, bias, worst);
  g_free (x); g_free (wt); g_free (b); g_free (want); g_free (got); g_free (scratch);
}

static void
test_direct_forward (void)
{
  if (!nn_direct_enabled ())
    {
      g_test_skip ("no AVX-512F here, or ZIMARU_NN_DIRECT=0");
      return;
    }
  run_case (2, 16, 64, 64, 2, 1, 1);    /* rows of 32: whole panels, a K of 32 */
  run_case (3, 8, 128, 128, 1, 1, 0);   /* rows of 64: two panels a row */
  run_case (32, 64, 64, 64, 3, 2, 0);   /* K 512: two chunks of rows; parts of 2 and 1 images */
  run_case (20, 24, 16, 16, 5, 3, 1);   /* rows of 8: a panel spans 4 rows; K 320, a short chunk */
  run_case (5, 8, 66, 66, 2, 2, 1);     /* rows of 33: panels across rows, a short last panel */
  run_case (4, 8, 10, 6, 3, 1, 1);      /* rows of 3, 5 rows: panels across images */
  run_case (16, 16, 2, 2, 7, 3, 0);     /* 1×1 outputs: one short panel per part */
  run_case (1, 32, 8, 8, 16, 2, 1);     /* one input channel (K 16), G's first layer */
}

/* dW[o][i][ky][kx] = Σ over images and output pixels of dY[o] · x[i] at the tap, in double. */
static void
reference_weight_grad (double *dw, const float *dy, const float *x, const NnConv2d *c, int n)
{
  for (int o = 0; o < c->co; o++)
    for (int i = 0; i < c->ci; i++)
      for (int ky = 0; ky < 4; ky++)
        for (int kx = 0; kx < 4; kx++)
          {
            double acc = 0.0;
            for (int b = 0; b < n; b++)
              for (int oy = 0; oy < c->ho; oy++)
                for (int ox = 0; ox < c->wo; ox++)
                  {
                    int iy = 2 * oy + ky - 1, ix = 2 * ox + kx - 1;
                    if (iy < 0 || iy >= c->hi || ix < 0 || ix >= c->wi)
                      continue;
                    acc += (double) dy[(((size_t) o * n + b) * c->ho + oy) * c->wo + ox]
                           * x[(((size_t) i * n + b) * c->hi + iy) * c->wi + ix];
                  }
            dw[((size_t) o * c->ci + i) * 16 + ky * 4 + kx] = acc;
          }
}

/* The weight gradient adds to what dW holds (ones here), each part its own input channels. */
static void
run_grad_case (int ci, int co, int h, int w, int n, int parts)
{
  NnRng rng;
  nn_rng_seed (&rng, (uint64_t) (ci * 77 + co * 7 + h + w * 3 + n * 11 + parts));
  NnConv2d c;
  nn_conv2d_init (&c, ci, co, 4, 2, 1, h, w);
  g_assert_true (nn_direct_grad_fits (&c, n, parts));
  size_t nw = (size_t) co * ci * 16;
  float *x = noise (&rng, (size_t) ci * n * h * w), *dy = noise (&rng, (size_t) co * n * c.ho * c.wo);
  float *dw = g_new (float, nw), *panel = g_new (float, (size_t) ci * 16 * ((size_t) n * c.ho * c.wo));
  double *want = g_new (double, nw);
  for (size_t i = 0; i < nw; i++)
    dw[i] = 1.0f;
  reference_weight_grad (want, dy, x, &c, n);
  for (int p = 0; p < parts; p++)
    {
      int c0 = ci * p / parts, c1 = ci * (p + 1) / parts;
      if (c1 > c0)
        nn_direct_weight_grad_part (dw, panel, dy, x, &c, n, c0, c1 - c0);
    }
  double worst = 0.0;
  for (size_t i = 0; i < nw; i++)
    {
      double err = fabs ((double) dw[i] - 1.0 - want[i]) / (1.0 + fabs (want[i]));
      if (!(err <= 1e-4))
        g_error ("grad ci %d co %d %dx%d n %d parts %d: dW %zu is %g, want %g", ci, co, h, w, n,
                 parts, i, (double) dw[i] - 1.0, want[i]);
      worst = fmax (worst, err);
    }
  g_test_message ("grad ci %d co %d %dx%d n %d parts %d: worst relative error %.2g", ci, co, h, w,
                  n, parts, worst);
  g_free (x); g_free (dy); g_free (dw); g_free (panel); g_free (want);
}

static void
test_direct_weight_grad (void)
{
  if (!nn_direct_enabled ())
    {
      g_test_skip ("no AVX-512F here, or ZIMARU_NN_DIRECT=0");
      return;
    }
  run_grad_case (16, 64, 64, 64, 2, 1);  /* K 256 */
  run_grad_case (17, 64, 66, 66, 1, 2);  /* parts of 9 and 8 channels; rows of 33 */
  run_grad_case (32, 128, 32, 32, 3, 2); /* K 256 a part; 768 pixels */
  run_grad_case (20, 64, 20, 6, 4, 3);   /* 120 pixels: a short last panel, rows of 3 */
}

static void
test_direct_fits (void)
{
  NnConv2d c;
  nn_conv2d_init (&c, 4, 16, 4, 2, 1, 8, 8);
  g_assert_true (nn_direct_fits (&c));
  nn_conv2d_init (&c, 4, 12, 4, 2, 1, 8, 8);   /* 12 output channels: not blocks of 8 */
  g_assert_false (nn_direct_fits (&c));
  nn_conv2d_init (&c, 4, 16, 4, 1, 1, 8, 8);   /* stride 1 (the PatchGAN's last two) */
  g_assert_false (nn_direct_fits (&c));
  nn_conv2d_init (&c, 4, 16, 4, 2, 1, 9, 9);   /* odd input */
  g_assert_false (nn_direct_fits (&c));
  nn_conv2d_init (&c, 32, 64, 4, 2, 1, 64, 64);
  g_assert_true (nn_direct_grad_fits (&c, 4, 2));
  nn_conv2d_init (&c, 128, 256, 4, 2, 1, 64, 64);  /* slower than OpenBLAS there: not taken */
  g_assert_false (nn_direct_grad_fits (&c, 4, 2));
  nn_conv2d_init (&c, 2, 64, 4, 2, 1, 64, 64);     /* too few input channels */
  g_assert_false (nn_direct_grad_fits (&c, 4, 2));
  nn_conv2d_init (&c, 32, 64, 4, 2, 1, 2, 2);      /* 4 pixels: the work does not fit in col */
  g_assert_false (nn_direct_grad_fits (&c, 4, 2));
  nn_conv2d_init (&c, 256, 256, 4, 2, 1, 8, 8);     /* 16 pixels an image near the bottleneck */
  g_assert_true (nn_direct_fits (&c));
  g_assert_true (nn_direct_forward_fits (&c, 32, 2));
  g_assert_false (nn_direct_forward_fits (&c, 16, 2));
  nn_conv_transpose2d_init (&c, 16, 16, 4, 2, 1, 8, 8);
  g_assert_false (nn_direct_fits (&c));
  g_assert_cmpuint (nn_direct_scratch_floats (&c, 2), >, nn_direct_scratch_floats (&c, 1));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/nn/direct/forward", test_direct_forward);
  g_test_add_func ("/nn/direct/weight-grad", test_direct_weight_grad);
  g_test_add_func ("/nn/direct/fits", test_direct_fits);
  return g_test_run ();
}
