/* test-export-trace.c — tests of tracing and the files written from outlines: known shapes traced
 * (winding, contour counts, coordinates in font units), SVG round trips through rsvg-convert, XML
 * well-formedness on random bitmaps, UFO files through ufoLib2 and fontmake back into FreeType, what
 * export traces of a generated coverage bitmap or distance field, and the names of files, formats and
 * presets. Uses the real default fonts. */
#include "config.h"
#include "export-test-util.h"
#include "zi-charset.h"
#include "zi-error.h"
#include "zi-export.h"
#include "zi-fileutil.h"
#include "zi-image.h"
#include "zi-outline-metric.h"
#include "zi-render.h"
#include "zi-svg.h"
#include "zi-trace.h"
#include "zi-ufo.h"

#include <math.h>
#include <string.h>

/* ---- helpers ---- */

static ZiOutline *
trace (const guint8 *bm, const ZiPlacement *p, ZiTracePreset preset, guint upsample)
{
  g_autoptr(GError) error = NULL;
  ZiTraceParams params;
  ZiOutline *o;

  zi_trace_params_init (&params, preset);
  params.upsample = upsample;
  o = zi_trace_bitmap (bm, SIZE, p, &params, &error);
  g_assert_no_error (error);
  g_assert_nonnull (o);
  return o;
}

static guint
count_holes (const ZiOutline *o)
{
  guint n = 0;

  for (guint i = 0; i < o->n_contours; i++)
    {
      /* The winding must agree with the hole flag: outer counter-clockwise, holes clockwise. */
      g_assert_cmpint (o->contours[i].hole, ==, o->contours[i].area < 0);
      n += o->contours[i].hole;
    }
  return n;
}

static guint8 *
render (Fixture *f, gunichar c)
{
  g_autoptr(GError) error = NULL;
  guint8 *bm = g_malloc0 (SIZE * SIZE);

  g_assert_true (zi_render_char (f->target, &f->placement, c, bm, &error));
  g_assert_no_error (error);
  return bm;
}

/* ---- tracing ---- */

static void
test_trace_square (Fixture *f, gconstpointer data)
{
  g_autofree guint8 *bm = g_malloc0 (SIZE * SIZE);
  double ex0, ey0, ex1, ey1, tol = 0.3 / f->placement.scale;  /* 0.3 px in font units */

  fill_rect (bm, 16, 16, 48, 48, 255);
  /* Pixel corners (16, 48) and (48, 16) are the square's bottom-left and top-right in font units. */
  zi_placement_pixel_to_font (&f->placement, 16, 48, &ex0, &ey0);
  zi_placement_pixel_to_font (&f->placement, 48, 16, &ex1, &ey1);
  g_assert_cmpfloat (ey1, >, ey0);

  for (guint up = 1; up <= 4; up *= 4)
    {
      g_autoptr(ZiOutline) o = trace (bm, &f->placement, ZI_TRACE_PRESET_SQUARE, up);

      g_assert_cmpuint (o->n_contours, ==, 1);
      g_assert_false (o->contours[0].hole);
      g_assert_cmpfloat (o->contours[0].area, >, 0);  /* counter-clockwise, y up */
      g_assert_cmpfloat_with_epsilon (o->x_min, ex0, tol);
      g_assert_cmpfloat_with_epsilon (o->y_min, ey0, tol);
      g_assert_cmpfloat_with_epsilon (o->x_max, ex1, tol);
      g_assert_cmpfloat_with_epsilon (o->y_max, ey1, tol);
      /* The area of a square traced with corners kept is the square's, within 2%. */
      g_assert_cmpfloat (fabs (o->contours[0].area - (ex1 - ex0) * (ey1 - ey0)), <,
                         0.02 * (ex1 - ex0) * (ey1 - ey0));
      g_assert_cmpfloat_with_epsilon (o->contours[0].pixel_area, 32.0 * 32.0, 1.0);
    }
}

