/* nn-sched.h — learning-rate schedules as pure functions of the step, so the UI can plot a schedule
 * before training starts: fixed, step decay with a floor (zi2zi), exponential decay, cosine with linear
 * warm-up (Loshchilov & Hutter 2017), and reduce-on-plateau driven by a validation metric. */
#pragma once

#include <stdint.h>

typedef enum {
  NN_SCHED_FIXED,
  NN_SCHED_STEP,     /* lr = max(floor, base * gamma^floor(step / every)) */
  NN_SCHED_EXP,      /* lr = max(floor, base * gamma^(step / every)) (every = 1: per step) */
  NN_SCHED_COSINE,   /* linear warm-up over warmup steps, then cosine from base to min_lr at total */
  NN_SCHED_PLATEAU,  /* base * factor, factor *= gamma after patience validations without improvement */
} NnSchedKind;

typedef struct {
  NnSchedKind kind;
  float    base_lr;
  uint64_t every;         /* STEP, EXP: steps per decay period (the trainer converts epochs to steps) */
  float    gamma;         /* STEP, EXP, PLATEAU: multiplier per period / per plateau */
  float    floor_lr;      /* STEP, EXP, PLATEAU: the rate never goes below this */
  uint64_t warmup_steps;  /* COSINE (and any schedule): linear warm-up from 0 */
  uint64_t total_steps;   /* COSINE */
  float    min_lr;        /* COSINE */
  uint32_t patience;      /* PLATEAU: validations without improvement before a cut */
  float    threshold;     /* PLATEAU: relative improvement that counts */
} NnSchedConfig;

/* State of reduce-on-plateau; other schedules ignore it. Saved in checkpoints by the trainer. */
typedef struct {
  float    factor;      /* starts at 1 */
  float    best;        /* best metric seen (lower is better); starts at +inf */
  uint32_t bad_evals;
} NnPlateauState;

/* Defaults: STEP every 10 000 steps, gamma 0.5, floor base / 5 (zi2zi's 1e-3 → 2e-4); EXP every 1 000,
 * gamma 0.99, no floor; COSINE total 100 000, min 0; PLATEAU gamma 0.5, patience 5, threshold 1e-3,
 * floor base / 100; no warm-up. With warmup_steps W > 0, any schedule is scaled by (step + 1) / W for
 * step < W (COSINE starts its decay after the warm-up; the others keep their decay points). */
void  nn_sched_defaults (NnSchedConfig *cfg, NnSchedKind kind, float base_lr);
void  nn_plateau_init (NnPlateauState *state);
/* Feeds a validation metric (lower is better); returns 1 when the rate was just cut. */
int   nn_plateau_observe (const NnSchedConfig *cfg, NnPlateauState *state, float metric);
/* The learning rate at a 0-based step. state may be NULL for schedules other than PLATEAU. */
float nn_sched_lr (const NnSchedConfig *cfg, const NnPlateauState *state, uint64_t step);
