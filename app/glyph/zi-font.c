/* zi-font.c — opening fonts (a path, "path#N" or a fontconfig pattern), their names and metrics, and
 * which characters they cover.
 *
 * The file is memory-mapped once and the mapping is shared (read-only, reference-counted) by every
 * reopened copy, so a ZiFont per thread costs an FT_Library and a few tables, not another read of a
 * 20 MB collection. Coverage ("does c have a non-empty outline?") is cached in two bitsets per font
 * because the charset of a font pair asks it ~30,000 times. */
#include "config.h"
#include "zi-font.h"
#include "zi-font-private.h"

#include <errno.h>
#include <fontconfig/fontconfig.h>
#include <ft2build.h>
#include FT_FREETYPE_H
#include FT_TRUETYPE_TABLES_H
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <hb-ft.h>
#include <hb-ot.h>
#include <hb.h>
#include <string.h>
#include <sys/mman.h>

G_DEFINE_QUARK (zi-glyph-error-quark, zi_glyph_error)

#define N_CODE_POINTS 0x110000
#define BITSET_WORDS  (N_CODE_POINTS / 32)

struct _ZiFont {
  char         *spec;
  char         *path;
  int           face_index;
  int           face_count;
  char         *family;
  char         *style;
  char         *file_hash;    /* computed on first use */
  GMappedFile  *file;         /* shared by reopened copies */
  FT_Library    library;
  FT_Face       face;
  hb_font_t    *hb_font;      /* unscaled: HarfBuzz answers in font units */
  guint32      *coverage_known;  /* bit c set: coverage of c has been computed */
  guint32      *coverage_has;    /* bit c set: c is covered */
};

static gboolean
has_font_extension (const char *spec)
{
  static const char *const extensions[] = { ".ttf", ".otf", ".ttc", ".otc", ".woff", ".woff2",
                                            ".pfb", ".pfa", ".dfont" };
  g_autofree char *lower = g_ascii_strdown (spec, -1);

  for (gsize i = 0; i < G_N_ELEMENTS (extensions); i++)
    if (g_str_has_suffix (lower, extensions[i]))
      return TRUE;
  return FALSE;
}

static gboolean
looks_like_path (const char *spec)
{
  return strchr (spec, G_DIR_SEPARATOR) != NULL || has_font_extension (spec);
}

/* Splits "file#N" when file exists; returns FALSE (leaving *path NULL) when spec has no such suffix. */
static gboolean
split_face_suffix (const char *spec, char **path, int *face_index)
{
  const char *hash = strrchr (spec, '#');
  guint64 index;
  g_autofree char *prefix = NULL;

  if (hash == NULL || hash == spec || hash[1] == '\0')
    return FALSE;
  if (!g_ascii_string_to_unsigned (hash + 1, 10, 0, G_MAXINT, &index, NULL))
    return FALSE;
  prefix = g_strndup (spec, hash - spec);
  if (!g_file_test (prefix, G_FILE_TEST_EXISTS) && !looks_like_path (prefix))
    return FALSE;
  *path = g_steal_pointer (&prefix);
  *face_index = (int) index;
  return TRUE;
}

static const char *
ft_error_text (FT_Error err)
{
  const char *text = FT_Error_String (err);
  return text != NULL ? text : _("unknown FreeType error");
}

static guint32
read_be32 (const guint8 *p)
{
  return ((guint32) p[0] << 24) | ((guint32) p[1] << 16) | ((guint32) p[2] << 8) | p[3];
}

static guint16
read_be16 (const guint8 *p)
{
  return (guint16) ((p[0] << 8) | p[1]);
}

/* FreeType opens a font lazily, so a truncated file often opens and fails only when a glyph is loaded.
 * Checking that every table of the face's directory lies inside the file catches it up front. WOFF and
 * WOFF2 are checked by FreeType itself when it decompresses them. */
