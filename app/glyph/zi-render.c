/* zi-render.c — glyphs into size×size coverage bitmaps or signed distance fields with one placement
 * per font (see zi-render.h), on one thread or many.
 *
 * Glyphs are loaded unscaled and unhinted, and every outline point is mapped with the placement's own
 * double-precision formula (rounded to FreeType's 1/64 px), so the picture is exactly where the
 * recorded pixel ↔ font-unit mapping says; FreeType's own scaling would round the scale to 16.16. */
#include "config.h"
#include "zi-render.h"
#include "zi-font-private.h"

#include FT_MODULE_H
#include FT_OUTLINE_H
#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

gboolean
zi_placement_init (ZiPlacement *p, ZiFont *font, guint size, double em_fraction, GError **error)
{
  ZiFontMetrics m;
  double centre_x_fu, centre_y_fu;

  g_return_val_if_fail (p != NULL, FALSE);
  g_return_val_if_fail (font != NULL, FALSE);

  if (size < 16 || size > 1024)
    {
      g_set_error (error, ZI_GLYPH_ERROR, ZI_GLYPH_ERROR_INVALID,
                   _("Canvas size %u is out of range; use 16 to 1024 pixels (64, 128, 256 or 512)"), size);
      return FALSE;
    }
  if (!(em_fraction > 0.1 && em_fraction <= 1.0))
    {
      g_set_error (error, ZI_GLYPH_ERROR, ZI_GLYPH_ERROR_INVALID,
                   _("Em fraction %g is out of range; use a value above 0.1 and at most 1 (default %g)"),
                   em_fraction, ZI_DEFAULT_EM_FRACTION);
      return FALSE;
    }

  zi_font_get_metrics (font, &m);
  p->size = size;
  p->em_fraction = em_fraction;
  p->units_per_em = m.units_per_em;
  p->scale = em_fraction * size / m.units_per_em;
  /* The centre of the em box goes to the centre of the canvas. The origin is kept on FreeType's
   * 1/64 px grid so that what is drawn and what the mapping says agree to the last bit. */
  centre_x_fu = 0.5 * (m.ideo_left + m.ideo_right);
  centre_y_fu = 0.5 * (m.ideo_bottom + m.ideo_top);
  p->origin_x = round ((0.5 * size - centre_x_fu * p->scale) * 64.0) / 64.0;
  p->origin_y = round ((0.5 * size + centre_y_fu * p->scale) * 64.0) / 64.0;
  return TRUE;
}

void
zi_placement_pixel_to_font (const ZiPlacement *p, double x_px, double y_px, double *x_fu, double *y_fu)
{
  g_return_if_fail (p != NULL);

  if (x_fu != NULL)
    *x_fu = (x_px - p->origin_x) / p->scale;
  if (y_fu != NULL)
    *y_fu = (p->origin_y - y_px) / p->scale;
}

void
zi_placement_font_to_pixel (const ZiPlacement *p, double x_fu, double y_fu, double *x_px, double *y_px)
{
  g_return_if_fail (p != NULL);

  if (x_px != NULL)
    *x_px = p->origin_x + x_fu * p->scale;
  if (y_px != NULL)
    *y_px = p->origin_y - y_fu * p->scale;
}

/* Loads c's outline into the font's glyph slot and maps it into the canvas of p for FreeType's
 * rasterisers: 26.6 pixels, y up from the bottom edge. NULL for a character the font lacks (without
 * an error) or one that will not load. */
static FT_Outline *
load_placed_outline (ZiFont *font, const ZiPlacement *p, gunichar c, GError **error)
{
  FT_Face face;
  FT_Outline *outline;
  FT_Error err;

  if (!zi_font_has_char (font, c))
    return NULL;
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

  /* FreeType's raster puts y = 0 at the bottom edge of the bitmap, y up; the placement measures y
   * down from the top, hence y_raster = size − y_px. */
  outline = &face->glyph->outline;
  for (int i = 0; i < outline->n_points; i++)
    {
      double x_px = p->origin_x + outline->points[i].x * p->scale;
      double y_px = p->origin_y - outline->points[i].y * p->scale;
      outline->points[i].x = (FT_Pos) lround (x_px * 64.0);
      outline->points[i].y = (FT_Pos) lround ((p->size - y_px) * 64.0);
    }
  return outline;
}

