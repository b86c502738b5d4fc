/* nn-col.h — the column transforms the convolutions are built on (private to the engine; the
 * whole-tensor nn_im2col and nn_col2im are declared in nn-conv.h for the tests and benchmarks).
 * Tensors are CNHW (nn-conv.h); x holds n images per channel, and each function works on the
 * images [b0, b0 + nb) and the channels [c0, c1) of x. The column matrix has a row per
 * (channel - c0, ky, kx) and nb·Ho·Wo columns. */
#pragma once

#include <stddef.h>

/* Writes the rows of channels [c0, c1) of the column matrix of images [b0, b0 + nb). */
void nn_im2col_rows (float *col, const float *x, int n, int b0, int nb, int c0, int c1, int h, int w,
                     int k, int s, int p, int ho, int wo);
/* Adds those rows back into x (the adjoint of nn_im2col_rows); with assign, those planes of x are
 * overwritten instead (they need not be zeroed first). */
void nn_col2im_rows (float *x, const float *col, int n, int b0, int nb, int c0, int c1, int h, int w,
                     int k, int s, int p, int ho, int wo, int assign);
/* Adds a finished tile of 8 rows of the column matrix of a 4×4 stride-2 pad-1 layer whose input
 * side is twice the output side (rows row0 .. row0 + 7, ld apart, for the channels from c0 and the
 * images from b0 of x; its columns col0 .. col0 + nr − 1, runs of whole output rows of up to 32
 * pixels or 32 pixels of a longer row) into x, the input values summed as nn_col2im_rows sums
 * them: once every tile has been added into zeroed planes, they hold what nn_col2im_rows assigns,
 * to the bit. A run that ends inside an output row leaves two values per kernel row in carry for
 * the next tile's run of that row. Runs only where the processor has AVX-512F (the engine's
 * kernels, nn-gemm.c). */
void nn_col2im_tile_k4s2 (float *x, const float *t, size_t ld, int n, int b0, int c0, int h, int w,
                          int ho, int wo, int row0, int col0, int nr, float carry[2][2]);
/* y[c][b][oy][ox] += Σ over taps of z[(c·K + ky)·K + kx][b][oy·S - P + ky][ox·S - P + kx], for all
 * c channels and n images (the output-side conv of nn-conv.c), and its adjoint into a z it zeroes. */
void nn_gather_taps (float *y, const float *z, int c, int n, int h, int w, int k, int s, int p,
                     int ho, int wo);
void nn_scatter_taps (float *z, const float *dy, int c, int n, int h, int w, int k, int s, int p,
                      int ho, int wo);
