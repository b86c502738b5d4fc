/* zi-outline-metric.c — the outline measures of zi-outline-metric.h: IoU of the filled outlines,
 * nearest-point distances both ways, on-curve points, wobble, contour counts and straight share.
 *
 * IoU fills the outlines with the rasteriser of zi-outline-raster.h. For the other measures every
 * outline is flattened once into closed polylines in units of a 1000-unit em (within 0.02 units of
 * the curves), and they work on those. The nearest point on the other outline is found
 * through a uniform grid of its flattened chords (cells of 8 units, chords cut to at most a cell),
 * searched in growing square rings until no unvisited cell can be nearer than the best chord found:
 * a glyph of ~10,000 samples a side takes milliseconds, where all pairs took seconds. */
#include "config.h"
#include "zi-outline-metric.h"

#include "zi-outline-raster.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define FLATTEN_TOLERANCE 0.02  /* units of a 1000-unit em */
#define GRID_CELL         8.0

/* The closed polylines of an outline, one per contour with at least two points. */
typedef struct {
  GArray *points;  /* of ZiPoint, 1000-unit em */
  GArray *starts;  /* of guint: each contour's first point, then points->len */
} Polylines;

static double
em_scale (int units_per_em)
{
  return ZI_OUTLINE_METRIC_EM / units_per_em;
}

static void
polylines_init (Polylines *pl, const ZiOutline *outline, int units_per_em)
{
  double scale = em_scale (units_per_em);

  pl->points = g_array_new (FALSE, FALSE, sizeof (ZiPoint));
  pl->starts = g_array_new (FALSE, FALSE, sizeof (guint));
  for (guint ci = 0; ci < outline->n_contours; ci++)
    {
      guint start = pl->points->len;

      zi_contour_flatten (&outline->contours[ci], FLATTEN_TOLERANCE / scale, pl->points);
      if (pl->points->len - start < 2)
        {
          g_array_set_size (pl->points, start);
          continue;
        }
      for (guint i = start; i < pl->points->len; i++)
        {
          ZiPoint *p = &g_array_index (pl->points, ZiPoint, i);

          p->x *= scale;
          p->y *= scale;
        }
      g_array_append_val (pl->starts, start);
    }
  g_array_append_val (pl->starts, pl->points->len);
}

static void
polylines_clear (Polylines *pl)
{
  g_array_unref (pl->points);
  g_array_unref (pl->starts);
}

static guint
polylines_count (const Polylines *pl)
{
  return pl->starts->len - 1;
}

/* Contour k's points: *n of them from the returned pointer, closing back to the first. */
static const ZiPoint *
polylines_contour (const Polylines *pl, guint k, guint *n)
{
  guint a = g_array_index (pl->starts, guint, k), b = g_array_index (pl->starts, guint, k + 1);

  *n = b - a;
  return &g_array_index (pl->points, ZiPoint, a);
}

static double
contour_length (const ZiPoint *pts, guint n)
{
  double len = 0;

  for (guint i = 0; i < n; i++)
    len += hypot (pts[(i + 1) % n].x - pts[i].x, pts[(i + 1) % n].y - pts[i].y);
  return len;
}

/* Appends to out the points every step along the closed polyline pts[0..n), from pts[0], at most max. */
static void
resample (const ZiPoint *pts, guint n, double step, guint max, GArray *out)
{
  double along = 0, next = 0;
  guint added = 0;

  for (guint i = 0; i < n && added < max; i++)
    {
      ZiPoint a = pts[i], b = pts[(i + 1) % n];
      double len = hypot (b.x - a.x, b.y - a.y);

      while (next < along + len && added < max)
        {
          double t = (next - along) / len;
          ZiPoint p = { a.x + t * (b.x - a.x), a.y + t * (b.y - a.y) };

          g_array_append_val (out, p);
          added++;
          next += step;
        }
      along += len;
    }
}

/* ---- IoU ---- */

typedef struct {
  double   x_min, y_min, x_max, y_max;
  gboolean empty;
} Box;

