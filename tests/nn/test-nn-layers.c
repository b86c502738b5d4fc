/* test-nn-layers.c — the engine's element-wise layers, linear, concat and embedding layers and losses:
 * finite-difference gradient checks (grad-check.h) w.r.t. inputs and parameters at several shapes,
 * dropout determinism, the losses' values, and a tiny conv autoencoder that must learn. The
 * convolutions are test-nn-layers-conv.c's, the normalisation layers test-nn-layers-norm.c's. */
#include <glib.h>
#include <math.h>
#include <string.h>

#include "grad-check.h"
#include "nn-act.h"
#include "nn-conv.h"
#include "nn-init.h"
#include "nn-loss.h"
#include "nn-misc.h"
#include "nn-optim.h"
#include "nn-rng.h"

/* ---- element-wise layers ---- */

typedef struct {
  int    kind;
  size_t n;
  float *x, *y, *r, *mask;
  uint64_t seed;
} ActCase;

enum { ACT_LRELU, ACT_RELU, ACT_TANH, ACT_SIGMOID, ACT_DROPOUT };

static double
act_loss (gpointer p)
{
  ActCase *c = p;
  NnRng rng;
  switch (c->kind)
    {
    case ACT_LRELU: nn_leaky_relu_forward (c->y, c->x, 0.2f, c->n); break;
    case ACT_RELU: nn_relu_forward (c->y, c->x, c->n); break;
    case ACT_TANH: nn_tanh_forward (c->y, c->x, c->n); break;
    case ACT_SIGMOID: nn_sigmoid_forward (c->y, c->x, c->n); break;
    default:
      /* The same seed every time: the same mask. */
      nn_rng_seed (&rng, c->seed);
      nn_dropout_forward (c->y, c->mask, c->x, 0.5f, c->n, &rng);
      break;
    }
  return dot (c->y, c->r, c->n);
}

static void
test_activations_grad (void)
{
  static const char *const names[] = { "leaky_relu", "relu", "tanh", "sigmoid", "dropout" };
  for (int kind = ACT_LRELU; kind <= ACT_DROPOUT; kind++)
    {
      NnRng rng;
      nn_rng_seed (&rng, 100 + kind);
      ActCase c = { kind, 3 * 5 * 7, NULL, NULL, NULL, NULL, 42 };
      c.x = rand_away_from_zero (&rng, c.n);
      c.y = g_new (float, c.n);
      c.r = rand_buf (&rng, c.n, 1.0f);
      c.mask = g_new (float, c.n);
      float *dx = g_new0 (float, c.n);
      act_loss (&c);
      switch (kind)
        {
        case ACT_LRELU: nn_leaky_relu_backward (dx, c.r, c.y, 0.2f, c.n); break;
        case ACT_RELU: nn_relu_backward (dx, c.r, c.y, c.n); break;
        case ACT_TANH: nn_tanh_backward (dx, c.r, c.y, c.n); break;
        case ACT_SIGMOID: nn_sigmoid_backward (dx, c.r, c.y, c.n); break;
        default: nn_dropout_backward (dx, c.r, c.mask, c.n); break;
        }
      check_grad (names[kind], act_loss, &c, c.x, dx, c.n, 1e-3f, 1e-3, 1e-2);

      /* The in-place gradient forms agree with the adding ones. */
      if (kind == ACT_LRELU || kind == ACT_RELU)
        {
          float *d = g_memdup2 (c.r, c.n * sizeof (float));
          if (kind == ACT_LRELU)
            nn_leaky_relu_grad_inplace (d, c.y, 0.2f, c.n);
          else
            nn_relu_grad_inplace (d, c.y, c.n);
          for (size_t i = 0; i < c.n; i++)
            g_assert_cmpfloat (d[i], ==, dx[i]);
          g_free (d);
        }
      g_free (c.x); g_free (c.y); g_free (c.r); g_free (c.mask); g_free (dx);
    }
}

