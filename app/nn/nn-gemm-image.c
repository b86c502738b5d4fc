/* nn-gemm-image.c — the float32 and bf16 products of nn-gemm.h whose factors are a convolution's
 * column matrix, on the driver of nn-gemm.c (nn-gemm-private.h).
 *
 * A convolution's column matrix can be B without being written (nn_gemm_columns): its panels are
 * packed straight from the image, which saves im2col's pass over a matrix 4–16 times the image's
 * size and, for the weight gradients (B transposed), the 16 × 16 transposes of packing it. Its
 * mirror: a product whose C is a column matrix that col2im adds into an image (a conv's input
 * gradient, a transposed conv's forward pass) can hand each finished tile to col2im instead of
 * writing C (nn_gemm_col2im). */
#include "nn-gemm-private.h"
#include "nn-col.h"

#include <string.h>

/* The not-transposed packing of pack_b_cols_f32 (for long output rows; nn_gemm_columns decides):
 * the columns [j0, j0 + nc) taken as runs of pixels of one output row within one panel, and for
 * each run and each (channel, ky) of the K range the four rows kx = 0 .. 3 copied from one input
 * row, as nn_im2col_rows does (taps outside the row zero). Always inlined, so that each call is
 * compiled for its constant stride (the stride-2 copies then vectorise). */
static inline __attribute__ ((always_inline)) void
pack_cols_runs (float *dst0, const NnColumns *cols, int s, int k0, int kc, int j0, int nc)
{
  const int h = cols->h, w = cols->w, p = cols->p, wo = cols->wo;
  const int plane_out = cols->ho * cols->wo;
  const size_t plane_in = (size_t) h * w, chan = (size_t) cols->n * plane_in;
  const float *x0 = cols->x + (size_t) cols->c0 * chan;
  int cfirst = k0 / 16, clast = (k0 + kc) / 16;

  /* Columns of the last panel past nc are zero. */
  if (nc % NR != 0)
    {
      float *last = dst0 + (size_t) (nc / NR) * kc * NR;
      for (int q = 0; q < kc; q++)
        for (int j = nc % NR; j < NR; j++)
          last[(size_t) q * NR + j] = 0.0f;
    }
  for (int g = 0; g < nc;)
    {
      int at = j0 + g, b = at / plane_out, rem = at % plane_out, oy = rem / wo, ox = rem % wo;
      int j = g % NR, len = wo - ox;
      if (len > NR - j)
        len = NR - j;
      if (len > nc - g)
        len = nc - g;
      float *panel = dst0 + (size_t) (g / NR) * kc * NR + j;
      /* Per tap kx, the run's pixels u whose input column lies in the row: [lo, hi). */
      int lo[4], hi[4];
      for (int kx = 0; kx < 4; kx++)
        {
          int first = ox * s - p + kx, a = 0, e = len;
          while (a < len && first + a * s < 0)
            a++;
          while (e > a && first + (e - 1) * s >= w)
            e--;
          lo[kx] = a;
          hi[kx] = e;
        }
      for (int ci = cfirst; ci < clast; ci++)
        for (int ky = 0; ky < 4; ky++)
          {
            float *d = panel + (size_t) ((ci - cfirst) * 16 + ky * 4) * NR;
            int iy = oy * s - p + ky;
            if (iy < 0 || iy >= h)
              {
                for (int kx = 0; kx < 4; kx++)
                  for (int u = 0; u < len; u++)
                    d[kx * NR + u] = 0.0f;
                continue;
              }
            const float *xr = x0 + (size_t) ci * chan + ((size_t) (cols->b0 + b) * h + iy) * w;
            for (int kx = 0; kx < 4; kx++)
              {
                float *dk = d + kx * NR;
                int first = ox * s - p + kx;
                for (int u = 0; u < lo[kx]; u++)
                  dk[u] = 0.0f;
                for (int u = lo[kx]; u < hi[kx]; u++)
                  dk[u] = xr[first + u * s];
                for (int u = hi[kx]; u < len; u++)
                  dk[u] = 0.0f;
              }
          }
      g += len;
    }
}

