/* cli-generate.c — `zimaru-cli generate --checkpoint CKPT [--source FONT] CHARS --out DIR
 * [--format png,svg]`: renders the characters in the source font with the placement the model was
 * trained with, runs the generator, and writes DIR/uniXXXX.png (8-bit gray, white paper, black ink)
 * and/or DIR/uniXXXX.svg (traced as export traces, in the target font's units). A font-ready set with
 * QA and a UFO is `zimaru-cli export`'s job. --style NAME or --weight N choose what a multi-style
 * model draws (cli-style.h); --style all writes each style into DIR/<Style>/. */
#include "config.h"
#include "cli-chars.h"
#include "cli-common.h"
#include "cli-style.h"
#include "zi-charset.h"
#include "zi-error.h"
#include "zi-export.h"
#include "zi-font.h"
#include "zi-image.h"
#include "zi-model.h"
#include "zi-fileutil.h"
#include "zi-render.h"
#include "zi-svg.h"
#include "zi-trace.h"

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

/* Parses --format: a list of png and svg. */
static gboolean
parse_format (const char *format, gboolean *png, gboolean *svg, GError **error)
{
  g_auto(GStrv) parts = g_strsplit (format ? format : "png", ",", -1);

  *png = *svg = FALSE;
  for (guint i = 0; parts[i] != NULL; i++)
    {
      const char *f = g_strstrip (parts[i]);
      if (g_str_equal (f, "png"))
        *png = TRUE;
      else if (g_str_equal (f, "svg"))
        *svg = TRUE;
      else
        {
          if (g_str_equal (f, "ufo"))
            g_set_error (error, ZI_ERROR, ZI_ERROR_INVALID, _("ufo: use zimaru-cli export"));
          else
            g_set_error (error, ZI_ERROR, ZI_ERROR_INVALID, _("unknown --format '%s' (use png, svg or both)"), f);
          return FALSE;
        }
    }
  if (!*png && !*svg)
    {
      g_set_error (error, ZI_ERROR, ZI_ERROR_INVALID, _("--format is empty (use png, svg or both)"));
      return FALSE;
    }
  return TRUE;
}

/* The tracing side of --format svg: generated glyphs are placed like the target font, so they are
 * traced with its placement and framed by its em box. */
typedef struct {
  ZiFont       *font;
  ZiPlacement   placement;
  ZiSvgFrame    frame;
  ZiTraceParams params;
  guint         field_spread;  /* the model's: what it draws (zi_export_trace_generated) */
} SvgWriter;

static gboolean
svg_writer_init (SvgWriter *w, const char *target_spec, guint size, double em_fraction, guint field_spread,
                 GError **error)
{
  ZiFontMetrics metrics;

  w->font = zi_font_open (target_spec, error);
  if (w->font == NULL || !zi_placement_init (&w->placement, w->font, size, em_fraction, error))
    return FALSE;
  zi_font_get_metrics (w->font, &metrics);
  zi_svg_frame_init (&w->frame, &metrics);
  zi_trace_params_init (&w->params, ZI_TRACE_PRESET_ROUND);
  w->field_spread = field_spread;
  return TRUE;
}

static gboolean
svg_write (SvgWriter *w, const char *path, const guint8 *raw, guint size, gunichar c, GError **error)
{
  g_autoptr(ZiOutline) outline = zi_export_trace_generated (raw, w->field_spread, size, &w->placement,
                                                            &w->params, error);
  g_autofree char *doc = NULL;

  if (outline == NULL)
    return FALSE;
  doc = zi_svg_document (outline, &w->frame, c);
  return zi_file_write_atomic (path, doc, strlen (doc), error);
}

/* The style folder of --style all: the style's name, without what a file name cannot hold. */
static char *
style_dir (const char *out_dir, const char *style)
{
  g_autofree char *safe = g_strdup (style);

  g_strdelimit (safe, "/\\", '_');
  if (safe[0] == '.')
    safe[0] = '_';
  return g_build_filename (out_dir, safe, NULL);
}

