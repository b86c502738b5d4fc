/* zi-run-lock.c — RUN/.lock (see zi-run-lock.h).
 *
 * The lock is an open file description lock (fcntl F_OFD_SETLK, Linux 3.15): unlike a classic POSIX
 * record lock it belongs to the open file, not to the process, so two writers in one process (two
 * windows) exclude each other, and a reader that opens and closes the file to ask who writes does not
 * drop this process's lock as closing any descriptor of the file would with F_SETLK. The kernel drops
 * it when the last descriptor closes, at exit or a crash. The file is never deleted while a run
 * lives: deleting it would let a new writer lock a new file while an old one still holds the
 * unlinked one. */
#define _GNU_SOURCE
#include "config.h"
#include "zi-run-lock.h"
#include "zi-error.h"
#include "zi-fileutil.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <string.h>
#include <unistd.h>

#ifndef F_OFD_SETLK
#error "zi-run-lock.c needs open file description locks (F_OFD_SETLK, Linux 3.15 and glibc 2.20)"
#endif

/* The lock file is a few hundred bytes; more is not ours. */
#define LOCK_MAX_BYTES 4096

struct _ZiRunLock {
  int   fd;
  char *path;
};

void
zi_run_writer_clear (ZiRunWriter *writer)
{
  g_return_if_fail (writer != NULL);

  g_free (writer->host);
  g_free (writer->program);
  memset (writer, 0, sizeof *writer);
}

char *
zi_run_lock_path (const char *run_dir)
{
  g_return_val_if_fail (run_dir != NULL, NULL);

  return g_build_filename (run_dir, ZI_RUN_LOCK_FILE_NAME, NULL);
}

/* The whole file, for writing (F_WRLCK) or asking (F_OFD_GETLK). */
static struct flock
whole_file (short type)
{
  struct flock fl = { 0 };

  fl.l_type = type;
  fl.l_whence = SEEK_SET;
  fl.l_start = 0;
  fl.l_len = 0;
  return fl;
}

/* The writer the lock file names; a file that is empty (a writer between its lock and its write),
 * torn or not ours names no one. */
static void
read_writer (int fd, ZiRunWriter *writer)
{
  char buf[LOCK_MAX_BYTES + 1];
  ssize_t len;
  g_autoptr(JsonNode) root = NULL;
  JsonObject *o;
  JsonNode *n;
  const char *s;

  memset (writer, 0, sizeof *writer);
  len = pread (fd, buf, LOCK_MAX_BYTES, 0);
  if (len <= 0)
    return;
  buf[len] = '\0';
  if (!zi_json_text_is_one_value (buf, (gsize) len))
    return;
  root = json_from_string (buf, NULL);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return;
  o = json_node_get_object (root);
  if ((n = json_object_get_member (o, "pid")) != NULL && json_node_get_value_type (n) == G_TYPE_INT64)
    writer->pid = CLAMP (json_node_get_int (n), 0, G_MAXINT);
  if ((n = json_object_get_member (o, "started")) != NULL && json_node_get_value_type (n) == G_TYPE_INT64)
    writer->started = MAX (0, json_node_get_int (n));
  if ((n = json_object_get_member (o, "host")) != NULL && json_node_get_value_type (n) == G_TYPE_STRING
      && g_utf8_validate (s = json_node_get_string (n), -1, NULL))
    writer->host = g_strdup (s);
  if ((n = json_object_get_member (o, "program")) != NULL && json_node_get_value_type (n) == G_TYPE_STRING
      && g_utf8_validate (s = json_node_get_string (n), -1, NULL))
    writer->program = g_strdup (s);
}

static char *
writer_to_json (const char *program)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *text = NULL;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "pid");
  json_builder_add_int_value (b, getpid ());
  json_builder_set_member_name (b, "host");
  json_builder_add_string_value (b, g_get_host_name ());
  json_builder_set_member_name (b, "program");
  json_builder_add_string_value (b, program);
  json_builder_set_member_name (b, "started");
  json_builder_add_int_value (b, g_get_real_time () / G_USEC_PER_SEC);
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  text = json_to_string (root, FALSE);
  return g_strconcat (text, "\n", NULL);
}

