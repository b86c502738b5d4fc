/* test-fit.c — tests of the curve fitter (zi-fit.h) and of tracing with it (zi-trace.h). Zen Maru
 * Gothic glyphs rendered at 64 px and traced must come out the way a type designer draws outlines:
 * Fontbakery's outline checks pass, straight stems are lines, exactly horizontal or vertical, there are
 * about as many on-curve points as in the font's own outline and they sit at the extrema, joins are
 * either smooth or real corners, nothing crosses itself, contours turn the right way and enclose the
 * font's area, and the outline is as close to the font's as potrace's own curves were. Noisy synthetic
 * circles and squares check the fitter alone; the exported UFO must build with fontmake into a TTF that
 * ots-sanitize accepts. fit-crossing.png is a glyph a model generated whose first fit crossed itself. */
#include "config.h"
#include "export-test-util.h"
#include "zi-fileutil.h"
#include "zi-fit.h"
#include "zi-image.h"
#include "zi-outline-metric.h"
#include "zi-trace.h"

#include <math.h>

/* Fontbakery's outline check thresholds (fontbakery/checks/outline_settings.py). */
#define SHORT_ABSOLUTE 3.0    /* units */
#define SHORT_RELATIVE 0.006  /* of the contour's length, for curves and for a line after a line */
/* ...but no more than 20 units: the merged contours of a generated glyph run to 9000 units, where 0.6%
 * would forbid the points a round stroke end needs (Zen Maru Gothic's own outlines fail the uncapped
 * rule 120 times in 13 glyphs). */
#define SHORT_RELATIVE_CAP 20.0
#define COLINEAR 0.1          /* radians between two successive lines */
#define JAG_ANGLE 0.25        /* radians: the outline doubling back at a join */
#define SEMI_DEGREES 0.5      /* a line this close to horizontal or vertical must be exactly so */

/* ---- geometry of the outlines under test ---- */

static ZiPoint
seg_start (const ZiContour *c, guint i)
{
  return c->segments[(i + c->n_segments - 1) % c->n_segments].p;
}

/* The direction leaving (at_end FALSE) or reaching the segment's ends; (0, 0) where a handle sits on
 * its point, as Fontbakery's beziers library gives it. */
static ZiPoint
tangent (const ZiContour *c, guint i, gboolean at_end)
{
  const ZiSegment *s = &c->segments[i];
  ZiPoint a = seg_start (c, i), t;

  if (s->kind == ZI_SEGMENT_LINE)
    t = (ZiPoint) { s->p.x - a.x, s->p.y - a.y };
  else if (at_end)
    t = (ZiPoint) { s->p.x - s->c2.x, s->p.y - s->c2.y };
  else
    t = (ZiPoint) { s->c1.x - a.x, s->c1.y - a.y };
  return t;
}

static double
seg_length (const ZiContour *c, guint i)
{
  const ZiSegment *s = &c->segments[i];
  ZiPoint a = seg_start (c, i), prev = a;
  double l = 0;

  if (s->kind == ZI_SEGMENT_LINE)
    return hypot (s->p.x - a.x, s->p.y - a.y);
  for (int k = 1; k <= 64; k++)
    {
      ZiPoint q = zi_cubic_at (a, s->c1, s->c2, s->p, k / 64.0);
      l += hypot (q.x - prev.x, q.y - prev.y);
      prev = q;
    }
  return l;
}

static double
angle_between (ZiPoint a, ZiPoint b)
{
  return fabs (atan2 (a.x * b.y - a.y * b.x, a.x * b.x + a.y * b.y));
}

/* A copy with every coordinate on whole units, as the outline will be in a TTF. */
static ZiOutline *
rounded_copy (const ZiOutline *o)
{
  ZiOutline *r = g_new0 (ZiOutline, 1);

  r->n_contours = o->n_contours;
  r->contours = g_new0 (ZiContour, o->n_contours);
  for (guint ci = 0; ci < o->n_contours; ci++)
    {
      r->contours[ci] = o->contours[ci];
      r->contours[ci].segments = g_memdup2 (o->contours[ci].segments,
                                            o->contours[ci].n_segments * sizeof (ZiSegment));
      for (guint i = 0; i < o->contours[ci].n_segments; i++)
        {
          ZiSegment *s = &r->contours[ci].segments[i];
          s->c1 = (ZiPoint) { round (s->c1.x), round (s->c1.y) };
          s->c2 = (ZiPoint) { round (s->c2.x), round (s->c2.y) };
          s->p = (ZiPoint) { round (s->p.x), round (s->p.y) };
        }
    }
  return r;
}

