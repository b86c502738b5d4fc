/* cli-pack.c — `zimaru-cli pack --checkpoint CKPT --out FILE [--fp32]`: writes a checkpoint's
 * generator alone (the average of its weights when the run kept one) with its metadata, in half
 * precision by default: the file a model ships or is shared as (data/models/README.md). It generates,
 * exports and starts runs (`train --init-from FILE`) like the checkpoint it came from. */
#include "config.h"
#include "cli-common.h"
#include "zi-model.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <stdio.h>

int
zi_cli_pack (int argc, char **argv)
{
  g_autofree char *ckpt = NULL;
  g_autofree char *out = NULL;
  gboolean fp32 = FALSE, quiet = FALSE;
  g_autoptr(GError) error = NULL;
  g_autoptr(ZiModel) model = NULL;
  GStatBuf st;
  int code;
  GOptionEntry entries[] = {
    { "checkpoint", 0, 0, G_OPTION_ARG_FILENAME, &ckpt, N_("Checkpoint file or run directory (required)"), N_("CKPT") },
    { "out", 0, 0, G_OPTION_ARG_FILENAME, &out, N_("The model file to write (required)"), N_("FILE") },
    { "fp32", 0, 0, G_OPTION_ARG_NONE, &fp32, N_("Keep the weights in float32 (default: float16, half the size)"), NULL },
    { "quiet", 'q', 0, G_OPTION_ARG_NONE, &quiet, N_("Print nothing on success"), NULL },
    { NULL },
  };

  if (!zi_cli_parse (&argc, &argv, "pack", NULL,
                     _("Write a checkpoint's generator alone (its weights' average when the run kept one), "
                       "in float16 unless --fp32: a model file to ship or share, which generates, exports "
                       "and starts runs (train --init-from FILE) but cannot resume one."),
                     entries, &code))
    return code;
  if (ckpt == NULL || out == NULL)
    return zi_cli_usage_error (_("pack needs --checkpoint CKPT and --out FILE"));
  model = zi_model_load (ckpt, &error);
  if (model == NULL || !zi_model_save_generator (model, out, !fp32, &error))
    return zi_cli_fail (error);
  if (!quiet && g_stat (out, &st) == 0)
    printf (_("Wrote %s: the generator of step %llu (%u styles), %.1f MB in %s.\n"), out,
            (unsigned long long) zi_model_get_step (model), zi_model_get_n_styles (model), st.st_size / 1e6,
            fp32 ? "float32" : "float16");
  return ZI_EXIT_OK;
}
