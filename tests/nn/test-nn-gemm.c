/* test-nn-gemm.c — the bf16 matrix product (nn-gemm.h) against float32 references, the float32
 * product (also run transposed when it has fewer than 32 columns, with A unpacked when it has few,
 * with B a column matrix packed from its image, and with C a column matrix added into its image as
 * its tiles are made, and with A packed whole beforehand) against nn_gemm_f32, nn_col2im_rows and
 * sgemm, the convolutions and a whole pix2pix step in bf16 against float32, and the measured
 * arithmetic peak (nn-peak.h).
 *
 * Tolerances come from bfloat16's 8 significant bits: rounding a factor to bf16 (to nearest) moves
 * it by at most 2⁻⁸ of itself, so a product of two rounded factors is off by at most
 * (2·2⁻⁸ + 2⁻¹⁶)·|a·b|; the float32 sums of K products add at most K·2⁻²⁴·Σ|a·b|. An element of
 * C = A·B is therefore within (2⁻⁷ + 2⁻¹⁶ + K·2⁻²⁴)·Σₖ|aₖ·bₖ| of the exact product, which the first
 * test checks element by element. The second checks the rounding itself: against the exact product
 * of the factors rounded to bf16 here (round to nearest even), only the float32 sums may differ.
 * The bf16 tests skip where the processor lacks AVX512_BF16 (and under valgrind, which hides
 * AVX-512: there only the float32 paths run). */
#include <cblas.h>
#include <glib.h>
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "grad-check.h"
#include "nn-col.h"
#include "nn-conv.h"
#include "nn-gemm.h"
#include "nn-peak.h"
#include "nn-pix2pix.h"
#include "nn-rng.h"

static gboolean
skip_without_bf16 (void)
{
  if (nn_cpu_has_bf16 ())
    return FALSE;
  g_test_skip ("the processor lacks AVX512_BF16: the bf16 kernels cannot run here");
  return TRUE;
}

static void *
new_work (int parts)
{
  return g_aligned_alloc (parts, nn_gemm_work_bytes (), 64);
}

/* x rounded to bf16, to nearest with ties to even, as vcvtne2ps2bf16 does for normal values. */
static double
round_bf16 (float x)
{
  uint32_t u;
  memcpy (&u, &x, sizeof u);
  u = (u + 0x7fffu + ((u >> 16) & 1u)) & 0xffff0000u;
  float r;
  memcpy (&r, &u, sizeof r);
  return r;
}

static float
at (const float *m, int trans, int ld, int row, int col)
{
  return trans ? m[(size_t) col * ld + row] : m[(size_t) row * ld + col];
}

/* One product of each transpose combination, with beta 0 (C starts as NaN: it must not be read) and
 * beta 1, checked against both references of the file's comment. Returns the largest error as a
 * share of the first bound. */
static double
check_product (void *work, int bf16, int m, int n, int k, int ta, int tb, float beta, NnRng *rng)
{
  int lda = ta ? m + 3 : k + 5, ldb = tb ? k + 1 : n + 2, ldc = n + 7;
  float *a = rand_buf (rng, (size_t) (ta ? k : m) * lda, 1.0f);
  float *b = rand_buf (rng, (size_t) (tb ? n : k) * ldb, 1.0f);
  float *c0 = rand_buf (rng, (size_t) m * ldc, 1.0f);
  float *c = g_memdup2 (c0, (size_t) m * ldc * sizeof (float));
  double worst = 0.0;

  if (beta == 0.0f)
    for (size_t i = 0; i < (size_t) m * ldc; i++)
      c[i] = NAN;
  if (bf16)
    nn_gemm_bf16 (work, ta, tb, m, n, k, a, lda, b, ldb, beta, c, ldc);
  else
    nn_gemm_f32 (work, ta, tb, m, n, k, a, lda, b, ldb, beta, c, ldc);
  for (int i = 0; i < m; i++)
    for (int j = 0; j < n; j++)
      {
        double exact = beta * (double) c0[(size_t) i * ldc + j], rounded = exact, mag = 0.0;
        for (int q = 0; q < k; q++)
          {
            float x = at (a, ta, lda, i, q), y = at (b, tb, ldb, q, j);
            exact += (double) x * y;
            rounded += bf16 ? round_bf16 (x) * round_bf16 (y) : (double) x * y;
            mag += fabs ((double) x * y);
          }
        double got = c[(size_t) i * ldc + j];
        double sums = (k + 2) * ldexp (1.0, -24) * (mag + fabs (exact)) + 1e-30;
        double bound = (bf16 ? (ldexp (1.0, -7) + ldexp (1.0, -16)) * mag : 0.0) + sums;
        g_assert_true (isfinite (got));
        g_assert_cmpfloat (fabs (got - exact), <=, bound);
        g_assert_cmpfloat (fabs (got - rounded), <=, sums);
        worst = MAX (worst, fabs (got - exact) / bound);
      }
  /* Elements outside the m × n block (the padding of each row) stay as they were. */
  for (int i = 0; i < m; i++)
    for (int j = n; j < ldc; j++)
      if (beta != 0.0f)
        g_assert_cmpfloat (c[(size_t) i * ldc + j], ==, c0[(size_t) i * ldc + j]);
      else
        g_assert_true (isnan (c[(size_t) i * ldc + j]));
  g_free (a);
  g_free (b);
  g_free (c0);
  g_free (c);
  return worst;
}

/* Every transpose combination and both betas on shapes across the kernel's tile (8 × 32), the
 * packing blocks (K 256, M 128, N 1024) and odd K (the last bf16 pair half empty). */
static void
check_products (int bf16)
{
  static const int shapes[][3] = { { 8, 32, 2 }, { 1, 1, 1 }, { 7, 33, 5 }, { 9, 31, 17 },
                                   { 64, 96, 301 }, { 130, 40, 515 }, { 16, 1030, 64 },
                                   { 3, 5, 700 } };
  void *work = new_work (1);
  NnRng rng;
  double worst = 0.0;
  nn_rng_seed (&rng, 7);
  for (guint s = 0; s < G_N_ELEMENTS (shapes); s++)
    for (int t = 0; t < 4; t++)
      for (int bi = 0; bi < 2; bi++)
        worst = MAX (worst, check_product (work, bf16, shapes[s][0], shapes[s][1], shapes[s][2],
                                           t & 1, t >> 1, bi ? 1.0f : 0.0f, &rng));
  g_test_message ("largest error: %.3f of the bound", worst);
  g_aligned_free (work);
}

