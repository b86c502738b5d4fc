/* nn-pix2pix.c — the zi2zi / pix2pix model: configuration, building (geometry, the memory plan),
 * threads, and the size figures (parameters, memory, FLOPs). The training step and inference are in
 * nn-pix2pix-step.c, the layer passes in nn-pix2pix-pass.c, checkpoints in nn-pix2pix-ckpt.c.
 *
 * Architecture (Isola et al. 2017, "Image-to-image translation with conditional adversarial
 * networks", the pytorch-CycleGAN-and-pix2pix code, laid out exactly as the PyTorch model that
 * README.md's "Performance" compares against, so the comparison is fair):
 *   G: U-Net of L = log2(S) levels. Level i: conv 4×4 s2 p1 to chs[i] = ngf·min(2^i, 8) channels,
 *      norm on the levels 0 < i < L-1 (bias instead on the outermost and innermost), the level output
 *      is the skip, LeakyReLU(0.2) feeds the next level. Decoder block i (innermost first): ReLU →
 *      ConvTranspose 4×4 s2 p1 → norm (→ dropout on the three innermost blocks), then the
 *      concatenation [skip, output]; block 0 ends in tanh. zi2zi (Tian 2017) appends a learned style
 *      embedding to the 1×1 bottleneck when there is more than one style.
 *   D: PatchGAN with n_layers = 3 on concat(source, image): conv 4×4 s2 (ndf, bias) → LReLU,
 *      conv s2 (2ndf) → norm → LReLU, conv s2 (4ndf) → norm → LReLU, conv s1 p1 (8ndf) → norm → LReLU,
 *      conv s1 p1 (1, bias): one logit per patch.
 * Step: G forward once; D update on (real → 1, fake detached → 0) with the loss halved as pix2pix;
 * then G update on the adversarial loss through the updated D + l1_weight·L1 (+ zi2zi's const loss:
 * L2 between the encoder bottlenecks of the source and of the generated image; + total variation).
 * Work that PyTorch does and nobody reads is skipped: no D weight gradients in the G step, no input
 * gradient for the first layers that see only data.
 *
 * All activations are CNHW (nn-conv.h). Every tensor lives in an arena planned in create(); a step
 * allocates nothing. A step that meets a NaN or infinity restores D's weights, its optimiser state and
 * every running statistic from the backup block, so the model is as before the step. */
#include "nn-pix2pix-private.h"

#include <cblas.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "nn-init.h"
#include "nn-peak.h"

void
nn_pix2pix_defaults (NnPix2PixConfig *cfg)
{
  memset (cfg, 0, sizeof *cfg);
  cfg->size = 64;
  cfg->ngf = 32;
  cfg->ndf = 0;
  cfg->norm = NN_NORM_BATCH;
  cfg->n_styles = 1;
  cfg->embed_dim = 128;
  cfg->d_style = 1;
  cfg->g_cnorm = 1;
  cfg->dropout = 0.5f;
  cfg->gan_loss = NN_GAN_BCE;
  cfg->l1_weight = 100.0f;
  cfg->batch = 16;
}

static int
log2_exact (int v)
{
  int l = 0;
  while ((1 << l) < v)
    l++;
  return (1 << l) == v ? l : -1;
}

NnStatus
nn_pix2pix_check_config (const NnPix2PixConfig *cfg)
{
  int l = log2_exact (cfg->size);
  /* The PatchGAN needs 32 px to keep a 2×2 output; 512 px is the largest the product offers. */
  if (l < 5 || l >= NN_P2P_MAX_LEVELS)
    return NN_ERR_INVALID;
  if (cfg->ngf < 1 || cfg->ngf > 1024 || cfg->ndf < 0 || cfg->ndf > 1024)
    return NN_ERR_INVALID;
  if (cfg->norm != NN_NORM_BATCH && cfg->norm != NN_NORM_INSTANCE)
    return NN_ERR_INVALID;
  if (cfg->gan_loss != NN_GAN_BCE && cfg->gan_loss != NN_GAN_LSGAN && cfg->gan_loss != NN_GAN_HINGE)
    return NN_ERR_INVALID;
  if (cfg->n_styles < 1 || cfg->n_styles > 65536
      || ((cfg->n_styles > 1 || cfg->keep_embed) && cfg->embed_dim < 1)
      || (cfg->keep_embed != 0 && cfg->keep_embed != 1) || (cfg->d_style != 0 && cfg->d_style != 1)
      || (cfg->g_cnorm != 0 && cfg->g_cnorm != 1)
      || cfg->embed_dim < 0 || cfg->embed_dim > 4096)
    return NN_ERR_INVALID;
  if (!(cfg->dropout >= 0.0f && cfg->dropout < 1.0f))
    return NN_ERR_INVALID;
  if (!nn_p2p_nonneg_finite (cfg->l1_weight) || !nn_p2p_nonneg_finite (cfg->const_weight)
      || !nn_p2p_nonneg_finite (cfg->tv_weight) || !nn_p2p_nonneg_finite (cfg->ssim_weight)
      || !nn_p2p_nonneg_finite (cfg->clip_norm))
    return NN_ERR_INVALID;
  if (cfg->batch < 1 || cfg->batch > 4096)
    return NN_ERR_INVALID;
  /* bf16 products need the processor's AVX512_BF16 (the caller says so to its user first). */
  if (cfg->precision != NN_PRECISION_FP32
      && !(cfg->precision == NN_PRECISION_BF16 && nn_cpu_has_bf16 ()))
    return NN_ERR_INVALID;
  return NN_OK;
}

