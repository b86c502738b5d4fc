/* fuzz-font.c — libFuzzer target for fonts from outside: the input is written to a file and opened
 * through our wrapper (app/glyph/zi-font.c), which hands it to FreeType and HarfBuzz, then asked for
 * its names, metrics and coverage, turned into charsets and rendered at 32 px. Beyond "no crash, no
 * leak, no critical", an opened font must be consistent: names in UTF-8, the file hash of the bytes,
 * a usable placement, ascending cmaps, charsets that agree with zi_font_has_char(), and a glyph that is
 * covered renders (or fails with an error) while one that is not gives an empty canvas. Collections
 * are checked face by face through the "path#N" spec, and one face past the end must be refused. */
#include "fuzz-util.h"

#include <math.h>
#include <string.h>

#include "zi-charset.h"
#include "zi-font.h"
#include "zi-render.h"

#define CANVAS 32

int
LLVMFuzzerInitialize (int *argc, char ***argv)
{
  (void) argc;
  (void) argv;
  fuzz_init ();
  return 0;
}

static void
check_error (const GError *error)
{
  fuzz_check (error != NULL);
  fuzz_check (error->domain == ZI_GLYPH_ERROR);
  fuzz_check (g_utf8_validate (error->message, -1, NULL));
}

static gboolean
is_ascending (const GArray *set)
{
  for (guint i = 1; i < set->len; i++)
    if (g_array_index (set, gunichar, i - 1) >= g_array_index (set, gunichar, i))
      return FALSE;
  return TRUE;
}

static gboolean
arrays_equal (const GArray *a, const GArray *b)
{
  return a->len == b->len && (a->len == 0 || memcmp (a->data, b->data, a->len * sizeof (gunichar)) == 0);
}

/* The charsets of a font with itself: source = shared, missing is empty, all covered and ascending. */
static void
check_charsets (ZiFont *font)
{
  g_autoptr(GArray) source = zi_charset_compute (font, NULL, ZI_CHARSET_SOURCE, ZI_BLOCK_ALL);
  g_autoptr(GArray) shared = zi_charset_compute (font, font, ZI_CHARSET_SHARED, ZI_BLOCK_ALL);
  g_autoptr(GArray) missing = zi_charset_compute (font, font, ZI_CHARSET_MISSING, ZI_BLOCK_ALL);
  g_autoptr(GArray) cjk = zi_charset_compute (font, NULL, ZI_CHARSET_SOURCE, ZI_BLOCK_CJK);

  fuzz_check (is_ascending (source));
  fuzz_check (arrays_equal (source, shared));
  fuzz_check (missing->len == 0);
  for (guint i = 0; i < source->len; i++)
    fuzz_check (zi_font_has_char (font, g_array_index (source, gunichar, i)));
  fuzz_check (cjk->len <= source->len);
  for (guint i = 0; i < cjk->len; i++)
    fuzz_check (zi_block_filter_matches (ZI_BLOCK_CJK, g_array_index (cjk, gunichar, i)));
}

/* Renders c; the result must agree with zi_font_has_char(). */
static void
check_render (ZiFont *font, const ZiPlacement *placement, gunichar c, guint8 *canvas)
{
  g_autoptr(GError) error = NULL;
  const gboolean has = zi_font_has_char (font, c);
  const gboolean drawn = zi_render_char (font, placement, c, canvas, &error);

  if (!has)
    {
      fuzz_check (!drawn && error == NULL);
      for (gsize i = 0; i < CANVAS * CANVAS; i++)
        fuzz_check (canvas[i] == 0);
      return;
    }
  fuzz_check (zi_font_get_glyph (font, c) != 0);
  if (!drawn)
    check_error (error);
  else
    fuzz_check (error == NULL);
}

