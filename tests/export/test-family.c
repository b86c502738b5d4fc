/* test-family.c — one model for a family: a checkpoint of a generator with two target styles (Zen
 * Maru Gothic Light, weight 300, and Bold, 700) built here and saved with their metadata, then the
 * model's style and weight choice (zi-model.h), zimaru-cli generate/eval/export with --style and
 * --weight, the family export (a UFO per style with its weight class, a designspace that fontmake
 * builds into every style), and the errors for a style or weight the model does not have. */
#include "config.h"
#include "export-test-util.h"
#include "nn-pix2pix.h"
#include "zi-error.h"
#include "zi-fileutil.h"
#include "zi-model.h"
#include "zi-run.h"

#include <math.h>
#include <string.h>

#define FONT_DIR "/usr/local/share/fonts/zen-maru-gothic/"
#define LIGHT FONT_DIR "ZenMaruGothic_300Light.ttf"
#define BOLD FONT_DIR "ZenMaruGothic_700Bold.ttf"

/* Saves a generator of n_styles styles (Light and Bold for two, Regular alone for one) as
 * dir/name.zck with the checkpoint metadata the trainer writes. */
static char *
save_checkpoint (const char *dir, const char *name, int n_styles)
{
  static const struct { const char *name, *font; guint weight; } fonts[] = {
    { "Light", LIGHT, 300 }, { "Bold", BOLD, 700 },
  };
  NnPix2PixConfig cfg;
  NnOptConfig opt;
  NnPix2Pix *net = NULL;
  ZiCheckpointMeta meta;
  g_autofree char *json = NULL;
  g_autofree char *file = g_strdup_printf ("%s.zck", name);
  char *path = g_build_filename (dir, file, NULL);
  g_autoptr(GError) error = NULL;
  uint8_t *buf = NULL;
  size_t len = 0;

  nn_pix2pix_defaults (&cfg);
  cfg.size = SIZE;
  cfg.ngf = 8;
  cfg.batch = 4;
  cfg.n_styles = n_styles;
  cfg.embed_dim = 16;
  nn_optim_defaults (&opt, NN_OPT_ADAM);
  g_assert_cmpint (nn_pix2pix_create (&net, &cfg, &opt, &opt, 5), ==, NN_OK);

  zi_checkpoint_meta_init (&meta);
  meta.source_font = g_strdup (SOURCE_FONT);
  meta.size = SIZE;
  meta.em_fraction = ZI_DEFAULT_EM_FRACTION;
  meta.n_styles = (guint) n_styles;
  meta.styles = g_new0 (ZiRunStyle, n_styles);
  for (int i = 0; i < n_styles; i++)
    {
      ZiFont *font = open_font (n_styles == 1 ? TARGET_FONT : fonts[i].font);

      zi_run_style_init_from_font (&meta.styles[i], n_styles == 1 ? TARGET_FONT : fonts[i].font, font);
      zi_font_free (font);
    }
  meta.target_font = g_strdup (meta.styles[0].font);
  json = zi_checkpoint_meta_to_json (&meta);
  zi_checkpoint_meta_clear (&meta);
  g_assert_cmpint (nn_pix2pix_save (net, NULL, 20, json, 1, 0, &buf, &len), ==, NN_OK);
  g_assert_true (g_file_set_contents (path, (const char *) buf, (gssize) len, &error));
  g_assert_no_error (error);
  free (buf);
  nn_pix2pix_free (net);
  return path;
}

typedef struct {
  char *dir;
  char *family;  /* the two-style checkpoint */
  char *single;  /* a one-style checkpoint (Regular) */
} Family;

static void
family_setup (Family *f, gconstpointer data)
{
  f->dir = make_temp_dir ();
  f->family = save_checkpoint (f->dir, "family", 2);
  f->single = save_checkpoint (f->dir, "single", 1);
}

static void
family_teardown (Family *f, gconstpointer data)
{
  zi_dir_remove_tree (f->dir);
  g_free (f->dir);
  g_free (f->family);
  g_free (f->single);
}

/* Exit status code and one error line on stderr that contains every string of what (NULL-ended). */
static void
assert_fails (CliResult *r, int code, const char * const *what)
{
  g_assert_cmpint (r->status, ==, code);
  g_assert_true (g_str_has_prefix (r->err, "zimaru-cli: error: "));
  g_assert_cmpint (strchr (r->err, '\n') - r->err, ==, (int) strlen (r->err) - 1);
  for (guint i = 0; what[i] != NULL; i++)
    g_assert_nonnull (strstr (r->err, what[i]));
  cli_result_clear (r);
}

