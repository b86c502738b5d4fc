/* cli-eval.c — `zimaru-cli eval --checkpoint CKPT [--source FONT] [--target FONT] [CHARS] [--json]`:
 * L1, SSIM and ink IoU of the generated glyphs against the target font's, and of the identity
 * baseline (the source glyph as the answer), on [0, 1] images with ink = 1 (zi-metrics.h). CHARS
 * default to the run's validation characters, so `eval` on a run directory measures what training
 * held out. */
#include <inttypes.h>
#include "config.h"
#include "cli-chars.h"
#include "cli-common.h"
#include "zi-dataset.h"
#include "zi-error.h"
#include "zi-font.h"
#include "zi-metrics.h"
#include "zi-model.h"
#include "zi-run.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <stdio.h>

static void
eval_progress_cb (guint64 done, guint64 total, gpointer user_data)
{
  zi_cli_progress_update (user_data, _("Generating"), done, total);
}

/* The run's validation characters, for a checkpoint that belongs to a run. */
static GArray *
run_val_chars (ZiModel *model, GError **error)
{
  const char *run = zi_model_get_run_dir (model);
  ZiRunInfo info;
  GArray *chars;

  if (run == NULL)
    {
      g_set_error (error, ZI_ERROR, ZI_ERROR_INVALID,
                   _("%s is not part of a run directory; give the characters to evaluate (--chars, "
                     "--chars-text or --preset)"), zi_model_get_checkpoint_path (model));
      return NULL;
    }
  if (!zi_run_info_load (run, &info, error))
    return NULL;
  if (info.n_val_chars == 0)
    {
      g_set_error (error, ZI_ERROR, ZI_ERROR_INVALID,
                   _("The run %s has no validation characters (trained with --val-fraction 0); give the "
                     "characters to evaluate"), run);
      zi_run_info_clear (&info);
      return NULL;
    }
  chars = g_array_sized_new (FALSE, FALSE, sizeof (gunichar), info.n_val_chars);
  g_array_append_vals (chars, info.val_chars, info.n_val_chars);
  zi_run_info_clear (&info);
  return chars;
}

