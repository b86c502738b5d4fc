/* naive-conv.h — direct (seven nested loops) convolution and transposed convolution, the reference
 * the im2col + GEMM layers are tested against. Same CNHW layout and weight layouts as nn-conv.h. */
#pragma once

#include "nn-conv.h"

void naive_conv2d (float       *y,   /* [Co, N, Ho, Wo] */
                   const float *x,   /* [Ci, N, Hi, Wi] */
                   const float *w,   /* [Co, Ci, K, K] */
                   const float *b,   /* [Co] or NULL */
                   const NnConv2d *c, int n);

void naive_conv_transpose2d (float       *y,   /* [Co, N, Ho, Wo] */
                             const float *x,   /* [Ci, N, Hi, Wi] */
                             const float *w,   /* [Ci, Co, K, K] */
                             const float *b,   /* [Co] or NULL */
                             const NnConv2d *c, int n);
