/* zi-fileutil.c — crash-safe writes: temp file + fsync + rename (+ directory fsync), and the same idea
 * for whole directories. Every writer in Zimaru goes through here so that a crash, a SIGKILL or a full
 * disk never leaves a half-written file where a good one was. Also the check, shared by the readers
 * of our JSON files, that a text holds one JSON value. */
#include "zi-fileutil.h"
#include "zi-error.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

static void
fsync_parent_dir (const char *path)
{
  g_autofree char *dir = g_path_get_dirname (path);
  int fd = open (dir, O_RDONLY | O_DIRECTORY);

  if (fd >= 0)
    {
      fsync (fd);
      close (fd);
    }
}

static gboolean
write_all (int fd, const void *data, gsize len, int *saved_errno)
{
  const guint8 *p = data;

  while (len > 0)
    {
      ssize_t n = write (fd, p, len);

      if (n < 0)
        {
          if (errno == EINTR)
            continue;
          *saved_errno = errno;
          return FALSE;
        }
      p += n;
      len -= (gsize) n;
    }
  return TRUE;
}

struct _ZiFileStream
{
  int fd;
  int err;  /* errno of the first failed write; 0 while every write succeeded */
};

gboolean
zi_file_stream_write (ZiFileStream *out,
                      const void   *data,
                      gsize         len)
{
  g_return_val_if_fail (out != NULL, FALSE);
  g_return_val_if_fail (data != NULL || len == 0, FALSE);

  if (out->err == 0)
    write_all (out->fd, data, len, &out->err);
  return out->err == 0;
}

gboolean
zi_file_write_atomic_stream (const char       *path,
                             ZiFileWriteFunc   write_func,
                             gpointer          user_data,
                             GError          **error)
{
  g_autofree char *tmp = NULL;
  g_autoptr(GError) local = NULL;
  ZiFileStream out = { -1, 0 };
  gboolean produced;
  int err;

  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (write_func != NULL, FALSE);

  tmp = g_strdup_printf ("%s.tmp-XXXXXX", path);
  out.fd = g_mkstemp_full (tmp, O_WRONLY | O_CLOEXEC, 0644);
  if (out.fd < 0)
    {
      err = errno;
      g_set_error (error, ZI_ERROR, ZI_ERROR_IO, "Cannot create a file beside %s: %s", path,
                   g_strerror (err));
      return FALSE;
    }

  produced = write_func (&out, user_data, &local);
  if (produced && out.err == 0 && fsync (out.fd) != 0)
    out.err = errno;
  if (!produced || out.err != 0)
    {
      close (out.fd);
      g_unlink (tmp);
      /* A failed write explains itself better than what the producer made of it. */
      if (out.err != 0)
        g_set_error (error, ZI_ERROR, ZI_ERROR_IO, "Cannot write %s: %s%s", path,
                     g_strerror (out.err),
                     out.err == ENOSPC || out.err == EFBIG ? " (free some disk space and try again)" : "");
      else
        g_propagate_error (error, g_steal_pointer (&local));
      return FALSE;
    }
  if (close (out.fd) != 0)
    {
      err = errno;
      g_unlink (tmp);
      g_set_error (error, ZI_ERROR, ZI_ERROR_IO, "Cannot write %s: %s", path, g_strerror (err));
      return FALSE;
    }
  if (g_rename (tmp, path) != 0)
    {
      err = errno;
      g_unlink (tmp);
      g_set_error (error, ZI_ERROR, ZI_ERROR_IO, "Cannot replace %s: %s", path, g_strerror (err));
      return FALSE;
    }
  fsync_parent_dir (path);
  return TRUE;
}

/* The contents of zi_file_write_atomic(): one buffer. */
typedef struct
{
  const void *data;
  gsize       len;
} Buffer;

static gboolean
write_buffer (ZiFileStream  *out,
              gpointer       user_data,
              GError       **error)
{
  const Buffer *buf = user_data;

  return zi_file_stream_write (out, buf->data, buf->len);
}

gboolean
zi_file_write_atomic (const char  *path,
                      const void  *data,
                      gsize        len,
                      GError     **error)
{
  Buffer buf = { data, len };

  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (data != NULL || len == 0, FALSE);

  return zi_file_write_atomic_stream (path, write_buffer, &buf, error);
}

gboolean
zi_file_append_line (const char  *path,
                     const char  *line,
                     GError     **error)
{
  g_autofree char *buf = NULL;
  int fd;
  int err = 0;
  gsize len;

  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (line != NULL, FALSE);

  buf = g_strconcat (line, "\n", NULL);
  len = strlen (buf);
  fd = g_open (path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0)
    {
      err = errno;
      g_set_error (error, ZI_ERROR, ZI_ERROR_IO, "Cannot open %s for appending: %s", path,
                   g_strerror (err));
      return FALSE;
    }
  if (!write_all (fd, (const guint8 *) buf, len, &err) || fdatasync (fd) != 0)
    {
      if (err == 0)
        err = errno;
      close (fd);
      g_set_error (error, ZI_ERROR, ZI_ERROR_IO, "Cannot append to %s: %s", path, g_strerror (err));
      return FALSE;
    }
  close (fd);
  return TRUE;
}