static void
test_gemm_bf16 (void)
{
  if (skip_without_bf16 ())
    return;
  check_products (1);
}

/* The engine's float32 product: off from the exact product only by its float32 sums. */
static void
test_gemm_f32 (void)
{
  if (!nn_gemm_f32_enabled ())
    {
      g_test_skip ("the processor lacks AVX-512F (or ZIMARU_NN_GEMM=0): float32 stays on sgemm");
      return;
    }
  check_products (0);
}

/* Float32 with a workspace: the engine's kernel where it is enabled, equal to sgemm up to the
 * order of the float32 sums, the same in every part; without a workspace exactly sgemm. */
static void
test_gemm_dispatch_f32 (void)
{
  int m = 24, n = 40, k = 300;
  NnRng rng;
  nn_rng_seed (&rng, 12);
  float *a = rand_buf (&rng, (size_t) m * k, 1.0f), *b = rand_buf (&rng, (size_t) k * n, 1.0f);
  float *ref = g_new (float, (size_t) m * n), *c0 = g_new (float, (size_t) m * n);
  float *c1 = g_new (float, (size_t) m * n);
  NnGemm g = { NN_PRECISION_FP32, new_work (2), 2 };
  NnGemm none = { NN_PRECISION_FP32, NULL, 0 };

  cblas_sgemm (CblasRowMajor, CblasNoTrans, CblasNoTrans, m, n, k, 1.0f, a, k, b, n, 0.0f, ref, n);
  nn_gemm (&g, 0, 0, 0, m, n, k, a, k, b, n, 0.0f, c0, n);
  nn_gemm (&g, 1, 0, 0, m, n, k, a, k, b, n, 0.0f, c1, n);
  g_assert_cmpmem (c0, (size_t) m * n * sizeof (float), c1, (size_t) m * n * sizeof (float));
  for (int i = 0; i < m; i++)
    for (int j = 0; j < n; j++)
      {
        double mag = 0.0;
        for (int q = 0; q < k; q++)
          mag += fabs ((double) a[(size_t) i * k + q] * b[(size_t) q * n + j]);
        g_assert_cmpfloat (fabs (c0[i * n + j] - ref[i * n + j]), <=, 2 * k * ldexp (1.0, -24) * mag);
      }
  nn_gemm (&none, 0, 0, 0, m, n, k, a, k, b, n, 0.0f, c0, n);
  g_assert_cmpmem (c0, (size_t) m * n * sizeof (float), ref, (size_t) m * n * sizeof (float));
  g_aligned_free (g.work);
  g_free (a);
  g_free (b);
  g_free (ref);
  g_free (c0);
  g_free (c1);
}

/* Float32 products with fewer than 32 columns (and 32 rows or more, K 32 or more) run transposed on
 * the engine's kernel: for every transpose combination and both betas the result equals to the bit
 * nn_gemm_f32's (the same sums in the same order), is within the float32 bound of the exact
 * product, and leaves C's padding alone. */
static void
test_gemm_narrow_f32 (void)
{
  if (!nn_gemm_f32_enabled ())
    {
      g_test_skip ("the processor lacks AVX-512F (or ZIMARU_NN_GEMM=0): float32 stays on sgemm");
      return;
    }
  static const int shapes[][3] = { { 40, 8, 300 }, { 300, 31, 600 }, { 33, 1, 32 },
                                   { 1030, 16, 40 } };
  NnGemm g = { NN_PRECISION_FP32, new_work (1), 1 };
  NnRng rng;
  nn_rng_seed (&rng, 31);
  for (guint s = 0; s < G_N_ELEMENTS (shapes); s++)
    for (int t = 0; t < 4; t++)
      for (int bi = 0; bi < 2; bi++)
        {
          int m = shapes[s][0], n = shapes[s][1], k = shapes[s][2], ta = t & 1, tb = t >> 1;
          int lda = ta ? m + 3 : k + 5, ldb = tb ? k + 1 : n + 2, ldc = n + 7;
          float beta = bi ? 1.0f : 0.0f;
          float *a = rand_buf (&rng, (size_t) (ta ? k : m) * lda, 1.0f);
          float *b = rand_buf (&rng, (size_t) (tb ? n : k) * ldb, 1.0f);
          float *c0 = rand_buf (&rng, (size_t) m * ldc, 1.0f);
          float *got = g_memdup2 (c0, (size_t) m * ldc * sizeof (float));
          float *ref = g_memdup2 (c0, (size_t) m * ldc * sizeof (float));
          nn_gemm (&g, 0, ta, tb, m, n, k, a, lda, b, ldb, beta, got, ldc);
          nn_gemm_f32 (g.work, ta, tb, m, n, k, a, lda, b, ldb, beta, ref, ldc);
          g_assert_cmpmem (got, (size_t) m * ldc * sizeof (float), ref,
                           (size_t) m * ldc * sizeof (float));
          for (int i = 0; i < m; i++)
            {
              for (int j = 0; j < n; j++)
                {
                  double exact = beta * (double) c0[(size_t) i * ldc + j], mag = fabs (exact);
                  for (int q = 0; q < k; q++)
                    {
                      double v = (double) at (a, ta, lda, i, q) * at (b, tb, ldb, q, j);
                      exact += v;
                      mag += fabs (v);
                    }
                  g_assert_cmpfloat (fabs (got[(size_t) i * ldc + j] - exact), <=,
                                     (k + 2) * ldexp (1.0, -24) * mag);
                }
              for (int j = n; j < ldc; j++)
                g_assert_cmpfloat (got[(size_t) i * ldc + j], ==, c0[(size_t) i * ldc + j]);
            }
          g_free (a);
          g_free (b);
          g_free (c0);
          g_free (got);
          g_free (ref);
        }
  g_aligned_free (g.work);
}

/* The dispatcher: float32 on OpenBLAS without a context, bf16 with one, each part with its own
 * workspace. */