/* Smoothing keeps straight edges where they are and rounds the corners off. */
static void
test_trace_smooth (Fixture *f, gconstpointer data)
{
  g_autofree guint8 *bm = g_malloc0 (SIZE * SIZE);
  g_autoptr(GError) error = NULL;
  g_autoptr(ZiOutline) sharp = NULL;
  g_autoptr(ZiOutline) smooth = NULL;
  ZiTraceParams params;
  double tol = 0.35 / f->placement.scale;

  fill_rect (bm, 16, 16, 48, 48, 255);
  zi_trace_params_init (&params, ZI_TRACE_PRESET_SQUARE);
  sharp = zi_trace_bitmap (bm, SIZE, &f->placement, &params, &error);
  g_assert_no_error (error);
  params.smooth = 2.0;
  smooth = zi_trace_bitmap (bm, SIZE, &f->placement, &params, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (smooth->n_contours, ==, 1);
  g_assert_cmpfloat_with_epsilon (smooth->x_min, sharp->x_min, tol);
  g_assert_cmpfloat_with_epsilon (smooth->x_max, sharp->x_max, tol);
  g_assert_cmpfloat_with_epsilon (smooth->y_min, sharp->y_min, tol);
  g_assert_cmpfloat_with_epsilon (smooth->y_max, sharp->y_max, tol);
  g_assert_cmpfloat (smooth->contours[0].area, <, 0.995 * sharp->contours[0].area);
  g_assert_cmpfloat (smooth->contours[0].area, >, 0.95 * sharp->contours[0].area);
}

static void
test_trace_ring (Fixture *f, gconstpointer data)
{
  g_autofree guint8 *bm = g_malloc0 (SIZE * SIZE);

  fill_disc (bm, 32, 32, 24, 255);
  fill_disc (bm, 32, 32, 12, 0);
  for (int preset = ZI_TRACE_PRESET_ROUND; preset <= ZI_TRACE_PRESET_SQUARE; preset++)
    {
      g_autoptr(ZiOutline) o = trace (bm, &f->placement, preset, 4);
      const ZiContour *outer, *hole;
      double cx, cy;

      g_assert_cmpuint (o->n_contours, ==, 2);
      g_assert_cmpuint (count_holes (o), ==, 1);
      outer = o->contours[0].hole ? &o->contours[1] : &o->contours[0];
      hole = o->contours[0].hole ? &o->contours[0] : &o->contours[1];
      g_assert_cmpfloat (outer->area, >, 0);
      g_assert_cmpfloat (hole->area, <, 0);
      /* Areas of the discs: π r² in font units, within 3%. */
      g_assert_cmpfloat (fabs (outer->area - G_PI * pow (24 / f->placement.scale, 2)), <,
                         0.03 * G_PI * pow (24 / f->placement.scale, 2));
      g_assert_cmpfloat (fabs (-hole->area - G_PI * pow (12 / f->placement.scale, 2)), <,
                         0.03 * G_PI * pow (12 / f->placement.scale, 2));
      /* The ring is centred on the pixel centre (32, 32). */
      zi_placement_pixel_to_font (&f->placement, 32, 32, &cx, &cy);
      g_assert_cmpfloat_with_epsilon ((o->x_min + o->x_max) / 2, cx, 0.3 / f->placement.scale);
      g_assert_cmpfloat_with_epsilon ((o->y_min + o->y_max) / 2, cy, 0.3 / f->placement.scale);
    }
}

static void
test_trace_glyphs (Fixture *f, gconstpointer data)
{
  /* Contours and holes of glyphs whose topology is certain: 口 (1 hole), 回 (2 outers, 2 holes),
   * 日 (2 holes), 品 (3 boxes), 圓 (囗, 口 and 貝 whose 目 has 3 counters); 龜 at least its 4 boxes.
   * count_holes() checks every contour's winding against its hole flag. */
  const struct { gunichar c; guint contours, holes; } cases[] = {
    { 0x53E3, 2, 1 }, { 0x56DE, 4, 2 }, { 0x65E5, 3, 2 }, { 0x54C1, 6, 3 }, { 0x5713, 8, 5 },
    { 0x9F9C, 0, 4 },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree guint8 *bm = render (f, cases[i].c);
      g_autoptr(ZiOutline) o = trace (bm, &f->placement, ZI_TRACE_PRESET_ROUND, 4);

      g_test_message ("U+%04X: %u contours", cases[i].c, o->n_contours);
      if (cases[i].contours > 0)
        {
          g_assert_cmpuint (o->n_contours, ==, cases[i].contours);
          g_assert_cmpuint (count_holes (o), ==, cases[i].holes);
        }
      else
        g_assert_cmpuint (count_holes (o), >=, cases[i].holes);
      /* The glyph lies inside the em box of the target font. */
      g_assert_cmpfloat (o->x_min, >, -50);
      g_assert_cmpfloat (o->y_min, >, -200);
      g_assert_cmpfloat (o->x_max, <, 1050);
      g_assert_cmpfloat (o->y_max, <, 950);
    }
}

static void
test_trace_empty_and_invalid (Fixture *f, gconstpointer data)
{
  g_autofree guint8 *bm = g_malloc0 (SIZE * SIZE);
  g_autoptr(ZiOutline) o = trace (bm, &f->placement, ZI_TRACE_PRESET_ROUND, 4);
  g_autoptr(GError) error = NULL;
  ZiTraceParams params;
  ZiOutline *bad;

  g_assert_cmpuint (o->n_contours, ==, 0);

  /* A single pixel is a speck that the default turdsize removes. */
  bm[10 * SIZE + 10] = 255;
  {
    g_autoptr(ZiOutline) speck = trace (bm, &f->placement, ZI_TRACE_PRESET_ROUND, 4);
    g_assert_cmpuint (speck->n_contours, ==, 0);
  }

  zi_trace_params_init (&params, ZI_TRACE_PRESET_ROUND);
  params.upsample = 9;
  bad = zi_trace_bitmap (bm, SIZE, &f->placement, &params, &error);
  g_assert_null (bad);
  g_assert_error (error, ZI_ERROR, ZI_ERROR_INVALID);
  g_clear_error (&error);

  zi_trace_params_init (&params, ZI_TRACE_PRESET_ROUND);
  params.smooth = 2.5;
  bad = zi_trace_bitmap (bm, SIZE, &f->placement, &params, &error);
  g_assert_null (bad);
  g_assert_error (error, ZI_ERROR, ZI_ERROR_INVALID);
  g_clear_error (&error);

  zi_trace_params_init (&params, ZI_TRACE_PRESET_ROUND);
  bad = zi_trace_bitmap (bm, 32, &f->placement, &params, &error);
  g_assert_null (bad);
  g_assert_error (error, ZI_ERROR, ZI_ERROR_INVALID);
}

/* ---- SVG ---- */

/* Rasterises an exported SVG over the same canvas as the bitmap: the viewBox is replaced by the
 * canvas in the SVG's coordinates (x in font units, y = top − y_font). Returns coverage. */
static guint8 *
rasterise_svg (const char *svg, const ZiSvgFrame *frame, const ZiPlacement *p, const char *dir)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GRegex) re = g_regex_new ("width=\"[^\"]*\" height=\"[^\"]*\" viewBox=\"[^\"]*\"", 0, 0, NULL);
  g_autoptr(GString) box = g_string_new (NULL);
  g_autofree char *canvas_svg = NULL;
  g_autofree char *svg_path = g_build_filename (dir, "glyph.svg", NULL);
  g_autofree char *png_path = g_build_filename (dir, "glyph.png", NULL);
  g_autofree char *err = NULL;
  double x0 = -p->origin_x / p->scale, y0 = frame->top - p->origin_y / p->scale, w = p->size / p->scale;
  guint width, height;
  guint8 *coverage;
  /* On a white background: cairo composites in sRGB, so gray = 255 × (1 − coverage) exactly. */
  const char *argv[] = { "rsvg-convert", "-b", "white", "-w", "64", "-h", "64", "-o", png_path, svg_path, NULL };

  g_string_printf (box, "width=\"%u\" height=\"%u\" viewBox=\"", p->size, p->size);
  zi_format_number (box, x0);
  g_string_append_c (box, ' ');
  zi_format_number (box, y0);
  g_string_append_c (box, ' ');
  zi_format_number (box, w);
  g_string_append_c (box, ' ');
  zi_format_number (box, w);
  g_string_append_c (box, '"');
  canvas_svg = g_regex_replace_literal (re, svg, -1, 0, box->str, 0, &error);
  g_assert_no_error (error);
  g_assert_true (g_file_set_contents (svg_path, canvas_svg, -1, &error));

  g_assert_cmpint (run (argv, &err), ==, 0);
  coverage = zi_image_read_png_coverage (png_path, &width, &height, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (width, ==, p->size);
  g_assert_cmpuint (height, ==, p->size);
  return coverage;
}

