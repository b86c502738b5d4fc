/* zi-fit.c — a closed noisy polyline → lines and cubic Béziers with on-curve points where a type
 * designer puts them (see zi-fit.h). This file drives the fit; zi-fit-lines.c finds the straight runs,
 * zi-fit-round.c rounds convex corners and zi-fit-cubic.c fits the curves.
 *
 * Steps, all in font units:
 *  1. resample the polyline evenly (h ≈ pixel / 6);
 *  2. corners: points whose turn (chords clear of the point, turn()) is a local maximum above
 *     corner_angle (convex_angle where the contour turns towards the ink), placed where straight fits
 *     of their two sides cross (anti-aliasing rounds a corner off; the sides do not);
 *  3. a light Gaussian smoothing along the contour, and a heavier one for finding straight edges, both
 *     pinned at the corners;
 *  4. straight runs (zi-fit-lines.c), exactly horizontal or vertical within hv_angle;
 *  5. extrema: where the tangent of a curved stretch turns through horizontal or vertical (with
 *     hysteresis against noise), the tangent made exactly horizontal or vertical there;
 *  6. convex corners rounded with arcs where the preset wants it (zi-fit-round.c);
 *  7. each curved piece between two of those points fitted with Schneider's least-squares cubics
 *     (Graphics Gems, 1990) under the end tangents, split with a shared (G1) tangent while the error
 *     exceeds the tolerance (zi-fit-cubic.c);
 *  8. a point put at any extremum a curve still passes through.
 * No segment is shorter than min_segment (nor, up to 1.25 pixels, than Fontbakery's 0.6% of the
 * contour's length for curves). On-curve points are rounded to whole font units before the curves are
 * fitted to them, so lines stay exactly horizontal or vertical and smooth joins keep exactly collinear
 * handles. */
#include "config.h"
#include "zi-fit.h"
#include "zi-fit-private.h"

#include <string.h>

void
zi_fit_params_init (ZiFitParams *params, double pixel, double tolerance, gboolean keep_corners)
{
  g_return_if_fail (params != NULL);
  g_return_if_fail (pixel > 0);

  params->tolerance = tolerance;
  params->smooth = 0.5 * pixel;
  params->line_smooth = 1.5 * pixel;
  params->corner_span = pixel;
  params->corner_shift = 0.75 * pixel;
  /* A right-angled corner turns by 75–86° as measured (turn()), the round end of a stroke two pixels
   * wide by as much as 73°: a Maru design has no convex corners that are not rounded, so there only a
   * sharp tip is a convex corner. */
  params->corner_angle = (keep_corners ? 40.0 : 70.0) * G_PI / 180;
  params->convex_angle = (keep_corners ? 40.0 : 115.0) * G_PI / 180;
  params->line_min = 2.5 * pixel;
  /* Wide enough that rounding to whole units cannot bring a line that was not snapped within
   * Fontbakery's 0.5° of horizontal or vertical (a line of line_min turns by at most ~1.3°). */
  params->hv_angle = 3.0 * G_PI / 180;
  params->min_segment = MAX (4.0, 0.75 * pixel);
  /* Zen Maru Gothic rounds the corners of its square stroke ends with a radius of about 16 units in
   * 1000, a little under a pixel at 64 px. */
  params->corner_radius = keep_corners ? 0 : 0.9 * pixel;
}

/* ---- the contour being fitted ---- */

/* ---- 1. resampling ---- */

/* The closed polyline pts[n] resampled every ~step along its length (*h_out exactly), at least 12
 * samples. */
