/* test-nn-pix2pix.c — the pix2pix model on the engine: architecture against the PyTorch peer,
 * gradients of a whole training step against finite differences, NaN handling with rollback,
 * bit-identical determinism, the checkpoint round trip, and learning on a tiny synthetic task.
 * It reads the model's insides through the private header to reach individual parameters. */
#define _GNU_SOURCE
#include <glib.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "nn-ckpt.h"
#include "nn-pix2pix-private.h"

static NnPix2PixConfig
tiny_config (int size, int ngf, int batch)
{
  NnPix2PixConfig cfg;
  nn_pix2pix_defaults (&cfg);
  cfg.size = size;
  cfg.ngf = ngf;
  cfg.batch = batch;
  return cfg;
}

static NnPix2Pix *
create (const NnPix2PixConfig *cfg, uint64_t seed)
{
  NnPix2Pix *m = NULL;
  NnOptConfig opt;
  nn_optim_defaults (&opt, NN_OPT_ADAM);
  g_assert_cmpint (nn_pix2pix_create (&m, cfg, &opt, &opt, seed), ==, NN_OK);
  g_assert_nonnull (m);
  return m;
}

/* Random images in [-1, 1]. */
static float *
random_images (uint64_t seed, size_t n)
{
  NnRng rng;
  nn_rng_seed (&rng, seed);
  float *p = g_new (float, n);
  for (size_t i = 0; i < n; i++)
    p[i] = 2.0f * nn_rng_uniform (&rng) - 1.0f;
  return p;
}

static size_t
unit_params (const NnUnit *u)
{
  size_t n = (size_t) u->geo.ci * u->geo.co * u->geo.k * u->geo.k;
  return n + (u->has_bias ? u->geo.co : 0) + (u->has_bn ? 2 * u->geo.co : 0);
}

/* Parameter counts and the PatchGAN's output size, as PyTorch reports them for the peer of the speed
 * comparison (tests/bench/compare-peer.sh): its UNet(size, ngf) and patchgan(ndf = ngf). */
static void
test_shapes (void)
{
  static const struct { int size, ngf; size_t g, d; int patch; } peer[] = {
    { 64, 4, 114765, 11509, 6 },
    { 128, 4, 164045, 11509, 14 },
    { 32, 4, 65485, 11509, 2 },
  };
  for (guint k = 0; k < G_N_ELEMENTS (peer); k++)
    {
      NnPix2PixConfig cfg = tiny_config (peer[k].size, peer[k].ngf, 2);
      NnPix2Pix *m = create (&cfg, 1);
      size_t g = 0, d = 0;
      for (int i = 0; i < m->levels; i++)
        g += unit_params (&m->down[i]) + unit_params (&m->up[i]);
      for (int l = 0; l < NN_P2P_D_LAYERS; l++)
        d += unit_params (&m->disc[l]);
      g_assert_cmpuint (g, ==, peer[k].g);
      g_assert_cmpuint (d, ==, peer[k].d);
      g_assert_cmpint (m->levels, ==, (int) round (log2 (peer[k].size)));
      g_assert_cmpint (m->down[m->levels - 1].geo.ho, ==, 1);
      g_assert_cmpint (m->up[0].geo.ho, ==, peer[k].size);
      g_assert_cmpint (m->up[0].geo.co, ==, 1);
      g_assert_cmpint (m->disc[NN_P2P_D_LAYERS - 1].geo.ho, ==, peer[k].patch);
      g_assert_cmpint (m->disc[NN_P2P_D_LAYERS - 1].geo.co, ==, 1);

      /* Inference: one image per input, in (-1, 1), not constant. */
      size_t img = (size_t) peer[k].size * peer[k].size;
      float *src = random_images (3, 2 * img);
      float *out = g_new (float, 2 * img);
      g_assert_cmpint (nn_pix2pix_generate (m, src, NULL, 2, out), ==, NN_OK);
      float lo = 1, hi = -1;
      for (size_t i = 0; i < 2 * img; i++)
        {
          g_assert_true (isfinite (out[i]) && out[i] > -1.0f && out[i] < 1.0f);
          lo = fminf (lo, out[i]);
          hi = fmaxf (hi, out[i]);
        }
      g_assert_cmpfloat (hi - lo, >, 1e-4f);
      g_free (src);
      g_free (out);
      nn_pix2pix_free (m);
    }
  /* Bad configurations are refused. */
  NnPix2PixConfig bad = tiny_config (48, 4, 2);
  NnPix2Pix *m = NULL;
  g_assert_cmpint (nn_pix2pix_create (&m, &bad, NULL, NULL, 1), ==, NN_ERR_INVALID);
  bad = tiny_config (16, 4, 2);
  g_assert_cmpint (nn_pix2pix_create (&m, &bad, NULL, NULL, 1), ==, NN_ERR_INVALID);
  bad = tiny_config (64, 4, 2);
  bad.dropout = 1.0f;
  g_assert_cmpint (nn_pix2pix_create (&m, &bad, NULL, NULL, 1), ==, NN_ERR_INVALID);
  g_assert_null (m);
}

typedef struct {
  NnPix2Pix *m;
  float     *src, *tgt;
  int       *style;
  int        n;
} StepCase;

static NnStepStats
compute (StepCase *c)
{
  NnRng rng;
  NnStepStats st;
  nn_rng_seed (&rng, 99);
  g_assert_cmpint (nn_pix2pix_compute (c->m, c->src, c->tgt, c->style, c->n, &rng, &st), ==, NN_OK);
  return st;
}

/* The loss changes along a direction v of one parameter tensor as the analytic gradient says:
 * (L(θ + e·v) - L(θ - e·v)) / 2e ≈ g·v. Single elements are a poor probe here: the model's ReLUs,
 * L1 and TV have kinks that a per-element step of useful size crosses, and float32 rounding swamps
 * smaller ones; along the gradient direction the signal is the whole norm |g|. A random direction
 * checks the components the gradient direction cannot see. */
