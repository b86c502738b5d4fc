/* test-outline-raster.c — tests of the outline rasteriser (app/glyph/zi-outline-raster.h) that the
 * outline measures' IoU, PNG export and the window share: squares whose coverage is known to the last
 * level (on the pixel grid, on half pixels, either winding, with a hole), a circle of cubics against
 * πr², and real glyphs — the font's own outline taken apart (zi_font_char_outline) and filled again
 * must give what FreeType renders of the font (zi_render_char), for a TrueType (quadratic) and a CFF
 * (cubic) font, at the placement's size and scaled to another. And the sharp upscaling of coverage
 * (app/glyph/zi-upscale.h) the window's grid shows generated glyphs with. */
#include "config.h"
#include "zi-font.h"
#include "zi-outline-raster.h"
#include "zi-render.h"
#include "zi-upscale.h"

#include <math.h>
#include <string.h>

#define ZEN_MARU "Zen Maru Gothic"
#define NOTO_TC  "Noto Sans CJK TC"

static ZiOutline *
polygon (const double *xy, guint n)
{
  ZiOutline *o = g_new0 (ZiOutline, 1);

  o->n_contours = 1;
  o->contours = g_new0 (ZiContour, 1);
  o->contours[0].n_segments = n;
  o->contours[0].segments = g_new0 (ZiSegment, n);
  for (guint i = 0; i < n; i++)
    {
      o->contours[0].segments[i].kind = ZI_SEGMENT_LINE;
      o->contours[0].segments[i].p = (ZiPoint) { xy[2 * i], xy[2 * i + 1] };
    }
  o->contours[0].area = zi_contour_signed_area (&o->contours[0]);
  o->contours[0].hole = o->contours[0].area < 0;
  zi_outline_update_bbox (o);
  return o;
}

/* A counter-clockwise square (font units, y up). */
static ZiOutline *
square (double x, double y, double side)
{
  const double xy[] = { x, y, x + side, y, x + side, y + side, x, y + side };
  return polygon (xy, 4);
}

static guint64
coverage_sum (const guint8 *cov, gsize n)
{
  guint64 sum = 0;

  for (gsize i = 0; i < n; i++)
    sum += cov[i];
  return sum;
}

/* The frame of a 1 unit = 1 px canvas of side h: y_px = h − y. */
static ZiOutlineFrame
unit_frame (guint h)
{
  return (ZiOutlineFrame) { 1.0, 0.0, h };
}

/* A square on the pixel grid: every pixel inside is full ink, every one outside paper, nothing grey;
 * whichever way it winds. */
static void
test_square_on_grid (void)
{
  const guint w = 32;
  g_autoptr(ZiOutline) sq = square (8, 4, 16);
  guint8 cov[32 * 32];
  g_autoptr(GError) error = NULL;
  ZiOutlineFrame f = unit_frame (w);

  for (int pass = 0; pass < 2; pass++)
    {
      g_assert_true (zi_outline_render_frame (sq, &f, cov, w, w, &error));
      g_assert_no_error (error);
      for (guint row = 0; row < w; row++)
        for (guint col = 0; col < w; col++)
          {
            /* y from 4 to 20 up is rows 32 − 20 = 12 to 27 down. */
            gboolean inside = col >= 8 && col < 24 && row >= 12 && row < 28;
            g_assert_cmpuint (cov[row * w + col], ==, inside ? 255 : 0);
          }
      g_assert_cmpuint (coverage_sum (cov, w * w), ==, 255 * 16 * 16);
      /* Clockwise: the same pixels under the nonzero rule. */
      zi_contour_reverse (&sq->contours[0]);
    }
}

/* Edges on half pixels: the edge pixels are half covered, the corners a quarter, the area exact to
 * FreeType's rounding of each pixel's coverage. */
static void
test_square_half_pixels (void)
{
  const guint w = 16;
  g_autoptr(ZiOutline) sq = square (2.5, 3.5, 10);
  guint8 cov[16 * 16];
  ZiOutlineFrame f = unit_frame (w);
  guint64 sum;

  g_assert_true (zi_outline_render_frame (sq, &f, cov, w, w, NULL));
  /* Columns 2 (half) to 12 (half); rows from 16 − 13.5 = 2.5 to 12.5. */
  g_assert_cmpuint (cov[7 * w + 2], >=, 127);
  g_assert_cmpuint (cov[7 * w + 2], <=, 128);
  g_assert_cmpuint (cov[7 * w + 12], >=, 127);
  g_assert_cmpuint (cov[7 * w + 12], <=, 128);
  g_assert_cmpuint (cov[2 * w + 7], >=, 127);
  g_assert_cmpuint (cov[12 * w + 7], <=, 128);
  g_assert_cmpuint (cov[2 * w + 2], >=, 63);
  g_assert_cmpuint (cov[2 * w + 2], <=, 64);
  g_assert_cmpuint (cov[7 * w + 7], ==, 255);
  g_assert_cmpuint (cov[7 * w + 1], ==, 0);
  g_assert_cmpuint (cov[7 * w + 13], ==, 0);
  sum = coverage_sum (cov, w * w);
  /* 100 px² of ink; each of the 40 part-covered pixels may round by a level. */
  g_assert_cmpfloat (fabs ((double) sum - 255.0 * 100), <=, 40);
}