static void
test_gemm_dispatch (void)
{
  if (skip_without_bf16 ())
    return;
  int m = 24, n = 40, k = 64;
  NnRng rng;
  nn_rng_seed (&rng, 11);
  float *a = rand_buf (&rng, (size_t) m * k, 1.0f), *b = rand_buf (&rng, (size_t) k * n, 1.0f);
  float *c32 = g_new (float, (size_t) m * n), *c16 = g_new (float, (size_t) m * n);
  float *c16b = g_new (float, (size_t) m * n);
  NnGemm g = { NN_PRECISION_BF16, new_work (2), 2 };
  NnGemm f = { NN_PRECISION_FP32, NULL, 0 };

  nn_gemm (NULL, 0, 0, 0, m, n, k, a, k, b, n, 0.0f, c32, n);
  nn_gemm (&g, 0, 0, 0, m, n, k, a, k, b, n, 0.0f, c16, n);
  nn_gemm (&g, 1, 0, 0, m, n, k, a, k, b, n, 0.0f, c16b, n);
  double diff = 0.0, norm = 0.0;
  for (int i = 0; i < m * n; i++)
    {
      diff += (c16[i] - c32[i]) * (double) (c16[i] - c32[i]);
      norm += c32[i] * (double) c32[i];
      g_assert_cmpfloat (c16[i], ==, c16b[i]);
    }
  /* bf16 differs from float32 (the factors were rounded) but only by rounding. */
  g_assert_cmpfloat (sqrt (diff / norm), >, ldexp (1.0, -16));
  g_assert_cmpfloat (sqrt (diff / norm), <, ldexp (1.0, -6));
  nn_gemm (&f, 0, 0, 0, m, n, k, a, k, b, n, 0.0f, c16, n);
  g_assert_cmpmem (c16, (size_t) m * n * sizeof (float), c32, (size_t) m * n * sizeof (float));

  NnPrecision p;
  g_assert_true (nn_precision_parse ("bf16", &p) && p == NN_PRECISION_BF16);
  g_assert_true (nn_precision_parse ("auto", &p) && p == NN_PRECISION_AUTO);
  /* auto means bf16 exactly where the processor has it; the named precisions stay as they are. */
  g_assert_cmpint (nn_precision_resolve (NN_PRECISION_AUTO), ==,
                   nn_cpu_has_bf16 () ? NN_PRECISION_BF16 : NN_PRECISION_FP32);
  g_assert_cmpint (nn_precision_resolve (NN_PRECISION_FP32), ==, NN_PRECISION_FP32);
  g_assert_cmpint (nn_precision_resolve (NN_PRECISION_BF16), ==, NN_PRECISION_BF16);
  g_assert_cmpstr (nn_precision_name (NN_PRECISION_AUTO), ==, "auto");
  g_assert_true (nn_precision_parse ("fp32", &p) && p == NN_PRECISION_FP32);
  g_assert_false (nn_precision_parse ("fp16", &p));
  g_assert_cmpstr (nn_precision_name (NN_PRECISION_BF16), ==, "bf16");
  g_aligned_free (g.work);
  g_free (a);
  g_free (b);
  g_free (c32);
  g_free (c16);
  g_free (c16b);
}

/* A float32 product with few columns (up to 256, or 64 with A transposed) reads A unpacked: for
 * every transpose combination, both betas, M a multiple of the kernel's 8 rows or not (packed then)
 * and K of one to three blocks, its columns equal to the bit the same columns of a product with
 * 250 more columns, whose A is packed (each element's sums are the same whatever the columns
 * around it), and C's other columns stay as they were. */
static void
test_gemm_few_columns_f32 (void)
{
  static const int shapes[][3] = { { 8, 1, 40 }, { 24, 17, 300 }, { 40, 32, 33 }, { 16, 33, 600 },
                                   { 64, 64, 256 }, { 20, 64, 90 }, { 16, 65, 70 },
                                   { 8, 256, 300 } };
  if (!nn_gemm_f32_enabled ())
    {
      g_test_skip ("the processor lacks AVX-512F (or ZIMARU_NN_GEMM=0): float32 stays on sgemm");
      return;
    }
  void *work = new_work (1);
  NnRng rng;
  nn_rng_seed (&rng, 44);
  for (guint s = 0; s < G_N_ELEMENTS (shapes); s++)
    for (int t = 0; t < 4; t++)
      for (int bi = 0; bi < 2; bi++)
        {
          int m = shapes[s][0], n = shapes[s][1], k = shapes[s][2], wide = n + 250;
          int ta = t & 1, tb = t >> 1, lda = ta ? m + 3 : k + 5, ldb = tb ? k + 1 : wide;
          float *a = rand_buf (&rng, (size_t) (ta ? k : m) * lda, 1.0f);
          float *b = rand_buf (&rng, (size_t) (tb ? wide : k) * ldb, 1.0f);
          float *c0 = rand_buf (&rng, (size_t) m * wide, 1.0f);
          float *narrow = g_memdup2 (c0, (size_t) m * wide * sizeof (float));
          float *all = g_memdup2 (c0, (size_t) m * wide * sizeof (float));
          float beta = bi ? 1.0f : 0.0f;
          nn_gemm_f32 (work, ta, tb, m, n, k, a, lda, b, ldb, beta, narrow, wide);
          nn_gemm_f32 (work, ta, tb, m, wide, k, a, lda, b, ldb, beta, all, wide);
          for (int i = 0; i < m; i++)
            {
              g_assert_cmpmem (narrow + (size_t) i * wide, n * sizeof (float),
                               all + (size_t) i * wide, n * sizeof (float));
              g_assert_cmpmem (narrow + (size_t) i * wide + n, (wide - n) * sizeof (float),
                               c0 + (size_t) i * wide + n, (wide - n) * sizeof (float));
            }
          g_free (a);
          g_free (b);
          g_free (c0);
          g_free (narrow);
          g_free (all);
        }
  g_aligned_free (work);
}

