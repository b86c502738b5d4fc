/* nn-gemm.c — the engine's packed products in bf16 and float32, and OpenBLAS's sgemm (nn-gemm.h).
 *
 * The bf16 product is a packed GEMM in the manner of GotoBLAS (Goto & van de Geijn 2008): for each
 * block of NC columns and KC rows of B, B is packed into panels of NR = 32 columns; for each block
 * of MC rows of A, A is packed into panels of MR = 8 rows; an 8 × 32 kernel then walks the panels
 * with a panel of B in L1 and the block of A in L2. Packing converts to bf16: vdpbf16ps multiplies
 * pairs of bf16 values along K held in one 32-bit lane, acc[j] += a[k]·b[k][j] + a[k+1]·b[k+1][j],
 * so A's panel stores the pair (a[i][k], a[i][k+1]) as one 32-bit word (broadcast to all lanes)
 * and B's panel the pairs (b[k][j], b[k+1][j]) of 32 columns side by side. An odd K ends with a
 * pair whose second value is zero, and rows or columns short of a panel are zero, so the kernel
 * always runs whole tiles (partial ones through a tile of its own, then copied).
 *
 * The kernel keeps its 8 × 32 float32 outputs in 16 of the 32 zmm registers: 16 independent
 * dot-product chains hide vdpbf16ps's latency at two per cycle, and each step loads two panel
 * vectors and eight broadcasts for sixteen dot products.
 *
 * The float32 product is the same scheme with one float32 value per 32-bit word (A's panel holds
 * a[i][k] for the MR rows of one k side by side, B's the 32 columns of one row of B) and
 * vfmadd231ps in the kernel; it needs AVX-512F only. Both run one driver (nn_gemm_blocked) with
 * their own packing and kernel.
 *
 * One more float32 use of the driver: a product with fewer than 32 columns runs as its transpose,
 * C's tiles written back through the tile buffer (nn_gemm). nn-gemm-image.c runs it with B packed
 * from a convolution's image and with C's tiles added into one.
 *
 * The driver packs A's blocks anew for every block of NC columns and every call; a layer whose
 * products read the same weights for block after block of images packs them once instead, whole,
 * into room of its own beside the workspace (nn_gemm_hold_a), and the driver reads its blocks
 * there.
 *
 * A product with few columns (the U-Net's bottleneck, where a part has 32–256 pixels) reads A where
 * it is stored instead of packing it first: each value is read only a few times, and packing the
 * weights cost as much as the arithmetic there. */
#include "nn-gemm-private.h"
#include "nn-col.h"
#include "nn-peak.h"
#include "nn-transpose.h"

#include <assert.h>
#include <cblas.h>
#include <immintrin.h>
#include <pthread.h>
#include <stddef.h>
#include <string.h>


size_t
nn_gemm_work_bytes (void)
{
  /* Packed A, packed B (32-bit words: one bf16 pair or one float32 each), then a tile of C. */
  return ((size_t) MC * KW + (size_t) NC * KW) * sizeof (uint32_t) + (size_t) MR * NR * sizeof (float);
}

size_t
nn_gemm_hold_bytes (void)
{
  return (size_t) HELD_WORDS * sizeof (uint32_t);
}

static int gemm_f32_on;
static pthread_once_t gemm_f32_once = PTHREAD_ONCE_INIT;

static void
gemm_f32_init (void)
{
  gemm_f32_on = nn_cpu_avx512_kernel_on ("ZIMARU_NN_GEMM");
}

int
nn_gemm_f32_enabled (void)
{
  pthread_once (&gemm_f32_once, gemm_f32_init);
  return gemm_f32_on;
}

static void gemm_f32_transposed (void *work, int trans_a, int trans_b, int m, int n, int k,
                                 const float *a, int lda, const float *b, int ldb, float beta,
                                 float *c, int ldc);

