/* test-outline-metric.c — tests of the outline measures (zi-outline-metric.h) on shapes whose answers
 * can be worked out by hand (squares, an L, a circle), of the font's own outlines (zi_font_char_outline:
 * implied on-curve points and winding, checked against FreeType's raw points), and of
 * `zimaru-cli eval --outlines --json` on a tiny trained run. */
#include "config.h"
#include "zi-fileutil.h"
#include "zi-font.h"
#include "zi-outline-metric.h"

#include <ft2build.h>
#include FT_FREETYPE_H
#include FT_BBOX_H
#include <json-glib/json-glib.h>
#include <math.h>
#include <string.h>

#define ZEN_MARU_TTF "/usr/local/share/fonts/zen-maru-gothic/ZenMaruGothic_400Regular.ttf"
#define SOURCE_FONT  "Noto Sans CJK TC"
#define UPM          1000

/* ---- shapes ---- */

static void
add_contour (ZiOutline *o, const ZiSegment *segs, guint n)
{
  ZiContour *c;

  o->contours = g_renew (ZiContour, o->contours, o->n_contours + 1);
  c = &o->contours[o->n_contours++];
  memset (c, 0, sizeof *c);
  c->n_segments = n;
  c->segments = g_memdup2 (segs, n * sizeof (ZiSegment));
  c->area = zi_contour_signed_area (c);
  c->hole = c->area < 0;
  zi_outline_update_bbox (o);
}

/* A polygon of n corners (x, y pairs), counter-clockwise for an outer contour. */
static void
add_polygon (ZiOutline *o, const double *xy, guint n)
{
  g_autofree ZiSegment *segs = g_new0 (ZiSegment, n);

  for (guint i = 0; i < n; i++)
    {
      segs[i].kind = ZI_SEGMENT_LINE;
      segs[i].p.x = xy[2 * i];
      segs[i].p.y = xy[2 * i + 1];
    }
  add_contour (o, segs, n);
}

static ZiOutline *
square (double x, double y, double side)
{
  const double xy[] = { x, y, x + side, y, x + side, y + side, x, y + side };
  ZiOutline *o = g_new0 (ZiOutline, 1);

  add_polygon (o, xy, 4);
  return o;
}

/* A circle of four cubics, counter-clockwise, control arms k·r with k = 4/3 (√2 − 1) (the usual
 * quarter-circle approximation, within 0.03% of the radius). */
static ZiOutline *
circle (double cx, double cy, double r)
{
  const double k = 4.0 / 3.0 * (G_SQRT2 - 1) * r;
  ZiSegment segs[4] = { { 0 } };
  ZiOutline *o = g_new0 (ZiOutline, 1);

  for (int i = 0; i < 4; i++)
    {
      double a0 = i * G_PI / 2, a1 = (i + 1) * G_PI / 2;

      segs[i].kind = ZI_SEGMENT_CUBIC;
      segs[i].c1.x = cx + r * cos (a0) - k * sin (a0);
      segs[i].c1.y = cy + r * sin (a0) + k * cos (a0);
      segs[i].c2.x = cx + r * cos (a1) + k * sin (a1);
      segs[i].c2.y = cy + r * sin (a1) - k * cos (a1);
      segs[i].p.x = cx + r * cos (a1);
      segs[i].p.y = cy + r * sin (a1);
    }
  add_contour (o, segs, 4);
  return o;
}

static ZiOutline *
font_outline (ZiFont *font, gunichar c)
{
  g_autoptr(GError) error = NULL;
  ZiOutline *o = zi_font_char_outline (font, c, &error);

  g_assert_no_error (error);
  g_assert_nonnull (o);
  return o;
}

static ZiFont *
open_font (const char *spec)
{
  g_autoptr(GError) error = NULL;
  ZiFont *font = zi_font_open (spec, &error);

  g_assert_no_error (error);
  return font;
}

/* ---- measures ---- */

