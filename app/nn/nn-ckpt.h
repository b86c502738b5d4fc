/* nn-ckpt.h — the checkpoint container: versioned, little-endian, self-describing. A file is a header
 * (magic "ZIMARUCK", format version) and a list of named sections (float32 or float16 tensors with
 * shapes, or opaque blobs), each with a CRC32. The engine does no file I/O: the writer hands its bytes
 * to a memory buffer or to a caller's sink (app/run writes them to a file atomically), the reader
 * parses a memory buffer. */
#pragma once

#include <stddef.h>
#include <stdint.h>
#include "nn.h"

#define NN_CKPT_VERSION 1
#define NN_CKPT_MAX_DIMS 6
/* Longest section name in bytes (names are stored in a fixed 64-byte NUL-padded field). */
#define NN_CKPT_MAX_NAME 63

/* The type of a section; the values are the codes stored in the file. */
typedef enum {
  NN_CKPT_F32 = 0,
  NN_CKPT_F16 = 1,
  NN_CKPT_BLOB = 2,
} NnCkptType;

typedef struct NnCkptWriter NnCkptWriter;
typedef struct NnCkptReader NnCkptReader;

/* Receives the next len bytes of a checkpoint being written (data is valid during the call only);
 * returns 0, or nonzero to stop the writing, which then fails with NN_ERR_IO. */
typedef int (*NnCkptSink) (void *user, const void *data, size_t len);

NnCkptWriter *nn_ckpt_writer_new (void);
void          nn_ckpt_writer_free (NnCkptWriter *w);
/* Adds a tensor; fp16 stores it as IEEE half (for generator-only release checkpoints). A float32
 * tensor is borrowed, not copied, so that saving a model costs no copy of it: data must stay
 * allocated and unchanged until nn_ckpt_finish(), nn_ckpt_finish_stream() or nn_ckpt_writer_free()
 * returns. A float16 tensor is converted at once into a buffer of the writer's; blobs are copied. */
NnStatus nn_ckpt_put_tensor (NnCkptWriter *w, const char *name, const float *data,
                             const int *shape, int ndim, int fp16);
NnStatus nn_ckpt_put_blob (NnCkptWriter *w, const char *name, const void *data, size_t len);
/* Serialises everything into a new malloc'ed buffer (*buf, *len) and frees the writer. A failed put
 * (bad name, duplicate, bad shape, no memory) is remembered: finish then returns that first error and
 * no buffer, so callers may check the puts or only finish. */
NnStatus nn_ckpt_finish (NnCkptWriter *w, uint8_t **buf, size_t *len);
/* The same bytes as nn_ckpt_finish(), handed to sink in order (the header and section table first,
 * then the data in pieces of at most 64 KiB for float32 tensors) instead of being gathered in memory;
 * frees the writer. Returns the first failed put's error as finish does (the sink is then never
 * called), NN_ERR_IO as soon as the sink returns nonzero (what it received is then a truncated
 * file), or NN_ERR_NOMEM. */
NnStatus nn_ckpt_finish_stream (NnCkptWriter *w, NnCkptSink sink, void *user);

/* Validates magic, version, section table and every checksum. The buffer must outlive the reader. */
NnStatus nn_ckpt_reader_open (NnCkptReader **out, const uint8_t *buf, size_t len);
void     nn_ckpt_reader_free (NnCkptReader *r);
int      nn_ckpt_has (const NnCkptReader *r, const char *name);
/* Copies a tensor into dst (converting float16), NN_ERR_SHAPE if its shape differs, NN_ERR_CORRUPT
 * if it is missing. */
NnStatus nn_ckpt_get_tensor (const NnCkptReader *r, const char *name, float *dst,
                             const int *shape, int ndim);
NnStatus nn_ckpt_get_blob (const NnCkptReader *r, const char *name, const void **data, size_t *len);
/* Sections in file order, for tools that list a checkpoint (and the fuzzer). name points into the
 * reader; shape gets NN_CKPT_MAX_DIMS entries, unused ones 0. Any output may be NULL. */
size_t   nn_ckpt_n_sections (const NnCkptReader *r);
NnStatus nn_ckpt_section_info (const NnCkptReader *r, size_t i, const char **name, NnCkptType *type,
                               int *ndim, int shape[NN_CKPT_MAX_DIMS]);

/* IEEE 754 binary16 conversions; float to half rounds to nearest, ties to even, overflows to
 * infinity and keeps NaN a NaN. */
uint16_t nn_f32_to_f16 (float f);
float    nn_f16_to_f32 (uint16_t h);

/* CRC-32 (IEEE 802.3), exposed for tests and for the core layer's own files. */
uint32_t nn_crc32 (uint32_t crc, const void *data, size_t len);