static double
ink_iou (const guint8 *a, const guint8 *b, gsize n)
{
  gsize inter = 0, uni = 0;

  for (gsize i = 0; i < n; i++)
    {
      gboolean x = a[i] >= 128, y = b[i] >= 128;
      inter += x && y;
      uni += x || y;
    }
  return uni ? (double) inter / (double) uni : 1.0;
}

static void
test_svg_roundtrip (Fixture *f, gconstpointer data)
{
  g_autofree char *dir = make_temp_dir ();
  g_autoptr(GArray) chars = g_array_new (FALSE, FALSE, sizeof (gunichar));
  const gunichar fixed[] = { 0x53E3, 0x56DE, 0x54C1, 0x5713, 0x9F9C };  /* 口 回 品 圓 龜 */
  ZiFontMetrics metrics;
  ZiSvgFrame frame;
  g_autoptr(GRand) rand = g_rand_new_with_seed (7);
  double worst = 1.0;

  zi_font_get_metrics (f->target, &metrics);
  zi_svg_frame_init (&frame, &metrics);
  g_array_append_vals (chars, fixed, G_N_ELEMENTS (fixed));
  /* Ten more ideographs of the target font, chosen with a fixed seed. */
  while (chars->len < G_N_ELEMENTS (fixed) + 10)
    {
      gunichar c = 0x4E00 + g_rand_int_range (rand, 0, 0x9FA5 - 0x4E00);
      if (zi_font_has_char (f->target, c))
        g_array_append_val (chars, c);
    }

  for (guint i = 0; i < chars->len; i++)
    {
      gunichar c = g_array_index (chars, gunichar, i);
      g_autofree guint8 *bm = render (f, c);
      g_autoptr(ZiOutline) o = trace (bm, &f->placement, ZI_TRACE_PRESET_ROUND, 4);
      g_autofree char *svg = zi_svg_document (o, &frame, c);
      g_autofree guint8 *back = rasterise_svg (svg, &frame, &f->placement, dir);
      double iou = ink_iou (bm, back, SIZE * SIZE);

      g_test_message ("U+%04X: ink IoU %.4f", c, iou);
      g_assert_cmpfloat (iou, >=, 0.95);
      worst = MIN (worst, iou);
    }
  g_test_message ("worst ink IoU %.4f over %u glyphs", worst, chars->len);
  zi_dir_remove_tree (dir);
}

