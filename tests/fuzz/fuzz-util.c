/* fuzz-util.c — the scratch directory, fatal GLib criticals and the XML 1.0 check shared by the
 * libFuzzer targets (see fuzz-util.h). A fuzzer is one process running one input at a time, so the
 * scratch directory lives in a file-level variable. */
#define _XOPEN_SOURCE 700
#include "fuzz-util.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char *scratch_dir;

void
fuzz_fail (const char *file, int line, const char *what)
{
  fprintf (stderr, "%s:%d: fuzz check failed: %s\n", file, line, what);
  abort ();
}

static int
remove_entry (const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
  (void) st;
  (void) flag;
  (void) ftw;
  remove (path);
  return 0;
}

void
fuzz_remove_tree (const char *path)
{
  nftw (path, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
}

static void
remove_scratch_dir (void)
{
  if (scratch_dir != NULL)
    fuzz_remove_tree (scratch_dir);
}

void
fuzz_init (void)
{
  GError *error = NULL;

  /* A critical means our code called GLib wrongly on this input (or a g_return_if_fail of ours
   * tripped): a bug to report, not noise to survive. */
  g_log_set_always_fatal (G_LOG_FATAL_MASK | G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING);
  if (scratch_dir != NULL)
    return;
  scratch_dir = g_dir_make_tmp ("zimaru-fuzz-XXXXXX", &error);
  if (scratch_dir == NULL)
    {
      fprintf (stderr, "fuzz: cannot create a scratch directory: %s\n", error->message);
      exit (1);
    }
  atexit (remove_scratch_dir);
}

const char *
fuzz_scratch_dir (void)
{
  fuzz_check (scratch_dir != NULL);
  return scratch_dir;
}

char *
fuzz_write_file (const char *name, const void *data, size_t size)
{
  char *path = g_build_filename (fuzz_scratch_dir (), name, NULL);
  const char *p = data;
  int fd = open (path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);

  if (fd < 0)
    {
      fprintf (stderr, "fuzz: cannot write %s: %s\n", path, strerror (errno));
      abort ();
    }
  while (size > 0)
    {
      ssize_t n = write (fd, p, size);
      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        {
          fprintf (stderr, "fuzz: cannot write %s: %s\n", path, strerror (errno));
          abort ();
        }
      p += n;
      size -= (size_t) n;
    }
  close (fd);
  return path;
}

/* The Char production of XML 1.0 (fifth edition, section 2.2). */
static gboolean
is_xml_char (gunichar c)
{
  return c == 0x9 || c == 0xA || c == 0xD || (c >= 0x20 && c <= 0xD7FF) || (c >= 0xE000 && c <= 0xFFFD)
         || (c >= 0x10000 && c <= 0x10FFFF);
}

/* Checks every character reference (&#N; and &#xH;) names an XML character. */
static gboolean
char_refs_are_valid (const char *text, gsize len, char **why)
{
  for (gsize i = 0; i + 1 < len; i++)
    {
      gsize j = i + 2;
      gboolean hex;
      guint64 v = 0;

      if (text[i] != '&' || text[i + 1] != '#')
        continue;
      hex = j < len && text[j] == 'x';
      if (hex)
        j++;
      for (; j < len && (hex ? g_ascii_isxdigit (text[j]) : g_ascii_isdigit (text[j])); j++)
        {
          v = v * (hex ? 16 : 10) + (guint64) (hex ? g_ascii_xdigit_value (text[j]) : text[j] - '0');
          if (v > 0x10FFFF)
            v = 0x110000;  /* saturate: too large either way */
        }
      if (!is_xml_char ((gunichar) v))
        {
          if (why != NULL)
            *why = g_strdup_printf ("character reference to U+%04" G_GINT64_MODIFIER "X at byte %"
                                    G_GSIZE_FORMAT " is not an XML 1.0 character", v, i);
          return FALSE;
        }
    }
  return TRUE;
}

gboolean
fuzz_xml_is_well_formed (const char *text, gsize len, char **why)
{
  static const GMarkupParser no_callbacks = { 0 };
  GMarkupParseContext *context;
  GError *error = NULL;
  gboolean ok;

  if (!g_utf8_validate (text, (gssize) len, NULL))
    {
      if (why != NULL)
        *why = g_strdup ("not valid UTF-8");
      return FALSE;
    }
  for (const char *p = text; p < text + len; p = g_utf8_next_char (p))
    if (!is_xml_char (g_utf8_get_char (p)))
      {
        if (why != NULL)
          *why = g_strdup_printf ("U+%04X at byte %td is not an XML 1.0 character", g_utf8_get_char (p),
                                  p - text);
        return FALSE;
      }
  if (!char_refs_are_valid (text, len, why))
    return FALSE;

  context = g_markup_parse_context_new (&no_callbacks, 0, NULL, NULL);
  ok = g_markup_parse_context_parse (context, text, (gssize) len, &error)
       && g_markup_parse_context_end_parse (context, &error);
  if (!ok && why != NULL)
    *why = g_strdup (error->message);
  g_clear_error (&error);
  g_markup_parse_context_free (context);
  return ok;
}
