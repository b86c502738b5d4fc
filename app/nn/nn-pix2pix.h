/* nn-pix2pix.h — the zi2zi / pix2pix model on the engine (Isola et al. 2017; zi2zi, Tian 2017):
 * a U-Net generator with log2(size) stride-2 4×4 down-sampling convs and a transposed-conv decoder with
 * skips, and a PatchGAN discriminator on concat(source, image). One call does a full training step
 * (a D update, then a G update) so that the core layer only orchestrates.
 *
 * Images are N×1×S×S float32 in [-1, 1] with -1 = paper and +1 = full ink. */
#pragma once

#include <stddef.h>
#include <stdint.h>
#include "nn.h"
#include "nn-optim.h"
#include "nn-rng.h"

typedef enum {
  NN_NORM_BATCH,
  NN_NORM_INSTANCE,
} NnNormKind;

typedef enum {
  NN_GAN_BCE,     /* the original GAN loss with logits (Goodfellow et al. 2014), non-saturating for G */
  NN_GAN_LSGAN,   /* least squares (Mao et al. 2017) */
  NN_GAN_HINGE,   /* hinge (Lim & Ye 2017; Miyato et al. 2018) */
} NnGanLoss;

typedef struct {
  int        size;          /* 64, 128, 256 or 512 */
  int        ngf;           /* generator base channels (32) */
  int        ndf;           /* discriminator base channels (0 = same as ngf) */
  NnNormKind norm;
  int        n_styles;      /* > 1 adds the zi2zi style embedding at the bottleneck; 1 = none */
  int        embed_dim;     /* embedding width when n_styles > 1 (or keep_embed) */
  int        keep_embed;    /* 1: the embedding even with one style (a model started from the weights of
                             * a model of several styles keeps its decoder's input); 0 by default */
  int        d_style;       /* 1 (the default): with n_styles > 1 the discriminator is told each image's
                             * style, as a learned bias per style and channel on its first layer, so it
                             * can refuse a glyph drawn in another style's weight; 0: it is not */
  int        g_cnorm;       /* 1 (the default): with n_styles > 1 (or keep_embed) each normalised
                             * decoder block scales and shifts its normalised output by a learned
                             * amount per style and channel (conditional normalisation, Dumoulin et al.
                             * 2017), so the style reaches the decoder's finer levels directly and not
                             * only through the bottleneck; 0: only the bottleneck's embedding */
  float      dropout;       /* in the innermost decoder blocks (0.5) */
  NnGanLoss  gan_loss;
  float      l1_weight;     /* 100 */
  float      const_weight;  /* zi2zi const loss on encoder features; 0 = off */
  float      tv_weight;     /* total variation on the output; 0 = off */
  float      ssim_weight;   /* structural dissimilarity 1 - SSIM against the target; 0 = off */
  float      clip_norm;     /* global gradient-norm clipping per network; 0 = off */
  int        batch;         /* the largest batch a step takes; memory is sized for it */
  NnPrecision precision;    /* the convs' matrix products (nn.h); not part of the architecture */
} NnPix2PixConfig;

typedef struct {
  float d_loss;     /* total discriminator loss */
  float d_real;     /* its part on real pairs */
  float d_fake;     /* its part on generated pairs */
  float g_loss;     /* total generator loss */
  float g_adv;      /* adversarial term (unweighted) */
  float g_l1;       /* mean absolute error on [-1, 1] images (unweighted) */
  float g_const;    /* const loss (unweighted), 0 when off */
  float g_tv;       /* total variation (unweighted), 0 when off */
  float g_ssim;     /* 1 - SSIM (unweighted), 0 when off */
  float d_grad_norm;
  float g_grad_norm;
} NnStepStats;

typedef struct NnPix2Pix NnPix2Pix;

void     nn_pix2pix_defaults (NnPix2PixConfig *cfg);
/* Builds both networks, all memory for batch cfg->batch, and initialises weights (normal(0, 0.02))
 * from seed. opt_g / opt_d are copied. */
NnStatus nn_pix2pix_create (NnPix2Pix **out, const NnPix2PixConfig *cfg,
                            const NnOptConfig *opt_g, const NnOptConfig *opt_d, uint64_t seed);
void     nn_pix2pix_free (NnPix2Pix *m);
const NnPix2PixConfig *nn_pix2pix_config (const NnPix2Pix *m);
/* Replaces the optimiser hyperparameters (keeps the optimiser state). */
void     nn_pix2pix_set_optim (NnPix2Pix *m, const NnOptConfig *opt_g, const NnOptConfig *opt_d);

/* One training step on n <= batch pairs: D update, then G update. style may be NULL (style 0).
 * If any loss or gradient is NaN/Inf, returns NN_ERR_NONFINITE before touching the weights.
 * Allocates nothing. */
