/* zi-run.c — reading and writing the run directory (its layout is in zi-run.h).
 *
 * run.json is rewritten atomically; metrics.jsonl is append-only, so a crash can at worst tear its
 * last line, which the loader ignores. Checkpoint file names, listing and pruning, and best.json, are
 * in zi-run-checkpoints.c; the checkpoint metadata in zi-run-meta.c; the target styles' JSON in
 * zi-run-styles.c. */
#include "config.h"
#include "zi-run.h"
#include "zi-error.h"
#include "zi-fileutil.h"
#include "zi-json.h"
#include "zi-run-styles.h"

#include <math.h>
#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <string.h>

/* ---- charsets as strings ---- */

char *
zi_run_chars_to_utf8 (const gunichar *chars, guint n)
{
  GString *s = g_string_sized_new (n * 3 + 1);

  for (guint i = 0; i < n; i++)
    g_string_append_unichar (s, chars[i]);
  return g_string_free (s, FALSE);
}

gunichar *
zi_run_chars_from_utf8 (const char *text, guint *n)
{
  glong len = 0;
  gunichar *chars;

  g_return_val_if_fail (n != NULL, NULL);

  *n = 0;
  if (text == NULL || !g_utf8_validate (text, -1, NULL))
    return NULL;
  chars = g_utf8_to_ucs4_fast (text, -1, &len);
  *n = (guint) len;
  return chars;
}

/* ---- run.json ---- */

char *
zi_run_info_path (const char *run_dir)
{
  return g_build_filename (run_dir, "run.json", NULL);
}

void
zi_run_info_clear (ZiRunInfo *info)
{
  g_return_if_fail (info != NULL);

  g_free (info->created);
  g_free (info->source_font);
  g_free (info->source_path);
  g_free (info->source_hash);
  g_free (info->target_font);
  g_free (info->target_path);
  g_free (info->target_hash);
  zi_run_styles_free (info->styles, info->n_styles);
  g_free (info->chars);
  g_free (info->val_chars);
  g_free (info->config_json);
  memset (info, 0, sizeof *info);
}

static void
add_font (JsonBuilder *b, const char *name, const char *spec, const char *path, int face,
          const char *hash)
{
  json_builder_set_member_name (b, name);
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "spec");
  json_builder_add_string_value (b, spec ? spec : "");
  json_builder_set_member_name (b, "path");
  json_builder_add_string_value (b, path ? path : "");
  json_builder_set_member_name (b, "face");
  json_builder_add_int_value (b, face);
  json_builder_set_member_name (b, "hash");
  json_builder_add_string_value (b, hash ? hash : "");
  json_builder_end_object (b);
}

gboolean
zi_run_info_save (const char *run_dir, const ZiRunInfo *info, GError **error)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonGenerator) gen = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(JsonNode) config = NULL;
  g_autofree char *chars = NULL;
  g_autofree char *val = NULL;
  g_autofree char *text = NULL;
  g_autofree char *path = NULL;

  g_return_val_if_fail (run_dir != NULL, FALSE);
  g_return_val_if_fail (info != NULL, FALSE);

  if (info->config_json != NULL)
    {
      config = json_from_string (info->config_json, error);
      if (config == NULL)
        return FALSE;
    }

  chars = zi_run_chars_to_utf8 (info->chars, info->n_chars);
  val = zi_run_chars_to_utf8 (info->val_chars, info->n_val_chars);

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "format");
  json_builder_add_string_value (b, "zimaru-run");
  json_builder_set_member_name (b, "format_version");
  json_builder_add_int_value (b, ZI_RUN_FORMAT_VERSION);
  json_builder_set_member_name (b, "created");
  json_builder_add_string_value (b, info->created ? info->created : "");
  add_font (b, "source", info->source_font, info->source_path, info->source_face, info->source_hash);
  add_font (b, "target", info->target_font, info->target_path, info->target_face, info->target_hash);
  zi_run_styles_to_json (b, info->styles, info->n_styles);
  json_builder_set_member_name (b, "chars");
  json_builder_add_string_value (b, chars);
  json_builder_set_member_name (b, "val_chars");
  json_builder_add_string_value (b, val);
  json_builder_set_member_name (b, "config");
  if (config != NULL)
    json_builder_add_value (b, g_steal_pointer (&config));
  else
    json_builder_add_null_value (b);
  json_builder_end_object (b);

  root = json_builder_get_root (b);
  json_generator_set_root (gen, root);
  json_generator_set_pretty (gen, TRUE);
  text = zi_json_repair_exponents (json_generator_to_data (gen, NULL));
  path = zi_run_info_path (run_dir);
  return zi_file_write_atomic (path, text, strlen (text), error);
}

