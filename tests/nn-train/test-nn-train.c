/* test-nn-train.c — tests of the engine's training machinery: the RNG, initialisers, optimisers and
 * learning-rate schedules (the checkpoint container is test-nn-ckpt.c). Expected numbers are derived
 * by hand (the arithmetic is in the comments) or from an independent reference implementation written
 * in the test. */
#include <glib.h>
#include <math.h>
#include <string.h>

#include "nn.h"
#include "nn-init.h"
#include "nn-optim.h"
#include "nn-rng.h"
#include "nn-sched.h"

/* ---- RNG ---------------------------------------------------------------------------------------- */

/* SplitMix64 written independently of the engine, straight from Steele et al.'s published constants:
 * the engine's seeding must agree with it word for word. */
static uint64_t
ref_splitmix64 (uint64_t *x)
{
  *x += 0x9e3779b97f4a7c15ull;
  uint64_t z = *x;
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}

static void
test_rng_seed_golden (void)
{
  NnRng rng;
  uint64_t x = 0;

  nn_rng_seed (&rng, 0);
  /* SplitMix64's first output from 0 is the widely published 0xe220a8397b1dcdaf. */
  g_assert_cmphex (rng.s[0], ==, 0xe220a8397b1dcdafull);
  for (int i = 0; i < 4; i++)
    g_assert_cmphex (rng.s[i], ==, ref_splitmix64 (&x));

  /* xoshiro256** outputs for seed 42, from a Python transcription of the reference C code. */
  const uint64_t expect42[4] = { 0x15780b2e0c2ec716ull, 0x6104d9866d113a7eull,
                                 0xae17533239e499a1ull, 0xecb8ad4703b360a1ull };
  nn_rng_seed (&rng, 42);
  g_assert_cmphex (rng.s[0], ==, 0xbdd732262feb6e95ull);
  for (int i = 0; i < 4; i++)
    g_assert_cmphex (nn_rng_next (&rng), ==, expect42[i]);

  /* From the state {1, 2, 3, 4} the first output is rotl(2·5, 7)·9 = 1280·9 = 0x2d00, then 0 (s[1]
   * became 0 after the first update: s1 ^= s2 ^ s0 = 2 ^ 3 ^ 1 = 0). */
  NnRng fixed = { { 1, 2, 3, 4 } };
  g_assert_cmphex (nn_rng_next (&fixed), ==, 0x2d00);
  g_assert_cmphex (nn_rng_next (&fixed), ==, 0);
  g_assert_cmphex (nn_rng_next (&fixed), ==, 0x5a007080);
}

static void
test_rng_derived_golden (void)
{
  NnRng rng;

  /* uniform = (first output >> 40) · 2^-24 = 0x15780b · 2^-24 = 1406987 / 16777216. */
  nn_rng_seed (&rng, 42);
  g_assert_cmpfloat (nn_rng_uniform (&rng), ==, 1406987.0f / 16777216.0f);

  /* normal: Box–Muller on the first two outputs (u1 = (x1 >> 11 + 1)·2^-53, u2 = (x2 >> 11)·2^-53)
   * gives −1.6132237513849157 in double. */
  nn_rng_seed (&rng, 42);
  g_assert_cmpfloat_with_epsilon (nn_rng_normal (&rng), -1.6132237513849157, 1e-6);

  /* below(10): Lemire's high half of (x >> 32)·10; e.g. 0x15780b2e·10 >> 32 = 0. */
  const uint32_t expect[8] = { 0, 3, 6, 9, 9, 7, 7, 8 };
  nn_rng_seed (&rng, 42);
  for (int i = 0; i < 8; i++)
    g_assert_cmpuint (nn_rng_below (&rng, 10), ==, expect[i]);
}

static void
test_rng_reproducible (void)
{
  NnRng a, b, c;
  nn_rng_seed (&a, 1234);
  nn_rng_seed (&b, 1234);
  nn_rng_seed (&c, 1235);
  int differ = 0;
  for (int i = 0; i < 1000; i++)
    {
      const uint64_t x = nn_rng_next (&a);
      g_assert_cmphex (x, ==, nn_rng_next (&b));
      differ += x != nn_rng_next (&c);
    }
  g_assert_cmpint (differ, >, 990);

  /* Copying the four words mid-stream (as a checkpoint does) resumes the same stream. */
  NnRng saved = a;
  const float n1 = nn_rng_normal (&a);
  g_assert_cmpfloat (nn_rng_normal (&saved), ==, n1);
}

