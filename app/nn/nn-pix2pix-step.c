/* nn-pix2pix-step.c — a full pix2pix training step (D update, then G update through the updated D),
 * the same computation without the updates (nn_pix2pix_compute), and inference. The architecture and
 * the step are described at the top of nn-pix2pix.c; the layer passes are in nn-pix2pix-pass.c.
 *
 * A step allocates nothing: every buffer is in the model's arenas. A step that meets a NaN or
 * infinity restores D's weights, its optimiser state and every running statistic from the backup
 * block, so the model is as before the step.
 *
 * With a gradient hook (nn_pix2pix_set_grad_hook), the step hands each network's gradients over as
 * the last backward pass that adds to them finishes them (D's on the generated pair, G's in the
 * decoder and then the encoder), and waits for them before that network's norm, clipping, finiteness
 * check and update: those see the gradients the hook left, e.g. averaged over processes. */
#include "nn-pix2pix-private.h"

#include <math.h>
#include <string.h>

#include "nn-loss.h"
#include "nn-reduce.h"

static void
zero_arena (NnPix2Pix *m, NnArena *a)
{
  nn_p2p_zero (m, a->base, a->cap);
}

static size_t
logit_count (const NnPix2Pix *m, int n)
{
  return nn_p2p_out_floats (&m->disc[NN_P2P_D_LAYERS - 1], n);
}

/* The discriminator's loss on one batch of logits, gradient (× scale) into dx. */
static float
d_gan_loss (const NnPix2Pix *m, float *dx, const float *x, size_t cnt, int real, float scale)
{
  switch (m->cfg.gan_loss)
    {
    case NN_GAN_LSGAN:
      return nn_loss_lsgan (dx, x, real ? 1.0f : 0.0f, cnt, scale);
    case NN_GAN_HINGE:
      return nn_loss_hinge_d (dx, x, real, cnt, scale);
    case NN_GAN_BCE:
    default:
      return nn_loss_bce_logits (dx, x, NULL, real ? 1.0f : 0.0f, cnt, scale);
    }
}

/* The generator's adversarial loss (non-saturating for BCE). */
static float
g_gan_loss (const NnPix2Pix *m, float *dx, const float *x, size_t cnt)
{
  switch (m->cfg.gan_loss)
    {
    case NN_GAN_LSGAN:
      return nn_loss_lsgan (dx, x, 1.0f, cnt, 1.0f);
    case NN_GAN_HINGE:
      return nn_loss_hinge_g (dx, x, cnt, 1.0f);
    case NN_GAN_BCE:
    default:
      return nn_loss_bce_logits (dx, x, NULL, 1.0f, cnt, 1.0f);
    }
}

static double
block_norm (NnPix2Pix *m, const float *g, size_t n)
{
  return sqrt (nn_p2p_sum_squares (m, g, n));
}

static void
clip_block (float *g, size_t n, double norm, float clip)
{
  if (clip <= 0.0f || norm <= clip)
    return;
  float k = (float) (clip / norm);
  for (size_t i = 0; i < n; i++)
    g[i] *= k;
}

/* G forward in training mode from src into in_fake's second channel, with the inputs of D set up. */
static void
g_forward_train (NnPix2Pix *m, const float *src, const float *tgt, const int *style, int n,
                 NnRng *rng)
{
  size_t img = (size_t) n * m->cfg.size * m->cfg.size;
  memcpy (m->in_real, src, img * sizeof (float));
  memcpy (m->in_real + img, tgt, img * sizeof (float));
  memcpy (m->in_fake, src, img * sizeof (float));
  nn_p2p_encoder_forward (m, &m->enc, src, n, 1, 1);
  nn_p2p_decoder_forward (m, style, NULL, NULL, n, 1, rng, m->in_fake + img);
}

/* With a hook: waits for net's gradients (see the top of the file); FALSE when a process's step was
 * not finite. Without one: TRUE. */
static int
grads_wait (NnPix2Pix *m, int hooked, int net, int finite)
{
  m->grad_net = -1;
  return !hooked || m->grad_wait (m->grad_user, net, finite);
}

/* D's gradients on the real pair (label 1) and the detached generated pair (label 0), each half of
 * the loss as pix2pix. hooked: the generated pair's backward pass reports D's gradients to the hook
 * and the norm waits for them. FALSE when the hook says a process's step was not finite. */
static int
d_phase (NnPix2Pix *m, const int *style, int n, int hooked, NnStepStats *st)
{
  size_t cnt = logit_count (m, n);
  float *dlogit = m->d_da[NN_P2P_D_LAYERS - 1];

  zero_arena (m, &m->d_grads);
  memset (dlogit, 0, cnt * sizeof (float));
  const float *logit = nn_p2p_d_forward (m, m->in_real, style, n);
  st->d_real = 0.5f * d_gan_loss (m, dlogit, logit, cnt, 1, 0.5f);
  nn_p2p_d_backward (m, m->in_real, style, n, 1, NULL);

  memset (dlogit, 0, cnt * sizeof (float));
  logit = nn_p2p_d_forward (m, m->in_fake, style, n);
  st->d_fake = 0.5f * d_gan_loss (m, dlogit, logit, cnt, 0, 0.5f);
  st->d_loss = st->d_real + st->d_fake;
  m->grad_net = hooked ? 1 : -1;
  nn_p2p_d_backward (m, m->in_fake, style, n, 1, NULL);
  int all_finite = grads_wait (m, hooked, 1, isfinite (st->d_loss));
  st->d_grad_norm = (float) block_norm (m, m->d_grads.base, m->d_grads.cap);
  return all_finite;
}