static void
test_model_choice (Family *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ZiModel) model = zi_model_load (f->family, &error);
  g_autoptr(ZiModel) single = NULL;
  guint mix_style;
  double mix;

  g_assert_no_error (error);
  g_assert_cmpuint (zi_model_get_n_styles (model), ==, 2);
  g_assert_cmpuint (zi_model_get_style (model, 1)->weight_class, ==, 700);
  g_assert_cmpuint (zi_model_get_current_style (model, &mix_style, &mix), ==, 0);
  g_assert_cmpfloat (mix, ==, 0.0);

  g_assert_true (zi_model_set_weight (model, 550, &error));
  g_assert_cmpuint (zi_model_get_current_style (model, &mix_style, &mix), ==, 0);
  g_assert_cmpuint (mix_style, ==, 1);
  g_assert_cmpfloat_with_epsilon (mix, 0.625, 1e-6);
  g_assert_true (zi_model_set_weight (model, 700, &error));
  g_assert_cmpuint (zi_model_get_current_style (model, NULL, &mix), ==, 1);
  g_assert_cmpfloat (mix, ==, 0.0);
  g_assert_true (zi_model_set_weight (model, 300, &error));
  g_assert_cmpuint (zi_model_get_current_style (model, NULL, &mix), ==, 0);
  g_assert_cmpfloat (mix, ==, 0.0);

  g_assert_false (zi_model_set_weight (model, 900, &error));
  g_assert_error (error, ZI_ERROR, ZI_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "300 to 700"));
  g_clear_error (&error);
  g_assert_false (zi_model_set_weight (model, NAN, &error));
  g_assert_error (error, ZI_ERROR, ZI_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (zi_model_set_style_name (model, "Medium", &error));
  g_assert_error (error, ZI_ERROR, ZI_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "Light (300), Bold (700)"));
  g_clear_error (&error);
  g_assert_true (zi_model_set_style_name (model, "bold", &error));
  g_assert_cmpuint (zi_model_get_current_style (model, NULL, NULL), ==, 1);
  g_assert_false (zi_model_set_style (model, 2));
  g_assert_cmpuint (zi_model_get_current_style (model, NULL, NULL), ==, 1);

  /* A model of one style draws that style's weight only. */
  single = zi_model_load (f->single, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (zi_model_get_n_styles (single), ==, 1);
  g_assert_true (zi_model_set_weight (single, 400, &error));
  g_assert_false (zi_model_set_weight (single, 450, &error));
  g_assert_error (error, ZI_ERROR, ZI_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "one weight"));
}

static gboolean
same_file (const char *a, const char *b)
{
  g_autofree char *x = NULL, *y = NULL;
  gsize nx, ny;

  g_assert_true (g_file_get_contents (a, &x, &nx, NULL));
  g_assert_true (g_file_get_contents (b, &y, &ny, NULL));
  return nx == ny && memcmp (x, y, nx) == 0;
}

static void
test_generate (Family *f, gconstpointer data)
{
  g_autofree char *all = g_build_filename (f->dir, "all", NULL);
  g_autofree char *bold = g_build_filename (f->dir, "bold", NULL);
  g_autofree char *w700 = g_build_filename (f->dir, "w700", NULL);
  g_autofree char *w550 = g_build_filename (f->dir, "w550", NULL);
  g_autofree char *all_bold = g_build_filename (all, "Bold", "uni6C38.png", NULL);
  g_autofree char *all_light = g_build_filename (all, "Light", "uni6C38.svg", NULL);
  g_autofree char *bold_png = g_build_filename (bold, "uni6C38.png", NULL);
  g_autofree char *w700_png = g_build_filename (w700, "uni6C38.png", NULL);
  g_autofree char *w550_png = g_build_filename (w550, "uni6C38.png", NULL);
  CliResult r;

  r = cli ("generate", "--checkpoint", f->family, "--chars-text", "永口", "--out", all, "--style", "all",
           "--format", "png,svg", "-q", NULL);
  g_assert_cmpint (r.status, ==, 0);
  cli_result_clear (&r);
  g_assert_true (g_file_test (all_bold, G_FILE_TEST_IS_REGULAR));
  g_assert_true (g_file_test (all_light, G_FILE_TEST_IS_REGULAR));

  r = cli ("generate", "--checkpoint", f->family, "--chars-text", "永口", "--out", bold, "--style", "Bold",
           "-q", NULL);
  g_assert_cmpint (r.status, ==, 0);
  cli_result_clear (&r);
  r = cli ("generate", "--checkpoint", f->family, "--chars-text", "永口", "--out", w700, "--weight", "700",
           "-q", NULL);
  g_assert_cmpint (r.status, ==, 0);
  cli_result_clear (&r);
  r = cli ("generate", "--checkpoint", f->family, "--chars-text", "永口", "--out", w550, "--weight", "550",
           "-q", NULL);
  g_assert_cmpint (r.status, ==, 0);
  cli_result_clear (&r);
  /* One style whichever way it is asked for. */
  g_assert_true (same_file (all_bold, bold_png));
  g_assert_true (same_file (bold_png, w700_png));
  g_assert_true (g_file_test (w550_png, G_FILE_TEST_IS_REGULAR));
}

