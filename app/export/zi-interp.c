/* zi-interp.c — redrawing several styles' tracings of one glyph with the reference style's contours,
 * segments and points (zi-interp.h).
 *
 * Each contour is resampled evenly (every 2 units of a 1000-unit em) into a ring of samples with their
 * unit tangents; a point's place on another style's contour is a sample index on that ring, and the
 * segments between two places are redrawn from the samples in between. Lengths below are in units of a
 * 1000-unit em and scaled to the font's. */
#include "config.h"
#include "zi-interp.h"

#include "zi-fit-private.h"
#include "zi-outline-metric.h"

#include <math.h>
#include <string.h>

#define RING_STEP      2.0   /* sample spacing */
#define TANGENT_WEIGHT 40.0  /* cost of a sample whose tangent turns from the point's, per (1 − cos) */
#define SNAP_DISTANCE  40.0  /* how far an own on-curve point may lie from the place found for a point */
#define SNAP_CORNER    100.0 /* ... or a corner's */
#define SNAP_COS       0.9   /* ... and how closely (cos 25°) its tangents must agree */
#define MATCH_DISTANCE 120.0 /* largest distance between the centroids of matched contours */
#define MATCH_AREA     2.5   /* largest |log| of the ratio of matched contours' areas */

/* A contour resampled: n samples step h apart (font units), closed, with unit tangents. */
typedef struct {
  int      n;
  double   h;
  ZiPoint *p;
  ZiPoint *t;
  ZiPoint  centroid;
  double   area;
  double   x_min, y_min, x_max, y_max;
} Ring;

static void
ring_clear (Ring *r)
{
  g_clear_pointer (&r->p, g_free);
  g_clear_pointer (&r->t, g_free);
}

static void
ring_init (Ring *r, const ZiContour *c, double step)
{
  g_autoptr(GArray) pts = g_array_new (FALSE, FALSE, sizeof (ZiPoint));
  ZiPoint *q;
  double length = 0, a2 = 0, cx = 0, cy = 0, at = 0;
  guint m;

  memset (r, 0, sizeof *r);
  zi_contour_flatten (c, step / 20, pts);
  m = pts->len;
  q = (ZiPoint *) pts->data;
  r->x_min = r->y_min = G_MAXDOUBLE;
  r->x_max = r->y_max = -G_MAXDOUBLE;
  for (guint i = 0; i < m; i++)
    {
      ZiPoint a = q[i], b = q[(i + 1) % m];
      double k = cross (a, b);

      length += len (sub (b, a));
      a2 += k;
      cx += (a.x + b.x) * k;
      cy += (a.y + b.y) * k;
      r->x_min = MIN (r->x_min, a.x);
      r->y_min = MIN (r->y_min, a.y);
      r->x_max = MAX (r->x_max, a.x);
      r->y_max = MAX (r->y_max, a.y);
    }
  r->area = a2 / 2;
  r->centroid = fabs (a2) > 1e-9 ? pt (cx / (3 * a2), cy / (3 * a2))
                                 : pt ((r->x_min + r->x_max) / 2, (r->y_min + r->y_max) / 2);
  r->n = MAX (8, (int) round (length / step));
  r->h = length / r->n;
  r->p = g_new (ZiPoint, r->n);
  r->t = g_new (ZiPoint, r->n);
  /* Walk the polyline, placing a sample every h along it. */
  for (int j = 0, i = 0; j < r->n; j++)
    {
      double want = j * r->h;

      while (i < (int) m)
        {
          double d = len (sub (q[(i + 1) % m], q[i]));

          if (at + d >= want || i == (int) m - 1)
            {
              double u = d > 0 ? CLAMP ((want - at) / d, 0, 1) : 0;

              r->p[j] = add (q[i], scale (sub (q[(i + 1) % m], q[i]), u));
              break;
            }
          at += d;
          i++;
        }
    }
  for (int j = 0; j < r->n; j++)
    r->t[j] = normalize (sub (r->p[(j + 2) % r->n], r->p[(j + r->n - 2) % r->n]));
}

