/* test-nn-blas.c — tests of the OpenBLAS set-up: sgemm agrees with a naive product after
 * nn_blas_setup, a user's OPENBLAS_CORETYPE is never overridden, the automatic choice and its
 * verification fallback re-execute at most as documented, and the thread controls work.
 *
 * The set-up paths run in child processes (this program with --report), each with the environment
 * under test, because the core type can only change at process start. */
#include <glib.h>
#include <math.h>
#include <string.h>
#include <strings.h>

#include <cblas.h>

#include "nn-blas.h"

static int
report (char **argv)
{
  nn_blas_setup (argv);
  const char *env = g_getenv ("OPENBLAS_CORETYPE");
  const char *marker = g_getenv ("ZIMARU_BLAS_REEXEC");
  g_print ("core=%s\norigin=%d\nverify=%d\nenv=%s\nmarker=%s\n", nn_blas_core_name (),
           (int) nn_blas_core_origin (), nn_blas_verify (), env ? env : "", marker ? marker : "");
  return 0;
}

typedef struct {
  char *core;
  int   origin;
  int   verify;
  char *env;
  char *marker;
} Report;

static void
report_clear (Report *r)
{
  g_free (r->core);
  g_free (r->env);
  g_free (r->marker);
}

/* Runs this program with --report in an environment with OPENBLAS_CORETYPE, ZIMARU_BLAS_REEXEC and
 * ZIMARU_BLAS_TEST set to the given values (NULL: unset). */
static void
run_child (const char *coretype, const char *marker, const char *test_mode, Report *out)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *self = g_file_read_link ("/proc/self/exe", &error);
  g_assert_no_error (error);

  char **envp = g_get_environ ();
  const char *names[3] = { "OPENBLAS_CORETYPE", "ZIMARU_BLAS_REEXEC", "ZIMARU_BLAS_TEST" };
  const char *values[3] = { coretype, marker, test_mode };
  for (int i = 0; i < 3; i++)
    envp = values[i] ? g_environ_setenv (envp, names[i], values[i], TRUE)
                     : g_environ_unsetenv (envp, names[i]);

  char *argv[] = { self, (char *) "--report", NULL };
  g_autofree char *stdout_text = NULL;
  int wait_status;
  g_spawn_sync (NULL, argv, envp, G_SPAWN_DEFAULT, NULL, NULL, &stdout_text, NULL, &wait_status,
                &error);
  g_strfreev (envp);
  g_assert_no_error (error);
  g_spawn_check_wait_status (wait_status, &error);
  g_assert_no_error (error);

  memset (out, 0, sizeof *out);
  out->origin = -1;
  out->verify = -1;
  g_auto (GStrv) lines = g_strsplit (stdout_text, "\n", -1);
  for (int i = 0; lines[i] != NULL; i++)
    {
      const char *eq = strchr (lines[i], '=');
      if (eq == NULL)
        continue;
      const char *value = eq + 1;
      if (g_str_has_prefix (lines[i], "core="))
        out->core = g_strdup (value);
      else if (g_str_has_prefix (lines[i], "origin="))
        out->origin = atoi (value);
      else if (g_str_has_prefix (lines[i], "verify="))
        out->verify = atoi (value);
      else if (g_str_has_prefix (lines[i], "env="))
        out->env = g_strdup (value);
      else if (g_str_has_prefix (lines[i], "marker="))
        out->marker = g_strdup (value);
    }
  g_assert_nonnull (out->core);
  g_assert_nonnull (out->env);
  g_assert_nonnull (out->marker);
}

static gboolean
cpu_has_avx512 (void)
{
  __builtin_cpu_init ();
  return __builtin_cpu_supports ("avx512f") && __builtin_cpu_supports ("avx512cd")
         && __builtin_cpu_supports ("avx512bw") && __builtin_cpu_supports ("avx512dq")
         && __builtin_cpu_supports ("avx512vl");
}

static gboolean
cpu_has_avx2 (void)
{
  __builtin_cpu_init ();
  return __builtin_cpu_supports ("avx2") && __builtin_cpu_supports ("fma");
}

