/* test-run.c — the run directory: run.json and metrics.jsonl round trips, a torn last line,
 * checkpoint naming, newest lookup, retention, the clean-up of interrupted writes and the checkpoint
 * metadata (its output representation among it). */
#include "zi-error.h"
#include "zi-run.h"

#include <glib/gstdio.h>
#include <math.h>
#include <string.h>
#include <unistd.h>
#include "zi-fileutil.h"

static char *
make_tmp (void)
{
  g_autoptr(GError) error = NULL;
  char *dir = g_dir_make_tmp ("zimaru-run-XXXXXX", &error);
  g_assert_no_error (error);
  return dir;
}

static void
test_info_round_trip (void)
{
  g_autofree char *dir = make_tmp ();
  g_autoptr(GError) error = NULL;
  gunichar chars[] = { 0x4E00, 0x6C38, 0x20000, 'A' };
  gunichar val[] = { 0x6C38 };
  ZiRunInfo info = { 0 }, back = { 0 };

  info.created = g_strdup ("2026-11-26T12:00:00Z");
  info.source_font = g_strdup ("Noto Sans CJK TC");
  info.source_path = g_strdup ("/usr/share/fonts/x.ttc");
  info.source_face = 3;
  info.source_hash = g_strdup ("abc");
  info.target_font = g_strdup ("Zen Maru Gothic");
  info.target_path = g_strdup ("/tmp/zen.ttf");
  info.target_hash = g_strdup ("def");
  info.chars = g_memdup2 (chars, sizeof chars);
  info.n_chars = G_N_ELEMENTS (chars);
  info.val_chars = g_memdup2 (val, sizeof val);
  info.n_val_chars = 1;
  info.config_json = g_strdup ("{\"size\":64,\"lr\":0.0002}");

  g_assert_true (zi_run_info_save (dir, &info, &error));
  g_assert_no_error (error);
  g_assert_true (zi_run_info_load (dir, &back, &error));
  g_assert_no_error (error);

  g_assert_cmpint (back.format_version, ==, ZI_RUN_FORMAT_VERSION);
  g_assert_cmpstr (back.created, ==, info.created);
  g_assert_cmpstr (back.source_font, ==, info.source_font);
  g_assert_cmpstr (back.source_path, ==, info.source_path);
  g_assert_cmpint (back.source_face, ==, 3);
  g_assert_cmpstr (back.target_hash, ==, "def");
  g_assert_cmpuint (back.n_chars, ==, 4);
  g_assert_cmpmem (back.chars, back.n_chars * sizeof (gunichar), chars, sizeof chars);
  g_assert_cmpuint (back.n_val_chars, ==, 1);
  g_assert_cmpuint (back.val_chars[0], ==, 0x6C38);
  g_assert_nonnull (strstr (back.config_json, "\"size\":64"));

  zi_run_info_clear (&info);
  zi_run_info_clear (&back);
  zi_dir_remove_tree (dir);
}

static void
test_info_errors (void)
{
  g_autofree char *dir = make_tmp ();
  g_autofree char *path = g_build_filename (dir, "run.json", NULL);
  g_autoptr(GError) error = NULL;
  ZiRunInfo info;

  g_assert_false (zi_run_info_load (dir, &info, &error));
  g_assert_error (error, ZI_ERROR, ZI_ERROR_RUN);
  g_assert_nonnull (strstr (error->message, dir));
  g_clear_error (&error);

  g_assert_true (g_file_set_contents (path, "{\"format\": \"zimaru-run\", \"format_version\": 99}", -1, NULL));
  g_assert_false (zi_run_info_load (dir, &info, &error));
  g_assert_error (error, ZI_ERROR, ZI_ERROR_RUN);
  g_assert_nonnull (strstr (error->message, "99"));
  g_clear_error (&error);

  g_assert_true (g_file_set_contents (path, "{\"format\": ", -1, NULL));
  g_assert_false (zi_run_info_load (dir, &info, &error));
  g_assert_error (error, ZI_ERROR, ZI_ERROR_RUN);
  g_clear_error (&error);

  /* Two values (JSON-GLib would read the first and leak the second) are not a run file, whatever
   * the brackets and quotes inside them. */
  g_assert_true (g_file_set_contents (path, "{\"format\": \"zimaru-run\", \"a\": [\"}]\\\"\"]}\n {}\n", -1,
                                      NULL));
  g_assert_false (zi_run_info_load (dir, &info, &error));
  g_assert_error (error, ZI_ERROR, ZI_ERROR_RUN);
  g_assert_nonnull (strstr (error->message, path));
  g_clear_error (&error);
  {
    ZiRunMetric m;
    g_assert_false (zi_run_metric_from_json ("{\"step\": 1} {\"step\": 2}", &m, &error));
    g_assert_error (error, ZI_ERROR, ZI_ERROR_RUN);
    g_clear_error (&error);
    g_assert_true (zi_run_metric_from_json (" {\"step\": 1, \"x\": \"{[\"} \r\n", &m, &error));
    g_assert_no_error (error);
    g_assert_cmpuint (m.step, ==, 1);
  }
  zi_dir_remove_tree (dir);
}

