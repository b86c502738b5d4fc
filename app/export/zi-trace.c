/* zi-trace.c — coverage bitmap → threshold → potrace → cubic contours in font units.
 *
 * potrace (Selinger 2003) is used through its library API: we build its packed 1-bit bitmap ourselves,
 * call potrace_trace() and walk the resulting path list. We feed the top canvas row as scanline 0, so
 * potrace's coordinates are our pixel coordinates (x right, y down, pixel corners on integers), and
 * zi_placement_pixel_to_font() then maps them into font units with y up. */
#include "config.h"
#include "zi-trace.h"
#include "zi-error.h"
#include "zi-fit.h"

#include <glib/gi18n.h>
#include <math.h>
#include <potracelib.h>
#include <string.h>

#define WORD_BITS ((int) (sizeof (potrace_word) * 8))

void
zi_trace_params_init (ZiTraceParams *params, ZiTracePreset preset)
{
  g_return_if_fail (params != NULL);

  params->preset = preset;
  params->threshold = 128;
  /* At 64 px a glyph stroke is 4–6 px wide; tracing the thresholded bitmap directly snaps every edge to
   * the pixel grid. Upsampling the coverage 4× first puts the 50% contour within a quarter pixel. */
  params->upsample = 4;
  /* No blur by default: σ 0.6 cost 1.5 points of mean ink IoU on real glyphs (16 at 64 px), and the
   * ragged edges of generated glyphs are a few pixels long, beyond what a small blur evens out. */
  params->smooth = 0;
  params->turdsize = 2;
  /* A small curve-merging tolerance: merging more (potrace's default 0.2) saved a third of the
   * points but cost fidelity, measured as ink IoU of the rasterised SVG against 16 glyphs of 64 px:
   * worst 0.960 at 0.1 against 0.950 at 0.3 (round preset). */
  params->opttolerance = 0.1;
  /* Fitting tolerance: at 64 px a pixel is ~18 units and a generated edge wanders by a third of one.
   * On the 334 validation glyphs of a run at step 4500 (zimaru-cli eval --outlines), 8 / 10 units gave
   * on-curve ratios of 1.17 / 1.10 against the target font's points, straight shares of 0.34 / 0.36
   * (the target's 0.44) and a mean distance to the target's outline of 9.08 / 9.13 units (potrace's
   * own curves: 1.88, 0 and 9.02). */
  params->tolerance = 10;
  if (preset == ZI_TRACE_PRESET_SQUARE)
    /* Below potrace's default 1.0, so that the corners of square stroke ends survive. */
    params->alphamax = 0.8;
  else
    /* Close to potrace's 4/3 ceiling: every vertex becomes a curve, as in rounded (Maru) designs. */
    params->alphamax = 1.25;
}

const char *
zi_trace_preset_to_string (ZiTracePreset preset)
{
  return preset == ZI_TRACE_PRESET_SQUARE ? "square" : "round";
}

gboolean
zi_trace_preset_from_string (const char *s, ZiTracePreset *preset)
{
  g_return_val_if_fail (preset != NULL, FALSE);

  if (g_strcmp0 (s, "round") == 0)
    *preset = ZI_TRACE_PRESET_ROUND;
  else if (g_strcmp0 (s, "square") == 0)
    *preset = ZI_TRACE_PRESET_SQUARE;
  else
    return FALSE;
  return TRUE;
}

gboolean
zi_trace_params_check (const ZiTraceParams *params, GError **error)
{
  g_return_val_if_fail (params != NULL, FALSE);

  if (params->threshold == 0 || params->upsample < 1 || params->upsample > 8 || params->turdsize < 0
      || !(params->smooth >= 0 && params->smooth <= 2)
      || !(params->alphamax >= 0 && params->alphamax <= 1.3334)
      || !(params->opttolerance >= 0 && params->opttolerance <= 10)
      || !(params->tolerance >= 0 && params->tolerance <= 50))
    {
      g_set_error (error, ZI_ERROR, ZI_ERROR_INVALID,
                   _("Invalid trace parameters (threshold %u, upsample %u, smooth %g, turdsize %d, "
                     "alphamax %g, opttolerance %g, tolerance %g): use threshold 1–255, upsample 1–8, "
                     "smooth 0–2, turdsize ≥ 0, alphamax 0–1.3334, opttolerance 0–10 and tolerance 0–50"),
                   params->threshold, params->upsample, params->smooth, params->turdsize,
                   params->alphamax, params->opttolerance, params->tolerance);
      return FALSE;
    }
  return TRUE;
}