static void
test_rng_uniform_stats (void)
{
  NnRng rng;
  const int n = 200000;
  double sum = 0, sum2 = 0;
  float lo = 1, hi = 0;

  nn_rng_seed (&rng, 7);
  for (int i = 0; i < n; i++)
    {
      const float u = nn_rng_uniform (&rng);
      g_assert_cmpfloat (u, >=, 0.0f);
      g_assert_cmpfloat (u, <, 1.0f);
      lo = fminf (lo, u);
      hi = fmaxf (hi, u);
      sum += u;
      sum2 += (double) u * u;
    }
  const double mean = sum / n, var = sum2 / n - mean * mean;
  /* The standard error of the mean is sqrt(1/12 / n) ≈ 0.00065; allow about 6 of them. */
  g_assert_cmpfloat_with_epsilon (mean, 0.5, 0.004);
  g_assert_cmpfloat_with_epsilon (var, 1.0 / 12.0, 0.002);
  g_assert_cmpfloat (lo, <, 1e-4);
  g_assert_cmpfloat (hi, >, 1.0 - 1e-4);
}

static void
test_rng_normal_stats (void)
{
  NnRng rng;
  const int n = 200000;
  double sum = 0, sum2 = 0, sum4 = 0;
  int beyond3 = 0;

  nn_rng_seed (&rng, 11);
  for (int i = 0; i < n; i++)
    {
      const double z = nn_rng_normal (&rng);
      g_assert_true (isfinite (z));
      sum += z;
      sum2 += z * z;
      sum4 += z * z * z * z;
      beyond3 += fabs (z) > 3.0;
    }
  const double mean = sum / n, var = sum2 / n - mean * mean;
  g_assert_cmpfloat_with_epsilon (mean, 0.0, 0.015);
  g_assert_cmpfloat_with_epsilon (var, 1.0, 0.02);
  /* The fourth moment of N(0, 1) is 3; a wrong transform (e.g. uniform) would give 1.8. */
  g_assert_cmpfloat_with_epsilon (sum4 / n, 3.0, 0.1);
  /* P(|z| > 3) = 0.0027, i.e. about 540 of 200 000. */
  g_assert_cmpint (beyond3, >, 400);
  g_assert_cmpint (beyond3, <, 700);
}

static void
test_rng_below (void)
{
  NnRng rng;
  int counts[7] = { 0 };

  nn_rng_seed (&rng, 3);
  for (int i = 0; i < 70000; i++)
    {
      const uint32_t v = nn_rng_below (&rng, 7);
      g_assert_cmpuint (v, <, 7);
      counts[v]++;
    }
  /* Each bucket expects 10 000 with a standard deviation of about 93. */
  for (int i = 0; i < 7; i++)
    g_assert_cmpint (abs (counts[i] - 10000), <, 500);

  for (int i = 0; i < 100; i++)
    g_assert_cmpuint (nn_rng_below (&rng, 1), ==, 0);

  /* n = 2^31 + 1 is the worst case for bias (a plain modulo would make the lowest half of the values
   * twice as likely as the upper half); values stay in range and fall above n / 2 half the time
   * (1000 ± 22 of 2000). */
  int upper = 0;
  for (int i = 0; i < 2000; i++)
    {
      const uint32_t v = nn_rng_below (&rng, 0x80000001u);
      g_assert_cmpuint (v, <=, 0x80000000u);
      upper += v >= 0x40000000u;
    }
  g_assert_cmpint (upper, >, 900);
  g_assert_cmpint (upper, <, 1100);
  for (int i = 0; i < 100; i++)
    g_assert_cmpuint (nn_rng_below (&rng, UINT32_MAX), <, UINT32_MAX);
}

/* ---- Initialisation ------------------------------------------------------------------------------ */

static void
sample_stats (const float *w, size_t n, double *mean, double *std)
{
  double s = 0, s2 = 0;
  for (size_t i = 0; i < n; i++)
    {
      s += w[i];
      s2 += (double) w[i] * w[i];
    }
  *mean = s / n;
  *std = sqrt (s2 / n - *mean * *mean);
}