char *
zi_dir_make_temp_beside (const char  *final_path,
                         GError     **error)
{
  g_autofree char *tmpl = NULL;

  g_return_val_if_fail (final_path != NULL, NULL);

  tmpl = g_strdup_printf ("%s.tmp-XXXXXX", final_path);
  if (g_mkdtemp (tmpl) == NULL)
    {
      int err = errno;
      g_autofree char *parent = g_path_get_dirname (final_path);

      g_set_error (error, ZI_ERROR, ZI_ERROR_IO, "Cannot create a directory in %s: %s%s", parent,
                   g_strerror (err),
                   err == ENOENT ? " (create the parent directory first)" : "");
      return NULL;
    }
  return g_steal_pointer (&tmpl);
}

void
zi_dir_remove_tree (const char *path)
{
  GDir *dir;
  const char *name;

  g_return_if_fail (path != NULL);

  dir = g_dir_open (path, 0, NULL);
  if (dir != NULL)
    {
      while ((name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *child = g_build_filename (path, name, NULL);

          if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
            zi_dir_remove_tree (child);
          else
            g_unlink (child);
        }
      g_dir_close (dir);
    }
  g_rmdir (path);
}

gboolean
zi_dir_commit (const char  *tmp_dir,
               const char  *final_path,
               gboolean     force,
               GError     **error)
{
  g_autofree char *aside = NULL;

  g_return_val_if_fail (tmp_dir != NULL, FALSE);
  g_return_val_if_fail (final_path != NULL, FALSE);

  if (g_file_test (final_path, G_FILE_TEST_EXISTS))
    {
      if (!force)
        {
          g_set_error (error, ZI_ERROR, ZI_ERROR_EXISTS,
                       "%s already exists (choose another folder, or pass --force to replace it)",
                       final_path);
          return FALSE;
        }
      aside = g_strdup_printf ("%s.old-XXXXXX", final_path);
      if (g_mkdtemp (aside) == NULL || g_rmdir (aside) != 0 || g_rename (final_path, aside) != 0)
        {
          int err = errno;
          g_set_error (error, ZI_ERROR, ZI_ERROR_IO, "Cannot move the old %s aside: %s", final_path,
                       g_strerror (err));
          return FALSE;
        }
    }
  if (g_rename (tmp_dir, final_path) != 0)
    {
      int err = errno;
      if (aside != NULL)
        g_rename (aside, final_path);
      g_set_error (error, ZI_ERROR, ZI_ERROR_IO, "Cannot move the output into %s: %s", final_path,
                   g_strerror (err));
      return FALSE;
    }
  fsync_parent_dir (final_path);
  if (aside != NULL)
    zi_dir_remove_tree (aside);
  return TRUE;
}

gboolean
zi_json_text_is_one_value (const char *text, gsize len)
{
  const char *p = text, *end = text + len;
  gboolean in_string = FALSE;
  int depth = 0;

  g_return_val_if_fail (text != NULL || len == 0, TRUE);

  while (p < end && g_ascii_isspace (*p))
    p++;
  if (p == end || (*p != '{' && *p != '['))
    return TRUE;
  for (; p < end; p++)
    {
      if (in_string)
        {
          if (*p == '\\' && p + 1 < end)
            p++;
          else if (*p == '"')
            in_string = FALSE;
        }
      else if (*p == '"')
        in_string = TRUE;
      else if (*p == '{' || *p == '[')
        depth++;
      else if ((*p == '}' || *p == ']') && --depth == 0)
        {
          for (p++; p < end && g_ascii_isspace (*p); p++)
            ;
          return p == end;
        }
    }
  return TRUE;  /* unterminated: JSON-GLib's error says where */
}

char *
zi_json_repair_exponents (char *json)
{
  gboolean in_string = FALSE;
  char *out = json;

  g_return_val_if_fail (json != NULL, NULL);

  for (const char *p = json; *p != '\0';)
    {
      if (in_string)
        {
          if (*p == '\\' && p[1] != '\0')
            *out++ = *p++;
          else if (*p == '"')
            in_string = FALSE;
          *out++ = *p++;
          continue;
        }
      if (*p == '"')
        in_string = TRUE;
      else if ((*p == 'e' || *p == 'E') && out > json && g_ascii_isdigit (out[-1]))
        {
          /* An exponent: copy it, then skip a ".0" that follows its digits. */
          *out++ = *p++;
          if (*p == '+' || *p == '-')
            *out++ = *p++;
          while (g_ascii_isdigit (*p))
            *out++ = *p++;
          if (p[0] == '.' && p[1] == '0' && !g_ascii_isdigit (p[2]))
            p += 2;
          continue;
        }
      *out++ = *p++;
    }
  *out = '\0';
  return json;
}
