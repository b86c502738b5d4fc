/* nn-col.c — the column transforms of the convolutions (nn-conv.c): im2col and its adjoint col2im,
 * and the tap gather/scatter of the output-side conv. Layout CNHW as in nn-conv.h; see there for
 * the legend. The 4×4 stride-2 layers that make up most of pix2pix, and the PatchGAN's 4×4
 * stride-1 layer, take paths of their own that handle the four taps of a kernel row together
 * (is_k4s2p1, is_k4s1p1); stride-2 copies elsewhere are written with a constant stride so that GCC
 * vectorises them. The stride-2 layers' col2im also comes a tile of the matrix at a time, for the
 * engine's kernels to add their output tiles straight into the image (nn_col2im_tile_k4s2). */
#include "nn-col.h"
#include "nn-conv.h"

#include <immintrin.h>
#include <stdint.h>
#include <string.h>

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

/* The k = 4, s = 2, p = 1 layers of pix2pix, when the input side is exactly twice the output side.
 * For one kernel row ky and one output row, the four taps kx = 0..3 read the input row at odd,
 * even, odd, even positions shifted by one: ix = 2·ox − 1 + kx. So the row is split into its even
 * and odd halves once and the four column rows are contiguous copies of them (im2col), and the
 * four column rows are summed into an even and an odd half that are interleaved into the input row
 * once (col2im), instead of four strided passes. */
static int
is_k4s2p1 (int h, int w, int k, int s, int p, int ho, int wo)
{
  return k == 4 && s == 2 && p == 1 && h == 2 * ho && w == 2 * wo;
}

/* assign: the rows ky = 1, 2 cover every input position once, so they are written first and the
 * rows ky = 0, 3 added: x needs no zeroing beforehand. */
static void
col2im_rows_k4s2 (float *x, const float *col, int n, int b0, int nb, int c0, int c1, int h, int w,
                  int ho, int wo, int assign)
{
  size_t plane_in = (size_t) h * w, plane_out = (size_t) ho * wo;
  size_t q = (size_t) nb * plane_out;
  static const int order[4] = { 1, 2, 0, 3 };

  for (int ci = c0; ci < c1; ci++)
    for (int t = 0; t < 4; t++)
      {
        int ky = order[t];
        int set = assign && t < 2;
        const float *r0 = col + ((size_t) ((ci - c0) * 4 + ky) * 4) * q;
        const float *r1 = r0 + q, *r2 = r1 + q, *r3 = r2 + q;
        for (int b = 0; b < nb; b++)
          {
            float *xp = x + ((size_t) ci * n + b0 + b) * plane_in;
            size_t o = (size_t) b * plane_out;
            for (int oy = 0; oy < ho; oy++, o += wo)
              {
                int iy = 2 * oy - 1 + ky;
                if (iy < 0 || iy >= h)
                  continue;
                float *xr = xp + (size_t) iy * w;
                const float *a0 = r0 + o, *a1 = r1 + o, *a2 = r2 + o, *a3 = r3 + o;
                /* even 2j: taps 1 (j) and 3 (j − 1); odd 2j + 1: taps 2 (j) and 0 (j + 1) */
                if (set)
                  {
                    xr[0] = a1[0];
                    for (int j = 1; j < wo; j++)
                      xr[2 * j] = a1[j] + a3[j - 1];
                    for (int j = 0; j < wo - 1; j++)
                      xr[2 * j + 1] = a2[j] + a0[j + 1];
                    xr[2 * wo - 1] = a2[wo - 1];
                  }
                else
                  {
                    xr[0] += a1[0];
                    for (int j = 1; j < wo; j++)
                      xr[2 * j] += a1[j] + a3[j - 1];
                    for (int j = 0; j < wo - 1; j++)
                      xr[2 * j + 1] += a2[j] + a0[j + 1];
                    xr[2 * wo - 1] += a2[wo - 1];
                  }
              }
          }
      }
}

/* The k = 4, s = 1, p = 1 layers (the PatchGAN's third), where the output side is one smaller than
 * the input side. For one kernel row, the four taps read the same input row shifted by −1, 0, 1
 * and 2 (ix = ox − 1 + kx), so the four column rows are written from that row in one loop each
 * instead of a library call per tap and row (the rows are short: 7 or 31 values at 64 or 256 px,
 * where the per-call cost of memcpy was most of the work). */
static int
is_k4s1p1 (int h, int w, int k, int s, int p, int ho, int wo)
{
  return k == 4 && s == 1 && p == 1 && ho == h - 1 && wo == w - 1 && w >= 4;
}