static void
test_init_normal (void)
{
  const size_t n = 100000;
  g_autofree float *w = g_new (float, n);
  g_autofree float *w2 = g_new (float, n);
  NnRng rng;
  double mean, std;

  nn_rng_seed (&rng, 5);
  nn_init_normal (w, n, 0.0f, 0.02f, &rng);
  sample_stats (w, n, &mean, &std);
  g_assert_cmpfloat_with_epsilon (mean, 0.0, 0.0004);
  g_assert_cmpfloat_with_epsilon (std, 0.02, 0.0004);

  /* Same seed, same weights, bit for bit. */
  nn_rng_seed (&rng, 5);
  nn_init_normal (w2, n, 0.0f, 0.02f, &rng);
  g_assert_cmpmem (w, n * sizeof *w, w2, n * sizeof *w2);

  nn_rng_seed (&rng, 5);
  nn_init_normal (w2, n, 1.0f, 0.02f, &rng);
  sample_stats (w2, n, &mean, &std);
  g_assert_cmpfloat_with_epsilon (mean, 1.0, 0.0004);
}

static void
test_init_kaiming_xavier (void)
{
  const int shape[4] = { 64, 32, 4, 4 };
  size_t fan_in, fan_out;
  const size_t n = 64 * 32 * 4 * 4;
  g_autofree float *w = g_new (float, n);
  NnRng rng;
  double mean, std;

  /* A [Co 64, Ci 32, 4, 4] conv: fan_in = 32·16 = 512, fan_out = 64·16 = 1024. */
  nn_init_fans (shape, 4, &fan_in, &fan_out);
  g_assert_cmpuint (fan_in, ==, 512);
  g_assert_cmpuint (fan_out, ==, 1024);

  /* gain(0) = sqrt(2); gain(0.2) = sqrt(2 / 1.04) = 1.3867505. */
  g_assert_cmpfloat_with_epsilon (nn_init_relu_gain (0.0f), sqrt (2.0), 1e-6);
  g_assert_cmpfloat_with_epsilon (nn_init_relu_gain (0.2f), 1.3867505, 1e-6);

  /* Kaiming normal, ReLU: std = sqrt(2 / 512) = 0.0625. */
  nn_rng_seed (&rng, 9);
  nn_init_kaiming_normal (w, n, fan_in, 0.0f, &rng);
  sample_stats (w, n, &mean, &std);
  g_assert_cmpfloat_with_epsilon (std, 0.0625, 0.0015);

  /* Kaiming uniform: bound = sqrt(2)·sqrt(3 / 512) = 0.10825; std of U(-b, b) = b / sqrt(3). */
  nn_init_kaiming_uniform (w, n, fan_in, 0.0f, &rng);
  float amax = 0;
  for (size_t i = 0; i < n; i++)
    amax = fmaxf (amax, fabsf (w[i]));
  g_assert_cmpfloat (amax, <=, 0.10825318f);
  g_assert_cmpfloat (amax, >, 0.105f);
  sample_stats (w, n, &mean, &std);
  g_assert_cmpfloat_with_epsilon (std, 0.0625, 0.0015);

  /* Xavier uniform: bound = sqrt(6 / 1536) = 0.0625. Xavier normal: std = sqrt(2 / 1536) = 0.036084. */
  nn_init_xavier_uniform (w, n, fan_in, fan_out, 1.0f, &rng);
  amax = 0;
  for (size_t i = 0; i < n; i++)
    amax = fmaxf (amax, fabsf (w[i]));
  g_assert_cmpfloat (amax, <=, 0.0625f);
  g_assert_cmpfloat (amax, >, 0.062f);
  nn_init_xavier_normal (w, n, fan_in, fan_out, 1.0f, &rng);
  sample_stats (w, n, &mean, &std);
  g_assert_cmpfloat_with_epsilon (std, 0.036084, 0.001);

  nn_init_ones (w, 3);
  nn_init_zeros (w + 3, 2);
  g_assert_cmpfloat (w[0] + w[1] + w[2], ==, 3.0f);
  g_assert_cmpfloat (w[3], ==, 0.0f);
  g_assert_cmpfloat (w[4], ==, 0.0f);
  g_assert_cmpfloat (w[5], !=, 0.0f);  /* untouched */
}

/* ---- Optimisers ---------------------------------------------------------------------------------- */

/* Runs steps with the gradients g1 then g2 on the two parameters {1, -2}; returns parameter 0 after
 * each step in p_after[] and checks that parameter 1 moved by the mirrored amount when the rule is odd
 * in the gradient (all rules here are, with weight decay off). */
