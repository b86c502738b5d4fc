/* bench-step.c — times full pix2pix training steps (a D update and a G update) on synthetic data and
 * prints seconds per step, images per second, GFLOP/s of the conv work (nn_pix2pix_flops_per_step),
 * the memory the model holds and a digest of the parameters afterwards (equal digests: two builds
 * whose steps agree to the bit). The configuration comes from the command line, so the same
 * program measures the four configurations of README.md's "Performance" next to the PyTorch peer:
 *   OPENBLAS_CORETYPE=SkylakeX OPENBLAS_NUM_THREADS=1 /usr/bin/python3 torch_bench.py 64 16 5 2 32
 *   bench-step --size 64 --ngf 32 --batch 16 --steps 5 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "nn-blas.h"
#include "nn-gemm.h"
#include "nn-pix2pix.h"

static double
now (void)
{
  struct timespec ts;
  clock_gettime (CLOCK_MONOTONIC, &ts);
  return ts.tv_sec + ts.tv_nsec * 1e-9;
}

/* CPU seconds of the whole process (all threads): on a shared machine a steadier measure of the
 * work than the wall clock, which the comparison with the peer still uses. */
static double
cpu_now (void)
{
  struct timespec ts;
  clock_gettime (CLOCK_PROCESS_CPUTIME_ID, &ts);
  return ts.tv_sec + ts.tv_nsec * 1e-9;
}

static int
cmp_double (const void *a, const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return x < y ? -1 : x > y;
}

/* FNV-1a over a parameter block's bytes: two builds whose steps agree to the bit print the same. */
static unsigned long long
digest (const float *x, size_t n)
{
  const unsigned char *b = (const unsigned char *) x;
  unsigned long long h = 14695981039346656037ull;
  for (size_t i = 0; i < n * sizeof (float); i++)
    h = (h ^ b[i]) * 1099511628211ull;
  return h;
}

static void
usage (void)
{
  fprintf (stderr, "usage: bench-step [--size N] [--ngf N] [--batch N] [--steps N] [--threads N]\n"
                   "                  [--blas-threads N] [--norm batch|instance]\n"
                   "                  [--precision fp32|bf16|auto]\n"
                   "--threads: the engine's threads (default: one per processor, at most 4);\n"
                   "--blas-threads: OpenBLAS's threads inside each (default 1 when --threads > 1)\n");
  exit (2);
}

int
main (int argc, char **argv)
{
  nn_blas_setup (argv);
  NnPix2PixConfig cfg;
  nn_pix2pix_defaults (&cfg);
  int steps = 5, threads = 0, blas_threads = 0;
  for (int i = 1; i < argc; i++)
    {
      if (i + 1 >= argc)
        usage ();
      const char *v = argv[++i];
      if (strcmp (argv[i - 1], "--size") == 0)
        cfg.size = atoi (v);
      else if (strcmp (argv[i - 1], "--ngf") == 0)
        cfg.ngf = atoi (v);
      else if (strcmp (argv[i - 1], "--batch") == 0)
        cfg.batch = atoi (v);
      else if (strcmp (argv[i - 1], "--steps") == 0)
        steps = atoi (v);
      else if (strcmp (argv[i - 1], "--threads") == 0)
        threads = atoi (v);
      else if (strcmp (argv[i - 1], "--blas-threads") == 0)
        blas_threads = atoi (v);
      else if (strcmp (argv[i - 1], "--norm") == 0)
        cfg.norm = strcmp (v, "instance") == 0 ? NN_NORM_INSTANCE : NN_NORM_BATCH;
      else if (strcmp (argv[i - 1], "--precision") == 0)
        {
          if (!nn_precision_parse (v, &cfg.precision))
            usage ();
        }
      else
        usage ();
    }
  if (steps < 1 || threads < 0 || blas_threads < 0)
    usage ();

  NnOptConfig opt;
  nn_optim_defaults (&opt, NN_OPT_ADAM);
  NnPix2Pix *m;
  NnStatus st = nn_pix2pix_create (&m, &cfg, &opt, &opt, 1);
  if (st != NN_OK)
    {
      fprintf (stderr, "bench-step: cannot build the model: %s\n", nn_status_str (st));
      return 1;
    }
  if (nn_pix2pix_set_threads (m, threads) != NN_OK)
    {
      fprintf (stderr, "bench-step: cannot start %d threads\n", threads);
      return 1;
    }
  if (blas_threads > 0)
    nn_blas_set_threads (blas_threads);
  size_t img = (size_t) cfg.batch * cfg.size * cfg.size;
  float *src = malloc (img * sizeof (float)), *tgt = malloc (img * sizeof (float));
  NnRng rng;
  nn_rng_seed (&rng, 7);
  for (size_t i = 0; i < img; i++)
    {
      src[i] = 2.0f * nn_rng_uniform (&rng) - 1.0f;
      tgt[i] = 2.0f * nn_rng_uniform (&rng) - 1.0f;
    }

  double *t = malloc ((size_t) steps * sizeof (double));
  double cpu = 0.0;
  NnStepStats stats;
  double t0 = now ();
  st = nn_pix2pix_train_step (m, src, tgt, NULL, cfg.batch, 2e-4f, 2e-4f, &rng, &stats);
  double warm = now () - t0;
  for (int i = 0; i < steps && st == NN_OK; i++)
    {
      double c0 = cpu_now ();
      t0 = now ();
      st = nn_pix2pix_train_step (m, src, tgt, NULL, cfg.batch, 2e-4f, 2e-4f, &rng, &stats);
      t[i] = now () - t0;
      cpu += cpu_now () - c0;
    }
  if (st != NN_OK)
    {
      fprintf (stderr, "bench-step: the step failed: %s\n", nn_status_str (st));
      return 1;
    }
  double mean = 0.0;
  for (int i = 0; i < steps; i++)
    mean += t[i] / steps;
  qsort (t, (size_t) steps, sizeof (double), cmp_double);
  double median = steps % 2 ? t[steps / 2] : 0.5 * (t[steps / 2 - 1] + t[steps / 2]);
  double flops = nn_pix2pix_flops_per_step (&cfg, cfg.batch);

  char blas[256];
  nn_blas_describe (blas, sizeof blas);
  printf ("%s\n", blas);
  printf ("size=%d ngf=%d batch=%d norm=%s precision=%s threads=%d steps=%d warmup=%.3fs\n",
          cfg.size, cfg.ngf, cfg.batch, cfg.norm == NN_NORM_BATCH ? "batch" : "instance",
          nn_precision_name (cfg.precision), nn_pix2pix_get_threads (m), steps, warm);
  printf ("median %.4f s/step  min %.4f  mean %.4f  %.1f images/s  %.1f GFLOP/s  (%.2f GFLOP/step)  "
          "memory %.0f MiB\n",
          median, t[0], mean, cfg.batch / median, flops / median * 1e-9, flops * 1e-9,
          nn_pix2pix_memory_bytes (&cfg) / 1048576.0);
  printf ("cpu %.4f s/step (all threads)\n", cpu / steps);
  printf ("losses: d %.4f g %.4f (adv %.4f, l1 %.4f)\n", stats.d_loss, stats.g_loss, stats.g_adv,
          stats.g_l1);
  float *params, *grads;
  size_t ng = nn_pix2pix_param_block (m, 0, &params, &grads);
  unsigned long long hg = digest (params, ng);
  size_t nd = nn_pix2pix_param_block (m, 1, &params, &grads);
  printf ("parameters after the steps: g %016llx d %016llx\n", hg, digest (params, nd));
  free (t);
  free (src);
  free (tgt);
  nn_pix2pix_free (m);
  return 0;
}
