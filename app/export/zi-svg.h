/* zi-svg.h — one traced glyph as a standalone SVG file in font units, loadable by browsers and by
 * FontForge's import. The viewBox spans the target font's ideographic advance horizontally and its
 * ideographic em box vertically, with y flipped (SVG y points down) so the glyph displays upright. */
#pragma once

#include <glib.h>
#include "zi-font.h"
#include "zi-trace.h"

G_BEGIN_DECLS

/* The frame of the SVG in font units: x 0..advance, y bottom..top (y up). */
typedef struct {
  double advance;
  double bottom;
  double top;
} ZiSvgFrame;

/* The frame from a font's ideographic em box and ideographic advance. */
void  zi_svg_frame_init (ZiSvgFrame *frame, const ZiFontMetrics *metrics);

/* Appends the path data ("M x y C ... Z") of outline in SVG coordinates (y flipped by the frame). */
void  zi_svg_append_path_data (GString *out, const ZiOutline *outline, const ZiSvgFrame *frame);

/* A complete SVG document (UTF-8, always well-formed XML) for character c (0: no title). */
char *zi_svg_document (const ZiOutline *outline, const ZiSvgFrame *frame, gunichar c);

/* Appends a coordinate in font units with at most two decimals, in the C locale ("12.5", "-3"). */
void  zi_format_number (GString *out, double v);

G_END_DECLS