static void
run_two_steps (const NnOptConfig *cfg, float lr, float g1, float g2, float p_after[2])
{
  float p[2] = { 1.0f, -1.0f };
  float state[6] = { 0 };
  g_assert_cmpuint (nn_optim_state_floats (cfg, 2), <=, 6);

  const float grads1[2] = { g1, -g1 }, grads2[2] = { g2, -g2 };
  nn_optim_step (cfg, lr, 1, p, grads1, state, 2);
  p_after[0] = p[0];
  if (cfg->weight_decay == 0.0f)
    g_assert_cmpfloat (p[1], ==, -p[0]);
  nn_optim_step (cfg, lr, 2, p, grads2, state, 2);
  p_after[1] = p[0];
  if (cfg->weight_decay == 0.0f)
    g_assert_cmpfloat (p[1], ==, -p[0]);
}

static void
assert_close (float got, double want)
{
  g_assert_cmpfloat_with_epsilon (got, want, 2e-6 * fmax (1.0, fabs (want)));
}

static void
test_optim_sgd (void)
{
  NnOptConfig cfg;
  float p[2];

  nn_optim_defaults (&cfg, NN_OPT_SGD);
  g_assert_cmpfloat (cfg.momentum, ==, 0.9f);

  /* Plain SGD, lr 0.1, gradient 0.5 then 0.1: 1 − 0.05 = 0.95, then 0.95 − 0.01 = 0.94. */
  cfg.momentum = 0.0f;
  g_assert_cmpuint (nn_optim_state_floats (&cfg, 10), ==, 0);
  run_two_steps (&cfg, 0.1f, 0.5f, 0.1f, p);
  assert_close (p[0], 0.95);
  assert_close (p[1], 0.94);

  /* Momentum 0.9: b1 = 0.5, p = 1 − 0.05 = 0.95; b2 = 0.9·0.5 + 0.1 = 0.55, p = 0.95 − 0.055 = 0.895. */
  cfg.momentum = 0.9f;
  g_assert_cmpuint (nn_optim_state_floats (&cfg, 10), ==, 10);
  run_two_steps (&cfg, 0.1f, 0.5f, 0.1f, p);
  assert_close (p[0], 0.95);
  assert_close (p[1], 0.895);

  /* Nesterov: b1 = 0.5, p = 1 − 0.1·(0.5 + 0.9·0.5) = 0.905;
   * b2 = 0.55, p = 0.905 − 0.1·(0.1 + 0.9·0.55) = 0.905 − 0.0595 = 0.8455. */
  cfg.nesterov = 1;
  run_two_steps (&cfg, 0.1f, 0.5f, 0.1f, p);
  assert_close (p[0], 0.905);
  assert_close (p[1], 0.8455);

  /* Weight decay 0.1 adds 0.1·p to the gradient (plain SGD): g = 0.5 + 0.1 = 0.6, p = 1 − 0.06 = 0.94;
   * g = 0.1 + 0.094 = 0.194, p = 0.94 − 0.0194 = 0.9206. */
  cfg.momentum = 0.0f;
  cfg.nesterov = 0;
  cfg.weight_decay = 0.1f;
  run_two_steps (&cfg, 0.1f, 0.5f, 0.1f, p);
  assert_close (p[0], 0.94);
  assert_close (p[1], 0.9206);
}