/* Where in the configuration a value sits ("config.net.lr", "config.steps[2]"), for messages; the
 * member names are made valid UTF-8 because the message must be text even when a name is not. */
static char *
config_where (const char *parent, const char *member, guint index)
{
  g_autofree char *name = member != NULL ? g_utf8_make_valid (member, -1) : NULL;

  if (name != NULL)
    return g_strconcat (parent, ".", name, NULL);
  return g_strdup_printf ("%s[%u]", parent, index);
}

/* Finds the first value of the configuration that would not come back unchanged from our own writer
 * and reader: sets *bad_where (and *bad_value for a number) and returns TRUE. JSON-GLib reads a lone surrogate escape followed by
 * other characters ("\ud800x") as bytes that are not UTF-8, in values and in member names alike, and
 * 1e999 as infinity, which it writes back as "inf.0" (not JSON): zi_run_info_save() would then fail
 * on the next checkpoint of a run that loaded fine. */
static gboolean
config_find_unsaveable (JsonNode *node, const char *where, char **bad_where, char **bad_value)
{
  if (JSON_NODE_HOLDS_OBJECT (node))
    {
      JsonObject *o = json_node_get_object (node);
      g_autoptr(GList) members = json_object_get_members (o);

      for (GList *l = members; l != NULL; l = l->next)
        {
          g_autofree char *inner = config_where (where, l->data, 0);

          if (!g_utf8_validate (l->data, -1, NULL))
            {
              *bad_where = g_steal_pointer (&inner);
              return TRUE;
            }
          if (config_find_unsaveable (json_object_get_member (o, l->data), inner, bad_where, bad_value))
            return TRUE;
        }
      return FALSE;
    }
  if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *a = json_node_get_array (node);

      for (guint i = 0; i < json_array_get_length (a); i++)
        {
          g_autofree char *inner = config_where (where, NULL, i);

          if (config_find_unsaveable (json_array_get_element (a, i), inner, bad_where, bad_value))
            return TRUE;
        }
      return FALSE;
    }
  if (json_node_get_value_type (node) == G_TYPE_STRING
      && !g_utf8_validate (json_node_get_string (node), -1, NULL))
    {
      *bad_where = g_strdup (where);
      return TRUE;
    }
  if (json_node_get_value_type (node) == G_TYPE_DOUBLE)
    {
      char num[G_ASCII_DTOSTR_BUF_SIZE];

      g_ascii_dtostr (num, sizeof num, json_node_get_double (node));
      if (!isfinite (json_node_get_double (node)))
        {
          *bad_where = g_strdup (where);
          *bad_value = g_strdup (num);
          return TRUE;
        }
    }
  return FALSE;
}

/* The configuration as it will be written back, or NULL with an error naming the value that cannot
 * be. The final comparison is a guard for any other way the writer and reader disagree. */
