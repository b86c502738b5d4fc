/* test-trainer-family.c — one model for several target styles (zi-trainer-config.h's targets): the
 * configuration's targets and style ratio, a family's faces from fontconfig, the data of two real
 * Zen Maru Gothic weights (each pair's style, a deterministic and resumable order that mixes the
 * styles by the ratio, the same validation characters in every style, a style that lacks most of the
 * characters), a short two-style training through the trainer (per-style validation events) and
 * through zimaru-cli (metrics.jsonl's val_styles, the checkpoint's styles, resume), and the bad input
 * the command line refuses. */
#include "zi-dataset.h"
#include "zi-error.h"
#include "zi-fileutil.h"
#include "zi-font.h"
#include "zi-image.h"
#include "zi-model.h"
#include "zi-run.h"
#include "zi-trainer.h"
#include "zi-trainer-data.h"
#include "nn-pix2pix.h"
#include "trainer-test-util.h"

#include <math.h>
#include <string.h>
#include <sys/wait.h>


static char *cache_dir;

/* TINY_CHARS with two styles of Zen Maru Gothic, Regular and Bold. */
static void
family_config (ZiTrainerConfig *cfg, guint64 steps)
{
  const char *targets[] = { ZEN_REGULAR, ZEN_BOLD };

  tiny_config (cfg, steps, cache_dir);
  zi_trainer_config_set_targets (cfg, targets, 2);
}

static void
collect_warning_cb (ZiHealthKind kind, const char *message, gpointer user_data)
{
  g_ptr_array_add (user_data, g_strdup (message));
}