static void
check_font (ZiFont *font, const uint8_t *data, size_t size)
{
  g_autofree char *hash = g_compute_checksum_for_data (G_CHECKSUM_SHA256, data, size);
  g_autoptr(GArray) unicodes = g_array_new (FALSE, FALSE, sizeof (gunichar));
  g_autoptr(GArray) chars = g_array_new (FALSE, FALSE, sizeof (gunichar));
  g_autoptr(GError) error = NULL;
  static const gunichar probes[] = { 'A', ' ', 0x3042, 0x4E00, 0x6C38, 0xFFFF, 0x10FFFF, 0x110000,
                                     G_MAXUINT32 };
  guint8 canvas[CANVAS * CANVAS];
  ZiFontMetrics metrics;
  ZiPlacement placement;
  ZiFont *copy;

  fuzz_check (zi_font_get_family (font) != NULL && g_utf8_validate (zi_font_get_family (font), -1, NULL));
  fuzz_check (zi_font_get_style (font) != NULL && g_utf8_validate (zi_font_get_style (font), -1, NULL));
  fuzz_check (zi_font_get_glyph_count (font) > 0);
  fuzz_check (zi_font_get_units_per_em (font) > 0);
  fuzz_check (zi_font_get_face_index (font) >= 0
              && zi_font_get_face_index (font) < zi_font_get_face_count (font));
  fuzz_check (strcmp (zi_font_get_file_hash (font), hash) == 0);

  zi_font_get_metrics (font, &metrics);
  fuzz_check (metrics.units_per_em == zi_font_get_units_per_em (font));
  fuzz_check (metrics.ideo_advance > 0);

  copy = zi_font_reopen (font, &error);
  fuzz_check (copy != NULL && error == NULL);
  fuzz_check (strcmp (zi_font_get_family (copy), zi_font_get_family (font)) == 0);
  fuzz_check (zi_font_get_glyph_count (copy) == zi_font_get_glyph_count (font));
  fuzz_check (strcmp (zi_font_get_file_hash (copy), hash) == 0);
  zi_font_free (copy);

  zi_font_collect_unicodes (font, unicodes);
  fuzz_check (is_ascending (unicodes));
  g_array_append_vals (chars, probes, G_N_ELEMENTS (probes));
  /* A few code points the font claims, from both ends of its cmap. */
  for (guint i = 0; i < unicodes->len && i < 4; i++)
    g_array_append_val (chars, g_array_index (unicodes, gunichar, i));
  if (unicodes->len > 4)
    g_array_append_val (chars, g_array_index (unicodes, gunichar, unicodes->len - 1));

  check_charsets (font);

  fuzz_check (zi_placement_init (&placement, font, CANVAS, ZI_DEFAULT_EM_FRACTION, &error));
  fuzz_check (placement.scale > 0 && isfinite (placement.scale));
  fuzz_check (isfinite (placement.origin_x) && isfinite (placement.origin_y));
  for (guint i = 0; i < chars->len; i++)
    check_render (font, &placement, g_array_index (chars, gunichar, i), canvas);
}

/* Opens spec; returns the font after checking it, or NULL after checking the error. */
static ZiFont *
open_and_check (const char *spec, const uint8_t *data, size_t size)
{
  g_autoptr(GError) error = NULL;
  ZiFont *font = zi_font_open (spec, &error);

  if (font == NULL)
    {
      check_error (error);
      return NULL;
    }
  fuzz_check (error == NULL);
  check_font (font, data, size);
  return font;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  g_autofree char *path = fuzz_write_file ("font", data, size);
  ZiFont *font = open_and_check (path, data, size);
  int n_faces;

  if (font == NULL)
    return 0;
  n_faces = zi_font_get_face_count (font);
  zi_font_free (font);

  /* The last face of a collection, and one past it. */
  if (n_faces > 1)
    {
      g_autofree char *spec = g_strdup_printf ("%s#%d", path, n_faces - 1);
      ZiFont *last = open_and_check (spec, data, size);
      if (last != NULL)
        {
          fuzz_check (zi_font_get_face_index (last) == n_faces - 1);
          zi_font_free (last);
        }
    }
  if (n_faces < G_MAXINT)
    {
      g_autofree char *spec = g_strdup_printf ("%s#%d", path, n_faces);
      g_autoptr(GError) error = NULL;
      fuzz_check (zi_font_open (spec, &error) == NULL);
      fuzz_check (g_error_matches (error, ZI_GLYPH_ERROR, ZI_GLYPH_ERROR_FACE));
    }
  return 0;
}
