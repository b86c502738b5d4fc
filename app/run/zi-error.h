/* zi-error.h — the Zimaru error domain shared by every GLib layer (run, train, export, ui, cli). */
#pragma once

#include <glib.h>
#include "nn.h"

G_BEGIN_DECLS

#define ZI_ERROR (zi_error_quark ())

typedef enum {
  ZI_ERROR_FAILED,         /* the work failed for a reason not listed below */
  ZI_ERROR_FONT,           /* a font cannot be opened, or lacks what is needed */
  ZI_ERROR_CHARSET,        /* a charset is empty, unreadable or not UTF-8 */
  ZI_ERROR_CHECKPOINT,     /* a checkpoint is corrupt, truncated or of another architecture */
  ZI_ERROR_RUN,            /* a run directory is missing, malformed or incompatible */
  ZI_ERROR_IO,             /* reading or writing a file failed (disk full, permissions) */
  ZI_ERROR_INVALID,        /* a parameter value is out of range */
  ZI_ERROR_EXISTS,         /* an output exists and overwriting was not asked for */
  ZI_ERROR_NUMERIC,        /* training diverged (NaN/Inf) and could not recover */
  ZI_ERROR_CANCELLED,      /* the user cancelled */
  ZI_ERROR_RESOURCES,      /* not enough memory or disk for the requested job */
  ZI_ERROR_BUSY,           /* another process is writing the run (zi-run-lock.h) */
} ZiErrorCode;

GQuark zi_error_quark (void);

/* Sets *error from an engine status, prefixed by what was being done ("loading checkpoint %s"). */
void zi_error_from_nn (GError **error, NnStatus status, const char *format, ...) G_GNUC_PRINTF (3, 4);

G_END_DECLS