int
zi_cli_eval (int argc, char **argv)
{
  g_autofree char *checkpoint = NULL;
  g_autofree char *source_spec = NULL;
  g_autofree char *target_spec = NULL;
  g_autofree char *cache_dir = NULL;
  gboolean json = FALSE, quiet = FALSE;
  const GOptionEntry command_entries[] = {
    { "checkpoint", 0, 0, G_OPTION_ARG_FILENAME, &checkpoint,
      N_("Checkpoint file, or a run directory (its newest checkpoint)"), N_("CKPT") },
    { "source", 0, 0, G_OPTION_ARG_STRING, &source_spec,
      N_("Source font (default: the one the model was trained with)"), N_("FONT") },
    { "target", 0, 0, G_OPTION_ARG_STRING, &target_spec,
      N_("Target font (default: the one the model was trained with)"), N_("FONT") },
    { "cache-dir", 0, 0, G_OPTION_ARG_FILENAME, &cache_dir, N_("Glyph cache (default ~/.cache/zimaru)"), N_("DIR") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print one JSON object"), NULL },
    { "quiet", 'q', 0, G_OPTION_ARG_NONE, &quiet, N_("Show no progress"), NULL },
    { NULL }
  };
  ZiCliChars chars_opts = { 0 };
  g_autofree GOptionEntry *entries = zi_cli_chars_entries (&chars_opts, command_entries);
  g_autoptr(GError) error = NULL;
  g_autoptr(ZiModel) model = NULL;
  g_autoptr(GArray) chars = NULL;
  g_autoptr(ZiDataset) data = NULL;
  g_autofree guint8 *gen = NULL;
  ZiFont *source = NULL, *target = NULL;
  ZiMetrics m, base;
  ZiCliProgress progress;
  int code;

  if (!zi_cli_parse (&argc, &argv, "eval", NULL,
                     _("Measure L1, SSIM and ink IoU of a checkpoint's glyphs against the target font, and "
                       "of the identity baseline. CHARS default to the run's validation characters."),
                     entries, &code))
    goto out;
  code = ZI_EXIT_USAGE;
  if (checkpoint == NULL)
    {
      zi_cli_usage_error (_("--checkpoint CKPT is required (see 'zimaru-cli eval --help')"));
      goto out;
    }
  chars = zi_cli_chars_resolve (&chars_opts, &error);
  if (chars == NULL && error != NULL)
    {
      code = zi_cli_fail (error);
      goto out;
    }

  model = zi_model_load (checkpoint, &error);
  if (model == NULL)
    {
      code = zi_cli_fail (error);
      goto out;
    }
  if (chars == NULL)
    {
      chars = run_val_chars (model, &error);
      if (chars == NULL || !zi_cli_chars_exclude (&chars_opts, chars, &error))
        {
          code = zi_cli_fail (error);
          goto out;
        }
    }
  zi_cli_model_fonts (model, &source_spec, &target_spec);
  source = zi_font_open (source_spec, &error);
  target = source ? zi_font_open (target_spec, &error) : NULL;
  if (target == NULL)
    {
      code = zi_cli_fail (error);
      goto out;
    }
  zi_cli_progress_init (&progress, quiet || json);
  data = zi_dataset_load (source, target, (const gunichar *) chars->data, chars->len,
                          zi_model_get_size (model), zi_model_get_em_fraction (model), cache_dir,
                          NULL, NULL, NULL, &error);
  if (data == NULL)
    {
      code = zi_cli_fail (error);
      goto out;
    }
  gen = g_malloc ((gsize) data->n * data->size * data->size);
  if (!zi_model_generate (model, data->source, data->n, gen, eval_progress_cb, &progress, NULL, &error))
    {
      zi_cli_progress_done (&progress);
      code = zi_cli_fail (error);
      goto out;
    }
  zi_cli_progress_done (&progress);
  zi_metrics_coverage (gen, data->target, data->n, data->size, &m);
  zi_metrics_coverage (data->source, data->target, data->n, data->size, &base);

  if (json)
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();

      json_builder_begin_object (b);
      zi_cli_json_string (b, "checkpoint", zi_model_get_checkpoint_path (model));
      zi_cli_json_int (b, "step", (gint64) zi_model_get_step (model));
      zi_cli_json_int (b, "size", data->size);
      zi_cli_json_int (b, "n", data->n);
      zi_cli_json_metrics (b, "model", &m);
      zi_cli_json_metrics (b, "baseline", &base);
      json_builder_end_object (b);
      zi_cli_json_print (b);
    }
  else
    {
      printf (g_dngettext (GETTEXT_PACKAGE, "%s (step %" PRIu64 "), %u character at %u px:\n",
                           "%s (step %" PRIu64 "), %u characters at %u px:\n", data->n),
              zi_model_get_checkpoint_path (model), zi_model_get_step (model), data->n, data->size);
      printf (_("  model     L1 %.4f  SSIM %.4f  IoU %.4f\n"), m.l1, m.ssim, m.iou);
      printf (_("  baseline  L1 %.4f  SSIM %.4f  IoU %.4f  (source glyph as the answer)\n"),
              base.l1, base.ssim, base.iou);
    }
  if (data->n < chars->len && !quiet)
    fprintf (stderr, g_dngettext (GETTEXT_PACKAGE,
                                  "zimaru-cli: warning: %u of the %u characters is missing from one of the "
                                  "fonts and was not measured\n",
                                  "zimaru-cli: warning: %u of the %u characters are missing from one of the "
                                  "fonts and were not measured\n", chars->len - data->n),
             chars->len - data->n, chars->len);
  code = ZI_EXIT_OK;

out:
  g_clear_pointer (&source, zi_font_free);
  g_clear_pointer (&target, zi_font_free);
  zi_cli_chars_clear (&chars_opts);
  return code;
}
