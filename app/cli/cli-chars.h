/* cli-chars.h — the CHARS options every zimaru-cli command shares: --chars FILE,
 * --chars-text STRING, --preset NAME and --exclude FILE, resolved into a GArray of gunichar.
 *
 * Usage in a command:
 *   ZiCliChars chars = { 0 };
 *   g_autofree GOptionEntry *entries = zi_cli_chars_entries (&chars, my_entries);
 *   if (!zi_cli_parse (&argc, &argv, "train", NULL, summary, entries, &code)) return code;
 *   set = zi_cli_chars_resolve (&chars, &error);        // NULL without error: no chars given
 *   if (set == NULL && error == NULL) {
 *     set = <the command's default>;
 *     if (!zi_cli_chars_exclude (&chars, set, &error)) ...
 *   }
 *   zi_cli_chars_clear (&chars);
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct {
  char *chars_file;    /* --chars FILE */
  char *chars_text;    /* --chars-text STRING */
  char *preset;        /* --preset NAME (a list in data/charsets: joyo, big5-level1) */
  char *exclude_file;  /* --exclude FILE */
} ZiCliChars;

/* A newly allocated option table: the command's own entries (may be NULL; terminated by a zeroed
 * entry) followed by the CHARS entries writing into opts. Free it with g_free() after parsing. */
GOptionEntry *zi_cli_chars_entries (ZiCliChars *opts, const GOptionEntry *command_entries);

/* The characters asked for, with --exclude applied, duplicates dropped, in the order given.
 * NULL and no error when none of --chars, --chars-text, --preset was given (the caller picks its
 * default and then calls zi_cli_chars_exclude). Giving more than one of them is ZI_ERROR_INVALID
 * (exit 2 through zi_cli_fail); an unreadable, empty or non-UTF-8 file is ZI_GLYPH_ERROR_CHARSET. */
GArray *zi_cli_chars_resolve (ZiCliChars *opts, GError **error);

/* Removes the --exclude characters (if given) from set. An unreadable exclude file is an error. */
gboolean zi_cli_chars_exclude (ZiCliChars *opts, GArray *set, GError **error);

/* TRUE if any of --chars, --chars-text, --preset was given. */
gboolean zi_cli_chars_given (const ZiCliChars *opts);

/* Frees the option strings (the struct itself is the caller's). */
void zi_cli_chars_clear (ZiCliChars *opts);

G_END_DECLS
