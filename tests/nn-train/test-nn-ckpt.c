/* test-nn-ckpt.c — tests of the engine's checkpoint container (nn-ckpt.h): CRC-32, half floats, a
 * round trip of tensors and metadata, the errors of the getters and the writer, and corrupt files
 * (headers, flipped bytes, structure) that must be refused rather than read. */
#include <glib.h>
#include <math.h>
#include <string.h>

#include "nn.h"
#include "nn-ckpt.h"
#include "nn-rng.h"

/* ---- Checkpoint container ------------------------------------------------------------------------ */

static void
test_ckpt_crc32 (void)
{
  /* The standard check value of CRC-32/ISO-HDLC. */
  g_assert_cmphex (nn_crc32 (0, "123456789", 9), ==, 0xCBF43926u);
  g_assert_cmphex (nn_crc32 (nn_crc32 (0, "1234", 4), "56789", 5), ==, 0xCBF43926u);
  g_assert_cmphex (nn_crc32 (0, "", 0), ==, 0);
}

static float
f32_from_bits (uint32_t u)
{
  float f;
  memcpy (&f, &u, 4);
  return f;
}

static void
test_ckpt_f16 (void)
{
  /* Known encodings. */
  g_assert_cmphex (nn_f32_to_f16 (1.0f), ==, 0x3C00);
  g_assert_cmphex (nn_f32_to_f16 (-2.0f), ==, 0xC000);
  g_assert_cmphex (nn_f32_to_f16 (0.1f), ==, 0x2E66);
  g_assert_cmphex (nn_f32_to_f16 (-0.0f), ==, 0x8000);
  g_assert_cmphex (nn_f32_to_f16 (65504.0f), ==, 0x7BFF);
  g_assert_cmphex (nn_f32_to_f16 (65519.99f), ==, 0x7BFF);
  g_assert_cmphex (nn_f32_to_f16 (65520.0f), ==, 0x7C00);    /* tie, 0x7BFF is odd: up to inf */
  g_assert_cmphex (nn_f32_to_f16 (INFINITY), ==, 0x7C00);
  g_assert_cmphex (nn_f32_to_f16 (-1e10f), ==, 0xFC00);
  g_assert_cmphex (nn_f32_to_f16 (0x1p-14f), ==, 0x0400);    /* smallest normal */
  g_assert_cmphex (nn_f32_to_f16 (0x1p-24f), ==, 0x0001);    /* smallest subnormal */
  g_assert_cmphex (nn_f32_to_f16 (0x1p-25f), ==, 0x0000);    /* tie between 0 and 1: even */
  g_assert_cmphex (nn_f32_to_f16 (0x1.01p-25f), ==, 0x0001);
  g_assert_cmphex (nn_f32_to_f16 (0x3p-25f), ==, 0x0002);    /* tie between 1 and 2: even */
  g_assert_cmphex (nn_f32_to_f16 (0x5p-25f), ==, 0x0002);    /* tie between 2 and 3: even */
  g_assert_cmphex (nn_f32_to_f16 (1.0f + 0x1p-11f), ==, 0x3C00);      /* tie: even */
  g_assert_cmphex (nn_f32_to_f16 (1.0f + 0x3p-11f), ==, 0x3C02);      /* tie: even */
  g_assert_cmphex (nn_f32_to_f16 (1.0f + 0x1.1p-11f), ==, 0x3C01);
  g_assert_cmphex (nn_f32_to_f16 (0x1.ffcp-15f), ==, 0x0400);  /* rounds up into the normals */
  const uint16_t nan = nn_f32_to_f16 (NAN);
  g_assert_cmphex (nan & 0x7C00, ==, 0x7C00);
  g_assert_cmphex (nan & 0x03FF, !=, 0);

  /* Every half survives half → float → half (NaNs stay NaN). */
  for (uint32_t h = 0; h < 0x10000; h++)
    {
      const float f = nn_f16_to_f32 ((uint16_t) h);
      if ((h & 0x7C00) == 0x7C00 && (h & 0x3FF) != 0)
        g_assert_true (isnan (f));
      else
        g_assert_cmphex (nn_f32_to_f16 (f), ==, h);
    }
  g_assert_cmpfloat (nn_f16_to_f32 (0x3555), ==, 0x1.554p-2f);
  g_assert_cmpfloat (nn_f16_to_f32 (0x0001), ==, 0x1p-24f);
  g_assert_cmpfloat (nn_f16_to_f32 (0xFC00), ==, -INFINITY);

  /* Rounding is to the nearest half: for random floats in the normal range the error is at most half
   * a unit in the last place, 2^-11 relative. */
  NnRng rng;
  nn_rng_seed (&rng, 16);
  for (int i = 0; i < 100000; i++)
    {
      const float x = f32_from_bits ((uint32_t) (nn_rng_next (&rng) >> 32));
      const float ax = fabsf (x);
      if (!(ax >= 0x1p-14f && ax < 65504.0f))
        continue;
      const float y = nn_f16_to_f32 (nn_f32_to_f16 (x));
      g_assert_cmpfloat (fabsf (y - x), <=, ax * 0x1p-11f);
    }
}

