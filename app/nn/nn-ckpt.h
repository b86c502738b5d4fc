/* nn-ckpt.h — the checkpoint container: versioned, little-endian, self-describing. A file is a header
 * (magic "ZIMARUCK", format version) and a list of named sections (float32 or float16 tensors with
 * shapes, or opaque blobs), each with a CRC32. It works on memory buffers only: the engine does no
 * file I/O; app/core writes the bytes atomically. */
#pragma once

#include <stddef.h>
#include <stdint.h>
#include "nn.h"

#define NN_CKPT_VERSION 1
#define NN_CKPT_MAX_DIMS 6

typedef struct NnCkptWriter NnCkptWriter;
typedef struct NnCkptReader NnCkptReader;

NnCkptWriter *nn_ckpt_writer_new (void);
void          nn_ckpt_writer_free (NnCkptWriter *w);
/* Adds a tensor; fp16 stores it as IEEE half (for generator-only release checkpoints). */
NnStatus nn_ckpt_put_tensor (NnCkptWriter *w, const char *name, const float *data,
                             const int *shape, int ndim, int fp16);
NnStatus nn_ckpt_put_blob (NnCkptWriter *w, const char *name, const void *data, size_t len);
/* Serialises everything into a new malloc'ed buffer (*buf, *len) and frees the writer. */
NnStatus nn_ckpt_finish (NnCkptWriter *w, uint8_t **buf, size_t *len);

/* Validates magic, version, section table and every checksum. The buffer must outlive the reader. */
NnStatus nn_ckpt_reader_open (NnCkptReader **out, const uint8_t *buf, size_t len);
void     nn_ckpt_reader_free (NnCkptReader *r);
int      nn_ckpt_has (const NnCkptReader *r, const char *name);
/* Copies a tensor into dst (converting float16), NN_ERR_SHAPE if its shape differs, NN_ERR_CORRUPT
 * if it is missing. */
NnStatus nn_ckpt_get_tensor (const NnCkptReader *r, const char *name, float *dst,
                             const int *shape, int ndim);
NnStatus nn_ckpt_get_blob (const NnCkptReader *r, const char *name, const void **data, size_t *len);

/* CRC-32 (IEEE 802.3), exposed for tests and for the core layer's own files. */
uint32_t nn_crc32 (uint32_t crc, const void *data, size_t len);