static ZiPoint *
resample (const ZiPoint *pts, guint n, double step, int *n_out, double *h_out)
{
  double total = 0, h, walked = 0, target;
  int m, j = 1;
  ZiPoint *out;

  for (guint i = 0; i < n; i++)
    total += len (sub (pts[(i + 1) % n], pts[i]));
  m = MAX (12, (int) ceil (total / step));
  h = total / m;
  out = g_new (ZiPoint, m);
  out[0] = pts[0];
  target = h;
  for (guint i = 0; i < n && j < m; i++)
    {
      ZiPoint a = pts[i], b = pts[(i + 1) % n];
      double l = len (sub (b, a));

      while (j < m && target <= walked + l)
        {
          double t = l > 0 ? (target - walked) / l : 0;
          out[j++] = add (a, scale (sub (b, a), t));
          target += h;
        }
      walked += l;
    }
  for (; j < m; j++)  /* rounding at the very end of the walk */
    out[j] = pts[0];
  *n_out = m;
  *h_out = h;
  return out;
}

/* ---- 2. corners ---- */

/* The turn at sample i: the angle between the chords from far to near samples on either side, near =
 * k/3 and far = 4k/3 samples away. Chords clear of i see past the rounding anti-aliasing gives a sharp
 * corner (~0.7 px at 64 px), and chords short of 1.5 px see a stroke's round end turn by a third as
 * much as a corner. */
static double
turn (const ZiPoint *q, int n, int i, int k)  /* > 0 for a left turn */
{
  int near = MAX (1, k / 3), far = near + k;
  ZiPoint a = sub (q[((i - near) % n + n) % n], q[((i - far) % n + n) % n]);
  ZiPoint b = sub (q[(i + far) % n], q[(i + near) % n]);

  return atan2 (cross (a, b), dot (a, b));
}

/* How far sample i is from the rest of its contour (samples more than 3k away along it). */
static double
clearance (const Fit *f, int i)
{
  double best = G_MAXDOUBLE;

  for (int j = 3 * f->k; j <= f->n - 3 * f->k; j++)
    best = MIN (best, len (sub (f->raw[wrap (f, i + j)], f->raw[i])));
  return best;
}

/* Marks the corners (f->corner, f->corner_pos, f->corner_sum, f->corner_dist) and picks the start of
 * the walk round the contour, f->o: the first corner, else the sharpest bend, which no straight run
 * crosses. */
static void
find_corners (Fit *f)
{
  const ZiFitParams *pr = f->params;
  int n = f->n, k = f->k;
  g_autofree double *t = g_new (double, n);
  g_autofree gboolean *left = g_new (gboolean, n);
  double best = -1;

  for (int i = 0; i < n; i++)
    {
      t[i] = turn (f->raw, n, i, k);
      left[i] = t[i] > 0;
      t[i] = fabs (t[i]);
    }
  f->o = 0;
  for (int i = 0; i < n; i++)
    {
      gboolean peak = t[i] >= (left[i] ? pr->convex_angle : pr->corner_angle) && t[i] < G_PI - 0.25;

      if (t[i] > best)
        {
          best = t[i];
          f->o = i;
        }
      /* A local maximum over ±k (the first of equal values); needles sharper than Fontbakery's jaggy
       * angle are left to the curves. */
      for (int j = -k; j <= k && peak; j++)
        if (j != 0 && (t[wrap (f, i + j)] > t[i] || (j < 0 && t[wrap (f, i + j)] == t[i])))
          peak = FALSE;
      f->corner[i] = peak;
    }
  for (int i = 0; i < n; i++)
    {
      ZiPoint c1, d1, c2, d2, x;
      int reach = 3 * k;

      f->corner_pos[i] = f->raw[i];
      if (!f->corner[i])
        continue;
      /* Keep the side fits clear of the neighbouring corners. */
      for (int j = 1; j <= 3 * k; j++)
        if (is_corner (f, i + j) || is_corner (f, i - j))
          {
            reach = j / 2;
            break;
          }
      if (reach <= k / 2 + 1)
        continue;
      zi_fit_tls_line (f, f->raw, i - reach, i - k / 2, &c1, &d1);
      zi_fit_tls_line (f, f->raw, i + k / 2, i + reach, &c2, &d2);
      /* Where the contour passes close by itself (two strokes nearly touching), the apex stays well
       * clear of the other side. */
      if (intersect (c1, d1, c2, d2, &x) && len (sub (x, f->raw[i])) < MIN (pr->corner_shift, 0.4 * clearance (f, i)))
        f->corner_pos[i] = x;
    }

  f->corner_sum = g_new (int, 2 * n + 1);
  f->corner_sum[0] = 0;
  for (int i = 0; i < 2 * n; i++)
    f->corner_sum[i + 1] = f->corner_sum[i] + f->corner[i % n];
  for (int i = 0; i < n; i++)
    if (f->corner[i])
      {
        f->o = i;
        break;
      }
  f->corner_dist = g_new (int, n);
  for (int i = 0; i < n; i++)
    {
      f->corner_dist[i] = k;
      for (int j = 0; j < k; j++)
        if (is_corner (f, i + j) || is_corner (f, i - j))
          {
            f->corner_dist[i] = j;
            break;
          }
    }
}