static void
test_svg_document (Fixture *f, gconstpointer data)
{
  ZiFontMetrics metrics;
  ZiSvgFrame frame;
  g_autofree guint8 *bm = render (f, 0x53E3);
  g_autoptr(ZiOutline) o = trace (bm, &f->placement, ZI_TRACE_PRESET_ROUND, 4);
  g_autofree char *svg = NULL;
  g_autofree char *expect_box = NULL;

  zi_font_get_metrics (f->target, &metrics);
  zi_svg_frame_init (&frame, &metrics);
  svg = zi_svg_document (o, &frame, 0x53E3);
  /* viewBox over the em box: 0 0 advance (top − bottom), in font units. */
  expect_box = g_strdup_printf ("viewBox=\"0 0 %d %d\"", metrics.ideo_advance,
                                metrics.ideo_top - metrics.ideo_bottom);
  g_assert_nonnull (strstr (svg, expect_box));
  g_assert_nonnull (strstr (svg, "fill-rule=\"nonzero\""));
  g_assert_nonnull (strstr (svg, "<title>U+53E3 口</title>"));
  /* Two subpaths (outer and counter). */
  {
    g_auto(GStrv) parts = g_strsplit (svg, "M", -1);
    g_assert_cmpuint (g_strv_length (parts), ==, 3);
  }
}

/* ---- XML well-formedness on random input ---- */

static gboolean
is_well_formed (const char *xml)
{
  GMarkupParser parser = { 0 };
  g_autoptr(GMarkupParseContext) ctx = g_markup_parse_context_new (&parser, 0, NULL, NULL);
  g_autoptr(GError) error = NULL;
  gboolean ok = g_markup_parse_context_parse (ctx, xml, -1, &error)
                && g_markup_parse_context_end_parse (ctx, &error);

  if (!ok)
    g_test_message ("not well-formed: %s", error->message);
  return ok;
}