static void
test_eval (Family *f, gconstpointer data)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  CliResult r = cli ("eval", "--checkpoint", f->family, "--chars-text", "永口国", "--style", "all", "--json",
                     "--outlines", NULL);
  JsonObject *styles, *light, *bold;

  g_assert_cmpint (r.status, ==, 0);
  g_assert_true (json_parser_load_from_data (parser, r.out, -1, &error));
  g_assert_no_error (error);
  styles = json_object_get_object_member (json_node_get_object (json_parser_get_root (parser)), "styles");
  light = json_object_get_object_member (styles, "Light");
  bold = json_object_get_object_member (styles, "Bold");
  g_assert_cmpint (json_object_get_size (styles), ==, 2);
  /* Each style against its own font: the baselines (the source glyph as the answer) differ. */
  g_assert_cmpstr (json_object_get_string_member (light, "target"), ==, LIGHT);
  g_assert_cmpstr (json_object_get_string_member (bold, "target"), ==, BOLD);
  g_assert_cmpint (json_object_get_int_member (bold, "n"), ==, 3);
  g_assert_true (json_object_has_member (bold, "outlines"));
  g_assert_cmpfloat (json_object_get_double_member (json_object_get_object_member (light, "baseline"), "iou"),
                     !=,
                     json_object_get_double_member (json_object_get_object_member (bold, "baseline"), "iou"));
  cli_result_clear (&r);
}

/* The UFO's fontinfo.plist holds key with value (a string or an integer element). */
static void
assert_fontinfo (const char *ufo, const char *key, const char *value)
{
  g_autofree char *path = g_build_filename (ufo, "fontinfo.plist", NULL);
  g_autofree char *text = NULL;
  g_autofree char *want = g_strdup_printf ("<key>%s</key>\n  %s", key, value);

  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  g_assert_nonnull (strstr (text, want));
}