static char *
config_to_json (JsonNode *config, const char *path, GError **error)
{
  g_autofree char *bad_where = NULL;
  g_autofree char *bad_value = NULL;
  g_autofree char *json = NULL;
  g_autofree char *again = NULL;
  g_autoptr(JsonNode) reread = NULL;

  if (config_find_unsaveable (config, "config", &bad_where, &bad_value))
    {
      if (bad_value == NULL)
        g_set_error (error, ZI_ERROR, ZI_ERROR_RUN,
                     _("The run file %s has text that is not valid UTF-8 at %s (a lone surrogate "
                       "escape); correct that value or start a new run."), path, bad_where);
      else
        g_set_error (error, ZI_ERROR, ZI_ERROR_RUN,
                     _("The run file %s has a number Zimaru cannot write back at %s (%s); use a smaller "
                       "value or start a new run."), path, bad_where, bad_value);
      return NULL;
    }
  json = zi_json_repair_exponents (json_to_string (config, FALSE));
  reread = json_from_string (json, NULL);
  if (reread != NULL)
    again = zi_json_repair_exponents (json_to_string (reread, FALSE));
  if (g_strcmp0 (json, again) != 0)
    {
      g_set_error (error, ZI_ERROR, ZI_ERROR_RUN,
                   _("The run file %s has a configuration Zimaru cannot write back unchanged; restore "
                     "the file or start a new run."), path);
      return NULL;
    }
  return g_steal_pointer (&json);
}

static gboolean
read_font (JsonObject *root, const char *name, char **spec, char **path, int *face, char **hash)
{
  JsonObject *o;

  o = zi_json_member_object (root, name);
  if (o == NULL)
    return FALSE;
  *spec = g_strdup (zi_json_member_string (o, "spec", ""));
  *path = g_strdup (zi_json_member_string (o, "path", ""));
  *face = (int) zi_json_member_int (o, "face", 0);
  *hash = g_strdup (zi_json_member_string (o, "hash", ""));
  return TRUE;
}

gboolean
zi_run_info_load (const char *run_dir, ZiRunInfo *info, GError **error)
{
  g_autofree char *path = NULL;
  g_autofree char *text = NULL;
  g_autoptr(GError) local = NULL;
  g_autoptr(JsonNode) root = NULL;
  JsonObject *o;
  JsonNode *config;
  gsize len;

  g_return_val_if_fail (run_dir != NULL, FALSE);
  g_return_val_if_fail (info != NULL, FALSE);

  memset (info, 0, sizeof *info);
  path = zi_run_info_path (run_dir);
  if (!g_file_get_contents (path, &text, &len, &local))
    {
      g_set_error (error, ZI_ERROR, ZI_ERROR_RUN,
                   _("Cannot read the run file %s: %s. Is %s a Zimaru run directory?"),
                   path, local->message, run_dir);
      return FALSE;
    }
  root = zi_json_parse_one (text, &local);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_autofree char *why = local != NULL ? g_utf8_make_valid (local->message, -1) : NULL;
      g_set_error (error, ZI_ERROR, ZI_ERROR_RUN,
                   _("The run file %s is not valid JSON (%s); restore it or start a new run."),
                   path, why != NULL ? why : _("not an object"));
      return FALSE;
    }
  o = json_node_get_object (root);
  info->format_version = (int) zi_json_member_int (o, "format_version", 0);
  if (g_strcmp0 (zi_json_member_string (o, "format", ""), "zimaru-run") != 0
      || info->format_version < 1)
    {
      g_set_error (error, ZI_ERROR, ZI_ERROR_RUN,
                   _("The file %s is not a Zimaru run file."), path);
      return FALSE;
    }
  if (info->format_version > ZI_RUN_FORMAT_VERSION)
    {
      g_set_error (error, ZI_ERROR, ZI_ERROR_RUN,
                   _("The run file %s has format version %d, newer than this Zimaru (%d); update Zimaru."),
                   path, info->format_version, ZI_RUN_FORMAT_VERSION);
      return FALSE;
    }
  info->created = g_strdup (zi_json_member_string (o, "created", ""));
  if (!read_font (o, "source", &info->source_font, &info->source_path, &info->source_face,
                  &info->source_hash)
      || !read_font (o, "target", &info->target_font, &info->target_path, &info->target_face,
                     &info->target_hash))
    {
      zi_run_info_clear (info);
      g_set_error (error, ZI_ERROR, ZI_ERROR_RUN,
                   _("The run file %s does not name its source and target fonts."), path);
      return FALSE;
    }
  switch (zi_run_styles_from_json (o, &info->styles, &info->n_styles))
    {
    case ZI_RUN_STYLES_READ:
      break;
    case ZI_RUN_STYLES_ABSENT:
      info->styles = g_new0 (ZiRunStyle, 1);
      info->n_styles = 1;
      zi_run_style_legacy (&info->styles[0], info->target_font, info->target_path, info->target_face,
                           info->target_hash);
      break;
    case ZI_RUN_STYLES_BAD:
    default:
      zi_run_info_clear (info);
      g_set_error (error, ZI_ERROR, ZI_ERROR_RUN,
                   _("The run file %s has a \"styles\" list that is not 1 to %d font entries; restore "
                     "the file or start a new run."), path, ZI_RUN_MAX_STYLES);
      return FALSE;
    }
  info->chars = zi_run_chars_from_utf8 (zi_json_member_string (o, "chars", ""),
                                        &info->n_chars);
  info->val_chars = zi_run_chars_from_utf8 (zi_json_member_string (o, "val_chars", ""),
                                            &info->n_val_chars);
  config = json_object_get_member (o, "config");
  if (config != NULL && JSON_NODE_HOLDS_OBJECT (config))
    {
      info->config_json = config_to_json (config, path, error);
      if (info->config_json == NULL)
        {
          zi_run_info_clear (info);
          return FALSE;
        }
    }
  if (info->n_chars == 0 || info->config_json == NULL)
    {
      zi_run_info_clear (info);
      g_set_error (error, ZI_ERROR, ZI_ERROR_RUN,
                   _("The run file %s has no characters or no configuration."), path);
      return FALSE;
    }
  return TRUE;
}

