/* zi-render.h — rendering glyphs into size×size coverage bitmaps or signed distance fields with one
 * placement per font.
 *
 * Coverage bitmaps are guint8, row-major, top row first: 0 = paper, 255 = full ink (FreeType's own
 * convention). PNG files are written inverted (white paper 255, black ink 0), see zi-image.h.
 *
 * Signed distance fields (Green 2007, "Improved alpha-tested magnification for vector textures and
 * special effects") use the same bytes and layout: 128 on the outline, +128/spread per pixel of
 * distance inside (clamped at 255), −128/spread per pixel outside (clamped at 0), spread in pixels.
 * FreeType's SDF renderer (2.12) draws them in exactly this encoding. zi-image.h derives ink from a
 * field.
 *
 * Placement: the font's ideographic em box (ZiFontMetrics.ideo_*) is scaled so that one em spans
 * em_fraction × size pixels and is centred on the canvas, the same for every glyph of the font (never
 * fitted per glyph), so a pixel maps back to font units exactly:
 *   x_px = origin_x + x_fu * scale        y_px = origin_y - y_fu * scale   (y down in pixels)
 */
#pragma once

#include <glib.h>
#include <gio/gio.h>
#include "zi-font.h"

G_BEGIN_DECLS

#define ZI_DEFAULT_EM_FRACTION 0.86

/* The spread of a signed distance field, in pixels: the distance at which it reaches 0 or 255.
 * FreeType accepts 2 to 32; beyond 16 a 64 px field has almost no resolution left near the edge. */
#define ZI_FIELD_SPREAD_DEFAULT 4
#define ZI_FIELD_SPREAD_MIN     2
#define ZI_FIELD_SPREAD_MAX     16

typedef struct {
  guint  size;         /* canvas side in pixels */
  double em_fraction;  /* em / canvas */
  double scale;        /* pixels per font unit */
  double origin_x;     /* pixel x of font-unit x = 0 */
  double origin_y;     /* pixel y of font-unit y = 0 (the baseline), measured down from the top */
  int    units_per_em;
} ZiPlacement;

/* The placement of a font at a canvas size. size: 16..1024; em_fraction: (0.1, 1]. */
gboolean zi_placement_init (ZiPlacement *placement, ZiFont *font, guint size, double em_fraction,
                            GError **error);
void     zi_placement_pixel_to_font (const ZiPlacement *p, double x_px, double y_px,
                                     double *x_fu, double *y_fu);
void     zi_placement_font_to_pixel (const ZiPlacement *p, double x_fu, double y_fu,
                                     double *x_px, double *y_px);

/* Renders c into out[size*size] (anti-aliased coverage). A character the font lacks gives an
 * all-zero canvas and returns FALSE without an error. */
gboolean zi_render_char (ZiFont *font, const ZiPlacement *p, gunichar c, guint8 *out, GError **error);
/* Renders c's signed distance field into out[size*size] with FreeType's SDF renderer, from the same
 * placed outline as zi_render_char. spread: ZI_FIELD_SPREAD_MIN..MAX. A character the font lacks gives
 * an all-zero canvas (far outside) and returns FALSE without an error. */
gboolean zi_render_char_field (ZiFont *font, const ZiPlacement *p, gunichar c, guint spread, guint8 *out,
                               GError **error);

typedef void (*ZiRenderProgress) (guint done, guint total, gpointer user_data);

/* Renders n characters into out[n*size*size] on up to n_threads threads (0 = number of cores),
 * each with its own reopened font: coverage when field_spread is 0, else signed distance fields of
 * that spread. covered[i] (may be NULL) tells whether the font has chars[i]. cancellable may be
 * NULL. */
gboolean zi_render_many (ZiFont *font, const ZiPlacement *p, const gunichar *chars, guint n,
                         guint field_spread, guint8 *out, gboolean *covered, guint n_threads,
                         ZiRenderProgress progress, gpointer user_data,
                         GCancellable *cancellable, GError **error);

G_END_DECLS
