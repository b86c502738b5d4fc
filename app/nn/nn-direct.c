/* nn-direct.c — the 4×4 stride-2 convs' forward pass and weight gradient in panels, without a
 * column matrix (see nn-direct.h).
 *
 * A panel holds 32 consecutive output pixels (of one row, or of several rows and images when the
 * rows are shorter) × K = Ci·16 rows, row k = (ci·4 + ky)·4 + kx as in the weights; the 4 rows of
 * one (ci, ky) come from one input row, split into its even and odd values. The kernel keeps an
 * 8 × 32 block of outputs in 16 AVX-512 registers and walks K in chunks of 256 rows (32 KB of the
 * panel, which stays in L1 while every block of 8 output channels passes over it). The weight
 * gradient reads the same panels against dY's panel transposed, with the output channels along
 * the registers, and sums dWᵀ over all panels before adding it into dW. */
#include "nn-direct.h"

#include <immintrin.h>
#include <pthread.h>
#include <string.h>

#include "nn-peak.h"
#include "nn-pool.h"
#include "nn-transpose.h"

#define MR 8    /* output channels per kernel block */
#define NR 32   /* output pixels per panel: two AVX-512 registers */
#define KC 256  /* panel rows per kernel call */

static int direct_on;
static pthread_once_t direct_once = PTHREAD_ONCE_INIT;

static void
direct_init (void)
{
  direct_on = nn_cpu_avx512_kernel_on ("ZIMARU_NN_DIRECT");
}

int
nn_direct_enabled (void)
{
  pthread_once (&direct_once, direct_init);
  return direct_on;
}

int
nn_direct_fits (const NnConv2d *c)
{
  return !c->transposed && c->k == 4 && c->s == 2 && c->p == 1 && c->hi == 2 * c->ho
         && c->wi == 2 * c->wo && c->co % MR == 0;
}

int
nn_direct_forward_fits (const NnConv2d *c, int n, int parts)
{
  /* Measured against im2col + OpenBLAS (one thread, 8 images): 1.06–1.7× as fast with 512 or more
   * output pixels a part, equal at 512 with 256 channels, 0.5–0.9× near the U-Net's bottleneck
   * (4×4 outputs and smaller), where packing the weights (up to 4 MB) for a few pixels dominates. */
  return nn_direct_fits (c) && (size_t) n * c->ho * c->wo >= (size_t) 256 * parts;
}

static size_t
packed_floats (const NnConv2d *c)
{
  /* Rounded up to 16 floats, so that the panels after it start on a cache line. */
  return ((size_t) c->co * c->ci * 16 + 15) / 16 * 16;
}

size_t
nn_direct_scratch_floats (const NnConv2d *c, int parts)
{
  return packed_floats (c) + (size_t) parts * c->ci * 16 * NR;
}

void
nn_direct_pack_part (float *scratch, const float *w, const NnConv2d *c, int part, int parts)
{
  int k = c->ci * 16;
  int t0, tc;
  nn_pool_split (c->co / MR, part, parts, &t0, &tc);
  /* Block t holds w[t·8 + r][kk] at (t·K + kk)·8 + r: the kernel's 8 weights of a row together. */
  for (int t = t0; t < t0 + tc; t++)
    for (int kk = 0; kk < k; kk++)
      for (int r = 0; r < MR; r++)
        scratch[((size_t) t * k + kk) * MR + r] = w[(size_t) (t * MR + r) * k + kk];
}

/* c[8][32] (rows ldc apart) = (first ? 0 : c) + Σ over kc steps kk of a(r, kk)·b[kk][0 .. 32),
 * where a(r, kk) = a[kk·ak + r·ar] and b's rows are ldb apart: the one kernel of both passes,
 * inlined for each pair of constant strides. */
__attribute__ ((target ("avx512f"))) static inline __attribute__ ((always_inline)) void
kernel_body (int kc, const float *restrict a, size_t ak, size_t ar, const float *restrict b,
             size_t ldb, float *restrict c, size_t ldc, int first)
{
  __m512 acc[MR][2];
  for (int r = 0; r < MR; r++)
    acc[r][0] = acc[r][1] = _mm512_setzero_ps ();
  for (int kk = 0; kk < kc; kk++)
    {
      __m512 b0 = _mm512_loadu_ps (b + (size_t) kk * ldb);
      __m512 b1 = _mm512_loadu_ps (b + (size_t) kk * ldb + 16);
#pragma GCC unroll 8
      for (int r = 0; r < MR; r++)
        {
          __m512 w = _mm512_set1_ps (a[(size_t) kk * ak + (size_t) r * ar]);
          acc[r][0] = _mm512_fmadd_ps (w, b0, acc[r][0]);
          acc[r][1] = _mm512_fmadd_ps (w, b1, acc[r][1]);
        }
    }
  for (int r = 0; r < MR; r++)
    {
      float *cr = c + (size_t) r * ldc;
      if (!first)
        {
          acc[r][0] = _mm512_add_ps (acc[r][0], _mm512_loadu_ps (cr));
          acc[r][1] = _mm512_add_ps (acc[r][1], _mm512_loadu_ps (cr + 16));
        }
      _mm512_storeu_ps (cr, acc[r][0]);
      _mm512_storeu_ps (cr + 16, acc[r][1]);
    }
}

