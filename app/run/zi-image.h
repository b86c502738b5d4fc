/* zi-image.h — 8-bit grayscale PNG files, and the pixel conventions of Zimaru: in memory a glyph is
 * coverage (0 = paper, 255 = ink, as FreeType draws it) or, for field runs, a signed distance field
 * (zi-render.h); on disk it is a picture (255 = white paper, 0 = black ink, as in every PNG file
 * zimaru-cli writes and reads). The *_coverage functions convert on the way in and out; the metrics
 * and the networks take floats, converted below. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Coverage ↔ gray picture: out[i] = 255 − in[i]. in and out may be the same buffer. */
void     zi_image_coverage_to_gray (const guint8 *in, guint8 *out, gsize n_pixels);
void     zi_image_gray_to_coverage (const guint8 *in, guint8 *out, gsize n_pixels);

/* Float images in [0, 1] with ink = 1 (the units the validation metrics measure in) ↔ coverage bytes.
 * NaN becomes paper; values outside [0, 1] are clamped. */
void     zi_image_coverage_to_float (const guint8 *in, float *out, gsize n_pixels);
void     zi_image_float_to_coverage (const float *in, guint8 *out, gsize n_pixels);

/* The networks' pixels ↔ coverage bytes: the one place that knows what the pix2pix networks take in
 * and give out (floats in [-1, 1], ink = +1, paper = −1). The trainer's batches, validation and
 * previews, generation with a trained model and the learning-rate finder all convert through this
 * pair. NaN (a diverged model) becomes paper; values outside [-1, 1] are clamped. */
void     zi_image_coverage_to_net (const guint8 *in, float *out, gsize n_pixels);
void     zi_image_net_to_coverage (const float *in, guint8 *out, gsize n_pixels);

/* The ink of a signed distance field of spread pixels (zi-render.h's encoding: 128 on the outline,
 * ±128/spread per pixel): coverage = clamp(127.5 + (f − 127.5) × spread), the field's distance in
 * pixels read as a pixel's ink — a one-pixel-wide ramp across the outline, as antialiased coverage
 * is (Green 2007 thresholds the same field to draw it). The one place that turns a field into ink:
 * validation, previews and PNG files of field models go through it. in and out may be the same. */
void     zi_image_field_to_coverage (const guint8 *in, guint8 *out, gsize n_pixels, guint spread);

/* Encodes width×height 8-bit gray pixels (row-major, top row first) as PNG bytes. */
GBytes  *zi_image_encode_png (const guint8 *gray, guint width, guint height, GError **error);

/* Writes a gray picture as an 8-bit grayscale PNG, atomically (zi_file_write_atomic): no partial file
 * is ever left at path. */
gboolean zi_image_write_png (const char *path, const guint8 *gray, guint width, guint height,
                             GError **error);
/* The same from coverage (inverted while writing, so paper is white in the file). */
gboolean zi_image_write_png_coverage (const char *path, const guint8 *coverage, guint width,
                                      guint height, GError **error);

/* Reads any PNG (gray, RGB, palette, with alpha, 16-bit) as 8-bit gray, alpha composited on white.
 * Returns a newly allocated width×height buffer (g_free) or NULL with ZI_ERROR_IO naming the file. */
guint8  *zi_image_read_png (const char *path, guint *width, guint *height, GError **error);
/* The same, converted to coverage (ink = 255). */
guint8  *zi_image_read_png_coverage (const char *path, guint *width, guint *height, GError **error);

G_END_DECLS
