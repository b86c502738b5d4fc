/* test-fileutil.c — atomic writes (zi-fileutil.h): a whole buffer or a stream of pieces lands in the
 * target; a producer that fails, or a write that fails (a file-size limit standing in for a full disk),
 * leaves the previous file as it was and no temporary file behind; and a model checkpoint streamed
 * from the engine into such a file is the one nn_pix2pix_save() builds in memory, while a sink that
 * fails half-way gives NN_ERR_IO and no file. */
#include "config.h"
#include "zi-error.h"
#include "zi-fileutil.h"
#include "nn-pix2pix.h"

#include <glib/gstdio.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

/* A fresh directory under the test's temporary directory. */
static char *
make_dir (void)
{
  g_autoptr(GError) error = NULL;
  char *dir = g_dir_make_tmp ("zi-fileutil-XXXXXX", &error);

  g_assert_no_error (error);
  return dir;
}

/* Asserts that dir holds exactly the one file named name (no temporary file beside it), or nothing
 * when name is NULL; then removes it all. */
static void
check_only_file_and_remove (const char *dir, const char *name)
{
  GDir *d = g_dir_open (dir, 0, NULL);
  const char *entry;
  guint n = 0;

  g_assert_nonnull (d);
  while ((entry = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, entry, NULL);

      g_assert_cmpstr (entry, ==, name);
      g_unlink (path);
      n++;
    }
  g_dir_close (d);
  g_assert_cmpuint (n, ==, name != NULL ? 1 : 0);
  g_assert_cmpint (g_rmdir (dir), ==, 0);
}

static void
assert_contents (const char *path, const void *data, gsize len)
{
  g_autofree char *got = NULL;
  gsize got_len = 0;
  g_autoptr(GError) error = NULL;

  g_assert_true (g_file_get_contents (path, &got, &got_len, &error));
  g_assert_no_error (error);
  g_assert_cmpmem (got, got_len, data, len);
}

static void
test_write_atomic (void)
{
  g_autofree char *dir = make_dir ();
  g_autofree char *path = g_build_filename (dir, "a.txt", NULL);
  g_autoptr(GError) error = NULL;

  g_assert_true (zi_file_write_atomic (path, "hello", 5, &error));
  g_assert_no_error (error);
  assert_contents (path, "hello", 5);
  g_assert_true (zi_file_write_atomic (path, "world!", 6, &error));
  g_assert_no_error (error);
  assert_contents (path, "world!", 6);
  g_assert_true (zi_file_write_atomic (path, NULL, 0, &error));
  g_assert_no_error (error);
  assert_contents (path, "", 0);
  check_only_file_and_remove (dir, "a.txt");
}

/* What a test producer writes: pieces of a text, then optionally a failure of its own. */
typedef struct
{
  const char *const *pieces;
  gboolean           fail;
  gsize              repeat;  /* times the pieces are written */
  gboolean           write_failed;
} Producer;

static gboolean
produce (ZiFileStream *out, gpointer user_data, GError **error)
{
  Producer *p = user_data;

  for (gsize r = 0; r < MAX (p->repeat, 1); r++)
    for (const char *const *piece = p->pieces; *piece != NULL; piece++)
      if (!zi_file_stream_write (out, *piece, strlen (*piece)))
        {
          /* Later writes do nothing and fail too. */
          g_assert_false (zi_file_stream_write (out, "x", 1));
          p->write_failed = TRUE;
          return FALSE;
        }
  if (p->fail)
    {
      g_set_error (error, ZI_ERROR, ZI_ERROR_INVALID, "the producer gave up");
      return FALSE;
    }
  return TRUE;
}

