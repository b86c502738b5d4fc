/* nn-peak.c — the measured arithmetic peak (see nn-peak.h).
 *
 * Each loop keeps many accumulators that depend only on themselves, so that the multiply-adds of one
 * round are independent and the processor can issue as many per cycle as it has ports: with a
 * latency of 4–6 cycles and two ports, 10–12 chains already hide the latency; the loops use 16 (24
 * for the bf16 dot products, whose latency is longer on some processors). Nothing is loaded or
 * stored inside the loop. The kernels are compiled for their instruction sets with target attributes
 * and only called after __builtin_cpu_supports says the processor has them, so the engine still runs
 * on processors without AVX-512 (or without FMA). The multipliers come from memory the compiler
 * cannot see through (a volatile read), so it cannot fold the loop away, and keep every value far
 * from overflow and from subnormals, which would be slower. */
#define _GNU_SOURCE
#include "nn-peak.h"

#include <immintrin.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* Rounds of the inner loop between looks at the clock: about a millisecond at 4 GHz. */
#define ROUNDS_PER_CHUNK 100000L

typedef enum {
  LOOP_ZMM_FMA,
  LOOP_YMM_FMA,
  LOOP_ZMM_BF16,
} LoopKind;

int
nn_cpu_has_bf16 (void)
{
  __builtin_cpu_init ();
  return __builtin_cpu_supports ("avx512f") && __builtin_cpu_supports ("avx512bw")
         && __builtin_cpu_supports ("avx512bf16");
}

NnPrecision
nn_precision_resolve (NnPrecision precision)
{
  if (precision != NN_PRECISION_AUTO)
    return precision;
  return nn_cpu_has_bf16 () ? NN_PRECISION_BF16 : NN_PRECISION_FP32;
}

static int
cpu_has_fma (void)
{
  __builtin_cpu_init ();
  return __builtin_cpu_supports ("fma") && __builtin_cpu_supports ("avx2");
}

static int
cpu_has_avx512 (void)
{
  __builtin_cpu_init ();
  return __builtin_cpu_supports ("avx512f");
}

int
nn_cpu_avx512_kernel_on (const char *env_name)
{
  const char *env = getenv (env_name);
  return cpu_has_avx512 () && !(env != NULL && strcmp (env, "0") == 0);
}

static double
now_seconds (void)
{
  struct timespec ts;
  clock_gettime (CLOCK_MONOTONIC, &ts);
  return (double) ts.tv_sec + ts.tv_nsec * 1e-9;
}

/* The sum of a vector's lanes (through memory: GCC 12's _mm512_reduce_add_ps starts from a
 * self-initialised vector, which -Wuninitialized reports). */
__attribute__ ((target ("avx512f"))) static float
lane_sum (__m512 v)
{
  float lanes[16], t = 0.0f;
  _mm512_storeu_ps (lanes, v);
  for (int i = 0; i < 16; i++)
    t += lanes[i];
  return t;
}

/* 16 chains of 512-bit FMAs, acc = acc·m + a; 32 flops each. Returns a value that depends on every
 * chain. */
__attribute__ ((target ("avx512f"))) static float
loop_zmm_fma (long rounds, float mul, float add)
{
  __m512 m = _mm512_set1_ps (mul), a = _mm512_set1_ps (add);
  __m512 acc[16];
  for (int i = 0; i < 16; i++)
    acc[i] = _mm512_set1_ps ((float) i);
  for (long r = 0; r < rounds; r++)
    {
#pragma GCC unroll 16
      for (int i = 0; i < 16; i++)
        acc[i] = _mm512_fmadd_ps (acc[i], m, a);
    }
  __m512 s = acc[0];
  for (int i = 1; i < 16; i++)
    s = _mm512_add_ps (s, acc[i]);
  return lane_sum (s);
}

