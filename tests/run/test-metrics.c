/* test-metrics.c — L1, SSIM and ink IoU against hand-computed cases and against a direct (slow)
 * two-dimensional SSIM written independently here from Wang et al. 2004's definition. */
#include "zi-metrics.h"
#include "nn-loss.h"

#include <math.h>

static void
fill_square (float *img, guint size, guint x0, guint y0, guint side, float v)
{
  for (guint y = y0; y < y0 + side; y++)
    for (guint x = x0; x < x0 + side; x++)
      img[y * size + x] = v;
}

static void
test_identical (void)
{
  const guint size = 32;
  float a[32 * 32] = { 0 };

  fill_square (a, size, 5, 7, 12, 1.0f);
  fill_square (a, size, 20, 20, 3, 0.4f);
  g_assert_cmpfloat_with_epsilon (zi_metrics_ssim (a, a, size, size), 1.0, 1e-12);
  g_assert_cmpfloat (zi_metrics_l1 (a, a, size * size), ==, 0.0);
  g_assert_cmpfloat (zi_metrics_iou (a, a, size * size, 0.5f), ==, 1.0);
}

static void
test_shift (void)
{
  const guint size = 32;
  float a[32 * 32] = { 0 }, b[32 * 32] = { 0 };

  /* A 10×10 square moved right by one pixel: 10 pixels appear, 10 vanish. */
  fill_square (a, size, 8, 8, 10, 1.0f);
  fill_square (b, size, 9, 8, 10, 1.0f);
  g_assert_cmpfloat_with_epsilon (zi_metrics_l1 (a, b, size * size), 20.0 / (32 * 32), 1e-12);
  g_assert_cmpfloat_with_epsilon (zi_metrics_iou (a, b, size * size, 0.5f), 90.0 / 110.0, 1e-12);
  double s1 = zi_metrics_ssim (a, b, size, size);
  g_assert_cmpfloat (s1, <, 1.0);
  g_assert_cmpfloat (s1, >, 0.0);

  /* Moving further must not look more similar. */
  float c[32 * 32] = { 0 };
  fill_square (c, size, 12, 8, 10, 1.0f);
  g_assert_cmpfloat (zi_metrics_ssim (a, c, size, size), <, s1);
}

static void
test_iou_threshold (void)
{
  float a[4] = { 0.6f, 0.5f, 0.0f, 1.0f };
  float b[4] = { 0.4f, 0.7f, 0.0f, 0.9f };

  /* Ink in a: {0, 3}; in b: {1, 3}; intersection {3}, union {0, 1, 3}. */
  g_assert_cmpfloat_with_epsilon (zi_metrics_iou (a, b, 4, 0.5f), 1.0 / 3.0, 1e-12);
  float z[4] = { 0 };
  g_assert_cmpfloat (zi_metrics_iou (z, z, 4, 0.5f), ==, 1.0);
  g_assert_cmpfloat (zi_metrics_iou (a, z, 4, 0.5f), ==, 0.0);
}

/* Constant images have no variance, so SSIM is the luminance term alone:
 * (2ab + C1) / (a² + b² + C1) with C1 = 0.01². */
static void
test_constant_luminance (void)
{
  const guint size = 16;
  float a[16 * 16], b[16 * 16];

  for (guint i = 0; i < size * size; i++)
    {
      a[i] = 0.5f;
      b[i] = 0.25f;
    }
  double c1 = 1e-4;
  double expected = (2 * 0.5 * 0.25 + c1) / (0.25 + 0.0625 + c1);
  g_assert_cmpfloat_with_epsilon (zi_metrics_ssim (a, b, size, size), expected, 1e-9);
}

/* The reference: for every pixel whose 11×11 window fits, weighted moments with the 2-D Gaussian
 * weights directly (no separability), unbiased by N/(N-1), N = 121. */
static double
ssim_direct (const float *a, const float *b, int w, int h)
{
  double g[11][11], sum = 0.0, total = 0.0;
  int count = 0;

  for (int i = 0; i < 11; i++)
    for (int j = 0; j < 11; j++)
      {
        double di = i - 5, dj = j - 5;
        g[i][j] = exp (-(di * di + dj * dj) / (2.0 * 1.5 * 1.5));
        sum += g[i][j];
      }
  for (int y = 5; y < h - 5; y++)
    for (int x = 5; x < w - 5; x++)
      {
        double mx = 0, my = 0, sxx = 0, syy = 0, sxy = 0;
        for (int i = 0; i < 11; i++)
          for (int j = 0; j < 11; j++)
            {
              double wt = g[i][j] / sum;
              double va = a[(y + i - 5) * w + x + j - 5];
              double vb = b[(y + i - 5) * w + x + j - 5];
              mx += wt * va;
              my += wt * vb;
            }
        for (int i = 0; i < 11; i++)
          for (int j = 0; j < 11; j++)
            {
              double wt = g[i][j] / sum;
              double va = a[(y + i - 5) * w + x + j - 5] - mx;
              double vb = b[(y + i - 5) * w + x + j - 5] - my;
              sxx += wt * va * va;
              syy += wt * vb * vb;
              sxy += wt * va * vb;
            }
        sxx *= 121.0 / 120.0;
        syy *= 121.0 / 120.0;
        sxy *= 121.0 / 120.0;
        total += ((2 * mx * my + 1e-4) * (2 * sxy + 9e-4))
                 / ((mx * mx + my * my + 1e-4) * (sxx + syy + 9e-4));
        count++;
      }
  return total / count;
}

