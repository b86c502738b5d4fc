/* cli-chars.c — the CHARS options shared by zimaru-cli commands (--chars, --chars-text, --preset,
 * --exclude), see cli-chars.h. */
#include "config.h"
#include "cli-chars.h"
#include "zi-charset.h"
#include "zi-error.h"

#include <glib/gi18n.h>

GOptionEntry *
zi_cli_chars_entries (ZiCliChars *opts, const GOptionEntry *command_entries)
{
  const GOptionEntry chars_entries[] = {
    { "chars", 0, 0, G_OPTION_ARG_FILENAME, &opts->chars_file,
      N_("Characters to use: every non-blank character of a UTF-8 file ('#' lines are comments)"), N_("FILE") },
    { "chars-text", 0, 0, G_OPTION_ARG_STRING, &opts->chars_text,
      N_("Characters to use, given directly (e.g. \"永口囗\")"), N_("STRING") },
    { "preset", 0, 0, G_OPTION_ARG_STRING, &opts->preset,
      N_("Characters of a shipped list: joyo (2,136 Joyo kanji), big5-level1 (5,401)"), N_("NAME") },
    { "exclude", 0, 0, G_OPTION_ARG_FILENAME, &opts->exclude_file,
      N_("Leave out the characters of this UTF-8 file"), N_("FILE") },
  };
  gsize n_command = 0;
  GOptionEntry *entries;

  g_return_val_if_fail (opts != NULL, NULL);

  while (command_entries != NULL && command_entries[n_command].long_name != NULL)
    n_command++;
  /* One more zeroed entry terminates the table. */
  entries = g_new0 (GOptionEntry, n_command + G_N_ELEMENTS (chars_entries) + 1);
  for (gsize i = 0; i < n_command; i++)
    entries[i] = command_entries[i];
  for (gsize i = 0; i < G_N_ELEMENTS (chars_entries); i++)
    entries[n_command + i] = chars_entries[i];
  return entries;
}

gboolean
zi_cli_chars_given (const ZiCliChars *opts)
{
  g_return_val_if_fail (opts != NULL, FALSE);

  return opts->chars_file != NULL || opts->chars_text != NULL || opts->preset != NULL;
}

gboolean
zi_cli_chars_exclude (ZiCliChars *opts, GArray *set, GError **error)
{
  g_autoptr(GArray) exclude = NULL;

  g_return_val_if_fail (opts != NULL, FALSE);
  g_return_val_if_fail (set != NULL, FALSE);

  if (opts->exclude_file == NULL)
    return TRUE;
  exclude = zi_charset_from_file (opts->exclude_file, error);
  if (exclude == NULL)
    return FALSE;
  zi_charset_subtract (set, exclude);
  return TRUE;
}

GArray *
zi_cli_chars_resolve (ZiCliChars *opts, GError **error)
{
  g_autoptr(GArray) set = NULL;
  g_autoptr(GError) local_error = NULL;
  int n_given;

  g_return_val_if_fail (opts != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  n_given = (opts->chars_file != NULL) + (opts->chars_text != NULL) + (opts->preset != NULL);
  if (n_given == 0)
    return NULL;
  if (n_given > 1)
    {
      g_set_error (error, ZI_ERROR, ZI_ERROR_INVALID,
                   _("Give only one of --chars, --chars-text and --preset"));
      return NULL;
    }

  if (opts->chars_file != NULL)
    set = zi_charset_from_file (opts->chars_file, &local_error);
  else if (opts->chars_text != NULL)
    set = zi_charset_from_text (opts->chars_text, &local_error);
  else
    set = zi_charset_from_preset (opts->preset, &local_error);
  if (set == NULL)
    {
      /* A bad value typed on the command line is a usage error (exit 2); a bad file is failed work. */
      if (local_error->domain == ZI_GLYPH_ERROR && local_error->code == ZI_GLYPH_ERROR_INVALID)
        g_set_error_literal (error, ZI_ERROR, ZI_ERROR_INVALID, local_error->message);
      else if (opts->chars_text != NULL)
        g_set_error (error, ZI_ERROR, ZI_ERROR_INVALID, _("--chars-text: %s"), local_error->message);
      else
        g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }

  if (!zi_cli_chars_exclude (opts, set, error))
    return NULL;
  if (set->len == 0)
    {
      g_set_error (error, ZI_ERROR, ZI_ERROR_CHARSET,
                   _("No characters are left after removing those of “%s”"), opts->exclude_file);
      return NULL;
    }
  return g_steal_pointer (&set);
}

void
zi_cli_chars_clear (ZiCliChars *opts)
{
  g_return_if_fail (opts != NULL);

  g_clear_pointer (&opts->chars_file, g_free);
  g_clear_pointer (&opts->chars_text, g_free);
  g_clear_pointer (&opts->preset, g_free);
  g_clear_pointer (&opts->exclude_file, g_free);
}