void
nn_gemm (const NnGemm *g, int part, int trans_a, int trans_b, int m, int n, int k, const float *a,
         int lda, const float *b, int ldb, float beta, float *c, int ldc)
{
  /* The engine's kernels where they pay: with fewer than 32 columns the kernel's 32-column panels
   * are half empty, and with K below 32 packing costs as much as the arithmetic; those products
   * (the U-Net's bottleneck at batch 16, its last layer's gradients) measured slower than sgemm
   * in bench-conv and stay on it, except in float32 a product with fewer than 32 columns but 32
   * rows or more: it runs transposed (Cᵀ = op(B)ᵀ·op(A)ᵀ, whose rows fill the panels), which made
   * the U-Net's 2 × 2 → 1 × 1 conv and 1 × 1 → 2 × 2 transposed conv at 64 px 1.3–1.5× as fast
   * (forward and input gradient on the kernel instead of sgemm; interleaved bench-conv runs). */
  int fits = g != NULL && n >= 32 && k >= 32;
  int own = fits && g->work != NULL && part < g->work_parts;
  /* bf16 has no fallback: its layers never have more parts than workspaces (the passes see to it). */
  assert (!(fits && g->precision == NN_PRECISION_BF16) || own);
  if (own && (g->precision == NN_PRECISION_BF16
              || (g->precision == NN_PRECISION_FP32 && nn_gemm_f32_enabled ())))
    {
      nn_gemm_blocked (g->precision == NN_PRECISION_BF16 ? &nn_gemm_kind_bf16 : &nn_gemm_kind_f32,
                       (char *) g->work + (size_t) part * nn_gemm_work_bytes (), trans_a, trans_b,
                       m, n, k, a, lda, b, ldb, NULL, beta, c, ldc, 0, NULL, g->held);
      return;
    }
  if (g != NULL && g->precision == NN_PRECISION_FP32 && g->work != NULL && part < g->work_parts
      && n >= 1 && n < 32 && m >= 32 && k >= 32 && nn_gemm_f32_enabled ())
    {
      gemm_f32_transposed ((char *) g->work + (size_t) part * nn_gemm_work_bytes (), trans_a,
                           trans_b, m, n, k, a, lda, b, ldb, beta, c, ldc);
      return;
    }
  cblas_sgemm (CblasRowMajor, trans_a ? CblasTrans : CblasNoTrans,
               trans_b ? CblasTrans : CblasNoTrans, m, n, k, 1.0f, a, lda, b, ldb, beta, c, ldc);
}

#define BF16_TARGET __attribute__ ((target ("avx512f,avx512bw,avx512bf16")))

/* A mask of the first `count` (0–16) lanes. */
static inline __mmask16
first_lanes (int count)
{
  return count >= 16 ? (__mmask16) 0xffff : (__mmask16) ((1u << (count > 0 ? count : 0)) - 1u);
}


/* Transposes r (16 runs of 16 words) and stores word w of every run, for the first n words, as
 * row w0 + w of dst (rows stride apart): the first `width` (8 or 16) runs. */
F32_TARGET static void
store_transposed (uint32_t *dst, size_t stride, __m512i r[16], int w0, int n, int width)
{
  nn_transpose_16x16 (r);
  for (int w = 0; w < n; w++)
    {
      uint32_t *d = dst + (size_t) (w0 + w) * stride;
      if (width == 16)
        _mm512_storeu_si512 (d, r[w]);
      else
        _mm512_mask_storeu_epi32 (d, (__mmask16) 0xff, r[w]);
    }
}

/* Writes a kernel's MR × NR sums to c (rows ldc apart), adding scale·c when read_c. */
F32_TARGET static inline void
store_tile (__m512 acc[MR][NV], float *restrict c, size_t ldc, int read_c, float scale)
{
  __m512 s = _mm512_set1_ps (scale);
  for (int r = 0; r < MR; r++)
    {
      float *cr = c + (size_t) r * ldc;
      for (int v = 0; v < NV; v++)
        {
          if (read_c)
            acc[r][v] = _mm512_fmadd_ps (s, _mm512_loadu_ps (cr + 16 * v), acc[r][v]);
          _mm512_storeu_ps (cr + 16 * v, acc[r][v]);
        }
    }
}