static void
test_ssim_reference (void)
{
  const int w = 40, h = 29;
  g_autofree float *a = g_new (float, w * h);
  g_autofree float *b = g_new (float, w * h);
  GRand *rand = g_rand_new_with_seed (42);

  for (int round = 0; round < 3; round++)
    {
      for (int i = 0; i < w * h; i++)
        {
          a[i] = (float) g_rand_double (rand);
          /* b correlates with a to a varying degree, so SSIM lands well inside (-1, 1). */
          b[i] = (float) CLAMP (a[i] * (0.3 + 0.3 * round) + 0.4 * g_rand_double (rand), 0.0, 1.0);
        }
      double fast = zi_metrics_ssim (a, b, w, h);
      double slow = ssim_direct (a, b, w, h);
      g_assert_cmpfloat_with_epsilon (fast, slow, 1e-9);
      g_assert_cmpfloat (fast, >, 0.05);
      g_assert_cmpfloat (fast, <, 0.95);
    }
  g_rand_free (rand);

  /* Too small for one window. */
  g_assert_true (isnan (zi_metrics_ssim (a, b, 10, 10)));
}

static void
test_coverage_average (void)
{
  const guint size = 16, n = 2;
  guint8 a[2 * 16 * 16] = { 0 }, b[2 * 16 * 16] = { 0 };
  ZiMetrics m;

  /* Glyph 0 identical; glyph 1: a has a full-ink row b lacks. */
  for (guint i = 0; i < size * size; i++)
    a[i] = b[i] = (guint8) (i % 7 == 0 ? 255 : 0);
  for (guint x = 0; x < size; x++)
    a[size * size + 3 * size + x] = 255;
  b[size * size + 3 * size] = 255;

  zi_metrics_coverage (a, b, n, size, &m);
  g_assert_cmpuint (m.n, ==, 2);
  g_assert_cmpfloat_with_epsilon (m.l1, (0.0 + 15.0 / 256.0) / 2.0, 1e-9);
  g_assert_cmpfloat_with_epsilon (m.iou, (1.0 + 1.0 / 16.0) / 2.0, 1e-9);
  g_assert_cmpfloat (m.ssim, <, 1.0);
  g_assert_cmpfloat (m.ssim, >, 0.5);
}

/* The engine's SSIM loss trains what validation measures: 1 - loss on [-1, 1] images equals
 * zi_metrics_ssim on the same images mapped to [0, 1]. */
static void
test_ssim_loss_matches_metric (void)
{
  const guint w = 24, h = 20;
  GRand *rand = g_rand_new_with_seed (11);
  float a[24 * 20], b[24 * 20], sa[24 * 20], sb[24 * 20];

  for (int round = 0; round < 3; round++)
    {
      for (guint i = 0; i < w * h; i++)
        {
          b[i] = g_rand_double (rand) < 0.4 ? 1.0f : 0.0f;
          a[i] = (float) CLAMP (0.8 * b[i] + 0.3 * g_rand_double (rand), 0.0, 1.0);
          sa[i] = 2.0f * a[i] - 1.0f;
          sb[i] = 2.0f * b[i] - 1.0f;
        }
      double metric = zi_metrics_ssim (a, b, w, h);
      double loss = nn_loss_ssim (NULL, sa, sb, 1, (int) h, (int) w, 1.0f);
      g_assert_cmpfloat_with_epsilon (1.0 - loss, metric, 1e-5);
    }
  g_rand_free (rand);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/core/metrics/identical", test_identical);
  g_test_add_func ("/core/metrics/shift", test_shift);
  g_test_add_func ("/core/metrics/iou-threshold", test_iou_threshold);
  g_test_add_func ("/core/metrics/ssim-constant", test_constant_luminance);
  g_test_add_func ("/core/metrics/ssim-reference", test_ssim_reference);
  g_test_add_func ("/core/metrics/coverage-average", test_coverage_average);
  g_test_add_func ("/core/metrics/ssim-loss-matches", test_ssim_loss_matches_metric);
  return g_test_run ();
}
