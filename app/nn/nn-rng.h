/* nn-rng.h — the engine's random numbers: xoshiro256** (Blackman & Vigna 2018) seeded with SplitMix64.
 * The state is passed in explicitly everywhere (no globals, no rand()), so a run is reproducible from
 * its seed and its RNG state can be saved in a checkpoint. */
#pragma once

#include <stdint.h>

typedef struct {
  uint64_t s[4];
} NnRng;

void     nn_rng_seed (NnRng *rng, uint64_t seed);
uint64_t nn_rng_next (NnRng *rng);
/* Uniform in [0, 1). */
float    nn_rng_uniform (NnRng *rng);
/* Standard normal N(0, 1). */
float    nn_rng_normal (NnRng *rng);
/* Uniform integer in [0, n), without modulo bias; n > 0. */
uint32_t nn_rng_below (NnRng *rng, uint32_t n);