/* One output row of the four column rows a0..a3 (taps kx = 0..3) of kernel row ky, read from the
 * input row xr. Stride 2 (wo = w / 2): the row is split into its even and odd halves once, and taps
 * 0 and 3 are those halves shifted by one. Stride 1 (wo = w − 1): tap kx reads xr[j − 1 + kx]. */
static inline void
fill_row_k4s2 (float *a0, float *a1, float *a2, float *a3, const float *xr, int wo)
{
  for (int j = 0; j < wo; j++)
    {
      a1[j] = xr[2 * j];
      a2[j] = xr[2 * j + 1];
    }
  a0[0] = 0.0f;
  memcpy (a0 + 1, a2, (size_t) (wo - 1) * sizeof (float));
  memcpy (a3, a1 + 1, (size_t) (wo - 1) * sizeof (float));
  a3[wo - 1] = 0.0f;
}

static inline void
fill_row_k4s1 (float *a0, float *a1, float *a2, float *a3, const float *xr, int wo)
{
  a0[0] = 0.0f;
  for (int j = 1; j < wo; j++)
    a0[j] = xr[j - 1];
  for (int j = 0; j < wo; j++)
    {
      a1[j] = xr[j];
      a2[j] = xr[j + 1];
    }
  for (int j = 0; j < wo - 1; j++)
    a3[j] = xr[j + 2];
  a3[wo - 1] = 0.0f;
}

/* im2col of the 4×4 pad-1 layers with a path of their own (is_k4s2p1, is_k4s1p1): the four column
 * rows of a kernel row are written together from one input row. Always inlined, so that each call
 * (nn_im2col_rows has one per stride) is compiled for its constant stride: as one function with the
 * stride as a variable it was 15–25% slower in a micro-benchmark. */
static inline __attribute__ ((always_inline)) void
im2col_rows_k4 (float *col, const float *x, int n, int b0, int nb, int c0, int c1, int h, int w,
                int s, int ho, int wo)
{
  size_t plane_in = (size_t) h * w, plane_out = (size_t) ho * wo;
  size_t q = (size_t) nb * plane_out;

  for (int ci = c0; ci < c1; ci++)
    for (int ky = 0; ky < 4; ky++)
      {
        float *r0 = col + ((size_t) ((ci - c0) * 4 + ky) * 4) * q;
        float *r1 = r0 + q, *r2 = r1 + q, *r3 = r2 + q;
        for (int b = 0; b < nb; b++)
          {
            const float *xp = x + ((size_t) ci * n + b0 + b) * plane_in;
            size_t o = (size_t) b * plane_out;
            for (int oy = 0; oy < ho; oy++, o += wo)
              {
                int iy = oy * s - 1 + ky;
                if (iy < 0 || iy >= h)
                  for (int j = 0; j < wo; j++)
                    r0[o + j] = r1[o + j] = r2[o + j] = r3[o + j] = 0.0f;
                else if (s == 2)
                  fill_row_k4s2 (r0 + o, r1 + o, r2 + o, r3 + o, xp + (size_t) iy * w, wo);
                else
                  fill_row_k4s1 (r0 + o, r1 + o, r2 + o, r3 + o, xp + (size_t) iy * w, wo);
              }
          }
      }
}

/* Each input row iy is the sum of the rows ky whose output row oy = iy + 1 − ky exists; the first
 * of them overwrites it when assigning (no zeroing pass), the others add. Within a row, input
 * position j takes tap 0 at j + 1, tap 1 at j, tap 2 at j − 1 and tap 3 at j − 2, where those
 * output columns exist (0 ≤ ox ≤ w − 2, and tap 3 never reads at ox = w − 2): positions 0, 1,
 * w − 2 and w − 1 miss some taps, the ones between have all four (w ≥ 4 keeps the four apart). */
