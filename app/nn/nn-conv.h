/* nn-conv.h — 2-D convolution and transposed convolution (im2col → cblas_sgemm, darknet's method).
 *
 * Layout: the layers of this engine keep activations channel-major, [C, N, H, W] ("CNHW"): channel c
 * of the whole mini-batch is one contiguous block. Then one GEMM per layer covers the whole batch and
 * writes its output in place (Y[Co, N·Ho·Wo] = W · col), channel concatenation is two adjacent blocks
 * (a U-Net skip costs no copy), and batch norm reads one contiguous run per channel. For C = 1 (the
 * images the model takes and returns) CNHW and NCHW are the same bytes.
 *
 * Legend: N batch, Ci/Co channels in/out, Hi/Wi input and Ho/Wo output height/width, K kernel size,
 * S stride, P padding. R = Ci·K·K rows of the column matrix; the scratch (col) holds R × N·Ho·Wo.
 * Backward functions ADD into their gradient buffers; any gradient pointer may be NULL to skip it. */
#pragma once

#include <stddef.h>

#include "nn-gemm.h"

typedef struct {
  int ci, co;   /* channels in, out */
  int k, s, p;  /* kernel size, stride, padding */
  int hi, wi;   /* input height, width */
  int ho, wo;   /* output height, width (set by the init function) */
  int transposed; /* set by nn_conv_transpose2d_init */
} NnConv2d;

/* Conv2d: Ho = (Hi + 2P - K) / S + 1. Weights [Co, Ci, K, K], as PyTorch's Conv2d. */
void   nn_conv2d_init (NnConv2d *c, int ci, int co, int k, int s, int p, int hi, int wi);
/* ConvTranspose2d: Ho = (Hi - 1)·S - 2P + K. Weights [Ci, Co, K, K], as PyTorch's ConvTranspose2d. */
void   nn_conv_transpose2d_init (NnConv2d *c, int ci, int co, int k, int s, int p, int hi, int wi);
/* Floats of scratch one forward or backward call needs for a batch of n. */
size_t nn_conv2d_scratch_floats (const NnConv2d *c, int n);
size_t nn_conv_transpose2d_scratch_floats (const NnConv2d *c, int n);
/* Multiply-adds of one forward pass for a batch of n (a backward pass costs the same per gradient). */
double nn_conv2d_macs (const NnConv2d *c, int n);

void nn_conv2d_forward (float       *y,     /* [Co, N, Ho, Wo] */
                        float       *col,   /* scratch [nn_conv2d_scratch_floats] */
                        const float *x,     /* [Ci, N, Hi, Wi] */
                        const float *w,     /* [Co, Ci, K, K] */
                        const float *b,     /* [Co] or NULL */
                        const NnConv2d *c,
                        int          n);

void nn_conv2d_backward (float       *dx,   /* [Ci, N, Hi, Wi] or NULL */
                         float       *dw,   /* [Co, Ci, K, K] or NULL */
                         float       *db,   /* [Co] or NULL */
                         float       *col,  /* scratch [nn_conv2d_scratch_floats] */
                         const float *dy,   /* [Co, N, Ho, Wo] */
                         const float *x,    /* [Ci, N, Hi, Wi] */
                         const float *w,    /* [Co, Ci, K, K] */
                         const NnConv2d *c,
                         int          n);

void nn_conv_transpose2d_forward (float       *y,    /* [Co, N, Ho, Wo] */
                                  float       *col,  /* scratch */
                                  const float *x,    /* [Ci, N, Hi, Wi] */
                                  const float *w,    /* [Ci, Co, K, K] */
                                  const float *b,    /* [Co] or NULL */
                                  const NnConv2d *c,
                                  int          n);

void nn_conv_transpose2d_backward (float       *dx,   /* [Ci, N, Hi, Wi] or NULL */
                                   float       *dw,   /* [Ci, Co, K, K] or NULL */
                                   float       *db,   /* [Co] or NULL */
                                   float       *col,  /* scratch */
                                   const float *dy,   /* [Co, N, Ho, Wo] */
                                   const float *x,    /* [Ci, N, Hi, Wi] */
                                   const float *w,    /* [Ci, Co, K, K] */
                                   const NnConv2d *c,
                                   int          n);

/* The same passes in parts, for the engine's threads (nn-pool.h): part i of `parts` does a disjoint
 * share of the work and writes disjoint memory, so the parts of one call may run concurrently; the
 * plain functions above are part 0 of 1. A conv's forward splits the images (each part has its own
 * slab of col); its backward splits the input channels (rows of col, columns of dW, planes of dX).
 * A transposed conv's forward and weight gradient split the output channels (the forward splits
 * the images when there are fewer channels than parts), its input gradient splits the images; the
 * two backward calls use the same scratch, so all parts of one run before
 * the other starts. col is the same scratch as for the plain functions. With dx_set the input
 * gradient is overwritten instead of added to, so a fresh buffer needs no zeroing first (the
 * engine's passes know which buffers are fresh); the plain functions add. g is the precision of
 * the matrix products with part `part`'s workspace (nn-gemm.h; NULL: float32 on OpenBLAS, as the
 * plain functions). */
/* The forward pass of a layer nn-direct.h computes, in parts over the images, with the weights
 * already packed into scratch by nn_direct_pack_part (all its parts finished). */
void nn_conv2d_forward_direct_part (float *y, float *scratch, const float *x, const float *b,
                                    const NnConv2d *c, int n, int part, int parts);
void nn_conv2d_forward_part (float *y, float *col, const float *x, const float *w, const float *b,
                             const NnConv2d *c, int n, int part, int parts, const NnGemm *g);
void nn_conv2d_backward_part (float *dx, float *dw, float *db, float *col, const float *dy,
                              const float *x, const float *w, const NnConv2d *c, int n, int part,
                              int parts, int dx_set, const NnGemm *g);
void nn_conv_transpose2d_forward_part (float *y, float *col, const float *x, const float *w,
                                       const float *b, const NnConv2d *c, int n, int part,
                                       int parts, const NnGemm *g);
void nn_conv_transpose2d_backward_weight_part (float *dw, float *db, float *col, const float *dy,
                                               const float *x, const NnConv2d *c, int n, int part,
                                               int parts, const NnGemm *g);
void nn_conv_transpose2d_backward_data_part (float *dx, float *col, const float *dy,
                                             const float *w, const NnConv2d *c, int n, int part,
                                             int parts, int dx_set, const NnGemm *g);

/* The column transforms, exposed for the tests and the benchmark. planes = C·N; each plane is H×W.
 * im2col writes col[(c·K + ky)·K + kx][(n, oy, ox)]; col2im adds the columns back into x. */
void nn_im2col (float       *col,  /* [C·K·K, N·Ho·Wo] */
                const float *x,    /* [C, N, H, W] */
                int c, int n, int h, int w, int k, int s, int p, int ho, int wo);
void nn_col2im (float       *x,    /* [C, N, H, W], added into */
                const float *col,  /* [C·K·K, N·Ho·Wo] */
                int c, int n, int h, int w, int k, int s, int p, int ho, int wo);