/* nn_gemm_columns with B a 4 × 4 conv's column matrix packed from its image: for each layout of
 * the matrix (stride 1, 2 and 3, pad 0 to 2, images [b0, b0 + nb) and channels [c0, c1) of a larger
 * tensor, an odd channel count whose last panel is half empty, output rows of 4 to 35 pixels, so
 * that runs of pixels start and end inside panels and a row is longer than a panel) and both uses
 * (the column matrix as B, and transposed as in the weight gradients, with beta 0 and 1), the
 * result equals to the bit nn_gemm_f32 of the matrix nn_im2col_rows writes (the packed panels hold
 * the same values; as B with rows too short for runs the matrix is written), and sgemm's up to the
 * order of the float32 sums (2·K·2⁻²⁴·Σ|a·b| an element). Without the kernel (another processor,
 * ZIMARU_NN_GEMM=0 or no workspace) it is im2col + sgemm exactly. */
static void
test_gemm_columns (void)
{
  static const int shapes[][9] = {
    /* n, b0, nb, channels, c0, c1, h, s, p */
    { 4, 1, 3, 5, 1, 4, 16, 2, 1 },
    { 3, 0, 3, 3, 0, 3, 9, 1, 1 },
    { 2, 1, 1, 4, 2, 4, 70, 2, 1 },
    { 5, 2, 2, 6, 1, 6, 7, 1, 0 },
    { 2, 0, 2, 3, 0, 2, 12, 2, 2 },
    { 3, 1, 2, 4, 1, 3, 12, 1, 1 },
    { 2, 0, 2, 3, 0, 3, 20, 2, 2 },
    { 2, 1, 1, 2, 0, 2, 30, 3, 1 },
    { 1, 0, 1, 2, 0, 2, 100, 3, 1 },
  };
  NnRng rng;
  nn_rng_seed (&rng, 21);
  int own = nn_gemm_f32_enabled ();
  NnGemm g = { NN_PRECISION_FP32, new_work (1), 1 };
  NnGemm none = { NN_PRECISION_FP32, NULL, 0 };
  for (guint t = 0; t < G_N_ELEMENTS (shapes); t++)
    {
      const int *sh = shapes[t];
      int n = sh[0], h = sh[6], st = sh[7], pad = sh[8];
      int ho = (h + 2 * pad - 4) / st + 1;
      NnColumns cols = { NULL, n, sh[1], sh[2], sh[4], sh[5], h, h, 4, st, pad, ho, ho };
      int rows = (cols.c1 - cols.c0) * 16, q = cols.nb * ho * ho;
      float *x = rand_buf (&rng, (size_t) sh[3] * n * h * h, 1.0f);
      float *col = g_new (float, (size_t) rows * q), *scratch = g_new (float, (size_t) rows * q);
      cols.x = x;
      nn_im2col_rows (col, x, n, cols.b0, cols.nb, cols.c0, cols.c1, h, h, 4, st, pad, ho, ho);
      for (int tb = 0; tb < 2; tb++)
        for (int ta = 0; ta < 2; ta++)
          for (int bi = 0; bi < 2; bi++)
            {
              /* op(B) is rows × q, or q × rows transposed; A has 40 rows. */
              int m = 40, kk = tb ? q : rows, nn = tb ? rows : q;
              int lda = ta ? m : kk;
              float *a = rand_buf (&rng, (size_t) m * kk, 1.0f);
              float *c0 = rand_buf (&rng, (size_t) m * nn, 1.0f);
              float *got = g_memdup2 (c0, (size_t) m * nn * sizeof (float));
              float *ref = g_memdup2 (c0, (size_t) m * nn * sizeof (float));
              float *blas = g_memdup2 (c0, (size_t) m * nn * sizeof (float));
              float beta = bi ? 1.0f : 0.0f;
              nn_gemm_columns (&g, 0, ta, tb, m, nn, kk, a, lda, &cols, scratch, beta, got, nn);
              cblas_sgemm (CblasRowMajor, ta ? CblasTrans : CblasNoTrans,
                           tb ? CblasTrans : CblasNoTrans, m, nn, kk, 1.0f, a, lda, col, q, beta,
                           blas, nn);
              if (own)
                {
                  nn_gemm_f32 (g.work, ta, tb, m, nn, kk, a, lda, col, q, beta, ref, nn);
                  g_assert_cmpmem (got, (size_t) m * nn * sizeof (float), ref,
                                   (size_t) m * nn * sizeof (float));
                }
              for (int i = 0; i < m; i++)
                for (int j = 0; j < nn; j++)
                  {
                    double mag = fabs (beta * c0[(size_t) i * nn + j]);
                    for (int r = 0; r < kk; r++)
                      mag += fabs ((double) at (a, ta, lda, i, r) * at (col, tb, q, r, j));
                    g_assert_cmpfloat (fabs (got[(size_t) i * nn + j] - blas[(size_t) i * nn + j]),
                                       <=, 2 * (kk + 1) * ldexp (1.0, -24) * mag);
                  }
              /* Without a workspace: im2col into the scratch matrix, then sgemm. */
              memcpy (got, c0, (size_t) m * nn * sizeof (float));
              nn_gemm_columns (&none, 0, ta, tb, m, nn, kk, a, lda, &cols, scratch, beta, got, nn);
              g_assert_cmpmem (got, (size_t) m * nn * sizeof (float), blas,
                               (size_t) m * nn * sizeof (float));
              g_assert_cmpmem (scratch, (size_t) rows * q * sizeof (float), col,
                               (size_t) rows * q * sizeof (float));
              g_free (a);
              g_free (c0);
              g_free (got);
              g_free (ref);
              g_free (blas);
            }
      g_free (x);
      g_free (col);
      g_free (scratch);
    }
  g_aligned_free (g.work);
}

/* nn_gemm_col2im: for 4 × 4 stride-2 pad-1 column matrices of images [b0, b0 + nb) and channels
 * [c0, c1) of a larger tensor, with output rows of 1 to 64 pixels (a panel of whole rows; rows of
 * two panels, whose pairs of taps straddle two tiles; rows of 1, 4, 12 and 48, which take the
 * written matrix), K of one block and of two or three (which take it too), 64 columns or more (A
 * read unpacked, or packed), A transposed or not, assigned or added, in float32 and (where the
 * processor has it) bf16: the image equals to the bit the one nn_gemm + nn_col2im_rows make,
 * planes outside the range untouched. Where the tiles go straight into the image (the kernel runs,
 * the rows fit the panels, K is one block, assigned) the column matrix is not written at all;
 * without a workspace it is sgemm + col2im exactly. */
