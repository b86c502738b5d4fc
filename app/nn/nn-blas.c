/* nn-blas.c — OpenBLAS set-up at program start: which kernels run, and with how many threads.
 *
 * Kernels. Debian's OpenBLAS is built with DYNAMIC_ARCH and picks its kernels from the CPU model when
 * the library loads. On some Xeons it does not recognise the model and falls back to the generic
 * "Prescott" (SSE3) kernels: ~30–40 GFLOP/s for sgemm instead of 114–159 with the AVX-512 "SkylakeX"
 * kernels on one core (41.6 vs 144.8 GFLOP/s measured on the project machine at 512³). The only
 * way to change the choice is OPENBLAS_CORETYPE, read once by the library's constructor, i.e. before
 * main. So nn_blas_setup, first thing in main:
 *   1. If the user set OPENBLAS_CORETYPE, it does nothing: the user's choice always wins.
 *   2. Otherwise, if the CPU has AVX-512 (F, CD, BW, DQ, VL) and OpenBLAS runs a core below SkylakeX,
 *      or the CPU has AVX2 + FMA and OpenBLAS runs a core below Haswell, it sets OPENBLAS_CORETYPE to
 *      that core, records the choice in ZIMARU_BLAS_REEXEC=<core>, and re-executes /proc/self/exe with
 *      the same argv. A CPU that OpenBLAS already recognises costs nothing (no exec).
 *   3. In the re-executed process (OPENBLAS_CORETYPE equal to the recorded choice) it checks sgemm
 *      against a naive product. If they disagree it sets ZIMARU_BLAS_REEXEC=fallback, removes
 *      OPENBLAS_CORETYPE and re-executes once more with OpenBLAS's own choice. The marker is never
 *      acted on twice, so there is no loop; child processes inherit the verified choice without a
 *      further exec.
 * If the exec itself fails, the environment is restored and the program continues as it was.
 *
 * Threads. The training thread is the only caller of BLAS (the GUI thread draws, the data loader
 * renders glyphs between steps), so OpenBLAS keeps its default of one thread per core, and we set no
 * OPENBLAS_NUM_THREADS: a user's OPENBLAS_NUM_THREADS / OMP_NUM_THREADS is read by OpenBLAS itself and
 * stays in force. Measured here with SkylakeX kernels (2 cores), two threads give 1.2–1.8× on the
 * U-Net's large conv GEMMs (64×4096×512: 100 → 183 GFLOP/s) and 0.9× on the narrowest
 * (512×64×4096), so the default is right for training; `--threads` maps to nn_blas_set_threads. */
#include "nn-blas.h"

#include <cblas.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#define MARKER_ENV "ZIMARU_BLAS_REEXEC"
#define MARKER_FALLBACK "fallback"
/* For tests only, a comma-separated list: "generic" makes setup treat OpenBLAS's core as generic (so
 * the re-exec path runs on CPUs OpenBLAS recognises), "mismatch" makes the verification after the
 * re-exec fail (so the fallback path runs). */
#define TEST_ENV "ZIMARU_BLAS_TEST"

/* Vector width class of a core: 2 AVX-512, 1 AVX2/FMA, 0 older or unknown. */
static int
core_rank (const char *core)
{
  static const char *const avx512[] = { "SkylakeX", "Cooperlake", "SapphireRapids" };
  static const char *const avx2[] = { "Haswell", "Zen" };

  if (core == NULL)
    return 0;
  for (size_t i = 0; i < sizeof avx512 / sizeof avx512[0]; i++)
    if (strcasecmp (core, avx512[i]) == 0)
      return 2;
  for (size_t i = 0; i < sizeof avx2 / sizeof avx2[0]; i++)
    if (strcasecmp (core, avx2[i]) == 0)
      return 1;
  return 0;
}

/* The best core type this CPU can run, or NULL when it has neither AVX-512 nor AVX2. */
static const char *
cpu_best_core (void)
{
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
  __builtin_cpu_init ();
  if (__builtin_cpu_supports ("avx512f") && __builtin_cpu_supports ("avx512cd")
      && __builtin_cpu_supports ("avx512bw") && __builtin_cpu_supports ("avx512dq")
      && __builtin_cpu_supports ("avx512vl"))
    return "SkylakeX";
  if (__builtin_cpu_supports ("avx2") && __builtin_cpu_supports ("fma"))
    return "Haswell";
#endif
  return NULL;
}

