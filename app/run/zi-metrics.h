/* zi-metrics.h — image-quality metrics of generated glyphs against the target font, on [0, 1] images
 * where ink = 1 (coverage / 255): mean absolute error (L1), SSIM and ink IoU.
 *
 * SSIM is the standard Gaussian-window SSIM of Wang et al. 2004 ("Image quality assessment: from
 * error visibility to structural similarity", IEEE TIP 13(4)), computed as scikit-image's
 * structural_similarity with gaussian_weights=True: sigma 1.5, window radius 5 (truncate 3.5),
 * K1 0.01, K2 0.03, data range 1, sample-covariance correction N/(N-1) with N = 11², averaged over
 * the pixels whose window lies inside the image (a 5-pixel border is cropped). */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Mean absolute difference of two float images of n pixels. */
double zi_metrics_l1 (const float *a, const float *b, gsize n);
/* Mean SSIM of two float images of width × height (both ≥ 11; smaller images give NAN). */
double zi_metrics_ssim (const float *a, const float *b, guint width, guint height);
/* Intersection over union of the pixels > threshold; 1 when both images have no ink. */
double zi_metrics_iou (const float *a, const float *b, gsize n, float threshold);

/* The three metrics averaged over n glyphs. */
typedef struct {
  double l1;
  double ssim;
  double iou;
  guint  n;
} ZiMetrics;

/* Averages L1, SSIM and IoU (threshold 0.5) over n coverage bitmaps of size×size each
 * (0 = paper, 255 = ink). n = 0 gives zeros. */
void zi_metrics_coverage (const guint8 *a,      /* [n * size * size] */
                          const guint8 *b,      /* [n * size * size] */
                          guint         n,
                          guint         size,
                          ZiMetrics    *out);

G_END_DECLS
