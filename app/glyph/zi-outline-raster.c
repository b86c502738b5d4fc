/* zi-outline-raster.c — a ZiOutline into anti-aliased coverage through FreeType's smooth rasteriser
 * (see zi-outline-raster.h).
 *
 * The curves are flattened here (zi_contour_flatten, chords within 1/64 px) and FreeType fills the
 * polygon: FreeType's own flattening leaves a cubic's chords up to ~1/8 px inside the curve (a circle
 * of cubics came out 0.14% short of its area, ours 0.01%), and lines it fills exactly. Points are
 * mapped by the frame and rounded to 26.6 fixed point, FreeType's raster y up from the bottom edge,
 * as zi-render.c does for a font's glyphs.
 *
 * FT_Outline_Get_Bitmap needs a library of its own on each thread (a library is never shared between
 * threads); one is made and dropped per call, which costs 3 µs. */
#include "config.h"
#include "zi-outline-raster.h"

#include "zi-font-private.h"

#include FT_OUTLINE_H
#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#define MAX_POINTS 32767  /* FT_Outline counts points in a short */
#define MAX_SIDE   16384
/* Chords stay within 1/64 px of the curves: FreeType's own grid. */
#define FLATTEN_TOLERANCE (1.0 / 64.0)

void
zi_outline_frame_from_placement (ZiOutlineFrame *frame, const ZiPlacement *p, guint size)
{
  double k;

  g_return_if_fail (frame != NULL);
  g_return_if_fail (p != NULL && p->size > 0);

  k = (double) size / p->size;
  frame->scale = p->scale * k;
  frame->dx = p->origin_x * k;
  frame->dy = p->origin_y * k;
}

/* FreeType's 26.6 fixed point, clamped far outside any canvas so that a stray point cannot overflow. */
static FT_Pos
to_26_6 (double v)
{
  return (FT_Pos) lround (CLAMP (v, -4.0 * MAX_SIDE, 4.0 * MAX_SIDE) * 64.0);
}

/* The closed polylines of every contour in pixels, y up from the bottom edge (FreeType's raster), in
 * 26.6; ends[k] is the last point of contour k. */
static void
flatten (const ZiOutline *o, const ZiOutlineFrame *frame, guint height, GArray *points, GArray *ends)
{
  g_autoptr(GArray) poly = g_array_new (FALSE, FALSE, sizeof (ZiPoint));

  for (guint ci = 0; ci < o->n_contours; ci++)
    {
      if (o->contours[ci].n_segments == 0)
        continue;
      g_array_set_size (poly, 0);
      zi_contour_flatten (&o->contours[ci], FLATTEN_TOLERANCE / frame->scale, poly);
      for (guint i = 0; i < poly->len; i++)
        {
          ZiPoint p = g_array_index (poly, ZiPoint, i);
          FT_Vector v = { to_26_6 (frame->scale * p.x + frame->dx),
                          to_26_6 (height - (frame->dy - frame->scale * p.y)) };

          g_array_append_val (points, v);
        }
      if (poly->len > 0)
        {
          int end = (int) points->len - 1;
          g_array_append_val (ends, end);
        }
    }
}

gboolean
zi_outline_render_frame (const ZiOutline *outline, const ZiOutlineFrame *frame, guint8 *out, guint width,
                         guint height, GError **error)
{
  g_autoptr(GArray) points = g_array_new (FALSE, FALSE, sizeof (FT_Vector));
  g_autoptr(GArray) ends = g_array_new (FALSE, FALSE, sizeof (int));
  g_autofree char *tags = NULL;
  g_autofree short *contours = NULL;
  FT_Outline ft = { 0 };
  FT_Bitmap bitmap = { .rows = height, .width = width, .pitch = (int) width, .buffer = out,
                       .num_grays = 256, .pixel_mode = FT_PIXEL_MODE_GRAY };
  FT_Library library;
  FT_Error err;

  g_return_val_if_fail (outline != NULL, FALSE);
  g_return_val_if_fail (frame != NULL && frame->scale > 0, FALSE);
  g_return_val_if_fail (out != NULL, FALSE);
  g_return_val_if_fail (width >= 1 && width <= MAX_SIDE && height >= 1 && height <= MAX_SIDE, FALSE);

  memset (out, 0, (gsize) width * height);
  flatten (outline, frame, height, points, ends);
  if (points->len == 0)
    return TRUE;
  if (points->len > MAX_POINTS)
    {
      g_set_error (error, ZI_GLYPH_ERROR, ZI_GLYPH_ERROR_RENDER,
                   _("Cannot fill an outline of %u points at this size (at most %d)"), points->len, MAX_POINTS);
      return FALSE;
    }

  tags = g_malloc (points->len);
  memset (tags, FT_CURVE_TAG_ON, points->len);
  contours = g_new (short, ends->len);
  for (guint k = 0; k < ends->len; k++)
    contours[k] = (short) g_array_index (ends, int, k);
  ft.n_points = (short) points->len;
  ft.n_contours = (short) ends->len;
  ft.points = (FT_Vector *) points->data;
  ft.tags = tags;
  ft.contours = contours;
  ft.flags = FT_OUTLINE_NONE;  /* nonzero winding */

  err = FT_Init_FreeType (&library);
  if (err == 0)
    {
      err = FT_Outline_Get_Bitmap (library, &ft, &bitmap);
      FT_Done_FreeType (library);
    }
  if (err != 0)
    {
      memset (out, 0, (gsize) width * height);
      g_set_error (error, ZI_GLYPH_ERROR, ZI_GLYPH_ERROR_RENDER,
                   _("Cannot fill an outline into %u×%u pixels (FreeType error %d)"), width, height, err);
      return FALSE;
    }
  return TRUE;
}

gboolean
zi_outline_render (const ZiOutline *outline, const ZiPlacement *p, guint size, guint8 *out, GError **error)
{
  ZiOutlineFrame frame;

  g_return_val_if_fail (p != NULL, FALSE);

  zi_outline_frame_from_placement (&frame, p, size);
  return zi_outline_render_frame (outline, &frame, out, size, size, error);
}
