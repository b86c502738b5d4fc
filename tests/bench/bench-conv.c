/* bench-conv.c — GFLOP/s of every convolution of the pix2pix model (the U-Net's down convs and
 * transposed convs, the PatchGAN's convs) at one size/ngf/batch: forward, backward w.r.t. the input
 * and w.r.t. the weights, each next to a bare cblas_sgemm of the same GEMM shape, so the cost of the
 * column transforms shows; then a large square sgemm as this machine's peak. The passes run their
 * products as training does (nn-gemm.h): in float32 on the engine's kernel where the processor has
 * AVX-512F (then its own 2048³ product is printed too; ZIMARU_NN_GEMM=0 keeps them on sgemm), with
 * --precision bf16 in bf16; the bare GEMMs stay sgemm, for reference.
 *   bench-conv --size 64 --ngf 32 --batch 16 [--threads N] [--precision fp32|bf16] */
#include <cblas.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "nn-blas.h"
#include "nn-conv.h"
#include "nn-gemm.h"
#include "nn-peak.h"

static double
now (void)
{
  struct timespec ts;
  clock_gettime (CLOCK_MONOTONIC, &ts);
  return ts.tv_sec + ts.tv_nsec * 1e-9;
}

static float *
filled (size_t n)
{
  float *p = malloc (n * sizeof (float));
  for (size_t i = 0; i < n; i++)
    p[i] = (float) ((i * 2654435761u) % 1000) / 500.0f - 1.0f;
  return p;
}

enum { FWD, BWD_DATA, BWD_WEIGHT };

/* Seconds per call of one pass, best of a few repetitions after a warm-up. */
static double
time_pass (const NnConv2d *c, int n, int pass, float *y, float *x, float *w, float *col,
           const NnGemm *g)
{
  double best = 1e9;
  int reps = 3;
  for (int r = 0; r <= reps; r++)
    {
      double t0 = now ();
      if (c->transposed)
        {
          if (pass == FWD)
            nn_conv_transpose2d_forward_part (y, col, x, w, NULL, c, n, 0, 1, g);
          else if (pass == BWD_WEIGHT)
            nn_conv_transpose2d_backward_weight_part (w, NULL, col, y, x, c, n, 0, 1, g);
          else
            nn_conv_transpose2d_backward_data_part (x, col, y, w, c, n, 0, 1, 0, g);
        }
      else
        {
          if (pass == FWD)
            nn_conv2d_forward_part (y, col, x, w, NULL, c, n, 0, 1, g);
          else
            nn_conv2d_backward_part (pass == BWD_DATA ? x : NULL, pass == BWD_WEIGHT ? w : NULL,
                                     NULL, col, y, x, w, c, n, 0, 1, 0, g);
        }
      double t = now () - t0;
      if (r > 0 && t < best)
        best = t;
    }
  return best;
}

/* The bare GEMM of a pass: M×N×K as the conv calls it, on sgemm (f32_work NULL) or on the engine's
 * float32 kernel with that workspace. */
static double
time_gemm (int m, int nn, int k, int ta, int tb, void *f32_work)
{
  float *a = filled ((size_t) m * k), *b = filled ((size_t) k * nn), *c = filled ((size_t) m * nn);
  double best = 1e9;
  for (int r = 0; r <= 3; r++)
    {
      double t0 = now ();
      if (f32_work != NULL)
        nn_gemm_f32 (f32_work, ta, tb, m, nn, k, a, ta ? m : k, b, tb ? k : nn, 0.0f, c, nn);
      else
        cblas_sgemm (CblasRowMajor, ta ? CblasTrans : CblasNoTrans, tb ? CblasTrans : CblasNoTrans,
                     m, nn, k, 1.0f, a, ta ? m : k, b, tb ? k : nn, 0.0f, c, nn);
      double t = now () - t0;
      if (r > 0 && t < best)
        best = t;
    }
  free (a);
  free (b);
  free (c);
  return best;
}

static void
bench_layer (const char *name, const NnConv2d *c, int n, double *tot_t, double *tot_f,
             const NnGemm *gemm)
{
  size_t nx = (size_t) c->ci * n * c->hi * c->wi, ny = (size_t) c->co * n * c->ho * c->wo;
  size_t nw = (size_t) c->ci * c->co * c->k * c->k;
  size_t ncol = c->transposed ? nn_conv_transpose2d_scratch_floats (c, n)
                              : nn_conv2d_scratch_floats (c, n);
  float *x = filled (nx), *y = filled (ny), *w = filled (nw), *col = filled (ncol + 16);
  double flops = 2.0 * nn_conv2d_macs (c, n);
  /* GEMM shapes: conv fwd Co×Q×R, bwd-data R×Q×Co, bwd-weight Co×R×Q (Q = N·Ho·Wo, R = Ci·K·K);
   * transposed conv fwd R'×Q'×Ci, bwd-data Ci×Q'×R', bwd-weight Ci×R'×Q'. */
  int kk = c->k * c->k;
  int q = c->transposed ? n * c->hi * c->wi : n * c->ho * c->wo;
  int r = c->transposed ? c->co * kk : c->ci * kk;
  int small = c->transposed ? c->ci : c->co;
  double g[3], t[3];
  if (c->transposed)
    {
      g[FWD] = time_gemm (r, q, small, 1, 0, NULL);
      g[BWD_DATA] = time_gemm (small, q, r, 0, 0, NULL);
      g[BWD_WEIGHT] = time_gemm (small, r, q, 0, 1, NULL);
    }
  else
    {
      g[FWD] = time_gemm (small, q, r, 0, 0, NULL);
      g[BWD_DATA] = time_gemm (r, q, small, 1, 0, NULL);
      g[BWD_WEIGHT] = time_gemm (small, r, q, 0, 1, NULL);
    }
  for (int p = 0; p < 3; p++)
    t[p] = time_pass (c, n, p, y, x, w, col, gemm);
  printf ("%-10s %4d→%-4d %3dx%-3d→%3dx%-3d %7.1f MFLOP | fwd %6.1f (gemm %6.1f) | bwd-x %6.1f "
          "(gemm %6.1f) | bwd-w %6.1f (gemm %6.1f) GFLOP/s | %.2f ms\n",
          name, c->ci, c->co, c->hi, c->wi, c->ho, c->wo, flops * 1e-6, flops / t[0] * 1e-9,
          flops / g[0] * 1e-9, flops / t[1] * 1e-9, flops / g[1] * 1e-9, flops / t[2] * 1e-9,
          flops / g[2] * 1e-9, (t[0] + t[1] + t[2]) * 1e3);
  *tot_t += t[0] + t[1] + t[2];
  *tot_f += 3 * flops;
  free (x);
  free (y);
  free (w);
  free (col);
}