static int
embed_width (const NnPix2PixConfig *cfg)
{
  return cfg->n_styles > 1 || cfg->keep_embed ? cfg->embed_dim : 0;
}

static void
set_norm (NnUnit *u, int normed, NnNormKind kind)
{
  u->has_bn = normed && kind == NN_NORM_BATCH;
  u->has_in = normed && kind == NN_NORM_INSTANCE;
}

/* Takes config as the model's configuration (ndf resolved) and lays out the layers' shapes. */
static void
setup_geometry (NnPix2Pix *m, const NnPix2PixConfig *config)
{
  m->cfg = *config;
  m->cfg.ndf = nn_p2p_ndf (config);

  const NnPix2PixConfig *cfg = &m->cfg;
  int L = log2_exact (cfg->size);
  int ndf = cfg->ndf;

  m->levels = L;
  for (int i = 0; i < L; i++)
    m->chs[i] = cfg->ngf * (i < 3 ? 1 << i : 8);

  for (int i = 0; i < L; i++)
    {
      NnUnit *u = &m->down[i];
      int h = cfg->size >> i;
      nn_conv2d_init (&u->geo, i == 0 ? 1 : m->chs[i - 1], m->chs[i], 4, 2, 1, h, h);
      int normed = i > 0 && i < L - 1;
      u->has_bias = !normed;
      set_norm (u, normed, cfg->norm);
    }
  for (int i = 0; i < L; i++)
    {
      NnUnit *u = &m->up[i];
      int o = cfg->size >> (i + 1);
      int inc = i == L - 1 ? m->chs[i] + embed_width (cfg) : 2 * m->chs[i];
      nn_conv_transpose2d_init (&u->geo, inc, i == 0 ? 1 : m->chs[i - 1], 4, 2, 1, o, o);
      u->has_bias = i == 0;
      set_norm (u, i > 0, cfg->norm);
    }

  static const int mult[NN_P2P_D_LAYERS] = { 1, 2, 4, 8, 0 };
  int cin = 2, h = cfg->size;
  for (int l = 0; l < NN_P2P_D_LAYERS; l++)
    {
      NnUnit *u = &m->disc[l];
      int co = l == NN_P2P_D_LAYERS - 1 ? 1 : ndf * mult[l];
      int s = l < 3 ? 2 : 1;
      nn_conv2d_init (&u->geo, cin, co, 4, s, 1, h, h);
      int normed = l > 0 && l < NN_P2P_D_LAYERS - 1;
      u->has_bias = !normed;
      set_norm (u, normed, cfg->norm);
      cin = co;
      h = u->geo.ho;
    }
}

static size_t
weight_floats (const NnUnit *u)
{
  return (size_t) u->geo.ci * u->geo.co * u->geo.k * u->geo.k;
}

static void
take_unit (NnUnit *u, NnArena *params, NnArena *grads, NnArena *stats)
{
  size_t co = (size_t) u->geo.co;
  u->w = nn_arena_take (params, weight_floats (u));
  u->dw = nn_arena_take (grads, weight_floats (u));
  u->b = u->has_bias ? nn_arena_take (params, co) : NULL;
  u->db = u->has_bias ? nn_arena_take (grads, co) : NULL;
  u->gamma = u->has_bn ? nn_arena_take (params, co) : NULL;
  u->dgamma = u->has_bn ? nn_arena_take (grads, co) : NULL;
  u->beta = u->has_bn ? nn_arena_take (params, co) : NULL;
  u->dbeta = u->has_bn ? nn_arena_take (grads, co) : NULL;
  u->run_mean = u->has_bn ? nn_arena_take (stats, co) : NULL;
  u->run_var = u->has_bn ? nn_arena_take (stats, co) : NULL;
}