/* Fontbakery's outline checks (outline_short_segments, outline_semi_vertical,
 * outline_colinear_vectors, outline_jaggy_segments), run on the outline with whole-unit coordinates.
 * Returns the number of complaints; each is logged. */
static guint
fontbakery_complaints (const ZiOutline *outline, gunichar ch)
{
  g_autoptr(ZiOutline) o = rounded_copy (outline);
  guint bad = 0;

  for (guint ci = 0; ci < o->n_contours; ci++)
    {
      const ZiContour *c = &o->contours[ci];
      double total = 0;
      gboolean prev_line;

      for (guint i = 0; i < c->n_segments; i++)
        total += seg_length (c, i);
      prev_line = c->segments[c->n_segments - 1].kind == ZI_SEGMENT_LINE;
      for (guint i = 0; i < c->n_segments; i++)
        {
          const ZiSegment *s = &c->segments[i];
          ZiPoint a = seg_start (c, i);
          double l = seg_length (c, i);
          gboolean line = s->kind == ZI_SEGMENT_LINE;

          if (l < 1e-9 || ((l < SHORT_ABSOLUTE || l < MIN (SHORT_RELATIVE * total, SHORT_RELATIVE_CAP))
                           && (prev_line || !line)))
            {
              g_test_message ("U+%04X short segment at (%g, %g), %.1f units", ch, s->p.x, s->p.y, l);
              bad++;
            }
          prev_line = line;
          if (line)
            {
              double deg = atan2 (s->p.y - a.y, s->p.x - a.x) * 180 / G_PI;

              for (int e = -180; e <= 180; e += 90)
                if (deg != e && fabs (deg - e) < SEMI_DEGREES)
                  {
                    g_test_message ("U+%04X semi-h/v line to (%g, %g)", ch, s->p.x, s->p.y);
                    bad++;
                  }
            }
        }
      for (guint i = 0; i < c->n_segments; i++)
        {
          guint ip = (i + c->n_segments - 1) % c->n_segments;
          ZiPoint tin = tangent (c, ip, TRUE), tout = tangent (c, i, FALSE);
          ZiPoint back = { -tin.x, -tin.y };

          if (c->segments[ip].kind == ZI_SEGMENT_LINE && c->segments[i].kind == ZI_SEGMENT_LINE
              && fabs (atan2 (tin.y, tin.x) - atan2 (tout.y, tout.x)) < COLINEAR)
            {
              g_test_message ("U+%04X colinear lines at (%g, %g)", ch, c->segments[ip].p.x, c->segments[ip].p.y);
              bad++;
            }
          if (hypot (tin.x, tin.y) * hypot (tout.x, tout.y) > 0)
            {
              double jag = angle_between (back, tout);
              if (jag > 0 && jag < JAG_ANGLE)
                {
                  g_test_message ("U+%04X jaggy join at (%g, %g)", ch, c->segments[ip].p.x, c->segments[ip].p.y);
                  bad++;
                }
            }
        }
    }
  return bad;
}

/* Segments of the flattened outline that cross one another (within a contour or between two), not
 * counting neighbours that share an end. */
