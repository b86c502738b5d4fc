/* zi-fit-private.h — what the curve fitter's files share: small vector helpers, the contour being fitted
 * with its samples, corners, straight runs and on-curve points (zi-fit.c drives the fit), and the
 * functions zi-fit.c calls in zi-fit-lines.c (straight runs), zi-fit-round.c (rounded corners) and
 * zi-fit-cubic.c (least-squares cubics). */
#pragma once

#include <glib.h>
#include <math.h>
#include "zi-fit.h"
#include "zi-outline.h"

G_BEGIN_DECLS

static inline ZiPoint
pt (double x, double y)
{
  ZiPoint p = { x, y };
  return p;
}

static inline ZiPoint sub (ZiPoint a, ZiPoint b) { return pt (a.x - b.x, a.y - b.y); }
static inline ZiPoint add (ZiPoint a, ZiPoint b) { return pt (a.x + b.x, a.y + b.y); }
static inline ZiPoint scale (ZiPoint a, double k) { return pt (a.x * k, a.y * k); }
static inline double dot (ZiPoint a, ZiPoint b) { return a.x * b.x + a.y * b.y; }
static inline double cross (ZiPoint a, ZiPoint b) { return a.x * b.y - a.y * b.x; }
static inline double len (ZiPoint a) { return hypot (a.x, a.y); }

static inline ZiPoint
normalize (ZiPoint a)
{
  double l = len (a);
  return l > 1e-12 ? scale (a, 1 / l) : pt (0, 0);
}

/* On-curve points, and handles along an axis, sit on whole font units. */
static inline ZiPoint
round_point (ZiPoint a)
{
  return pt (round (a.x), round (a.y));
}

/* Where the lines p + s·d and q + r·e cross; FALSE if they are parallel. */
static inline gboolean
intersect (ZiPoint p, ZiPoint d, ZiPoint q, ZiPoint e, ZiPoint *x)
{
  double den = cross (d, e);

  if (fabs (den) < 1e-9)
    return FALSE;
  *x = add (p, scale (d, cross (sub (q, p), e) / den));
  return TRUE;
}

/* ---- the contour being fitted (zi-fit.c) ---- */

typedef enum {
  BREAK_CORNER,
  BREAK_LINE,      /* the end of a straight run (the start or the end of a line) */
  BREAK_EXTREMUM,
  BREAK_SMOOTH,    /* needed by the tolerance, or the only point of a contour without features */
} BreakKind;

typedef struct {
  int       i;          /* sample index, unwrapped: o <= i < o + n */
  BreakKind kind;
  ZiPoint   pos;        /* the on-curve point, whole font units */
  ZiPoint   t_in;       /* unit tangent arriving here ((0, 0): estimate from the samples) */
  ZiPoint   t_out;      /* unit tangent leaving here */
  gboolean  line_next;  /* a straight segment runs from here to the next break */
  gboolean  arc_next;   /* a rounded corner's arc runs from here to the next break */
  ZiPoint   corner;     /* with arc_next: the corner the arc rounds */
} Break;

typedef struct {
  int     a, b;         /* sample range, unwrapped */
  ZiPoint c, dir;       /* a point on the line and its unit direction (a → b) */
} Line;

typedef struct {
  const ZiFitParams *params;
  int      n;           /* samples */
  double   h;           /* their spacing */
  ZiPoint *raw;         /* resampled */
  ZiPoint *p;           /* smoothed */
  ZiPoint *q;           /* smoothed three times as much: tells straight from gently curved */
  guint8  *corner;      /* 1 at corners */
  ZiPoint *corner_pos;  /* where each corner's sides cross */
  int     *corner_sum;  /* corner_sum[i] = corners among samples 0 .. i-1, unwrapped over 0 .. 2n */
  int     *corner_dist; /* samples to the nearest corner (at most k) */
  int      k;           /* corner_span in samples */
  int      o;           /* where the walk starts: a corner, else the sharpest bend */
  int      min_seg;     /* shortest segment in samples */
  GArray  *lines;       /* Line */
  GArray  *breaks;      /* Break, sorted by i */
  GArray  *out;         /* ZiSegment */
} Fit;

static inline int
wrap (const Fit *f, int i)
{
  return ((i % f->n) + f->n) % f->n;
}

static inline ZiPoint
P (const Fit *f, int i)
{
  return f->p[wrap (f, i)];
}

static inline gboolean
is_corner (const Fit *f, int i)
{
  return f->corner[wrap (f, i)];
}

/* Whether sample i lies within k (a pixel) of a corner, where anti-aliasing has rounded the edge off. */
static inline gboolean
near_corner (const Fit *f, int i)
{
  return f->corner_dist[wrap (f, i)] < f->k;
}

/* Corners strictly between a and b (unwrapped, a < b <= a + n). */
static inline int
corners_between (const Fit *f, int a, int b)
{
  int wa = wrap (f, a);
  int wb = wa + (b - a);

  if (b - a < 2)
    return 0;
  return f->corner_sum[wb] - f->corner_sum[wa + 1];
}

static inline int
compare_breaks (gconstpointer a, gconstpointer b)
{
  return ((const Break *) a)->i - ((const Break *) b)->i;
}

static inline Break *
nth_break (Fit *f, guint j)
{
  return &g_array_index (f->breaks, Break, j % f->breaks->len);
}

/* Samples from break j to the next one. */
static inline int
gap_after (Fit *f, guint j)
{
  return nth_break (f, j + 1)->i - nth_break (f, j)->i + (j + 1 == f->breaks->len ? f->n : 0);
}

static inline void
emit (Fit *f, ZiSegmentKind kind, ZiPoint c1, ZiPoint c2, ZiPoint p)
{
  ZiSegment s = { 0 };

  s.kind = kind;
  s.c1 = c1;
  s.c2 = c2;
  s.p = p;
  g_array_append_val (f->out, s);
}

/* ---- zi-fit-lines.c: straight runs ---- */

/* Total least squares line through samples q[a..b] (unwrapped): centroid c and unit direction a → b. */
void zi_fit_tls_line (const Fit *f, const ZiPoint *q, int a, int b, ZiPoint *c, ZiPoint *dir);
/* Finds the contour's straight runs into f->lines, sorted by their first sample. */
void zi_fit_find_lines (Fit *f);
/* Places line l through its lightly smoothed samples, exactly horizontal or vertical where it can be. */
void zi_fit_place_line (Fit *f, Line *l);

/* ---- zi-fit-round.c: rounded corners ---- */

/* Rounds the convex corners among f->breaks with arcs of params->corner_radius. */
void zi_fit_round_corners (Fit *f);
/* Appends to f->out the arc from a (a->arc_next) to b. */
void zi_fit_emit_arc (Fit *f, const Break *a, const Break *b);

/* ---- zi-fit-cubic.c ---- */

/* Appends to out (ZiSegment) the cubics that fit the samples pts[0..m], running from p0 (leaving along
 * the unit tangent t1) to p3 (arriving along the unit tangent t2); pts[0] and pts[m] stand for p0 and
 * p3. Only samples lo..hi count (those anti-aliasing rounded at a corner do not). While the largest
 * distance exceeds tolerance and both halves keep min_seg samples, the piece is split at its worst
 * sample into a smooth join on whole units, with the tangent of the samples ±w around it. */
void zi_fit_cubics (GArray *out, const ZiPoint *pts, int m, int lo, int hi, ZiPoint p0, ZiPoint t1,
                    ZiPoint p3, ZiPoint t2, double tolerance, int min_seg, int w);

G_END_DECLS