static void
plan_encoder (NnPix2Pix *m, NnEncPass *p, int main_pass)
{
  int n = m->cfg.batch;
  for (int i = 0; i < m->levels; i++)
    {
      const NnUnit *u = &m->down[i];
      int normed = u->has_bn || u->has_in;
      size_t sz = nn_p2p_out_floats (u, n);
      p->z[i] = normed ? nn_arena_take (&m->g_act, sz) : NULL;
      p->dz[i] = normed ? nn_arena_take (&m->g_dact, sz) : NULL;
      p->inv[i] = normed ? nn_arena_take (&m->g_act, nn_p2p_inv_floats (u, n)) : NULL;
      if (main_pass)
        {
          p->s[i] = i < m->levels - 1 ? m->cat[i] : m->bott;
          p->ds[i] = i < m->levels - 1 ? m->dcat[i] : m->dbott;
        }
      else
        {
          p->s[i] = nn_arena_take (&m->g_act, sz);
          p->ds[i] = nn_arena_take (&m->g_dact, sz);
        }
      p->a[i] = i > 0 ? nn_arena_take (&m->g_act, nn_p2p_in_floats (u, n)) : NULL;
      p->da[i] = i > 0 ? nn_arena_take (&m->g_dact, nn_p2p_in_floats (u, n)) : NULL;
    }
}

static size_t
max_size (size_t a, size_t b)
{
  return a > b ? a : b;
}

/* Floats of optimiser state for n parameters under any rule the model may be switched to later
 * (nn_pix2pix_set_optim), so that switching never allocates: the largest of the rules' needs,
 * as nn_optim_state_floats counts them. */
static size_t
state_floats_any_rule (size_t n)
{
  NnOptConfig worst;
  size_t most = 0;
  for (int kind = NN_OPT_SGD; kind <= NN_OPT_RMSPROP; kind++)
    {
      nn_optim_defaults (&worst, (NnOptKind) kind);
      worst.momentum = 0.9f;
      worst.rms_momentum = 0.9f;
      worst.centered = 1;
      size_t k = nn_optim_state_floats (&worst, n);
      most = k > most ? k : most;
    }
  return most;
}

/* Hands out every tensor of the model from the arenas, in a fixed order; run once to count and once
 * to point into the allocated blocks. */
