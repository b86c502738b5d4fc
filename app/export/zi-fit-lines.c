/* zi-fit-lines.c — the straight runs of a contour being fitted (zi-fit.h): where a type designer would
 * draw a line, found on heavily smoothed samples so that noise a few pixels long does not break a
 * straight edge, and told from gently curved strokes by the bow of a parabola fitted to the run. */
#include "config.h"
#include "zi-fit-private.h"

/* Total least squares line through samples a..b (unwrapped): centroid and unit direction a → b. */
void
zi_fit_tls_line (const Fit *f, const ZiPoint *q, int a, int b, ZiPoint *c, ZiPoint *dir)
{
  double sx = 0, sy = 0, sxx = 0, sxy = 0, syy = 0, angle;
  int m = b - a + 1;

  for (int i = a; i <= b; i++)
    {
      ZiPoint p = q[wrap (f, i)];
      sx += p.x;
      sy += p.y;
    }
  *c = pt (sx / m, sy / m);
  for (int i = a; i <= b; i++)
    {
      ZiPoint d = sub (q[wrap (f, i)], *c);
      sxx += d.x * d.x;
      sxy += d.x * d.y;
      syy += d.y * d.y;
    }
  angle = 0.5 * atan2 (2 * sxy, sxx - syy);
  *dir = pt (cos (angle), sin (angle));
  if (dot (*dir, sub (q[wrap (f, b)], q[wrap (f, a)])) < 0)
    *dir = scale (*dir, -1);
}

/* Whether samples a..b are straight, judged on the heavily smoothed samples, where ripples of noise a
 * few pixels long are gone while a gentle curve keeps its bow: none of them farther than 4/5 of the
 * tolerance from their line (a line off its edge shows more than a curve: at the full tolerance 口
 * rendered at 64 px lost 0.3 points of IoU against the font's outline, to lines that ran on into its
 * corners) (samples near a corner, which anti-aliasing rounds, are not asked), and with bow, the
 * parabola fitted to their offsets from the line (least squares) rises little enough over the run
 * (below), so a rounded corner does not turn into a polygon. */
static gboolean
straight (const Fit *f, int a, int b, gboolean bow, ZiPoint *c, ZiPoint *dir)
{
  double tol = 0.8 * f->params->tolerance, m[5] = { 0 }, v[3] = { 0 }, det, quad, sag, turn_max, smin = 0, smax = 0;
  int skip_a = 0, skip_b = 0;

  while (a + skip_a < b && near_corner (f, a + skip_a))
    skip_a++;
  while (b - skip_b > a && near_corner (f, b - skip_b))
    skip_b++;
  if (b - a - skip_a - skip_b < 4)
    return FALSE;
  zi_fit_tls_line (f, f->q, a + skip_a, b - skip_b, c, dir);
  for (int i = a + skip_a; i <= b - skip_b; i++)
    {
      ZiPoint e = sub (f->q[wrap (f, i)], *c);
      double r = cross (*dir, e), t = dot (*dir, e), pw = 1;

      if (fabs (r) > tol)
        return FALSE;
      smin = MIN (smin, t);
      smax = MAX (smax, t);
      for (int k = 0; k < 5; k++, pw *= t)
        {
          m[k] += pw;
          if (k < 3)
            v[k] += pw * r;
        }
    }
  /* Normal equations of r = α + βt + γt² (moments m[k] = Σtᵏ, v[k] = Σtᵏr), γ by Cramer's rule. */
  det = m[0] * (m[2] * m[4] - m[3] * m[3]) - m[1] * (m[1] * m[4] - m[3] * m[2])
        + m[2] * (m[1] * m[3] - m[2] * m[2]);
  if (!bow || fabs (det) < 1e-12)
    return TRUE;
  quad = (m[0] * (m[2] * v[2] - v[1] * m[3]) - m[1] * (m[1] * v[2] - v[1] * m[2])
          + v[0] * (m[1] * m[3] - m[2] * m[2])) / det;
  /* The parabola's rise over the run: at most a quarter of that, and at most what turns its
   * tangent from end to end (a rise s over a run L turns it by 8s/L) by what a designer still calls
   * straight: 2.5° over a short run, up to 5° over one of ten pixels or more, whose noise bows it more. */
  sag = fabs (quad) * (smax - smin) * (smax - smin) / 4;
  turn_max = (2.5 + 2.5 * MIN (1.0, (smax - smin) / (10 * f->params->corner_span))) * G_PI / 180;
  return sag <= tol / 4 && 8 * sag <= turn_max * (smax - smin);
}