/* A clockwise square inside a counter-clockwise one is a hole: paper inside. */
static void
test_square_hole (void)
{
  const guint w = 32;
  g_autoptr(ZiOutline) ring = square (4, 4, 24);
  g_autoptr(ZiOutline) inner = square (12, 12, 8);
  guint8 cov[32 * 32];
  ZiOutlineFrame f = unit_frame (w);

  zi_contour_reverse (&inner->contours[0]);
  ring->contours = g_renew (ZiContour, ring->contours, 2);
  ring->contours[1] = inner->contours[0];
  ring->n_contours = 2;
  inner->n_contours = 0;
  g_assert_true (zi_outline_render_frame (ring, &f, cov, w, w, NULL));
  g_assert_cmpuint (cov[16 * w + 16], ==, 0);
  g_assert_cmpuint (cov[8 * w + 8], ==, 255);
  g_assert_cmpuint (coverage_sum (cov, w * w), ==, 255 * (24 * 24 - 8 * 8));
}

/* A circle of four cubics (control arms 4/3 (√2 − 1) r) fills πr² to within the approximation
 * (0.028% more area) and the chords inside the curves (FreeType's own flattening of cubics fell 0.14%
 * short, 0.07 px along the edge). */
static void
test_circle (void)
{
  const double r = 100, cx = 128, cy = 128, k = 4.0 / 3.0 * (G_SQRT2 - 1) * r;
  g_autoptr(ZiOutline) o = g_new0 (ZiOutline, 1);
  g_autofree guint8 *cov = g_malloc (256 * 256);
  ZiOutlineFrame f = unit_frame (256);
  ZiSegment *s;
  double area;

  o->n_contours = 1;
  o->contours = g_new0 (ZiContour, 1);
  o->contours[0].n_segments = 4;
  o->contours[0].segments = s = g_new0 (ZiSegment, 4);
  for (int i = 0; i < 4; i++)
    {
      double a0 = i * G_PI / 2, a1 = (i + 1) * G_PI / 2;

      s[i].kind = ZI_SEGMENT_CUBIC;
      s[i].c1 = (ZiPoint) { cx + r * cos (a0) - k * sin (a0), cy + r * sin (a0) + k * cos (a0) };
      s[i].c2 = (ZiPoint) { cx + r * cos (a1) + k * sin (a1), cy + r * sin (a1) - k * cos (a1) };
      s[i].p = (ZiPoint) { cx + r * cos (a1), cy + r * sin (a1) };
    }
  g_assert_true (zi_outline_render_frame (o, &f, cov, 256, 256, NULL));
  area = coverage_sum (cov, 256 * 256) / 255.0;
  g_test_message ("circle of r %g: %.1f px² (πr² = %.1f)", r, area, G_PI * r * r);
  g_assert_cmpfloat (fabs (area - G_PI * r * r) / (G_PI * r * r), <, 5e-4);
  g_assert_cmpuint (cov[128 * 256 + 128], ==, 255);
  g_assert_cmpuint (cov[128 * 256 + 20], ==, 0);
}

/* The mean absolute difference of two coverage bitmaps, in levels of 255. */
static double
mean_difference (const guint8 *a, const guint8 *b, gsize n, guint *max)
{
  double sum = 0;

  *max = 0;
  for (gsize i = 0; i < n; i++)
    {
      guint d = ABS ((int) a[i] - (int) b[i]);

      *max = MAX (*max, d);
      sum += d;
    }
  return sum / n;
}

/* FreeType's rendering of the font with the placement scaled f times, each f×f block averaged: the
 * coverage of the true outline to within FreeType's flattening at f times the size (f² times finer). */
