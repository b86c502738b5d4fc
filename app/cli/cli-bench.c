/* cli-bench.c — `zimaru-cli bench [--size N] [--ngf N] [--batch N] [--steps N] [--threads N]
 * [--precision fp32|bf16|auto] [--json]`: times full training steps (a D update and a G update) of
 * the pix2pix model on synthetic glyph-like data, and reports seconds per step (median), images per
 * second, GFLOP/s from the engine's operation count, and that as a share of a measured large-sgemm
 * peak on the same threads (the ceiling any im2col + OpenBLAS engine can reach) and of the
 * processor's measured arithmetic peak (nn-peak.h: register-only multiply-add loops, float32 and
 * bf16, one pinned thread per engine thread: the physical ceiling). */
#include "config.h"
#include "cli-common.h"
#include "zi-error.h"
#include "nn-blas.h"
#include "nn-gemm.h"
#include "nn-peak.h"
#include "nn-pix2pix.h"

#include <cblas.h>
#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Random strokes on paper, a few per image, in [-1, 1] with ink = +1: the statistics of glyphs
 * (mostly paper, solid strokes) without needing a font. */
static void
synthetic_glyphs (float *img, int n, int size, NnRng *rng)
{
  for (int i = 0; i < n; i++)
    {
      float *p = img + (gsize) i * size * size;
      for (int k = 0; k < size * size; k++)
        p[k] = -1.0f;
      for (int s = 0; s < 6; s++)
        {
          gboolean horizontal = nn_rng_below (rng, 2);
          int thick = 1 + (int) nn_rng_below (rng, (guint32) MAX (1, size / 16));
          int len = size / 4 + (int) nn_rng_below (rng, (guint32) (size / 2));
          int x0 = (int) nn_rng_below (rng, (guint32) (size - (horizontal ? len : thick)));
          int y0 = (int) nn_rng_below (rng, (guint32) (size - (horizontal ? thick : len)));
          int w = horizontal ? len : thick, h = horizontal ? thick : len;
          for (int y = y0; y < y0 + h; y++)
            for (int x = x0; x < x0 + w; x++)
              p[y * size + x] = 1.0f;
        }
    }
}

static int
compare_double (const void *a, const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return x < y ? -1 : x > y;
}

/* The best of a few large single-precision GEMMs, in GFLOP/s. */
static double
sgemm_peak (void)
{
  const int n = 1536;
  g_autofree float *a = g_new (float, (gsize) n * n);
  g_autofree float *b = g_new (float, (gsize) n * n);
  g_autofree float *c = g_new0 (float, (gsize) n * n);
  double best = 0.0;

  for (gsize i = 0; i < (gsize) n * n; i++)
    {
      a[i] = (float) (i % 7) * 0.1f;
      b[i] = (float) (i % 5) * 0.1f;
    }
  for (int rep = 0; rep < 4; rep++)
    {
      gint64 t0 = g_get_monotonic_time ();
      cblas_sgemm (CblasRowMajor, CblasNoTrans, CblasNoTrans, n, n, n, 1.0f, a, n, b, n, 0.0f, c, n);
      double s = (g_get_monotonic_time () - t0) / 1e6;
      if (rep > 0 && s > 0)  /* the first call pays OpenBLAS's buffer set-up */
        best = MAX (best, 2.0 * n * (double) n * n / s / 1e9);
    }
  return best;
}

