/* test-interp.c — interpolation-compatible masters (zi-interp.h) and the family export that writes
 * them: a rounded ring traced at two stroke widths comes out with one structure and each within the
 * tolerance of its own tracing, shapes whose contours differ fall back, and Zen Maru Gothic's own
 * Light, Regular and Bold renderings exported as a family give masters from which fontmake builds a
 * variable font and on whose compatible glyphs fontTools' interpolatable check finds nothing. */
#include "config.h"
#include "export-test-util.h"
#include "zi-charset.h"
#include "zi-fileutil.h"
#include "zi-interp.h"
#include "zi-outline-metric.h"
#include "zi-trace.h"
#include "zi-ufo.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define FONT_DIR "/usr/local/share/fonts/zen-maru-gothic/"
#define RING_SIZE 128

/* Signed distance from (x, y) to a rectangle of half sides hx, hy about (cx, cy) with corners
 * rounded by r (negative inside). */
static double
round_rect_distance (double x, double y, double cx, double cy, double hx, double hy, double r)
{
  double qx = fabs (x - cx) - (hx - r), qy = fabs (y - cy) - (hy - r);

  return hypot (MAX (qx, 0), MAX (qy, 0)) + MIN (MAX (qx, qy), 0) - r;
}

/* A RING_SIZE bitmap of a rounded square ring whose stroke is width pixels wide (outer half side
 * 40 px, corner radius 16 px), or the filled square when width is 0; 4 × 4 samples a pixel. */
static guint8 *
ring_bitmap (double width)
{
  guint8 *bm = g_malloc0 (RING_SIZE * RING_SIZE);
  double c = RING_SIZE / 2.0;

  for (int y = 0; y < RING_SIZE; y++)
    for (int x = 0; x < RING_SIZE; x++)
      {
        int in = 0;

        for (int sy = 0; sy < 4; sy++)
          for (int sx = 0; sx < 4; sx++)
            {
              double px = x + (sx + 0.5) / 4, py = y + (sy + 0.5) / 4;
              gboolean outer = round_rect_distance (px, py, c, c, 40, 40, 16) < 0;
              gboolean inner = width > 0
                               && round_rect_distance (px, py, c, c, 40 - width, 40 - width,
                                                       MAX (16 - width, 2)) < 0;

              in += outer && !inner;
            }
        bm[y * RING_SIZE + x] = (guint8) (in * 255 / 16);
      }
  return bm;
}

static ZiOutline *
trace_ring (ZiFont *font, double width)
{
  g_autofree guint8 *bm = ring_bitmap (width);
  g_autoptr(GError) error = NULL;
  ZiPlacement placement;
  ZiTraceParams params;
  ZiOutline *o;

  g_assert_true (zi_placement_init (&placement, font, RING_SIZE, ZI_DEFAULT_EM_FRACTION, &error));
  zi_trace_params_init (&params, ZI_TRACE_PRESET_ROUND);
  o = zi_trace_bitmap (bm, RING_SIZE, &placement, &params, &error);
  g_assert_no_error (error);
  return o;
}

static void
assert_within (const ZiOutline *compat, const ZiOutline *own, int upm)
{
  ZiOutlineMetric m = { 0 };

  zi_outline_metric_measure (&m, compat, own, upm);
  g_test_message ("against its own tracing: mean %.2f, p95 %.2f", m.mean_distance, m.p95);
  g_assert_cmpfloat (m.mean_distance, <=, ZI_INTERP_MAX_MEAN);
  g_assert_cmpfloat (m.p95, <=, ZI_INTERP_MAX_P95);
  zi_outline_metric_clear (&m);
}

