/* test-ckpt-stream.c — the checkpoint writer's streaming: nn_ckpt_finish_stream() hands a sink the
 * very bytes nn_ckpt_finish() returns (and those of the format as it was before streaming, pinned by
 * a digest), float32 tensors are borrowed rather than copied, a sink that fails stops the writing
 * with NN_ERR_IO after a prefix of the file, and nn_pix2pix_save_stream() matches nn_pix2pix_save(). */
#include <glib.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "nn-ckpt.h"
#include "nn-pix2pix.h"

/* More than two 64 KiB chunks of float32, and not a whole number of them. */
#define BIG 40000

typedef struct {
  GByteArray *bytes;
  size_t      budget;       /* the sink fails a call that would take it past this many bytes */
  guint       calls;
  guint       calls_after;  /* calls after it failed: there must be none */
  gboolean    failed;
} Sink;

static int
sink_cb (void *user, const void *data, size_t len)
{
  Sink *s = user;

  s->calls++;
  if (s->failed)
    s->calls_after++;
  if (s->failed || len > s->budget - s->bytes->len)
    {
      s->failed = TRUE;
      return 1;
    }
  g_byte_array_append (s->bytes, data, (guint) len);
  return 0;
}

static void
sink_init (Sink *s, size_t budget)
{
  memset (s, 0, sizeof *s);
  s->bytes = g_byte_array_new ();
  s->budget = budget;
}

static float
f32_from_bits (uint32_t u)
{
  float f;
  memcpy (&f, &u, sizeof f);
  return f;
}

/* The tensors of the test checkpoint; the writer borrows them, so they outlive it. */
typedef struct {
  float big[BIG], half[7], six[64], scalar;
} Tensors;

static void
tensors_fill (Tensors *t)
{
  /* Exact values from integer arithmetic, so that the digest below holds on any host. */
  for (int i = 0; i < BIG; i++)
    t->big[i] = (float) ((i * 7919) % 20011 - 10005) / 1024.0f;
  t->big[0] = -0.0f;
  t->big[1] = 0x1p-140f;  /* a float subnormal */
  t->big[2] = INFINITY;
  t->big[3] = f32_from_bits (0x7FC01234u);  /* a NaN with a payload */
  for (int i = 0; i < 7; i++)
    t->half[i] = 0.37f * (float) (i - 3);
  for (int i = 0; i < 64; i++)
    t->six[i] = (float) i - 31.5f;
  t->scalar = 42.5f;
}

/* A writer holding every kind of section: blobs (one empty), float32 tensors (scalar to six
 * dimensions, one over several chunks) and a float16 one. */
static NnCkptWriter *
writer_fill (const Tensors *t)
{
  static const char arch[] = "zimaru-test 1\nsize=64\n";
  const int big_shape[2] = { 200, BIG / 200 }, half_shape[1] = { 7 };
  const int six_shape[6] = { 1, 2, 2, 2, 2, 4 };
  NnCkptWriter *w = nn_ckpt_writer_new ();

  g_assert_nonnull (w);
  g_assert_cmpint (nn_ckpt_put_blob (w, "arch", arch, strlen (arch)), ==, NN_OK);
  g_assert_cmpint (nn_ckpt_put_tensor (w, "g.big", t->big, big_shape, 2, 0), ==, NN_OK);
  g_assert_cmpint (nn_ckpt_put_tensor (w, "g.half", t->half, half_shape, 1, 1), ==, NN_OK);
  g_assert_cmpint (nn_ckpt_put_tensor (w, "g.six", t->six, six_shape, 6, 0), ==, NN_OK);
  g_assert_cmpint (nn_ckpt_put_tensor (w, "step", &t->scalar, NULL, 0, 0), ==, NN_OK);
  g_assert_cmpint (nn_ckpt_put_blob (w, "empty", NULL, 0), ==, NN_OK);
  return w;
}