/* Packs `rows` (≤ 16) runs of K, run i at x + i·ld, from k0 for kc values, as pairs: word p of
 * run i goes to dst[p·stride + i]; runs past `rows` and up to `width` (8 or 16) are zero. Blocks
 * of 16 pairs of all runs are converted, then transposed in registers. */
BF16_TARGET static void
pack_runs (uint32_t *dst, size_t stride, const float *x, size_t ld, int rows, int width, int kc)
{
  int kp = (kc + 1) / 2;
  for (int p0 = 0; p0 < kp; p0 += 16)
    {
      __m512i r[16];
      int left = kc - 2 * p0;
      for (int i = 0; i < 16; i++)
        {
          if (i >= rows)
            {
              r[i] = _mm512_setzero_si512 ();
              continue;
            }
          const float *xi = x + (size_t) i * ld + 2 * p0;
          __m512 lo = _mm512_maskz_loadu_ps (first_lanes (left), xi);
          __m512 hi = _mm512_maskz_loadu_ps (first_lanes (left - 16), xi + 16);
          /* vcvtne2ps2bf16 puts its second operand's 16 values first: the run in order. */
          r[i] = (__m512i) _mm512_cvtne2ps_pbh (hi, lo);
        }
      store_transposed (dst, stride, r, p0, kp - p0 < 16 ? kp - p0 : 16, width);
    }
}

/* A's rows [i0, i0 + mc) and K range [k0, k0 + kc) into panels of MR rows: panel t, pair p,
 * row r at ap[(t·kp + p)·MR + r]. */
BF16_TARGET static void
pack_a (uint32_t *ap, int trans_a, const float *a, int lda, int i0, int mc, int k0, int kc)
{
  int kp = (kc + 1) / 2;
  /* (transposed A) Word 2r takes value r of the first stored row, word 2r + 1 value r of the
   * second (at 16 + r after the conversion): 8 pairs in the low half. */
  const __m512i pair8 = _mm512_set_epi16 (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 23, 7,
                                          22, 6, 21, 5, 20, 4, 19, 3, 18, 2, 17, 1, 16, 0);
  for (int ir = 0; ir < mc; ir += MR)
    {
      int mr = mc - ir < MR ? mc - ir : MR;
      uint32_t *dst = ap + (size_t) (ir / MR) * kp * MR;
      if (!trans_a)
        {
          /* Rows of A are runs of K. */
          pack_runs (dst, MR, a + (size_t) (i0 + ir) * lda + k0, (size_t) lda, mr, MR, kc);
          continue;
        }
      /* Columns of the stored matrix are rows of A: two stored rows make one pair per A row. */
      __mmask16 rows = first_lanes (mr);
      for (int p = 0; p < kp; p++)
        {
          const float *x0 = a + (size_t) (k0 + 2 * p) * lda + i0 + ir;
          __m512 v0 = _mm512_maskz_loadu_ps (rows, x0);
          __m512 v1 = 2 * p + 1 < kc ? _mm512_maskz_loadu_ps (rows, x0 + lda) : _mm512_setzero_ps ();
          __m512i w = (__m512i) _mm512_cvtne2ps_pbh (v1, v0);
          /* w holds x0's 16 values, then x1's; only the first 8 of each are rows. */
          __m512i both = _mm512_permutexvar_epi16 (pair8, w);
          _mm512_mask_storeu_epi32 (dst + (size_t) p * MR, (__mmask16) 0xff, both);
        }
    }
}

/* B's K range [k0, k0 + kc) and columns [j0, j0 + nc) into panels of NR columns: panel t, pair
 * p, column j at bp[(t·kp + p)·NR + j]. */