/* A glyph against itself: every measure at its best. */
static void
test_self (void)
{
  ZiFont *font = open_font (ZEN_MARU_TTF);
  g_autoptr(ZiOutline) o = font_outline (font, 0x6C38);  /* 永 */
  int upm = zi_font_get_units_per_em (font);
  ZiOutlineMetric m;

  zi_outline_metric_measure (&m, o, o, upm);
  g_assert_cmpfloat (m.iou, ==, 1.0);
  g_assert_cmpfloat (m.mean_distance, <, 1e-6);
  g_assert_cmpfloat (m.p95, <, 1e-6);
  g_assert_cmpuint (m.n_distances, >, 1000);  /* a stroke glyph of 1000 units: thousands of samples */
  g_assert_cmpfloat (zi_outline_metric_on_curve_ratio (&m), ==, 1.0);
  g_assert_true (zi_outline_metric_contour_match (&m));
  g_assert_cmpfloat (m.wobble, ==, m.target_wobble);
  g_assert_cmpfloat (m.wobble, >, 1.0);  /* 永 has concave turns */
  g_assert_cmpfloat (zi_outline_metric_straight_share (&m), ==, zi_outline_metric_target_straight_share (&m));
  zi_outline_metric_clear (&m);
  zi_font_free (font);
}

/* A square of side s against a copy shifted by d along x (d < s/2). Glyph → copy, per edge:
 * the left edge is d from the copy's left edge everywhere (integral s·d); the right edge lies inside
 * the copy, min(d, y, s − y) from its right, bottom and top edges (s·d − d²); the top and bottom edges
 * run along the copy's from x = d on and are d − x away before (d²/2 each). That is 2·s·d over a
 * perimeter of 4·s: a mean of d/2, the same way back; and more than 5% of the samples (the two vertical
 * edges, half of them) sit at exactly d, the largest distance, so the 95th percentile is d. */
static void
test_shifted_square (void)
{
  const double s = 600, d = 20;
  g_autoptr(ZiOutline) a = square (0, 0, s);
  g_autoptr(ZiOutline) b = square (d, 0, s);
  ZiOutlineMetric m;

  zi_outline_metric_measure (&m, a, b, UPM);
  g_test_message ("mean %g, p95 %g, n %u", m.mean_distance, m.p95, m.n_distances);
  g_assert_cmpfloat_with_epsilon (m.mean_distance, d / 2, 0.05);
  g_assert_cmpfloat_with_epsilon (m.p95, d, 1e-3);
  g_assert_cmpuint (m.n_distances, ==, 2 * 4 * s / ZI_OUTLINE_METRIC_SAMPLE_STEP);
  g_assert_cmpfloat_with_epsilon (m.iou, (s - d) / (s + d), 0.01);
  zi_outline_metric_clear (&m);

  /* Units per em scale every length: the same squares in a 2000-unit em are half as far apart. */
  zi_outline_metric_measure (&m, a, b, 2 * UPM);
  g_assert_cmpfloat_with_epsilon (m.mean_distance, d / 4, 0.05);
  zi_outline_metric_clear (&m);
}

/* Squares of 500 units are 128 px at 256 px per em and start on the pixel grid: IoU is exact. */
static void
test_iou (void)
{
  g_autoptr(ZiOutline) a = square (0, 0, 500);
  g_autoptr(ZiOutline) half = square (250, 0, 500);
  g_autoptr(ZiOutline) apart = square (600, 0, 500);
  g_autoptr(ZiOutline) empty = g_new0 (ZiOutline, 1);
  g_autoptr(ZiOutline) ring = square (0, 0, 500);
  const double hole[] = { 125, 125, 125, 375, 375, 375, 375, 125 };  /* clockwise */

  g_assert_cmpfloat (zi_outline_iou (a, a, UPM), ==, 1.0);
  g_assert_cmpfloat_with_epsilon (zi_outline_iou (a, half, UPM), 1.0 / 3.0, 1e-12);
  g_assert_cmpfloat (zi_outline_iou (a, apart, UPM), ==, 0.0);
  g_assert_cmpfloat (zi_outline_iou (a, empty, UPM), ==, 0.0);
  g_assert_cmpfloat (zi_outline_iou (empty, empty, UPM), ==, 1.0);
  /* Nonzero winding: a clockwise hole takes its quarter of the area away. */
  add_polygon (ring, hole, 4);
  g_assert_true (ring->contours[1].hole);
  g_assert_cmpfloat_with_epsilon (zi_outline_iou (a, ring, UPM), 0.75, 1e-12);
}