static void
test_ring (void)
{
  ZiFont *font = open_font ("Zen Maru Gothic");
  int upm = zi_font_get_units_per_em (font);
  ZiOutline *traced[3] = { trace_ring (font, 6), trace_ring (font, 15), trace_ring (font, 0) };
  ZiOutline *out[2] = { NULL, NULL };
  ZiInterpReport report;
  guint points = 0;

  /* The two rings: an outer contour and a hole each. */
  g_assert_cmpuint (traced[0]->n_contours, ==, 2);
  g_assert_cmpuint (traced[1]->n_contours, ==, 2);
  g_assert_cmpint (zi_interp_make_compatible (traced, 2, upm, out, &report), ==, ZI_INTERP_COMPATIBLE);
  g_assert_nonnull (out[0]);
  g_assert_nonnull (out[1]);
  g_assert_true (zi_interp_same_structure (out[0], out[1]));
  for (guint k = 0; k < 2; k++)
    {
      /* The same direction: the outer contour counter-clockwise, the hole clockwise, in both. */
      g_assert_cmpint (out[0]->contours[k].hole, ==, out[1]->contours[k].hole);
      g_assert_cmpint (out[0]->contours[k].area > 0, ==, !out[0]->contours[k].hole);
      g_assert_cmpint (out[1]->contours[k].area > 0, ==, !out[1]->contours[k].hole);
      points += out[0]->contours[k].n_segments;
    }
  /* A rounded square has at least its four extrema on each contour. */
  g_assert_cmpuint (points, >=, 8);
  assert_within (out[0], traced[0], upm);
  assert_within (out[1], traced[1], upm);
  /* The strokes differ, so the masters differ: the hole of the thicker ring is smaller. */
  g_assert_cmpfloat (fabs (out[1]->contours[out[1]->contours[0].hole ? 0 : 1].area), <,
                     0.8 * fabs (out[0]->contours[out[0]->contours[0].hole ? 0 : 1].area));
  zi_outline_free (out[0]);
  zi_outline_free (out[1]);

  /* A ring and a filled square: two contours against one. */
  {
    ZiOutline *pair[2] = { traced[0], traced[2] };

    g_assert_cmpuint (traced[2]->n_contours, ==, 1);
    out[0] = out[1] = (ZiOutline *) &report;
    g_assert_cmpint (zi_interp_make_compatible (pair, 2, upm, out, &report), ==, ZI_INTERP_CONTOURS);
    g_assert_null (out[0]);
    g_assert_null (out[1]);
  }
  /* A glyph empty in one style cannot be made compatible with one that is not... */
  {
    ZiOutline empty = { 0 };
    ZiOutline *pair[2] = { traced[0], &empty };

    g_assert_cmpint (zi_interp_make_compatible (pair, 2, upm, out, NULL), ==, ZI_INTERP_EMPTY);
    g_assert_null (out[0]);
    /* ...but a glyph empty in every style is (a space has nothing to vary). */
    pair[0] = &empty;
    g_assert_cmpint (zi_interp_make_compatible (pair, 2, upm, out, NULL), ==, ZI_INTERP_COMPATIBLE);
    g_assert_cmpuint (out[0]->n_contours, ==, 0);
    g_assert_cmpuint (out[1]->n_contours, ==, 0);
    zi_outline_free (out[0]);
    zi_outline_free (out[1]);
  }
  for (guint i = 0; i < 3; i++)
    zi_outline_free (traced[i]);
  zi_font_free (font);
}

/* The structure of one .glif as text: its contours' point types in order ("|" between contours). */
static char *
glif_structure (const char *path)
{
  g_autofree char *text = NULL;
  GString *out = g_string_new (NULL);

  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  for (const char *p = text; (p = strstr (p, "<")) != NULL; p++)
    {
      if (g_str_has_prefix (p, "<contour"))
        g_string_append_c (out, '|');
      else if (g_str_has_prefix (p, "<point"))
        {
          const char *end = strchr (p, '>');
          const char *type = g_strstr_len (p, end - p, "type=\"");

          g_string_append_c (out, type == NULL ? 'o' : type[6]);
        }
    }
  return g_string_free (out, FALSE);
}

/* The problems fontTools' interpolatable check finds in the glyphs names of the masters ufos. (Its
 * --json output fails on some problems in fontTools 4.38, so a script counts them.) */
