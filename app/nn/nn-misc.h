/* nn-misc.h — the small layers: dropout (Srivastava et al. 2014), channel concatenation (the U-Net
 * skips of Ronneberger et al. 2015), embedding (zi2zi's style vector) and linear (fully connected).
 *
 * Layout as in nn-conv.h: channel-major [C, N, H, W], so a channel concat of two tensors with the same
 * N·H·W is two adjacent blocks, and a linear layer works on [features, N]. Legend: M = N·H·W,
 * D embedding width, S number of styles, I/O linear in/out features. Backward functions ADD. */
#pragma once

#include <stddef.h>
#include "nn-rng.h"

/* Training-mode (inverted) dropout: keeps each value with probability 1 - p and scales it by
 * 1 / (1 - p), so evaluation is the identity. The mask (0 or 1/(1-p)) is drawn from rng. */
void nn_dropout_forward (float *y /* [n] */, float *mask /* [n] cache */, const float *x /* [n] */,
                         float p, size_t n, NnRng *rng);
void nn_dropout_backward (float *dx /* [n] */, const float *dy /* [n] */, const float *mask /* [n] */,
                          size_t n);

void nn_concat_forward (float       *y,  /* [Ca + Cb, M] */
                        const float *a,  /* [Ca, M] */
                        const float *b,  /* [Cb, M] */
                        int ca, int cb, size_t m);
void nn_concat_backward (float       *da,  /* [Ca, M] or NULL */
                         float       *db,  /* [Cb, M] or NULL */
                         const float *dy,  /* [Ca + Cb, M] */
                         int ca, int cb, size_t m);

/* y[d, b, :] = table[index[b], d] for every one of the hw positions (broadcast over H·W). */
void nn_embedding_forward (float       *y,      /* [D, N, HW] */
                           const float *table,  /* [S, D] */
                           const int   *index,  /* [N], each in [0, S) */
                           int d, int n, size_t hw);
/* y[d, b, :] += table[index[b], d]: the embedding as a bias per sample and channel. Its gradient is
 * nn_embedding_backward's too. */
void nn_embedding_add (float       *y,      /* [D, N, HW] */
                       const float *table,  /* [S, D] */
                       const int   *index,  /* [N], each in [0, S) */
                       int d, int n, size_t hw);
void nn_embedding_backward (float       *dtable, /* [S, D] */
                            const float *dy,     /* [D, N, HW] */
                            const int   *index,  /* [N] */
                            int d, int n, size_t hw);

/* y = W·x + b on feature-major data. */
void nn_linear_forward (float       *y,  /* [O, N] */
                        const float *x,  /* [I, N] */
                        const float *w,  /* [O, I] */
                        const float *b,  /* [O] or NULL */
                        int in, int out, int n);
void nn_linear_backward (float       *dx,  /* [I, N] or NULL */
                         float       *dw,  /* [O, I] or NULL */
                         float       *db,  /* [O] or NULL */
                         const float *dy,  /* [O, N] */
                         const float *x,   /* [I, N] */
                         const float *w,   /* [O, I] */
                         int in, int out, int n);
