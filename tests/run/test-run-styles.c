/* test-run-styles.c — the target styles of a run: run.json and the checkpoint metadata round trip
 * with several styles (real Zen Maru Gothic faces), files of the format before styles read as one
 * style made from their target font, unique names, lookup by name, a damaged "styles" list, and a
 * checkpoint whose metadata lists more styles than its generator draws. */
#include "zi-error.h"
#include "zi-fileutil.h"
#include "zi-font.h"
#include "zi-model.h"
#include "zi-run.h"

#include <stdlib.h>
#include <string.h>

#define ZEN_DIR "/usr/local/share/fonts/zen-maru-gothic/"

static char *
make_tmp (void)
{
  g_autoptr(GError) error = NULL;
  char *dir = g_dir_make_tmp ("zimaru-styles-XXXXXX", &error);
  g_assert_no_error (error);
  return dir;
}

/* The styles of the given Zen Maru Gothic files, opened for real. */
static ZiRunStyle *
open_styles (const char *const *files, guint n)
{
  ZiRunStyle *styles = g_new0 (ZiRunStyle, n);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *path = g_strconcat (ZEN_DIR, files[i], NULL);
      ZiFont *font = zi_font_open (path, &error);

      g_assert_no_error (error);
      zi_run_style_init_from_font (&styles[i], path, font);
      zi_font_free (font);
    }
  zi_run_styles_make_unique (styles, n);
  return styles;
}

static void
fill_info (ZiRunInfo *info)
{
  gunichar chars[] = { 0x4E00, 0x6C38 };

  info->created = g_strdup ("2026-11-26T12:00:00Z");
  info->source_font = g_strdup ("Noto Sans CJK TC");
  info->source_path = g_strdup ("/nowhere/noto.ttc");
  info->source_hash = g_strdup ("abc");
  info->chars = g_memdup2 (chars, sizeof chars);
  info->n_chars = G_N_ELEMENTS (chars);
  info->config_json = g_strdup ("{\"size\":64}");
}

static void
assert_styles_equal (const ZiRunStyle *a, const ZiRunStyle *b, guint n)
{
  for (guint i = 0; i < n; i++)
    {
      g_assert_cmpstr (a[i].name, ==, b[i].name);
      g_assert_cmpstr (a[i].font, ==, b[i].font);
      g_assert_cmpstr (a[i].path, ==, b[i].path);
      g_assert_cmpint (a[i].face, ==, b[i].face);
      g_assert_cmpstr (a[i].hash, ==, b[i].hash);
      g_assert_cmpstr (a[i].family, ==, b[i].family);
      g_assert_cmpuint (a[i].weight_class, ==, b[i].weight_class);
    }
}