/* Wobble: any convex contour turns once (1); an L turns five times a quarter one way and once back
 * (6 quarter turns, 1.5); straight share: all of a square's length, none of a circle's. */
static void
test_wobble_straight (void)
{
  g_autoptr(ZiOutline) sq = square (0, 0, 500);
  g_autoptr(ZiOutline) disc = circle (500, 500, 300);
  g_autoptr(ZiOutline) ell = g_new0 (ZiOutline, 1);
  g_autoptr(ZiOutline) two = square (0, 0, 200);
  const double l[] = { 0, 0, 600, 0, 600, 200, 200, 200, 200, 600, 0, 600 };
  double straight, chord;

  g_assert_cmpfloat_with_epsilon (zi_outline_wobble (disc, UPM), 1.0, 1e-9);
  g_assert_cmpfloat_with_epsilon (zi_outline_wobble (sq, UPM), 1.0, 1e-9);
  add_polygon (ell, l, 6);
  g_assert_cmpfloat_with_epsilon (zi_outline_wobble (ell, UPM), 1.5, 1e-9);
  /* Per contour: two convex contours still score 1. */
  add_polygon (two, (const double[]) { 300, 0, 500, 0, 500, 200, 300, 200 }, 4);
  g_assert_cmpfloat_with_epsilon (zi_outline_wobble (two, UPM), 1.0, 1e-9);

  zi_outline_chord_lengths (sq, UPM, &straight, &chord);
  g_assert_cmpfloat (straight, ==, 2000);
  g_assert_cmpfloat (chord, ==, 2000);
  zi_outline_chord_lengths (disc, UPM, &straight, &chord);
  g_assert_cmpfloat (straight, ==, 0);
  g_assert_cmpfloat_with_epsilon (chord, 4 * G_SQRT2 * 300, 1e-9);
}

/* The reference for the grid search: every distance by trying all edges. Polygons of n corners as
 * add_polygon() makes them start at their last corner; samples every 2 units from there. */
static double
edge_distance (double px, double py, const double *a, const double *b)
{
  double dx = b[0] - a[0], dy = b[1] - a[1], len2 = dx * dx + dy * dy;
  double t = len2 > 0 ? CLAMP (((px - a[0]) * dx + (py - a[1]) * dy) / len2, 0, 1) : 0;

  return hypot (px - a[0] - t * dx, py - a[1] - t * dy);
}

static void
all_pairs_distances (double (*from)[8], guint n_from, double (*to)[8], guint n_to, GArray *out)
{
  for (guint k = 0; k < n_from; k++)
    {
      double next = 0, along = 0;

      for (guint e = 0; e < 4; e++)
        {
          const double *a = &from[k][2 * ((e + 3) % 4)], *b = &from[k][2 * e];
          double len = hypot (b[0] - a[0], b[1] - a[1]);

          for (; next < along + len; next += ZI_OUTLINE_METRIC_SAMPLE_STEP)
            {
              double t = (next - along) / len, x = a[0] + t * (b[0] - a[0]), y = a[1] + t * (b[1] - a[1]);
              double best = G_MAXDOUBLE;

              for (guint j = 0; j < n_to; j++)
                for (guint f = 0; f < 4; f++)
                  best = MIN (best, edge_distance (x, y, &to[j][2 * ((f + 3) % 4)], &to[j][2 * f]));
              g_array_append_val (out, best);
            }
          along += len;
        }
    }
}

