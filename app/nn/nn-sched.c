/* nn-sched.c — learning-rate schedules as pure functions of the 0-based step (plus, for
 * reduce-on-plateau, a small state the trainer feeds with validation metrics), so the UI can draw a
 * schedule before training starts and a resumed run continues on the same curve.
 *
 *   FIXED    lr = base
 *   STEP     lr = max(floor, base · γ^⌊step / every⌋)        zi2zi halves the rate every 10 epochs
 *                                                             with a floor of 2e-4
 *   EXP      lr = max(floor, base · γ^(step / every))        the max32002 fork: ×0.99 per epoch
 *   COSINE   linear warm-up, then lr = min + (base - min) · (1 + cos(π·p)) / 2 with
 *            p = (step - warmup) / (total - warmup) clamped to [0, 1] (SGDR without restarts,
 *            Loshchilov & Hutter 2017; warm-up as in Goyal et al. 2017)
 *   PLATEAU  lr = max(floor, base · factor); factor ×= γ after `patience` validations in a row that do
 *            not improve on the best metric by the relative `threshold` (PyTorch's
 *            ReduceLROnPlateau in "min"/"rel" mode)
 *
 * Warm-up: with warmup_steps = W > 0 any schedule is multiplied by (step + 1) / W for step < W, so the
 * first step already moves (a zero rate would waste it) and step W - 1 reaches the full rate. For
 * COSINE the decay starts after the warm-up; the other schedules keep counting from step 0, so adding a
 * warm-up does not shift their decay points.
 *
 * Defaults (nn_sched_defaults): STEP every 10 000 steps, γ 0.5, floor base / 5 (zi2zi's 1e-3 → 2e-4);
 * EXP every 1 000 steps, γ 0.99, floor 0; COSINE total 100 000, no warm-up, min 0; PLATEAU γ 0.5,
 * patience 5, threshold 1e-3, floor base / 100. */
#include "nn-sched.h"

#include <math.h>
#include <string.h>

void
nn_sched_defaults (NnSchedConfig *cfg, NnSchedKind kind, float base_lr)
{
  memset (cfg, 0, sizeof *cfg);
  cfg->kind = kind;
  cfg->base_lr = base_lr;
  cfg->gamma = 1.0f;
  switch (kind)
    {
    case NN_SCHED_STEP:
      cfg->every = 10000;
      cfg->gamma = 0.5f;
      cfg->floor_lr = base_lr / 5.0f;
      break;
    case NN_SCHED_EXP:
      cfg->every = 1000;
      cfg->gamma = 0.99f;
      break;
    case NN_SCHED_COSINE:
      cfg->total_steps = 100000;
      break;
    case NN_SCHED_PLATEAU:
      cfg->gamma = 0.5f;
      cfg->patience = 5;
      cfg->threshold = 1e-3f;
      cfg->floor_lr = base_lr / 100.0f;
      break;
    case NN_SCHED_FIXED:
    default:
      break;
    }
}

void
nn_plateau_init (NnPlateauState *state)
{
  state->factor = 1.0f;
  state->best = INFINITY;
  state->bad_evals = 0;
}

int
nn_plateau_observe (const NnSchedConfig *cfg, NnPlateauState *state, float metric)
{
  /* NaN compares false, so a non-finite metric counts as "no improvement". */
  if (metric < state->best * (1.0f - cfg->threshold) || (isinf (state->best) && isfinite (metric)))
    {
      state->best = metric;
      state->bad_evals = 0;
      return 0;
    }
  state->bad_evals++;
  if (state->bad_evals < cfg->patience)
    return 0;
  state->bad_evals = 0;

  /* Once the rate sits on the floor a further cut changes nothing; report only real cuts. */
  float factor = state->factor * cfg->gamma;
  if (cfg->base_lr > 0.0f && cfg->base_lr * factor < cfg->floor_lr)
    factor = cfg->floor_lr / cfg->base_lr;
  if (!(factor < state->factor))
    return 0;
  state->factor = factor;
  return 1;
}

static float
clamp_floor (float lr, float floor_lr)
{
  return lr > floor_lr ? lr : floor_lr;
}

float
nn_sched_lr (const NnSchedConfig *cfg, const NnPlateauState *state, uint64_t step)
{
  const double base = cfg->base_lr;
  double lr;

  switch (cfg->kind)
    {
    case NN_SCHED_STEP:
      lr = cfg->every > 0 ? base * pow (cfg->gamma, (double) (step / cfg->every)) : base;
      lr = clamp_floor ((float) lr, cfg->floor_lr);
      break;
    case NN_SCHED_EXP:
      lr = cfg->every > 0 ? base * pow (cfg->gamma, (double) step / (double) cfg->every) : base;
      lr = clamp_floor ((float) lr, cfg->floor_lr);
      break;
    case NN_SCHED_COSINE:
      {
        const double min_lr = cfg->min_lr;
        if (step < cfg->warmup_steps)
          {
            lr = base;  /* the warm-up factor below applies */
            break;
          }
        const uint64_t span = cfg->total_steps > cfg->warmup_steps
                              ? cfg->total_steps - cfg->warmup_steps : 0;
        const double p = span > 0 ? fmin (1.0, (double) (step - cfg->warmup_steps) / (double) span) : 1.0;
        lr = min_lr + (base - min_lr) * 0.5 * (1.0 + cos (M_PI * p));
      }
      break;
    case NN_SCHED_PLATEAU:
      lr = clamp_floor ((float) (base * (state != NULL ? state->factor : 1.0f)), cfg->floor_lr);
      break;
    case NN_SCHED_FIXED:
    default:
      lr = base;
      break;
    }

  if (step < cfg->warmup_steps)
    lr *= (double) (step + 1) / (double) cfg->warmup_steps;
  return (float) lr;
}