/* The on-curve point ending segment i of c, and the unit directions arriving at it and leaving it. */
static ZiPoint
end_point (const ZiContour *c, guint i)
{
  return c->segments[i % c->n_segments].p;
}

static ZiPoint
dir_in (const ZiContour *c, guint i)
{
  const ZiSegment *s = &c->segments[i % c->n_segments];
  ZiPoint prev = end_point (c, i + c->n_segments - 1);
  ZiPoint d = pt (0, 0);

  if (s->kind == ZI_SEGMENT_CUBIC)
    {
      d = normalize (sub (s->p, s->c2));
      if (len (d) == 0)
        d = normalize (sub (s->p, s->c1));
    }
  if (len (d) == 0)
    d = normalize (sub (s->p, prev));
  return d;
}

static ZiPoint
dir_out (const ZiContour *c, guint i)
{
  const ZiSegment *s = &c->segments[(i + 1) % c->n_segments];
  ZiPoint p = end_point (c, i);
  ZiPoint d = pt (0, 0);

  if (s->kind == ZI_SEGMENT_CUBIC)
    {
      d = normalize (sub (s->c1, p));
      if (len (d) == 0)
        d = normalize (sub (s->c2, p));
    }
  if (len (d) == 0)
    d = normalize (sub (s->p, p));
  return d;
}

static gboolean
axis_aligned (ZiPoint d)
{
  return d.x == 0 || d.y == 0;
}

/* The sample of r nearest to p. */
static int
nearest_sample (const Ring *r, ZiPoint p)
{
  int best = 0;
  double best_d = G_MAXDOUBLE;

  for (int j = 0; j < r->n; j++)
    {
      double d = len (sub (r->p[j], p));

      if (d < best_d)
        {
          best_d = d;
          best = j;
        }
    }
  return best;
}

static int
ring_distance (const Ring *r, int a, int b)
{
  int d = abs (a - b) % r->n;

  return MIN (d, r->n - d);
}

/* Pairs the contours of ref and other: match[k] is the contour of other that contour k of ref
 * becomes. Each pair must be outer/outer or hole/hole and each the other's nearest by centroid among
 * those, within MATCH_DISTANCE and MATCH_AREA. */
static ZiInterpResult
match_contours (const Ring *ref, const ZiOutline *ro, const Ring *oth, const ZiOutline *oo, double em,
                guint *match)
{
  guint n = ro->n_contours;

  for (guint k = 0; k < n; k++)
    {
      double best = G_MAXDOUBLE;
      guint bj = 0;

      for (guint j = 0; j < n; j++)
        {
          double d = len (sub (ref[k].centroid, oth[j].centroid));

          if (ro->contours[k].hole == oo->contours[j].hole && d < best)
            {
              best = d;
              bj = j;
            }
        }
      if (best > MATCH_DISTANCE * em
          || fabs (log (fabs (ref[k].area) / MAX (fabs (oth[bj].area), 1e-9))) > MATCH_AREA)
        return ZI_INTERP_AMBIGUOUS;
      /* Mutual: no other contour of ref of the same kind is nearer to bj. */
      for (guint i = 0; i < n; i++)
        if (i != k && ro->contours[i].hole == oo->contours[bj].hole
            && len (sub (ref[i].centroid, oth[bj].centroid)) < best)
          return ZI_INTERP_AMBIGUOUS;
      match[k] = bj;
    }
  for (guint k = 0; k < n; k++)
    for (guint i = k + 1; i < n; i++)
      if (match[k] == match[i])
        return ZI_INTERP_AMBIGUOUS;
  return ZI_INTERP_COMPATIBLE;
}

