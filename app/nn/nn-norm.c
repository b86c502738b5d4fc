/* nn-norm.c — batch norm (Ioffe & Szegedy 2015, algorithm 1 and its back-propagation in §3) and
 * instance norm (Ulyanov, Vedaldi & Lempitsky 2016): both normalise a contiguous run of values, so
 * they share the kernels below and differ only in what a run is and whether running statistics exist.
 *
 * For one run of m values with x̂ = (x - μ)·σ⁻¹ and y = γ·x̂ + β, the gradient is
 *   dx = γ·σ⁻¹ · (dy - mean(dy) - x̂ · mean(dy·x̂)),  dγ = Σ dy·x̂,  dβ = Σ dy.
 * A run holds up to N·H·W = 16·256·256 values: sums use nn-reduce.h (float lanes, double blocks).
 * A run is read twice forward (moments, then x̂, y and the activation in one loop) and twice
 * backward (the two sums, then dx), each loop specialised for its activation. */
#include "nn-norm.h"

#include <math.h>

#include "nn-reduce.h"

#define ALWAYS_INLINE static inline __attribute__ ((always_inline))

/* What one run's loops do around the norm; the pointers are the run's own. */
typedef struct {
  NnNormActKind kind;
  float         slope;
  float        *act_out;
  const float  *mask;
} RunAct;

static RunAct
run_act (const NnNormAct *act, size_t off)
{
  RunAct r = { NN_NORM_ACT_NONE, 0.0f, NULL, NULL };
  if (act != NULL)
    {
      r.kind = act->kind;
      r.slope = act->slope;
      r.act_out = act->act_out != NULL ? act->act_out + off : NULL;
      r.mask = act->mask != NULL ? act->mask + off : NULL;
    }
  return r;
}

/* The mean and biased variance of a run, in one pass around a shift near the mean. */
static void
run_moments (const float *x, size_t m, double *mean, double *var)
{
  size_t head = m < 64 ? m : 64;
  float shift = 0.0f;
  for (size_t i = 0; i < head; i++)
    shift += x[i];
  shift /= (float) head;
  double s1, s2;
  nn_reduce_moments (x, m, shift, &s1, &s2);
  double d = s1 / (double) m;
  *mean = shift + d;
  *var = fmax (s2 / (double) m - d * d, 0.0);
}

/* x̂ (if keep_xhat), then v = g·x̂ + b and the activation, y (if keep_y) and a: one loop per
 * combination, all constants after inlining, and no arithmetic under a condition (GCC does not
 * vectorise a loop where a float operation might trap only on some paths). */
ALWAYS_INLINE void
write_run_kind (NnNormActKind kind, int keep_xhat, int keep_y, float *y, float *xhat, float *a,
                const float *x, size_t m, float mu, float is, float g, float b, float slope)
{
  for (size_t i = 0; i < m; i++)
    {
      float h = (x[i] - mu) * is;
      float v = g * h + b;
      float pos = v > 0.0f ? v : 0.0f, neg = v > 0.0f ? 0.0f : v;
      if (keep_xhat)
        xhat[i] = h;
      if (kind == NN_NORM_ACT_LRELU || kind == NN_NORM_ACT_LRELU_RELU)
        a[i] = pos + slope * neg;
      if (keep_y)
        y[i] = kind == NN_NORM_ACT_NONE || kind == NN_NORM_ACT_LRELU ? v : pos;
    }
}

static void
write_run (float *y, float *xhat, const float *x, size_t m, float mu, float is, float g, float b,
           const RunAct *act)
{
  float *a = act->act_out;
  float s = act->slope;
#define WRITE_RUN(K, X, Y) write_run_kind (K, X, Y, y, xhat, a, x, m, mu, is, g, b, s)
  /* LeakyReLU's output written once when y is where it goes. */
  int keep_y = !(act->kind == NN_NORM_ACT_LRELU && y == a);
  switch (act->kind)
    {
    case NN_NORM_ACT_NONE:
      if (xhat != NULL) WRITE_RUN (NN_NORM_ACT_NONE, 1, 1); else WRITE_RUN (NN_NORM_ACT_NONE, 0, 1);
      break;
    case NN_NORM_ACT_RELU:
      if (xhat != NULL) WRITE_RUN (NN_NORM_ACT_RELU, 1, 1); else WRITE_RUN (NN_NORM_ACT_RELU, 0, 1);
      break;
    case NN_NORM_ACT_LRELU:
      if (xhat != NULL && keep_y)
        WRITE_RUN (NN_NORM_ACT_LRELU, 1, 1);
      else if (xhat != NULL)
        WRITE_RUN (NN_NORM_ACT_LRELU, 1, 0);
      else if (keep_y)
        WRITE_RUN (NN_NORM_ACT_LRELU, 0, 1);
      else
        WRITE_RUN (NN_NORM_ACT_LRELU, 0, 0);
      break;
    case NN_NORM_ACT_LRELU_RELU:
      if (xhat != NULL)
        WRITE_RUN (NN_NORM_ACT_LRELU_RELU, 1, 1);
      else
        WRITE_RUN (NN_NORM_ACT_LRELU_RELU, 0, 1);
      break;
    }
#undef WRITE_RUN
}