BF16_TARGET static void
pack_b (uint32_t *bp, int trans_b, const float *b, int ldb, int k0, int kc, int j0, int nc)
{
  int kp = (kc + 1) / 2;
  /* Word 2j takes value j (row k), word 2j + 1 value 16 + j (row k + 1). */
  const __m512i inter = _mm512_set_epi16 (31, 15, 30, 14, 29, 13, 28, 12, 27, 11, 26, 10, 25, 9,
                                          24, 8, 23, 7, 22, 6, 21, 5, 20, 4, 19, 3, 18, 2, 17, 1,
                                          16, 0);
  for (int jr = 0; jr < nc; jr += NR)
    {
      int nr = nc - jr < NR ? nc - jr : NR;
      uint32_t *dst = bp + (size_t) (jr / NR) * kp * NR;
      if (!trans_b)
        {
          for (int p = 0; p < kp; p++)
            {
              const float *r0 = b + (size_t) (k0 + 2 * p) * ldb + j0 + jr;
              int two = 2 * p + 1 < kc;
              for (int h = 0; h < NV; h++)
                {
                  __mmask16 mk = first_lanes (nr - 16 * h);
                  __m512 lo = _mm512_maskz_loadu_ps (mk, r0 + 16 * h);
                  __m512 hi = two ? _mm512_maskz_loadu_ps (mk, r0 + ldb + 16 * h)
                                  : _mm512_setzero_ps ();
                  __m512i w = (__m512i) _mm512_cvtne2ps_pbh (hi, lo);
                  _mm512_storeu_si512 (dst + (size_t) p * NR + 16 * h,
                                       _mm512_permutexvar_epi16 (inter, w));
                }
            }
          continue;
        }
      /* Columns of B are runs of K: 16 at a time. */
      for (int h = 0; h < NV; h++)
        pack_runs (dst + 16 * h, NR, b + (size_t) (j0 + jr + 16 * h) * ldb + k0, (size_t) ldb,
                   nr - 16 * h < 0 ? 0 : nr - 16 * h, 16, kc);
    }
}

/* c[8][32] (rows ldc apart) = Σ over kp pairs of A's panel times B's panel, plus scale·c when
 * read_c. */
BF16_TARGET static void
kernel_8x32 (int kp, const uint32_t *restrict ap, const uint32_t *restrict bp, float *restrict c,
             size_t ldc, int read_c, float scale)
{
  __m512 acc[MR][NV];
  for (int r = 0; r < MR; r++)
    for (int v = 0; v < NV; v++)
      acc[r][v] = _mm512_setzero_ps ();
  for (int p = 0; p < kp; p++)
    {
      __m512bh bv[NV];
      for (int v = 0; v < NV; v++)
        bv[v] = (__m512bh) _mm512_loadu_si512 (bp + (size_t) p * NR + 16 * v);
#pragma GCC unroll 16
      for (int r = 0; r < MR; r++)
        {
          __m512bh av = (__m512bh) _mm512_set1_epi32 ((int) ap[(size_t) p * MR + r]);
          for (int v = 0; v < NV; v++)
            acc[r][v] = _mm512_dpbf16_ps (acc[r][v], av, bv[v]);
        }
    }
  store_tile (acc, c, ldc, read_c, scale);
}

/* Adds a tile of the column matrix (NR columns a row) into the image (nn_col2im_tile_k4s2 of
 * nn-col.h). */
static void
scatter_tile (TileScatter *sc, const float *t, int row0, int col0, int nr)
{
  const NnColumns *o = sc->cols;
  nn_col2im_tile_k4s2 (sc->x, t, NR, o->n, o->b0, o->c0, o->h, o->w, o->ho, o->wo, row0, col0, nr,
                       sc->carry[row0 % MC / MR]);
}

/* Words of one K block of an A of m rows held whole (nn_gemm_hold_a): its MR-row panels at the
 * kind's full K block; the driver and the packing both lay it out by this. */