static void
box_extend (Box *box, ZiPoint p)
{
  if (box->empty)
    {
      box->x_min = box->x_max = p.x;
      box->y_min = box->y_max = p.y;
      box->empty = FALSE;
      return;
    }
  box->x_min = MIN (box->x_min, p.x);
  box->y_min = MIN (box->y_min, p.y);
  box->x_max = MAX (box->x_max, p.x);
  box->y_max = MAX (box->y_max, p.y);
}

/* Grows box to hold the points of pl. */
static void
box_add (Box *box, const Polylines *pl)
{
  for (guint i = 0; i < pl->points->len; i++)
    box_extend (box, g_array_index (pl->points, ZiPoint, i));
}

/* Grows box to hold every point of o, control points too (a cubic stays inside their hull). */
static void
box_add_outline (Box *box, const ZiOutline *o)
{
  for (guint ci = 0; ci < o->n_contours; ci++)
    for (guint i = 0; i < o->contours[ci].n_segments; i++)
      {
        const ZiSegment *s = &o->contours[ci].segments[i];
        const ZiPoint pts[3] = { s->c1, s->c2, s->p };

        for (guint k = s->kind == ZI_SEGMENT_CUBIC ? 0 : 2; k < 3; k++)
          box_extend (box, pts[k]);
      }
}

/* Both outlines filled by the rasteriser of zi-outline-raster.h on one canvas at 256 px per em that
 * holds both, with a pixel to spare on each side, its pixel edges on multiples of 1000/256 units of a
 * 1000-unit em; Σ min / Σ max of the two coverages. */
static double
outlines_iou (const ZiOutline *a, const ZiOutline *b, int units_per_em)
{
  const double k = (double) ZI_OUTLINE_METRIC_IOU_PX_PER_EM / units_per_em;
  Box box = { .empty = TRUE };
  g_autofree guint8 *ca = NULL, *cb = NULL;
  guint64 inter = 0, uni = 0;
  ZiOutlineFrame frame;
  double c0, r0;
  guint w, h;

  box_add_outline (&box, a);
  box_add_outline (&box, b);
  if (box.empty)
    return 1;
  c0 = floor (box.x_min * k) - 1;
  r0 = ceil (box.y_max * k) + 1;
  w = (guint) (ceil (box.x_max * k) + 1 - c0);
  h = (guint) (r0 - (floor (box.y_min * k) - 1));
  frame = (ZiOutlineFrame) { k, -c0, r0 };
  ca = g_malloc ((gsize) w * h);
  cb = g_malloc ((gsize) w * h);
  if (!zi_outline_render_frame (a, &frame, ca, w, h, NULL) || !zi_outline_render_frame (b, &frame, cb, w, h, NULL))
    return NAN;
  for (gsize i = 0; i < (gsize) w * h; i++)
    {
      inter += MIN (ca[i], cb[i]);
      uni += MAX (ca[i], cb[i]);
    }
  return uni == 0 ? 1.0 : (double) inter / (double) uni;
}

double
zi_outline_iou (const ZiOutline *a, const ZiOutline *b, int units_per_em)
{
  g_return_val_if_fail (a != NULL && b != NULL, NAN);
  g_return_val_if_fail (units_per_em > 0, NAN);

  return outlines_iou (a, b, units_per_em);
}

/* ---- nearest-point distances ---- */

typedef struct {
  ZiPoint a, b;
} Chord;

/* The chords of a set of polylines binned into square cells (compressed rows: cell k holds
 * items[start[k] .. start[k + 1])). */
typedef struct {
  double  x0, y0;
  int     nx, ny;
  GArray *chords;  /* of Chord, each at most a cell long */
  guint  *start;   /* [nx * ny + 1] */
  guint  *items;
} Grid;

static void
chord_cells (const Grid *g, const Chord *c, int *ca, int *ra, int *cb, int *rb)
{
  *ca = (int) floor ((MIN (c->a.x, c->b.x) - g->x0) / GRID_CELL);
  *cb = (int) floor ((MAX (c->a.x, c->b.x) - g->x0) / GRID_CELL);
  *ra = (int) floor ((MIN (c->a.y, c->b.y) - g->y0) / GRID_CELL);
  *rb = (int) floor ((MAX (c->a.y, c->b.y) - g->y0) / GRID_CELL);
  *ca = CLAMP (*ca, 0, g->nx - 1);
  *cb = CLAMP (*cb, 0, g->nx - 1);
  *ra = CLAMP (*ra, 0, g->ny - 1);
  *rb = CLAMP (*rb, 0, g->ny - 1);
}