/* Normalises one run; returns its mean and biased variance. */
static void
normalize_run (float *y, float *xhat, const float *x, size_t m, float g, float b, float eps,
               const RunAct *act, double *mean_out, double *var_out, float *invstd_out)
{
  double mean, var;
  run_moments (x, m, &mean, &var);
  float is = (float) (1.0 / sqrt (var + eps));
  write_run (y, xhat, x, m, (float) mean, is, g, b, act);
  *mean_out = mean;
  *var_out = var;
  *invstd_out = is;
}

/* The gradient at v = g·x̂ + b from the one at the activation's output (and through the mask);
 * ReLU is LeakyReLU with slope 0. */
ALWAYS_INLINE float
grad_in (NnNormActKind kind, int masked, float dy, float h, float g, float b, float slope,
         float mask)
{
  float v = g * h + b;
  float k = kind == NN_NORM_ACT_NONE ? 1.0f : (v > 0.0f ? 1.0f : slope);
  return masked ? dy * k * mask : dy * k;
}

/* Σ dy' and Σ dy'·x̂, then dx from them: the two passes of one run, for one kind. */
ALWAYS_INLINE void
backward_run_kind (NnNormActKind kind, int masked, float *dx, double *dg, double *db,
                   const float *dy, const float *xhat, const float *mask, size_t m, float g,
                   float b, float slope, float invstd, int set)
{
  double ta = 0.0, tab = 0.0;
  for (size_t i = 0; i < m;)
    {
      size_t end = m - i > NN_REDUCE_BLOCK ? i + NN_REDUCE_BLOCK : m;
      float sa[NN_REDUCE_LANES] = { 0 }, sab[NN_REDUCE_LANES] = { 0 };
      for (; i + NN_REDUCE_LANES <= end; i += NN_REDUCE_LANES)
        for (int j = 0; j < NN_REDUCE_LANES; j++)
          {
            float d = grad_in (kind, masked, dy[i + j], xhat[i + j], g, b, slope,
                               masked ? mask[i + j] : 1.0f);
            sa[j] += d;
            sab[j] += d * xhat[i + j];
          }
      for (; i < end; i++)
        {
          float d = grad_in (kind, masked, dy[i], xhat[i], g, b, slope, masked ? mask[i] : 1.0f);
          sa[0] += d;
          sab[0] += d * xhat[i];
        }
      double ba = 0.0, bab = 0.0;
      for (int j = 0; j < NN_REDUCE_LANES; j++)
        {
          ba += sa[j];
          bab += sab[j];
        }
      ta += ba;
      tab += bab;
    }
  *dg = tab;
  *db = ta;
  if (dx == NULL)
    return;
  float k = g * invstd;
  float mdy = (float) (ta / (double) m);
  float mdyx = (float) (tab / (double) m);
#define DX_TERM(i) \
  (k * (grad_in (kind, masked, dy[i], xhat[i], g, b, slope, masked ? mask[i] : 1.0f) - mdy - \
        xhat[i] * mdyx))
  if (set)
    for (size_t i = 0; i < m; i++)
      dx[i] = DX_TERM (i);
  else
    for (size_t i = 0; i < m; i++)
      dx[i] += DX_TERM (i);
#undef DX_TERM
}

static void
backward_run (float *dx, double *dg, double *db, const float *dy, const float *xhat, size_t m,
              float g, float b, float invstd, int set, const RunAct *act)
{
  NnNormActKind kind = act->kind == NN_NORM_ACT_LRELU_RELU ? NN_NORM_ACT_LRELU : act->kind;
  const float *mk = act->mask;
  float s = kind == NN_NORM_ACT_RELU ? 0.0f : act->slope;
#define BACKWARD_RUN(K, M) backward_run_kind (K, M, dx, dg, db, dy, xhat, mk, m, g, b, s, invstd, set)
  if (mk != NULL)
    switch (kind)
      {
      case NN_NORM_ACT_RELU: BACKWARD_RUN (NN_NORM_ACT_RELU, 1); break;
      case NN_NORM_ACT_LRELU: BACKWARD_RUN (NN_NORM_ACT_LRELU, 1); break;
      default: BACKWARD_RUN (NN_NORM_ACT_NONE, 1); break;
      }
  else
    switch (kind)
      {
      case NN_NORM_ACT_RELU: BACKWARD_RUN (NN_NORM_ACT_RELU, 0); break;
      case NN_NORM_ACT_LRELU: BACKWARD_RUN (NN_NORM_ACT_LRELU, 0); break;
      default: BACKWARD_RUN (NN_NORM_ACT_NONE, 0); break;
      }
#undef BACKWARD_RUN
}