/* Random quadrilaterals, some far apart and some crossing: the grid's answers are the all-pairs ones. */
static void
test_grid_against_all_pairs (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (7);

  for (int round = 0; round < 20; round++)
    {
      double quads[2][3][8];
      guint n[2];
      g_autoptr(ZiOutline) a = g_new0 (ZiOutline, 1);
      g_autoptr(ZiOutline) b = g_new0 (ZiOutline, 1);
      g_autoptr(GArray) want = g_array_new (FALSE, FALSE, sizeof (double));
      ZiOutlineMetric m;

      for (int side = 0; side < 2; side++)
        {
          n[side] = g_rand_int_range (rand, 1, 4);
          for (guint k = 0; k < n[side]; k++)
            {
              double cx = g_rand_double_range (rand, 0, 1000), cy = g_rand_double_range (rand, 0, 1000);
              double r = g_rand_double_range (rand, 5, 200);

              /* Corners on a circle, counter-clockwise, at random angles within each quarter. */
              for (int c = 0; c < 4; c++)
                {
                  double angle = (c + g_rand_double_range (rand, 0.1, 0.9)) * G_PI / 2;

                  quads[side][k][2 * c] = cx + r * cos (angle);
                  quads[side][k][2 * c + 1] = cy + r * sin (angle);
                }
              add_polygon (side == 0 ? a : b, quads[side][k], 4);
            }
        }
      all_pairs_distances (quads[0], n[0], quads[1], n[1], want);
      all_pairs_distances (quads[1], n[1], quads[0], n[0], want);
      zi_outline_metric_measure (&m, a, b, UPM);
      g_assert_cmpuint (m.n_distances, ==, want->len);
      for (guint i = 0; i < want->len; i++)
        g_assert_cmpfloat_with_epsilon (m.distances[i], g_array_index (want, double, i), 1e-3);
      zi_outline_metric_clear (&m);
    }
}

/* Two concentric circles of four cubics each, 10 units apart. */
static void
test_circle_distance (void)
{
  g_autoptr(ZiOutline) disc = circle (500, 500, 300);
  g_autoptr(ZiOutline) bigger = circle (500, 500, 310);
  ZiOutlineMetric m;

  /* Concentric circles 10 apart: every nearest point is 10 away (the quarter-circle cubics bulge by
   * 0.027% of the radius, < 0.1 units). */
  zi_outline_metric_measure (&m, disc, bigger, UPM);
  g_assert_cmpfloat_with_epsilon (m.mean_distance, 10, 0.1);
  g_assert_cmpfloat_with_epsilon (m.p95, 10, 0.1);
  g_assert_cmpuint (m.contours, ==, 1);
  g_assert_true (zi_outline_metric_contour_match (&m));
  zi_outline_metric_clear (&m);
}

/* The set: medians and means of what is defined, an empty glyph left out of them but counted as a
 * contour mismatch, and the pooled percentile over every glyph's distances. */
static void
test_summary (void)
{
  g_autoptr(ZiOutline) a = square (0, 0, 500);
  g_autoptr(ZiOutline) half = square (250, 0, 500);
  g_autoptr(ZiOutline) empty = g_new0 (ZiOutline, 1);
  ZiOutlineMetric m[3];
  ZiOutlineSummary s;

  zi_outline_metric_measure (&m[0], a, a, UPM);
  zi_outline_metric_measure (&m[1], half, a, UPM);
  zi_outline_metric_measure (&m[2], empty, a, UPM);
  g_assert_true (isnan (m[2].mean_distance));
  g_assert_true (isnan (m[2].wobble));
  g_assert_cmpuint (m[2].n_distances, ==, 0);
  g_assert_cmpfloat (zi_outline_metric_on_curve_ratio (&m[2]), ==, 0);

  zi_outline_metric_summarize (&s, m, 3);
  g_assert_cmpuint (s.n, ==, 3);
  g_assert_cmpuint (s.n_empty, ==, 1);
  g_assert_cmpfloat_with_epsilon (s.iou.mean, (1 + 1.0 / 3.0 + 0) / 3, 1e-12);
  g_assert_cmpfloat_with_epsilon (s.iou.median, 1.0 / 3.0, 1e-12);
  g_assert_cmpfloat_with_epsilon (s.mean_distance.mean, m[1].mean_distance / 2, 1e-9);
  g_assert_cmpfloat_with_epsilon (s.mean_distance.median, m[1].mean_distance / 2, 1e-9);
  g_assert_cmpfloat_with_epsilon (s.contour_match, 2.0 / 3.0, 1e-12);
  g_assert_cmpfloat_with_epsilon (s.wobble.mean, 1.0, 1e-9);
  g_assert_cmpfloat_with_epsilon (s.on_curve_ratio.mean, 2.0 / 3.0, 1e-12);
  g_assert_cmpfloat (s.straight_share.median, ==, 1.0);
  g_assert_cmpfloat (s.target_straight_share.mean, ==, 1.0);
  /* Half the pooled distances are the first glyph's zeros; the 95th percentile is the second's. */
  g_assert_cmpfloat (s.p95_pooled, >, 0);
  g_assert_cmpfloat (s.p95_pooled, <=, m[1].p95 + 1e-6);
  for (int i = 0; i < 3; i++)
    zi_outline_metric_clear (&m[i]);

  zi_outline_metric_summarize (&s, NULL, 0);
  g_assert_true (isnan (s.iou.median));
  g_assert_true (isnan (s.p95_pooled));
}