static void
test_xml_random (Fixture *f, gconstpointer data)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (42);
  ZiFontMetrics metrics;
  ZiSvgFrame frame;
  const gunichar odd[] = { '<', '&', '"', 0x1, 0x4E00, 0x20000, 0xFFFE };

  zi_font_get_metrics (f->target, &metrics);
  zi_svg_frame_init (&frame, &metrics);
  for (int round = 0; round < 40; round++)
    {
      g_autofree guint8 *bm = g_malloc0 (SIZE * SIZE);
      g_autofree char *svg = NULL;
      g_autofree char *glif = NULL;
      gunichar c = odd[round % G_N_ELEMENTS (odd)];
      int blobs = g_rand_int_range (rand, 0, 12);

      /* Random discs and noise, inked and erased. */
      for (int k = 0; k < blobs; k++)
        fill_disc (bm, g_rand_double_range (rand, 0, SIZE), g_rand_double_range (rand, 0, SIZE),
                   g_rand_double_range (rand, 1, 16), k % 3 == 2 ? 0 : 255);
      for (int k = 0; k < round * 10; k++)
        bm[g_rand_int_range (rand, 0, SIZE * SIZE)] = (guint8) g_rand_int_range (rand, 0, 256);
      {
        ZiTracePreset preset = round % 2 ? ZI_TRACE_PRESET_SQUARE : ZI_TRACE_PRESET_ROUND;
        g_autoptr(ZiOutline) o = trace (bm, &f->placement, preset, 1 + round % 4);

        count_holes (o);
        svg = zi_svg_document (o, &frame, c);
        glif = zi_ufo_glif (round % 2 ? "uni4E00" : "a<&\"b", c, 1000, o);
      }
      g_assert_true (is_well_formed (svg));
      g_assert_true (is_well_formed (glif));
    }
}

/* ---- UFO through ufoLib2 and fontmake, back into FreeType ---- */

static void
test_ufo_fontmake (Fixture *f, gconstpointer data)
{
  g_autofree char *dir = make_temp_dir ();
  g_autofree char *out = g_build_filename (dir, "out", NULL);
  g_autofree char *ufo = g_build_filename (out, "Zimaru-ZenMaruGothic.ufo", NULL);
  g_autofree char *ttf = g_build_filename (dir, "out.ttf", NULL);
  g_autofree char *err = NULL;
  ZiFont *source = open_font (SOURCE_FONT);
  g_autoptr(GArray) missing = zi_charset_compute (source, f->target, ZI_CHARSET_MISSING, ZI_BLOCK_CJK);
  g_autoptr(GArray) chars = g_array_new (FALSE, FALSE, sizeof (gunichar));
  g_autoptr(GError) error = NULL;
  ZiFont *built = NULL;
  ZiExportOptions options;
  ZiFontMetrics metrics;
  const char *check =
    "import sys, ufoLib2\n"
    "f = ufoLib2.Font.open(sys.argv[1], validate=True)\n"
    "assert f.info.unitsPerEm > 0 and f.info.familyName.endswith(' Zimaru'), f.info.familyName\n"
    "assert f.glyphOrder[0] == '.notdef', f.glyphOrder[:3]\n"
    "n = sum(1 for g in f if g.unicodes)\n"
    "assert n == int(sys.argv[2]), (n, sys.argv[2])\n"
    "assert all(len(g.contours) > 0 for g in f), 'empty glyph'\n";

  /* Twenty characters the target lacks, rendered from the source (as a model would see them). */
  g_assert_cmpuint (missing->len, >, 10000);
  for (guint i = 0; i < 20; i++)
    g_array_append_val (chars, g_array_index (missing, gunichar, i * (missing->len / 20)));

  zi_export_options_init (&options);
  options.formats = ZI_EXPORT_FORMAT_UFO;
  {
    g_autoptr(ZiExportSource) src = font_source (SOURCE_FONT);
    g_assert_true (zi_export_run (src, f->target, (gunichar *) chars->data, chars->len, out, &options, NULL,
                                  NULL, NULL, NULL, &error));
    g_assert_no_error (error);
  }

  {
    const char *argv[] = { "/usr/bin/python3", "-c", check, ufo, "20", NULL };
    int status = run (argv, &err);
    if (status != 0)
      g_test_message ("ufoLib2: %s", err);
    g_assert_cmpint (status, ==, 0);
    g_clear_pointer (&err, g_free);
  }
  {
    const char *argv[] = { "fontmake", "-u", ufo, "-o", "ttf", "--output-path", ttf, NULL };
    int status = run (argv, &err);
    if (status != 0)
      g_test_message ("fontmake: %s", err);
    g_assert_cmpint (status, ==, 0);
  }

  built = zi_font_open (ttf, &error);
  g_assert_no_error (error);
  zi_font_get_metrics (f->target, &metrics);
  g_assert_cmpint (zi_font_get_units_per_em (built), ==, metrics.units_per_em);
  for (guint i = 0; i < chars->len; i++)
    {
      gunichar c = g_array_index (chars, gunichar, i);

      /* has_char: mapped in the cmap to a glyph with a non-empty outline. */
      g_assert_true (zi_font_has_char (built, c));
      g_assert_cmpint (zi_font_get_advance (built, c), ==, metrics.ideo_advance);
    }
  zi_font_free (built);
  zi_font_free (source);
  zi_dir_remove_tree (dir);
}