/* The forward pass: a the packed weights [kc][8], b the panel [kc][32]. */
__attribute__ ((target ("avx512f"))) static void
kernel_8x32 (int kc, const float *restrict a, const float *restrict b, float *restrict c,
             size_t ldc, int first)
{
  kernel_body (kc, a, MR, 1, b, NR, c, ldc, first);
}

/* Panel columns [j, j + len) from output row oy of image b, pixels ox .. ox + len - 1. Compiled
 * for AVX-512 too (it only runs where the kernel does): the even/odd split vectorises there. */
__attribute__ ((target ("avx512f"))) static void
fill_segment (float *panel, int j, const float *x, const NnConv2d *c, int n, int b, int oy, int ox,
              int len)
{
  size_t plane_in = (size_t) c->hi * c->wi;
  int first_zero = ox == 0;                 /* tap 0 reads column -1 there */
  int last_zero = ox + len == c->wo;        /* tap 3 reads column wi there */
  for (int ci = 0; ci < c->ci; ci++)
    for (int ky = 0; ky < 4; ky++)
      {
        float *r0 = panel + (size_t) ((ci * 4 + ky) * 4) * NR + j;
        float *r1 = r0 + NR, *r2 = r1 + NR, *r3 = r2 + NR;
        int iy = 2 * oy + ky - 1;
        if (iy < 0 || iy >= c->hi)
          {
            for (int t = 0; t < len; t++)
              r0[t] = r1[t] = r2[t] = r3[t] = 0.0f;
            continue;
          }
        const float *xs = x + ((size_t) ci * n + b) * plane_in + (size_t) iy * c->wi + 2 * ox;
        for (int t = 0; t < len; t++)
          {
            r1[t] = xs[2 * t];
            r2[t] = xs[2 * t + 1];
          }
        if (first_zero)
          r0[0] = 0.0f;
        for (int t = first_zero; t < len; t++)
          r0[t] = xs[2 * t - 1];
        for (int t = 0; t < len - last_zero; t++)
          r3[t] = xs[2 * t + 2];
        if (last_zero)
          r3[len - 1] = 0.0f;
      }
}

/* The panel of the cnt (≤ 32) output pixels from flat index g (over images, rows, columns). */
static void
fill_panel (float *panel, const float *x, const NnConv2d *c, int n, size_t g, int cnt)
{
  size_t plane_out = (size_t) c->ho * c->wo;
  for (int j = 0; j < cnt;)
    {
      size_t at = g + (size_t) j;
      int b = (int) (at / plane_out);
      int rem = (int) (at % plane_out);
      int oy = rem / c->wo, ox = rem % c->wo;
      int len = c->wo - ox < cnt - j ? c->wo - ox : cnt - j;
      fill_segment (panel, j, x, c, n, b, oy, ox, len);
      j += len;
    }
  if (cnt < NR)
    for (int kk = 0; kk < c->ci * 16; kk++)
      memset (panel + (size_t) kk * NR + cnt, 0, (size_t) (NR - cnt) * sizeof (float));
}

void
nn_direct_forward_part (float *y, float *scratch, const float *x, const NnConv2d *c, int n, int b0,
                        int nb, int part)
{
  int k = c->ci * 16, tiles = c->co / MR;
  size_t plane_out = (size_t) c->ho * c->wo, q = (size_t) n * plane_out;
  const float *packed = scratch;
  float *panel = scratch + packed_floats (c) + (size_t) part * k * NR;
  size_t g0 = (size_t) b0 * plane_out, g1 = (size_t) (b0 + nb) * plane_out;

  for (size_t g = g0; g < g1; g += NR)
    {
      int cnt = g1 - g < NR ? (int) (g1 - g) : NR;
      fill_panel (panel, x, c, n, g, cnt);
      if (cnt == NR)
        {
          /* Chunk of rows outside, blocks of channels inside: the chunk stays in L1. */
          for (int k0 = 0; k0 < k; k0 += KC)
            {
              int kc = k - k0 < KC ? k - k0 : KC;
              for (int t = 0; t < tiles; t++)
                kernel_8x32 (kc, packed + ((size_t) t * k + k0) * MR, panel + (size_t) k0 * NR,
                             y + (size_t) t * MR * q + g, q, k0 == 0);
            }
          continue;
        }
      /* The last, shorter panel: each block of channels through a tile, then its cnt columns. */
      float tile[MR * NR];
      for (int t = 0; t < tiles; t++)
        {
          for (int k0 = 0; k0 < k; k0 += KC)
            kernel_8x32 (k - k0 < KC ? k - k0 : KC, packed + ((size_t) t * k + k0) * MR,
                         panel + (size_t) k0 * NR, tile, NR, k0 == 0);
          for (int r = 0; r < MR; r++)
            memcpy (y + (size_t) (t * MR + r) * q + g, tile + (size_t) r * NR,
                    (size_t) cnt * sizeof (float));
        }
    }
}

