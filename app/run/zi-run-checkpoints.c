/* zi-run-checkpoints.c — the checkpoint files of a run directory (layout in zi-run.h): their names,
 * which carry the step so that the newest one is found without opening any file, the listing, the
 * retention of the newest few and the best (best.json), and the removal of what a killed writer left
 * behind. */
#include "config.h"
#include "zi-run.h"
#include "zi-error.h"
#include "zi-fileutil.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <math.h>
#include <string.h>

#define CHECKPOINT_PREFIX "step-"
#define EMA_EXT ".ema." ZI_RUN_CHECKPOINT_EXT

char *
zi_run_checkpoints_dir (const char *run_dir)
{
  return g_build_filename (run_dir, "checkpoints", NULL);
}

char *
zi_run_checkpoint_path (const char *run_dir, guint64 step)
{
  g_autofree char *name = g_strdup_printf (CHECKPOINT_PREFIX "%08" G_GUINT64_FORMAT "." ZI_RUN_CHECKPOINT_EXT,
                                           step);
  return g_build_filename (run_dir, "checkpoints", name, NULL);
}

char *
zi_run_ema_path (const char *checkpoint_path)
{
  g_return_val_if_fail (checkpoint_path != NULL, NULL);

  if (g_str_has_suffix (checkpoint_path, "." ZI_RUN_CHECKPOINT_EXT))
    {
      gsize stem = strlen (checkpoint_path) - strlen ("." ZI_RUN_CHECKPOINT_EXT);
      return g_strdup_printf ("%.*s.ema." ZI_RUN_CHECKPOINT_EXT, (int) stem, checkpoint_path);
    }
  return g_strconcat (checkpoint_path, ".ema." ZI_RUN_CHECKPOINT_EXT, NULL);
}

/* step-<digits><ext> → step; FALSE for anything else. */
static gboolean
parse_step_name (const char *basename, const char *ext, guint64 *step)
{
  const char *p;
  gsize digits = 0;
  guint64 v = 0;

  if (!g_str_has_prefix (basename, CHECKPOINT_PREFIX))
    return FALSE;
  for (p = basename + strlen (CHECKPOINT_PREFIX); g_ascii_isdigit (*p); p++, digits++)
    {
      if (v > (G_MAXUINT64 - 9) / 10)
        return FALSE;
      v = v * 10 + (guint64) (*p - '0');
    }
  if (digits == 0 || strcmp (p, ext) != 0)
    return FALSE;
  if (step != NULL)
    *step = v;
  return TRUE;
}

gboolean
zi_run_parse_checkpoint_name (const char *basename, guint64 *step)
{
  g_return_val_if_fail (basename != NULL, FALSE);

  return parse_step_name (basename, "." ZI_RUN_CHECKPOINT_EXT, step);
}

static gint
compare_u64 (gconstpointer a, gconstpointer b)
{
  guint64 x = *(const guint64 *) a, y = *(const guint64 *) b;
  return x < y ? -1 : x > y;
}

GArray *
zi_run_list_checkpoints (const char *run_dir)
{
  g_autofree char *dir_path = NULL;
  g_autoptr(GDir) dir = NULL;
  GArray *steps = g_array_new (FALSE, FALSE, sizeof (guint64));
  const char *name;

  g_return_val_if_fail (run_dir != NULL, steps);

  dir_path = zi_run_checkpoints_dir (run_dir);
  dir = g_dir_open (dir_path, 0, NULL);
  if (dir == NULL)
    return steps;
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      guint64 step;
      if (zi_run_parse_checkpoint_name (name, &step))
        g_array_append_val (steps, step);
    }
  g_array_sort (steps, compare_u64);
  return steps;
}

char *
zi_run_newest_checkpoint (const char *run_dir, GError **error)
{
  g_autoptr(GArray) steps = NULL;

  g_return_val_if_fail (run_dir != NULL, NULL);

  steps = zi_run_list_checkpoints (run_dir);
  if (steps->len == 0)
    {
      g_set_error (error, ZI_ERROR, ZI_ERROR_RUN,
                   _("The run directory %s has no checkpoint yet; train it first (zimaru-cli train --run %s)."),
                   run_dir, run_dir);
      return NULL;
    }
  return zi_run_checkpoint_path (run_dir, g_array_index (steps, guint64, steps->len - 1));
}

static gboolean
unlink_file (const char *path, GError **error)
{
  if (g_unlink (path) != 0 && errno != ENOENT)
    {
      int saved = errno;
      g_set_error (error, ZI_ERROR, ZI_ERROR_IO, _("Cannot delete the old checkpoint %s: %s"),
                   path, g_strerror (saved));
      return FALSE;
    }
  return TRUE;
}