/* ---- metrics.jsonl ---- */

static char *
metrics_path (const char *run_dir)
{
  return g_build_filename (run_dir, "metrics.jsonl", NULL);
}

char *
zi_run_metric_to_json (const ZiRunMetric *m)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  g_return_val_if_fail (m != NULL, NULL);

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "step");
  json_builder_add_int_value (b, (gint64) m->step);
  json_builder_set_member_name (b, "images");
  json_builder_add_int_value (b, (gint64) m->images);
  zi_json_add_double (b, "seconds", m->seconds);
  zi_json_add_double (b, "lr", m->lr);
  zi_json_add_double (b, "lr_d", m->lr_d);
  zi_json_add_double (b, "d_loss", m->d_loss);
  zi_json_add_double (b, "d_real", m->d_real);
  zi_json_add_double (b, "d_fake", m->d_fake);
  zi_json_add_double (b, "g_loss", m->g_loss);
  zi_json_add_double (b, "g_adv", m->g_adv);
  zi_json_add_double (b, "l1", m->l1);
  zi_json_add_double (b, "const", m->const_loss);
  zi_json_add_double (b, "tv", m->tv);
  zi_json_add_double (b, "d_grad_norm", m->d_grad_norm);
  zi_json_add_double (b, "g_grad_norm", m->g_grad_norm);
  if (m->has_val)
    {
      zi_json_add_double (b, "val_l1", m->val_l1);
      zi_json_add_double (b, "val_ssim", m->val_ssim);
      zi_json_add_double (b, "val_iou", m->val_iou);
    }
  if (m->has_raw)
    {
      zi_json_add_double (b, "val_raw_l1", m->val_raw_l1);
      zi_json_add_double (b, "val_raw_ssim", m->val_raw_ssim);
      zi_json_add_double (b, "val_raw_iou", m->val_raw_iou);
    }
  if (m->n_val_styles > 0)
    {
      json_builder_set_member_name (b, "val_styles");
      json_builder_begin_object (b);
      for (guint i = 0; i < MIN (m->n_val_styles, ZI_RUN_METRIC_MAX_STYLES); i++)
        {
          json_builder_set_member_name (b, m->val_styles[i].name);
          json_builder_begin_object (b);
          zi_json_add_double (b, "l1", m->val_styles[i].l1);
          zi_json_add_double (b, "ssim", m->val_styles[i].ssim);
          zi_json_add_double (b, "iou", m->val_styles[i].iou);
          json_builder_end_object (b);
        }
      json_builder_end_object (b);
    }
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  return zi_json_repair_exponents (json_to_string (root, FALSE));
}

