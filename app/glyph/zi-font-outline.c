/* zi-font-outline.c — a font's own outline of a character as a ZiOutline in font units, so that traced
 * glyphs can be compared with the glyphs the font draws (app/export/zi-outline-metric.h).
 *
 * FreeType's FT_Outline_Decompose walks the unhinted, unscaled glyph and hands over lines, quadratic
 * (TrueType) and cubic (CFF) arcs. A quadratic with control q from p0 to p is the cubic with controls
 * p0 + 2/3 (q − p0) and p + 2/3 (q − p) (degree elevation, Farin, "Curves and Surfaces for CAGD",
 * §5.1), so the conversion is exact. Points are decomposed with shift 1 (doubled) so that the midpoints
 * FreeType computes for implied on-curve points are exact in integer arithmetic, then halved. */
#include "config.h"
#include "zi-font.h"
#include "zi-font-private.h"

#include FT_OUTLINE_H
#include <glib/gi18n.h>

#define SHIFT 1

typedef struct {
  const FT_Outline *ft;
  GArray           *contours;  /* of ZiContour */
  GArray           *segments;  /* of ZiSegment: the contour being decomposed, NULL before the first */
  ZiPoint           pen;
  int               contour;   /* index of that contour in ft */
  int               first, last, cursor;  /* its points; the point after the last control matched */
} Decomposer;

static ZiPoint
to_point (const FT_Vector *v)
{
  ZiPoint p = { v->x / (double) (1 << SHIFT), v->y / (double) (1 << SHIFT) };
  return p;
}

static void
finish_contour (Decomposer *d)
{
  ZiContour c = { 0 };

  if (d->segments == NULL)
    return;
  c.n_segments = d->segments->len;
  c.segments = (ZiSegment *) g_array_free (g_steal_pointer (&d->segments), FALSE);
  if (c.n_segments == 0)
    {
      g_free (c.segments);
      return;
    }
  g_array_append_val (d->contours, c);
}

static void
add_segment (Decomposer *d, ZiSegmentKind kind, ZiPoint c1, ZiPoint c2, ZiPoint p, gboolean implied)
{
  ZiSegment s = { 0 };

  s.kind = kind;
  s.c1 = c1;
  s.c2 = c2;
  s.p = p;
  s.implied = implied;
  g_array_append_val (d->segments, s);
  d->pen = p;
}

static int
move_to_cb (const FT_Vector *to, void *user_data)
{
  Decomposer *d = user_data;

  finish_contour (d);
  d->segments = g_array_new (FALSE, TRUE, sizeof (ZiSegment));
  d->contour++;
  d->first = d->contour == 0 ? 0 : d->ft->contours[d->contour - 1] + 1;
  d->last = d->ft->contours[d->contour];
  d->cursor = d->first;
  d->pen = to_point (to);
  return 0;
}

static int
line_to_cb (const FT_Vector *to, void *user_data)
{
  Decomposer *d = user_data;
  ZiPoint p = to_point (to);

  /* FreeType closes every contour with a line back to its start, of length 0 when the last point
   * stands on the first; such a line draws nothing. */
  if (p.x != d->pen.x || p.y != d->pen.y)
    add_segment (d, ZI_SEGMENT_LINE, p, p, p, FALSE);
  return 0;
}

/* TRUE if the end of the arc whose control point is control was implied: the point after the control
 * in the contour is off-curve too. The control is found from the cursor on, so a control point that
 * stands twice in a contour is matched in order. */
static gboolean
end_is_implied (Decomposer *d, const FT_Vector *control)
{
  int n = d->last - d->first + 1;

  for (int k = 0; k < n; k++)
    {
      int i = d->first + (d->cursor - d->first + k) % n;
      const FT_Vector *v = &d->ft->points[i];

      if (FT_CURVE_TAG (d->ft->tags[i]) == FT_CURVE_TAG_CONIC
          && v->x * (1 << SHIFT) == control->x && v->y * (1 << SHIFT) == control->y)
        {
          int next = i == d->last ? d->first : i + 1;

          d->cursor = next;
          return FT_CURVE_TAG (d->ft->tags[next]) != FT_CURVE_TAG_ON;
        }
    }
  return FALSE;
}

