/* grad-check.h — what the engine's layer tests share: seeded random tensors and the finite-difference
 * gradient check.
 *
 * A gradient check projects the layer output on a fixed random tensor r (L = Σ r·y), runs backward
 * with dy = r, and compares each analytic ∂L/∂θ with (L(θ + ε) - L(θ - ε)) / 2ε (central differences,
 * sums in double). */
#pragma once

#include <glib.h>
#include "nn-rng.h"

/* n values uniform in [-scale, scale] (g_free). */
float  *rand_buf (NnRng *rng, size_t n, float scale);
/* Values at least 0.05 away from 0, for functions with a kink there (g_free). */
float  *rand_away_from_zero (NnRng *rng, size_t n);
/* Σ a·b in double. */
double  dot (const float *a, const float *b, size_t n);

/* A layer under test: evaluates L for the current inputs and parameters. */
typedef double (*LossFn) (gpointer ctx);

/* Compares the analytic gradient grad[n] of the tensor theta[n] with central differences of fn,
 * on every element (or every stride-th one for big tensors). */
void    check_grad (const char *what, LossFn fn, gpointer ctx, float *theta, const float *grad, size_t n,
                    float eps, double atol, double rtol);