/* ---- the font's own outlines ---- */

/* What FreeType's loader gives for the glyph of c, counted from its raw points: on-curve points,
 * implied on-curve points (two quadratic off-curve points in a row, around each contour), contours,
 * and the exact bounding box. */
typedef struct {
  guint   on, implied, contours;
  FT_BBox bbox;
} RawGlyph;

static void
load_raw (ZiFont *font, gunichar c, RawGlyph *raw)
{
  FT_Library lib;
  FT_Face face;
  FT_Outline *ol;

  g_assert_cmpint (FT_Init_FreeType (&lib), ==, 0);
  g_assert_cmpint (FT_New_Face (lib, zi_font_get_path (font), zi_font_get_face_index (font), &face), ==, 0);
  g_assert_cmpint (FT_Load_Glyph (face, FT_Get_Char_Index (face, c), FT_LOAD_NO_SCALE | FT_LOAD_NO_HINTING), ==, 0);
  ol = &face->glyph->outline;
  memset (raw, 0, sizeof *raw);
  raw->contours = ol->n_contours;
  for (int k = 0, first = 0; k < ol->n_contours; first = ol->contours[k++] + 1)
    for (int i = first; i <= ol->contours[k]; i++)
      {
        int next = i == ol->contours[k] ? first : i + 1;

        raw->on += FT_CURVE_TAG (ol->tags[i]) == FT_CURVE_TAG_ON;
        raw->implied += FT_CURVE_TAG (ol->tags[i]) == FT_CURVE_TAG_CONIC
                        && FT_CURVE_TAG (ol->tags[next]) == FT_CURVE_TAG_CONIC;
      }
  g_assert_cmpint (FT_Outline_Get_BBox (ol, &raw->bbox), ==, 0);
  FT_Done_Face (face);
  FT_Done_FreeType (lib);
}

/* Contours, on-curve points (stored and implied) and the bounding box of o against FreeType's. */
static void
assert_like_raw (const ZiOutline *o, const RawGlyph *raw)
{
  guint segments = 0, marked = 0;

  g_assert_cmpuint (o->n_contours, ==, raw->contours);
  for (guint i = 0; i < o->n_contours; i++)
    {
      segments += o->contours[i].n_segments;
      for (guint j = 0; j < o->contours[i].n_segments; j++)
        marked += o->contours[i].segments[j].implied;
    }
  g_assert_cmpuint (zi_outline_count_on_curve (o), ==, raw->on);
  g_assert_cmpuint (marked, ==, raw->implied);
  g_assert_cmpuint (segments, ==, raw->on + raw->implied);
  /* The box of sampled curves is within a unit of the exact one. */
  g_assert_cmpfloat (fabs (o->x_min - raw->bbox.xMin), <=, 1);
  g_assert_cmpfloat (fabs (o->y_min - raw->bbox.yMin), <=, 1);
  g_assert_cmpfloat (fabs (o->x_max - raw->bbox.xMax), <=, 1);
  g_assert_cmpfloat (fabs (o->y_max - raw->bbox.yMax), <=, 1);
}

