/* zi-error.c — the Zimaru error domain, and the mapping of engine status codes onto it. */
#include "config.h"
#include "zi-error.h"

#include <glib/gi18n.h>

G_DEFINE_QUARK (zi-error-quark, zi_error)

/* The engine's own nn_status_str() is English, for logs; users read this translated text. */
static const char *
status_text (NnStatus status)
{
  switch (status)
    {
    case NN_OK: return _("success");
    case NN_ERR_NOMEM: return _("out of memory");
    case NN_ERR_INVALID: return _("invalid argument");
    case NN_ERR_BAD_MAGIC: return _("not a Zimaru checkpoint (wrong magic number)");
    case NN_ERR_VERSION: return _("written by a newer version of Zimaru; update Zimaru to read it");
    case NN_ERR_TRUNCATED: return _("the file is truncated");
    case NN_ERR_CHECKSUM: return _("checksum mismatch (the file is corrupt)");
    case NN_ERR_SHAPE: return _("the tensors do not match the model architecture");
    case NN_ERR_CORRUPT: return _("the file is malformed");
    case NN_ERR_NONFINITE: return _("a value became NaN or infinite");
    case NN_ERR_CANCELLED: return _("cancelled");
    case NN_ERR_IO: return _("the output could not be written");
    default: return _("unknown error");
    }
}

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
    case NN_ERR_IO:
      code = ZI_ERROR_IO;
      break;
    case NN_OK:
    default:
      code = ZI_ERROR_FAILED;
      break;
    }

  va_start (args, format);
  what = g_strdup_vprintf (format, args);
  va_end (args);
  /* TRANSLATORS: what was being done ("loading the checkpoint x.zck"), then why it failed. */
  g_set_error (error, ZI_ERROR, code, _("%s: %s"), what, status_text (status));
}
