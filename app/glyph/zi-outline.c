/* zi-outline.c — the geometry every glyph outline needs: points on cubics, signed area, direction and
 * bounding box, flattening and mapping between fonts' units. */
#include "config.h"
#include "zi-outline.h"

#include <math.h>

ZiPoint
zi_cubic_at (ZiPoint a, ZiPoint b, ZiPoint c, ZiPoint d, double t)
{
  double u = 1 - t;
  ZiPoint r = {
    u * u * u * a.x + 3 * u * u * t * b.x + 3 * u * t * t * c.x + t * t * t * d.x,
    u * u * u * a.y + 3 * u * u * t * b.y + 3 * u * t * t * c.y + t * t * t * d.y,
  };
  return r;
}

double
zi_contour_signed_area (const ZiContour *c)
{
  double area = 0;
  ZiPoint prev;

  g_return_val_if_fail (c != NULL, 0);
  if (c->n_segments == 0)
    return 0;
  prev = c->segments[c->n_segments - 1].p;
  for (guint i = 0; i < c->n_segments; i++)
    {
      const ZiSegment *s = &c->segments[i];

      if (s->kind == ZI_SEGMENT_CUBIC)
        {
          ZiPoint a = prev;
          for (int k = 1; k <= 8; k++)
            {
              ZiPoint b = zi_cubic_at (prev, s->c1, s->c2, s->p, k / 8.0);
              area += a.x * b.y - b.x * a.y;
              a = b;
            }
        }
      else
        area += prev.x * s->p.y - s->p.x * prev.y;
      prev = s->p;
    }
  return area / 2;
}

void
zi_contour_reverse (ZiContour *c)
{
  guint n;
  ZiSegment *rev;

  g_return_if_fail (c != NULL);
  n = c->n_segments;
  if (n == 0)
    return;
  rev = g_new (ZiSegment, n);
  /* Segment i runs from segments[i-1].p to segments[i].p; reversed, it runs back with its control
   * points swapped, and the reversed list visits the segments in the opposite order. */
  for (guint j = 0; j < n; j++)
    {
      const ZiSegment *s = &c->segments[n - 1 - j];
      const ZiSegment *before = &c->segments[(2 * n - 2 - j) % n];

      rev[j].kind = s->kind;
      rev[j].c1 = s->c2;
      rev[j].c2 = s->c1;
      rev[j].p = before->p;
      rev[j].implied = before->implied;
    }
  g_free (c->segments);
  c->segments = rev;
  c->area = -c->area;
}

static void
extend_bbox (ZiOutline *o, ZiPoint p, gboolean *first)
{
  if (*first)
    {
      o->x_min = o->x_max = p.x;
      o->y_min = o->y_max = p.y;
      *first = FALSE;
      return;
    }
  o->x_min = MIN (o->x_min, p.x);
  o->x_max = MAX (o->x_max, p.x);
  o->y_min = MIN (o->y_min, p.y);
  o->y_max = MAX (o->y_max, p.y);
}

void
zi_outline_update_bbox (ZiOutline *outline)
{
  gboolean first = TRUE;

  g_return_if_fail (outline != NULL);
  outline->x_min = outline->y_min = outline->x_max = outline->y_max = 0;
  for (guint ci = 0; ci < outline->n_contours; ci++)
    {
      const ZiContour *c = &outline->contours[ci];

      for (guint i = 0; i < c->n_segments; i++)
        {
          const ZiSegment *s = &c->segments[i];
          ZiPoint prev = c->segments[(i + c->n_segments - 1) % c->n_segments].p;

          /* Sampling the cubic keeps the box tight; control points can stick out of the curve. */
          if (s->kind == ZI_SEGMENT_CUBIC)
            for (int k = 1; k < 8; k++)
              extend_bbox (outline, zi_cubic_at (prev, s->c1, s->c2, s->p, k / 8.0), &first);
          extend_bbox (outline, s->p, &first);
        }
    }
}

void
zi_contour_flatten (const ZiContour *c, double tolerance, GArray *points)
{
  g_return_if_fail (c != NULL);
  g_return_if_fail (points != NULL);
  g_return_if_fail (tolerance > 0);

  for (guint i = 0; i < c->n_segments; i++)
    {
      const ZiSegment *s = &c->segments[i];
      ZiPoint a = c->segments[(i + c->n_segments - 1) % c->n_segments].p;

      g_array_append_val (points, a);
      if (s->kind == ZI_SEGMENT_CUBIC)
        {
          /* Wang's formula (S.-W. Wang 1984, as in Skia's GrWangsFormula): n equal steps in t keep a
           * cubic's chords within tol of it when n ≥ sqrt(3/4 · M / tol), where M is the longest
           * second difference of the control points. */
          double m = MAX (hypot (a.x - 2 * s->c1.x + s->c2.x, a.y - 2 * s->c1.y + s->c2.y),
                          hypot (s->c1.x - 2 * s->c2.x + s->p.x, s->c1.y - 2 * s->c2.y + s->p.y));
          int n = (int) ceil (sqrt (0.75 * m / tolerance));

          n = CLAMP (n, 1, 1000);
          for (int k = 1; k < n; k++)
            {
              ZiPoint b = zi_cubic_at (a, s->c1, s->c2, s->p, (double) k / n);
              g_array_append_val (points, b);
            }
        }
    }
}

static void
transform_point (ZiPoint *p, double scale, double dx, double dy)
{
  p->x = scale * p->x + dx;
  p->y = scale * p->y + dy;
}

void
zi_outline_transform (ZiOutline *outline, double scale, double dx, double dy)
{
  g_return_if_fail (outline != NULL);
  g_return_if_fail (scale > 0);

  for (guint ci = 0; ci < outline->n_contours; ci++)
    {
      ZiContour *c = &outline->contours[ci];

      for (guint i = 0; i < c->n_segments; i++)
        {
          transform_point (&c->segments[i].c1, scale, dx, dy);
          transform_point (&c->segments[i].c2, scale, dx, dy);
          transform_point (&c->segments[i].p, scale, dx, dy);
        }
      c->area *= scale * scale;
    }
  zi_outline_update_bbox (outline);
}

void
zi_outline_free (ZiOutline *outline)
{
  if (outline == NULL)
    return;
  for (guint i = 0; i < outline->n_contours; i++)
    g_free (outline->contours[i].segments);
  g_free (outline->contours);
  g_free (outline);
}
