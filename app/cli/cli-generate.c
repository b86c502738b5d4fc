/* cli-generate.c — `zimaru-cli generate --checkpoint CKPT [--source FONT] CHARS --out DIR
 * [--format png]`: renders the characters in the source font with the placement the model was trained
 * with, runs the generator, and writes DIR/uniXXXX.png (8-bit gray, white paper, black ink).
 * Font-ready SVG and UFO output is `zimaru-cli export`'s job. */
#include "config.h"
#include "cli-chars.h"
#include "cli-common.h"
#include "zi-charset.h"
#include "zi-error.h"
#include "zi-font.h"
#include "zi-image.h"
#include "zi-model.h"
#include "zi-render.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <stdio.h>
#include <string.h>

static void
generate_progress_cb (guint64 done, guint64 total, gpointer user_data)
{
  zi_cli_progress_update (user_data, _("Generating"), done, total);
}

/* Checks --format: png only here. */
static gboolean
check_format (const char *format, GError **error)
{
  g_auto(GStrv) parts = g_strsplit (format ? format : "png", ",", -1);

  for (guint i = 0; parts[i] != NULL; i++)
    {
      const char *f = g_strstrip (parts[i]);
      if (g_str_equal (f, "png"))
        continue;
      if (g_str_equal (f, "svg") || g_str_equal (f, "ufo"))
        g_set_error (error, ZI_ERROR, ZI_ERROR_INVALID, _("%s: use zimaru-cli export"), f);
      else
        g_set_error (error, ZI_ERROR, ZI_ERROR_INVALID, _("unknown --format '%s' (generate writes png)"), f);
      return FALSE;
    }
  return TRUE;
}

int
zi_cli_generate (int argc, char **argv)
{
  g_autofree char *checkpoint = NULL;
  g_autofree char *source_spec = NULL;
  g_autofree char *out_dir = NULL;
  g_autofree char *format = NULL;
  gboolean quiet = FALSE;
  const GOptionEntry command_entries[] = {
    { "checkpoint", 0, 0, G_OPTION_ARG_FILENAME, &checkpoint,
      N_("Checkpoint file, or a run directory (its newest checkpoint)"), N_("CKPT") },
    { "source", 0, 0, G_OPTION_ARG_STRING, &source_spec,
      N_("Source font (default: the one the model was trained with)"), N_("FONT") },
    { "out", 0, 0, G_OPTION_ARG_FILENAME, &out_dir, N_("Output directory (created if needed)"), N_("DIR") },
    { "format", 0, 0, G_OPTION_ARG_STRING, &format, N_("Output format: png (default)"), N_("LIST") },
    { "quiet", 'q', 0, G_OPTION_ARG_NONE, &quiet, N_("Show no progress"), NULL },
    { NULL }
  };
  ZiCliChars chars_opts = { 0 };
  g_autofree GOptionEntry *entries = zi_cli_chars_entries (&chars_opts, command_entries);
  g_autoptr(GError) error = NULL;
  g_autoptr(ZiModel) model = NULL;
  g_autoptr(GArray) chars = NULL;
  g_autoptr(GPtrArray) written = g_ptr_array_new_with_free_func (g_free);
  g_autofree guint8 *src = NULL;
  g_autofree guint8 *gen = NULL;
  g_autofree gboolean *covered = NULL;
  ZiFont *font = NULL;
  ZiPlacement placement;
  ZiCliProgress progress;
  guint size, n_missing = 0;
  gsize pixels;
  int code;

  if (!zi_cli_parse (&argc, &argv, "generate", NULL,
                     _("Generate glyph images of CHARS from a checkpoint into DIR/uniXXXX.png."),
                     entries, &code))
    goto out;
  code = ZI_EXIT_USAGE;
  if (argc > 1)
    {
      zi_cli_usage_error (_("unexpected argument '%s' (see 'zimaru-cli generate --help')"), argv[1]);
      goto out;
    }
  if (checkpoint == NULL || out_dir == NULL || !zi_cli_chars_given (&chars_opts))
    {
      zi_cli_usage_error (_("--checkpoint, CHARS (--chars, --chars-text or --preset) and --out are required"));
      goto out;
    }
  if (!check_format (format, &error))
    {
      code = zi_cli_fail (error);
      goto out;
    }
  chars = zi_cli_chars_resolve (&chars_opts, &error);
  if (chars == NULL)
    {
      code = zi_cli_fail (error);
      goto out;
    }

  code = ZI_EXIT_FAILED;
  model = zi_model_load (checkpoint, &error);
  if (model == NULL)
    {
      code = zi_cli_fail (error);
      goto out;
    }
  if (source_spec == NULL)
    source_spec = g_strdup (zi_model_get_source_font (model) ? zi_model_get_source_font (model)
                                                             : "Noto Sans CJK TC");
  font = zi_font_open (source_spec, &error);
  size = zi_model_get_size (model);
  if (font == NULL || !zi_placement_init (&placement, font, size, zi_model_get_em_fraction (model), &error))
    {
      code = zi_cli_fail (error);
      goto out;
    }

  pixels = (gsize) size * size;
  src = g_malloc ((gsize) chars->len * pixels);
  gen = g_malloc ((gsize) chars->len * pixels);
  covered = g_new0 (gboolean, chars->len);
  if (!zi_render_many (font, &placement, (const gunichar *) chars->data, chars->len, src, covered, 0,
                       NULL, NULL, NULL, &error))
    {
      code = zi_cli_fail (error);
      goto out;
    }
  zi_cli_progress_init (&progress, quiet);
  if (!zi_model_generate (model, src, chars->len, gen, generate_progress_cb, &progress, NULL, &error))
    {
      zi_cli_progress_done (&progress);
      code = zi_cli_fail (error);
      goto out;
    }
  zi_cli_progress_done (&progress);

  if (g_mkdir_with_parents (out_dir, 0755) != 0)
    {
      int saved = errno;
      g_set_error (&error, ZI_ERROR, ZI_ERROR_IO, _("Cannot create the output directory %s: %s"),
                   out_dir, g_strerror (saved));
      code = zi_cli_fail (error);
      goto out;
    }
  for (guint i = 0; i < chars->len; i++)
    {
      gunichar c = g_array_index (chars, gunichar, i);
      g_autofree char *name = NULL;
      g_autofree char *file = NULL;
      char *path;

      if (!covered[i])
        {
          n_missing++;
          continue;
        }
      name = zi_glyph_name_for_char (c);
      file = g_strconcat (name, ".png", NULL);
      path = g_build_filename (out_dir, file, NULL);
      if (!zi_image_write_png_coverage (path, gen + (gsize) i * pixels, size, size, &error))
        {
          /* No partial output: remove what this run wrote before the failure. */
          for (guint k = 0; k < written->len; k++)
            g_unlink (g_ptr_array_index (written, k));
          g_free (path);
          code = zi_cli_fail (error);
          goto out;
        }
      g_ptr_array_add (written, path);
    }
  if (n_missing > 0 && !quiet)
    fprintf (stderr, _("zimaru-cli: warning: the source font %s lacks %u of the %u characters; they were skipped\n"),
             zi_font_get_path (font), n_missing, chars->len);
  code = ZI_EXIT_OK;

out:
  g_clear_pointer (&font, zi_font_free);
  zi_cli_chars_clear (&chars_opts);
  return code;
}