static void
plan (NnPix2Pix *m, int with_d)
{
  int n = m->cfg.batch;
  int L = m->levels;
  size_t img = (size_t) n * m->cfg.size * m->cfg.size;
  size_t scratch = 0;

  for (int i = 0; i < L; i++)
    take_unit (&m->down[i], &m->g_params, &m->g_grads, &m->stats);
  for (int i = 0; i < L; i++)
    {
      take_unit (&m->up[i], &m->g_params, &m->g_grads, &m->stats);
      /* Each block's style table right after its tensors: the backward pass finishes them together,
       * and the gradient hook gets them as one range (grads_done). */
      if (i > 0 && nn_p2p_has_g_cnorm (&m->cfg))
        {
          size_t ns = (size_t) m->cfg.n_styles * nn_p2p_g_cnorm_width (&m->up[i]);
          m->gcnorm[i] = nn_arena_take (&m->g_params, ns);
          m->dgcnorm[i] = nn_arena_take (&m->g_grads, ns);
        }
    }
  size_t ne = (size_t) m->cfg.n_styles * embed_width (&m->cfg);
  m->embed = ne > 0 ? nn_arena_take (&m->g_params, ne) : NULL;
  m->dembed = ne > 0 ? nn_arena_take (&m->g_grads, ne) : NULL;

  for (int i = 0; i < L - 1; i++)
    {
      m->cat[i] = nn_arena_take (&m->g_act, nn_p2p_in_floats (&m->up[i], n));
      m->dcat[i] = nn_arena_take (&m->g_dact, nn_p2p_in_floats (&m->up[i], n));
    }
  m->bott = nn_arena_take (&m->g_act, nn_p2p_in_floats (&m->up[L - 1], n));
  m->dbott = nn_arena_take (&m->g_dact, nn_p2p_in_floats (&m->up[L - 1], n));
  m->r_in = nn_arena_take (&m->g_act, nn_p2p_in_floats (&m->up[L - 1], n));
  m->dr_in = nn_arena_take (&m->g_dact, nn_p2p_in_floats (&m->up[L - 1], n));
  for (int i = 0; i < L; i++)
    {
      const NnUnit *u = &m->up[i];
      m->t[i] = nn_arena_take (&m->g_act, nn_p2p_out_floats (u, n));
      m->dt[i] = nn_arena_take (&m->g_dact, nn_p2p_out_floats (u, n));
      m->uinv[i] = i > 0 ? nn_arena_take (&m->g_act, nn_p2p_inv_floats (u, n)) : NULL;
      m->mask[i] = nn_p2p_is_dropout_level (m, i)
                     ? nn_arena_take (&m->g_act, nn_p2p_out_floats (u, n))
                     : NULL;
      scratch = max_size (scratch, nn_conv_transpose2d_scratch_floats (&u->geo, n));
      scratch = max_size (scratch, nn_conv2d_scratch_floats (&m->down[i].geo, n));
    }
  plan_encoder (m, &m->enc, 1);
  if (m->cfg.const_weight > 0.0f)
    plan_encoder (m, &m->cenc, 0);
  else
    memset (&m->cenc, 0, sizeof m->cenc);

  if (with_d)
    {
      size_t ns = nn_p2p_d_style_floats (&m->cfg, m->cfg.ndf);
      for (int l = 0; l < NN_P2P_D_LAYERS; l++)
        {
          take_unit (&m->disc[l], &m->d_params, &m->d_grads, &m->stats);
          /* The style bias right after the first layer's tensors: the backward pass finishes both
           * together, and the gradient hook gets them as one range (grads_done). */
          if (l == 0 && ns > 0)
            {
              m->dstyle = nn_arena_take (&m->d_params, ns);
              m->ddstyle = nn_arena_take (&m->d_grads, ns);
            }
        }
      m->in_real = nn_arena_take (&m->d_act, 2 * img);
      m->in_fake = nn_arena_take (&m->d_act, 2 * img);
      m->din = nn_arena_take (&m->d_dact, 2 * img);
      for (int l = 0; l < NN_P2P_D_LAYERS; l++)
        {
          const NnUnit *u = &m->disc[l];
          int normed = u->has_bn || u->has_in;
          m->d_z[l] = normed ? nn_arena_take (&m->d_act, nn_p2p_out_floats (u, n)) : NULL;
          m->d_a[l] = nn_arena_take (&m->d_act, nn_p2p_out_floats (u, n));
          m->d_inv[l] = normed ? nn_arena_take (&m->d_act, nn_p2p_inv_floats (u, n)) : NULL;
          m->d_dz[l] = normed ? nn_arena_take (&m->d_dact, nn_p2p_out_floats (u, n)) : NULL;
          m->d_da[l] = nn_arena_take (&m->d_dact, nn_p2p_out_floats (u, n));
          scratch = max_size (scratch, nn_conv2d_scratch_floats (&u->geo, n));
        }
      nn_arena_take (&m->g_state, state_floats_any_rule (m->g_params.used));
      nn_arena_take (&m->d_state, state_floats_any_rule (m->d_params.used));
      /* D's weights, D's optimiser state and all running statistics (see train_step). */
      nn_arena_take (&m->backup, m->d_params.used + m->d_state.used + m->stats.used);
    }
  else
    nn_arena_take (&m->backup, m->stats.used);
  nn_arena_take (&m->scratch, scratch);
  /* The engine's products' workspaces wherever they can run: every model where its float32
   * kernel runs (so that a run's validation and a later generate multiply alike), and a training
   * model where bf16 runs, so that nn_pix2pix_set_training can switch precision (a resumed run's
   * model is loaded in float32). */
  if (nn_gemm_f32_enabled () || (with_d && nn_cpu_has_bf16 ()))
    {
      /* And from 128 px, room for each part to hold a layer's weights packed (nn_gemm_hold_a):
       * there a layer's images span several blocks, each of which packed the weights again. At
       * 64 px (batch 16) they fit one block and holding gains nothing (measured), so the 16 MB
       * are not taken. */
      size_t hold = m->cfg.size >= 128 ? nn_gemm_hold_bytes () : 0;
      m->gemm.work = nn_arena_take (&m->gemm_work, NN_P2P_GEMM_PARTS * (nn_gemm_work_bytes () + hold)
                                                   / sizeof (float));
      m->gemm.hold_room = m->gemm.work != NULL && hold > 0
                          ? (char *) m->gemm.work + NN_P2P_GEMM_PARTS * nn_gemm_work_bytes ()
                          : NULL;
    }
  m->gemm.work_parts = m->gemm.work != NULL ? NN_P2P_GEMM_PARTS : 0;
  m->gemm.precision = m->cfg.precision;
}