/* ---- 3. smoothing ---- */

/* The samples in[] smoothed with a Gaussian of σ font units along the contour, pinned at corners. */
static ZiPoint *
gaussian (const Fit *f, const ZiPoint *in, double sigma_units)
{
  int n = f->n;
  double sigma = sigma_units / f->h;
  int r = MIN ((int) ceil (3 * sigma), n / 2 - 1);
  g_autofree int *back = g_new (int, n);
  g_autofree int *ahead = g_new (int, n);
  g_autofree double *w = g_new (double, MAX (r, 0) + 1);
  ZiPoint *out = g_new (ZiPoint, n);
  int d;

  if (sigma < 0.3 || r < 1)
    {
      memcpy (out, in, n * sizeof (ZiPoint));
      return out;
    }
  for (int j = 0; j <= r; j++)
    w[j] = exp (-0.5 * j * j / (sigma * sigma));
  /* Distances to the nearest corner behind and ahead (capped at r): the window stays symmetric and
   * shrinks near a corner, so corners stay sharp and no bias creeps in. */
  d = r;
  for (int pass = 0; pass < 2; pass++)
    for (int i = 0; i < n; i++)
      {
        d = f->corner[i] ? 0 : MIN (d + 1, r);
        if (pass == 1)
          back[i] = d;
      }
  d = r;
  for (int pass = 0; pass < 2; pass++)
    for (int i = n - 1; i >= 0; i--)
      {
        d = f->corner[i] ? 0 : MIN (d + 1, r);
        if (pass == 1)
          ahead[i] = d;
      }
  for (int i = 0; i < n; i++)
    {
      int m = MIN (back[i], ahead[i]);
      ZiPoint s = pt (0, 0);
      double sw = 0;

      for (int j = -m; j <= m; j++)
        {
          s = add (s, scale (in[wrap (f, i + j)], w[abs (j)]));
          sw += w[abs (j)];
        }
      out[i] = scale (s, 1 / sw);
    }
  return out;
}

/* The samples smoothed by Tukey's twicing of that Gaussian G: G·x + G·(x − G·x). A Gaussian alone
 * pulls a curve of radius R inwards by σ²/2R, which narrowed round stroke ends and cost 0.13 units of
 * mean distance to the target's outline (eval --outlines, step 4500); twicing leaves only a σ⁴ term
 * and still takes out the ripples a pixel long. */
static ZiPoint *
smooth (const Fit *f, double sigma_units)
{
  ZiPoint *out = gaussian (f, f->raw, sigma_units);
  g_autofree ZiPoint *rest = g_new (ZiPoint, f->n);
  g_autofree ZiPoint *back = NULL;

  for (int i = 0; i < f->n; i++)
    rest[i] = sub (f->raw[i], out[i]);
  back = gaussian (f, rest, sigma_units);
  for (int i = 0; i < f->n; i++)
    out[i] = add (out[i], back[i]);
  return out;
}

/* ---- 4. straight runs ---- */

/* ---- 5. extrema ---- */

/* Index of the horizontal (axis 1) or vertical (axis 0) tangent between a and b whose sign of the
 * tangent's other component flips, with hysteresis: a sign only counts beyond ±12° (8° let the wobble of
 * generated edges through: 1% more on-curve points, eval --outlines at step 4500). */
