/* zi-export-model.c — export sources that generate glyphs with trained models: the source font's
 * renderings go through one model (a checkpoint), or, with a run's per-glyph picks, each picked glyph
 * through the checkpoint the designer chose and the others through the default one. The bitmaps are
 * the models' own output (zi_model_generate_raw): the signed distance fields of a field model, which
 * the job traces and derives ink from, the coverage of an ink model. */
#include "config.h"
#include "zi-export-private.h"
#include "zi-error.h"
#include "zi-render.h"
#include "zi-representation.h"
#include "zi-run.h"

#include <glib/gi18n.h>
#include <string.h>

typedef struct {
  char    *name;   /* basename, as in picks.json */
  ZiModel *model;
} PickModel;

typedef struct {
  ZiFont      *font;
  ZiPlacement  placement;
  ZiPicks     *picks;    /* NULL without picks */
  GPtrArray   *models;   /* of PickModel; index 0 is the default model */
  guint        size;
  guint8      *render;   /* scratch: [ZI_EXPORT_BATCH * size * size] */
} ModelSource;

static void
pick_model_free (gpointer data)
{
  PickModel *pm = data;

  zi_model_free (pm->model);
  g_free (pm->name);
  g_free (pm);
}

static void
model_source_free (gpointer data)
{
  ModelSource *ms = data;

  zi_font_free (ms->font);
  zi_picks_free (ms->picks);
  g_ptr_array_unref (ms->models);
  g_free (ms->render);
  g_free (ms);
}

/* The index in ms->models of the model that makes c (0 = the default). */
static guint
model_index_for (ModelSource *ms, gunichar c)
{
  const char *name = ms->picks != NULL ? zi_picks_get (ms->picks, c) : NULL;

  if (name != NULL)
    for (guint k = 1; k < ms->models->len; k++)
      if (strcmp (((PickModel *) g_ptr_array_index (ms->models, k))->name, name) == 0)
        return k;
  return 0;
}

static const char *
model_origin (gpointer data, gunichar c)
{
  ModelSource *ms = data;

  return ((PickModel *) g_ptr_array_index (ms->models, model_index_for (ms, c)))->name;
}

static void
model_describe (gpointer data, JsonBuilder *b, GHashTable *used)
{
  ModelSource *ms = data;

  for (guint k = 0; k < ms->models->len; k++)
    {
      PickModel *pm = g_ptr_array_index (ms->models, k);

      if (!g_hash_table_contains (used, pm->name))
        continue;
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "name");
      json_builder_add_string_value (b, pm->name);
      json_builder_set_member_name (b, "path");
      json_builder_add_string_value (b, zi_model_get_checkpoint_path (pm->model));
      json_builder_set_member_name (b, "step");
      json_builder_add_int_value (b, (gint64) zi_model_get_step (pm->model));
      json_builder_set_member_name (b, "default");
      json_builder_add_boolean_value (b, k == 0);
      zi_representation_to_json (b, zi_model_get_representation (pm->model),
                                 zi_model_get_field_spread (pm->model));
      json_builder_end_object (b);
    }
}

/* Renders the source glyphs of chars and runs each model over the glyphs it makes. */
static gboolean
model_bitmaps (const gunichar *chars, guint n, guint8 *out, gboolean *available, gpointer data,
               GCancellable *cancellable, GError **error)
{
  ModelSource *ms = data;
  gsize plane = (gsize) ms->size * ms->size;
  g_autofree guint *index = g_new (guint, n);
  g_autofree guint8 *gathered = g_malloc (n * plane);
  g_autofree guint8 *generated = g_malloc (n * plane);

  g_assert (n <= ZI_EXPORT_BATCH);
  for (guint i = 0; i < n; i++)
    {
      /* One font on one thread: rendering a batch costs far less than generating it. A character
       * the source font lacks renders blank and is skipped. */
      available[i] = zi_render_char (ms->font, &ms->placement, chars[i], ms->render + i * plane, error);
      if (error != NULL && *error != NULL)
        return FALSE;
    }

  for (guint k = 0; k < ms->models->len; k++)
    {
      ZiModel *model = ((PickModel *) g_ptr_array_index (ms->models, k))->model;
      guint m = 0;

      /* Gather the glyphs this model makes, generate them in one call, scatter them back. */
      for (guint i = 0; i < n; i++)
        if (available[i] && model_index_for (ms, chars[i]) == k)
          {
            memcpy (gathered + m * plane, ms->render + i * plane, plane);
            index[m++] = i;
          }
      if (m == 0)
        continue;
      if (!zi_model_generate_raw (model, gathered, m, generated, NULL, NULL, cancellable, error))
        return FALSE;
      for (guint j = 0; j < m; j++)
        memcpy (out + index[j] * plane, generated + j * plane, plane);
    }
  return TRUE;
}

/* Takes model and font; on error both are freed. */
static ModelSource *
model_source_new (ZiModel *model, ZiFont *font, GError **error)
{
  ModelSource *ms = g_new0 (ModelSource, 1);
  PickModel *pm = g_new0 (PickModel, 1);

  ms->font = font;
  ms->size = zi_model_get_size (model);
  ms->models = g_ptr_array_new_with_free_func (pick_model_free);
  pm->name = g_path_get_basename (zi_model_get_checkpoint_path (model));
  pm->model = model;
  g_ptr_array_add (ms->models, pm);
  if (!zi_placement_init (&ms->placement, font, ms->size, zi_model_get_em_fraction (model), error))
    {
      model_source_free (ms);
      return NULL;
    }
  ms->render = g_malloc ((gsize) ZI_EXPORT_BATCH * ms->size * ms->size);
  return ms;
}

