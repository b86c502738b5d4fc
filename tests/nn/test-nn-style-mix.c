/* test-nn-style-mix.c — generating with a blend of two styles' embeddings (nn_pix2pix_generate_mix):
 * the ends of the blend are the plain styles bit for bit, the middle is the generator run with the
 * averaged embedding, each image of a batch takes its own blend, and bad blends are refused. It reads
 * the embedding table through the private header, to put an averaged row in place. */
#include <glib.h>
#include <math.h>
#include <string.h>

#include "nn-pix2pix-private.h"

#define SIZE 32
#define BATCH 4
#define STYLES 3
#define EMBED 8

static NnPix2Pix *
create_model (int n_styles, uint64_t seed)
{
  NnPix2PixConfig cfg;
  NnOptConfig opt;
  NnPix2Pix *m = NULL;
  NnRng rng;

  nn_pix2pix_defaults (&cfg);
  cfg.size = SIZE;
  cfg.ngf = 4;
  cfg.batch = BATCH;
  cfg.n_styles = n_styles;
  cfg.embed_dim = EMBED;
  nn_optim_defaults (&opt, NN_OPT_ADAM);
  g_assert_cmpint (nn_pix2pix_create (&m, &cfg, &opt, &opt, seed), ==, NN_OK);
  nn_pix2pix_set_threads (m, 1);
  /* The initial embedding (normal, σ 0.02) barely moves an untrained model's output, and the decoder's
   * style tables start at zero; spread every table with a row per style so that styles differ well
   * beyond float rounding and a wrong row shows. */
  float *tables[NN_P2P_STYLE_TABLES_MAX];
  int widths[NN_P2P_STYLE_TABLES_MAX];
  int nt = nn_pix2pix_style_tables (m, tables, widths, NN_P2P_STYLE_TABLES_MAX);
  g_assert_cmpint (nt, ==, n_styles > 1 ? 5 : 0);  /* at 32 px: the embedding, decoder blocks 4 to 1 */
  nn_rng_seed (&rng, seed + 1);
  for (int k = 0; k < nt; k++)
    for (size_t i = 0; i < (size_t) n_styles * widths[k]; i++)
      tables[k][i] = k == 0 ? 4.0f * nn_rng_uniform (&rng) - 2.0f : nn_rng_uniform (&rng) - 0.5f;
  return m;
}

static float *
random_images (uint64_t seed, size_t n)
{
  NnRng rng;
  float *p = g_new (float, n);

  nn_rng_seed (&rng, seed);
  for (size_t i = 0; i < n; i++)
    p[i] = 2.0f * nn_rng_uniform (&rng) - 1.0f;
  return p;
}

static const size_t PLANE = (size_t) SIZE * SIZE;

static void
generate (NnPix2Pix *m, const float *src, const int *style, float *out)
{
  g_assert_cmpint (nn_pix2pix_generate (m, src, style, BATCH, out), ==, NN_OK);
}

static double
max_diff (const float *a, const float *b, size_t n)
{
  double d = 0.0;

  for (size_t i = 0; i < n; i++)
    d = fmax (d, fabs ((double) a[i] - b[i]));
  return d;
}

static void
test_ends (void)
{
  NnPix2Pix *m = create_model (STYLES, 7);
  g_autofree float *src = random_images (11, BATCH * PLANE);
  g_autofree float *plain = g_new (float, BATCH * PLANE);
  g_autofree float *mixed = g_new (float, BATCH * PLANE);
  const int a[BATCH] = { 0, 1, 2, 0 };
  const int b[BATCH] = { 2, 0, 1, 1 };
  const float zero[BATCH] = { 0 }, one[BATCH] = { 1, 1, 1, 1 };
  const int all0[BATCH] = { 0 }, all1[BATCH] = { 1, 1, 1, 1 };

  /* Different styles make different glyphs, or nothing below could fail. */
  generate (m, src, all0, plain);
  generate (m, src, all1, mixed);
  g_assert_cmpfloat (max_diff (plain, mixed, BATCH * PLANE), >, 1e-6);

  generate (m, src, a, plain);
  g_assert_cmpint (nn_pix2pix_generate_mix (m, src, a, b, zero, BATCH, mixed), ==, NN_OK);
  g_assert_cmpmem (plain, BATCH * PLANE * sizeof (float), mixed, BATCH * PLANE * sizeof (float));

  generate (m, src, b, plain);
  g_assert_cmpint (nn_pix2pix_generate_mix (m, src, a, b, one, BATCH, mixed), ==, NN_OK);
  g_assert_cmpmem (plain, BATCH * PLANE * sizeof (float), mixed, BATCH * PLANE * sizeof (float));
  nn_pix2pix_free (m);
}

/* t = 0.5 between styles 0 and 1 is style 2 once row 2 of every table (the embedding and the decoder's
 * style tables) holds the average of rows 0 and 1; per-image blends in one batch are each image's
 * own. */
