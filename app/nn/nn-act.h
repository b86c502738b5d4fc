/* nn-act.h — element-wise activations: LeakyReLU (Maas et al. 2013), ReLU, tanh, sigmoid.
 *
 * Legend: n values of any shape. Forward may run in place (y == x). Backward reads the forward
 * OUTPUT y (for the ReLUs, sign(y) = sign(x) when the slope is positive), so x need not be kept, and
 * ADDS dy·f'(x) into dx. */
#pragma once

#include <stddef.h>

void nn_leaky_relu_forward (float *y /* [n] */, const float *x /* [n] */, float slope, size_t n);
void nn_leaky_relu_backward (float *dx /* [n] */, const float *dy /* [n] */, const float *y /* [n] */,
                             float slope, size_t n);

void nn_relu_forward (float *y /* [n] */, const float *x /* [n] */, size_t n);
void nn_relu_backward (float *dx /* [n] */, const float *dy /* [n] */, const float *y /* [n] */,
                       size_t n);

void nn_tanh_forward (float *y /* [n] */, const float *x /* [n] */, size_t n);
void nn_tanh_backward (float *dx /* [n] */, const float *dy /* [n] */, const float *y /* [n] */,
                       size_t n);

/* In-place variants for gradients the caller owns: d[i] *= f'(x[i]), judged from the output y. */
void nn_leaky_relu_grad_inplace (float *d /* [n] */, const float *y /* [n] */, float slope, size_t n);
void nn_relu_grad_inplace (float *d /* [n] */, const float *y /* [n] */, size_t n);

void nn_sigmoid_forward (float *y /* [n] */, const float *x /* [n] */, size_t n);
void nn_sigmoid_backward (float *dx /* [n] */, const float *dy /* [n] */, const float *y /* [n] */,
                          size_t n);
