/* cli-common.h — what every zimaru-cli command shares: option parsing with the documented exit codes,
 * one-line error reporting, progress on stderr, the default fonts, column padding and --json output. */
#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>
#include <math.h>
#include "zi-font.h"
#include "zi-metrics.h"
#include "zi-model.h"

G_BEGIN_DECLS

/* The exit codes README.md documents ("Using the command line"). */
enum {
  ZI_EXIT_OK = 0,
  ZI_EXIT_FAILED = 1,
  ZI_EXIT_USAGE = 2,
};

/* Every command is int zi_cli_NAME (int argc, char **argv) with argv[0] the command name. */
typedef int (*ZiCliCommand) (int argc, char **argv);

int zi_cli_info (int argc, char **argv);
int zi_cli_charset (int argc, char **argv);
int zi_cli_render (int argc, char **argv);
int zi_cli_train (int argc, char **argv);
int zi_cli_generate (int argc, char **argv);
int zi_cli_eval (int argc, char **argv);
int zi_cli_bench (int argc, char **argv);
int zi_cli_lr_find (int argc, char **argv);
int zi_cli_export (int argc, char **argv);
int zi_cli_pack (int argc, char **argv);

/* The value to give a double option's variable before parsing when "not given" must differ from
 * every value the user can type: a NaN with its sign bit set, which zi_cli_parse() never stores (it
 * stores any NaN it reads, "-nan" too, as a positive one), so "--lr nan" is seen as given and then
 * refused by the range check. ZI_CLI_GIVEN() tells the two apart. */
#define ZI_CLI_UNSET (-(double) NAN)
#define ZI_CLI_GIVEN(v) (!(isnan (v) && signbit (v)))

/* Parses argv with entries. Prints "zimaru-cli: error: ..." and returns FALSE with *exit_code = 2 on a
 * usage error (any positional argument is one when parameters is NULL); prints the command's help and
 * returns FALSE with *exit_code = 0 for --help. On success argv keeps the positional arguments (argv[0]
 * is the command). Double options are read as GLib reads them (a whole number, not out of a double's
 * range), except that a NaN is stored as a positive one (see ZI_CLI_UNSET); the command checks the
 * range, so that "nan" and "inf" fail there with the message that names the allowed range. */
gboolean zi_cli_parse (int          *argc,
                       char       ***argv,
                       const char   *command,
                       const char   *parameters,
                       const char   *summary,
                       GOptionEntry *entries,
                       int          *exit_code);

/* Prints "zimaru-cli: error: <message>" once on stderr and returns ZI_EXIT_USAGE. */
int zi_cli_usage_error (const char *format, ...) G_GNUC_PRINTF (1, 2);

/* Prints "zimaru-cli: error: <error->message>" once on stderr and returns ZI_EXIT_FAILED
 * (or ZI_EXIT_USAGE for ZI_ERROR_INVALID, which means a bad value given by the user). */
int zi_cli_fail (const GError *error);

/* Progress on stderr, shown only when stderr is a terminal and quiet is FALSE. */
typedef struct {
  gboolean enabled;
  gint64   start_us;
  gint64   last_us;
} ZiCliProgress;

void zi_cli_progress_init (ZiCliProgress *progress, gboolean quiet);
void zi_cli_progress_update (ZiCliProgress *progress, const char *label, guint64 done, guint64 total);
void zi_cli_progress_done (ZiCliProgress *progress);


/* Fills the specs left NULL with the fonts the model was trained with, or the defaults. */
void zi_cli_model_fonts (ZiModel *model, char **source_spec, char **target_spec);

/* text followed by spaces up to width terminal columns (a wide CJK character takes two, a combining
 * mark none; printf's "%-42s" counts bytes instead); longer text is not cut. */
char *zi_cli_pad (const char *text, guint width);

/* --json output: members of the object being built, and the finished document on stdout. */
void zi_cli_json_int (JsonBuilder *b, const char *name, gint64 value);
void zi_cli_json_double (JsonBuilder *b, const char *name, double value);
void zi_cli_json_string (JsonBuilder *b, const char *name, const char *value);  /* NULL: null */
/* {"l1": …, "ssim": …, "iou": …}, or null when m is NULL. */
void zi_cli_json_metrics (JsonBuilder *b, const char *name, const ZiMetrics *m);
/* Ends nothing: prints the builder's root, pretty, with a newline. */
void zi_cli_json_print (JsonBuilder *b);

G_END_DECLS
