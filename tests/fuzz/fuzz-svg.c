/* fuzz-svg.c — libFuzzer target for the export writers (app/export/zi-trace.c, zi-svg.c, zi-ufo.c) on
 * random bitmaps, trace parameters, font metrics, characters and names. The contract under test: a
 * traced outline is finite and wound as documented (outer contours counter-clockwise, holes
 * clockwise), and every SVG, .glif and plist written is well-formed XML 1.0 (fuzz-util.c checks the
 * characters strictly, as fontmake's and browsers' parsers do, then parses with GMarkup) whose path
 * data holds only numbers and commands, whatever the font's names hold.
 *
 * Input layout (missing bytes read as zero):
 *   24 header bytes: size, preset + upsample, threshold, turdsize, alphamax, opttolerance,
 *                    character (u32 LE), then int16 LE units per em, ideographic bottom, top and
 *                    advance, win descent, cap height, x height
 *   1 byte L, then L bytes of text: "family\0style\0glyph name\0suffix" (made valid UTF-8)
 *   the rest: the size×size coverage bitmap, row by row */
#include "fuzz-util.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "zi-error.h"
#include "zi-svg.h"
#include "zi-trace.h"
#include "zi-ufo.h"

#define HEADER 24

typedef struct {
  const uint8_t *data;
  size_t         size;
} Input;

static guint8
byte_at (const Input *in, size_t i)
{
  return i < in->size ? in->data[i] : 0;
}

static int
int16_at (const Input *in, size_t i)
{
  return (gint16) (byte_at (in, i) | (byte_at (in, i + 1) << 8));
}

int
LLVMFuzzerInitialize (int *argc, char ***argv)
{
  (void) argc;
  (void) argv;
  fuzz_init ();
  return 0;
}

static void
check_xml (const char *text, const char *what)
{
  g_autofree char *why = NULL;

  if (!fuzz_xml_is_well_formed (text, strlen (text), &why))
    {
      fprintf (stderr, "fuzz-svg: %s is not well-formed XML 1.0: %s\n--- document ---\n%s\n---\n", what, why,
               text);
      abort ();
    }
}

static void
check_xml_file (const char *path)
{
  g_autofree char *text = NULL;

  fuzz_check (g_file_get_contents (path, &text, NULL, NULL));
  check_xml (text, path);
}

/* Every file of a UFO is XML (plists and glifs). */
static guint
check_ufo_tree (const char *dir_path)
{
  g_autoptr(GDir) dir = g_dir_open (dir_path, 0, NULL);
  const char *name;
  guint n = 0;

  fuzz_check (dir != NULL);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir_path, name, NULL);
      if (g_file_test (path, G_FILE_TEST_IS_DIR))
        n += check_ufo_tree (path);
      else
        {
          fuzz_check (g_str_has_suffix (name, ".plist") || g_str_has_suffix (name, ".glif"));
          check_xml_file (path);
          n++;
        }
    }
  return n;
}

static void
check_outline (const ZiOutline *outline)
{
  for (guint i = 0; i < outline->n_contours; i++)
    {
      const ZiContour *c = &outline->contours[i];

      fuzz_check (c->n_segments > 0);
      fuzz_check (c->hole ? c->area <= 0 : c->area >= 0);
      for (guint k = 0; k < c->n_segments; k++)
        {
          const ZiSegment *s = &c->segments[k];
          fuzz_check (isfinite (s->p.x) && isfinite (s->p.y));
          fuzz_check (s->kind == ZI_SEGMENT_LINE
                      || (isfinite (s->c1.x) && isfinite (s->c1.y)
                          && isfinite (s->c2.x) && isfinite (s->c2.y)));
          fuzz_check (s->p.x >= outline->x_min - 1 && s->p.x <= outline->x_max + 1);
          fuzz_check (s->p.y >= outline->y_min - 1 && s->p.y <= outline->y_max + 1);
        }
    }
}