const char *
zi_trace_engine_version (void)
{
  return potrace_version ();
}

/* Bilinear sample of coverage at continuous pixel-centre coordinates; outside the canvas is paper. */
static inline double
sample (const guint8 *coverage, int size, double x, double y)
{
  int x0 = (int) floor (x), y0 = (int) floor (y);
  double fx = x - x0, fy = y - y0;
  double v[2][2];

  for (int j = 0; j < 2; j++)
    for (int i = 0; i < 2; i++)
      {
        int xx = x0 + i, yy = y0 + j;
        v[j][i] = (xx < 0 || yy < 0 || xx >= size || yy >= size) ? 0.0 : coverage[yy * size + xx];
      }
  return (v[0][0] * (1 - fx) + v[0][1] * fx) * (1 - fy) + (v[1][0] * (1 - fx) + v[1][1] * fx) * fy;
}

/* Separable Gaussian blur of a coverage bitmap (edges clamp to paper), σ in pixels. A straight edge
 * keeps its 50% crossing; wobbles a pixel or two long are flattened. */
static guint8 *
blur (const guint8 *in, int size, double sigma)
{
  int r = (int) ceil (3 * sigma);
  g_autofree double *k = g_new (double, 2 * r + 1);
  g_autofree double *tmp = g_new (double, (gsize) size * size);
  guint8 *out = g_malloc ((gsize) size * size);
  double sum = 0;

  for (int i = -r; i <= r; i++)
    sum += k[i + r] = exp (-0.5 * i * i / (sigma * sigma));
  for (int i = 0; i <= 2 * r; i++)
    k[i] /= sum;
  for (int y = 0; y < size; y++)
    for (int x = 0; x < size; x++)
      {
        double v = 0;
        for (int i = -r; i <= r; i++)
          if (x + i >= 0 && x + i < size)
            v += k[i + r] * in[y * size + x + i];
        tmp[y * size + x] = v;
      }
  for (int y = 0; y < size; y++)
    for (int x = 0; x < size; x++)
      {
        double v = 0;
        for (int i = -r; i <= r; i++)
          if (y + i >= 0 && y + i < size)
            v += k[i + r] * tmp[(y + i) * size + x];
        out[y * size + x] = (guint8) CLAMP (lround (v), 0, 255);
      }
  return out;
}

/* Packs the thresholded (and upsampled) bitmap into potrace's format: rows of words, leftmost pixel in
 * the most significant bit. Returns FALSE if there is no ink at all. */
static gboolean
fill_bitmap (potrace_bitmap_t *bm, const guint8 *coverage, int size, int up, guint8 threshold)
{
  gboolean any = FALSE;

  for (int y = 0; y < bm->h; y++)
    {
      potrace_word *row = bm->map + (gsize) y * bm->dy;
      double sy = (y + 0.5) / up - 0.5;

      for (int x = 0; x < bm->w; x++)
        {
          gboolean ink;

          if (up == 1)
            ink = coverage[y * size + x] >= threshold;
          else
            ink = sample (coverage, size, (x + 0.5) / up - 0.5, sy) >= threshold;
          if (ink)
            {
              row[x / WORD_BITS] |= ((potrace_word) 1) << (WORD_BITS - 1 - x % WORD_BITS);
              any = TRUE;
            }
        }
    }
  return any;
}

static ZiPoint
to_pixel (int up, potrace_dpoint_t p)
{
  ZiPoint out = { p.x / up, p.y / up };
  return out;
}

static ZiPoint
to_font (const ZiPlacement *placement, ZiPoint p)
{
  ZiPoint out;

  zi_placement_pixel_to_font (placement, p.x, p.y, &out.x, &out.y);
  return out;
}