/* A grid of pl's chords over box, which must hold every query point too. */
static void
grid_init (Grid *g, const Polylines *pl, const Box *box)
{
  g->x0 = box->x_min - GRID_CELL;
  g->y0 = box->y_min - GRID_CELL;
  g->nx = (int) ceil ((box->x_max - g->x0) / GRID_CELL) + 1;
  g->ny = (int) ceil ((box->y_max - g->y0) / GRID_CELL) + 1;
  g->chords = g_array_new (FALSE, FALSE, sizeof (Chord));
  for (guint k = 0; k < polylines_count (pl); k++)
    {
      guint n;
      const ZiPoint *pts = polylines_contour (pl, k, &n);

      for (guint i = 0; i < n; i++)
        {
          ZiPoint a = pts[i], b = pts[(i + 1) % n];
          int pieces = MAX (1, (int) ceil (hypot (b.x - a.x, b.y - a.y) / GRID_CELL));

          for (int j = 0; j < pieces; j++)
            {
              double t0 = (double) j / pieces, t1 = (double) (j + 1) / pieces;
              Chord c = { { a.x + t0 * (b.x - a.x), a.y + t0 * (b.y - a.y) },
                          { a.x + t1 * (b.x - a.x), a.y + t1 * (b.y - a.y) } };

              g_array_append_val (g->chords, c);
            }
        }
    }

  g->start = g_new0 (guint, (gsize) g->nx * g->ny + 1);
  for (int pass = 0; pass < 2; pass++)
    {
      for (guint i = 0; i < g->chords->len; i++)
        {
          int ca, ra, cb, rb;

          chord_cells (g, &g_array_index (g->chords, Chord, i), &ca, &ra, &cb, &rb);
          for (int r = ra; r <= rb; r++)
            for (int c = ca; c <= cb; c++)
              {
                gsize cell = (gsize) r * g->nx + c;

                if (pass == 0)
                  g->start[cell + 1]++;
                else
                  g->items[g->start[cell]++] = i;
              }
        }
      if (pass == 0)
        {
          for (gsize k = 0; k < (gsize) g->nx * g->ny; k++)
            g->start[k + 1] += g->start[k];
          g->items = g_new (guint, g->start[(gsize) g->nx * g->ny]);
        }
    }
  /* The second pass moved each start to the next cell's; move them back. */
  memmove (g->start + 1, g->start, (gsize) g->nx * g->ny * sizeof (guint));
  g->start[0] = 0;
}

static void
grid_clear (Grid *g)
{
  g_array_unref (g->chords);
  g_free (g->start);
  g_free (g->items);
}

/* The squared distance from p to the chord (the search compares squares: hypot() was a fifth of
 * `eval --outlines`). */
static double
point_chord_distance2 (ZiPoint p, const Chord *c)
{
  double dx = c->b.x - c->a.x, dy = c->b.y - c->a.y;
  double len2 = dx * dx + dy * dy;
  double t = len2 > 0 ? ((p.x - c->a.x) * dx + (p.y - c->a.y) * dy) / len2 : 0;
  double ex, ey;

  t = CLAMP (t, 0, 1);
  ex = p.x - (c->a.x + t * dx);
  ey = p.y - (c->a.y + t * dy);
  return ex * ex + ey * ey;
}

static void
grid_visit (const Grid *g, int c, int r, ZiPoint p, double *best2)
{
  gsize cell;

  if (c < 0 || r < 0 || c >= g->nx || r >= g->ny)
    return;
  cell = (gsize) r * g->nx + c;
  for (guint k = g->start[cell]; k < g->start[cell + 1]; k++)
    *best2 = MIN (*best2, point_chord_distance2 (p, &g_array_index (g->chords, Chord, g->items[k])));
}