static size_t
held_block_words (const GemmKind *kind, int m)
{
  return (size_t) (m + MR - 1) / MR * MR * (size_t) ((kind->kc + kind->per_word - 1) / kind->per_word);
}

void
nn_gemm_blocked (const GemmKind *kind, void *work, int trans_a, int trans_b, int m, int n, int k,
                 const float *a, int lda, const float *b, int ldb, const GemmImageB *image,
                 float beta, float *c, int ldc, int trans_c, TileScatter *scatter,
                 const NnHeldA *held)
{
  uint32_t *ap = work;
  uint32_t *bp = ap + (size_t) MC * KW;
  float *tile = (float *) (bp + (size_t) NC * KW);

  /* Tiles for an image: whole kernel rows of channels, K one block, C not read. */
  assert (scatter == NULL || (m % 16 == 0 && k <= kind->kc && beta == 0.0f && !trans_c));

  if (m <= 0 || n <= 0)
    return;
  if (k <= 0)
    {
      for (int i = 0; i < m; i++)
        for (int j = 0; j < n; j++)
          {
            float *e = trans_c ? c + (size_t) j * ldc + i : c + (size_t) i * ldc + j;
            *e = beta == 0.0f ? 0.0f : beta * *e;
          }
      return;
    }
  /* With few panels of columns each value of A is read only a few times: packing it costs more
   * than the kernel's reading it where it is stored. In a micro-benchmark of the U-Net's
   * bottleneck shapes, M·N·K 256·32·4096, 512·32·4096 and 256·64·4096 ran 1.15–1.8× as fast,
   * 256·128·4096, 512·128·4096 and 256·256·2048 1.0–1.4×, and with A transposed 2048·64·512
   * 1.3×, 1024·128·256 the same and 2048·256·512 0.85× (the kernel's 8 values of a step lie in
   * rows of the stored matrix 8 KB apart, which share cache sets): up to 256 columns, or 64 with A
   * transposed. */
  int unpacked_a = kind->kernel_a[0] != NULL && n <= (trans_a ? 2 : 8) * NR && m % MR == 0
                   && !trans_c;
  /* A held whole (nn_gemm_hold_a): block (pc, ic) at its K block's offset, then ic·kw words. */
  const uint32_t *held_ap = NULL;
  if (held != NULL && held->packed != NULL && held->kind == (const void *) kind && held->a == a
      && held->trans_a == trans_a && held->m == m && held->k == k && held->lda == lda
      && !unpacked_a)
    held_ap = held->packed;
  size_t held_block = held_block_words (kind, m);
  for (int jc = 0; jc < n; jc += NC)
    {
      int nc = n - jc < NC ? n - jc : NC;
      for (int pc = 0; pc < k; pc += kind->kc)
        {
          int kc = k - pc < kind->kc ? k - pc : kind->kc;
          int kw = (kc + kind->per_word - 1) / kind->per_word;
          /* The first block of K sets C (beta·C + the block; C is not read when beta is 0, so it
           * may hold anything), the others add to it. */
          int read_c = pc > 0 || beta != 0.0f;
          float scale = pc > 0 ? 1.0f : beta;
          if (image != NULL)
            image->pack (bp, trans_b, image->cols, pc, kc, jc, nc);
          else
            kind->pack_b (bp, trans_b, b, ldb, pc, kc, jc, nc);
          for (int ic = 0; ic < m; ic += MC)
            {
              int mc = m - ic < MC ? m - ic : MC;
              const uint32_t *apk = ap;
              if (held_ap != NULL)
                apk = held_ap + (size_t) (pc / kind->kc) * held_block + (size_t) ic * kw;
              else if (!unpacked_a)
                kind->pack_a (ap, trans_a, a, lda, ic, mc, pc, kc);
              for (int jr = 0; jr < nc; jr += NR)
                {
                  int nr = nc - jr < NR ? nc - jr : NR;
                  const uint32_t *bpan = bp + (size_t) (jr / NR) * kw * NR;
                  for (int ir = 0; ir < mc; ir += MR)
                    {
                      int mr = mc - ir < MR ? mc - ir : MR;
                      const uint32_t *apan = apk + (size_t) (ir / MR) * kw * MR;
                      if (trans_c)
                        {
                          /* Through the tile, then each of its columns into a row of C. */
                          kind->kernel (kw, apan, bpan, tile, NR, 0, 0.0f);
                          for (int j = 0; j < nr; j++)
                            {
                              float *ct = c + (size_t) (jc + jr + j) * ldc + ic + ir;
                              for (int r = 0; r < mr; r++)
                                ct[r] = tile[r * NR + j] + (read_c ? scale * ct[r] : 0.0f);
                            }
                          continue;
                        }
                      float *cp = c + (size_t) (ic + ir) * ldc + jc + jr;
                      /* A whole tile into C; a partial one, or one for the image, through the
                       * tile buffer. */
                      int to_image = scatter != NULL;
                      int whole = mr == MR && nr == NR && !to_image;
                      float *dst = whole ? cp : tile;
                      size_t ldd = whole ? (size_t) ldc : NR;
                      if (unpacked_a)
                        kind->kernel_a[trans_a] (kc, trans_a ? a + (size_t) pc * lda + ic + ir
                                                             : a + (size_t) (ic + ir) * lda + pc,
                                                 (size_t) lda, bpan, dst, ldd, whole && read_c,
                                                 scale);
                      else
                        kind->kernel (kw, apan, bpan, dst, ldd, whole && read_c, scale);
                      if (!whole && !to_image)
                        for (int r = 0; r < mr; r++)
                          for (int j = 0; j < nr; j++)
                            {
                              float *e = cp + (size_t) r * ldc + j;
                              *e = tile[r * NR + j] + (read_c ? scale * *e : 0.0f);
                            }
                      if (to_image)
                        scatter_tile (scatter, tile, ic + ir, jc + jr, nr);
                    }
                }
            }
        }
    }
}