/* 12 chains of 256-bit FMAs (16 flops each): with m and a, 14 of the 16 ymm registers. */
__attribute__ ((target ("avx2,fma"))) static float
loop_ymm_fma (long rounds, float mul, float add)
{
  __m256 m = _mm256_set1_ps (mul), a = _mm256_set1_ps (add);
  __m256 acc[12];
  for (int i = 0; i < 12; i++)
    acc[i] = _mm256_set1_ps ((float) i);
  for (long r = 0; r < rounds; r++)
    {
#pragma GCC unroll 12
      for (int i = 0; i < 12; i++)
        acc[i] = _mm256_fmadd_ps (acc[i], m, a);
    }
  __m256 s = acc[0];
  for (int i = 1; i < 12; i++)
    s = _mm256_add_ps (s, acc[i]);
  float lanes[8];
  _mm256_storeu_ps (lanes, s);
  float t = 0.0f;
  for (int i = 0; i < 8; i++)
    t += lanes[i];
  return t;
}

/* 24 chains of vdpbf16ps (64 flops each, nn-peak.h): acc += x₀·y₀ + x₁·y₁ per lane. x and y are
 * small, so the sums grow by ~1e-6 a round and stay normal and finite for ~1e12 rounds. */
__attribute__ ((target ("avx512f,avx512bw,avx512bf16"))) static float
loop_zmm_bf16 (long rounds, float mul, float add)
{
  __m512bh x = _mm512_cvtne2ps_pbh (_mm512_set1_ps (add), _mm512_set1_ps (add));
  __m512bh y = _mm512_cvtne2ps_pbh (_mm512_set1_ps (mul), _mm512_set1_ps (mul));
  __m512 acc[24];
  for (int i = 0; i < 24; i++)
    acc[i] = _mm512_set1_ps ((float) i);
  for (long r = 0; r < rounds; r++)
    {
#pragma GCC unroll 24
      for (int i = 0; i < 24; i++)
        acc[i] = _mm512_dpbf16_ps (acc[i], x, y);
    }
  __m512 s = acc[0];
  for (int i = 1; i < 24; i++)
    s = _mm512_add_ps (s, acc[i]);
  return lane_sum (s);
}

/* Floating-point operations of one round of each loop. */
static double
flops_per_round (LoopKind kind)
{
  switch (kind)
    {
    case LOOP_ZMM_FMA: return 16.0 * 16 * 2;
    case LOOP_YMM_FMA: return 12.0 * 8 * 2;
    case LOOP_ZMM_BF16: return 24.0 * 16 * 4;
    default: return 0.0;
    }
}

typedef struct {
  LoopKind           kind;
  double             seconds;
  atomic_int        *ready;    /* threads waiting for go */
  atomic_int        *go;       /* set once every thread is waiting: all start together */
  double             gflops;   /* out */
  float              sink;     /* out: keeps the result alive */
} PeakThread;

static void *
peak_thread_main (void *p)
{
  PeakThread *t = p;
  /* A volatile read: the compiler cannot know these values, so it cannot fold the chains. */
  volatile float mul_v = 0.999999f, add_v = 1e-3f;
  float mul = mul_v, add = add_v;
  long rounds = 0;
  float sink = 0.0f;

  atomic_fetch_add (t->ready, 1);
  while (!atomic_load (t->go))
    sched_yield ();
  double t0 = now_seconds (), t1 = t0;
  while (t1 - t0 < t->seconds)
    {
      switch (t->kind)
        {
        case LOOP_ZMM_FMA: sink += loop_zmm_fma (ROUNDS_PER_CHUNK, mul, add); break;
        case LOOP_YMM_FMA: sink += loop_ymm_fma (ROUNDS_PER_CHUNK, mul, add); break;
        case LOOP_ZMM_BF16: sink += loop_zmm_bf16 (ROUNDS_PER_CHUNK, mul, add); break;
        default: break;
        }
      rounds += ROUNDS_PER_CHUNK;
      t1 = now_seconds ();
    }
  t->gflops = rounds * flops_per_round (t->kind) / (t1 - t0) / 1e9;
  t->sink = sink;
  return NULL;
}

/* The processors of the process's affinity mask, in order; their count (0 when unknown). */
static int
allowed_cpus (int *cpus, int max)
{
  cpu_set_t set;
  int count = 0;
  if (sched_getaffinity (0, sizeof set, &set) != 0)
    return 0;
  for (int c = 0; c < CPU_SETSIZE && count < max; c++)
    if (CPU_ISSET (c, &set))
      cpus[count++] = c;
  return count;
}

#define MAX_PEAK_THREADS 256

/* Pins the calling thread to processor cpu (no change when the mask cannot be set). */
static void
pin_self (int cpu)
{
  cpu_set_t one;
  CPU_ZERO (&one);
  CPU_SET (cpu, &one);
  pthread_setaffinity_np (pthread_self (), sizeof one, &one);
}

