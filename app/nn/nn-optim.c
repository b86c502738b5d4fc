/* nn-optim.c — optimisers over one contiguous parameter block (the model keeps all weights of a network
 * in one arena, so one call updates a whole network).
 *
 * The update rules follow the published algorithms in the form PyTorch implements them, so that runs
 * can be compared with the PyTorch peer:
 *   SGD with momentum (Polyak 1964) and Nesterov momentum in the reformulation of Sutskever, Martens,
 *     Dahl & Hinton 2013, "On the importance of initialization and momentum in deep learning":
 *       g = grad + wd·p;  b = μ·b + g;  p -= lr·(nesterov ? g + μ·b : b)
 *   Adam (Kingma & Ba 2015, "Adam: a method for stochastic optimization", Algorithm 1 with the
 *     efficient ordering of section 2) and decoupled weight decay (Loshchilov & Hutter 2019,
 *     "Decoupled weight decay regularization", AdamW):
 *       p *= 1 - lr·wd;  m = β1·m + (1-β1)·g;  v = β2·v + (1-β2)·g²;
 *       p -= (lr / (1-β1^t)) · m / (sqrt(v) / sqrt(1-β2^t) + ε)
 *   RMSprop (Tieleman & Hinton 2012, Coursera lecture 6.5) with momentum and the centred variant of
 *     Graves 2013, "Generating sequences with recurrent neural networks", eq. 38–45:
 *       g = grad + wd·p;  s = α·s + (1-α)·g²;  [centred: a = α·a + (1-α)·g;  s' = s - a²]
 *       d = sqrt(s') + ε;  momentum: b = μ·b + g/d, p -= lr·b;  else p -= lr·g/d
 *
 * State layout (floats, state[] starts zeroed):
 *   SGD:     [0, n) momentum buffer b — only when momentum > 0 (otherwise no state).
 *   Adam:    [0, n) first moment m, [n, 2n) second moment v.
 *   RMSprop: [0, n) mean square s; then [n, 2n) momentum buffer b when rms_momentum > 0; then the
 *            next n floats hold the mean gradient a when centered.
 *
 * Each rule is a single loop with no branches inside and restrict pointers, so the compiler vectorises
 * it at -O3 (the loops with sqrtf need -fno-math-errno, which app/nn's build should pass: the engine
 * never reads errno). */
#include "nn-optim.h"

#include <math.h>
#include <string.h>

void
nn_optim_defaults (NnOptConfig *cfg, NnOptKind kind)
{
  memset (cfg, 0, sizeof *cfg);
  cfg->kind = kind;
  /* Every field gets a sensible value, so switching kind later keeps a usable configuration. */
  cfg->beta1 = 0.5f;
  cfg->beta2 = 0.999f;
  cfg->eps = 1e-8f;
  cfg->alpha = 0.99f;
  cfg->momentum = 0.9f;
  switch (kind)
    {
    case NN_OPT_SGD:
      cfg->lr = 1e-2f;
      break;
    case NN_OPT_RMSPROP:
      cfg->lr = 1e-4f;
      break;
    case NN_OPT_ADAM:
    default:
      cfg->lr = 2e-4f;
      break;
    }
}

size_t
nn_optim_state_floats (const NnOptConfig *cfg, size_t n)
{
  switch (cfg->kind)
    {
    case NN_OPT_SGD:
      return cfg->momentum > 0.0f ? n : 0;
    case NN_OPT_ADAM:
      return 2 * n;
    case NN_OPT_RMSPROP:
      return n * (1 + (cfg->rms_momentum > 0.0f) + (cfg->centered != 0));
    default:
      return 0;
    }
}

static void
sgd_step (const NnOptConfig *cfg, float lr, float *restrict p, const float *restrict grad,
          float *restrict buf, size_t n)
{
  const float wd = cfg->weight_decay;
  const float mu = cfg->momentum;

  if (mu <= 0.0f)
    {
      for (size_t i = 0; i < n; i++)
        p[i] -= lr * (grad[i] + wd * p[i]);
      return;
    }
  /* With a zeroed buffer the first update gives b = g, which is PyTorch's first-step rule. */
  if (cfg->nesterov)
    {
      for (size_t i = 0; i < n; i++)
        {
          const float g = grad[i] + wd * p[i];
          buf[i] = mu * buf[i] + g;
          p[i] -= lr * (g + mu * buf[i]);
        }
    }
  else
    {
      for (size_t i = 0; i < n; i++)
        {
          const float g = grad[i] + wd * p[i];
          buf[i] = mu * buf[i] + g;
          p[i] -= lr * buf[i];
        }
    }
}

