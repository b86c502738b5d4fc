/* nn-gemm.h — the convolutions' matrix products in the precision a model trains in: float32, on
 * the engine's own AVX-512 kernel where the processor has AVX-512F (else, and for the smallest
 * shapes, OpenBLAS's sgemm), or bfloat16 inputs with float32 accumulation on the engine's own
 * kernel (vdpbf16ps, where the processor has AVX512_BF16). The products are internal to app/nn; the
 * precision names for the trainer and the command line are nn.h's (nn_precision_parse/_name).
 *
 * All products are row-major, C[M, N] = op(A)[M, K] · op(B)[K, N] + beta·C with op the identity
 * or the transpose, as cblas_sgemm with alpha = 1. In bf16 both factors are rounded to bfloat16
 * (8 significant bits, round to nearest even, vcvtne2ps2bf16: each moves by at most 2⁻⁸ of
 * itself) while they are packed, each product of two bf16 values is exact in float32 and the sums
 * are float32, so an element is off by at most (2⁻⁷ + 2⁻¹⁶)·Σ|a||b| from the rounding of the
 * factors plus about K·2⁻²⁴·Σ|a||b| from the float32 sums (tests/nn/test-nn-gemm.c checks this
 * bound). */
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "nn.h"

/* Bytes of workspace one part of the engine's products needs (packed blocks of A and B, a tile of
 * C): the same for every shape and precision, about 1.2 MB. */
size_t nn_gemm_work_bytes (void);

/* Bytes of room one part needs to hold an A packed whole (nn_gemm_hold_a): 2 MB. */
size_t nn_gemm_hold_bytes (void);

/* A matrix A packed whole in one part's workspace (nn_gemm_hold_a), and which A it is. */
typedef struct {
  const float *a;
  int          trans_a, m, k, lda;
  const void  *kind;
  const void  *packed;   /* NULL: not held (the products pack A as usual) */
} NnHeldA;

/* The context a layer's matrix products run in: NULL, or no workspace, is OpenBLAS; otherwise
 * `work` has nn_gemm_work_bytes() bytes for each of `work_parts` parts (64-byte aligned), and
 * `hold_room` is NULL or has nn_gemm_hold_bytes() for each (64-byte aligned). BF16
 * needs a processor with AVX512_BF16 (nn_cpu_has_bf16 of nn-peak.h); FP32 runs the engine's
 * kernel where nn_gemm_f32_enabled, and sgemm elsewhere and for a part without a workspace.
 * `held` is NULL, or the A of nn_gemm_hold_a for the part the products run as. */
typedef struct {
  NnPrecision    precision;
  void          *work;
  int            work_parts;
  void          *hold_room;
  const NnHeldA *held;
} NnGemm;

/* Packs op(A) (m × k, as the products take it) whole into part's hold room, where g has one and
 * where the engine's kernel will run products of up to n columns with it, packing A (n ≥ 32 and
 * enough columns that A is not read where it is stored, K ≥ 32) and it takes at most 2 MB; *held
 * then describes it, and
 * otherwise held->packed is NULL. A product of that part run with g->held = held whose A is the same
 * matrix (pointer, transpose, shape and lda) takes its blocks from there instead of packing them
 * again: the same words, so the same result to the bit. For a layer's part whose products read the
 * same weights for block after block of images, each of which packed them anew. While *held is in
 * use, A must not change and no other nn_gemm_hold_a may run on that part's room. */
void nn_gemm_hold_a (const NnGemm *g, int part, int trans_a, int m, int n, int k, const float *a,
                     int lda, NnHeldA *held);

/* C = op(A)·op(B) + beta·C in g's precision, for part `part` of a layer (its own workspace). */
void nn_gemm (const NnGemm *g, int part, int trans_a, int trans_b, int m, int n, int k,
              const float *a, int lda, const float *b, int ldb, float beta, float *c, int ldc);

/* Whether float32 products with a workspace run on the engine's kernel: the processor has
 * AVX-512F and the environment does not say ZIMARU_NN_GEMM=0 (which keeps them on sgemm). */
int nn_gemm_f32_enabled (void);

/* The float32 product itself with a given workspace; the processor must have AVX-512F. Each
 * element's products are summed in the same order whatever the shape's split into parts. */
void nn_gemm_f32 (void *work, int trans_a, int trans_b, int m, int n, int k, const float *a,
                  int lda, const float *b, int ldb, float beta, float *c, int ldc);

/* A column matrix as nn_im2col_rows (nn-col.h) would write it, described instead of written: a
 * row per (channel − c0, ky, kx) for the channels [c0, c1), a column per output pixel of the
 * images [b0, b0 + nb) of x (n images of h × w a channel; taps K × K, stride s, padding p, output
 * ho × wo), stored as rows of nb·ho·wo values. */
typedef struct {
  const float *x;
  int          n, b0, nb, c0, c1;
  int          h, w, k, s, p, ho, wo;
} NnColumns;

/* C = op(A)·op(B) + beta·C as nn_gemm, with B the column matrix `cols` (op(B) its transpose when
 * trans_b). Where the engine's float32 kernel runs, the taps are 4 × 4 and either B is transposed
 * (the weight gradients) or the output rows are long (9 pixels or more at stride 1, 32 at stride
 * 2), B's panels are packed straight from the image: the same values in the same places as
 * packing the written matrix, so the result is the same to the bit. Otherwise nn_im2col_rows
 * writes the matrix into `col` (nb·ho·wo columns a row) first and nn_gemm multiplies it. */
void nn_gemm_columns (const NnGemm *g, int part, int trans_a, int trans_b, int m, int n, int k,
                      const float *a, int lda, const NnColumns *cols, float *col, float beta,
                      float *c, int ldc);

/* x = col2im(C) (with assign; else x += col2im(C)) with C = op(A)·B the column matrix `cols`
 * describes (cols->x is not read: x is its image), as nn_gemm into `col` (n columns a row) and
 * nn_col2im_rows would compute it. Where the engine's kernel runs the product (in either
 * precision), the layer is 4 × 4 with stride 2 and padding 1 on an input twice the output's side,
 * the output rows hold a whole number of 32-pixel panels or a panel whole rows of 8 pixels or more
 * (pix2pix's sizes are powers of two), K is at most one block of the kernel's (256) and x is
 * assigned, x's planes are zeroed and each tile of C is added into them instead of being written
 * (nn_col2im_tile_k4s2), each value summed as col2im sums it: the same result to the bit.
 * Otherwise C is written into col and nn_col2im_rows adds it into x. */
void nn_gemm_col2im (const NnGemm *g, int part, int trans_a, int m, int n, int k, const float *a,
                     int lda, const float *b, int ldb, const NnColumns *cols, float *x,
                     float *col, int assign);

/* The bf16 product itself with a given workspace; the processor must have AVX512_BF16. */
void nn_gemm_bf16 (void *work, int trans_a, int trans_b, int m, int n, int k, const float *a,
                   int lda, const float *b, int ldb, float beta, float *c, int ldc);