/* Generates the rendered sources src (covered[i]: the source font has chars[i]) with model as it is
 * set, and writes them into dir; written collects the files. */
static gboolean
generate_into (ZiModel *model, const char *dir, GArray *chars, const guint8 *src, const gboolean *covered,
               gboolean want_png, SvgWriter *svg, gboolean quiet, GPtrArray *written, GError **error)
{
  guint size = zi_model_get_size (model);
  gsize pixels = (gsize) size * size;
  g_autofree guint8 *raw = g_malloc ((gsize) chars->len * pixels);
  g_autofree guint8 *gen = g_malloc ((gsize) chars->len * pixels);
  ZiCliProgress progress;
  gboolean ok;

  zi_cli_progress_init (&progress, quiet);
  ok = zi_model_generate_raw (model, src, chars->len, raw, generate_progress_cb, &progress, NULL, error);
  zi_cli_progress_done (&progress);
  if (!ok)
    return FALSE;
  zi_model_raw_to_coverage (model, raw, gen, chars->len);

  if (g_mkdir_with_parents (dir, 0755) != 0)
    {
      int saved = errno;
      g_set_error (error, ZI_ERROR, ZI_ERROR_IO, _("Cannot create the output directory %s: %s"),
                   dir, g_strerror (saved));
      return FALSE;
    }
  for (guint i = 0; i < chars->len; i++)
    {
      gunichar c = g_array_index (chars, gunichar, i);
      g_autofree char *name = NULL;
      const guint8 *glyph = gen + (gsize) i * pixels;

      if (!covered[i])
        continue;
      name = zi_glyph_name_for_char (c);
      for (int kind = 0; kind < 2; kind++)
        {
          char *path;

          if ((kind == 0 && !want_png) || (kind == 1 && svg == NULL))
            continue;
          path = g_strdup_printf ("%s%s%s.%s", dir, G_DIR_SEPARATOR_S, name, kind == 0 ? "png" : "svg");
          if (!(kind == 0 ? zi_image_write_png_coverage (path, glyph, size, size, error)
                          : svg_write (svg, path, raw + (gsize) i * pixels, size, c, error)))
            {
              g_free (path);
              return FALSE;
            }
          g_ptr_array_add (written, path);
        }
    }
  return TRUE;
}

