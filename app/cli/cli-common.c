/* cli-common.c — option parsing, error lines, terminal progress, default fonts, column padding and
 * --json output shared by the zimaru-cli commands. */
#include "config.h"
#include "cli-common.h"
#include "zi-error.h"
#include "zi-fileutil.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int
zi_cli_usage_error (const char *format, ...)
{
  g_autofree char *msg = NULL;
  va_list args;

  va_start (args, format);
  msg = g_strdup_vprintf (format, args);
  va_end (args);
  fprintf (stderr, "zimaru-cli: error: %s\n", msg);
  return ZI_EXIT_USAGE;
}

int
zi_cli_fail (const GError *error)
{
  g_return_val_if_fail (error != NULL, ZI_EXIT_FAILED);

  fprintf (stderr, "zimaru-cli: error: %s\n", error->message);
  if (error->domain == ZI_ERROR && error->code == ZI_ERROR_INVALID)
    return ZI_EXIT_USAGE;
  return ZI_EXIT_FAILED;
}

/* The entries as given, for the callback that reads the double options in their place. */
typedef struct {
  const GOptionEntry *entries;
} ParseState;

static gboolean
parse_double_cb (const char *option_name, const char *value, gpointer data, GError **error)
{
  const ParseState *state = data;
  const GOptionEntry *entry = NULL;
  char *end = NULL;
  double v;

  for (const GOptionEntry *e = state->entries; e->long_name != NULL && entry == NULL; e++)
    if (e->arg == G_OPTION_ARG_DOUBLE
        && (g_str_equal (option_name + 2, e->long_name)
            || (option_name[1] == e->short_name && option_name[2] == '\0')))
      entry = e;
  g_assert (entry != NULL);
  /* GLib's own reading of G_OPTION_ARG_DOUBLE, and its messages with their translations. */
  errno = 0;
  v = g_ascii_strtod (value, &end);
  if (value[0] == '\0' || *end != '\0')
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   g_dgettext ("glib20", "Cannot parse double value “%s” for %s"), value, option_name);
      return FALSE;
    }
  if (errno == ERANGE)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   g_dgettext ("glib20", "Double value “%s” for %s out of range"), value, option_name);
      return FALSE;
    }
  *(double *) entry->arg_data = isnan (v) ? NAN : v;
  return TRUE;
}

gboolean
zi_cli_parse (int          *argc,
              char       ***argv,
              const char   *command,
              const char   *parameters,
              const char   *summary,
              GOptionEntry *entries,
              int          *exit_code)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *params = g_strdup_printf ("%s %s", command, parameters ? parameters : "");

  ParseState state = { entries };
  g_autofree GOptionEntry *parsed = NULL;
  GOptionGroup *group;
  gsize n = 0;

  context = g_option_context_new (params);
  g_option_context_set_summary (context, summary);
  g_option_context_set_help_enabled (context, TRUE);
  group = g_option_group_new (NULL, NULL, NULL, &state, NULL);
  g_option_group_set_translation_domain (group, GETTEXT_PACKAGE);
  g_option_context_set_main_group (context, group);
  while (entries != NULL && entries[n].long_name != NULL)
    n++;
  parsed = g_new0 (GOptionEntry, n + 1);
  for (gsize i = 0; i < n; i++)
    {
      parsed[i] = entries[i];
      if (entries[i].arg == G_OPTION_ARG_DOUBLE)
        {
          parsed[i].arg = G_OPTION_ARG_CALLBACK;
          parsed[i].arg_data = (gpointer) parse_double_cb;
        }
    }
  g_option_group_add_entries (group, parsed);

  for (int i = 1; i < *argc; i++)
    if (g_strcmp0 ((*argv)[i], "--help") == 0 || g_strcmp0 ((*argv)[i], "-h") == 0)
      {
        g_autofree char *help = g_option_context_get_help (context, TRUE, NULL);
        fputs (help, stdout);
        *exit_code = ZI_EXIT_OK;
        return FALSE;
      }

  if (!g_option_context_parse (context, argc, argv, &error))
    {
      *exit_code = zi_cli_usage_error ("%s (see 'zimaru-cli %s --help')", error->message, command);
      return FALSE;
    }
  if (parameters == NULL && *argc > 1)
    {
      *exit_code = zi_cli_usage_error (_("unexpected argument '%s' (see 'zimaru-cli %s --help')"),
                                       (*argv)[1], command);
      return FALSE;
    }
  *exit_code = ZI_EXIT_OK;
  return TRUE;
}

