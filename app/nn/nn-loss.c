/* nn-loss.c — the GAN, reconstruction and smoothness losses (see nn-loss.h for the formulas). */
#include "nn-loss.h"

#include <math.h>

float
nn_loss_bce_logits (float *dx, const float *x, const float *t, float label, size_t n, float scale)
{
  double acc = 0.0;
  float g = scale / (float) n;
  for (size_t i = 0; i < n; i++)
    {
      float ti = t != NULL ? t[i] : label;
      float e = expf (-fabsf (x[i]));
      acc += (x[i] > 0.0f ? x[i] : 0.0f) - x[i] * ti + log1pf (e);
      if (dx != NULL)
        {
          float sig = x[i] >= 0.0f ? 1.0f / (1.0f + e) : e / (1.0f + e);
          dx[i] += g * (sig - ti);
        }
    }
  return (float) (acc / (double) n);
}

float
nn_loss_lsgan (float *dx, const float *x, float label, size_t n, float scale)
{
  double acc = 0.0;
  float g = 2.0f * scale / (float) n;
  for (size_t i = 0; i < n; i++)
    {
      float d = x[i] - label;
      acc += (double) d * d;
      if (dx != NULL)
        dx[i] += g * d;
    }
  return (float) (acc / (double) n);
}

float
nn_loss_hinge_d (float *dx, const float *x, int real, size_t n, float scale)
{
  double acc = 0.0;
  float sign = real ? -1.0f : 1.0f;
  float g = scale / (float) n;
  for (size_t i = 0; i < n; i++)
    {
      float m = 1.0f + sign * x[i];
      if (m > 0.0f)
        {
          acc += m;
          if (dx != NULL)
            dx[i] += g * sign;
        }
    }
  return (float) (acc / (double) n);
}

float
nn_loss_hinge_g (float *dx, const float *x, size_t n, float scale)
{
  double acc = 0.0;
  float g = scale / (float) n;
  for (size_t i = 0; i < n; i++)
    {
      acc -= x[i];
      if (dx != NULL)
        dx[i] -= g;
    }
  return (float) (acc / (double) n);
}

float
nn_loss_l1 (float *da, const float *a, const float *b, size_t n, float scale)
{
  double acc = 0.0;
  float g = scale / (float) n;
  for (size_t i = 0; i < n; i++)
    {
      float d = a[i] - b[i];
      acc += fabsf (d);
      if (da != NULL)
        da[i] += d > 0.0f ? g : (d < 0.0f ? -g : 0.0f);
    }
  return (float) (acc / (double) n);
}

float
nn_loss_mse (float *da, float *db, const float *a, const float *b, size_t n, float scale)
{
  double acc = 0.0;
  float g = 2.0f * scale / (float) n;
  for (size_t i = 0; i < n; i++)
    {
      float d = a[i] - b[i];
      acc += (double) d * d;
      if (da != NULL)
        da[i] += g * d;
      if (db != NULL)
        db[i] -= g * d;
    }
  return (float) (acc / (double) n);
}

static float
sign_of (float d)
{
  return d > 0.0f ? 1.0f : (d < 0.0f ? -1.0f : 0.0f);
}

float
nn_loss_tv (float *dx, const float *x, size_t planes, int h, int w, float scale)
{
  double acc = 0.0;
  float g = scale / (float) ((double) planes * h * w);
  for (size_t pl = 0; pl < planes; pl++)
    {
      const float *p = x + pl * (size_t) h * w;
      float *dp = dx != NULL ? dx + pl * (size_t) h * w : NULL;
      for (int yy = 0; yy < h; yy++)
        for (int xx = 0; xx < w; xx++)
          {
            size_t i = (size_t) yy * w + xx;
            if (xx + 1 < w)
              {
                float d = p[i + 1] - p[i];
                acc += fabsf (d);
                if (dp != NULL)
                  {
                    dp[i + 1] += g * sign_of (d);
                    dp[i] -= g * sign_of (d);
                  }
              }
            if (yy + 1 < h)
              {
                float d = p[i + w] - p[i];
                acc += fabsf (d);
                if (dp != NULL)
                  {
                    dp[i + w] += g * sign_of (d);
                    dp[i] -= g * sign_of (d);
                  }
              }
          }
    }
  return (float) (acc / ((double) planes * h * w));
}
