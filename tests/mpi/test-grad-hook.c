/* test-grad-hook.c — the engine's gradient hook (nn_pix2pix_set_grad_hook), on which data-parallel
 * training averages gradients (app/train/zi-trainer-mpi.c), checked without MPI: the ranges it hands
 * over cover each network's gradient block exactly once and are final when handed over; a hook that
 * changes nothing changes no weight; the update uses the gradients as the hook leaves them; and a
 * hook that reports another process's non-finite step rolls the step back. */
#include <glib.h>
#include <string.h>
#include "nn-pix2pix.h"

#define SIZE  32
#define BATCH 2

typedef struct {
  float  *start[2][64];
  size_t  len[2][64];
  float  *copy[2][64];  /* the range's values when handed over */
  int     n[2];
  int     waits[2];
  int     finite_seen[2];
  int     veto_net;     /* wait returns 0 for this network (-1: never) */
  int     zero_net;     /* wait zeroes this network's gradients (-1: never) */
  NnPix2Pix *m;
} Record;

static void
ready_cb (void *user, int net, float *grads, size_t n)
{
  Record *r = user;
  int k = r->n[net]++;

  g_assert_cmpint (k, <, 64);
  g_assert_cmpint (r->waits[net], ==, 0);
  r->start[net][k] = grads;
  r->len[net][k] = n;
  r->copy[net][k] = g_memdup2 (grads, n * sizeof (float));
}

static int
wait_cb (void *user, int net, int finite)
{
  Record *r = user;

  r->waits[net]++;
  r->finite_seen[net] = finite;
  if (net == r->zero_net)
    {
      float *grads = NULL;
      size_t n = nn_pix2pix_param_block (r->m, net, NULL, &grads);
      memset (grads, 0, n * sizeof (float));
    }
  return net != r->veto_net;
}

/* n_styles > 1: a family model, whose discriminator has its style bias (d_style, on by default). */
static NnPix2Pix *
create_styles (NnOptKind kind, int n_styles)
{
  NnPix2PixConfig cfg;
  NnOptConfig opt;
  NnPix2Pix *m = NULL;

  nn_pix2pix_defaults (&cfg);
  cfg.size = SIZE;
  cfg.ngf = 8;
  cfg.batch = BATCH;
  cfg.norm = NN_NORM_INSTANCE;
  cfg.n_styles = n_styles;
  cfg.embed_dim = 4;
  nn_optim_defaults (&opt, kind);
  g_assert_cmpint (nn_pix2pix_create (&m, &cfg, &opt, &opt, 11), ==, NN_OK);
  nn_pix2pix_set_threads (m, 1);
  return m;
}

static NnPix2Pix *
create (NnOptKind kind)
{
  return create_styles (kind, 1);
}

static void
images (float *src, float *tgt)
{
  NnRng rng;

  nn_rng_seed (&rng, 5);
  for (int i = 0; i < BATCH * SIZE * SIZE; i++)
    {
      src[i] = 2.0f * nn_rng_uniform (&rng) - 1.0f;
      tgt[i] = 2.0f * nn_rng_uniform (&rng) - 1.0f;
    }
}

static NnStatus
step (NnPix2Pix *m)
{
  float src[BATCH * SIZE * SIZE], tgt[BATCH * SIZE * SIZE];
  const int style[BATCH] = { 1, 0 };
  NnRng rng;
  NnStepStats st;

  images (src, tgt);
  nn_rng_seed (&rng, 3);
  return nn_pix2pix_train_step (m, src, tgt, nn_pix2pix_config (m)->n_styles > 1 ? style : NULL, BATCH,
                                1e-3f, 1e-3f, &rng, &st);
}

static void
record_clear (Record *r)
{
  for (int net = 0; net < 2; net++)
    for (int k = 0; k < r->n[net]; k++)
      g_free (r->copy[net][k]);
}