/* Builds a checkpoint with every kind of section. */
static void
build_sample (uint8_t **buf, size_t *len, float *w /* [2·3·4·5] */, float *h /* [7] */)
{
  NnRng rng;
  nn_rng_seed (&rng, 99);
  for (int i = 0; i < 120; i++)
    w[i] = nn_rng_normal (&rng);
  /* Special values must survive bit-exactly too. */
  w[0] = -0.0f;
  w[1] = 0x1p-140f;  /* a float subnormal */
  w[2] = INFINITY;
  w[3] = f32_from_bits (0x7FC01234u);  /* a NaN with a payload */
  for (int i = 0; i < 7; i++)
    h[i] = 0.37f * (float) (i - 3);

  const int wshape[4] = { 2, 3, 4, 5 }, hshape[1] = { 7 };
  const float scalar = 42.5f;
  const char *meta = "{\"size\": 64, \"ngf\": 32}";
  NnCkptWriter *wr = nn_ckpt_writer_new ();
  g_assert_nonnull (wr);
  g_assert_cmpint (nn_ckpt_put_tensor (wr, "g.enc1.weight", w, wshape, 4, 0), ==, NN_OK);
  g_assert_cmpint (nn_ckpt_put_blob (wr, "meta", meta, strlen (meta)), ==, NN_OK);
  g_assert_cmpint (nn_ckpt_put_tensor (wr, "g.half", h, hshape, 1, 1), ==, NN_OK);
  g_assert_cmpint (nn_ckpt_put_tensor (wr, "step.scalar", &scalar, NULL, 0, 0), ==, NN_OK);
  g_assert_cmpint (nn_ckpt_put_blob (wr, "empty", NULL, 0), ==, NN_OK);
  g_assert_cmpint (nn_ckpt_finish (wr, buf, len), ==, NN_OK);
}

