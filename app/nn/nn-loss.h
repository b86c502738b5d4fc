/* nn-loss.h — losses. Each returns the mean loss over its n values (accumulated in double) and, when
 * the gradient pointer is not NULL, ADDS scale · ∂loss/∂input into it, so a weighted sum of losses is
 * a sequence of calls on one gradient buffer. Legend: n values of any shape; planes = N·C images of
 * H×W for total variation. */
#pragma once

#include <stddef.h>

/* Binary cross-entropy on logits, in the stable form max(x, 0) - x·t + log(1 + e^-|x|). The target is
 * t[i] when t is not NULL, else the constant label (GAN real = 1, fake = 0). ∂/∂x = σ(x) - t. */
float nn_loss_bce_logits (float *dx /* [n] or NULL */, const float *x /* [n] */,
                          const float *t /* [n] or NULL */, float label, size_t n, float scale);

/* Least-squares GAN (Mao et al. 2017): mean (x - label)². */
float nn_loss_lsgan (float *dx /* [n] or NULL */, const float *x /* [n] */, float label, size_t n,
                     float scale);

/* Hinge loss for the discriminator (Lim & Ye 2017): mean max(0, 1 - x) on real samples (real = 1),
 * mean max(0, 1 + x) on generated ones (real = 0). */
float nn_loss_hinge_d (float *dx /* [n] or NULL */, const float *x /* [n] */, int real, size_t n,
                       float scale);
/* The generator's side of the hinge loss: -mean x. */
float nn_loss_hinge_g (float *dx /* [n] or NULL */, const float *x /* [n] */, size_t n, float scale);

/* Mean absolute error, gradient w.r.t. a (sign(a - b), 0 at a tie as PyTorch). */
float nn_loss_l1 (float *da /* [n] or NULL */, const float *a /* [n] */, const float *b /* [n] */,
                  size_t n, float scale);

/* Mean squared error, gradient w.r.t. a and (with the opposite sign) b; either may be NULL. */
float nn_loss_mse (float *da /* [n] or NULL */, float *db /* [n] or NULL */, const float *a /* [n] */,
                   const float *b /* [n] */, size_t n, float scale);

/* Anisotropic total variation (Rudin, Osher & Fatemi 1992): Σ |x[y][x+1] - x[y][x]| +
 * |x[y+1][x] - x[y][x]| over every plane, divided by planes·H·W. */
float nn_loss_tv (float *dx /* [planes, H, W] or NULL */, const float *x /* [planes, H, W] */,
                  size_t planes, int h, int w, float scale);

/* Structural dissimilarity 1 - SSIM (Wang et al. 2004) of x against the target y, both planes of H×W
 * in [-1, 1], measured on [0, 1] as the validation metric is: an 11×11 Gaussian window of σ 1.5 over
 * the valid region, sample covariances, C1 = 0.01², C2 = 0.03² (scikit-image's defaults). Returns the
 * mean over planes and window positions; needs H, W ≥ 11 (else returns 0 and adds nothing). Uses a
 * scratch block of its own (malloc, a few hundred KiB at 64 px). Zhao et al. 2017 found an SSIM term
 * beside L1 the better loss for image restoration. */
float nn_loss_ssim (float *dx /* [planes, H, W] or NULL */, const float *x /* [planes, H, W] */,
                    const float *y /* [planes, H, W] */, size_t planes, int h, int w, float scale);
