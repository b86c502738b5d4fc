/* export-test-util.c — what the export test programs share: fonts and temporary folders, running a
 * program and zimaru-cli, drawing rectangles and discs into a bitmap, the fixture with the target font, sources
 * from a font and reading an export's manifest. */
#include "config.h"
#include "export-test-util.h"

#include <math.h>
#include <stdarg.h>
#include <sys/wait.h>

ZiFont *
open_font (const char *spec)
{
  g_autoptr(GError) error = NULL;
  ZiFont *font = zi_font_open (spec, &error);

  g_assert_no_error (error);
  g_assert_nonnull (font);
  return font;
}

char *
make_temp_dir (void)
{
  g_autoptr(GError) error = NULL;
  char *dir = g_dir_make_tmp ("zimaru-export-XXXXXX", &error);

  g_assert_no_error (error);
  return dir;
}

guint
count_entries (const char *dir)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  guint n = 0;

  g_assert_nonnull (d);
  while (g_dir_read_name (d) != NULL)
    n++;
  return n;
}

int
run (const char * const *argv, char **err_out)
{
  g_autoptr(GError) error = NULL;
  int status = -1;

  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, err_out, &status,
                &error);
  g_assert_no_error (error);
  return WIFEXITED (status) ? WEXITSTATUS (status) : -1;
}

void
cli_result_clear (CliResult *r)
{
  g_free (r->out);
  g_free (r->err);
}

/* Runs $ZIMARU_CLI with the arguments (NULL-terminated). */
CliResult
cli (const char *first, ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  const char *exe = g_getenv ("ZIMARU_CLI");
  CliResult r = { -1, NULL, NULL };
  va_list ap;
  int status;

  g_assert_nonnull (exe);
  g_ptr_array_add (argv, (char *) exe);
  va_start (ap, first);
  for (const char *a = first; a != NULL; a = va_arg (ap, const char *))
    g_ptr_array_add (argv, (char *) a);
  va_end (ap);
  g_ptr_array_add (argv, NULL);
  g_spawn_sync (NULL, (char **) argv->pdata, NULL, G_SPAWN_DEFAULT, NULL, NULL, &r.out, &r.err, &status,
                &error);
  g_assert_no_error (error);
  r.status = WIFEXITED (status) ? WEXITSTATUS (status) : -1;
  if (r.status != 0)
    g_test_message ("stderr: %s", r.err);
  return r;
}

void
fill_rect (guint8 *bm, int x0, int y0, int x1, int y1, guint8 v)
{
  for (int y = y0; y < y1; y++)
    for (int x = x0; x < x1; x++)
      bm[y * SIZE + x] = v;
}

void
fill_disc (guint8 *bm, double cx, double cy, double r, guint8 v)
{
  for (int y = 0; y < SIZE; y++)
    for (int x = 0; x < SIZE; x++)
      if (hypot (x + 0.5 - cx, y + 0.5 - cy) <= r)
        bm[y * SIZE + x] = v;
}

void
fixture_setup (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;

  f->target = open_font (TARGET_FONT);
  g_assert_true (zi_placement_init (&f->placement, f->target, SIZE, ZI_DEFAULT_EM_FRACTION, &error));
  g_assert_no_error (error);
}

void
fixture_teardown (Fixture *f, gconstpointer data)
{
  zi_font_free (f->target);
}

ZiExportSource *
font_source (const char *spec)
{
  g_autoptr(GError) error = NULL;
  ZiExportSource *src = zi_export_source_new_font (open_font (spec), SIZE, ZI_DEFAULT_EM_FRACTION, &error);

  g_assert_no_error (error);
  g_assert_nonnull (src);
  return src;
}

JsonObject *
load_manifest (const char *out_dir, JsonParser *parser)
{
  g_autofree char *path = g_build_filename (out_dir, "manifest.json", NULL);
  g_autoptr(GError) error = NULL;

  g_assert_true (json_parser_load_from_file (parser, path, &error));
  g_assert_no_error (error);
  return json_node_get_object (json_parser_get_root (parser));
}
