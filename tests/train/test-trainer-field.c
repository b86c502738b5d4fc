/* test-trainer-field.c — a field run (the generator learns the target's signed distance field) end to
 * end on a tiny model (32 px, ngf 8, trainer-test-util.h): the batches hold the target's fields,
 * validation measures the ink derived from the generated fields against the target's real coverage,
 * run.json and the checkpoints record the representation, resuming keeps it, and the model loaded
 * from the run says it draws fields and generates ink (and, from metadata that names no
 * representation, loads as ink and generates as before); through zimaru-cli, train's options, eval
 * on the ink, and export and generate tracing the field. */
#include "zi-dataset.h"
#include "zi-error.h"
#include "zi-export.h"
#include "zi-fileutil.h"
#include "zi-image.h"
#include "zi-metrics.h"
#include "zi-model.h"
#include "zi-run.h"
#include "zi-svg.h"
#include "zi-trainer.h"
#include "zi-trainer-data.h"
#include "nn-pix2pix.h"
#include "trainer-test-util.h"

#include <json-glib/json-glib.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#define STEPS  20
#define SPREAD 6  /* not the default, so that a spread lost on the way shows */

static char *cache_dir;

static void
tiny_field_config (ZiTrainerConfig *cfg)
{
  tiny_config (cfg, STEPS, cache_dir);
  cfg->representation = ZI_REPRESENTATION_FIELD;
  cfg->field_spread = SPREAD;
  cfg->ema_decay = 0.9f;
}

static void
ignore_warning_cb (ZiHealthKind kind, const char *message, gpointer user_data)
{
}

/* Each pair of a batch: its source is a dataset glyph's, and its target is that glyph's field in a
 * field run, its coverage in an ink run. */
static void
check_batch (ZiRepresentation representation)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ZiTrainerData) data = NULL;
  ZiTrainerConfig cfg;
  const gsize pixels = 32 * 32;
  float src[4 * 32 * 32], tgt[4 * 32 * 32], want[32 * 32];
  guint8 glyph[32 * 32];
  const ZiDataset *ds;
  NnRng rng;

  tiny_field_config (&cfg);
  cfg.representation = representation;
  data = zi_trainer_data_load (&cfg, NULL, NULL, NULL, ignore_warning_cb, NULL, NULL, &error);
  g_assert_no_error (error);
  ds = zi_trainer_data_get_dataset (data);
  g_assert_true ((ds->target_field != NULL) == (representation == ZI_REPRESENTATION_FIELD));
  nn_rng_seed (&rng, 1);
  zi_trainer_data_fill_batch (data, 0, 4, &rng, src, tgt, NULL);
  for (guint b = 0; b < 4; b++)
    {
      guint k = 0;

      for (; k < ds->n; k++)
        {
          zi_dataset_get_source (ds, k, glyph);
          zi_image_coverage_to_net (glyph, want, pixels);
          if (memcmp (want, src + b * pixels, sizeof want) == 0)
            break;
        }
      g_assert_cmpuint (k, <, ds->n);
      if (representation == ZI_REPRESENTATION_FIELD)
        zi_packed_images_get (ds->target_field, k, glyph);
      else
        zi_dataset_get_target (ds, k, glyph);
      zi_image_coverage_to_net (glyph, want, pixels);
      g_assert_cmpmem (tgt + b * pixels, sizeof want, want, sizeof want);
    }
  zi_trainer_config_clear (&cfg);
}

static void
test_field_batch (void)
{
  check_batch (ZI_REPRESENTATION_FIELD);
  check_batch (ZI_REPRESENTATION_INK);
}

static void
assert_unit (double v)
{
  g_assert_true (isfinite (v));
  g_assert_cmpfloat (v, >=, 0.0);
  g_assert_cmpfloat (v, <=, 1.0);
}

