/* fuzz-picks.c — libFuzzer target for RUN/picks.json (app/export/zi-picks.c), a file users edit by hand
 * and export trusts to name checkpoint files. Any input is refused with ZI_ERROR_RUN or loaded; a
 * loaded file holds only characters mapped to plain file names inside the checkpoints directory (no
 * separators, no leading dot, no control characters), lists them in code-point order, and comes back
 * unchanged from our own writer, by file and through the run directory. */
#include "fuzz-util.h"

#include <string.h>

#include "zi-error.h"
#include "zi-picks.h"

int
LLVMFuzzerInitialize (int *argc, char ***argv)
{
  (void) argc;
  (void) argv;
  fuzz_init ();
  return 0;
}

static void
check_name (const char *name)
{
  fuzz_check (name != NULL && *name != '\0' && *name != '.' && strlen (name) <= 255);
  fuzz_check (g_utf8_validate (name, -1, NULL));
  fuzz_check (strchr (name, '/') == NULL && strchr (name, '\\') == NULL);
  for (const char *p = name; *p; p++)
    fuzz_check ((guchar) *p >= 32 && *p != 0x7f);
  fuzz_check (zi_picks_is_valid_checkpoint_name (name));
}

static void
check_same (ZiPicks *a, ZiPicks *b)
{
  g_autoptr(GArray) chars = zi_picks_get_chars (a);

  fuzz_check (zi_picks_get_count (a) == zi_picks_get_count (b));
  for (guint i = 0; i < chars->len; i++)
    {
      gunichar c = g_array_index (chars, gunichar, i);
      fuzz_check (g_strcmp0 (zi_picks_get (a, c), zi_picks_get (b, c)) == 0);
    }
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  g_autofree char *dir = g_build_filename (fuzz_scratch_dir (), "run", NULL);
  g_autofree char *path = NULL;
  g_autofree char *copy = g_build_filename (fuzz_scratch_dir (), "copy.json", NULL);
  g_autofree char *text = g_strndup ((const char *) data, size);
  g_autoptr(GError) error = NULL;
  g_autoptr(ZiPicks) picks = NULL;
  g_autoptr(ZiPicks) again = NULL;
  g_autoptr(ZiPicks) from_dir = NULL;
  g_autoptr(GArray) chars = NULL;

  fuzz_check (g_mkdir_with_parents (dir, 0700) == 0);
  path = fuzz_write_file ("run/" ZI_PICKS_FILE_NAME, data, size);

  /* The name check on its own: a valid name is one zi_picks_set accepts. */
  {
    g_autoptr(ZiPicks) one = zi_picks_new ();
    fuzz_check (zi_picks_set (one, 0x6C38, text) == zi_picks_is_valid_checkpoint_name (text));
    if (zi_picks_get_count (one) > 0)
      check_name (zi_picks_get (one, 0x6C38));
  }

  picks = zi_picks_load_file (path, &error);
  if (picks == NULL)
    {
      fuzz_check (g_error_matches (error, ZI_ERROR, ZI_ERROR_RUN));
      fuzz_check (g_utf8_validate (error->message, -1, NULL));
      return 0;
    }
  fuzz_check (error == NULL);
  chars = zi_picks_get_chars (picks);
  fuzz_check (chars->len == zi_picks_get_count (picks));
  for (guint i = 0; i < chars->len; i++)
    {
      gunichar c = g_array_index (chars, gunichar, i);
      fuzz_check (c != 0 && g_unichar_validate (c));
      fuzz_check (i == 0 || g_array_index (chars, gunichar, i - 1) < c);
      check_name (zi_picks_get (picks, c));
    }

  fuzz_check (zi_picks_save_file (picks, copy, &error));
  again = zi_picks_load_file (copy, &error);
  fuzz_check (again != NULL && error == NULL);
  check_same (picks, again);
  check_same (again, picks);

  from_dir = zi_picks_load (dir, &error);
  fuzz_check (from_dir != NULL && error == NULL);
  check_same (picks, from_dir);
  return 0;
}