static void
test_optim_adam (void)
{
  NnOptConfig cfg;
  float p[2];

  nn_optim_defaults (&cfg, NN_OPT_ADAM);
  g_assert_cmpfloat (cfg.lr, ==, 2e-4f);
  g_assert_cmpfloat (cfg.beta1, ==, 0.5f);
  g_assert_cmpfloat (cfg.beta2, ==, 0.999f);
  g_assert_cmpfloat (cfg.eps, ==, 1e-8f);
  g_assert_cmpuint (nn_optim_state_floats (&cfg, 10), ==, 20);

  /* β1 0.9, β2 0.999, lr 0.01, gradient 0.5 then 0.1:
   * t=1: m = 0.05, v = 0.00025; m̂ = 0.5, v̂ = 0.25; p = 1 − 0.01·0.5/(0.5 + 1e-8) ≈ 0.99.
   * t=2: m = 0.9·0.05 + 0.01 = 0.055, v = 0.999·0.00025 + 0.001·0.01 = 0.00025975;
   *      m̂ = 0.055/0.19 = 0.2894737, v̂ = 0.00025975/0.001999 = 0.1299400, sqrt = 0.3604720;
   *      p = 0.99 − 0.01·0.2894737/0.3604720 = 0.99 − 0.0080304 = 0.9819696. */
  cfg.beta1 = 0.9f;
  run_two_steps (&cfg, 0.01f, 0.5f, 0.1f, p);
  assert_close (p[0], 0.9900000002);
  assert_close (p[1], 0.9819695906);

  /* AdamW, weight decay 0.1: p is first scaled by 1 − 0.01·0.1 = 0.999.
   * t=1: 0.999 − 0.01 = 0.989; t=2: 0.989·0.999 − 0.0080304 = 0.988011 − 0.0080304 = 0.9799806. */
  cfg.weight_decay = 0.1f;
  run_two_steps (&cfg, 0.01f, 0.5f, 0.1f, p);
  assert_close (p[0], 0.9890000002);
  assert_close (p[1], 0.9799805906);

  /* A huge step count must not break the bias correction (β2^t underflows to 0 → correction 1):
   * with m = 0.5, v = 0.25 in the state, one step at t = 10^7 gives m = 0.5, v = 0.25 and
   * p = 1 − 0.01·0.5/0.5 = 0.99. */
  cfg.weight_decay = 0.0f;
  float q = 1.0f, g = 0.5f, state[2] = { 0.5f, 0.25f };
  nn_optim_step (&cfg, 0.01f, 10000000, &q, &g, state, 1);
  assert_close (q, 0.99);
}

static void
test_optim_rmsprop (void)
{
  NnOptConfig cfg;
  float p[2];

  nn_optim_defaults (&cfg, NN_OPT_RMSPROP);
  g_assert_cmpfloat (cfg.alpha, ==, 0.99f);
  g_assert_cmpfloat (cfg.eps, ==, 1e-8f);
  cfg.eps = 1e-8f;

  /* Plain, α 0.99, lr 0.01, gradient 0.5 then 0.1:
   * s1 = 0.01·0.25 = 0.0025, sqrt 0.05, p = 1 − 0.01·0.5/0.05 = 0.9;
   * s2 = 0.99·0.0025 + 0.01·0.01 = 0.002575, sqrt 0.0507445, p = 0.9 − 0.01·0.1/0.0507445 = 0.8802934. */
  g_assert_cmpuint (nn_optim_state_floats (&cfg, 10), ==, 10);
  run_two_steps (&cfg, 0.01f, 0.5f, 0.1f, p);
  assert_close (p[0], 0.90000002);
  assert_close (p[1], 0.8802934383);

  /* Momentum 0.9: b1 = 0.5/0.05 = 10, p = 0.9; b2 = 9 + 0.1/0.0507445 = 10.9706564,
   * p = 0.9 − 0.109706564 = 0.7902934. */
  cfg.rms_momentum = 0.9f;
  g_assert_cmpuint (nn_optim_state_floats (&cfg, 10), ==, 20);
  run_two_steps (&cfg, 0.01f, 0.5f, 0.1f, p);
  assert_close (p[0], 0.90000002);
  assert_close (p[1], 0.7902934563);

  /* Centred, no momentum: a1 = 0.005, s1 − a1² = 0.002475, sqrt 0.0497494, p = 1 − 0.1005038 = 0.8994962;
   * a2 = 0.99·0.005 + 0.001 = 0.00595, s2 − a2² = 0.002575 − 0.0000354 = 0.0025396,
   * sqrt 0.0503945, p = 0.8994962 − 0.01·0.1/0.0503945 = 0.8796528. */
  cfg.rms_momentum = 0.0f;
  cfg.centered = 1;
  g_assert_cmpuint (nn_optim_state_floats (&cfg, 10), ==, 20);
  run_two_steps (&cfg, 0.01f, 0.5f, 0.1f, p);
  assert_close (p[0], 0.8994962387);
  assert_close (p[1], 0.8796527756);

  /* Centred with momentum 0.9: b1 = 0.5/0.0497494 = 10.0503761, p = 0.8994962;
   * b2 = 9.0453385 + 0.1/0.0503945 = 11.0296848, p = 0.8994962 − 0.1102968 = 0.7891994. */
  cfg.rms_momentum = 0.9f;
  g_assert_cmpuint (nn_optim_state_floats (&cfg, 10), ==, 30);
  run_two_steps (&cfg, 0.01f, 0.5f, 0.1f, p);
  assert_close (p[0], 0.8994962387);
  assert_close (p[1], 0.7891993904);
}