static void
find_extrema (Fit *f, int a, int b, GArray *found)
{
  int w = MAX (1, f->k / 3), lo = a + MAX (f->min_seg, f->k / 2), hi = b - MAX (f->min_seg, f->k / 2);
  double s12 = sin (12.0 * G_PI / 180);

  for (int axis = 0; axis < 2; axis++)
    {
      int sign = 0, last = -1;

      for (int i = a + 1; i < b; i++)
        {
          ZiPoint d = sub (P (f, i + w), P (f, i - w));
          double v = axis == 0 ? d.x : d.y, l = len (d);
          int s = v > s12 * l ? 1 : v < -s12 * l ? -1 : 0;

          if (s == 0)
            continue;
          if (sign != 0 && s != sign)
            {
              /* The extremum: the outermost sample between the two confident stretches. */
              int best = last;
              for (int j = last; j <= i; j++)
                {
                  double cj = axis == 0 ? P (f, j).x : P (f, j).y, cb = axis == 0 ? P (f, best).x : P (f, best).y;
                  if (sign > 0 ? cj > cb : cj < cb)
                    best = j;
                }
              if (best >= lo && best <= hi)
                {
                  Break e = { 0 };
                  ZiPoint t = sub (P (f, best + w), P (f, best - w));

                  e.i = best;
                  e.kind = BREAK_EXTREMUM;
                  if (axis == 0)
                    e.t_in = pt (0, t.y >= 0 ? 1 : -1);
                  else
                    e.t_in = pt (t.x >= 0 ? 1 : -1, 0);
                  e.t_out = e.t_in;
                  e.pos = round_point (P (f, best));
                  g_array_append_val (found, e);
                }
            }
          sign = s;
          last = i;
        }
    }
}

/* ---- the on-curve points ---- */

/* Which of two on-curve points too close together stays: a line's end, a corner, an extremum, a point
 * the tolerance asked for, in that order. */
static int
priority (const Break *b)
{
  return b->kind == BREAK_LINE ? 3 : b->kind == BREAK_CORNER ? 2 : b->kind == BREAK_EXTREMUM ? 1 : 0;
}

/* The break at sample i (any turn of the contour), or NULL. */
static Break *
break_at (Fit *f, int i)
{
  for (guint j = 0; j < f->breaks->len; j++)
    {
      Break *b = &g_array_index (f->breaks, Break, j);
      if (wrap (f, b->i) == wrap (f, i))
        return b;
    }
  return NULL;
}

/* Appends a break at sample i, its index brought into the walk's turn (o <= i < o + n). */
static void
add_break (Fit *f, int i, BreakKind kind, ZiPoint pos)
{
  Break b = { 0 };

  b.i = f->o + wrap (f, i - f->o);
  b.kind = kind;
  b.pos = pos;
  g_array_append_val (f->breaks, b);
}

/* The foot of p on line l. */
static ZiPoint
project (const Line *l, ZiPoint p)
{
  return add (l->c, scale (l->dir, dot (sub (p, l->c), l->dir)));
}

/* The smooth point the tolerance asks for at sample i: tangent from the samples around it. */
static Break
smooth_break (const Fit *f, int i)
{
  Break b = { 0 };
  int w = MAX (1, f->k / 3);

  b.i = i;
  b.kind = BREAK_SMOOTH;
  b.pos = round_point (P (f, i));
  b.t_in = b.t_out = normalize (sub (P (f, i + w), P (f, i - w)));
  return b;
}

/* The on-curve points, in order along the contour: corners, the ends of the straight runs, the extrema
 * of the curved stretches between them, no two closer than min_seg. */