void
nn_batchnorm2d_forward_train (float *y, float *xhat, float *invstd, float *run_mean, float *run_var,
                              const float *x, const float *gamma, const float *beta, int c,
                              size_t m, float momentum, float eps, const NnNormAct *act)
{
  for (int ch = 0; ch < c; ch++)
    {
      size_t off = (size_t) ch * m;
      double mean, var;
      RunAct ra = run_act (act, off);
      normalize_run (y + off, xhat + off, x + off, m, gamma[ch], beta[ch], eps, &ra, &mean, &var,
                     &invstd[ch]);
      if (run_mean != NULL)
        run_mean[ch] = (1.0f - momentum) * run_mean[ch] + momentum * (float) mean;
      if (run_var != NULL)
        {
          /* The running variance is the unbiased estimate, as PyTorch keeps it. */
          double unbiased = m > 1 ? var * (double) m / (double) (m - 1) : var;
          run_var[ch] = (1.0f - momentum) * run_var[ch] + momentum * (float) unbiased;
        }
    }
}

void
nn_batchnorm2d_forward_eval (float *y, const float *x, const float *gamma, const float *beta,
                             const float *run_mean, const float *run_var, int c, size_t m,
                             float eps, const NnNormAct *act)
{
  for (int ch = 0; ch < c; ch++)
    {
      size_t off = (size_t) ch * m;
      RunAct ra = run_act (act, off);
      write_run (y + off, NULL, x + off, m, run_mean[ch], 1.0f / sqrtf (run_var[ch] + eps),
                 gamma[ch], beta[ch], &ra);
    }
}

void
nn_batchnorm2d_backward (float *dx, float *dgamma, float *dbeta, const float *dy,
                         const float *xhat, const float *invstd, const float *gamma,
                         const float *beta, int c, size_t m, int dx_set, const NnNormAct *act)
{
  for (int ch = 0; ch < c; ch++)
    {
      size_t off = (size_t) ch * m;
      double dg, db;
      RunAct ra = run_act (act, off);
      backward_run (dx != NULL ? dx + off : NULL, &dg, &db, dy + off, xhat + off, m, gamma[ch],
                    beta != NULL ? beta[ch] : 0.0f, invstd[ch], dx_set, &ra);
      if (dgamma != NULL)
        dgamma[ch] += (float) dg;
      if (dbeta != NULL)
        dbeta[ch] += (float) db;
    }
}

void
nn_instancenorm2d_forward (float *y, float *xhat, float *invstd, const float *x,
                           const float *gamma, const float *beta, int c, int n, size_t hw,
                           float eps, const NnNormAct *act)
{
  for (int ch = 0; ch < c; ch++)
    for (int b = 0; b < n; b++)
      {
        size_t run = (size_t) ch * n + b;
        size_t off = run * hw;
        double mean, var;
        RunAct ra = run_act (act, off);
        normalize_run (y + off, xhat + off, x + off, hw, gamma != NULL ? gamma[ch] : 1.0f,
                       beta != NULL ? beta[ch] : 0.0f, eps, &ra, &mean, &var, &invstd[run]);
      }
}

void
nn_instancenorm2d_backward (float *dx, float *dgamma, float *dbeta, const float *dy,
                            const float *xhat, const float *invstd, const float *gamma,
                            const float *beta, int c, int n, size_t hw, int dx_set,
                            const NnNormAct *act)
{
  for (int ch = 0; ch < c; ch++)
    {
      double sg = 0.0, sb = 0.0;
      for (int b = 0; b < n; b++)
        {
          size_t run = (size_t) ch * n + b;
          size_t off = run * hw;
          double dg, db;
          RunAct ra = run_act (act, off);
          backward_run (dx != NULL ? dx + off : NULL, &dg, &db, dy + off, xhat + off, hw,
                        gamma != NULL ? gamma[ch] : 1.0f, beta != NULL ? beta[ch] : 0.0f,
                        invstd[run], dx_set, &ra);
          sg += dg;
          sb += db;
        }
      if (dgamma != NULL)
        dgamma[ch] += (float) sg;
      if (dbeta != NULL)
        dbeta[ch] += (float) sb;
    }
}
