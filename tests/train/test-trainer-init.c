/* test-trainer-init.c — runs that start from a trained generator (zi-trainer-init.h) through
 * zimaru-cli: `pack` writes a two-style run's generator alone in float16 (smaller, the same figures);
 * `train --init-from` on a third weight takes the generator's architecture and weights (whatever
 * --size says), keeps the embedding of its one style, keeps the encoder as trained for
 * --freeze-steps and validates on --val-chars; it starts far above a run from random weights. Bad
 * input: a missing model file, --freeze-steps alone, validation characters the fonts lack, and the
 * warning for a font with too few characters. */
#include "zi-fileutil.h"
#include "zi-model.h"
#include "zi-run.h"
#include "nn-pix2pix.h"
#include "trainer-test-util.h"

#include <glib/gstdio.h>
#include <math.h>
#include <string.h>
#include <sys/wait.h>

#define VAL_CHARS   "山川日月水"

#define ARGS(...) ((const char *const[]) { __VA_ARGS__, NULL })

static char *cache_dir;

/* val_ssim of metrics.jsonl's line of step (the first validation of the run for step 0). */
static double
val_ssim_at (const char *run, guint64 step)
{
  g_autofree char *metrics = read_run_file (run, "metrics.jsonl");
  g_autofree char *key = g_strdup_printf ("{\"step\":%" G_GUINT64_FORMAT ",", step);
  const char *line = strstr (metrics, key);
  const char *v;

  g_assert_nonnull (line);
  v = strstr (line, "\"val_ssim\":");
  g_assert_nonnull (v);
  g_assert_true (strchr (line, '\n') == NULL || v < strchr (line, '\n'));
  return g_ascii_strtod (v + strlen ("\"val_ssim\":"), NULL);
}

/* The first n floats of the generator of a checkpoint file (its encoder's first conv). */
static float *
generator_head (const char *path, size_t n)
{
  g_autofree guint8 *buf = NULL;
  gsize len = 0;
  NnPix2Pix *m = NULL;
  float *params;
  float *head;

  g_assert_true (g_file_get_contents (path, (char **) &buf, &len, NULL));
  g_assert_cmpint (nn_pix2pix_load (&m, buf, len, NULL, 0, NULL, NULL, NULL), ==, NN_OK);
  g_assert_cmpuint (nn_pix2pix_param_block (m, 0, &params, NULL), >, n);
  head = g_memdup2 (params, n * sizeof (float));
  nn_pix2pix_free (m);
  return head;
}

