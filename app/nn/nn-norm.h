/* nn-norm.h — batch normalisation (Ioffe & Szegedy 2015) and instance normalisation (Ulyanov et al.
 * 2016) over CNHW activations (see nn-conv.h): per channel, the N·H·W values of batch norm are one
 * contiguous run, and so are the H·W values of one (channel, image) pair of instance norm.
 *
 * Legend: C channels, M = N·H·W values per channel (batch norm), HW = H·W values per plane.
 * Forward functions cache x̂ (which may be written over x) and 1/σ for the backward pass.
 * Backward functions ADD into dx, dgamma and dbeta (each may be NULL).
 *
 * Each function takes an optional activation fused with the norm (NnNormAct, NULL: none), so that
 * the values are read once per pass instead of once more per activation: forward, it is applied
 * to v = γ·x̂ + β as v is written; backward, the gradient arriving at the activation's output is
 * taken through it (its slope found again from x̂, γ and β, which give v bit for bit as the
 * forward pass computed it) and through a dropout mask, before the norm's own gradient. */
#pragma once

#include <stddef.h>

/* PyTorch's defaults: running = (1 - momentum)·running + momentum·batch, with the unbiased variance. */
#define NN_BN_MOMENTUM 0.1f
#define NN_NORM_EPS 1e-5f

typedef enum {
  NN_NORM_ACT_NONE,        /* y = v */
  NN_NORM_ACT_RELU,        /* y = ReLU(v) */
  NN_NORM_ACT_LRELU,       /* act_out = LeakyReLU(v), and y = v unless y is act_out */
  NN_NORM_ACT_LRELU_RELU,  /* act_out = LeakyReLU(v), y = ReLU(v); backward as LRELU */
} NnNormActKind;

typedef struct {
  NnNormActKind kind;
  float         slope;    /* LeakyReLU's slope below zero */
  float        *act_out;  /* forward, LRELU kinds: [C, M] (or [C, N, HW]) like y */
  const float  *mask;     /* backward: dy is multiplied by it ([C, M] like dy), or NULL */
} NnNormAct;

/* Training mode: normalises with the batch statistics and updates the running ones (run_mean and
 * run_var may be NULL to leave them alone, e.g. for a second pass over the same batch). */
void nn_batchnorm2d_forward_train (float       *y,         /* [C, M] */
                                   float       *xhat,      /* [C, M] cache; may be x itself */
                                   float       *invstd,    /* [C] cache */
                                   float       *run_mean,  /* [C] or NULL */
                                   float       *run_var,   /* [C] or NULL */
                                   const float *x,         /* [C, M] */
                                   const float *gamma,     /* [C] */
                                   const float *beta,      /* [C] */
                                   int c, size_t m, float momentum, float eps,
                                   const NnNormAct *act);

/* Evaluation mode: normalises with the running statistics; y may be x. */
void nn_batchnorm2d_forward_eval (float       *y,          /* [C, M] */
                                  const float *x,          /* [C, M] */
                                  const float *gamma,      /* [C] */
                                  const float *beta,       /* [C] */
                                  const float *run_mean,   /* [C] */
                                  const float *run_var,    /* [C] */
                                  int c, size_t m, float eps, const NnNormAct *act);

/* The gradient of training mode (the batch statistics depend on x). The gradients are added to
 * what the buffers hold, except that dx_set overwrites dx (a fresh buffer needs no zeroing). */
void nn_batchnorm2d_backward (float       *dx,      /* [C, M] or NULL */
                              float       *dgamma,  /* [C] or NULL */
                              float       *dbeta,   /* [C] or NULL */
                              const float *dy,      /* [C, M] */
                              const float *xhat,    /* [C, M] */
                              const float *invstd,  /* [C] */
                              const float *gamma,   /* [C] */
                              const float *beta,    /* [C]; read only for an activation */
                              int c, size_t m, int dx_set, const NnNormAct *act);

/* Instance norm, the same in training and evaluation (no running statistics, as PyTorch's default).
 * gamma and beta NULL: no affine transform. */
void nn_instancenorm2d_forward (float       *y,       /* [C, N, HW] */
                                float       *xhat,    /* [C, N, HW] cache; may be x itself */
                                float       *invstd,  /* [C, N] cache */
                                const float *x,       /* [C, N, HW] */
                                const float *gamma,   /* [C] or NULL */
                                const float *beta,    /* [C] or NULL */
                                int c, int n, size_t hw, float eps, const NnNormAct *act);

void nn_instancenorm2d_backward (float       *dx,      /* [C, N, HW] or NULL */
                                 float       *dgamma,  /* [C] or NULL */
                                 float       *dbeta,   /* [C] or NULL */
                                 const float *dy,      /* [C, N, HW] */
                                 const float *xhat,    /* [C, N, HW] */
                                 const float *invstd,  /* [C, N] */
                                 const float *gamma,   /* [C] or NULL */
                                 const float *beta,    /* [C] or NULL */
                                 int c, int n, size_t hw, int dx_set, const NnNormAct *act);