static gboolean
sfnt_tables_fit (const guint8 *data, gsize len, int face_index)
{
  gsize offset = 0;
  guint n_tables;

  if (len < 12)
    return FALSE;
  if (memcmp (data, "wOFF", 4) == 0 || memcmp (data, "wOF2", 4) == 0)
    return TRUE;
  if (memcmp (data, "ttcf", 4) == 0)
    {
      guint n_fonts = read_be32 (data + 8);
      if ((guint) face_index >= n_fonts || 12 + 4 * (gsize) n_fonts > len)
        return FALSE;
      offset = read_be32 (data + 12 + 4 * face_index);
    }
  if (offset + 12 > len)
    return FALSE;
  n_tables = read_be16 (data + offset + 4);
  if (offset + 12 + 16 * (gsize) n_tables > len)
    return FALSE;
  for (guint i = 0; i < n_tables; i++)
    {
      const guint8 *record = data + offset + 12 + 16 * i;
      guint64 table_offset = read_be32 (record + 8);
      guint64 table_length = read_be32 (record + 12);
      if (table_offset + table_length > len)
        return FALSE;
    }
  return TRUE;
}

static gboolean
is_sfnt (const guint8 *data, gsize len)
{
  return len >= 4 && (memcmp (data, "\0\1\0\0", 4) == 0 || memcmp (data, "OTTO", 4) == 0 ||
                      memcmp (data, "true", 4) == 0 || memcmp (data, "ttcf", 4) == 0);
}

static void
hb_unref_mapped_file (void *user_data)
{
  g_mapped_file_unref (user_data);
}

/* The typographic family (name ID 16) when present, so that "Zen Maru Gothic Medium" is reported
 * as family "Zen Maru Gothic", style "Medium"; else FreeType's family name. FreeType hands out the
 * bytes of a font's own name records (a CFF or legacy font may hold any), so the result is made
 * valid UTF-8: labels, run.json and the UFO's fontinfo.plist need text. */
static char *
get_name (hb_face_t *hb_face, hb_ot_name_id_t preferred, hb_ot_name_id_t fallback, const char *ft_name)
{
  hb_ot_name_id_t ids[2] = { preferred, fallback };

  for (guint i = 0; i < G_N_ELEMENTS (ids); i++)
    {
      char buffer[256];
      unsigned int size = sizeof buffer;
      if (hb_ot_name_get_utf8 (hb_face, ids[i], hb_language_from_string ("en", -1), &size, buffer) > 0)
        return g_utf8_make_valid (buffer, -1);
    }
  return g_utf8_make_valid (ft_name != NULL ? ft_name : "", -1);
}

