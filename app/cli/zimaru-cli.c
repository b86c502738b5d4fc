/* zimaru-cli.c — entry point of zimaru-cli: global flags, then dispatch to one command per file
 * (cli-<command>.c). README.md ("Using the command line") and each command's --help describe the
 * commands, flags, files and exit codes. */
#include "config.h"
#include "cli-common.h"
#include "nn-blas.h"

#include <glib/gi18n.h>
#include <locale.h>
#include <stdio.h>
#include <string.h>

typedef struct {
  const char   *name;
  ZiCliCommand  run;
  const char   *summary;
} CommandInfo;

static const CommandInfo commands[] = {
  { "info", zi_cli_info, N_("Describe a font: names, metrics, glyph count, coverage per Unicode block") },
  { "charset", zi_cli_charset, N_("Print a character set (shared, missing, source, target) of a font pair") },
  { "render", zi_cli_render, N_("Render characters of a font to PNG with the run placement") },
  { "train", zi_cli_train, N_("Train a model on a font pair into a run directory") },
  { "generate", zi_cli_generate, N_("Generate glyph images from a checkpoint") },
  { "eval", zi_cli_eval, N_("Measure L1, SSIM and ink IoU of a checkpoint against the target font") },
  { "export", zi_cli_export, N_("Export generated glyphs as PNG, SVG and UFO") },
  { "pack", zi_cli_pack, N_("Write a checkpoint's generator alone, in half precision, to ship or share") },
  { "bench", zi_cli_bench, N_("Time full training steps on synthetic data") },
  { "lr-find", zi_cli_lr_find, N_("Run a learning-rate range test and suggest a learning rate") },
};

static void
print_help (FILE *out)
{
  fprintf (out, "%s\n\n", _("Usage: zimaru-cli COMMAND [OPTIONS...]"));
  fprintf (out, "%s\n\n", _("Zimaru learns a rounded (Maru) glyph style from a font pair and generates the missing glyphs."));
  fprintf (out, "%s\n", _("Commands:"));
  for (gsize i = 0; i < G_N_ELEMENTS (commands); i++)
    fprintf (out, "  %-10s %s\n", commands[i].name, _(commands[i].summary));
  fprintf (out, "\n%s\n", _("Global options:"));
  fprintf (out, "  --help     %s\n", _("Show this help; 'zimaru-cli COMMAND --help' shows a command's options"));
  fprintf (out, "  --version  %s\n", _("Show the version"));
  fprintf (out, "\n%s\n", _("Exit status: 0 success, 1 the work failed, 2 bad usage."));
}

int
main (int argc, char **argv)
{
  /* Choose OpenBLAS's kernels before anything calls BLAS; this may re-execute the program once. */
  nn_blas_setup (argv);

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
  g_set_prgname ("zimaru-cli");

  if (argc < 2)
    {
      print_help (stderr);
      return ZI_EXIT_USAGE;
    }
  if (strcmp (argv[1], "--help") == 0 || strcmp (argv[1], "-h") == 0 || strcmp (argv[1], "help") == 0)
    {
      print_help (stdout);
      return ZI_EXIT_OK;
    }
  if (strcmp (argv[1], "--version") == 0)
    {
      printf ("zimaru-cli %s\n", PACKAGE_VERSION);
      return ZI_EXIT_OK;
    }

  for (gsize i = 0; i < G_N_ELEMENTS (commands); i++)
    if (strcmp (argv[1], commands[i].name) == 0)
      return commands[i].run (argc - 1, argv + 1);

  return zi_cli_usage_error (_("unknown command '%s' (see 'zimaru-cli --help')"), argv[1]);
}