NnStatus nn_pix2pix_train_step (NnPix2Pix   *m,
                                const float *src,    /* [n, 1, S, S] */
                                const float *tgt,    /* [n, 1, S, S] */
                                const int   *style,  /* [n] or NULL */
                                int          n,
                                float        lr_g,
                                float        lr_d,
                                NnRng       *rng,    /* dropout */
                                NnStepStats *stats);

/* Data parallelism without the engine knowing of it (app/train/zi-trainer-mpi.c averages the
 * gradients of several processes with it). During nn_pix2pix_train_step, ready is called on the
 * calling thread as soon as the gradients of a contiguous range of a network's gradient block (net 0:
 * G, 1: D; the block of nn_pix2pix_param_block) are final, layer by layer as the backward passes
 * finish them, so the caller can start sending them while the rest is computed; the ranges of one
 * step cover the block exactly once. wait is called before that network's update and must return
 * when the block holds the gradients to apply; it receives whether this step's losses and gradients
 * were finite here and returns whether they were everywhere (0: the step is rolled back as for a
 * NaN). The gradient norm, clipping and the finiteness check then use the block as wait left it.
 * ready NULL removes the hook. Not during a step. */
typedef void (*NnGradReadyFunc) (void *user, int net, float *grads, size_t n);
typedef int  (*NnGradWaitFunc)  (void *user, int net, int finite);
void     nn_pix2pix_set_grad_hook (NnPix2Pix *m, NnGradReadyFunc ready, NnGradWaitFunc wait,
                                   void *user);

/* Inference: the generator in eval mode (running statistics, no dropout). n <= batch. Its matrix
 * products are float32 whatever precision the model trains in, so that a checkpoint draws the same
 * glyphs on every processor, and the validation figures of a bf16 run are those `eval` reports. */
NnStatus nn_pix2pix_generate (NnPix2Pix   *m,
                              const float *src,     /* [n, 1, S, S] */
                              const int   *style,   /* [n] or NULL */
                              int          n,
                              float       *out);    /* [n, 1, S, S] */

/* nn_pix2pix_generate with a blend of two styles per image: image b gets the embedding
 * (1 − t[b])·E[style_a[b]] + t[b]·E[style_b[b]] at the bottleneck (zi2zi's style embedding, E the
 * learned table), so t = 0 is style_a and t = 1 style_b, bit for bit. t[b] in [0, 1]. For a model with
 * one style every index must be 0 and the call is nn_pix2pix_generate. Allocates nothing. */
NnStatus nn_pix2pix_generate_mix (NnPix2Pix   *m,
                                  const float *src,      /* [n, 1, S, S] */
                                  const int   *style_a,  /* [n] */
                                  const int   *style_b,  /* [n] */
                                  const float *t,        /* [n] */
                                  int          n,
                                  float       *out);     /* [n, 1, S, S] */

/* Serialises the model (architecture, weights, BN running stats, optimiser state and step count, the
 * RNG state and an opaque metadata blob of the caller, e.g. JSON) into a new malloc'ed buffer.
 * generator_only drops D and the optimiser state; fp16 stores the weights as float16. */
NnStatus nn_pix2pix_save (const NnPix2Pix *m, const NnRng *rng, uint64_t step,
                          const char *meta, int generator_only, int fp16,
                          uint8_t **buf, size_t *len);
/* The same bytes handed to sink in pieces (an NnCkptSink of nn-ckpt.h: nonzero stops with NN_ERR_IO),
 * never gathered in memory nor copied; m must not change until it returns. */
NnStatus nn_pix2pix_save_stream (const NnPix2Pix *m, const NnRng *rng, uint64_t step,
                                 const char *meta, int generator_only, int fp16,
                                 int (*sink) (void *user, const void *data, size_t len),
                                 void *user);
/* Builds a model from a buffer. expect (may be NULL) is checked against the stored architecture
 * (NN_ERR_SHAPE on a mismatch); batch overrides the stored batch when > 0. rng_out, step_out and
 * meta_out (malloc'ed, NUL-terminated) may be NULL. A generator-only checkpoint loads for inference. */
NnStatus nn_pix2pix_load (NnPix2Pix **out, const uint8_t *buf, size_t len,
                          const NnPix2PixConfig *expect, int batch,
                          NnRng *rng_out, uint64_t *step_out, char **meta_out);

/* Bytes of memory create() will allocate for cfg, for the core's resource check before training. */
size_t   nn_pix2pix_memory_bytes (const NnPix2PixConfig *cfg);
/* Floating-point operations of one train_step on n pairs (conv and transposed conv, forward and
 * backward, both networks), for the benchmark's GFLOP/s. */