static void
test_export_family (Family *f, gconstpointer data)
{
  g_autofree char *out = g_build_filename (f->dir, "family-out", NULL);
  g_autofree char *ds = g_build_filename (out, "Zimaru-ZenMaruGothic.designspace", NULL);
  g_autofree char *bold_ufo = g_build_filename (out, "Bold", "Zimaru-ZenMaruGothic-Bold.ufo", NULL);
  g_autofree char *light_ufo = g_build_filename (out, "Light", "Zimaru-ZenMaruGothic-Light.ufo", NULL);
  g_autofree char *ttf_dir = g_build_filename (f->dir, "ttf", NULL);
  g_autofree char *light_ttf = g_build_filename (ttf_dir, "ZenMaruGothicZimaru-Light.ttf", NULL);
  g_autofree char *bold_ttf = g_build_filename (ttf_dir, "ZenMaruGothicZimaru-Bold.ttf", NULL);
  g_autofree char *xml = NULL;
  CliResult r = cli ("export", "--checkpoint", f->family, "--chars-text", "永口", "--out", out, "--style",
                     "all", "--format", "ufo,svg", "-q", NULL);

  g_assert_cmpint (r.status, ==, 0);
  cli_result_clear (&r);
  assert_fontinfo (bold_ufo, "styleName", "<string>Bold</string>");
  assert_fontinfo (bold_ufo, "openTypeOS2WeightClass", "<integer>700</integer>");
  assert_fontinfo (light_ufo, "openTypeOS2WeightClass", "<integer>300</integer>");
  assert_fontinfo (light_ufo, "familyName", "<string>Zen Maru Gothic Zimaru</string>");
  g_assert_true (g_file_get_contents (ds, &xml, NULL, NULL));
  g_assert_nonnull (strstr (xml, "<axis tag=\"wght\" name=\"Weight\" minimum=\"300\" maximum=\"700\" "
                                 "default=\"300\"/>"));
  g_assert_nonnull (strstr (xml, "filename=\"Bold/Zimaru-ZenMaruGothic-Bold.ufo\""));

  /* The model's glyphs went through the compatible masters: the manifest says what became of each,
   * and a variable designspace, when there is one, builds (tests/export/test-interp.c has more). */
  {
    g_autofree char *light = g_build_filename (out, "Light", NULL);
    g_autofree char *vf_dir = g_build_filename (f->dir, "vf", NULL);
    g_autoptr(JsonParser) parser = json_parser_new ();
    JsonObject *interp = json_object_get_object_member (load_manifest (light, parser), "interpolation");
    const char *variable = json_object_get_string_member (interp, "designspace");
    g_autofree char *vds = variable != NULL ? g_build_filename (out, variable, NULL) : NULL;
    const char *argv[] = { "fontmake", "-m", vds, "-o", "variable", "--output-dir", vf_dir, NULL };

    g_assert_cmpint (json_object_get_int_member (interp, "glyphs"), ==, 2);
    g_test_message ("%" G_GINT64_FORMAT " of 2 compatible", json_object_get_int_member (interp, "compatible"));
    g_assert_true (vds == NULL || run (argv, NULL) == 0);
  }

  /* The one style, by name: its UFO carries the style's name and weight class. */
  {
    g_autofree char *one = g_build_filename (f->dir, "one", NULL);
    g_autofree char *ufo = g_build_filename (one, "Zimaru-ZenMaruGothic-W550.ufo", NULL);

    r = cli ("export", "--checkpoint", f->family, "--chars-text", "永", "--out", one, "--weight", "550",
             "--format", "ufo", "-q", NULL);
    g_assert_cmpint (r.status, ==, 0);
    cli_result_clear (&r);
    assert_fontinfo (ufo, "openTypeOS2WeightClass", "<integer>550</integer>");
  }

  /* fontmake builds every style from the designspace. */
  {
    const char *argv[] = { "fontmake", "-m", ds, "-o", "ttf", "-i", "--output-dir", ttf_dir, NULL };
    g_autofree char *err = NULL;
    int status = run (argv, &err);

    if (status != 0)
      g_test_message ("fontmake: %s", err);
    g_assert_cmpint (status, ==, 0);
    g_assert_true (g_file_test (light_ttf, G_FILE_TEST_IS_REGULAR));
    g_assert_true (g_file_test (bold_ttf, G_FILE_TEST_IS_REGULAR));
  }
}

static void
test_bad_input (Family *f, gconstpointer data)
{
  g_autofree char *out = g_build_filename (f->dir, "bad", NULL);
  CliResult r;

  r = cli ("generate", "--checkpoint", f->single, "--chars-text", "永", "--out", out, "--style", "Bold", NULL);
  assert_fails (&r, 2, (const char *[]) { "has no style “Bold”", "Regular (400)", NULL });
  r = cli ("generate", "--checkpoint", f->single, "--chars-text", "永", "--out", out, "--weight", "450", NULL);
  assert_fails (&r, 2, (const char *[]) { "450", "one weight", NULL });
  r = cli ("export", "--checkpoint", f->family, "--chars-text", "永", "--out", out, "--weight", "950", NULL);
  assert_fails (&r, 2, (const char *[]) { "950", "300 to 700", NULL });
  r = cli ("eval", "--checkpoint", f->family, "--chars-text", "永", "--weight", "500", NULL);
  assert_fails (&r, 2, (const char *[]) { "--target", NULL });
  r = cli ("generate", "--checkpoint", f->family, "--chars-text", "永", "--out", out, "--weight", "500",
           "--style", "Bold", NULL);
  assert_fails (&r, 2, (const char *[]) { "cannot be combined", NULL });
  r = cli ("generate", "--checkpoint", f->family, "--chars-text", "永", "--out", out, "--weight", "nan", NULL);
  assert_fails (&r, 2, (const char *[]) { "--weight nan is out of range", NULL });
  g_assert_false (g_file_test (out, G_FILE_TEST_EXISTS));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add ("/export/family/model-choice", Family, NULL, family_setup, test_model_choice, family_teardown);
  g_test_add ("/export/family/generate", Family, NULL, family_setup, test_generate, family_teardown);
  g_test_add ("/export/family/eval", Family, NULL, family_setup, test_eval, family_teardown);
  g_test_add ("/export/family/export", Family, NULL, family_setup, test_export_family, family_teardown);
  g_test_add ("/export/family/bad-input", Family, NULL, family_setup, test_bad_input, family_teardown);
  return g_test_run ();
}
