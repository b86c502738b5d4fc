/* test-run-lock.c — zi-run-lock.h: one writer per run directory. The lock file names its writer, a
 * second writer (even in the same process) is refused with a message naming the first, a reader
 * asks without taking anything, a release lets the next writer in, and a writer killed with SIGKILL
 * leaves no stale lock. */
#include "zi-error.h"
#include "zi-run-lock.h"

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static char *
make_run_dir (void)
{
  g_autoptr(GError) error = NULL;
  char *dir = g_dir_make_tmp ("zi-run-lock-XXXXXX", &error);

  g_assert_no_error (error);
  return dir;
}

static void
remove_run_dir (const char *dir)
{
  g_autofree char *path = zi_run_lock_path (dir);

  g_unlink (path);
  g_rmdir (dir);
}

static void
test_file (void)
{
  g_autofree char *dir = make_run_dir ();
  g_autofree char *path = zi_run_lock_path (dir);
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(ZiRunLock) lock = NULL;
  g_auto(ZiRunWriter) writer = { 0 };
  JsonObject *o;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;

  g_assert_false (zi_run_lock_get_writer (dir, &writer));
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));  /* asking creates nothing */

  lock = zi_run_lock_acquire (dir, "test-writer", &error);
  g_assert_no_error (error);
  g_assert_nonnull (lock);
  g_assert_true (g_str_has_suffix (path, "/.lock"));
  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  root = json_from_string (text, &error);
  g_assert_no_error (error);
  o = json_node_get_object (root);
  g_assert_cmpint (json_object_get_int_member (o, "pid"), ==, getpid ());
  g_assert_cmpstr (json_object_get_string_member (o, "host"), ==, g_get_host_name ());
  g_assert_cmpstr (json_object_get_string_member (o, "program"), ==, "test-writer");
  g_assert_cmpint (ABS (json_object_get_int_member (o, "started") - now), <=, 2);

  g_assert_true (zi_run_lock_get_writer (dir, &writer));
  g_assert_cmpint (writer.pid, ==, getpid ());
  g_assert_cmpstr (writer.program, ==, "test-writer");
  g_assert_cmpstr (writer.host, ==, g_get_host_name ());

  /* Released: emptied, free, and the file stays. */
  g_clear_pointer (&lock, zi_run_lock_release);
  g_clear_pointer (&text, g_free);
  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  g_assert_cmpstr (text, ==, "");
  g_assert_false (zi_run_lock_get_writer (dir, NULL));
  remove_run_dir (dir);
}