/* ---- generated glyphs: coverage or a distance field ---- */

static char *
svg_of (Fixture *f, const ZiOutline *o)
{
  ZiFontMetrics metrics;
  ZiSvgFrame frame;

  zi_font_get_metrics (f->target, &metrics);
  zi_svg_frame_init (&frame, &metrics);
  return zi_svg_document (o, &frame, 0x6C38);
}

/* What export traces for a generated glyph: an ink model's coverage exactly as zi_trace_bitmap traces
 * it; a field model's field at the level whose derived ink is the threshold. Traced, a real glyph's
 * field follows the font's own outline more closely than its coverage does (on these four glyphs,
 * with potrace's own curves, a mean distance of 0.5 against 1.2 units of a 1000-unit em), and at
 * least as closely as the ink derived from the field. */
static void
test_trace_generated (Fixture *f, gconstpointer data)
{
  g_autofree gunichar *chars = g_utf8_to_ucs4_fast ("永国丸風", -1, NULL);
  int upm = zi_font_get_units_per_em (f->target);
  double d_cov = 0.0, d_field = 0.0, d_derived = 0.0;
  guint n = 0;

  for (; chars[n] != 0; n++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree guint8 *cov = render (f, chars[n]);
      g_autofree guint8 *field = g_malloc (SIZE * SIZE);
      g_autofree guint8 *derived = g_malloc (SIZE * SIZE);
      g_autoptr(ZiOutline) want = zi_font_char_outline (f->target, chars[n], &error);
      g_autoptr(ZiOutline) o_cov = NULL, o_plain = NULL, o_field = NULL, o_derived = NULL, o_dark = NULL,
                           o_dark_plain = NULL;
      g_autofree char *svg_cov = NULL, *svg_plain = NULL, *svg_dark = NULL, *svg_dark_plain = NULL;
      ZiOutlineMetric m_cov, m_field, m_derived;
      ZiTraceParams params;

      g_assert_no_error (error);
      g_assert_true (zi_render_char_field (f->target, &f->placement, chars[n], 4, field, &error));
      zi_image_field_to_coverage (field, derived, SIZE * SIZE, 4);
      zi_trace_params_init (&params, ZI_TRACE_PRESET_ROUND);

      o_cov = zi_export_trace_generated (cov, 0, SIZE, &f->placement, &params, &error);
      o_plain = zi_trace_bitmap (cov, SIZE, &f->placement, &params, &error);
      o_field = zi_export_trace_generated (field, 4, SIZE, &f->placement, &params, &error);
      o_derived = zi_trace_bitmap (derived, SIZE, &f->placement, &params, &error);
      g_assert_no_error (error);
      svg_cov = svg_of (f, o_cov);
      svg_plain = svg_of (f, o_plain);
      g_assert_cmpstr (svg_cov, ==, svg_plain);

      /* Ink 200 of a field of spread 4 is its level 127.5 + 72.5 / 4 = 145.6, traced from 146. */
      params.threshold = 200;
      o_dark = zi_export_trace_generated (field, 4, SIZE, &f->placement, &params, &error);
      params.threshold = 146;
      o_dark_plain = zi_trace_bitmap (field, SIZE, &f->placement, &params, &error);
      g_assert_no_error (error);
      svg_dark = svg_of (f, o_dark);
      svg_dark_plain = svg_of (f, o_dark_plain);
      g_assert_cmpstr (svg_dark, ==, svg_dark_plain);

      zi_outline_metric_measure (&m_cov, o_cov, want, upm);
      zi_outline_metric_measure (&m_field, o_field, want, upm);
      zi_outline_metric_measure (&m_derived, o_derived, want, upm);
      g_test_message ("U+%04X against the font's outline, IoU / mean distance: coverage %.4f / %.2f, field "
                      "%.4f / %.2f, the field's derived ink %.4f / %.2f", chars[n], m_cov.iou,
                      m_cov.mean_distance, m_field.iou, m_field.mean_distance, m_derived.iou,
                      m_derived.mean_distance);
      g_assert_cmpfloat (m_field.iou, >, 0.95);
      d_cov += m_cov.mean_distance;
      d_field += m_field.mean_distance;
      d_derived += m_derived.mean_distance;
      zi_outline_metric_clear (&m_cov);
      zi_outline_metric_clear (&m_field);
      zi_outline_metric_clear (&m_derived);
    }
  g_assert_cmpfloat (d_field, <, d_cov);
  g_assert_cmpfloat (d_field, <, 1.05 * d_derived);
}

