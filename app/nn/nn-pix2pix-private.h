/* nn-pix2pix-private.h — the model's insides, shared by nn-pix2pix.c (building), nn-pix2pix-step.c
 * (training, inference), nn-pix2pix-pass.c (the layer passes) and nn-pix2pix-ckpt.c (saving and
 * loading). Not part of the engine's API. */
#pragma once

#include <math.h>

#include "nn-arena.h"
#include "nn-conv.h"
#include "nn-gemm.h"
#include "nn-pix2pix.h"
#include "nn-pool.h"

/* 512 px has 9 levels; one spare. */
#define NN_P2P_MAX_LEVELS 10
/* bf16 workspaces for at most this many parts of a conv (a conv in bf16 runs in no more parts). */
#define NN_P2P_GEMM_PARTS 8
/* The PatchGAN of pix2pix with n_layers = 3: three stride-2 convs and two stride-1 convs. */
#define NN_P2P_D_LAYERS 5
#define NN_P2P_LRELU_SLOPE 0.2f
/* The optimiser works on this many fixed chunks of a parameter block (see nn_p2p_optim_step). */
#define NN_P2P_OPT_CHUNKS 4

/* A convolution with its optional bias and normalisation. Parameters and gradients sit at the same
 * offsets of their network's parameter and gradient blocks, so one optimiser call covers a network. */
typedef struct {
  NnConv2d geo;
  int      has_bias;
  int      has_bn;     /* batch norm: γ, β and running statistics */
  int      has_in;     /* instance norm without affine parameters (pix2pix's InstanceNorm2d) */
  float   *w, *b, *gamma, *beta;      /* parameters (b, gamma, beta NULL when absent) */
  float   *dw, *db, *dgamma, *dbeta;  /* their gradients */
  float   *run_mean, *run_var;        /* [Co] running statistics of batch norm */
} NnUnit;

/* The activations of one pass through the generator's encoder. Level i maps its input (the source
 * image for i = 0, else a[i]) through conv → norm to s[i]; a[i + 1] = LeakyReLU(s[i]). */
typedef struct {
  float *z[NN_P2P_MAX_LEVELS];    /* conv output, overwritten by x̂ (normalised levels only) */
  float *s[NN_P2P_MAX_LEVELS];    /* level output: the skip (main pass: first half of cat[i]) */
  float *a[NN_P2P_MAX_LEVELS];    /* input of level i ≥ 1 */
  float *inv[NN_P2P_MAX_LEVELS];  /* 1/σ of the normalisation */
  float *dz[NN_P2P_MAX_LEVELS], *ds[NN_P2P_MAX_LEVELS], *da[NN_P2P_MAX_LEVELS];
} NnEncPass;

struct NnPix2Pix {
  NnPix2PixConfig cfg;       /* ndf resolved (never 0) */
  NnOptConfig     opt_g, opt_d;
  int             levels;    /* log2(size) */
  int             chs[NN_P2P_MAX_LEVELS];
  int             has_d;     /* 0 for a generator-only model loaded for inference */
  uint64_t        t_g, t_d;  /* optimiser updates done, for Adam's bias correction */
  NnPool         *pool;      /* the engine's threads (NULL: one thread) */

  NnUnit down[NN_P2P_MAX_LEVELS];
  NnUnit up[NN_P2P_MAX_LEVELS];  /* up[i] maps level i's decoder input back to level i's input size */
  NnUnit disc[NN_P2P_D_LAYERS];
  float *embed, *dembed;         /* [n_styles, embed_dim] when n_styles > 1 or keep_embed */
  float *dstyle, *ddstyle;       /* D's style bias [n_styles, ndf] (nn_p2p_d_style_floats), or NULL */
  float *gcnorm[NN_P2P_MAX_LEVELS];   /* decoder block i's style table (g_cnorm, blocks i >= 1): */
  float *dgcnorm[NN_P2P_MAX_LEVELS];  /* [n_styles, 2 × out channels] (nn_p2p_g_cnorm_width), or NULL */
  /* nn_pix2pix_set_frozen_encoder: G's update in two parts at g_split floats (0: one part), the
   * first skipped while g_frozen. */
  size_t g_split;
  int    g_frozen;

