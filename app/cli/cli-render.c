/* cli-render.c — `zimaru-cli render --font FONT CHARS --size N --out DIR`: writes DIR/uniXXXX.png (8-bit
 * gray, white paper, black ink) with the run placement of that font, so images of two fonts rendered
 * this way have coinciding em boxes. */
#include "config.h"
#include "cli-chars.h"
#include "cli-common.h"
#include "zi-charset.h"
#include "zi-error.h"
#include "zi-font.h"
#include "zi-image.h"
#include "zi-range.h"
#include "zi-render.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <stdio.h>

/* Characters are rendered in batches so that memory stays small at 512 px with thousands of them. */
#define BATCH 256

typedef struct {
  ZiCliProgress *progress;
  guint          offset;
  guint          total;
} RenderProgress;

static void
render_progress_cb (guint done, guint total, gpointer user_data)
{
  RenderProgress *rp = user_data;

  zi_cli_progress_update (rp->progress, _("Rendering"), rp->offset + done, rp->total);
}

int
zi_cli_render (int argc, char **argv)
{
  g_autofree char *font_spec = NULL;
  g_autofree char *out_dir = NULL;
  int size = 64;
  double em_fraction = ZI_DEFAULT_EM_FRACTION;
  gboolean quiet = FALSE;
  int n_threads = 0;
  const GOptionEntry command_entries[] = {
    { "font", 0, 0, G_OPTION_ARG_STRING, &font_spec,
      N_("Font to render (file, file#N or fontconfig pattern)"), N_("FONT") },
    { "size", 0, 0, G_OPTION_ARG_INT, &size, N_("Canvas side in pixels (default 64)"), N_("N") },
    { "out", 0, 0, G_OPTION_ARG_FILENAME, &out_dir, N_("Output directory (created if needed)"), N_("DIR") },
    { "em-fraction", 0, 0, G_OPTION_ARG_DOUBLE, &em_fraction,
      N_("Em size as a fraction of the canvas (default 0.86)"), N_("X") },
    { "threads", 0, 0, G_OPTION_ARG_INT, &n_threads, N_("Rendering threads (default: all cores)"), N_("N") },
    { "quiet", 'q', 0, G_OPTION_ARG_NONE, &quiet, N_("Show no progress"), NULL },
    { NULL }
  };
  ZiCliChars chars_opts = { 0 };
  g_autofree GOptionEntry *entries = zi_cli_chars_entries (&chars_opts, command_entries);
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) chars = NULL;
  g_autoptr(GArray) present = NULL;
  g_autofree guint8 *canvas = NULL;
  ZiCliProgress progress;
  RenderProgress rp;
  ZiPlacement placement;
  ZiFont *font = NULL;
  guint n_missing = 0;
  int code;

  if (!zi_cli_parse (&argc, &argv, "render", NULL,
                     _("Render characters of a font to DIR/uniXXXX.png (u10000.png beyond the BMP): "
                       "8-bit gray, white paper, black ink, the em box placed as in training."),
                     entries, &code))
    goto out;

  code = ZI_EXIT_USAGE;
  if (font_spec == NULL || out_dir == NULL)
    {
      zi_cli_usage_error ("%s", font_spec == NULL ? _("render needs --font FONT") : _("render needs --out DIR"));
      goto out;
    }
  if (!zi_cli_chars_given (&chars_opts))
    {
      zi_cli_usage_error (_("render needs characters: --chars FILE, --chars-text STRING or --preset NAME"));
      goto out;
    }
  if (size < 16 || size > 1024)
    {
      zi_cli_usage_error (_("--size %d is out of range; use 16 to 1024 (64, 128, 256 or 512)"), size);
      goto out;
    }
  if (!zi_in_range (em_fraction, 0.1, 1.0, ZI_RANGE_OPEN_LOW))
    {
      zi_cli_usage_error (_("--em-fraction %g is out of range; use a value above 0.1 and at most 1"), em_fraction);
      goto out;
    }
  if (n_threads < 0)
    {
      zi_cli_usage_error (_("--threads %d is negative; use 0 for all cores"), n_threads);
      goto out;
    }

  chars = zi_cli_chars_resolve (&chars_opts, &error);
  if (chars == NULL)
    {
      code = zi_cli_fail (error);
      goto out;
    }
  font = zi_font_open (font_spec, &error);
  if (font == NULL || !zi_placement_init (&placement, font, (guint) size, em_fraction, &error))
    {
      code = zi_cli_fail (error);
      goto out;
    }

  /* Only characters the font has are written; a font with none of them is the wrong font. */
  present = g_array_new (FALSE, FALSE, sizeof (gunichar));
  for (guint i = 0; i < chars->len; i++)
    {
      gunichar c = g_array_index (chars, gunichar, i);
      if (zi_font_has_char (font, c))
        g_array_append_val (present, c);
      else
        n_missing++;
    }
  if (present->len == 0)
    {
      g_set_error (&error, ZI_ERROR, ZI_ERROR_FONT,
                   g_dngettext (GETTEXT_PACKAGE,
                                "Font “%s” has none of the %u requested character; choose a font that has it",
                                "Font “%s” has none of the %u requested characters; choose a font that has them",
                                chars->len),
                   zi_font_get_path (font), chars->len);
      code = zi_cli_fail (error);
      goto out;
    }

  if (g_mkdir_with_parents (out_dir, 0755) != 0)
    {
      int saved = errno;
      g_set_error (&error, ZI_ERROR, ZI_ERROR_IO, _("Cannot create output directory “%s”: %s"), out_dir,
                   g_strerror (saved));
      code = zi_cli_fail (error);
      goto out;
    }

  zi_cli_progress_init (&progress, quiet);
  rp.progress = &progress;
  rp.total = present->len;
  canvas = g_malloc ((gsize) BATCH * size * size);
  for (guint start = 0; start < present->len; start += BATCH)
    {
      guint n = MIN (BATCH, present->len - start);
      rp.offset = start;
      if (!zi_render_many (font, &placement, &g_array_index (present, gunichar, start), n, 0, canvas,
                           NULL, (guint) n_threads, render_progress_cb, &rp, NULL, &error))
        break;
      for (guint i = 0; i < n && error == NULL; i++)
        {
          g_autofree char *name = zi_glyph_name_for_char (g_array_index (present, gunichar, start + i));
          g_autofree char *file = g_strconcat (name, ".png", NULL);
          g_autofree char *path = g_build_filename (out_dir, file, NULL);
          zi_image_write_png_coverage (path, canvas + (gsize) i * size * size, (guint) size, (guint) size,
                                       &error);
        }
      if (error != NULL)
        break;
    }
  zi_cli_progress_done (&progress);
  if (error != NULL)
    {
      code = zi_cli_fail (error);
      goto out;
    }

  if (n_missing > 0)
    {
      g_autofree char *note = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                            "%u character is not in %s and was skipped",
                                                            "%u characters are not in %s and were skipped",
                                                            n_missing),
                                               n_missing, font_spec);
      fprintf (stderr, "zimaru-cli: note: %s\n", note);
    }
  code = ZI_EXIT_OK;

out:
  zi_font_free (font);
  zi_cli_chars_clear (&chars_opts);
  return code;
}