/* The streamed file is the buffered one, byte for byte, and the format of the writer that copied
 * every tensor and built the file in memory (its SHA-256 for this content, taken before streaming
 * existed): the container's layout has not moved. */
static void
test_same_bytes (void)
{
  g_autofree Tensors *t = g_new (Tensors, 1);
  uint8_t *buf = NULL;
  size_t len = 0;
  Sink s;
  g_autofree char *digest = NULL;

  tensors_fill (t);
  g_assert_cmpint (nn_ckpt_finish (writer_fill (t), &buf, &len), ==, NN_OK);
  sink_init (&s, G_MAXSIZE);
  g_assert_cmpint (nn_ckpt_finish_stream (writer_fill (t), sink_cb, &s), ==, NN_OK);
  g_assert_cmpmem (s.bytes->data, s.bytes->len, buf, len);
  /* The header and table, then each float32 chunk, each float16 tensor and each non-empty blob. */
  g_assert_cmpuint (s.calls, ==, 1 + 1 + 3 + 1 + 1 + 1);

  digest = g_compute_checksum_for_data (G_CHECKSUM_SHA256, buf, len);
  g_assert_cmpstr (digest, ==, "3b4339ca139532ad4cb13043258d71e14cf3fb4a34762459ea1683a8903d8531");

  NnCkptReader *r = NULL;
  g_autofree float *back = g_new (float, BIG);
  const int big_shape[2] = { 200, BIG / 200 };
  g_assert_cmpint (nn_ckpt_reader_open (&r, s.bytes->data, s.bytes->len), ==, NN_OK);
  g_assert_cmpint (nn_ckpt_get_tensor (r, "g.big", back, big_shape, 2), ==, NN_OK);
  g_assert_cmpmem (back, BIG * sizeof (float), t->big, BIG * sizeof (float));
  nn_ckpt_reader_free (r);
  g_byte_array_unref (s.bytes);
  free (buf);
}

/* Float32 data is borrowed: what it holds when the writer finishes is what the file holds. */
static void
test_borrows (void)
{
  float x[3] = { 1, 2, 3 };
  const float later[3] = { 4, 5, 6 };
  const int shape[1] = { 3 };
  NnCkptWriter *w = nn_ckpt_writer_new ();
  NnCkptReader *r = NULL;
  uint8_t *buf = NULL;
  size_t len = 0;
  float back[3];

  g_assert_cmpint (nn_ckpt_put_tensor (w, "x", x, shape, 1, 0), ==, NN_OK);
  memcpy (x, later, sizeof x);
  g_assert_cmpint (nn_ckpt_finish (w, &buf, &len), ==, NN_OK);
  g_assert_cmpint (nn_ckpt_reader_open (&r, buf, len), ==, NN_OK);
  g_assert_cmpint (nn_ckpt_get_tensor (r, "x", back, shape, 1), ==, NN_OK);
  g_assert_cmpmem (back, sizeof back, later, sizeof later);
  nn_ckpt_reader_free (r);
  free (buf);
}

/* A sink that refuses the bytes at any point — the header, the middle of a chunked tensor, the last
 * section — ends the writing with NN_ERR_IO, having received a prefix of the file and no call after
 * its failure. Bad arguments and failed puts never reach the sink. */