static void
test_cli (void)
{
  g_autofree char *dir = make_tmp ();
  g_autofree char *two = g_build_filename (dir, "two", NULL);
  g_autofree char *packed = g_build_filename (dir, "two.zck", NULL);
  g_autofree char *tuned = g_build_filename (dir, "tuned", NULL);
  g_autofree char *scratch = g_build_filename (dir, "scratch", NULL);
  g_autofree char *bad = g_build_filename (dir, "bad", NULL);
  g_autofree char *val = g_build_filename (dir, "val.txt", NULL);
  g_autofree char *nowhere = g_build_filename (dir, "nowhere.zck", NULL);
  g_autofree char *two_ckpt = NULL;
  g_autofree char *ema = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *info = NULL;
  g_autoptr(ZiModel) full = NULL;
  g_autoptr(ZiModel) half = NULL;
  g_autoptr(GError) error = NULL;
  GStatBuf st_ema, st_packed;
  int status;

  /* A two-style model of Regular and Bold, 64 px, ngf 8. */
  out = run_cli (ARGS ("train", "--target", ZEN_REGULAR, "--target", ZEN_BOLD, "--steps", "40", "--run", two,
                       "--quiet", "--chars-text", TINY_CHARS, "--size", "64", "--ngf", "8", "--batch", "4",
                       "--threads", "1", "--val-every", "20", "--checkpoint-every", "20", "--cache-dir",
                       cache_dir), &status);
  g_assert_cmpint (status, ==, 0);

  /* pack: the average alone, float16, half the EMA file, the same figures. */
  g_free (out);
  out = run_cli (ARGS ("pack", "--checkpoint", two, "--out", packed), &status);
  g_assert_cmpint (status, ==, 0);
  g_assert_nonnull (strstr (out, "2 styles"));
  two_ckpt = zi_run_newest_checkpoint (two, &error);
  g_assert_no_error (error);
  ema = zi_run_ema_path (two_ckpt);
  g_assert_cmpint (g_stat (ema, &st_ema), ==, 0);
  g_assert_cmpint (g_stat (packed, &st_packed), ==, 0);
  g_assert_cmpint (st_packed.st_size, <, st_ema.st_size * 6 / 10);
  full = zi_model_load (two, &error);
  g_assert_no_error (error);
  half = zi_model_load (packed, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (zi_model_get_n_styles (half), ==, 2);
  g_assert_cmpuint (zi_model_get_step (half), ==, 40);
  {
    const char *const eval_args[2][2] = { { two, NULL }, { packed, NULL } };
    double ssim[2];
    for (int i = 0; i < 2; i++)
      {
        g_autofree char *json = run_cli (ARGS ("eval", "--checkpoint", eval_args[i][0], "--chars-text", TINY_CHARS,
                                               "--style", "Bold", "--json"), &status);
        const char *m;
        g_assert_cmpint (status, ==, 0);
        m = strstr (json, "\"model\"");
        g_assert_nonnull (m);
        m = strstr (m, "\"ssim\" : ");
        g_assert_nonnull (m);
        ssim[i] = g_ascii_strtod (m + strlen ("\"ssim\" : "), NULL);
      }
    g_assert_cmpfloat (fabs (ssim[0] - ssim[1]), <, 0.002);
  }

  /* A third weight from the packed model: its architecture though --size asks for another, the
   * embedding kept with one style, the named validation characters, the encoder frozen 10 steps. */
  g_assert_true (g_file_set_contents (val, VAL_CHARS "\n", -1, NULL));
  g_free (out);
  out = run_cli_err (ARGS ("train", "--target", ZEN_MEDIUM, "--init-from", packed, "--freeze-steps", "10",
                           "--size", "32", "--steps", "20", "--run", tuned, "--chars-text", TINY_CHARS,
                           "--val-chars", val, "--batch", "4", "--threads", "1", "--val-every", "10",
                           "--checkpoint-every", "10", "--keep", "5", "--cache-dir", cache_dir),
                     &status, &err);
  g_assert_cmpint (status, ==, 0);
  /* Fewer than 200 characters to fine-tune on: said once. */
  g_assert_nonnull (strstr (err, "has only"));
  g_assert_nonnull (strstr (err, "training characters"));
  info = read_run_file (tuned, "run.json");
  g_assert_nonnull (strstr (info, "\"init_from\" : \""));
  g_assert_nonnull (strstr (info, "\"freeze_steps\" : 10"));
  g_assert_nonnull (strstr (info, "\"keep_embed\" : 1"));
  g_assert_nonnull (strstr (info, "\"size\" : 64"));
  g_assert_nonnull (strstr (info, "\"ngf\" : 8"));
  {
    g_auto(ZiRunInfo) run_info = { 0 };
    g_assert_true (zi_run_info_load (tuned, &run_info, &error));
    g_assert_no_error (error);
    g_assert_cmpuint (run_info.n_val_chars, ==, 5);
    for (guint i = 0; i < run_info.n_val_chars; i++)
      g_assert_nonnull (g_utf8_strchr (VAL_CHARS, -1, run_info.val_chars[i]));
  }
  {
    g_autofree char *c0 = g_build_filename (tuned, "checkpoints", "step-00000000.zck", NULL);
    g_autofree char *c10 = g_build_filename (tuned, "checkpoints", "step-00000010.zck", NULL);
    g_autofree char *c20 = g_build_filename (tuned, "checkpoints", "step-00000020.zck", NULL);
    g_autofree float *from = generator_head (packed, 64);
    g_autofree float *h0 = generator_head (c0, 64);
    g_autofree float *h10 = generator_head (c10, 64);
    g_autofree float *h20 = generator_head (c20, 64);
    g_assert_cmpmem (from, 64 * sizeof (float), h0, 64 * sizeof (float));
    g_assert_cmpmem (from, 64 * sizeof (float), h10, 64 * sizeof (float));
    g_assert_true (memcmp (from, h20, 64 * sizeof (float)) != 0);
  }

  /* The same run from random weights starts far lower. */
  g_free (out);
  out = run_cli (ARGS ("train", "--target", ZEN_MEDIUM, "--size", "64", "--ngf", "8", "--steps", "1",
                       "--run", scratch, "--quiet", "--chars-text", TINY_CHARS, "--val-chars", val, "--batch", "4",
                       "--threads", "1", "--cache-dir", cache_dir), &status);
  g_assert_cmpint (status, ==, 0);
  g_assert_cmpfloat (val_ssim_at (tuned, 0), >, val_ssim_at (scratch, 0) + 0.05);

  /* Bad input: one line on stderr naming the file or option, no run directory left. */
  g_clear_pointer (&err, g_free);
  g_free (out);
  out = run_cli_err (ARGS ("train", "--init-from", nowhere, "--run", bad, "--steps", "1"), &status, &err);
  g_assert_cmpint (WEXITSTATUS (status), ==, 1);
  g_assert_nonnull (strstr (err, nowhere));
  g_assert_false (g_file_test (bad, G_FILE_TEST_EXISTS));
  g_clear_pointer (&err, g_free);
  g_free (out);
  out = run_cli_err (ARGS ("train", "--freeze-steps", "5", "--run", bad, "--steps", "1"), &status, &err);
  g_assert_cmpint (WEXITSTATUS (status), ==, 2);
  g_assert_nonnull (strstr (err, "--freeze-steps goes with --init-from"));
  g_assert_false (g_file_test (bad, G_FILE_TEST_EXISTS));
  g_clear_pointer (&err, g_free);
  g_assert_true (g_file_set_contents (val, "\xea\xb0\x80\n", -1, NULL));  /* a Hangul syllable */
  g_free (out);
  out = run_cli_err (ARGS ("train", "--target", ZEN_MEDIUM, "--run", bad, "--steps", "1", "--chars-text", TINY_CHARS,
                           "--val-chars", val, "--size", "32", "--ngf", "4", "--cache-dir", cache_dir),
                     &status, &err);
  g_assert_cmpint (WEXITSTATUS (status), ==, 1);
  g_assert_nonnull (strstr (err, "validation characters"));
  g_assert_false (g_file_test (bad, G_FILE_TEST_EXISTS));

  zi_dir_remove_tree (dir);
}

int
main (int argc, char **argv)
{
  g_autofree char *tmp = NULL;
  int ret;

  g_test_init (&argc, &argv, NULL);
  tmp = make_tmp ();
  cache_dir = tmp;
  g_test_add_func ("/train/init/cli", test_cli);
  ret = g_test_run ();
  zi_dir_remove_tree (tmp);
  return ret;
}
