/* cli-export.c — `zimaru-cli export --checkpoint CKPT [--source F] [CHARS] --out DIR --format
 * png,svg,ufo [...]`: the font-ready set of zi-export.h (PNG, traced SVG, UFO 3, manifest.json),
 * written atomically into DIR. Default CHARS: the CJK ideographs the source font has and the target
 * lacks. --picks RUN takes each picked glyph from its chosen checkpoint; --render-font traces a
 * font's own glyphs instead of generating them (to check the tracer on known shapes). --style NAME or
 * --weight N export one style of a multi-style model (cli-style.h) as Zimaru-<Family>-<Style>.ufo;
 * --style all exports the family: one folder per style and a designspace (zi_export_family_run). */
#include "config.h"
#include "cli-chars.h"
#include "cli-common.h"
#include "cli-style.h"
#include "cli-trace.h"
#include "zi-charset.h"
#include "zi-error.h"
#include "zi-export.h"
#include "zi-font.h"
#include "zi-model.h"
#include "zi-picks.h"
#include "zi-render.h"
#include "zi-run.h"

#include <glib/gi18n.h>
#include <glib-unix.h>
#include <signal.h>
#include <stdio.h>

typedef struct {
  char     *checkpoint;
  char     *picks_run;
  char     *render_font;
  char     *source;
  char     *target;
  char     *out_dir;
  char     *formats;
  char     *family_suffix;
  int       threshold;
  int       upsample;
  int       size;
  int       png_size;
  int       threads;
  gboolean  png_1bit;
  gboolean  force;
  gboolean  quiet;
  gboolean  json;
  ZiCliStyle style;
  ZiCliTrace trace;
} ExportArgs;

static void
export_args_clear (ExportArgs *a)
{
  g_free (a->checkpoint);
  g_free (a->picks_run);
  g_free (a->render_font);
  g_free (a->source);
  g_free (a->target);
  g_free (a->out_dir);
  g_free (a->formats);
  zi_cli_trace_clear (&a->trace);
  g_free (a->family_suffix);
  zi_cli_style_clear (&a->style);
}

static void
progress_cb (guint64 done, guint64 total, gpointer user_data)
{
  zi_cli_progress_update (user_data, _("Exporting"), done, total);
}

/* The checkpoint of a --picks run when --checkpoint is not given: the best one by validation SSIM
 * if it still exists, else the newest. */
static char *
default_run_checkpoint (const char *run_dir, GError **error)
{
  guint64 best;

  if (zi_run_best_load (run_dir, &best, NULL))
    {
      g_autofree char *path = zi_run_checkpoint_path (run_dir, best);

      if (g_file_test (path, G_FILE_TEST_IS_REGULAR))
        return g_steal_pointer (&path);
    }
  return zi_run_newest_checkpoint (run_dir, error);
}

/* The checkpoint to export: --checkpoint, or the --picks run's best or newest. */
static char *
export_checkpoint (ExportArgs *a, GError **error)
{
  return a->checkpoint != NULL ? g_strdup (a->checkpoint) : default_run_checkpoint (a->picks_run, error);
}

/* Builds the bitmap source of selection sel (NULL: the model as loaded) and opens its target font
 * (--target, else the style's own, else the model's) into *target_out; fills *source_font_out
 * (borrowed: owned by the source) for the default charset. */
static ZiExportSource *
make_source (ExportArgs *a, const ZiCliSelection *sel, ZiFont **source_font_out, ZiFont **target_out,
             GError **error)
{
  g_autoptr(ZiModel) model = NULL;
  g_autofree char *ckpt = NULL;
  ZiFont *font;

  if (a->render_font != NULL)
    {
      font = zi_font_open (a->render_font, error);
      if (font == NULL)
        return NULL;
      *source_font_out = font;
      *target_out = zi_font_open (a->target ? a->target : ZI_DEFAULT_TARGET_FONT, error);
      if (*target_out == NULL)
        {
          zi_font_free (font);
          return NULL;
        }
      return zi_export_source_new_font (font, (guint) a->size, ZI_DEFAULT_EM_FRACTION, error);
    }

  ckpt = export_checkpoint (a, error);
  if (ckpt == NULL)
    return NULL;
  model = zi_model_load (ckpt, error);
  if (model == NULL || (sel != NULL && !zi_cli_style_apply (model, sel, error)))
    return NULL;
  /* The fonts the model was trained on, unless told otherwise. */
  zi_cli_model_fonts (model, &a->source, NULL);
  *target_out = zi_font_open (a->target != NULL ? a->target
                              : sel != NULL ? zi_cli_style_font (model, sel)
                              : zi_model_get_target_font (model) != NULL ? zi_model_get_target_font (model)
                              : ZI_DEFAULT_TARGET_FONT, error);
  if (*target_out == NULL)
    return NULL;
  font = zi_font_open (a->source, error);
  if (font == NULL)
    {
      g_clear_pointer (target_out, zi_font_free);
      return NULL;
    }
  *source_font_out = font;

  if (a->picks_run != NULL)
    {
      ZiPicks *picks = zi_picks_load (a->picks_run, error);

      if (picks == NULL)
        {
          zi_font_free (font);
          g_clear_pointer (target_out, zi_font_free);
          return NULL;
        }
      /* Each style has picks of its own; those from before styles belong to the first. */
      if (sel != NULL)
        zi_picks_select_style (picks, sel->name, sel->style == 0);
      return zi_export_source_new_picks (g_steal_pointer (&model), font, picks, a->picks_run, error);
    }
  return zi_export_source_new_model (g_steal_pointer (&model), font, error);
}