/* Distance from p to the nearest chord: rings of cells around p's cell, until every cell left
 * (ring r + 1 and beyond, all at least r cells away) is farther than the best found. */
static double
grid_nearest (const Grid *g, ZiPoint p)
{
  int c0 = (int) floor ((p.x - g->x0) / GRID_CELL), r0 = (int) floor ((p.y - g->y0) / GRID_CELL);
  int max_r = MAX (g->nx, g->ny);
  double best2 = G_MAXDOUBLE;

  for (int r = 0; r <= max_r; r++)
    {
      if (r == 0)
        grid_visit (g, c0, r0, p, &best2);
      for (int k = -r; k <= r && r > 0; k++)
        {
          grid_visit (g, c0 + k, r0 - r, p, &best2);
          grid_visit (g, c0 + k, r0 + r, p, &best2);
          if (k > -r && k < r)
            {
              grid_visit (g, c0 - r, r0 + k, p, &best2);
              grid_visit (g, c0 + r, r0 + k, p, &best2);
            }
        }
      if (best2 <= (r * GRID_CELL) * (r * GRID_CELL))
        break;
    }
  return sqrt (best2);
}

/* Appends to out the distance of every sample of from to the nearest point of grid; returns their
 * mean (NAN for none). */
static double
sample_distances (const Polylines *from, const Grid *grid, GArray *out)
{
  g_autoptr(GArray) samples = g_array_new (FALSE, FALSE, sizeof (ZiPoint));
  double sum = 0;

  for (guint k = 0; k < polylines_count (from); k++)
    {
      guint n;
      const ZiPoint *pts = polylines_contour (from, k, &n);

      resample (pts, n, ZI_OUTLINE_METRIC_SAMPLE_STEP, G_MAXUINT, samples);
    }
  for (guint i = 0; i < samples->len; i++)
    {
      float d = (float) grid_nearest (grid, g_array_index (samples, ZiPoint, i));

      sum += d;
      g_array_append_val (out, d);
    }
  return samples->len > 0 ? sum / samples->len : NAN;
}

static int
compare_floats (const void *a, const void *b)
{
  float x = *(const float *) a, y = *(const float *) b;
  return (x > y) - (x < y);
}

static int
compare_doubles (const void *a, const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return (x > y) - (x < y);
}

/* Where the q-quantile of n sorted values lies (numpy.percentile's default, linear interpolation
 * between order statistics): between v[*i] and v[*j], at the returned fraction of the way. */
static double
quantile_rank (gsize n, double q, gsize *i, gsize *j)
{
  double rank = q * (double) (n - 1);

  *i = (gsize) floor (rank);
  *j = MIN (*i + 1, n - 1);
  return rank - floor (rank);
}

/* Sorts v in place and returns its q-quantile; NAN for none. */
static double
quantile_floats (float *v, gsize n, double q)
{
  gsize i, j;
  double f;

  if (n == 0)
    return NAN;
  qsort (v, n, sizeof (float), compare_floats);
  f = quantile_rank (n, q, &i, &j);
  return v[i] + f * (v[j] - v[i]);
}

/* ---- wobble, on-curve points, chords ---- */

static double
polylines_wobble (const Polylines *pl)
{
  g_autoptr(GArray) ring = g_array_new (FALSE, FALSE, sizeof (ZiPoint));
  double turning = 0;
  guint contours = 0;

  for (guint k = 0; k < polylines_count (pl); k++)
    {
      guint n, m;
      const ZiPoint *pts = polylines_contour (pl, k, &n);
      double len = contour_length (pts, n);
      const ZiPoint *q;

      if (len <= 0)
        continue;
      m = MAX (3, (guint) lround (len / ZI_OUTLINE_METRIC_WOBBLE_STEP));
      g_array_set_size (ring, 0);
      resample (pts, n, len / m, m, ring);
      q = (const ZiPoint *) ring->data;
      m = ring->len;
      for (guint i = 0; i < m; i++)
        {
          ZiPoint a = q[(i + m - 1) % m], b = q[i], c = q[(i + 1) % m];
          double ux = b.x - a.x, uy = b.y - a.y, vx = c.x - b.x, vy = c.y - b.y;

          turning += fabs (atan2 (ux * vy - uy * vx, ux * vx + uy * vy));
        }
      contours++;
    }
  return contours > 0 ? turning / (2 * G_PI * contours) : NAN;
}