/* The 4 × 4 taps' column matrix packed from x, in pack_b_f32's layout (panel t, row q, column j at
 * bp[(t·kc + q)·NR + j]), for B's K range [k0, k0 + kc) and columns [j0, j0 + nc).
 *
 * Transposed (trans_b, the weight gradients: K runs over pixels, the columns over rows of the
 * matrix): a panel's 32 columns are all 16 taps of two channels (j0 is a multiple of NR), and a
 * pixel's 4 taps of one kernel row are 4 consecutive values of one input row, so each packed row is
 * 8 masked loads of 4 values (the mask drops taps left or right of the row; rows above or below
 * the image are zero). Not transposed (K over rows of the matrix, the columns over pixels): runs of
 * pixels as pack_cols_runs copies them. */
F32_TARGET static void
pack_b_cols_f32 (uint32_t *bp, int trans_b, const NnColumns *cols, int k0, int kc, int j0, int nc)
{
  const int h = cols->h, w = cols->w, s = cols->s, p = cols->p, wo = cols->wo;
  const int plane_out = cols->ho * cols->wo, rows = (cols->c1 - cols->c0) * 16;
  const size_t plane_in = (size_t) h * w, chan = (size_t) cols->n * plane_in;
  const float *x0 = cols->x + (size_t) cols->c0 * chan;
  float *dst0 = (float *) bp;

  if (!trans_b)
    {
      /* Each call compiled for its stride. */
      if (s == 1)
        pack_cols_runs (dst0, cols, 1, k0, kc, j0, nc);
      else if (s == 2)
        pack_cols_runs (dst0, cols, 2, k0, kc, j0, nc);
      else
        pack_cols_runs (dst0, cols, s, k0, kc, j0, nc);
      return;
    }
  /* Transposed. Per pixel of the K range: its offset in a channel (of the tap ky = kx = 0), first
   * input row, and the mask of the taps kx inside its input row. */
  ptrdiff_t off[KC_F32];
  int iy0[KC_F32];
  __mmask16 inside[KC_F32];
  for (int q = 0; q < kc; q++)
    {
      int g = k0 + q, b = g / plane_out, rem = g % plane_out;
      int iy = rem / wo * s - p, ix = rem % wo * s - p;
      off[q] = (ptrdiff_t) (cols->b0 + b) * (ptrdiff_t) plane_in + (ptrdiff_t) iy * w + ix;
      iy0[q] = iy;
      unsigned mk = 0;
      for (int kx = 0; kx < 4; kx++)
        if (ix + kx >= 0 && ix + kx < w)
          mk |= 1u << kx;
      inside[q] = (__mmask16) mk;
    }
  for (int jr = 0; jr < nc; jr += NR)
    {
      float *dst = dst0 + (size_t) (jr / NR) * kc * NR;
      for (int half = 0; half < 2; half++)
        {
          int row0 = j0 + jr + 16 * half;
          float *d = dst + 16 * half;
          if (row0 >= rows)
            {
              for (int q = 0; q < kc; q++)
                _mm512_storeu_ps (d + (size_t) q * NR, _mm512_setzero_ps ());
              continue;
            }
          const float *xc = x0 + (size_t) (row0 / 16) * chan;
          for (int q = 0; q < kc; q++)
            {
              __m512 v[4];
              for (int ky = 0; ky < 4; ky++)
                {
                  int iy = iy0[q] + ky;
                  v[ky] = iy >= 0 && iy < h
                          ? _mm512_maskz_loadu_ps (inside[q], xc + off[q] + (ptrdiff_t) ky * w)
                          : _mm512_setzero_ps ();
                }
              /* The four kernel rows' 4 values side by side. */
              __m512 lo = _mm512_maskz_shuffle_f32x4 (ALL16, v[0], v[1], 0x00);
              __m512 hi = _mm512_maskz_shuffle_f32x4 (ALL16, v[2], v[3], 0x00);
              _mm512_storeu_ps (d + (size_t) q * NR,
                                _mm512_maskz_shuffle_f32x4 (ALL16, lo, hi, 0x88));
            }
        }
    }
}