static int
conic_to_cb (const FT_Vector *control, const FT_Vector *to, void *user_data)
{
  Decomposer *d = user_data;
  ZiPoint q = to_point (control), p = to_point (to), p0 = d->pen;
  ZiPoint c1 = { p0.x + 2.0 / 3.0 * (q.x - p0.x), p0.y + 2.0 / 3.0 * (q.y - p0.y) };
  ZiPoint c2 = { p.x + 2.0 / 3.0 * (q.x - p.x), p.y + 2.0 / 3.0 * (q.y - p.y) };

  add_segment (d, ZI_SEGMENT_CUBIC, c1, c2, p, end_is_implied (d, control));
  return 0;
}

static int
cubic_to_cb (const FT_Vector *control1, const FT_Vector *control2, const FT_Vector *to, void *user_data)
{
  Decomposer *d = user_data;

  add_segment (d, ZI_SEGMENT_CUBIC, to_point (control1), to_point (control2), to_point (to), FALSE);
  return 0;
}

ZiOutline *
zi_font_char_outline (ZiFont *font, gunichar c, GError **error)
{
  static const FT_Outline_Funcs funcs = {
    move_to_cb, line_to_cb, conic_to_cb, cubic_to_cb, SHIFT, 0,
  };
  FT_Face face;
  FT_Error err;
  Decomposer d = { 0 };
  ZiOutline *outline;
  gboolean reverse;

  g_return_val_if_fail (font != NULL, NULL);

  if (!zi_font_has_char (font, c))
    {
      g_set_error (error, ZI_GLYPH_ERROR, ZI_GLYPH_ERROR_NOT_FOUND,
                   _("“%s” has no glyph for U+%04X"), zi_font_get_path (font), c);
      return NULL;
    }
  face = zi_font_get_ft_face (font);
  err = FT_Load_Glyph (face, zi_font_get_glyph (font, c),
                       FT_LOAD_NO_SCALE | FT_LOAD_NO_HINTING | FT_LOAD_NO_BITMAP);
  if (err != 0 || face->glyph->format != FT_GLYPH_FORMAT_OUTLINE)
    {
      g_set_error (error, ZI_GLYPH_ERROR, ZI_GLYPH_ERROR_RENDER,
                   _("Could not load the glyph of U+%04X from “%s”; the font may be damaged"),
                   c, zi_font_get_path (font));
      return NULL;
    }

  d.ft = &face->glyph->outline;
  d.contours = g_array_new (FALSE, TRUE, sizeof (ZiContour));
  d.contour = -1;
  err = FT_Outline_Decompose (&face->glyph->outline, &funcs, &d);
  finish_contour (&d);
  /* TrueType runs outer contours clockwise, CFF counter-clockwise; FreeType tells which from the
   * glyph's own points, so a font wound against its format's convention is read as it fills. */
  reverse = FT_Outline_Get_Orientation (&face->glyph->outline) == FT_ORIENTATION_TRUETYPE;

  outline = g_new0 (ZiOutline, 1);
  outline->n_contours = d.contours->len;
  outline->contours = (ZiContour *) g_array_free (d.contours, FALSE);
  if (err != 0)
    {
      zi_outline_free (outline);
      g_set_error (error, ZI_GLYPH_ERROR, ZI_GLYPH_ERROR_RENDER,
                   _("Could not load the glyph of U+%04X from “%s”; the font may be damaged"),
                   c, zi_font_get_path (font));
      return NULL;
    }
  for (guint i = 0; i < outline->n_contours; i++)
    {
      ZiContour *ct = &outline->contours[i];

      if (reverse)
        zi_contour_reverse (ct);
      ct->area = zi_contour_signed_area (ct);
      ct->hole = ct->area < 0;
    }
  zi_outline_update_bbox (outline);
  return outline;
}
