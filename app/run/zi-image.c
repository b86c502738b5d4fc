/* zi-image.c — 8-bit grayscale PNG reading and writing (libpng's simplified API) and the conversions
 * between coverage (ink = 255), gray pictures (ink = 0), float images (ink = 1), the networks'
 * pixels (ink = +1, paper = −1) and, one way, signed distance fields (outline = 128). */
#include "config.h"
#include "zi-image.h"
#include "zi-error.h"
#include "zi-fileutil.h"

#include <glib/gi18n.h>
#include <math.h>
#include <png.h>
#include <string.h>

void
zi_image_coverage_to_gray (const guint8 *in, guint8 *out, gsize n_pixels)
{
  g_return_if_fail (in != NULL || n_pixels == 0);
  g_return_if_fail (out != NULL || n_pixels == 0);

  for (gsize i = 0; i < n_pixels; i++)
    out[i] = (guint8) (255 - in[i]);
}

void
zi_image_gray_to_coverage (const guint8 *in, guint8 *out, gsize n_pixels)
{
  /* The inversion is its own inverse; two names keep call sites readable. */
  zi_image_coverage_to_gray (in, out, n_pixels);
}

void
zi_image_coverage_to_float (const guint8 *in, float *out, gsize n_pixels)
{
  g_return_if_fail (in != NULL || n_pixels == 0);
  g_return_if_fail (out != NULL || n_pixels == 0);

  for (gsize i = 0; i < n_pixels; i++)
    out[i] = in[i] / 255.0f;
}

void
zi_image_float_to_coverage (const float *in, guint8 *out, gsize n_pixels)
{
  g_return_if_fail (in != NULL || n_pixels == 0);
  g_return_if_fail (out != NULL || n_pixels == 0);

  for (gsize i = 0; i < n_pixels; i++)
    {
      float v = in[i];
      /* NaN (a diverged model) becomes paper rather than undefined behaviour in the cast. */
      if (!(v > 0.0f))
        v = 0.0f;
      else if (v > 1.0f)
        v = 1.0f;
      out[i] = (guint8) lrintf (v * 255.0f);
    }
}

void
zi_image_coverage_to_net (const guint8 *in, float *out, gsize n_pixels)
{
  g_return_if_fail (in != NULL || n_pixels == 0);
  g_return_if_fail (out != NULL || n_pixels == 0);

  for (gsize i = 0; i < n_pixels; i++)
    out[i] = (float) in[i] * (2.0f / 255.0f) - 1.0f;
}

void
zi_image_net_to_coverage (const float *in, guint8 *out, gsize n_pixels)
{
  g_return_if_fail (in != NULL || n_pixels == 0);
  g_return_if_fail (out != NULL || n_pixels == 0);

  for (gsize i = 0; i < n_pixels; i++)
    {
      float v = (in[i] + 1.0f) * 127.5f;
      /* NaN becomes paper rather than undefined behaviour in the cast; +0.5 rounds to nearest. */
      out[i] = (guint8) (isnan (v) ? 0.0f : CLAMP (v + 0.5f, 0.0f, 255.0f));
    }
}

void
zi_image_field_to_coverage (const guint8 *in, guint8 *out, gsize n_pixels, guint spread)
{
  g_return_if_fail (in != NULL || n_pixels == 0);
  g_return_if_fail (out != NULL || n_pixels == 0);
  g_return_if_fail (spread > 0);

  for (gsize i = 0; i < n_pixels; i++)
    {
      float v = 127.5f + ((float) in[i] - 127.5f) * (float) spread;
      /* +0.5 rounds to nearest. */
      out[i] = (guint8) CLAMP (v + 0.5f, 0.0f, 255.0f);
    }
}

GBytes *
zi_image_encode_png (const guint8 *gray, guint width, guint height, GError **error)
{
  png_image image;
  png_alloc_size_t size = 0;
  g_autofree guint8 *buffer = NULL;

  g_return_val_if_fail (gray != NULL, NULL);
  g_return_val_if_fail (width > 0 && height > 0, NULL);

  memset (&image, 0, sizeof image);
  image.version = PNG_IMAGE_VERSION;
  image.width = width;
  image.height = height;
  image.format = PNG_FORMAT_GRAY;

  /* The first call measures, the second writes. */
  if (!png_image_write_to_memory (&image, NULL, &size, 0, gray, (png_int_32) width, NULL))
    goto fail;
  buffer = g_malloc (size);
  if (!png_image_write_to_memory (&image, buffer, &size, 0, gray, (png_int_32) width, NULL))
    goto fail;
  return g_bytes_new_take (g_steal_pointer (&buffer), size);

fail:
  g_set_error (error, ZI_ERROR, ZI_ERROR_FAILED, _("Could not encode a %u×%u PNG image: %s"),
               width, height, image.message);
  png_image_free (&image);
  return NULL;
}