static gboolean
check_args (ExportArgs *a, ZiExportOptions *options)
{
  if (a->out_dir == NULL)
    {
      zi_cli_usage_error (_("export needs --out DIR"));
      return FALSE;
    }
  if (a->checkpoint == NULL && a->picks_run == NULL && a->render_font == NULL)
    {
      zi_cli_usage_error (_("export needs --checkpoint CKPT (a checkpoint file or a run directory), "
                            "or --picks RUN"));
      return FALSE;
    }
  if (a->render_font != NULL && (a->checkpoint != NULL || a->picks_run != NULL))
    {
      zi_cli_usage_error (_("--render-font cannot be combined with --checkpoint or --picks"));
      return FALSE;
    }
  if (!zi_cli_style_check (&a->style, TRUE))
    return FALSE;
  if (a->render_font != NULL && zi_cli_style_given (&a->style))
    {
      zi_cli_usage_error (_("--style and --weight choose what a model draws; they do not go with "
                            "--render-font"));
      return FALSE;
    }
  if (a->formats != NULL && !zi_export_formats_from_string (a->formats, &options->formats))
    {
      zi_cli_usage_error (_("--format '%s' is not a list of png, svg, ufo (e.g. png,svg,ufo)"), a->formats);
      return FALSE;
    }
  if (!zi_cli_trace_params (&a->trace, &options->trace))
    return FALSE;
  if (a->threshold < 1 || a->threshold > 255)
    {
      zi_cli_usage_error (_("--threshold %d is out of range; use 1 to 255"), a->threshold);
      return FALSE;
    }
  if (a->upsample < 1 || a->upsample > 8)
    {
      zi_cli_usage_error (_("--upsample %d is out of range; use 1 to 8"), a->upsample);
      return FALSE;
    }
  if (a->size < 16 || a->size > 1024)
    {
      zi_cli_usage_error (_("--size %d is out of range; use 16 to 1024"), a->size);
      return FALSE;
    }
  if (a->png_size != 0 && (a->png_size < 16 || a->png_size > 1024))
    {
      zi_cli_usage_error (_("--png-size %d is out of range; use 16 to 1024 (or 0 for the model's size)"),
                          a->png_size);
      return FALSE;
    }
  if (a->threads < 0)
    {
      zi_cli_usage_error (_("--threads %d is negative; use 0 for all cores"), a->threads);
      return FALSE;
    }
  options->trace.threshold = (guint8) a->threshold;
  options->trace.upsample = (guint) a->upsample;
  options->png_1bit = a->png_1bit;
  options->png_size = (guint) a->png_size;
  options->force = a->force;
  options->family_suffix = a->family_suffix;
  options->n_threads = (guint) a->threads;
  return TRUE;
}

typedef struct {
  GMainLoop        *loop;
  GCancellable     *cancellable;
  ZiExportSummary  *summary;
  GError          **error;
  gboolean          ok;
} ExportRun;

static gboolean
cancel_cb (gpointer user_data)
{
  g_cancellable_cancel (user_data);
  return G_SOURCE_CONTINUE;
}

static void
export_done_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  ExportRun *run = user_data;

  run->ok = zi_export_run_finish (result, run->summary, run->error);
  g_main_loop_quit (run->loop);
}

