/* nn-init.c — weight initialisation: constants, uniform, normal (pix2pix's N(0, 0.02), Isola et al.
 * 2017), Kaiming (He et al. 2015) and Xavier/Glorot (Glorot & Bengio 2010), all drawn from the NnRng
 * passed in, element by element in index order, so the values depend only on the seed. */
#include "nn-init.h"

#include <math.h>

void
nn_init_fans (const int *shape, int ndim, size_t *fan_in, size_t *fan_out)
{
  size_t receptive = 1;
  for (int d = 2; d < ndim; d++)
    receptive *= (size_t) shape[d];
  *fan_in = ndim >= 2 ? (size_t) shape[1] * receptive : (ndim == 1 ? (size_t) shape[0] : 1);
  *fan_out = ndim >= 1 ? (size_t) shape[0] * receptive : 1;
}

float
nn_init_relu_gain (float negative_slope)
{
  return sqrtf (2.0f / (1.0f + negative_slope * negative_slope));
}

void
nn_init_constant (float *w, size_t n, float value)
{
  for (size_t i = 0; i < n; i++)
    w[i] = value;
}

void
nn_init_zeros (float *w, size_t n)
{
  nn_init_constant (w, n, 0.0f);
}

void
nn_init_ones (float *w, size_t n)
{
  nn_init_constant (w, n, 1.0f);
}

void
nn_init_uniform (float *w, size_t n, float lo, float hi, NnRng *rng)
{
  for (size_t i = 0; i < n; i++)
    w[i] = lo + (hi - lo) * nn_rng_uniform (rng);
}

void
nn_init_normal (float *w, size_t n, float mean, float std, NnRng *rng)
{
  for (size_t i = 0; i < n; i++)
    w[i] = mean + std * nn_rng_normal (rng);
}

void
nn_init_kaiming_normal (float *w, size_t n, size_t fan_in, float negative_slope, NnRng *rng)
{
  const float std = nn_init_relu_gain (negative_slope) / sqrtf ((float) (fan_in > 0 ? fan_in : 1));
  nn_init_normal (w, n, 0.0f, std, rng);
}

void
nn_init_kaiming_uniform (float *w, size_t n, size_t fan_in, float negative_slope, NnRng *rng)
{
  const float bound = nn_init_relu_gain (negative_slope)
                      * sqrtf (3.0f / (float) (fan_in > 0 ? fan_in : 1));
  nn_init_uniform (w, n, -bound, bound, rng);
}

void
nn_init_xavier_normal (float *w, size_t n, size_t fan_in, size_t fan_out, float gain, NnRng *rng)
{
  const size_t fans = fan_in + fan_out > 0 ? fan_in + fan_out : 1;
  nn_init_normal (w, n, 0.0f, gain * sqrtf (2.0f / (float) fans), rng);
}

void
nn_init_xavier_uniform (float *w, size_t n, size_t fan_in, size_t fan_out, float gain, NnRng *rng)
{
  const size_t fans = fan_in + fan_out > 0 ? fan_in + fan_out : 1;
  const float bound = gain * sqrtf (6.0f / (float) fans);
  nn_init_uniform (w, n, -bound, bound, rng);
}