static guint
self_intersections (const ZiOutline *o)
{
  g_autoptr(GArray) pts = g_array_new (FALSE, FALSE, sizeof (ZiPoint));
  g_autoptr(GArray) owner = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autoptr(GArray) next = g_array_new (FALSE, FALSE, sizeof (guint));
  guint crossings = 0;

  for (guint ci = 0; ci < o->n_contours; ci++)
    {
      g_autoptr(GArray) c = g_array_new (FALSE, FALSE, sizeof (ZiPoint));
      guint base = pts->len;

      zi_contour_flatten (&o->contours[ci], 0.25, c);
      for (guint i = 0; i < c->len; i++)
        {
          guint nx = base + (i + 1) % c->len;
          g_array_append_val (pts, g_array_index (c, ZiPoint, i));
          g_array_append_val (owner, ci);
          g_array_append_val (next, nx);
        }
    }
  for (guint i = 0; i < pts->len; i++)
    for (guint j = i + 1; j < pts->len; j++)
      {
        guint in = g_array_index (next, guint, i), jn = g_array_index (next, guint, j);
        ZiPoint a = g_array_index (pts, ZiPoint, i), b = g_array_index (pts, ZiPoint, in);
        ZiPoint c = g_array_index (pts, ZiPoint, j), d = g_array_index (pts, ZiPoint, jn);
        double d1, d2, d3, d4;

        if (in == j || jn == i)
          continue;
        if (MAX (a.x, b.x) < MIN (c.x, d.x) || MAX (c.x, d.x) < MIN (a.x, b.x)
            || MAX (a.y, b.y) < MIN (c.y, d.y) || MAX (c.y, d.y) < MIN (a.y, b.y))
          continue;
        d1 = (b.x - a.x) * (c.y - a.y) - (b.y - a.y) * (c.x - a.x);
        d2 = (b.x - a.x) * (d.y - a.y) - (b.y - a.y) * (d.x - a.x);
        d3 = (d.x - c.x) * (a.y - c.y) - (d.y - c.y) * (a.x - c.x);
        d4 = (d.x - c.x) * (b.y - c.y) - (d.y - c.y) * (b.x - c.x);
        if (((d1 > 0 && d2 < 0) || (d1 < 0 && d2 > 0)) && ((d3 > 0 && d4 < 0) || (d3 < 0 && d4 > 0)))
          crossings++;
      }
  return crossings;
}

/* The segments of o for which pred holds. */
static guint
count_where (const ZiOutline *o, gboolean (*pred) (const ZiContour *c, guint i))
{
  guint n = 0;

  for (guint ci = 0; ci < o->n_contours; ci++)
    for (guint i = 0; i < o->contours[ci].n_segments; i++)
      n += pred (&o->contours[ci], i);
  return n;
}

/* A join that is neither smooth (tangents within 0.5°) nor a corner (15° or more) is a kink. */
static gboolean
is_kink (const ZiContour *c, guint i)
{
  double a = angle_between (tangent (c, (i + c->n_segments - 1) % c->n_segments, TRUE), tangent (c, i, FALSE));

  return a > 0.5 * G_PI / 180 && a < 15 * G_PI / 180;
}

/* A line within 1° of horizontal or vertical must be exactly so (between 1° and 3° the fitter snaps
 * a line when its samples stay within the tolerance). */
static gboolean
is_near_axis (const ZiContour *c, guint i)
{
  ZiPoint a = seg_start (c, i), b = c->segments[i].p;
  double dx = fabs (b.x - a.x), dy = fabs (b.y - a.y);

  return c->segments[i].kind == ZI_SEGMENT_LINE && dx != 0 && dy != 0
         && (dy < tan (G_PI / 180) * dx || dx < tan (G_PI / 180) * dy);
}

/* How far any cubic reaches beyond the box of its two on-curve points: a missing point at an
 * extremum. */
static double
extremum_overshoot (const ZiOutline *o)
{
  double worst = 0;

  for (guint ci = 0; ci < o->n_contours; ci++)
    for (guint i = 0; i < o->contours[ci].n_segments; i++)
      {
        const ZiContour *c = &o->contours[ci];
        const ZiSegment *s = &c->segments[i];
        ZiPoint a = seg_start (c, i);

        for (int k = 1; k < 64 && s->kind == ZI_SEGMENT_CUBIC; k++)
          {
            ZiPoint q = zi_cubic_at (a, s->c1, s->c2, s->p, k / 64.0);
            worst = MAX (worst, MAX (MIN (a.x, s->p.x) - q.x, q.x - MAX (a.x, s->p.x)));
            worst = MAX (worst, MAX (MIN (a.y, s->p.y) - q.y, q.y - MAX (a.y, s->p.y)));
          }
      }
  return worst;
}

static double
total_area (const ZiOutline *o)
{
  double a = 0;

  for (guint ci = 0; ci < o->n_contours; ci++)
    a += zi_contour_signed_area (&o->contours[ci]);
  return a;
}