static void
spot_check (StepCase *c, const char *what, float *param, const float *grad, size_t count, int disc,
            double loss)
{
  float *keep = g_memdup2 (param, count * sizeof (float));
  float *v = g_new (float, count);
  double gn = 0.0, wn = 0.0;
  for (size_t i = 0; i < count; i++)
    {
      gn += (double) grad[i] * grad[i];
      wn += (double) keep[i] * keep[i];
    }
  gn = sqrt (gn);
  wn = sqrt (wn);
  g_assert_cmpfloat (gn, >, 0.0);
  /* A relative step of 1e-4, made larger where float32 rounding of the loss (~1e-7·L) would be
   * more than about 1% of the expected change; larger steps cross more kinks, so the tolerance
   * (8% of |g|) covers both. Real errors (a missing term, a wrong factor or sign) are larger. */
  double e = fmax (1e-4 * fmax (wn, 0.02 * sqrt ((double) count)), 1e-5 * fabs (loss) / gn);

  NnRng rng;
  nn_rng_seed (&rng, count);
  for (int probe = 0; probe < 2; probe++)
    {
      double vn = 0.0, gv = 0.0;
      for (size_t i = 0; i < count; i++)
        {
          v[i] = probe == 0 ? grad[i] : nn_rng_normal (&rng);
          vn += (double) v[i] * v[i];
        }
      vn = sqrt (vn);
      for (size_t i = 0; i < count; i++)
        {
          v[i] = (float) (v[i] / vn);
          gv += (double) grad[i] * v[i];
        }
      for (size_t i = 0; i < count; i++)
        param[i] = keep[i] + (float) e * v[i];
      NnStepStats p = compute (c);
      for (size_t i = 0; i < count; i++)
        param[i] = keep[i] - (float) e * v[i];
      NnStepStats q = compute (c);
      memcpy (param, keep, count * sizeof (float));
      double fd = disc ? ((double) p.d_loss - q.d_loss) / (2.0 * e)
                       : ((double) p.g_loss - q.g_loss) / (2.0 * e);
      g_test_message ("%s along %s: analytic %.6g, finite difference %.6g", what,
                      probe == 0 ? "gradient" : "random", gv, fd);
      if (fabs (fd - gv) > 0.08 * gn)
        g_error ("%s along %s: analytic %.6g, finite difference %.6g (|g| %.6g)", what,
                 probe == 0 ? "gradient" : "random", gv, fd, gn);
    }
  g_free (keep);
  g_free (v);
}

