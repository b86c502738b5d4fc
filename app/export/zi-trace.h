/* zi-trace.h — turning a glyph's coverage bitmap into font outlines with libpotrace.
 *
 * The bitmap is thresholded (optionally after a bilinear upsampling, which recovers the sub-pixel
 * edge position that anti-aliased coverage carries) and traced by potrace, which decides the contours.
 * Potrace's curves are sampled into a sub-pixel polyline that follows the threshold crossing of the
 * coverage, mapped through the font's placement (zi-render.h) into font units, y up, and fitted with
 * lines and cubics as a type designer would draw them (zi-fit.h). Contours follow the PostScript /
 * UFO convention: outer contours counter-clockwise, holes clockwise (fontmake reverses them for
 * TrueType), so both nonzero and even-odd filling draw the same shape. */
#pragma once

#include <glib.h>
#include "zi-outline.h"
#include "zi-render.h"

G_BEGIN_DECLS

typedef enum {
  ZI_TRACE_PRESET_ROUND,   /* smooth curves, no sharp corners: Maru (round caps) styles */
  ZI_TRACE_PRESET_SQUARE,  /* keeps corners: square caps */
} ZiTracePreset;

typedef struct {
  ZiTracePreset preset;
  guint8  threshold;       /* coverage >= threshold is ink (1..255; default 128) */
  guint   upsample;        /* bilinear upsampling factor before thresholding (1..8; default 4) */
  double  smooth;          /* Gaussian blur σ in pixels before thresholding (0 = none; 0..2): evens
                            * out the ragged edges of generated glyphs */
  int     turdsize;        /* despeckle: paths of at most this area (source-bitmap pixels) are dropped */
  double  alphamax;        /* potrace's corner threshold (0 = polygon, 1.3334 = no corners) */
  double  opttolerance;    /* potrace's curve optimisation tolerance (0 = no optimisation) */
  double  tolerance;       /* curve fitting tolerance in font units per 1000 units of em (zi-fit.h); 0
                            * keeps potrace's own curves */
} ZiTraceParams;

/* Fills params with a preset's values (threshold 128, upsample 4, tolerance 10). */
void        zi_trace_params_init (ZiTraceParams *params, ZiTracePreset preset);
/* ZI_ERROR_INVALID naming the bad value: threshold 1–255, upsample 1–8, smooth 0–2, turdsize >= 0,
 * alphamax 0–1.3334, opttolerance 0–10, tolerance 0–50. */
gboolean    zi_trace_params_check (const ZiTraceParams *params, GError **error);
/* potrace's version ("potracelib 1.16"), for manifests. */
const char *zi_trace_engine_version (void);
const char *zi_trace_preset_to_string (ZiTracePreset preset);
gboolean    zi_trace_preset_from_string (const char *s, ZiTracePreset *preset);

/* Traces coverage[size*size] (0 = paper, 255 = ink, top row first) placed with placement (whose size
 * must equal size). Returns NULL with ZI_ERROR_RESOURCES if potrace fails (out of memory), or
 * ZI_ERROR_INVALID for bad parameters; an empty bitmap gives an outline with no contours. */
ZiOutline  *zi_trace_bitmap (const guint8        *coverage,
                             guint                size,
                             const ZiPlacement   *placement,
                             const ZiTraceParams *params,
                             GError             **error);

/* Contours whose potrace area is under max_pixel_area source-bitmap pixels (QA: specks). */
guint       zi_outline_count_small (const ZiOutline *outline, double max_pixel_area);

G_END_DECLS