static ZiExportSource *
wrap (ModelSource *ms)
{
  ZiModel *model = ((PickModel *) g_ptr_array_index (ms->models, 0))->model;
  const char *name = ((PickModel *) g_ptr_array_index (ms->models, 0))->name;
  ZiExportSource *src;

  src = zi_export_source_new (ms->size, zi_model_get_em_fraction (model), name, model_bitmaps, ms,
                              model_source_free);
  src->font = ms->font;
  src->field_spread = zi_model_get_field_spread (model);
  src->origin = model_origin;
  src->describe = model_describe;
  return src;
}

ZiExportSource *
zi_export_source_new_model (ZiModel *model, ZiFont *source, GError **error)
{
  ModelSource *ms;

  g_return_val_if_fail (model != NULL, NULL);
  g_return_val_if_fail (source != NULL, NULL);

  ms = model_source_new (model, source, error);
  return ms != NULL ? wrap (ms) : NULL;
}

/* What a model draws, for messages: "ink" or "distance fields of spread 4". */
static char *
describe_output (ZiModel *model)
{
  if (zi_model_get_representation (model) == ZI_REPRESENTATION_FIELD)
    return g_strdup_printf (_("distance fields of spread %u"), zi_model_get_field_spread (model));
  return g_strdup (_("ink"));
}

/* Loads the checkpoint name of the run, unless already loaded. */
static gboolean
load_pick (ModelSource *ms, const char *ckpt_dir, gunichar c, const char *name, GError **error)
{
  ZiModel *default_model = ((PickModel *) g_ptr_array_index (ms->models, 0))->model;
  g_autofree char *path = NULL;
  PickModel *pm;

  for (guint k = 0; k < ms->models->len; k++)
    if (strcmp (((PickModel *) g_ptr_array_index (ms->models, k))->name, name) == 0)
      return TRUE;

  path = g_build_filename (ckpt_dir, name, NULL);
  if (!g_file_test (path, G_FILE_TEST_IS_REGULAR))
    {
      char utf8[8] = { 0 };

      g_unichar_to_utf8 (c, utf8);
      g_set_error (error, ZI_ERROR, ZI_ERROR_RUN,
                   _("The checkpoint %s picked for %s (U+%04X) does not exist: pick another "
                     "checkpoint for it or remove the pick"), path, utf8, c);
      return FALSE;
    }
  pm = g_new0 (PickModel, 1);
  pm->name = g_strdup (name);
  pm->model = zi_model_load (path, error);
  if (pm->model == NULL)
    {
      pick_model_free (pm);
      return FALSE;
    }
  g_ptr_array_add (ms->models, pm);
  if (zi_model_get_size (pm->model) != ms->size)
    {
      g_set_error (error, ZI_ERROR, ZI_ERROR_CHECKPOINT,
                   _("The picked checkpoint %s makes %u px glyphs but the export uses %u px: pick "
                     "checkpoints of the same run"), path, zi_model_get_size (pm->model), ms->size);
      return FALSE;
    }
  /* One export traces one kind of bitmap; the checkpoints of a run all draw the same kind. */
  if (zi_model_get_field_spread (pm->model) != zi_model_get_field_spread (default_model))
    {
      g_autofree char *picked = describe_output (pm->model);
      g_autofree char *usual = describe_output (default_model);

      g_set_error (error, ZI_ERROR, ZI_ERROR_CHECKPOINT,
                   _("The picked checkpoint %s draws %s, the export's checkpoint %s: pick checkpoints of "
                     "the same run"), path, picked, usual);
      return FALSE;
    }
  return TRUE;
}

ZiExportSource *
zi_export_source_new_picks (ZiModel     *model,
                            ZiFont      *source,
                            ZiPicks     *picks,
                            const char  *run_dir,
                            GError     **error)
{
  g_autoptr(GArray) chars = NULL;
  g_autofree char *ckpt_dir = NULL;
  ModelSource *ms;

  g_return_val_if_fail (model != NULL, NULL);
  g_return_val_if_fail (source != NULL, NULL);
  g_return_val_if_fail (picks != NULL, NULL);
  g_return_val_if_fail (run_dir != NULL, NULL);

  ms = model_source_new (model, source, error);
  if (ms == NULL)
    {
      zi_picks_free (picks);
      return NULL;
    }
  ms->picks = picks;

  /* Load every picked checkpoint now, so that a missing or incompatible one fails before any work. */
  ckpt_dir = zi_run_checkpoints_dir (run_dir);
  chars = zi_picks_get_chars (picks);
  for (guint i = 0; i < chars->len; i++)
    {
      gunichar c = g_array_index (chars, gunichar, i);

      if (!load_pick (ms, ckpt_dir, c, zi_picks_get (picks, c), error))
        {
          model_source_free (ms);
          return NULL;
        }
    }
  return wrap (ms);
}