/* ---- Schedules ----------------------------------------------------------------------------------- */

static void
assert_lr (const NnSchedConfig *cfg, const NnPlateauState *st, uint64_t step, double want)
{
  g_assert_cmpfloat_with_epsilon (nn_sched_lr (cfg, st, step), want, 1e-6 * want + 1e-12);
}

static void
test_sched_fixed_step_exp (void)
{
  NnSchedConfig cfg;

  nn_sched_defaults (&cfg, NN_SCHED_FIXED, 1e-3f);
  assert_lr (&cfg, NULL, 0, 1e-3);
  assert_lr (&cfg, NULL, 123456789, 1e-3);

  /* zi2zi: halve every 10, floor 2e-4: 1e-3 (0..9), 5e-4 (10..19), 2.5e-4 (20..29), then the floor
   * because 1.25e-4 < 2e-4. */
  nn_sched_defaults (&cfg, NN_SCHED_STEP, 1e-3f);
  g_assert_cmpfloat_with_epsilon (cfg.floor_lr, 2e-4, 1e-10);
  g_assert_cmpfloat (cfg.gamma, ==, 0.5f);
  cfg.every = 10;
  assert_lr (&cfg, NULL, 0, 1e-3);
  assert_lr (&cfg, NULL, 9, 1e-3);
  assert_lr (&cfg, NULL, 10, 5e-4);
  assert_lr (&cfg, NULL, 25, 2.5e-4);
  assert_lr (&cfg, NULL, 30, 2e-4);
  assert_lr (&cfg, NULL, 100000, 2e-4);

  /* Exponential ×0.99 per 100 steps, floor 1e-3: step 50 → 1e-2·0.99^0.5 = 0.0099498744,
   * step 1000 → 1e-2·0.99^10 = 0.0090438208; 0.99^1000 ≈ 4.3e-5 is under the floor. */
  nn_sched_defaults (&cfg, NN_SCHED_EXP, 1e-2f);
  g_assert_cmpfloat (cfg.gamma, ==, 0.99f);
  g_assert_cmpuint (cfg.every, ==, 1000);
  cfg.every = 100;
  cfg.floor_lr = 1e-3f;
  assert_lr (&cfg, NULL, 0, 1e-2);
  assert_lr (&cfg, NULL, 50, 0.0099498744);
  assert_lr (&cfg, NULL, 100, 0.0099);
  assert_lr (&cfg, NULL, 1000, 0.0090438208);
  assert_lr (&cfg, NULL, 100000, 1e-3);
}

static void
test_sched_cosine_warmup (void)
{
  NnSchedConfig cfg;

  /* Warm-up 10 steps to 1e-3, cosine down to 1e-5 at step 110:
   * step 0 → 1e-3·1/10, step 4 → 5e-4, step 9 → 1e-3, step 10 → 1e-3 (p = 0),
   * step 35 → p = 0.25: 1e-5 + 0.99e-3·(1 + cos(π/4))/2 = 0.00085501786,
   * step 60 → p = 0.5: (1e-3 + 1e-5)/2 = 5.05e-4, step ≥ 110 → 1e-5. */
  nn_sched_defaults (&cfg, NN_SCHED_COSINE, 1e-3f);
  cfg.warmup_steps = 10;
  cfg.total_steps = 110;
  cfg.min_lr = 1e-5f;
  assert_lr (&cfg, NULL, 0, 1e-4);
  assert_lr (&cfg, NULL, 4, 5e-4);
  assert_lr (&cfg, NULL, 9, 1e-3);
  assert_lr (&cfg, NULL, 10, 1e-3);
  assert_lr (&cfg, NULL, 35, 0.00085501786);
  assert_lr (&cfg, NULL, 60, 5.05e-4);
  assert_lr (&cfg, NULL, 110, 1e-5);
  assert_lr (&cfg, NULL, 5000, 1e-5);

  /* Monotone after the warm-up. */
  for (uint64_t s = 10; s < 120; s++)
    g_assert_cmpfloat (nn_sched_lr (&cfg, NULL, s + 1), <=, nn_sched_lr (&cfg, NULL, s));

  /* Warm-up on another schedule scales it without moving its decay points: step decay ×0.5 every 10
   * with a 4-step warm-up: step 0 → 1e-3/4, step 3 → 1e-3, step 10 → 5e-4. */
  nn_sched_defaults (&cfg, NN_SCHED_STEP, 1e-3f);
  cfg.every = 10;
  cfg.warmup_steps = 4;
  assert_lr (&cfg, NULL, 0, 2.5e-4);
  assert_lr (&cfg, NULL, 1, 5e-4);
  assert_lr (&cfg, NULL, 3, 1e-3);
  assert_lr (&cfg, NULL, 10, 5e-4);
}

