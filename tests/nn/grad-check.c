/* grad-check.c — random tensors and the finite-difference gradient check of the layer tests
 * (grad-check.h). */
#include "grad-check.h"

#include <math.h>

float *
rand_buf (NnRng *rng, size_t n, float scale)
{
  float *p = g_new (float, n);
  for (size_t i = 0; i < n; i++)
    p[i] = scale * (2.0f * nn_rng_uniform (rng) - 1.0f);
  return p;
}

float *
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

double
dot (const float *a, const float *b, size_t n)
{
  double acc = 0.0;
  for (size_t i = 0; i < n; i++)
    acc += (double) a[i] * b[i];
  return acc;
}

void
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