/* Outer contours counter-clockwise, holes clockwise, like traced ones. */
static void
assert_holes (const ZiOutline *o, guint n_holes)
{
  guint holes = 0, largest = 0;

  for (guint i = 0; i < o->n_contours; i++)
    {
      g_assert_cmpint (o->contours[i].hole, ==, o->contours[i].area < 0);
      g_assert_cmpfloat_with_epsilon (o->contours[i].area, zi_contour_signed_area (&o->contours[i]), 1e-6);
      holes += o->contours[i].hole;
      if (fabs (o->contours[i].area) > fabs (o->contours[largest].area))
        largest = i;
    }
  g_assert_cmpuint (holes, ==, n_holes);
  g_assert_false (o->contours[largest].hole);  /* the outermost contour holds the others */
}

static void
test_font_outline_truetype (void)
{
  ZiFont *font = open_font (ZEN_MARU_TTF);
  const gunichar chars[] = { 0x6C38, 0x4E38, 0x5B57, 0x53E3, 0x56DE };  /* 永丸字口回 */
  g_autoptr(GError) error = NULL;

  for (gsize k = 0; k < G_N_ELEMENTS (chars); k++)
    {
      g_autoptr(ZiOutline) o = font_outline (font, chars[k]);
      RawGlyph raw;

      load_raw (font, chars[k], &raw);
      g_test_message ("U+%04X: %u on-curve, %u implied, %u contours", chars[k], raw.on, raw.implied, raw.contours);
      g_assert_cmpuint (raw.implied, >, 0);  /* TrueType quadratics: the test means something */
      assert_like_raw (o, &raw);
      if (chars[k] == 0x53E3)
        assert_holes (o, 1);
      else if (chars[k] == 0x56DE)
        assert_holes (o, 2);
    }

  g_assert_null (zi_font_char_outline (font, 0xE000, &error));
  g_assert_error (error, ZI_GLYPH_ERROR, ZI_GLYPH_ERROR_NOT_FOUND);
  zi_font_free (font);
}

/* A CFF font (cubic outlines, outer contours counter-clockwise already): no implied points, the same
 * winding as the TrueType one after conversion. */
static void
test_font_outline_cff (void)
{
  ZiFont *cff = open_font (SOURCE_FONT);
  const gunichar chars[] = { 0x6C38, 0x53E3, 0x56DE };  /* 永口回 */

  for (gsize k = 0; k < G_N_ELEMENTS (chars); k++)
    {
      g_autoptr(ZiOutline) o = font_outline (cff, chars[k]);
      RawGlyph raw;

      load_raw (cff, chars[k], &raw);
      g_assert_cmpuint (raw.implied, ==, 0);
      assert_like_raw (o, &raw);
      if (chars[k] != 0x6C38)
        assert_holes (o, chars[k] == 0x53E3 ? 1 : 2);
    }
  zi_font_free (cff);
}

/* ---- the command ---- */

static int
run_cli (char **out, char **err, ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  const char *exe = g_getenv ("ZIMARU_CLI");
  va_list ap;
  int status = -1;

  g_assert_nonnull (exe);
  g_ptr_array_add (argv, (char *) exe);
  va_start (ap, err);
  for (const char *a = va_arg (ap, const char *); a != NULL; a = va_arg (ap, const char *))
    g_ptr_array_add (argv, (char *) a);
  va_end (ap);
  g_ptr_array_add (argv, NULL);
  g_spawn_sync (NULL, (char **) argv->pdata, NULL, G_SPAWN_DEFAULT, NULL, NULL, out, err, &status, &error);
  g_assert_no_error (error);
  g_test_message ("stderr: %s", *err);
  return WIFEXITED (status) ? WEXITSTATUS (status) : -1;
}

/* A member that is a number in [lo, hi], or null (a measure an empty glyph leaves undefined). */
static void
assert_in_range (JsonObject *o, const char *name, double lo, double hi)
{
  JsonNode *n;

  g_assert_true (json_object_has_member (o, name));
  n = json_object_get_member (o, name);
  if (JSON_NODE_HOLDS_NULL (n))
    return;
  g_assert_cmpfloat (json_node_get_double (n), >=, lo);
  g_assert_cmpfloat (json_node_get_double (n), <=, hi);
}