static void
test_config (void)
{
  const char *targets[] = { "A.ttf", "B.ttf", "C.ttf" };
  g_autoptr(GError) error = NULL;
  g_autofree char *json = NULL;
  ZiTrainerConfig cfg, back;
  double shares[3];
  guint pairs[3] = { 10, 30, 60 };

  zi_trainer_config_init (&cfg);
  g_assert_cmpuint (zi_trainer_config_get_n_targets (&cfg), ==, 1);
  g_assert_cmpstr (zi_trainer_config_get_target (&cfg, 0), ==, ZI_DEFAULT_TARGET_FONT);
  zi_trainer_config_set_targets (&cfg, targets, 3);
  g_assert_cmpuint (zi_trainer_config_get_n_targets (&cfg), ==, 3);
  g_assert_cmpstr (cfg.target_font, ==, "A.ttf");
  g_assert_cmpstr (zi_trainer_config_get_target (&cfg, 2), ==, "C.ttf");
  g_assert_cmpint (cfg.net.n_styles, ==, 3);
  g_assert_cmpint (cfg.net.embed_dim, ==, ZI_TRAINER_EMBED_DIM_DEFAULT);
  g_assert_true (zi_trainer_config_validate (&cfg, &error));

  /* A preset is a recipe: it keeps the styles. */
  g_assert_true (zi_trainer_config_apply_preset (&cfg, "quick", &error));
  g_assert_cmpint (cfg.net.n_styles, ==, 3);

  /* The ratio: equal, pairs, weights; bad text names itself. */
  zi_trainer_config_style_shares (&cfg, pairs, shares);
  g_assert_cmpfloat_with_epsilon (shares[1], 1.0 / 3, 1e-12);
  g_assert_true (zi_trainer_config_set_style_ratio (&cfg, "pairs", &error));
  zi_trainer_config_style_shares (&cfg, pairs, shares);
  g_assert_cmpfloat_with_epsilon (shares[2], 0.6, 1e-12);
  g_assert_true (zi_trainer_config_set_style_ratio (&cfg, "1, 1,2", &error));
  g_assert_cmpint (cfg.style_ratio, ==, ZI_STYLE_RATIO_WEIGHTS);
  zi_trainer_config_style_shares (&cfg, pairs, shares);
  g_assert_cmpfloat_with_epsilon (shares[2], 0.5, 1e-12);
  for (guint i = 0; i < 5; i++)
    {
      const char *bad[] = { "1,2", "1,2,3,4", "1,0,1", "1,x,1", "1,nan,1" };
      g_autoptr(GError) bad_error = NULL;

      g_assert_false (zi_trainer_config_set_style_ratio (&cfg, bad[i], &bad_error));
      g_assert_error (bad_error, ZI_ERROR, ZI_ERROR_INVALID);
      g_assert_nonnull (strstr (bad_error->message, bad[i]));
    }

  /* run.json's configuration keeps the targets and the weights. */
  json = zi_trainer_config_to_json (&cfg);
  g_assert_nonnull (strstr (json, "\"target_fonts\""));
  g_assert_true (zi_trainer_config_from_json (&back, json, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (back.n_targets, ==, 3);
  g_assert_cmpstr (back.target_fonts[1], ==, "B.ttf");
  g_assert_cmpint (back.style_ratio, ==, ZI_STYLE_RATIO_WEIGHTS);
  g_assert_cmpfloat (back.style_weights[2], ==, 2.0);
  g_assert_cmpint (back.net.n_styles, ==, 3);
  zi_trainer_config_clear (&back);

  /* The same spec twice; a network that disagrees with the targets. */
  targets[2] = "A.ttf";
  zi_trainer_config_set_targets (&cfg, targets, 3);
  g_assert_false (zi_trainer_config_validate (&cfg, &error));
  g_assert_error (error, ZI_ERROR, ZI_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "--target given twice: A.ttf"));
  g_clear_error (&error);
  zi_trainer_config_set_targets (&cfg, targets, 2);
  cfg.net.n_styles = 1;
  g_assert_false (zi_trainer_config_validate (&cfg, &error));
  g_assert_error (error, ZI_ERROR, ZI_ERROR_INVALID);
  zi_trainer_config_clear (&cfg);

  /* A one-style configuration writes no list: it reads as before styles existed. */
  zi_trainer_config_init (&cfg);
  g_free (json);
  json = zi_trainer_config_to_json (&cfg);
  g_assert_null (strstr (json, "target_fonts"));
  zi_trainer_config_clear (&cfg);
}

static void
test_list_family (void)
{
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) faces = zi_font_list_family ("zen maru gothic", &error);
  guint weights[] = { 300, 400, 500, 700, 900 };

  g_assert_no_error (error);
  g_assert_cmpuint (g_strv_length (faces), ==, 5);
  for (guint i = 0; i < 5; i++)
    {
      ZiFont *font = zi_font_open (faces[i], &error);

      g_assert_no_error (error);
      g_assert_cmpuint (zi_font_get_weight_class (font), ==, weights[i]);
      g_assert_cmpstr (zi_font_get_family (font), ==, "Zen Maru Gothic");
      zi_font_free (font);
    }
  g_assert_null (zi_font_list_family ("Zen Maru Gothic No Such", &error));
  g_assert_error (error, ZI_GLYPH_ERROR, ZI_GLYPH_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "Zen Maru Gothic No Such"));
  g_assert_nonnull (strstr (error->message, "fc-list : family"));
}

/* The first n draws of data from position from, as (style, index) pairs. */
static void
draws (ZiTrainerData *data, guint64 from, guint n, guint *out)
{
  for (guint i = 0; i < n; i++)
    zi_trainer_data_draw (data, from + i, &out[2 * i], &out[2 * i + 1]);
}