const GemmKind nn_gemm_kind_bf16 = { KC_BF16, 2, pack_a, pack_b, kernel_8x32, { NULL, NULL } };

void
nn_gemm_bf16 (void *work, int trans_a, int trans_b, int m, int n, int k, const float *a, int lda,
              const float *b, int ldb, float beta, float *c, int ldc)
{
  nn_gemm_blocked (&nn_gemm_kind_bf16, work, trans_a, trans_b, m, n, k, a, lda, b, ldb, NULL, beta,
                   c, ldc, 0, NULL, NULL);
}

/* ---- float32 ---- */

/* Packs `rows` (≤ 16) runs of K, run i at x + i·ld, from k0 for kc values: value q of run i goes to
 * dst[q·stride + i]; runs past `rows` and up to `width` (8 or 16) are zero. Blocks of 16 values of
 * all runs are transposed in registers. */
F32_TARGET static void
pack_runs_f32 (uint32_t *dst, size_t stride, const float *x, size_t ld, int rows, int width, int kc)
{
  for (int q0 = 0; q0 < kc; q0 += 16)
    {
      __m512i r[16];
      __mmask16 mk = first_lanes (kc - q0);
      for (int i = 0; i < 16; i++)
        r[i] = i < rows ? _mm512_maskz_loadu_epi32 (mk, x + (size_t) i * ld + q0)
                        : _mm512_setzero_si512 ();
      store_transposed (dst, stride, r, q0, kc - q0 < 16 ? kc - q0 : 16, width);
    }
}