gboolean
zi_render_char (ZiFont *font, const ZiPlacement *p, gunichar c, guint8 *out, GError **error)
{
  FT_Outline *outline;
  FT_Bitmap bitmap;
  guint size;

  g_return_val_if_fail (font != NULL, FALSE);
  g_return_val_if_fail (p != NULL, FALSE);
  g_return_val_if_fail (out != NULL, FALSE);

  size = p->size;
  memset (out, 0, (gsize) size * size);
  outline = load_placed_outline (font, p, c, error);
  if (outline == NULL)
    return FALSE;

  memset (&bitmap, 0, sizeof bitmap);
  bitmap.rows = size;
  bitmap.width = size;
  bitmap.pitch = (int) size;
  bitmap.buffer = out;
  bitmap.num_grays = 256;
  bitmap.pixel_mode = FT_PIXEL_MODE_GRAY;
  if (FT_Outline_Get_Bitmap (zi_font_get_ft_face (font)->glyph->library, outline, &bitmap) != 0)
    {
      g_set_error (error, ZI_GLYPH_ERROR, ZI_GLYPH_ERROR_RENDER,
                   _("Could not render the glyph of U+%04X from “%s” at %u px"),
                   c, zi_font_get_path (font), size);
      return FALSE;
    }
  return TRUE;
}

gboolean
zi_render_char_field (ZiFont *font, const ZiPlacement *p, gunichar c, guint spread, guint8 *out,
                      GError **error)
{
  FT_GlyphSlot slot;
  FT_Int ft_spread = (FT_Int) spread;
  const FT_Bitmap *bm;
  guint size;

  g_return_val_if_fail (font != NULL, FALSE);
  g_return_val_if_fail (p != NULL, FALSE);
  g_return_val_if_fail (out != NULL, FALSE);
  g_return_val_if_fail (spread >= ZI_FIELD_SPREAD_MIN && spread <= ZI_FIELD_SPREAD_MAX, FALSE);

  size = p->size;
  /* 0 is "spread pixels or more outside": the paper of a field. */
  memset (out, 0, (gsize) size * size);
  if (load_placed_outline (font, p, c, error) == NULL)
    return FALSE;
  slot = zi_font_get_ft_face (font)->glyph;
  if (slot->outline.n_contours == 0)
    return TRUE;  /* a blank glyph: all paper */

  /* The spread is a property of the font's own FT_Library (one per ZiFont, never shared between
   * threads), so setting it for each glyph is safe and costs a table lookup. FreeType's SDF renderer
   * draws the slot's outline into slot->bitmap, spread pixels beyond its box on every side. */
  if (FT_Property_Set (slot->library, "sdf", "spread", &ft_spread) != 0
      || FT_Render_Glyph (slot, FT_RENDER_MODE_SDF) != 0)
    {
      g_set_error (error, ZI_GLYPH_ERROR, ZI_GLYPH_ERROR_RENDER,
                   _("Could not render the distance field of U+%04X from “%s” at %u px"),
                   c, zi_font_get_path (font), size);
      return FALSE;
    }

  /* The bitmap's top-left pixel is at column bitmap_left and bitmap_top pixels above the canvas's
   * bottom edge (y up), i.e. row size − bitmap_top; what falls off the canvas is dropped. */
  bm = &slot->bitmap;
  for (guint r = 0; r < bm->rows; r++)
    {
      gint64 y = (gint64) size - slot->bitmap_top + r;
      const guint8 *row = bm->pitch >= 0 ? bm->buffer + (gsize) r * bm->pitch
                                         : bm->buffer + (gsize) (bm->rows - 1 - r) * (gsize) -bm->pitch;

      if (y < 0 || y >= size)
        continue;
      for (guint col = 0; col < bm->width; col++)
        {
          gint64 x = (gint64) slot->bitmap_left + col;
          if (x >= 0 && x < size)
            out[y * size + x] = row[col];
        }
    }
  return TRUE;
}

/* Work shared by the threads of zi_render_many: characters are handed out in small chunks through an
 * atomic counter, so a thread that draws simple glyphs takes more of them. */
typedef struct {
  ZiFont            *font;
  const ZiPlacement *placement;
  const gunichar    *chars;
  guint              n;
  guint8            *out;
  gboolean          *covered;
  guint              field_spread;  /* 0: coverage */
  GCancellable      *cancellable;
  gint               next;      /* atomic: first index of the next chunk */
  gint               done;      /* atomic: characters finished */
  GMutex             lock;
  GError            *error;     /* the first error, under lock */
} RenderJob;