static void
col2im_rows_k4s1 (float *x, const float *col, int n, int b0, int nb, int c0, int c1, int h, int w,
                  int ho, int wo, int assign)
{
  size_t plane_in = (size_t) h * w, plane_out = (size_t) ho * wo;
  size_t q = (size_t) nb * plane_out;

  for (int ci = c0; ci < c1; ci++)
    for (int b = 0; b < nb; b++)
      {
        float *xp = x + ((size_t) ci * n + b0 + b) * plane_in;
        for (int iy = 0; iy < h; iy++)
          {
            float *xr = xp + (size_t) iy * w;
            int first = 1;
            for (int ky = 0; ky < 4; ky++)
              {
                int oy = iy + 1 - ky;
                if (oy < 0 || oy >= ho)
                  continue;
                size_t o = (size_t) b * plane_out + (size_t) oy * wo;
                const float *a0 = col + ((size_t) ((ci - c0) * 4 + ky) * 4) * q + o;
                const float *a1 = a0 + q, *a2 = a1 + q, *a3 = a2 + q;
                float e0 = a0[1] + a1[0];
                float e1 = a0[2] + a1[1] + a2[0];
                float e2 = a1[w - 2] + a2[w - 3] + a3[w - 4];
                float e3 = a2[w - 2] + a3[w - 3];
                if (first && assign)
                  {
                    xr[0] = e0;
                    xr[1] = e1;
                    for (int j = 2; j < w - 2; j++)
                      xr[j] = a0[j + 1] + a1[j] + a2[j - 1] + a3[j - 2];
                    xr[w - 2] = e2;
                    xr[w - 1] = e3;
                  }
                else
                  {
                    xr[0] += e0;
                    xr[1] += e1;
                    for (int j = 2; j < w - 2; j++)
                      xr[j] += a0[j + 1] + a1[j] + a2[j - 1] + a3[j - 2];
                    xr[w - 2] += e2;
                    xr[w - 1] += e3;
                  }
                first = 0;
              }
            if (first && assign)
              memset (xr, 0, (size_t) w * sizeof (float));
          }
      }
}

/* The rows of channels [c0, c1) of the column matrix of images [b0, b0 + nb) of x, which holds n
 * images: row ((ci - c0)·K + ky)·K + kx, nb·Ho·Wo columns. */
void
nn_im2col_rows (float *col, const float *x, int n, int b0, int nb, int c0, int c1, int h, int w,
                int k, int s, int p, int ho, int wo)
{
  size_t plane_in = (size_t) h * w;
  size_t plane_out = (size_t) ho * wo;
  size_t q = (size_t) nb * plane_out;

  /* Two calls with constant strides, so that each inlined copy is compiled for its stride. */
  if (is_k4s2p1 (h, w, k, s, p, ho, wo))
    {
      im2col_rows_k4 (col, x, n, b0, nb, c0, c1, h, w, 2, ho, wo);
      return;
    }
  if (is_k4s1p1 (h, w, k, s, p, ho, wo))
    {
      im2col_rows_k4 (col, x, n, b0, nb, c0, c1, h, w, 1, ho, wo);
      return;
    }
  for (int ci = c0; ci < c1; ci++)
    for (int ky = 0; ky < k; ky++)
      for (int kx = 0; kx < k; kx++)
        {
          float *row = col + ((size_t) ((ci - c0) * k + ky) * k + kx) * q;
          int lo, hi;
          valid_range (kx, s, p, w, wo, &lo, &hi);
          for (int b = 0; b < nb; b++)
            {
              const float *xp = x + ((size_t) ci * n + b0 + b) * plane_in;
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
                  /* Constant strides let GCC vectorise (stride 2 with even/odd shuffles). */
                  if (s == 1)
                    memcpy (cp + lo, xr + lo, (size_t) (hi - lo) * sizeof (float));
                  else if (s == 2)
                    for (int ox = lo; ox < hi; ox++)
                      cp[ox] = xr[2 * ox];
                  else
                    for (int ox = lo; ox < hi; ox++)
                      cp[ox] = xr[ox * s];
                  for (int ox = hi; ox < wo; ox++)
                    cp[ox] = 0.0f;
                }
            }
        }
}

/* Adds the rows of channels [c0, c1) back into images [b0, b0 + nb) of x (the adjoint); with
 * assign, those planes of x are overwritten instead (they need not be zeroed first). */
void
nn_col2im_rows (float *x, const float *col, int n, int b0, int nb, int c0, int c1, int h, int w,
                int k, int s, int p, int ho, int wo, int assign)
{
  size_t plane_in = (size_t) h * w;
  size_t plane_out = (size_t) ho * wo;
  size_t q = (size_t) nb * plane_out;

  if (is_k4s2p1 (h, w, k, s, p, ho, wo))
    {
      col2im_rows_k4s2 (x, col, n, b0, nb, c0, c1, h, w, ho, wo, assign);
      return;
    }
  if (is_k4s1p1 (h, w, k, s, p, ho, wo))
    {
      col2im_rows_k4s1 (x, col, n, b0, nb, c0, c1, h, w, ho, wo, assign);
      return;
    }
  if (assign)
    for (int ci = c0; ci < c1; ci++)
      memset (x + ((size_t) ci * n + b0) * plane_in, 0, (size_t) nb * plane_in * sizeof (float));
  for (int ci = c0; ci < c1; ci++)
    for (int ky = 0; ky < k; ky++)
      for (int kx = 0; kx < k; kx++)
        {
          const float *row = col + ((size_t) ((ci - c0) * k + ky) * k + kx) * q;
          int lo, hi;
          valid_range (kx, s, p, w, wo, &lo, &hi);
          for (int b = 0; b < nb; b++)
            {
              float *xp = x + ((size_t) ci * n + b0 + b) * plane_in;
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
                  else if (s == 2)
                    for (int ox = lo; ox < hi; ox++)
                      xr[2 * ox] += cp[ox];
                  else
                    for (int ox = lo; ox < hi; ox++)
                      xr[ox * s] += cp[ox];
                }
            }
        }
}

