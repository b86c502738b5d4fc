/* cli-trace.h — the tracing options that export and eval share: --trace-preset, --smooth and
 * --fit-tolerance, so that the outlines `eval --outlines` measures can be traced exactly as an
 * export with the same options traces them, and a preset tuned with the measure.
 *
 * Usage in a command: put ZI_CLI_TRACE_ENTRIES (&opts) in its option table (opts from
 * zi_cli_trace_init), then after parsing zi_cli_trace_params (&opts, &params). */
#pragma once

#include <glib.h>
#include <glib/gi18n.h>
#include "zi-trace.h"

G_BEGIN_DECLS

typedef struct {
  char   *preset;         /* --trace-preset NAME, NULL when not given */
  double  smooth;         /* --smooth SIGMA, ZI_CLI_UNSET when not given */
  double  fit_tolerance;  /* --fit-tolerance UNITS, ZI_CLI_UNSET when not given */
} ZiCliTrace;

#define ZI_CLI_TRACE_ENTRIES(opts) \
  { "trace-preset", 0, 0, G_OPTION_ARG_STRING, &(opts)->preset, \
    N_("Tracing style: round (smooth, for Maru styles; default) or square (keeps corners)"), N_("NAME") }, \
  { "smooth", 0, 0, G_OPTION_ARG_DOUBLE, &(opts)->smooth, \
    N_("Blur bitmaps by this many pixels (Gaussian σ, 0–2) before tracing, to even out ragged edges " \
       "(default 0)"), N_("SIGMA") }, \
  { "fit-tolerance", 0, 0, G_OPTION_ARG_DOUBLE, &(opts)->fit_tolerance, \
    N_("How far, in units of a 1000-unit em, the fitted lines and curves may stray from the traced " \
       "edge, 0–50; 0 keeps potrace's own curves (default 10)"), N_("UNITS") }

void     zi_cli_trace_init (ZiCliTrace *opts);
void     zi_cli_trace_clear (ZiCliTrace *opts);
/* TRUE when any of the three options was given. */
gboolean zi_cli_trace_given (const ZiCliTrace *opts);
/* Fills params with the preset's values (round when none was given) and the values given. An
 * unknown preset or a value out of range prints a usage error naming it and returns FALSE (exit
 * 2). */
gboolean zi_cli_trace_params (const ZiCliTrace *opts, ZiTraceParams *params);

G_END_DECLS
