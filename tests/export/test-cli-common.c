/* test-cli-common.c — the helpers every zimaru-cli command shares (app/cli/cli-common.c, compiled in):
 * padding by display width, the --json member helpers, and the refusal of stray arguments. */
#include "config.h"
#include "cli-common.h"

#include <string.h>

/* Columns as a terminal shows them: wide CJK characters take two, combining marks none. */
static guint
columns (const char *text)
{
  guint n = 0;

  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);
      n += g_unichar_iszerowidth (c) ? 0 : g_unichar_iswide (c) ? 2 : 1;
    }
  return n;
}

static void
test_pad (void)
{
  static const char *const texts[] = {
    "Other", "その他", "其他", "CJK Unified Ideographs Extension B", "e\xcc\x81t\xc3\xa9", "",
  };

  for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
    {
      g_autofree char *padded = zi_cli_pad (texts[i], 42);

      g_assert_true (g_str_has_prefix (padded, texts[i]));
      g_assert_cmpuint (columns (padded), ==, 42);
      for (const char *p = padded + strlen (texts[i]); *p != '\0'; p++)
        g_assert_cmpint (*p, ==, ' ');
    }
  /* "その他" is 9 bytes but 6 columns: printf's "%-42s" would give it 33 spaces, not 36. */
  {
    g_autofree char *padded = zi_cli_pad ("その他", 42);
    g_assert_cmpuint (strlen (padded), ==, 9 + 36);
  }
  /* Longer text is kept whole. */
  {
    g_autofree char *padded = zi_cli_pad ("Supplementary Multilingual Plane Block", 10);
    g_assert_cmpstr (padded, ==, "Supplementary Multilingual Plane Block");
  }
  /* Bytes that are not UTF-8 count one column each, and are not changed. */
  {
    g_autofree char *padded = zi_cli_pad ("a\xff", 4);
    g_assert_cmpstr (padded, ==, "a\xff  ");
  }
}

static void
test_json (void)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *text = NULL;
  ZiMetrics m = { 0.25, 0.5, 0.75, 3 };

  json_builder_begin_object (b);
  zi_cli_json_int (b, "n", -7);
  zi_cli_json_double (b, "x", 1.5);
  zi_cli_json_string (b, "s", "永");
  zi_cli_json_string (b, "none", NULL);
  zi_cli_json_metrics (b, "model", &m);
  zi_cli_json_metrics (b, "baseline", NULL);
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  text = json_to_string (root, FALSE);
  g_assert_cmpstr (text, ==, "{\"n\":-7,\"x\":1.5,\"s\":\"永\",\"none\":null,"
                             "\"model\":{\"l1\":0.25,\"ssim\":0.5,\"iou\":0.75},\"baseline\":null}");
}

/* A command without positional parameters refuses any, with exit code 2; one with them keeps them. */
static void
test_parse_arguments (void)
{
  gboolean flag = FALSE;
  GOptionEntry entries[] = {
    { "flag", 0, 0, G_OPTION_ARG_NONE, &flag, "A flag", NULL },
    { NULL }
  };
  char *args_a[] = { (char *) "eval", (char *) "--flag", (char *) "extra", NULL };
  char *args_b[] = { (char *) "info", (char *) "--flag", (char *) "font.ttf", NULL };
  char **argv;
  int argc, code = -1;

  if (g_test_subprocess ())
    {
      argc = 3;
      argv = g_memdup2 (args_a, sizeof args_a);
      g_assert_false (zi_cli_parse (&argc, &argv, "eval", NULL, "Summary", entries, &code));
      g_assert_cmpint (code, ==, ZI_EXIT_USAGE);
      g_free (argv);
      return;
    }
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
  g_test_trap_assert_stderr ("zimaru-cli: error: unexpected argument 'extra' (see 'zimaru-cli eval --help')\n");

  argc = 3;
  argv = g_memdup2 (args_b, sizeof args_b);
  g_assert_true (zi_cli_parse (&argc, &argv, "info", "FONT", "Summary", entries, &code));
  g_assert_cmpint (code, ==, ZI_EXIT_OK);
  g_assert_true (flag);
  g_assert_cmpint (argc, ==, 2);
  g_assert_cmpstr (argv[1], ==, "font.ttf");
  g_free (argv);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/cli/common/pad", test_pad);
  g_test_add_func ("/cli/common/json", test_json);
  g_test_add_func ("/cli/common/parse-arguments", test_parse_arguments);
  return g_test_run ();
}
