/* nn-loss.c — the GAN, reconstruction and smoothness losses (see nn-loss.h for the formulas). */
#include "nn-loss.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

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

/* ---- SSIM ---- */

#define SSIM_RADIUS 5
#define SSIM_WIN (2 * SSIM_RADIUS + 1)

static void
ssim_kernel (double k[SSIM_WIN])
{
  double sum = 0.0;
  for (int i = -SSIM_RADIUS; i <= SSIM_RADIUS; i++)
    sum += k[i + SSIM_RADIUS] = exp (-0.5 * (double) (i * i) / (1.5 * 1.5));
  for (int i = 0; i < SSIM_WIN; i++)
    k[i] /= sum;
}

float
nn_loss_ssim (float *dx, const float *x, const float *y, size_t planes, int h, int w, float scale)
{
  const double c1 = 0.01 * 0.01, c2 = 0.03 * 0.03;
  const double cn = (double) (SSIM_WIN * SSIM_WIN) / (SSIM_WIN * SSIM_WIN - 1);
  double k[SSIM_WIN];
  int oh = h - 2 * SSIM_RADIUS, ow = w - 2 * SSIM_RADIUS;
  double total = 0.0;

  if (oh < 1 || ow < 1 || planes == 0)
    return 0.0f;
  ssim_kernel (k);
  size_t hsz = (size_t) h * ow, osz = (size_t) oh * ow;
  /* hm: 5 moments after the horizontal pass [5][h][ow]; dm: 3 partials on the valid grid [3][oh][ow];
   * tm: them after the transposed vertical pass [3][h][ow]; a, b: the plane on [0, 1]. */
  double *buf = malloc ((5 * hsz + 3 * osz + 3 * hsz + 2 * (size_t) h * w) * sizeof (double));
  if (buf == NULL)
    return NAN;
  double *hm = buf, *dm = hm + 5 * hsz, *tm = dm + 3 * osz, *a = tm + 3 * hsz;
  double *b = a + (size_t) h * w;
  double g = -(double) scale / ((double) planes * oh * ow);

  for (size_t pl = 0; pl < planes; pl++)
    {
      const float *xp = x + pl * (size_t) h * w, *yp = y + pl * (size_t) h * w;
      for (size_t i = 0; i < (size_t) h * w; i++)
        {
          a[i] = 0.5 * ((double) xp[i] + 1.0);
          b[i] = 0.5 * ((double) yp[i] + 1.0);
        }
      for (int r = 0; r < h; r++)
        for (int c = 0; c < ow; c++)
          {
            double m0 = 0, m1 = 0, m2 = 0, m3 = 0, m4 = 0;
            const double *ar = a + (size_t) r * w + c, *br = b + (size_t) r * w + c;
            for (int t = 0; t < SSIM_WIN; t++)
              {
                double va = ar[t], vb = br[t], kt = k[t];
                m0 += kt * va;
                m1 += kt * vb;
                m2 += kt * va * va;
                m3 += kt * vb * vb;
                m4 += kt * va * vb;
              }
            size_t o = (size_t) r * ow + c;
            hm[o] = m0;
            hm[hsz + o] = m1;
            hm[2 * hsz + o] = m2;
            hm[3 * hsz + o] = m3;
            hm[4 * hsz + o] = m4;
          }
      for (int r = 0; r < oh; r++)
        for (int c = 0; c < ow; c++)
          {
            double m[5] = { 0 };
            for (int j = 0; j < 5; j++)
              for (int t = 0; t < SSIM_WIN; t++)
                m[j] += k[t] * hm[j * hsz + (size_t) (r + t) * ow + c];
            double ux = m[0], uy = m[1];
            double a1 = 2.0 * ux * uy + c1, b1 = ux * ux + uy * uy + c1;
            double a2 = 2.0 * cn * (m[4] - ux * uy) + c2;
            double b2 = cn * (m[2] - ux * ux) + cn * (m[3] - uy * uy) + c2;
            double s = a1 * a2 / (b1 * b2);
            total += s;
            size_t o = (size_t) r * ow + c;
            /* ∂S/∂μx, ∂S/∂E[x²] and ∂S/∂E[xy] with μy and E[y²] fixed, times the loss's -1/count. */
            dm[o] = g * s * (2.0 * uy / a1 - 2.0 * cn * uy / a2 - 2.0 * ux / b1 + 2.0 * cn * ux / b2);
            dm[osz + o] = g * s * (-cn / b2);
            dm[2 * osz + o] = g * s * (2.0 * cn / a2);
          }
      if (dx == NULL)
        continue;
      /* Back through the window: the transposed vertical pass, then the transposed horizontal one;
       * each input pixel q gets Σp w(p - q)·(P(p) + 2a(q)Q(p) + b(q)R(p)). */
      memset (tm, 0, 3 * hsz * sizeof (double));
      for (int j = 0; j < 3; j++)
        for (int r = 0; r < oh; r++)
          for (int t = 0; t < SSIM_WIN; t++)
            {
              const double *src = dm + j * osz + (size_t) r * ow;
              double *dst = tm + j * hsz + (size_t) (r + t) * ow;
              for (int c = 0; c < ow; c++)
                dst[c] += k[t] * src[c];
            }
      float *dp = dx + pl * (size_t) h * w;
      for (int r = 0; r < h; r++)
        for (int c = 0; c < w; c++)
          {
            double p = 0, q = 0, rr = 0;
            int t0 = c - (ow - 1) > 0 ? c - (ow - 1) : 0, t1 = c < SSIM_WIN - 1 ? c : SSIM_WIN - 1;
            for (int t = t0; t <= t1; t++)
              {
                size_t o = (size_t) r * ow + (c - t);
                p += k[t] * tm[o];
                q += k[t] * tm[hsz + o];
                rr += k[t] * tm[2 * hsz + o];
              }
            size_t i = (size_t) r * w + c;
            /* d[0,1]/d[-1,1] = 1/2. */
            dp[i] += (float) (0.5 * (p + 2.0 * a[i] * q + b[i] * rr));
          }
    }
  free (buf);
  return (float) (1.0 - total / ((double) planes * oh * ow));
}