/* The distance of sample q[i] from line l. */
static double
offset (const Fit *f, const ZiPoint *q, const Line *l, int i)
{
  return fabs (cross (l->dir, sub (q[wrap (f, i)], l->c)));
}

/* A straight run of samples a..b, before it is trimmed. */
typedef struct {
  int a, b;
} Run;

/* Longest first. */
static int
compare_runs (gconstpointer x, gconstpointer y)
{
  const Run *r = x, *s = y;
  return (s->b - s->a) - (r->b - r->a);
}

/* In order along the contour. */
static int
compare_lines (gconstpointer x, gconstpointer y)
{
  return ((const Line *) x)->a - ((const Line *) y)->a;
}

/* Shortens the run a..b so that it keeps min_seg clear of the line l (and of l one turn earlier or
 * later); a run may touch l only at a shared corner. */
static void
clear_of (const Fit *f, const Line *l, int *a, int *b)
{
  for (int shift = -f->n; shift <= f->n; shift += f->n)
    {
      int la = l->a + shift, lb = l->b + shift;

      if (*b <= la - f->min_seg || *a >= lb + f->min_seg)
        continue;
      if (*b == la && is_corner (f, la))
        continue;
      if (*a == lb && is_corner (f, lb))
        continue;
      if (*a + *b < la + lb)
        *b = *b == la && is_corner (f, la) ? la : MIN (*b, la - f->min_seg);
      else
        *a = *a == lb && is_corner (f, lb) ? lb : MAX (*a, lb + f->min_seg);
    }
}

/* Whether a line of direction dir will be snapped to horizontal or vertical. */
static gboolean
axis_aligned (const Fit *f, ZiPoint dir)
{
  return fabs (dir.x) < sin (f->params->hv_angle) || fabs (dir.y) < sin (f->params->hv_angle);
}

/* Two lines with only a short curve between them and a soft bend (under 30°) are either one noisy
 * straight edge that the bow test cut in two — one line if the heavily smoothed samples of both and of
 * the curve stay within the tolerance of it — or a gently curving stroke, which a designer draws as a
 * curve: the lines that are not horizontal or vertical go (their samples join the curve), else the
 * shorter. A line, a curve of a few units and a line at a slight angle is never what a designer draws. */
static void
merge_lines (Fit *f)
{
  double cos30 = cos (30.0 * G_PI / 180);
  int m_gap = (int) ceil (f->params->line_min / f->h);

  for (guint j = 0; j + 1 < f->lines->len;)
    {
      Line *l1 = &g_array_index (f->lines, Line, j);
      Line *l2 = &g_array_index (f->lines, Line, j + 1);
      gboolean keep1, keep2;
      Line m;

      if (l2->a - l1->b > m_gap || dot (l1->dir, l2->dir) < cos30 || corners_between (f, l1->a, l2->b) > 0
          || (l1->b == l2->a && is_corner (f, l1->b)))
        {
          j++;
          continue;
        }
      m.a = l1->a;
      m.b = l2->b;
      if (straight (f, m.a, m.b, FALSE, &m.c, &m.dir))
        {
          *l1 = m;
          g_array_remove_index (f->lines, j + 1);
          continue;
        }
      keep1 = axis_aligned (f, l1->dir);
      keep2 = axis_aligned (f, l2->dir);
      if (keep1 == keep2)
        keep1 = !(keep2 = l1->b - l1->a < l2->b - l2->a);
      if (!keep2)
        g_array_remove_index (f->lines, j + 1);
      if (!keep1)
        g_array_remove_index (f->lines, j);
    }
}

/* Straight runs, longest first: for each start the longest straight run from there (two pointers),
 * each run reaching a corner that anti-aliasing kept it from, and trimmed where the smoothed samples
 * leave its line by a fifth of the tolerance (where a tangent curve begins); then runs are taken in
 * decreasing length, each shortened to keep min_seg clear of those already taken. Longest first, a
 * straight edge between two gentle curves is one line, not a line into each curve. */