static void
adam_step (const NnOptConfig *cfg, float lr, uint64_t t, float *restrict p,
           const float *restrict grad, float *restrict m, float *restrict v, size_t n)
{
  const float b1 = cfg->beta1, b2 = cfg->beta2, eps = cfg->eps;
  /* Bias corrections in double: β2^t for t in the millions loses all precision in float. */
  const double bc1 = 1.0 - pow ((double) b1, (double) t);
  const double bc2 = 1.0 - pow ((double) b2, (double) t);
  const float step_size = (float) (lr / bc1);
  const float inv_sqrt_bc2 = (float) (1.0 / sqrt (bc2));
  const float decay = 1.0f - lr * cfg->weight_decay;

  for (size_t i = 0; i < n; i++)
    {
      const float g = grad[i];
      m[i] = b1 * m[i] + (1.0f - b1) * g;
      v[i] = b2 * v[i] + (1.0f - b2) * g * g;
      p[i] = p[i] * decay - step_size * m[i] / (sqrtf (v[i]) * inv_sqrt_bc2 + eps);
    }
}

static void
rmsprop_step (const NnOptConfig *cfg, float lr, float *restrict p, const float *restrict grad,
              float *restrict state, size_t n)
{
  const float a = cfg->alpha, eps = cfg->eps, wd = cfg->weight_decay, mu = cfg->rms_momentum;
  float *restrict sq = state;
  float *restrict buf = mu > 0.0f ? state + n : NULL;
  float *restrict mean = cfg->centered ? state + n * (1 + (buf != NULL)) : NULL;

  /* Four loop bodies rather than branches inside one loop, so each of them vectorises. In the centred
   * form s - a² is a variance that rounding can push just below zero; clamp it so sqrt stays real. */
  if (mean != NULL && buf != NULL)
    {
      for (size_t i = 0; i < n; i++)
        {
          const float g = grad[i] + wd * p[i];
          sq[i] = a * sq[i] + (1.0f - a) * g * g;
          mean[i] = a * mean[i] + (1.0f - a) * g;
          const float var = sq[i] - mean[i] * mean[i];
          buf[i] = mu * buf[i] + g / (sqrtf (var > 0.0f ? var : 0.0f) + eps);
          p[i] -= lr * buf[i];
        }
    }
  else if (mean != NULL)
    {
      for (size_t i = 0; i < n; i++)
        {
          const float g = grad[i] + wd * p[i];
          sq[i] = a * sq[i] + (1.0f - a) * g * g;
          mean[i] = a * mean[i] + (1.0f - a) * g;
          const float var = sq[i] - mean[i] * mean[i];
          p[i] -= lr * g / (sqrtf (var > 0.0f ? var : 0.0f) + eps);
        }
    }
  else if (buf != NULL)
    {
      for (size_t i = 0; i < n; i++)
        {
          const float g = grad[i] + wd * p[i];
          sq[i] = a * sq[i] + (1.0f - a) * g * g;
          buf[i] = mu * buf[i] + g / (sqrtf (sq[i]) + eps);
          p[i] -= lr * buf[i];
        }
    }
  else
    {
      for (size_t i = 0; i < n; i++)
        {
          const float g = grad[i] + wd * p[i];
          sq[i] = a * sq[i] + (1.0f - a) * g * g;
          p[i] -= lr * g / (sqrtf (sq[i]) + eps);
        }
    }
}

void
nn_optim_step (const NnOptConfig *cfg,
               float              lr,
               uint64_t           t,
               float             *params,
               const float       *grads,
               float             *state,
               size_t             n)
{
  switch (cfg->kind)
    {
    case NN_OPT_SGD:
      sgd_step (cfg, lr, params, grads, state, n);
      break;
    case NN_OPT_ADAM:
      /* t counts from 1; treat 0 as the first update rather than dividing by 1 - β^0 = 0. */
      adam_step (cfg, lr, t > 0 ? t : 1, params, grads, state, state + n, n);
      break;
    case NN_OPT_RMSPROP:
      rmsprop_step (cfg, lr, params, grads, state, n);
      break;
    default:
      break;
    }
}
