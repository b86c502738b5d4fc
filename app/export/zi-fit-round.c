/* zi-fit-round.c — rounding the convex corners of a contour being fitted (zi-fit.h), as Maru designs
 * round every convex corner: an arc tangent to both sides, a quarter ellipse inscribed in the corner. */
#include "config.h"
#include "zi-fit-private.h"

/* Whether break c is a convex corner (the ink is on the left of the contour: a left turn) that an arc
 * can round, and the angle it turns by. */
static gboolean
convex_corner (const Break *c, double *theta)
{
  *theta = acos (CLAMP (dot (c->t_in, c->t_out), -1, 1));
  return c->kind == BREAK_CORNER && cross (c->t_in, c->t_out) > 0 && *theta > 0.35 && *theta < G_PI - 0.2;
}

/* The smooth point where the arc that rounds corner c starts (start) or ends, d along its side. */
static Break
arc_end (const Fit *f, const Break *c, double d, gboolean start)
{
  Break e = *c;
  int m = MAX (1, (int) lround (d / f->h));

  e.kind = BREAK_SMOOTH;
  e.i = f->o + wrap (f, c->i + (start ? -m : m) - f->o);
  e.corner = c->pos;
  if (start)
    {
      e.pos = round_point (sub (c->pos, scale (c->t_in, d)));
      e.t_out = e.t_in;
      e.line_next = FALSE;
      e.arc_next = TRUE;
    }
  else
    {
      e.pos = round_point (add (c->pos, scale (c->t_out, d)));
      e.t_in = e.t_out;
    }
  return e;
}

/* Whether the line end l lies on the side of a corner that leaves it along t (ahead) or reaches it
 * along t (!ahead), and runs that way: then an arc round the corner can end on it. */
static gboolean
on_side (ZiPoint corner, ZiPoint t, const Break *l, gboolean ahead)
{
  ZiPoint v = sub (l->pos, corner);
  ZiPoint lt = ahead ? l->t_out : l->t_in;

  return fabs (cross (t, v)) < 2 && dot (t, v) * (ahead ? 1 : -1) > 0 && dot (t, lt) > cos (10 * G_PI / 180);
}

/* Rounds each convex corner with an arc of corner_radius, as Maru designs round theirs (the corners of a
 * stroke's end were not taken for corners at all, see find_corners): the corner gives way to two smooth
 * points on its sides, tangent to both, where the arc starts and ends. An arc leaves min_seg before the
 * next point, or half of what lies between it and the next rounded corner; where there is no room for
 * an arc of min_seg, the corner stays. An arc that would start or end just short of a line's end takes
 * the line's end instead. */
void
zi_fit_round_corners (Fit *f)
{
  double r = f->params->corner_radius, seg = f->min_seg * f->h, theta;
  guint nb = f->breaks->len;
  g_autofree double *d = NULL;
  GArray *out;

  if (r <= 0)
    return;
  d = g_new0 (double, nb);
  for (guint j = 0; j < nb; j++)
    {
      const Break *c = nth_break (f, j), *prev = nth_break (f, j + nb - 1), *next = nth_break (f, j + 1);
      double lp = len (sub (c->pos, prev->pos)), ln = len (sub (next->pos, c->pos)), th;

      if (!convex_corner (c, &theta))
        continue;
      d[j] = r * tan (theta / 2);
      d[j] = MIN (d[j], convex_corner (prev, &th) ? (lp - seg) / 2 : lp - seg);
      d[j] = MIN (d[j], convex_corner (next, &th) ? (ln - seg) / 2 : ln - seg);
      if (d[j] < seg / (2 * cos (theta / 2)))
        d[j] = 0;
    }
  out = g_array_new (FALSE, TRUE, sizeof (Break));
  for (guint j = 0; j < nb; j++)
    {
      const Break *c = nth_break (f, j);
      Break e;

      if (d[j] == 0)
        {
          g_array_append_val (out, *c);
          continue;
        }
      e = arc_end (f, c, d[j], TRUE);
      g_array_append_val (out, e);
      e = arc_end (f, c, d[j], FALSE);
      g_array_append_val (out, e);
    }
  g_array_free (f->breaks, TRUE);
  f->breaks = out;
  g_array_sort (f->breaks, compare_breaks);
  for (guint j = 0; f->breaks->len > 2 && j < f->breaks->len;)
    {
      Break *a = nth_break (f, j), *b = nth_break (f, j + 1), *c = nth_break (f, j + 2);

      if (a->kind == BREAK_LINE && !a->line_next && !a->arc_next && b->arc_next && b->kind == BREAK_SMOOTH
          && len (sub (b->pos, a->pos)) < 2 * seg && on_side (b->corner, b->t_in, a, FALSE))
        {
          a->arc_next = TRUE;
          a->corner = b->corner;
          g_array_remove_index (f->breaks, (j + 1) % f->breaks->len);
        }
      else if (a->arc_next && b->kind == BREAK_SMOOTH && !b->arc_next && !b->line_next && c->kind == BREAK_LINE
               && c->line_next && len (sub (c->pos, b->pos)) < 2 * seg && on_side (a->corner, b->t_out, c, TRUE))
        g_array_remove_index (f->breaks, (j + 1) % f->breaks->len);
      else
        j++;
    }
}

/* The arc from a to b that rounds the corner a->corner: a quarter ellipse (a circular arc where both
 * sides are as long) inscribed in the corner, whose handles run (4/3)·tan(θ/4)/tan(θ/2) of the way
 * from each end to the corner for a turn of θ (0.552 for a right angle). */
void
zi_fit_emit_arc (Fit *f, const Break *a, const Break *b)
{
  double theta = acos (CLAMP (dot (a->t_out, b->t_in), -1, 1));
  double k = 4.0 / 3 * tan (theta / 4) / tan (MAX (theta, 1e-3) / 2);
  ZiPoint c1 = add (a->pos, scale (a->t_out, k * len (sub (a->corner, a->pos))));
  ZiPoint c2 = sub (b->pos, scale (b->t_in, k * len (sub (b->pos, a->corner))));

  if (a->t_out.x == 0 || a->t_out.y == 0)
    c1 = round_point (c1);
  if (b->t_in.x == 0 || b->t_in.y == 0)
    c2 = round_point (c2);
  emit (f, ZI_SEGMENT_CUBIC, c1, c2, b->pos);
}
