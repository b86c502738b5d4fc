/* nn-conv.c — Conv2d and ConvTranspose2d on im2col + cblas_sgemm, whole mini-batch per GEMM.
 *
 * Conv2d (see nn-conv.h for the CNHW layout), with R = Ci·K·K and Q = N·Ho·Wo:
 *   forward   Y[Co, Q]  = W[Co, R] · col(X)[R, Q]
 *   backward  dW[Co, R] += dY[Co, Q] · col(X)ᵀ,   dX += col2im(Wᵀ · dY)
 * ConvTranspose2d is the adjoint of the conv that maps its output back to its input
 * (Dumoulin & Visin 2016, "A guide to convolution arithmetic"), with R' = Co·K·K and Q' = N·Hi·Wi:
 *   forward   Y = col2im(Wᵀ[R', Ci] · X[Ci, Q'])
 *   backward  dX[Ci, Q'] += W[Ci, R'] · col(dY),   dW[Ci, R'] += X · col(dY)ᵀ
 * so its backward needs no col2im at all. A 1×1 stride-1 conv skips the column matrix, and a conv
 * with few output channels works from its output side (see uses_output_side).
 *
 * Speed: each pass comes in parts for the engine's threads (nn-pool.h), splitting images
 * or channels so that parts write disjoint memory and each runs single-threaded GEMMs; within a part
 * the column matrix is made a block of images at a time so that it stays in cache for its GEMM
 * (images_per_block); the column transforms themselves are in nn-col.c (the 4×4 layers that make
 * up most of pix2pix have paths of their own there, 1.2–2× faster), and a transposed
 * conv's col2im overwrites its output instead of adding to a zeroed one. Where the engine's float32
 * kernel runs, products that read a 4×4 layer's column matrix (the weight gradients; a conv's
 * forward pass and a transposed conv's input gradient when the output rows are long) pack it
 * straight from the image instead of im2col writing it (nn_gemm_columns), and the products whose
 * output col2im reads (a conv's input gradient, a transposed conv's forward pass) hand their tiles
 * to col2im as they finish them (nn_gemm_col2im). bench-conv prints each layer's GFLOP/s next to
 * the bare GEMM's. */
#include "nn-conv.h"

#include <string.h>

#include "nn-col.h"
#include "nn-direct.h"
#include "nn-gemm.h"
#include "nn-pool.h"
#include "nn-reduce.h"

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

/* A conv whose output side is much smaller than its column matrix (Co·Hi·Wi < Ci·Ho·Wo: few output
 * channels, e.g. the PatchGAN's last layer, 256 → 1 channel) runs as a transposed conv run
 * backwards: Z[Co·K², N·Hi·Wi] = Pᵀ·X with P[Ci, Co·K²] the weights regrouped by input channel, then
 * Y gathers the K² shifted planes of Z. Its backward scatters dY into dZ and needs two GEMMs and
 * no col2im. At 64 px this cut the PatchGAN's last layer from 8.4 to 0.2 ms per forward + both
 * backward passes (bench-conv). */
static int
uses_output_side (const NnConv2d *c)
{
  return !c->transposed && !is_pointwise (c)
         && (double) c->co * c->hi * c->wi < (double) c->ci * c->ho * c->wo;
}

/* Floats of P (and of its gradient) when the weights need regrouping (Co > 1). */
static size_t
regrouped_floats (const NnConv2d *c)
{
  return c->co > 1 ? (size_t) c->ci * c->co * c->k * c->k : 0;
}