static void
test_field_end_to_end (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *root = make_tmp ();
  g_autofree char *run = g_build_filename (root, "run", NULL);
  g_autofree char *run_json = NULL;
  g_auto(ZiRunInfo) info = { 0 };
  ZiTrainerConfig cfg, saved;
  Recorder r;
  const ZiTrainerEvent *v0, *v_end, *pv;

  tiny_field_config (&cfg);
  recorder_init (&r);
  {
    g_autoptr(ZiTrainer) t = zi_trainer_new (&cfg, run, &error);
    g_assert_no_error (error);
    run_sync (t, &r);
    g_assert_cmpuint (zi_trainer_get_step (t), ==, STEPS);
  }

  /* Validation measured ink: finite scores of [0, 1] before and after training. */
  v0 = find_event (&r, ZI_TRAINER_EVENT_VALIDATION, 0);
  v_end = find_event (&r, ZI_TRAINER_EVENT_VALIDATION, STEPS);
  pv = find_event (&r, ZI_TRAINER_EVENT_PREVIEW, STEPS);
  g_assert_nonnull (v0);
  g_assert_nonnull (v_end);
  g_assert_nonnull (pv);
  g_test_message ("field run: untrained val L1 %.4f SSIM %.4f IoU %.4f; after %d steps L1 %.4f SSIM %.4f "
                  "IoU %.4f; baseline SSIM %.4f", v0->validation.l1, v0->validation.ssim, v0->validation.iou,
                  STEPS, v_end->validation.l1, v_end->validation.ssim, v_end->validation.iou,
                  v_end->validation.base_ssim);
  assert_unit (v0->validation.l1);
  assert_unit (v_end->validation.l1);
  assert_unit (v_end->validation.ssim);
  assert_unit (v_end->validation.iou);
  assert_unit (v_end->validation.raw_l1);
  g_assert_cmpfloat (v_end->validation.l1, <, v0->validation.l1);

  /* run.json records the representation in its configuration; resuming keeps it. */
  run_json = g_build_filename (run, "run.json", NULL);
  {
    g_autofree char *text = NULL;
    g_assert_true (g_file_get_contents (run_json, &text, NULL, NULL));
    g_assert_nonnull (strstr (text, "\"representation\""));
  }
  g_assert_true (zi_run_info_load (run, &info, &error));
  g_assert_no_error (error);
  g_assert_true (zi_trainer_config_from_json (&saved, info.config_json, &error));
  g_assert_cmpint (saved.representation, ==, ZI_REPRESENTATION_FIELD);
  g_assert_cmpuint (saved.field_spread, ==, SPREAD);
  zi_trainer_config_clear (&saved);
  {
    g_autoptr(ZiTrainer) t = zi_trainer_new_resume (run, NULL, &error);
    g_assert_no_error (error);
    g_assert_cmpint (zi_trainer_get_config (t)->representation, ==, ZI_REPRESENTATION_FIELD);
    g_assert_cmpuint (zi_trainer_get_config (t)->field_spread, ==, SPREAD);
  }

  /* The model says what it draws; it generates ink, its raw output is the field that ink comes from,
   * and the trainer's last preview is that ink. */
  {
    g_autoptr(ZiModel) model = zi_model_load (run, &error);
    gsize plane = 32 * 32, n = pv->preview.n;
    g_autofree guint8 *ink = g_malloc (n * plane);
    g_autofree guint8 *raw = g_malloc (n * plane);
    g_autofree guint8 *derived = g_malloc (n * plane);

    g_assert_no_error (error);
    g_assert_cmpint (zi_model_get_representation (model), ==, ZI_REPRESENTATION_FIELD);
    g_assert_cmpuint (zi_model_get_field_spread (model), ==, SPREAD);
    g_assert_true (zi_model_generate (model, pv->preview.source, (guint) n, ink, NULL, NULL, NULL, &error));
    g_assert_true (zi_model_generate_raw (model, pv->preview.source, (guint) n, raw, NULL, NULL, NULL,
                                          &error));
    g_assert_no_error (error);
    g_assert_cmpmem (ink, n * plane, pv->preview.generated, n * plane);
    zi_image_field_to_coverage (raw, derived, n * plane, SPREAD);
    g_assert_cmpmem (derived, n * plane, ink, n * plane);
    zi_model_raw_to_coverage (model, raw, raw, (guint) n);
    g_assert_cmpmem (raw, n * plane, ink, n * plane);
  }

  /* The same weights with metadata that names no representation, as every checkpoint written before
   * fields did: an ink model, whose glyphs are its generator's output as it is (nothing derived). */
  {
    g_autofree char *ckpt = zi_run_checkpoint_path (run, STEPS);
    g_autofree char *ema = zi_run_ema_path (ckpt);
    g_autofree char *old = g_build_filename (root, "old.zck", NULL);
    g_autofree guint8 *buf = NULL;
    gsize len, plane = 32 * 32, n = pv->preview.n;
    NnPix2Pix *net = NULL;
    uint64_t step = 0;
    char *meta = NULL;
    uint8_t *bytes = NULL;
    size_t n_bytes = 0;
    NnRng rng;
    g_autoptr(JsonNode) node = NULL;
    g_autofree char *old_meta = NULL;
    g_autoptr(ZiModel) field_model = zi_model_load (run, &error);
    g_autoptr(ZiModel) old_model = NULL;
    g_autofree guint8 *raw = g_malloc (n * plane);
    g_autofree guint8 *old_out = g_malloc (n * plane);

    g_assert_true (g_file_get_contents (ema, (char **) &buf, &len, &error));
    g_assert_cmpint (nn_pix2pix_load (&net, buf, len, NULL, 0, NULL, &step, &meta), ==, NN_OK);
    node = json_from_string (meta, &error);
    g_assert_no_error (error);
    g_assert_true (json_object_has_member (json_node_get_object (node), "representation"));
    json_object_remove_member (json_node_get_object (node), "representation");
    old_meta = json_to_string (node, FALSE);
    nn_rng_seed (&rng, 1);
    g_assert_cmpint (nn_pix2pix_save (net, &rng, step, old_meta, 1, 0, &bytes, &n_bytes), ==, NN_OK);
    g_assert_true (g_file_set_contents (old, (const char *) bytes, (gssize) n_bytes, &error));
    free (bytes);
    free (meta);
    nn_pix2pix_free (net);

    old_model = zi_model_load (old, &error);
    g_assert_no_error (error);
    g_assert_cmpint (zi_model_get_representation (old_model), ==, ZI_REPRESENTATION_INK);
    g_assert_cmpuint (zi_model_get_field_spread (old_model), ==, 0);
    g_assert_true (zi_model_generate (old_model, pv->preview.source, (guint) n, old_out, NULL, NULL, NULL,
                                      &error));
    g_assert_true (zi_model_generate_raw (field_model, pv->preview.source, (guint) n, raw, NULL, NULL, NULL,
                                          &error));
    g_assert_no_error (error);
    g_assert_cmpmem (old_out, n * plane, raw, n * plane);
  }

  /* The validation scores are those of the model's ink against the target's coverage (not its
   * fields): measured again here from the run's checkpoint. */
  {
    g_autoptr(ZiModel) model = zi_model_load (run, &error);
    ZiFont *source = zi_font_open (cfg.source_font, &error);
    ZiFont *target = zi_font_open (cfg.target_font, &error);
    g_autoptr(ZiDataset) val = NULL;
    g_autofree guint8 *gen = NULL;
    g_autofree guint8 *val_src = NULL;
    g_autofree guint8 *val_tgt = NULL;
    ZiMetrics m;

    g_assert_no_error (error);
    val = zi_dataset_load (source, target, info.val_chars, info.n_val_chars, 32, cfg.em_fraction, 0,
                           cache_dir, NULL, NULL, NULL, NULL, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (val->n, ==, v_end->validation.n);
    gen = g_malloc ((gsize) val->n * 32 * 32);
    val_src = g_malloc ((gsize) val->n * 32 * 32);
    val_tgt = g_malloc ((gsize) val->n * 32 * 32);
    zi_packed_images_get_all (val->source, val_src);
    zi_packed_images_get_all (val->target, val_tgt);
    g_assert_true (zi_model_generate (model, val_src, val->n, gen, NULL, NULL, NULL, &error));
    zi_metrics_coverage (gen, val_tgt, val->n, 32, &m);
    g_assert_cmpfloat_with_epsilon (m.l1, v_end->validation.l1, 1e-9);
    g_assert_cmpfloat_with_epsilon (m.ssim, v_end->validation.ssim, 1e-9);
    g_assert_cmpfloat_with_epsilon (m.iou, v_end->validation.iou, 1e-9);
    zi_font_free (source);
    zi_font_free (target);
  }

  recorder_clear (&r);
  zi_trainer_config_clear (&cfg);
  zi_dir_remove_tree (root);
}

/* A usage error of train: exit status 2 and a line on stderr saying what is wrong; no run directory. */
static void
assert_usage_error (const char *const *args, const char *run, const char *says)
{
  g_autofree char *err = NULL;
  g_autofree char *out = NULL;
  int status = -1;

  out = run_cli_err (args, &status, &err);
  g_assert_true (WIFEXITED (status));
  g_assert_cmpint (WEXITSTATUS (status), ==, 2);
  g_assert_nonnull (strstr (err, says));
  g_assert_false (g_file_test (run, G_FILE_TEST_EXISTS));
}

/* The text of the file dir/sub/name (sub may be NULL). */
static char *
read_text (const char *dir, const char *sub, const char *name)
{
  g_autofree char *path = g_build_filename (dir, sub != NULL ? sub : name, sub != NULL ? name : NULL, NULL);
  char *text = NULL;

  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  return text;
}

/* zimaru-cli on a field run: train --representation field --field-spread N makes one (and refuses
 * what it cannot take); eval measures its ink; export and generate trace the field itself, as
 * zi_export_trace_generated() does, and generate's PNG files are the ink. */
static void
test_field_cli (void)
{
  g_autofree char *root = make_tmp ();
  g_autofree char *run = g_build_filename (root, "run", NULL);
  g_autofree char *other = g_build_filename (root, "other", NULL);
  g_autofree char *exported = g_build_filename (root, "export", NULL);
  g_autofree char *generated = g_build_filename (root, "generated", NULL);
  const char *train_args[] = { "train", "--run", run, "--chars-text", TINY_CHARS, "--size", "32", "--ngf", "8",
                               "--batch", "4", "--steps", "10", "--val-every", "10", "--threads", "1",
                               "--val-fraction", "0.15", "--cache-dir", cache_dir, "--representation",
                               "field", "--field-spread", "5", "--quiet", NULL };
  const char *bad_kind[] = { "train", "--run", other, "--representation", "sdf", NULL };
  const char *spread_alone[] = { "train", "--run", other, "--field-spread", "5", NULL };
  const char *spread_far[] = { "train", "--run", other, "--representation", "field", "--field-spread", "40",
                               NULL };
  const char *on_resume[] = { "train", "--run", run, "--resume", "--representation", "ink", NULL };
  const char *eval_args[] = { "eval", "--checkpoint", run, "--cache-dir", cache_dir, "--outlines", "--json",
                              NULL };
  const char *export_args[] = { "export", "--checkpoint", run, "--chars-text", "永国", "--out", exported,
                                "--format", "png,svg", NULL };
  const char *generate_args[] = { "generate", "--checkpoint", run, "--chars-text", "永国", "--out", generated,
                                  "--format", "png,svg", "--quiet", NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(ZiModel) model = NULL;
  g_autoptr(GArray) metrics = NULL;
  g_autofree char *out = NULL;
  g_auto(ZiRunInfo) info = { 0 };
  ZiTrainerConfig cfg;
  int status = -1;

  out = run_cli (train_args, &status);
  g_assert_cmpint (status, ==, 0);
  g_assert_true (zi_run_info_load (run, &info, &error));
  g_assert_true (zi_trainer_config_from_json (&cfg, info.config_json, &error));
  g_assert_no_error (error);
  g_assert_cmpint (cfg.representation, ==, ZI_REPRESENTATION_FIELD);
  g_assert_cmpuint (cfg.field_spread, ==, 5);
  zi_trainer_config_clear (&cfg);
  model = zi_model_load (run, &error);
  g_assert_no_error (error);
  g_assert_cmpint (zi_model_get_representation (model), ==, ZI_REPRESENTATION_FIELD);
  g_assert_cmpuint (zi_model_get_field_spread (model), ==, 5);

  assert_usage_error (bad_kind, other, "--representation 'sdf'");
  assert_usage_error (spread_alone, other, "--field-spread goes with --representation field");
  assert_usage_error (spread_far, other, "--field-spread 40 is out of range");
  {
    g_autofree char *err = NULL;
    g_autofree char *o = run_cli_err (on_resume, &status, &err);
    g_assert_true (WIFEXITED (status) && WEXITSTATUS (status) == 2);
    g_assert_nonnull (strstr (err, "--representation/--field-spread cannot change"));
  }

  /* eval: the ink's scores, the ones validation logged. */
  g_clear_pointer (&out, g_free);
  out = run_cli (eval_args, &status);
  g_assert_cmpint (status, ==, 0);
  metrics = zi_run_metrics_load (run, &error);
  g_assert_no_error (error);
  {
    g_autoptr(JsonNode) node = json_from_string (out, &error);
    JsonObject *o;
    const ZiRunMetric *last = &g_array_index (metrics, ZiRunMetric, metrics->len - 1);

    g_assert_no_error (error);
    o = json_node_get_object (node);
    g_assert_true (last->has_val);
    g_assert_cmpfloat_with_epsilon (json_object_get_double_member (json_object_get_object_member (o, "model"),
                                                                   "l1"), last->val_l1, 1e-6);
    g_assert_cmpfloat_with_epsilon (json_object_get_double_member (json_object_get_object_member (o, "model"),
                                                                   "ssim"), last->val_ssim, 1e-6);
    g_assert_true (json_object_has_member (o, "outlines"));
  }

  /* export and generate: SVG files of the traced field, both alike; generate's PNG files: the ink. */
  g_clear_pointer (&out, g_free);
  out = run_cli (export_args, &status);
  g_assert_cmpint (status, ==, 0);
  g_clear_pointer (&out, g_free);
  out = run_cli (generate_args, &status);
  g_assert_cmpint (status, ==, 0);
  {
    /* Both glyphs in one batch, as the commands generate them: a batch of another size may round the
     * networks' sums otherwise in the last bit. */
    gunichar c = g_utf8_get_char ("永"), c2 = g_utf8_get_char ("国");
    ZiFont *source = zi_font_open (zi_model_get_source_font (model), &error);
    ZiFont *target = zi_font_open (zi_model_get_target_font (model), &error);
    ZiPlacement sp, tp;
    ZiFontMetrics fm;
    ZiSvgFrame frame;
    ZiTraceParams params;
    guint8 src[2 * 32 * 32], raw[2 * 32 * 32], ink[2 * 32 * 32];
    g_autofree guint8 *png = NULL;
    g_autofree char *png_path = g_build_filename (generated, "uni6C38.png", NULL);
    g_autofree char *svg_export = read_text (exported, "svg", "uni6C38.svg");
    g_autofree char *svg_generate = read_text (generated, NULL, "uni6C38.svg");
    g_autoptr(ZiOutline) field_outline = NULL;
    g_autoptr(ZiOutline) ink_outline = NULL;
    g_autofree char *svg_field = NULL;
    g_autofree char *svg_ink = NULL;
    guint w, h;

    g_assert_no_error (error);
    g_assert_true (zi_placement_init (&sp, source, 32, zi_model_get_em_fraction (model), &error));
    g_assert_true (zi_placement_init (&tp, target, 32, zi_model_get_em_fraction (model), &error));
    g_assert_true (zi_render_char (source, &sp, c, src, &error));
    g_assert_true (zi_render_char (source, &sp, c2, src + 32 * 32, &error));
    g_assert_true (zi_model_generate_raw (model, src, 2, raw, NULL, NULL, NULL, &error));
    g_assert_true (zi_model_generate (model, src, 2, ink, NULL, NULL, NULL, &error));
    g_assert_no_error (error);

    png = zi_image_read_png_coverage (png_path, &w, &h, &error);
    g_assert_no_error (error);
    g_assert_cmpmem (png, (gsize) w * h, ink, 32 * 32);

    zi_font_get_metrics (target, &fm);
    zi_svg_frame_init (&frame, &fm);
    zi_trace_params_init (&params, ZI_TRACE_PRESET_ROUND);
    field_outline = zi_export_trace_generated (raw, 5, 32, &tp, &params, &error);
    ink_outline = zi_trace_bitmap (ink, 32, &tp, &params, &error);
    g_assert_no_error (error);
    svg_field = zi_svg_document (field_outline, &frame, c);
    svg_ink = zi_svg_document (ink_outline, &frame, c);
    g_assert_cmpstr (svg_export, ==, svg_generate);
    g_assert_cmpstr (svg_export, ==, svg_field);
    /* And the field is what they traced, not its ink (a model of ten steps draws something). */
    g_assert_cmpstr (svg_field, !=, svg_ink);
    zi_font_free (source);
    zi_font_free (target);
  }
  zi_dir_remove_tree (root);
}

int
main (int argc, char **argv)
{
  int status;

  g_test_init (&argc, &argv, NULL);
  cache_dir = make_tmp ();
  g_test_add_func ("/train/field/batch", test_field_batch);
  g_test_add_func ("/train/field/end-to-end", test_field_end_to_end);
  g_test_add_func ("/train/field/cli", test_field_cli);
  status = g_test_run ();
  zi_dir_remove_tree (cache_dir);
  g_free (cache_dir);
  return status;
}