void
zi_fit_find_lines (Fit *f)
{
  const ZiFitParams *pr = f->params;
  int m_min = MAX (4, (int) ceil (pr->line_min / f->h));
  int end = f->o + f->n, reach = MAX (f->k, f->min_seg) + 1, j = f->o;
  g_autoptr(GArray) runs = g_array_new (FALSE, FALSE, sizeof (Run));

  for (int i = f->o; i + m_min <= end; i++)
    {
      ZiPoint c, dir;
      Run r;

      if (j < i + m_min || corners_between (f, i, j) > 0 || !straight (f, i, j, TRUE, &c, &dir))
        {
          j = i + m_min;
          if (corners_between (f, i, j) > 0 || !straight (f, i, j, TRUE, &c, &dir))
            continue;
        }
      while (j < end && corners_between (f, i, j + 1) == 0 && straight (f, i, j + 1, TRUE, &c, &dir))
        j++;
      r.a = i;
      r.b = j;
      g_array_append_val (runs, r);
    }
  g_array_sort (runs, compare_runs);

  for (guint ri = 0; ri < runs->len; ri++)
    {
      Run r = g_array_index (runs, Run, ri);
      int a = r.a, b = r.b;
      Line l;

      for (int d = 1; d <= reach; d++)
        {
          if (b + d <= end && is_corner (f, b + d) && corners_between (f, a, b + d) == 0)
            b += d;
          if (a - d >= f->o && is_corner (f, a - d) && corners_between (f, a - d, b) == 0)
            a -= d;
        }
      for (guint q = 0; q < f->lines->len && b - a >= m_min; q++)
        clear_of (f, &g_array_index (f->lines, Line, q), &a, &b);
      if (b - a < m_min || !straight (f, a, b, TRUE, &l.c, &l.dir))
        continue;
      l.a = a;
      l.b = b;
      while (l.b - l.a > m_min && !near_corner (f, l.b) && offset (f, f->p, &l, l.b) > pr->tolerance / 5)
        l.b--;
      while (l.b - l.a > m_min && !near_corner (f, l.a) && offset (f, f->p, &l, l.a) > pr->tolerance / 5)
        l.a++;
      /* Most slanted strokes of CJK designs are curves: a slanted line must be twice as long. */
      if (l.b - l.a < m_min || !straight (f, l.a, l.b, TRUE, &l.c, &l.dir)
          || (!axis_aligned (f, l.dir) && l.b - l.a < 2 * m_min))
        continue;
      g_array_append_val (f->lines, l);
    }
  g_array_sort (f->lines, compare_lines);
  merge_lines (f);
}

/* Places a line through its lightly smoothed samples (the heavily smoothed ones, which found it, feel
 * the curves beyond its ends), and makes it exactly horizontal or vertical (through whole units) where
 * it is within hv_angle of that and the samples stay within the tolerance of it, and always within
 * 1.5° (no stroke of a CJK design leans by less; rounding the ends to whole units can move a line by
 * half a degree, and Fontbakery wants none within 0.5° that is not exact). */
void
zi_fit_place_line (Fit *f, Line *l)
{
  double tol = f->params->tolerance;
  gboolean horizontal, vertical;
  int a = l->a, b = l->b;
  Line s;

  while (a < b && near_corner (f, a))
    a++;
  while (b > a && near_corner (f, b))
    b--;
  if (b - a >= 4)
    zi_fit_tls_line (f, f->p, a, b, &l->c, &l->dir);
  horizontal = fabs (l->dir.y) < sin (f->params->hv_angle);
  vertical = fabs (l->dir.x) < sin (f->params->hv_angle);
  s = *l;

  if (!horizontal && !vertical)
    return;
  if (horizontal)
    s.dir = pt (l->dir.x > 0 ? 1 : -1, 0);
  else
    s.dir = pt (0, l->dir.y > 0 ? 1 : -1);
  s.c = round_point (l->c);
  for (int i = l->a; i <= l->b; i++)
    if (!near_corner (f, i) && offset (f, f->q, &s, i) > tol && fabs (cross (l->dir, s.dir)) > sin (1.5 * G_PI / 180))
      return;
  *l = s;
}