/* The checks every fitted outline must pass, whatever its shape. */
static void
assert_designer_outline (const ZiOutline *o, gunichar ch)
{
  for (guint ci = 0; ci < o->n_contours; ci++)
    {
      /* Outer contours counter-clockwise, holes clockwise. */
      g_assert_cmpint (o->contours[ci].hole, ==, zi_contour_signed_area (&o->contours[ci]) < 0);
      for (guint i = 0; i < o->contours[ci].n_segments; i++)
        {
          const ZiSegment *s = &o->contours[ci].segments[i];
          /* On-curve points on whole units. */
          g_assert_cmpfloat (s->p.x, ==, round (s->p.x));
          g_assert_cmpfloat (s->p.y, ==, round (s->p.y));
        }
    }
  g_assert_cmpuint (fontbakery_complaints (o, ch), ==, 0);
  g_assert_cmpuint (count_where (o, is_near_axis), ==, 0);
  g_assert_cmpuint (count_where (o, is_kink), ==, 0);
  g_assert_cmpuint (self_intersections (o), ==, 0);
}

/* ---- real glyphs ---- */

static ZiOutline *
trace_char (Fixture *f, gunichar ch, double tolerance)
{
  g_autoptr(GError) error = NULL;
  g_autofree guint8 *bm = g_malloc0 (SIZE * SIZE);
  ZiTraceParams params;
  ZiOutline *o;

  g_assert_true (zi_render_char (f->target, &f->placement, ch, bm, &error));
  g_assert_no_error (error);
  zi_trace_params_init (&params, ZI_TRACE_PRESET_ROUND);
  params.tolerance = tolerance;
  o = zi_trace_bitmap (bm, SIZE, &f->placement, &params, &error);
  g_assert_no_error (error);
  g_assert_nonnull (o);
  return o;
}

static void
test_fit_glyphs (Fixture *f, gconstpointer data)
{
  /* 口 and 田 are mostly straight stems; 永 has every kind of stroke, with eight round ends that the
   * font draws with fewer points than a bitmap of 64 px lets us; 國 is crowded. */
  const struct { gunichar c; double straight_min, straight_max, on_curve_max; } cases[] = {
    { 0x53E3, 0.30, 0.70, 1.1 }, { 0x7530, 0.30, 0.70, 1.3 }, { 0x6C38, 0, 1, 1.6 }, { 0x570B, 0, 1, 1.3 },
  };
  int upm = zi_font_get_units_per_em (f->target);
  ZiTraceParams defaults;

  zi_trace_params_init (&defaults, ZI_TRACE_PRESET_ROUND);
  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(ZiOutline) fitted = trace_char (f, cases[i].c, defaults.tolerance);
      g_autoptr(ZiOutline) potrace = trace_char (f, cases[i].c, 0);
      g_autoptr(ZiOutline) font = zi_font_char_outline (f->target, cases[i].c, &error);
      ZiOutlineMetric mf = { 0 }, mp = { 0 };
      double straight, chord, overshoot = extremum_overshoot (fitted);
      double area = total_area (fitted), font_area = total_area (font);

      g_assert_no_error (error);
      zi_outline_metric_measure (&mf, fitted, font, upm);
      zi_outline_metric_measure (&mp, potrace, font, upm);
      zi_outline_chord_lengths (fitted, upm, &straight, &chord);
      g_test_message ("U+%04X: on-curve %u (font %u, potrace %u), straight share %.3f, overshoot %.2f, "
                      "area %.4f of the font's, IoU %.4f (potrace %.4f), mean distance %.2f (potrace %.2f)",
                      cases[i].c, mf.on_curve, mf.target_on_curve, mp.on_curve, straight / chord, overshoot,
                      area / font_area, mf.iou, mp.iou, mf.mean_distance, mp.mean_distance);

      assert_designer_outline (fitted, cases[i].c);
      g_assert_cmpfloat (straight / chord, >=, cases[i].straight_min);
      g_assert_cmpfloat (straight / chord, <=, cases[i].straight_max);
      /* About as many on-curve points as the designer's, far fewer than potrace's. */
      g_assert_cmpfloat (mf.on_curve, <=, cases[i].on_curve_max * mf.target_on_curve);
      g_assert_cmpfloat (mf.on_curve, >=, 0.6 * mf.target_on_curve);
      g_assert_cmpfloat (mf.on_curve, <, 0.85 * mp.on_curve);
      /* Curves reach past their on-curve points by a few units at most: where splitting at the
       * extremum would leave segments under min_segment, the point is left out. */
      g_assert_cmpfloat (overshoot, <=, 8.0);
      g_assert_cmpfloat (fabs (area / font_area - 1), <, 0.03);
      g_assert_cmpuint (fitted->n_contours, ==, potrace->n_contours);
      /* About as close to the font's outline as potrace's curves with half as many points again: on
       * average within a tenth of a pixel (1.8 units) of the font's outline. */
      g_assert_cmpfloat (mf.iou, >=, mp.iou - 0.015);
      g_assert_cmpfloat (mf.mean_distance, <=, mp.mean_distance + 0.6);
      g_assert_cmpfloat (mf.mean_distance, <=, 1.8);
      zi_outline_metric_clear (&mf);
      zi_outline_metric_clear (&mp);
    }
}

