/* test-export.c — tests of the export module: tracing known shapes (winding, contour counts,
 * coordinates in font units), SVG round trips through rsvg-convert, UFO files through ufoLib2 and
 * fontmake back into FreeType, XML well-formedness on random bitmaps, picks files, and the job's
 * atomicity (cancel, missing or read-only parent, existing output). Uses the real default fonts. */
#include "config.h"
#include "zi-charset.h"
#include "zi-error.h"
#include "zi-export.h"
#include "zi-font.h"
#include "zi-image.h"
#include "zi-picks.h"
#include "zi-render.h"
#include "zi-run.h"
#include "zi-svg.h"
#include "zi-trace.h"
#include "zi-ufo.h"

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <math.h>
#include <signal.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>
#include "zi-fileutil.h"

#define TARGET_FONT "Zen Maru Gothic"
#define SOURCE_FONT "Noto Sans CJK TC"
#define SIZE 64

/* ---- helpers ---- */

static ZiFont *
open_font (const char *spec)
{
  g_autoptr(GError) error = NULL;
  ZiFont *font = zi_font_open (spec, &error);

  g_assert_no_error (error);
  g_assert_nonnull (font);
  return font;
}

static char *
make_temp_dir (void)
{
  g_autoptr(GError) error = NULL;
  char *dir = g_dir_make_tmp ("zimaru-export-XXXXXX", &error);

  g_assert_no_error (error);
  return dir;
}

static guint
count_entries (const char *dir)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  guint n = 0;

  g_assert_nonnull (d);
  while (g_dir_read_name (d) != NULL)
    n++;
  return n;
}

/* Runs argv; returns the exit status and captures stderr. */
static int
run (const char * const *argv, char **err_out)
{
  g_autoptr(GError) error = NULL;
  int status = -1;

  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, err_out, &status,
                &error);
  g_assert_no_error (error);
  return WIFEXITED (status) ? WEXITSTATUS (status) : -1;
}

static void
fill_rect (guint8 *bm, int x0, int y0, int x1, int y1, guint8 v)
{
  for (int y = y0; y < y1; y++)
    for (int x = x0; x < x1; x++)
      bm[y * SIZE + x] = v;
}

static void
fill_disc (guint8 *bm, double cx, double cy, double r, guint8 v)
{
  for (int y = 0; y < SIZE; y++)
    for (int x = 0; x < SIZE; x++)
      if (hypot (x + 0.5 - cx, y + 0.5 - cy) <= r)
        bm[y * SIZE + x] = v;
}

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

typedef struct {
  ZiFont      *target;
  ZiPlacement  placement;
} Fixture;

static void
fixture_setup (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;

  f->target = open_font (TARGET_FONT);
  g_assert_true (zi_placement_init (&f->placement, f->target, SIZE, ZI_DEFAULT_EM_FRACTION, &error));
  g_assert_no_error (error);
}

