/* cli-trace.c — --trace-preset, --smooth and --fit-tolerance for export and eval. */
#include "config.h"
#include "cli-trace.h"
#include "cli-common.h"
#include "zi-range.h"

void
zi_cli_trace_init (ZiCliTrace *opts)
{
  g_return_if_fail (opts != NULL);

  opts->preset = NULL;
  opts->smooth = ZI_CLI_UNSET;
  opts->fit_tolerance = ZI_CLI_UNSET;
}

void
zi_cli_trace_clear (ZiCliTrace *opts)
{
  g_return_if_fail (opts != NULL);

  g_clear_pointer (&opts->preset, g_free);
}

gboolean
zi_cli_trace_given (const ZiCliTrace *opts)
{
  g_return_val_if_fail (opts != NULL, FALSE);

  return opts->preset != NULL || ZI_CLI_GIVEN (opts->smooth) || ZI_CLI_GIVEN (opts->fit_tolerance);
}

gboolean
zi_cli_trace_params (const ZiCliTrace *opts, ZiTraceParams *params)
{
  ZiTracePreset preset = ZI_TRACE_PRESET_ROUND;

  g_return_val_if_fail (opts != NULL && params != NULL, FALSE);

  if (opts->preset != NULL && !zi_trace_preset_from_string (opts->preset, &preset))
    {
      zi_cli_usage_error (_("--trace-preset '%s' is unknown; use round or square"), opts->preset);
      return FALSE;
    }
  if (ZI_CLI_GIVEN (opts->smooth) && !zi_in_range (opts->smooth, 0.0, 2.0, ZI_RANGE_CLOSED))
    {
      zi_cli_usage_error (_("--smooth %g is out of range; use 0 to 2 pixels"), opts->smooth);
      return FALSE;
    }
  if (ZI_CLI_GIVEN (opts->fit_tolerance) && !zi_in_range (opts->fit_tolerance, 0.0, 50.0, ZI_RANGE_CLOSED))
    {
      zi_cli_usage_error (_("--fit-tolerance %g is out of range; use 0 to 50 units"), opts->fit_tolerance);
      return FALSE;
    }
  zi_trace_params_init (params, preset);
  if (ZI_CLI_GIVEN (opts->smooth))
    params->smooth = opts->smooth;
  if (ZI_CLI_GIVEN (opts->fit_tolerance))
    params->tolerance = opts->fit_tolerance;
  return TRUE;
}