double   nn_pix2pix_flops_per_step (const NnPix2PixConfig *cfg, int n);

/* ---- Additions beyond the first contract (for the trainer's extras and the engine's tests) ---- */

/* The parameter and gradient blocks of one network (discriminator = 0: G, 1: D); returns their
 * length in floats (0 when the model has no D), which includes zero padding between tensors (64-byte
 * alignment). Gradients hold the last step's values, clipped when clip_norm is on. */
size_t   nn_pix2pix_param_block (NnPix2Pix *m, int discriminator, float **params, float **grads);

/* The batch norms' running statistics of both networks (mean and variance per channel): their length
 * in floats, the block in *stats. For a caller that puts other weights in place for a while (the
 * trainer's averaged generator) and restores the statistics afterwards. */
size_t   nn_pix2pix_norm_stats (NnPix2Pix *m, float **stats);

/* Moves the generator's batch-norm running statistics towards those of its current weights: a
 * training-mode forward pass of G on n source images (dropout drawn from rng), whose batch statistics
 * update the running ones with the usual momentum; out [n, 1, S, S] receives the images. Called on a
 * few dozen batches, it re-estimates the statistics for weights that were never trained as such
 * (an average of weights, Izmailov et al. 2018). No-op for instance norm. */
NnStatus nn_pix2pix_norm_update (NnPix2Pix   *m,
                                 const float *src,    /* [n, 1, S, S] */
                                 const int   *style,  /* [n] or NULL */
                                 int          n,
                                 NnRng       *rng,
                                 float       *out);

/* Computes every loss of a training step and both networks' gradients, without updating anything:
 * the D loss and D gradients of the real and generated pairs, and the G loss and G gradients
 * against the current D. Batch-norm running statistics do move (training mode). */
NnStatus nn_pix2pix_compute (NnPix2Pix   *m,
                             const float *src,    /* [n, 1, S, S] */
                             const float *tgt,    /* [n, 1, S, S] */
                             const int   *style,  /* [n] or NULL */
                             int          n,
                             NnRng       *rng,
                             NnStepStats *stats);

/* The engine's own threads for this model (0: one per online processor, at most 4; the default at
 * create and load). With more than one, each thread runs its own share of every layer with
 * single-threaded OpenBLAS, so this (and every step and generate call) sets OpenBLAS to one thread:
 * map a user's thread count here, not to nn_blas_set_threads. A run is reproducible for a given
 * thread count; other counts agree to float rounding (a split GEMM sums in another order). Not
 * during a step. */
NnStatus nn_pix2pix_set_threads (NnPix2Pix *m, int threads);
int      nn_pix2pix_get_threads (const NnPix2Pix *m);

/* Starting from another model's training (fine-tuning): copies src's generator weights and its batch
 * norms' running statistics into dst, all but the style embedding, which the caller fills through
 * nn_pix2pix_style_table. Needs the same size, ngf, norm and embedding width (NN_ERR_SHAPE otherwise);
 * the style counts may differ. dst's optimiser state is left alone. */
NnStatus nn_pix2pix_copy_generator (NnPix2Pix *dst, const NnPix2Pix *src);
/* The style embedding E [n_styles × embed_dim] (row s is style s), or NULL for a model without one. */
float   *nn_pix2pix_style_table (NnPix2Pix *m);
/* Every table of the generator with a row per style: the embedding first (when there is one), then the
 * decoder's style tables (g_cnorm) from the innermost block out. tables[k] is [n_styles × widths[k]].
 * Fills at most max entries; returns how many there are. nn_pix2pix_copy_generator copies none of
 * them: a run started from another model fills them row by row. */
int      nn_pix2pix_style_tables (NnPix2Pix *m, float **tables, int *widths, int max);
/* Enough entries for nn_pix2pix_style_tables at any size: the embedding and one per decoder block. */
#define NN_P2P_STYLE_TABLES_MAX 10
/* Keeps the encoder's weights as they are: with frozen, a training step updates only the decoder and
 * the style embedding (the encoder's gradients are computed and dropped). split makes every update of
 * G run in two parts, encoder and the rest, which lays out the optimiser state in two parts too: a
 * run that ever freezes must keep split from its first step to its last, so that the state of each
 * weight stays where it was (frozen needs split). Not during a step. */
NnStatus nn_pix2pix_set_frozen_encoder (NnPix2Pix *m, int split, int frozen);

/* Replaces the loss weights, dropout, GAN loss and clipping of a built model (the architecture fields
 * must match; turning on the const loss needs a model built with const_weight > 0): NN_ERR_INVALID
 * otherwise. */
NnStatus nn_pix2pix_set_training (NnPix2Pix *m, const NnPix2PixConfig *cfg);