/* As pack_a, one value per word: panel t, row k, row r of A at ap[(t·kc + k)·MR + r]. */
F32_TARGET static void
pack_a_f32 (uint32_t *ap, int trans_a, const float *a, int lda, int i0, int mc, int k0, int kc)
{
  for (int ir = 0; ir < mc; ir += MR)
    {
      int mr = mc - ir < MR ? mc - ir : MR;
      uint32_t *dst = ap + (size_t) (ir / MR) * kc * MR;
      if (!trans_a)
        {
          pack_runs_f32 (dst, MR, a + (size_t) (i0 + ir) * lda + k0, (size_t) lda, mr, MR, kc);
          continue;
        }
      __mmask16 rows = first_lanes (mr);
      for (int q = 0; q < kc; q++)
        {
          __m512i v = _mm512_maskz_loadu_epi32 (rows, a + (size_t) (k0 + q) * lda + i0 + ir);
          _mm512_mask_storeu_epi32 (dst + (size_t) q * MR, (__mmask16) 0xff, v);
        }
    }
}

/* As pack_b, one value per word: panel t, row k, column j at bp[(t·kc + k)·NR + j]. */
F32_TARGET static void
pack_b_f32 (uint32_t *bp, int trans_b, const float *b, int ldb, int k0, int kc, int j0, int nc)
{
  for (int jr = 0; jr < nc; jr += NR)
    {
      int nr = nc - jr < NR ? nc - jr : NR;
      uint32_t *dst = bp + (size_t) (jr / NR) * kc * NR;
      if (!trans_b)
        {
          for (int q = 0; q < kc; q++)
            {
              const float *row = b + (size_t) (k0 + q) * ldb + j0 + jr;
              for (int h = 0; h < NV; h++)
                _mm512_storeu_si512 (dst + (size_t) q * NR + 16 * h,
                                     _mm512_maskz_loadu_epi32 (first_lanes (nr - 16 * h),
                                                               row + 16 * h));
            }
          continue;
        }
      for (int h = 0; h < NV; h++)
        pack_runs_f32 (dst + 16 * h, NR, b + (size_t) (j0 + jr + 16 * h) * ldb + k0, (size_t) ldb,
                       nr - 16 * h < 0 ? 0 : nr - 16 * h, 16, kc);
    }
}

/* As kernel_8x32, with one float32 value per word and a fused multiply-add per value; A's value of
 * row r and step q at a[q·ak + r·ar] (its panel: ak = MR, ar = 1). Always inlined, so that each
 * kernel below is compiled for its strides. */
F32_TARGET static inline __attribute__ ((always_inline)) void
kernel_f32_body (int kc, const float *restrict a, size_t ak, size_t ar, int prefetch_a,
                 const uint32_t *restrict bp, float *restrict c, size_t ldc, int read_c,
                 float scale)
{
  const float *bf = (const float *) bp;
  __m512 acc[MR][NV];
  for (int r = 0; r < MR; r++)
    for (int v = 0; v < NV; v++)
      acc[r][v] = _mm512_setzero_ps ();
#pragma GCC unroll 4
  for (int q = 0; q < kc; q++)
    {
      __m512 bv[NV];
      for (int v = 0; v < NV; v++)
        bv[v] = _mm512_loadu_ps (bf + (size_t) q * NR + 16 * v);
      /* A's panel comes from L2: ask for it 1 KB ahead. */
      if (prefetch_a)
        _mm_prefetch ((const char *) (a + (size_t) q * ak + 256), _MM_HINT_T0);
#pragma GCC unroll 16
      for (int r = 0; r < MR; r++)
        {
          __m512 av = _mm512_set1_ps (a[(size_t) q * ak + (size_t) r * ar]);
          for (int v = 0; v < NV; v++)
            acc[r][v] = _mm512_fmadd_ps (av, bv[v], acc[r][v]);
        }
    }
  store_tile (acc, c, ldc, read_c, scale);
}

/* A's packed panel. */
F32_TARGET static void
kernel_f32_8x32 (int kc, const uint32_t *restrict ap, const uint32_t *restrict bp,
                 float *restrict c, size_t ldc, int read_c, float scale)
{
  kernel_f32_body (kc, (const float *) ap, MR, 1, 1, bp, c, ldc, read_c, scale);
}