static void
check_svg (const ZiOutline *outline, const ZiSvgFrame *frame, gunichar c)
{
  g_autofree char *svg = zi_svg_document (outline, frame, c);
  g_autoptr(GString) d = g_string_new (NULL);

  check_xml (svg, "the SVG document");
  zi_svg_append_path_data (d, outline, frame);
  for (gsize i = 0; i < d->len; i++)
    fuzz_check (strchr ("MCLZ0123456789.- ", d->str[i]) != NULL && d->str[i] != '\0');
}

static void
check_ufo (const ZiOutline *outline, const ZiFontMetrics *metrics, double advance, gunichar c,
           char **strings)
{
  g_autofree char *path = g_build_filename (fuzz_scratch_dir (), "font.ufo", NULL);
  g_autofree char *glif = zi_ufo_glif (strings[2], c, advance, outline);
  g_autofree char *file_name = zi_ufo_glyph_file_name (strings[2]);
  g_autofree char *dir_name = zi_ufo_dir_name (strings[0]);
  g_autoptr(GError) error = NULL;
  g_autoptr(ZiUfoWriter) writer = NULL;
  const gboolean valid = c != 0 && g_unichar_validate (c);
  guint added = 0;

  check_xml (glif, "the .glif document");
  /* An empty name is not a glyph name (UFO 3 wants at least one character); it gives ".glif". */
  fuzz_check (g_str_has_suffix (file_name, ".glif") && (file_name[0] != '.' || strings[2][0] == '\0'));
  for (const char *p = file_name; *p; p++)
    fuzz_check ((guchar) *p >= 32 && strchr ("\"*/:<>?\\|", *p) == NULL);
  fuzz_check (g_str_has_prefix (dir_name, "Zimaru-") && g_str_has_suffix (dir_name, ".ufo"));
  for (const char *p = dir_name; *p; p++)
    fuzz_check (g_ascii_isalnum (*p) || *p == '-' || *p == '.');

  fuzz_remove_tree (path);
  writer = zi_ufo_writer_new (path, strings[0], strings[1], strings[3][0] ? strings[3] : NULL, metrics,
                              &error);
  if (metrics->units_per_em <= 0)
    {
      fuzz_check (writer == NULL && g_error_matches (error, ZI_ERROR, ZI_ERROR_INVALID));
      return;
    }
  fuzz_check (writer != NULL && error == NULL);

  fuzz_check (zi_ufo_writer_add_glyph (writer, c, advance, outline, &error) == valid);
  if (valid)
    {
      added++;
      fuzz_check (!zi_ufo_writer_add_glyph (writer, c, advance, outline, &error));
    }
  fuzz_check (g_error_matches (error, ZI_ERROR, ZI_ERROR_INVALID));
  g_clear_error (&error);
  if (c != 'A')
    {
      fuzz_check (zi_ufo_writer_add_glyph (writer, 'A', advance, outline, &error));
      added++;
    }
  fuzz_check (zi_ufo_writer_finish (writer, &error));
  fuzz_check (zi_ufo_writer_get_glyph_count (writer) == added);
  /* metainfo, fontinfo, layercontents, lib, contents and a .glif per glyph with .notdef. */
  fuzz_check (check_ufo_tree (path) == 5 + added + 1);
}