/* Opens face face_index of an already mapped file (shared with the caller by reference). */
static ZiFont *
open_mapped (const char *spec, const char *path, GMappedFile *file, int face_index, GError **error)
{
  g_autoptr(GMappedFile) file_ref = g_mapped_file_ref (file);
  const guint8 *data = (const guint8 *) g_mapped_file_get_contents (file);
  gsize len = g_mapped_file_get_length (file);
  FT_Library library = NULL;
  FT_Face probe = NULL;
  FT_Face face = NULL;
  FT_Error err;
  int face_count;
  ZiFont *font;
  hb_face_t *hb_face;

  if (FT_Init_FreeType (&library) != 0)
    {
      g_set_error (error, ZI_GLYPH_ERROR, ZI_GLYPH_ERROR_RENDER,
                   _("Could not start FreeType to open “%s”; the system may be out of memory"), path);
      return NULL;
    }

  /* Face index -1 only counts the faces. */
  err = FT_New_Memory_Face (library, data, (FT_Long) len, -1, &probe);
  if (err != 0)
    {
      if (len >= 8 && memcmp (data, "\x89PNG\r\n\x1a\n", 8) == 0)
        g_set_error (error, ZI_GLYPH_ERROR, ZI_GLYPH_ERROR_NOT_A_FONT,
                     _("“%s” is a PNG image, not a font; give a TTF, OTF, TTC or WOFF file"), path);
      else
        g_set_error (error, ZI_GLYPH_ERROR, ZI_GLYPH_ERROR_NOT_A_FONT,
                     _("“%s” is not a font file FreeType can read (%s); give a TTF, OTF, TTC or WOFF file"),
                     path, ft_error_text (err));
      FT_Done_FreeType (library);
      return NULL;
    }
  face_count = (int) probe->num_faces;
  FT_Done_Face (probe);

  if (face_index < 0 || face_index >= face_count)
    {
      if (face_count == 1)
        g_set_error (error, ZI_GLYPH_ERROR, ZI_GLYPH_ERROR_FACE,
                     _("“%s” has only one face (#0); face #%d does not exist, drop the “#%d”"),
                     path, face_index, face_index);
      else
        g_set_error (error, ZI_GLYPH_ERROR, ZI_GLYPH_ERROR_FACE,
                     _("“%s” has %d faces (#0 to #%d); face #%d does not exist"),
                     path, face_count, face_count - 1, face_index);
      FT_Done_FreeType (library);
      return NULL;
    }

  if ((is_sfnt (data, len) && !sfnt_tables_fit (data, len, face_index)) ||
      (err = FT_New_Memory_Face (library, data, (FT_Long) len, face_index, &face)) != 0)
    {
      g_set_error (error, ZI_GLYPH_ERROR, ZI_GLYPH_ERROR_NOT_A_FONT,
                   _("“%s” is truncated or damaged (its tables run past the end of the file); "
                     "download or copy the font again"), path);
      FT_Done_FreeType (library);
      return NULL;
    }
  if (!FT_IS_SCALABLE (face) || face->num_glyphs <= 0 || face->units_per_EM == 0)
    {
      g_set_error (error, ZI_GLYPH_ERROR, ZI_GLYPH_ERROR_NOT_A_FONT,
                   _("“%s” has no scalable outlines (a bitmap-only font?); give an outline font"), path);
      FT_Done_Face (face);
      FT_Done_FreeType (library);
      return NULL;
    }

  font = g_new0 (ZiFont, 1);
  font->spec = g_strdup (spec);
  font->path = g_strdup (path);
  font->face_index = face_index;
  font->face_count = face_count;
  font->library = library;
  font->face = face;

  /* HarfBuzz reads sfnt data in place; for WOFF/WOFF2 it asks FreeType, which has decompressed it. */
  if (is_sfnt (data, len))
    {
      hb_blob_t *blob = hb_blob_create ((const char *) data, (unsigned int) len, HB_MEMORY_MODE_READONLY,
                                        g_mapped_file_ref (file), hb_unref_mapped_file);
      hb_face = hb_face_create (blob, (unsigned int) face_index);
      hb_blob_destroy (blob);
    }
  else
    hb_face = hb_ft_face_create_referenced (face);
  font->hb_font = hb_font_create (hb_face);
  font->family = get_name (hb_face, HB_OT_NAME_ID_TYPOGRAPHIC_FAMILY, HB_OT_NAME_ID_FONT_FAMILY,
                           face->family_name);
  font->style = get_name (hb_face, HB_OT_NAME_ID_TYPOGRAPHIC_SUBFAMILY, HB_OT_NAME_ID_FONT_SUBFAMILY,
                          face->style_name);
  hb_face_destroy (hb_face);
  font->file = g_steal_pointer (&file_ref);
  return font;
}

static ZiFont *
open_path (const char *spec, const char *path, int face_index, GError **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GMappedFile) file = NULL;
  GStatBuf st;

  if (g_stat (path, &st) != 0)
    {
      int saved = errno;
      g_set_error (error, ZI_GLYPH_ERROR, ZI_GLYPH_ERROR_NOT_FOUND,
                   _("Cannot open font file “%s”: %s; check the path"), path, g_strerror (saved));
      return NULL;
    }
  if (S_ISDIR (st.st_mode))
    {
      g_set_error (error, ZI_GLYPH_ERROR, ZI_GLYPH_ERROR_NOT_A_FONT,
                   _("“%s” is a directory, not a font file; give the path of a TTF, OTF, TTC or WOFF file"),
                   path);
      return NULL;
    }
  if (st.st_size == 0)
    {
      g_set_error (error, ZI_GLYPH_ERROR, ZI_GLYPH_ERROR_NOT_A_FONT,
                   _("Font file “%s” is empty (0 bytes); download or copy the font again"), path);
      return NULL;
    }
  file = g_mapped_file_new (path, FALSE, &local_error);
  if (file == NULL)
    {
      g_set_error (error, ZI_GLYPH_ERROR, ZI_GLYPH_ERROR_NOT_FOUND,
                   _("Cannot read font file “%s”: %s"), path, local_error->message);
      return NULL;
    }
  return open_mapped (spec, path, file, face_index, error);
}

