/* nn-act.c — element-wise activations and their derivatives, written as plain loops the compiler
 * vectorises (branch-free selects). */
#include "nn-act.h"

#include <math.h>

void
nn_leaky_relu_forward (float *y, const float *x, float slope, size_t n)
{
  for (size_t i = 0; i < n; i++)
    y[i] = x[i] > 0.0f ? x[i] : slope * x[i];
}

void
nn_leaky_relu_backward (float *dx, const float *dy, const float *y, float slope, size_t n)
{
  for (size_t i = 0; i < n; i++)
    dx[i] += y[i] > 0.0f ? dy[i] : slope * dy[i];
}

void
nn_relu_forward (float *y, const float *x, size_t n)
{
  for (size_t i = 0; i < n; i++)
    y[i] = x[i] > 0.0f ? x[i] : 0.0f;
}

void
nn_relu_backward (float *dx, const float *dy, const float *y, size_t n)
{
  for (size_t i = 0; i < n; i++)
    dx[i] += y[i] > 0.0f ? dy[i] : 0.0f;
}

void
nn_leaky_relu_grad_inplace (float *d, const float *y, float slope, size_t n)
{
  for (size_t i = 0; i < n; i++)
    d[i] = y[i] > 0.0f ? d[i] : slope * d[i];
}

void
nn_relu_grad_inplace (float *d, const float *y, size_t n)
{
  for (size_t i = 0; i < n; i++)
    d[i] = y[i] > 0.0f ? d[i] : 0.0f;
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
