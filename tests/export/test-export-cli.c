/* test-export-cli.c — tests of picks files (round trip, invalid files) and of zimaru-cli export:
 * rendering a font, usage errors, and a tiny model trained by the CLI exported from its checkpoint
 * and with per-glyph picks. */
#include "config.h"
#include "export-test-util.h"
#include "zi-error.h"
#include "zi-fileutil.h"
#include "zi-picks.h"
#include "zi-run.h"

#include <string.h>

/* ---- picks ---- */

static void
test_picks_roundtrip (void)
{
  g_autofree char *dir = make_temp_dir ();
  g_autoptr(ZiPicks) picks = zi_picks_new ();
  g_autoptr(ZiPicks) back = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) chars = NULL;

  g_assert_true (zi_picks_set (picks, 0x6C38, "step-00001000.zck"));
  g_assert_true (zi_picks_set (picks, 0x20000, "step-00002000.zck"));
  g_assert_true (zi_picks_set (picks, 0x53E3, "step-00001000.zck"));
  g_assert_true (zi_picks_set (picks, 0x53E3, "step-00003000.zck"));  /* replaces */
  g_assert_false (zi_picks_set (picks, 0x4E00, "../../etc/passwd"));
  g_assert_false (zi_picks_set (picks, 0x4E00, ".hidden"));
  g_assert_false (zi_picks_set (picks, 0x4E00, ""));
  g_assert_false (zi_picks_set (picks, 0xD800, "step-1.zck"));
  zi_picks_unset (picks, 0x6C38);
  zi_picks_set (picks, 0x6C38, "step-00004000.zck");
  g_assert_cmpuint (zi_picks_get_count (picks), ==, 3);

  g_assert_true (zi_picks_save (picks, dir, &error));
  g_assert_no_error (error);
  back = zi_picks_load (dir, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (zi_picks_get_count (back), ==, 3);
  g_assert_cmpstr (zi_picks_get (back, 0x53E3), ==, "step-00003000.zck");
  g_assert_cmpstr (zi_picks_get (back, 0x20000), ==, "step-00002000.zck");
  g_assert_cmpstr (zi_picks_get (back, 0x6C38), ==, "step-00004000.zck");
  g_assert_null (zi_picks_get (back, 0x4E00));
  chars = zi_picks_get_chars (back);
  g_assert_cmpuint (g_array_index (chars, gunichar, 0), ==, 0x53E3);
  g_assert_cmpuint (g_array_index (chars, gunichar, 2), ==, 0x20000);
  zi_dir_remove_tree (dir);

  /* A run without picks.json has no picks. */
  {
    g_autofree char *empty = make_temp_dir ();
    g_autoptr(ZiPicks) none = zi_picks_load (empty, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (zi_picks_get_count (none), ==, 0);
    zi_dir_remove_tree (empty);
  }
}

static void
test_picks_invalid (void)
{
  const char *bad[] = {
    "",
    "not json",
    "[1, 2]",
    "{\"picks\": {}}",
    "{\"format\": 3, \"picks\": {}}",
    "{\"format\": 2, \"styles\": []}",
    "{\"format\": 2, \"styles\": {\"Bold\": 1}}",
    "{\"format\": 2, \"styles\": {\"\": {}}}",
    "{\"format\": 2, \"styles\": {\"Bold\": {\"永\": \"../x.zck\"}}}",
    "{\"format\": 1}",
    "{\"format\": 1, \"picks\": []}",
    "{\"format\": 1, \"picks\": {\"ab\": \"step-1.zck\"}}",
    "{\"format\": 1, \"picks\": {\"永\": 5}}",
    "{\"format\": 1, \"picks\": {\"永\": \"../x.zck\"}}",
    "{\"format\": 1, \"picks\": {\"永\": \"a/b\"}}",
    "{\"format\": 1, \"picks\": {\"\": \"x.zck\"}}",
    "{\"format\": \"1\", \"picks\": {}}",
    /* Two objects: JSON-GLib would read the first (and leak the second). */
    "{\"format\": 1, \"picks\": {\"永\": \"step-1.zck\"}}\n{\"format\": 1, \"picks\": {}}\n",
  };
  g_autofree char *dir = make_temp_dir ();
  g_autofree char *path = g_build_filename (dir, ZI_PICKS_FILE_NAME, NULL);

  for (gsize i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(ZiPicks) picks = NULL;

      g_assert_true (g_file_set_contents (path, bad[i], -1, NULL));
      picks = zi_picks_load (dir, &error);
      g_assert_null (picks);
      g_assert_error (error, ZI_ERROR, ZI_ERROR_RUN);
      g_assert_nonnull (strstr (error->message, path));
    }
  zi_dir_remove_tree (dir);
}

/* Picks per target style: a file from before styles reads as the first style's, each style keeps its
 * own, and the file keeps them all. */
static void
test_picks_styles (void)
{
  g_autofree char *dir = make_temp_dir ();
  g_autofree char *path = g_build_filename (dir, ZI_PICKS_FILE_NAME, NULL);
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(ZiPicks) picks = NULL;
  g_autoptr(ZiPicks) again = NULL;

  g_assert_true (g_file_set_contents (path, "{\"format\": 1, \"picks\": {\"永\": \"step-1.zck\", "
                                            "\"口\": \"step-2.zck\"}}", -1, NULL));
  picks = zi_picks_load (dir, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (zi_picks_get (picks, 0x6C38), ==, "step-1.zck");
  zi_picks_select_style (picks, "Bold", FALSE);
  g_assert_cmpuint (zi_picks_get_count (picks), ==, 0);
  g_assert_true (zi_picks_set (picks, 0x6C38, "step-3.zck"));
  zi_picks_select_style (picks, "Light", TRUE);
  g_assert_true (zi_picks_set (picks, 0x53E3, "step-4.zck"));  /* the style's own pick wins */
  g_assert_cmpuint (zi_picks_get_count (picks), ==, 2);
  g_assert_cmpstr (zi_picks_get (picks, 0x6C38), ==, "step-1.zck");
  g_assert_cmpstr (zi_picks_get (picks, 0x53E3), ==, "step-4.zck");
  g_assert_true (zi_picks_save (picks, dir, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  g_assert_nonnull (strstr (text, "\"format\" : 2"));

  again = zi_picks_load (dir, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (zi_picks_get_count (again), ==, 0);  /* nothing unnamed is left */
  zi_picks_select_style (again, "Bold", FALSE);
  g_assert_cmpuint (zi_picks_get_count (again), ==, 1);
  g_assert_cmpstr (zi_picks_get (again, 0x6C38), ==, "step-3.zck");
  zi_picks_select_style (again, "Light", TRUE);
  g_assert_cmpstr (zi_picks_get (again, 0x53E3), ==, "step-4.zck");
  zi_dir_remove_tree (dir);
}

/* ---- the CLI ---- */

/* One line on stderr starting "zimaru-cli: error:" that contains what. */
static void
assert_error_line (const CliResult *r, const char *what)
{
  g_test_message ("stderr: %s", r->err);
  g_assert_true (g_str_has_prefix (r->err, "zimaru-cli: error: "));
  g_assert_nonnull (strstr (r->err, what));
  g_assert_cmpint (strchr (r->err, '\n') - r->err, ==, (int) strlen (r->err) - 1);
}

static void
test_cli_render_font (void)
{
  g_autofree char *dir = make_temp_dir ();
  g_autofree char *out = g_build_filename (dir, "out", NULL);
  g_autofree char *png = g_build_filename (out, "png", "uni6C38.png", NULL);
  g_autofree char *svg = g_build_filename (out, "svg", "uni53E3.svg", NULL);
  g_autofree char *ufo = g_build_filename (out, "Zimaru-ZenMaruGothic.ufo", NULL);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  CliResult r = cli ("export", "--render-font", TARGET_FONT, "--chars-text", "永口", "--out", out,
                     "--format", "svg,png", "--trace-preset", "square", "--json", NULL);
  JsonObject *o;

  g_test_message ("stderr: %s", r.err);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_true (json_parser_load_from_data (parser, r.out, -1, &error));
  o = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpint (json_object_get_int_member (o, "exported"), ==, 2);
  g_assert_true (g_file_test (png, G_FILE_TEST_IS_REGULAR));
  g_assert_true (g_file_test (svg, G_FILE_TEST_IS_REGULAR));
  g_assert_false (g_file_test (ufo, G_FILE_TEST_EXISTS));  /* not asked for */
  {
    g_autoptr(JsonParser) mp = json_parser_new ();
    JsonObject *m = load_manifest (out, mp);
    g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (m, "trace"), "preset"), ==,
                     "square");
  }
  cli_result_clear (&r);

  /* Existing output: exit 1 without --force, replaced with it. */
  r = cli ("export", "--render-font", TARGET_FONT, "--chars-text", "永", "--out", out, NULL);
  g_assert_cmpint (r.status, ==, 1);
  assert_error_line (&r, "already exists");
  cli_result_clear (&r);
  r = cli ("export", "--render-font", TARGET_FONT, "--chars-text", "永", "--out", out, "--force", "--quiet", NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_false (g_file_test (svg, G_FILE_TEST_EXISTS));  /* the old set is gone */
  cli_result_clear (&r);
  zi_dir_remove_tree (dir);
}

static void
test_cli_usage_errors (void)
{
  const struct { const char *args[8]; int status; const char *what; } cases[] = {
    { { "export", "--render-font", TARGET_FONT, "--out", "x", "--format", "png,gif" }, 2, "--format" },
    { { "export", "--render-font", TARGET_FONT, "--out", "x", "--threshold", "0" }, 2, "--threshold" },
    { { "export", "--render-font", TARGET_FONT, "--out", "x", "--trace-preset", "soft" }, 2, "--trace-preset" },
    { { "export", "--render-font", TARGET_FONT, "--out", "x", "--upsample", "9" }, 2, "--upsample" },
    { { "export", "--render-font", TARGET_FONT, "--out", "x", "--smooth", "3" }, 2, "--smooth" },
    { { "export", "--render-font", TARGET_FONT }, 2, "--out" },
    { { "export", "--out", "x" }, 2, "--checkpoint" },
    { { "export", "--out", "x", "--bogus" }, 2, "bogus" },
    { { "export", "--checkpoint", "/nonexistent/ckpt.zck", "--chars-text", "永", "--out", "x" }, 1, "/nonexistent" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      const char *const *a = cases[i].args;
      CliResult r = cli (a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7], NULL);

      g_assert_cmpint (r.status, ==, cases[i].status);
      assert_error_line (&r, cases[i].what);
      cli_result_clear (&r);
    }
}

/* A tiny model trained by the CLI, exported from its checkpoint and with per-glyph picks. */
static void
test_cli_checkpoint_and_picks (void)
{
  g_autofree char *dir = make_temp_dir ();
  g_autofree char *run_dir = g_build_filename (dir, "run", NULL);
  g_autofree char *out = g_build_filename (dir, "out", NULL);
  g_autofree char *out2 = g_build_filename (dir, "out2", NULL);
  g_autofree char *out3 = g_build_filename (dir, "out3", NULL);
  g_autoptr(GArray) steps = NULL;
  g_autoptr(ZiPicks) picks = zi_picks_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *first = NULL;
  CliResult r;

  r = cli ("train", "--chars-text", "永口回品圓一二三", "--run", run_dir, "--steps", "2", "--size", "32",
           "--ngf", "8", "--batch", "2", "--checkpoint-every", "1", "--quiet", NULL);
  g_test_message ("train stderr: %s", r.err);
  g_assert_cmpint (r.status, ==, 0);
  cli_result_clear (&r);

  /* From the run's newest checkpoint. */
  r = cli ("export", "--checkpoint", run_dir, "--chars-text", "丂丄", "--out", out, "--quiet", NULL);
  g_test_message ("export stderr: %s", r.err);
  g_assert_cmpint (r.status, ==, 0);
  cli_result_clear (&r);
  {
    g_autoptr(JsonParser) mp = json_parser_new ();
    JsonObject *m = load_manifest (out, mp);
    JsonArray *ck = json_object_get_array_member (m, "checkpoints");

    g_assert_cmpuint (json_array_get_length (ck), ==, 1);
    g_assert_cmpint (json_object_get_int_member (m, "size"), ==, 32);
    g_assert_cmpuint (json_array_get_length (json_object_get_array_member (m, "glyphs")), ==, 2);
  }

  /* With a pick: 丂 from the first checkpoint, 丄 from the default one. */
  steps = zi_run_list_checkpoints (run_dir);
  g_assert_cmpuint (steps->len, >=, 1);
  first = g_strdup_printf ("step-%08" G_GUINT64_FORMAT "." ZI_RUN_CHECKPOINT_EXT, g_array_index (steps, guint64, 0));
  g_assert_true (zi_picks_set (picks, 0x4E02, first));
  g_assert_true (zi_picks_save (picks, run_dir, &error));
  g_assert_no_error (error);
  r = cli ("export", "--picks", run_dir, "--chars-text", "丂丄", "--out", out2, "--quiet", NULL);
  g_test_message ("export --picks stderr: %s", r.err);
  g_assert_cmpint (r.status, ==, 0);
  cli_result_clear (&r);
  {
    g_autoptr(JsonParser) mp = json_parser_new ();
    JsonObject *m = load_manifest (out2, mp);
    JsonArray *glyphs = json_object_get_array_member (m, "glyphs");

    g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (glyphs, 0), "checkpoint"),
                     ==, first);
  }

  /* A pick of a checkpoint that is gone fails before writing anything. */
  g_assert_true (zi_picks_set (picks, 0x4E04, "step-99999999.zck"));
  g_assert_true (zi_picks_save (picks, run_dir, &error));
  r = cli ("export", "--picks", run_dir, "--chars-text", "丂丄", "--out", out3, NULL);
  g_assert_cmpint (r.status, ==, 1);
  assert_error_line (&r, "step-99999999.zck");
  g_assert_false (g_file_test (out3, G_FILE_TEST_EXISTS));
  cli_result_clear (&r);
  zi_dir_remove_tree (dir);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/export/picks/roundtrip", test_picks_roundtrip);
  g_test_add_func ("/export/picks/invalid", test_picks_invalid);
  g_test_add_func ("/export/picks/styles", test_picks_styles);
  g_test_add_func ("/export/cli/render-font", test_cli_render_font);
  g_test_add_func ("/export/cli/usage-errors", test_cli_usage_errors);
  g_test_add_func ("/export/cli/checkpoint-picks", test_cli_checkpoint_and_picks);

  return g_test_run ();
}
