/* nn-ckpt.c — the checkpoint container: a versioned, little-endian, self-describing list of named
 * sections, written to a memory buffer or streamed to a caller's sink, and parsed in memory (app/run
 * does the file I/O, atomically).
 *
 * Format version 1; every integer is little-endian whatever the host:
 *
 *   offset  size  header (32 bytes)
 *        0     8  magic "ZIMARUCK"
 *        8     4  u32 format version (1)
 *       12     4  u32 number of sections
 *       16     8  u64 total file length in bytes
 *       24     4  u32 CRC-32 of the section table
 *       28     4  u32 CRC-32 of header bytes 8..27
 *
 *   section table: one 120-byte entry per section, right after the header
 *        0    64  name, UTF-8, NUL-terminated and NUL-padded (1..63 bytes)
 *       64     4  u32 type: 0 float32, 1 float16, 2 blob
 *       68     4  u32 number of dimensions (0..6; 0 for blobs, 0 for a scalar tensor)
 *       72    24  u32 shape[6], unused dimensions 0
 *       96     8  u64 offset of the data from the start of the file
 *      104     8  u64 length of the data in bytes
 *      112     4  u32 CRC-32 of the data
 *      116     4  u32 flags, 0
 *
 *   data: the sections' bytes in table order, packed without gaps, ending at the end of the file.
 *
 * The reader trusts nothing: it checks the magic, then the version (a newer version may lay out the
 * rest differently, so it is checked before anything else is read), then the header checksum, the
 * length, the table checksum, every entry's fields and sizes (with overflow-free arithmetic, since
 * files come from outside and are fuzzed), that the data exactly tiles the rest of the file, and every
 * data checksum. Together with the length field this makes every truncation report NN_ERR_TRUNCATED
 * and every flipped byte after the version field report NN_ERR_CHECKSUM (or a more specific error). */
#include "nn-ckpt.h"

#include <assert.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#define HEADER_BYTES 32
#define ENTRY_BYTES 120
#define NAME_BYTES 64
/* Float32 data is encoded to little-endian bytes this many floats (64 KiB) at a time while it is
 * checksummed and handed to the sink, so that saving a model needs no copy of it. */
#define CHUNK_FLOATS 16384

static const char ckpt_magic[8] = { 'Z', 'I', 'M', 'A', 'R', 'U', 'C', 'K' };

/* The stored type codes are the values of NnCkptType. */
enum {
  SECTION_F32 = NN_CKPT_F32,
  SECTION_F16 = NN_CKPT_F16,
  SECTION_BLOB = NN_CKPT_BLOB,
};

/* One section, as the writer holds it and as the reader parsed it (data points into the caller's
 * buffer). The writer holds a float32 tensor as the caller's floats, borrowed and encoded only when
 * the file is written; every other section as its encoded bytes, owned. */
typedef struct {
  char           name[NAME_BYTES];
  uint32_t       type;
  uint32_t       ndim;
  uint32_t       shape[NN_CKPT_MAX_DIMS];
  const uint8_t *data;    /* encoded bytes, or NULL for the writer's borrowed floats */
  const float   *floats;  /* writer only: the borrowed float32 tensor, else NULL */
  size_t         len;     /* encoded length in bytes */
  uint32_t       crc;     /* reader only: the stored checksum; the writer computes it in finish */
} Section;

struct NnCkptWriter {
  Section *sections;   /* the writer owns each sections[i].data, never .floats */
  size_t   n, cap;
  NnStatus status;     /* the first failure of a put, reported by finish */
};

struct NnCkptReader {
  Section        *sections;  /* in file order */
  const Section **by_name;   /* the same, sorted by name for binary search */
  size_t          n;
};

/* Little-endian encoding, byte by byte so that it is right on any host. */
static void
put_u16 (uint8_t *p, uint16_t v)
{
  p[0] = (uint8_t) v;
  p[1] = (uint8_t) (v >> 8);
}