/* Crowded glyphs, where strokes touch at 64 px and contours pass a pixel from each other or from
 * themselves (総 crossed itself, 囓 慍 魎 doubled back, 薤 had a kink), and sixty ideographs picked with
 * a fixed seed: the checks every outline must pass. */
static void
test_fit_many (Fixture *f, gconstpointer data)
{
  const gunichar hard[] = { 0x7DCF, 0x56D3, 0x614D, 0x9B4E, 0x85A4, 0x9F9C, 0x9B31 };
  g_autoptr(GArray) chars = g_array_new (FALSE, FALSE, sizeof (gunichar));
  g_autoptr(GRand) rand = g_rand_new_with_seed (17);
  ZiTraceParams defaults;

  zi_trace_params_init (&defaults, ZI_TRACE_PRESET_ROUND);
  g_array_append_vals (chars, hard, G_N_ELEMENTS (hard));
  while (chars->len < G_N_ELEMENTS (hard) + 60)
    {
      gunichar c = 0x4E00 + g_rand_int_range (rand, 0, 0x9FA5 - 0x4E00);
      if (zi_font_has_char (f->target, c))
        g_array_append_val (chars, c);
    }
  for (guint i = 0; i < chars->len; i++)
    {
      gunichar c = g_array_index (chars, gunichar, i);
      g_autoptr(ZiOutline) o = trace_char (f, c, defaults.tolerance);

      assert_designer_outline (o, c);
    }
}

/* 額 as a model generated it (fit-crossing.png, a run at step 4500): where two of its strokes nearly
 * touch, the first fits of two contours crossed, and the tracer must refit them until they do not. */
static void
test_fit_crossing (Fixture *f, gconstpointer data)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "export", "fit-crossing.png", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(ZiOutline) o = NULL;
  g_autofree guint8 *bm = NULL;
  ZiTraceParams params;
  guint w, h;

  bm = zi_image_read_png_coverage (path, &w, &h, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (w, ==, SIZE);
  g_assert_cmpuint (h, ==, SIZE);
  zi_trace_params_init (&params, ZI_TRACE_PRESET_ROUND);
  o = zi_trace_bitmap (bm, SIZE, &f->placement, &params, &error);
  g_assert_no_error (error);
  assert_designer_outline (o, 0x984D);
}

/* ---- synthetic noisy contours ---- */

#define PIXEL 18.2  /* font units per pixel at 64 px, Zen Maru Gothic's placement */

/* A circle of radius r about (cx, cy), counter-clockwise, sampled every ~2 units, its radius wobbling
 * by ±2 units (three slow waves) and jittered by ±1.5 units. */
static GArray *
noisy_circle (double cx, double cy, double r, GRand *rand)
{
  GArray *pts = g_array_new (FALSE, FALSE, sizeof (ZiPoint));
  int n = (int) (2 * G_PI * r / 2);

  for (int i = 0; i < n; i++)
    {
      double a = 2 * G_PI * i / n;
      double rr = r + 2 * sin (3 * a + 0.7) + g_rand_double_range (rand, -1.5, 1.5);
      ZiPoint p = { cx + rr * cos (a), cy + rr * sin (a) };
      g_array_append_val (pts, p);
    }
  return pts;
}

