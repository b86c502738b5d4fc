/* nn-status.c — the names of the engine's enums: English descriptions of its status codes, for logs
 * and error messages, and the precision names of the command line and run files. Kept free of
 * OpenBLAS so that the run files' code (and its fuzzers) can name a precision without the engine. */
#include "nn.h"

#include <string.h>

const char *
nn_status_str (NnStatus status)
{
  switch (status)
    {
    case NN_OK: return "success";
    case NN_ERR_NOMEM: return "out of memory";
    case NN_ERR_INVALID: return "invalid argument";
    case NN_ERR_BAD_MAGIC: return "not a Zimaru checkpoint (wrong magic number)";
    case NN_ERR_VERSION: return "written by a newer version of Zimaru; update Zimaru to read it";
    case NN_ERR_TRUNCATED: return "the file is truncated";
    case NN_ERR_CHECKSUM: return "checksum mismatch (the file is corrupt)";
    case NN_ERR_SHAPE: return "the tensors do not match the model architecture";
    case NN_ERR_CORRUPT: return "the file is malformed";
    case NN_ERR_NONFINITE: return "a value became NaN or infinite";
    case NN_ERR_CANCELLED: return "cancelled";
    case NN_ERR_IO: return "the output could not be written";
    default: return "unknown error";
    }
}

int
nn_precision_parse (const char *name, NnPrecision *out)
{
  if (name == NULL)
    return 0;
  if (strcmp (name, "fp32") == 0)
    *out = NN_PRECISION_FP32;
  else if (strcmp (name, "bf16") == 0)
    *out = NN_PRECISION_BF16;
  else if (strcmp (name, "auto") == 0)
    *out = NN_PRECISION_AUTO;
  else
    return 0;
  return 1;
}

const char *
nn_precision_name (NnPrecision precision)
{
  switch (precision)
    {
    case NN_PRECISION_BF16: return "bf16";
    case NN_PRECISION_AUTO: return "auto";
    case NN_PRECISION_FP32:
    default: return "fp32";
    }
}