size_t
nn_conv2d_scratch_floats (const NnConv2d *c, int n)
{
  if (is_pointwise (c))
    return 0;
  if (uses_output_side (c))
    return (size_t) c->co * c->k * c->k * n * c->hi * c->wi + 2 * regrouped_floats (c);
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

/* P[ci][co·K² + t] = w[co][ci][t]. */
static void
regroup_weights (float *pmat, const float *w, const NnConv2d *c)
{
  int kk = c->k * c->k;
  for (int co = 0; co < c->co; co++)
    for (int ci = 0; ci < c->ci; ci++)
      memcpy (pmat + ((size_t) ci * c->co + co) * kk, w + ((size_t) co * c->ci + ci) * kk,
              (size_t) kk * sizeof (float));
}

/* w[co][ci][t] += P[ci][co·K² + t]. */
static void
add_regrouped (float *w, const float *pmat, const NnConv2d *c)
{
  int kk = c->k * c->k;
  for (int co = 0; co < c->co; co++)
    for (int ci = 0; ci < c->ci; ci++)
      for (int t = 0; t < kk; t++)
        w[((size_t) co * c->ci + ci) * kk + t] += pmat[((size_t) ci * c->co + co) * kk + t];
}

static void
output_side_forward (float *y, float *scratch, const float *x, const float *w, const float *b,
                     const NnConv2d *c, int n, const NnGemm *g, int part)
{
  int r = c->co * c->k * c->k;
  int q = n * c->hi * c->wi;
  size_t qo = (size_t) n * c->ho * c->wo;
  float *z = scratch;
  const float *pmat = w;
  if (c->co > 1)
    {
      float *pm = scratch + (size_t) r * q;
      regroup_weights (pm, w, c);
      pmat = pm;
    }
  nn_gemm (g, part, 1, 0, r, q, c->ci, pmat, r, x, q, 0.0f, z, q);
  for (int co = 0; co < c->co; co++)
    {
      float v = b != NULL ? b[co] : 0.0f;
      float *yp = y + (size_t) co * qo;
      for (size_t i = 0; i < qo; i++)
        yp[i] = v;
    }
  nn_gather_taps (y, z, c->co, n, c->hi, c->wi, c->k, c->s, c->p, c->ho, c->wo);
}

static void
output_side_backward (float *dx, float *dw, float *scratch, const float *dy, const float *x,
                      const float *w, const NnConv2d *c, int n, int dx_set, const NnGemm *g,
                      int part)
{
  int r = c->co * c->k * c->k;
  int q = n * c->hi * c->wi;
  float *dz = scratch;
  float *pm = scratch + (size_t) r * q;
  float *dpm = pm + regrouped_floats (c);

  nn_scatter_taps (dz, dy, c->co, n, c->hi, c->wi, c->k, c->s, c->p, c->ho, c->wo);
  if (dw != NULL)
    {
      if (c->co == 1)
        nn_gemm (g, part, 0, 1, c->ci, r, q, x, q, dz, q, 1.0f, dw, r);
      else
        {
          nn_gemm (g, part, 0, 1, c->ci, r, q, x, q, dz, q, 0.0f, dpm, r);
          add_regrouped (dw, dpm, c);
        }
    }
  if (dx != NULL)
    {
      const float *pmat = w;
      if (c->co > 1)
        {
          regroup_weights (pm, w, c);
          pmat = pm;
        }
      nn_gemm (g, part, 0, 0, c->ci, q, r, pmat, r, dz, q, dx_set ? 0.0f : 1.0f, dx, q);
    }
}

/* dB[c] += Σ of channel c's block of q values, for channels [c0, c1). */
static void
add_bias_grad (float *db, const float *dy, int c0, int c1, size_t q)
{
  for (int c = c0; c < c1; c++)
    db[c] += (float) nn_reduce_sum (dy + (size_t) c * q, q);
}

/* Adds b[c] to images [b0, b0 + nb) of channels [c0, c1) of y, which holds n planes per channel. */
static void
add_bias (float *y, const float *b, int c0, int c1, int n, int b0, int nb, size_t plane)
{
  for (int c = c0; c < c1; c++)
    {
      float *p = y + ((size_t) c * n + b0) * plane;
      float v = b[c];
      for (size_t i = 0; i < (size_t) nb * plane; i++)
        p[i] += v;
    }
}

/* Images per block of the column matrix: enough for at least NN_COL_BLOCK_COLUMNS GEMM columns, so
 * that a block (R × its columns, ~0.5–2 MB for the U-Net's large layers) stays in cache between
 * the column transform and the GEMM that reads it, instead of a 33 MB matrix making four trips
 * through memory (a 128 px transposed conv's column matrix is 512 × 16384 floats). */
#define NN_COL_BLOCK_COLUMNS 1024

static int
images_per_block (size_t plane)
{
  size_t per = (NN_COL_BLOCK_COLUMNS + plane - 1) / plane;
  return per < 1 ? 1 : (int) (per > 4096 ? 4096 : per);
}

/* g for the products of one part's loop over `blocks` blocks of images of up to n columns each,
 * which all read the weights w as A (op(A) m × k, ldw): with more than one block, w is packed once
 * for all of them (nn_gemm_hold_a) instead of once a block and column block. At 128 px the
 * PatchGAN's 4 × 4 stride-1 weights (256 × 2048, 2 MB) were packed 7 times a pass, and 63% of
 * the words a step packed as A were repeats. Measured (one thread, fp32, interleaved bench-conv
 * runs): that layer's forward pass 168 → 191 GFLOP/s and input gradient 175 → 204 at 128 px;
 * whole steps 0.7–5% faster at 128 px (medians of four runs of steps alternating with and without
 * it in one process: 0.993, 0.973, 0.961, 0.949 of the time) and the same within noise at 64 px
 * (0.993–1.003), where the layer's images fit one block. */
static const NnGemm *
hold_weights (NnGemm *gh, NnHeldA *held, const NnGemm *g, int part, int blocks, int trans_a,
              int m, int n, int k, const float *w, int ldw)
{
  if (g == NULL || blocks < 2)
    return g;
  *gh = *g;
  nn_gemm_hold_a (g, part, trans_a, m, n, k, w, ldw, held);
  gh->held = held;
  return gh;
}

void
nn_conv2d_forward_part (float *y, float *col, const float *x, const float *w, const float *b,
                        const NnConv2d *c, int n, int part, int parts, const NnGemm *g)
{
  int r = c->ci * c->k * c->k;
  size_t plane_in = (size_t) c->hi * c->wi, plane_out = (size_t) c->ho * c->wo;
  int q = n * (int) plane_out;
  int b0, nb;

  if (uses_output_side (c))
    {
      /* Only the PatchGAN's last layer, a fraction of a millisecond: one part does it. */
      if (part == 0)
        output_side_forward (y, col, x, w, b, c, n, g, part);
      return;
    }
  nn_pool_split (n, part, parts, &b0, &nb);
  if (nb == 0)
    return;
  int qn = nb * (int) plane_out;
  if (is_pointwise (c))
    nn_gemm (g, part, 0, 0, c->co, qn, r, w, r, x + b0 * plane_in, n * (int) plane_in, 0.0f,
             y + b0 * plane_out, q);
  else
    {
      /* Each part has its own slab of the column matrix, used a block of images at a time. */
      float *slab = col + (size_t) r * b0 * plane_out;
      int per = images_per_block (plane_out);
      NnGemm gh;
      NnHeldA held;
      const NnGemm *gw = hold_weights (&gh, &held, g, part, (nb + per - 1) / per, 0, c->co,
                                       (nb < per ? nb : per) * (int) plane_out, r, w, r);
      for (int bb = b0; bb < b0 + nb; bb += per)
        {
          int cnt = b0 + nb - bb < per ? b0 + nb - bb : per;
          NnColumns cols = { x, n, bb, cnt, 0, c->ci, c->hi, c->wi, c->k, c->s, c->p, c->ho,
                             c->wo };
          nn_gemm_columns (gw, part, 0, 0, c->co, cnt * (int) plane_out, r, w, r, &cols, slab,
                           0.0f, y + bb * plane_out, q);
        }
    }
  if (b != NULL)
    add_bias (y, b, 0, c->co, n, b0, nb, plane_out);
}

void
nn_conv2d_forward_direct_part (float *y, float *scratch, const float *x, const float *b,
                               const NnConv2d *c, int n, int part, int parts)
{
  int b0, nb;
  nn_pool_split (n, part, parts, &b0, &nb);
  if (nb == 0)
    return;
  nn_direct_forward_part (y, scratch, x, c, n, b0, nb, part);
  if (b != NULL)
    add_bias (y, b, 0, c->co, n, b0, nb, (size_t) c->ho * c->wo);
}

void
nn_conv2d_backward_part (float *dx, float *dw, float *db, float *col, const float *dy,
                         const float *x, const float *w, const NnConv2d *c, int n, int part,
                         int parts, int dx_set, const NnGemm *g)
{
  int kk = c->k * c->k;
  int r = c->ci * kk;
  int q = n * c->ho * c->wo;
  int c0, cc;

  if (db != NULL)
    {
      int o0, oc;
      nn_pool_split (c->co, part, parts, &o0, &oc);
      add_bias_grad (db, dy, o0, o0 + oc, (size_t) q);
    }
  if (dx == NULL && dw == NULL)
    return;
  if (uses_output_side (c))
    {
      if (part == 0)
        output_side_backward (dx, dw, col, dy, x, w, c, n, dx_set, g, part);
      return;
    }
  /* Parts own disjoint input channels: their rows of the column matrix, their columns of dW and
   * their planes of dX, so no two parts write the same memory. */
  nn_pool_split (c->ci, part, parts, &c0, &cc);
  if (cc == 0)
    return;
  int rows = cc * kk;
  if (is_pointwise (c))
    {
      if (dw != NULL)
        nn_gemm (g, part, 0, 1, c->co, cc, q, dy, q, x + (size_t) c0 * q, q, 1.0f, dw + c0, r);
      if (dx != NULL)
        nn_gemm (g, part, 1, 0, cc, q, c->co, w + c0, r, dy, q, dx_set ? 0.0f : 1.0f,
                 dx + (size_t) c0 * q, q);
      return;
    }
  float *rowsp = col + (size_t) c0 * kk * q;
  size_t plane_out = (size_t) c->ho * c->wo;
  int per = images_per_block (plane_out);
  /* The 4×4 stride-2 layers' weight gradient from panels where the processor allows (nn-direct.h),
   * in this part's rows of col before the input gradient uses them; in float32 only (the bf16
   * product is faster than the float32 panels). */
  if (dw != NULL && (g == NULL || g->precision == NN_PRECISION_FP32) && nn_direct_enabled ()
      && nn_direct_grad_fits (c, n, parts))
    {
      nn_direct_weight_grad_part (dw, rowsp, dy, x, c, n, c0, cc);
      dw = NULL;
    }
  NnGemm gh;
  NnHeldA held;
  const NnGemm *gx = dx != NULL ? hold_weights (&gh, &held, g, part, (n + per - 1) / per, 1, rows,
                                                (n < per ? n : per) * (int) plane_out, c->co,
                                                w + (size_t) c0 * kk, r)
                                : g;
  for (int bb = 0; bb < n; bb += per)
    {
      int cnt = n - bb < per ? n - bb : per;
      int qb = cnt * (int) plane_out;
      const float *dyb = dy + bb * plane_out;
      if (dw != NULL)
        {
          NnColumns cols = { x, n, bb, cnt, c0, c0 + cc, c->hi, c->wi, c->k, c->s, c->p, c->ho,
                             c->wo };
          nn_gemm_columns (g, part, 0, 1, c->co, rows, qb, dyb, q, &cols, rowsp, 1.0f,
                           dw + (size_t) c0 * kk, r);
        }
      if (dx != NULL)
        {
          /* The column rows are no longer needed: reuse them for Wᵀ·dY. */
          NnColumns cols = { NULL, n, bb, cnt, c0, c0 + cc, c->hi, c->wi, c->k, c->s, c->p, c->ho,
                             c->wo };
          nn_gemm_col2im (gx, part, 1, rows, qb, c->co, w + (size_t) c0 * kk, r, dyb, q, &cols,
                          dx, rowsp, dx_set);
        }
    }
}

void
nn_conv_transpose2d_forward_part (float *y, float *col, const float *x, const float *w,
                                  const float *b, const NnConv2d *c, int n, int part, int parts,
                                  const NnGemm *g)
{
  int kk = c->k * c->k;
  int r = c->co * kk;
  int q = n * c->hi * c->wi;
  size_t plane_in = (size_t) c->hi * c->wi, plane_out = (size_t) c->ho * c->wo;
  int c0 = 0, cc = c->co, b0 = 0, nb = n;

  /* Parts own disjoint output channels, or disjoint images when there are fewer channels than
   * parts (the U-Net's last layer has one). */
  if (c->co < parts && !is_pointwise (c))
    nn_pool_split (n, part, parts, &b0, &nb);
  else
    nn_pool_split (c->co, part, parts, &c0, &cc);
  if (cc == 0 || nb == 0)
    return;
  if (is_pointwise (c))
    nn_gemm (g, part, 1, 0, cc, q, c->ci, w + c0, r, x, q, 0.0f, y + (size_t) c0 * q, q);
  else
    {
      /* The part's own slab of the column matrix: its rows (channels) or its columns (images). */
      float *slab = col + (size_t) c0 * kk * q + (size_t) cc * kk * b0 * plane_in;
      int per = images_per_block (plane_in);
      NnGemm gh;
      NnHeldA held;
      const NnGemm *gw = hold_weights (&gh, &held, g, part, (nb + per - 1) / per, 1, cc * kk,
                                       (nb < per ? nb : per) * (int) plane_in, c->ci,
                                       w + (size_t) c0 * kk, r);
      for (int bb = b0; bb < b0 + nb; bb += per)
        {
          int cnt = b0 + nb - bb < per ? b0 + nb - bb : per;
          int qb = cnt * (int) plane_in;
          /* The output is the conv's input side: Co planes of Ho×Wo, read back from Hi×Wi
           * columns. */
          NnColumns cols = { NULL, n, bb, cnt, c0, c0 + cc, c->ho, c->wo, c->k, c->s, c->p, c->hi,
                             c->wi };
          nn_gemm_col2im (gw, part, 1, cc * kk, qb, c->ci, w + (size_t) c0 * kk, r,
                          x + bb * plane_in, q, &cols, y, slab, 1);
        }
    }
  if (b != NULL)
    add_bias (y, b, c0, c0 + cc, n, b0, nb, plane_out);
}

void
nn_conv_transpose2d_backward_weight_part (float *dw, float *db, float *col, const float *dy,
                                          const float *x, const NnConv2d *c, int n, int part,
                                          int parts, const NnGemm *g)
{
  int kk = c->k * c->k;
  int r = c->co * kk;
  size_t plane_in = (size_t) c->hi * c->wi;
  int q = n * (int) plane_in;
  int c0, cc;

  /* Parts own disjoint output channels: their rows of col(dY) and columns of dW. */
  nn_pool_split (c->co, part, parts, &c0, &cc);
  if (cc == 0)
    return;
  if (db != NULL)
    add_bias_grad (db, dy, c0, c0 + cc, (size_t) n * c->ho * c->wo);
  if (dw == NULL)
    return;
  if (is_pointwise (c))
    {
      nn_gemm (g, part, 0, 1, c->ci, cc, q, x, q, dy + (size_t) c0 * q, q, 1.0f, dw + c0, r);
      return;
    }
  float *rowsp = col + (size_t) c0 * kk * q;
  int per = images_per_block (plane_in);
  for (int bb = 0; bb < n; bb += per)
    {
      int cnt = n - bb < per ? n - bb : per;
      int qb = cnt * (int) plane_in;
      NnColumns cols = { dy, n, bb, cnt, c0, c0 + cc, c->ho, c->wo, c->k, c->s, c->p, c->hi,
                         c->wi };
      nn_gemm_columns (g, part, 0, 1, c->ci, cc * kk, qb, x + bb * plane_in, q, &cols, rowsp, 1.0f,
                       dw + (size_t) c0 * kk, r);
    }
}

void
nn_conv_transpose2d_backward_data_part (float *dx, float *col, const float *dy, const float *w,
                                        const NnConv2d *c, int n, int part, int parts, int dx_set,
                                        const NnGemm *g)
{
  int r = c->co * c->k * c->k;
  size_t plane_in = (size_t) c->hi * c->wi;
  int q = n * (int) plane_in;
  int b0, nb;

  /* Parts own disjoint images: their slab of col(dY) (made again here, a block of images at a time,
   * which costs less than keeping the whole matrix from the weight pass) and their columns of dX. */
  nn_pool_split (n, part, parts, &b0, &nb);
  if (nb == 0)
    return;
  if (is_pointwise (c))
    {
      nn_gemm (g, part, 0, 0, c->ci, nb * (int) plane_in, r, w, r, dy + b0 * plane_in, q,
               dx_set ? 0.0f : 1.0f, dx + b0 * plane_in, q);
      return;
    }
  float *slab = col + (size_t) r * b0 * plane_in;
  int per = images_per_block (plane_in);
  NnGemm gh;
  NnHeldA held;
  const NnGemm *gw = hold_weights (&gh, &held, g, part, (nb + per - 1) / per, 0, c->ci,
                                   (nb < per ? nb : per) * (int) plane_in, r, w, r);
  for (int bb = b0; bb < b0 + nb; bb += per)
    {
      int cnt = b0 + nb - bb < per ? b0 + nb - bb : per;
      int qb = cnt * (int) plane_in;
      NnColumns cols = { dy, n, bb, cnt, 0, c->co, c->ho, c->wo, c->k, c->s, c->p, c->hi, c->wi };
      nn_gemm_columns (gw, part, 0, 0, c->ci, qb, r, w, r, &cols, slab, dx_set ? 0.0f : 1.0f,
                       dx + bb * plane_in, q);
    }
}

void
nn_conv2d_forward (float *y, float *col, const float *x, const float *w, const float *b,
                   const NnConv2d *c, int n)
{
  nn_conv2d_forward_part (y, col, x, w, b, c, n, 0, 1, NULL);
}

void
nn_conv2d_backward (float *dx, float *dw, float *db, float *col, const float *dy, const float *x,
                    const float *w, const NnConv2d *c, int n)
{
  nn_conv2d_backward_part (dx, dw, db, col, dy, x, w, c, n, 0, 1, 0, NULL);
}

void
nn_conv_transpose2d_forward (float *y, float *col, const float *x, const float *w, const float *b,
                             const NnConv2d *c, int n)
{
  nn_conv_transpose2d_forward_part (y, col, x, w, b, c, n, 0, 1, NULL);
}

void
nn_conv_transpose2d_backward (float *dx, float *dw, float *db, float *col, const float *dy,
                              const float *x, const float *w, const NnConv2d *c, int n)
{
  nn_conv_transpose2d_backward_weight_part (dw, db, col, dy, x, c, n, 0, 1, NULL);
  if (dx != NULL)
    nn_conv_transpose2d_backward_data_part (dx, col, dy, w, c, n, 0, 1, 0, NULL);
}