static gboolean
family_matches (FcPattern *match, const char *wanted)
{
  g_autofree char *wanted_fold = g_utf8_casefold (wanted, -1);
  FcChar8 *family;

  for (int i = 0; FcPatternGetString (match, FC_FAMILY, i, &family) == FcResultMatch; i++)
    {
      g_autofree char *fold = g_utf8_casefold ((const char *) family, -1);
      if (strcmp (fold, wanted_fold) == 0)
        return TRUE;
    }
  return FALSE;
}

/* Whether one of the face's names, ignoring case, is wanted (case-folded): its full names, or a
 * family name and a style name with a space between ("Noto Sans CJK TC Regular", whose full name
 * is "Noto Sans CJK TC"). */
static gboolean
face_named (FcPattern *face, const char *wanted)
{
  FcChar8 *name, *family, *style;

  for (int k = 0; FcPatternGetString (face, FC_FULLNAME, k, &name) == FcResultMatch; k++)
    {
      g_autofree char *fold = g_utf8_casefold ((const char *) name, -1);
      if (strcmp (fold, wanted) == 0)
        return TRUE;
    }
  for (int k = 0; FcPatternGetString (face, FC_FAMILY, k, &family) == FcResultMatch; k++)
    for (int j = 0; FcPatternGetString (face, FC_STYLE, j, &style) == FcResultMatch; j++)
      {
        g_autofree char *both = g_strdup_printf ("%s %s", (const char *) family, (const char *) style);
        g_autofree char *fold = g_utf8_casefold (both, -1);
        if (strcmp (fold, wanted) == 0)
          return TRUE;
      }
  return FALSE;
}

/* The installed face named spec (face_named: "Zen Maru Gothic Bold", the family and the style as
 * font menus show them; fontconfig reads such a name as a family that does not exist). Only for a
 * spec that is not a pattern with properties (no ':'). */
static gboolean
find_full_name (const char *spec, char **path, int *index)
{
  g_autofree char *wanted = g_utf8_casefold (spec, -1);
  FcPattern *any;
  FcObjectSet *objects;
  FcFontSet *set;
  gboolean found = FALSE;

  if (strchr (spec, ':') != NULL)
    return FALSE;
  any = FcPatternCreate ();
  objects = FcObjectSetBuild (FC_FULLNAME, FC_FAMILY, FC_STYLE, FC_FILE, FC_INDEX, NULL);
  set = FcFontList (NULL, any, objects);
  for (int i = 0; set != NULL && i < set->nfont && !found; i++)
    {
      FcChar8 *file;
      if (!face_named (set->fonts[i], wanted)
          || FcPatternGetString (set->fonts[i], FC_FILE, 0, &file) != FcResultMatch)
        continue;
      if (FcPatternGetInteger (set->fonts[i], FC_INDEX, 0, index) != FcResultMatch)
        *index = 0;
      *path = g_strdup ((const char *) file);
      found = TRUE;
    }
  if (set != NULL)
    FcFontSetDestroy (set);
  FcObjectSetDestroy (objects);
  FcPatternDestroy (any);
  return found;
}