/* The ranges of a network tile its gradient block, and each held its final values when handed over. */
static void
check_cover (int n_styles)
{
  NnPix2Pix *m = create_styles (NN_OPT_ADAM, n_styles);
  Record r = { .veto_net = -1, .zero_net = -1 };

  nn_pix2pix_set_grad_hook (m, ready_cb, wait_cb, &r);
  g_assert_cmpint (step (m), ==, NN_OK);
  for (int net = 0; net < 2; net++)
    {
      float *grads = NULL;
      size_t total = nn_pix2pix_param_block (m, net, NULL, &grads);
      g_autofree char *hit = g_malloc0 (total);

      g_assert_cmpint (r.waits[net], ==, 1);
      g_assert_cmpint (r.finite_seen[net], ==, 1);
      g_assert_cmpint (r.n[net], >=, net == 1 ? 5 : 10);
      for (int k = 0; k < r.n[net]; k++)
        {
          size_t off = (size_t) (r.start[net][k] - grads);
          g_assert_cmpuint (off + r.len[net][k], <=, total);
          for (size_t i = 0; i < r.len[net][k]; i++)
            {
              g_assert_cmpint (hit[off + i], ==, 0);
              hit[off + i] = 1;
            }
          /* Nothing wrote into a range after it was handed over (the hook changed nothing, so the
           * block still holds what the update used). */
          g_assert_cmpmem (r.copy[net][k], r.len[net][k] * sizeof (float), r.start[net][k],
                           r.len[net][k] * sizeof (float));
        }
      for (size_t i = 0; i < total; i++)
        g_assert_cmpint (hit[i], ==, 1);
    }
  record_clear (&r);
  nn_pix2pix_free (m);
}

static void
test_cover (void)
{
  check_cover (1);
}

/* The same with three styles: the style embedding's and the discriminator's style bias's gradients
 * are handed over too. */
static void
test_cover_styles (void)
{
  check_cover (3);
}

/* A hook that changes nothing: the same weights as no hook, bit for bit. */
static void
test_same_step (void)
{
  NnPix2Pix *a = create (NN_OPT_ADAM), *b = create (NN_OPT_ADAM);
  Record r = { .veto_net = -1, .zero_net = -1 };

  nn_pix2pix_set_grad_hook (a, ready_cb, wait_cb, &r);
  for (int i = 0; i < 2; i++)
    {
      record_clear (&r);
      memset (&r, 0, sizeof r);
      r.veto_net = r.zero_net = -1;
      g_assert_cmpint (step (a), ==, NN_OK);
      g_assert_cmpint (step (b), ==, NN_OK);
    }
  for (int net = 0; net < 2; net++)
    {
      float *pa, *pb;
      size_t n = nn_pix2pix_param_block (a, net, &pa, NULL);
      g_assert_cmpuint (nn_pix2pix_param_block (b, net, &pb, NULL), ==, n);
      g_assert_cmpmem (pa, n * sizeof (float), pb, n * sizeof (float));
    }
  record_clear (&r);
  nn_pix2pix_free (a);
  nn_pix2pix_free (b);
}

/* wait returning 0 (another process's step was not finite): NN_ERR_NONFINITE and D as before. */
static void
test_veto (void)
{
  NnPix2Pix *m = create (NN_OPT_ADAM);
  Record r = { .veto_net = 1, .zero_net = -1 };
  float *params;
  size_t n = nn_pix2pix_param_block (m, 1, &params, NULL);
  g_autofree float *before = g_memdup2 (params, n * sizeof (float));

  nn_pix2pix_set_grad_hook (m, ready_cb, wait_cb, &r);
  g_assert_cmpint (step (m), ==, NN_ERR_NONFINITE);
  g_assert_cmpmem (params, n * sizeof (float), before, n * sizeof (float));
  g_assert_cmpint (r.waits[0], ==, 0);
  record_clear (&r);
  nn_pix2pix_free (m);
}

/* The update applies the gradients as the hook left them: zeroed for G, plain SGD moves D alone. */
static void
test_uses_hook_gradients (void)
{
  NnPix2Pix *m = create (NN_OPT_SGD);
  Record r = { .veto_net = -1, .zero_net = 0, .m = m };
  float *g_params, *d_params;
  size_t ng = nn_pix2pix_param_block (m, 0, &g_params, NULL);
  size_t nd = nn_pix2pix_param_block (m, 1, &d_params, NULL);
  g_autofree float *g_before = g_memdup2 (g_params, ng * sizeof (float));
  g_autofree float *d_before = g_memdup2 (d_params, nd * sizeof (float));

  nn_pix2pix_set_grad_hook (m, ready_cb, wait_cb, &r);
  g_assert_cmpint (step (m), ==, NN_OK);
  g_assert_cmpmem (g_params, ng * sizeof (float), g_before, ng * sizeof (float));
  g_assert_true (memcmp (d_params, d_before, nd * sizeof (float)) != 0);
  record_clear (&r);
  nn_pix2pix_free (m);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/mpi/grad-hook/cover", test_cover);
  g_test_add_func ("/mpi/grad-hook/cover-styles", test_cover_styles);
  g_test_add_func ("/mpi/grad-hook/same-step", test_same_step);
  g_test_add_func ("/mpi/grad-hook/veto", test_veto);
  g_test_add_func ("/mpi/grad-hook/uses-hook-gradients", test_uses_hook_gradients);
  return g_test_run ();
}