char *
zi_run_writer_describe (const ZiRunWriter *w)
{
  g_autoptr(GDateTime) started = NULL;
  g_autoptr(GDateTime) now = NULL;
  g_autofree char *since = NULL;

  g_return_val_if_fail (w != NULL, NULL);

  if (w->program == NULL || w->pid <= 0)
    return g_strdup (_("another program"));
  started = w->started > 0 ? g_date_time_new_from_unix_local (w->started) : NULL;
  now = g_date_time_new_now_local ();
  if (started == NULL)
    since = g_strdup ("?");
  else if (g_date_time_get_year (started) == g_date_time_get_year (now)
           && g_date_time_get_day_of_year (started) == g_date_time_get_day_of_year (now))
    since = g_date_time_format (started, "%H:%M");
  else
    since = g_date_time_format (started, "%Y-%m-%d %H:%M");
  /* TRANSLATORS: a writer of a run: program (pid on host, since the time it started). */
  return g_strdup_printf (_("%s (pid %d on %s, since %s)"), w->program, (int) w->pid,
                          w->host != NULL ? w->host : "?", since);
}

ZiRunLock *
zi_run_lock_acquire (const char *run_dir, const char *program, GError **error)
{
  g_autofree char *path = NULL;
  g_autofree char *text = NULL;
  struct flock fl = whole_file (F_WRLCK);
  ZiRunLock *lock;
  int fd, saved;

  g_return_val_if_fail (run_dir != NULL, NULL);

  path = zi_run_lock_path (run_dir);
  fd = open (path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0)
    {
      saved = errno;
      g_set_error (error, ZI_ERROR, ZI_ERROR_IO, _("Cannot create the lock file %s: %s"), path,
                   g_strerror (saved));
      return NULL;
    }
  if (fcntl (fd, F_OFD_SETLK, &fl) != 0)
    {
      saved = errno;
      if (saved == EAGAIN || saved == EACCES)
        {
          g_auto(ZiRunWriter) writer = { 0 };
          g_autofree char *who = NULL;

          read_writer (fd, &writer);
          who = zi_run_writer_describe (&writer);
          g_set_error (error, ZI_ERROR, ZI_ERROR_BUSY,
                       _("The run %s is being trained by %s; stop it first, or open the run read-only "
                         "in the window."), run_dir, who);
        }
      else
        g_set_error (error, ZI_ERROR, ZI_ERROR_IO, _("Cannot lock %s: %s"), path, g_strerror (saved));
      close (fd);
      return NULL;
    }
  /* Ours now: the previous writer's words go, ours come. A lock file that cannot be written still
   * locks; only the message a second writer gets is poorer. */
  text = writer_to_json (program != NULL ? program : g_get_application_name ());
  if (ftruncate (fd, 0) != 0 || pwrite (fd, text, strlen (text), 0) != (ssize_t) strlen (text))
    g_debug ("could not write the writer into %s: %s", path, g_strerror (errno));
  lock = g_new0 (ZiRunLock, 1);
  lock->fd = fd;
  lock->path = g_steal_pointer (&path);
  return lock;
}

void
zi_run_lock_release (ZiRunLock *lock)
{
  if (lock == NULL)
    return;
  /* Emptied while still held, so that no one reads our name after we are gone. */
  if (ftruncate (lock->fd, 0) != 0)
    g_debug ("could not empty %s: %s", lock->path, g_strerror (errno));
  close (lock->fd);
  g_free (lock->path);
  g_free (lock);
}

gboolean
zi_run_lock_get_writer (const char *run_dir, ZiRunWriter *writer)
{
  g_autofree char *path = NULL;
  struct flock fl = whole_file (F_WRLCK);
  gboolean held;
  int fd;

  g_return_val_if_fail (run_dir != NULL, FALSE);

  if (writer != NULL)
    memset (writer, 0, sizeof *writer);
  path = zi_run_lock_path (run_dir);
  fd = open (path, O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return FALSE;
  /* F_OFD_GETLK answers whether a write lock could be taken, and takes nothing. */
  held = fcntl (fd, F_OFD_GETLK, &fl) == 0 && fl.l_type != F_UNLCK;
  if (held && writer != NULL)
    read_writer (fd, writer);
  close (fd);
  return held;
}