  /* One block per kind (nn-arena.h). Optimiser state is sized for the largest rule (see
   * state_floats_any_rule) so that switching optimiser never allocates. */
  NnArena g_params, g_grads, g_state;
  NnArena d_params, d_grads, d_state;
  NnArena stats;        /* running statistics of both networks */
  NnArena g_act, g_dact, d_act, d_dact;
  NnArena scratch;      /* column matrices, shared by every conv */
  NnArena gemm_work;    /* the bf16 products' workspaces (only where the processor has bf16) */
  NnGemm  gemm;         /* the convs' precision and those workspaces (nn-gemm.h) */
  NnArena backup;       /* D's weights and state and all running statistics, for a rollback */

  /* Generator activations. */
  NnEncPass enc;        /* the source's pass */
  NnEncPass cenc;       /* the generated image's pass, for the const loss (when const_weight > 0) */
  float *cat[NN_P2P_MAX_LEVELS], *dcat[NN_P2P_MAX_LEVELS];  /* [2·chs[i], N, o, o]: skip | up */
  float *bott, *dbott;  /* [chs[L-1] + embed_dim, N, 1, 1]: bottleneck | style embedding */
  float *r_in, *dr_in;  /* ReLU of the bottleneck (kept apart: the const loss still reads it) */
  float *t[NN_P2P_MAX_LEVELS], *dt[NN_P2P_MAX_LEVELS];      /* transposed-conv outputs (→ x̂) */
  float *uinv[NN_P2P_MAX_LEVELS];
  float *mask[NN_P2P_MAX_LEVELS];                           /* dropout masks */

  /* Discriminator inputs [2, N, S, S]: channel 0 the source, channel 1 the target or the generated
   * image (the generator writes its output straight into in_fake's channel 1). */
  float *in_real, *in_fake, *din;
  float *d_z[NN_P2P_D_LAYERS];    /* conv output → x̂ (normalised layers) */
  float *d_a[NN_P2P_D_LAYERS];    /* layer output after LeakyReLU; the last one holds the logits */
  float *d_inv[NN_P2P_D_LAYERS];
  float *d_dz[NN_P2P_D_LAYERS], *d_da[NN_P2P_D_LAYERS];
  int   *style0;                  /* [batch] zeros: the style of every image when none is given */

  /* The gradient hook of nn_pix2pix_set_grad_hook (NULL: none), and the network whose gradients the
   * running backward pass finishes (0 G, 1 D; -1 none), set by nn-pix2pix-step.c. */
  NnGradReadyFunc grad_ready;
  NnGradWaitFunc  grad_wait;
  void           *grad_user;
  int             grad_net;
};

static inline int
nn_p2p_is_dropout_level (const NnPix2Pix *m, int i)
{
  return i > 0 && i >= m->levels - 3 && m->cfg.dropout > 0.0f;
}

/* Whether the discriminator has a style bias (d_style with several styles). */
static inline int
nn_p2p_has_d_style (const NnPix2PixConfig *cfg)
{
  return cfg->n_styles > 1 && cfg->d_style;
}

/* Floats of the discriminator's style bias: n_styles × ndf when it has one, else 0. */
static inline size_t
nn_p2p_d_style_floats (const NnPix2PixConfig *cfg, int ndf)
{
  return nn_p2p_has_d_style (cfg) ? (size_t) cfg->n_styles * ndf : 0;
}

/* Whether the decoder's normalised blocks have a style table each (with the embedding: a one-style
 * model that keeps its embedding keeps them too). */
static inline int
nn_p2p_has_g_cnorm (const NnPix2PixConfig *cfg)
{
  return cfg->g_cnorm && (cfg->n_styles > 1 || cfg->keep_embed);
}

/* The width of a decoder block's style table: per style, the scale offsets of its output channels,
 * then their shifts. Block output v becomes v·(1 + a[c]) + b[c] (see nn_p2p_decoder_forward). */
static inline int
nn_p2p_g_cnorm_width (const NnUnit *u)
{
  return 2 * u->geo.co;
}