#define N_ARENAS 14

static NnArena *
arena_at (NnPix2Pix *m, int i)
{
  NnArena *all[N_ARENAS] = { &m->g_params, &m->g_grads, &m->g_state, &m->d_params, &m->d_grads,
                             &m->d_state, &m->stats, &m->g_act, &m->g_dact, &m->d_act,
                             &m->d_dact, &m->scratch, &m->backup, &m->gemm_work };
  return all[i];
}

static void
set_default_optim (NnOptConfig *dst, const NnOptConfig *src)
{
  if (src != NULL)
    *dst = *src;
  else
    nn_optim_defaults (dst, NN_OPT_ADAM);
}

NnStatus
nn_pix2pix_build (NnPix2Pix **out, const NnPix2PixConfig *cfg, const NnOptConfig *opt_g,
                  const NnOptConfig *opt_d, int with_d)
{
  NnStatus st = nn_pix2pix_check_config (cfg);
  if (st != NN_OK)
    return st;
  NnPix2Pix *m = calloc (1, sizeof *m);
  if (m == NULL)
    return NN_ERR_NOMEM;
  set_default_optim (&m->opt_g, opt_g);
  set_default_optim (&m->opt_d, opt_d);
  m->has_d = with_d;
  setup_geometry (m, cfg);

  for (int i = 0; i < N_ARENAS; i++)
    nn_arena_count (arena_at (m, i));
  plan (m, with_d);
  m->style0 = calloc ((size_t) cfg->batch, sizeof (int));
  if (m->style0 == NULL)
    {
      nn_pix2pix_free (m);
      return NN_ERR_NOMEM;
    }
  for (int i = 0; i < N_ARENAS; i++)
    if (nn_arena_alloc (arena_at (m, i)) != NN_OK)
      {
        nn_pix2pix_free (m);
        return NN_ERR_NOMEM;
      }
  plan (m, with_d);
  st = nn_pix2pix_set_threads (m, 0);
  if (st != NN_OK)
    {
      nn_pix2pix_free (m);
      return st;
    }
  *out = m;
  return NN_OK;
}

NnStatus
nn_pix2pix_set_threads (NnPix2Pix *m, int threads)
{
  if (m == NULL || threads < 0 || threads > 64)
    return NN_ERR_INVALID;
  if (threads == 0)
    {
      long cpus = sysconf (_SC_NPROCESSORS_ONLN);
      threads = cpus < 1 ? 1 : (cpus > 4 ? 4 : (int) cpus);
    }
  NnPool *pool = NULL;
  if (threads > 1)
    {
      NnStatus st = nn_pool_new (&pool, threads);
      if (st != NN_OK)
        return st;
      /* Each of our threads runs its own GEMMs; OpenBLAS's threads would only compete for the
       * same cores. */
      openblas_set_num_threads (1);
    }
  nn_pool_free (m->pool);
  m->pool = pool;
  return NN_OK;
}

/* With our own threads, OpenBLAS must stay single-threaded: a later nn_blas_set_threads (the
 * CLI's --threads did this) would otherwise put two BLAS threads under each of ours. */
void
nn_p2p_keep_blas_single (const NnPix2Pix *m)
{
  if (m->pool != NULL && openblas_get_num_threads () != 1)
    openblas_set_num_threads (1);
}

int
nn_pix2pix_get_threads (const NnPix2Pix *m)
{
  return nn_pool_threads (m->pool);
}

/* pix2pix's init_weights('normal', 0.02): conv weights N(0, 0.02), biases 0, norm scales N(1, 0.02),
 * norm shifts 0; running statistics start at mean 0, variance 1 (PyTorch's BatchNorm2d). */
static void
init_unit (NnUnit *u, NnRng *rng)
{
  nn_init_normal (u->w, weight_floats (u), 0.0f, 0.02f, rng);
  if (u->has_bn)
    {
      nn_init_normal (u->gamma, (size_t) u->geo.co, 1.0f, 0.02f, rng);
      nn_init_ones (u->run_var, (size_t) u->geo.co);
    }
}