/* Unit vector of (x, y), or (0, 0) for a null vector. */
static ZiPoint
unit (double x, double y)
{
  double len = hypot (x, y);
  ZiPoint u = { 0, 0 };

  if (len > 1e-9)
    {
      u.x = x / len;
      u.y = y / len;
    }
  return u;
}

/* Distance along the unit normal n from p to the nearest threshold crossing of the bilinear
 * coverage field within ±reach pixels; FALSE if there is none. */
static gboolean
find_edge (const guint8 *coverage, int size, double threshold, ZiPoint p, ZiPoint n, double reach,
           double *offset)
{
  const double step = 1.0 / 32;
  double best = G_MAXDOUBLE;
  double f0 = sample (coverage, size, p.x - 0.5, p.y - 0.5) - threshold;

  if (n.x == 0 && n.y == 0)
    return FALSE;
  /* Walk outwards from the point in both directions; keep the nearest sign change. */
  for (int dir = -1; dir <= 1; dir += 2)
    {
      double fa = f0;

      for (double d = step; d <= reach + 1e-9; d += step)
        {
          double fb = sample (coverage, size, p.x + dir * d * n.x - 0.5, p.y + dir * d * n.y - 0.5)
                      - threshold;

          if ((fa < 0) != (fb < 0))
            {
              double cross = dir * (d - step + step * fa / (fa - fb));
              if (fabs (cross) < fabs (best))
                best = cross;
              break;
            }
          fa = fb;
        }
    }
  *offset = best;
  return best != G_MAXDOUBLE;
}

static void
shift (ZiPoint *p, ZiPoint d, double k)
{
  p->x += k * d.x;
  p->y += k * d.y;
}

/* potrace fits its polygon to the traced bitmap's pixel corners, and near the corners of a shape the
 * fitted straight runs settle up to half a traced pixel inside each path: at 64 px with 4× upsampling
 * strokes came out ~0.1 px thin or thick, which cost 3–5 points of ink IoU against the bitmap. So the
 * outline is refitted onto the threshold crossing of the bilinear coverage field: first each on-curve
 * point moves along its normal (taking its neighbouring control points along), then each cubic's two
 * control points move so that the curve at t = 1/3 and 2/3 lands on the crossing too. potrace keeps
 * deciding the topology, the corners and the number of segments. */
static void
snap_to_edges (ZiContour *c, const guint8 *coverage, int size, double threshold)
{
  for (guint i = 0; i < c->n_segments; i++)
    {
      ZiSegment *s = &c->segments[i];
      ZiSegment *next = &c->segments[(i + 1) % c->n_segments];
      ZiPoint prev = c->segments[(i + c->n_segments - 1) % c->n_segments].p;
      ZiPoint in = s->kind == ZI_SEGMENT_CUBIC ? s->c2 : prev;
      ZiPoint out = next->kind == ZI_SEGMENT_CUBIC ? next->c1 : next->p;
      ZiPoint t1 = unit (s->p.x - in.x, s->p.y - in.y), t2 = unit (out.x - s->p.x, out.y - s->p.y);
      ZiPoint n = unit (-(t1.y + t2.y), t1.x + t2.x);
      double d;

      if (!find_edge (coverage, size, threshold, s->p, n, 0.75, &d))
        continue;
      shift (&s->p, n, d);
      if (s->kind == ZI_SEGMENT_CUBIC)
        shift (&s->c2, n, d);
      if (next->kind == ZI_SEGMENT_CUBIC)
        shift (&next->c1, n, d);
    }

  for (guint i = 0; i < c->n_segments; i++)
    {
      ZiSegment *s = &c->segments[i];
      ZiPoint p0 = c->segments[(i + c->n_segments - 1) % c->n_segments].p;
      ZiPoint want[2] = { { 0, 0 }, { 0, 0 } };

      if (s->kind != ZI_SEGMENT_CUBIC)
        continue;
      for (int k = 0; k < 2; k++)
        {
          double t = (k + 1) / 3.0, u = 1 - t, d;
          ZiPoint b = zi_cubic_at (p0, s->c1, s->c2, s->p, t);
          /* The derivative of the cubic at t gives the tangent; the normal is its left turn. */
          ZiPoint tan = unit (3 * u * u * (s->c1.x - p0.x) + 6 * u * t * (s->c2.x - s->c1.x)
                              + 3 * t * t * (s->p.x - s->c2.x),
                              3 * u * u * (s->c1.y - p0.y) + 6 * u * t * (s->c2.y - s->c1.y)
                              + 3 * t * t * (s->p.y - s->c2.y));
          ZiPoint n = { -tan.y, tan.x };

          if (find_edge (coverage, size, threshold, b, n, 0.75, &d))
            {
              want[k].x = d * n.x;
              want[k].y = d * n.y;
            }
        }
      /* Moving c1 by a and c2 by b moves B(1/3) by (4a + 2b)/9 and B(2/3) by (2a + 4b)/9; solve for
       * the moves that give the wanted displacements D1, D2: a = 3 D1 − 1.5 D2, b = 3 D2 − 1.5 D1. */
      s->c1.x += 3 * want[0].x - 1.5 * want[1].x;
      s->c1.y += 3 * want[0].y - 1.5 * want[1].y;
      s->c2.x += 3 * want[1].x - 1.5 * want[0].x;
      s->c2.y += 3 * want[1].y - 1.5 * want[0].y;
    }
}