static void
test_middle (void)
{
  NnPix2Pix *m = create_model (STYLES, 3);
  g_autofree float *src = random_images (5, BATCH * PLANE);
  g_autofree float *plain = g_new (float, BATCH * PLANE);
  g_autofree float *mixed = g_new (float, BATCH * PLANE);
  g_autofree float *ends = g_new (float, BATCH * PLANE);
  const int a[BATCH] = { 0, 0, 0, 0 };
  const int b[BATCH] = { 1, 1, 1, 1 };
  const float half[BATCH] = { 0.5f, 0.5f, 0.5f, 0.5f };
  const float t[BATCH] = { 0.5f, 0.0f, 1.0f, 0.5f };
  const int avg[BATCH] = { 2, 2, 2, 2 };
  const int per_image[BATCH] = { 2, 0, 1, 2 };

  float *tables[NN_P2P_STYLE_TABLES_MAX];
  int widths[NN_P2P_STYLE_TABLES_MAX];
  int nt = nn_pix2pix_style_tables (m, tables, widths, NN_P2P_STYLE_TABLES_MAX);
  for (int j = 0; j < nt; j++)
    for (int k = 0; k < widths[j]; k++)
      tables[j][2 * widths[j] + k] = 0.5f * tables[j][k] + 0.5f * tables[j][widths[j] + k];
  generate (m, src, avg, plain);
  g_assert_cmpint (nn_pix2pix_generate_mix (m, src, a, b, half, BATCH, mixed), ==, NN_OK);
  g_assert_cmpmem (plain, BATCH * PLANE * sizeof (float), mixed, BATCH * PLANE * sizeof (float));

  /* The middle is neither end. */
  generate (m, src, a, ends);
  g_assert_cmpfloat (max_diff (ends, mixed, BATCH * PLANE), >, 1e-6);
  generate (m, src, b, ends);
  g_assert_cmpfloat (max_diff (ends, mixed, BATCH * PLANE), >, 1e-6);

  generate (m, src, per_image, plain);
  g_assert_cmpint (nn_pix2pix_generate_mix (m, src, a, b, t, BATCH, mixed), ==, NN_OK);
  g_assert_cmpmem (plain, BATCH * PLANE * sizeof (float), mixed, BATCH * PLANE * sizeof (float));
  nn_pix2pix_free (m);
}

/* A one-style model has no table: a blend of style 0 with itself is plain generation. */
static void
test_single_style (void)
{
  NnPix2Pix *m = create_model (1, 9);
  g_autofree float *src = random_images (2, BATCH * PLANE);
  g_autofree float *plain = g_new (float, BATCH * PLANE);
  g_autofree float *mixed = g_new (float, BATCH * PLANE);
  const int z[BATCH] = { 0 }, one_style[BATCH] = { 0, 1, 0, 0 };
  const float t[BATCH] = { 0.0f, 0.25f, 1.0f, 0.5f };

  g_assert_null (m->embed);
  g_assert_cmpint (nn_pix2pix_generate (m, src, NULL, BATCH, plain), ==, NN_OK);
  g_assert_cmpint (nn_pix2pix_generate_mix (m, src, z, z, t, BATCH, mixed), ==, NN_OK);
  g_assert_cmpmem (plain, BATCH * PLANE * sizeof (float), mixed, BATCH * PLANE * sizeof (float));
  g_assert_cmpint (nn_pix2pix_generate_mix (m, src, z, one_style, t, BATCH, mixed), ==,
                   NN_ERR_INVALID);
  nn_pix2pix_free (m);
}

static void
test_invalid (void)
{
  NnPix2Pix *m = create_model (STYLES, 1);
  g_autofree float *src = random_images (2, BATCH * PLANE);
  g_autofree float *out = g_new (float, BATCH * PLANE);
  const int a[BATCH] = { 0, 1, 2, 0 };
  const int bad[BATCH] = { 0, 3, 0, 0 };
  const int negative[BATCH] = { 0, 0, -1, 0 };
  const float ok[BATCH] = { 0.0f, 0.5f, 1.0f, 0.25f };
  const float *bad_t[] = {
    (const float[BATCH]) { 0.0f, 1.5f, 0.0f, 0.0f },
    (const float[BATCH]) { 0.0f, -0.1f, 0.0f, 0.0f },
    (const float[BATCH]) { 0.0f, NAN, 0.0f, 0.0f },
    (const float[BATCH]) { INFINITY, 0.0f, 0.0f, 0.0f },
  };

  g_assert_cmpint (nn_pix2pix_generate_mix (m, src, a, bad, ok, BATCH, out), ==, NN_ERR_INVALID);
  g_assert_cmpint (nn_pix2pix_generate_mix (m, src, negative, a, ok, BATCH, out), ==, NN_ERR_INVALID);
  for (guint i = 0; i < G_N_ELEMENTS (bad_t); i++)
    g_assert_cmpint (nn_pix2pix_generate_mix (m, src, a, a, bad_t[i], BATCH, out), ==, NN_ERR_INVALID);
  g_assert_cmpint (nn_pix2pix_generate_mix (m, src, a, a, NULL, BATCH, out), ==, NN_ERR_INVALID);
  g_assert_cmpint (nn_pix2pix_generate_mix (m, src, a, a, ok, BATCH + 1, out), ==, NN_ERR_INVALID);
  g_assert_cmpint (nn_pix2pix_generate_mix (m, src, a, a, ok, 0, out), ==, NN_ERR_INVALID);
  g_assert_cmpint (nn_pix2pix_generate_mix (m, src, a, a, ok, BATCH, out), ==, NN_OK);
  nn_pix2pix_free (m);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/nn/style-mix/ends", test_ends);
  g_test_add_func ("/nn/style-mix/middle", test_middle);
  g_test_add_func ("/nn/style-mix/single-style", test_single_style);
  g_test_add_func ("/nn/style-mix/invalid", test_invalid);
  return g_test_run ();
}
