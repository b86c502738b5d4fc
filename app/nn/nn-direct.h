/* nn-direct.h — the forward pass of the 4×4 stride-2 pad-1 convs (most of pix2pix's encoder and
 * PatchGAN), and the weight gradient of those with 64 or 128 output channels, without a column
 * matrix and without OpenBLAS's packing, for speed (README.md, "Performance"). Internal to app/nn.
 *
 * The im2col + sgemm forward writes the column matrix (16 values per output pixel and input
 * channel), then OpenBLAS copies it again into its packed layout before its kernel reads it; for
 * layers with 32–128 output channels those two copies cost as much as the arithmetic (the layer ran
 * at 90–120 GFLOP/s a core against a peak of ~170). Here the columns are written straight into
 * small panels of 32 output pixels × K = Ci·16 rows, in the order the kernel reads them, and an
 * 8 × 32 AVX-512 kernel multiplies each panel by the weights (packed once per call into blocks of 8
 * output channels) while the panel is in cache. Results equal the im2col path's up to float
 * rounding (the sums run in another order).
 *
 * Only with AVX-512F on the processor; ZIMARU_NN_DIRECT=0 in the environment turns it off (the
 * engine then uses im2col + OpenBLAS everywhere, as on other processors). */
#pragma once

#include <stddef.h>

#include "nn-conv.h"

/* Whether the direct path may run here: AVX-512F present, not turned off; read once. */
int    nn_direct_enabled (void);
/* Whether c is a layer the direct path computes (4×4, stride 2, pad 1, even input, not transposed,
 * output channels a multiple of 8). */
int    nn_direct_fits (const NnConv2d *c);
/* Whether the direct forward pays for c with n images in `parts` parts: it fits, and each part has
 * at least 256 output pixels. */
int    nn_direct_forward_fits (const NnConv2d *c, int n, int parts);
/* Floats of scratch the direct forward needs with `parts` parts: the packed weights, then a panel
 * per part. */
size_t nn_direct_scratch_floats (const NnConv2d *c, int parts);
/* Packs w ([Co, Ci·16]) into the head of scratch, blocks of output channels split over the parts;
 * all parts must finish before nn_direct_forward_part runs. */
void   nn_direct_pack_part (float *scratch, const float *w, const NnConv2d *c, int part, int parts);
/* y = conv(x) (no bias) for images [b0, b0 + nb) of n, with the weights packed in scratch and
 * panel number `part` after them; y holds n images per channel. */
void   nn_direct_forward_part (float *y, float *scratch, const float *x, const NnConv2d *c, int n,
                               int b0, int nb, int part);

/* The weight gradient the same way: whether it applies with `parts` parts over the input
 * channels (output channels in blocks of 32; the part's rows of the column matrix in scratch hold
 * its panel, dY's panel transposed and dWᵀ), and dw[:, c0·16 .. (c0 + cc)·16) += dy · colᵀ over
 * all n images, with `work` the part's rows of the column matrix. */
int    nn_direct_grad_fits (const NnConv2d *c, int n, int parts);
void   nn_direct_weight_grad_part (float *dw, float *work, const float *dy, const float *x,
                                   const NnConv2d *c, int n, int c0, int cc);
