/* zi-error.c — the Zimaru error domain, and the mapping of engine status codes onto it. */
#include "zi-error.h"

G_DEFINE_QUARK (zi-error-quark, zi_error)

void
zi_error_from_nn (GError **error, NnStatus status, const char *format, ...)
{
  g_autofree char *what = NULL;
  ZiErrorCode code;
  va_list args;

  switch (status)
    {
    case NN_ERR_BAD_MAGIC:
    case NN_ERR_VERSION:
    case NN_ERR_TRUNCATED:
    case NN_ERR_CHECKSUM:
    case NN_ERR_SHAPE:
    case NN_ERR_CORRUPT:
      code = ZI_ERROR_CHECKPOINT;
      break;
    case NN_ERR_NOMEM:
      code = ZI_ERROR_RESOURCES;
      break;
    case NN_ERR_INVALID:
      code = ZI_ERROR_INVALID;
      break;
    case NN_ERR_NONFINITE:
      code = ZI_ERROR_NUMERIC;
      break;
    case NN_ERR_CANCELLED:
      code = ZI_ERROR_CANCELLED;
      break;
    case NN_OK:
    default:
      code = ZI_ERROR_FAILED;
      break;
    }

  va_start (args, format);
  what = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error (error, ZI_ERROR, code, "%s: %s", what, nn_status_str (status));
}