static void
test_dropout_determinism (void)
{
  size_t n = 20000;
  float *x = g_new (float, n), *y1 = g_new (float, n), *y2 = g_new (float, n);
  float *m1 = g_new (float, n), *m2 = g_new (float, n);
  for (size_t i = 0; i < n; i++)
    x[i] = 1.0f;
  NnRng a, b;
  nn_rng_seed (&a, 5);
  nn_rng_seed (&b, 5);
  nn_dropout_forward (y1, m1, x, 0.3f, n, &a);
  nn_dropout_forward (y2, m2, x, 0.3f, n, &b);
  g_assert_cmpmem (y1, n * sizeof (float), y2, n * sizeof (float));
  /* A different seed gives a different mask; the kept fraction is about 1 - p, scaled 1/(1-p). */
  nn_rng_seed (&b, 6);
  nn_dropout_forward (y2, m2, x, 0.3f, n, &b);
  g_assert_true (memcmp (y1, y2, n * sizeof (float)) != 0);
  size_t kept = 0;
  for (size_t i = 0; i < n; i++)
    {
      g_assert_true (y1[i] == 0.0f || fabsf (y1[i] - 1.0f / 0.7f) < 1e-6f);
      kept += y1[i] != 0.0f;
    }
  g_assert_cmpfloat (fabs ((double) kept / n - 0.7), <, 0.02);
  g_free (x); g_free (y1); g_free (y2); g_free (m1); g_free (m2);
}

/* ---- concat, embedding, linear ---- */

typedef struct {
  int    in, out, n;
  float *x, *w, *b, *y, *r;
} LinCase;

static double
linear_loss (gpointer p)
{
  LinCase *c = p;
  nn_linear_forward (c->y, c->x, c->w, c->b, c->in, c->out, c->n);
  return dot (c->y, c->r, (size_t) c->out * c->n);
}

static void
test_linear_grad (void)
{
  static const int shapes[][3] = { { 5, 3, 1 }, { 4, 6, 3 } };
  for (int s = 0; s < 2; s++)
    {
      NnRng rng;
      nn_rng_seed (&rng, 300 + s);
      LinCase c = { shapes[s][0], shapes[s][1], shapes[s][2] };
      size_t nx = (size_t) c.in * c.n, nw = (size_t) c.in * c.out, ny = (size_t) c.out * c.n;
      c.x = rand_buf (&rng, nx, 1.0f);
      c.w = rand_buf (&rng, nw, 1.0f);
      c.b = rand_buf (&rng, (size_t) c.out, 1.0f);
      c.y = g_new (float, ny);
      c.r = rand_buf (&rng, ny, 1.0f);
      float *dx = g_new0 (float, nx), *dw = g_new0 (float, nw), *db = g_new0 (float, c.out);
      linear_loss (&c);
      /* Against the definition y[o, j] = Σ_i w[o, i]·x[i, j] + b[o]. */
      for (int o = 0; o < c.out; o++)
        for (int j = 0; j < c.n; j++)
          {
            double acc = c.b[o];
            for (int i = 0; i < c.in; i++)
              acc += (double) c.w[o * c.in + i] * c.x[i * c.n + j];
            g_assert_cmpfloat_with_epsilon (c.y[o * c.n + j], acc, 1e-5);
          }
      nn_linear_backward (dx, dw, db, c.r, c.x, c.w, c.in, c.out, c.n);
      check_grad ("linear x", linear_loss, &c, c.x, dx, nx, 1e-2f, 1e-3, 1e-3);
      check_grad ("linear w", linear_loss, &c, c.w, dw, nw, 1e-2f, 1e-3, 1e-3);
      check_grad ("linear b", linear_loss, &c, c.b, db, (size_t) c.out, 1e-2f, 1e-3, 1e-3);
      g_free (c.x); g_free (c.w); g_free (c.b); g_free (c.y); g_free (c.r);
      g_free (dx); g_free (dw); g_free (db);
    }
}

typedef struct {
  float *a, *b, *y, *r, *table;
  int    ca, cb, d, s, n;
  size_t m, hw;
  int   *index;
} MiscCase;

static double
concat_loss (gpointer p)
{
  MiscCase *c = p;
  nn_concat_forward (c->y, c->a, c->b, c->ca, c->cb, c->m);
  return dot (c->y, c->r, (size_t) (c->ca + c->cb) * c->m);
}

static double
embedding_loss (gpointer p)
{
  MiscCase *c = p;
  nn_embedding_forward (c->y, c->table, c->index, c->d, c->n, c->hw);
  return dot (c->y, c->r, (size_t) c->d * c->n * c->hw);
}

