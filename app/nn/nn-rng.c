/* nn-rng.c — the engine's random numbers: xoshiro256** (Blackman & Vigna 2018, "Scrambled linear
 * pseudorandom number generators") seeded through SplitMix64 (Steele, Lea & Flood 2014), as the
 * xoshiro authors recommend, so that nearby seeds give unrelated streams.
 *
 * All state is the four words of NnRng: nothing is cached between calls (the normal sampler does not
 * keep Box–Muller's second value), so saving those four words in a checkpoint restores the stream
 * exactly. */
#include "nn-rng.h"

#include <math.h>

static inline uint64_t
rotl (uint64_t x, int k)
{
  return (x << k) | (x >> (64 - k));
}

/* SplitMix64: one step of a Weyl sequence followed by a 64-bit finaliser. */
static uint64_t
splitmix64 (uint64_t *x)
{
  uint64_t z = (*x += UINT64_C (0x9e3779b97f4a7c15));
  z = (z ^ (z >> 30)) * UINT64_C (0xbf58476d1ce4e5b9);
  z = (z ^ (z >> 27)) * UINT64_C (0x94d049bb133111eb);
  return z ^ (z >> 31);
}

void
nn_rng_seed (NnRng *rng, uint64_t seed)
{
  uint64_t x = seed;
  for (int i = 0; i < 4; i++)
    rng->s[i] = splitmix64 (&x);
  /* An all-zero state is xoshiro's one fixed point; SplitMix64 cannot produce four zero words in a
   * row, but guard anyway because the state may also come from a checkpoint. */
  if ((rng->s[0] | rng->s[1] | rng->s[2] | rng->s[3]) == 0)
    rng->s[0] = UINT64_C (0x9e3779b97f4a7c15);
}

uint64_t
nn_rng_next (NnRng *rng)
{
  uint64_t *s = rng->s;
  const uint64_t result = rotl (s[1] * 5, 7) * 9;
  const uint64_t t = s[1] << 17;

  s[2] ^= s[0];
  s[3] ^= s[1];
  s[1] ^= s[2];
  s[0] ^= s[3];
  s[2] ^= t;
  s[3] = rotl (s[3], 45);
  return result;
}

float
nn_rng_uniform (NnRng *rng)
{
  /* The top 24 bits fill a float mantissa exactly, so the result is a multiple of 2^-24 in [0, 1)
   * and never rounds up to 1. */
  return (float) (nn_rng_next (rng) >> 40) * 0x1.0p-24f;
}

float
nn_rng_normal (NnRng *rng)
{
  /* Box–Muller (Box & Muller 1958) in double precision: u1 is in (0, 1] so the logarithm is finite,
   * u2 in [0, 1). Each sample consumes exactly two words, which keeps streams easy to reason about. */
  const double u1 = ((double) (nn_rng_next (rng) >> 11) + 1.0) * 0x1.0p-53;
  const double u2 = (double) (nn_rng_next (rng) >> 11) * 0x1.0p-53;
  return (float) (sqrt (-2.0 * log (u1)) * cos (2.0 * M_PI * u2));
}

uint32_t
nn_rng_below (NnRng *rng, uint32_t n)
{
  /* Lemire's multiply-and-reject (Lemire 2019, "Fast random integer generation in an interval"):
   * the high half of x·n is uniform on [0, n) once the low half is outside the 2^32 mod n biased
   * values. */
  if (n == 0)
    return 0;
  uint64_t m = (nn_rng_next (rng) >> 32) * (uint64_t) n;
  uint32_t low = (uint32_t) m;
  if (low < n)
    {
      const uint32_t threshold = (uint32_t) (-n) % n;
      while (low < threshold)
        {
          m = (nn_rng_next (rng) >> 32) * (uint64_t) n;
          low = (uint32_t) m;
        }
    }
  return (uint32_t) (m >> 32);
}
