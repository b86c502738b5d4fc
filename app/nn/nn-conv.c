/* nn-conv.c — Conv2d and ConvTranspose2d on im2col + cblas_sgemm, whole mini-batch per GEMM.
 *
 * Conv2d (see nn-conv.h for the CNHW layout), with R = Ci·K·K and Q = N·Ho·Wo:
 *   forward   Y[Co, Q]  = W[Co, R] · col(X)[R, Q]
 *   backward  dW[Co, R] += dY[Co, Q] · col(X)ᵀ,   dX += col2im(Wᵀ · dY)
 * ConvTranspose2d is the adjoint of the conv that maps its output back to its input
 * (Dumoulin & Visin 2016, "A guide to convolution arithmetic"), with R' = Co·K·K and Q' = N·Hi·Wi:
 *   forward   Y = col2im(Wᵀ[R', Ci] · X[Ci, Q'])
 *   backward  dX[Ci, Q'] += W[Ci, R'] · col(dY),   dW[Ci, R'] += X · col(dY)ᵀ
 * so its backward needs no col2im at all. A 1×1 stride-1 conv skips the column matrix. */
#include "nn-conv.h"

#include <cblas.h>
#include <string.h>

void
nn_conv2d_init (NnConv2d *c, int ci, int co, int k, int s, int p, int hi, int wi)
{
  c->ci = ci;
  c->co = co;
  c->k = k;
  c->s = s;
  c->p = p;
  c->hi = hi;
  c->wi = wi;
  c->ho = (hi + 2 * p - k) / s + 1;
  c->wo = (wi + 2 * p - k) / s + 1;
  c->transposed = 0;
}

void
nn_conv_transpose2d_init (NnConv2d *c, int ci, int co, int k, int s, int p, int hi, int wi)
{
  c->ci = ci;
  c->co = co;
  c->k = k;
  c->s = s;
  c->p = p;
  c->hi = hi;
  c->wi = wi;
  c->ho = (hi - 1) * s - 2 * p + k;
  c->wo = (wi - 1) * s - 2 * p + k;
  c->transposed = 1;
}

static int
is_pointwise (const NnConv2d *c)
{
  return c->k == 1 && c->s == 1 && c->p == 0;
}

size_t
nn_conv2d_scratch_floats (const NnConv2d *c, int n)
{
  if (is_pointwise (c))
    return 0;
  return (size_t) c->ci * c->k * c->k * n * c->ho * c->wo;
}

size_t
nn_conv_transpose2d_scratch_floats (const NnConv2d *c, int n)
{
  if (is_pointwise (c))
    return 0;
  return (size_t) c->co * c->k * c->k * n * c->hi * c->wi;
}

double
nn_conv2d_macs (const NnConv2d *c, int n)
{
  /* One multiply-add per (column of the GEMM, kernel tap, channel pair); the GEMM's columns are the
   * output pixels of a conv and the input pixels of a transposed conv. */
  double pixels = c->transposed ? (double) c->hi * c->wi : (double) c->ho * c->wo;
  return (double) c->ci * c->co * c->k * c->k * n * pixels;
}

/* The output columns ox of one kernel tap that read inside the input row: [*lo, *hi). */
static void
valid_range (int k_off, int s, int p, int w, int wo, int *lo, int *hi)
{
  /* ix = ox·s - p + k_off must lie in [0, w). */
  int a = p - k_off;
  int first = a > 0 ? (a + s - 1) / s : 0;
  int b = w - 1 + p - k_off;
  int last = b >= 0 ? b / s + 1 : 0;
  if (first > wo)
    first = wo;
  if (last > wo)
    last = wo;
  if (last < first)
    last = first;
  *lo = first;
  *hi = last;
}

