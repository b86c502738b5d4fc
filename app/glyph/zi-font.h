/* zi-font.h — opening fonts and asking what they hold. A ZiFont owns its own FT_Library, FT_Face and
 * hb_font_t, so it must be used by one thread at a time; zi_font_reopen() gives another thread its
 * own copy of the same face. */
#pragma once

#include <glib.h>
#include "zi-outline.h"

G_BEGIN_DECLS

#define ZI_GLYPH_ERROR (zi_glyph_error_quark ())

typedef enum {
  ZI_GLYPH_ERROR_NOT_FOUND,    /* no such file, or no installed family matches the pattern */
  ZI_GLYPH_ERROR_NOT_A_FONT,   /* the file is not a font FreeType can open (or is truncated) */
  ZI_GLYPH_ERROR_FACE,         /* the face index is out of range */
  ZI_GLYPH_ERROR_CHARSET,      /* a charset file is empty, unreadable or not UTF-8 */
  ZI_GLYPH_ERROR_RENDER,       /* a glyph failed to load or render */
  ZI_GLYPH_ERROR_INVALID,      /* a bad parameter (size, fraction) */
} ZiGlyphError;

GQuark zi_glyph_error_quark (void);

typedef struct _ZiFont ZiFont;

/* The default font pair, the one the README's set-up installs: what the trainer, the command line and
 * the window use when no font is given. */
#define ZI_DEFAULT_SOURCE_FONT "Noto Sans CJK TC"
#define ZI_DEFAULT_TARGET_FONT "Zen Maru Gothic"

/* spec: a file path, "path#N" for face N of a collection, or a fontconfig pattern ("Zen Maru Gothic",
 * "Noto Sans CJK TC:style=Regular"). A pattern whose best match has another family is an error
 * (fontconfig always returns something). */
ZiFont     *zi_font_open (const char *spec, GError **error);
/* Every installed face of family (fontconfig's exact family match, case and spaces ignored), as specs
 * zi_font_open() takes (the file, or "file#N"), sorted by OS/2 weight class (light to heavy), then
 * style name. None is ZI_GLYPH_ERROR_NOT_FOUND naming the family. A NULL-terminated array to
 * g_strfreev() (zi-font-family.c). */
char      **zi_font_list_family (const char *family, GError **error);
/* The same file and face, opened again for use on another thread. */
ZiFont     *zi_font_reopen (ZiFont *font, GError **error);
void        zi_font_free (ZiFont *font);

const char *zi_font_get_spec (ZiFont *font);        /* as given to open */
const char *zi_font_get_path (ZiFont *font);        /* the resolved file */
int         zi_font_get_face_index (ZiFont *font);
int         zi_font_get_face_count (ZiFont *font);  /* faces in the file */
const char *zi_font_get_family (ZiFont *font);
const char *zi_font_get_style (ZiFont *font);
/* The OS/2 table's usWeightClass (100 thin … 400 regular … 900 black, at most 1000), or 400 for a
 * font without an OS/2 table (or one that gives 0). */
guint       zi_font_get_weight_class (ZiFont *font);
guint       zi_font_get_glyph_count (ZiFont *font);
int         zi_font_get_units_per_em (ZiFont *font);
/* A hash of the file's bytes (hex), for cache keys and run.json. */
const char *zi_font_get_file_hash (ZiFont *font);
/* Hands the pages of the font's file that this process has read back to the system; a later read
 * brings them back from the file. For after a pass over most of a font's glyphs (hashing it,
 * testing which characters it draws, rendering a dataset) that will not be repeated soon: a CJK font
 * is 4–20 MB, and a family's run opens several. */
void        zi_font_release_pages (ZiFont *font);

typedef struct {
  int units_per_em;
  int ascender, descender;                        /* hhea */
  int typo_ascender, typo_descender, typo_line_gap; /* OS/2 */
  int win_ascent, win_descent;                    /* OS/2 */
  int cap_height, x_height;                       /* OS/2, 0 if absent */
  /* The ideographic em box in font units (BASE ideo/idtp if present, else from typo metrics):
   * bottom..top vertically, left..right horizontally (0..advance of an ideograph). */
  int ideo_bottom, ideo_top, ideo_left, ideo_right;
  gboolean ideo_from_base;                        /* TRUE if taken from the BASE table */
  int ideo_advance;                               /* advance width of U+6C38 永 (or UPM) */
} ZiFontMetrics;

void        zi_font_get_metrics (ZiFont *font, ZiFontMetrics *metrics);

/* TRUE if c maps (through HarfBuzz) to a glyph that is not .notdef and has an outline. */
gboolean    zi_font_has_char (ZiFont *font, gunichar c);
/* The glyph of c through HarfBuzz (0 = .notdef), and its advance in font units. */
guint       zi_font_get_glyph (ZiFont *font, gunichar c);
int         zi_font_get_advance (ZiFont *font, gunichar c);
/* Appends to out (a GArray of gunichar) every code point the font's cmap maps, ascending; whether each
 * has an outline is zi_font_has_char()'s business. */
void        zi_font_collect_unicodes (ZiFont *font, GArray *out);

/* The font's own outline of c in font units (y up), from FreeType's decomposition of the unhinted
 * glyph (zi-font-outline.c): quadratic arcs become the equal cubics, a segment's end that TrueType
 * implies between two off-curve points is marked implied, zero-length lines are dropped, and contours
 * are turned like traced ones (outer counter-clockwise, holes clockwise). A character the font lacks
 * is ZI_GLYPH_ERROR_NOT_FOUND; a glyph FreeType cannot load is ZI_GLYPH_ERROR_RENDER. */
ZiOutline  *zi_font_char_outline (ZiFont *font, gunichar c, GError **error);

G_END_DECLS