static void
run_gradcheck (NnPix2PixConfig *cfg, int with_styles)
{
  StepCase c = { 0 };
  c.n = 2;
  c.m = create (cfg, 5);
  size_t img = (size_t) c.n * cfg->size * cfg->size;
  c.src = random_images (10, img);
  c.tgt = random_images (11, img);
  int style[2] = { 2, 1 };
  c.style = with_styles ? style : NULL;
  /* The style tables start at zero; away from it, so that each style's row matters. */
  NnRng r;
  nn_rng_seed (&r, 12);
  if (c.m->dstyle != NULL)
    for (size_t i = 0; i < nn_p2p_d_style_floats (&c.m->cfg, c.m->cfg.ndf); i++)
      c.m->dstyle[i] = 0.3f * nn_rng_normal (&r);
  for (int i = 1; i < c.m->levels; i++)
    if (c.m->gcnorm[i] != NULL)
      for (size_t k = 0; k < (size_t) cfg->n_styles * nn_p2p_g_cnorm_width (&c.m->up[i]); k++)
        c.m->gcnorm[i][k] = 0.3f * nn_rng_normal (&r);

  NnStepStats st = compute (&c);
  g_assert_true (isfinite (st.g_loss) && isfinite (st.d_loss));
  float *gp, *gg, *dp, *dg;
  size_t ng = nn_pix2pix_param_block (c.m, 0, &gp, &gg);
  size_t nd = nn_pix2pix_param_block (c.m, 1, &dp, &dg);
  /* Keep the analytic gradients: every finite-difference evaluation overwrites them. */
  float *g_grad = g_memdup2 (gg, ng * sizeof (float));
  float *d_grad = g_memdup2 (dg, nd * sizeof (float));
  /* A second evaluation gives the same gradients: nothing of the first one is left in a buffer
   * that is accumulated into (the arenas are only zero the first time). */
  compute (&c);
  g_assert_cmpmem (gg, ng * sizeof (float), g_grad, ng * sizeof (float));
  g_assert_cmpmem (dg, nd * sizeof (float), d_grad, nd * sizeof (float));
#define GRAD_OF(ptr, base, copy) ((copy) + ((ptr) - (base)))
  NnPix2Pix *m = c.m;
  int L = m->levels;
  NnUnit *u;

  u = &m->down[0];
  spot_check (&c, "G down0.w", u->w, GRAD_OF (u->w, gp, g_grad), 16 * u->geo.co, 0, st.g_loss);
  u = &m->down[2];
  spot_check (&c, "G down2.w", u->w, GRAD_OF (u->w, gp, g_grad), 16 * u->geo.co * u->geo.ci,
              0, st.g_loss);
  if (u->has_bn)
    spot_check (&c, "G down2.gamma", u->gamma, GRAD_OF (u->gamma, gp, g_grad), u->geo.co,
                0, st.g_loss);
  u = &m->down[L - 1];
  spot_check (&c, "G bottleneck.b", u->b, GRAD_OF (u->b, gp, g_grad), u->geo.co, 0, st.g_loss);
  u = &m->up[L - 1];
  spot_check (&c, "G up-inner.w", u->w, GRAD_OF (u->w, gp, g_grad), 16 * u->geo.co * u->geo.ci,
              0, st.g_loss);
  u = &m->up[1];
  if (u->has_bn)
    spot_check (&c, "G up1.beta", u->beta, GRAD_OF (u->beta, gp, g_grad), u->geo.co, 0, st.g_loss);
  u = &m->up[0];
  spot_check (&c, "G up0.w", u->w, GRAD_OF (u->w, gp, g_grad), 16 * u->geo.ci, 0, st.g_loss);
  spot_check (&c, "G up0.b", u->b, GRAD_OF (u->b, gp, g_grad), 1, 0, st.g_loss);
  /* (Under batch norm the embedding moves the loss too little for float32 finite differences — |g|
   * ~1e-3 against a loss of ~10 — so the instance-norm case checks it.) */
  if (m->embed != NULL && cfg->norm == NN_NORM_INSTANCE)
    spot_check (&c, "G embed", m->embed + 2 * cfg->embed_dim,
                GRAD_OF (m->embed, gp, g_grad) + 2 * cfg->embed_dim, cfg->embed_dim, 0, st.g_loss);
  /* The decoder's style tables: each style's scale offsets and shifts after the norm. */
  if (with_styles)
    for (int i = 1; i < L; i += L - 2)
      {
        int w = nn_p2p_g_cnorm_width (&m->up[i]);
        g_assert_nonnull (m->gcnorm[i]);
        for (int k = 0; k < w; k++)
          g_assert_cmpfloat (GRAD_OF (m->gcnorm[i], gp, g_grad)[k], ==, 0.0f);  /* style 0: unused */
        spot_check (&c, i == 1 ? "G up1.cnorm" : "G up-inner.cnorm", m->gcnorm[i] + w,
                    GRAD_OF (m->gcnorm[i], gp, g_grad) + w, 2 * w, 0, st.g_loss);
      }

  u = &m->disc[0];
  spot_check (&c, "D l0.w", u->w, GRAD_OF (u->w, dp, d_grad), 32 * u->geo.co, 1, st.d_loss);
  spot_check (&c, "D l0.b", u->b, GRAD_OF (u->b, dp, d_grad), u->geo.co, 1, st.d_loss);
  u = &m->disc[1];
  if (u->has_bn)
    spot_check (&c, "D l1.gamma", u->gamma, GRAD_OF (u->gamma, dp, d_grad), u->geo.co,
                1, st.d_loss);
  u = &m->disc[3];
  spot_check (&c, "D l3.w", u->w, GRAD_OF (u->w, dp, d_grad), 16 * u->geo.co * u->geo.ci,
              1, st.d_loss);
  u = &m->disc[4];
  spot_check (&c, "D l4.b", u->b, GRAD_OF (u->b, dp, d_grad), 1, 1, st.d_loss);
  if (with_styles)
    {
      /* Styles 1 and 2 are in the batch, style 0 is not: its row's gradient is zero. */
      g_assert_nonnull (m->dstyle);
      int ndf = m->cfg.ndf;
      for (int k = 0; k < ndf; k++)
        g_assert_cmpfloat (GRAD_OF (m->dstyle, dp, d_grad)[k], ==, 0.0f);
      spot_check (&c, "D style", m->dstyle + ndf, GRAD_OF (m->dstyle, dp, d_grad) + ndf, 2 * ndf, 1,
                  st.d_loss);
    }
#undef GRAD_OF

  g_free (g_grad);
  g_free (d_grad);
  g_free (c.src);
  g_free (c.tgt);
  nn_pix2pix_free (c.m);
}

static void
test_gradcheck_batchnorm (void)
{
  /* Batch norm, BCE, every optional loss on (const, TV); dropout off so that each evaluation is the
   * same function. */
  NnPix2PixConfig cfg = tiny_config (32, 4, 2);
  cfg.dropout = 0.0f;
  cfg.l1_weight = 1.0f;
  cfg.const_weight = 1.0f;
  cfg.tv_weight = 0.05f;
  run_gradcheck (&cfg, 0);
}

static void
test_gradcheck_batchnorm_styles (void)
{
  /* Batch norm with three styles: the decoder's style tables and the discriminator's style bias. */
  NnPix2PixConfig cfg = tiny_config (32, 4, 2);
  cfg.dropout = 0.0f;
  cfg.l1_weight = 1.0f;
  cfg.n_styles = 3;
  cfg.embed_dim = 4;
  run_gradcheck (&cfg, 1);
}

static void
test_gradcheck_instancenorm (void)
{
  /* Instance norm, LSGAN and three styles (the zi2zi embedding at the bottleneck). */
  NnPix2PixConfig cfg = tiny_config (32, 4, 2);
  cfg.dropout = 0.0f;
  cfg.norm = NN_NORM_INSTANCE;
  cfg.gan_loss = NN_GAN_LSGAN;
  cfg.l1_weight = 1.0f;
  cfg.n_styles = 3;
  cfg.embed_dim = 4;
  run_gradcheck (&cfg, 1);
}

/* Everything a step may change: both parameter blocks, optimiser states, running statistics. */
typedef struct {
  float   *blocks[5];
  size_t   sizes[5];
  uint64_t t_g, t_d;
} Snapshot;

static void
snapshot_take (Snapshot *s, NnPix2Pix *m)
{
  NnArena *a[5] = { &m->g_params, &m->d_params, &m->g_state, &m->d_state, &m->stats };
  for (int i = 0; i < 5; i++)
    {
      s->sizes[i] = a[i]->cap * sizeof (float);
      s->blocks[i] = g_memdup2 (a[i]->base, s->sizes[i]);
    }
  s->t_g = m->t_g;
  s->t_d = m->t_d;
}