static gboolean
is_avx512_core (const char *core)
{
  return g_ascii_strcasecmp (core, "SkylakeX") == 0 || g_ascii_strcasecmp (core, "Cooperlake") == 0
         || g_ascii_strcasecmp (core, "SapphireRapids") == 0;
}

static void
test_sgemm_naive (void)
{
  /* A conv-like product as the engine makes it: W [Co 24, Ci·K·K 75] · col [75, 11·13]. */
  const int m = 24, k = 75, n = 143;
  g_autofree float *a = g_new (float, m * k);
  g_autofree float *b = g_new (float, k * n);
  g_autofree float *c = g_new (float, m * n);
  for (int i = 0; i < m * k; i++)
    a[i] = sinf (0.37f * (float) i);
  for (int i = 0; i < k * n; i++)
    b[i] = cosf (0.11f * (float) i) - 0.25f;

  cblas_sgemm (CblasRowMajor, CblasNoTrans, CblasNoTrans, m, n, k, 1.0f, a, k, b, n, 0.0f, c, n);
  double max_err = 0;
  for (int i = 0; i < m; i++)
    for (int j = 0; j < n; j++)
      {
        double want = 0;
        for (int p = 0; p < k; p++)
          want += (double) a[i * k + p] * b[p * n + j];
        max_err = fmax (max_err, fabs (c[i * n + j] - want));
      }
  g_assert_cmpfloat (max_err, <, 1e-4);
  g_assert_cmpint (nn_blas_verify (), ==, 1);
}

static void
test_setup_default (void)
{
  Report r;
  run_child (NULL, NULL, NULL, &r);
  g_assert_cmpint (r.verify, ==, 1);
  g_assert_true (r.origin == NN_BLAS_CORE_DETECTED || r.origin == NN_BLAS_CORE_CHOSEN);
  /* Whatever OpenBLAS detects, after set-up an AVX-512 CPU runs AVX-512 kernels. */
  if (cpu_has_avx512 ())
    g_assert_true (is_avx512_core (r.core));
  if (r.origin == NN_BLAS_CORE_CHOSEN)
    g_assert_cmpstr (r.env, ==, r.marker);
  else
    g_assert_cmpstr (r.env, ==, "");
  report_clear (&r);
}

static void
test_user_wins (void)
{
  Report r;

  run_child ("Haswell", NULL, NULL, &r);
  g_assert_cmpstr (r.core, ==, "Haswell");
  g_assert_cmpint (r.origin, ==, NN_BLAS_CORE_USER);
  g_assert_cmpstr (r.env, ==, "Haswell");
  g_assert_cmpstr (r.marker, ==, "");
  report_clear (&r);

  /* Even a generic core the set-up would otherwise upgrade, and even when told to pretend the core is
   * generic, or with a marker left by a parent that chose something else. */
  run_child ("Prescott", NULL, "generic", &r);
  g_assert_cmpstr (r.core, ==, "Prescott");
  g_assert_cmpint (r.origin, ==, NN_BLAS_CORE_USER);
  g_assert_cmpint (r.verify, ==, 1);
  report_clear (&r);

  run_child ("Prescott", "SkylakeX", "mismatch", &r);
  g_assert_cmpstr (r.core, ==, "Prescott");
  g_assert_cmpint (r.origin, ==, NN_BLAS_CORE_USER);
  g_assert_cmpstr (r.env, ==, "Prescott");
  report_clear (&r);
}

static void
test_reexec_chosen (void)
{
  Report r;

  /* Pretend OpenBLAS runs generic kernels: the set-up picks the CPU's best core and re-executes. */
  run_child (NULL, NULL, "generic", &r);
  if (cpu_has_avx512 () || cpu_has_avx2 ())
    {
      const char *best = cpu_has_avx512 () ? "SkylakeX" : "Haswell";
      g_assert_cmpstr (r.core, ==, best);
      g_assert_cmpint (r.origin, ==, NN_BLAS_CORE_CHOSEN);
      g_assert_cmpstr (r.env, ==, best);
      g_assert_cmpstr (r.marker, ==, best);
      g_assert_cmpint (r.verify, ==, 1);
    }
  else
    {
      g_assert_cmpint (r.origin, ==, NN_BLAS_CORE_DETECTED);
      g_assert_cmpstr (r.env, ==, "");
    }
  report_clear (&r);
}

