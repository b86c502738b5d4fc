/* zi-outline-raster.h — filling a ZiOutline into an anti-aliased coverage bitmap: the one rasteriser
 * of outlines Zimaru holds itself (traced glyphs, a font's outline taken apart), which the outline
 * measures' IoU (zi-outline-metric.h), PNG export from traced outlines (zi-export.h) and the window
 * share.
 *
 * FreeType's smooth rasteriser does the work on the outline handed over as a FreeType outline with
 * cubic control points: exact area coverage of each pixel (to FreeType's 1/64 px grid), nonzero
 * winding, so a font's own outline comes out as zi_render_char() renders the font. Coverage follows
 * zi-render.h: guint8, row-major, top row first, 0 = paper, 255 = full ink. */
#pragma once

#include <glib.h>
#include "zi-outline.h"
#include "zi-render.h"

G_BEGIN_DECLS

/* Where outline points land on the canvas: x_px = scale · x + dx, y_px = dy − scale · y (pixels, y
 * down from the canvas's top-left corner; font units y up). */
typedef struct {
  double scale;
  double dx, dy;
} ZiOutlineFrame;

/* The frame that maps font units as placement p does, scaled from p's canvas to one of size px (the
 * same picture, more or fewer pixels). */
void     zi_outline_frame_from_placement (ZiOutlineFrame *frame, const ZiPlacement *p, guint size);

/* Fills out[width * height] with the coverage of outline mapped by frame (what falls off the canvas
 * is cut). width, height: 1..16384. FALSE with ZI_GLYPH_ERROR_RENDER if FreeType fails (out of
 * memory, or an outline of more than 32,767 points); out is then all paper. */
gboolean zi_outline_render_frame (const ZiOutline      *outline,
                                  const ZiOutlineFrame *frame,
                                  guint8               *out,
                                  guint                 width,
                                  guint                 height,
                                  GError              **error);
/* Fills out[size * size] with the coverage of outline placed as p places its font, at size px. */
gboolean zi_outline_render (const ZiOutline   *outline,
                            const ZiPlacement *p,
                            guint              size,
                            guint8            *out,
                            GError           **error);

G_END_DECLS