double
zi_outline_wobble (const ZiOutline *outline, int units_per_em)
{
  Polylines pl;
  double w;

  g_return_val_if_fail (outline != NULL, NAN);
  g_return_val_if_fail (units_per_em > 0, NAN);

  polylines_init (&pl, outline, units_per_em);
  w = polylines_wobble (&pl);
  polylines_clear (&pl);
  return w;
}

guint
zi_outline_count_on_curve (const ZiOutline *outline)
{
  guint n = 0;

  g_return_val_if_fail (outline != NULL, 0);

  for (guint ci = 0; ci < outline->n_contours; ci++)
    for (guint i = 0; i < outline->contours[ci].n_segments; i++)
      n += !outline->contours[ci].segments[i].implied;
  return n;
}

void
zi_outline_chord_lengths (const ZiOutline *outline, int units_per_em, double *straight, double *chord)
{
  double s = 0, all = 0;

  g_return_if_fail (outline != NULL);
  g_return_if_fail (units_per_em > 0);

  for (guint ci = 0; ci < outline->n_contours; ci++)
    {
      const ZiContour *c = &outline->contours[ci];

      for (guint i = 0; i < c->n_segments; i++)
        {
          ZiPoint a = c->segments[(i + c->n_segments - 1) % c->n_segments].p, b = c->segments[i].p;
          double len = hypot (b.x - a.x, b.y - a.y) * em_scale (units_per_em);

          all += len;
          if (c->segments[i].kind == ZI_SEGMENT_LINE)
            s += len;
        }
    }
  if (straight != NULL)
    *straight = s;
  if (chord != NULL)
    *chord = all;
}

/* ---- one glyph ---- */

void
zi_outline_metric_measure (ZiOutlineMetric *out, const ZiOutline *glyph, const ZiOutline *target,
                           int units_per_em)
{
  Polylines pg, pt;

  g_return_if_fail (out != NULL);
  g_return_if_fail (glyph != NULL && target != NULL);
  g_return_if_fail (units_per_em > 0);

  memset (out, 0, sizeof *out);
  polylines_init (&pg, glyph, units_per_em);
  polylines_init (&pt, target, units_per_em);

  out->iou = outlines_iou (glyph, target, units_per_em);
  out->mean_distance = out->p95 = NAN;
  if (polylines_count (&pg) > 0 && polylines_count (&pt) > 0)
    {
      g_autoptr(GArray) d = g_array_new (FALSE, FALSE, sizeof (float));
      Box box = { .empty = TRUE };
      double to_target, to_glyph;
      Grid gg, gt;

      box_add (&box, &pg);
      box_add (&box, &pt);
      grid_init (&gt, &pt, &box);
      grid_init (&gg, &pg, &box);
      to_target = sample_distances (&pg, &gt, d);
      to_glyph = sample_distances (&pt, &gg, d);
      grid_clear (&gt);
      grid_clear (&gg);
      out->mean_distance = 0.5 * (to_target + to_glyph);
      out->n_distances = d->len;
      out->distances = (float *) g_array_free (g_steal_pointer (&d), FALSE);
      {
        g_autofree float *sorted = g_memdup2 (out->distances, out->n_distances * sizeof (float));

        out->p95 = quantile_floats (sorted, out->n_distances, 0.95);
      }
    }

  out->on_curve = zi_outline_count_on_curve (glyph);
  out->target_on_curve = zi_outline_count_on_curve (target);
  out->wobble = polylines_wobble (&pg);
  out->target_wobble = polylines_wobble (&pt);
  out->contours = glyph->n_contours;
  out->target_contours = target->n_contours;
  zi_outline_chord_lengths (glyph, units_per_em, &out->straight_length, &out->chord_length);
  zi_outline_chord_lengths (target, units_per_em, &out->target_straight_length, &out->target_chord_length);
  polylines_clear (&pg);
  polylines_clear (&pt);
}