static void
test_ckpt_round_trip (void)
{
  float w[120], h[7], w2[120], h2[7], s;
  uint8_t *buf;
  size_t len;
  NnCkptReader *r;
  const int wshape[4] = { 2, 3, 4, 5 }, hshape[1] = { 7 };

  build_sample (&buf, &len, w, h);
  /* 32 header + 5·120 table + 480 + 23 + 14 + 4 + 0 data bytes. */
  g_assert_cmpuint (len, ==, 32 + 5 * 120 + 480 + 23 + 14 + 4);
  g_assert_cmpint (nn_ckpt_reader_open (&r, buf, len), ==, NN_OK);

  g_assert_true (nn_ckpt_has (r, "g.enc1.weight"));
  g_assert_true (nn_ckpt_has (r, "empty"));
  g_assert_false (nn_ckpt_has (r, "g.enc1"));
  g_assert_false (nn_ckpt_has (r, "nothing"));

  g_assert_cmpint (nn_ckpt_get_tensor (r, "g.enc1.weight", w2, wshape, 4), ==, NN_OK);
  g_assert_cmpmem (w, sizeof w, w2, sizeof w2);

  g_assert_cmpint (nn_ckpt_get_tensor (r, "g.half", h2, hshape, 1), ==, NN_OK);
  for (int i = 0; i < 7; i++)
    {
      g_assert_cmpfloat_with_epsilon (h2[i], h[i], fabsf (h[i]) * 0x1p-11f + 1e-7f);
      g_assert_cmpfloat (h2[i], ==, nn_f16_to_f32 (nn_f32_to_f16 (h[i])));
    }

  g_assert_cmpint (nn_ckpt_get_tensor (r, "step.scalar", &s, NULL, 0), ==, NN_OK);
  g_assert_cmpfloat (s, ==, 42.5f);

  const void *data;
  size_t dlen;
  g_assert_cmpint (nn_ckpt_get_blob (r, "meta", &data, &dlen), ==, NN_OK);
  g_assert_cmpmem (data, dlen, "{\"size\": 64, \"ngf\": 32}", 23);
  g_assert_cmpint (nn_ckpt_get_blob (r, "empty", &data, &dlen), ==, NN_OK);
  g_assert_cmpuint (dlen, ==, 0);

  /* Sections are listed in file order with their types and shapes. */
  const char *names[5] = { "g.enc1.weight", "meta", "g.half", "step.scalar", "empty" };
  const NnCkptType types[5] = { NN_CKPT_F32, NN_CKPT_BLOB, NN_CKPT_F16, NN_CKPT_F32, NN_CKPT_BLOB };
  const int ndims[5] = { 4, 0, 1, 0, 0 };
  g_assert_cmpuint (nn_ckpt_n_sections (r), ==, 5);
  for (size_t i = 0; i < 5; i++)
    {
      const char *name;
      NnCkptType type;
      int ndim, shape[NN_CKPT_MAX_DIMS];
      g_assert_cmpint (nn_ckpt_section_info (r, i, &name, &type, &ndim, shape), ==, NN_OK);
      g_assert_cmpstr (name, ==, names[i]);
      g_assert_cmpint (type, ==, types[i]);
      g_assert_cmpint (ndim, ==, ndims[i]);
      g_assert_cmpint (shape[ndim], ==, 0);
      if (i == 0)
        g_assert_cmpmem (shape, sizeof wshape, wshape, sizeof wshape);
    }
  g_assert_cmpint (nn_ckpt_section_info (r, 5, NULL, NULL, NULL, NULL), ==, NN_ERR_INVALID);

  /* The layout is little-endian and as documented: version 1 at byte 8, the file length at 16, and
   * the first tensor's first value (−0.0f = 0x80000000) right after the table. */
  g_assert_cmpmem (buf, 8, "ZIMARUCK", 8);
  g_assert_cmpuint (buf[8], ==, 1);
  g_assert_cmpuint (buf[9] | buf[10] | buf[11], ==, 0);
  g_assert_cmpuint (buf[12], ==, 5);
  g_assert_cmpuint (buf[16] | (buf[17] << 8), ==, len);
  const uint8_t negzero[4] = { 0x00, 0x00, 0x00, 0x80 };
  g_assert_cmpmem (buf + 32 + 5 * 120, 4, negzero, 4);

  /* Writing the same content again gives the same bytes. */
  uint8_t *buf2;
  size_t len2;
  build_sample (&buf2, &len2, w, h);
  g_assert_cmpmem (buf, len, buf2, len2);

  nn_ckpt_reader_free (r);
  g_free (buf2);
  g_free (buf);
}