static int
count_problems (GPtrArray *ufos, GPtrArray *names)
{
  static const char script[] =
    "import sys\n"
    "from fontTools.ufoLib import UFOReader\n"
    "from fontTools.varLib.interpolatable import test\n"
    "ufos = sys.argv[1].split('|')\n"
    "problems = test([UFOReader(u).getGlyphSet() for u in ufos], glyphs=sys.argv[2].split(','), "
    "names=ufos)\n"
    "for glyph, found in problems.items():\n"
    "    print(glyph, [p['type'] for p in found], file=sys.stderr)\n"
    "print(sum(len(found) for found in problems.values()))\n";
  g_autofree char *paths = NULL;
  g_autofree char *list = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(GError) error = NULL;
  int status = -1;

  g_ptr_array_add (ufos, NULL);
  g_ptr_array_add (names, NULL);
  paths = g_strjoinv ("|", (char **) ufos->pdata);
  list = g_strjoinv (",", (char **) names->pdata);
  g_ptr_array_remove_index (ufos, ufos->len - 1);
  g_ptr_array_remove_index (names, names->len - 1);
  {
    const char *argv[] = { "/usr/bin/python3", "-c", script, paths, list, NULL };

    g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, &err,
                                 &status, &error));
  }
  g_assert_no_error (error);
  g_test_message ("interpolatable on %s: %s%s", list, err, out);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  return atoi (out);
}

static const struct { const char *name, *file; guint weight; } faces[] = {
  { "Light", FONT_DIR "ZenMaruGothic_300Light.ttf", 300 },
  { "Regular", FONT_DIR "ZenMaruGothic_400Regular.ttf", 400 },
  { "Bold", FONT_DIR "ZenMaruGothic_700Bold.ttf", 700 },
};