static void
collect_breaks (Fit *f)
{
  GArray *ext = g_array_new (FALSE, TRUE, sizeof (Break));

  for (int i = f->o; i < f->o + f->n; i++)
    if (is_corner (f, i))
      add_break (f, i, BREAK_CORNER, f->corner_pos[wrap (f, i)]);

  /* Line ends: on the line; a corner between two lines where they cross, a corner beside one line
   * projected onto it, so a horizontal or vertical line stays exactly so. */
  for (guint j = 0; j < f->lines->len; j++)
    {
      Line *l = &g_array_index (f->lines, Line, j);

      zi_fit_place_line (f, l);
      for (int end = 0; end < 2; end++)
        {
          int i = end ? l->b : l->a;
          Break *b = break_at (f, i);

          if (b == NULL)
            {
              add_break (f, i, BREAK_LINE, project (l, P (f, i)));
              b = &g_array_index (f->breaks, Break, f->breaks->len - 1);
            }
          else if (b->kind == BREAK_CORNER)
            {
              const Line *other = NULL;
              ZiPoint x;

              for (guint q = 0; q < j; q++)
                {
                  const Line *m = &g_array_index (f->lines, Line, q);
                  if (wrap (f, end ? m->a : m->b) == wrap (f, i))
                    other = m;
                }
              if (other != NULL && intersect (l->c, l->dir, other->c, other->dir, &x)
                  && len (sub (x, b->pos)) < 2 * f->k * f->h)
                b->pos = x;
              else
                b->pos = project (l, b->pos);
            }
          if (end)
            b->t_in = l->dir;
          else
            {
              b->t_out = l->dir;
              b->line_next = TRUE;
            }
          if (b->kind == BREAK_LINE)
            {
              if (end)
                b->t_out = l->dir;
              else
                b->t_in = l->dir;
            }
        }
    }
  for (guint j = 0; j < f->breaks->len; j++)
    {
      Break *b = &g_array_index (f->breaks, Break, j);
      b->pos = round_point (b->pos);
    }
  g_array_sort (f->breaks, compare_breaks);

  /* Extrema of the curved stretches. Without any break the contour is one closed curve: look a little
   * past the start so that an extremum there is not lost. */
  if (f->breaks->len == 0)
    find_extrema (f, f->o - f->n / 4, f->o + f->n + f->n / 4, ext);
  for (guint j = 0; j < f->breaks->len; j++)
    {
      const Break *a = &g_array_index (f->breaks, Break, j);
      const Break *b = &g_array_index (f->breaks, Break, (j + 1) % f->breaks->len);
      int bi = b->i + (j + 1 == f->breaks->len ? f->n : 0);

      if (!a->line_next)
        find_extrema (f, a->i, bi, ext);
    }
  for (guint j = 0; j < ext->len; j++)
    {
      Break *e = &g_array_index (ext, Break, j);

      e->i = f->o + wrap (f, e->i - f->o);
      if (break_at (f, e->i) == NULL)
        g_array_append_val (f->breaks, *e);
    }
  g_array_free (ext, TRUE);
  g_array_sort (f->breaks, compare_breaks);

  /* No two on-curve points closer than min_seg, along the samples or apart: the less telling one goes
   * (a line's end never). */
  for (guint j = 0; f->breaks->len > 1 && j < f->breaks->len;)
    {
      guint jn = (j + 1) % f->breaks->len;
      Break *a = &g_array_index (f->breaks, Break, j);
      Break *b = &g_array_index (f->breaks, Break, jn);
      int gap = b->i - a->i + (jn == 0 ? f->n : 0);

      if ((gap >= f->min_seg && len (sub (b->pos, a->pos)) >= f->min_seg * f->h) || a->line_next)
        {
          j++;
          continue;
        }
      if (priority (b) > priority (a) || (priority (b) == priority (a) && jn == 0))
        g_array_remove_index (f->breaks, j);
      else
        g_array_remove_index (f->breaks, jn);
      if (jn == 0 && j > 0)
        j--;
    }

  /* A contour needs two on-curve points at least. */
  if (f->breaks->len == 0)
    {
      Break b = smooth_break (f, f->o);
      g_array_append_val (f->breaks, b);
    }
  if (f->breaks->len == 1)
    {
      Break b = smooth_break (f, g_array_index (f->breaks, Break, 0).i + f->n / 2);
      g_array_append_val (f->breaks, b);
    }
}