static const char *
env_nonempty (const char *name)
{
  const char *value = getenv (name);
  return value != NULL && value[0] != '\0' ? value : NULL;
}

/* Whether mode is one of the comma-separated words of ZIMARU_BLAS_TEST. */
static int
test_mode (const char *mode)
{
  const size_t len = strlen (mode);
  const char *p = getenv (TEST_ENV);
  while (p != NULL)
    {
      if (strncmp (p, mode, len) == 0 && (p[len] == ',' || p[len] == '\0'))
        return 1;
      p = strchr (p, ',');
      if (p != NULL)
        p++;
    }
  return 0;
}

/* Deterministic test values in [-1, 1) from an integer hash; no RNG state needed. */
static float
test_value (unsigned i)
{
  i = (i ^ 61u) ^ (i >> 16);
  i *= 9u;
  i ^= i >> 4;
  i *= 0x27d4eb2du;
  i ^= i >> 15;
  return (float) (i & 0xFFFF) / 32768.0f - 1.0f;
}

static int
verify_one (int trans_a, int trans_b, float *a, float *b, float *c, int m, int n, int k)
{
  /* A is m×k (stored k×m when transposed), B is k×n (stored n×k when transposed), row-major. */
  for (int i = 0; i < m * k; i++)
    a[i] = test_value ((unsigned) i);
  for (int i = 0; i < k * n; i++)
    b[i] = test_value ((unsigned) (i + 7919));
  for (int i = 0; i < m * n; i++)
    c[i] = 0.5f;  /* beta = 2 checks that C is read as well as written */

  cblas_sgemm (CblasRowMajor, trans_a ? CblasTrans : CblasNoTrans, trans_b ? CblasTrans : CblasNoTrans,
               m, n, k, 1.5f, a, trans_a ? m : k, b, trans_b ? k : n, 2.0f, c, n);

  for (int i = 0; i < m; i++)
    for (int j = 0; j < n; j++)
      {
        double sum = 0, mag = 0;
        for (int p = 0; p < k; p++)
          {
            const double x = trans_a ? a[p * m + i] : a[i * k + p];
            const double y = trans_b ? b[j * k + p] : b[p * n + j];
            sum += x * y;
            mag += fabs (x * y);
          }
        const double want = 1.5 * sum + 1.0;
        /* float accumulation over k terms: a few k·2^-24 of the magnitude at most. */
        if (!(fabs (c[i * n + j] - want) <= 1e-5 * (1.5 * mag + 1.0)))
          return 0;
      }
  return 1;
}

int
nn_blas_verify (void)
{
  /* Odd sizes exercise the kernels' edge handling as well as their main blocks. */
  enum { M = 37, N = 29, K = 67 };
  float *a = malloc (sizeof (float) * M * K);
  float *b = malloc (sizeof (float) * K * N);
  float *c = malloc (sizeof (float) * M * N);
  int ok = a != NULL && b != NULL && c != NULL;

  for (int t = 0; t < 4 && ok; t++)
    ok = verify_one (t & 1, (t >> 1) & 1, a, b, c, M, N, K);
  free (a);
  free (b);
  free (c);
  return ok;
}

/* Re-executes this program with its argv; returns only if that failed. The path /proc/self/exe
 * points to is tried first because tools that run the program inside themselves (valgrind) translate
 * that name but not an exec of the link itself; the link is the fallback, for a binary replaced on
 * disk since it started. */
static void
reexec (char **argv)
{
  char path[4096];

  if (argv == NULL || argv[0] == NULL)
    return;
  const ssize_t n = readlink ("/proc/self/exe", path, sizeof path - 1);
  if (n > 0 && (size_t) n < sizeof path - 1)
    {
      path[n] = '\0';
      execv (path, argv);
    }
  execv ("/proc/self/exe", argv);
}