/* A configuration that loads must be one zi_run_info_save() can write back: JSON-GLib reads "\ud800x"
 * as bytes that are not UTF-8 and 1e999 as infinity (which it writes as "inf.0"). Each is refused
 * with a message naming the file and the member. 1e17, which JSON-GLib writes as "1e+17.0", is
 * repaired by our writers and round-trips. */
static void
test_info_config_unsaveable (void)
{
  static const struct {
    const char *config;
    const char *where;
  } bad[] = {
    { "{\"lr\": 1e999}", "config.lr" },
    { "{\"net\": {\"lr\": -1e999}}", "config.net.lr" },
    { "{\"steps\": [1, 1e999]}", "config.steps[1]" },
    { "{\"name\": \"a\\ud800bc\"}", "config.name" },
    { "{\"a\\udc00bc\": 1}", "config.a" },
    { "{\"n\": {\"list\": [\"\\ud83dxyz\"]}}", "config.n.list[0]" },
  };
  g_autofree char *dir = make_tmp ();
  g_autofree char *again_dir = make_tmp ();
  g_autofree char *path = g_build_filename (dir, "run.json", NULL);

  for (guint i = 0; i < G_N_ELEMENTS (bad) + 1; i++)
    {
      /* The last round is a configuration that is fine, with the same kinds of values. */
      const char *config = i < G_N_ELEMENTS (bad) ? bad[i].config
        : "{\"lr\": 2e-4, \"big\": 1.5e17, \"steps\": [1, 1e16, 1e17, -2e21, 1e300], "
          "\"name\": \"\\ud83d\\ude00\\u0001 1e+5.0\"}";
      g_autofree char *text = g_strdup_printf ("{\"format\": \"zimaru-run\", \"format_version\": 1, "
                                               "\"source\": {\"spec\": \"a\"}, \"target\": {\"spec\": \"b\"}, "
                                               "\"chars\": \"xy\", \"config\": %s}", config);
      g_autoptr(GError) error = NULL;
      ZiRunInfo info, again;

      g_assert_true (g_file_set_contents (path, text, -1, NULL));
      if (i < G_N_ELEMENTS (bad))
        {
          g_assert_false (zi_run_info_load (dir, &info, &error));
          g_assert_error (error, ZI_ERROR, ZI_ERROR_RUN);
          g_assert_true (g_utf8_validate (error->message, -1, NULL));
          g_assert_nonnull (strstr (error->message, path));
          g_assert_nonnull (strstr (error->message, bad[i].where));
          continue;
        }
      g_assert_true (zi_run_info_load (dir, &info, &error));
      g_assert_no_error (error);
      g_assert_true (zi_run_info_save (again_dir, &info, &error));
      g_assert_no_error (error);
      g_assert_true (zi_run_info_load (again_dir, &again, &error));
      g_assert_no_error (error);
      g_assert_cmpstr (info.config_json, ==, again.config_json);
      g_assert_nonnull (strstr (again.config_json, "[1,10000000000000000.0,1e+17,-2e+21,1.0000000000000001e+300]"));
      g_assert_nonnull (strstr (again.config_json, " 1e+5.0\""));
      zi_run_info_clear (&info);
      zi_run_info_clear (&again);
    }
  zi_dir_remove_tree (dir);
  zi_dir_remove_tree (again_dir);
}