/* The unit tangent leaving (forward) or reaching (!forward) a corner at sample i towards a neighbour
 * `room` samples away: the direction of the samples' line between k/2 and 2k from the corner, clear of
 * the rounding anti-aliasing gives the corner itself. */
static ZiPoint
corner_tangent (const Fit *f, int i, ZiPoint pos, int room, gboolean forward)
{
  int from = f->k / 2, to = MIN (2 * f->k, room - 1);
  ZiPoint c, dir;

  if (to - from < 3)
    {
      ZiPoint far = P (f, forward ? i + room : i - room);
      return normalize (forward ? sub (far, pos) : sub (pos, far));
    }
  if (forward)
    zi_fit_tls_line (f, f->p, i + from, i + to, &c, &dir);
  else
    zi_fit_tls_line (f, f->p, i - to, i - from, &c, &dir);
  return dir;
}

/* Tangents once the on-curve points sit on whole units: a line's own direction between its rounded
 * ends, taken by the curve it meets (a smooth join), and a corner's from the samples of each curved
 * side. */
static void
settle_tangents (Fit *f)
{
  for (guint j = 0; j < f->breaks->len; j++)
    {
      Break *a = nth_break (f, j), *b = nth_break (f, j + 1);

      if (a->line_next)
        {
          ZiPoint d = normalize (sub (b->pos, a->pos));

          a->t_out = b->t_in = d;
          if (a->kind != BREAK_CORNER)
            a->t_in = d;
          if (b->kind != BREAK_CORNER && !b->line_next)
            b->t_out = d;
        }
    }
  for (guint j = 0; j < f->breaks->len; j++)
    {
      Break *b = nth_break (f, j);
      gboolean line_in;

      if (b->kind != BREAK_CORNER)
        continue;
      line_in = nth_break (f, j + f->breaks->len - 1)->line_next;
      if (!b->line_next)
        b->t_out = corner_tangent (f, b->i, b->pos, gap_after (f, j), TRUE);
      if (!line_in)
        b->t_in = corner_tangent (f, b->i, b->pos, gap_after (f, j + f->breaks->len - 1), FALSE);
      /* A corner whose sides leave it within 15° of each other would be a kink, neither sharp nor
       * smooth: it becomes a smooth point, along its straight side if it has one. */
      if (dot (b->t_in, b->t_out) > cos (15 * G_PI / 180) && !(line_in && b->line_next))
        {
          b->kind = BREAK_SMOOTH;
          b->t_in = b->t_out = line_in ? b->t_in : b->line_next ? b->t_out : normalize (add (b->t_in, b->t_out));
        }
    }
}

/* ---- emitting the segments ---- */


/* The parameters in (0, 1) where the cubic a, b, c, d runs along an axis (axis 0: its x stands still,
 * a vertical tangent): the roots of the derivative's component, a quadratic. */
static int
axis_roots (double a, double b, double c, double d, double *t)
{
  double qa = -a + 3 * b - 3 * c + d, qb = 2 * (a - 2 * b + c), qc = b - a, disc;
  int n = 0;

  if (fabs (qa) < 1e-9)
    {
      if (fabs (qb) > 1e-9)
        t[n++] = -qc / qb;
    }
  else if ((disc = qb * qb - 4 * qa * qc) >= 0)
    {
      t[n++] = (-qb + sqrt (disc)) / (2 * qa);
      t[n++] = (-qb - sqrt (disc)) / (2 * qa);
    }
  return n;
}

/* Puts an on-curve point at each extremum a curve still passes through without one (where extrema
 * were too close to another point to be found, or on a rounded end that runs at a slant) and that
 * reaches more than a unit past its ends, if both halves keep min_seg: the cubic is split there (de
 * Casteljau), the point put on whole units and its two handles made exactly horizontal or vertical. */