static gboolean
snapshot_equal (const Snapshot *s, NnPix2Pix *m)
{
  NnArena *a[5] = { &m->g_params, &m->d_params, &m->g_state, &m->d_state, &m->stats };
  for (int i = 0; i < 5; i++)
    if (memcmp (s->blocks[i], a[i]->base, s->sizes[i]) != 0)
      return FALSE;
  return s->t_g == m->t_g && s->t_d == m->t_d;
}

static void
snapshot_clear (Snapshot *s)
{
  for (int i = 0; i < 5; i++)
    g_free (s->blocks[i]);
}

static void
test_nonfinite (void)
{
  NnPix2PixConfig cfg = tiny_config (32, 4, 2);
  NnPix2Pix *m = create (&cfg, 8);
  size_t img = 2 * 32 * 32;
  float *src = random_images (1, img), *tgt = random_images (2, img);
  NnRng rng;
  nn_rng_seed (&rng, 3);
  NnStepStats st;

  /* One good step first, so that the optimiser state is not all zeros. */
  g_assert_cmpint (nn_pix2pix_train_step (m, src, tgt, NULL, 2, 2e-4f, 2e-4f, &rng, &st), ==, NN_OK);

  Snapshot s;
  snapshot_take (&s, m);
  /* A NaN in the input. */
  src[100] = NAN;
  g_assert_cmpint (nn_pix2pix_train_step (m, src, tgt, NULL, 2, 2e-4f, 2e-4f, &rng, &st), ==,
                   NN_ERR_NONFINITE);
  g_assert_true (snapshot_equal (&s, m));
  src[100] = 0.5f;

  /* A NaN in a generator weight. */
  float keep = m->up[2].w[7];
  m->up[2].w[7] = NAN;
  snapshot_clear (&s);
  snapshot_take (&s, m);
  g_assert_cmpint (nn_pix2pix_train_step (m, src, tgt, NULL, 2, 2e-4f, 2e-4f, &rng, &st), ==,
                   NN_ERR_NONFINITE);
  g_assert_true (snapshot_equal (&s, m));
  m->up[2].w[7] = keep;

  /* A D update that explodes: the D phase is finite, the G phase is not, and D's update must be
   * rolled back. */
  snapshot_clear (&s);
  snapshot_take (&s, m);
  g_assert_cmpint (nn_pix2pix_train_step (m, src, tgt, NULL, 2, 2e-4f, 3e38f, &rng, &st), ==,
                   NN_ERR_NONFINITE);
  g_assert_true (isfinite (st.d_loss));
  g_assert_false (isfinite (st.g_loss) && isfinite (st.g_grad_norm));
  g_assert_true (snapshot_equal (&s, m));

  /* Bad arguments change nothing either. */
  g_assert_cmpint (nn_pix2pix_train_step (m, src, tgt, NULL, 3, 2e-4f, 2e-4f, &rng, &st), ==,
                   NN_ERR_INVALID);
  g_assert_cmpint (nn_pix2pix_train_step (m, src, tgt, NULL, 2, NAN, 2e-4f, &rng, &st), ==,
                   NN_ERR_INVALID);
  g_assert_true (snapshot_equal (&s, m));

  /* And training goes on. */
  g_assert_cmpint (nn_pix2pix_train_step (m, src, tgt, NULL, 2, 2e-4f, 2e-4f, &rng, &st), ==, NN_OK);
  g_assert_false (snapshot_equal (&s, m));
  snapshot_clear (&s);
  g_free (src);
  g_free (tgt);
  nn_pix2pix_free (m);
}

static void
run_steps (NnPix2Pix *m, const float *src, const float *tgt, int n, int steps, NnRng *rng)
{
  for (int i = 0; i < steps; i++)
    g_assert_cmpint (nn_pix2pix_train_step (m, src, tgt, NULL, n, 2e-4f, 2e-4f, rng, NULL), ==, NN_OK);
}

static void
test_determinism (void)
{
  NnPix2PixConfig cfg = tiny_config (32, 4, 3);
  size_t img = 3 * 32 * 32;
  float *src = random_images (1, img), *tgt = random_images (2, img);
  NnPix2Pix *a = create (&cfg, 42), *b = create (&cfg, 42), *c = create (&cfg, 43);
  NnRng ra, rb, rc;
  nn_rng_seed (&ra, 9);
  nn_rng_seed (&rb, 9);
  nn_rng_seed (&rc, 9);
  run_steps (a, src, tgt, 3, 2, &ra);
  run_steps (b, src, tgt, 3, 2, &rb);
  run_steps (c, src, tgt, 3, 2, &rc);
  Snapshot s;
  snapshot_take (&s, a);
  g_assert_true (snapshot_equal (&s, b));
  g_assert_false (snapshot_equal (&s, c));
  snapshot_clear (&s);
  nn_pix2pix_free (a);
  nn_pix2pix_free (b);
  nn_pix2pix_free (c);
  g_free (src);
  g_free (tgt);
}

/* The thread count changes who computes what; results agree to rounding (OpenBLAS sums the narrower
 * blocks of a split GEMM in another order), and each thread count is deterministic by itself. */
static double
max_param_difference (NnPix2Pix *a, NnPix2Pix *b)
{
  double worst = 0.0;
  for (int d = 0; d < 2; d++)
    {
      float *pa, *pb;
      size_t n = nn_pix2pix_param_block (a, d, &pa, NULL);
      g_assert_cmpuint (nn_pix2pix_param_block (b, d, &pb, NULL), ==, n);
      for (size_t i = 0; i < n; i++)
        worst = fmax (worst, fabs (pa[i] - pb[i]));
    }
  return worst;
}

