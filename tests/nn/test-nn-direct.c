/* test-nn-direct.c — the column-matrix-free forward pass of the 4×4 stride-2 convs (nn-direct.h)
 * against the seven-loop reference conv: full 32-pixel panels, panels that span rows and images,
 * a short last panel, rows longer than a panel, one to three parts over the images, with and
 * without bias; and which layers it takes. Skipped where the processor has no AVX-512F or
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
  nn_conv_transpose2d_init (&c, 16, 16, 4, 2, 1, 8, 8);
  g_assert_false (nn_direct_fits (&c));
  g_assert_cmpuint (nn_direct_scratch_floats (&c, 2), >, nn_direct_scratch_floats (&c, 1));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/nn/direct/forward", test_direct_forward);
  g_test_add_func ("/nn/direct/fits", test_direct_fits);
  return g_test_run ();
}