#define RENDER_CHUNK 32

static gboolean
render_chunk (RenderJob *job, ZiFont *font)
{
  gsize plane = (gsize) job->placement->size * job->placement->size;
  guint start = (guint) g_atomic_int_add (&job->next, RENDER_CHUNK);
  guint end;

  if (start >= job->n)
    return FALSE;
  end = MIN (start + RENDER_CHUNK, job->n);
  for (guint i = start; i < end; i++)
    {
      g_autoptr(GError) error = NULL;
      guint8 *out = job->out + i * plane;
      gunichar c = job->chars[i];
      gboolean has = job->field_spread > 0
                       ? zi_render_char_field (font, job->placement, c, job->field_spread, out, &error)
                       : zi_render_char (font, job->placement, c, out, &error);
      if (error != NULL)
        {
          g_mutex_lock (&job->lock);
          if (job->error == NULL)
            job->error = g_steal_pointer (&error);
          g_mutex_unlock (&job->lock);
          return FALSE;
        }
      if (job->covered != NULL)
        job->covered[i] = has;
    }
  g_atomic_int_add (&job->done, (gint) (end - start));
  return TRUE;
}

static gboolean
job_should_stop (RenderJob *job)
{
  gboolean failed;

  g_mutex_lock (&job->lock);
  failed = job->error != NULL;
  g_mutex_unlock (&job->lock);
  return failed || g_cancellable_is_cancelled (job->cancellable);
}

static gpointer
render_thread (gpointer data)
{
  RenderJob *job = data;
  g_autoptr(GError) error = NULL;
  ZiFont *font = zi_font_reopen (job->font, &error);

  if (font == NULL)
    {
      g_mutex_lock (&job->lock);
      if (job->error == NULL)
        job->error = g_steal_pointer (&error);
      g_mutex_unlock (&job->lock);
      return NULL;
    }
  while (!job_should_stop (job) && render_chunk (job, font))
    ;
  zi_font_free (font);
  return NULL;
}

gboolean
zi_render_many (ZiFont *font, const ZiPlacement *p, const gunichar *chars, guint n, guint field_spread,
                guint8 *out, gboolean *covered, guint n_threads, ZiRenderProgress progress,
                gpointer user_data, GCancellable *cancellable, GError **error)
{
  RenderJob job = { 0 };
  g_autoptr(GPtrArray) threads = g_ptr_array_new ();

  g_return_val_if_fail (font != NULL, FALSE);
  g_return_val_if_fail (p != NULL, FALSE);
  g_return_val_if_fail (chars != NULL || n == 0, FALSE);
  g_return_val_if_fail (out != NULL || n == 0, FALSE);
  g_return_val_if_fail (field_spread == 0 || (field_spread >= ZI_FIELD_SPREAD_MIN
                                              && field_spread <= ZI_FIELD_SPREAD_MAX), FALSE);

  if (n_threads == 0)
    n_threads = g_get_num_processors ();
  /* Each extra thread costs a reopened face; below a few chunks each it does not pay. */
  n_threads = MAX (1, MIN (n_threads, (n + RENDER_CHUNK * 4 - 1) / (RENDER_CHUNK * 4)));

  job.font = font;
  job.placement = p;
  job.chars = chars;
  job.n = n;
  job.out = out;
  job.covered = covered;
  job.field_spread = field_spread;
  job.cancellable = cancellable;
  g_mutex_init (&job.lock);

  for (guint t = 1; t < n_threads; t++)
    g_ptr_array_add (threads, g_thread_new ("zi-render", render_thread, &job));

  /* The calling thread works too, with the caller's font, and is the one that reports progress. */
  while (!job_should_stop (&job) && render_chunk (&job, font))
    if (progress != NULL)
      progress ((guint) g_atomic_int_get (&job.done), n, user_data);

  for (guint t = 0; t < threads->len; t++)
    g_thread_join (g_ptr_array_index (threads, t));
  g_mutex_clear (&job.lock);

  if (job.error != NULL)
    {
      g_propagate_error (error, job.error);
      return FALSE;
    }
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return FALSE;
  if (progress != NULL)
    progress (n, n, user_data);
  return TRUE;
}
