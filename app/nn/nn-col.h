/* nn-col.h — the column transforms the convolutions are built on (private to the engine; the
 * whole-tensor nn_im2col and nn_col2im are declared in nn-conv.h for the tests and benchmarks).
 * Tensors are CNHW (nn-conv.h); x holds n images per channel, and each function works on the
 * images [b0, b0 + nb) and the channels [c0, c1) of x. The column matrix has a row per
 * (channel - c0, ky, kx) and nb·Ho·Wo columns. */
#pragma once

/* Writes the rows of channels [c0, c1) of the column matrix of images [b0, b0 + nb). */
void nn_im2col_rows (float *col, const float *x, int n, int b0, int nb, int c0, int c1, int h, int w,
                     int k, int s, int p, int ho, int wo);
/* Adds those rows back into x (the adjoint of nn_im2col_rows); with assign, those planes of x are
 * overwritten instead (they need not be zeroed first). */
void nn_col2im_rows (float *x, const float *col, int n, int b0, int nb, int c0, int c1, int h, int w,
                     int k, int s, int p, int ho, int wo, int assign);
/* y[c][b][oy][ox] += Σ over taps of z[(c·K + ky)·K + kx][b][oy·S - P + ky][ox·S - P + kx], for all
 * c channels and n images (the output-side conv of nn-conv.c), and its adjoint into a z it zeroes. */
void nn_gather_taps (float *y, const float *z, int c, int n, int h, int w, int k, int s, int p,
                     int ho, int wo);
void nn_scatter_taps (float *z, const float *dy, int c, int n, int h, int w, int k, int s, int p,
                      int ho, int wo);