static ZiFont *
open_pattern (const char *spec, GError **error)
{
  FcPattern *pattern;
  FcPattern *match;
  FcResult result;
  FcChar8 *family = NULL;
  FcChar8 *file = NULL;
  int index = 0;
  g_autofree char *wanted = NULL;
  g_autofree char *got = NULL;
  g_autofree char *path = NULL;

  if (!FcInit ())
    {
      g_set_error (error, ZI_GLYPH_ERROR, ZI_GLYPH_ERROR_NOT_FOUND,
                   _("Fontconfig could not start, so “%s” cannot be looked up; give a font file path"), spec);
      return NULL;
    }
  pattern = FcNameParse ((const FcChar8 *) spec);
  if (pattern == NULL)
    {
      g_set_error (error, ZI_GLYPH_ERROR, ZI_GLYPH_ERROR_NOT_FOUND,
                   _("“%s” is neither a font file nor a valid fontconfig pattern"), spec);
      return NULL;
    }
  if (FcPatternGetString (pattern, FC_FAMILY, 0, &family) == FcResultMatch)
    wanted = g_strdup ((const char *) family);
  FcConfigSubstitute (NULL, pattern, FcMatchPattern);
  FcDefaultSubstitute (pattern);
  match = FcFontMatch (NULL, pattern, &result);
  FcPatternDestroy (pattern);

  /* Fontconfig always returns its best guess; a different family is not what the user asked for. */
  if (match == NULL || (wanted != NULL && !family_matches (match, wanted)) ||
      FcPatternGetString (match, FC_FILE, 0, &file) != FcResultMatch)
    {
      if (find_full_name (spec, &path, &index))
        {
          if (match != NULL)
            FcPatternDestroy (match);
          return open_path (spec, path, index & 0xffff, error);
        }
      if (match != NULL && FcPatternGetString (match, FC_FAMILY, 0, &family) == FcResultMatch)
        got = g_strdup ((const char *) family);
      if (got != NULL)
        g_set_error (error, ZI_GLYPH_ERROR, ZI_GLYPH_ERROR_NOT_FOUND,
                     _("No installed font family matches “%s” (the closest is “%s”); install the font "
                       "or give the path of its file (see fc-list)"), spec, got);
      else
        g_set_error (error, ZI_GLYPH_ERROR, ZI_GLYPH_ERROR_NOT_FOUND,
                     _("No installed font family matches “%s”; install the font or give the path of its "
                       "file (see fc-list)"), spec);
      if (match != NULL)
        FcPatternDestroy (match);
      return NULL;
    }
  path = g_strdup ((const char *) file);
  if (FcPatternGetInteger (match, FC_INDEX, 0, &index) != FcResultMatch)
    index = 0;
  FcPatternDestroy (match);
  /* Fontconfig packs the named instance into the upper 16 bits; the face is the lower part. */
  return open_path (spec, path, index & 0xffff, error);
}

ZiFont *
zi_font_open (const char *spec, GError **error)
{
  g_autofree char *path = NULL;
  int face_index = 0;

  g_return_val_if_fail (spec != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (*spec == '\0')
    {
      g_set_error (error, ZI_GLYPH_ERROR, ZI_GLYPH_ERROR_NOT_FOUND,
                   _("The font name is empty; give a font file path or a family name"));
      return NULL;
    }
  if (g_file_test (spec, G_FILE_TEST_EXISTS))
    return open_path (spec, spec, 0, error);
  if (split_face_suffix (spec, &path, &face_index))
    return open_path (spec, path, face_index, error);
  if (looks_like_path (spec))
    return open_path (spec, spec, 0, error);
  return open_pattern (spec, error);
}

ZiFont *
zi_font_reopen (ZiFont *font, GError **error)
{
  ZiFont *copy;

  g_return_val_if_fail (font != NULL, NULL);

  copy = open_mapped (font->spec, font->path, font->file, font->face_index, error);
  if (copy != NULL && font->file_hash != NULL)
    copy->file_hash = g_strdup (font->file_hash);
  return copy;
}

void
zi_font_free (ZiFont *font)
{
  if (font == NULL)
    return;
  hb_font_destroy (font->hb_font);
  FT_Done_Face (font->face);
  FT_Done_FreeType (font->library);
  g_mapped_file_unref (font->file);
  g_free (font->coverage_known);
  g_free (font->coverage_has);
  g_free (font->file_hash);
  g_free (font->family);
  g_free (font->style);
  g_free (font->path);
  g_free (font->spec);
  g_free (font);
}

const char *
zi_font_get_spec (ZiFont *font)
{
  g_return_val_if_fail (font != NULL, NULL);
  return font->spec;
}

const char *
zi_font_get_path (ZiFont *font)
{
  g_return_val_if_fail (font != NULL, NULL);
  return font->path;
}

int
zi_font_get_face_index (ZiFont *font)
{
  g_return_val_if_fail (font != NULL, 0);
  return font->face_index;
}

int
zi_font_get_face_count (ZiFont *font)
{
  g_return_val_if_fail (font != NULL, 0);
  return font->face_count;
}

const char *
zi_font_get_family (ZiFont *font)
{
  g_return_val_if_fail (font != NULL, NULL);
  return font->family;
}

const char *
zi_font_get_style (ZiFont *font)
{
  g_return_val_if_fail (font != NULL, NULL);
  return font->style;
}

guint
zi_font_get_weight_class (ZiFont *font)
{
  TT_OS2 *os2;

  g_return_val_if_fail (font != NULL, 400);
  os2 = FT_Get_Sfnt_Table (font->face, FT_SFNT_OS2);
  /* 0 is not a weight (the OpenType spec's range is 1 to 1000): a font that says so says nothing. */
  if (os2 == NULL || os2->version == 0xFFFF || os2->usWeightClass == 0)
    return 400;
  return MIN (os2->usWeightClass, 1000);
}

guint
zi_font_get_glyph_count (ZiFont *font)
{
  g_return_val_if_fail (font != NULL, 0);
  return (guint) font->face->num_glyphs;
}

int
zi_font_get_units_per_em (ZiFont *font)
{
  g_return_val_if_fail (font != NULL, 0);
  return font->face->units_per_EM;
}

const char *
zi_font_get_file_hash (ZiFont *font)
{
  g_return_val_if_fail (font != NULL, NULL);

  if (font->file_hash == NULL)
    {
      char *data = g_mapped_file_get_contents (font->file);
      gsize len = g_mapped_file_get_length (font->file);

      font->file_hash = g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *) data, len);
      /* Hashing read every page of the mapping. */
      zi_font_release_pages (font);
    }
  return font->file_hash;
}