static void
test_ckpt_get_errors (void)
{
  float w[120], h[7], dst[120];
  uint8_t *buf;
  size_t len;
  NnCkptReader *r;

  build_sample (&buf, &len, w, h);
  g_assert_cmpint (nn_ckpt_reader_open (&r, buf, len), ==, NN_OK);

  const int wrong_dim[4] = { 2, 3, 5, 4 }, flat[1] = { 120 }, neg[4] = { 2, 3, 4, -5 };
  const int wshape[4] = { 2, 3, 4, 5 };
  g_assert_cmpint (nn_ckpt_get_tensor (r, "g.enc1.weight", dst, wrong_dim, 4), ==, NN_ERR_SHAPE);
  g_assert_cmpint (nn_ckpt_get_tensor (r, "g.enc1.weight", dst, flat, 1), ==, NN_ERR_SHAPE);
  g_assert_cmpint (nn_ckpt_get_tensor (r, "g.enc1.weight", dst, neg, 4), ==, NN_ERR_SHAPE);
  g_assert_cmpint (nn_ckpt_get_tensor (r, "g.enc1.weight", dst, wshape, 3), ==, NN_ERR_SHAPE);
  g_assert_cmpint (nn_ckpt_get_tensor (r, "meta", dst, flat, 1), ==, NN_ERR_SHAPE);
  g_assert_cmpint (nn_ckpt_get_tensor (r, "d.enc1.weight", dst, wshape, 4), ==, NN_ERR_CORRUPT);

  const void *data;
  size_t dlen;
  g_assert_cmpint (nn_ckpt_get_blob (r, "rng", &data, &dlen), ==, NN_ERR_CORRUPT);
  g_assert_cmpint (nn_ckpt_get_blob (r, "g.half", &data, &dlen), ==, NN_ERR_SHAPE);
  g_assert_false (nn_ckpt_has (r, "a-name-longer-than-the-sixty-three-bytes-a-section-name-may-have!"));

  nn_ckpt_reader_free (r);
  g_free (buf);
}

static void
test_ckpt_writer_errors (void)
{
  const float x[4] = { 1, 2, 3, 4 };
  const int shape[1] = { 4 }, bad[2] = { 4, 0 };
  char long_name[80];
  uint8_t *buf = (uint8_t *) 1;
  size_t len = 1;

  memset (long_name, 'x', sizeof long_name - 1);
  long_name[sizeof long_name - 1] = 0;

  NnCkptWriter *w = nn_ckpt_writer_new ();
  g_assert_cmpint (nn_ckpt_put_tensor (w, "a", x, shape, 1, 0), ==, NN_OK);
  g_assert_cmpint (nn_ckpt_put_tensor (w, "a", x, shape, 1, 0), ==, NN_ERR_INVALID);
  nn_ckpt_writer_free (w);

  /* Each failed put is remembered, and finish returns no buffer. */
  w = nn_ckpt_writer_new ();
  g_assert_cmpint (nn_ckpt_put_tensor (w, long_name, x, shape, 1, 0), ==, NN_ERR_INVALID);
  g_assert_cmpint (nn_ckpt_put_tensor (w, "b", x, shape, 1, 0), ==, NN_OK);
  g_assert_cmpint (nn_ckpt_finish (w, &buf, &len), ==, NN_ERR_INVALID);
  g_assert_null (buf);
  g_assert_cmpuint (len, ==, 0);

  w = nn_ckpt_writer_new ();
  g_assert_cmpint (nn_ckpt_put_tensor (w, "c", x, bad, 2, 0), ==, NN_ERR_INVALID);
  g_assert_cmpint (nn_ckpt_put_tensor (w, "", x, shape, 1, 0), ==, NN_ERR_INVALID);
  g_assert_cmpint (nn_ckpt_put_tensor (w, "d", x, shape, NN_CKPT_MAX_DIMS + 1, 0), ==, NN_ERR_INVALID);
  g_assert_cmpint (nn_ckpt_put_blob (w, "e", NULL, 3), ==, NN_ERR_INVALID);
  g_assert_cmpint (nn_ckpt_finish (w, &buf, &len), ==, NN_ERR_INVALID);
  g_assert_null (buf);

  /* An empty checkpoint is valid. */
  w = nn_ckpt_writer_new ();
  g_assert_cmpint (nn_ckpt_finish (w, &buf, &len), ==, NN_OK);
  g_assert_cmpuint (len, ==, 32);
  NnCkptReader *r;
  g_assert_cmpint (nn_ckpt_reader_open (&r, buf, len), ==, NN_OK);
  g_assert_false (nn_ckpt_has (r, "a"));
  nn_ckpt_reader_free (r);
  g_free (buf);
}