static void
test_family_fonts (void)
{
  static const char text[] = "永口国日一田中山";
  g_autofree char *dir = make_temp_dir ();
  g_autofree char *out = g_build_filename (dir, "family", NULL);
  g_autofree char *variable = g_build_filename (out, "Zimaru-ZenMaruGothic-Variable.designspace", NULL);
  g_autofree char *vf_dir = g_build_filename (dir, "vf", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) compatible = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) ufos = g_ptr_array_new_with_free_func (g_free);
  ZiExportStyle *styles = g_new0 (ZiExportStyle, G_N_ELEMENTS (faces));
  g_autofree gunichar *chars = NULL;
  ZiExportOptions options;
  ZiExportSummary summary = { 0 };
  glong n = 0;
  guint listed = 0;

  chars = g_utf8_to_ucs4 (text, -1, NULL, &n, NULL);
  for (guint i = 0; i < G_N_ELEMENTS (faces); i++)
    {
      styles[i].name = g_strdup (faces[i].name);
      styles[i].weight_class = faces[i].weight;
      styles[i].source = font_source (faces[i].file);
      styles[i].target = open_font (faces[i].file);
      g_ptr_array_add (ufos, g_strdup_printf ("%s/%s/Zimaru-ZenMaruGothic-%s.ufo", out, faces[i].name,
                                              faces[i].name));
    }
  zi_export_options_init (&options);
  options.formats = ZI_EXPORT_FORMAT_UFO;
  options.n_threads = 1;
  g_assert_true (zi_export_family_run (styles, G_N_ELEMENTS (faces), chars, n, out, &options, &summary,
                                       NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  g_test_message ("%u of %ld glyphs compatible", summary.compatible, n);
  g_assert_cmpuint (summary.compatible, >=, 2);
  g_assert_cmpuint (summary.compatible, <=, n);
  g_assert_true (g_file_test (variable, G_FILE_TEST_IS_REGULAR));

  /* Each manifest says, per glyph, what became of it, and the share. */
  for (guint i = 0; i < G_N_ELEMENTS (faces); i++)
    {
      g_autofree char *style_dir = g_build_filename (out, faces[i].name, NULL);
      g_autoptr(JsonParser) parser = json_parser_new ();
      JsonObject *root = load_manifest (style_dir, parser);
      JsonObject *interp = json_object_get_object_member (root, "interpolation");
      JsonArray *glyphs = json_object_get_array_member (root, "glyphs");
      guint k = 0;

      g_assert_nonnull (interp);
      g_assert_cmpint (json_object_get_int_member (interp, "compatible"), ==, summary.compatible);
      g_assert_cmpint (json_object_get_int_member (interp, "glyphs"), ==, n);
      g_assert_cmpstr (json_object_get_string_member (interp, "designspace"), ==,
                       "Zimaru-ZenMaruGothic-Variable.designspace");
      for (guint j = 0; j < json_array_get_length (glyphs); j++)
        {
          JsonObject *g = json_array_get_object_element (glyphs, j);
          const char *result = json_object_get_string_member (g, "interpolation");

          g_assert_nonnull (result);
          if (strcmp (result, "compatible") == 0)
            {
              k++;
              g_assert_true (json_object_has_member (g, "reference"));
              if (i == 0)
                g_ptr_array_add (compatible, g_strdup (json_object_get_string_member (g, "name")));
            }
        }
      g_assert_cmpuint (k, ==, summary.compatible);
    }

  /* A compatible glyph has the same points, in the same order, in every master. */
  for (guint j = 0; j < compatible->len; j++)
    {
      g_autofree char *file = zi_ufo_glyph_file_name (g_ptr_array_index (compatible, j));
      g_autofree char *first = NULL;

      for (guint i = 0; i < G_N_ELEMENTS (faces); i++)
        {
          g_autofree char *path = g_build_filename (g_ptr_array_index (ufos, i), "glyphs", file, NULL);
          g_autofree char *structure = glif_structure (path);

          if (i == 0)
            first = g_steal_pointer (&structure);
          else
            g_assert_cmpstr (structure, ==, first);
        }
    }

  /* The variable designspace keeps the others out of the variable font. */
  {
    g_autofree char *xml = NULL;

    g_assert_true (g_file_get_contents (variable, &xml, NULL, NULL));
    for (glong j = 0; j < n; j++)
      {
        g_autofree char *name = zi_glyph_name_for_char (chars[j]);
        g_autofree char *entry = g_strdup_printf ("<string>%s</string>", name);
        gboolean is_compatible = FALSE;

        for (guint k = 0; k < compatible->len; k++)
          is_compatible |= strcmp (g_ptr_array_index (compatible, k), name) == 0;
        g_assert_cmpint (strstr (xml, entry) != NULL, ==, !is_compatible);
        listed += !is_compatible;
      }
    g_assert_cmpuint (listed + compatible->len, ==, n);
  }

  /* fontmake builds the variable font. */
  {
    const char *argv[] = { "fontmake", "-m", variable, "-o", "variable", "--output-dir", vf_dir, NULL };
    g_autofree char *err = NULL;
    int status = run (argv, &err);

    if (status != 0)
      g_test_message ("fontmake: %s", err);
    g_assert_cmpint (status, ==, 0);
    g_assert_cmpuint (count_entries (vf_dir), ==, 1);
  }

  /* fontTools' interpolatable check finds nothing wrong with the compatible glyphs of the masters,
   * and something with the others (the check can fail); and nothing in the variable font. */
  {
    g_autoptr(GPtrArray) others = g_ptr_array_new_with_free_func (g_free);
    g_autofree char *vf = g_build_filename (vf_dir, "Zimaru-ZenMaruGothic-Variable-VF.ttf", NULL);
    const char *argv[] = { "/usr/bin/python3", "-m", "fontTools.varLib.interpolatable", vf, NULL };

    for (glong j = 0; j < n; j++)
      {
        g_autofree char *name = zi_glyph_name_for_char (chars[j]);

        if (!g_ptr_array_find_with_equal_func (compatible, name, g_str_equal, NULL))
          g_ptr_array_add (others, g_steal_pointer (&name));
      }
    g_assert_cmpint (count_problems (ufos, compatible), ==, 0);
    if (others->len > 0)
      g_assert_cmpint (count_problems (ufos, others), >, 0);
    g_assert_cmpint (run (argv, NULL), ==, 0);
  }
  zi_dir_remove_tree (dir);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/export/interp/ring", test_ring);
  g_test_add_func ("/export/interp/family-fonts", test_family_fonts);
  return g_test_run ();
}