static void
test_threads (void)
{
  NnPix2PixConfig cfg = tiny_config (32, 4, 3);
  size_t img = 3 * 32 * 32;
  float *src = random_images (1, img), *tgt = random_images (2, img);
  NnPix2Pix *m[3];
  for (int i = 0; i < 3; i++)
    {
      m[i] = create (&cfg, 42);
      g_assert_cmpint (nn_pix2pix_set_threads (m[i], i + 1), ==, NN_OK);
      g_assert_cmpint (nn_pix2pix_get_threads (m[i]), ==, i + 1);
      NnRng rng;
      nn_rng_seed (&rng, 9);
      run_steps (m[i], src, tgt, 3, 2, &rng);
    }
  /* Two Adam steps of lr 2e-4 move a weight by up to 4e-4: the threads agree far below that. */
  g_test_message ("largest parameter difference, 1 vs 2 threads: %.3g, 1 vs 3: %.3g",
                  max_param_difference (m[0], m[1]), max_param_difference (m[0], m[2]));
  g_assert_cmpfloat (max_param_difference (m[0], m[1]), <, 2e-5);
  g_assert_cmpfloat (max_param_difference (m[0], m[2]), <, 2e-5);
  float *a = g_new (float, img), *b = g_new (float, img);
  g_assert_cmpint (nn_pix2pix_generate (m[0], src, NULL, 3, a), ==, NN_OK);
  g_assert_cmpint (nn_pix2pix_generate (m[2], src, NULL, 3, b), ==, NN_OK);
  for (size_t i = 0; i < img; i++)
    g_assert_cmpfloat_with_epsilon (a[i], b[i], 1e-4);
  for (int i = 0; i < 3; i++)
    nn_pix2pix_free (m[i]);
  g_free (a);
  g_free (b);
  g_free (src);
  g_free (tgt);
}

static void
test_checkpoint (void)
{
  NnPix2PixConfig cfg = tiny_config (32, 4, 2);
  size_t img = 2 * 32 * 32;
  float *src = random_images (1, img), *tgt = random_images (2, img);
  NnPix2Pix *m = create (&cfg, 4);
  NnRng rng;
  nn_rng_seed (&rng, 77);
  run_steps (m, src, tgt, 2, 2, &rng);

  uint8_t *buf = NULL;
  size_t len = 0;
  g_assert_cmpint (nn_pix2pix_save (m, &rng, 1234, "{\"run\": \"x\"}", 0, 0, &buf, &len), ==, NN_OK);
  NnPix2Pix *l = NULL;
  NnRng lrng;
  uint64_t step = 0;
  char *meta = NULL;
  g_assert_cmpint (nn_pix2pix_load (&l, buf, len, &cfg, 0, &lrng, &step, &meta), ==, NN_OK);
  Snapshot s;
  snapshot_take (&s, m);
  g_assert_true (snapshot_equal (&s, l));
  snapshot_clear (&s);
  g_assert_cmpmem (&lrng, sizeof lrng, &rng, sizeof rng);
  g_assert_cmpuint (step, ==, 1234);
  g_assert_cmpstr (meta, ==, "{\"run\": \"x\"}");
  free (meta);
  g_assert_cmpint (l->cfg.size, ==, 32);
  g_assert_cmpint (l->cfg.batch, ==, 2);

  /* Training continues bit-identically. */
  run_steps (m, src, tgt, 2, 1, &rng);
  run_steps (l, src, tgt, 2, 1, &lrng);
  snapshot_take (&s, m);
  g_assert_true (snapshot_equal (&s, l));
  snapshot_clear (&s);
  nn_pix2pix_free (l);

  /* Another architecture is refused; a flipped byte is caught. */
  NnPix2PixConfig other = cfg;
  other.ngf = 8;
  g_assert_cmpint (nn_pix2pix_load (&l, buf, len, &other, 0, NULL, NULL, NULL), ==, NN_ERR_SHAPE);
  buf[len - 5] ^= 0x40;
  g_assert_cmpint (nn_pix2pix_load (&l, buf, len, NULL, 0, NULL, NULL, NULL), ==, NN_ERR_CHECKSUM);
  free (buf);

  /* A well-formed container whose architecture asks for far more weights than it holds is refused
   * before anything is allocated for it. */
  static const char forged[] = "zimaru-pix2pix 1\nsize=512\nngf=1024\nndf=0\nnorm=0\nn_styles=1\n"
                               "embed_dim=0\ndropout=0.5\ngan_loss=0\nl1_weight=100\n"
                               "const_weight=0\ntv_weight=0\nclip_norm=0\nbatch=4096\n";
  NnCkptWriter *w = nn_ckpt_writer_new ();
  g_assert_cmpint (nn_ckpt_put_blob (w, "arch", forged, strlen (forged)), ==, NN_OK);
  uint8_t *fbuf;
  size_t flen;
  g_assert_cmpint (nn_ckpt_finish (w, &fbuf, &flen), ==, NN_OK);
  g_assert_cmpint (nn_pix2pix_load (&l, fbuf, flen, NULL, 0, NULL, NULL, NULL), ==, NN_ERR_CORRUPT);
  free (fbuf);

  /* A generator-only float16 release checkpoint loads for inference, with a new batch size. */
  g_assert_cmpint (nn_pix2pix_save (m, NULL, 5, NULL, 1, 1, &buf, &len), ==, NN_OK);
  g_assert_cmpint (nn_pix2pix_load (&l, buf, len, NULL, 1, NULL, &step, NULL), ==, NN_OK);
  g_assert_cmpuint (step, ==, 5);
  g_assert_cmpint (l->has_d, ==, 0);
  g_assert_cmpint (nn_pix2pix_train_step (l, src, tgt, NULL, 1, 2e-4f, 2e-4f, &rng, NULL), ==,
                   NN_ERR_INVALID);
  float *a = g_new (float, img), *b = g_new (float, img);
  g_assert_cmpint (nn_pix2pix_generate (m, src, NULL, 1, a), ==, NN_OK);
  g_assert_cmpint (nn_pix2pix_generate (l, src, NULL, 1, b), ==, NN_OK);
  double worst = 0.0;
  for (size_t i = 0; i < img / 2; i++)
    worst = fmax (worst, fabs (a[i] - b[i]));
  g_test_message ("float16 release checkpoint: largest output difference %.2g", worst);
  g_assert_cmpfloat (worst, <, 2e-2);
  g_assert_cmpfloat (worst, >, 0.0);
  nn_pix2pix_free (l);
  free (buf);
  g_free (a);
  g_free (b);
  g_free (src);
  g_free (tgt);
  nn_pix2pix_free (m);
}