static void
test_gemm_col2im (void)
{
  static const int shapes[][8] = {
    /* n, b0, nb, channels, c0, c1, wo, K */
    { 4, 1, 3, 5, 1, 4, 4, 40 },
    { 2, 0, 2, 3, 0, 3, 8, 33 },
    { 3, 1, 2, 4, 1, 3, 16, 64 },
    { 2, 0, 2, 2, 0, 2, 32, 300 },
    { 1, 0, 1, 2, 1, 2, 64, 50 },
    { 2, 1, 1, 3, 0, 3, 64, 520 },
    { 40, 0, 40, 1, 0, 1, 1, 40 },
    { 2, 1, 1, 2, 0, 2, 8, 40 },
    { 1, 0, 1, 3, 1, 3, 8, 300 },
    { 1, 0, 1, 2, 0, 2, 12, 40 },
    { 1, 0, 1, 1, 0, 1, 48, 40 },
  };
  NnRng rng;
  nn_rng_seed (&rng, 33);
  for (int prec = 0; prec < 2; prec++)
    {
      if (prec == 1 && !nn_cpu_has_bf16 ())
        continue;
      int own = prec == 1 || nn_gemm_f32_enabled ();
      NnGemm g = { prec ? NN_PRECISION_BF16 : NN_PRECISION_FP32, new_work (1), 1 };
      NnGemm none = { NN_PRECISION_FP32, NULL, 0 };
      for (guint t = 0; t < G_N_ELEMENTS (shapes); t++)
        {
          const int *sh = shapes[t];
          int n = sh[0], wo = sh[6], h = 2 * wo, k = sh[7];
          NnColumns cols = { NULL, n, sh[1], sh[2], sh[4], sh[5], h, h, 4, 2, 1, wo, wo };
          int m = (cols.c1 - cols.c0) * 16, q = cols.nb * wo * wo;
          size_t nx = (size_t) sh[3] * n * h * h;
          int direct = own && ((32 % wo == 0 && wo >= 8) || wo % 32 == 0) && k <= 256;
          for (int ta = 0; ta < 2; ta++)
            for (int assign = 0; assign < 2; assign++)
              {
                int lda = ta ? m + 3 : k + 5, ldb = q + 2;
                float *a = rand_buf (&rng, (size_t) (ta ? k : m) * lda, 1.0f);
                float *b = rand_buf (&rng, (size_t) k * ldb, 1.0f);
                float *x0 = rand_buf (&rng, nx, 1.0f);
                float *got = g_memdup2 (x0, nx * sizeof (float));
                float *ref = g_memdup2 (x0, nx * sizeof (float));
                float *col = g_new (float, (size_t) m * q), *refcol = g_new (float, (size_t) m * q);
                for (size_t i = 0; i < (size_t) m * q; i++)
                  col[i] = NAN;
                nn_gemm_col2im (&g, 0, ta, m, q, k, a, lda, b, ldb, &cols, got, col, assign);
                nn_gemm (&g, 0, ta, 0, m, q, k, a, lda, b, ldb, 0.0f, refcol, q);
                nn_col2im_rows (ref, refcol, n, cols.b0, cols.nb, cols.c0, cols.c1, h, h, 4, 2, 1,
                                wo, wo, assign);
                g_assert_cmpmem (got, nx * sizeof (float), ref, nx * sizeof (float));
                /* Straight into the image, C is never written; otherwise it is C. */
                if (direct && assign)
                  g_assert_true (isnan (col[0]) && isnan (col[(size_t) m * q - 1]));
                else
                  g_assert_cmpmem (col, (size_t) m * q * sizeof (float), refcol,
                                   (size_t) m * q * sizeof (float));
                /* Without a workspace: sgemm, then col2im. */
                memcpy (got, x0, nx * sizeof (float));
                memcpy (ref, x0, nx * sizeof (float));
                nn_gemm_col2im (&none, 0, ta, m, q, k, a, lda, b, ldb, &cols, got, col, assign);
                cblas_sgemm (CblasRowMajor, ta ? CblasTrans : CblasNoTrans, CblasNoTrans, m, q, k,
                             1.0f, a, lda, b, ldb, 0.0f, refcol, q);
                nn_col2im_rows (ref, refcol, n, cols.b0, cols.nb, cols.c0, cols.c1, h, h, 4, 2, 1,
                                wo, wo, assign);
                g_assert_cmpmem (got, nx * sizeof (float), ref, nx * sizeof (float));
                g_free (a);
                g_free (b);
                g_free (x0);
                g_free (got);
                g_free (ref);
                g_free (col);
                g_free (refcol);
              }
        }
      g_aligned_free (g.work);
    }
}

/* nn_gemm_hold_a: products that read A packed whole beforehand equal to the bit those that pack it
 * themselves, in float32 and (where the processor has it) bf16, A transposed or not, with one to
 * eight blocks of K, rows and columns (one product of 2048 × 256 fills the 2 MB it may hold; one
 * larger is not held in float32), and with few columns (A read where it is stored: not held). A
 * product with the held description but another A of the same shape packs its own; so does a
 * product into an image (nn_gemm_col2im) with the held weights. */