/* Appends points along the line or cubic from a to d (pixels) every ~SAMPLE_STEP pixels, without a. */
#define SAMPLE_STEP 0.2
/* How far (pixels) a sample may move onto the threshold crossing: potrace's curves stay within an eighth
 * of a pixel of the upsampled bitmap's edge away from corners; with the 0.75 px the on-curve points use,
 * samples where two strokes nearly touch jumped onto the other stroke's edge and contours crossed. */
#define SNAP_REACH 0.35

static void
sample_segment (GArray *pts, ZiPoint a, const ZiPoint *b, const ZiPoint *c, ZiPoint d)
{
  double l = hypot (d.x - a.x, d.y - a.y);
  int m;

  if (b != NULL)
    l = hypot (b->x - a.x, b->y - a.y) + hypot (c->x - b->x, c->y - b->y) + hypot (d.x - c->x, d.y - c->y);
  m = MAX (1, (int) ceil (l / SAMPLE_STEP));
  for (int k = 1; k <= m; k++)
    {
      double t = (double) k / m;
      ZiPoint p = { a.x + t * (d.x - a.x), a.y + t * (d.y - a.y) };

      if (b != NULL)
        p = zi_cubic_at (a, *b, *c, d, t);
      g_array_append_val (pts, p);
    }
}

/* The polyline of a potrace path in font units: its curves sampled every fifth of a pixel, each sample
 * moved along the polyline's normal onto the threshold crossing of the coverage within SNAP_REACH
 * (potrace follows the upsampled bitmap's pixel corners; the crossing is where the anti-aliased edge
 * really is). */
static GArray *
sample_path (const potrace_curve_t *curve, const ZiPlacement *placement, const guint8 *coverage, int size,
             int up, double threshold)
{
  GArray *pts = g_array_new (FALSE, FALSE, sizeof (ZiPoint));
  g_autofree ZiPoint *moved = NULL;
  ZiPoint prev = to_pixel (up, curve->c[curve->n - 1][2]);

  for (int i = 0; i < curve->n; i++)
    {
      ZiPoint end = to_pixel (up, curve->c[i][2]);

      if (curve->tag[i] == POTRACE_CORNER)
        {
          ZiPoint v = to_pixel (up, curve->c[i][1]);
          sample_segment (pts, prev, NULL, NULL, v);
          sample_segment (pts, v, NULL, NULL, end);
        }
      else
        {
          ZiPoint b = to_pixel (up, curve->c[i][0]), c = to_pixel (up, curve->c[i][1]);
          sample_segment (pts, prev, &b, &c, end);
        }
      prev = end;
    }

  moved = g_new (ZiPoint, pts->len);
  for (guint i = 0; i < pts->len; i++)
    {
      ZiPoint p = g_array_index (pts, ZiPoint, i);
      ZiPoint a = g_array_index (pts, ZiPoint, (i + pts->len - 1) % pts->len);
      ZiPoint b = g_array_index (pts, ZiPoint, (i + 1) % pts->len);
      ZiPoint t = unit (b.x - a.x, b.y - a.y), n = { -t.y, t.x };
      double d;

      if (up > 1 && find_edge (coverage, size, threshold, p, n, SNAP_REACH, &d))
        shift (&p, n, d);
      moved[i] = to_font (placement, p);
    }
  memcpy (pts->data, moved, pts->len * sizeof (ZiPoint));
  return pts;
}