void
nn_blas_setup (char **argv)
{
  const char *user = env_nonempty ("OPENBLAS_CORETYPE");
  const char *marker = env_nonempty (MARKER_ENV);

  if (user != NULL)
    {
      /* Our own choice (the marker names it) is verified; anything else is the user's and wins. */
      if (marker != NULL && strcmp (marker, user) == 0
          && (test_mode ("mismatch") || !nn_blas_verify ()))
        {
          /* Copy the name: changing the environment may free the strings getenv returned. */
          char chosen[64];
          snprintf (chosen, sizeof chosen, "%s", user);
          setenv (MARKER_ENV, MARKER_FALLBACK, 1);
          unsetenv ("OPENBLAS_CORETYPE");
          reexec (argv);
          /* Cannot restart: keep running with the kernels already loaded, and say so. */
          setenv ("OPENBLAS_CORETYPE", chosen, 1);
          setenv (MARKER_ENV, chosen, 1);
        }
      return;
    }
  if (marker != NULL)
    return;  /* a verification failed earlier: stay with OpenBLAS's own choice */

  const char *best = cpu_best_core ();
  const int current = test_mode ("generic") ? 0 : core_rank (openblas_get_corename ());
  if (best == NULL || core_rank (best) <= current)
    return;

  setenv ("OPENBLAS_CORETYPE", best, 1);
  setenv (MARKER_ENV, best, 1);
  reexec (argv);
  unsetenv ("OPENBLAS_CORETYPE");
  unsetenv (MARKER_ENV);
}

const char *
nn_blas_core_name (void)
{
  const char *core = openblas_get_corename ();
  return core != NULL ? core : "unknown";
}

NnBlasCoreOrigin
nn_blas_core_origin (void)
{
  const char *user = env_nonempty ("OPENBLAS_CORETYPE");
  const char *marker = env_nonempty (MARKER_ENV);

  if (user != NULL)
    return marker != NULL && strcmp (marker, user) == 0 ? NN_BLAS_CORE_CHOSEN : NN_BLAS_CORE_USER;
  if (marker != NULL && strcmp (marker, MARKER_FALLBACK) == 0)
    return NN_BLAS_CORE_FALLBACK;
  return NN_BLAS_CORE_DETECTED;
}

static int
default_threads (void)
{
  static const char *const vars[] = { "OPENBLAS_NUM_THREADS", "GOTO_NUM_THREADS", "OMP_NUM_THREADS" };
  for (size_t i = 0; i < sizeof vars / sizeof vars[0]; i++)
    {
      const char *value = getenv (vars[i]);
      const int n = value != NULL ? atoi (value) : 0;
      if (n > 0)
        return n;
    }
  return openblas_get_num_procs ();
}

void
nn_blas_set_threads (int n)
{
  openblas_set_num_threads (n > 0 ? n : default_threads ());
}

int
nn_blas_get_threads (void)
{
  return openblas_get_num_threads ();
}

void
nn_blas_describe (char *buf, size_t size)
{
  static const char *const origins[] = {
    [NN_BLAS_CORE_DETECTED] = "detected by OpenBLAS",
    [NN_BLAS_CORE_USER] = "set by OPENBLAS_CORETYPE",
    [NN_BLAS_CORE_CHOSEN] = "chosen by Zimaru",
    [NN_BLAS_CORE_FALLBACK] = "OpenBLAS default after a failed check",
  };
  if (buf == NULL || size == 0)
    return;
  /* openblas_get_config() starts with "OpenBLAS <version>"; keep those two words. */
  const char *config = openblas_get_config ();
  int version_len = 0;
  if (config != NULL)
    {
      const char *space = strchr (config, ' ');
      const char *end = space != NULL ? strchr (space + 1, ' ') : NULL;
      version_len = end != NULL ? (int) (end - config) : (int) strlen (config);
    }
  const int threads = nn_blas_get_threads ();
  snprintf (buf, size, "%.*s, %s kernels (%s), %d thread%s", version_len,
            config != NULL ? config : "", nn_blas_core_name (), origins[nn_blas_core_origin ()],
            threads, threads == 1 ? "" : "s");
}