static void
fixture_teardown (Fixture *f, gconstpointer data)
{
  zi_font_free (f->target);
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

/* ---- the job ---- */

static gboolean
blank_and_blob_bitmaps (const gunichar *chars, guint n, guint8 *out, gboolean *available,
                        gpointer user_data, GCancellable *cancellable, GError **error)
{
  for (guint i = 0; i < n; i++)
    {
      guint8 *bm = out + (gsize) i * SIZE * SIZE;

      memset (bm, 0, SIZE * SIZE);
      switch (chars[i] % 4)
        {
        case 0: /* empty */
          break;
        case 1: /* blob */
          fill_rect (bm, 2, 2, 62, 62, 255);
          break;
        case 2: /* specks: a ring plus scattered 2×2 dots */
          fill_disc (bm, 32, 32, 20, 255);
          fill_disc (bm, 32, 32, 10, 0);
          for (int k = 0; k < 6; k++)
            fill_rect (bm, 4 + 9 * k, 58, 6 + 9 * k, 60, 255);
          break;
        default: /* skipped */
          available[i] = FALSE;
          break;
        }
    }
  return TRUE;
}

static JsonObject *
load_manifest (const char *out_dir, JsonParser *parser)
{
  g_autofree char *path = g_build_filename (out_dir, "manifest.json", NULL);
  g_autoptr(GError) error = NULL;

  g_assert_true (json_parser_load_from_file (parser, path, &error));
  g_assert_no_error (error);
  return json_node_get_object (json_parser_get_root (parser));
}

static gboolean
has_flag (JsonObject *glyph, const char *flag)
{
  JsonArray *flags = json_object_get_array_member (glyph, "flags");

  for (guint i = 0; i < json_array_get_length (flags); i++)
    if (g_strcmp0 (json_array_get_string_element (flags, i), flag) == 0)
      return TRUE;
  return FALSE;
}

static void
test_job_manifest_qa (Fixture *f, gconstpointer data)
{
  g_autofree char *dir = make_temp_dir ();
  g_autofree char *out = g_build_filename (dir, "out", NULL);
  g_autoptr(ZiExportSource) src = zi_export_source_new (SIZE, ZI_DEFAULT_EM_FRACTION, "test", blank_and_blob_bitmaps,
                                                        NULL, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  const gunichar chars[] = { 0x4E00, 0x4E01, 0x4E02, 0x4E03 };
  ZiExportOptions options;
  ZiExportSummary summary = { 0 };
  JsonObject *m;
  JsonArray *glyphs;

  zi_export_options_init (&options);
  g_assert_true (zi_export_run (src, f->target, chars, 4, out, &options, &summary, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (summary.exported, ==, 3);
  g_assert_cmpuint (summary.skipped, ==, 1);
  g_assert_cmpuint (summary.flagged, ==, 3);

  m = load_manifest (out, parser);
  glyphs = json_object_get_array_member (m, "glyphs");
  g_assert_cmpuint (json_array_get_length (glyphs), ==, 3);
  g_assert_true (has_flag (json_array_get_object_element (glyphs, 0), "empty"));
  g_assert_true (has_flag (json_array_get_object_element (glyphs, 1), "blob"));
  g_assert_false (has_flag (json_array_get_object_element (glyphs, 1), "empty"));
  g_assert_true (has_flag (json_array_get_object_element (glyphs, 2), "specks"));
  g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (glyphs, 2), "holes"), ==, 1);
  g_assert_cmpstr (json_array_get_string_element (json_object_get_array_member (m, "skipped"), 0), ==,
                   "U+4E03");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (m, "trace"), "preset"), ==,
                   "round");
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (m, "charset"), "count"), ==, 4);

  /* The files of the three exported glyphs, and none of the skipped one. */
  {
    g_autofree char *png = g_build_filename (out, "png", "uni4E01.png", NULL);
    g_autofree char *svg = g_build_filename (out, "svg", "uni4E02.svg", NULL);
    g_autofree char *skipped = g_build_filename (out, "png", "uni4E03.png", NULL);
    g_autofree char *glif = g_build_filename (out, "Zimaru-ZenMaruGothic.ufo", "glyphs", "uni4E_01.glif", NULL);
    g_autofree guint8 *pixels = NULL;
    guint w, h;

    g_assert_true (g_file_test (svg, G_FILE_TEST_IS_REGULAR));
    g_assert_true (g_file_test (glif, G_FILE_TEST_IS_REGULAR));
    g_assert_false (g_file_test (skipped, G_FILE_TEST_EXISTS));
    /* PNG: white paper, black ink. */
    pixels = zi_image_read_png (png, &w, &h, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (w, ==, SIZE);
    g_assert_cmpuint (pixels[0], ==, 255);
    g_assert_cmpuint (pixels[32 * SIZE + 32], ==, 0);
  }
  /* Nothing but the output is left in the parent. */
  g_assert_cmpuint (count_entries (dir), ==, 1);
  zi_dir_remove_tree (dir);
}