void
zi_font_release_pages (ZiFont *font)
{
  g_return_if_fail (font != NULL);

#ifdef MADV_DONTNEED
  {
    char *data = g_mapped_file_get_contents (font->file);
    gsize len = g_mapped_file_get_length (font->file);

    /* The mapping is read-only and unmodified: a page read again comes back from the file. */
    if (len > 0)
      madvise (data, len, MADV_DONTNEED);
  }
#endif
}

void
zi_font_get_metrics (ZiFont *font, ZiFontMetrics *m)
{
  FT_Face face;
  TT_OS2 *os2;
  hb_position_t coord;
  hb_tag_t hani = HB_TAG ('h', 'a', 'n', 'i');

  g_return_if_fail (font != NULL);
  g_return_if_fail (m != NULL);

  face = font->face;
  memset (m, 0, sizeof *m);
  m->units_per_em = face->units_per_EM;
  m->ascender = face->ascender;
  m->descender = face->descender;
  os2 = FT_Get_Sfnt_Table (face, FT_SFNT_OS2);
  if (os2 != NULL && os2->version != 0xFFFF)
    {
      m->typo_ascender = os2->sTypoAscender;
      m->typo_descender = os2->sTypoDescender;
      m->typo_line_gap = os2->sTypoLineGap;
      m->win_ascent = os2->usWinAscent;
      m->win_descent = os2->usWinDescent;
      if (os2->version >= 2)
        {
          m->cap_height = os2->sCapHeight;
          m->x_height = os2->sxHeight;
        }
    }
  else
    {
      m->typo_ascender = face->ascender;
      m->typo_descender = face->descender;
    }

  m->ideo_advance = zi_font_get_advance (font, 0x6C38);
  if (m->ideo_advance <= 0)
    m->ideo_advance = m->units_per_em;

  /* OpenType BASE: ideo is the bottom of the em box; idtp its top, which by the spec's definition
   * is ideo + UPM when a font does not list it (Noto Sans CJK lists only ideo). */
  if (hb_ot_layout_get_baseline (font->hb_font, HB_OT_LAYOUT_BASELINE_TAG_IDEO_EMBOX_BOTTOM_OR_LEFT,
                                 HB_DIRECTION_LTR, hani, HB_TAG_NONE, &coord))
    {
      m->ideo_from_base = TRUE;
      m->ideo_bottom = coord;
      if (hb_ot_layout_get_baseline (font->hb_font, HB_OT_LAYOUT_BASELINE_TAG_IDEO_EMBOX_TOP_OR_RIGHT,
                                     HB_DIRECTION_LTR, hani, HB_TAG_NONE, &coord))
        m->ideo_top = coord;
      else
        m->ideo_top = m->ideo_bottom + m->units_per_em;
    }
  else if (m->typo_ascender - m->typo_descender == m->units_per_em)
    {
      m->ideo_bottom = m->typo_descender;
      m->ideo_top = m->typo_ascender;
    }
  else
    {
      /* Typo metrics that do not span one em (Latin fonts): keep the descender and one em above. */
      m->ideo_bottom = m->typo_descender;
      m->ideo_top = m->typo_descender + m->units_per_em;
    }

  /* Horizontally the em box is the advance of an ideograph, unless the vertical BASE axis says. */
  m->ideo_left = 0;
  m->ideo_right = m->ideo_advance;
  if (hb_ot_layout_get_baseline (font->hb_font, HB_OT_LAYOUT_BASELINE_TAG_IDEO_EMBOX_BOTTOM_OR_LEFT,
                                 HB_DIRECTION_TTB, hani, HB_TAG_NONE, &coord))
    {
      m->ideo_left = coord;
      if (hb_ot_layout_get_baseline (font->hb_font, HB_OT_LAYOUT_BASELINE_TAG_IDEO_EMBOX_TOP_OR_RIGHT,
                                     HB_DIRECTION_TTB, hani, HB_TAG_NONE, &coord))
        m->ideo_right = coord;
      else
        m->ideo_right = m->ideo_left + m->ideo_advance;
    }
}