static void
split_at_extrema (Fit *f)
{
  double seg = f->min_seg * f->h;

  for (guint i = 0; i < f->out->len; i++)
    {
      ZiSegment *s = &g_array_index (f->out, ZiSegment, i);
      ZiPoint a = g_array_index (f->out, ZiSegment, (i + f->out->len - 1) % f->out->len).p;
      double best = 1, bt = -1;
      int baxis = 0;

      if (s->kind != ZI_SEGMENT_CUBIC)
        continue;
      for (int axis = 0; axis < 2; axis++)
        {
          double t[2];
          int n = axis == 0 ? axis_roots (a.x, s->c1.x, s->c2.x, s->p.x, t)
                            : axis_roots (a.y, s->c1.y, s->c2.y, s->p.y, t);

          for (int k = 0; k < n; k++)
            {
              ZiPoint q;
              double over;

              if (t[k] <= 0.02 || t[k] >= 0.98)
                continue;
              q = zi_cubic_at (a, s->c1, s->c2, s->p, t[k]);
              over = axis == 0 ? MAX (q.x - MAX (a.x, s->p.x), MIN (a.x, s->p.x) - q.x)
                               : MAX (q.y - MAX (a.y, s->p.y), MIN (a.y, s->p.y) - q.y);
              if (over > best && len (sub (q, a)) >= seg && len (sub (s->p, q)) >= seg)
                {
                  best = over;
                  bt = t[k];
                  baxis = axis;
                }
            }
        }
      if (bt > 0)
        {
          double t = bt, u = 1 - t;
          ZiPoint ab = add (scale (a, u), scale (s->c1, t)), bc = add (scale (s->c1, u), scale (s->c2, t));
          ZiPoint cd = add (scale (s->c2, u), scale (s->p, t));
          ZiPoint abc = add (scale (ab, u), scale (bc, t)), bcd = add (scale (bc, u), scale (cd, t));
          ZiPoint q = round_point (add (scale (abc, u), scale (bcd, t)));
          ZiSegment first = { 0 };

          if (baxis == 0)
            abc.x = bcd.x = q.x;
          else
            abc.y = bcd.y = q.y;
          first.kind = ZI_SEGMENT_CUBIC;
          first.c1 = ab;
          first.c2 = abc;
          first.p = q;
          s->c1 = bcd;
          s->c2 = cd;
          g_array_insert_val (f->out, i, first);
          i--;  /* look at the first half again */
        }
    }
}

/* Rounds off needle tips: where the outline doubles back at a join by less than Fontbakery's jaggy
 * angle (0.25 rad; a sliver where two strokes touch in a crowded glyph, whose sides the fit gave
 * nearly opposite tangents), both handles at the tip turn square to the needle, half as long, so the
 * tip is a small round turn. A line on either side becomes the equal cubic first. */
static void
round_needles (Fit *f)
{
  guint n = f->out->len;

  for (guint i = 0; n > 2 && i < n; i++)
    {
      ZiSegment *in = &g_array_index (f->out, ZiSegment, (i + n - 1) % n);
      ZiSegment *out = &g_array_index (f->out, ZiSegment, i);
      ZiPoint before = g_array_index (f->out, ZiSegment, (i + n - 2) % n).p, tip = in->p, u, v, t;

      u = normalize (sub (tip, in->kind == ZI_SEGMENT_CUBIC ? in->c2 : before));
      v = normalize (sub (out->kind == ZI_SEGMENT_CUBIC ? out->c1 : out->p, tip));
      if (len (u) == 0 || len (v) == 0 || dot (scale (u, -1), v) < cos (0.3))
        continue;
      for (int side = 0; side < 2; side++)
        {
          ZiSegment *s = side ? out : in;
          ZiPoint a = side ? tip : before;

          if (s->kind == ZI_SEGMENT_LINE)
            {
              s->kind = ZI_SEGMENT_CUBIC;
              s->c1 = add (a, scale (sub (s->p, a), 1.0 / 3));
              s->c2 = add (a, scale (sub (s->p, a), 2.0 / 3));
            }
        }
      t = cross (u, v) > 0 ? pt (-u.y, u.x) : pt (u.y, -u.x);
      in->c2 = sub (tip, scale (t, 0.5 * len (sub (tip, in->c2))));
      out->c1 = add (tip, scale (t, 0.5 * len (sub (out->c1, tip))));
    }
}