/* The polyline of a potrace path for the fitter, which wants the ink on its left: outer contours
 * counter-clockwise, holes clockwise. */
static GArray *
fit_polyline (const potrace_path_t *path, const ZiPlacement *placement, const guint8 *coverage, int size,
              const ZiTraceParams *params)
{
  GArray *pts = sample_path (&path->curve, placement, coverage, size, (int) params->upsample, params->threshold);
  ZiPoint *v = (ZiPoint *) pts->data;
  double area = 0;

  for (guint i = 0; i < pts->len; i++)
    area += v[i].x * v[(i + 1) % pts->len].y - v[(i + 1) % pts->len].x * v[i].y;
  if ((area < 0) != (path->sign == '-'))
    for (guint i = 0, j = pts->len - 1; i < j; i++, j--)
      {
        ZiPoint t = v[i];
        v[i] = v[j];
        v[j] = t;
      }
  return pts;
}

/* Fits out to the polyline pts with a tolerance in font units of this em; tight: without smoothing and
 * with corners kept on their samples, so the fit stays within the tolerance of the polyline itself. */
static void
fit_contour (ZiContour *out, const GArray *pts, const ZiPlacement *placement, const ZiTraceParams *params,
             double tolerance, gboolean tight)
{
  ZiFitParams fit;

  zi_fit_params_init (&fit, 1 / placement->scale, tolerance, params->preset == ZI_TRACE_PRESET_SQUARE);
  if (tight)
    fit.smooth = fit.corner_shift = 0;
  g_free (out->segments);
  zi_fit_contour (out, (const ZiPoint *) pts->data, pts->len, &fit);
}

/* potrace's own curves for a path, with their ends and control points moved onto the coverage's edge. */
static void
potrace_contour (ZiContour *out, const potrace_path_t *path, const ZiPlacement *placement,
                 const guint8 *coverage, int size, const ZiTraceParams *params)
{
  const potrace_curve_t *curve = &path->curve;
  int up = (int) params->upsample;
  GArray *segs = g_array_sized_new (FALSE, FALSE, sizeof (ZiSegment), 2 * curve->n);

  for (int i = 0; i < curve->n; i++)
    {
      ZiSegment s = { 0 };

      if (curve->tag[i] == POTRACE_CORNER)
        {
          /* A corner is two straight lines: to the vertex c[1], then on to c[2]. */
          s.kind = ZI_SEGMENT_LINE;
          s.p = to_pixel (up, curve->c[i][1]);
          g_array_append_val (segs, s);
          s.p = to_pixel (up, curve->c[i][2]);
          g_array_append_val (segs, s);
        }
      else
        {
          s.kind = ZI_SEGMENT_CUBIC;
          s.c1 = to_pixel (up, curve->c[i][0]);
          s.c2 = to_pixel (up, curve->c[i][1]);
          s.p = to_pixel (up, curve->c[i][2]);
          g_array_append_val (segs, s);
        }
    }

  g_free (out->segments);
  out->n_segments = segs->len;
  out->segments = (ZiSegment *) g_array_free (segs, FALSE);
  if (up > 1)
    snap_to_edges (out, coverage, size, params->threshold);
  for (guint i = 0; i < out->n_segments; i++)
    {
      ZiSegment *s = &out->segments[i];

      s->c1 = to_font (placement, s->c1);
      s->c2 = to_font (placement, s->c2);
      s->p = to_font (placement, s->p);
    }
}