NnStatus
nn_pix2pix_create (NnPix2Pix **out, const NnPix2PixConfig *cfg, const NnOptConfig *opt_g,
                   const NnOptConfig *opt_d, uint64_t seed)
{
  if (out == NULL || cfg == NULL)
    return NN_ERR_INVALID;
  NnPix2Pix *m;
  NnStatus st = nn_pix2pix_build (&m, cfg, opt_g, opt_d, 1);
  if (st != NN_OK)
    return st;
  NnRng rng;
  nn_rng_seed (&rng, seed);
  for (int i = 0; i < m->levels; i++)
    init_unit (&m->down[i], &rng);
  for (int i = 0; i < m->levels; i++)
    init_unit (&m->up[i], &rng);
  if (m->embed != NULL)
    nn_init_normal (m->embed, (size_t) m->cfg.n_styles * m->cfg.embed_dim, 0.0f, 0.02f, &rng);
  for (int l = 0; l < NN_P2P_D_LAYERS; l++)
    init_unit (&m->disc[l], &rng);
  /* Zero: each network starts as one without its style tables (and draws nothing from rng). */
  if (m->dstyle != NULL)
    memset (m->dstyle, 0, nn_p2p_d_style_floats (&m->cfg, m->cfg.ndf) * sizeof (float));
  for (int i = 1; i < m->levels; i++)
    if (m->gcnorm[i] != NULL)
      memset (m->gcnorm[i], 0,
              (size_t) m->cfg.n_styles * nn_p2p_g_cnorm_width (&m->up[i]) * sizeof (float));
  *out = m;
  return NN_OK;
}

void
nn_pix2pix_free (NnPix2Pix *m)
{
  if (m == NULL)
    return;
  nn_pool_free (m->pool);
  for (int i = 0; i < N_ARENAS; i++)
    nn_arena_free (arena_at (m, i));
  free (m->style0);
  free (m);
}

const NnPix2PixConfig *
nn_pix2pix_config (const NnPix2Pix *m)
{
  return &m->cfg;
}

void
nn_pix2pix_set_optim (NnPix2Pix *m, const NnOptConfig *opt_g, const NnOptConfig *opt_d)
{
  /* The state of one rule means nothing to another: a change of rule starts it afresh. */
  if (opt_g != NULL)
    {
      if (opt_g->kind != m->opt_g.kind && m->g_state.base != NULL)
        {
          memset (m->g_state.base, 0, m->g_state.cap * sizeof (float));
          m->t_g = 0;
        }
      m->opt_g = *opt_g;
    }
  if (opt_d != NULL)
    {
      if (opt_d->kind != m->opt_d.kind && m->d_state.base != NULL)
        {
          memset (m->d_state.base, 0, m->d_state.cap * sizeof (float));
          m->t_d = 0;
        }
      m->opt_d = *opt_d;
    }
}

/* Copies a unit's weights, bias, norm parameters and running statistics from a unit of the same
 * geometry. */
static void
copy_unit (NnUnit *d, const NnUnit *s)
{
  size_t co = (size_t) d->geo.co;
  memcpy (d->w, s->w, weight_floats (d) * sizeof (float));
  if (d->b != NULL)
    memcpy (d->b, s->b, co * sizeof (float));
  if (d->gamma != NULL)
    {
      memcpy (d->gamma, s->gamma, co * sizeof (float));
      memcpy (d->beta, s->beta, co * sizeof (float));
      memcpy (d->run_mean, s->run_mean, co * sizeof (float));
      memcpy (d->run_var, s->run_var, co * sizeof (float));
    }
}

NnStatus
nn_pix2pix_copy_generator (NnPix2Pix *dst, const NnPix2Pix *src)
{
  if (dst == NULL || src == NULL || dst == src)
    return NN_ERR_INVALID;
  const NnPix2PixConfig *a = &dst->cfg, *b = &src->cfg;
  if (a->size != b->size || a->ngf != b->ngf || a->norm != b->norm || embed_width (a) != embed_width (b))
    return NN_ERR_SHAPE;
  /* Same geometry: every unit's tensors have the same lengths in both models. */
  for (int i = 0; i < dst->levels; i++)
    {
      copy_unit (&dst->down[i], &src->down[i]);
      copy_unit (&dst->up[i], &src->up[i]);
    }
  return NN_OK;
}

float *
nn_pix2pix_style_table (NnPix2Pix *m)
{
  return m != NULL ? m->embed : NULL;
}