static void
test_fit_noisy_circle (void)
{
  const double cx = 500, cy = 350, r = 200, tol = 8;
  g_autoptr(GRand) rand = g_rand_new_with_seed (11);

  for (int round = 0; round < 5; round++)
    {
      g_autoptr(GArray) pts = noisy_circle (cx, cy, r, rand);
      ZiOutline o = { 0 };
      ZiContour c = { 0 };
      ZiFitParams params;
      double worst = 0;
      guint extrema = 0;

      zi_fit_params_init (&params, PIXEL, tol, FALSE);
      zi_fit_contour (&c, (ZiPoint *) pts->data, pts->len, &params);
      o.n_contours = 1;
      o.contours = &c;
      g_test_message ("noisy circle %d: %u segments", round, c.n_segments);
      g_assert_cmpuint (c.n_segments, >=, 4);
      g_assert_cmpuint (c.n_segments, <=, 8);
      for (guint i = 0; i < c.n_segments; i++)
        {
          const ZiSegment *s = &c.segments[i];
          ZiPoint a = seg_start (&c, i);

          g_assert_cmpint (s->kind, ==, ZI_SEGMENT_CUBIC);
          for (int k = 0; k <= 32; k++)
            {
              ZiPoint q = zi_cubic_at (a, s->c1, s->c2, s->p, k / 32.0);
              worst = MAX (worst, fabs (hypot (q.x - cx, q.y - cy) - r));
            }
          /* An on-curve point at each extremum, its handles on both sides exactly along the axis. Near
           * an extremum of a circle of 200 a unit of noise is 20 units along it, so that is where. */
          {
            const ZiSegment *next = &c.segments[(i + 1) % c.n_segments];

            if ((fabs (s->p.x - cx) < 25 && s->c2.y == s->p.y && next->c1.y == s->p.y)
                || (fabs (s->p.y - cy) < 25 && s->c2.x == s->p.x && next->c1.x == s->p.x))
              extrema++;
          }
        }
      g_test_message ("  largest distance from the circle %.2f units, %u extrema", worst, extrema);
      g_assert_cmpfloat (worst, <=, tol);
      g_assert_cmpuint (extrema, ==, 4);
      g_assert_cmpuint (count_where (&o, is_kink), ==, 0);
      g_assert_cmpuint (fontbakery_complaints (&o, 0), ==, 0);
      g_free (c.segments);
    }
}

/* A 400-unit square, counter-clockwise, its corners rounded off by 8 units (as anti-aliasing does),
 * sampled every 2 units and jittered by ±1.5 units. */
static GArray *
noisy_square (double x0, double y0, double side, GRand *rand)
{
  GArray *pts = g_array_new (FALSE, FALSE, sizeof (ZiPoint));
  const double rc = 8;

  for (int edge = 0; edge < 4; edge++)
    {
      /* Bottom edge rightwards, then up the right, left along the top, down the left. */
      const double dx[] = { 1, 0, -1, 0 }, dy[] = { 0, 1, 0, -1 };
      const double sx[] = { x0, x0 + side, x0 + side, x0 }, sy[] = { y0, y0, y0 + side, y0 + side };

      for (double t = rc; t < side - rc; t += 2)
        {
          ZiPoint p = { sx[edge] + t * dx[edge] + g_rand_double_range (rand, -1.5, 1.5) * dy[edge],
                        sy[edge] + t * dy[edge] + g_rand_double_range (rand, -1.5, 1.5) * dx[edge] };
          g_array_append_val (pts, p);
        }
      /* The rounded corner at the end of this edge: a quarter circle turning left. */
      for (int k = 0; k < 6; k++)
        {
          double a = (k + 0.5) / 6 * G_PI / 2;
          double ex = sx[edge] + (side - rc) * dx[edge], ey = sy[edge] + (side - rc) * dy[edge];
          /* Centre of the rounding: rc to the left of the edge's end. */
          ZiPoint centre = { ex - rc * dy[edge], ey + rc * dx[edge] };
          ZiPoint p = { centre.x + rc * (sin (a) * dx[edge] + cos (a) * dy[edge]),
                        centre.y + rc * (sin (a) * dy[edge] - cos (a) * dx[edge]) };
          g_array_append_val (pts, p);
        }
    }
  return pts;
}

