/* zi-fit-cross.c — whether fitted contours cross themselves or each other. Where two strokes of a
 * crowded glyph nearly touch, the traced contour passes a pixel's width from itself, and two curves
 * each within the tolerance of their edge can cross there; the tracer (zi-trace.c) refits those with a
 * tighter tolerance. The contours are flattened (zi_contour_flatten) and their chords bucketed in a
 * uniform grid, so only chords that share a cell are tested: about linear time. */
#include "config.h"
#include "zi-fit.h"

#include <math.h>

#define CELL 16.0  /* units: a few chords long */

typedef struct {
  ZiPoint a, b;
  int     contour;  /* 0 or 1 */
  guint   index;    /* chord index along its contour */
  guint   count;    /* chords in its contour */
} Chord;

/* Whether the chords cross at a point inside both (touching ends do not count). */
static gboolean
chords_cross (const Chord *p, const Chord *q)
{
  double d1 = (p->b.x - p->a.x) * (q->a.y - p->a.y) - (p->b.y - p->a.y) * (q->a.x - p->a.x);
  double d2 = (p->b.x - p->a.x) * (q->b.y - p->a.y) - (p->b.y - p->a.y) * (q->b.x - p->a.x);
  double d3 = (q->b.x - q->a.x) * (p->a.y - q->a.y) - (q->b.y - q->a.y) * (p->a.x - q->a.x);
  double d4 = (q->b.x - q->a.x) * (p->b.y - q->a.y) - (q->b.y - q->a.y) * (p->b.x - q->a.x);

  return ((d1 > 0 && d2 < 0) || (d1 < 0 && d2 > 0)) && ((d3 > 0 && d4 < 0) || (d3 < 0 && d4 > 0));
}

/* Neighbours along one contour share an end and never count as crossing. */
static gboolean
neighbours (const Chord *p, const Chord *q)
{
  return p->contour == q->contour
         && ((p->index + 1) % p->count == q->index || (q->index + 1) % q->count == p->index);
}

static void
add_chords (GArray *chords, const ZiContour *c, int contour)
{
  g_autoptr(GArray) pts = g_array_new (FALSE, FALSE, sizeof (ZiPoint));

  zi_contour_flatten (c, 0.25, pts);
  for (guint i = 0; i < pts->len; i++)
    {
      Chord ch = { g_array_index (pts, ZiPoint, i), g_array_index (pts, ZiPoint, (i + 1) % pts->len),
                   contour, i, pts->len };
      g_array_append_val (chords, ch);
    }
}

static gint64
cell_key (int cx, int cy)
{
  return (gint64) (((guint64) (guint32) cx << 32) | (guint32) cy);
}

gboolean
zi_fit_contours_cross (const ZiContour *a, const ZiContour *b)
{
  g_autoptr(GArray) chords = g_array_new (FALSE, FALSE, sizeof (Chord));
  g_autoptr(GHashTable) cells = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free,
                                                       (GDestroyNotify) g_array_unref);
  gboolean cross = FALSE;

  g_return_val_if_fail (a != NULL && b != NULL, FALSE);

  add_chords (chords, a, 0);
  if (b != a)
    add_chords (chords, b, 1);
  for (guint i = 0; i < chords->len && !cross; i++)
    {
      const Chord *p = &g_array_index (chords, Chord, i);
      int x0 = (int) floor (MIN (p->a.x, p->b.x) / CELL), x1 = (int) floor (MAX (p->a.x, p->b.x) / CELL);
      int y0 = (int) floor (MIN (p->a.y, p->b.y) / CELL), y1 = (int) floor (MAX (p->a.y, p->b.y) / CELL);

      for (int cx = x0; cx <= x1 && !cross; cx++)
        for (int cy = y0; cy <= y1 && !cross; cy++)
          {
            gint64 key = cell_key (cx, cy);
            GArray *cell = g_hash_table_lookup (cells, &key);

            if (cell == NULL)
              {
                cell = g_array_new (FALSE, FALSE, sizeof (guint));
                g_hash_table_insert (cells, g_memdup2 (&key, sizeof key), cell);
              }
            for (guint k = 0; k < cell->len && !cross; k++)
              {
                const Chord *q = &g_array_index (chords, Chord, g_array_index (cell, guint, k));
                cross = !neighbours (p, q) && chords_cross (p, q);
              }
            g_array_append_val (cell, i);
          }
    }
  return cross;
}
