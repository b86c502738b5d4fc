/* cli-style.h — --style NAME|all and --weight N, which generate, eval and export share: which of a
 * multi-style model's target styles to draw (zi-model.h), or a weight blended between two of them.
 *
 * Usage in a command: put ZI_CLI_STYLE_ENTRIES (&opts) in its option table (opts from
 * zi_cli_style_init), check with zi_cli_style_check after parsing, then for each selection of
 * zi_cli_style_resolve: zi_cli_style_apply (model, sel) and generate. */
#pragma once

#include <glib.h>
#include <glib/gi18n.h>
#include "zi-model.h"

G_BEGIN_DECLS

typedef struct {
  char   *style;   /* --style NAME|all, NULL when not given */
  double  weight;  /* --weight N, ZI_CLI_UNSET when not given */
} ZiCliStyle;

#define ZI_CLI_STYLE_ENTRIES(opts) \
  { "style", 0, 0, G_OPTION_ARG_STRING, &(opts)->style, \
    N_("Target style of a model trained on several (an unknown name lists them), or all; " \
       "default the first"), N_("NAME|all") }, \
  { "weight", 0, 0, G_OPTION_ARG_DOUBLE, &(opts)->weight, \
    N_("OS/2 weight class to draw, blending the two trained styles around it (e.g. 450)"), N_("N") }

/* What to draw: a style by index, or a weight. */
typedef struct {
  int    style;   /* the style's index, or -1 for a weight */
  double weight;  /* the weight class (the style's for a style) */
  char  *name;    /* the style's name, or "W450" for a weight */
} ZiCliSelection;

void     zi_cli_style_init (ZiCliStyle *opts);
void     zi_cli_style_clear (ZiCliStyle *opts);
/* Usage checks before anything is loaded: --style and --weight together, an empty --style, "all"
 * where the command takes one style (allow_all FALSE). Prints the error; FALSE means exit 2. */
gboolean zi_cli_style_check (const ZiCliStyle *opts, gboolean allow_all);
/* TRUE when the options ask for every style (--style all). */
gboolean zi_cli_style_is_all (const ZiCliStyle *opts);
/* TRUE when --style or --weight was given. */
gboolean zi_cli_style_given (const ZiCliStyle *opts);
/* The selections the options make on model, in order (every style for all, else one; the first
 * style when neither option was given): a GArray of ZiCliSelection that frees their names. An
 * unknown style or a weight the model cannot draw is ZI_ERROR_INVALID naming its styles. */
GArray  *zi_cli_style_resolve (const ZiCliStyle *opts, ZiModel *model, GError **error);
/* Makes model draw sel. */
gboolean zi_cli_style_apply (ZiModel *model, const ZiCliSelection *sel, GError **error);
/* The font a selection of model is measured against or takes its metrics from: the style's target
 * font (for a weight, the lighter of the two styles it blends), or the model's target. */
const char *zi_cli_style_font (ZiModel *model, const ZiCliSelection *sel);

G_END_DECLS