/* A tiny task: the target is the source's box outline filled in. */
static void
make_pairs (float *src, float *tgt, int n, int size, uint64_t seed)
{
  NnRng rng;
  nn_rng_seed (&rng, seed);
  for (int b = 0; b < n; b++)
    {
      int x0 = 3 + (int) nn_rng_below (&rng, 12), y0 = 3 + (int) nn_rng_below (&rng, 12);
      int w = 6 + (int) nn_rng_below (&rng, 10), h = 6 + (int) nn_rng_below (&rng, 10);
      for (int y = 0; y < size; y++)
        for (int x = 0; x < size; x++)
          {
            int inside = x >= x0 && x < x0 + w && y >= y0 && y < y0 + h;
            int edge = inside && (x == x0 || y == y0 || x == x0 + w - 1 || y == y0 + h - 1);
            src[(b * size + y) * size + x] = edge ? 1.0f : -1.0f;
            tgt[(b * size + y) * size + x] = inside ? 1.0f : -1.0f;
          }
    }
}

static double
eval_l1 (NnPix2Pix *m, const float *src, const float *tgt, float *out, size_t img)
{
  g_assert_cmpint (nn_pix2pix_generate (m, src, NULL, 8, out), ==, NN_OK);
  double acc = 0.0;
  for (size_t i = 0; i < img; i++)
    acc += fabs (out[i] - tgt[i]);
  return acc / img;
}

/* Zero style tables in the decoder (as they start) scale by 1 and shift by 0: the step is the one
 * a model without them takes, bit for bit, through dropout too (the tables' pass takes the mask in
 * the backward pass instead of the norm). Every other gradient of G and D is the same. */
static size_t
weight_bytes (const NnUnit *u)
{
  return (size_t) u->geo.co * u->geo.ci * u->geo.k * u->geo.k * sizeof (float);
}

static void
test_cnorm_zero_is_plain (void)
{
  NnPix2PixConfig cfg = tiny_config (32, 4, 4);
  cfg.n_styles = 3;
  cfg.embed_dim = 4;
  cfg.d_style = 0;
  g_assert_cmpfloat (cfg.dropout, >, 0.0f);
  NnPix2PixConfig plain_cfg = cfg;
  plain_cfg.g_cnorm = 0;
  size_t img = 4 * 32 * 32;
  float *src = random_images (3, img), *tgt = random_images (4, img);
  int style[4] = { 0, 2, 1, 2 };
  NnPix2Pix *m = create (&cfg, 7), *plain = create (&plain_cfg, 7);
  NnStepStats a, b;
  NnRng rng;
  nn_rng_seed (&rng, 8);
  g_assert_cmpint (nn_pix2pix_compute (m, src, tgt, style, 4, &rng, &a), ==, NN_OK);
  nn_rng_seed (&rng, 8);
  g_assert_cmpint (nn_pix2pix_compute (plain, src, tgt, style, 4, &rng, &b), ==, NN_OK);
  g_assert_cmpfloat (a.g_loss, ==, b.g_loss);
  g_assert_cmpfloat (a.d_loss, ==, b.d_loss);
  for (int i = 0; i < m->levels; i++)
    {
      g_assert_cmpmem (m->up[i].dw, weight_bytes (&m->up[i]), plain->up[i].dw,
                       weight_bytes (&plain->up[i]));
      g_assert_cmpmem (m->down[i].dw, weight_bytes (&m->down[i]), plain->down[i].dw,
                       weight_bytes (&plain->down[i]));
      if (m->up[i].has_bn)
        g_assert_cmpmem (m->up[i].dgamma, m->up[i].geo.co * sizeof (float), plain->up[i].dgamma,
                         plain->up[i].geo.co * sizeof (float));
    }
  g_assert_cmpmem (m->dembed, 3 * 4 * sizeof (float), plain->dembed, 3 * 4 * sizeof (float));
  /* The tables did get a gradient, for the styles in the batch. */
  double sum = 0.0;
  for (int k = 0; k < 3 * nn_p2p_g_cnorm_width (&m->up[1]); k++)
    sum += fabs (m->dgcnorm[1][k]);
  g_assert_cmpfloat (sum, >, 0.0);
  nn_pix2pix_free (m);
  nn_pix2pix_free (plain);
  g_free (src);
  g_free (tgt);
}

/* With several styles the discriminator is told each image's style (a bias per style and channel on
 * its first layer) and each normalised decoder block scales and shifts its output per style and
 * channel: they learn a row per style in the batch, the discriminator's verdict on the same real pair
 * changes with the style it is told, the tables survive a training checkpoint bit for bit, and a model without them (d_style
 * and g_cnorm 0, as every file before them) is another architecture whose verdict ignores the style. */
