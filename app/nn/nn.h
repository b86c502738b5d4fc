/* nn.h — the common vocabulary of the Zimaru neural-network engine: status codes and the shape legend.
 *
 * The engine is plain C11 on OpenBLAS. It never prints, never exits and never allocates inside a
 * training step; every fallible function returns an NnStatus.
 *
 * Shape legend used in every file of app/nn:
 *   N batch, C channels (Ci in, Co out), H/W height/width (Hi/Wi in, Ho/Wo out),
 *   K kernel size, S stride, P padding. Tensors are float32 and contiguous. Model inputs and outputs
 *   are [N, 1, H, W]; inside the networks activations are stored channel-major, [C, N, H, W], so that one
 *   GEMM covers the whole mini-batch and a U-Net skip concatenation is a pointer, not a copy (for one
 *   channel the two layouts are the same bytes). Each layer's header states its layout.
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

typedef enum {
  NN_OK = 0,
  NN_ERR_NOMEM,          /* an allocation failed */
  NN_ERR_INVALID,        /* an argument is out of range (bad size, bad hyperparameter) */
  NN_ERR_BAD_MAGIC,      /* a checkpoint does not start with the engine's magic */
  NN_ERR_VERSION,        /* a checkpoint was written by a newer format version */
  NN_ERR_TRUNCATED,      /* a checkpoint ends before its sections do */
  NN_ERR_CHECKSUM,       /* a checkpoint section's checksum does not match */
  NN_ERR_SHAPE,          /* a checkpoint's tensors do not fit the requested architecture */
  NN_ERR_CORRUPT,        /* a checkpoint is malformed in another way */
  NN_ERR_NONFINITE,      /* a loss or gradient became NaN or infinite */
  NN_ERR_CANCELLED,      /* the caller's abort callback asked to stop */
  NN_ERR_IO,             /* the caller's sink refused the bytes being written (it knows why) */
} NnStatus;

/* The precision of the convolutions' matrix products (nn-gemm.h). Weights, gradient sums, norms,
 * losses, optimiser state and checkpoints are float32 in both. */
typedef enum {
  NN_PRECISION_FP32 = 0,  /* float32 throughout (OpenBLAS sgemm) */
  NN_PRECISION_BF16,      /* bfloat16 factors, float32 sums (needs AVX512_BF16) */
  NN_PRECISION_AUTO,      /* bf16 where the processor has it, else fp32: resolved by
                           * nn_precision_resolve (nn-peak.h) before a model is built */
} NnPrecision;

/* A short English description of a status, for logs; the core layer turns it into a GError. */
const char *nn_status_str (NnStatus status);

/* "fp32", "bf16" or "auto" into *out (1), or 0 for another name. Whether bf16 can run here, and so
 * what auto means, is nn-peak.h's question (nn_cpu_has_bf16, nn_precision_resolve). */
int         nn_precision_parse (const char *name, NnPrecision *out);
/* "fp32", "bf16" or "auto". */
const char *nn_precision_name (NnPrecision precision);
