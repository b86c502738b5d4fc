/* zi-export-source.c — where an export's bitmaps come from: the generic source (a bitmap function
 * and its data), a font rendered with its own placement, and the two calls the export job makes on
 * any source. The model sources are in zi-export-model.c. */
#include "config.h"
#include "zi-export-private.h"
#include "zi-render.h"

ZiExportSource *
zi_export_source_new (guint              size,
                      double             em_fraction,
                      const char        *description,
                      ZiExportBitmapFunc func,
                      gpointer           user_data,
                      GDestroyNotify     destroy)
{
  ZiExportSource *src;

  g_return_val_if_fail (size >= 16 && size <= 1024, NULL);
  g_return_val_if_fail (func != NULL, NULL);

  src = g_new0 (ZiExportSource, 1);
  src->size = size;
  src->em_fraction = em_fraction;
  src->description = g_strdup (description ? description : "bitmaps");
  src->func = func;
  src->user_data = user_data;
  src->destroy = destroy;
  return src;
}

typedef struct {
  ZiFont      *font;
  ZiPlacement  placement;
} FontSource;

static void
font_source_free (gpointer data)
{
  FontSource *fs = data;

  zi_font_free (fs->font);
  g_free (fs);
}

static gboolean
font_bitmaps (const gunichar *chars, guint n, guint8 *out, gboolean *available, gpointer data,
              GCancellable *cancellable, GError **error)
{
  FontSource *fs = data;
  gsize plane = (gsize) fs->placement.size * fs->placement.size;

  for (guint i = 0; i < n; i++)
    {
      available[i] = zi_render_char (fs->font, &fs->placement, chars[i], out + i * plane, error);
      if (error != NULL && *error != NULL)
        return FALSE;
    }
  return TRUE;
}

ZiExportSource *
zi_export_source_new_font (ZiFont *font, guint size, double em_fraction, GError **error)
{
  FontSource *fs;
  ZiExportSource *src;
  g_autofree char *description = NULL;

  g_return_val_if_fail (font != NULL, NULL);

  fs = g_new0 (FontSource, 1);
  fs->font = font;
  if (!zi_placement_init (&fs->placement, font, size, em_fraction, error))
    {
      font_source_free (fs);
      return NULL;
    }
  description = g_strdup_printf ("font:%s", zi_font_get_spec (font));
  src = zi_export_source_new (size, em_fraction, description, font_bitmaps, fs, font_source_free);
  src->font = font;
  return src;
}

guint
zi_export_source_get_size (ZiExportSource *source)
{
  g_return_val_if_fail (source != NULL, 0);

  return source->size;
}

void
zi_export_source_free (ZiExportSource *source)
{
  if (source == NULL)
    return;
  if (source->destroy != NULL)
    source->destroy (source->user_data);
  g_free (source->description);
  g_free (source);
}

const char *
zi_export_source_origin (ZiExportSource *src, gunichar c)
{
  return src->origin != NULL ? src->origin (src->user_data, c) : src->description;
}

gboolean
zi_export_source_bitmaps (ZiExportSource *src, const gunichar *chars, guint n, guint8 *out,
                          gboolean *available, GCancellable *cancellable, GError **error)
{
  for (guint i = 0; i < n; i++)
    available[i] = TRUE;
  return src->func (chars, n, out, available, src->user_data, cancellable, error);
}