static void
test_sink_fails (void)
{
  g_autofree Tensors *t = g_new (Tensors, 1);
  uint8_t *buf = NULL;
  size_t len = 0;
  const size_t budgets[] = { 0, 31, 32 + 6 * 120, 32 + 6 * 120 + 30 + 65536 + 1000 };

  tensors_fill (t);
  g_assert_cmpint (nn_ckpt_finish (writer_fill (t), &buf, &len), ==, NN_OK);
  for (guint i = 0; i <= G_N_ELEMENTS (budgets); i++)
    {
      /* The last budget is one byte short of the whole file. */
      size_t budget = i < G_N_ELEMENTS (budgets) ? budgets[i] : len - 1;
      Sink s;

      sink_init (&s, budget);
      g_assert_cmpint (nn_ckpt_finish_stream (writer_fill (t), sink_cb, &s), ==, NN_ERR_IO);
      g_assert_true (s.failed);
      g_assert_cmpuint (s.calls_after, ==, 0);
      g_assert_cmpuint (s.bytes->len, <=, budget);
      g_assert_cmpmem (s.bytes->data, s.bytes->len, buf, s.bytes->len);
      g_byte_array_unref (s.bytes);
    }
  free (buf);

  Sink s;
  const float x[1] = { 1 };
  const int bad[1] = { 0 };
  NnCkptWriter *w = nn_ckpt_writer_new ();
  sink_init (&s, G_MAXSIZE);
  g_assert_cmpint (nn_ckpt_put_tensor (w, "x", x, bad, 1, 0), ==, NN_ERR_INVALID);
  g_assert_cmpint (nn_ckpt_finish_stream (w, sink_cb, &s), ==, NN_ERR_INVALID);
  g_assert_cmpuint (s.calls, ==, 0);
  g_assert_cmpint (nn_ckpt_finish_stream (nn_ckpt_writer_new (), NULL, NULL), ==, NN_ERR_INVALID);
  g_assert_cmpint (nn_ckpt_finish_stream (NULL, sink_cb, &s), ==, NN_ERR_INVALID);
  g_assert_cmpuint (s.calls, ==, 0);
  g_byte_array_unref (s.bytes);
}

/* The model's streamed checkpoint equals its buffered one: a training checkpoint (both networks and
 * the Adam state) and a generator-only float16 one; a failing sink gives NN_ERR_IO. */
static void
test_pix2pix_stream (void)
{
  NnPix2PixConfig cfg;
  NnOptConfig opt;
  NnPix2Pix *m = NULL;
  NnRng rng;

  nn_pix2pix_defaults (&cfg);
  cfg.size = 32;
  cfg.ngf = 4;
  cfg.batch = 2;
  nn_optim_defaults (&opt, NN_OPT_ADAM);
  g_assert_cmpint (nn_pix2pix_create (&m, &cfg, &opt, &opt, 3), ==, NN_OK);
  nn_rng_seed (&rng, 5);
  for (int generator_only = 0; generator_only <= 1; generator_only++)
    {
      uint8_t *buf = NULL;
      size_t len = 0;
      Sink s;

      g_assert_cmpint (nn_pix2pix_save (m, &rng, 77, "{\"a\": 1}", generator_only, generator_only,
                                        &buf, &len), ==, NN_OK);
      sink_init (&s, G_MAXSIZE);
      g_assert_cmpint (nn_pix2pix_save_stream (m, &rng, 77, "{\"a\": 1}", generator_only,
                                               generator_only, sink_cb, &s), ==, NN_OK);
      g_assert_cmpmem (s.bytes->data, s.bytes->len, buf, len);
      g_byte_array_unref (s.bytes);

      sink_init (&s, len / 2);
      g_assert_cmpint (nn_pix2pix_save_stream (m, &rng, 77, NULL, generator_only, generator_only,
                                               sink_cb, &s), ==, NN_ERR_IO);
      g_assert_cmpuint (s.calls_after, ==, 0);
      g_byte_array_unref (s.bytes);
      free (buf);
    }
  g_assert_cmpint (nn_pix2pix_save_stream (m, NULL, 0, NULL, 0, 0, NULL, NULL), ==, NN_ERR_INVALID);
  nn_pix2pix_free (m);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/nn/ckpt/stream/same-bytes", test_same_bytes);
  g_test_add_func ("/nn/ckpt/stream/borrows", test_borrows);
  g_test_add_func ("/nn/ckpt/stream/sink-fails", test_sink_fails);
  g_test_add_func ("/nn/ckpt/stream/pix2pix", test_pix2pix_stream);
  return g_test_run ();
}
