/* nn-misc.c — dropout, channel concat, embedding and linear layers (see nn-misc.h). */
#include "nn-misc.h"

#include <cblas.h>
#include <string.h>

void
nn_dropout_forward (float *y, float *mask, const float *x, float p, size_t n, NnRng *rng)
{
  float keep = p < 1.0f ? 1.0f / (1.0f - p) : 0.0f;
  for (size_t i = 0; i < n; i++)
    {
      mask[i] = p > 0.0f && nn_rng_uniform (rng) < p ? 0.0f : keep;
      y[i] = x[i] * mask[i];
    }
}

void
nn_dropout_backward (float *dx, const float *dy, const float *mask, size_t n)
{
  for (size_t i = 0; i < n; i++)
    dx[i] += dy[i] * mask[i];
}

void
nn_concat_forward (float *y, const float *a, const float *b, int ca, int cb, size_t m)
{
  memcpy (y, a, (size_t) ca * m * sizeof (float));
  memcpy (y + (size_t) ca * m, b, (size_t) cb * m * sizeof (float));
}

void
nn_concat_backward (float *da, float *db, const float *dy, int ca, int cb, size_t m)
{
  if (da != NULL)
    for (size_t i = 0; i < (size_t) ca * m; i++)
      da[i] += dy[i];
  if (db != NULL)
    {
      const float *src = dy + (size_t) ca * m;
      for (size_t i = 0; i < (size_t) cb * m; i++)
        db[i] += src[i];
    }
}

static void
embedding_put (float *y, const float *table, const int *index, int d, int n, size_t hw, int add)
{
  for (int k = 0; k < d; k++)
    for (int b = 0; b < n; b++)
      {
        float v = table[(size_t) index[b] * d + k];
        float *yp = y + ((size_t) k * n + b) * hw;
        if (add)
          for (size_t i = 0; i < hw; i++)
            yp[i] += v;
        else
          for (size_t i = 0; i < hw; i++)
            yp[i] = v;
      }
}

void
nn_embedding_forward (float *y, const float *table, const int *index, int d, int n, size_t hw)
{
  embedding_put (y, table, index, d, n, hw, 0);
}

void
nn_embedding_add (float *y, const float *table, const int *index, int d, int n, size_t hw)
{
  embedding_put (y, table, index, d, n, hw, 1);
}

void
nn_embedding_backward (float *dtable, const float *dy, const int *index, int d, int n, size_t hw)
{
  for (int k = 0; k < d; k++)
    for (int b = 0; b < n; b++)
      {
        const float *dp = dy + ((size_t) k * n + b) * hw;
        double acc = 0.0;
        for (size_t i = 0; i < hw; i++)
          acc += dp[i];
        dtable[(size_t) index[b] * d + k] += (float) acc;
      }
}

void
nn_linear_forward (float *y, const float *x, const float *w, const float *b, int in, int out, int n)
{
  cblas_sgemm (CblasRowMajor, CblasNoTrans, CblasNoTrans, out, n, in, 1.0f, w, in, x, n, 0.0f, y, n);
  if (b != NULL)
    for (int o = 0; o < out; o++)
      for (int j = 0; j < n; j++)
        y[(size_t) o * n + j] += b[o];
}

void
nn_linear_backward (float *dx, float *dw, float *db, const float *dy, const float *x, const float *w,
                    int in, int out, int n)
{
  if (dw != NULL)
    cblas_sgemm (CblasRowMajor, CblasNoTrans, CblasTrans, out, in, n, 1.0f, dy, n, x, n, 1.0f, dw,
                 in);
  if (dx != NULL)
    cblas_sgemm (CblasRowMajor, CblasTrans, CblasNoTrans, in, n, out, 1.0f, w, in, dy, n, 1.0f, dx,
                 n);
  if (db != NULL)
    for (int o = 0; o < out; o++)
      {
        double acc = 0.0;
        for (int j = 0; j < n; j++)
          acc += dy[(size_t) o * n + j];
        db[o] += (float) acc;
      }
}