int
nn_pix2pix_style_tables (NnPix2Pix *m, float **tables, int *widths, int max)
{
  int k = 0;
  if (m == NULL)
    return 0;
  if (m->embed != NULL)
    {
      if (k < max)
        {
          tables[k] = m->embed;
          widths[k] = m->cfg.embed_dim;
        }
      k++;
    }
  for (int i = m->levels - 1; i > 0; i--)
    if (m->gcnorm[i] != NULL)
      {
        if (k < max)
          {
            tables[k] = m->gcnorm[i];
            widths[k] = nn_p2p_g_cnorm_width (&m->up[i]);
          }
        k++;
      }
  return k;
}

NnStatus
nn_pix2pix_set_frozen_encoder (NnPix2Pix *m, int split, int frozen)
{
  if (m == NULL || (frozen && !split))
    return NN_ERR_INVALID;
  /* The encoder's units come first in G's parameter block (plan), so it is a prefix of it. */
  m->g_split = split ? (size_t) (m->up[0].w - m->g_params.base) : 0;
  m->g_frozen = frozen != 0;
  return NN_OK;
}

NnStatus
nn_pix2pix_set_training (NnPix2Pix *m, const NnPix2PixConfig *cfg)
{
  if (m == NULL || cfg == NULL || nn_pix2pix_check_config (cfg) != NN_OK)
    return NN_ERR_INVALID;
  const NnPix2PixConfig *c = &m->cfg;
  if (cfg->size != c->size || cfg->ngf != c->ngf || nn_p2p_ndf (cfg) != c->ndf || cfg->norm != c->norm
      || cfg->n_styles != c->n_styles || embed_width (cfg) != embed_width (c)
      || nn_p2p_has_d_style (cfg) != nn_p2p_has_d_style (c)
      || nn_p2p_has_g_cnorm (cfg) != nn_p2p_has_g_cnorm (c))
    return NN_ERR_INVALID;
  /* Memory for the const loss, the dropout masks and the bf16 workspaces is planned at build
   * time. */
  if (cfg->precision == NN_PRECISION_BF16 && m->gemm_work.base == NULL)
    return NN_ERR_INVALID;
  if (cfg->const_weight > 0.0f && m->cenc.s[0] == NULL)
    return NN_ERR_INVALID;
  if (cfg->dropout > 0.0f && m->mask[m->levels - 1] == NULL)
    return NN_ERR_INVALID;
  m->cfg.dropout = cfg->dropout;
  m->cfg.gan_loss = cfg->gan_loss;
  m->cfg.l1_weight = cfg->l1_weight;
  m->cfg.const_weight = cfg->const_weight;
  m->cfg.tv_weight = cfg->tv_weight;
  m->cfg.ssim_weight = cfg->ssim_weight;
  m->cfg.clip_norm = cfg->clip_norm;
  m->cfg.precision = cfg->precision;
  m->gemm.precision = cfg->precision;
  return NN_OK;
}

size_t
nn_pix2pix_param_block (NnPix2Pix *m, int discriminator, float **params, float **grads)
{
  NnArena *p = discriminator ? &m->d_params : &m->g_params;
  NnArena *g = discriminator ? &m->d_grads : &m->g_grads;
  if (params != NULL)
    *params = p->base;
  if (grads != NULL)
    *grads = g->base;
  return p->base != NULL ? p->cap : 0;
}

size_t
nn_pix2pix_norm_stats (NnPix2Pix *m, float **stats)
{
  if (stats != NULL)
    *stats = m->stats.base;
  return m->stats.base != NULL ? m->stats.cap : 0;
}

NnStatus
nn_pix2pix_norm_update (NnPix2Pix *m, const float *src, const int *style, int n, NnRng *rng,
                        float *out)
{
  if (m == NULL || src == NULL || out == NULL || rng == NULL || n < 1 || n > m->cfg.batch)
    return NN_ERR_INVALID;
  if (style != NULL)
    for (int i = 0; i < n; i++)
      if (style[i] < 0 || style[i] >= m->cfg.n_styles)
        return NN_ERR_INVALID;
  if (m->cfg.norm != NN_NORM_BATCH)
    return NN_OK;
  nn_p2p_keep_blas_single (m);
  nn_p2p_encoder_forward (m, &m->enc, src, n, 1, 1);
  nn_p2p_decoder_forward (m, style != NULL ? style : m->style0, NULL, NULL, n, 1, rng, out);
  return NN_OK;
}

