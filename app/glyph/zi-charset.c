/* zi-charset.c — character sets of a font pair (shared, missing, source, target) filtered by block
 * group, charset files and text given by users, and the presets shipped in data/charsets. */
#include "config.h"
#include "zi-charset.h"

#include <glib/gi18n.h>
#include <string.h>

#define N_CODE_POINTS 0x110000

gboolean
zi_charset_kind_from_string (const char *s, ZiCharsetKind *kind)
{
  static const struct { const char *name; ZiCharsetKind kind; } kinds[] = {
    { "shared", ZI_CHARSET_SHARED },
    { "missing", ZI_CHARSET_MISSING },
    { "source", ZI_CHARSET_SOURCE },
    { "target", ZI_CHARSET_TARGET },
  };

  g_return_val_if_fail (kind != NULL, FALSE);

  for (gsize i = 0; s != NULL && i < G_N_ELEMENTS (kinds); i++)
    if (g_ascii_strcasecmp (s, kinds[i].name) == 0)
      {
        *kind = kinds[i].kind;
        return TRUE;
      }
  return FALSE;
}

gboolean
zi_block_filter_from_string (const char *s, ZiBlockFilter *block)
{
  static const struct { const char *name; ZiBlockFilter block; } blocks[] = {
    { "all", ZI_BLOCK_ALL },
    { "cjk", ZI_BLOCK_CJK },
    { "kana", ZI_BLOCK_KANA },
    { "latin", ZI_BLOCK_LATIN },
  };

  g_return_val_if_fail (block != NULL, FALSE);

  for (gsize i = 0; s != NULL && i < G_N_ELEMENTS (blocks); i++)
    if (g_ascii_strcasecmp (s, blocks[i].name) == 0)
      {
        *block = blocks[i].block;
        return TRUE;
      }
  return FALSE;
}

gboolean
zi_block_filter_matches (ZiBlockFilter block, gunichar c)
{
  switch (block)
    {
    case ZI_BLOCK_ALL:
      return TRUE;
    case ZI_BLOCK_CJK:
      return c >= 0x4E00 && c <= 0x9FFF;
    case ZI_BLOCK_KANA:
      return (c >= 0x3040 && c <= 0x30FF) || (c >= 0x31F0 && c <= 0x31FF);
    case ZI_BLOCK_LATIN:
      return c <= 0xFF && g_unichar_isalnum (c);
    default:
      g_return_val_if_reached (FALSE);
    }
}

GArray *
zi_charset_compute (ZiFont *source, ZiFont *target, ZiCharsetKind kind, ZiBlockFilter block)
{
  g_autoptr(GArray) candidates = g_array_new (FALSE, FALSE, sizeof (gunichar));
  GArray *set = g_array_new (FALSE, FALSE, sizeof (gunichar));
  ZiFont *walk;

  g_return_val_if_fail (kind == ZI_CHARSET_TARGET || source != NULL, set);
  g_return_val_if_fail (kind == ZI_CHARSET_SOURCE || target != NULL, set);

  /* Walk the smaller cmap when either order gives the answer (shared); missing must walk the source. */
  walk = kind == ZI_CHARSET_TARGET || kind == ZI_CHARSET_SHARED ? target : source;
  zi_font_collect_unicodes (walk, candidates);
  for (guint i = 0; i < candidates->len; i++)
    {
      gunichar c = g_array_index (candidates, gunichar, i);
      gboolean keep;

      if (!zi_block_filter_matches (block, c) || !zi_font_has_char (walk, c))
        continue;
      switch (kind)
        {
        case ZI_CHARSET_SHARED:
          keep = zi_font_has_char (source, c);
          break;
        case ZI_CHARSET_MISSING:
          keep = !zi_font_has_char (target, c);
          break;
        default:
          keep = TRUE;
          break;
        }
      if (keep)
        g_array_append_val (set, c);
    }
  return set;
}

/* Characters that are not glyphs of their own: white space, controls, the byte-order mark and
 * variation selectors (which modify the character before them). */
static gboolean
is_ignored (gunichar c)
{
  return g_unichar_isspace (c) || g_unichar_iscntrl (c) || c == 0xFEFF || c == 0x200B ||
         (c >= 0xFE00 && c <= 0xFE0F) || (c >= 0xE0100 && c <= 0xE01EF);
}

/* Parses UTF-8 text (already validated); with comments, a line whose first non-blank character is
 * '#' is skipped. Duplicates are dropped, keeping the first occurrence. */
static GArray *
parse_chars (const char *text, gboolean comments)
{
  GArray *set = g_array_new (FALSE, FALSE, sizeof (gunichar));
  g_autofree guint32 *seen = g_new0 (guint32, N_CODE_POINTS / 32);
  gboolean line_start = TRUE;
  gboolean in_comment = FALSE;

  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (c == '\n')
        {
          line_start = TRUE;
          in_comment = FALSE;
          continue;
        }
      if (in_comment)
        continue;
      if (is_ignored (c))
        continue;
      if (comments && line_start && c == '#')
        {
          in_comment = TRUE;
          continue;
        }
      line_start = FALSE;
      if (seen[c / 32] & (1u << (c % 32)))
        continue;
      seen[c / 32] |= 1u << (c % 32);
      g_array_append_val (set, c);
    }
  return set;
}

/* The 1-based line of the first invalid byte, for the error message. */
static guint
line_of_offset (const char *text, gsize offset)
{
  guint line = 1;

  for (gsize i = 0; i < offset; i++)
    if (text[i] == '\n')
      line++;
  return line;
}

