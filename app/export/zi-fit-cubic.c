/* zi-fit-cubic.c — fitting one curved piece of a contour (samples between two on-curve points whose
 * tangents are fixed) with as few cubic Béziers as the tolerance allows: Schneider's least-squares
 * fitting ("An Algorithm for Automatically Fitting Digitized Curves", Graphics Gems, 1990) with chord-
 * length parameters improved by Newton–Raphson, split at the worst sample while the error exceeds the
 * tolerance. Two additions for outlines a type designer would draw: handles never reach past the point
 * where the two end tangents cross (no loops, no bulging), and handles along an axis end on whole units,
 * as their on-curve points do. */
#include "config.h"
#include "zi-fit-private.h"

typedef struct {
  ZiPoint p0, c1, c2, p3;
} Cubic;

typedef struct {
  const ZiPoint *pts;   /* [m + 1] */
  int            m;
  int            lo, hi;  /* the samples that count */
  ZiPoint        p0, t1;  /* start and its unit tangent, leaving */
  ZiPoint        p3, t2;  /* end and its unit tangent pointing back along the curve */
  double        *u;       /* [m + 1] the parameter of each sample */
} Piece;

/* Sample i, the fixed ends standing in for the first and the last. */
static ZiPoint
sample (const Piece *pc, int i)
{
  return i == 0 ? pc->p0 : i == pc->m ? pc->p3 : pc->pts[i];
}

/* The first and second derivatives of the cubic at t. */
static ZiPoint
cubic_d1 (const Cubic *b, double t)
{
  double u = 1 - t;
  return add (add (scale (sub (b->c1, b->p0), 3 * u * u), scale (sub (b->c2, b->c1), 6 * u * t)),
              scale (sub (b->p3, b->c2), 3 * t * t));
}

static ZiPoint
cubic_d2 (const Cubic *b, double t)
{
  ZiPoint a = add (sub (b->c2, scale (b->c1, 2)), b->p0), c = add (sub (b->p3, scale (b->c2, 2)), b->c1);
  return add (scale (a, 6 * (1 - t)), scale (c, 6 * t));
}

/* Least-squares handle lengths along the fixed tangents (Schneider 1990, GenerateBezier), with his
 * fallback of a third of the chord when the system is degenerate or a length comes out negative; then
 * the handles are kept short of the point where the tangents cross and from overlapping along the
 * chord, and no shorter than 8% of it (a handle retracted onto its point leaves the join without a
 * tangent). */
static Cubic
generate (const Piece *pc)
{
  double c00 = 0, c01 = 0, c11 = 0, x0 = 0, x1 = 0, det, a1, a2, seg, s, r;
  Cubic bz = { pc->p0, pc->p0, pc->p3, pc->p3 };
  ZiPoint x;

  for (int i = pc->lo; i <= pc->hi; i++)
    {
      double t = pc->u[i], u = 1 - t;
      double b0 = u * u * u, b1 = 3 * u * u * t, b2 = 3 * u * t * t, b3 = t * t * t;
      ZiPoint A1 = scale (pc->t1, b1), A2 = scale (pc->t2, b2);
      ZiPoint tmp = sub (sample (pc, i), add (scale (pc->p0, b0 + b1), scale (pc->p3, b2 + b3)));

      c00 += dot (A1, A1);
      c01 += dot (A1, A2);
      c11 += dot (A2, A2);
      x0 += dot (A1, tmp);
      x1 += dot (A2, tmp);
    }
  det = c00 * c11 - c01 * c01;
  seg = len (sub (pc->p3, pc->p0));
  a1 = fabs (det) > 1e-12 ? (x0 * c11 - x1 * c01) / det : 0;
  a2 = fabs (det) > 1e-12 ? (c00 * x1 - c01 * x0) / det : 0;
  if (a1 < 1e-3 * seg || a2 < 1e-3 * seg)
    a1 = a2 = seg / 3;
  if (intersect (pc->p0, pc->t1, pc->p3, pc->t2, &x)
      && (s = dot (sub (x, pc->p0), pc->t1)) > 0 && (r = dot (sub (x, pc->p3), pc->t2)) > 0)
    {
      a1 = MIN (a1, s);
      a2 = MIN (a2, r);
    }
  /* Nor may the handles overlap along the chord: that is a loop (or a kink) in the making. */
  if (seg > 0)
    {
      ZiPoint ch = scale (sub (pc->p3, pc->p0), 1 / seg);
      double pa = a1 * dot (pc->t1, ch), pb = -a2 * dot (pc->t2, ch);

      if (pa > 0 && pb > 0 && pa + pb > seg)
        {
          a1 *= seg / (pa + pb);
          a2 *= seg / (pa + pb);
        }
    }
  a1 = CLAMP (a1, 0.08 * seg, seg);
  a2 = CLAMP (a2, 0.08 * seg, seg);
  bz.c1 = add (pc->p0, scale (pc->t1, a1));
  bz.c2 = add (pc->p3, scale (pc->t2, a2));
  if (pc->t1.x == 0 || pc->t1.y == 0)
    bz.c1 = round_point (bz.c1);
  if (pc->t2.x == 0 || pc->t2.y == 0)
    bz.c2 = round_point (bz.c2);
  return bz;
}