/* ---- the weight gradient ---- */

/* acc[k0 + r][0 .. 32) += Σ over the panel's 32 pixels of panel[k0 + r][p] · dyt[p][0 .. 32), for
 * the 8 rows r of a block: dW's transpose, with the output channels along the registers. */
__attribute__ ((target ("avx512f"))) static void
grad_kernel (const float *restrict panel, const float *restrict dyt, size_t lddyt,
             float *restrict acc, size_t ldacc)
{
  kernel_body (NR, panel, 1, NR, dyt, lddyt, acc, ldacc, 0);
}

/* dyt[p][o] = dy[o·q + p] for the panel's NR pixels p and the co (a multiple of 16) output
 * channels o, zero for p ≥ cnt: blocks of 16 channels × 16 pixels transposed in registers. */
__attribute__ ((target ("avx512f"))) static void
transpose_dy (float *restrict dyt, const float *restrict dy, size_t q, int co, int cnt)
{
  for (int p0 = 0; p0 < NR; p0 += 16)
    {
      int left = cnt - p0;
      __mmask16 mk = left >= 16 ? (__mmask16) 0xffff
                                : (__mmask16) ((1u << (left > 0 ? left : 0)) - 1u);
      for (int o0 = 0; o0 < co; o0 += 16)
        {
          __m512i r[16];
          for (int i = 0; i < 16; i++)
            r[i] = _mm512_maskz_loadu_epi32 (mk, dy + (size_t) (o0 + i) * q + p0);
          nn_transpose_16x16 (r);
          for (int j = 0; j < 16; j++)
            _mm512_storeu_si512 (dyt + (size_t) (p0 + j) * co + o0, r[j]);
        }
    }
}

static size_t
grad_work_floats (const NnConv2d *c, int cc)
{
  size_t kp = (size_t) cc * 16;
  return kp * NR + (size_t) NR * c->co + kp * c->co;
}

int
nn_direct_grad_fits (const NnConv2d *c, int n, int parts)
{
  /* Measured against im2col + OpenBLAS (one thread, 8 images): 1.05–1.25× as fast for 64 and 128
   * output channels with 32 or more input channels; slower for 256 output channels (dWᵀ no longer
   * stays in L2) and for one or two input channels (the panel costs as much as its arithmetic).
   * The panel, dY's panel transposed and dWᵀ of the part with the most channels must also fit in
   * its rows of the column matrix (K·q floats). */
  int cc = (c->ci + parts - 1) / parts;
  size_t q = (size_t) n * c->ho * c->wo;
  return nn_direct_fits (c) && (c->co == 64 || c->co == 128) && c->ci >= 16
         && grad_work_floats (c, cc) <= (size_t) cc * 16 * q;
}

void
nn_direct_weight_grad_part (float *dw, float *work, const float *dy, const float *x,
                            const NnConv2d *c, int n, int c0, int cc)
{
  int r = c->ci * 16, kp = cc * 16, co = c->co;
  size_t q = (size_t) n * c->ho * c->wo;
  float *panel = work, *dyt = panel + (size_t) kp * NR, *acc = dyt + (size_t) NR * co;
  /* The panel's rows are those of channels [c0, c0 + cc): fill_panel's rows of a layer with
   * those channels only, read from x shifted to channel c0. */
  NnConv2d sub = *c;
  sub.ci = cc;
  const float *xs = x + (size_t) c0 * n * c->hi * c->wi;

  memset (acc, 0, (size_t) kp * co * sizeof (float));
  for (size_t g = 0; g < q; g += NR)
    {
      int cnt = q - g < NR ? (int) (q - g) : NR;
      fill_panel (panel, xs, &sub, n, g, cnt);
      transpose_dy (dyt, dy + g, q, co, cnt);
      for (int k0 = 0; k0 < kp; k0 += MR)
        for (int o0 = 0; o0 < co; o0 += 32)
          grad_kernel (panel + (size_t) k0 * NR, dyt + o0, (size_t) co,
                       acc + (size_t) k0 * co + o0, (size_t) co);
    }
  for (int o = 0; o < co; o++)
    for (int k = 0; k < kp; k++)
      dw[(size_t) o * r + (size_t) c0 * 16 + k] += acc[(size_t) k * co + o];
}