/* G's gradients through the current D; hooked as for d_phase (the decoder's and the main encoder
 * pass's backward report G's gradients). */
static int
g_phase (NnPix2Pix *m, const float *tgt, const int *style, int n, int hooked, NnStepStats *st)
{
  size_t img = (size_t) n * m->cfg.size * m->cfg.size;
  size_t cnt = logit_count (m, n);
  float *fake = m->in_fake + img;
  float *dfake = m->din + img;
  int L = m->levels;

  zero_arena (m, &m->g_grads);
  memset (m->d_da[NN_P2P_D_LAYERS - 1], 0, cnt * sizeof (float));
  const float *logit = nn_p2p_d_forward (m, m->in_fake, style, n);
  st->g_adv = g_gan_loss (m, m->d_da[NN_P2P_D_LAYERS - 1], logit, cnt);
  nn_p2p_d_backward (m, m->in_fake, style, n, 0, m->din);

  st->g_l1 = nn_loss_l1 (dfake, fake, tgt, img, m->cfg.l1_weight);
  st->g_tv = m->cfg.tv_weight > 0.0f
               ? nn_loss_tv (dfake, fake, (size_t) n, m->cfg.size, m->cfg.size, m->cfg.tv_weight)
               : 0.0f;
  st->g_ssim = m->cfg.ssim_weight > 0.0f
                 ? nn_loss_ssim (dfake, fake, tgt, (size_t) n, m->cfg.size, m->cfg.size,
                                 m->cfg.ssim_weight)
                 : 0.0f;

  /* The bottleneck's gradient collects from the const loss and from the decoder; the other
   * activation gradients are zeroed by the passes, each right before its first use. */
  nn_p2p_zero (m, m->dbott, nn_p2p_in_floats (&m->up[L - 1], n));
  st->g_const = 0.0f;
  if (m->cfg.const_weight > 0.0f)
    {
      /* zi2zi's const loss: the generated glyph should encode like its source. The second pass
       * uses batch statistics but leaves the running ones to the main pass. */
      for (int i = 0; i < L; i++)
        nn_p2p_zero (m, m->cenc.ds[i], nn_p2p_out_floats (&m->down[i], n));
      nn_p2p_encoder_forward (m, &m->cenc, fake, n, 1, 0);
      st->g_const = nn_loss_mse (m->cenc.ds[L - 1], m->dbott, m->cenc.s[L - 1], m->bott,
                                 nn_p2p_out_floats (&m->down[L - 1], n), m->cfg.const_weight);
      nn_p2p_encoder_backward (m, &m->cenc, fake, dfake, n);
    }
  st->g_loss = st->g_adv + m->cfg.l1_weight * st->g_l1 + m->cfg.const_weight * st->g_const
               + m->cfg.tv_weight * st->g_tv + m->cfg.ssim_weight * st->g_ssim;
  m->grad_net = hooked ? 0 : -1;
  nn_p2p_decoder_backward (m, style, n, fake, dfake);
  nn_p2p_encoder_backward (m, &m->enc, m->in_fake, NULL, n);
  int all_finite = grads_wait (m, hooked, 0, isfinite (st->g_loss));
  st->g_grad_norm = (float) block_norm (m, m->g_grads.base, m->g_grads.cap);
  return all_finite;
}

static int
stats_finite_d (const NnStepStats *st)
{
  return isfinite (st->d_loss) && isfinite (st->d_grad_norm);
}

static int
stats_finite_g (const NnStepStats *st)
{
  return isfinite (st->g_loss) && isfinite (st->g_grad_norm);
}

static NnStatus
check_step_args (NnPix2Pix *m, const float *src, const float *tgt, const int *style, int n)
{
  if (m == NULL || src == NULL || tgt == NULL || !m->has_d || n < 1 || n > m->cfg.batch)
    return NN_ERR_INVALID;
  if (style != NULL)
    for (int i = 0; i < n; i++)
      if (style[i] < 0 || style[i] >= m->cfg.n_styles)
        return NN_ERR_INVALID;
  return NN_OK;
}

NnStatus
nn_pix2pix_compute (NnPix2Pix *m, const float *src, const float *tgt, const int *style, int n,
                    NnRng *rng, NnStepStats *stats)
{
  NnStatus status = check_step_args (m, src, tgt, style, n);
  if (status != NN_OK || rng == NULL)
    return status != NN_OK ? status : NN_ERR_INVALID;
  NnStepStats st = { 0 };
  if (style == NULL)
    style = m->style0;
  nn_p2p_keep_blas_single (m);
  g_forward_train (m, src, tgt, style, n, rng);
  d_phase (m, style, n, 0, &st);
  g_phase (m, tgt, style, n, 0, &st);
  if (stats != NULL)
    *stats = st;
  return stats_finite_d (&st) && stats_finite_g (&st) ? NN_OK : NN_ERR_NONFINITE;
}

