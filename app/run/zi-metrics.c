/* zi-metrics.c — L1, Gaussian-window SSIM and ink IoU (see zi-metrics.h for the exact definitions).
 *
 * SSIM filters the five moment images (x, y, x², y², xy) with a separable Gaussian. Only pixels whose
 * whole 11×11 window lies inside the image are averaged (scikit-image crops the same border), so no
 * boundary extension is ever needed and the result matches any padding mode. */
#include "zi-metrics.h"
#include "zi-image.h"

#include <math.h>

#define SSIM_SIGMA  1.5
#define SSIM_RADIUS 5          /* int (3.5 * 1.5 + 0.5), scikit-image's truncate = 3.5 */
#define SSIM_WIN    (2 * SSIM_RADIUS + 1)
#define SSIM_K1     0.01
#define SSIM_K2     0.03

double
zi_metrics_l1 (const float *a, const float *b, gsize n)
{
  double sum = 0.0;

  g_return_val_if_fail (n == 0 || (a != NULL && b != NULL), NAN);

  if (n == 0)
    return 0.0;
  for (gsize i = 0; i < n; i++)
    sum += fabs ((double) a[i] - (double) b[i]);
  return sum / (double) n;
}

double
zi_metrics_iou (const float *a, const float *b, gsize n, float threshold)
{
  gsize inter = 0, uni = 0;

  g_return_val_if_fail (n == 0 || (a != NULL && b != NULL), NAN);

  for (gsize i = 0; i < n; i++)
    {
      gboolean ia = a[i] > threshold;
      gboolean ib = b[i] > threshold;
      inter += ia && ib;
      uni += ia || ib;
    }
  return uni == 0 ? 1.0 : (double) inter / (double) uni;
}

double
zi_metrics_ssim (const float *a, const float *b, guint width, guint height)
{
  double kernel[SSIM_WIN];
  double ksum = 0.0;
  const double c1 = (SSIM_K1 * 1.0) * (SSIM_K1 * 1.0);
  const double c2 = (SSIM_K2 * 1.0) * (SSIM_K2 * 1.0);
  /* scikit-image's use_sample_covariance: unbiased variances over a window of N = 11² samples. */
  const double cov_norm = (double) (SSIM_WIN * SSIM_WIN) / (double) (SSIM_WIN * SSIM_WIN - 1);
  guint ow, oh;
  double total = 0.0;

  g_return_val_if_fail (a != NULL && b != NULL, NAN);

  if (width < SSIM_WIN || height < SSIM_WIN)
    return NAN;

  for (int k = -SSIM_RADIUS; k <= SSIM_RADIUS; k++)
    {
      kernel[k + SSIM_RADIUS] = exp (-0.5 * (double) (k * k) / (SSIM_SIGMA * SSIM_SIGMA));
      ksum += kernel[k + SSIM_RADIUS];
    }
  for (int k = 0; k < SSIM_WIN; k++)
    kernel[k] /= ksum;

  ow = width - 2 * SSIM_RADIUS;
  oh = height - 2 * SSIM_RADIUS;

  /* Horizontal pass: 5 moments for every row, interior columns only. */
  g_autofree double *h = g_new (double, (gsize) 5 * height * ow);
  for (guint y = 0; y < height; y++)
    for (guint x = 0; x < ow; x++)
      {
        double m[5] = { 0 };
        for (int k = 0; k < SSIM_WIN; k++)
          {
            double va = a[(gsize) y * width + x + k];
            double vb = b[(gsize) y * width + x + k];
            double w = kernel[k];
            m[0] += w * va;
            m[1] += w * vb;
            m[2] += w * va * va;
            m[3] += w * vb * vb;
            m[4] += w * va * vb;
          }
        for (int j = 0; j < 5; j++)
          h[((gsize) j * height + y) * ow + x] = m[j];
      }

  /* Vertical pass on the interior rows, then the SSIM map, summed on the fly. */
  for (guint y = 0; y < oh; y++)
    for (guint x = 0; x < ow; x++)
      {
        double m[5] = { 0 };
        for (int j = 0; j < 5; j++)
          for (int k = 0; k < SSIM_WIN; k++)
            m[j] += kernel[k] * h[((gsize) j * height + y + k) * ow + x];
        double ux = m[0], uy = m[1];
        double vx = cov_norm * (m[2] - ux * ux);
        double vy = cov_norm * (m[3] - uy * uy);
        double vxy = cov_norm * (m[4] - ux * uy);
        double num = (2.0 * ux * uy + c1) * (2.0 * vxy + c2);
        double den = (ux * ux + uy * uy + c1) * (vx + vy + c2);
        total += num / den;
      }
  return total / ((double) ow * (double) oh);
}

void
zi_metrics_coverage (const guint8 *a, const guint8 *b, guint n, guint size, ZiMetrics *out)
{
  gsize pixels = (gsize) size * size;

  g_return_if_fail (out != NULL);
  g_return_if_fail (n == 0 || (a != NULL && b != NULL));

  out->l1 = out->ssim = out->iou = 0.0;
  out->n = n;
  if (n == 0)
    return;

  g_autofree float *fa = g_new (float, pixels);
  g_autofree float *fb = g_new (float, pixels);
  for (guint i = 0; i < n; i++)
    {
      zi_image_coverage_to_float (a + i * pixels, fa, pixels);
      zi_image_coverage_to_float (b + i * pixels, fb, pixels);
      out->l1 += zi_metrics_l1 (fa, fb, pixels);
      out->ssim += zi_metrics_ssim (fa, fb, size, size);
      out->iou += zi_metrics_iou (fa, fb, pixels, 0.5f);
    }
  out->l1 /= n;
  out->ssim /= n;
  out->iou /= n;
}
