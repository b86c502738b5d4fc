/* fuzz-charset.c — libFuzzer target for charsets given by users (app/glyph/zi-charset.c): the input is
 * parsed as --chars-text (zi_charset_from_text, up to its first NUL) and as a --chars file
 * (zi_charset_from_file, every byte: invalid UTF-8, NULs, huge lines). Either it is refused with a
 * charset error naming the problem, or the set is non-empty, holds characters only (no white space,
 * controls or duplicates), and the two agree: the file's set (where '#' lines are comments) is part
 * of the text's set, and subtracting it leaves exactly the rest. */
#include "fuzz-util.h"

#include <string.h>

#include "zi-charset.h"

int
LLVMFuzzerInitialize (int *argc, char ***argv)
{
  (void) argc;
  (void) argv;
  fuzz_init ();
  return 0;
}

static void
check_set (const GArray *set, const GError *error)
{
  if (set == NULL)
    {
      fuzz_check (g_error_matches (error, ZI_GLYPH_ERROR, ZI_GLYPH_ERROR_CHARSET));
      fuzz_check (g_utf8_validate (error->message, -1, NULL));
      return;
    }
  g_autoptr(GHashTable) seen = g_hash_table_new (NULL, NULL);

  fuzz_check (error == NULL);
  fuzz_check (set->len > 0);
  for (guint i = 0; i < set->len; i++)
    {
      gunichar c = g_array_index (set, gunichar, i);
      fuzz_check (g_unichar_validate (c) && c != 0);
      fuzz_check (!g_unichar_isspace (c) && !g_unichar_iscntrl (c) && c != 0xFEFF);
      fuzz_check (g_hash_table_add (seen, GUINT_TO_POINTER (c)));
    }
}

static GHashTable *
set_of (const GArray *chars)
{
  GHashTable *set = g_hash_table_new (NULL, NULL);

  for (guint i = 0; i < chars->len; i++)
    g_hash_table_add (set, GUINT_TO_POINTER (g_array_index (chars, gunichar, i)));
  return set;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  g_autofree char *text = g_strndup ((const char *) data, size);
  g_autofree char *path = fuzz_write_file ("chars.txt", data, size);
  g_autoptr(GError) text_error = NULL;
  g_autoptr(GError) file_error = NULL;
  g_autoptr(GArray) from_text = zi_charset_from_text (text, &text_error);
  g_autoptr(GArray) from_file = zi_charset_from_file (path, &file_error);
  const gboolean has_nul = memchr (data, '\0', size) != NULL;

  check_set (from_text, text_error);
  check_set (from_file, file_error);
  if (has_nul)
    {
      /* A file with a NUL is not text; the command line never sees one (C strings end there). */
      fuzz_check (from_file == NULL);
      return 0;
    }
  /* Without a NUL both read the same bytes, so validity agrees and the file's set is the text's
   * minus comment lines. */
  fuzz_check (from_file == NULL || from_text != NULL);
  if (from_text == NULL || from_file == NULL)
    return 0;
  g_autoptr(GHashTable) text_set = set_of (from_text);
  g_autoptr(GHashTable) file_set = set_of (from_file);
  for (guint i = 0; i < from_file->len; i++)
    fuzz_check (g_hash_table_contains (text_set, GUINT_TO_POINTER (g_array_index (from_file, gunichar, i))));

  const guint before = from_text->len;
  zi_charset_subtract (from_text, from_file);
  fuzz_check (from_text->len == before - from_file->len);
  for (guint i = 0; i < from_text->len; i++)
    fuzz_check (!g_hash_table_contains (file_set, GUINT_TO_POINTER (g_array_index (from_text, gunichar, i))));
  return 0;
}
