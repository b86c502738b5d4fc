/* nn-init.h — weight initialisation from an explicit NnRng (no hidden state), so that a model built
 * from a seed is bit-identical every time.
 *
 * fan_in / fan_out follow PyTorch's convention for a weight of shape [d0, d1, K, K]: fan_in = d1·K·K,
 * fan_out = d0·K·K (for a conv [Co, Ci, K, K]; a transposed conv stored [Ci, Co, K, K] gets them
 * swapped, as in PyTorch). nn_init_fans() computes them. */
#pragma once

#include <stddef.h>
#include "nn-rng.h"

/* fan_in and fan_out of a weight tensor of shape[ndim] (ndim >= 2; a [out, in] Linear is ndim 2). */
void nn_init_fans (const int *shape, int ndim, size_t *fan_in, size_t *fan_out);

/* The gain of He et al. 2015 for a (leaky) ReLU of negative slope a: sqrt(2 / (1 + a²)). */
float nn_init_relu_gain (float negative_slope);

void nn_init_constant (float *w /* [n] */, size_t n, float value);
void nn_init_zeros (float *w /* [n] */, size_t n);
void nn_init_ones (float *w /* [n] */, size_t n);
/* Uniform on [lo, hi). */
void nn_init_uniform (float *w /* [n] */, size_t n, float lo, float hi, NnRng *rng);
/* Normal(mean, std²); pix2pix uses (0, 0.02) for convs and (1, 0.02) for norm scales. */
void nn_init_normal (float *w /* [n] */, size_t n, float mean, float std, NnRng *rng);
/* He et al. 2015 ("Delving deep into rectifiers"), fan-in mode: std = gain / sqrt(fan_in),
 * gain = nn_init_relu_gain (negative_slope); uniform bound = gain · sqrt(3 / fan_in). */
void nn_init_kaiming_normal (float *w /* [n] */, size_t n, size_t fan_in, float negative_slope,
                             NnRng *rng);
void nn_init_kaiming_uniform (float *w /* [n] */, size_t n, size_t fan_in, float negative_slope,
                              NnRng *rng);
/* Glorot & Bengio 2010: std = gain · sqrt(2 / (fan_in + fan_out)); uniform bound =
 * gain · sqrt(6 / (fan_in + fan_out)). */
void nn_init_xavier_normal (float *w /* [n] */, size_t n, size_t fan_in, size_t fan_out, float gain,
                            NnRng *rng);
void nn_init_xavier_uniform (float *w /* [n] */, size_t n, size_t fan_in, size_t fan_out, float gain,
                             NnRng *rng);