int
zi_cli_bench (int argc, char **argv)
{
  int size = 64, ngf = 32, batch = 16, steps = 10, threads = 0;
  gboolean json = FALSE;
  g_autofree char *norm = NULL;
  g_autofree char *precision_name = NULL;
  const GOptionEntry entries[] = {
    { "size", 0, 0, G_OPTION_ARG_INT, &size, N_("Image size (default 64)"), N_("N") },
    { "ngf", 0, 0, G_OPTION_ARG_INT, &ngf, N_("Generator base channels (default 32)"), N_("N") },
    { "batch", 0, 0, G_OPTION_ARG_INT, &batch, N_("Batch size (default 16)"), N_("N") },
    { "steps", 0, 0, G_OPTION_ARG_INT, &steps, N_("Timed steps after 2 warm-up steps (default 10)"), N_("N") },
    { "threads", 0, 0, G_OPTION_ARG_INT, &threads, N_("Engine threads (default: one per core)"), N_("N") },
    { "norm", 0, 0, G_OPTION_ARG_STRING, &norm, N_("Normalisation: batch or instance (default batch)"), N_("KIND") },
    { "precision", 0, 0, G_OPTION_ARG_STRING, &precision_name,
      N_("Precision of the convolutions' matrix products: fp32, bf16 or auto (default fp32)"),
      N_("KIND") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print one JSON object"), NULL },
    { NULL }
  };
  g_autoptr(GError) error = NULL;
  NnPix2PixConfig cfg;
  NnOptConfig opt;
  NnPix2Pix *model = NULL;
  NnRng rng;
  NnStatus st;
  char blas[256];
  int code;

  if (!zi_cli_parse (&argc, &argv, "bench", NULL,
                     _("Time full training steps (D and G updates) on synthetic data: seconds per step, "
                       "images per second, GFLOP/s and the share of a measured sgemm peak."),
                     (GOptionEntry *) entries, &code))
    return code;
  if (steps < 1 || steps > 10000)
    return zi_cli_usage_error (_("--steps must be 1 to 10000 (got %d)"), steps);
  nn_pix2pix_defaults (&cfg);
  cfg.size = size;
  cfg.ngf = ngf;
  cfg.batch = batch;
  cfg.l1_weight = 100.0f;
  if (norm != NULL && g_str_equal (norm, "instance"))
    cfg.norm = NN_NORM_INSTANCE;
  else if (norm != NULL && !g_str_equal (norm, "batch"))
    return zi_cli_usage_error (_("unknown --norm '%s' (use batch or instance)"), norm);
  if (precision_name != NULL && !nn_precision_parse (precision_name, &cfg.precision))
    return zi_cli_usage_error (_("unknown --precision '%s' (use fp32, bf16 or auto)"), precision_name);
  cfg.precision = nn_precision_resolve (cfg.precision);
  if (cfg.precision == NN_PRECISION_BF16 && !nn_cpu_has_bf16 ())
    return zi_cli_usage_error (_("--precision bf16 needs a processor with AVX512_BF16, which this "
                                 "one lacks; use fp32"));
  nn_optim_defaults (&opt, NN_OPT_ADAM);
  st = nn_pix2pix_create (&model, &cfg, &opt, &opt, 1);
  if (st != NN_OK)
    {
      zi_error_from_nn (&error, st, _("building the model (size %d, ngf %d, batch %d)"), size, ngf, batch);
      return zi_cli_fail (error);
    }
  if (threads > 0)
    nn_pix2pix_set_threads (model, threads);
  int engine_threads = nn_pix2pix_get_threads (model);

  gsize pixels = (gsize) size * size;
  g_autofree float *src = g_new (float, (gsize) batch * pixels);
  g_autofree float *tgt = g_new (float, (gsize) batch * pixels);
  g_autofree double *times = g_new (double, steps);
  nn_rng_seed (&rng, 42);
  synthetic_glyphs (src, batch, size, &rng);
  synthetic_glyphs (tgt, batch, size, &rng);

  for (int i = 0; i < steps + 2; i++)
    {
      NnStepStats stats;
      gint64 t0 = g_get_monotonic_time ();
      st = nn_pix2pix_train_step (model, src, tgt, NULL, batch, 2e-4f, 2e-4f, &rng, &stats);
      if (st != NN_OK)
        {
          nn_pix2pix_free (model);
          zi_error_from_nn (&error, st, _("benchmark step %d"), i + 1);
          return zi_cli_fail (error);
        }
      if (i >= 2)
        times[i - 2] = (g_get_monotonic_time () - t0) / 1e6;
    }
  nn_pix2pix_free (model);

  qsort (times, steps, sizeof (double), compare_double);
  double median = steps % 2 ? times[steps / 2] : 0.5 * (times[steps / 2 - 1] + times[steps / 2]);
  double gflop = nn_pix2pix_flops_per_step (&cfg, batch) / 1e9;
  double gflops = gflop / median;
  /* The ceiling is a large sgemm on as many cores as the engine used. */
  nn_blas_set_threads (engine_threads);
  double peak = sgemm_peak ();
  nn_blas_describe (blas, sizeof blas);
  /* The physical ceiling on as many threads, each pinned to a core of its own. */
  NnPeak phys;
  if (nn_peak_measure (&phys, engine_threads, 0.2) != NN_OK)
    memset (&phys, 0, sizeof phys);
  double share_fp32 = phys.fp32_gflops > 0 ? 100.0 * gflops / phys.fp32_gflops : 0.0;
  double share_bf16 = phys.bf16_gflops > 0 ? 100.0 * gflops / phys.bf16_gflops : 0.0;
  const char *precision = nn_precision_name (cfg.precision);

  if (json)
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();

      json_builder_begin_object (b);
      zi_cli_json_int (b, "size", size);
      zi_cli_json_int (b, "ngf", ngf);
      zi_cli_json_int (b, "batch", batch);
      zi_cli_json_int (b, "steps", steps);
      zi_cli_json_int (b, "threads", engine_threads);
      zi_cli_json_double (b, "seconds_per_step", median);
      zi_cli_json_double (b, "seconds_min", times[0]);
      zi_cli_json_double (b, "seconds_max", times[steps - 1]);
      zi_cli_json_double (b, "images_per_second", batch / median);
      zi_cli_json_double (b, "gflop_per_step", gflop);
      zi_cli_json_double (b, "gflops", gflops);
      zi_cli_json_double (b, "sgemm_peak_gflops", peak);
      zi_cli_json_double (b, "percent_of_peak", peak > 0 ? 100.0 * gflops / peak : 0.0);
      zi_cli_json_string (b, "blas", blas);
      zi_cli_json_string (b, "precision", precision);
      json_builder_set_member_name (b, "peak_gflops");
      json_builder_begin_object (b);
      zi_cli_json_double (b, "fp32", phys.fp32_gflops);
      zi_cli_json_int (b, "fp32_bits", phys.fp32_bits);
      zi_cli_json_double (b, "bf16", phys.bf16_gflops);
      json_builder_end_object (b);
      zi_cli_json_double (b, "percent_of_fp32_peak", share_fp32);
      zi_cli_json_double (b, "percent_of_bf16_peak", share_bf16);
      json_builder_end_object (b);
      zi_cli_json_print (b);
    }
  else
    {
      printf (_("pix2pix training step, %d px, ngf %d, batch %d, %d engine threads (%s)\n"), size, ngf,
              batch, engine_threads, blas);
      printf (_("  %.4f s/step (median of %d; min %.4f, max %.4f)\n"), median, steps, times[0], times[steps - 1]);
      printf (_("  %.1f images/s\n"), batch / median);
      printf (_("  %.1f GFLOP/s (%.2f GFLOP per step), %.0f%% of a %.1f GFLOP/s sgemm peak\n"),
              gflops, gflop, peak > 0 ? 100.0 * gflops / peak : 0.0, peak);
      printf (_("  matrix products in %s; %.0f%% of the measured %.0f GFLOP/s float32 peak "
                "(%d-bit FMA, %d threads)\n"),
              precision, share_fp32, phys.fp32_gflops, phys.fp32_bits, phys.threads);
      if (phys.bf16_gflops > 0)
        printf (_("  %.0f%% of the measured %.0f GFLOP/s bf16 peak\n"), share_bf16,
                phys.bf16_gflops);
    }
  return ZI_EXIT_OK;
}
