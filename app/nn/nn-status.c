/* nn-status.c — English descriptions of the engine's status codes, for logs and error messages. */
#include "nn.h"

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