static void
reference (ZiFont *font, const ZiPlacement *p, gunichar c, guint f, guint8 *out)
{
  ZiPlacement big = *p;
  guint size = p->size, n = size * f;
  g_autofree guint8 *fine = g_malloc ((gsize) n * n);

  big.size = n;
  big.scale *= f;
  big.origin_x *= f;
  big.origin_y *= f;
  g_assert_true (zi_render_char (font, &big, c, fine, NULL));
  for (guint y = 0; y < size; y++)
    for (guint x = 0; x < size; x++)
      {
        guint sum = 0;

        for (guint j = 0; j < f; j++)
          for (guint i = 0; i < f; i++)
            sum += fine[(gsize) (y * f + j) * n + x * f + i];
        out[y * size + x] = (guint8) ((sum + f * f / 2) / (f * f));
      }
}

/* A font's outline taken apart and filled again against FreeType's rendering of the font, the same
 * placement, both on the 26.6 grid. They differ where FreeType flattens the font's curves more
 * coarsely than our 1/64 px (a quadratic's chords within ~1/16 px, a cubic's within ~1/8 px):
 * a few edge pixels by up to a fifth of a level range, on average under half a level. The truth lies
 * with the finer flattening: against FreeType's rendering at 1024 px averaged down, ours is the
 * closer. Last, the outline filled at twice the size against FreeType with the placement at that
 * size. */
static void
check_font (const char *spec, gunichar c, guint size)
{
  g_autoptr(GError) error = NULL;
  ZiFont *font = zi_font_open (spec, &error);
  g_autoptr(ZiOutline) o = NULL;
  ZiPlacement p, p2;
  g_autofree guint8 *ours = g_malloc ((gsize) 4 * size * size);
  g_autofree guint8 *ft = g_malloc ((gsize) 4 * size * size);
  g_autofree guint8 *ref = g_malloc ((gsize) size * size);
  double mean, ours_ref, ft_ref;
  guint max, max_ours_ref, max_ft_ref;
  guint64 ink = 0;

  g_assert_no_error (error);
  o = zi_font_char_outline (font, c, &error);
  g_assert_no_error (error);
  g_assert_true (zi_placement_init (&p, font, size, ZI_DEFAULT_EM_FRACTION, &error));
  g_assert_true (zi_outline_render (o, &p, size, ours, &error));
  g_assert_no_error (error);
  g_assert_true (zi_render_char (font, &p, c, ft, &error));
  reference (font, &p, c, 1024 / size, ref);
  for (guint i = 0; i < size * size; i++)
    ink += ft[i];
  mean = mean_difference (ours, ft, (gsize) size * size, &max);
  ours_ref = mean_difference (ours, ref, (gsize) size * size, &max_ours_ref);
  ft_ref = mean_difference (ft, ref, (gsize) size * size, &max_ft_ref);
  g_test_message ("%s U+%04X at %u px: against FreeType's rendering largest difference %u of 255, "
                  "mean %.3f; against 1024 px averaged down: ours %.3f (largest %u), FreeType's %.3f "
                  "(largest %u)", spec, c, size, max, mean, ours_ref, max_ours_ref, ft_ref, max_ft_ref);
  g_assert_cmpuint (ink, >, 255 * size * size / 20);  /* a real glyph: a twentieth of the canvas */
  g_assert_cmpuint (max, <=, 64);
  g_assert_cmpfloat (mean, <, 0.6);
  g_assert_cmpfloat (ours_ref, <, ft_ref);
  g_assert_cmpuint (max_ours_ref, <=, 16);

  g_assert_true (zi_placement_init (&p2, font, 2 * size, ZI_DEFAULT_EM_FRACTION, &error));
  g_assert_true (zi_outline_render (o, &p, 2 * size, ours, &error));
  g_assert_true (zi_render_char (font, &p2, c, ft, &error));
  mean = mean_difference (ours, ft, (gsize) 4 * size * size, &max);
  g_test_message ("  at %u px from the %u px placement: mean difference %.3f", 2 * size, size, mean);
  g_assert_cmpfloat (mean, <, 0.6);
  zi_font_free (font);
}

static void
test_font_truetype (void)
{
  check_font (ZEN_MARU, 0x6C38, 64);   /* 永 */
  check_font (ZEN_MARU, 0x9B31, 256);  /* 鬱: many strokes */
}

static void
test_font_cff (void)
{
  check_font (NOTO_TC, 0x6C38, 64);
  check_font (NOTO_TC, 0x9B31, 256);
}