/* ---- small pieces ---- */

static void
test_names (void)
{
  ZiExportFormats formats;
  ZiTracePreset preset;
  g_autofree char *a = zi_ufo_glyph_file_name ("uni4E00");
  g_autofree char *b = zi_ufo_glyph_file_name ("u20000");
  g_autofree char *c = zi_ufo_glyph_file_name (".notdef");
  g_autofree char *d = zi_ufo_dir_name ("Zen Maru Gothic");
  g_autofree char *e = zi_ufo_dir_name ("");
  GString *num = g_string_new (NULL);

  g_assert_cmpstr (a, ==, "uni4E_00.glif");
  g_assert_cmpstr (b, ==, "u20000.glif");
  g_assert_cmpstr (c, ==, "_notdef.glif");
  g_assert_cmpstr (d, ==, "Zimaru-ZenMaruGothic.ufo");
  g_assert_cmpstr (e, ==, "Zimaru-Glyphs.ufo");

  g_assert_true (zi_export_formats_from_string ("png,svg,ufo", &formats));
  g_assert_cmpint (formats, ==, ZI_EXPORT_FORMAT_PNG | ZI_EXPORT_FORMAT_SVG | ZI_EXPORT_FORMAT_UFO);
  g_assert_true (zi_export_formats_from_string ("ufo", &formats));
  g_assert_cmpint (formats, ==, ZI_EXPORT_FORMAT_UFO);
  g_assert_false (zi_export_formats_from_string ("png,jpg", &formats));
  g_assert_false (zi_export_formats_from_string ("", &formats));
  g_assert_false (zi_export_formats_from_string ("png,", &formats));
  g_assert_true (zi_trace_preset_from_string ("square", &preset));
  g_assert_cmpint (preset, ==, ZI_TRACE_PRESET_SQUARE);
  g_assert_false (zi_trace_preset_from_string ("Round", &preset));

  zi_format_number (num, 12.5);
  g_string_append_c (num, ' ');
  zi_format_number (num, -0.001);
  g_string_append_c (num, ' ');
  zi_format_number (num, 3.0);
  g_string_append_c (num, ' ');
  zi_format_number (num, -7.126);
  g_assert_cmpstr (num->str, ==, "12.5 0 3 -7.13");
  g_string_free (num, TRUE);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/export/names", test_names);
  g_test_add ("/export/trace/square", Fixture, NULL, fixture_setup, test_trace_square, fixture_teardown);
  g_test_add ("/export/trace/smooth", Fixture, NULL, fixture_setup, test_trace_smooth, fixture_teardown);
  g_test_add ("/export/trace/ring", Fixture, NULL, fixture_setup, test_trace_ring, fixture_teardown);
  g_test_add ("/export/trace/glyphs", Fixture, NULL, fixture_setup, test_trace_glyphs, fixture_teardown);
  g_test_add ("/export/trace/generated", Fixture, NULL, fixture_setup, test_trace_generated, fixture_teardown);
  g_test_add ("/export/trace/empty-invalid", Fixture, NULL, fixture_setup, test_trace_empty_and_invalid,
              fixture_teardown);
  g_test_add ("/export/svg/document", Fixture, NULL, fixture_setup, test_svg_document, fixture_teardown);
  g_test_add ("/export/svg/roundtrip", Fixture, NULL, fixture_setup, test_svg_roundtrip, fixture_teardown);
  g_test_add ("/export/xml/random", Fixture, NULL, fixture_setup, test_xml_random, fixture_teardown);
  g_test_add ("/export/ufo/fontmake", Fixture, NULL, fixture_setup, test_ufo_fontmake, fixture_teardown);

  return g_test_run ();
}