/* Hole flag, areas and direction of a contour made from path. */
static void
finish_contour (ZiContour *out, const potrace_path_t *path, int up)
{
  out->hole = path->sign == '-';
  out->pixel_area = (double) path->area / (up * up);
  out->area = zi_contour_signed_area (out);
  /* potrace's own orientation depends on its y axis; set ours from the sign it reports, which is
   * what matters: outer contours counter-clockwise, holes clockwise. */
  if ((out->area < 0) != out->hole)
    zi_contour_reverse (out);
}

/* The box of a contour's points, control points included (enough to tell contours that cannot cross). */
static void
contour_box (const ZiContour *c, double box[4])
{
  box[0] = box[1] = G_MAXDOUBLE;
  box[2] = box[3] = -G_MAXDOUBLE;
  for (guint i = 0; i < c->n_segments; i++)
    {
      const ZiSegment *s = &c->segments[i];
      const ZiPoint pts[3] = { s->c1, s->c2, s->p };

      for (int k = s->kind == ZI_SEGMENT_CUBIC ? 0 : 2; k < 3; k++)
        {
          box[0] = MIN (box[0], pts[k].x);
          box[1] = MIN (box[1], pts[k].y);
          box[2] = MAX (box[2], pts[k].x);
          box[3] = MAX (box[3], pts[k].y);
        }
    }
}

/* The first pair of contours (i <= j; i == j: a contour crossing itself) that cross, leaving out pairs
 * that both have taken potrace's own curves (step 4), if any. */
static gboolean
find_crossing (GArray *contours, const int *step, guint *i_out, guint *j_out)
{
  guint n = contours->len;
  g_autofree double *box = g_new (double, 4 * n);

  for (guint i = 0; i < n; i++)
    contour_box (&g_array_index (contours, ZiContour, i), box + 4 * i);
  for (guint i = 0; i < n; i++)
    for (guint j = i; j < n; j++)
      {
        const double *a = box + 4 * i, *b = box + 4 * j;

        if ((step[i] == 4 && step[j] == 4) || a[0] > b[2] || b[0] > a[2] || a[1] > b[3] || b[1] > a[3])
          continue;
        if (zi_fit_contours_cross (&g_array_index (contours, ZiContour, i), &g_array_index (contours, ZiContour, j)))
          {
            *i_out = i;
            *j_out = j;
            return TRUE;
          }
      }
  return FALSE;
}

/* Where two strokes nearly touch, fitted contours can cross; the contours of each crossing are refitted
 * with half the tolerance, then a quarter, then an eighth without smoothing or moving corners off their
 * samples (the sampled polylines do not cross), and then take potrace's own curves. tol[k] counts the
 * steps taken. */
static void
untangle (GArray *contours, GPtrArray *polylines, GPtrArray *paths, const ZiPlacement *placement,
          const guint8 *coverage, int size, const ZiTraceParams *params, double tolerance)
{
  g_autofree int *step = g_new0 (int, contours->len);
  guint pair[2];

  while (find_crossing (contours, step, &pair[0], &pair[1]))
    for (int e = 0; e < (pair[0] == pair[1] ? 1 : 2); e++)
      {
        guint k = pair[e];
        ZiContour *c = &g_array_index (contours, ZiContour, k);
        const potrace_path_t *path = g_ptr_array_index (paths, k);

        if (step[k] == 4)
          continue;
        if (++step[k] < 4)
          fit_contour (c, g_ptr_array_index (polylines, k), placement, params, tolerance / (1 << step[k]),
                       step[k] == 3);
        else
          potrace_contour (c, path, placement, coverage, size, params);
        finish_contour (c, path, (int) params->upsample);
      }
}

static void
free_polyline (gpointer pts)
{
  if (pts != NULL)
    g_array_unref (pts);
}