/* Largest squared distance between a sample and its point on the curve, and which sample. */
static double
max_error (const Piece *pc, const Cubic *bz, int *worst)
{
  double err = 0;

  *worst = pc->m / 2;
  for (int i = pc->lo; i <= pc->hi; i++)
    {
      ZiPoint d = sub (zi_cubic_at (bz->p0, bz->c1, bz->c2, bz->p3, pc->u[i]), sample (pc, i));
      double e = dot (d, d);

      if (e > err)
        {
          err = e;
          *worst = i;
        }
    }
  return err;
}

/* One Newton–Raphson step per sample towards its nearest point on the curve (Schneider 1990). */
static void
reparameterize (Piece *pc, const Cubic *bz)
{
  for (int i = 1; i < pc->m; i++)
    {
      double t = pc->u[i];
      ZiPoint q = sub (zi_cubic_at (bz->p0, bz->c1, bz->c2, bz->p3, t), sample (pc, i));
      ZiPoint d1 = cubic_d1 (bz, t), d2 = cubic_d2 (bz, t);
      double den = dot (d1, d1) + dot (q, d2);

      if (fabs (den) > 1e-12)
        pc->u[i] = CLAMP (t - dot (q, d1) / den, 0, 1);
    }
}

/* The mean spacing of the samples. */
static double
total_step (const ZiPoint *pts, int m)
{
  double l = 0;

  for (int i = 1; i <= m; i++)
    l += len (sub (pts[i], pts[i - 1]));
  return l / m;
}

void
zi_fit_cubics (GArray *out, const ZiPoint *pts, int m, int lo, int hi, ZiPoint p0, ZiPoint t1,
               ZiPoint p3, ZiPoint t2, double tolerance, int min_seg, int w)
{
  double tol2 = tolerance * tolerance, best_err = G_MAXDOUBLE, total = 0;
  g_autofree double *u = g_new (double, m + 1);
  Piece pc = { pts, m, CLAMP (lo, 1, m / 2), CLAMP (hi, m / 2, m - 1), p0, t1, p3, scale (t2, -1), u };
  Cubic best = { p0, p0, p3, p3 };
  ZiSegment seg = { 0 };
  int worst = m / 2, split;
  double min_len = min_seg * total_step (pts, m);

  g_return_if_fail (m >= 1);

  u[0] = 0;
  for (int i = 1; i <= m; i++)
    u[i] = total += len (sub (sample (&pc, i), sample (&pc, i - 1)));
  for (int i = 0; i <= m && total > 0; i++)
    u[i] /= total;

  /* Newton–Raphson only where the first fit is close (Schneider: within 4 × the squared error), but
   * on after the fit is within the tolerance: chord-length parameters cut corners, and the fit keeps
   * moving outwards onto the samples while the parameters settle. */
  for (int iter = 0; iter < 8; iter++)
    {
      Cubic bz = generate (&pc);
      int wi;
      double err = max_error (&pc, &bz, &wi);

      if (err < best_err)
        {
          best_err = err;
          best = bz;
          worst = wi;
        }
      else if (iter > 0)
        break;
      if (err > 4 * tol2 || m < 3)
        break;
      reparameterize (&pc, &bz);
    }
  /* Split at the sample nearest the worst that keeps min_seg samples, and as much length, from both
   * ends (an end that is a corner can lie off its sample). */
  split = -1;
  for (int d = 0; best_err > tol2 && d <= m && split < 0; d++)
    for (int sign = -1; sign <= 1 && split < 0; sign += 2)
      {
        int i = CLAMP (worst, min_seg, m - min_seg) + sign * d;

        if (i >= min_seg && i <= m - min_seg && len (sub (pts[i], p0)) >= min_len
            && len (sub (pts[i], p3)) >= min_len)
          split = i;
      }
  if (split >= 0)
    {
      ZiPoint s, t;

      s = round_point (pts[split]);
      t = normalize (sub (pts[MIN (split + w, m)], pts[MAX (split - w, 0)]));
      zi_fit_cubics (out, pts, split, lo, split, p0, t1, s, t, tolerance, min_seg, w);
      zi_fit_cubics (out, pts + split, m - split, 1, hi - split, s, t, p3, t2, tolerance, min_seg, w);
      return;
    }
  seg.kind = ZI_SEGMENT_CUBIC;
  seg.c1 = best.c1;
  seg.c2 = best.c2;
  seg.p = best.p3;
  g_array_append_val (out, seg);
}