static void
test_fit_noisy_square (void)
{
  const double x0 = 300, y0 = 100, side = 400;
  g_autoptr(GRand) rand = g_rand_new_with_seed (5);

  for (int keep = 0; keep <= 1; keep++)
    {
      g_autoptr(GArray) pts = noisy_square (x0, y0, side, rand);
      ZiOutline o = { 0 };
      ZiContour c = { 0 };
      ZiFitParams params;
      guint lines = 0, cubics = 0;

      zi_fit_params_init (&params, PIXEL, 8, keep);
      zi_fit_contour (&c, (ZiPoint *) pts->data, pts->len, &params);
      o.n_contours = 1;
      o.contours = &c;
      g_test_message ("noisy square, %s corners: %u segments", keep ? "square" : "round", c.n_segments);
      for (guint i = 0; i < c.n_segments; i++)
        {
          const ZiSegment *s = &c.segments[i];
          ZiPoint a = seg_start (&c, i);

          if (s->kind == ZI_SEGMENT_LINE)
            {
              /* Exactly horizontal or vertical, on the square's side within 2 units. */
              lines++;
              g_assert_true (a.x == s->p.x || a.y == s->p.y);
              if (a.y == s->p.y)
                g_assert_true (fabs (a.y - y0) <= 2 || fabs (a.y - y0 - side) <= 2);
              else
                g_assert_true (fabs (a.x - x0) <= 2 || fabs (a.x - x0 - side) <= 2);
            }
          else
            cubics++;
        }
      g_assert_cmpuint (lines, ==, 4);
      if (keep)
        {
          /* Square corners: the four lines meet where the sides cross. */
          g_assert_cmpuint (cubics, ==, 0);
          for (guint i = 0; i < c.n_segments; i++)
            {
              const ZiPoint p = c.segments[i].p;
              g_assert_true (fabs (p.x - x0) <= 2 || fabs (p.x - x0 - side) <= 2);
              g_assert_true (fabs (p.y - y0) <= 2 || fabs (p.y - y0 - side) <= 2);
            }
        }
      else
        {
          /* Round corners: a Maru design rounds every convex corner, so each is a curve, smooth with both
           * sides, of one to three times corner_radius (the smoothing that finds straight edges reaches
           * a pixel or so into the corner). */
          g_assert_cmpuint (cubics, ==, 4);
          g_assert_cmpuint (count_where (&o, is_kink), ==, 0);
          for (guint i = 0; i < c.n_segments; i++)
            if (c.segments[i].kind == ZI_SEGMENT_CUBIC)
              {
                ZiPoint a = seg_start (&c, i), b = c.segments[i].p;
                double chord = hypot (b.x - a.x, b.y - a.y);
                g_assert_cmpfloat (chord, >, 0.7 * G_SQRT2 * params.corner_radius);
                g_assert_cmpfloat (chord, <, 3 * G_SQRT2 * params.corner_radius);
              }
        }
      g_assert_cmpuint (fontbakery_complaints (&o, 0), ==, 0);
      g_free (c.segments);
    }
}

/* A sharp tip (a triangle with a 30° apex): kept in the square preset, rounded with an arc in the round
 * one, since a Maru design has no sharp convex corners. */
static void
test_fit_sharp_tip (void)
{
  const ZiPoint apex = { 500, 700 }, left = { 420, 400 }, right = { 580, 400 };
  const ZiPoint corners[] = { left, right, apex };
  g_autoptr(GRand) rand = g_rand_new_with_seed (3);
  g_autoptr(GArray) pts = g_array_new (FALSE, FALSE, sizeof (ZiPoint));

  /* Counter-clockwise, every 2 units, jittered by ±1 unit. */
  for (int e = 0; e < 3; e++)
    {
      ZiPoint a = corners[e], b = corners[(e + 1) % 3];
      double l = hypot (b.x - a.x, b.y - a.y);

      for (double t = 0; t < l; t += 2)
        {
          ZiPoint p = { a.x + (b.x - a.x) * t / l + g_rand_double_range (rand, -1, 1),
                        a.y + (b.y - a.y) * t / l + g_rand_double_range (rand, -1, 1) };
          g_array_append_val (pts, p);
        }
    }
  for (int keep = 0; keep <= 1; keep++)
    {
      ZiOutline o = { 0 };
      ZiContour c = { 0 };
      ZiFitParams params;
      double nearest = G_MAXDOUBLE;

      zi_fit_params_init (&params, PIXEL, 8, keep);
      zi_fit_contour (&c, (ZiPoint *) pts->data, pts->len, &params);
      o.n_contours = 1;
      o.contours = &c;
      for (guint i = 0; i < c.n_segments; i++)
        nearest = MIN (nearest, hypot (c.segments[i].p.x - apex.x, c.segments[i].p.y - apex.y));
      g_test_message ("sharp tip, %s corners: %u segments, nearest on-curve point %.1f units from the apex",
                      keep ? "square" : "round", c.n_segments, nearest);
      if (keep)
        g_assert_cmpfloat (nearest, <=, 4);
      else
        {
          /* The arc's ends sit on the sides, its handles along them: no corner is left at the tip. */
          g_assert_cmpfloat (nearest, >, 0.5 * params.corner_radius);
          for (guint i = 0; i < c.n_segments; i++)
            if (hypot (c.segments[i].p.x - apex.x, c.segments[i].p.y - apex.y) < 4 * params.corner_radius)
              g_assert_false (is_kink (&c, (i + 1) % c.n_segments)
                              || angle_between (tangent (&c, i, TRUE), tangent (&c, (i + 1) % c.n_segments, FALSE)) > 0.01);
        }
      g_assert_cmpuint (fontbakery_complaints (&o, 0), ==, 0);
      g_free (c.segments);
    }
}