/* Finds each on-curve point of the reference contour rc (resampled as rr) on ring, the other style's
 * matched contour oc: place[i] is the sample, pos[i] the point. snapped[i] says whether the point is
 * one of oc's own on-curve points at the same feature (an extremum or a corner with the same
 * tangents); the others sit at the sample nearest where the point would be if the contour only
 * stretched with its bounding box, with the same tangent. */
static void
snap_points (const ZiContour *rc, const Ring *rr, const ZiContour *oc, const Ring *ring, double em,
             int *place, ZiPoint *pos, gboolean *snapped)
{
  guint m = rc->n_segments;
  g_autofree int *own = g_new (int, oc->n_segments);
  g_autofree int *snap_of = g_new (int, m);
  g_autofree double *snap_d = g_new (double, m);
  double sx = (ring->x_max - ring->x_min) / MAX (rr->x_max - rr->x_min, 1e-9);
  double sy = (ring->y_max - ring->y_min) / MAX (rr->y_max - rr->y_min, 1e-9);

  for (guint k = 0; k < oc->n_segments; k++)
    own[k] = nearest_sample (ring, end_point (oc, k));
  for (guint i = 0; i < m; i++)
    {
      ZiPoint p = end_point (rc, i), din = dir_in (rc, i), dout = dir_out (rc, i);
      ZiPoint tan = normalize (add (din, dout));
      ZiPoint q = pt (ring->x_min + (p.x - rr->x_min) * sx, ring->y_min + (p.y - rr->y_min) * sy);
      /* A corner is told apart by both its tangents, so it may be looked for further away: a
       * junction's corner moves with half the difference of the stems' widths. */
      double best = G_MAXDOUBLE;
      double best_snap = (dot (din, dout) < SNAP_COS ? SNAP_CORNER : SNAP_DISTANCE) * em;
      int bj = 0, snap = -1;

      for (int j = 0; j < ring->n; j++)
        {
          double cost = len (sub (ring->p[j], q)) + TANGENT_WEIGHT * em * (1 - dot (tan, ring->t[j]));

          if (cost < best)
            {
              best = cost;
              bj = j;
            }
        }
      /* The other tracing's own point at the same feature, when it has one near where the point
       * would sit or near the sample found for it. */
      for (guint k = 0; k < oc->n_segments; k++)
        {
          double d = MIN (ring_distance (ring, own[k], bj) * ring->h, len (sub (end_point (oc, k), q)));

          if (d <= best_snap && dot (din, dir_in (oc, k)) >= SNAP_COS
              && dot (dout, dir_out (oc, k)) >= SNAP_COS)
            {
              best_snap = d;
              snap = (int) k;
            }
        }
      place[i] = snap >= 0 ? own[snap] : bj;
      pos[i] = snap >= 0 ? end_point (oc, snap) : round_point (ring->p[bj]);
      snapped[i] = snap >= 0;
      snap_of[i] = snap;
      snap_d[i] = best_snap;
    }
  /* One own point stands for one reference point at most: the nearest keeps it. */
  for (guint i = 0; i < m; i++)
    for (guint j = 0; j < m && snapped[i]; j++)
      if (j != i && snapped[j] && snap_of[j] == snap_of[i]
          && (snap_d[j] < snap_d[i] || (snap_d[j] == snap_d[i] && j < i)))
        snapped[i] = FALSE;
}

/* A point the other tracing has no feature for goes where its share of the reference's length
 * between the features around it puts it: strokes of other widths move the points in between less
 * predictably than they move the features. */
