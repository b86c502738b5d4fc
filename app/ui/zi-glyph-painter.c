/* zi-glyph-painter.c — coverage bitmaps, outlines and their points drawn with cairo (see
 * zi-glyph-painter.h). */
#include "config.h"
#include "zi-glyph-painter.h"

#include <math.h>
#include <string.h>

#define CORNER_HALF  3.0   /* half the side of a corner point's square */
#define SMOOTH_R     3.5   /* radius of a smooth point's circle */
#define OFF_CURVE_R  2.2   /* radius of an off-curve point's ring */

/* The outlines of the compared checkpoints, column by column, and the target font's. */
static const GdkRGBA model_ink[ZI_GLYPH_PAINTER_MAX_MODELS] = {
  { 0.11, 0.44, 0.85, 1 }, { 0.90, 0.38, 0.0, 1 }, { 0.15, 0.55, 0.35, 1 }, { 0.57, 0.25, 0.67, 1 },
};
static const GdkRGBA target_line = { 0.85, 0.15, 0.45, 0.9 };
/* Smooth points of a single outline, told from its corners by colour as well as by shape. */
static const GdkRGBA smooth_ink = { 0.10, 0.60, 0.30, 1 };

guint
zi_glyph_painter_coverage_side (GBytes *coverage)
{
  return (guint) lround (sqrt ((double) g_bytes_get_size (coverage)));
}

static cairo_surface_t *
surface_from_coverage (const guint8 *cov, guint side)
{
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_A8, side, side);
  int stride = cairo_image_surface_get_stride (surface);
  guint8 *data = cairo_image_surface_get_data (surface);

  cairo_surface_flush (surface);
  for (guint y = 0; y < side; y++)
    memcpy (data + y * stride, cov + y * side, side);
  cairo_surface_mark_dirty (surface);
  return surface;
}

void
zi_glyph_painter_coverage (cairo_t *cr, GBytes *coverage, double x, double y, double k, const GdkRGBA *ink,
                           cairo_filter_t filter)
{
  guint side = zi_glyph_painter_coverage_side (coverage);
  cairo_surface_t *surface = surface_from_coverage (g_bytes_get_data (coverage, NULL), side);
  cairo_pattern_t *mask;

  cairo_save (cr);
  cairo_translate (cr, x, y);
  cairo_scale (cr, k, k);
  gdk_cairo_set_source_rgba (cr, ink);
  mask = cairo_pattern_create_for_surface (surface);
  cairo_pattern_set_filter (mask, filter);
  cairo_mask (cr, mask);
  cairo_restore (cr);
  cairo_pattern_destroy (mask);
  cairo_surface_destroy (surface);
}

static void
map (const ZiOutlineFrame *f, ZiPoint p, double *x, double *y)
{
  *x = f->scale * p.x + f->dx;
  *y = f->dy - f->scale * p.y;
}

void
zi_glyph_painter_path (cairo_t *cr, const ZiOutline *outline, const ZiOutlineFrame *frame)
{
  g_return_if_fail (cr != NULL && outline != NULL && frame != NULL);

  for (guint ci = 0; ci < outline->n_contours; ci++)
    {
      const ZiContour *c = &outline->contours[ci];
      double x, y, x1, y1, x2, y2;

      if (c->n_segments == 0)
        continue;
      map (frame, c->segments[c->n_segments - 1].p, &x, &y);
      cairo_move_to (cr, x, y);
      for (guint i = 0; i < c->n_segments; i++)
        {
          const ZiSegment *s = &c->segments[i];

          map (frame, s->p, &x, &y);
          if (s->kind == ZI_SEGMENT_CUBIC)
            {
              map (frame, s->c1, &x1, &y1);
              map (frame, s->c2, &x2, &y2);
              cairo_curve_to (cr, x1, y1, x2, y2, x, y);
            }
          else
            cairo_line_to (cr, x, y);
        }
      cairo_close_path (cr);
    }
}

/* A point's mark: a light centre and an edge in color, so that it reads over ink and paper alike. */
static void
mark (cairo_t *cr, const GdkRGBA *color, gboolean filled)
{
  if (filled)
    gdk_cairo_set_source_rgba (cr, color);
  else
    cairo_set_source_rgba (cr, 1, 1, 1, 0.9);
  cairo_fill_preserve (cr);
  gdk_cairo_set_source_rgba (cr, color);
  cairo_set_line_width (cr, 1.2);
  cairo_stroke (cr);
}