void
zi_run_style_score_set_name (ZiRunStyleScore *score, const char *name)
{
  g_autofree char *valid = NULL;
  const char *end;

  g_return_if_fail (score != NULL && name != NULL);

  valid = g_utf8_make_valid (name, -1);
  end = valid + strlen (valid);
  while ((gsize) (end - valid) >= sizeof score->name)
    end = g_utf8_find_prev_char (valid, end);
  memcpy (score->name, valid, end - valid);
  score->name[end - valid] = '\0';
}


/* "val_styles" in member order; a member that is not an object, or whose name (cut to fit) repeats
 * an earlier one, is skipped, so that what is read writes back the same. */
static void
read_val_styles (JsonObject *o, ZiRunMetric *m)
{
  JsonObject *styles = zi_json_member_object (o, "val_styles");
  g_autoptr(GList) names = styles != NULL ? json_object_get_members (styles) : NULL;

  for (GList *l = names; l != NULL && m->n_val_styles < ZI_RUN_METRIC_MAX_STYLES; l = l->next)
    {
      JsonObject *e = zi_json_member_object (styles, l->data);
      ZiRunStyleScore *score = &m->val_styles[m->n_val_styles];
      gboolean repeated = FALSE;

      if (e == NULL)
        continue;
      zi_run_style_score_set_name (score, l->data);
      for (guint i = 0; i < m->n_val_styles && !repeated; i++)
        repeated = strcmp (m->val_styles[i].name, score->name) == 0;
      if (repeated)
        continue;
      score->l1 = zi_json_member_double (e, "l1", NAN);
      score->ssim = zi_json_member_double (e, "ssim", NAN);
      score->iou = zi_json_member_double (e, "iou", NAN);
      m->n_val_styles++;
    }
  for (guint i = m->n_val_styles; i < ZI_RUN_METRIC_MAX_STYLES; i++)
    memset (&m->val_styles[i], 0, sizeof m->val_styles[i]);
}

gboolean
zi_run_metric_from_json (const char *line, ZiRunMetric *m, GError **error)
{
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) local = NULL;
  JsonObject *o;
  JsonNode *step;

  g_return_val_if_fail (line != NULL, FALSE);
  g_return_val_if_fail (m != NULL, FALSE);

  memset (m, 0, sizeof *m);
  root = zi_json_parse_one (line, &local);
  if (root == NULL)
    {
      /* json_from_string() returns NULL without an error for a blank string. */
      g_autofree char *why = local != NULL ? g_utf8_make_valid (local->message, -1) : NULL;
      g_set_error (error, ZI_ERROR, ZI_ERROR_RUN, _("a metrics record is not JSON (%s)"),
                   why != NULL ? why : _("it is blank"));
      return FALSE;
    }
  if (!JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error (error, ZI_ERROR, ZI_ERROR_RUN, _("a metrics record is not a JSON object"));
      return FALSE;
    }
  o = json_node_get_object (root);
  step = json_object_get_member (o, "step");
  if (step == NULL || json_node_get_value_type (step) != G_TYPE_INT64 || json_node_get_int (step) < 0)
    {
      g_set_error (error, ZI_ERROR, ZI_ERROR_RUN, _("a metrics record has no valid step"));
      return FALSE;
    }
  m->step = (guint64) json_node_get_int (step);
  m->images = (guint64) MAX (0, zi_json_member_int (o, "images", 0));
  m->seconds = zi_json_member_double (o, "seconds", NAN);
  m->lr = zi_json_member_double (o, "lr", NAN);
  m->lr_d = zi_json_member_double (o, "lr_d", NAN);
  m->d_loss = zi_json_member_double (o, "d_loss", NAN);
  m->d_real = zi_json_member_double (o, "d_real", NAN);
  m->d_fake = zi_json_member_double (o, "d_fake", NAN);
  m->g_loss = zi_json_member_double (o, "g_loss", NAN);
  m->g_adv = zi_json_member_double (o, "g_adv", NAN);
  m->l1 = zi_json_member_double (o, "l1", NAN);
  m->const_loss = zi_json_member_double (o, "const", NAN);
  m->tv = zi_json_member_double (o, "tv", NAN);
  m->d_grad_norm = zi_json_member_double (o, "d_grad_norm", NAN);
  m->g_grad_norm = zi_json_member_double (o, "g_grad_norm", NAN);
  m->has_val = json_object_has_member (o, "val_ssim");
  if (m->has_val)
    {
      m->val_l1 = zi_json_member_double (o, "val_l1", NAN);
      m->val_ssim = zi_json_member_double (o, "val_ssim", NAN);
      m->val_iou = zi_json_member_double (o, "val_iou", NAN);
    }
  m->has_raw = json_object_has_member (o, "val_raw_ssim");
  if (m->has_raw)
    {
      m->val_raw_l1 = zi_json_member_double (o, "val_raw_l1", NAN);
      m->val_raw_ssim = zi_json_member_double (o, "val_raw_ssim", NAN);
      m->val_raw_iou = zi_json_member_double (o, "val_raw_iou", NAN);
    }
  read_val_styles (o, m);
  return TRUE;
}