static void
place_between (const ZiContour *rc, const Ring *rr, const Ring *ring, const gboolean *snapped,
               int *place, ZiPoint *pos)
{
  guint m = rc->n_segments, n_snapped = 0;

  for (guint i = 0; i < m; i++)
    n_snapped += snapped[i];
  for (guint i = 0; i < m && n_snapped > 0; i++)
    {
      guint a = i, b = i;
      int ra, rb, ri, oa, ob;

      if (snapped[i])
        continue;
      while (!snapped[a])
        a = (a + m - 1) % m;
      while (!snapped[b])
        b = (b + 1) % m;
      ra = nearest_sample (rr, end_point (rc, a));
      rb = ((nearest_sample (rr, end_point (rc, b)) - ra) % rr->n + rr->n) % rr->n;
      ri = ((nearest_sample (rr, end_point (rc, i)) - ra) % rr->n + rr->n) % rr->n;
      oa = place[a];
      ob = ((place[b] - oa) % ring->n + ring->n) % ring->n;
      if (rb == 0)
        rb = rr->n;
      if (ob == 0)
        ob = ring->n;
      place[i] = (oa + (int) round ((double) ri / rb * ob)) % ring->n;
      pos[i] = round_point (ring->p[place[i]]);
    }
}

/* Whether the m places run once around a ring of n samples, each after the one before. */
static gboolean
places_in_order (const int *place, guint m, int n)
{
  int total = 0;

  for (guint i = 0; i < m && m > 1; i++)
    {
      int step = ((place[i] - place[(i + m - 1) % m]) % n + n) % n;

      if (step == 0)
        return FALSE;
      total += step;
    }
  return m <= 1 || total == n;
}

/* The segments of rc redrawn through the points pos[] (at the samples place[] of ring) into segs:
 * a line stays a line, exactly horizontal or vertical where rc's is; a cubic is fitted by least
 * squares to the samples between its ends, leaving and arriving along rc's tangents, or along the
 * other style's own where rc's join is smooth and off the axes. */
static void
draw_segments (const ZiContour *rc, const Ring *ring, const int *place, ZiPoint *pos, GArray *segs)
{
  guint m = rc->n_segments;
  g_autofree ZiPoint *pts = g_new (ZiPoint, ring->n + 4);

  for (guint i = 0; i < m; i++)
    {
      const ZiSegment *s = &rc->segments[i];
      ZiPoint a = end_point (rc, i + m - 1);
      guint ia = (i + m - 1) % m;

      if (s->kind != ZI_SEGMENT_LINE)
        continue;
      if (a.y == s->p.y)
        pos[ia].y = pos[i].y = round ((pos[ia].y + pos[i].y) / 2);
      else if (a.x == s->p.x)
        pos[ia].x = pos[i].x = round ((pos[ia].x + pos[i].x) / 2);
    }
  for (guint i = 0; i < m; i++)
    {
      const ZiSegment *s = &rc->segments[i];
      guint ia = (i + m - 1) % m;
      ZiPoint t1 = dir_out (rc, ia), t2 = dir_in (rc, i);
      int a = place[ia], steps = ((place[i] - a) % ring->n + ring->n) % ring->n;

      if (steps == 0)
        steps = ring->n;
      if (s->kind == ZI_SEGMENT_LINE)
        {
          ZiSegment seg = { 0 };

          seg.kind = ZI_SEGMENT_LINE;
          seg.p = pos[i];
          g_array_append_val (segs, seg);
          continue;
        }
      if (!axis_aligned (t1) && dot (dir_in (rc, ia), t1) > cos (G_PI / 18))
        t1 = ring->t[place[ia]];
      if (!axis_aligned (t2) && dot (t2, dir_out (rc, i)) > cos (G_PI / 18))
        t2 = ring->t[place[i]];
      for (int k = 0; k <= steps; k++)
        pts[k] = ring->p[(a + k) % ring->n];
      if (steps < 3)
        {
          /* Too few samples between the ends: the chord divided in three. */
          pts[3] = pos[i];
          pts[1] = add (pos[ia], scale (sub (pos[i], pos[ia]), 1.0 / 3));
          pts[2] = add (pos[ia], scale (sub (pos[i], pos[ia]), 2.0 / 3));
          steps = 3;
        }
      zi_fit_cubics (segs, pts, steps, 1, steps - 1, pos[ia], t1, pos[i], t2, G_MAXDOUBLE, 1, 1);
    }
}

/* Redraws the reference contour rc (resampled as rr) through ring, the other style's matched contour
 * oc, into out. */
