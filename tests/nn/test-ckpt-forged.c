/* test-ckpt-forged.c — nn_pix2pix_load() refuses a checkpoint whose declared architecture needs
 * more weights than the file holds, before it allocates anything for it: a few kilobytes must not
 * be able to ask for gigabytes. An address-space limit (RLIMIT_AS) set just above what the process
 * uses makes any large allocation fail at once, so a load that would allocate returns NN_ERR_NOMEM
 * (quickly, without touching the machine's memory) where a refusal returns NN_ERR_CORRUPT. */
#include <glib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "nn.h"
#include "nn-ckpt.h"

/* Sanitizers reserve and map memory of their own as the process goes, so a limit measured from the
 * process's mapped pages stops their allocator rather than ours: the limited loads run only in
 * plain builds (the README's test command runs them). */
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define UNDER_SANITIZER 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
#define UNDER_SANITIZER 1
#endif
#endif
#ifndef UNDER_SANITIZER
#define UNDER_SANITIZER 0
#endif
#include "nn-pix2pix.h"
#include "nn-pix2pix-private.h"

/* Loads buf with the address space limited to what is mapped now plus margin bytes. */
static NnStatus
load_limited (const uint8_t *buf, size_t len, size_t margin)
{
  struct rlimit old_limit, limit;
  unsigned long pages = 0;
  FILE *statm = fopen ("/proc/self/statm", "r");
  NnPix2Pix *m = NULL;
  NnStatus st;

  g_assert_nonnull (statm);
  g_assert_cmpint (fscanf (statm, "%lu", &pages), ==, 1);
  fclose (statm);
  g_assert_cmpint (getrlimit (RLIMIT_AS, &old_limit), ==, 0);
  limit = old_limit;
  limit.rlim_cur = (rlim_t) pages * (rlim_t) sysconf (_SC_PAGESIZE) + margin;
  g_assert_cmpint (setrlimit (RLIMIT_AS, &limit), ==, 0);
  st = nn_pix2pix_load (&m, buf, len, NULL, 1, NULL, NULL, NULL);
  g_assert_cmpint (setrlimit (RLIMIT_AS, &old_limit), ==, 0);
  if (m != NULL)
    nn_pix2pix_free (m);
  return st;
}

/* A container of the given blobs plus a "pad" blob of pad bytes. */
static uint8_t *
forge (const char *arch, const void *opt_g, size_t opt_g_len, const void *opt_d, size_t opt_d_len,
       size_t pad, size_t *len)
{
  NnCkptWriter *w = nn_ckpt_writer_new ();
  uint8_t *zeros = g_malloc0 (pad + 1);
  uint8_t *buf = NULL;

  g_assert_cmpint (nn_ckpt_put_blob (w, "arch", arch, strlen (arch)), ==, NN_OK);
  if (opt_g != NULL)
    {
      g_assert_cmpint (nn_ckpt_put_blob (w, "opt_g", opt_g, opt_g_len), ==, NN_OK);
      g_assert_cmpint (nn_ckpt_put_blob (w, "opt_d", opt_d, opt_d_len), ==, NN_OK);
    }
  g_assert_cmpint (nn_ckpt_put_blob (w, "pad", zeros, pad), ==, NN_OK);
  g_assert_cmpint (nn_ckpt_finish (w, &buf, len), ==, NN_OK);
  g_free (zeros);
  return buf;
}

static const char opt_text[] = "kind=1\nlr=0.0002\nmomentum=0\nnesterov=0\nbeta1=0.5\nbeta2=0.999\n"
                               "eps=1e-08\nweight_decay=0\nalpha=0.99\nrms_momentum=0\ncentered=0\nt=3\n";

/* A training checkpoint (it has the optimisers, so the discriminator is built too) whose generator
 * is tiny and fits the file, but whose ndf of 1024 asks for ~700 million discriminator weights
 * (~11 GB with gradients and Adam's state). */
static void
test_forged_discriminator (void)
{
  static const char arch[] = "zimaru-pix2pix 1\nsize=32\nngf=1\nndf=1024\nnorm=0\nn_styles=1\n"
                             "embed_dim=0\ndropout=0.5\ngan_loss=0\nl1_weight=100\n"
                             "const_weight=0\ntv_weight=0\nclip_norm=0\nbatch=1\n";
  size_t len;
  uint8_t *buf = forge (arch, opt_text, strlen (opt_text), opt_text, strlen (opt_text), 1 << 20, &len);

  g_assert_cmpint (load_limited (buf, len, 256u << 20), ==, NN_ERR_CORRUPT);
  free (buf);
}