gboolean
zi_run_prune_checkpoints (const char *run_dir, guint keep, guint64 best_step, GError **error)
{
  g_autoptr(GArray) steps = NULL;
  g_autoptr(GHashTable) kept = g_hash_table_new (g_int64_hash, g_int64_equal);
  g_autofree char *dir_path = NULL;
  g_autoptr(GDir) dir = NULL;
  const char *name;

  g_return_val_if_fail (run_dir != NULL, FALSE);

  steps = zi_run_list_checkpoints (run_dir);
  for (guint i = 0; i < steps->len; i++)
    {
      guint64 *step = &g_array_index (steps, guint64, i);
      g_autofree char *path = NULL;

      if (i + keep >= steps->len || *step == best_step)
        {
          g_hash_table_add (kept, step);
          continue;
        }
      path = zi_run_checkpoint_path (run_dir, *step);
      if (!unlink_file (path, error))
        return FALSE;
    }
  /* EMA files go with their checkpoint. */
  dir_path = zi_run_checkpoints_dir (run_dir);
  dir = g_dir_open (dir_path, 0, NULL);
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      guint64 step;
      if (parse_step_name (name, EMA_EXT, &step) && !g_hash_table_contains (kept, &step))
        {
          g_autofree char *path = g_build_filename (dir_path, name, NULL);
          if (!unlink_file (path, error))
            return FALSE;
        }
    }
  return TRUE;
}


/* TRUE for "<target>.tmp-XXXXXX", the temporary file zi_file_write_atomic() writes beside a target of
 * ours (a checkpoint, an EMA file or best.json): XXXXXX is what g_mkstemp() puts in, six ASCII
 * letters or digits. */
static gboolean
is_stale_temp (const char *basename)
{
  const char *tmp = g_strrstr (basename, ".tmp-");
  g_autofree char *target = NULL;

  if (tmp == NULL || strlen (tmp) != strlen (".tmp-XXXXXX"))
    return FALSE;
  for (const char *p = tmp + strlen (".tmp-"); *p != '\0'; p++)
    if (!g_ascii_isalnum (*p))
      return FALSE;
  target = g_strndup (basename, (gsize) (tmp - basename));
  return strcmp (target, "best.json") == 0 || zi_run_parse_checkpoint_name (target, NULL)
         || parse_step_name (target, EMA_EXT, NULL);
}

gboolean
zi_run_remove_stale_files (const char *run_dir, GError **error)
{
  g_autofree char *dir_path = NULL;
  g_autoptr(GDir) dir = NULL;
  g_autoptr(GPtrArray) stale = g_ptr_array_new_with_free_func (g_free);
  const char *name;

  g_return_val_if_fail (run_dir != NULL, FALSE);

  dir_path = zi_run_checkpoints_dir (run_dir);
  dir = g_dir_open (dir_path, 0, NULL);
  if (dir == NULL)
    return TRUE;
  /* Collected first: deleting while GDir reads the directory may skip entries. */
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      guint64 step;

      if (is_stale_temp (name))
        g_ptr_array_add (stale, g_build_filename (dir_path, name, NULL));
      else if (parse_step_name (name, EMA_EXT, &step))
        {
          g_autofree char *checkpoint = zi_run_checkpoint_path (run_dir, step);

          /* The EMA file is written first; a kill or a failed write before its checkpoint leaves it
           * alone, and nothing ever reads it. */
          if (!g_file_test (checkpoint, G_FILE_TEST_EXISTS))
            g_ptr_array_add (stale, g_build_filename (dir_path, name, NULL));
        }
    }
  for (guint i = 0; i < stale->len; i++)
    if (g_unlink (stale->pdata[i]) != 0 && errno != ENOENT)
      {
        int saved = errno;
        g_set_error (error, ZI_ERROR, ZI_ERROR_IO,
                     _("Cannot delete %s, left behind by an interrupted checkpoint write: %s"),
                     (const char *) stale->pdata[i], g_strerror (saved));
        return FALSE;
      }
  return TRUE;
}

/* ---- best.json: {"step": N, "val_ssim": x}, rewritten atomically ---- */

static char *
best_path (const char *run_dir)
{
  return g_build_filename (run_dir, "checkpoints", "best.json", NULL);
}

gboolean
zi_run_best_save (const char *run_dir, guint64 step, double val_ssim, GError **error)
{
  g_autofree char *path = best_path (run_dir);
  char num[G_ASCII_DTOSTR_BUF_SIZE];
  g_autofree char *text = g_strdup_printf ("{\"step\": %" G_GUINT64_FORMAT ", \"val_ssim\": %s}\n",
                                           step, g_ascii_dtostr (num, sizeof num, val_ssim));

  return zi_file_write_atomic (path, text, strlen (text), error);
}

gboolean
zi_run_best_load (const char *run_dir, guint64 *step, double *val_ssim)
{
  g_autofree char *path = best_path (run_dir);
  g_autofree char *text = NULL;
  g_autoptr(JsonNode) root = NULL;
  JsonObject *o;
  JsonNode *s, *v;

  /* The file comes from disk: one JSON value (see zi_json_text_is_one_value()), an object with a
   * whole step; a score that is missing or not a number reads as NaN. */
  if (!g_file_get_contents (path, &text, NULL, NULL) || !zi_json_text_is_one_value (text, strlen (text)))
    return FALSE;
  root = json_from_string (text, NULL);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return FALSE;
  o = json_node_get_object (root);
  s = json_object_get_member (o, "step");
  if (s == NULL || json_node_get_value_type (s) != G_TYPE_INT64 || json_node_get_int (s) < 0)
    return FALSE;
  v = json_object_get_member (o, "val_ssim");
  if (step)
    *step = (guint64) json_node_get_int (s);
  if (val_ssim)
    *val_ssim = v != NULL && JSON_NODE_TYPE (v) == JSON_NODE_VALUE ? json_node_get_double (v) : NAN;
  return TRUE;
}
