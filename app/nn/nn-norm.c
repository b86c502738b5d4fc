/* nn-norm.c — batch norm (Ioffe & Szegedy 2015, algorithm 1 and its back-propagation in §3) and
 * instance norm (Ulyanov, Vedaldi & Lempitsky 2016): both normalise a contiguous run of values, so
 * they share the kernels below and differ only in what a run is and whether running statistics exist.
 *
 * For one run of m values with x̂ = (x - μ)·σ⁻¹ and y = γ·x̂ + β, the gradient is
 *   dx = γ·σ⁻¹ · (dy - mean(dy) - x̂ · mean(dy·x̂)),  dγ = Σ dy·x̂,  dβ = Σ dy.
 * A run holds up to N·H·W = 16·256·256 values: sums use nn-reduce.h (float lanes, double blocks). */
#include "nn-norm.h"

#include <math.h>

#include "nn-reduce.h"

/* Normalises one run; returns its mean and biased variance. */
static void
normalize_run (float *y, float *xhat, const float *x, size_t m, float g, float b, float eps,
               double *mean_out, double *var_out, float *invstd_out)
{
  double mean = nn_reduce_sum (x, m) / (double) m;
  double var = nn_reduce_sq_dev (x, m, (float) mean) / (double) m;
  float is = (float) (1.0 / sqrt (var + eps));
  float mu = (float) mean;
  for (size_t i = 0; i < m; i++)
    {
      float h = (x[i] - mu) * is;
      xhat[i] = h;
      y[i] = g * h + b;
    }
  *mean_out = mean;
  *var_out = var;
  *invstd_out = is;
}

static void
backward_run (float *dx, double *dg, double *db, const float *dy, const float *xhat, size_t m,
              float g, float invstd, int set)
{
  double sdy, sdyx;
  nn_reduce_sum_dot (dy, xhat, m, &sdy, &sdyx);
  *dg = sdyx;
  *db = sdy;
  if (dx == NULL)
    return;
  float k = g * invstd;
  float mdy = (float) (sdy / (double) m);
  float mdyx = (float) (sdyx / (double) m);
  if (set)
    for (size_t i = 0; i < m; i++)
      dx[i] = k * (dy[i] - mdy - xhat[i] * mdyx);
  else
    for (size_t i = 0; i < m; i++)
      dx[i] += k * (dy[i] - mdy - xhat[i] * mdyx);
}

void
nn_batchnorm2d_forward_train (float *y, float *xhat, float *invstd, float *run_mean, float *run_var,
                              const float *x, const float *gamma, const float *beta, int c,
                              size_t m, float momentum, float eps)
{
  for (int ch = 0; ch < c; ch++)
    {
      size_t off = (size_t) ch * m;
      double mean, var;
      normalize_run (y + off, xhat + off, x + off, m, gamma[ch], beta[ch], eps, &mean, &var,
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
                             float eps)
{
  for (int ch = 0; ch < c; ch++)
    {
      float k = gamma[ch] / sqrtf (run_var[ch] + eps);
      float b = beta[ch] - k * run_mean[ch];
      const float *xp = x + (size_t) ch * m;
      float *yp = y + (size_t) ch * m;
      for (size_t i = 0; i < m; i++)
        yp[i] = k * xp[i] + b;
    }
}

void
nn_batchnorm2d_backward (float *dx, float *dgamma, float *dbeta, const float *dy,
                         const float *xhat, const float *invstd, const float *gamma, int c,
                         size_t m, int dx_set)
{
  for (int ch = 0; ch < c; ch++)
    {
      size_t off = (size_t) ch * m;
      double dg, db;
      backward_run (dx != NULL ? dx + off : NULL, &dg, &db, dy + off, xhat + off, m, gamma[ch],
                    invstd[ch], dx_set);
      if (dgamma != NULL)
        dgamma[ch] += (float) dg;
      if (dbeta != NULL)
        dbeta[ch] += (float) db;
    }
}

void
nn_instancenorm2d_forward (float *y, float *xhat, float *invstd, const float *x,
                           const float *gamma, const float *beta, int c, int n, size_t hw,
                           float eps)
{
  for (int ch = 0; ch < c; ch++)
    for (int b = 0; b < n; b++)
      {
        size_t run = (size_t) ch * n + b;
        size_t off = run * hw;
        double mean, var;
        normalize_run (y + off, xhat + off, x + off, hw, gamma != NULL ? gamma[ch] : 1.0f,
                       beta != NULL ? beta[ch] : 0.0f, eps, &mean, &var, &invstd[run]);
      }
}

void
nn_instancenorm2d_backward (float *dx, float *dgamma, float *dbeta, const float *dy,
                            const float *xhat, const float *invstd, const float *gamma, int c,
                            int n, size_t hw, int dx_set)
{
  for (int ch = 0; ch < c; ch++)
    {
      double sg = 0.0, sb = 0.0;
      for (int b = 0; b < n; b++)
        {
          size_t run = (size_t) ch * n + b;
          size_t off = run * hw;
          double dg, db;
          backward_run (dx != NULL ? dx + off : NULL, &dg, &db, dy + off, xhat + off, hw,
                        gamma != NULL ? gamma[ch] : 1.0f, invstd[run], dx_set);
          sg += dg;
          sb += db;
        }
      if (dgamma != NULL)
        dgamma[ch] += (float) sg;
      if (dbeta != NULL)
        dbeta[ch] += (float) sb;
    }
}