/* A read where it is stored (see unpacked_a in nn_gemm_blocked): its rows (not transposed) or its
 * columns (transposed) lda apart. */
F32_TARGET static void
kernel_f32_a_rows (int kc, const float *restrict a, size_t lda, const uint32_t *restrict bp,
                   float *restrict c, size_t ldc, int read_c, float scale)
{
  kernel_f32_body (kc, a, 1, lda, 0, bp, c, ldc, read_c, scale);
}

F32_TARGET static void
kernel_f32_a_cols (int kc, const float *restrict a, size_t lda, const uint32_t *restrict bp,
                   float *restrict c, size_t ldc, int read_c, float scale)
{
  kernel_f32_body (kc, a, lda, 1, 0, bp, c, ldc, read_c, scale);
}

const GemmKind nn_gemm_kind_f32 = { KC_F32, 1, pack_a_f32, pack_b_f32, kernel_f32_8x32,
                                    { kernel_f32_a_rows, kernel_f32_a_cols } };

void
nn_gemm_f32 (void *work, int trans_a, int trans_b, int m, int n, int k, const float *a, int lda,
             const float *b, int ldb, float beta, float *c, int ldc)
{
  nn_gemm_blocked (&nn_gemm_kind_f32, work, trans_a, trans_b, m, n, k, a, lda, b, ldb, NULL, beta,
                   c, ldc, 0, NULL, NULL);
}

/* C = op(A)·op(B) + beta·C as the transposed product Cᵀ = op(B)ᵀ·op(A)ᵀ (B's columns along the
 * kernel's rows, A's rows along its panels), written back transposed. Each element's products are
 * summed in the same order as in nn_gemm_f32. */
static void
gemm_f32_transposed (void *work, int trans_a, int trans_b, int m, int n, int k, const float *a,
                     int lda, const float *b, int ldb, float beta, float *c, int ldc)
{
  nn_gemm_blocked (&nn_gemm_kind_f32, work, !trans_b, !trans_a, n, m, k, b, ldb, a, lda, NULL, beta,
                   c, ldc, 1, NULL, NULL);
}

const GemmKind *
nn_gemm_own_kind (const NnGemm *g, int part, int n, int k)
{
  if (g == NULL || n < 32 || k < 32 || g->work == NULL || part >= g->work_parts)
    return NULL;
  if (g->precision == NN_PRECISION_BF16)
    return &nn_gemm_kind_bf16;
  if (g->precision == NN_PRECISION_FP32 && nn_gemm_f32_enabled ())
    return &nn_gemm_kind_f32;
  return NULL;
}

void
nn_gemm_hold_a (const NnGemm *g, int part, int trans_a, int m, int n, int k, const float *a,
                int lda, NnHeldA *held)
{
  const GemmKind *kind = nn_gemm_own_kind (g, part, n, k);
  *held = (NnHeldA) { a, trans_a, m, k, lda, kind, NULL };
  /* Only where the products pack A (see unpacked_a in nn_gemm_blocked). */
  if (kind == NULL || g->hold_room == NULL || m <= 0
      || (kind->kernel_a[0] != NULL && n <= (trans_a ? 2 : 8) * NR))
    return;
  size_t block = held_block_words (kind, m);
  if ((size_t) ((k + kind->kc - 1) / kind->kc) * block > HELD_WORDS)
    return;
  uint32_t *dst = (uint32_t *) ((char *) g->hold_room + (size_t) part * nn_gemm_hold_bytes ());
  /* Each block of K in the driver's layout: panels of MR rows, ic·kw words from its start. */
  for (int pc = 0; pc < k; pc += kind->kc)
    kind->pack_a (dst + (size_t) (pc / kind->kc) * block, trans_a, a, lda, 0, m, pc,
                  k - pc < kind->kc ? k - pc : kind->kc);
  held->packed = dst;
}