/* Weights (not running statistics) of the sections named prefix*, as a saved model holds them. */
static size_t
saved_weights (const NnCkptReader *r, const char *prefix)
{
  size_t total = 0;

  for (size_t i = 0; i < nn_ckpt_n_sections (r); i++)
    {
      const char *name;
      NnCkptType type;
      int ndim, shape[NN_CKPT_MAX_DIMS];
      size_t n = 1;

      g_assert_cmpint (nn_ckpt_section_info (r, i, &name, &type, &ndim, shape), ==, NN_OK);
      if (type == NN_CKPT_BLOB || !g_str_has_prefix (name, prefix) || g_str_has_suffix (name, ".rmean")
          || g_str_has_suffix (name, ".rvar"))
        continue;
      for (int d = 0; d < ndim; d++)
        n *= (size_t) shape[d];
      total += n;
    }
  return total;
}

/* The bound is exact: for real architectures, a file one weight short of holding the generator and
 * the discriminator at 2 bytes each is refused before allocating; one that holds them gets as far
 * as allocating (which the limit makes fail). Checks the loader's count of the discriminator's
 * weights against the engine's, for both kinds of normalisation and both ways of giving ndf. */
static void
test_weight_bound (void)
{

  static const struct { int ngf, ndf; NnNormKind norm; } cases[] = {
    { 2, 128, NN_NORM_BATCH }, { 3, 96, NN_NORM_INSTANCE }, { 64, 0, NN_NORM_BATCH },
  };

  for (guint c = 0; c < G_N_ELEMENTS (cases); c++)
    {
      NnPix2PixConfig cfg;
      NnOptConfig opt;
      NnPix2Pix *m = NULL;
      NnCkptReader *r = NULL;
      uint8_t *real = NULL, *buf;
      size_t real_len, weights, len, pad;
      const void *arch, *opt_g, *opt_d;
      size_t arch_len, opt_g_len, opt_d_len;
      g_autofree char *arch_text = NULL;

      nn_pix2pix_defaults (&cfg);
      cfg.size = 32;
      cfg.batch = 1;
      cfg.ngf = cases[c].ngf;
      cfg.ndf = cases[c].ndf;
      cfg.norm = cases[c].norm;
      nn_optim_defaults (&opt, NN_OPT_ADAM);
      g_assert_cmpint (nn_pix2pix_create (&m, &cfg, &opt, &opt, 1), ==, NN_OK);
      g_assert_cmpint (nn_pix2pix_save (m, NULL, 0, NULL, 0, 0, &real, &real_len), ==, NN_OK);
      nn_pix2pix_free (m);
      g_assert_cmpint (nn_ckpt_reader_open (&r, real, real_len), ==, NN_OK);
      weights = saved_weights (r, "g.") + saved_weights (r, "d.");
      g_assert_cmpint (nn_ckpt_get_blob (r, "arch", &arch, &arch_len), ==, NN_OK);
      g_assert_cmpint (nn_ckpt_get_blob (r, "opt_g", &opt_g, &opt_g_len), ==, NN_OK);
      g_assert_cmpint (nn_ckpt_get_blob (r, "opt_d", &opt_d, &opt_d_len), ==, NN_OK);
      arch_text = g_strndup (arch, arch_len);
      g_test_message ("ngf %d ndf %d: %zu weights", cfg.ngf, cfg.ndf, weights);
      /* The engine's own count, which the loader uses, is what a saved model holds. */
      g_assert_cmpuint (nn_p2p_generator_params (&cfg) + nn_p2p_discriminator_params (&cfg), ==, weights);

      if (UNDER_SANITIZER)
        {
          /* Address-space limits do not work under a sanitizer: the count above is checked, the
           * limited loads are left to the plain build. */
          nn_ckpt_reader_free (r);
          free (real);
          continue;
        }
      /* The container's own bytes besides the pad, then files of 2 × weights ∓ 2 bytes. */
      buf = forge (arch_text, opt_g, opt_g_len, opt_d, opt_d_len, 0, &len);
      free (buf);
      pad = 2 * weights - len;
      buf = forge (arch_text, opt_g, opt_g_len, opt_d, opt_d_len, pad - 2, &len);
      g_assert_cmpuint (len, ==, 2 * weights - 2);
      g_assert_cmpint (load_limited (buf, len, 4u << 20), ==, NN_ERR_CORRUPT);
      free (buf);
      buf = forge (arch_text, opt_g, opt_g_len, opt_d, opt_d_len, pad + 2, &len);
      g_assert_cmpint (load_limited (buf, len, 4u << 20), ==, NN_ERR_NOMEM);
      free (buf);
      nn_ckpt_reader_free (r);
      free (real);
    }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/nn/ckpt/forged-discriminator", test_forged_discriminator);
  g_test_add_func ("/nn/ckpt/weight-bound", test_weight_bound);
  return g_test_run ();
}