/* Floats of 1/σ a normalised unit caches: one per channel (batch) or per (channel, image). */
static inline size_t
nn_p2p_inv_floats (const NnUnit *u, int n)
{
  return u->has_bn ? (size_t) u->geo.co : (size_t) u->geo.co * n;
}

static inline size_t
nn_p2p_out_floats (const NnUnit *u, int n)
{
  return (size_t) u->geo.co * n * u->geo.ho * u->geo.wo;
}

static inline size_t
nn_p2p_in_floats (const NnUnit *u, int n)
{
  return (size_t) u->geo.ci * n * u->geo.hi * u->geo.wi;
}

/* The passes (nn-pix2pix-pass.c), each split over the model's threads. */
void         nn_p2p_encoder_forward (NnPix2Pix *m, NnEncPass *p, const float *x, int n, int train,
                                     int update_running);
/* dx0 receives the gradient w.r.t. the pass's input image (NULL: not needed). */
void         nn_p2p_encoder_backward (NnPix2Pix *m, NnEncPass *p, const float *x, float *dx0, int n);
/* Image b's style is style[b], or with style_b (then t too) the blend (1 − t[b])·style[b] +
 * t[b]·style_b[b] of the embeddings and the decoder's style tables. */
void         nn_p2p_decoder_forward (NnPix2Pix *m, const int *style, const int *style_b,
                                     const float *t, int n, int train, NnRng *rng, float *out);
/* dout: the gradient w.r.t. the generator's output image out. */
void         nn_p2p_decoder_backward (NnPix2Pix *m, const int *style, int n, const float *out,
                                      const float *dout);
/* The discriminator on in [2, N, S, S] with each image's style (used only with a style bias); returns
 * the logits (d_a of the last layer). */
const float *nn_p2p_d_forward (NnPix2Pix *m, const float *in, const int *style, int n);
/* Back-propagates the logit gradient already in d_da[last]. param_grads: accumulate D's weight
 * gradients; din (may be NULL): receives the gradient w.r.t. the input pair. */
void         nn_p2p_d_backward (NnPix2Pix *m, const float *in, const int *style, int n, int param_grads,
                                float *din);
void         nn_p2p_zero (NnPix2Pix *m, float *p, size_t n);
/* Σ p[i]² (for gradient norms). */
double       nn_p2p_sum_squares (NnPix2Pix *m, const float *p, size_t n);
/* One optimiser update of a network's block, in NN_P2P_OPT_CHUNKS fixed chunks (the state of chunk
 * c follows chunk c - 1's), so the result does not depend on the number of threads. */
void         nn_p2p_optim_step (NnPix2Pix *m, const NnOptConfig *cfg, float lr, uint64_t t,
                                float *params, const float *grads, float *state, size_t n);

/* With the engine's own threads, OpenBLAS stays single-threaded (a caller may have changed it). */
void     nn_p2p_keep_blas_single (const NnPix2Pix *m);

/* The discriminator's base channels: ndf, where 0 means the same as ngf (nn-pix2pix.h). */
static inline int
nn_p2p_ndf (const NnPix2PixConfig *cfg)
{
  return cfg->ndf == 0 ? cfg->ngf : cfg->ndf;
}

static inline int
nn_p2p_nonneg_finite (float v)
{
  return isfinite (v) && v >= 0.0f;
}

/* Builds the model's geometry and memory (weights uninitialised but zeroed). */
NnStatus nn_pix2pix_build (NnPix2Pix **out, const NnPix2PixConfig *cfg, const NnOptConfig *opt_g,
                           const NnOptConfig *opt_d, int with_d);
/* The number of generator / discriminator parameters of a (valid) configuration, without building
 * it (the checkpoint loader checks a file can hold them before allocating). */
size_t   nn_p2p_generator_params (const NnPix2PixConfig *cfg);
size_t   nn_p2p_discriminator_params (const NnPix2PixConfig *cfg);
/* Checks a configuration; NN_OK when it can be built. */
NnStatus nn_pix2pix_check_config (const NnPix2PixConfig *cfg);