void
nn_gemm_columns (const NnGemm *g, int part, int trans_a, int trans_b, int m, int n, int k,
                 const float *a, int lda, const NnColumns *cols, float *col, float beta, float *c,
                 int ldc)
{
  /* The engine's float32 kernel exactly where nn_gemm would run it. Transposed (the weight
   * gradients) this measured 1.05–1.15× as fast as im2col + packing in a micro-benchmark of the
   * U-Net's shapes; not transposed only with long runs of pixels: from 15 at stride 1 (1.1×) and
   * 32 at stride 2 (1.2–1.3×), while rows of 7 or 8 pixels, and of 16 at stride 2, were as fast or
   * slower than writing the matrix. */
  int runs = cols->wo >= (cols->s == 1 ? 9 : 32);
  if (cols->k == 4 && (trans_b || runs) && g != NULL && g->precision == NN_PRECISION_FP32 && g->work != NULL
      && part < g->work_parts && n >= 32 && k >= 32 && nn_gemm_f32_enabled ())
    {
      GemmImageB image = { pack_b_cols_f32, cols };
      nn_gemm_blocked (&nn_gemm_kind_f32, (char *) g->work + (size_t) part * nn_gemm_work_bytes (),
                       trans_a, trans_b, m, n, k, a, lda, NULL, 0, &image, beta, c, ldc, 0, NULL,
                       g->held);
      return;
    }
  int q = cols->nb * cols->ho * cols->wo;
  nn_im2col_rows (col, cols->x, cols->n, cols->b0, cols->nb, cols->c0, cols->c1, cols->h, cols->w,
                  cols->k, cols->s, cols->p, cols->ho, cols->wo);
  nn_gemm (g, part, trans_a, trans_b, m, n, k, a, lda, col, q, beta, c, ldc);
}

void
nn_gemm_col2im (const NnGemm *g, int part, int trans_a, int m, int n, int k, const float *a,
                int lda, const float *b, int ldb, const NnColumns *cols, float *x, float *col,
                int assign)
{
  /* Tiles hold whole output rows or 32 pixels of one, and no run of pixels crosses a block of NC
   * columns, so a pair of taps is split between two tiles only at a tile's edge inside a row.
   * Against the written matrix and col2im (one thread, the layers' shapes at 64–256 px, float32
   * and bf16), with one block of K tiles of rows of 16 to 64 pixels were 1.05–1.2× as fast and of
   * 8 1.02–1.05×, while rows of 4 and 2 (8 and 16 runs a tile) were 0.87–0.97×; with K 512 (the
   * partial sums through C, each tile read back) 0.94–0.97×. */
  const GemmKind *kind = nn_gemm_own_kind (g, part, n, k);
  int aligned = (NR % cols->wo == 0 && cols->wo >= 8) || (cols->wo % NR == 0 && NC % cols->wo == 0);
  if (kind != NULL && k <= kind->kc && assign && aligned && m % 16 == 0 && cols->k == 4 && cols->s == 2
      && cols->p == 1 && cols->h == 2 * cols->ho && cols->w == 2 * cols->wo)
    {
      size_t plane = (size_t) cols->h * cols->w;
      TileScatter sc = { .cols = cols, .x = x };
      for (int ci = cols->c0; ci < cols->c1; ci++)
        memset (x + ((size_t) ci * cols->n + cols->b0) * plane, 0,
                (size_t) cols->nb * plane * sizeof (float));
      nn_gemm_blocked (kind, (char *) g->work + (size_t) part * nn_gemm_work_bytes (), trans_a, 0,
                       m, n, k, a, lda, b, ldb, NULL, 0.0f, col, n, 0, &sc, g->held);
      return;
    }
  nn_gemm (g, part, trans_a, 0, m, n, k, a, lda, b, ldb, 0.0f, col, n);
  nn_col2im_rows (x, col, cols->n, cols->b0, cols->nb, cols->c0, cols->c1, cols->h, cols->w,
                  cols->k, cols->s, cols->p, cols->ho, cols->wo, assign);
}