static void
test_reexec_fallback (void)
{
  Report r;

  /* The chosen core "fails" its check: one more exec without OPENBLAS_CORETYPE, then no more (a loop
   * would never return here, and the test would time out). */
  run_child (NULL, NULL, "generic,mismatch", &r);
  if (cpu_has_avx512 () || cpu_has_avx2 ())
    {
      g_assert_cmpint (r.origin, ==, NN_BLAS_CORE_FALLBACK);
      g_assert_cmpstr (r.env, ==, "");
      g_assert_cmpstr (r.marker, ==, "fallback");
    }
  else
    g_assert_cmpint (r.origin, ==, NN_BLAS_CORE_DETECTED);
  g_assert_cmpint (r.verify, ==, 1);
  report_clear (&r);

  /* A fallback marker inherited from a parent stops any new attempt. */
  run_child (NULL, "fallback", "generic", &r);
  g_assert_cmpint (r.origin, ==, NN_BLAS_CORE_FALLBACK);
  g_assert_cmpstr (r.env, ==, "");
  report_clear (&r);

  /* A chosen core inherited by a child process is verified and kept without another exec (the core is
   * one this CPU runs: under valgrind, for example, AVX-512 is not available). */
  const char *best = cpu_has_avx512 () ? "SkylakeX" : cpu_has_avx2 () ? "Haswell" : "Prescott";
  run_child (best, best, NULL, &r);
  g_assert_cmpint (r.origin, ==, NN_BLAS_CORE_CHOSEN);
  g_assert_cmpstr (r.core, ==, best);
  g_assert_cmpstr (r.env, ==, best);
  report_clear (&r);
}

static void
test_threads (void)
{
  char line[256];

  nn_blas_set_threads (1);
  g_assert_cmpint (nn_blas_get_threads (), ==, 1);
  nn_blas_describe (line, sizeof line);
  g_assert_true (g_str_has_prefix (line, "OpenBLAS "));
  g_assert_nonnull (strstr (line, nn_blas_core_name ()));
  g_assert_nonnull (strstr (line, ", 1 thread"));
  g_assert_null (strstr (line, "1 threads"));

  /* The default follows the user's OPENBLAS_NUM_THREADS, else the processor count. */
  g_setenv ("OPENBLAS_NUM_THREADS", "3", TRUE);
  nn_blas_set_threads (0);
  g_assert_cmpint (nn_blas_get_threads (), ==, 3);
  g_unsetenv ("OPENBLAS_NUM_THREADS");
  g_unsetenv ("GOTO_NUM_THREADS");
  g_unsetenv ("OMP_NUM_THREADS");
  nn_blas_set_threads (-1);
  g_assert_cmpint (nn_blas_get_threads (), ==, openblas_get_num_procs ());

  /* A truncating buffer still gets a terminated string. */
  nn_blas_describe (line, 10);
  g_assert_cmpuint (strlen (line), ==, 9);
}

int
main (int argc, char **argv)
{
  if (argc == 2 && strcmp (argv[1], "--report") == 0)
    return report (argv);

  nn_blas_setup (argv);
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/nn/blas/sgemm-naive", test_sgemm_naive);
  g_test_add_func ("/nn/blas/setup-default", test_setup_default);
  g_test_add_func ("/nn/blas/user-wins", test_user_wins);
  g_test_add_func ("/nn/blas/reexec-chosen", test_reexec_chosen);
  g_test_add_func ("/nn/blas/reexec-fallback", test_reexec_fallback);
  g_test_add_func ("/nn/blas/threads", test_threads);

  return g_test_run ();
}