static void
test_style_biases (void)
{
  NnPix2PixConfig cfg = tiny_config (32, 4, 4);
  cfg.n_styles = 3;
  cfg.embed_dim = 4;
  cfg.dropout = 0.0f;
  NnPix2PixConfig plain_cfg = cfg;
  plain_cfg.d_style = 0;
  plain_cfg.g_cnorm = 0;
  size_t img = 4 * 32 * 32;
  float *src = random_images (1, img), *tgt = random_images (2, img);
  int mixed[4] = { 0, 2, 0, 2 }, all0[4] = { 0, 0, 0, 0 }, all2[4] = { 2, 2, 2, 2 };
  NnPix2Pix *m = create (&cfg, 4), *plain = create (&plain_cfg, 4);
  size_t ns = nn_p2p_d_style_floats (&m->cfg, m->cfg.ndf);
  g_assert_cmpuint (ns, ==, 3 * 4);
  g_assert_nonnull (m->dstyle);
  g_assert_null (plain->dstyle);
  g_assert_cmpuint (nn_p2p_discriminator_params (&cfg), ==, nn_p2p_discriminator_params (&plain_cfg) + ns);

  NnRng rng;
  nn_rng_seed (&rng, 5);
  for (int i = 0; i < 3; i++)
    g_assert_cmpint (nn_pix2pix_train_step (m, src, tgt, mixed, 4, 1e-2f, 1e-2f, &rng, NULL), ==, NN_OK);
  /* Rows 0 and 2 learned, row 1 (no image of style 1) did not. */
  int ndf = m->cfg.ndf;
  double row[3] = { 0 };
  for (int r = 0; r < 3; r++)
    for (int k = 0; k < ndf; k++)
      row[r] += fabs (m->dstyle[r * ndf + k]);
  g_assert_cmpfloat (row[0], >, 0.0);
  g_assert_cmpfloat (row[2], >, 0.0);
  g_assert_cmpfloat (row[1], ==, 0.0);
  for (int i = 1; i < m->levels; i++)
    {
      int w = nn_p2p_g_cnorm_width (&m->up[i]);
      g_assert_nonnull (m->gcnorm[i]);
      g_assert_null (plain->gcnorm[i]);
      memset (row, 0, sizeof row);
      for (int r = 0; r < 3; r++)
        for (int k = 0; k < w; k++)
          row[r] += fabs (m->gcnorm[i][r * w + k]);
      g_assert_cmpfloat (row[0], >, 0.0);
      g_assert_cmpfloat (row[2], >, 0.0);
      g_assert_cmpfloat (row[1], ==, 0.0);
    }
  g_assert_null (m->gcnorm[0]);
  g_assert_cmpuint (nn_p2p_generator_params (&cfg), >, nn_p2p_generator_params (&plain_cfg));

  /* The same real pairs, told style 0 or style 2: a different verdict. */
  NnStepStats s0, s2;
  nn_rng_seed (&rng, 6);
  g_assert_cmpint (nn_pix2pix_compute (m, src, tgt, all0, 4, &rng, &s0), ==, NN_OK);
  nn_rng_seed (&rng, 6);
  g_assert_cmpint (nn_pix2pix_compute (m, src, tgt, all2, 4, &rng, &s2), ==, NN_OK);
  g_assert_cmpfloat (fabs (s0.d_real - s2.d_real), >, 1e-6);
  /* Without the bias the real pairs' verdict cannot depend on the style. */
  nn_rng_seed (&rng, 5);
  for (int i = 0; i < 3; i++)
    g_assert_cmpint (nn_pix2pix_train_step (plain, src, tgt, mixed, 4, 1e-2f, 1e-2f, &rng, NULL), ==, NN_OK);
  nn_rng_seed (&rng, 6);
  g_assert_cmpint (nn_pix2pix_compute (plain, src, tgt, all0, 4, &rng, &s0), ==, NN_OK);
  nn_rng_seed (&rng, 6);
  g_assert_cmpint (nn_pix2pix_compute (plain, src, tgt, all2, 4, &rng, &s2), ==, NN_OK);
  g_assert_cmpfloat (s0.d_real, ==, s2.d_real);

  /* A training checkpoint keeps the table and says so in its architecture. */
  uint8_t *buf = NULL;
  size_t len = 0;
  NnPix2Pix *l = NULL;
  g_assert_cmpint (nn_pix2pix_save (m, &rng, 3, "{}", 0, 0, &buf, &len), ==, NN_OK);
  g_assert_nonnull (memmem (buf, len, "d_style=1", 9));
  g_assert_nonnull (memmem (buf, len, "g_cnorm=1", 9));
  g_assert_cmpint (nn_pix2pix_load (&l, buf, len, &cfg, 0, NULL, NULL, NULL), ==, NN_OK);
  g_assert_cmpint (l->cfg.d_style, ==, 1);
  g_assert_cmpint (l->cfg.g_cnorm, ==, 1);
  g_assert_cmpmem (l->dstyle, ns * sizeof (float), m->dstyle, ns * sizeof (float));
  Snapshot snap;
  snapshot_take (&snap, m);
  g_assert_true (snapshot_equal (&snap, l));
  snapshot_clear (&snap);
  nn_pix2pix_free (l);
  l = NULL;
  g_assert_cmpint (nn_pix2pix_load (&l, buf, len, &plain_cfg, 0, NULL, NULL, NULL), ==, NN_ERR_SHAPE);
  free (buf);

  g_assert_cmpint (nn_pix2pix_save (plain, &rng, 3, "{}", 0, 0, &buf, &len), ==, NN_OK);
  g_assert_null (memmem (buf, len, "d_style", 7));
  g_assert_null (memmem (buf, len, "g_cnorm", 7));
  g_assert_cmpint (nn_pix2pix_load (&l, buf, len, &cfg, 0, NULL, NULL, NULL), ==, NN_ERR_SHAPE);
  g_assert_cmpint (nn_pix2pix_load (&l, buf, len, NULL, 0, NULL, NULL, NULL), ==, NN_OK);
  g_assert_cmpint (l->cfg.d_style, ==, 0);
  g_assert_cmpint (l->cfg.g_cnorm, ==, 0);
  g_assert_null (l->dstyle);
  g_assert_null (l->gcnorm[1]);
  nn_pix2pix_free (l);
  free (buf);

  /* One style: no tables, whatever d_style and g_cnorm say. */
  NnPix2PixConfig one = tiny_config (32, 4, 4);
  g_assert_cmpint (one.d_style, ==, 1);
  g_assert_cmpint (one.g_cnorm, ==, 1);
  NnPix2Pix *single = create (&one, 4);
  g_assert_null (single->dstyle);
  g_assert_null (single->gcnorm[1]);
  nn_pix2pix_free (single);

  nn_pix2pix_free (m);
  nn_pix2pix_free (plain);
  g_free (src);
  g_free (tgt);
}