static NnStatus
open_status (const uint8_t *buf, size_t len)
{
  NnCkptReader *r = NULL;
  const NnStatus status = nn_ckpt_reader_open (&r, buf, len);
  if (status == NN_OK)
    g_assert_nonnull (r);
  else
    g_assert_null (r);
  nn_ckpt_reader_free (r);
  return status;
}

static void
test_ckpt_corrupt_header (void)
{
  float w[120], h[7];
  uint8_t *buf;
  size_t len;

  build_sample (&buf, &len, w, h);
  g_autofree uint8_t *copy = g_memdup2 (buf, len);

  /* Wrong magic, including files that are something else entirely. */
  copy[0] = 'z';
  g_assert_cmpint (open_status (copy, len), ==, NN_ERR_BAD_MAGIC);
  g_assert_cmpint (open_status ((const uint8_t *) "\x89PNG\r\n\x1a\n", 8), ==, NN_ERR_BAD_MAGIC);
  g_assert_cmpint (open_status ((const uint8_t *) "PK", 2), ==, NN_ERR_BAD_MAGIC);

  /* A newer version is reported as such even though its header checksum would not match ours. */
  memcpy (copy, buf, len);
  copy[8] = NN_CKPT_VERSION + 1;
  g_assert_cmpint (open_status (copy, len), ==, NN_ERR_VERSION);
  copy[8] = 1;
  copy[11] = 0x80;
  g_assert_cmpint (open_status (copy, len), ==, NN_ERR_VERSION);
  copy[11] = 0;
  copy[8] = 0;
  g_assert_cmpint (open_status (copy, len), ==, NN_ERR_CORRUPT);

  /* Every truncation, down to the empty file. */
  for (size_t cut = 0; cut < len; cut++)
    g_assert_cmpint (open_status (buf, cut), ==, NN_ERR_TRUNCATED);

  /* Trailing bytes are not silently ignored. */
  g_autofree uint8_t *longer = g_malloc0 (len + 3);
  memcpy (longer, buf, len);
  g_assert_cmpint (open_status (longer, len + 3), ==, NN_ERR_CORRUPT);
  g_assert_cmpint (open_status (longer, len), ==, NN_OK);

  g_free (buf);
}

static void
test_ckpt_flipped_bytes (void)
{
  float w[120], h[7];
  uint8_t *buf;
  size_t len;

  build_sample (&buf, &len, w, h);
  g_autofree uint8_t *copy = g_memdup2 (buf, len);

  /* Any changed byte from the section count on (header fields, the header checksum itself, the table,
   * the data) is caught by a checksum. */
  for (size_t i = 12; i < len; i++)
    for (int bit = 0; bit < 8; bit += 7)
      {
        copy[i] ^= (uint8_t) (1u << bit);
        g_assert_cmpint (open_status (copy, len), ==, NN_ERR_CHECKSUM);
        copy[i] = buf[i];
      }
  g_assert_cmpint (open_status (copy, len), ==, NN_OK);
  g_free (buf);
}

/* Rewrites both checksums of a modified buffer, to reach the reader's structural checks. */
static void
reseal (uint8_t *buf, size_t len)
{
  const uint32_t count = buf[12] | (buf[13] << 8) | (buf[14] << 16) | ((uint32_t) buf[15] << 24);
  /* A count edited past the file's end is rejected before the table checksum is read. */
  const size_t table = MIN ((size_t) count * 120, len - 32);
  uint32_t crc = nn_crc32 (0, buf + 32, table);
  for (int i = 0; i < 4; i++)
    buf[24 + i] = (uint8_t) (crc >> (8 * i));
  crc = nn_crc32 (0, buf + 8, 20);
  for (int i = 0; i < 4; i++)
    buf[28 + i] = (uint8_t) (crc >> (8 * i));
}