static void
test_data (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) warnings = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(ZiTrainerData) data = NULL;
  g_autoptr(ZiTrainerData) again = NULL;
  ZiTrainerConfig cfg;
  const gsize pixels = 32 * 32;
  float src[4 * 32 * 32], tgt[4 * 32 * 32], want[32 * 32];
  guint8 glyph[32 * 32], other[32 * 32];
  int style[4] = { -1, -1, -1, -1 };
  guint first[2 * 200], later[2 * 100], count[2] = { 0, 0 };
  NnRng rng;

  family_config (&cfg, 10);
  data = zi_trainer_data_load (&cfg, NULL, NULL, NULL, collect_warning_cb, warnings, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (warnings->len, ==, 0);
  g_assert_cmpuint (zi_trainer_data_get_n_styles (data), ==, 2);
  g_assert_cmpstr (zi_trainer_data_get_styles (data)[0].name, ==, "Regular");
  g_assert_cmpstr (zi_trainer_data_get_styles (data)[1].name, ==, "Bold");
  g_assert_cmpuint (zi_trainer_data_get_styles (data)[1].weight_class, ==, 700);

  /* Each style validates on the same characters. */
  {
    const GArray *v0 = zi_trainer_data_get_style_validation (data, 0);
    const GArray *v1 = zi_trainer_data_get_style_validation (data, 1);
    const ZiDataset *d0 = zi_trainer_data_get_style_dataset (data, 0);
    const ZiDataset *d1 = zi_trainer_data_get_style_dataset (data, 1);

    g_assert_cmpuint (v0->len, >, 0);
    g_assert_cmpuint (v0->len, ==, v1->len);
    for (guint i = 0; i < v0->len; i++)
      g_assert_cmpuint (d0->chars[g_array_index (v0, guint, i)], ==, d1->chars[g_array_index (v1, guint, i)]);
    g_assert_cmpuint (v0->len + zi_trainer_data_get_style_train (data, 0)->len, ==, d0->n);
    /* The two styles' targets differ (Bold is not Regular), their sources do not, so the styles
     * hold one copy of them. */
    g_assert_true (d1->source == d0->source);
    zi_dataset_get_target (d0, 0, glyph);
    zi_dataset_get_target (d1, 0, other);
    g_assert_true (memcmp (glyph, other, pixels) != 0);
  }

  /* A batch: every image's style is the style whose target it holds. */
  nn_rng_seed (&rng, 1);
  zi_trainer_data_fill_batch (data, 6, 4, &rng, src, tgt, style);
  for (guint b = 0; b < 4; b++)
    {
      guint s, k;
      const ZiDataset *ds;

      zi_trainer_data_draw (data, 6 + b, &s, &k);
      g_assert_cmpint (style[b], ==, (int) s);
      ds = zi_trainer_data_get_style_dataset (data, s);
      zi_dataset_get_target (ds, k, glyph);
      zi_image_coverage_to_net (glyph, want, pixels);
      g_assert_cmpmem (want, sizeof want, tgt + b * pixels, sizeof want);
      zi_dataset_get_source (ds, k, glyph);
      zi_image_coverage_to_net (glyph, want, pixels);
      g_assert_cmpmem (want, sizeof want, src + b * pixels, sizeof want);
    }
  g_assert_true (style[0] != style[1]);  /* equal shares alternate */

  /* The order: equal shares, every training pair of a style once per its epoch, and a function of
   * the position alone (another load, read from the middle, draws the same). */
  draws (data, 0, 200, first);
  for (guint i = 0; i < 200; i++)
    count[first[2 * i]]++;
  g_assert_cmpuint (count[0], ==, 100);
  g_assert_cmpuint (count[1], ==, 100);
  {
    guint n0 = zi_trainer_data_get_style_train (data, 0)->len;
    g_autoptr(GHashTable) seen = g_hash_table_new (NULL, NULL);

    for (guint i = 0; i < 200 && g_hash_table_size (seen) < n0; i++)
      if (first[2 * i] == 0)
        g_assert_true (g_hash_table_add (seen, GUINT_TO_POINTER (first[2 * i + 1])));
    g_assert_cmpuint (g_hash_table_size (seen), ==, n0);
  }
  again = zi_trainer_data_load (&cfg, NULL, NULL, NULL, collect_warning_cb, warnings, NULL, &error);
  g_assert_no_error (error);
  draws (again, 100, 100, later);
  g_assert_cmpmem (later, sizeof later, first + 200, sizeof later);
  g_clear_pointer (&again, zi_trainer_data_free);

  /* Weights 1,3: a quarter of the pairs are Regular. */
  g_assert_true (zi_trainer_config_set_style_ratio (&cfg, "1,3", &error));
  again = zi_trainer_data_load (&cfg, NULL, NULL, NULL, collect_warning_cb, warnings, NULL, &error);
  g_assert_no_error (error);
  draws (again, 0, 200, first);
  count[0] = count[1] = 0;
  for (guint i = 0; i < 200; i++)
    count[first[2 * i]]++;
  g_assert_cmpuint (count[0], ==, 50);
  g_assert_cmpuint (count[1], ==, 150);
  g_clear_pointer (&again, zi_trainer_data_free);
  zi_trainer_config_clear (&cfg);

  /* A style that has under half of the characters (a Latin font among CJK ones) is warned about,
   * with the counts, and trains on what it has. */
  {
    const char *targets[] = { ZEN_REGULAR, "DejaVu Sans" };

    tiny_config (&cfg, 10, cache_dir);
    zi_trainer_config_set_targets (&cfg, targets, 2);
    g_free (cfg.chars);
    cfg.chars = g_utf8_to_ucs4_fast (TINY_CHARS "ABCDEFGH", -1, NULL);
    cfg.n_chars = (guint) g_utf8_strlen (TINY_CHARS "ABCDEFGH", -1);
    cfg.val_fraction = 0.5;
    again = zi_trainer_data_load (&cfg, NULL, NULL, NULL, collect_warning_cb, warnings, NULL, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (warnings->len, ==, 1);
    g_assert_nonnull (strstr (g_ptr_array_index (warnings, 0), "has only 8 of the run's"));
    g_assert_cmpuint (zi_trainer_data_get_style_dataset (again, 1)->n, ==, 8);
    /* Other characters, other source images: each style keeps its own. */
    g_assert_true (zi_trainer_data_get_style_dataset (again, 1)->source
                   != zi_trainer_data_get_style_dataset (again, 0)->source);
    zi_trainer_config_clear (&cfg);
  }
}

/* A short two-style run through the trainer: each validation event carries both styles' figures,
 * whose mean is the overall figure; metrics.jsonl and the checkpoint record the styles. */
static void
test_train (void)
{
  g_autofree char *dir = make_tmp ();
  g_autofree char *run = g_build_filename (dir, "run", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(ZiTrainer) trainer = NULL;
  g_autoptr(ZiModel) model = NULL;
  g_autoptr(GArray) metrics = NULL;
  ZiTrainerConfig cfg;
  Recorder rec;
  const ZiTrainerEvent *ev;
  const ZiRunMetric *last;

  family_config (&cfg, 20);
  trainer = zi_trainer_new (&cfg, run, &error);
  g_assert_no_error (error);
  recorder_init (&rec);
  run_sync (trainer, &rec);
  ev = find_event (&rec, ZI_TRAINER_EVENT_VALIDATION, 20);
  g_assert_nonnull (ev);
  g_assert_cmpuint (ev->validation.n_styles, ==, 2);
  g_assert_cmpstr (ev->validation.styles[1].name, ==, "Bold");
  g_assert_cmpuint (ev->validation.styles[1].style, ==, 1);
  g_assert_cmpuint (ev->validation.styles[0].n, >, 0);
  g_assert_cmpfloat_with_epsilon (ev->validation.ssim,
                                  (ev->validation.styles[0].ssim + ev->validation.styles[1].ssim) / 2, 1e-12);
  g_assert_cmpuint (ev->validation.n, ==, ev->validation.styles[0].n + ev->validation.styles[1].n);

  /* The same run stopped at step 10 and resumed to 20 draws the same pairs of both styles: the same
   * losses, and the same figures for each style. */
  {
    g_autofree char *run_b = g_build_filename (dir, "run-b", NULL);
    g_autoptr(ZiTrainer) t = NULL;
    Recorder rb;
    const ZiTrainerEvent *b20, *sa, *sb;

    cfg.max_steps = 10;
    t = zi_trainer_new (&cfg, run_b, &error);
    g_assert_no_error (error);
    recorder_init (&rb);
    run_sync (t, &rb);
    recorder_clear (&rb);
    g_clear_object (&t);
    t = zi_trainer_new_resume (run_b, NULL, &error);
    g_assert_no_error (error);
    zi_trainer_get_config_mutable (t)->max_steps = 20;
    recorder_init (&rb);
    run_sync (t, &rb);
    b20 = find_event (&rb, ZI_TRAINER_EVENT_VALIDATION, 20);
    g_assert_nonnull (b20);
    g_assert_cmpuint (b20->validation.n_styles, ==, 2);
    for (guint i = 0; i < 2; i++)
      {
        g_assert_cmpfloat (b20->validation.styles[i].ssim, ==, ev->validation.styles[i].ssim);
        g_assert_cmpfloat (b20->validation.styles[i].l1, ==, ev->validation.styles[i].l1);
      }
    sa = find_event (&rec, ZI_TRAINER_EVENT_STEP, 20);
    sb = find_event (&rb, ZI_TRAINER_EVENT_STEP, 20);
    g_assert_nonnull (sa);
    g_assert_nonnull (sb);
    g_assert_cmpfloat (sa->stats.g_loss, ==, sb->stats.g_loss);
    recorder_clear (&rb);
  }
  recorder_clear (&rec);

  metrics = zi_run_metrics_load (run, &error);
  g_assert_no_error (error);
  last = &g_array_index (metrics, ZiRunMetric, metrics->len - 1);
  g_assert_true (last->has_val);
  g_assert_cmpuint (last->n_val_styles, ==, 2);
  g_assert_cmpstr (last->val_styles[0].name, ==, "Regular");
  g_assert_cmpfloat_with_epsilon (last->val_l1, (last->val_styles[0].l1 + last->val_styles[1].l1) / 2, 1e-9);

  model = zi_model_load (run, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (zi_model_get_n_styles (model), ==, 2);
  g_assert_cmpstr (zi_model_get_style (model, 1)->path, ==, ZEN_BOLD);
  g_assert_cmpint (zi_model_find_style (model, "bold"), ==, 1);
  g_assert_cmpint (zi_model_find_style (model, "Black"), ==, -1);

  zi_trainer_config_clear (&cfg);
  zi_dir_remove_tree (dir);
}

/* zimaru-cli: two styles of the family at 64 px, ngf 8, 30 steps on one thread; resume to 40; the
 * bad input of the README's table. */
static void
test_cli (void)
{
  g_autofree char *dir = make_tmp ();
  g_autofree char *run = g_build_filename (dir, "run", NULL);
  g_autofree char *one = g_build_filename (dir, "one", NULL);
  g_autofree char *bad = g_build_filename (dir, "bad", NULL);
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *metrics = NULL;
  g_autofree char *info = NULL;
  g_autofree char *one_ckpt = NULL;
  g_autoptr(ZiModel) model = NULL;
  g_autoptr(GError) error = NULL;
  int status;
  const char *common[] = { "--chars-text", TINY_CHARS, "--size", "64", "--ngf", "8", "--batch", "4",
                           "--threads", "1", "--val-every", "15", "--checkpoint-every", "15",
                           "--val-fraction", "0.15", "--cache-dir", cache_dir };
#define ARGS(...) ((const char *const[]) { __VA_ARGS__, NULL })

  out = run_cli (ARGS ("train", "--target", ZEN_REGULAR, "--target", ZEN_BOLD, "--steps", "30", "--run", run,
                       "--quiet", common[0], common[1], common[2], common[3], common[4], common[5], common[6],
                       common[7], common[8], common[9], common[10], common[11], common[12], common[13],
                       common[14], common[15], common[16], common[17]), &status);
  g_assert_cmpint (status, ==, 0);
  metrics = read_run_file (run, "metrics.jsonl");
  g_assert_nonnull (strstr (metrics, "\"step\":30,"));
  g_assert_nonnull (strstr (metrics, "\"val_styles\":{\"Regular\":{\"l1\":"));
  g_assert_nonnull (strstr (metrics, "},\"Bold\":{\"l1\":"));
  info = read_run_file (run, "run.json");
  g_assert_nonnull (strstr (info, "\"styles\""));
  model = zi_model_load (run, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (zi_model_get_step (model), ==, 30);
  g_assert_cmpuint (zi_model_get_n_styles (model), ==, 2);
  g_assert_cmpstr (zi_model_get_style (model, 0)->name, ==, "Regular");
  g_assert_cmpstr (zi_model_get_style (model, 1)->name, ==, "Bold");
  g_clear_pointer (&model, zi_model_free);

  /* Resume goes on with both styles. */
  g_free (out);
  out = run_cli (ARGS ("train", "--resume", "--run", run, "--steps", "40", "--threads", "1", "--json"), &status);
  g_assert_cmpint (status, ==, 0);
  g_assert_nonnull (strstr (out, "\"step\" : 40"));
  g_assert_nonnull (strstr (out, "\"Bold\" : {"));

  /* A one-style run, and its checkpoint offered to the two-style run (and the other way round). */
  g_free (out);
  out = run_cli (ARGS ("train", "--target", ZEN_REGULAR, "--steps", "2", "--run", one, "--quiet",
                       "--chars-text", TINY_CHARS, "--size", "64", "--ngf", "8", "--batch", "4", "--threads", "1",
                       "--cache-dir", cache_dir), &status);
  g_assert_cmpint (status, ==, 0);
  one_ckpt = zi_run_newest_checkpoint (one, &error);
  g_assert_no_error (error);
  g_free (out);
  out = run_cli_err (ARGS ("train", "--resume", "--run", run, "--checkpoint", one_ckpt, "--steps", "50"),
                     &status, &err);
  g_assert_cmpint (WEXITSTATUS (status), ==, 1);
  g_assert_nonnull (strstr (err, "was trained on the target styles Regular, but this run trains Regular, Bold"));
  g_clear_pointer (&err, g_free);
  {
    g_autofree char *two_ckpt = zi_run_newest_checkpoint (run, &error);

    g_free (out);
    out = run_cli_err (ARGS ("train", "--resume", "--run", one, "--checkpoint", two_ckpt, "--steps", "50"),
                       &status, &err);
    g_assert_cmpint (WEXITSTATUS (status), ==, 1);
    g_assert_nonnull (strstr (err, "Regular, Bold, but this run trains Regular;"));
    g_clear_pointer (&err, g_free);
  }
  /* Targets cannot change on resume. */
  g_free (out);
  out = run_cli_err (ARGS ("train", "--resume", "--run", one, "--target", ZEN_BOLD), &status, &err);
  g_assert_cmpint (WEXITSTATUS (status), ==, 2);
  g_assert_nonnull (strstr (err, "cannot change when resuming"));
  g_clear_pointer (&err, g_free);

  /* A family with no installed face; the same file given twice under two specs: one line each,
   * nothing left behind. */
  g_free (out);
  out = run_cli_err (ARGS ("train", "--target-family", "Zen Maru Nothing", "--run", bad, "--steps", "1"),
                     &status, &err);
  g_assert_cmpint (WEXITSTATUS (status), ==, 1);
  g_assert_nonnull (strstr (err, "Zen Maru Nothing"));
  g_assert_nonnull (strstr (err, "fc-list : family"));
  g_assert_cmpuint (strchr (err, '\n') - err + 1, ==, strlen (err));
  g_assert_false (g_file_test (bad, G_FILE_TEST_EXISTS));
  g_clear_pointer (&err, g_free);
  g_free (out);
  out = run_cli_err (ARGS ("train", "--target", ZEN_BOLD, "--target", "Zen Maru Gothic:style=Bold", "--run", bad,
                           "--steps", "1", "--chars-text", TINY_CHARS, "--size", "64", "--ngf", "8",
                           "--cache-dir", cache_dir),
                     &status, &err);
  g_assert_cmpint (WEXITSTATUS (status), ==, 2);
  g_assert_nonnull (strstr (err, "--target given twice: " ZEN_BOLD));
  g_assert_false (g_file_test (bad, G_FILE_TEST_EXISTS));
  g_clear_pointer (&err, g_free);
  g_free (out);
  out = run_cli_err (ARGS ("train", "--target", ZEN_BOLD, "--target", ZEN_REGULAR, "--style-ratio", "1",
                           "--run", bad), &status, &err);
  g_assert_cmpint (WEXITSTATUS (status), ==, 2);
  g_assert_nonnull (strstr (err, "--style-ratio '1'"));

  zi_dir_remove_tree (dir);
#undef ARGS
}

int
main (int argc, char **argv)
{
  g_autofree char *tmp = NULL;
  int ret;

  g_test_init (&argc, &argv, NULL);
  tmp = make_tmp ();
  cache_dir = tmp;
  g_test_add_func ("/train/family/config", test_config);
  g_test_add_func ("/train/family/list-family", test_list_family);
  g_test_add_func ("/train/family/data", test_data);
  g_test_add_func ("/train/family/train", test_train);
  g_test_add_func ("/train/family/cli", test_cli);
  ret = g_test_run ();
  zi_dir_remove_tree (tmp);
  return ret;
}