static void
test_concat_embedding_grad (void)
{
  NnRng rng;
  nn_rng_seed (&rng, 400);
  MiscCase c = { 0 };
  c.ca = 2;
  c.cb = 3;
  c.m = 3 * 5;
  c.a = rand_buf (&rng, c.ca * c.m, 1.0f);
  c.b = rand_buf (&rng, c.cb * c.m, 1.0f);
  c.y = g_new (float, (c.ca + c.cb) * c.m);
  c.r = rand_buf (&rng, (c.ca + c.cb) * c.m, 1.0f);
  float *da = g_new0 (float, c.ca * c.m), *db = g_new0 (float, c.cb * c.m);
  concat_loss (&c);
  g_assert_cmpfloat (c.y[c.ca * c.m], ==, c.b[0]);
  nn_concat_backward (da, db, c.r, c.ca, c.cb, c.m);
  check_grad ("concat a", concat_loss, &c, c.a, da, c.ca * c.m, 1e-2f, 1e-4, 1e-4);
  check_grad ("concat b", concat_loss, &c, c.b, db, c.cb * c.m, 1e-2f, 1e-4, 1e-4);
  g_free (c.a); g_free (c.b); g_free (c.y); g_free (c.r); g_free (da); g_free (db);

  /* Embedding: 4 styles of width 3, a batch of 3 that uses style 2 twice, broadcast over 2×2. */
  int index[3] = { 2, 0, 2 };
  c.d = 3;
  c.s = 4;
  c.n = 3;
  c.hw = 4;
  c.index = index;
  c.table = rand_buf (&rng, (size_t) c.s * c.d, 1.0f);
  c.y = g_new (float, (size_t) c.d * c.n * c.hw);
  c.r = rand_buf (&rng, (size_t) c.d * c.n * c.hw, 1.0f);
  float *dt = g_new0 (float, (size_t) c.s * c.d);
  embedding_loss (&c);
  g_assert_cmpfloat (c.y[(1 * c.n + 2) * c.hw + 3], ==, c.table[2 * c.d + 1]);
  nn_embedding_backward (dt, c.r, index, c.d, c.n, c.hw);
  check_grad ("embedding", embedding_loss, &c, c.table, dt, (size_t) c.s * c.d, 1e-2f, 1e-4, 1e-4);
  for (int k = 0; k < c.d; k++)
    g_assert_cmpfloat (dt[1 * c.d + k], ==, 0.0f);  /* style 1 is unused */
  /* As a bias: y + the broadcast embedding, every element. */
  size_t ny = (size_t) c.d * c.n * c.hw;
  float *bias = g_new (float, ny);
  nn_embedding_forward (bias, c.table, index, c.d, c.n, c.hw);
  memcpy (c.y, c.r, ny * sizeof (float));
  nn_embedding_add (c.y, c.table, index, c.d, c.n, c.hw);
  for (size_t i = 0; i < ny; i++)
    g_assert_cmpfloat (c.y[i], ==, c.r[i] + bias[i]);
  g_free (bias);
  g_free (c.table); g_free (c.y); g_free (c.r); g_free (dt);
}

/* ---- losses ---- */

typedef struct {
  int    kind;
  size_t n;
  float *x, *t, scale;
  int    h, w;
} LossCase;

enum { L_BCE, L_BCE_LABEL, L_LSGAN, L_HINGE_REAL, L_HINGE_FAKE, L_HINGE_G, L_L1, L_MSE_A, L_MSE_B,
       L_TV, L_COUNT };

static float
loss_eval (LossCase *c, float *dx, float *dt)
{
  switch (c->kind)
    {
    case L_BCE: return nn_loss_bce_logits (dx, c->x, c->t, 0.0f, c->n, c->scale);
    case L_BCE_LABEL: return nn_loss_bce_logits (dx, c->x, NULL, 1.0f, c->n, c->scale);
    case L_LSGAN: return nn_loss_lsgan (dx, c->x, 1.0f, c->n, c->scale);
    case L_HINGE_REAL: return nn_loss_hinge_d (dx, c->x, 1, c->n, c->scale);
    case L_HINGE_FAKE: return nn_loss_hinge_d (dx, c->x, 0, c->n, c->scale);
    case L_HINGE_G: return nn_loss_hinge_g (dx, c->x, c->n, c->scale);
    case L_L1: return nn_loss_l1 (dx, c->x, c->t, c->n, c->scale);
    case L_MSE_A: return nn_loss_mse (dx, dt, c->x, c->t, c->n, c->scale);
    case L_MSE_B: return nn_loss_mse (dt, dx, c->t, c->x, c->n, c->scale);
    default: return nn_loss_tv (dx, c->x, c->n / ((size_t) c->h * c->w), c->h, c->w, c->scale);
    }
}