static void
test_info_styles (void)
{
  const char *files[] = { "ZenMaruGothic_400Regular.ttf", "ZenMaruGothic_700Bold.ttf",
                          "ZenMaruGothic_900Black.ttf" };
  g_autofree char *dir = make_tmp ();
  g_autofree char *path = NULL;
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;
  ZiRunInfo info = { 0 }, back = { 0 };

  fill_info (&info);
  info.styles = open_styles (files, G_N_ELEMENTS (files));
  info.n_styles = G_N_ELEMENTS (files);
  info.target_font = g_strdup (info.styles[0].font);
  info.target_path = g_strdup (info.styles[0].path);
  info.target_hash = g_strdup (info.styles[0].hash);

  g_assert_cmpstr (info.styles[0].name, ==, "Regular");
  g_assert_cmpstr (info.styles[1].name, ==, "Bold");
  g_assert_cmpstr (info.styles[2].name, ==, "Black");
  g_assert_cmpuint (info.styles[0].weight_class, ==, 400);
  g_assert_cmpuint (info.styles[1].weight_class, ==, 700);
  g_assert_cmpuint (info.styles[2].weight_class, ==, 900);
  g_assert_cmpstr (info.styles[1].family, ==, "Zen Maru Gothic");
  g_assert_cmpuint (strlen (info.styles[1].hash), ==, 64);

  g_assert_true (zi_run_info_save (dir, &info, &error));
  g_assert_no_error (error);
  path = zi_run_info_path (dir);
  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  g_assert_nonnull (strstr (text, "\"styles\""));
  g_assert_nonnull (strstr (text, "\"weight_class\" : 700"));

  g_assert_true (zi_run_info_load (dir, &back, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (back.n_styles, ==, 3);
  assert_styles_equal (info.styles, back.styles, 3);
  g_assert_cmpstr (back.target_path, ==, info.styles[0].path);

  zi_run_info_clear (&info);
  zi_run_info_clear (&back);
  zi_dir_remove_tree (dir);
}

/* A run.json written before styles: its target font is the one style, named and weighed from the
 * font file it records when that file is there. */
static void
test_info_legacy (void)
{
  struct { const char *path; const char *name; guint weight; const char *family; } cases[] = {
    { ZEN_DIR "ZenMaruGothic_700Bold.ttf", "Bold", 700, "Zen Maru Gothic" },
    { ZEN_DIR "ZenMaruGothic_300Light.ttf", "Light", 300, "Zen Maru Gothic" },
    { "/nowhere/gone.ttf", "Regular", 400, "" },
    { "/dev/zero", "Regular", 400, "" },
  };

  for (guint c = 0; c < G_N_ELEMENTS (cases); c++)
    {
      g_autofree char *dir = make_tmp ();
      g_autoptr(GError) error = NULL;
      ZiRunInfo info = { 0 }, back = { 0 };

      fill_info (&info);
      info.target_font = g_strdup ("/home/someone/zen.ttf");
      info.target_path = g_strdup (cases[c].path);
      info.target_hash = g_strdup ("def");
      g_assert_true (zi_run_info_save (dir, &info, &error));
      g_assert_no_error (error);
      g_assert_true (zi_run_info_load (dir, &back, &error));
      g_assert_no_error (error);
      g_assert_cmpuint (back.n_styles, ==, 1);
      g_assert_cmpstr (back.styles[0].name, ==, cases[c].name);
      g_assert_cmpuint (back.styles[0].weight_class, ==, cases[c].weight);
      g_assert_cmpstr (back.styles[0].family, ==, cases[c].family);
      g_assert_cmpstr (back.styles[0].font, ==, "/home/someone/zen.ttf");
      g_assert_cmpstr (back.styles[0].path, ==, cases[c].path);
      g_assert_cmpstr (back.styles[0].hash, ==, "def");
      zi_run_info_clear (&info);
      zi_run_info_clear (&back);
      zi_dir_remove_tree (dir);
    }
}

static void
test_meta_styles (void)
{
  const char *files[] = { "ZenMaruGothic_500Medium.ttf", "ZenMaruGothic_300Light.ttf" };
  g_autoptr(GError) error = NULL;
  g_autofree char *json = NULL;
  ZiCheckpointMeta m, back;

  zi_checkpoint_meta_init (&m);
  m.source_font = g_strdup ("Noto Sans CJK TC");
  m.styles = open_styles (files, 2);
  m.n_styles = 2;
  m.target_font = g_strdup (m.styles[0].font);
  m.size = 64;
  json = zi_checkpoint_meta_to_json (&m);
  g_assert_nonnull (strstr (json, "\"styles\":["));
  g_assert_true (zi_checkpoint_meta_from_json (&back, json, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (back.n_styles, ==, 2);
  assert_styles_equal (m.styles, back.styles, 2);
  g_assert_cmpstr (back.styles[0].name, ==, "Medium");
  g_assert_cmpuint (back.styles[1].weight_class, ==, 300);
  zi_checkpoint_meta_clear (&m);
  zi_checkpoint_meta_clear (&back);

  /* Metadata from before styles: one style from its target font (a fontconfig pattern here). */
  g_assert_true (zi_checkpoint_meta_from_json (&back, "{\"target_font\":\"Zen Maru Gothic:style=Bold\","
                                                      "\"size\":64}", &error));
  g_assert_no_error (error);
  g_assert_cmpuint (back.n_styles, ==, 1);
  g_assert_cmpstr (back.styles[0].name, ==, "Bold");
  g_assert_cmpuint (back.styles[0].weight_class, ==, 700);
  g_assert_cmpstr (back.styles[0].font, ==, "Zen Maru Gothic:style=Bold");
  g_assert_true (g_str_has_suffix (back.styles[0].path, "ZenMaruGothic_700Bold.ttf"));
  zi_checkpoint_meta_clear (&back);

  /* ... and a font that is not there: "Regular", 400. */
  g_assert_true (zi_checkpoint_meta_from_json (&back, "{\"target_font\":\"/nowhere/x.ttf\"}", &error));
  g_assert_cmpuint (back.n_styles, ==, 1);
  g_assert_cmpstr (back.styles[0].name, ==, "Regular");
  g_assert_cmpuint (back.styles[0].weight_class, ==, 400);
  zi_checkpoint_meta_clear (&back);
}

static void
test_names (void)
{
  ZiRunStyle s[5] = { { 0 } };
  const char *names[] = { "Regular", "regular", "", "Regular 2", "Bold" };

  for (guint i = 0; i < G_N_ELEMENTS (s); i++)
    s[i].name = g_strdup (names[i]);
  zi_run_styles_make_unique (s, G_N_ELEMENTS (s));
  g_assert_cmpstr (s[0].name, ==, "Regular");
  g_assert_cmpstr (s[1].name, ==, "regular 2");
  g_assert_cmpstr (s[2].name, ==, "Style 3");
  g_assert_cmpstr (s[3].name, ==, "Regular 2 2");
  g_assert_cmpstr (s[4].name, ==, "Bold");
  g_assert_cmpint (zi_run_styles_find (s, 5, "BOLD"), ==, 4);
  g_assert_cmpint (zi_run_styles_find (s, 5, "Regular 2"), ==, 1);
  g_assert_cmpint (zi_run_styles_find (s, 5, "Medium"), ==, -1);
  g_assert_cmpint (zi_run_styles_find (s, 5, "\xff"), ==, -1);
  /* Already unique: unchanged. */
  zi_run_styles_make_unique (s, G_N_ELEMENTS (s));
  g_assert_cmpstr (s[1].name, ==, "regular 2");
  g_assert_cmpstr (s[3].name, ==, "Regular 2 2");
  for (guint i = 0; i < G_N_ELEMENTS (s); i++)
    zi_run_style_clear (&s[i]);
}

/* Styles of several families are named by family and style; one family's keep their names. */
static void
test_qualify (void)
{
  ZiRunStyle s[3] = { { 0 } };
  const char *names[] = { "Regular", "Regular", "Bold" };
  const char *families[] = { "Kosugi Maru", "Zen Maru Gothic", "Zen Maru Gothic" };

  for (guint i = 0; i < G_N_ELEMENTS (s); i++)
    {
      s[i].name = g_strdup (names[i]);
      s[i].family = g_strdup (families[i]);
    }
  zi_run_styles_qualify (&s[1], 2);
  g_assert_cmpstr (s[1].name, ==, "Regular");
  g_assert_cmpstr (s[2].name, ==, "Bold");
  zi_run_styles_qualify (s, G_N_ELEMENTS (s));
  g_assert_cmpstr (s[0].name, ==, "Kosugi Maru Regular");
  g_assert_cmpstr (s[1].name, ==, "Zen Maru Gothic Regular");
  g_assert_cmpstr (s[2].name, ==, "Zen Maru Gothic Bold");
  /* Twice is once. */
  zi_run_styles_qualify (s, G_N_ELEMENTS (s));
  g_assert_cmpstr (s[0].name, ==, "Kosugi Maru Regular");
  for (guint i = 0; i < G_N_ELEMENTS (s); i++)
    zi_run_style_clear (&s[i]);
}

static void
test_bad_list (void)
{
  const char *bad[] = { "[]", "{}", "[1]", "[{\"name\":\"A\"}, \"x\"]" };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autofree char *dir = make_tmp ();
      g_autofree char *path = zi_run_info_path (dir);
      g_autofree char *text = g_strdup_printf (
        "{\"format\":\"zimaru-run\",\"format_version\":1,\"source\":{\"spec\":\"a\"},"
        "\"target\":{\"spec\":\"b\"},\"styles\":%s,\"chars\":\"\xe6\xb0\xb8\",\"config\":{}}", bad[i]);
      g_autofree char *meta = g_strdup_printf ("{\"styles\":%s}", bad[i]);
      g_autoptr(GError) error = NULL;
      g_autoptr(GError) meta_error = NULL;
      ZiRunInfo info;
      ZiCheckpointMeta m;

      g_assert_true (g_file_set_contents (path, text, -1, NULL));
      g_assert_false (zi_run_info_load (dir, &info, &error));
      g_assert_error (error, ZI_ERROR, ZI_ERROR_RUN);
      g_assert_nonnull (strstr (error->message, "styles"));
      g_assert_nonnull (strstr (error->message, path));
      g_assert_false (zi_checkpoint_meta_from_json (&m, meta, &meta_error));
      g_assert_error (meta_error, ZI_ERROR, ZI_ERROR_CHECKPOINT);
      zi_dir_remove_tree (dir);
    }
}

/* The README's bad-input row "metadata and model disagree": a checkpoint whose metadata lists three
 * styles for a generator that draws two does not load, and the error names the file and both counts. */
static void
test_meta_model_disagree (void)
{
  const char *files[] = { "ZenMaruGothic_300Light.ttf", "ZenMaruGothic_500Medium.ttf",
                          "ZenMaruGothic_700Bold.ttf" };
  g_autofree char *dir = make_tmp ();
  g_autofree char *path = g_build_filename (dir, "x.zck", NULL);
  g_autofree char *json = NULL;
  g_autoptr(GError) error = NULL;
  NnPix2PixConfig cfg;
  NnOptConfig opt;
  NnPix2Pix *net = NULL;
  uint8_t *buf = NULL;
  size_t len = 0;
  ZiCheckpointMeta m;
  ZiModel *model;

  nn_pix2pix_defaults (&cfg);
  cfg.size = 32;
  cfg.ngf = 4;
  cfg.batch = 1;
  cfg.n_styles = 2;
  nn_optim_defaults (&opt, NN_OPT_ADAM);
  g_assert_cmpint (nn_pix2pix_create (&net, &cfg, &opt, &opt, 1), ==, NN_OK);

  zi_checkpoint_meta_init (&m);
  m.source_font = g_strdup ("Noto Sans CJK TC");
  m.styles = open_styles (files, G_N_ELEMENTS (files));
  m.n_styles = G_N_ELEMENTS (files);
  m.target_font = g_strdup (m.styles[0].font);
  m.size = cfg.size;
  json = zi_checkpoint_meta_to_json (&m);
  g_assert_cmpint (nn_pix2pix_save (net, NULL, 1, json, 1, 0, &buf, &len), ==, NN_OK);
  g_assert_true (g_file_set_contents (path, (const char *) buf, len, NULL));

  model = zi_model_load (path, &error);
  g_assert_null (model);
  g_assert_error (error, ZI_ERROR, ZI_ERROR_CHECKPOINT);
  g_assert_nonnull (strstr (error->message, path));
  g_assert_nonnull (strstr (error->message, "lists 3 target styles"));
  g_assert_nonnull (strstr (error->message, "draws 2"));

  free (buf);
  nn_pix2pix_free (net);
  zi_checkpoint_meta_clear (&m);
  zi_dir_remove_tree (dir);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/core/run-styles/info", test_info_styles);
  g_test_add_func ("/core/run-styles/info-legacy", test_info_legacy);
  g_test_add_func ("/core/run-styles/meta", test_meta_styles);
  g_test_add_func ("/core/run-styles/names", test_names);
  g_test_add_func ("/core/run-styles/qualify", test_qualify);
  g_test_add_func ("/core/run-styles/bad-list", test_bad_list);
  g_test_add_func ("/core/run-styles/meta-model-disagree", test_meta_model_disagree);
  return g_test_run ();
}