static void
put_u32 (uint8_t *p, uint32_t v)
{
  for (int i = 0; i < 4; i++)
    p[i] = (uint8_t) (v >> (8 * i));
}

static void
put_u64 (uint8_t *p, uint64_t v)
{
  for (int i = 0; i < 8; i++)
    p[i] = (uint8_t) (v >> (8 * i));
}

static uint16_t
get_u16 (const uint8_t *p)
{
  return (uint16_t) (p[0] | (p[1] << 8));
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

static uint32_t
f32_bits (float f)
{
  uint32_t u;
  memcpy (&u, &f, sizeof u);
  return u;
}

static float
bits_f32 (uint32_t u)
{
  float f;
  memcpy (&f, &u, sizeof f);
  return f;
}

uint32_t
nn_crc32 (uint32_t crc, const void *data, size_t len)
{
  /* The reflected polynomial 0xEDB88320, one table lookup per byte. The table is rebuilt on the stack
   * per call (2 K operations) because the engine keeps no static state; calls are per section, so the
   * cost is nothing next to the data. */
  uint32_t table[256];
  for (uint32_t i = 0; i < 256; i++)
    {
      uint32_t c = i;
      for (int k = 0; k < 8; k++)
        c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
      table[i] = c;
    }
  const uint8_t *p = data;
  uint32_t c = crc ^ 0xFFFFFFFFu;
  for (size_t i = 0; i < len; i++)
    c = table[(c ^ p[i]) & 0xFF] ^ (c >> 8);
  return c ^ 0xFFFFFFFFu;
}

uint16_t
nn_f32_to_f16 (float f)
{
  const uint32_t x = f32_bits (f);
  const uint16_t sign = (uint16_t) ((x >> 16) & 0x8000);
  const uint32_t a = x & 0x7FFFFFFF;

  if (a >= 0x7F800000)  /* infinity, or NaN kept quiet and non-zero */
    return sign | (a > 0x7F800000 ? (uint16_t) (0x7E00 | ((a >> 13) & 0x3FF)) : 0x7C00);
  if (a >= 0x477FF000)  /* 65520 and above round past the largest half, 65504 */
    return sign | 0x7C00;
  if (a >= 0x38800000)  /* a normal half: rebias the exponent, round 13 mantissa bits away */
    {
      uint32_t h = ((((a >> 23) - 127 + 15) << 10) | ((a & 0x7FFFFF) >> 13));
      const uint32_t rem = a & 0x1FFF;
      if (rem > 0x1000 || (rem == 0x1000 && (h & 1)))
        h++;  /* a carry into the exponent is the correct result */
      return sign | (uint16_t) h;
    }
  if (a <= 0x33000000)  /* at most 2^-25, half the smallest subnormal: ties to even give zero */
    return sign;
  /* A subnormal half counts units of 2^-24: shift the full mantissa by 126 - e (14..24 here). */
  const uint32_t m = (a & 0x7FFFFF) | 0x800000;
  const uint32_t s = 126 - (a >> 23);
  uint32_t q = m >> s;
  const uint32_t rem = m & ((1u << s) - 1);
  const uint32_t half = 1u << (s - 1);
  if (rem > half || (rem == half && (q & 1)))
    q++;
  return sign | (uint16_t) q;
}

float
nn_f16_to_f32 (uint16_t h)
{
  const uint32_t sign = (uint32_t) (h & 0x8000) << 16;
  const uint32_t e = (h >> 10) & 0x1F;
  const uint32_t m = h & 0x3FF;

  if (e == 0)  /* zero or subnormal: m · 2^-24 is exact in float */
    {
      const float v = (float) m * 0x1.0p-24f;
      return sign ? -v : v;
    }
  if (e == 31)
    return bits_f32 (sign | 0x7F800000 | (m << 13));
  return bits_f32 (sign | ((e + 112) << 23) | (m << 13));
}

/* Number of elements of a shape, or 0 with *ok = 0 when it overflows size_t. */
static size_t
shape_elements (const uint32_t *shape, uint32_t ndim, int *ok)
{
  size_t count = 1;
  *ok = 1;
  for (uint32_t i = 0; i < ndim; i++)
    {
      if (shape[i] == 0 || count > SIZE_MAX / shape[i])
        {
          *ok = 0;
          return 0;
        }
      count *= shape[i];
    }
  return count;
}

NnCkptWriter *
nn_ckpt_writer_new (void)
{
  NnCkptWriter *w = calloc (1, sizeof *w);
  return w;
}

void
nn_ckpt_writer_free (NnCkptWriter *w)
{
  if (w == NULL)
    return;
  for (size_t i = 0; i < w->n; i++)
    free ((void *) w->sections[i].data);
  free (w->sections);
  free (w);
}

static NnStatus
writer_fail (NnCkptWriter *w, NnStatus status)
{
  if (w->status == NN_OK)
    w->status = status;
  return status;
}

/* Checks a new section name and reserves a slot for it; the caller fills the slot and bumps w->n. */
static NnStatus
writer_reserve (NnCkptWriter *w, const char *name, Section **out)
{
  if (name == NULL)
    return NN_ERR_INVALID;
  const size_t name_len = strlen (name);
  if (name_len == 0 || name_len > NN_CKPT_MAX_NAME)
    return NN_ERR_INVALID;
  for (size_t i = 0; i < w->n; i++)
    if (strcmp (w->sections[i].name, name) == 0)
      return NN_ERR_INVALID;
  if (w->n == w->cap)
    {
      const size_t cap = w->cap ? 2 * w->cap : 16;
      Section *grown = realloc (w->sections, cap * sizeof *grown);
      if (grown == NULL)
        return NN_ERR_NOMEM;
      w->sections = grown;
      w->cap = cap;
    }
  Section *s = &w->sections[w->n];
  memset (s, 0, sizeof *s);
  memcpy (s->name, name, name_len);
  *out = s;
  return NN_OK;
}

NnStatus
nn_ckpt_put_tensor (NnCkptWriter *w, const char *name, const float *data,
                    const int *shape, int ndim, int fp16)
{
  if (w == NULL)
    return NN_ERR_INVALID;
  if (ndim < 0 || ndim > NN_CKPT_MAX_DIMS || (ndim > 0 && shape == NULL))
    return writer_fail (w, NN_ERR_INVALID);

  uint32_t dims[NN_CKPT_MAX_DIMS] = { 0 };
  for (int i = 0; i < ndim; i++)
    {
      if (shape[i] <= 0)
        return writer_fail (w, NN_ERR_INVALID);
      dims[i] = (uint32_t) shape[i];
    }
  int ok;
  const size_t count = shape_elements (dims, (uint32_t) ndim, &ok);
  const size_t elem = fp16 ? 2 : 4;
  if (!ok || count > SIZE_MAX / elem || data == NULL)
    return writer_fail (w, NN_ERR_INVALID);

  Section *s;
  NnStatus status = writer_reserve (w, name, &s);
  if (status != NN_OK)
    return writer_fail (w, status);
  if (fp16)
    {
      uint8_t *bytes = malloc (count * elem);
      if (bytes == NULL)
        return writer_fail (w, NN_ERR_NOMEM);
      for (size_t i = 0; i < count; i++)
        put_u16 (bytes + 2 * i, nn_f32_to_f16 (data[i]));
      s->data = bytes;
    }
  else
    s->floats = data;

  s->type = fp16 ? SECTION_F16 : SECTION_F32;
  s->ndim = (uint32_t) ndim;
  memcpy (s->shape, dims, sizeof dims);
  s->len = count * elem;
  w->n++;
  return NN_OK;
}

NnStatus
nn_ckpt_put_blob (NnCkptWriter *w, const char *name, const void *data, size_t len)
{
  if (w == NULL)
    return NN_ERR_INVALID;
  if (data == NULL && len > 0)
    return writer_fail (w, NN_ERR_INVALID);

  Section *s;
  NnStatus status = writer_reserve (w, name, &s);
  if (status != NN_OK)
    return writer_fail (w, status);
  /* malloc (0) may return NULL; one spare byte keeps "no memory" unambiguous. */
  uint8_t *bytes = malloc (len + 1);
  if (bytes == NULL)
    return writer_fail (w, NN_ERR_NOMEM);
  if (len > 0)
    memcpy (bytes, data, len);

  s->type = SECTION_BLOB;
  s->data = bytes;
  s->len = len;
  w->n++;
  return NN_OK;
}

/* The file's length, or the first failure of a put (or NN_ERR_NOMEM if it overflows size_t). */
static NnStatus
writer_layout (const NnCkptWriter *w, size_t *total)
{
  if (w->status != NN_OK)
    return w->status;
  if (w->n > UINT32_MAX)
    return NN_ERR_INVALID;
  size_t t = HEADER_BYTES + w->n * ENTRY_BYTES;
  for (size_t i = 0; i < w->n; i++)
    {
      if (w->sections[i].len > SIZE_MAX - t)
        return NN_ERR_NOMEM;
      t += w->sections[i].len;
    }
  *total = t;
  return NN_OK;
}

/* Feeds the encoded bytes of a section to sink: owned bytes as they are, borrowed floats converted
 * to little-endian CHUNK_FLOATS at a time in scratch. Returns the sink's first nonzero result. */
static int
section_bytes (const Section *s, uint8_t *scratch, NnCkptSink sink, void *user)
{
  if (s->floats == NULL)
    return s->len > 0 ? sink (user, s->data, s->len) : 0;
  const size_t count = s->len / 4;
  for (size_t i = 0; i < count; i += CHUNK_FLOATS)
    {
      const size_t n = count - i < CHUNK_FLOATS ? count - i : CHUNK_FLOATS;
      for (size_t k = 0; k < n; k++)
        put_u32 (scratch + 4 * k, f32_bits (s->floats[i + k]));
      const int rc = sink (user, scratch, 4 * n);
      if (rc != 0)
        return rc;
    }
  return 0;
}

/* A sink that runs a CRC-32 over what it is fed; user is the uint32_t running value. */
static int
crc_sink (void *user, const void *data, size_t len)
{
  uint32_t *crc = user;
  *crc = nn_crc32 (*crc, data, len);
  return 0;
}

NnStatus
nn_ckpt_finish_stream (NnCkptWriter *w, NnCkptSink sink, void *user)
{
  if (w == NULL || sink == NULL)
    {
      nn_ckpt_writer_free (w);
      return NN_ERR_INVALID;
    }
  size_t total = 0;
  NnStatus status = writer_layout (w, &total);
  const size_t head_len = HEADER_BYTES + w->n * ENTRY_BYTES;
  uint8_t *head = NULL, *scratch = NULL;
  if (status == NN_OK)
    {
      head = calloc (1, head_len);
      scratch = malloc (4 * CHUNK_FLOATS);
      if (head == NULL || scratch == NULL)
        status = NN_ERR_NOMEM;
    }
  if (status != NN_OK)
    {
      free (head);
      free (scratch);
      nn_ckpt_writer_free (w);
      return status;
    }

  /* The table, with every section's checksum, precedes the data: a first pass over the data
   * computes the checksums, a second one hands the bytes to the sink. */
  uint8_t *table = head + HEADER_BYTES;
  uint64_t offset = head_len;
  for (size_t i = 0; i < w->n; i++)
    {
      const Section *s = &w->sections[i];
      uint8_t *e = table + i * ENTRY_BYTES;
      uint32_t crc = 0;
      section_bytes (s, scratch, crc_sink, &crc);
      memcpy (e, s->name, NAME_BYTES);
      put_u32 (e + 64, s->type);
      put_u32 (e + 68, s->ndim);
      for (int d = 0; d < NN_CKPT_MAX_DIMS; d++)
        put_u32 (e + 72 + 4 * d, s->shape[d]);
      put_u64 (e + 96, offset);
      put_u64 (e + 104, s->len);
      put_u32 (e + 112, crc);
      offset += s->len;
    }
  memcpy (head, ckpt_magic, sizeof ckpt_magic);
  put_u32 (head + 8, NN_CKPT_VERSION);
  put_u32 (head + 12, (uint32_t) w->n);
  put_u64 (head + 16, total);
  put_u32 (head + 24, nn_crc32 (0, table, w->n * ENTRY_BYTES));
  put_u32 (head + 28, nn_crc32 (0, head + 8, 20));

  if (sink (user, head, head_len) != 0)
    status = NN_ERR_IO;
  for (size_t i = 0; i < w->n && status == NN_OK; i++)
    if (section_bytes (&w->sections[i], scratch, sink, user) != 0)
      status = NN_ERR_IO;

  free (head);
  free (scratch);
  nn_ckpt_writer_free (w);
  return status;
}

/* The sink of nn_ckpt_finish: appends to a buffer the layout sized exactly. */
typedef struct {
  uint8_t *out;
  size_t   pos, cap;
} MemorySink;

static int
memory_sink (void *user, const void *data, size_t len)
{
  MemorySink *m = user;
  if (len > m->cap - m->pos)
    return 1;
  memcpy (m->out + m->pos, data, len);
  m->pos += len;
  return 0;
}

NnStatus
nn_ckpt_finish (NnCkptWriter *w, uint8_t **buf, size_t *len)
{
  if (buf != NULL)
    *buf = NULL;
  if (len != NULL)
    *len = 0;
  if (w == NULL || buf == NULL || len == NULL)
    {
      nn_ckpt_writer_free (w);
      return NN_ERR_INVALID;
    }
  MemorySink m = { NULL, 0, 0 };
  NnStatus status = writer_layout (w, &m.cap);
  if (status == NN_OK && (m.out = malloc (m.cap)) == NULL)
    status = NN_ERR_NOMEM;
  if (status != NN_OK)
    {
      nn_ckpt_writer_free (w);
      return status;
    }
  status = nn_ckpt_finish_stream (w, memory_sink, &m);
  if (status != NN_OK)
    {
      free (m.out);
      return status;
    }
  assert (m.pos == m.cap);
  *buf = m.out;
  *len = m.cap;
  return NN_OK;
}

static int
section_ptr_cmp (const void *a, const void *b)
{
  return strcmp ((*(const Section *const *) a)->name, (*(const Section *const *) b)->name);
}

/* Parses and validates one table entry; pos is where its data must start. */
static NnStatus
parse_entry (Section *s, const uint8_t *e, const uint8_t *buf, size_t len, uint64_t pos)
{
  /* The name must be non-empty, terminated inside its field and padded with zeros only. */
  const uint8_t *nul = memchr (e, 0, NAME_BYTES);
  if (nul == NULL || nul == e)
    return NN_ERR_CORRUPT;
  for (const uint8_t *p = nul; p < e + NAME_BYTES; p++)
    if (*p != 0)
      return NN_ERR_CORRUPT;
  memcpy (s->name, e, NAME_BYTES);

  s->type = get_u32 (e + 64);
  s->ndim = get_u32 (e + 68);
  if (s->type > SECTION_BLOB || s->ndim > NN_CKPT_MAX_DIMS || get_u32 (e + 116) != 0)
    return NN_ERR_CORRUPT;
  if (s->type == SECTION_BLOB && s->ndim != 0)
    return NN_ERR_CORRUPT;
  for (uint32_t d = 0; d < NN_CKPT_MAX_DIMS; d++)
    {
      s->shape[d] = get_u32 (e + 72 + 4 * d);
      /* Used dimensions are positive ints (the API takes int shapes); unused ones are zero. */
      if (d < s->ndim ? (s->shape[d] == 0 || s->shape[d] > INT_MAX) : s->shape[d] != 0)
        return NN_ERR_CORRUPT;
    }

  const uint64_t offset = get_u64 (e + 96);
  const uint64_t length = get_u64 (e + 104);
  if (offset != pos)
    return NN_ERR_CORRUPT;
  if (offset > len || length > len - offset)
    return NN_ERR_CORRUPT;  /* the header's length field matched, so this is not a truncation */
  if (s->type != SECTION_BLOB)
    {
      int ok;
      const size_t count = shape_elements (s->shape, s->ndim, &ok);
      const size_t elem = s->type == SECTION_F16 ? 2 : 4;
      if (!ok || count > SIZE_MAX / elem || count * elem != length)
        return NN_ERR_CORRUPT;
    }
  s->data = buf + offset;
  s->len = (size_t) length;
  s->crc = get_u32 (e + 112);
  if (nn_crc32 (0, s->data, s->len) != s->crc)
    return NN_ERR_CHECKSUM;
  return NN_OK;
}

NnStatus
nn_ckpt_reader_open (NnCkptReader **out, const uint8_t *buf, size_t len)
{
  if (out == NULL)
    return NN_ERR_INVALID;
  *out = NULL;
  if (buf == NULL && len > 0)
    return NN_ERR_INVALID;

  if (len < sizeof ckpt_magic)
    return (len == 0 || memcmp (buf, ckpt_magic, len) == 0) ? NN_ERR_TRUNCATED : NN_ERR_BAD_MAGIC;
  if (memcmp (buf, ckpt_magic, sizeof ckpt_magic) != 0)
    return NN_ERR_BAD_MAGIC;
  if (len < 12)
    return NN_ERR_TRUNCATED;
  const uint32_t version = get_u32 (buf + 8);
  if (version > NN_CKPT_VERSION)
    return NN_ERR_VERSION;
  if (version == 0)
    return NN_ERR_CORRUPT;
  if (len < HEADER_BYTES)
    return NN_ERR_TRUNCATED;
  if (nn_crc32 (0, buf + 8, 20) != get_u32 (buf + 28))
    return NN_ERR_CHECKSUM;
  const uint64_t file_len = get_u64 (buf + 16);
  if (file_len > len)
    return NN_ERR_TRUNCATED;
  if (file_len < len)
    return NN_ERR_CORRUPT;
  const uint32_t count = get_u32 (buf + 12);
  if (count > (len - HEADER_BYTES) / ENTRY_BYTES)
    return NN_ERR_CORRUPT;
  const size_t table_bytes = (size_t) count * ENTRY_BYTES;
  if (nn_crc32 (0, buf + HEADER_BYTES, table_bytes) != get_u32 (buf + 24))
    return NN_ERR_CHECKSUM;

  NnCkptReader *r = calloc (1, sizeof *r);
  if (r == NULL)
    return NN_ERR_NOMEM;
  r->sections = calloc (count > 0 ? count : 1, sizeof *r->sections);
  r->by_name = calloc (count > 0 ? count : 1, sizeof *r->by_name);
  if (r->sections == NULL || r->by_name == NULL)
    {
      nn_ckpt_reader_free (r);
      return NN_ERR_NOMEM;
    }
  r->n = count;

  uint64_t pos = HEADER_BYTES + (uint64_t) table_bytes;
  NnStatus status = NN_OK;
  for (uint32_t i = 0; i < count && status == NN_OK; i++)
    {
      status = parse_entry (&r->sections[i], buf + HEADER_BYTES + (size_t) i * ENTRY_BYTES,
                            buf, len, pos);
      pos += r->sections[i].len;
    }
  if (status == NN_OK && pos != len)
    status = NN_ERR_CORRUPT;
  if (status == NN_OK)
    {
      /* Sorting makes the duplicate check and every lookup O(log n), even for a hostile table. */
      for (uint32_t i = 0; i < count; i++)
        r->by_name[i] = &r->sections[i];
      if (count > 1)
        qsort (r->by_name, count, sizeof *r->by_name, section_ptr_cmp);
      for (uint32_t i = 1; i < count; i++)
        if (strcmp (r->by_name[i - 1]->name, r->by_name[i]->name) == 0)
          status = NN_ERR_CORRUPT;
    }
  if (status != NN_OK)
    {
      nn_ckpt_reader_free (r);
      return status;
    }
  *out = r;
  return NN_OK;
}

void
nn_ckpt_reader_free (NnCkptReader *r)
{
  if (r == NULL)
    return;
  free (r->sections);
  free (r->by_name);
  free (r);
}

static const Section *
reader_find (const NnCkptReader *r, const char *name)
{
  if (r == NULL || name == NULL || strlen (name) > NN_CKPT_MAX_NAME)
    return NULL;
  Section key;
  const Section *key_ptr = &key;
  memset (key.name, 0, sizeof key.name);
  strcpy (key.name, name);
  const Section *const *found = bsearch (&key_ptr, r->by_name, r->n, sizeof *r->by_name,
                                         section_ptr_cmp);
  return found != NULL ? *found : NULL;
}

size_t
nn_ckpt_n_sections (const NnCkptReader *r)
{
  return r != NULL ? r->n : 0;
}

NnStatus
nn_ckpt_section_info (const NnCkptReader *r, size_t i, const char **name, NnCkptType *type,
                      int *ndim, int shape[NN_CKPT_MAX_DIMS])
{
  if (r == NULL || i >= r->n)
    return NN_ERR_INVALID;
  const Section *s = &r->sections[i];
  if (name != NULL)
    *name = s->name;
  if (type != NULL)
    *type = (NnCkptType) s->type;
  if (ndim != NULL)
    *ndim = (int) s->ndim;
  if (shape != NULL)
    for (int d = 0; d < NN_CKPT_MAX_DIMS; d++)
      shape[d] = (int) s->shape[d];  /* the reader checked every dimension is at most INT_MAX */
  return NN_OK;
}

int
nn_ckpt_has (const NnCkptReader *r, const char *name)
{
  return reader_find (r, name) != NULL;
}

NnStatus
nn_ckpt_get_tensor (const NnCkptReader *r, const char *name, float *dst,
                    const int *shape, int ndim)
{
  if (r == NULL || name == NULL || ndim < 0 || (ndim > 0 && shape == NULL))
    return NN_ERR_INVALID;
  const Section *s = reader_find (r, name);
  if (s == NULL)
    return NN_ERR_CORRUPT;
  if (s->type == SECTION_BLOB || (uint32_t) ndim != s->ndim)
    return NN_ERR_SHAPE;
  for (int d = 0; d < ndim; d++)
    if (shape[d] <= 0 || (uint32_t) shape[d] != s->shape[d])
      return NN_ERR_SHAPE;
  if (dst == NULL)
    return NN_ERR_INVALID;

  if (s->type == SECTION_F16)
    for (size_t i = 0; i < s->len / 2; i++)
      dst[i] = nn_f16_to_f32 (get_u16 (s->data + 2 * i));
  else
    for (size_t i = 0; i < s->len / 4; i++)
      dst[i] = bits_f32 (get_u32 (s->data + 4 * i));
  return NN_OK;
}

NnStatus
nn_ckpt_get_blob (const NnCkptReader *r, const char *name, const void **data, size_t *len)
{
  if (r == NULL || name == NULL || data == NULL || len == NULL)
    return NN_ERR_INVALID;
  const Section *s = reader_find (r, name);
  if (s == NULL)
    return NN_ERR_CORRUPT;
  if (s->type != SECTION_BLOB)
    return NN_ERR_SHAPE;
  *data = s->data;
  *len = s->len;
  return NN_OK;
}