static void
test_stream (void)
{
  static const char *const pieces[] = { "one ", "", "two ", "three", NULL };
  g_autofree char *dir = make_dir ();
  g_autofree char *path = g_build_filename (dir, "b.txt", NULL);
  g_autoptr(GError) error = NULL;
  Producer p = { pieces, FALSE, 1, FALSE };

  g_assert_true (zi_file_write_atomic_stream (path, produce, &p, &error));
  g_assert_no_error (error);
  assert_contents (path, "one two three", 13);

  /* A producer that fails after writing leaves the previous file, and a new target absent. */
  p.fail = TRUE;
  g_assert_false (zi_file_write_atomic_stream (path, produce, &p, &error));
  g_assert_error (error, ZI_ERROR, ZI_ERROR_INVALID);
  g_assert_cmpstr (error->message, ==, "the producer gave up");
  g_clear_error (&error);
  assert_contents (path, "one two three", 13);
  g_autofree char *other = g_build_filename (dir, "c.txt", NULL);
  g_assert_false (zi_file_write_atomic_stream (other, produce, &p, &error));
  g_assert_error (error, ZI_ERROR, ZI_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (g_file_test (other, G_FILE_TEST_EXISTS));
  check_only_file_and_remove (dir, "b.txt");

  /* A target in a missing directory: the error names it. */
  g_autofree char *nowhere = g_build_filename (dir, "missing", "d.txt", NULL);
  g_assert_false (zi_file_write_atomic_stream (nowhere, produce, &p, &error));
  g_assert_error (error, ZI_ERROR, ZI_ERROR_IO);
  g_assert_nonnull (strstr (error->message, nowhere));
}

/* Runs func under a file-size limit of limit bytes, with SIGXFSZ ignored so that writes past it fail
 * with EFBIG as on a full disk. */
static void
with_size_limit (rlim_t limit, void (*func) (gpointer), gpointer data)
{
  struct rlimit old, lim;
  void (*old_handler) (int) = signal (SIGXFSZ, SIG_IGN);

  g_assert_cmpint (getrlimit (RLIMIT_FSIZE, &old), ==, 0);
  lim = old;
  lim.rlim_cur = limit;
  g_assert_cmpint (setrlimit (RLIMIT_FSIZE, &lim), ==, 0);
  func (data);
  g_assert_cmpint (setrlimit (RLIMIT_FSIZE, &old), ==, 0);
  signal (SIGXFSZ, old_handler);
}

typedef struct
{
  const char *path;
  Producer   *producer;
  gboolean    ok;
  GError     *error;
} Job;

static void
run_job (gpointer data)
{
  Job *job = data;

  job->ok = zi_file_write_atomic_stream (job->path, produce, job->producer, &job->error);
}

static void
test_stream_write_fails (void)
{
  static const char *const pieces[] = { "0123456789abcdef0123456789abcdef", NULL };
  g_autofree char *dir = make_dir ();
  g_autofree char *path = g_build_filename (dir, "e.bin", NULL);
  g_autoptr(GError) error = NULL;
  Producer p = { pieces, FALSE, 4096, FALSE };  /* 128 KiB */
  Job job = { path, &p, TRUE, NULL };

  g_assert_true (zi_file_write_atomic (path, "old", 3, &error));
  with_size_limit (64 * 1024, run_job, &job);
  g_assert_false (job.ok);
  g_assert_true (p.write_failed);
  g_assert_error (job.error, ZI_ERROR, ZI_ERROR_IO);
  g_assert_nonnull (strstr (job.error->message, path));
  g_assert_nonnull (strstr (job.error->message, "free some disk space"));
  g_clear_error (&job.error);
  assert_contents (path, "old", 3);
  check_only_file_and_remove (dir, "e.bin");
}

/* ---- a checkpoint streamed from the engine, as the trainer writes one ---- */

typedef struct
{
  const NnPix2Pix *model;
  gsize            budget;  /* bytes the sink passes on before it fails */
  gsize            passed;
  ZiFileStream    *out;
} ModelJob;

/* The engine's sink: into the file, until budget bytes have passed. */
static int
budget_sink (void *user, const void *data, size_t len)
{
  ModelJob *job = user;

  if (len > job->budget - job->passed)
    return 1;
  job->passed += len;
  return zi_file_stream_write (job->out, data, len) ? 0 : 1;
}

static gboolean
produce_model (ZiFileStream *out, gpointer user_data, GError **error)
{
  ModelJob *job = user_data;
  NnStatus st;

  job->out = out;
  st = nn_pix2pix_save_stream (job->model, NULL, 9, "{}", 0, 0, budget_sink, job);
  if (st != NN_OK)
    {
      zi_error_from_nn (error, st, "saving the model");
      return FALSE;
    }
  return TRUE;
}

static void
test_checkpoint_stream (void)
{
  g_autofree char *dir = make_dir ();
  g_autofree char *path = g_build_filename (dir, "step-00000009.zck", NULL);
  g_autoptr(GError) error = NULL;
  NnPix2PixConfig cfg;
  NnOptConfig opt;
  NnPix2Pix *m = NULL;
  uint8_t *buf = NULL;
  size_t len = 0;

  nn_pix2pix_defaults (&cfg);
  cfg.size = 32;
  cfg.ngf = 4;
  cfg.batch = 2;
  nn_optim_defaults (&opt, NN_OPT_ADAM);
  g_assert_cmpint (nn_pix2pix_create (&m, &cfg, &opt, &opt, 3), ==, NN_OK);
  g_assert_cmpint (nn_pix2pix_save (m, NULL, 9, "{}", 0, 0, &buf, &len), ==, NN_OK);

  ModelJob job = { m, G_MAXSIZE, 0, NULL };
  g_assert_true (zi_file_write_atomic_stream (path, produce_model, &job, &error));
  g_assert_no_error (error);
  assert_contents (path, buf, len);

  /* The sink fails half-way through a new version of the file: the engine reports NN_ERR_IO, and
   * the checkpoint on disk is the previous one, with nothing beside it. */
  g_assert_true (zi_file_write_atomic (path, "previous", 8, &error));
  job.budget = len / 2;
  job.passed = 0;
  g_assert_false (zi_file_write_atomic_stream (path, produce_model, &job, &error));
  g_assert_error (error, ZI_ERROR, ZI_ERROR_IO);
  g_assert_nonnull (strstr (error->message, "saving the model"));
  g_clear_error (&error);
  assert_contents (path, "previous", 8);
  check_only_file_and_remove (dir, "step-00000009.zck");

  free (buf);
  nn_pix2pix_free (m);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/core/fileutil/write-atomic", test_write_atomic);
  g_test_add_func ("/core/fileutil/stream", test_stream);
  g_test_add_func ("/core/fileutil/stream-write-fails", test_stream_write_fails);
  g_test_add_func ("/core/fileutil/checkpoint-stream", test_checkpoint_stream);
  return g_test_run ();
}