/* The text section as four valid UTF-8 strings (missing ones empty). */
static char **
split_strings (const Input *in, size_t *end)
{
  const size_t len = byte_at (in, HEADER);
  const size_t start = MIN (in->size, (size_t) HEADER + 1);
  const size_t avail = MIN (len, in->size - start);
  char **strings = g_new0 (char *, 5);
  size_t i = 0;

  *end = start + avail;
  for (int k = 0; k < 4; k++)
    {
      size_t j = i;
      while (j < avail && in->data[start + j] != '\0')
        j++;
      strings[k] = g_utf8_make_valid (i < avail ? (const char *) in->data + start + i : "",
                                      (gssize) (j - MIN (i, j)));
      i = j + 1;
    }
  return strings;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  const Input in = { data, size };
  const guint canvas = 16 + byte_at (&in, 0) % 49;
  g_auto(GStrv) strings = NULL;
  g_autofree guint8 *coverage = g_malloc0 ((gsize) canvas * canvas);
  g_autoptr(ZiOutline) outline = NULL;
  g_autoptr(GError) error = NULL;
  ZiTraceParams params;
  ZiFontMetrics metrics = { 0 };
  ZiPlacement placement = { 0 };
  ZiSvgFrame frame;
  gunichar c;
  size_t bitmap_start;
  gboolean any_ink = FALSE;
  double upem;

  zi_trace_params_init (&params, byte_at (&in, 1) & 1 ? ZI_TRACE_PRESET_SQUARE : ZI_TRACE_PRESET_ROUND);
  params.upsample = 1 + (byte_at (&in, 1) >> 1) % 9;      /* 9 is out of range */
  params.threshold = byte_at (&in, 2);                     /* 0 is out of range */
  params.turdsize = byte_at (&in, 3) == 255 ? -1 : byte_at (&in, 3) % 8;
  params.alphamax = byte_at (&in, 4) * 1.4 / 255;          /* above 1.3334 is out of range */
  params.opttolerance = byte_at (&in, 5) / 20.0;           /* above 10 is out of range */
  c = (gunichar) byte_at (&in, 6) | (gunichar) byte_at (&in, 7) << 8 | (gunichar) byte_at (&in, 8) << 16
      | (gunichar) byte_at (&in, 9) << 24;

  metrics.units_per_em = int16_at (&in, 10);
  metrics.ideo_bottom = metrics.descender = metrics.typo_descender = int16_at (&in, 12);
  metrics.ideo_top = metrics.ascender = metrics.typo_ascender = int16_at (&in, 14);
  metrics.ideo_advance = metrics.ideo_right = int16_at (&in, 16);
  metrics.win_ascent = metrics.ascender;
  metrics.win_descent = int16_at (&in, 18);
  metrics.cap_height = int16_at (&in, 20);
  metrics.x_height = int16_at (&in, 22);
  zi_svg_frame_init (&frame, &metrics);
  fuzz_check (frame.top > frame.bottom || metrics.units_per_em <= 0);

  /* The placement zi_placement_init would give such a font (a unit em when the metrics have none). */
  upem = metrics.units_per_em > 0 ? metrics.units_per_em : 1000;
  placement.size = canvas;
  placement.em_fraction = ZI_DEFAULT_EM_FRACTION;
  placement.units_per_em = (int) upem;
  placement.scale = ZI_DEFAULT_EM_FRACTION * canvas / upem;
  placement.origin_x = round ((0.5 * canvas - 0.5 * frame.advance * placement.scale) * 64) / 64;
  placement.origin_y = round ((0.5 * canvas + 0.5 * (frame.bottom + frame.top) * placement.scale) * 64) / 64;

  strings = split_strings (&in, &bitmap_start);
  for (gsize i = 0; i < (gsize) canvas * canvas && bitmap_start + i < size; i++)
    {
      coverage[i] = data[bitmap_start + i];
      any_ink |= params.threshold > 0 && coverage[i] >= params.threshold;
    }

  outline = zi_trace_bitmap (coverage, canvas, &placement, &params, &error);
  if (!zi_trace_params_check (&params, NULL))
    {
      fuzz_check (outline == NULL && g_error_matches (error, ZI_ERROR, ZI_ERROR_INVALID));
      return 0;
    }
  fuzz_check (outline != NULL && error == NULL);
  check_outline (outline);
  if (!any_ink && params.upsample == 1)
    fuzz_check (outline->n_contours == 0);

  check_svg (outline, &frame, c);
  check_ufo (outline, &metrics, frame.advance, c, strings);
  return 0;
}