/* Nothing to fill: paper; the frame maps as the placement does. */
static void
test_empty_and_frame (void)
{
  g_autoptr(ZiOutline) empty = g_new0 (ZiOutline, 1);
  guint8 cov[16 * 16];
  ZiPlacement p = { .size = 64, .scale = 0.05, .origin_x = 4.5, .origin_y = 50.25, .units_per_em = 1000 };
  ZiOutlineFrame f;

  memset (cov, 7, sizeof cov);
  g_assert_true (zi_outline_render_frame (empty, &(ZiOutlineFrame) { 1, 0, 0 }, cov, 16, 16, NULL));
  g_assert_cmpuint (coverage_sum (cov, sizeof cov), ==, 0);

  zi_outline_frame_from_placement (&f, &p, 256);
  g_assert_cmpfloat (f.scale, ==, 0.2);
  g_assert_cmpfloat (f.dx, ==, 18);
  g_assert_cmpfloat (f.dy, ==, 201);
}

/* 永 rendered at 64 px and upscaled to 512 px: edges about a pixel wide (grey pixels against the
 * outline's length at 512 px; bilinear scaling alone greys ~18 a pixel of length, see
 * /export/job/png-from-outline), the shape the font's own at 512 px; flat areas stay flat. */
static void
test_upscale_sharp (void)
{
  const guint size = 64, big = 512;
  g_autoptr(GError) error = NULL;
  ZiFont *font = zi_font_open (ZEN_MARU, &error);
  g_autoptr(ZiOutline) o = NULL;
  g_autoptr(GArray) pts = g_array_new (FALSE, FALSE, sizeof (ZiPoint));
  g_autofree guint8 *small = g_malloc (size * size);
  g_autofree guint8 *up = g_malloc (big * big);
  g_autofree guint8 *ft = g_malloc (big * big);
  ZiPlacement p, p_big;
  guint64 inter = 0, uni = 0;
  double length = 0;
  guint grey = 0;
  guint8 flat[4] = { 200, 200, 200, 200 }, flat_up[16];

  g_assert_no_error (error);
  g_assert_true (zi_placement_init (&p, font, size, ZI_DEFAULT_EM_FRACTION, NULL));
  g_assert_true (zi_placement_init (&p_big, font, big, ZI_DEFAULT_EM_FRACTION, NULL));
  g_assert_true (zi_render_char (font, &p, 0x6C38, small, NULL));
  g_assert_true (zi_render_char (font, &p_big, 0x6C38, ft, NULL));
  zi_coverage_upscale_sharp (small, size, up, big);

  o = zi_font_char_outline (font, 0x6C38, &error);
  for (guint ci = 0; ci < o->n_contours; ci++)
    {
      g_array_set_size (pts, 0);
      zi_contour_flatten (&o->contours[ci], 0.5, pts);
      for (guint i = 0; i < pts->len; i++)
        {
          ZiPoint a = g_array_index (pts, ZiPoint, i), b = g_array_index (pts, ZiPoint, (i + 1) % pts->len);
          length += hypot (b.x - a.x, b.y - a.y) * p_big.scale;
        }
    }
  for (guint i = 0; i < big * big; i++)
    {
      grey += up[i] > 0 && up[i] < 255;
      inter += MIN (up[i], ft[i]);
      uni += MAX (up[i], ft[i]);
    }
  g_test_message ("永 64 → 512 px: %u grey pixels along %.0f px of outline (%.2f), IoU with the font at "
                  "512 px %.4f", grey, length, grey / length, (double) inter / uni);
  g_assert_cmpfloat (grey, <=, 1.6 * length);
  g_assert_cmpfloat ((double) inter / uni, >, 0.95);

  zi_coverage_upscale_sharp (flat, 2, flat_up, 4);
  for (guint i = 0; i < 16; i++)
    g_assert_cmpuint (flat_up[i], ==, 255);  /* 200 is ink: the ramp takes it to full ink */
  zi_coverage_upscale_sharp (small, size, up, size);
  g_assert_cmpmem (small, size * size, up, size * size);
  zi_font_free (font);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/glyph/outline-raster/square-on-grid", test_square_on_grid);
  g_test_add_func ("/glyph/outline-raster/square-half-pixels", test_square_half_pixels);
  g_test_add_func ("/glyph/outline-raster/hole", test_square_hole);
  g_test_add_func ("/glyph/outline-raster/circle", test_circle);
  g_test_add_func ("/glyph/outline-raster/font-truetype", test_font_truetype);
  g_test_add_func ("/glyph/outline-raster/font-cff", test_font_cff);
  g_test_add_func ("/glyph/outline-raster/empty-and-frame", test_empty_and_frame);
  g_test_add_func ("/glyph/upscale/sharp", test_upscale_sharp);
  return g_test_run ();
}