/* A mask of the first `count` lanes (none for count ≤ 0, all 16 from 16 on). */
static inline __mmask16
lanes (int count)
{
  return count >= 16 ? (__mmask16) 0xffff : (__mmask16) ((1u << (count > 0 ? count : 0)) - 1u);
}

/* The tile t (rows row0 .. row0 + 7 of the column matrix, ld apart; columns col0 .. col0 + nr − 1)
 * into x, for the layers of is_k4s2p1. The tile's rows are the taps kx = 0 .. 3 of two kernel rows
 * ky of one channel, and its columns runs of pixels of output rows (whole rows, or 32 pixels of a
 * longer row). Each input value is summed as col2im_rows_k4s2 sums it: the taps kx = 1 and 3 of
 * neighbouring pixels (kx = 0 and 2 for odd positions) are added first, each pair then into the
 * image; a pair whose pixels lie in two tiles is finished with the next tile's run (the carry).
 * Every input value receives two such pairs, one from each kernel row of its parity, so into a
 * zeroed image the order the tiles arrive in does not change the sum (a + b = b + a): the same
 * values to the bit as col2im_rows_k4s2 assigning. */
__attribute__ ((target ("avx512f"))) void
nn_col2im_tile_k4s2 (float *x, const float *t, size_t ld, int n, int b0, int c0, int h, int w,
                     int ho, int wo, int row0, int col0, int nr, float carry[2][2])
{
  const int plane_out = ho * wo;
  /* Word 2u takes E[u] (lane u of the first vector), word 2u + 1 O[u] (lane u of the second). */
  const __m512i lo_idx = _mm512_set_epi32 (23, 7, 22, 6, 21, 5, 20, 4, 19, 3, 18, 2, 17, 1, 16, 0);
  const __m512i hi_idx = _mm512_set_epi32 (31, 15, 30, 14, 29, 13, 28, 12, 27, 11, 26, 10, 25, 9,
                                           24, 8);
  int ci = c0 + row0 / 16, ky0 = row0 % 16 / 4;

  for (int g = 0; g < nr;)
    {
      int b = (col0 + g) / plane_out, rem = (col0 + g) % plane_out;
      int oy = rem / wo, ox0 = rem % wo;
      int len = wo - ox0 < nr - g ? wo - ox0 : nr - g;
      int starts_inside = ox0 > 0, ends_inside = ox0 + len < wo;
      for (int kl = 0; kl < 2; kl++)
        {
          int iy = 2 * oy - 1 + ky0 + kl;
          if (iy < 0 || iy >= h)
            continue;
          const float *a0 = t + (size_t) (4 * kl) * ld + g;
          const float *a1 = a0 + ld, *a2 = a1 + ld, *a3 = a2 + ld;
          float *xr = x + (((size_t) ci * n + b0 + b) * h + iy) * w + 2 * ox0;
          /* Position −1 (odd): the pair begun by the last pixel of the previous tile's run. */
          if (starts_inside)
            xr[-1] += carry[kl][0] + a0[0];
          for (int u0 = 0; u0 < len; u0 += 16)
            {
              int cl = len - u0 < 16 ? len - u0 : 16;
              __mmask16 mk = lanes (cl);
              /* Even position 2u: a1[u] + a3[u − 1] (the first pixel's partner from the carry,
               * or none at the row's start); odd 2u + 1: a2[u] + a0[u + 1] (none at the row's
               * end; the run's last pixel's pair is left to the next tile inside a row). */
              __m512 e = _mm512_maskz_loadu_ps (mk, a1 + u0);
              __m512 s3 = _mm512_maskz_loadu_ps (u0 > 0 ? mk : (__mmask16) (mk & ~1u), a3 + u0 - 1);
              __mmask16 with3 = mk;
              if (u0 == 0)
                {
                  if (starts_inside)
                    s3 = _mm512_mask_mov_ps (s3, 1, _mm512_set1_ps (carry[kl][1]));
                  else
                    with3 = (__mmask16) (mk & ~1u);
                }
              e = _mm512_mask_add_ps (e, with3, e, s3);
              __mmask16 with0 = lanes (len - u0 - 1);
              __m512 od = _mm512_maskz_loadu_ps (mk, a2 + u0);
              od = _mm512_mask_add_ps (od, with0, od, _mm512_maskz_loadu_ps (with0, a0 + u0 + 1));
              uint32_t keep = cl == 16 ? 0xffffffffu : (1u << (2 * cl)) - 1u;
              if (ends_inside && u0 + cl == len)
                keep &= ~(1u << (2 * cl - 1));
              __m512 lo = _mm512_permutex2var_ps (e, lo_idx, od);
              __m512 hi = _mm512_permutex2var_ps (e, hi_idx, od);
              float *xp = xr + 2 * u0;
              __mmask16 klo = (__mmask16) keep, khi = (__mmask16) (keep >> 16);
              _mm512_mask_storeu_ps (xp, klo,
                                     _mm512_add_ps (_mm512_maskz_loadu_ps (klo, xp), lo));
              _mm512_mask_storeu_ps (xp + 16, khi,
                                     _mm512_add_ps (_mm512_maskz_loadu_ps (khi, xp + 16), hi));
            }
          if (ends_inside)
            {
              carry[kl][0] = a2[len - 1];
              carry[kl][1] = a3[len - 1];
            }
        }
      g += len;
    }
}