ZiOutline *
zi_trace_bitmap (const guint8        *coverage,
                 guint                size,
                 const ZiPlacement   *placement,
                 const ZiTraceParams *params,
                 GError             **error)
{
  g_autoptr(ZiOutline) outline = NULL;
  g_autofree guint8 *smoothed = NULL;
  potrace_bitmap_t bm = { 0 };
  potrace_param_t *pp;
  potrace_state_t *st;
  GArray *contours;
  GPtrArray *polylines, *paths;
  int up;

  g_return_val_if_fail (coverage != NULL, NULL);
  g_return_val_if_fail (placement != NULL, NULL);
  g_return_val_if_fail (params != NULL, NULL);

  if (size == 0 || size > 4096 || placement->size != size)
    {
      g_set_error (error, ZI_ERROR, ZI_ERROR_INVALID,
                   _("Cannot trace a %u px bitmap with a placement for %u px"), size, placement->size);
      return NULL;
    }
  if (!zi_trace_params_check (params, error))
    return NULL;

  if (params->smooth > 0)
    coverage = smoothed = blur (coverage, (int) size, params->smooth);
  up = (int) params->upsample;
  outline = g_new0 (ZiOutline, 1);
  bm.w = bm.h = (int) size * up;
  bm.dy = (bm.w + WORD_BITS - 1) / WORD_BITS;
  bm.map = g_new0 (potrace_word, (gsize) bm.dy * bm.h);
  if (!fill_bitmap (&bm, coverage, (int) size, up, params->threshold))
    {
      g_free (bm.map);
      return g_steal_pointer (&outline);
    }

  pp = potrace_param_default ();
  if (pp == NULL)
    {
      g_free (bm.map);
      g_set_error (error, ZI_ERROR, ZI_ERROR_RESOURCES, _("Out of memory while tracing a glyph"));
      return NULL;
    }
  pp->turdsize = params->turdsize * up * up;
  pp->alphamax = params->alphamax;
  pp->opticurve = params->opttolerance > 0;
  pp->opttolerance = params->opttolerance;
  st = potrace_trace (pp, &bm);
  potrace_param_free (pp);
  g_free (bm.map);
  if (st == NULL || st->status != POTRACE_STATUS_OK)
    {
      if (st != NULL)
        potrace_state_free (st);
      g_set_error (error, ZI_ERROR, ZI_ERROR_RESOURCES, _("Out of memory while tracing a glyph"));
      return NULL;
    }

  contours = g_array_new (FALSE, TRUE, sizeof (ZiContour));
  polylines = g_ptr_array_new_with_free_func (free_polyline);
  paths = g_ptr_array_new ();
  for (const potrace_path_t *path = st->plist; path != NULL; path = path->next)
    {
      ZiContour c = { 0 };
      GArray *pts = NULL;

      if (path->curve.n <= 0)
        continue;
      if (params->tolerance > 0)
        {
          pts = fit_polyline (path, placement, coverage, (int) size, params);
          fit_contour (&c, pts, placement, params, params->tolerance * placement->units_per_em / 1000.0, FALSE);
        }
      else
        potrace_contour (&c, path, placement, coverage, (int) size, params);
      if (c.n_segments == 0)
        {
          g_clear_pointer (&pts, g_array_unref);
          continue;
        }
      finish_contour (&c, path, (int) params->upsample);
      g_array_append_val (contours, c);
      g_ptr_array_add (polylines, pts);
      g_ptr_array_add (paths, (gpointer) path);
    }
  if (params->tolerance > 0)
    untangle (contours, polylines, paths, placement, coverage, (int) size, params,
              params->tolerance * placement->units_per_em / 1000.0);
  g_ptr_array_unref (polylines);
  g_ptr_array_unref (paths);
  potrace_state_free (st);

  outline->n_contours = contours->len;
  outline->contours = (ZiContour *) g_array_free (contours, FALSE);
  zi_outline_update_bbox (outline);
  return g_steal_pointer (&outline);
}

guint
zi_outline_count_small (const ZiOutline *outline, double max_pixel_area)
{
  guint n = 0;

  g_return_val_if_fail (outline != NULL, 0);

  for (guint i = 0; i < outline->n_contours; i++)
    if (outline->contours[i].pixel_area < max_pixel_area)
      n++;
  return n;
}