static void
test_sched_plateau (void)
{
  NnSchedConfig cfg;
  NnPlateauState st;

  nn_sched_defaults (&cfg, NN_SCHED_PLATEAU, 1e-3f);
  g_assert_cmpuint (cfg.patience, ==, 5);
  g_assert_cmpfloat (cfg.gamma, ==, 0.5f);
  g_assert_cmpfloat_with_epsilon (cfg.floor_lr, 1e-5, 1e-12);
  g_assert_cmpuint (cfg.warmup_steps, ==, 0);
  cfg.patience = 2;
  cfg.threshold = 0.01f;
  cfg.floor_lr = 2e-4f;
  nn_plateau_init (&st);
  g_assert_cmpfloat (st.factor, ==, 1.0f);
  assert_lr (&cfg, &st, 0, 1e-3);
  assert_lr (&cfg, NULL, 0, 1e-3);

  /* 1.0 sets the best; 0.995 is not 1% better (bad 1); 0.999 is bad 2 = patience: cut to ×0.5. */
  g_assert_cmpint (nn_plateau_observe (&cfg, &st, 1.0f), ==, 0);
  g_assert_cmpint (nn_plateau_observe (&cfg, &st, 0.995f), ==, 0);
  g_assert_cmpint (nn_plateau_observe (&cfg, &st, 0.999f), ==, 1);
  assert_lr (&cfg, &st, 500, 5e-4);

  /* 0.5 improves (resets the count); two bad ones cut to ×0.25. */
  g_assert_cmpint (nn_plateau_observe (&cfg, &st, 0.5f), ==, 0);
  g_assert_cmpint (nn_plateau_observe (&cfg, &st, 0.6f), ==, 0);
  g_assert_cmpint (nn_plateau_observe (&cfg, &st, 0.6f), ==, 1);
  assert_lr (&cfg, &st, 900, 2.5e-4);

  /* The next cut would give 1.25e-4 < floor: the rate stops at 2e-4, and a further plateau (NaN counts
   * as no improvement) reports no cut. */
  g_assert_cmpint (nn_plateau_observe (&cfg, &st, 0.6f), ==, 0);
  g_assert_cmpint (nn_plateau_observe (&cfg, &st, 0.6f), ==, 1);
  assert_lr (&cfg, &st, 1000, 2e-4);
  g_assert_cmpint (nn_plateau_observe (&cfg, &st, NAN), ==, 0);
  g_assert_cmpint (nn_plateau_observe (&cfg, &st, 0.7f), ==, 0);
  assert_lr (&cfg, &st, 1000, 2e-4);
  g_assert_cmpfloat (st.best, ==, 0.5f);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/nn/rng/seed-golden", test_rng_seed_golden);
  g_test_add_func ("/nn/rng/derived-golden", test_rng_derived_golden);
  g_test_add_func ("/nn/rng/reproducible", test_rng_reproducible);
  g_test_add_func ("/nn/rng/uniform-stats", test_rng_uniform_stats);
  g_test_add_func ("/nn/rng/normal-stats", test_rng_normal_stats);
  g_test_add_func ("/nn/rng/below", test_rng_below);
  g_test_add_func ("/nn/init/normal", test_init_normal);
  g_test_add_func ("/nn/init/kaiming-xavier", test_init_kaiming_xavier);
  g_test_add_func ("/nn/optim/sgd", test_optim_sgd);
  g_test_add_func ("/nn/optim/adam", test_optim_adam);
  g_test_add_func ("/nn/optim/rmsprop", test_optim_rmsprop);
  g_test_add_func ("/nn/sched/fixed-step-exp", test_sched_fixed_step_exp);
  g_test_add_func ("/nn/sched/cosine-warmup", test_sched_cosine_warmup);
  g_test_add_func ("/nn/sched/plateau", test_sched_plateau);

  return g_test_run ();
}