gboolean
zi_image_write_png (const char *path, const guint8 *gray, guint width, guint height, GError **error)
{
  g_autoptr(GBytes) bytes = NULL;
  gsize len;
  const void *data;

  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (gray != NULL, FALSE);

  bytes = zi_image_encode_png (gray, width, height, error);
  if (bytes == NULL)
    return FALSE;
  data = g_bytes_get_data (bytes, &len);
  return zi_file_write_atomic (path, data, len, error);
}

gboolean
zi_image_write_png_coverage (const char *path, const guint8 *coverage, guint width, guint height,
                             GError **error)
{
  g_autofree guint8 *gray = NULL;

  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (coverage != NULL, FALSE);
  g_return_val_if_fail (width > 0 && height > 0, FALSE);

  gray = g_malloc ((gsize) width * height);
  zi_image_coverage_to_gray (coverage, gray, (gsize) width * height);
  return zi_image_write_png (path, gray, width, height, error);
}

/* libpng allocates a chunk's claimed length before it notices that the file is shorter (a tiny file can
 * make it touch gigabytes), so walk the chunk table first and refuse a chunk that overruns the file. */
static gboolean
png_chunks_fit (const guint8 *data, gsize len)
{
  gsize pos = 8;   /* after the signature; libpng checks the signature itself */

  while (pos + 12 <= len)
    {
      guint32 chunk_len = ((guint32) data[pos] << 24) | ((guint32) data[pos + 1] << 16)
                          | ((guint32) data[pos + 2] << 8) | (guint32) data[pos + 3];

      if (chunk_len > len - pos - 12)
        return FALSE;
      if (memcmp (data + pos + 4, "IEND", 4) == 0)
        return TRUE;
      pos += 12 + (gsize) chunk_len;
    }
  return pos == len;
}

guint8 *
zi_image_read_png (const char *path, guint *width, guint *height, GError **error)
{
  g_autofree char *contents = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree guint8 *pixels = NULL;
  png_image image;
  png_color background = { 255, 255, 255 };
  gsize len;

  g_return_val_if_fail (path != NULL, NULL);

  if (!g_file_get_contents (path, &contents, &len, &local_error))
    {
      g_set_error (error, ZI_ERROR, ZI_ERROR_IO, _("Cannot read image “%s”: %s"), path,
                   local_error->message);
      return NULL;
    }

  memset (&image, 0, sizeof image);
  image.version = PNG_IMAGE_VERSION;
  if (len < 8 || !png_chunks_fit ((const guint8 *) contents, len))
    {
      g_set_error (error, ZI_ERROR, ZI_ERROR_IO,
                   _("Image “%s” is not a readable PNG file: it is truncated or a chunk overruns it"), path);
      return NULL;
    }
  if (!png_image_begin_read_from_memory (&image, contents, len))
    goto fail;
  /* A glyph image is at most a few thousand pixels wide; refuse absurd headers before allocating. */
  if (image.width == 0 || image.height == 0 || image.width > 4096 || image.height > 4096)
    {
      png_image_free (&image);
      g_set_error (error, ZI_ERROR, ZI_ERROR_IO, _("Image “%s” has an unusable size (%u×%u)"), path,
                   image.width, image.height);
      return NULL;
    }
  image.format = PNG_FORMAT_GRAY;
  pixels = g_malloc (PNG_IMAGE_SIZE (image));
  if (!png_image_finish_read (&image, &background, pixels, (png_int_32) image.width, NULL))
    goto fail;

  if (width != NULL)
    *width = image.width;
  if (height != NULL)
    *height = image.height;
  return g_steal_pointer (&pixels);

fail:
  g_set_error (error, ZI_ERROR, ZI_ERROR_IO, _("Image “%s” is not a readable PNG file: %s"), path,
               image.message);
  png_image_free (&image);
  return NULL;
}

guint8 *
zi_image_read_png_coverage (const char *path, guint *width, guint *height, GError **error)
{
  guint w = 0, h = 0;
  guint8 *pixels = zi_image_read_png (path, &w, &h, error);

  if (pixels == NULL)
    return NULL;
  zi_image_gray_to_coverage (pixels, pixels, (gsize) w * h);
  if (width != NULL)
    *width = w;
  if (height != NULL)
    *height = h;
  return pixels;
}