static double
loss_fn (gpointer p)
{
  LossCase *c = p;
  return c->scale * (double) loss_eval (c, NULL, NULL);
}

static void
test_losses_grad (void)
{
  static const char *const names[] = { "bce", "bce label", "lsgan", "hinge real", "hinge fake",
                                       "hinge g", "l1", "mse a", "mse b", "tv" };
  for (int kind = 0; kind < L_COUNT; kind++)
    {
      NnRng rng;
      nn_rng_seed (&rng, 500 + kind);
      LossCase c = { kind, 2 * 5 * 6, NULL, NULL, 0.7f, 5, 6 };
      c.x = g_new (float, c.n);
      c.t = g_new (float, c.n);
      for (size_t i = 0; i < c.n; i++)
        {
          /* Kinks (hinge at ±1, L1 at x = t, TV at equal neighbours) stay ≥ 0.05 away. */
          int yy = (int) (i / c.w) % c.h, xx = (int) (i % c.w);
          c.t[i] = 2.0f * nn_rng_uniform (&rng) - 1.0f;
          float off = (0.1f + nn_rng_uniform (&rng)) * (nn_rng_uniform (&rng) < 0.5f ? -1.0f : 1.0f);
          float sign = nn_rng_uniform (&rng) < 0.5f ? -1.0f : 1.0f;
          if (kind == L_TV)
            c.x[i] = 0.1f * ((3 * xx + 7 * yy) % 11) + 0.01f * nn_rng_uniform (&rng);
          else if (kind == L_L1)
            c.x[i] = c.t[i] + off;
          else if (kind == L_HINGE_REAL || kind == L_HINGE_FAKE)
            c.x[i] = sign + off;
          else
            c.x[i] = 3.0f * (2.0f * nn_rng_uniform (&rng) - 1.0f);
          if (kind == L_BCE)
            c.t[i] = nn_rng_uniform (&rng);
        }
      float *dx = g_new0 (float, c.n), *dt = g_new0 (float, c.n);
      loss_eval (&c, dx, dt);
      check_grad (names[kind], loss_fn, &c, c.x, dx, c.n, 1e-2f, 1e-4, 1e-2);
      g_free (c.x); g_free (c.t); g_free (dx); g_free (dt);
    }
}

/* Values of the losses against their definitions at chosen points. */
static void
test_losses_values (void)
{
  float x[2] = { 0.0f, 2.0f }, t[2] = { 1.0f, -1.0f };
  /* BCE(0, 1) = log 2; BCE(2, 1) = log(1 + e^-2). */
  g_assert_cmpfloat_with_epsilon (nn_loss_bce_logits (NULL, x, NULL, 1.0f, 2, 1.0f),
                                  (log (2.0) + log1p (exp (-2.0))) / 2, 1e-6);
  /* Large logits stay finite (the stable form). */
  float big[2] = { 200.0f, -200.0f };
  g_assert_cmpfloat_with_epsilon (nn_loss_bce_logits (NULL, big, NULL, 0.0f, 2, 1.0f), 100.0, 1e-3);
  g_assert_cmpfloat_with_epsilon (nn_loss_lsgan (NULL, x, 1.0f, 2, 1.0f), 1.0, 1e-6);
  g_assert_cmpfloat_with_epsilon (nn_loss_hinge_d (NULL, x, 1, 2, 1.0f), 0.5, 1e-6);
  g_assert_cmpfloat_with_epsilon (nn_loss_hinge_d (NULL, x, 0, 2, 1.0f), 2.0, 1e-6);
  g_assert_cmpfloat_with_epsilon (nn_loss_hinge_g (NULL, x, 2, 1.0f), -1.0, 1e-6);
  g_assert_cmpfloat_with_epsilon (nn_loss_l1 (NULL, x, t, 2, 1.0f), 2.0, 1e-6);
  g_assert_cmpfloat_with_epsilon (nn_loss_mse (NULL, NULL, x, t, 2, 1.0f), 5.0, 1e-6);
  float img[4] = { 0.0f, 1.0f, 3.0f, 3.0f };  /* 2×2: |1| + |3| + |2| + |0| over 4 */
  g_assert_cmpfloat_with_epsilon (nn_loss_tv (NULL, img, 1, 2, 2, 1.0f), 1.5, 1e-6);
}

/* The SSIM loss: its gradient against central differences on two planes larger than the window
 * (so border pixels, seen by fewer windows, are checked too), and its value at known points. */