void
nn_im2col (float *col, const float *x, int c, int n, int h, int w, int k, int s, int p, int ho,
           int wo)
{
  size_t plane_in = (size_t) h * w;
  size_t plane_out = (size_t) ho * wo;
  size_t q = (size_t) n * plane_out;

  for (int ci = 0; ci < c; ci++)
    for (int ky = 0; ky < k; ky++)
      for (int kx = 0; kx < k; kx++)
        {
          float *row = col + ((size_t) (ci * k + ky) * k + kx) * q;
          int lo, hi;
          valid_range (kx, s, p, w, wo, &lo, &hi);
          for (int b = 0; b < n; b++)
            {
              const float *xp = x + ((size_t) ci * n + b) * plane_in;
              float *cp = row + (size_t) b * plane_out;
              for (int oy = 0; oy < ho; oy++, cp += wo)
                {
                  int iy = oy * s - p + ky;
                  if (iy < 0 || iy >= h)
                    {
                      memset (cp, 0, (size_t) wo * sizeof (float));
                      continue;
                    }
                  const float *xr = xp + (size_t) iy * w - p + kx;
                  for (int ox = 0; ox < lo; ox++)
                    cp[ox] = 0.0f;
                  if (s == 1)
                    memcpy (cp + lo, xr + lo, (size_t) (hi - lo) * sizeof (float));
                  else
                    for (int ox = lo; ox < hi; ox++)
                      cp[ox] = xr[ox * s];
                  for (int ox = hi; ox < wo; ox++)
                    cp[ox] = 0.0f;
                }
            }
        }
}

void
nn_col2im (float *x, const float *col, int c, int n, int h, int w, int k, int s, int p, int ho,
           int wo)
{
  size_t plane_in = (size_t) h * w;
  size_t plane_out = (size_t) ho * wo;
  size_t q = (size_t) n * plane_out;

  for (int ci = 0; ci < c; ci++)
    for (int ky = 0; ky < k; ky++)
      for (int kx = 0; kx < k; kx++)
        {
          const float *row = col + ((size_t) (ci * k + ky) * k + kx) * q;
          int lo, hi;
          valid_range (kx, s, p, w, wo, &lo, &hi);
          for (int b = 0; b < n; b++)
            {
              float *xp = x + ((size_t) ci * n + b) * plane_in;
              const float *cp = row + (size_t) b * plane_out;
              for (int oy = 0; oy < ho; oy++, cp += wo)
                {
                  int iy = oy * s - p + ky;
                  if (iy < 0 || iy >= h)
                    continue;
                  float *xr = xp + (size_t) iy * w - p + kx;
                  if (s == 1)
                    for (int ox = lo; ox < hi; ox++)
                      xr[ox] += cp[ox];
                  else
                    for (int ox = lo; ox < hi; ox++)
                      xr[ox * s] += cp[ox];
                }
            }
        }
}

/* dB[c] += Σ over the c-th block of q values. */
static void
add_bias_grad (float *db, const float *dy, int channels, size_t q)
{
  for (int c = 0; c < channels; c++)
    {
      const float *p = dy + (size_t) c * q;
      double acc = 0.0;
      for (size_t i = 0; i < q; i++)
        acc += p[i];
      db[c] += (float) acc;
    }
}

static void
add_bias (float *y, const float *b, int channels, size_t q)
{
  for (int c = 0; c < channels; c++)
    {
      float *p = y + (size_t) c * q;
      float v = b[c];
      for (size_t i = 0; i < q; i++)
        p[i] += v;
    }
}

void
nn_conv2d_forward (float *y, float *col, const float *x, const float *w, const float *b,
                   const NnConv2d *c, int n)
{
  int r = c->ci * c->k * c->k;
  int q = n * c->ho * c->wo;
  const float *cols = x;

  if (!is_pointwise (c))
    {
      nn_im2col (col, x, c->ci, n, c->hi, c->wi, c->k, c->s, c->p, c->ho, c->wo);
      cols = col;
    }
  cblas_sgemm (CblasRowMajor, CblasNoTrans, CblasNoTrans, c->co, q, r, 1.0f, w, r, cols, q, 0.0f,
               y, q);
  if (b != NULL)
    add_bias (y, b, c->co, (size_t) q);
}