void
zi_outline_metric_clear (ZiOutlineMetric *m)
{
  if (m == NULL)
    return;
  g_clear_pointer (&m->distances, g_free);
  m->n_distances = 0;
}

double
zi_outline_metric_on_curve_ratio (const ZiOutlineMetric *m)
{
  g_return_val_if_fail (m != NULL, NAN);
  return m->target_on_curve > 0 ? (double) m->on_curve / m->target_on_curve : NAN;
}

gboolean
zi_outline_metric_contour_match (const ZiOutlineMetric *m)
{
  g_return_val_if_fail (m != NULL, FALSE);
  return m->contours == m->target_contours;
}

double
zi_outline_metric_straight_share (const ZiOutlineMetric *m)
{
  g_return_val_if_fail (m != NULL, NAN);
  return m->chord_length > 0 ? m->straight_length / m->chord_length : NAN;
}

double
zi_outline_metric_target_straight_share (const ZiOutlineMetric *m)
{
  g_return_val_if_fail (m != NULL, NAN);
  return m->target_chord_length > 0 ? m->target_straight_length / m->target_chord_length : NAN;
}

/* ---- a set ---- */

typedef double (*Measure) (const ZiOutlineMetric *m);

static double measure_iou (const ZiOutlineMetric *m) { return m->iou; }
static double measure_distance (const ZiOutlineMetric *m) { return m->mean_distance; }
static double measure_p95 (const ZiOutlineMetric *m) { return m->p95; }
static double measure_wobble (const ZiOutlineMetric *m) { return m->wobble; }
static double measure_target_wobble (const ZiOutlineMetric *m) { return m->target_wobble; }

static ZiOutlineStat
stat_of (const ZiOutlineMetric *glyphs, guint n, Measure measure)
{
  g_autofree double *v = g_new (double, MAX (n, 1));
  ZiOutlineStat s = { NAN, NAN };
  double sum = 0;
  gsize k = 0, lo, hi;
  double f;

  for (guint i = 0; i < n; i++)
    {
      double x = measure (&glyphs[i]);

      if (isfinite (x))
        {
          v[k++] = x;
          sum += x;
        }
    }
  if (k == 0)
    return s;
  qsort (v, k, sizeof (double), compare_doubles);
  f = quantile_rank (k, 0.5, &lo, &hi);
  s.median = v[lo] + f * (v[hi] - v[lo]);
  s.mean = sum / k;
  return s;
}

void
zi_outline_metric_summarize (ZiOutlineSummary *out, const ZiOutlineMetric *glyphs, guint n)
{
  g_autoptr(GArray) pooled = g_array_new (FALSE, FALSE, sizeof (float));
  guint match = 0;

  g_return_if_fail (out != NULL);
  g_return_if_fail (glyphs != NULL || n == 0);

  memset (out, 0, sizeof *out);
  out->n = n;
  for (guint i = 0; i < n; i++)
    {
      match += zi_outline_metric_contour_match (&glyphs[i]);
      out->n_empty += glyphs[i].contours == 0;
      g_array_append_vals (pooled, glyphs[i].distances, glyphs[i].n_distances);
    }
  out->iou = stat_of (glyphs, n, measure_iou);
  out->mean_distance = stat_of (glyphs, n, measure_distance);
  out->p95 = stat_of (glyphs, n, measure_p95);
  out->p95_pooled = quantile_floats ((float *) pooled->data, pooled->len, 0.95);
  out->on_curve_ratio = stat_of (glyphs, n, zi_outline_metric_on_curve_ratio);
  out->wobble = stat_of (glyphs, n, measure_wobble);
  out->target_wobble = stat_of (glyphs, n, measure_target_wobble);
  out->contour_match = n > 0 ? (double) match / n : NAN;
  out->straight_share = stat_of (glyphs, n, zi_outline_metric_straight_share);
  out->target_straight_share = stat_of (glyphs, n, zi_outline_metric_target_straight_share);
}
