/* fuzz-ckpt.c — libFuzzer target for the checkpoint container (app/nn/nn-ckpt.c), which reads files
 * from outside. Any input must be rejected with a status or accepted; an accepted one must then behave:
 * every listed section reads back with its own shape, a wrong shape or the wrong kind is refused with
 * NN_ERR_SHAPE, and writing the sections again reproduces the input byte for byte (the format is
 * canonical; float16 NaN payloads are the one thing re-encoding may normalise). Violations abort, which
 * libFuzzer reports as a crash, as it does for the sanitizers' findings. Each input is tried as it is
 * and with its checksums rewritten, to reach the structural checks. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "nn-ckpt.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

static void
check (int condition)
{
  if (!condition)
    abort ();
}

/* Reads section i back and adds it to w; a tensor's values, which w borrows, go to *values for the
 * caller to free once w is finished. */
static void
check_section (const NnCkptReader *r, size_t i, const uint8_t *data, size_t size,
               NnCkptWriter *w, int *has_f16, float **values_out)
{
  const char *name;
  NnCkptType type;
  int ndim, shape[NN_CKPT_MAX_DIMS];

  check (nn_ckpt_section_info (r, i, &name, &type, &ndim, shape) == NN_OK);
  check (nn_ckpt_has (r, name));
  check (ndim >= 0 && ndim <= NN_CKPT_MAX_DIMS);

  if (type == NN_CKPT_BLOB)
    {
      const void *blob;
      size_t len;
      float dummy;
      check (ndim == 0);
      check (nn_ckpt_get_blob (r, name, &blob, &len) == NN_OK);
      check (len <= size && (const uint8_t *) blob >= data
             && (const uint8_t *) blob + len <= data + size);
      check (nn_ckpt_get_tensor (r, name, &dummy, NULL, 0) == NN_ERR_SHAPE);
      check (nn_ckpt_put_blob (w, name, blob, len) == NN_OK);
      return;
    }

  /* The reader checked that count · element size equals the stored length, so count <= size. */
  size_t count = 1;
  for (int d = 0; d < ndim; d++)
    {
      check (shape[d] > 0);
      count *= (size_t) shape[d];
    }
  check (count <= size);
  float *values = malloc (count * sizeof *values);
  check (values != NULL);
  check (nn_ckpt_get_tensor (r, name, values, shape, ndim) == NN_OK);

  if (ndim > 0 && shape[0] < INT32_MAX)
    {
      int wrong[NN_CKPT_MAX_DIMS];
      memcpy (wrong, shape, sizeof wrong);
      wrong[0]++;
      check (nn_ckpt_get_tensor (r, name, values, wrong, ndim) == NN_ERR_SHAPE);
    }
  check (nn_ckpt_get_tensor (r, name, values, shape, ndim == NN_CKPT_MAX_DIMS ? ndim - 1 : ndim + 1)
         == NN_ERR_SHAPE);
  const void *blob;
  size_t len;
  check (nn_ckpt_get_blob (r, name, &blob, &len) == NN_ERR_SHAPE);

  *has_f16 |= type == NN_CKPT_F16;
  check (nn_ckpt_put_tensor (w, name, values, shape, ndim, type == NN_CKPT_F16) == NN_OK);
  *values_out = values;
}

static void
check_input (const uint8_t *data, size_t size)
{
  NnCkptReader *r = (NnCkptReader *) data;  /* must be reset by the reader whatever happens */
  const NnStatus status = nn_ckpt_reader_open (&r, data, size);
  if (status != NN_OK)
    {
      check (r == NULL);
      check (status >= NN_ERR_BAD_MAGIC && status <= NN_ERR_CORRUPT);
      return;
    }

  check (!nn_ckpt_has (r, ""));
  NnCkptWriter *w = nn_ckpt_writer_new ();
  check (w != NULL);
  int has_f16 = 0;
  const size_t n = nn_ckpt_n_sections (r);
  float **values = calloc (n + 1, sizeof *values);
  check (values != NULL);
  for (size_t i = 0; i < n; i++)
    check_section (r, i, data, size, w, &has_f16, &values[i]);
  check (nn_ckpt_section_info (r, n, NULL, NULL, NULL, NULL) == NN_ERR_INVALID);

  uint8_t *again;
  size_t again_len;
  check (nn_ckpt_finish (w, &again, &again_len) == NN_OK);
  for (size_t i = 0; i < n; i++)
    free (values[i]);
  free (values);
  check (again_len == size);
  if (!has_f16)
    check (memcmp (again, data, size) == 0);
  NnCkptReader *r2;
  check (nn_ckpt_reader_open (&r2, again, again_len) == NN_OK);
  check (nn_ckpt_n_sections (r2) == n);
  nn_ckpt_reader_free (r2);
  free (again);
  nn_ckpt_reader_free (r);
}

static uint32_t
get_u32 (const uint8_t *p)
{
  return (uint32_t) p[0] | ((uint32_t) p[1] << 8) | ((uint32_t) p[2] << 16) | ((uint32_t) p[3] << 24);
}

static uint64_t
get_u64 (const uint8_t *p)
{
  return (uint64_t) get_u32 (p) | ((uint64_t) get_u32 (p + 4) << 32);
}

static void
put_u32 (uint8_t *p, uint32_t v)
{
  for (int i = 0; i < 4; i++)
    p[i] = (uint8_t) (v >> (8 * i));
}

/* Rewrites every checksum the input's own fields let us locate (per section, table, header), as a
 * writer would have. Random mutations almost never keep CRC-32s valid, so without this the fuzzer
 * would hardly get past the checksums to the table and size checks behind them. Offsets follow the
 * layout documented in nn-ckpt.c. */
static void
reseal (uint8_t *buf, size_t size)
{
  if (size < 32)
    return;
  const uint32_t count = get_u32 (buf + 12);
  if (count <= (size - 32) / 120)
    {
      for (uint32_t i = 0; i < count; i++)
        {
          uint8_t *e = buf + 32 + (size_t) i * 120;
          const uint64_t offset = get_u64 (e + 96), length = get_u64 (e + 104);
          if (offset <= size && length <= size - offset)
            put_u32 (e + 112, nn_crc32 (0, buf + offset, (size_t) length));
        }
      put_u32 (buf + 24, nn_crc32 (0, buf + 32, (size_t) count * 120));
    }
  put_u32 (buf + 28, nn_crc32 (0, buf + 8, 20));
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  check_input (data, size);

  uint8_t *sealed = malloc (size > 0 ? size : 1);
  check (sealed != NULL);
  if (size > 0)
    memcpy (sealed, data, size);
  reseal (sealed, size);
  check_input (sealed, size);
  free (sealed);
  return 0;
}
