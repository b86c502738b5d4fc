/* nn-gemm-private.h — what nn-gemm.c (the packed products and their driver) and nn-gemm-image.c (the
 * products whose B is packed from an image, or whose C is added into one) share: the blocking, a
 * product's packing and kernel (GemmKind), the two kinds, and the driver. Private to those two
 * files. */
#pragma once

#include <immintrin.h>
#include <stddef.h>
#include <stdint.h>

#include "nn-gemm.h"

#define MR 8
#define NV 2            /* vectors of 16 columns per panel */
#define NR (16 * NV)
#define KC_BF16 256     /* rows of B (K) per block in bf16; even */
#define KC_F32 256      /* rows of B (K) per block in float32 */
#define KW 256          /* packed words per row of a panel: the larger of KC_BF16 / 2 and KC_F32 */
#define MC 128          /* rows of A per block; a multiple of MR */
#define NC (32 * NR)     /* columns of B per block; a multiple of NR */
#define HELD_WORDS (512 * 1024)  /* packed words of an A held whole (nn_gemm_hold_a): 2 MB */

#define F32_TARGET __attribute__ ((target ("avx512f")))

/* Every lane: the zero-masking forms with it are the plain instructions (GCC 12's unmasked
 * shuffles start from a self-initialised vector, which -Wuninitialized reports). */
#define ALL16 ((__mmask16) 0xffff)

/* Each product's packing and kernel. Packed words are 32 bits in both: a bf16 pair or a float32
 * value, `per_word` values of K each. */
typedef struct {
  int kc;
  int per_word;
  void (*pack_a) (uint32_t *ap, int trans_a, const float *a, int lda, int i0, int mc, int k0,
                  int kc);
  void (*pack_b) (uint32_t *bp, int trans_b, const float *b, int ldb, int k0, int kc, int j0,
                  int nc);
  void (*kernel) (int kw, const uint32_t *restrict ap, const uint32_t *restrict bp,
                  float *restrict c, size_t ldc, int read_c, float scale);
  /* The kernel reading A unpacked (float32 only, else NULL), A not transposed and transposed. */
  void (*kernel_a[2]) (int kc, const float *restrict a, size_t lda, const uint32_t *restrict bp,
                       float *restrict c, size_t ldc, int read_c, float scale);
} GemmKind;

/* The float32 and bf16 products' packing and kernels (nn-gemm.c). */
extern const GemmKind nn_gemm_kind_f32;
extern const GemmKind nn_gemm_kind_bf16;

/* B's panels packed from an image instead of from a stored matrix: the packing (in the kind's
 * layout, for B's K range [k0, k0 + kc) and columns [j0, j0 + nc)) and the column matrix it reads. */
typedef struct {
  void (*pack) (uint32_t *bp, int trans_b, const NnColumns *cols, int k0, int kc, int j0, int nc);
  const NnColumns *cols;
} GemmImageB;

/* Where a product's C is a column matrix that col2im adds into an image (nn_gemm_col2im of
 * nn-gemm-image.c): the matrix's geometry, the image, and per panel of A's block and kernel row of
 * it the two values a pixel run that ends inside an output row leaves for the next tile's run
 * (carry). */
typedef struct {
  const NnColumns *cols;
  float           *x;
  float            carry[MC / MR][2][2];
} TileScatter;

/* The product, with B either a stored matrix (b, ldb) or, when image is not NULL, packed from the
 * image it describes; with trans_c, C is stored transposed (element (i, j) at c[j·ldc + i]). With
 * scatter (and K one block), each tile of C goes into scatter's image instead of C. Where held
 * (may be NULL) holds this A packed by this kind, its blocks are read from there. */
void nn_gemm_blocked (const GemmKind *kind, void *work, int trans_a, int trans_b, int m, int n,
                      int k, const float *a, int lda, const float *b, int ldb,
                      const GemmImageB *image, float beta, float *c, int ldc, int trans_c,
                      TileScatter *scatter, const NnHeldA *held);

/* The kind of the engine's own kernel that nn_gemm runs a product of n columns and K = k on, not
 * transposed; NULL for sgemm. */
const GemmKind *nn_gemm_own_kind (const NnGemm *g, int part, int n, int k);