static void
test_gemm_held (void)
{
  static const int shapes[][3] = {
    /* m, n, k */
    { 40, 300, 70 }, { 130, 1100, 300 }, { 256, 600, 2048 }, { 300, 600, 2048 }, { 16, 64, 600 },
    { 64, 2100, 33 },
  };
  NnRng rng;
  nn_rng_seed (&rng, 35);
  for (int prec = 0; prec < 2; prec++)
    {
      if (prec == 1 && !nn_cpu_has_bf16 ())
        continue;
      int own = prec == 1 || nn_gemm_f32_enabled ();
      NnGemm g = { prec ? NN_PRECISION_BF16 : NN_PRECISION_FP32, new_work (1), 1,
                   g_aligned_alloc (1, nn_gemm_hold_bytes (), 64) };
      NnGemm no_room = g;
      no_room.hold_room = NULL;
      for (guint t = 0; t < G_N_ELEMENTS (shapes); t++)
        for (int ta = 0; ta < 2; ta++)
          {
            int m = shapes[t][0], n = shapes[t][1], k = shapes[t][2];
            int lda = ta ? m + 3 : k + 5, ldb = n + 2, ldc = n + 1;
            size_t na = (size_t) (ta ? k : m) * lda, nc = (size_t) m * ldc;
            float *a = rand_buf (&rng, na, 1.0f), *a2 = rand_buf (&rng, na, 1.0f);
            float *b = rand_buf (&rng, (size_t) k * ldb, 1.0f);
            float *c0 = rand_buf (&rng, nc, 1.0f);
            float *got = g_memdup2 (c0, nc * sizeof (float));
            float *ref = g_memdup2 (c0, nc * sizeof (float));
            NnHeldA held;
            nn_gemm_hold_a (&g, 0, ta, m, n, k, a, lda, &held);
            NnGemm gh = g;
            gh.held = &held;
            /* Held where the kernel packs A and it fits: in float32, products of few columns
             * (n ≤ 64 transposed, 256 not) read A where it is stored, and 300 × 2048 is 2.4 MB
             * (in bf16, two values a word, 1.2 MB). */
            int packs = own && (prec == 1 || (n > (ta ? 64 : 256)
                                              && (size_t) (m + 7) / 8 * 8 * k <= 512 * 1024));
            g_assert_true ((held.packed != NULL) == packs);
            /* Without room to hold it, nothing is held. */
            NnHeldA none;
            nn_gemm_hold_a (&no_room, 0, ta, m, n, k, a, lda, &none);
            g_assert_null (none.packed);
            for (int bi = 0; bi < 2; bi++)
              {
                float beta = bi ? 1.0f : 0.0f;
                nn_gemm (&gh, 0, ta, 0, m, n, k, a, lda, b, ldb, beta, got, ldc);
                nn_gemm (&g, 0, ta, 0, m, n, k, a, lda, b, ldb, beta, ref, ldc);
                g_assert_cmpmem (got, nc * sizeof (float), ref, nc * sizeof (float));
                /* Another A of the same shape is packed as usual. */
                nn_gemm (&gh, 0, ta, 0, m, n, k, a2, lda, b, ldb, beta, got, ldc);
                nn_gemm (&g, 0, ta, 0, m, n, k, a2, lda, b, ldb, beta, ref, ldc);
                g_assert_cmpmem (got, nc * sizeof (float), ref, nc * sizeof (float));
              }
            g_free (a);
            g_free (a2);
            g_free (b);
            g_free (c0);
            g_free (got);
            g_free (ref);
          }
      /* Into an image: a 4 × 4 stride-2 input gradient of 3 blocks of images, weights held. */
      int n = 6, ch = 4, co = 40, h = 16, wo = 8, kk = 16, r = ch * kk, plane = wo * wo;
      int q = n * plane, per = 2;
      float *w = rand_buf (&rng, (size_t) co * r, 1.0f);
      float *dy = rand_buf (&rng, (size_t) co * q, 1.0f);
      size_t nx = (size_t) ch * n * h * h;
      float *got = g_new (float, nx), *ref = g_new (float, nx);
      float *col = g_new (float, (size_t) r * q);
      NnHeldA held;
      nn_gemm_hold_a (&g, 0, 1, r, per * plane, co, w, r, &held);
      NnGemm gh = g;
      gh.held = &held;
      g_assert_true ((held.packed != NULL) == own);
      for (int bb = 0; bb < n; bb += per)
        {
          NnColumns cols = { NULL, n, bb, per, 0, ch, h, h, 4, 2, 1, wo, wo };
          nn_gemm_col2im (&gh, 0, 1, r, per * plane, co, w, r, dy + bb * plane, q, &cols, got,
                          col, 1);
          nn_gemm_col2im (&g, 0, 1, r, per * plane, co, w, r, dy + bb * plane, q, &cols, ref,
                          col, 1);
        }
      g_assert_cmpmem (got, nx * sizeof (float), ref, nx * sizeof (float));
      g_free (w);
      g_free (dy);
      g_free (got);
      g_free (ref);
      g_free (col);
      g_aligned_free (g.work);
      g_aligned_free (g.hold_room);
    }
}

/* ‖x - y‖ / ‖y‖. */
static double
rel_error (const float *x, const float *y, size_t n)
{
  double d = 0.0, s = 0.0;
  for (size_t i = 0; i < n; i++)
    {
      d += (x[i] - (double) y[i]) * (x[i] - (double) y[i]);
      s += (double) y[i] * y[i];
    }
  return sqrt (d / (s + 1e-300));
}

/* A conv's (or transposed conv's) forward pass, input gradient and weight gradient in bf16 against
 * float32, in `parts` parts. Every element of each is a sum of products of rounded factors, so
 * each is off by at most 2⁻⁷ of its Σ|a·b|; with random signs the sums are smaller than Σ|a·b|,
 * so the relative error of the whole tensor is held to 2⁻⁵ (a few times the worst case of one
 * product). The outputs in `bf16` (1 y, 2 dx, 4 dw) come from bf16 products and must differ from
 * float32 by more than 2⁻¹⁶ (the bf16 path ran: float32 would agree to ~2⁻²³); the others come
 * from products nn_gemm keeps on sgemm (fewer than 32 columns or K below 32). */