static void
test_second_writer (void)
{
  g_autofree char *dir = make_run_dir ();
  g_autofree char *pid = g_strdup_printf ("pid %d on %s", (int) getpid (), g_get_host_name ());
  g_autoptr(GError) error = NULL;
  g_autoptr(ZiRunLock) first = NULL;
  g_autoptr(ZiRunLock) second = NULL;
  g_autoptr(ZiRunLock) third = NULL;

  first = zi_run_lock_acquire (dir, "zimaru-cli", &error);
  g_assert_no_error (error);
  /* Another writer in this very process (a second window) is refused too. */
  second = zi_run_lock_acquire (dir, "Zimaru window", &error);
  g_assert_null (second);
  g_assert_error (error, ZI_ERROR, ZI_ERROR_BUSY);
  g_assert_null (strchr (error->message, '\n'));
  g_assert_true (g_str_has_prefix (error->message, "The run "));
  g_assert_nonnull (strstr (error->message, dir));
  g_assert_nonnull (strstr (error->message, "is being trained by zimaru-cli ("));
  g_assert_nonnull (strstr (error->message, pid));
  g_assert_nonnull (strstr (error->message, ", since "));
  g_assert_nonnull (strstr (error->message, "stop it first, or open the run read-only in the window."));
  g_clear_error (&error);
  /* A reader asking in between does not drop the writer's lock. */
  g_assert_true (zi_run_lock_get_writer (dir, NULL));
  g_assert_true (zi_run_lock_get_writer (dir, NULL));
  g_assert_null (zi_run_lock_acquire (dir, NULL, NULL));

  g_clear_pointer (&first, zi_run_lock_release);
  third = zi_run_lock_acquire (dir, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (third);
  g_clear_pointer (&third, zi_run_lock_release);
  remove_run_dir (dir);
}

/* A lock file that is not ours, or empty (a writer between taking the lock and writing its name). */
static void
test_unknown_writer (void)
{
  g_autofree char *dir = make_run_dir ();
  g_autofree char *path = zi_run_lock_path (dir);
  g_autoptr(GError) error = NULL;
  g_autoptr(ZiRunLock) lock = NULL;
  ZiRunWriter writer = { 0 };
  g_autofree char *text = NULL;
  FILE *f;

  lock = zi_run_lock_acquire (dir, NULL, &error);
  g_assert_no_error (error);
  /* Written in place: g_file_set_contents() would rename a new file over the locked one. */
  f = fopen (path, "w");
  g_assert_nonnull (f);
  fputs ("{\"pid\": \"x\"} trailing", f);
  fclose (f);
  g_assert_true (zi_run_lock_get_writer (dir, &writer));
  g_assert_cmpint (writer.pid, ==, 0);
  g_assert_null (writer.program);
  text = zi_run_writer_describe (&writer);
  g_assert_cmpstr (text, ==, "another program");
  zi_run_writer_clear (&writer);
  g_clear_pointer (&lock, zi_run_lock_release);
  remove_run_dir (dir);
}

static void
test_killed_writer (void)
{
  g_autofree char *dir = make_run_dir ();
  g_autoptr(GError) error = NULL;
  g_autoptr(ZiRunLock) lock = NULL;
  int ready[2];
  pid_t child;
  char c;

  g_assert_cmpint (pipe (ready), ==, 0);
  child = fork ();
  g_assert_cmpint (child, >=, 0);
  if (child == 0)
    {
      ZiRunLock *held = zi_run_lock_acquire (dir, "doomed", NULL);
      if (write (ready[1], held != NULL ? "y" : "n", 1) != 1)
        _exit (2);
      for (;;)
        pause ();
    }
  close (ready[1]);
  g_assert_cmpint (read (ready[0], &c, 1), ==, 1);
  g_assert_cmpint (c, ==, 'y');
  close (ready[0]);
  g_assert_null (zi_run_lock_acquire (dir, NULL, &error));
  g_assert_error (error, ZI_ERROR, ZI_ERROR_BUSY);
  g_assert_nonnull (strstr (error->message, "doomed"));
  g_clear_error (&error);

  kill (child, SIGKILL);
  g_assert_cmpint (waitpid (child, NULL, 0), ==, child);
  /* No stale lock: the kernel dropped it with the process. */
  g_assert_false (zi_run_lock_get_writer (dir, NULL));
  lock = zi_run_lock_acquire (dir, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (lock);
  g_clear_pointer (&lock, zi_run_lock_release);
  remove_run_dir (dir);
}

static void
test_missing_dir (void)
{
  g_autoptr(GError) error = NULL;

  g_assert_null (zi_run_lock_acquire ("/nonexistent/run", NULL, &error));
  g_assert_error (error, ZI_ERROR, ZI_ERROR_IO);
  g_assert_nonnull (strstr (error->message, "/nonexistent/run/.lock"));
  g_assert_false (zi_run_lock_get_writer ("/nonexistent/run", NULL));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/core/run-lock/file", test_file);
  g_test_add_func ("/core/run-lock/second-writer", test_second_writer);
  g_test_add_func ("/core/run-lock/unknown-writer", test_unknown_writer);
  g_test_add_func ("/core/run-lock/killed-writer", test_killed_writer);
  g_test_add_func ("/core/run-lock/missing-dir", test_missing_dir);
  return g_test_run ();
}
