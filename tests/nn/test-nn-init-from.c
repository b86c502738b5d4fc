/* test-nn-init-from.c — what a run started from another model's generator needs of the engine:
 * nn_pix2pix_copy_generator (all of G but the style embedding; shapes checked), a one-style model that
 * keeps its embedding (keep_embed, through a checkpoint), nn_pix2pix_style_table, and
 * nn_pix2pix_set_frozen_encoder (the encoder stays as it was while frozen, learns after). */
#define _GNU_SOURCE
#include <glib.h>
#include <math.h>
#include <string.h>

#include "nn-pix2pix-private.h"

#define SIZE 32
#define BATCH 4
#define EMBED 8

static const size_t PLANE = (size_t) SIZE * SIZE;

static NnPix2Pix *
create_model (int n_styles, int keep_embed, int ngf, uint64_t seed)
{
  NnPix2PixConfig cfg;
  NnOptConfig opt;
  NnPix2Pix *m = NULL;

  nn_pix2pix_defaults (&cfg);
  cfg.size = SIZE;
  cfg.ngf = ngf;
  cfg.batch = BATCH;
  cfg.n_styles = n_styles;
  cfg.embed_dim = EMBED;
  cfg.keep_embed = keep_embed;
  cfg.dropout = 0.0f;
  nn_optim_defaults (&opt, NN_OPT_ADAM);
  g_assert_cmpint (nn_pix2pix_create (&m, &cfg, &opt, &opt, seed), ==, NN_OK);
  nn_pix2pix_set_threads (m, 1);
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

static double
max_diff (const float *a, const float *b, size_t n)
{
  double d = 0.0;
  for (size_t i = 0; i < n; i++)
    d = fmax (d, fabs ((double) a[i] - b[i]));
  return d;
}

/* A one-style model that keeps its embedding, given another model's generator and one of its style
 * rows, draws what that model draws in that style. */
static void
test_copy (void)
{
  NnPix2Pix *from = create_model (3, 0, 4, 5);
  NnPix2Pix *to = create_model (1, 1, 4, 99);
  NnPix2Pix *narrow = create_model (3, 0, 2, 5);
  NnPix2Pix *plain = create_model (1, 0, 4, 5);
  g_autofree float *src = random_images (3, BATCH * PLANE);
  g_autofree float *want = g_new (float, BATCH * PLANE);
  g_autofree float *got = g_new (float, BATCH * PLANE);
  const int style1[BATCH] = { 1, 1, 1, 1 };
  NnRng rng;

  g_assert_nonnull (nn_pix2pix_style_table (to));
  g_assert_null (nn_pix2pix_style_table (plain));
  /* Train `from` a little so that its weights and running statistics are its own. */
  nn_rng_seed (&rng, 1);
  for (int i = 0; i < 3; i++)
    {
      g_autofree float *t = random_images (40 + i, BATCH * PLANE);
      NnStepStats st;
      g_assert_cmpint (nn_pix2pix_train_step (from, src, t, style1, BATCH, 1e-3f, 1e-3f, &rng, &st), ==, NN_OK);
    }
  g_assert_cmpint (nn_pix2pix_generate (from, src, style1, BATCH, want), ==, NN_OK);
  g_assert_cmpint (nn_pix2pix_generate (to, src, NULL, BATCH, got), ==, NN_OK);
  g_assert_cmpfloat (max_diff (want, got, BATCH * PLANE), >, 1e-3);

  g_assert_cmpint (nn_pix2pix_copy_generator (to, from), ==, NN_OK);
  /* The copy leaves the tables with a row per style; row 1 of each: the embedding, then the
   * decoder's style tables (the same tables in both, `to` keeping its embedding). */
  float *dst[NN_P2P_STYLE_TABLES_MAX], *srct[NN_P2P_STYLE_TABLES_MAX];
  int dims[NN_P2P_STYLE_TABLES_MAX], src_dims[NN_P2P_STYLE_TABLES_MAX];
  int nt = nn_pix2pix_style_tables (to, dst, dims, NN_P2P_STYLE_TABLES_MAX);
  g_assert_cmpint (nt, ==, 5);  /* at 32 px: the embedding and decoder blocks 4 to 1 */
  g_assert_cmpint (nn_pix2pix_style_tables (from, srct, src_dims, NN_P2P_STYLE_TABLES_MAX), ==, nt);
  g_assert_true (dst[0] == nn_pix2pix_style_table (to) && dims[0] == EMBED);
  memcpy (dst[0], srct[0] + EMBED, EMBED * sizeof (float));
  g_assert_cmpint (nn_pix2pix_generate (to, src, NULL, BATCH, got), ==, NN_OK);
  /* The decoder's style tables learned in `from`: without them the drawing differs. */
  g_assert_cmpfloat (max_diff (want, got, BATCH * PLANE), >, 1e-6);
  for (int k = 1; k < nt; k++)
    {
      g_assert_cmpint (dims[k], ==, src_dims[k]);
      memcpy (dst[k], srct[k] + dims[k], dims[k] * sizeof (float));
    }
  g_assert_cmpint (nn_pix2pix_generate (to, src, NULL, BATCH, got), ==, NN_OK);
  g_assert_cmpfloat (max_diff (want, got, BATCH * PLANE), <, 1e-6);

  /* Another width, or no embedding where the other has one: refused, nothing copied. */
  g_assert_cmpint (nn_pix2pix_copy_generator (narrow, from), ==, NN_ERR_SHAPE);
  g_assert_cmpint (nn_pix2pix_copy_generator (plain, from), ==, NN_ERR_SHAPE);
  g_assert_cmpint (nn_pix2pix_copy_generator (from, from), ==, NN_ERR_INVALID);

  nn_pix2pix_free (from);
  nn_pix2pix_free (to);
  nn_pix2pix_free (narrow);
  nn_pix2pix_free (plain);
}

/* keep_embed survives a checkpoint; files without the key read as 0. */
static void
test_keep_embed_checkpoint (void)
{
  NnPix2Pix *m = create_model (1, 1, 4, 8);
  NnPix2Pix *back = NULL;
  NnPix2Pix *plain = create_model (1, 0, 4, 8);
  uint8_t *buf = NULL;
  size_t len = 0;

  g_assert_cmpint (nn_pix2pix_save (m, NULL, 3, "{}", 1, 1, &buf, &len), ==, NN_OK);
  g_assert_cmpint (nn_pix2pix_load (&back, buf, len, NULL, 0, NULL, NULL, NULL), ==, NN_OK);
  g_assert_cmpint (nn_pix2pix_config (back)->keep_embed, ==, 1);
  g_assert_nonnull (nn_pix2pix_style_table (back));
  g_assert_cmpfloat (max_diff (nn_pix2pix_style_table (back), nn_pix2pix_style_table (m), EMBED), <, 1e-3);
  /* A model without the embedding is another architecture. */
  g_assert_cmpint (nn_pix2pix_load (&back, buf, len, nn_pix2pix_config (plain), 0, NULL, NULL, NULL),
                   ==, NN_ERR_SHAPE);
  free (buf);
  nn_pix2pix_free (back);
  back = NULL;

  g_assert_cmpint (nn_pix2pix_save (plain, NULL, 3, "{}", 1, 0, &buf, &len), ==, NN_OK);
  g_assert_null (memmem (buf, len, "keep_embed", 10));
  g_assert_cmpint (nn_pix2pix_load (&back, buf, len, NULL, 0, NULL, NULL, NULL), ==, NN_OK);
  g_assert_cmpint (nn_pix2pix_config (back)->keep_embed, ==, 0);
  free (buf);
  nn_pix2pix_free (back);
  nn_pix2pix_free (m);
  nn_pix2pix_free (plain);
}

/* While frozen, steps leave the encoder (the prefix of G's block before the decoder's first unit)
 * alone and move the rest; unfrozen, the encoder learns too. */
static void
test_frozen (void)
{
  NnPix2Pix *m = create_model (2, 0, 4, 21);
  g_autofree float *src = random_images (5, BATCH * PLANE);
  g_autofree float *tgt = random_images (6, BATCH * PLANE);
  const int style[BATCH] = { 0, 1, 0, 1 };
  float *params;
  size_t n = nn_pix2pix_param_block (m, 0, &params, NULL);
  size_t enc = (size_t) (m->up[0].w - params);
  g_autofree float *before = NULL;
  NnStepStats st;
  NnRng rng;

  g_assert_cmpuint (enc, >, 0);
  g_assert_cmpuint (enc, <, n);
  g_assert_cmpint (nn_pix2pix_set_frozen_encoder (m, 0, 1), ==, NN_ERR_INVALID);
  g_assert_cmpint (nn_pix2pix_set_frozen_encoder (m, 1, 1), ==, NN_OK);
  before = g_memdup2 (params, n * sizeof (float));
  nn_rng_seed (&rng, 2);
  for (int i = 0; i < 3; i++)
    g_assert_cmpint (nn_pix2pix_train_step (m, src, tgt, style, BATCH, 1e-3f, 1e-3f, &rng, &st), ==, NN_OK);
  g_assert_cmpfloat (max_diff (before, params, enc), ==, 0.0);
  g_assert_cmpfloat (max_diff (before + enc, params + enc, n - enc), >, 1e-5);

  g_assert_cmpint (nn_pix2pix_set_frozen_encoder (m, 1, 0), ==, NN_OK);
  g_assert_cmpint (nn_pix2pix_train_step (m, src, tgt, style, BATCH, 1e-3f, 1e-3f, &rng, &st), ==, NN_OK);
  g_assert_cmpfloat (max_diff (before, params, enc), >, 1e-5);
  nn_pix2pix_free (m);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/nn/init-from/copy", test_copy);
  g_test_add_func ("/nn/init-from/keep-embed-checkpoint", test_keep_embed_checkpoint);
  g_test_add_func ("/nn/init-from/frozen", test_frozen);
  return g_test_run ();
}