void
nn_conv2d_backward (float *dx, float *dw, float *db, float *col, const float *dy, const float *x,
                    const float *w, const NnConv2d *c, int n)
{
  int r = c->ci * c->k * c->k;
  int q = n * c->ho * c->wo;

  if (db != NULL)
    add_bias_grad (db, dy, c->co, (size_t) q);

  if (is_pointwise (c))
    {
      if (dw != NULL)
        cblas_sgemm (CblasRowMajor, CblasNoTrans, CblasTrans, c->co, r, q, 1.0f, dy, q, x, q, 1.0f,
                     dw, r);
      if (dx != NULL)
        cblas_sgemm (CblasRowMajor, CblasTrans, CblasNoTrans, r, q, c->co, 1.0f, w, r, dy, q,
                     1.0f, dx, q);
      return;
    }

  if (dw != NULL)
    {
      nn_im2col (col, x, c->ci, n, c->hi, c->wi, c->k, c->s, c->p, c->ho, c->wo);
      cblas_sgemm (CblasRowMajor, CblasNoTrans, CblasTrans, c->co, r, q, 1.0f, dy, q, col, q, 1.0f,
                   dw, r);
    }
  if (dx != NULL)
    {
      /* The column matrix is no longer needed: reuse its memory for Wᵀ·dY. */
      cblas_sgemm (CblasRowMajor, CblasTrans, CblasNoTrans, r, q, c->co, 1.0f, w, r, dy, q, 0.0f,
                   col, q);
      nn_col2im (dx, col, c->ci, n, c->hi, c->wi, c->k, c->s, c->p, c->ho, c->wo);
    }
}

void
nn_conv_transpose2d_forward (float *y, float *col, const float *x, const float *w, const float *b,
                             const NnConv2d *c, int n)
{
  int r = c->co * c->k * c->k;
  int q = n * c->hi * c->wi;
  size_t qo = (size_t) n * c->ho * c->wo;

  if (is_pointwise (c))
    cblas_sgemm (CblasRowMajor, CblasTrans, CblasNoTrans, r, q, c->ci, 1.0f, w, r, x, q, 0.0f, y,
                 q);
  else
    {
      cblas_sgemm (CblasRowMajor, CblasTrans, CblasNoTrans, r, q, c->ci, 1.0f, w, r, x, q, 0.0f,
                   col, q);
      memset (y, 0, (size_t) c->co * qo * sizeof (float));
      /* The output is the conv's input side: Co planes of Ho×Wo, read back from Hi×Wi columns. */
      nn_col2im (y, col, c->co, n, c->ho, c->wo, c->k, c->s, c->p, c->hi, c->wi);
    }
  if (b != NULL)
    add_bias (y, b, c->co, qo);
}

void
nn_conv_transpose2d_backward (float *dx, float *dw, float *db, float *col, const float *dy,
                              const float *x, const float *w, const NnConv2d *c, int n)
{
  int r = c->co * c->k * c->k;
  int q = n * c->hi * c->wi;
  const float *cols = dy;

  if (db != NULL)
    add_bias_grad (db, dy, c->co, (size_t) n * c->ho * c->wo);
  if (dx == NULL && dw == NULL)
    return;
  if (!is_pointwise (c))
    {
      nn_im2col (col, dy, c->co, n, c->ho, c->wo, c->k, c->s, c->p, c->hi, c->wi);
      cols = col;
    }
  if (dw != NULL)
    cblas_sgemm (CblasRowMajor, CblasNoTrans, CblasTrans, c->ci, r, q, 1.0f, x, q, cols, q, 1.0f,
                 dw, r);
  if (dx != NULL)
    cblas_sgemm (CblasRowMajor, CblasNoTrans, CblasNoTrans, c->ci, q, r, 1.0f, w, r, cols, q, 1.0f,
                 dx, q);
}
