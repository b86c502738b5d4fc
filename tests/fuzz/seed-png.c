/* seed-png.c — writes the seed corpus of fuzz-png: small PNGs in every pixel layout libpng's
 * simplified API writes (gray, gray + alpha, RGB, RGBA, 16-bit linear, colour-mapped), of a glyph-like
 * picture, so the fuzzer starts from each decoder path. Usage: seed-png OUTDIR. */
#include <glib.h>
#include <glib/gstdio.h>
#include <png.h>
#include <string.h>

#define W 12
#define H 9

typedef struct {
  const char *name;
  png_uint_32 format;
} Layout;

/* One picture in any format: a dark stroke on white, and a transparent corner where there is alpha. */
static void
fill (guint8 *buf, png_uint_32 format)
{
  const guint channels = PNG_IMAGE_SAMPLE_CHANNELS (format);
  const guint component = PNG_IMAGE_SAMPLE_COMPONENT_SIZE (format);

  for (guint y = 0; y < H; y++)
    for (guint x = 0; x < W; x++)
      for (guint c = 0; c < channels; c++)
        {
          const gboolean alpha = (format & PNG_FORMAT_FLAG_ALPHA) && c == channels - 1;
          guint v = alpha ? (x + y < 3 ? 0 : 255) : ((x > 3 && x < 7) || y == 4 ? 30 * c : 255);
          guint8 *p = buf + ((y * W + x) * channels + c) * component;
          if (component == 2)
            {
              guint16 v16 = (guint16) (v * 257);
              memcpy (p, &v16, 2);
            }
          else
            *p = (guint8) v;
        }
}

static gboolean
write_seed (const char *dir, const Layout *layout, GError **error)
{
  png_image image;
  png_alloc_size_t size = 0;
  g_autofree guint8 *pixels = NULL;
  g_autofree guint8 *png = NULL;
  g_autofree char *name = g_strconcat (layout->name, ".png", NULL);
  g_autofree char *path = g_build_filename (dir, name, NULL);
  guint8 colormap[256 * 3];
  const gboolean mapped = (layout->format & PNG_FORMAT_FLAG_COLORMAP) != 0;

  memset (&image, 0, sizeof image);
  image.version = PNG_IMAGE_VERSION;
  image.width = W;
  image.height = H;
  image.format = layout->format;
  pixels = g_malloc0 (PNG_IMAGE_SIZE (image));
  if (mapped)
    {
      /* Index i is gray level 255 − 30·i. */
      image.colormap_entries = 8;
      for (guint i = 0; i < 8; i++)
        memset (colormap + 3 * i, 255 - 30 * i, 3);
      for (guint i = 0; i < W * H; i++)
        pixels[i] = (guint8) ((i % W > 3 && i % W < 7) ? 7 : i % 2);
    }
  else
    fill (pixels, layout->format);
  if (!png_image_write_to_memory (&image, NULL, &size, 0, pixels, 0, mapped ? colormap : NULL))
    goto fail;
  png = g_malloc (size);
  if (!png_image_write_to_memory (&image, png, &size, 0, pixels, 0, mapped ? colormap : NULL))
    goto fail;
  return g_file_set_contents (path, (const char *) png, (gssize) size, error);

fail:
  g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_FAILED, "%s: %s", name, image.message);
  png_image_free (&image);
  return FALSE;
}

int
main (int argc, char **argv)
{
  static const Layout layouts[] = {
    { "gray", PNG_FORMAT_GRAY },
    { "gray-alpha", PNG_FORMAT_GA },
    { "rgb", PNG_FORMAT_RGB },
    { "rgba", PNG_FORMAT_RGBA },
    { "gray16", PNG_FORMAT_LINEAR_Y },
    { "rgba16", PNG_FORMAT_LINEAR_RGB_ALPHA },
    { "palette", PNG_FORMAT_RGB_COLORMAP },
  };

  if (argc != 2)
    {
      g_printerr ("usage: seed-png OUTDIR\n");
      return 2;
    }
  if (g_mkdir_with_parents (argv[1], 0755) != 0)
    {
      g_printerr ("seed-png: cannot create %s\n", argv[1]);
      return 1;
    }
  for (gsize i = 0; i < G_N_ELEMENTS (layouts); i++)
    {
      g_autoptr(GError) error = NULL;
      if (!write_seed (argv[1], &layouts[i], &error))
        {
          g_printerr ("seed-png: %s\n", error->message);
          return 1;
        }
    }
  return 0;
}
