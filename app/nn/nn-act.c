/* nn-act.c — element-wise activations and their derivatives. The (leaky) ReLUs are written as
 * selects between values that are computed unconditionally, so that GCC vectorises them: with
 * `x > 0 ? x : a·x` it keeps a scalar loop with a branch (it may not speculate the multiply under
 * -ftrapping-math), which measured 3 ns per value and 5% of a training step. */
#include "nn-act.h"

#include <math.h>

void
nn_leaky_relu_forward (float *y, const float *x, float slope, size_t n)
{
  for (size_t i = 0; i < n; i++)
    {
      float v = x[i];
      float pos = v > 0.0f ? v : 0.0f, neg = v > 0.0f ? 0.0f : v;
      y[i] = pos + slope * neg;
    }
}

void
nn_leaky_relu_backward (float *dx, const float *dy, const float *y, float slope, size_t n)
{
  for (size_t i = 0; i < n; i++)
    {
      float k = y[i] > 0.0f ? 1.0f : slope;
      dx[i] += k * dy[i];
    }
}

void
nn_leaky_relu_grad_inplace (float *d, const float *y, float slope, size_t n)
{
  for (size_t i = 0; i < n; i++)
    {
      float k = y[i] > 0.0f ? 1.0f : slope;
      d[i] *= k;
    }
}

void
nn_relu_forward (float *y, const float *x, size_t n)
{
  for (size_t i = 0; i < n; i++)
    {
      float v = x[i];
      y[i] = v > 0.0f ? v : 0.0f;
    }
}

void
nn_relu_backward (float *dx, const float *dy, const float *y, size_t n)
{
  for (size_t i = 0; i < n; i++)
    {
      float k = y[i] > 0.0f ? 1.0f : 0.0f;
      dx[i] += k * dy[i];
    }
}

void
nn_relu_grad_inplace (float *d, const float *y, size_t n)
{
  for (size_t i = 0; i < n; i++)
    {
      float k = y[i] > 0.0f ? 1.0f : 0.0f;
      d[i] *= k;
    }
}

void
nn_tanh_forward (float *y, const float *x, size_t n)
{
  for (size_t i = 0; i < n; i++)
    y[i] = tanhf (x[i]);
}

void
nn_tanh_backward (float *dx, const float *dy, const float *y, size_t n)
{
  for (size_t i = 0; i < n; i++)
    dx[i] += dy[i] * (1.0f - y[i] * y[i]);
}

void
nn_sigmoid_forward (float *y, const float *x, size_t n)
{
  /* Written so that exp never overflows: for x < 0 use e^x / (1 + e^x). */
  for (size_t i = 0; i < n; i++)
    {
      float e = expf (-fabsf (x[i]));
      y[i] = x[i] >= 0.0f ? 1.0f / (1.0f + e) : e / (1.0f + e);
    }
}

void
nn_sigmoid_backward (float *dx, const float *dy, const float *y, size_t n)
{
  for (size_t i = 0; i < n; i++)
    dx[i] += dy[i] * y[i] * (1.0f - y[i]);
}