void
zi_glyph_painter_nodes (cairo_t *cr, const ZiOutline *outline, const ZiOutlineFrame *frame,
                        const GdkRGBA *color, const GdkRGBA *smooth, guint *on_curve, guint *off_curve)
{
  GdkRGBA handle = { color->red, color->green, color->blue, 0.55 };

  g_return_if_fail (cr != NULL && outline != NULL && frame != NULL && color != NULL && smooth != NULL);

  cairo_save (cr);
  cairo_set_dash (cr, NULL, 0, 0);
  /* Handles first, under every point. */
  cairo_set_line_width (cr, 1.0);
  gdk_cairo_set_source_rgba (cr, &handle);
  for (guint ci = 0; ci < outline->n_contours; ci++)
    {
      const ZiContour *c = &outline->contours[ci];

      for (guint i = 0; i < c->n_segments; i++)
        {
          const ZiSegment *s = &c->segments[i];
          double ax, ay, bx, by;

          if (s->kind != ZI_SEGMENT_CUBIC)
            continue;
          map (frame, c->segments[(i + c->n_segments - 1) % c->n_segments].p, &ax, &ay);
          map (frame, s->c1, &bx, &by);
          cairo_move_to (cr, ax, ay);
          cairo_line_to (cr, bx, by);
          map (frame, s->p, &ax, &ay);
          map (frame, s->c2, &bx, &by);
          cairo_move_to (cr, ax, ay);
          cairo_line_to (cr, bx, by);
        }
    }
  cairo_stroke (cr);

  for (guint ci = 0; ci < outline->n_contours; ci++)
    {
      const ZiContour *c = &outline->contours[ci];

      for (guint i = 0; i < c->n_segments; i++)
        {
          const ZiSegment *s = &c->segments[i];
          double x, y;

          if (s->kind == ZI_SEGMENT_CUBIC)
            for (int k = 0; k < 2; k++)
              {
                map (frame, k == 0 ? s->c1 : s->c2, &x, &y);
                cairo_new_sub_path (cr);
                cairo_arc (cr, x, y, OFF_CURVE_R, 0, 2 * G_PI);
                mark (cr, color, FALSE);
                (*off_curve)++;
              }
          if (s->implied)
            continue;
          map (frame, s->p, &x, &y);
          cairo_new_sub_path (cr);
          if (zi_contour_point_is_smooth (c, i))
            {
              cairo_arc (cr, x, y, SMOOTH_R, 0, 2 * G_PI);
              mark (cr, smooth, TRUE);
            }
          else
            {
              cairo_rectangle (cr, x - CORNER_HALF, y - CORNER_HALF, 2 * CORNER_HALF, 2 * CORNER_HALF);
              mark (cr, color, TRUE);
            }
          (*on_curve)++;
        }
    }
  cairo_restore (cr);
}

void
zi_glyph_painter_outline_view (cairo_t *cr, const ZiOutlineFrame *f, const ZiGlyphOutline *target,
                               const ZiGlyphOutline * const *models, guint n, GBytes *bitmap, const GdkRGBA *fg,
                               gboolean show_nodes, guint *outlines, guint *on_curve, guint *off_curve)
{
  g_return_if_fail (cr != NULL && f != NULL && n <= ZI_GLYPH_PAINTER_MAX_MODELS);

  if (bitmap != NULL && n > 0 && models[0] != NULL)
    {
      /* A pixel (u, v) of the bitmap is at font units ((u − ox) / s, (oy − v) / s) of its placement. */
      const ZiPlacement *p = &models[0]->placement;
      GdkRGBA faint = { fg->red, fg->green, fg->blue, 0.16 };
      double k = f->scale / p->scale;

      zi_glyph_painter_coverage (cr, bitmap, f->dx - k * p->origin_x, f->dy - k * p->origin_y, k, &faint,
                                 CAIRO_FILTER_NEAREST);
    }
  for (guint k = 0; k < n; k++)
    if (models[k] != NULL)
      {
        zi_glyph_painter_path (cr, models[k]->outline, f);
        cairo_set_source_rgba (cr, model_ink[k].red, model_ink[k].green, model_ink[k].blue, n > 1 ? 0.06 : 0.10);
        cairo_fill (cr);
      }
  if (target != NULL)
    {
      zi_glyph_painter_path (cr, target->outline, f);
      gdk_cairo_set_source_rgba (cr, &target_line);
      cairo_set_line_width (cr, 1.0);
      cairo_stroke (cr);
      (*outlines)++;
    }
  for (guint k = 0; k < n; k++)
    if (models[k] != NULL)
      {
        zi_glyph_painter_path (cr, models[k]->outline, f);
        gdk_cairo_set_source_rgba (cr, &model_ink[k]);
        cairo_set_line_width (cr, 1.5);
        cairo_stroke (cr);
        (*outlines)++;
      }
  for (guint k = 0; k < n && show_nodes; k++)
    if (models[k] != NULL)
      zi_glyph_painter_nodes (cr, models[k]->outline, f, &model_ink[k], n > 1 ? &model_ink[k] : &smooth_ink,
                              on_curve, off_curve);
}
