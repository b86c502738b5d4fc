/* zi-upscale.h — a coverage bitmap shown larger than it was made, with sharp edges: the window shows
 * a model's 64 px glyphs in grid cells of up to 512 px, where plain bilinear scaling would blur each
 * edge over eight screen pixels.
 *
 * The coverage is interpolated bilinearly at the centres of the larger canvas's pixels (which puts
 * the 50% crossing, the edge the tracer follows, where the anti-aliasing says it is), then pushed
 * through a steep ramp around 50%: v' = 127.5 + (v − 127.5) · osize / size, clamped to 0..255. An edge
 * that rises across one source pixel rises across about one pixel of the larger canvas. Coverage as
 * in zi-render.h: guint8, row-major, top row first, 0 = paper. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Fills out[osize * osize] from in[size * size]; osize ≥ size ≥ 1 (osize = size copies). */
void zi_coverage_upscale_sharp (const guint8 *in, guint size, guint8 *out, guint osize);

G_END_DECLS