static void
check_conv_bf16 (int transposed, int ci, int co, int k, int s, int p, int h, int n, int parts,
                 int bf16)
{
  NnConv2d c;
  NnRng rng;
  if (transposed)
    nn_conv_transpose2d_init (&c, ci, co, k, s, p, h, h);
  else
    nn_conv2d_init (&c, ci, co, k, s, p, h, h);
  nn_rng_seed (&rng, (uint64_t) (ci * 7 + co * 131 + k * 3 + s + p * 5 + h * 11 + transposed));
  size_t nx = (size_t) ci * n * h * h, ny = (size_t) co * n * c.ho * c.wo;
  size_t nw = (size_t) ci * co * k * k;
  size_t ncol = (transposed ? nn_conv_transpose2d_scratch_floats (&c, n)
                            : nn_conv2d_scratch_floats (&c, n)) + 1;
  float *x = rand_buf (&rng, nx, 1.0f), *w = rand_buf (&rng, nw, 0.5f);
  float *b = rand_buf (&rng, (size_t) co, 0.5f), *dy = rand_buf (&rng, ny, 1.0f);
  float *col = g_new (float, ncol);
  float *y[2], *dx[2], *dw[2], *db[2];
  NnGemm g16 = { NN_PRECISION_BF16, new_work (parts), parts };

  for (int v = 0; v < 2; v++)
    {
      const NnGemm *g = v == 0 ? NULL : &g16;
      y[v] = g_new (float, ny);
      dx[v] = g_new0 (float, nx);
      dw[v] = g_new0 (float, nw);
      db[v] = g_new0 (float, co);
      for (int i = 0; i < parts; i++)
        if (transposed)
          nn_conv_transpose2d_forward_part (y[v], col, x, w, b, &c, n, i, parts, g);
        else
          nn_conv2d_forward_part (y[v], col, x, w, b, &c, n, i, parts, g);
      if (transposed)
        {
          for (int i = 0; i < parts; i++)
            nn_conv_transpose2d_backward_weight_part (dw[v], db[v], col, dy, x, &c, n, i, parts, g);
          for (int i = 0; i < parts; i++)
            nn_conv_transpose2d_backward_data_part (dx[v], col, dy, w, &c, n, i, parts, 0, g);
        }
      else
        for (int i = 0; i < parts; i++)
          nn_conv2d_backward_part (dx[v], dw[v], db[v], col, dy, x, w, &c, n, i, parts, 0, g);
    }
  double ey = rel_error (y[1], y[0], ny), ex = rel_error (dx[1], dx[0], nx);
  double ew = rel_error (dw[1], dw[0], nw);
  g_test_message ("%s %d→%d k%d s%d p%d %d px ×%d, %d parts: relative error y %.2e dx %.2e dw %.2e",
                  transposed ? "convT" : "conv", ci, co, k, s, p, h, n, parts, ey, ex, ew);
  for (int i = 0; i < 3; i++)
    {
      double e = i == 0 ? ey : i == 1 ? ex : ew;
      g_assert_cmpfloat (e, <, ldexp (1.0, -5));
      if (bf16 & (1 << i))
        g_assert_cmpfloat (e, >, ldexp (1.0, -16));
    }
  /* The bias gradient is a float32 sum of dy in both. */
  for (int i = 0; i < co; i++)
    g_assert_cmpfloat_with_epsilon (db[1][i], db[0][i], 1e-4 * (1.0 + fabs (db[0][i])));
  for (int v = 0; v < 2; v++)
    {
      g_free (y[v]);
      g_free (dx[v]);
      g_free (dw[v]);
      g_free (db[v]);
    }
  g_aligned_free (g16.work);
  g_free (x);
  g_free (w);
  g_free (b);
  g_free (dy);
  g_free (col);
}

static void
test_conv_bf16 (void)
{
  if (skip_without_bf16 ())
    return;
  /* pix2pix's 4×4 stride-2 layers, the PatchGAN's stride-1 layers (one of them with one output
   * channel: the output-side path, whose gradients have K or N of 16), a 1×1 conv and a 3×3 one,
   * the transposed convs (the last one with one output channel); one part and three. */
  for (int parts = 1; parts <= 3; parts += 2)
    {
      check_conv_bf16 (0, 6, 32, 4, 2, 1, 16, 2, parts, 7);
      check_conv_bf16 (0, 32, 64, 4, 2, 1, 16, 3, parts, 7);
      check_conv_bf16 (0, 16, 32, 4, 1, 1, 7, 2, parts, 7);
      check_conv_bf16 (0, 48, 1, 4, 1, 1, 6, 2, parts, 1);
      check_conv_bf16 (0, 32, 40, 1, 1, 0, 6, 2, parts, 3);
      check_conv_bf16 (0, 16, 32, 3, 1, 1, 9, 2, parts, 7);
      check_conv_bf16 (1, 32, 16, 4, 2, 1, 8, 3, parts, 7);
      check_conv_bf16 (1, 64, 32, 4, 2, 1, 8, 2, parts, 7);
      check_conv_bf16 (1, 32, 1, 4, 2, 1, 8, 2, parts, 1);
      check_conv_bf16 (1, 32, 36, 1, 1, 0, 6, 2, parts, 3);
    }
}

/* A whole training step in bf16 from the same model and data as one in float32. Through a dozen
 * layers, batch norms over few values and the losses, these gradients are sensitive: rounding only
 * the weights of the float32 model to bf16 moves them by ~10% (relative, each network's block). The
 * bf16 step rounds weights and activations, each a perturbation of that size, so its gradients must
 * stay within twice the weight rounding's change, and differ from float32 (the bf16 path ran); the
 * losses agree within 2%. nn_pix2pix_set_training switches a float32 model to bf16. */