static void
assert_stat (JsonObject *o, const char *name, double lo, double hi)
{
  JsonObject *s;

  g_assert_true (json_object_has_member (o, name));
  s = json_object_get_object_member (o, name);
  assert_in_range (s, "median", lo, hi);
  assert_in_range (s, "mean", lo, hi);
}

/* The measures of a glyph and of a set, and their ranges (distances: two ems at the most). */
static const struct {
  const char *name;
  double      lo, hi;
} measures[] = {
  { "iou", 0, 1 },
  { "mean_distance", 0, 2000 },
  { "p95", 0, 2000 },
  { "on_curve_ratio", 0, 100 },
  { "wobble", 0.5, 100 },
  { "straight_share", 0, 1 },
};

static void
test_cli_eval_outlines (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("zimaru-outline-XXXXXX", &error);
  g_autofree char *run = g_build_filename (dir, "run", NULL);
  g_autoptr(JsonParser) parser = json_parser_new ();
  char *out = NULL, *err = NULL;
  JsonObject *root, *outlines, *target;
  JsonArray *glyphs;
  const char *const sides[] = { "model", "baseline" };

  g_assert_no_error (error);
  g_assert_cmpint (run_cli (&out, &err, "train", "--chars-text", "永口回品圓一二三", "--run", run, "--steps", "2",
                            "--size", "32", "--ngf", "8", "--batch", "2", "--val-fraction", "0.25", "--quiet",
                            NULL), ==, 0);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  g_assert_cmpint (run_cli (&out, &err, "eval", "--checkpoint", run, "--outlines", "--json", NULL), ==, 0);
  json_parser_load_from_data (parser, out, -1, &error);
  g_assert_no_error (error);
  root = json_node_get_object (json_parser_get_root (parser));
  g_assert_true (json_object_has_member (root, "model"));  /* the raster figures stay */
  outlines = json_object_get_object_member (root, "outlines");
  g_assert_nonnull (outlines);
  g_assert_cmpstr (json_object_get_string_member (outlines, "trace_preset"), ==, "round");
  g_assert_cmpint (json_object_get_int_member (outlines, "n"), ==, 2);
  for (gsize i = 0; i < G_N_ELEMENTS (sides); i++)
    {
      JsonObject *s = json_object_get_object_member (outlines, sides[i]);

      for (gsize k = 0; k < G_N_ELEMENTS (measures); k++)
        assert_stat (s, measures[k].name, measures[k].lo, measures[k].hi);
      assert_in_range (s, "p95_pooled", 0, 2000);
      assert_in_range (s, "contour_match", 0, 1);
    }
  /* The identity baseline is two real glyphs of one character: every figure is defined. */
  g_assert_false (JSON_NODE_HOLDS_NULL (json_object_get_member (
    json_object_get_object_member (json_object_get_object_member (outlines, "baseline"), "mean_distance"),
    "median")));
  target = json_object_get_object_member (outlines, "target");
  assert_stat (target, "wobble", 1, 100);
  assert_stat (target, "straight_share", 0, 1);
  glyphs = json_object_get_array_member (outlines, "glyphs");
  g_assert_cmpuint (json_array_get_length (glyphs), ==, 2);
  for (guint i = 0; i < json_array_get_length (glyphs); i++)
    {
      JsonObject *g = json_array_get_object_element (glyphs, i);
      JsonObject *m = json_object_get_object_member (g, "model");
      JsonObject *t = json_object_get_object_member (g, "target");
      const char *ch = json_object_get_string_member (g, "char");

      g_assert_cmpint (g_utf8_get_char (ch), ==, json_object_get_int_member (g, "codepoint"));
      for (gsize k = 0; k < G_N_ELEMENTS (measures); k++)
        assert_in_range (m, measures[k].name, measures[k].lo, measures[k].hi);
      g_assert_true (json_object_has_member (m, "contours"));
      g_assert_true (json_object_has_member (m, "on_curve"));
      g_assert_true (json_object_has_member (json_object_get_object_member (g, "baseline"), "iou"));
      g_assert_cmpint (json_object_get_int_member (t, "contours"), >=, 1);
      g_assert_cmpint (json_object_get_int_member (t, "on_curve"), >, 0);
      assert_in_range (t, "wobble", 1, 100);
    }
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* The table, and a bad preset as a one-line usage error. */
  g_assert_cmpint (run_cli (&out, &err, "eval", "--checkpoint", run, "--outlines", "--trace-preset", "square",
                            "--quiet", NULL), ==, 0);
  g_assert_nonnull (strstr (out, "wobble"));
  g_assert_nonnull (strstr (out, "square"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run_cli (&out, &err, "eval", "--checkpoint", run, "--outlines", "--trace-preset", "soft",
                            NULL), ==, 2);
  g_assert_true (g_str_has_prefix (err, "zimaru-cli: error: "));
  g_assert_nonnull (strstr (err, "soft"));
  g_assert_cmpint (strchr (err, '\n') - err, ==, (int) strlen (err) - 1);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* The fitting tolerance and blur, as export takes them: recorded in the JSON, and potrace's own
   * curves (tolerance 0) have more on-curve points than the loosest fit. */
  {
    gint64 points[2] = { 0, 0 };
    const char *const tolerances[] = { "0", "50" };

    g_assert_cmpfloat (json_object_get_double_member (outlines, "fit_tolerance"), ==, 10);
    g_assert_cmpfloat (json_object_get_double_member (outlines, "smooth"), ==, 0);
    for (gsize t = 0; t < G_N_ELEMENTS (tolerances); t++)
      {
        g_autoptr(JsonParser) p = json_parser_new ();
        JsonObject *o;
        JsonArray *gl;

        g_assert_cmpint (run_cli (&out, &err, "eval", "--checkpoint", run, "--outlines", "--json",
                                  "--fit-tolerance", tolerances[t], "--smooth", "0.5", NULL), ==, 0);
        json_parser_load_from_data (p, out, -1, &error);
        g_assert_no_error (error);
        o = json_object_get_object_member (json_node_get_object (json_parser_get_root (p)), "outlines");
        g_assert_cmpfloat (json_object_get_double_member (o, "fit_tolerance"), ==,
                           g_ascii_strtod (tolerances[t], NULL));
        g_assert_cmpfloat (json_object_get_double_member (o, "smooth"), ==, 0.5);
        gl = json_object_get_array_member (o, "glyphs");
        for (guint i = 0; i < json_array_get_length (gl); i++)
          points[t] += json_object_get_int_member (
            json_object_get_object_member (json_array_get_object_element (gl, i), "model"), "on_curve");
        g_clear_pointer (&out, g_free);
        g_clear_pointer (&err, g_free);
      }
    g_assert_cmpint (points[0], >, points[1]);
  }
  /* Out of range, or without --outlines: one-line usage errors naming the option. */
  g_assert_cmpint (run_cli (&out, &err, "eval", "--checkpoint", run, "--outlines", "--fit-tolerance", "99",
                            NULL), ==, 2);
  g_assert_nonnull (strstr (err, "--fit-tolerance 99"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run_cli (&out, &err, "eval", "--checkpoint", run, "--smooth", "1", NULL), ==, 2);
  g_assert_nonnull (strstr (err, "--outlines"));
  g_assert_cmpint (strchr (err, '\n') - err, ==, (int) strlen (err) - 1);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  zi_dir_remove_tree (dir);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/export/outline-metric/self", test_self);
  g_test_add_func ("/export/outline-metric/shifted-square", test_shifted_square);
  g_test_add_func ("/export/outline-metric/iou", test_iou);
  g_test_add_func ("/export/outline-metric/wobble-straight", test_wobble_straight);
  g_test_add_func ("/export/outline-metric/circle-distance", test_circle_distance);
  g_test_add_func ("/export/outline-metric/grid", test_grid_against_all_pairs);
  g_test_add_func ("/export/outline-metric/summary", test_summary);
  g_test_add_func ("/export/outline-metric/font-truetype", test_font_outline_truetype);
  g_test_add_func ("/export/outline-metric/font-cff", test_font_outline_cff);
  g_test_add_func ("/export/outline-metric/cli", test_cli_eval_outlines);

  return g_test_run ();
}