GArray *
zi_charset_from_file (const char *path, GError **error)
{
  g_autofree char *text = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GArray) set = NULL;
  const char *end;
  gsize len;

  g_return_val_if_fail (path != NULL, NULL);

  if (g_file_test (path, G_FILE_TEST_IS_DIR))
    {
      g_set_error (error, ZI_GLYPH_ERROR, ZI_GLYPH_ERROR_CHARSET,
                   _("Charset file “%s” is a directory; give a UTF-8 text file"), path);
      return NULL;
    }
  if (!g_file_get_contents (path, &text, &len, &local_error))
    {
      g_set_error (error, ZI_GLYPH_ERROR, ZI_GLYPH_ERROR_CHARSET,
                   _("Cannot read charset file “%s”: %s"), path, local_error->message);
      return NULL;
    }
  if (!g_utf8_validate (text, (gssize) len, &end))
    {
      g_set_error (error, ZI_GLYPH_ERROR, ZI_GLYPH_ERROR_CHARSET,
                   _("Charset file “%s” is not valid UTF-8 (line %u); convert it, e.g. "
                     "iconv -f BIG5 -t UTF-8"), path, line_of_offset (text, (gsize) (end - text)));
      return NULL;
    }
  set = parse_chars (text, TRUE);
  if (set->len == 0)
    {
      g_set_error (error, ZI_GLYPH_ERROR, ZI_GLYPH_ERROR_CHARSET,
                   _("Charset file “%s” has no characters (it is empty, blank or only comments)"), path);
      return NULL;
    }
  return g_steal_pointer (&set);
}

GArray *
zi_charset_from_text (const char *text, GError **error)
{
  g_autoptr(GArray) set = NULL;

  g_return_val_if_fail (text != NULL, NULL);

  if (!g_utf8_validate (text, -1, NULL))
    {
      g_set_error (error, ZI_GLYPH_ERROR, ZI_GLYPH_ERROR_CHARSET,
                   _("The characters given are not valid UTF-8"));
      return NULL;
    }
  set = parse_chars (text, FALSE);
  if (set->len == 0)
    {
      g_set_error (error, ZI_GLYPH_ERROR, ZI_GLYPH_ERROR_CHARSET,
                   _("The characters given are only white space; give at least one character"));
      return NULL;
    }
  return g_steal_pointer (&set);
}

void
zi_charset_subtract (GArray *set, const GArray *exclude)
{
  g_autofree guint32 *drop = NULL;
  guint kept = 0;

  g_return_if_fail (set != NULL);
  g_return_if_fail (exclude != NULL);

  drop = g_new0 (guint32, N_CODE_POINTS / 32);
  for (guint i = 0; i < exclude->len; i++)
    {
      gunichar c = g_array_index (exclude, gunichar, i);
      if (c < N_CODE_POINTS)
        drop[c / 32] |= 1u << (c % 32);
    }
  for (guint i = 0; i < set->len; i++)
    {
      gunichar c = g_array_index (set, gunichar, i);
      if (c < N_CODE_POINTS && (drop[c / 32] & (1u << (c % 32))))
        continue;
      g_array_index (set, gunichar, kept++) = c;
    }
  g_array_set_size (set, kept);
}

char *
zi_glyph_name_for_char (gunichar c)
{
  if (c <= 0xFFFF)
    return g_strdup_printf ("uni%04X", c);
  return g_strdup_printf ("u%04X", c);
}

static const char *const preset_names[] = { "joyo", "big5-level1", NULL };

const char *const *
zi_charset_preset_names (void)
{
  return preset_names;
}

/* Presets are looked for in $ZIMARU_DATA_DIR/charsets, then the installed data directory, then the
 * source tree named by $ZIMARU_SOURCE_ROOT (for running from a build directory). */
char *
zi_charset_preset_path (const char *name)
{
  const char *dirs[3];
  g_autofree char *file = NULL;
  g_autofree char *source_data = NULL;
  gboolean known = FALSE;

  g_return_val_if_fail (name != NULL, NULL);

  for (gsize i = 0; preset_names[i] != NULL; i++)
    known |= strcmp (name, preset_names[i]) == 0;
  if (!known)
    return NULL;

  file = g_strconcat (name, ".txt", NULL);
  if (g_getenv ("ZIMARU_SOURCE_ROOT") != NULL)
    source_data = g_build_filename (g_getenv ("ZIMARU_SOURCE_ROOT"), "data", NULL);
  dirs[0] = g_getenv ("ZIMARU_DATA_DIR");
  dirs[1] = PKGDATADIR;
  dirs[2] = source_data;
  for (gsize i = 0; i < G_N_ELEMENTS (dirs); i++)
    {
      g_autofree char *path = NULL;
      if (dirs[i] == NULL)
        continue;
      path = g_build_filename (dirs[i], "charsets", file, NULL);
      if (g_file_test (path, G_FILE_TEST_IS_REGULAR))
        return g_steal_pointer (&path);
    }
  return NULL;
}

GArray *
zi_charset_from_preset (const char *name, GError **error)
{
  g_autofree char *path = NULL;
  g_autofree char *names = NULL;

  g_return_val_if_fail (name != NULL, NULL);

  path = zi_charset_preset_path (name);
  if (path != NULL)
    return zi_charset_from_file (path, error);

  names = g_strjoinv (", ", (char **) preset_names);
  if (g_strv_contains (preset_names, name))
    g_set_error (error, ZI_GLYPH_ERROR, ZI_GLYPH_ERROR_CHARSET,
                 _("The charset preset “%s” is not installed (looked in %s/charsets); set "
                   "ZIMARU_DATA_DIR to the folder that holds charsets/"), name, PKGDATADIR);
  else
    g_set_error (error, ZI_GLYPH_ERROR, ZI_GLYPH_ERROR_INVALID,
                 _("There is no charset preset “%s”; the presets are %s"), name, names);
  return NULL;
}