int
main (int argc, char **argv)
{
  nn_blas_setup (argv);
  int size = 64, ngf = 32, batch = 16, threads = 0;
  NnGemm gemm = { NN_PRECISION_FP32, NULL, 1 };
  for (int i = 1; i + 1 < argc; i += 2)
    {
      if (strcmp (argv[i], "--size") == 0)
        size = atoi (argv[i + 1]);
      else if (strcmp (argv[i], "--ngf") == 0)
        ngf = atoi (argv[i + 1]);
      else if (strcmp (argv[i], "--batch") == 0)
        batch = atoi (argv[i + 1]);
      else if (strcmp (argv[i], "--threads") == 0)
        threads = atoi (argv[i + 1]);
      else if (strcmp (argv[i], "--precision") == 0 && nn_precision_parse (argv[i + 1], &gemm.precision))
        continue;
      else
        {
          fprintf (stderr, "usage: bench-conv [--size N] [--ngf N] [--batch N] [--threads N] "
                           "[--precision fp32|bf16]\n");
          return 2;
        }
    }
  gemm.precision = nn_precision_resolve (gemm.precision);
  if (gemm.precision == NN_PRECISION_BF16 && !nn_cpu_has_bf16 ())
    {
      fprintf (stderr, "bench-conv: --precision bf16 needs a processor with AVX512_BF16\n");
      return 2;
    }
  if (threads > 0)
    nn_blas_set_threads (threads);
  char blas[256];
  nn_blas_describe (blas, sizeof blas);
  /* The engine's products (ZIMARU_NN_GEMM=0 keeps float32 on sgemm, for comparison). */
  gemm.work = aligned_alloc (64, nn_gemm_work_bytes ());
  printf ("%s\nsize=%d ngf=%d batch=%d precision=%s\n", blas, size, ngf, batch,
          nn_precision_name (gemm.precision));

  int levels = 0;
  while ((1 << levels) < size)
    levels++;
  double tt = 0, tf = 0;
  int chs[16];
  for (int i = 0; i < levels; i++)
    chs[i] = ngf * (i < 3 ? 1 << i : 8);
  char name[32];
  for (int i = 0; i < levels; i++)
    {
      NnConv2d c;
      nn_conv2d_init (&c, i == 0 ? 1 : chs[i - 1], chs[i], 4, 2, 1, size >> i, size >> i);
      snprintf (name, sizeof name, "G down%d", i);
      bench_layer (name, &c, batch, &tt, &tf, &gemm);
    }
  for (int i = levels - 1; i >= 0; i--)
    {
      NnConv2d c;
      int o = size >> (i + 1);
      nn_conv_transpose2d_init (&c, i == levels - 1 ? chs[i] : 2 * chs[i], i == 0 ? 1 : chs[i - 1],
                                4, 2, 1, o, o);
      snprintf (name, sizeof name, "G up%d", i);
      bench_layer (name, &c, batch, &tt, &tf, &gemm);
    }
  static const int mult[5] = { 1, 2, 4, 8, 0 };
  int cin = 2, h = size;
  for (int l = 0; l < 5; l++)
    {
      NnConv2d c;
      int co = l == 4 ? 1 : ngf * mult[l];
      nn_conv2d_init (&c, cin, co, 4, l < 3 ? 2 : 1, 1, h, h);
      snprintf (name, sizeof name, "D l%d", l);
      bench_layer (name, &c, batch, &tt, &tf, &gemm);
      cin = co;
      h = c.ho;
    }
  printf ("all convs (one fwd + both bwd each): %.1f ms, %.1f GFLOP/s\n", tt * 1e3, tf / tt * 1e-9);
  double peak = time_gemm (2048, 2048, 2048, 0, 0, NULL);
  printf ("sgemm 2048³: %.1f GFLOP/s\n", 2.0 * 2048 * 2048 * 2048 / peak * 1e-9);
  if (gemm.precision == NN_PRECISION_FP32 && nn_gemm_f32_enabled ())
    printf ("engine's float32 product 2048³ (one thread): %.1f GFLOP/s\n",
            2.0 * 2048 * 2048 * 2048 / time_gemm (2048, 2048, 2048, 0, 0, gemm.work) * 1e-9);
  free (gemm.work);
  return 0;
}
