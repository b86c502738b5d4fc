/* zi-charset.h — character sets: the sets of a font pair (shared, missing, source, target) filtered by
 * Unicode block group, presets, and charset files given by users. A charset is a GArray of gunichar. */
#pragma once

#include <glib.h>
#include "zi-font.h"

G_BEGIN_DECLS

typedef enum {
  ZI_CHARSET_SHARED,   /* in source and in target */
  ZI_CHARSET_MISSING,  /* in source, not in target */
  ZI_CHARSET_SOURCE,
  ZI_CHARSET_TARGET,
} ZiCharsetKind;

typedef enum {
  ZI_BLOCK_ALL,
  ZI_BLOCK_CJK,    /* CJK Unified Ideographs U+4E00–9FFF only (the main block, no extensions) */
  ZI_BLOCK_KANA,   /* Hiragana, Katakana, Katakana Phonetic Extensions */
  ZI_BLOCK_LATIN,  /* Basic Latin and Latin-1 letters and digits */
} ZiBlockFilter;

gboolean zi_charset_kind_from_string (const char *s, ZiCharsetKind *kind);
gboolean zi_block_filter_from_string (const char *s, ZiBlockFilter *block);
gboolean zi_block_filter_matches (ZiBlockFilter block, gunichar c);

/* The set, in code-point order. source or target may be NULL when the kind does not need it. */
GArray  *zi_charset_compute (ZiFont *source, ZiFont *target, ZiCharsetKind kind, ZiBlockFilter block);

/* UTF-8 text: every non-whitespace character counts, duplicates dropped (first occurrence kept), lines
 * starting with '#' are comments. Empty result or invalid UTF-8 is an error naming the file. */
GArray  *zi_charset_from_file (const char *path, GError **error);
GArray  *zi_charset_from_text (const char *text, GError **error);
/* Removes from set every character of exclude (keeps order). */
void     zi_charset_subtract (GArray *set, const GArray *exclude);

/* "uni4E00" in the BMP, "u20000" beyond (Adobe Glyph List convention); caller frees. */
char    *zi_glyph_name_for_char (gunichar c);

/* Presets shipped in data/charsets (joyo, big5-level1): the NULL-terminated names, the
 * file of one (NULL if unknown or not installed; caller frees) and its characters. An unknown name is
 * ZI_GLYPH_ERROR_INVALID, a preset that is not installed ZI_GLYPH_ERROR_CHARSET. */
const char *const *zi_charset_preset_names (void);
char    *zi_charset_preset_path (const char *name);
GArray  *zi_charset_from_preset (const char *name, GError **error);

G_END_DECLS