NnStatus
nn_pix2pix_train_step (NnPix2Pix *m, const float *src, const float *tgt, const int *style, int n,
                       float lr_g, float lr_d, NnRng *rng, NnStepStats *stats)
{
  NnStatus status = check_step_args (m, src, tgt, style, n);
  if (status != NN_OK || rng == NULL)
    return status != NN_OK ? status : NN_ERR_INVALID;
  if (!nn_p2p_nonneg_finite (lr_g) || !nn_p2p_nonneg_finite (lr_d))
    return NN_ERR_INVALID;
  if (style == NULL)
    style = m->style0;
  nn_p2p_keep_blas_single (m);

  /* The backup block: D's weights, D's optimiser state, then every running statistic. */
  size_t nd = m->d_params.cap;
  size_t nd_state = nn_optim_state_floats (&m->opt_d, nd);
  float *bk_params = m->backup.base;
  float *bk_state = bk_params + nd;
  float *bk_stats = bk_state + m->d_state.cap;
  /* The statistics' used length, not cap: a model without batch norm has none, yet its empty arena
   * got a block of one alignment unit (nn_arena_alloc), for which the backup block has no room. */
  memcpy (bk_stats, m->stats.base, m->stats.used * sizeof (float));

  NnStepStats st = { 0 };
  int hooked = m->grad_ready != NULL;
  g_forward_train (m, src, tgt, style, n, rng);
  int all_finite = d_phase (m, style, n, hooked, &st);
  if (stats != NULL)
    *stats = st;
  if (!all_finite || !stats_finite_d (&st))
    {
      memcpy (m->stats.base, bk_stats, m->stats.used * sizeof (float));
      return NN_ERR_NONFINITE;
    }

  memcpy (bk_params, m->d_params.base, nd * sizeof (float));
  memcpy (bk_state, m->d_state.base, nd_state * sizeof (float));
  clip_block (m->d_grads.base, nd, st.d_grad_norm, m->cfg.clip_norm);
  m->t_d++;
  nn_p2p_optim_step (m, &m->opt_d, lr_d, m->t_d, m->d_params.base, m->d_grads.base, m->d_state.base, nd);

  all_finite = g_phase (m, tgt, style, n, hooked, &st);
  if (stats != NULL)
    *stats = st;
  if (!all_finite || !stats_finite_g (&st))
    {
      memcpy (m->d_params.base, bk_params, nd * sizeof (float));
      memcpy (m->d_state.base, bk_state, nd_state * sizeof (float));
      memcpy (m->stats.base, bk_stats, m->stats.used * sizeof (float));
      m->t_d--;
      return NN_ERR_NONFINITE;
    }
  size_t ng = m->g_params.cap;
  clip_block (m->g_grads.base, ng, st.g_grad_norm, m->cfg.clip_norm);
  m->t_g++;
  if (m->g_split == 0)
    nn_p2p_optim_step (m, &m->opt_g, lr_g, m->t_g, m->g_params.base, m->g_grads.base, m->g_state.base, ng);
  else
    {
      size_t k = m->g_split;
      if (!m->g_frozen)
        nn_p2p_optim_step (m, &m->opt_g, lr_g, m->t_g, m->g_params.base, m->g_grads.base, m->g_state.base, k);
      nn_p2p_optim_step (m, &m->opt_g, lr_g, m->t_g, m->g_params.base + k, m->g_grads.base + k,
                         m->g_state.base + nn_optim_state_floats (&m->opt_g, k), ng - k);
    }
  return NN_OK;
}

NnStatus
nn_pix2pix_generate (NnPix2Pix *m, const float *src, const int *style, int n, float *out)
{
  if (m == NULL || src == NULL || out == NULL || n < 1 || n > m->cfg.batch)
    return NN_ERR_INVALID;
  if (style != NULL)
    for (int i = 0; i < n; i++)
      if (style[i] < 0 || style[i] >= m->cfg.n_styles)
        return NN_ERR_INVALID;
  NnPrecision trained = m->gemm.precision;
  m->gemm.precision = NN_PRECISION_FP32;
  nn_p2p_keep_blas_single (m);
  nn_p2p_encoder_forward (m, &m->enc, src, n, 0, 0);
  nn_p2p_decoder_forward (m, style != NULL ? style : m->style0, NULL, NULL, n, 0, NULL, out);
  m->gemm.precision = trained;
  return NN_OK;
}

void
nn_pix2pix_set_grad_hook (NnPix2Pix *m, NnGradReadyFunc ready, NnGradWaitFunc wait, void *user)
{
  if (m == NULL)
    return;
  m->grad_ready = ready != NULL && wait != NULL ? ready : NULL;
  m->grad_wait = wait;
  m->grad_user = user;
  m->grad_net = -1;
}