gboolean
zi_run_metrics_append (const char *run_dir, const ZiRunMetric *metric, GError **error)
{
  g_autofree char *path = NULL;
  g_autofree char *line = NULL;

  g_return_val_if_fail (run_dir != NULL, FALSE);
  g_return_val_if_fail (metric != NULL, FALSE);

  path = metrics_path (run_dir);
  line = zi_run_metric_to_json (metric);
  return zi_file_append_line (path, line, error);
}

GArray *
zi_run_metrics_load (const char *run_dir, GError **error)
{
  return zi_run_metrics_load_to (run_dir, NULL, error);
}

GArray *
zi_run_metrics_load_to (const char *run_dir, guint64 *end, GError **error)
{
  g_autofree char *path = NULL;
  g_autofree char *text = NULL;
  g_autoptr(GError) local = NULL;
  g_autoptr(GArray) out = g_array_new (FALSE, TRUE, sizeof (ZiRunMetric));
  g_auto(GStrv) lines = NULL;
  const char *last_newline;
  guint n_lines;

  g_return_val_if_fail (run_dir != NULL, NULL);

  if (end != NULL)
    *end = 0;
  path = metrics_path (run_dir);
  if (!g_file_get_contents (path, &text, NULL, &local))
    {
      if (g_error_matches (local, G_FILE_ERROR, G_FILE_ERROR_NOENT))
        return g_steal_pointer (&out);
      g_set_error (error, ZI_ERROR, ZI_ERROR_IO, _("Cannot read %s: %s"), path, local->message);
      return NULL;
    }
  last_newline = strrchr (text, '\n');
  if (end != NULL && last_newline != NULL)
    *end = (guint64) (last_newline - text) + 1;
  lines = g_strsplit (text, "\n", -1);
  n_lines = g_strv_length (lines);
  /* A file written by complete appends ends with '\n', so its last split piece is empty. */
  while (n_lines > 0 && lines[n_lines - 1][0] == '\0')
    n_lines--;
  /* For a watcher, a last line without its '\n' is still being written: it is read from *end later. */
  if (end != NULL && n_lines > 0 && (last_newline == NULL || last_newline[1] != '\0'))
    n_lines--;
  for (guint i = 0; i < n_lines; i++)
    {
      ZiRunMetric m;
      g_autoptr(GError) line_error = NULL;

      if (lines[i][0] == '\0')
        continue;
      if (!zi_run_metric_from_json (lines[i], &m, &line_error))
        {
          if (i + 1 == n_lines)
            break;  /* a torn last line: the append a crash interrupted */
          g_set_error (error, ZI_ERROR, ZI_ERROR_RUN, _("%s, line %u is damaged (%s); remove that line."),
                       path, i + 1, line_error->message);
          return NULL;
        }
      /* A resumed run repeats the steps after its checkpoint: the newer records win. */
      while (out->len > 0 && g_array_index (out, ZiRunMetric, out->len - 1).step >= m.step)
        g_array_set_size (out, out->len - 1);
      g_array_append_val (out, m);
    }
  return g_steal_pointer (&out);
}