static void
test_pix2pix_bf16 (void)
{
  if (skip_without_bf16 ())
    return;
  NnPix2PixConfig cfg;
  nn_pix2pix_defaults (&cfg);
  cfg.size = 32;
  cfg.ngf = 8;
  cfg.batch = 4;
  cfg.dropout = 0.0f;
  int n = cfg.batch;
  size_t img = (size_t) n * cfg.size * cfg.size;
  NnRng rng;
  nn_rng_seed (&rng, 3);
  float *src = rand_buf (&rng, img, 1.0f), *tgt = rand_buf (&rng, img, 1.0f);
  NnStepStats st[3];
  float *grads[3][2];
  size_t len[2] = { 0, 0 };

  /* v = 0: float32; 1: bf16; 2: float32 with the weights rounded to bf16. */
  for (int v = 0; v < 3; v++)
    {
      NnPix2Pix *m = NULL;
      g_assert_cmpint (nn_pix2pix_create (&m, &cfg, NULL, NULL, 5), ==, NN_OK);
      if (v == 1)
        {
          NnPix2PixConfig c16 = cfg;
          c16.precision = NN_PRECISION_BF16;
          g_assert_cmpint (nn_pix2pix_set_training (m, &c16), ==, NN_OK);
          g_assert_cmpint (nn_pix2pix_config (m)->precision, ==, NN_PRECISION_BF16);
        }
      if (v == 2)
        for (int net = 0; net < 2; net++)
          {
            float *p;
            size_t np = nn_pix2pix_param_block (m, net, &p, NULL);
            for (size_t i = 0; i < np; i++)
              p[i] = (float) round_bf16 (p[i]);
          }
      NnRng r;
      nn_rng_seed (&r, 9);
      g_assert_cmpint (nn_pix2pix_compute (m, src, tgt, NULL, n, &r, &st[v]), ==, NN_OK);
      for (int net = 0; net < 2; net++)
        {
          float *gr;
          len[net] = nn_pix2pix_param_block (m, net, NULL, &gr);
          grads[v][net] = g_memdup2 (gr, len[net] * sizeof (float));
        }
      nn_pix2pix_free (m);
    }
  g_assert_cmpfloat (fabs (st[1].d_loss - st[0].d_loss), <, 0.02 * fabs (st[0].d_loss));
  g_assert_cmpfloat (fabs (st[1].g_loss - st[0].g_loss), <, 0.02 * fabs (st[0].g_loss));
  for (int net = 0; net < 2; net++)
    {
      double e = rel_error (grads[1][net], grads[0][net], len[net]);
      double sens = rel_error (grads[2][net], grads[0][net], len[net]);
      g_test_message ("%s gradients: relative error %.2e (rounding the weights alone: %.2e)",
                      net ? "D" : "G", e, sens);
      g_assert_cmpfloat (e, <, 2.0 * sens);
      g_assert_cmpfloat (e, >, ldexp (1.0, -16));
      for (int v = 0; v < 3; v++)
        g_free (grads[v][net]);
    }

  /* A config asking for bf16 builds directly; it generates exactly what the same weights do in
   * float32 (generation always multiplies in float32), while its training step (above) differs. */
  NnPix2Pix *m = NULL;
  cfg.precision = NN_PRECISION_BF16;
  g_assert_cmpint (nn_pix2pix_create (&m, &cfg, NULL, NULL, 5), ==, NN_OK);
  float *out16 = g_new (float, img), *out32 = g_new (float, img), *mixed = g_new (float, img);
  int a[4] = { 0, 0, 0, 0 };
  float t[4] = { 0.0f, 0.0f, 0.0f, 0.0f };
  g_assert_cmpint (nn_pix2pix_generate (m, src, NULL, n, out16), ==, NN_OK);
  g_assert_cmpint (nn_pix2pix_generate_mix (m, src, a, a, t, n, mixed), ==, NN_OK);
  g_assert_cmpint (nn_pix2pix_config (m)->precision, ==, NN_PRECISION_BF16);
  NnPix2PixConfig c32 = cfg;
  c32.precision = NN_PRECISION_FP32;
  g_assert_cmpint (nn_pix2pix_set_training (m, &c32), ==, NN_OK);
  g_assert_cmpint (nn_pix2pix_generate (m, src, NULL, n, out32), ==, NN_OK);
  g_assert_cmpmem (out16, img * sizeof (float), out32, img * sizeof (float));
  g_assert_cmpmem (mixed, img * sizeof (float), out32, img * sizeof (float));
  g_free (out16);
  g_free (out32);
  g_free (mixed);
  nn_pix2pix_free (m);
  cfg.precision = NN_PRECISION_AUTO;   /* must be resolved before a model is built */
  g_assert_cmpint (nn_pix2pix_create (&m, &cfg, NULL, NULL, 5), ==, NN_ERR_INVALID);
  cfg.precision = (NnPrecision) 7;
  g_assert_cmpint (nn_pix2pix_create (&m, &cfg, NULL, NULL, 5), ==, NN_ERR_INVALID);
  g_free (src);
  g_free (tgt);
}

/* The measured peak: a finite positive rate at 256 or 512 bits where the processor has FMA, a bf16
 * rate exactly where it has AVX512_BF16. Not a timing test: any positive number passes. */
static void
test_peak (void)
{
  NnPeak p;
  __builtin_cpu_init ();
  g_assert_cmpint (nn_peak_measure (&p, 2, 0.05), ==, NN_OK);
  g_assert_cmpint (p.threads, ==, 2);
  if (__builtin_cpu_supports ("fma") && __builtin_cpu_supports ("avx2"))
    {
      g_assert_cmpfloat (p.fp32_gflops, >, 0.0);
      g_assert_true (isfinite (p.fp32_gflops));
      g_assert_true (p.fp32_bits == 256 || p.fp32_bits == 512);
    }
  if (nn_cpu_has_bf16 ())
    g_assert_cmpfloat (p.bf16_gflops, >, 0.0);
  else
    g_assert_cmpfloat (p.bf16_gflops, ==, 0.0);
  g_test_message ("fp32 %.1f GFLOP/s (%d-bit), bf16 %.1f GFLOP/s on %d threads", p.fp32_gflops,
                  p.fp32_bits, p.bf16_gflops, p.threads);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/nn/gemm/bf16", test_gemm_bf16);
  g_test_add_func ("/nn/gemm/dispatch", test_gemm_dispatch);
  g_test_add_func ("/nn/gemm/f32", test_gemm_f32);
  g_test_add_func ("/nn/gemm/dispatch-f32", test_gemm_dispatch_f32);
  g_test_add_func ("/nn/gemm/columns", test_gemm_columns);
  g_test_add_func ("/nn/gemm/col2im", test_gemm_col2im);
  g_test_add_func ("/nn/gemm/held", test_gemm_held);
  g_test_add_func ("/nn/gemm/narrow-f32", test_gemm_narrow_f32);
  g_test_add_func ("/nn/gemm/few-columns-f32", test_gemm_few_columns_f32);
  g_test_add_func ("/nn/gemm/conv-bf16", test_conv_bf16);
  g_test_add_func ("/nn/gemm/pix2pix-bf16", test_pix2pix_bf16);
  g_test_add_func ("/nn/peak/measure", test_peak);
  return g_test_run ();
}