typedef struct {
  float *x, *y;
  size_t planes;
  int    h, w;
  float  scale;
} SsimCase;

static double
ssim_fn (gpointer p)
{
  SsimCase *c = p;
  return c->scale * (double) nn_loss_ssim (NULL, c->x, c->y, c->planes, c->h, c->w, 1.0f);
}

static void
test_ssim_loss (void)
{
  NnRng rng;
  SsimCase c = { NULL, NULL, 2, 13, 14, 0.9f };
  size_t n = c.planes * (size_t) c.h * c.w;

  nn_rng_seed (&rng, 77);
  c.x = g_new (float, n);
  c.y = g_new (float, n);
  for (size_t i = 0; i < n; i++)
    {
      /* Glyph-like values: mostly near paper or ink, some in between. */
      c.y[i] = nn_rng_uniform (&rng) < 0.4f ? 0.9f : -0.9f;
      c.x[i] = 0.7f * c.y[i] + 0.3f * (2.0f * nn_rng_uniform (&rng) - 1.0f);
    }
  float *dx = g_new0 (float, n);
  float loss = nn_loss_ssim (dx, c.x, c.y, c.planes, c.h, c.w, c.scale);
  g_assert_true (loss > 0.0f && loss < 1.0f);
  check_grad ("ssim", ssim_fn, &c, c.x, dx, n, 1e-2f, 1e-5, 2e-2);

  /* Identical planes: no dissimilarity and no gradient. */
  memset (dx, 0, n * sizeof (float));
  g_assert_cmpfloat_with_epsilon (nn_loss_ssim (dx, c.y, c.y, c.planes, c.h, c.w, 1.0f), 0.0, 1e-6);
  for (size_t i = 0; i < n; i++)
    g_assert_cmpfloat_with_epsilon (dx[i], 0.0, 1e-6);

  /* Flat planes 0.75 and 0.25 on [0, 1]: no variance, so SSIM is the luminance term
   * (2·0.75·0.25 + C1) / (0.75² + 0.25² + C1). */
  for (size_t i = 0; i < n; i++)
    {
      c.x[i] = 0.5f;
      c.y[i] = -0.5f;
    }
  double want = 1.0 - (2 * 0.75 * 0.25 + 1e-4) / (0.75 * 0.75 + 0.25 * 0.25 + 1e-4);
  g_assert_cmpfloat_with_epsilon (nn_loss_ssim (NULL, c.x, c.y, c.planes, c.h, c.w, 1.0f), want, 1e-5);
  /* Too small for the window: nothing. */
  g_assert_cmpfloat (nn_loss_ssim (NULL, c.x, c.y, 1, 10, 10, 1.0f), ==, 0.0f);
  g_free (c.x); g_free (c.y); g_free (dx);
}

/* ---- a tiny conv autoencoder must learn ---- */