int
zi_cli_generate (int argc, char **argv)
{
  g_autofree char *checkpoint = NULL;
  g_autofree char *source_spec = NULL;
  g_autofree char *target_spec = NULL;
  g_autofree char *out_dir = NULL;
  g_autofree char *format = NULL;
  gboolean quiet = FALSE;
  ZiCliStyle style_opts;
  const GOptionEntry command_entries[] = {
    { "checkpoint", 0, 0, G_OPTION_ARG_FILENAME, &checkpoint,
      N_("Checkpoint file, or a run directory (its newest checkpoint)"), N_("CKPT") },
    { "source", 0, 0, G_OPTION_ARG_STRING, &source_spec,
      N_("Source font (default: the one the model was trained with)"), N_("FONT") },
    { "target", 0, 0, G_OPTION_ARG_STRING, &target_spec,
      N_("Target font whose units and em box the SVGs use (default: the one the model was trained with)"), N_("FONT") },
    { "out", 0, 0, G_OPTION_ARG_FILENAME, &out_dir, N_("Output directory (created if needed)"), N_("DIR") },
    { "format", 0, 0, G_OPTION_ARG_STRING, &format, N_("png, svg or png,svg (default png)"), N_("LIST") },
    { "quiet", 'q', 0, G_OPTION_ARG_NONE, &quiet, N_("Show no progress"), NULL },
    ZI_CLI_STYLE_ENTRIES (&style_opts),
    { NULL }
  };
  ZiCliChars chars_opts = { 0 };
  g_autofree GOptionEntry *entries = zi_cli_chars_entries (&chars_opts, command_entries);
  g_autoptr(GError) error = NULL;
  g_autoptr(ZiModel) model = NULL;
  g_autoptr(GArray) chars = NULL;
  g_autoptr(GPtrArray) written = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GArray) selections = NULL;
  g_autofree guint8 *src = NULL;
  g_autofree gboolean *covered = NULL;
  ZiFont *font = NULL;
  gboolean want_png, want_svg;
  ZiPlacement placement;
  guint size, n_missing = 0;
  gsize pixels;
  int code;

  zi_cli_style_init (&style_opts);
  if (!zi_cli_parse (&argc, &argv, "generate", NULL,
                     _("Generate glyph images of CHARS from a checkpoint into DIR/uniXXXX.png."),
                     entries, &code))
    goto out;
  code = ZI_EXIT_USAGE;
  if (checkpoint == NULL || out_dir == NULL || !zi_cli_chars_given (&chars_opts))
    {
      zi_cli_usage_error (_("--checkpoint, CHARS (--chars, --chars-text or --preset) and --out are required"));
      goto out;
    }
  if (!zi_cli_style_check (&style_opts, TRUE))
    goto out;
  if (!parse_format (format, &want_png, &want_svg, &error))
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
  selections = zi_cli_style_resolve (&style_opts, model, &error);
  if (selections == NULL)
    {
      code = zi_cli_fail (error);
      goto out;
    }
  zi_cli_model_fonts (model, &source_spec, NULL);
  font = zi_font_open (source_spec, &error);
  size = zi_model_get_size (model);
  if (font == NULL || !zi_placement_init (&placement, font, size, zi_model_get_em_fraction (model), &error))
    {
      code = zi_cli_fail (error);
      goto out;
    }

  pixels = (gsize) size * size;
  src = g_malloc ((gsize) chars->len * pixels);
  covered = g_new0 (gboolean, chars->len);
  if (!zi_render_many (font, &placement, (const gunichar *) chars->data, chars->len, 0, src, covered, 0,
                       NULL, NULL, NULL, &error))
    {
      code = zi_cli_fail (error);
      goto out;
    }
  for (guint i = 0; i < chars->len; i++)
    n_missing += !covered[i];

  for (guint k = 0; k < selections->len; k++)
    {
      const ZiCliSelection *sel = &g_array_index (selections, ZiCliSelection, k);
      g_autofree char *dir = zi_cli_style_is_all (&style_opts) ? style_dir (out_dir, sel->name)
                                                                : g_strdup (out_dir);
      SvgWriter svg = { 0 };
      gboolean ok;

      /* The SVGs take the units and em box of the style's own target font unless --target says. */
      ok = zi_cli_style_apply (model, sel, &error)
           && (!want_svg
               || svg_writer_init (&svg, target_spec != NULL ? target_spec : zi_cli_style_font (model, sel),
                                   size, zi_model_get_em_fraction (model),
                                   zi_model_get_field_spread (model), &error))
           && generate_into (model, dir, chars, src, covered, want_png, want_svg ? &svg : NULL, quiet,
                             written, &error);
      g_clear_pointer (&svg.font, zi_font_free);
      if (!ok)
        {
          /* No partial output: remove what this run wrote before the failure. */
          for (guint w = 0; w < written->len; w++)
            g_unlink (g_ptr_array_index (written, w));
          code = zi_cli_fail (error);
          goto out;
        }
    }
  if (n_missing > 0 && !quiet)
    fprintf (stderr, g_dngettext (GETTEXT_PACKAGE,
                                  "zimaru-cli: warning: the source font %s lacks %u of the %u characters; it "
                                  "was skipped\n",
                                  "zimaru-cli: warning: the source font %s lacks %u of the %u characters; they "
                                  "were skipped\n", n_missing),
             zi_font_get_path (font), n_missing, chars->len);
  code = ZI_EXIT_OK;

out:
  g_clear_pointer (&font, zi_font_free);
  zi_cli_chars_clear (&chars_opts);
  zi_cli_style_clear (&style_opts);
  return code;
}