static ZiInterpResult
redraw_contour (const ZiContour *rc, const Ring *rr, const ZiContour *oc, const Ring *ring, double em,
                ZiContour *out)
{
  guint m = rc->n_segments;
  g_autofree int *place = g_new (int, m);
  g_autofree ZiPoint *pos = g_new (ZiPoint, m);
  g_autofree gboolean *snapped = g_new0 (gboolean, m);
  g_autoptr(GArray) segs = g_array_new (FALSE, TRUE, sizeof (ZiSegment));

  snap_points (rc, rr, oc, ring, em, place, pos, snapped);
  place_between (rc, rr, ring, snapped, place, pos);
  if (!places_in_order (place, m, ring->n))
    return ZI_INTERP_AMBIGUOUS;
  draw_segments (rc, ring, place, pos, segs);
  g_assert (segs->len == m);
  out->n_segments = m;
  out->segments = (ZiSegment *) g_array_free (g_steal_pointer (&segs), FALSE);
  out->hole = rc->hole;
  out->area = zi_contour_signed_area (out);
  out->pixel_area = oc->pixel_area;
  /* The redrawn contour must run the same way and not cross itself. */
  if ((out->area > 0) == rc->hole || zi_fit_contours_cross (out, out))
    return ZI_INTERP_AMBIGUOUS;
  return ZI_INTERP_COMPATIBLE;
}

ZiOutline *
zi_interp_outline_copy (const ZiOutline *o)
{
  ZiOutline *c;

  g_return_val_if_fail (o != NULL, NULL);

  c = g_new0 (ZiOutline, 1);

  *c = *o;
  c->contours = g_new0 (ZiContour, o->n_contours);
  for (guint k = 0; k < o->n_contours; k++)
    {
      c->contours[k] = o->contours[k];
      c->contours[k].segments = g_memdup2 (o->contours[k].segments,
                                           sizeof (ZiSegment) * o->contours[k].n_segments);
    }
  return c;
}

/* o with every cubic split in two at t = ½ (de Casteljau; the new on-curve point on whole units):
 * the same shape with more points, for a style whose shape the reference's points cannot follow. */
static ZiOutline *
outline_split_cubics (const ZiOutline *o)
{
  ZiOutline *c = zi_interp_outline_copy (o);

  for (guint k = 0; k < c->n_contours; k++)
    {
      ZiContour *ct = &c->contours[k];
      g_autoptr(GArray) segs = g_array_new (FALSE, TRUE, sizeof (ZiSegment));

      for (guint i = 0; i < ct->n_segments; i++)
        {
          ZiSegment s = ct->segments[i], a = s, b = s;
          ZiPoint p0 = ct->segments[(i + ct->n_segments - 1) % ct->n_segments].p;
          ZiPoint m01, m12, m23, m012, m123, mid;

          if (s.kind != ZI_SEGMENT_CUBIC)
            {
              g_array_append_val (segs, s);
              continue;
            }
          m01 = scale (add (p0, s.c1), 0.5);
          m12 = scale (add (s.c1, s.c2), 0.5);
          m23 = scale (add (s.c2, s.p), 0.5);
          m012 = scale (add (m01, m12), 0.5);
          m123 = scale (add (m12, m23), 0.5);
          mid = round_point (scale (add (m012, m123), 0.5));
          a.c1 = m01;
          a.c2 = add (mid, sub (m012, scale (add (m012, m123), 0.5)));
          a.p = mid;
          b.c1 = add (mid, sub (m123, scale (add (m012, m123), 0.5)));
          b.c2 = m23;
          g_array_append_val (segs, a);
          g_array_append_val (segs, b);
        }
      g_free (ct->segments);
      ct->n_segments = segs->len;
      ct->segments = (ZiSegment *) g_array_free (g_steal_pointer (&segs), FALSE);
    }
  return c;
}