guint
zi_font_get_glyph (ZiFont *font, gunichar c)
{
  hb_codepoint_t glyph = 0;

  g_return_val_if_fail (font != NULL, 0);

  if (!hb_font_get_nominal_glyph (font->hb_font, c, &glyph))
    return 0;
  return glyph;
}

int
zi_font_get_advance (ZiFont *font, gunichar c)
{
  guint glyph;

  g_return_val_if_fail (font != NULL, 0);

  glyph = zi_font_get_glyph (font, c);
  if (glyph == 0)
    return 0;
  return hb_font_get_glyph_h_advance (font->hb_font, glyph);
}

FT_Face
zi_font_get_ft_face (ZiFont *font)
{
  g_return_val_if_fail (font != NULL, NULL);
  return font->face;
}

static gboolean
glyph_has_outline (ZiFont *font, guint glyph)
{
  if (FT_Load_Glyph (font->face, glyph, FT_LOAD_NO_SCALE | FT_LOAD_NO_HINTING | FT_LOAD_NO_BITMAP) != 0)
    return FALSE;
  return font->face->glyph->format == FT_GLYPH_FORMAT_OUTLINE && font->face->glyph->outline.n_points > 0;
}

gboolean
zi_font_has_char (ZiFont *font, gunichar c)
{
  guint32 bit;
  gsize word;
  guint glyph;
  gboolean has;

  g_return_val_if_fail (font != NULL, FALSE);

  if (c >= N_CODE_POINTS)
    return FALSE;
  if (font->coverage_known == NULL)
    {
      font->coverage_known = g_new0 (guint32, BITSET_WORDS);
      font->coverage_has = g_new0 (guint32, BITSET_WORDS);
    }
  word = c / 32;
  bit = 1u << (c % 32);
  if (font->coverage_known[word] & bit)
    return (font->coverage_has[word] & bit) != 0;

  glyph = zi_font_get_glyph (font, c);
  has = glyph != 0 && glyph_has_outline (font, glyph);
  font->coverage_known[word] |= bit;
  if (has)
    font->coverage_has[word] |= bit;
  return has;
}

void
zi_font_collect_unicodes (ZiFont *font, GArray *out)
{
  hb_set_t *set;
  hb_codepoint_t c = HB_SET_VALUE_INVALID;

  g_return_if_fail (font != NULL);
  g_return_if_fail (out != NULL);

  set = hb_set_create ();
  hb_face_collect_unicodes (hb_font_get_face (font->hb_font), set);
  while (hb_set_next (set, &c))
    g_array_append_val (out, c);
  hb_set_destroy (set);
}
