/* zi-chart-export.c — the chart as a figure (PNG, SVG: what the chart shows, drawn on white) or as
 * data (CSV: every logged step, one column per series). Files are written atomically. */
#include "config.h"
#include "zi-chart-private.h"

#include "zi-error.h"
#include "zi-fileutil.h"

#include <cairo-svg.h>
#include <glib/gi18n.h>
#include <math.h>

static cairo_status_t
append_bytes_cb (void *closure, const unsigned char *data, unsigned int length)
{
  g_byte_array_append (closure, data, length);
  return CAIRO_STATUS_SUCCESS;
}

/* Exports draw on white with dark text whatever the theme, as figures go into documents. */
static void
draw_for_export (ZiChart *self, cairo_surface_t *surface, int width, int height)
{
  GdkRGBA fg = { 0.1, 0.1, 0.1, 1 }, bg = { 1, 1, 1, 1 };
  cairo_t *cr = cairo_create (surface);

  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_paint (cr);
  _zi_chart_draw (self, cr, width, height, &fg, &bg, FALSE);
  cairo_destroy (cr);
}

gboolean
zi_chart_export_png (ZiChart *self, const char *path, int width, int height, GError **error)
{
  g_autoptr(GByteArray) bytes = g_byte_array_new ();
  cairo_surface_t *surface;
  cairo_status_t status;

  g_return_val_if_fail (ZI_IS_CHART (self), FALSE);
  g_return_val_if_fail (path != NULL && width > 0 && height > 0, FALSE);

  surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, width, height);
  draw_for_export (self, surface, width, height);
  status = cairo_surface_write_to_png_stream (surface, append_bytes_cb, bytes);
  cairo_surface_destroy (surface);
  if (status != CAIRO_STATUS_SUCCESS)
    {
      g_set_error (error, ZI_ERROR, ZI_ERROR_IO, _("Could not encode the chart as PNG for “%s”: %s"),
                   path, cairo_status_to_string (status));
      return FALSE;
    }
  return zi_file_write_atomic (path, bytes->data, bytes->len, error);
}

gboolean
zi_chart_export_svg (ZiChart *self, const char *path, int width, int height, GError **error)
{
  g_autoptr(GByteArray) bytes = g_byte_array_new ();
  cairo_surface_t *surface;
  cairo_status_t status;

  g_return_val_if_fail (ZI_IS_CHART (self), FALSE);
  g_return_val_if_fail (path != NULL && width > 0 && height > 0, FALSE);

  surface = cairo_svg_surface_create_for_stream (append_bytes_cb, bytes, width, height);
  draw_for_export (self, surface, width, height);
  cairo_surface_finish (surface);
  status = cairo_surface_status (surface);
  cairo_surface_destroy (surface);
  if (status != CAIRO_STATUS_SUCCESS)
    {
      g_set_error (error, ZI_ERROR, ZI_ERROR_IO, _("Could not encode the chart as SVG for “%s”: %s"),
                   path, cairo_status_to_string (status));
      return FALSE;
    }
  return zi_file_write_atomic (path, bytes->data, bytes->len, error);
}

static int
compare_doubles (gconstpointer a, gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return (x > y) - (x < y);
}

gboolean
zi_chart_export_csv (ZiChart *self, const char *path, GError **error)
{
  g_autoptr(GString) csv = g_string_new ("step");
  g_autoptr(GArray) steps = g_array_new (FALSE, FALSE, sizeof (double));
  g_autofree guint *cursor = NULL;

  g_return_val_if_fail (ZI_IS_CHART (self), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  /* The union of the logged steps: validation metrics are logged less often than losses. */
  for (guint i = 0; i < self->lines->len; i++)
    {
      Line *line = g_ptr_array_index (self->lines, i);
      for (guint k = 0; k < zi_chart_series_get_length (line->data); k++)
        {
          double s = zi_chart_series_get_x (line->data, ZI_CHART_AXIS_STEPS, k);
          g_array_append_val (steps, s);
        }
      g_string_append_printf (csv, ",%s", line->id);
    }
  g_string_append_c (csv, '\n');
  g_array_sort (steps, compare_doubles);

  cursor = g_new0 (guint, self->lines->len);
  for (guint r = 0; r < steps->len; r++)
    {
      double s = g_array_index (steps, double, r);
      char buf[G_ASCII_DTOSTR_BUF_SIZE];

      if (r > 0 && s == g_array_index (steps, double, r - 1))
        continue;
      g_string_append (csv, g_ascii_dtostr (buf, sizeof buf, s));
      for (guint i = 0; i < self->lines->len; i++)
        {
          Line *line = g_ptr_array_index (self->lines, i);
          guint n = zi_chart_series_get_length (line->data);

          g_string_append_c (csv, ',');
          while (cursor[i] < n && zi_chart_series_get_x (line->data, ZI_CHART_AXIS_STEPS, cursor[i]) < s)
            cursor[i]++;
          if (cursor[i] < n && zi_chart_series_get_x (line->data, ZI_CHART_AXIS_STEPS, cursor[i]) == s)
            {
              double y = zi_chart_series_get_y (line->data, cursor[i]);
              if (isfinite (y))
                g_string_append (csv, g_ascii_formatd (buf, sizeof buf, "%.7g", y));
            }
        }
      g_string_append_c (csv, '\n');
    }
  return zi_file_write_atomic (path, csv->str, csv->len, error);
}