/* ---- the UFO through fontmake and ots-sanitize ---- */

/* Runs argv with its output captured (ots-sanitize reports success on stdout, which is TAP's); returns
 * the exit status and the error output. */
static int
run_quiet (const char * const *argv, char **err_out)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  int status = -1;

  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, &out, err_out, &status, &error);
  g_assert_no_error (error);
  return WIFEXITED (status) ? WEXITSTATUS (status) : -1;
}

static void
test_fit_fontmake_ots (Fixture *f, gconstpointer data)
{
  const gunichar chars[] = { 0x6C38, 0x570B, 0x5026, 0x7530, 0x53E3, 0x9F9C, 0x9B31, 0x4E59 };
  g_autofree char *dir = make_temp_dir ();
  g_autofree char *out = g_build_filename (dir, "out", NULL);
  g_autofree char *ufo = g_build_filename (out, "Zimaru-ZenMaruGothic.ufo", NULL);
  g_autofree char *ttf = g_build_filename (dir, "out.ttf", NULL);
  g_autofree char *clean = g_build_filename (dir, "clean.ttf", NULL);
  g_autoptr(ZiExportSource) src = font_source (TARGET_FONT);
  g_autoptr(GError) error = NULL;
  ZiExportOptions options;

  zi_export_options_init (&options);
  options.formats = ZI_EXPORT_FORMAT_UFO;
  g_assert_true (zi_export_run (src, f->target, chars, G_N_ELEMENTS (chars), out, &options, NULL, NULL, NULL,
                                NULL, &error));
  g_assert_no_error (error);
  {
    const char *argv[] = { "fontmake", "-u", ufo, "-o", "ttf", "--output-path", ttf, NULL };
    g_autofree char *err = NULL;
    int status = run (argv, &err);

    if (status != 0)
      g_test_message ("fontmake: %s", err);
    g_assert_cmpint (status, ==, 0);
  }
  {
    const char *argv[] = { "ots-sanitize", ttf, clean, NULL };
    g_autofree char *err = NULL;
    int status = run_quiet (argv, &err);

    if (status != 0)
      g_test_message ("ots-sanitize: %s", err);
    g_assert_cmpint (status, ==, 0);
  }
  zi_dir_remove_tree (dir);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/export/fit/glyphs", Fixture, NULL, fixture_setup, test_fit_glyphs, fixture_teardown);
  g_test_add ("/export/fit/many", Fixture, NULL, fixture_setup, test_fit_many, fixture_teardown);
  g_test_add ("/export/fit/crossing", Fixture, NULL, fixture_setup, test_fit_crossing, fixture_teardown);
  g_test_add_func ("/export/fit/noisy-circle", test_fit_noisy_circle);
  g_test_add_func ("/export/fit/noisy-square", test_fit_noisy_square);
  g_test_add_func ("/export/fit/sharp-tip", test_fit_sharp_tip);
  g_test_add ("/export/fit/fontmake-ots", Fixture, NULL, fixture_setup, test_fit_fontmake_ots, fixture_teardown);

  return g_test_run ();
}