/* ---- the whole contour ---- */

void
zi_fit_contour (ZiContour *out, const ZiPoint *pts, guint n, const ZiFitParams *params)
{
  Fit f = { 0 };
  double length = 0, step;

  g_return_if_fail (out != NULL);
  g_return_if_fail (params != NULL);
  g_return_if_fail (n == 0 || pts != NULL);

  out->segments = NULL;
  out->n_segments = 0;
  for (guint i = 0; i < n; i++)
    length += len (sub (pts[(i + 1) % n], pts[i]));
  if (n < 3 || length <= 0)
    return;

  f.params = params;
  step = MAX (0.5, params->corner_span / 6);
  f.raw = resample (pts, n, step, &f.n, &f.h);
  f.k = MAX (2, (int) lround (params->corner_span / f.h));
  f.k = MIN (f.k, f.n / 6);
  /* Fontbakery calls a curve short under 0.6% of its contour's length; a generated glyph's merged
   * contours run to 9000 units, where that would forbid points a designer needs, so the bar stops at
   * 1.25 pixels. */
  f.min_seg = MAX (1, (int) ceil (MAX (params->min_segment, MIN (0.0065 * length, 1.25 * params->corner_span)) / f.h));
  f.min_seg = MIN (f.min_seg, f.n / 4);
  f.corner = g_new0 (guint8, f.n);
  f.corner_pos = g_new (ZiPoint, f.n);
  f.lines = g_array_new (FALSE, TRUE, sizeof (Line));
  f.breaks = g_array_new (FALSE, TRUE, sizeof (Break));
  f.out = g_array_new (FALSE, TRUE, sizeof (ZiSegment));

  find_corners (&f);
  f.p = smooth (&f, params->smooth);
  f.q = gaussian (&f, f.raw, params->line_smooth);
  zi_fit_find_lines (&f);
  collect_breaks (&f);
  settle_tangents (&f);
  zi_fit_round_corners (&f);
  settle_tangents (&f);

  for (guint j = 0; j < f.breaks->len; j++)
    {
      Break *a = nth_break (&f, j), *b = nth_break (&f, j + 1);
      int m = gap_after (&f, j);

      /* Two points rounded onto the same unit make no segment. */
      if (len (sub (b->pos, a->pos)) < 1)
        continue;
      if (a->line_next)
        emit (&f, ZI_SEGMENT_LINE, pt (0, 0), pt (0, 0), b->pos);
      else if (a->arc_next)
        zi_fit_emit_arc (&f, a, b);
      else
        {
          g_autofree ZiPoint *piece = g_new (ZiPoint, MAX (m, 1) + 1);
          int skip = f.k / 2;

          for (int i = 0; i <= m; i++)
            piece[i] = P (&f, a->i + i);
          if (m < 1)
            {
              m = 1;
              piece[1] = b->pos;
            }
          zi_fit_cubics (f.out, piece, m, a->kind == BREAK_CORNER ? skip : 1,
                         b->kind == BREAK_CORNER ? m - skip : m - 1, a->pos, a->t_out, b->pos, b->t_in,
                         params->tolerance, f.min_seg, MAX (1, f.k / 3));
        }
    }

  split_at_extrema (&f);
  round_needles (&f);
  out->n_segments = f.out->len;
  out->segments = (ZiSegment *) g_array_free (f.out, FALSE);
  g_free (f.raw);
  g_free (f.p);
  g_free (f.q);
  g_free (f.corner);
  g_free (f.corner_pos);
  g_free (f.corner_sum);
  g_free (f.corner_dist);
  g_array_free (f.lines, TRUE);
  g_array_free (f.breaks, TRUE);
}