static void
print_result (ExportArgs *a, const ZiExportSummary *s)
{
  if (a->json)
    {
      g_autofree char *escaped = g_strescape (a->out_dir, NULL);

      printf ("{\"out\": \"%s\", \"exported\": %u, \"skipped\": %u, \"flagged\": %u, \"compatible\": %u, "
              "\"seconds\": %.3f}\n",
              escaped, s->exported, s->skipped, s->flagged, s->compatible, s->seconds);
      return;
    }
  printf (g_dngettext (GETTEXT_PACKAGE, "Exported %u glyph to %s in %.1f s",
                       "Exported %u glyphs to %s in %.1f s", s->exported),
          s->exported, a->out_dir, s->seconds);
  if (s->flagged > 0)
    printf (_("; %u flagged for review (see manifest.json)"), s->flagged);
  if (s->skipped > 0)
    printf (_("; %u skipped (not in the source font)"), s->skipped);
  /* Only a family export draws glyphs compatible across its styles. */
  if (s->compatible > 0)
    printf (_("; %u interpolation-compatible in every style (the variable designspace builds them)"),
            s->compatible);
  printf ("\n");
}

int
zi_cli_export (int argc, char **argv)
{
  ExportArgs a = { .threshold = 128, .upsample = 4, .size = 64 };
  const GOptionEntry command_entries[] = {
    { "checkpoint", 0, 0, G_OPTION_ARG_FILENAME, &a.checkpoint,
      N_("Checkpoint file, or a run directory (its newest checkpoint)"), N_("CKPT") },
    { "picks", 0, 0, G_OPTION_ARG_FILENAME, &a.picks_run,
      N_("Take each glyph picked in RUN/picks.json from its checkpoint (the others from --checkpoint, "
         "default the run's best or newest)"), N_("RUN") },
    { "source", 0, 0, G_OPTION_ARG_STRING, &a.source,
      N_("Source font (default: the one the model was trained on)"), N_("FONT") },
    { "target", 0, 0, G_OPTION_ARG_STRING, &a.target,
      N_("Target font for metrics, advance and names (default: the model's)"), N_("FONT") },
    { "out", 0, 0, G_OPTION_ARG_FILENAME, &a.out_dir,
      N_("Output directory (must not exist unless --force; its parent must)"), N_("DIR") },
    { "format", 0, 0, G_OPTION_ARG_STRING, &a.formats,
      N_("Comma-separated formats: png, svg, ufo (default all three)"), N_("LIST") },
    ZI_CLI_TRACE_ENTRIES (&a.trace),
    { "threshold", 0, 0, G_OPTION_ARG_INT, &a.threshold,
      N_("Coverage counted as ink when tracing, 1–255 (default 128)"), N_("N") },
    { "upsample", 0, 0, G_OPTION_ARG_INT, &a.upsample,
      N_("Upsample bitmaps this many times before tracing, 1–8 (default 4)"), N_("N") },
    { "png-size", 0, 0, G_OPTION_ARG_INT, &a.png_size,
      N_("Side of the PNG files in pixels (default: the model's size)"), N_("N") },
    { "png-1bit", 0, 0, G_OPTION_ARG_NONE, &a.png_1bit,
      N_("Write black-and-white PNGs thresholded like the tracing"), NULL },
    { "family-suffix", 0, 0, G_OPTION_ARG_STRING, &a.family_suffix,
      N_("UFO family name suffix after the target family (default Zimaru)"), N_("TEXT") },
    { "render-font", 0, 0, G_OPTION_ARG_STRING, &a.render_font,
      N_("Trace the glyphs of this font instead of generating them"), N_("FONT") },
    { "size", 0, 0, G_OPTION_ARG_INT, &a.size,
      N_("Canvas size with --render-font (default 64)"), N_("N") },
    { "threads", 0, 0, G_OPTION_ARG_INT, &a.threads, N_("Tracing threads (default: all cores)"), N_("N") },
    { "force", 0, 0, G_OPTION_ARG_NONE, &a.force, N_("Replace an existing output directory"), NULL },
    { "quiet", 'q', 0, G_OPTION_ARG_NONE, &a.quiet, N_("Show no progress"), NULL },
    { "json", 0, 0, G_OPTION_ARG_NONE, &a.json, N_("Print the result as one JSON object"), NULL },
    ZI_CLI_STYLE_ENTRIES (&a.style),
    { NULL }
  };
  ZiCliChars chars_opts = { 0 };
  g_autofree GOptionEntry *entries = zi_cli_chars_entries (&chars_opts, command_entries);
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) chars = NULL;
  g_autoptr(ZiExportSource) source = NULL;
  g_autoptr(GArray) selections = NULL;
  ZiFont *source_font = NULL;
  ZiFont *target = NULL;
  ZiExportOptions options;
  ZiExportSummary summary = { 0 };
  ZiCliProgress progress;
  ExportRun run = { 0 };
  ZiExportStyle *family = NULL;
  guint n_family = 0;
  guint sigint, sigterm;
  int code;

  zi_cli_style_init (&a.style);
  zi_cli_trace_init (&a.trace);
  zi_export_options_init (&options);
  if (!zi_cli_parse (&argc, &argv, "export", NULL,
                     _("Write generated glyphs as a font-ready set in DIR: png/uniXXXX.png, svg/uniXXXX.svg "
                       "(traced with potrace, in font units), Zimaru-<Family>.ufo (UFO 3, builds with "
                       "fontmake) and manifest.json (checkpoints, parameters, per-glyph QA flags). "
                       "Default characters: the CJK ideographs the source font has and the target lacks."),
                     entries, &code))
    goto out;
  code = ZI_EXIT_USAGE;
  if (!check_args (&a, &options))
    goto out;

  chars = zi_cli_chars_resolve (&chars_opts, &error);
  if (chars == NULL && error != NULL)
    goto fail;
  if (zi_cli_style_given (&a.style))
    {
      /* The model once, to check the choice against its styles before any work. */
      g_autofree char *ckpt = export_checkpoint (&a, &error);
      g_autoptr(ZiModel) model = ckpt != NULL ? zi_model_load (ckpt, &error) : NULL;

      if (model == NULL || (selections = zi_cli_style_resolve (&a.style, model, &error)) == NULL)
        goto fail;
    }
  if (zi_cli_style_is_all (&a.style))
    {
      /* Every style's source and target; the first style's fonts give the default charset. */
      n_family = selections->len;
      family = g_new0 (ZiExportStyle, n_family);
      for (guint k = 0; k < n_family; k++)
        {
          const ZiCliSelection *sel = &g_array_index (selections, ZiCliSelection, k);
          ZiFont *font = NULL;

          family[k].name = g_strdup (sel->name);
          family[k].weight_class = (guint) sel->weight;
          family[k].source = make_source (&a, sel, &font, &family[k].target, &error);
          if (family[k].source == NULL)
            goto fail;
          if (k == 0)
            {
              source_font = font;
              target = family[0].target;
            }
        }
    }
  else
    {
      const ZiCliSelection *sel = selections != NULL ? &g_array_index (selections, ZiCliSelection, 0) : NULL;

      source = make_source (&a, sel, &source_font, &target, &error);
      if (source == NULL)
        goto fail;
      if (sel != NULL)
        {
          options.style_name = sel->name;
          options.weight_class = (guint) CLAMP (sel->weight, 1.0, 1000.0);
        }
    }
  if (chars == NULL)
    {
      chars = zi_charset_compute (source_font, target, ZI_CHARSET_MISSING, ZI_BLOCK_CJK);
      if (!zi_cli_chars_exclude (&chars_opts, chars, &error))
        goto fail;
    }

  /* The export runs on a worker thread while this one waits in a main loop, so that Ctrl+C or a
   * TERM signal cancels it cleanly (the temporary directory is removed) instead of killing it. */
  zi_cli_progress_init (&progress, a.quiet);
  run.loop = g_main_loop_new (NULL, FALSE);
  run.cancellable = g_cancellable_new ();
  run.summary = &summary;
  run.error = &error;
  sigint = g_unix_signal_add (SIGINT, cancel_cb, run.cancellable);
  sigterm = g_unix_signal_add (SIGTERM, cancel_cb, run.cancellable);
  if (family != NULL)
    {
      target = NULL;  /* the first style's, which the family run takes with the others */
      zi_export_family_run_async (g_steal_pointer (&family), n_family, (gunichar *) chars->data,
                                  chars->len, a.out_dir, &options, progress_cb, &progress,
                                  run.cancellable, export_done_cb, &run);
    }
  else
    zi_export_run_async (g_steal_pointer (&source), g_steal_pointer (&target), (gunichar *) chars->data,
                         chars->len, a.out_dir, &options, progress_cb, &progress, run.cancellable,
                         export_done_cb, &run);
  g_main_loop_run (run.loop);
  g_source_remove (sigint);
  g_source_remove (sigterm);
  g_main_loop_unref (run.loop);
  g_object_unref (run.cancellable);
  zi_cli_progress_done (&progress);
  if (!run.ok)
    goto fail;
  print_result (&a, &summary);
  code = ZI_EXIT_OK;
  goto out;

fail:
  code = zi_cli_fail (error);
  if (family != NULL)
    target = NULL;  /* owned by family[0] */
out:
  zi_export_styles_free (family, n_family);
  zi_font_free (target);
  zi_cli_chars_clear (&chars_opts);
  export_args_clear (&a);
  return code;
}