static void
test_autoencoder_learns (void)
{
  enum { N = 8, S = 16 };
  NnRng rng;
  nn_rng_seed (&rng, 2024);
  NnConv2d c1, c2, t1, t2;
  nn_conv2d_init (&c1, 1, 8, 4, 2, 1, S, S);
  nn_conv2d_init (&c2, 8, 16, 4, 2, 1, 8, 8);
  nn_conv_transpose2d_init (&t1, 16, 8, 4, 2, 1, 4, 4);
  nn_conv_transpose2d_init (&t2, 8, 1, 4, 2, 1, 8, 8);
  size_t w1 = 8 * 16, w2 = 16 * 8 * 16, w3 = 16 * 8 * 16, w4 = 8 * 16;
  size_t np = w1 + 8 + w2 + 16 + w3 + 8 + w4 + 1;
  float *p = g_new0 (float, np), *g = g_new0 (float, np);
  float *W1 = p, *B1 = W1 + w1, *W2 = B1 + 8, *B2 = W2 + w2, *W3 = B2 + 16, *B3 = W3 + w3,
        *W4 = B3 + 8, *B4 = W4 + w4;
  float *dW1 = g, *dB1 = dW1 + w1, *dW2 = dB1 + 8, *dB2 = dW2 + w2, *dW3 = dB2 + 16,
        *dB3 = dW3 + w3, *dW4 = dB3 + 8, *dB4 = dW4 + w4;
  nn_init_kaiming_normal (W1, w1, 16, 0.0f, &rng);
  nn_init_kaiming_normal (W2, w2, 128, 0.0f, &rng);
  nn_init_kaiming_normal (W3, w3, 128, 0.0f, &rng);
  nn_init_kaiming_normal (W4, w4, 128, 0.0f, &rng);

  /* Images: a bar and a box at random places, in CNHW with C = 1. */
  float *x = g_new0 (float, N * S * S);
  for (int b = 0; b < N; b++)
    {
      int x0 = 2 + (int) nn_rng_below (&rng, 8), y0 = 2 + (int) nn_rng_below (&rng, 8);
      for (int yy = 0; yy < S; yy++)
        for (int xx = 0; xx < S; xx++)
          {
            int ink = (xx >= x0 && xx < x0 + 5 && yy >= y0 && yy < y0 + 5)
                      || (b % 2 == 0 && yy == 12) || (b % 2 == 1 && xx == 3);
            x[(b * S + yy) * S + xx] = ink ? 1.0f : -1.0f;
          }
    }
  size_t a1n = 8 * N * 8 * 8, a2n = 16 * N * 4 * 4, a3n = a1n, outn = N * S * S;
  float *a1 = g_new (float, a1n), *a2 = g_new (float, a2n), *a3 = g_new (float, a3n);
  float *out = g_new (float, outn);
  float *d1 = g_new (float, a1n), *d2 = g_new (float, a2n), *d3 = g_new (float, a3n);
  float *dout = g_new (float, outn);
  float *col = g_new (float, 16 * 16 * N * 8 * 8);
  NnOptConfig opt;
  nn_optim_defaults (&opt, NN_OPT_ADAM);
  opt.beta1 = 0.9f;
  float *state = g_new0 (float, nn_optim_state_floats (&opt, np));

  float first = 0.0f, last = 0.0f;
  for (int step = 1; step <= 200; step++)
    {
      nn_conv2d_forward (a1, col, x, W1, B1, &c1, N);
      nn_relu_forward (a1, a1, a1n);
      nn_conv2d_forward (a2, col, a1, W2, B2, &c2, N);
      nn_relu_forward (a2, a2, a2n);
      nn_conv_transpose2d_forward (a3, col, a2, W3, B3, &t1, N);
      nn_relu_forward (a3, a3, a3n);
      nn_conv_transpose2d_forward (out, col, a3, W4, B4, &t2, N);

      memset (g, 0, np * sizeof (float));
      memset (dout, 0, outn * sizeof (float));
      memset (d1, 0, a1n * sizeof (float));
      memset (d2, 0, a2n * sizeof (float));
      memset (d3, 0, a3n * sizeof (float));
      float loss = nn_loss_mse (dout, NULL, out, x, outn, 1.0f);
      if (step == 1)
        first = loss;
      last = loss;
      nn_conv_transpose2d_backward (d3, dW4, dB4, col, dout, a3, W4, &t2, N);
      nn_relu_grad_inplace (d3, a3, a3n);
      nn_conv_transpose2d_backward (d2, dW3, dB3, col, d3, a2, W3, &t1, N);
      nn_relu_grad_inplace (d2, a2, a2n);
      nn_conv2d_backward (d1, dW2, dB2, col, d2, a1, W2, &c2, N);
      nn_relu_grad_inplace (d1, a1, a1n);
      nn_conv2d_backward (NULL, dW1, dB1, col, d1, x, W1, &c1, N);
      nn_optim_step (&opt, 3e-3f, (uint64_t) step, p, g, state, np);
    }
  g_test_message ("autoencoder MSE: %.4f -> %.5f (%.1fx)", first, last, first / last);
  g_assert_cmpfloat (first / last, >=, 10.0);
  g_free (p); g_free (g); g_free (x); g_free (a1); g_free (a2); g_free (a3); g_free (out);
  g_free (d1); g_free (d2); g_free (d3); g_free (dout); g_free (col); g_free (state);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/nn/activations/gradcheck", test_activations_grad);
  g_test_add_func ("/nn/dropout/determinism", test_dropout_determinism);
  g_test_add_func ("/nn/linear/gradcheck", test_linear_grad);
  g_test_add_func ("/nn/concat-embedding/gradcheck", test_concat_embedding_grad);
  g_test_add_func ("/nn/loss/gradcheck", test_losses_grad);
  g_test_add_func ("/nn/loss/ssim", test_ssim_loss);
  g_test_add_func ("/nn/loss/values", test_losses_values);
  g_test_add_func ("/nn/autoencoder/learns", test_autoencoder_learns);
  return g_test_run ();
}