NnStatus
nn_pix2pix_generate_mix (NnPix2Pix *m, const float *src, const int *style_a, const int *style_b,
                         const float *t, int n, float *out)
{
  if (m == NULL || src == NULL || out == NULL || style_a == NULL || style_b == NULL || t == NULL
      || n < 1 || n > m->cfg.batch)
    return NN_ERR_INVALID;
  for (int b = 0; b < n; b++)
    if (style_a[b] < 0 || style_a[b] >= m->cfg.n_styles || style_b[b] < 0
        || style_b[b] >= m->cfg.n_styles || !(t[b] >= 0.0f && t[b] <= 1.0f))
      return NN_ERR_INVALID;
  NnPrecision trained = m->gemm.precision;   /* generation multiplies in float32 (nn-pix2pix.h) */
  m->gemm.precision = NN_PRECISION_FP32;
  nn_p2p_keep_blas_single (m);
  nn_p2p_encoder_forward (m, &m->enc, src, n, 0, 0);
  nn_p2p_decoder_forward (m, style_a, style_b, t, n, 0, NULL, out);
  m->gemm.precision = trained;
  return NN_OK;
}

static size_t
unit_params (const NnUnit *u)
{
  return weight_floats (u) + (u->has_bias ? (size_t) u->geo.co : 0)
         + (u->has_bn ? 2 * (size_t) u->geo.co : 0);
}

size_t
nn_p2p_generator_params (const NnPix2PixConfig *cfg)
{
  NnPix2Pix m;
  memset (&m, 0, sizeof m);
  setup_geometry (&m, cfg);
  size_t total = (size_t) cfg->n_styles * embed_width (cfg);
  for (int i = 0; i < m.levels; i++)
    total += unit_params (&m.down[i]) + unit_params (&m.up[i])
             + (i > 0 && nn_p2p_has_g_cnorm (cfg) ? (size_t) cfg->n_styles * nn_p2p_g_cnorm_width (&m.up[i]) : 0);
  return total;
}

size_t
nn_p2p_discriminator_params (const NnPix2PixConfig *cfg)
{
  NnPix2Pix m;
  memset (&m, 0, sizeof m);
  setup_geometry (&m, cfg);
  size_t total = nn_p2p_d_style_floats (&m.cfg, m.cfg.ndf);
  for (int l = 0; l < NN_P2P_D_LAYERS; l++)
    total += unit_params (&m.disc[l]);
  return total;
}

size_t
nn_pix2pix_memory_bytes (const NnPix2PixConfig *cfg)
{
  if (cfg == NULL || nn_pix2pix_check_config (cfg) != NN_OK)
    return 0;
  NnPix2Pix *m = calloc (1, sizeof *m);
  if (m == NULL)
    return 0;
  setup_geometry (m, cfg);
  for (int i = 0; i < N_ARENAS; i++)
    nn_arena_count (arena_at (m, i));
  plan (m, 1);
  size_t total = sizeof *m + (size_t) cfg->batch * sizeof (int);
  for (int i = 0; i < N_ARENAS; i++)
    total += nn_arena_bytes (arena_at (m, i));
  free (m);
  return total;
}

double
nn_pix2pix_flops_per_step (const NnPix2PixConfig *cfg, int n)
{
  if (cfg == NULL || nn_pix2pix_check_config (cfg) != NN_OK || n < 1)
    return 0.0;
  NnPix2Pix m;
  memset (&m, 0, sizeof m);
  setup_geometry (&m, cfg);

  /* Count the multiply-adds that train_step performs: G forward, G backward (weights for all,
   * input for all but the first conv), the const pass's forward and backward; D forward three
   * times, D backward twice with weights (no input gradient for its first layer) and once for the
   * input only. One multiply-add is two FLOPs. */
  double g = 0.0, g0 = nn_conv2d_macs (&m.down[0].geo, n);
  double enc = 0.0;
  for (int i = 0; i < m.levels; i++)
    {
      enc += nn_conv2d_macs (&m.down[i].geo, n);
      g += nn_conv2d_macs (&m.down[i].geo, n) + nn_conv2d_macs (&m.up[i].geo, n);
    }
  double d = 0.0, d0 = nn_conv2d_macs (&m.disc[0].geo, n);
  for (int l = 0; l < NN_P2P_D_LAYERS; l++)
    d += nn_conv2d_macs (&m.disc[l].geo, n);

  double macs = g + (2.0 * g - g0) + 3.0 * d + 2.0 * (2.0 * d - d0) + d;
  if (cfg->const_weight > 0.0f)
    macs += 3.0 * enc;
  return 2.0 * macs;
}