static void
rings_free (Ring *rings, guint n)
{
  for (guint k = 0; rings != NULL && k < n; k++)
    ring_clear (&rings[k]);
  g_free (rings);
}

/* One attempt with reference style r drawn as ro (its tracing, or that with its cubics split); fills
 * out[] (all or nothing) and the report's figures. */
static ZiInterpResult
attempt (ZiOutline *const *outlines, guint n_styles, int units_per_em, Ring **rings, guint r,
         const ZiOutline *ro, ZiOutline **out, ZiInterpReport *report)
{
  double em = units_per_em / ZI_OUTLINE_METRIC_EM;
  ZiInterpResult result = ZI_INTERP_COMPATIBLE;
  g_autofree guint *match = g_new (guint, ro->n_contours);

  report->reference = r;
  report->mean_distance = report->p95 = 0;
  memset (out, 0, sizeof (ZiOutline *) * n_styles);
  for (guint s = 0; s < n_styles && result == ZI_INTERP_COMPATIBLE; s++)
    {
      ZiOutlineMetric metric = { 0 };
      ZiOutline *o;

      if (s == r)
        {
          out[s] = zi_interp_outline_copy (ro);
          zi_outline_update_bbox (out[s]);
          continue;
        }
      result = match_contours (rings[r], ro, rings[s], outlines[s], em, match);
      if (result != ZI_INTERP_COMPATIBLE)
        break;
      o = out[s] = g_new0 (ZiOutline, 1);
      o->contours = g_new0 (ZiContour, ro->n_contours);
      for (guint k = 0; k < ro->n_contours && result == ZI_INTERP_COMPATIBLE; k++)
        {
          result = redraw_contour (&ro->contours[k], &rings[r][k], &outlines[s]->contours[match[k]],
                                   &rings[s][match[k]], em, &o->contours[k]);
          o->n_contours = k + 1;
        }
      if (result != ZI_INTERP_COMPATIBLE)
        break;
      zi_outline_update_bbox (o);
      zi_outline_metric_measure (&metric, o, outlines[s], units_per_em);
      report->mean_distance = MAX (report->mean_distance, metric.mean_distance);
      report->p95 = MAX (report->p95, metric.p95);
      zi_outline_metric_clear (&metric);
      if (report->mean_distance > ZI_INTERP_MAX_MEAN || report->p95 > ZI_INTERP_MAX_P95)
        result = ZI_INTERP_DISTANCE;
    }
  if (result != ZI_INTERP_COMPATIBLE)
    for (guint s = 0; s < n_styles; s++)
      g_clear_pointer (&out[s], zi_outline_free);
  return result;
}

const char *
zi_interp_result_to_string (ZiInterpResult result)
{
  switch (result)
    {
    case ZI_INTERP_COMPATIBLE: return "compatible";
    case ZI_INTERP_CONTOURS:   return "contours";
    case ZI_INTERP_AMBIGUOUS:  return "ambiguous";
    case ZI_INTERP_DISTANCE:   return "distance";
    case ZI_INTERP_EMPTY:      return "empty";
    default:                   return "unknown";
    }
}

