/* nn-optim.h — optimisers over one contiguous parameter block: SGD with momentum / Nesterov
 * (Sutskever et al. 2013), Adam with optional decoupled weight decay (Kingma & Ba 2015; Loshchilov &
 * Hutter 2019), RMSprop with momentum and the centred variant (Tieleman & Hinton 2012; Graves 2013). */
#pragma once

#include <stddef.h>
#include <stdint.h>

typedef enum {
  NN_OPT_SGD,
  NN_OPT_ADAM,
  NN_OPT_RMSPROP,
} NnOptKind;

typedef struct {
  NnOptKind kind;
  float lr;            /* the base learning rate; a schedule gives the rate of each step */
  /* SGD */
  float momentum;      /* 0 = plain SGD */
  int   nesterov;
  /* Adam */
  float beta1, beta2, eps;
  float weight_decay;  /* decoupled (AdamW) when > 0; for SGD and RMSprop it is added to the gradient */
  /* RMSprop */
  float alpha;         /* smoothing of the squared gradient */
  float rms_momentum;
  int   centered;
} NnOptConfig;

/* Defaults: Adam lr 2e-4, beta1 0.5, beta2 0.999, eps 1e-8 (pix2pix); SGD momentum 0.9;
 * RMSprop alpha 0.99, eps 1e-8. */
void nn_optim_defaults (NnOptConfig *cfg, NnOptKind kind);

/* Floats of optimiser state needed for n parameters (SGD: n or 0, Adam: 2n, RMSprop: up to 3n). */
size_t nn_optim_state_floats (const NnOptConfig *cfg, size_t n);

/* One update of params[n] from grads[n] with learning rate lr. t is the 1-based number of this update
 * (Adam's bias correction). state[nn_optim_state_floats()] starts zeroed. */
void nn_optim_step (const NnOptConfig *cfg,
                    float              lr,
                    uint64_t           t,
                    float             *params, /* [n] */
                    const float       *grads,  /* [n] */
                    float             *state,  /* [nn_optim_state_floats (cfg, n)] */
                    size_t             n);
