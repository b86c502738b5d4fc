/* cli-lrfind.c — `zimaru-cli lr-find [--source FONT] [--target FONT] [CHARS] [model options]
 * [--min X] [--max X] [--steps N] [--out FILE] [--json]`: the learning-rate range test of zi-lrfind.h
 * on a throw-away model; prints the suggested rate, and the whole curve as JSON (--json on stdout,
 * --out to a file). */
#include "config.h"
#include "cli-chars.h"
#include "cli-common.h"
#include "zi-charset.h"
#include "zi-dataset.h"
#include "zi-error.h"
#include "zi-fileutil.h"
#include "zi-font.h"
#include "zi-lrfind.h"
#include "zi-trainer.h"
#include "nn-blas.h"

#include <glib/gi18n.h>
#include <stdio.h>
#include <string.h>

static void
lrfind_progress_cb (guint64 done, guint64 total, gpointer user_data)
{
  zi_cli_progress_update (user_data, _("Learning-rate test, step"), done, total);
}

static void
loading_progress_cb (guint64 done, guint64 total, gpointer user_data)
{
  zi_cli_progress_update (user_data, _("Rendering glyphs"), done, total);
}

int
zi_cli_lr_find (int argc, char **argv)
{
  g_autofree char *source_spec = NULL, *target_spec = NULL, *norm = NULL, *gan_loss = NULL;
  g_autofree char *optimizer = NULL, *out_file = NULL, *cache_dir = NULL;
  /* G_MININT: not given; anything typed, 0 or negative too, goes to the range checks. */
  int size = G_MININT, ngf = G_MININT, batch = G_MININT, steps = G_MININT, threads = 0;
  double lr_min = 1e-6, lr_max = 1e-1, l1_weight = ZI_CLI_UNSET;
  gboolean json = FALSE, quiet = FALSE;
  const GOptionEntry command_entries[] = {
    { "source", 0, 0, G_OPTION_ARG_STRING, &source_spec, N_("Source font (default \"Noto Sans CJK TC\")"), N_("FONT") },
    { "target", 0, 0, G_OPTION_ARG_STRING, &target_spec, N_("Target font (default \"Zen Maru Gothic\")"), N_("FONT") },
    { "size", 0, 0, G_OPTION_ARG_INT, &size, N_("Image size (default 64)"), N_("N") },
    { "ngf", 0, 0, G_OPTION_ARG_INT, &ngf, N_("Generator base channels (default 32)"), N_("N") },
    { "batch", 0, 0, G_OPTION_ARG_INT, &batch, N_("Batch size (default 16)"), N_("N") },
    { "norm", 0, 0, G_OPTION_ARG_STRING, &norm, N_("batch or instance"), N_("KIND") },
    { "gan-loss", 0, 0, G_OPTION_ARG_STRING, &gan_loss, N_("bce, lsgan or hinge"), N_("KIND") },
    { "optimizer", 0, 0, G_OPTION_ARG_STRING, &optimizer, N_("adam, rmsprop or sgd"), N_("KIND") },
    { "l1-weight", 0, 0, G_OPTION_ARG_DOUBLE, &l1_weight, N_("Weight of the L1 loss (default 100)"), N_("X") },
    { "min", 0, 0, G_OPTION_ARG_DOUBLE, &lr_min, N_("Lowest rate of the sweep (default 1e-6)"), N_("X") },
    { "max", 0, 0, G_OPTION_ARG_DOUBLE, &lr_max, N_("Highest rate of the sweep (default 0.1)"), N_("X") },
    { "steps", 0, 0, G_OPTION_ARG_INT, &steps, N_("Steps of the sweep (default 200)"), N_("N") },
    { "threads", 0, 0, G_OPTION_ARG_INT, &threads, N_("Engine threads (default: one per core)"), N_("N") },
    { "cache-dir", 0, 0, G_OPTION_ARG_FILENAME, &cache_dir, N_("Dataset cache (default ~/.cache/zimaru)"), N_("DIR") },
    { "out", 0, 0, G_OPTION_ARG_FILENAME, &out_file, N_("Write the curve as JSON to FILE"), N_("FILE") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print the curve as JSON on stdout"), NULL },
    { "quiet", 'q', 0, G_OPTION_ARG_NONE, &quiet, N_("Show no progress"), NULL },
    { NULL }
  };
  ZiCliChars chars_opts = { 0 };
  g_autofree GOptionEntry *entries = zi_cli_chars_entries (&chars_opts, command_entries);
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) chars = NULL;
  g_autoptr(ZiDataset) data = NULL;
  g_autoptr(ZiLrFindResult) result = NULL;
  g_autofree char *text = NULL;
  ZiFont *source = NULL, *target = NULL;
  ZiTrainerConfig cfg;
  ZiLrFindOptions options;
  ZiCliProgress progress;
  int code;

  zi_trainer_config_init (&cfg);
  zi_lrfind_options_init (&options);
  if (!zi_cli_parse (&argc, &argv, "lr-find", NULL,
                     _("Run a learning-rate range test: train a throw-away model while the rate grows "
                       "exponentially, and suggest the rate where the loss falls fastest."),
                     entries, &code))
    goto out;
  code = ZI_EXIT_USAGE;
  if (source_spec != NULL)
    {
      g_free (cfg.source_font);
      cfg.source_font = g_strdup (source_spec);
    }
  if (target_spec != NULL)
    {
      g_free (cfg.target_font);
      cfg.target_font = g_strdup (target_spec);
    }
  if (size != G_MININT)
    cfg.net.size = size;
  if (ngf != G_MININT)
    cfg.net.ngf = ngf;
  if (batch != G_MININT)
    cfg.net.batch = batch;
  if (ZI_CLI_GIVEN (l1_weight))
    cfg.net.l1_weight = (float) l1_weight;
  if ((norm && !zi_trainer_norm_from_string (norm, &cfg.net.norm))
      || (gan_loss && !zi_trainer_gan_loss_from_string (gan_loss, &cfg.net.gan_loss)))
    {
      zi_cli_usage_error (_("unknown --norm or --gan-loss (use batch|instance and bce|lsgan|hinge)"));
      goto out;
    }
  if (optimizer != NULL)
    {
      NnOptKind kind;
      if (!zi_trainer_optimizer_from_string (optimizer, &kind))
        {
          zi_cli_usage_error (_("unknown --optimizer '%s' (use adam, rmsprop or sgd)"), optimizer);
          goto out;
        }
      nn_optim_defaults (&cfg.opt_g, kind);
      cfg.opt_d = cfg.opt_g;
      cfg.opt_d.lr = 0.0f;
    }
  options.lr_min = lr_min;
  options.lr_max = lr_max;
  if (steps != G_MININT)
    options.steps = (guint) MAX (steps, 0);
  if (threads < 0)
    {
      zi_cli_usage_error (_("--threads %d is negative; use 0 for all cores"), threads);
      goto out;
    }
  if (!zi_trainer_config_validate (&cfg, &error) || !zi_lrfind_options_check (&options, &error))
    {
      code = zi_cli_fail (error);
      goto out;
    }
  if (threads > 0)
    cfg.threads = (guint) threads;

  code = ZI_EXIT_FAILED;
  source = zi_font_open (cfg.source_font, &error);
  target = source ? zi_font_open (cfg.target_font, &error) : NULL;
  if (target == NULL)
    {
      code = zi_cli_fail (error);
      goto out;
    }
  chars = zi_cli_chars_resolve (&chars_opts, &error);
  if (chars == NULL && error == NULL)
    {
      chars = zi_charset_compute (source, target, ZI_CHARSET_SHARED, ZI_BLOCK_CJK);
      if (!zi_cli_chars_exclude (&chars_opts, chars, &error))
        g_clear_pointer (&chars, g_array_unref);
    }
  if (chars == NULL)
    {
      code = zi_cli_fail (error);
      goto out;
    }
  zi_cli_progress_init (&progress, quiet);
  data = zi_dataset_load (source, target, (const gunichar *) chars->data, chars->len, (guint) cfg.net.size,
                          cfg.em_fraction, zi_trainer_config_get_field_spread (&cfg), cache_dir, NULL,
                          loading_progress_cb, &progress, NULL, &error);
  zi_cli_progress_done (&progress);
  if (data == NULL)
    {
      code = zi_cli_fail (error);
      goto out;
    }
  zi_cli_progress_init (&progress, quiet);
  result = zi_lrfind_run (&cfg, data, &options, lrfind_progress_cb, &progress, NULL, &error);
  zi_cli_progress_done (&progress);
  if (result == NULL)
    {
      code = zi_cli_fail (error);
      goto out;
    }
  text = zi_lrfind_result_to_json (result);
  if (out_file != NULL && !zi_file_write_atomic (out_file, text, strlen (text), &error))
    {
      code = zi_cli_fail (error);
      goto out;
    }
  if (json)
    printf ("%s\n", text);
  else if (result->suggested > 0)
    printf (g_dngettext (GETTEXT_PACKAGE,
                         "Suggested learning rate: %.3g (the loss falls fastest there; %u step from %.3g to "
                         "%.3g%s)\n",
                         "Suggested learning rate: %.3g (the loss falls fastest there; %u steps from %.3g to "
                         "%.3g%s)\n", result->n),
            result->suggested, result->n, options.lr_min, result->lr[result->n - 1],
            result->diverged ? _(", stopped when the loss blew up") : "");
  else
    printf (g_dngettext (GETTEXT_PACKAGE,
                         "No suggestion: the loss did not fall over %u step from %.3g to %.3g; try a wider "
                         "range.\n",
                         "No suggestion: the loss did not fall over %u steps from %.3g to %.3g; try a wider "
                         "range.\n", result->n),
            result->n, options.lr_min, result->n > 0 ? result->lr[result->n - 1] : options.lr_max);
  code = ZI_EXIT_OK;

out:
  g_clear_pointer (&source, zi_font_free);
  g_clear_pointer (&target, zi_font_free);
  zi_cli_chars_clear (&chars_opts);
  zi_trainer_config_clear (&cfg);
  return code;
}