ZiInterpResult
zi_interp_make_compatible (ZiOutline *const *outlines,
                           guint              n_styles,
                           int                units_per_em,
                           ZiOutline        **out,
                           ZiInterpReport    *report)
{
  ZiInterpReport local = { 0 };
  ZiInterpResult result = ZI_INTERP_COMPATIBLE;
  g_autofree Ring **rings = NULL;
  g_autofree guint *order = NULL;
  g_autofree guint *points = NULL;

  g_return_val_if_fail (outlines != NULL && n_styles > 0 && out != NULL, ZI_INTERP_EMPTY);
  g_return_val_if_fail (units_per_em > 0, ZI_INTERP_EMPTY);

  if (report == NULL)
    report = &local;
  memset (report, 0, sizeof *report);
  memset (out, 0, sizeof (ZiOutline *) * n_styles);
  /* A glyph without contours in every style (a space) has nothing to vary. */
  for (guint s = 0; s < n_styles && outlines[s] != NULL && outlines[s]->n_contours == 0; s++)
    if (s + 1 == n_styles)
      {
        for (guint k = 0; k < n_styles; k++)
          out[k] = zi_interp_outline_copy (outlines[k]);
        return report->result = ZI_INTERP_COMPATIBLE;
      }
  for (guint s = 0; s < n_styles; s++)
    {
      if (outlines[s] == NULL || outlines[s]->n_contours == 0)
        return report->result = ZI_INTERP_EMPTY;
      for (guint k = 0; k < outlines[s]->n_contours; k++)
        if (outlines[s]->contours[k].n_segments == 0)
          return report->result = ZI_INTERP_EMPTY;
      if (!zi_interp_same_topology (outlines[s], outlines[0]))
        result = ZI_INTERP_CONTOURS;
    }
  if (result != ZI_INTERP_COMPATIBLE)
    return report->result = result;

  rings = g_new0 (Ring *, n_styles);
  order = g_new (guint, n_styles);
  points = g_new0 (guint, n_styles);
  for (guint s = 0; s < n_styles; s++)
    {
      rings[s] = g_new0 (Ring, outlines[s]->n_contours);
      for (guint k = 0; k < outlines[s]->n_contours; k++)
        {
          ring_init (&rings[s][k], &outlines[s]->contours[k],
                     RING_STEP * units_per_em / ZI_OUTLINE_METRIC_EM);
          points[s] += outlines[s]->contours[k].n_segments;
        }
      order[s] = s;
    }
  /* The reference with most points first: a point it lacks cannot be made up for another style. */
  for (guint i = 1; i < n_styles; i++)
    for (guint j = i; j > 0 && points[order[j]] >= points[order[j - 1]]; j--)
      {
        guint t = order[j];

        order[j] = order[j - 1];
        order[j - 1] = t;
      }
  /* First the references' own points; then, for the glyphs no reference can carry to every style,
   * the references with twice as many points on their curves. */
  result = ZI_INTERP_AMBIGUOUS;
  for (guint pass = 0; pass < 2 && result != ZI_INTERP_COMPATIBLE; pass++)
    for (guint i = 0; i < n_styles; i++)
      {
        g_autoptr(ZiOutline) split = pass > 0 ? outline_split_cubics (outlines[order[i]]) : NULL;

        result = attempt (outlines, n_styles, units_per_em, rings, order[i],
                          split != NULL ? split : outlines[order[i]], out, report);
        if (result == ZI_INTERP_COMPATIBLE)
          break;
      }
  for (guint s = 0; s < n_styles; s++)
    rings_free (rings[s], outlines[s]->n_contours);
  return report->result = result;
}

gboolean
zi_interp_same_topology (const ZiOutline *a, const ZiOutline *b)
{
  guint holes_a = 0, holes_b = 0;

  g_return_val_if_fail (a != NULL && b != NULL, FALSE);

  if (a->n_contours != b->n_contours)
    return FALSE;
  for (guint k = 0; k < a->n_contours; k++)
    {
      holes_a += a->contours[k].hole;
      holes_b += b->contours[k].hole;
    }
  return holes_a == holes_b;
}

gboolean
zi_interp_same_structure (const ZiOutline *a, const ZiOutline *b)
{
  g_return_val_if_fail (a != NULL && b != NULL, FALSE);

  if (a->n_contours != b->n_contours)
    return FALSE;
  for (guint k = 0; k < a->n_contours; k++)
    {
      if (a->contours[k].n_segments != b->contours[k].n_segments
          || a->contours[k].hole != b->contours[k].hole)
        return FALSE;
      for (guint i = 0; i < a->contours[k].n_segments; i++)
        if (a->contours[k].segments[i].kind != b->contours[k].segments[i].kind)
          return FALSE;
    }
  return TRUE;
}