static ZiRunMetric
metric (guint64 step, gboolean val)
{
  ZiRunMetric m = { 0 };

  m.step = step;
  m.images = step * 16;
  m.seconds = step * 0.25;
  m.lr = 2e-4;
  m.lr_d = 1e-4;
  m.d_loss = 0.5 + step * 1e-3;
  m.g_loss = 10.0 - step * 1e-3;
  m.g_adv = 1.5;
  m.l1 = 0.1;
  m.has_val = val;
  m.val_l1 = 0.07;
  m.val_ssim = 0.75;
  m.val_iou = 0.6;
  m.has_raw = val;
  m.val_raw_ssim = 0.74;
  return m;
}

static void
test_metrics_round_trip (void)
{
  g_autofree char *dir = make_tmp ();
  g_autofree char *path = g_build_filename (dir, "metrics.jsonl", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) back = NULL;

  /* No file yet: an empty log. */
  back = zi_run_metrics_load (dir, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (back->len, ==, 0);
  g_clear_pointer (&back, g_array_unref);

  for (guint64 s = 10; s <= 50; s += 10)
    {
      ZiRunMetric m = metric (s, s == 50);
      g_assert_true (zi_run_metrics_append (dir, &m, &error));
      g_assert_no_error (error);
    }
  back = zi_run_metrics_load (dir, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (back->len, ==, 5);
  ZiRunMetric *last = &g_array_index (back, ZiRunMetric, 4);
  g_assert_cmpuint (last->step, ==, 50);
  g_assert_cmpuint (last->images, ==, 800);
  g_assert_cmpfloat_with_epsilon (last->d_loss, 0.55, 1e-12);
  g_assert_cmpfloat_with_epsilon (last->lr_d, 1e-4, 1e-15);
  g_assert_true (last->has_val);
  g_assert_cmpfloat_with_epsilon (last->val_ssim, 0.75, 1e-12);
  g_assert_true (last->has_raw);
  g_assert_cmpfloat_with_epsilon (last->val_raw_ssim, 0.74, 1e-12);
  g_assert_false (g_array_index (back, ZiRunMetric, 0).has_val);
  g_clear_pointer (&back, g_array_unref);

  /* A crash in the middle of an append leaves a torn last line: ignored. */
  {
    g_autofree char *text = NULL;
    gsize len;
    g_assert_true (g_file_get_contents (path, &text, &len, NULL));
    g_autofree char *torn = g_strconcat (text, "{\"step\": 60, \"images\": 9", NULL);
    g_assert_true (g_file_set_contents (path, torn, -1, NULL));
  }
  back = zi_run_metrics_load (dir, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (back->len, ==, 5);
  g_clear_pointer (&back, g_array_unref);

  /* A resumed run goes back to step 30: its records replace the old ones from 30 on. The torn
   * line is now in the middle of the file, and must be reported. */
  {
    g_autofree char *text = NULL;
    g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
    g_autofree char *fixed = g_strconcat (text, "\n", NULL);
    g_assert_true (g_file_set_contents (path, fixed, -1, NULL));
  }
  ZiRunMetric again = metric (30, FALSE);
  again.d_loss = 42.0;
  g_assert_true (zi_run_metrics_append (dir, &again, &error));
  back = zi_run_metrics_load (dir, &error);
  g_assert_error (error, ZI_ERROR, ZI_ERROR_RUN);
  g_assert_nonnull (strstr (error->message, "line 6"));
  g_assert_null (back);
  g_clear_error (&error);

  /* Without the damaged line: 10, 20, then the new 30. */
  {
    g_autofree char *text = NULL;
    g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
    g_auto(GStrv) lines = g_strsplit (text, "\n", -1);
    g_autoptr(GString) s = g_string_new (NULL);
    for (guint i = 0; lines[i] != NULL; i++)
      if (lines[i][0] != '\0' && !g_str_has_prefix (lines[i], "{\"step\": 60"))
        g_string_append_printf (s, "%s\n", lines[i]);
    g_assert_true (g_file_set_contents (path, s->str, -1, NULL));
  }
  back = zi_run_metrics_load (dir, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (back->len, ==, 3);
  g_assert_cmpuint (g_array_index (back, ZiRunMetric, 2).step, ==, 30);
  g_assert_cmpfloat (g_array_index (back, ZiRunMetric, 2).d_loss, ==, 42.0);
  zi_dir_remove_tree (dir);
}

/* Numbers JSON-GLib would write as "1e+280.0" (any one-digit mantissa with an exponent) come back. */
static void
test_metric_exponents (void)
{
  ZiRunMetric m = metric (7, TRUE), back;
  ZiCheckpointMeta meta, meta_back;
  g_autoptr(GError) error = NULL;
  g_autofree char *line = NULL;
  g_autofree char *json = NULL;

  m.d_grad_norm = 1e280;
  m.g_grad_norm = -1e17;
  m.val_ssim = 1e-300;
  line = zi_run_metric_to_json (&m);
  g_assert_null (strstr (line, "e+280.0"));
  g_assert_true (zi_run_metric_from_json (line, &back, &error));
  g_assert_no_error (error);
  g_assert_cmpfloat (back.d_grad_norm, ==, 1e280);
  g_assert_cmpfloat (back.g_grad_norm, ==, -1e17);
  g_assert_cmpfloat (back.val_ssim, ==, 1e-300);

  zi_checkpoint_meta_init (&meta);
  meta.seconds = 2e20;
  json = zi_checkpoint_meta_to_json (&meta);
  g_assert_true (zi_checkpoint_meta_from_json (&meta_back, json, &error));
  g_assert_no_error (error);
  g_assert_cmpfloat (meta_back.seconds, ==, 2e20);
  zi_checkpoint_meta_clear (&meta);
  zi_checkpoint_meta_clear (&meta_back);
}

/* The repair touches only the ".0" after an exponent, never a string or another number. */
static void
test_repair_exponents (void)
{
  static const char *const cases[][2] = {
    { "{\"a\":1e+17.0,\"b\":[2e-300.0, 1.5e+17, 10.0, 1.0],\"c\":true}",
      "{\"a\":1e+17,\"b\":[2e-300, 1.5e+17, 10.0, 1.0],\"c\":true}" },
    { "{\"s\":\"1e+17.0 \\\" 1e5.0\",\"t\":1e+17.0}", "{\"s\":\"1e+17.0 \\\" 1e5.0\",\"t\":1e+17}" },
    { "[1e+17.05]", "[1e+17.05]" },
    { "", "" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *text = g_strdup (cases[i][0]);
      g_assert_cmpstr (zi_json_repair_exponents (text), ==, cases[i][1]);
    }
}

static void
test_metric_nonfinite (void)
{
  ZiRunMetric m = metric (7, FALSE), back;
  g_autoptr(GError) error = NULL;

  m.g_loss = NAN;
  g_autofree char *line = zi_run_metric_to_json (&m);
  g_assert_nonnull (strstr (line, "\"g_loss\":null"));
  g_assert_true (zi_run_metric_from_json (line, &back, &error));
  g_assert_no_error (error);
  g_assert_true (isnan (back.g_loss));
  g_assert_cmpuint (back.step, ==, 7);

  g_assert_false (zi_run_metric_from_json ("{\"images\": 3}", &back, &error));
  g_assert_error (error, ZI_ERROR, ZI_ERROR_RUN);
  g_clear_error (&error);
  g_assert_false (zi_run_metric_from_json ("[1,2]", &back, &error));
  g_assert_nonnull (error);
}

static void
test_checkpoint_names (void)
{
  guint64 step = 0;
  g_autofree char *p = zi_run_checkpoint_path ("/r", 1500);

  g_assert_cmpstr (p, ==, "/r/checkpoints/step-00001500.zck");
  g_assert_true (zi_run_parse_checkpoint_name ("step-00001500.zck", &step));
  g_assert_cmpuint (step, ==, 1500);
  g_assert_true (zi_run_parse_checkpoint_name ("step-123456789.zck", &step));
  g_assert_cmpuint (step, ==, 123456789);
  g_assert_false (zi_run_parse_checkpoint_name ("step-.zck", &step));
  g_assert_false (zi_run_parse_checkpoint_name ("step-0001.zck.tmp-AB12", &step));
  g_assert_false (zi_run_parse_checkpoint_name ("best.json", &step));
  g_assert_false (zi_run_parse_checkpoint_name ("step-00001500.ema.zck", &step));
  g_assert_false (zi_run_parse_checkpoint_name ("step-99999999999999999999999.zck", &step));
}

static void
touch (const char *path)
{
  g_assert_true (g_file_set_contents (path, "x", 1, NULL));
}

static void
test_retention (void)
{
  g_autofree char *dir = make_tmp ();
  g_autofree char *ck = g_build_filename (dir, "checkpoints", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) steps = NULL;

  g_assert_null (zi_run_newest_checkpoint (dir, &error));
  g_assert_error (error, ZI_ERROR, ZI_ERROR_RUN);
  g_clear_error (&error);

  g_assert_cmpint (g_mkdir (ck, 0755), ==, 0);
  for (guint64 s = 100; s <= 1000; s += 100)
    {
      g_autofree char *p = zi_run_checkpoint_path (dir, s);
      g_autofree char *e = zi_run_ema_path (p);
      touch (p);
      touch (e);
    }
  /* An average whose checkpoint never made it to disk (a crash between the two writes). */
  g_autofree char *orphan = g_build_filename (ck, "step-00000050.ema.zck", NULL);
  touch (orphan);
  /* A stray temporary file must be neither listed nor deleted. */
  g_autofree char *stray = g_build_filename (ck, "step-00001100.zck.tmp-XYZ", NULL);
  touch (stray);

  g_autofree char *newest = zi_run_newest_checkpoint (dir, &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_suffix (newest, "step-00001000.zck"));

  g_assert_true (zi_run_prune_checkpoints (dir, 3, 200, &error));
  g_assert_no_error (error);
  steps = zi_run_list_checkpoints (dir);
  g_assert_cmpuint (steps->len, ==, 4);
  g_assert_cmpuint (g_array_index (steps, guint64, 0), ==, 200);
  g_assert_cmpuint (g_array_index (steps, guint64, 1), ==, 800);
  g_assert_cmpuint (g_array_index (steps, guint64, 3), ==, 1000);
  g_assert_true (g_file_test (stray, G_FILE_TEST_EXISTS));
  g_assert_false (g_file_test (orphan, G_FILE_TEST_EXISTS));
  {
    g_autofree char *kept = zi_run_checkpoint_path (dir, 200);
    g_autofree char *kept_ema = zi_run_ema_path (kept);
    g_autofree char *gone = zi_run_checkpoint_path (dir, 300);
    g_autofree char *gone_ema = zi_run_ema_path (gone);
    g_assert_true (g_str_has_suffix (kept_ema, "/step-00000200.ema.zck"));
    g_assert_true (g_file_test (kept_ema, G_FILE_TEST_EXISTS));
    g_assert_false (g_file_test (gone_ema, G_FILE_TEST_EXISTS));
  }
  g_clear_pointer (&steps, g_array_unref);

  /* The best one among the newest is not counted twice. */
  g_assert_true (zi_run_prune_checkpoints (dir, 2, 1000, &error));
  steps = zi_run_list_checkpoints (dir);
  g_assert_cmpuint (steps->len, ==, 2);
  g_assert_cmpuint (g_array_index (steps, guint64, 0), ==, 900);
  g_clear_pointer (&steps, g_array_unref);

  guint64 best = 0;
  double ssim = 0;
  g_assert_false (zi_run_best_load (dir, &best, &ssim));
  g_assert_true (zi_run_best_save (dir, 900, 0.7625, &error));
  g_assert_true (zi_run_best_load (dir, &best, &ssim));
  g_assert_cmpuint (best, ==, 900);
  g_assert_cmpfloat (ssim, ==, 0.7625);
  zi_dir_remove_tree (dir);
}

/* What a SIGKILL during a checkpoint write leaves goes when the run is opened for training: our
 * temporary files and an EMA file without its checkpoint, nothing else. */
static void
test_stale_files (void)
{
  g_autofree char *dir = make_tmp ();
  g_autofree char *ck = g_build_filename (dir, "checkpoints", NULL);
  g_autoptr(GError) error = NULL;
  const char *stale[] = {
    "step-00000200.zck.tmp-Ab12Z9", "step-00000200.ema.zck.tmp-000000", "best.json.tmp-qwErty",
    "step-00000300.ema.zck",        /* its checkpoint was never written */
  };
  const char *kept[] = {
    "step-00000100.zck", "step-00000100.ema.zck", "step-00000200.zck", "best.json",
    "notes.txt.tmp-Ab12Z9",          /* not one of ours */
    "step-00000200.zck.tmp-Ab12Z",   /* not g_mkstemp()'s six characters */
    "step-00000200.zck.tmp-Ab12Z90",
    "step-00000200.zck.tmp-Ab1-Z9",
    "step-00000200.zck.old",
  };

  /* No checkpoints directory yet: nothing to do. */
  g_assert_true (zi_run_remove_stale_files (dir, &error));
  g_assert_no_error (error);

  g_assert_cmpint (g_mkdir (ck, 0755), ==, 0);
  for (guint i = 0; i < G_N_ELEMENTS (stale); i++)
    {
      g_autofree char *p = g_build_filename (ck, stale[i], NULL);
      touch (p);
    }
  for (guint i = 0; i < G_N_ELEMENTS (kept); i++)
    {
      g_autofree char *p = g_build_filename (ck, kept[i], NULL);
      touch (p);
    }
  g_assert_true (zi_run_remove_stale_files (dir, &error));
  g_assert_no_error (error);
  for (guint i = 0; i < G_N_ELEMENTS (stale); i++)
    {
      g_autofree char *p = g_build_filename (ck, stale[i], NULL);
      g_assert_false (g_file_test (p, G_FILE_TEST_EXISTS));
    }
  for (guint i = 0; i < G_N_ELEMENTS (kept); i++)
    {
      g_autofree char *p = g_build_filename (ck, kept[i], NULL);
      g_assert_true (g_file_test (p, G_FILE_TEST_EXISTS));
    }

  /* A file that cannot be deleted is an error naming it (root may delete anything). */
  if (geteuid () != 0)
    {
      g_autofree char *p = g_build_filename (ck, stale[0], NULL);
      touch (p);
      g_assert_cmpint (g_chmod (ck, 0555), ==, 0);
      g_assert_false (zi_run_remove_stale_files (dir, &error));
      g_assert_error (error, ZI_ERROR, ZI_ERROR_IO);
      g_assert_nonnull (strstr (error->message, stale[0]));
      g_clear_error (&error);
      g_assert_cmpint (g_chmod (ck, 0755), ==, 0);
    }
  zi_dir_remove_tree (dir);
}

/* Files from disk may hold members of any type: no warnings (fatal in tests), just errors or
 * defaults. */
static void
test_wrong_types (void)
{
  g_autofree char *dir = make_tmp ();
  g_autofree char *path = g_build_filename (dir, "run.json", NULL);
  g_autoptr(GError) error = NULL;
  ZiRunMetric m;
  ZiRunInfo info;
  ZiCheckpointMeta meta;

  g_assert_true (zi_run_metric_from_json ("{\"step\": 3, \"images\": {}, \"d_loss\": \"x\", \"val_ssim\": [1]}",
                                          &m, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (m.step, ==, 3);
  g_assert_cmpuint (m.images, ==, 0);
  g_assert_true (m.has_val);
  g_assert_true (isnan (m.val_ssim));
  g_assert_false (zi_run_metric_from_json ("{\"step\": \"3\"}", &m, &error));
  g_clear_error (&error);
  g_assert_false (zi_run_metric_from_json ("{\"step\": -4}", &m, &error));
  g_clear_error (&error);

  g_assert_true (g_file_set_contents (path, "{\"format\": \"zimaru-run\", \"format_version\": 1, "
                                            "\"source\": 5, \"target\": [], \"chars\": {}}", -1, NULL));
  g_assert_false (zi_run_info_load (dir, &info, &error));
  g_assert_error (error, ZI_ERROR, ZI_ERROR_RUN);
  g_clear_error (&error);
  g_assert_true (g_file_set_contents (path, "{\"format\": 1, \"format_version\": \"1\"}", -1, NULL));
  g_assert_false (zi_run_info_load (dir, &info, &error));
  g_assert_error (error, ZI_ERROR, ZI_ERROR_RUN);
  g_clear_error (&error);

  g_assert_true (zi_checkpoint_meta_from_json (&meta, "{\"size\": [1], \"source_font\": 3, \"images\": \"many\", "
                                                      "\"lr_g\": {}, \"best_step\": null}", &error));
  g_assert_no_error (error);
  g_assert_cmpuint (meta.size, ==, 0);
  g_assert_cmpstr (meta.source_font, ==, "");
  g_assert_cmpfloat (meta.lr_g, ==, 0.0);
  zi_checkpoint_meta_clear (&meta);

  /* A number too large for a double is not a number the writer can keep: it reads as the default,
   * like the null the writer would turn it into. */
  g_assert_true (zi_checkpoint_meta_from_json (&meta, "{\"lr_g\": 1e999, \"lr_scale\": -1e999, "
                                                      "\"em_fraction\": 1e400, \"seconds\": 5}", &error));
  g_assert_no_error (error);
  g_assert_cmpfloat (meta.lr_g, ==, 0.0);
  g_assert_cmpfloat (meta.lr_scale, ==, 1.0);
  g_assert_cmpfloat (meta.em_fraction, ==, 0.86);
  g_assert_cmpfloat (meta.seconds, ==, 5.0);
  zi_checkpoint_meta_clear (&meta);

  g_autofree char *ck = g_build_filename (dir, "checkpoints", NULL);
  g_autofree char *best = g_build_filename (ck, "best.json", NULL);
  g_assert_cmpint (g_mkdir (ck, 0755), ==, 0);
  g_assert_true (g_file_set_contents (best, "{\"step\": \"9\"}", -1, NULL));
  g_assert_false (zi_run_best_load (dir, NULL, NULL));
  zi_dir_remove_tree (dir);
}

/* The output representation in the checkpoint's metadata: both kinds round-trip, metadata written
 * before fields existed reads as ink, and a kind or spread this Zimaru cannot draw is an error rather
 * than a model whose pixels would be misread. */
static void
test_meta_representation (void)
{
  const char *bad[] = {
    "{\"representation\": {\"kind\": \"sdf\"}}",
    "{\"representation\": {\"kind\": \"field\"}}",
    "{\"representation\": {\"kind\": \"field\", \"spread\": 1}}",
    "{\"representation\": {\"kind\": \"field\", \"spread\": 17}}",
    "{\"representation\": {\"kind\": \"field\", \"spread\": \"4\"}}",
    "{\"representation\": \"field\"}",
  };
  g_autoptr(GError) error = NULL;
  ZiCheckpointMeta meta, back;
  g_autofree char *ink_json = NULL;
  g_autofree char *field_json = NULL;

  zi_checkpoint_meta_init (&meta);
  g_assert_cmpint (meta.representation, ==, ZI_REPRESENTATION_INK);
  ink_json = zi_checkpoint_meta_to_json (&meta);
  g_assert_nonnull (strstr (ink_json, "\"representation\":{\"kind\":\"ink\"}"));
  meta.representation = ZI_REPRESENTATION_FIELD;
  meta.field_spread = 6;
  field_json = zi_checkpoint_meta_to_json (&meta);
  g_assert_nonnull (strstr (field_json, "\"representation\":{\"kind\":\"field\",\"spread\":6}"));
  g_assert_true (zi_checkpoint_meta_from_json (&back, field_json, &error));
  g_assert_no_error (error);
  g_assert_cmpint (back.representation, ==, ZI_REPRESENTATION_FIELD);
  g_assert_cmpuint (back.field_spread, ==, 6);
  zi_checkpoint_meta_clear (&back);
  g_assert_true (zi_checkpoint_meta_from_json (&back, ink_json, &error));
  g_assert_cmpint (back.representation, ==, ZI_REPRESENTATION_INK);
  zi_checkpoint_meta_clear (&back);

  g_assert_true (zi_checkpoint_meta_from_json (&back, "{\"format\": \"zimaru-checkpoint\", \"size\": 64}", &error));
  g_assert_no_error (error);
  g_assert_cmpint (back.representation, ==, ZI_REPRESENTATION_INK);
  zi_checkpoint_meta_clear (&back);

  for (gsize i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_assert_false (zi_checkpoint_meta_from_json (&back, bad[i], &error));
      g_assert_error (error, ZI_ERROR, ZI_ERROR_CHECKPOINT);
      g_clear_error (&error);
      zi_checkpoint_meta_clear (&back);
    }
  zi_checkpoint_meta_clear (&meta);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/core/run/info-round-trip", test_info_round_trip);
  g_test_add_func ("/core/run/info-errors", test_info_errors);
  g_test_add_func ("/core/run/info-config-unsaveable", test_info_config_unsaveable);
  g_test_add_func ("/core/run/metrics-round-trip", test_metrics_round_trip);
  g_test_add_func ("/core/run/metric-nonfinite", test_metric_nonfinite);
  g_test_add_func ("/core/run/metric-exponents", test_metric_exponents);
  g_test_add_func ("/core/run/repair-exponents", test_repair_exponents);
  g_test_add_func ("/core/run/checkpoint-names", test_checkpoint_names);
  g_test_add_func ("/core/run/retention", test_retention);
  g_test_add_func ("/core/run/stale-files", test_stale_files);
  g_test_add_func ("/core/run/wrong-types", test_wrong_types);
  g_test_add_func ("/core/run/meta-representation", test_meta_representation);
  return g_test_run ();
}