static void
test_learns (void)
{
  NnPix2PixConfig cfg = tiny_config (32, 8, 8);
  NnPix2Pix *m = create (&cfg, 21);
  size_t img = 8 * 32 * 32;
  float *src = g_new (float, img), *tgt = g_new (float, img), *out = g_new (float, img);
  make_pairs (src, tgt, 8, 32, 5);
  NnRng rng;
  nn_rng_seed (&rng, 6);
  double before = eval_l1 (m, src, tgt, out, img);
  for (int i = 0; i < 80; i++)
    g_assert_cmpint (nn_pix2pix_train_step (m, src, tgt, NULL, 8, 2e-3f, 2e-4f, &rng, NULL), ==,
                     NN_OK);
  double after = eval_l1 (m, src, tgt, out, img);
  g_test_message ("L1 on the training pairs: %.4f -> %.4f", before, after);
  g_assert_cmpfloat (after, <, 0.5 * before);
  g_free (src);
  g_free (tgt);
  g_free (out);
  nn_pix2pix_free (m);
}

/* What create allocated for m: the struct, its default style per batch item and every arena's block. */
static size_t
allocated_bytes (NnPix2Pix *m, int batch)
{
  NnArena *a[] = { &m->g_params, &m->g_grads, &m->g_state, &m->d_params, &m->d_grads,
                   &m->d_state, &m->stats, &m->g_act, &m->g_dact, &m->d_act, &m->d_dact,
                   &m->scratch, &m->backup, &m->gemm_work };
  size_t total = sizeof *m + (size_t) batch * sizeof (int);
  for (guint i = 0; i < G_N_ELEMENTS (a); i++)
    total += a[i]->cap * sizeof (float);
  return total;
}

static void
test_memory_and_flops (void)
{
  NnPix2PixConfig cfg = tiny_config (64, 8, 4);
  NnPix2Pix *m = create (&cfg, 1);
  /* memory_bytes predicts exactly what create allocated. */
  g_assert_cmpuint (nn_pix2pix_memory_bytes (&cfg), ==, allocated_bytes (m, cfg.batch));

  /* Also for instance norm, whose model has no running statistics yet a block for them. */
  NnPix2PixConfig icfg = cfg;
  icfg.norm = NN_NORM_INSTANCE;
  NnPix2Pix *im = create (&icfg, 1);
  g_assert_cmpuint (im->stats.used, ==, 0);
  g_assert_cmpuint (im->stats.cap, >, 0);
  g_assert_cmpuint (nn_pix2pix_memory_bytes (&icfg), ==, allocated_bytes (im, icfg.batch));
  nn_pix2pix_free (im);

  /* The FLOP count: G forward + backward ≈ 3 G forwards, less the first conv's input gradient;
   * D forward 3 times, backward with weights twice, input-only once. */
  double g = 0, d = 0;
  for (int i = 0; i < m->levels; i++)
    g += nn_conv2d_macs (&m->down[i].geo, 4) + nn_conv2d_macs (&m->up[i].geo, 4);
  for (int l = 0; l < NN_P2P_D_LAYERS; l++)
    d += nn_conv2d_macs (&m->disc[l].geo, 4);
  double f = nn_pix2pix_flops_per_step (&cfg, 4);
  g_assert_cmpfloat (f, <, 2 * (3 * g + 8 * d));
  g_assert_cmpfloat (f, >, 2 * (3 * g + 8 * d) * 0.9);
  g_assert_cmpfloat_with_epsilon (nn_pix2pix_flops_per_step (&cfg, 8), 2 * f, 1e-6 * f);
  nn_pix2pix_free (m);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/nn/pix2pix/shapes", test_shapes);
  g_test_add_func ("/nn/pix2pix/gradcheck-batchnorm", test_gradcheck_batchnorm);
  g_test_add_func ("/nn/pix2pix/gradcheck-batchnorm-styles", test_gradcheck_batchnorm_styles);
  g_test_add_func ("/nn/pix2pix/gradcheck-instancenorm", test_gradcheck_instancenorm);
  g_test_add_func ("/nn/pix2pix/nonfinite", test_nonfinite);
  g_test_add_func ("/nn/pix2pix/determinism", test_determinism);
  g_test_add_func ("/nn/pix2pix/threads", test_threads);
  g_test_add_func ("/nn/pix2pix/checkpoint", test_checkpoint);
  g_test_add_func ("/nn/pix2pix/style-biases", test_style_biases);
  g_test_add_func ("/nn/pix2pix/cnorm-zero-is-plain", test_cnorm_zero_is_plain);
  g_test_add_func ("/nn/pix2pix/learns", test_learns);
  g_test_add_func ("/nn/pix2pix/memory-flops", test_memory_and_flops);
  return g_test_run ();
}