void
zi_cli_progress_init (ZiCliProgress *progress, gboolean quiet)
{
  progress->enabled = !quiet && isatty (STDERR_FILENO);
  progress->start_us = g_get_monotonic_time ();
  progress->last_us = 0;
}

void
zi_cli_progress_update (ZiCliProgress *progress, const char *label, guint64 done, guint64 total)
{
  gint64 now;
  double elapsed;

  if (!progress->enabled)
    return;
  now = g_get_monotonic_time ();
  /* Redraw at most ten times a second so that progress never slows the work down. */
  if (done != total && now - progress->last_us < 100000)
    return;
  progress->last_us = now;
  elapsed = (now - progress->start_us) / 1e6;
  if (total > 0)
    {
      double eta = done > 0 ? elapsed * (double) (total - done) / (double) done : 0.0;
      fprintf (stderr, "\r\033[K%s %" G_GUINT64_FORMAT "/%" G_GUINT64_FORMAT " (%.0f%%), %.0f s, ETA %.0f s",
               label, done, total, 100.0 * (double) done / (double) total, elapsed, eta);
    }
  else
    fprintf (stderr, "\r\033[K%s %" G_GUINT64_FORMAT ", %.0f s", label, done, elapsed);
  fflush (stderr);
}

void
zi_cli_progress_done (ZiCliProgress *progress)
{
  if (progress->enabled)
    {
      fputs ("\r\033[K", stderr);
      fflush (stderr);
    }
}

void
zi_cli_model_fonts (ZiModel *model, char **source_spec, char **target_spec)
{
  const char *source, *target;

  g_return_if_fail (model != NULL);

  source = zi_model_get_source_font (model);
  target = zi_model_get_target_font (model);
  if (source_spec != NULL && *source_spec == NULL)
    *source_spec = g_strdup (source != NULL ? source : ZI_DEFAULT_SOURCE_FONT);
  if (target_spec != NULL && *target_spec == NULL)
    *target_spec = g_strdup (target != NULL ? target : ZI_DEFAULT_TARGET_FONT);
}

char *
zi_cli_pad (const char *text, guint width)
{
  GString *s;
  guint columns = 0;

  g_return_val_if_fail (text != NULL, NULL);

  s = g_string_new (text);
  if (!g_utf8_validate (text, -1, NULL))
    columns = (guint) strlen (text);  /* not text: a byte a column is the best guess */
  else
    for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
      {
        gunichar c = g_utf8_get_char (p);

        if (g_unichar_iszerowidth (c))
          continue;
        columns += g_unichar_iswide (c) ? 2 : 1;
      }
  while (columns++ < width)
    g_string_append_c (s, ' ');
  return g_string_free (s, FALSE);
}

void
zi_cli_json_int (JsonBuilder *b, const char *name, gint64 value)
{
  json_builder_set_member_name (b, name);
  json_builder_add_int_value (b, value);
}

void
zi_cli_json_double (JsonBuilder *b, const char *name, double value)
{
  json_builder_set_member_name (b, name);
  json_builder_add_double_value (b, value);
}

void
zi_cli_json_string (JsonBuilder *b, const char *name, const char *value)
{
  json_builder_set_member_name (b, name);
  if (value != NULL)
    json_builder_add_string_value (b, value);
  else
    json_builder_add_null_value (b);
}

void
zi_cli_json_metrics (JsonBuilder *b, const char *name, const ZiMetrics *m)
{
  json_builder_set_member_name (b, name);
  if (m == NULL)
    {
      json_builder_add_null_value (b);
      return;
    }
  json_builder_begin_object (b);
  zi_cli_json_double (b, "l1", m->l1);
  zi_cli_json_double (b, "ssim", m->ssim);
  zi_cli_json_double (b, "iou", m->iou);
  json_builder_end_object (b);
}

void
zi_cli_json_print (JsonBuilder *b)
{
  g_autoptr(JsonNode) root = json_builder_get_root (b);
  g_autofree char *text = zi_json_repair_exponents (json_to_string (root, TRUE));

  printf ("%s\n", text);
}