/* PNG options: resampled to another size, and black and white at the trace threshold. */
static void
test_job_png_options (Fixture *f, gconstpointer data)
{
  g_autofree char *dir = make_temp_dir ();
  g_autofree char *out = g_build_filename (dir, "out", NULL);
  g_autofree char *png = g_build_filename (out, "png", "uni53E3.png", NULL);
  g_autoptr(ZiExportSource) src = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree guint8 *pixels = NULL;
  const gunichar chars[] = { 0x53E3 };
  ZiExportOptions options;
  guint w, h, black = 0, white = 0;

  src = zi_export_source_new_font (open_font (TARGET_FONT), SIZE, ZI_DEFAULT_EM_FRACTION, &error);
  g_assert_no_error (error);
  zi_export_options_init (&options);
  options.formats = ZI_EXPORT_FORMAT_PNG;
  options.png_size = 128;
  options.png_1bit = TRUE;
  g_assert_true (zi_export_run (src, f->target, chars, 1, out, &options, NULL, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  pixels = zi_image_read_png (png, &w, &h, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (w, ==, 128);
  g_assert_cmpuint (h, ==, 128);
  for (guint i = 0; i < w * h; i++)
    {
      g_assert_true (pixels[i] == 0 || pixels[i] == 255);
      black += pixels[i] == 0;
      white += pixels[i] == 255;
    }
  /* 口 is a ring: some ink, mostly paper, and paper in its counter at the centre. */
  g_assert_cmpuint (black, >, 1000);
  g_assert_cmpuint (white, >, black);
  g_assert_cmpuint (pixels[64 * 128 + 64], ==, 255);

  /* A PNG size out of range is refused before anything is written. */
  options.png_size = 8;
  options.force = TRUE;
  g_assert_false (zi_export_run (src, f->target, chars, 1, out, &options, NULL, NULL, NULL, NULL, &error));
  g_assert_error (error, ZI_ERROR, ZI_ERROR_INVALID);
  g_assert_true (g_file_test (png, G_FILE_TEST_IS_REGULAR));
  zi_dir_remove_tree (dir);
}

typedef struct {
  GCancellable *cancellable;
  guint         calls;
} CancelData;

static void
cancel_progress_cb (guint64 done, guint64 total, gpointer user_data)
{
  CancelData *cd = user_data;

  cd->calls++;
  g_assert_cmpuint (done, <=, total);
  if (done * 2 >= total)
    g_cancellable_cancel (cd->cancellable);
}

static ZiExportSource *
font_source (const char *spec)
{
  g_autoptr(GError) error = NULL;
  ZiExportSource *src = zi_export_source_new_font (open_font (spec), SIZE, ZI_DEFAULT_EM_FRACTION, &error);

  g_assert_no_error (error);
  g_assert_nonnull (src);
  return src;
}

static GArray *
some_target_chars (Fixture *f, guint n)
{
  GArray *chars = g_array_new (FALSE, FALSE, sizeof (gunichar));

  for (gunichar c = 0x4E00; chars->len < n; c++)
    if (zi_font_has_char (f->target, c))
      g_array_append_val (chars, c);
  return chars;
}

static void
test_job_cancel (Fixture *f, gconstpointer data)
{
  g_autofree char *dir = make_temp_dir ();
  g_autofree char *out = g_build_filename (dir, "out", NULL);
  g_autoptr(ZiExportSource) src = font_source (TARGET_FONT);
  g_autoptr(GArray) chars = some_target_chars (f, 600);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  CancelData cd = { cancellable, 0 };
  ZiExportOptions options;

  zi_export_options_init (&options);
  g_assert_false (zi_export_run (src, f->target, (gunichar *) chars->data, chars->len, out, &options, NULL,
                                 cancel_progress_cb, &cd, cancellable, &error));
  g_assert_error (error, ZI_ERROR, ZI_ERROR_CANCELLED);
  g_assert_cmpuint (cd.calls, >=, 1);
  g_assert_cmpuint (cd.calls, <, 5);  /* stopped half-way, not at the end */
  g_assert_false (g_file_test (out, G_FILE_TEST_EXISTS));
  g_assert_cmpuint (count_entries (dir), ==, 0);  /* no temporary directory left */
  zi_dir_remove_tree (dir);
}

static void
test_job_output_errors (Fixture *f, gconstpointer data)
{
  g_autofree char *dir = make_temp_dir ();
  g_autofree char *missing = g_build_filename (dir, "no-such-dir", "out", NULL);
  g_autofree char *existing = g_build_filename (dir, "existing", NULL);
  g_autofree char *marker = g_build_filename (existing, "keep.txt", NULL);
  g_autofree char *ro_dir = g_build_filename (dir, "read-only", NULL);
  g_autofree char *ro_out = NULL;
  g_autoptr(ZiExportSource) src = font_source (TARGET_FONT);
  g_autoptr(GArray) chars = some_target_chars (f, 3);
  g_autoptr(GError) error = NULL;
  ZiExportOptions options;

  zi_export_options_init (&options);

  /* A missing parent. */
  g_assert_false (zi_export_run (src, f->target, (gunichar *) chars->data, chars->len, missing, &options, NULL,
                                 NULL, NULL, NULL, &error));
  g_assert_error (error, ZI_ERROR, ZI_ERROR_IO);
  g_assert_nonnull (strstr (error->message, "does not exist"));
  g_assert_nonnull (strstr (error->message, "no-such-dir"));
  g_clear_error (&error);

  /* A read-only parent (root ignores permissions, so use a read-only file system then). */
  g_assert_cmpint (g_mkdir (ro_dir, 0555), ==, 0);
  ro_out = geteuid () == 0 ? g_strdup ("/sys/zimaru-export-test") : g_build_filename (ro_dir, "out", NULL);
  g_assert_false (zi_export_run (src, f->target, (gunichar *) chars->data, chars->len, ro_out, &options, NULL,
                                 NULL, NULL, NULL, &error));
  g_assert_error (error, ZI_ERROR, ZI_ERROR_IO);
  g_test_message ("read-only parent: %s", error->message);
  g_assert_false (g_file_test (ro_out, G_FILE_TEST_EXISTS));
  g_clear_error (&error);

  /* A write that fails inside the export (a file-size limit stands in for a full disk, and works for
   * root too; SIGXFSZ ignored so that write() fails with EFBIG): the message names the folder the
   * caller chose, not the temporary one the files were being written into. */
  {
    g_autofree char *full_out = g_build_filename (dir, "full", NULL);
    struct rlimit old_limit, limit;
    void (*old_handler) (int) = signal (SIGXFSZ, SIG_IGN);
    gboolean ok;

    g_assert_cmpint (getrlimit (RLIMIT_FSIZE, &old_limit), ==, 0);
    limit = old_limit;
    limit.rlim_cur = 64;
    g_assert_cmpint (setrlimit (RLIMIT_FSIZE, &limit), ==, 0);
    ok = zi_export_run (src, f->target, (gunichar *) chars->data, chars->len, full_out, &options, NULL,
                        NULL, NULL, NULL, &error);
    g_assert_cmpint (setrlimit (RLIMIT_FSIZE, &old_limit), ==, 0);
    signal (SIGXFSZ, old_handler);
    g_assert_false (ok);
    g_assert_error (error, ZI_ERROR, ZI_ERROR_IO);
    g_test_message ("full destination: %s", error->message);
    g_assert_nonnull (strstr (error->message, full_out));
    g_assert_null (strstr (error->message, ".tmp-"));
    g_assert_false (g_file_test (full_out, G_FILE_TEST_EXISTS));
    g_assert_cmpuint (count_entries (dir), ==, 1);  /* read-only: no temporary folder left */
    g_clear_error (&error);
  }

  /* An existing output is kept without force and replaced with it. */
  g_assert_cmpint (g_mkdir (existing, 0755), ==, 0);
  g_assert_true (g_file_set_contents (marker, "keep", -1, NULL));
  g_assert_false (zi_export_run (src, f->target, (gunichar *) chars->data, chars->len, existing, &options, NULL,
                                 NULL, NULL, NULL, &error));
  g_assert_error (error, ZI_ERROR, ZI_ERROR_EXISTS);
  g_assert_true (g_file_test (marker, G_FILE_TEST_EXISTS));
  g_clear_error (&error);
  options.force = TRUE;
  g_assert_true (zi_export_run (src, f->target, (gunichar *) chars->data, chars->len, existing, &options, NULL,
                                NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_false (g_file_test (marker, G_FILE_TEST_EXISTS));
  g_assert_cmpuint (count_entries (dir), ==, 2);  /* read-only, existing: nothing else left */

  /* An empty charset and no format are errors too. */
  g_assert_false (zi_export_run (src, f->target, (gunichar *) chars->data, 0, missing, &options, NULL, NULL,
                                 NULL, NULL, &error));
  g_assert_error (error, ZI_ERROR, ZI_ERROR_CHARSET);
  g_clear_error (&error);
  options.formats = 0;
  g_assert_false (zi_export_run (src, f->target, (gunichar *) chars->data, chars->len, existing, &options,
                                 NULL, NULL, NULL, NULL, &error));
  g_assert_error (error, ZI_ERROR, ZI_ERROR_INVALID);

  g_chmod (ro_dir, 0755);
  zi_dir_remove_tree (dir);
}

typedef struct {
  GMainLoop       *loop;
  GThread         *main_thread;
  guint            progress_calls;
  guint64          last_done;
  gboolean         ok;
  ZiExportSummary  summary;
} AsyncData;

static void
async_progress_cb (guint64 done, guint64 total, gpointer user_data)
{
  AsyncData *ad = user_data;

  g_assert_true (g_thread_self () == ad->main_thread);
  g_assert_cmpuint (done, >=, ad->last_done);
  ad->last_done = done;
  ad->progress_calls++;
}

static void
async_done_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  AsyncData *ad = user_data;
  g_autoptr(GError) error = NULL;

  ad->ok = zi_export_run_finish (result, &ad->summary, &error);
  g_assert_no_error (error);
  g_main_loop_quit (ad->loop);
}

static void
test_job_async (Fixture *f, gconstpointer data)
{
  g_autofree char *dir = make_temp_dir ();
  g_autofree char *out = g_build_filename (dir, "out", NULL);
  g_autoptr(GArray) chars = some_target_chars (f, 300);
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  AsyncData ad = { loop, g_thread_self (), 0, 0, FALSE, { 0 } };
  ZiExportOptions options;

  zi_export_options_init (&options);
  options.formats = ZI_EXPORT_FORMAT_SVG;
  zi_export_run_async (font_source (TARGET_FONT), open_font (TARGET_FONT), (gunichar *) chars->data,
                       chars->len, out, &options, async_progress_cb, &ad, NULL, async_done_cb, &ad);
  g_main_loop_run (loop);
  g_assert_true (ad.ok);
  g_assert_cmpuint (ad.summary.exported, ==, 300);
  g_assert_cmpuint (ad.progress_calls, >=, 1);
  g_assert_cmpuint (ad.last_done, ==, 300);
  {
    g_autofree char *svg_dir = g_build_filename (out, "svg", NULL);
    g_assert_cmpuint (count_entries (svg_dir), ==, 300);
  }
  zi_dir_remove_tree (dir);
}

typedef struct {
  GMainLoop    *loop;
  GCancellable *cancellable;
  GError       *error;
} AsyncCancelData;

static void
async_cancel_progress_cb (guint64 done, guint64 total, gpointer user_data)
{
  AsyncCancelData *ad = user_data;

  g_cancellable_cancel (ad->cancellable);
}

static void
async_cancel_done_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  AsyncCancelData *ad = user_data;

  g_assert_false (zi_export_run_finish (result, NULL, &ad->error));
  g_main_loop_quit (ad->loop);
}

/* The GUI's path: cancelling the task gives ZI_ERROR_CANCELLED and leaves nothing behind. */
static void
test_job_async_cancel (Fixture *f, gconstpointer data)
{
  g_autofree char *dir = make_temp_dir ();
  g_autofree char *out = g_build_filename (dir, "out", NULL);
  g_autoptr(GArray) chars = some_target_chars (f, 600);
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  AsyncCancelData ad = { loop, cancellable, NULL };
  ZiExportOptions options;

  zi_export_options_init (&options);
  zi_export_run_async (font_source (TARGET_FONT), open_font (TARGET_FONT), (gunichar *) chars->data,
                       chars->len, out, &options, async_cancel_progress_cb, &ad, cancellable,
                       async_cancel_done_cb, &ad);
  g_main_loop_run (loop);
  g_assert_error (ad.error, ZI_ERROR, ZI_ERROR_CANCELLED);
  g_assert_nonnull (strstr (ad.error->message, out));
  g_clear_error (&ad.error);
  g_assert_cmpuint (count_entries (dir), ==, 0);
  zi_dir_remove_tree (dir);
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

/* ---- picks ---- */

static void
test_picks_roundtrip (void)
{
  g_autofree char *dir = make_temp_dir ();
  g_autoptr(ZiPicks) picks = zi_picks_new ();
  g_autoptr(ZiPicks) back = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) chars = NULL;

  g_assert_true (zi_picks_set (picks, 0x6C38, "step-00001000.zck"));
  g_assert_true (zi_picks_set (picks, 0x20000, "step-00002000.zck"));
  g_assert_true (zi_picks_set (picks, 0x53E3, "step-00001000.zck"));
  g_assert_true (zi_picks_set (picks, 0x53E3, "step-00003000.zck"));  /* replaces */
  g_assert_false (zi_picks_set (picks, 0x4E00, "../../etc/passwd"));
  g_assert_false (zi_picks_set (picks, 0x4E00, ".hidden"));
  g_assert_false (zi_picks_set (picks, 0x4E00, ""));
  g_assert_false (zi_picks_set (picks, 0xD800, "step-1.zck"));
  zi_picks_unset (picks, 0x6C38);
  zi_picks_set (picks, 0x6C38, "step-00004000.zck");
  g_assert_cmpuint (zi_picks_get_count (picks), ==, 3);

  g_assert_true (zi_picks_save (picks, dir, &error));
  g_assert_no_error (error);
  back = zi_picks_load (dir, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (zi_picks_get_count (back), ==, 3);
  g_assert_cmpstr (zi_picks_get (back, 0x53E3), ==, "step-00003000.zck");
  g_assert_cmpstr (zi_picks_get (back, 0x20000), ==, "step-00002000.zck");
  g_assert_cmpstr (zi_picks_get (back, 0x6C38), ==, "step-00004000.zck");
  g_assert_null (zi_picks_get (back, 0x4E00));
  chars = zi_picks_get_chars (back);
  g_assert_cmpuint (g_array_index (chars, gunichar, 0), ==, 0x53E3);
  g_assert_cmpuint (g_array_index (chars, gunichar, 2), ==, 0x20000);
  zi_dir_remove_tree (dir);

  /* A run without picks.json has no picks. */
  {
    g_autofree char *empty = make_temp_dir ();
    g_autoptr(ZiPicks) none = zi_picks_load (empty, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (zi_picks_get_count (none), ==, 0);
    zi_dir_remove_tree (empty);
  }
}

static void
test_picks_invalid (void)
{
  const char *bad[] = {
    "",
    "not json",
    "[1, 2]",
    "{\"picks\": {}}",
    "{\"format\": 2, \"picks\": {}}",
    "{\"format\": 1}",
    "{\"format\": 1, \"picks\": []}",
    "{\"format\": 1, \"picks\": {\"ab\": \"step-1.zck\"}}",
    "{\"format\": 1, \"picks\": {\"永\": 5}}",
    "{\"format\": 1, \"picks\": {\"永\": \"../x.zck\"}}",
    "{\"format\": 1, \"picks\": {\"永\": \"a/b\"}}",
    "{\"format\": 1, \"picks\": {\"\": \"x.zck\"}}",
    "{\"format\": \"1\", \"picks\": {}}",
    /* Two objects: JSON-GLib would read the first (and leak the second). */
    "{\"format\": 1, \"picks\": {\"永\": \"step-1.zck\"}}\n{\"format\": 1, \"picks\": {}}\n",
  };
  g_autofree char *dir = make_temp_dir ();
  g_autofree char *path = g_build_filename (dir, ZI_PICKS_FILE_NAME, NULL);

  for (gsize i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(ZiPicks) picks = NULL;

      g_assert_true (g_file_set_contents (path, bad[i], -1, NULL));
      picks = zi_picks_load (dir, &error);
      g_assert_null (picks);
      g_assert_error (error, ZI_ERROR, ZI_ERROR_RUN);
      g_assert_nonnull (strstr (error->message, path));
    }
  zi_dir_remove_tree (dir);
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

/* ---- the CLI ---- */

typedef struct {
  int   status;
  char *out;
  char *err;
} CliResult;

static void
cli_result_clear (CliResult *r)
{
  g_free (r->out);
  g_free (r->err);
}

/* Runs $ZIMARU_CLI with the arguments (NULL-terminated). */
static CliResult
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
  return r;
}

/* One line on stderr starting "zimaru-cli: error:" that contains what. */
static void
assert_error_line (const CliResult *r, const char *what)
{
  g_test_message ("stderr: %s", r->err);
  g_assert_true (g_str_has_prefix (r->err, "zimaru-cli: error: "));
  g_assert_nonnull (strstr (r->err, what));
  g_assert_cmpint (strchr (r->err, '\n') - r->err, ==, (int) strlen (r->err) - 1);
}

static void
test_cli_render_font (void)
{
  g_autofree char *dir = make_temp_dir ();
  g_autofree char *out = g_build_filename (dir, "out", NULL);
  g_autofree char *png = g_build_filename (out, "png", "uni6C38.png", NULL);
  g_autofree char *svg = g_build_filename (out, "svg", "uni53E3.svg", NULL);
  g_autofree char *ufo = g_build_filename (out, "Zimaru-ZenMaruGothic.ufo", NULL);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  CliResult r = cli ("export", "--render-font", TARGET_FONT, "--chars-text", "永口", "--out", out,
                     "--format", "svg,png", "--trace-preset", "square", "--json", NULL);
  JsonObject *o;

  g_test_message ("stderr: %s", r.err);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_true (json_parser_load_from_data (parser, r.out, -1, &error));
  o = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpint (json_object_get_int_member (o, "exported"), ==, 2);
  g_assert_true (g_file_test (png, G_FILE_TEST_IS_REGULAR));
  g_assert_true (g_file_test (svg, G_FILE_TEST_IS_REGULAR));
  g_assert_false (g_file_test (ufo, G_FILE_TEST_EXISTS));  /* not asked for */
  {
    g_autoptr(JsonParser) mp = json_parser_new ();
    JsonObject *m = load_manifest (out, mp);
    g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (m, "trace"), "preset"), ==,
                     "square");
  }
  cli_result_clear (&r);

  /* Existing output: exit 1 without --force, replaced with it. */
  r = cli ("export", "--render-font", TARGET_FONT, "--chars-text", "永", "--out", out, NULL);
  g_assert_cmpint (r.status, ==, 1);
  assert_error_line (&r, "already exists");
  cli_result_clear (&r);
  r = cli ("export", "--render-font", TARGET_FONT, "--chars-text", "永", "--out", out, "--force", "--quiet", NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_false (g_file_test (svg, G_FILE_TEST_EXISTS));  /* the old set is gone */
  cli_result_clear (&r);
  zi_dir_remove_tree (dir);
}

static void
test_cli_usage_errors (void)
{
  const struct { const char *args[8]; int status; const char *what; } cases[] = {
    { { "export", "--render-font", TARGET_FONT, "--out", "x", "--format", "png,gif" }, 2, "--format" },
    { { "export", "--render-font", TARGET_FONT, "--out", "x", "--threshold", "0" }, 2, "--threshold" },
    { { "export", "--render-font", TARGET_FONT, "--out", "x", "--trace-preset", "soft" }, 2, "--trace-preset" },
    { { "export", "--render-font", TARGET_FONT, "--out", "x", "--upsample", "9" }, 2, "--upsample" },
    { { "export", "--render-font", TARGET_FONT, "--out", "x", "--smooth", "3" }, 2, "--smooth" },
    { { "export", "--render-font", TARGET_FONT }, 2, "--out" },
    { { "export", "--out", "x" }, 2, "--checkpoint" },
    { { "export", "--out", "x", "--bogus" }, 2, "bogus" },
    { { "export", "--checkpoint", "/nonexistent/ckpt.zck", "--chars-text", "永", "--out", "x" }, 1, "/nonexistent" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      const char *const *a = cases[i].args;
      CliResult r = cli (a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7], NULL);

      g_assert_cmpint (r.status, ==, cases[i].status);
      assert_error_line (&r, cases[i].what);
      cli_result_clear (&r);
    }
}

/* A tiny model trained by the CLI, exported from its checkpoint and with per-glyph picks. */
static void
test_cli_checkpoint_and_picks (void)
{
  g_autofree char *dir = make_temp_dir ();
  g_autofree char *run_dir = g_build_filename (dir, "run", NULL);
  g_autofree char *out = g_build_filename (dir, "out", NULL);
  g_autofree char *out2 = g_build_filename (dir, "out2", NULL);
  g_autofree char *out3 = g_build_filename (dir, "out3", NULL);
  g_autoptr(GArray) steps = NULL;
  g_autoptr(ZiPicks) picks = zi_picks_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *first = NULL;
  CliResult r;

  r = cli ("train", "--chars-text", "永口回品圓一二三", "--run", run_dir, "--steps", "2", "--size", "32",
           "--ngf", "8", "--batch", "2", "--checkpoint-every", "1", "--quiet", NULL);
  g_test_message ("train stderr: %s", r.err);
  g_assert_cmpint (r.status, ==, 0);
  cli_result_clear (&r);

  /* From the run's newest checkpoint. */
  r = cli ("export", "--checkpoint", run_dir, "--chars-text", "丂丄", "--out", out, "--quiet", NULL);
  g_test_message ("export stderr: %s", r.err);
  g_assert_cmpint (r.status, ==, 0);
  cli_result_clear (&r);
  {
    g_autoptr(JsonParser) mp = json_parser_new ();
    JsonObject *m = load_manifest (out, mp);
    JsonArray *ck = json_object_get_array_member (m, "checkpoints");

    g_assert_cmpuint (json_array_get_length (ck), ==, 1);
    g_assert_cmpint (json_object_get_int_member (m, "size"), ==, 32);
    g_assert_cmpuint (json_array_get_length (json_object_get_array_member (m, "glyphs")), ==, 2);
  }

  /* With a pick: 丂 from the first checkpoint, 丄 from the default one. */
  steps = zi_run_list_checkpoints (run_dir);
  g_assert_cmpuint (steps->len, >=, 1);
  first = g_strdup_printf ("step-%08" G_GUINT64_FORMAT "." ZI_RUN_CHECKPOINT_EXT, g_array_index (steps, guint64, 0));
  g_assert_true (zi_picks_set (picks, 0x4E02, first));
  g_assert_true (zi_picks_save (picks, run_dir, &error));
  g_assert_no_error (error);
  r = cli ("export", "--picks", run_dir, "--chars-text", "丂丄", "--out", out2, "--quiet", NULL);
  g_test_message ("export --picks stderr: %s", r.err);
  g_assert_cmpint (r.status, ==, 0);
  cli_result_clear (&r);
  {
    g_autoptr(JsonParser) mp = json_parser_new ();
    JsonObject *m = load_manifest (out2, mp);
    JsonArray *glyphs = json_object_get_array_member (m, "glyphs");

    g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (glyphs, 0), "checkpoint"),
                     ==, first);
  }

  /* A pick of a checkpoint that is gone fails before writing anything. */
  g_assert_true (zi_picks_set (picks, 0x4E04, "step-99999999.zck"));
  g_assert_true (zi_picks_save (picks, run_dir, &error));
  r = cli ("export", "--picks", run_dir, "--chars-text", "丂丄", "--out", out3, NULL);
  g_assert_cmpint (r.status, ==, 1);
  assert_error_line (&r, "step-99999999.zck");
  g_assert_false (g_file_test (out3, G_FILE_TEST_EXISTS));
  cli_result_clear (&r);
  zi_dir_remove_tree (dir);
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
  g_test_add ("/export/trace/empty-invalid", Fixture, NULL, fixture_setup, test_trace_empty_and_invalid,
              fixture_teardown);
  g_test_add ("/export/svg/document", Fixture, NULL, fixture_setup, test_svg_document, fixture_teardown);
  g_test_add ("/export/svg/roundtrip", Fixture, NULL, fixture_setup, test_svg_roundtrip, fixture_teardown);
  g_test_add ("/export/xml/random", Fixture, NULL, fixture_setup, test_xml_random, fixture_teardown);
  g_test_add ("/export/job/manifest-qa", Fixture, NULL, fixture_setup, test_job_manifest_qa, fixture_teardown);
  g_test_add ("/export/job/png-options", Fixture, NULL, fixture_setup, test_job_png_options, fixture_teardown);
  g_test_add ("/export/job/cancel", Fixture, NULL, fixture_setup, test_job_cancel, fixture_teardown);
  g_test_add ("/export/job/output-errors", Fixture, NULL, fixture_setup, test_job_output_errors,
              fixture_teardown);
  g_test_add ("/export/job/async", Fixture, NULL, fixture_setup, test_job_async, fixture_teardown);
  g_test_add ("/export/job/async-cancel", Fixture, NULL, fixture_setup, test_job_async_cancel, fixture_teardown);
  g_test_add ("/export/ufo/fontmake", Fixture, NULL, fixture_setup, test_ufo_fontmake, fixture_teardown);
  g_test_add_func ("/export/picks/roundtrip", test_picks_roundtrip);
  g_test_add_func ("/export/picks/invalid", test_picks_invalid);
  g_test_add_func ("/export/cli/render-font", test_cli_render_font);
  g_test_add_func ("/export/cli/usage-errors", test_cli_usage_errors);
  g_test_add_func ("/export/cli/checkpoint-picks", test_cli_checkpoint_and_picks);

  return g_test_run ();
}