void
nn_im2col (float *col, const float *x, int c, int n, int h, int w, int k, int s, int p, int ho,
           int wo)
{
  nn_im2col_rows (col, x, n, 0, n, 0, c, h, w, k, s, p, ho, wo);
}

void
nn_col2im (float *x, const float *col, int c, int n, int h, int w, int k, int s, int p, int ho,
           int wo)
{
  nn_col2im_rows (x, col, n, 0, n, 0, c, h, w, k, s, p, ho, wo, 0);
}

/* The walk both tap transforms share: for every tap (ky, kx) of every channel, each output row's
 * valid columns and the matching positions of the tap's input plane in z. gather adds those
 * positions of z into y; otherwise (scatter) y's row is written to them. */
static void
walk_taps (float *y, float *z, int c, int n, int h, int w, int k, int s, int p, int ho, int wo,
           int gather)
{
  size_t plane_in = (size_t) h * w, plane_out = (size_t) ho * wo;
  for (int ci = 0; ci < c; ci++)
    for (int ky = 0; ky < k; ky++)
      for (int kx = 0; kx < k; kx++)
        {
          float *zt = z + ((size_t) (ci * k + ky) * k + kx) * n * plane_in;
          int lo, hi;
          valid_range (kx, s, p, w, wo, &lo, &hi);
          for (int b = 0; b < n; b++)
            for (int oy = 0; oy < ho; oy++)
              {
                int iy = oy * s - p + ky;
                if (iy < 0 || iy >= h)
                  continue;
                float *zr = zt + b * plane_in + (size_t) iy * w - p + kx;
                float *yr = y + ((size_t) ci * n + b) * plane_out + (size_t) oy * wo;
                if (!gather)
                  for (int ox = lo; ox < hi; ox++)
                    zr[ox * s] = yr[ox];
                else if (s == 1)
                  for (int ox = lo; ox < hi; ox++)
                    yr[ox] += zr[ox];
                else
                  for (int ox = lo; ox < hi; ox++)
                    yr[ox] += zr[ox * s];
              }
        }
}

/* y[c][b][oy][ox] += Σ over taps (ky, kx) of z[(c·K + ky)·K + kx][b][oy·S - P + ky][ox·S - P + kx]:
 * the read pattern of im2col, summed over the taps instead of laid out as rows. */
void
nn_gather_taps (float *y, const float *z, int c, int n, int h, int w, int k, int s, int p, int ho,
                int wo)
{
  /* gather only reads z. */
  walk_taps (y, (float *) z, c, n, h, w, k, s, p, ho, wo, 1);
}

/* The adjoint of nn_gather_taps: every tap's plane of z receives dy at the positions it was read
 * from (each tap reads distinct positions, so this is an assignment into a zeroed z). */
void
nn_scatter_taps (float *z, const float *dy, int c, int n, int h, int w, int k, int s, int p,
                 int ho, int wo)
{
  memset (z, 0, (size_t) c * k * k * n * h * w * sizeof (float));
  /* scatter only reads dy. */
  walk_taps ((float *) dy, z, c, n, h, w, k, s, p, ho, wo, 0);
}