/* One round of a loop on `threads` threads started together; the sum of their rates. Thread 0 is
 * the caller (pinned for the duration, its mask restored afterwards); each other thread is pinned
 * to a processor of its own where the mask allows. */
static NnStatus
run_loop (LoopKind kind, int threads, double seconds, double *gflops)
{
  pthread_t tids[MAX_PEAK_THREADS];
  PeakThread work[MAX_PEAK_THREADS];
  int cpus[MAX_PEAK_THREADS];
  int ncpus = allowed_cpus (cpus, MAX_PEAK_THREADS);
  atomic_int ready = 0, go = 0;
  int started = 0;
  cpu_set_t saved;
  int have_saved = pthread_getaffinity_np (pthread_self (), sizeof saved, &saved) == 0;

  for (int i = 0; i < threads; i++)
    work[i] = (PeakThread) { .kind = kind, .seconds = seconds, .ready = &ready, .go = &go };
  for (int i = 1; i < threads; i++)
    {
      pthread_attr_t attr;
      pthread_attr_init (&attr);
      if (ncpus > 0)
        {
          cpu_set_t one;
          CPU_ZERO (&one);
          CPU_SET (cpus[i % ncpus], &one);
          pthread_attr_setaffinity_np (&attr, sizeof one, &one);
        }
      int rc = pthread_create (&tids[i], &attr, peak_thread_main, &work[i]);
      pthread_attr_destroy (&attr);
      if (rc != 0)
        break;
      started++;
    }
  if (started < threads - 1)
    {
      /* Let the threads that did start run their loop out, then report the failure. */
      atomic_store (&go, 1);
      for (int i = 1; i <= started; i++)
        pthread_join (tids[i], NULL);
      return NN_ERR_NOMEM;
    }
  if (ncpus > 0)
    pin_self (cpus[0]);
  while (atomic_load (&ready) < started)
    sched_yield ();
  atomic_store (&go, 1);
  peak_thread_main (&work[0]);
  for (int i = 1; i <= started; i++)
    pthread_join (tids[i], NULL);
  if (have_saved)
    pthread_setaffinity_np (pthread_self (), sizeof saved, &saved);
  double sum = 0.0;
  for (int i = 0; i < threads; i++)
    sum += work[i].gflops;
  *gflops = sum;
  return NN_OK;
}

/* The best of three rounds (the first often runs while the clock is still rising). */
static NnStatus
best_of_three (LoopKind kind, int threads, double seconds, double *gflops)
{
  double best = 0.0;
  for (int r = 0; r < 3; r++)
    {
      double g = 0.0;
      NnStatus st = run_loop (kind, threads, seconds, &g);
      if (st != NN_OK)
        return st;
      best = g > best ? g : best;
    }
  *gflops = best;
  return NN_OK;
}

NnStatus
nn_peak_measure (NnPeak *out, int threads, double seconds)
{
  NnStatus st;
  memset (out, 0, sizeof *out);
  if (threads <= 0)
    {
      long online = sysconf (_SC_NPROCESSORS_ONLN);
      threads = online > 0 ? (int) online : 1;
    }
  if (threads > MAX_PEAK_THREADS)
    threads = MAX_PEAK_THREADS;
  if (seconds <= 0.0)
    seconds = 0.2;
  seconds = seconds < 0.05 ? 0.05 : seconds > 2.0 ? 2.0 : seconds;
  out->threads = threads;

  if (cpu_has_fma ())
    {
      double ymm = 0.0, zmm = 0.0;
      if ((st = best_of_three (LOOP_YMM_FMA, threads, seconds, &ymm)) != NN_OK)
        return st;
      if (cpu_has_avx512 () && (st = best_of_three (LOOP_ZMM_FMA, threads, seconds, &zmm)) != NN_OK)
        return st;
      out->fp32_gflops = zmm > ymm ? zmm : ymm;
      out->fp32_bits = zmm > ymm ? 512 : 256;
    }
  if (nn_cpu_has_bf16 ()
      && (st = best_of_three (LOOP_ZMM_BF16, threads, seconds, &out->bf16_gflops)) != NN_OK)
    return st;
  return NN_OK;
}