static void
test_ckpt_corrupt_structure (void)
{
  float w[120], h[7];
  uint8_t *buf;
  size_t len;

  build_sample (&buf, &len, w, h);
  g_autofree uint8_t *copy = g_memdup2 (buf, len);
  uint8_t *e0 = copy + 32, *e1 = copy + 32 + 120;  /* the first two table entries */

#define EXPECT_CORRUPT_AFTER(edit)               \
  do {                                           \
    memcpy (copy, buf, len);                     \
    edit;                                        \
    reseal (copy, len);                          \
    g_assert_cmpint (open_status (copy, len), ==, NN_ERR_CORRUPT); \
  } while (0)

  EXPECT_CORRUPT_AFTER (memset (e0, 'a', 64));                /* name not terminated */
  EXPECT_CORRUPT_AFTER (e0[0] = 0);                           /* empty name */
  EXPECT_CORRUPT_AFTER (e0[40] = 'x');                        /* junk after the terminator */
  EXPECT_CORRUPT_AFTER (memcpy (e1, e0, 64));                 /* duplicate name */
  EXPECT_CORRUPT_AFTER (e0[64] = 3);                          /* unknown type */
  EXPECT_CORRUPT_AFTER (e0[68] = 7);                          /* too many dimensions */
  EXPECT_CORRUPT_AFTER (e0[68] = 3);                          /* dimension 4 set but unused */
  EXPECT_CORRUPT_AFTER (e0[72] = 0);                          /* a zero dimension */
  EXPECT_CORRUPT_AFTER (e0[75] = 0x80);                       /* a dimension above INT_MAX */
  EXPECT_CORRUPT_AFTER (e0[72] = 4);                          /* shape and length disagree */
  EXPECT_CORRUPT_AFTER (e1[64] = 0; e1[68] = 1);              /* a blob with dimensions */
  EXPECT_CORRUPT_AFTER (e0[116] = 1);                         /* unknown flags */
  EXPECT_CORRUPT_AFTER (e0[96] += 4);                         /* a gap before the data */
  EXPECT_CORRUPT_AFTER (e0[103] = 0xFF);                      /* an offset far past the end */
  EXPECT_CORRUPT_AFTER (e1[111] = 0xFF);                      /* a length far past the end */
  EXPECT_CORRUPT_AFTER (e0[104] = 0xFF; e0[105] = 0xFF;       /* count·4 overflowing 64 bits */
                        memset (e0 + 106, 0xFF, 6);
                        e0[72] = 0xFF; e0[73] = 0xFF; e0[74] = 0xFF; e0[75] = 0x7F);
  EXPECT_CORRUPT_AFTER (copy[12] = 200);                      /* a table bigger than the file */
  EXPECT_CORRUPT_AFTER (copy[12] = 4);                        /* data left over after the table */
#undef EXPECT_CORRUPT_AFTER

  /* A changed data checksum in a resealed table is still a checksum error, of the section. */
  memcpy (copy, buf, len);
  e0[112] ^= 1;
  reseal (copy, len);
  g_assert_cmpint (open_status (copy, len), ==, NN_ERR_CHECKSUM);
  g_free (buf);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/nn/ckpt/crc32", test_ckpt_crc32);
  g_test_add_func ("/nn/ckpt/f16", test_ckpt_f16);
  g_test_add_func ("/nn/ckpt/round-trip", test_ckpt_round_trip);
  g_test_add_func ("/nn/ckpt/get-errors", test_ckpt_get_errors);
  g_test_add_func ("/nn/ckpt/writer-errors", test_ckpt_writer_errors);
  g_test_add_func ("/nn/ckpt/corrupt-header", test_ckpt_corrupt_header);
  g_test_add_func ("/nn/ckpt/flipped-bytes", test_ckpt_flipped_bytes);
  g_test_add_func ("/nn/ckpt/corrupt-structure", test_ckpt_corrupt_structure);

  return g_test_run ();
}
