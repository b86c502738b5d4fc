/* zi-trainer-data.c — the fonts, dataset, split and data order of a training session
 * (zi-trainer-data.h). */
#include "config.h"
#include "zi-trainer-data.h"
#include "zi-charset.h"
#include "zi-error.h"
#include "zi-font.h"
#include "zi-image.h"

#include <glib/gi18n.h>
#include <string.h>

struct _ZiTrainerData {
  const ZiTrainerConfig *cfg;
  ZiFont                *source_font;
  ZiFont                *target_font;
  ZiDataset             *dataset;
  GArray                *train_idx;     /* guint indices into dataset */
  GArray                *val_idx;
  gsize                  pixels;
  guint                 *perm;          /* [train_idx->len] the order of perm_epoch */
  gint64                 perm_epoch;
  guint8                *pair_scratch;  /* [2 * pixels] */
};

void
zi_trainer_data_free (ZiTrainerData *data)
{
  if (data == NULL)
    return;
  g_clear_pointer (&data->source_font, zi_font_free);
  g_clear_pointer (&data->target_font, zi_font_free);
  g_clear_pointer (&data->dataset, zi_dataset_free);
  g_clear_pointer (&data->train_idx, g_array_unref);
  g_clear_pointer (&data->val_idx, g_array_unref);
  g_free (data->perm);
  g_free (data->pair_scratch);
  g_free (data);
}

static void
check_font_hash (ZiFont *font, const char *expected, gboolean is_source, ZiHealthWarnFunc warn,
                 gpointer warn_data)
{
  g_autofree char *msg = NULL;

  if (expected == NULL || *expected == '\0' || g_strcmp0 (zi_font_get_file_hash (font), expected) == 0)
    return;
  if (is_source)
    msg = g_strdup_printf (_("The source font %s is not the file this run was trained with; the dataset is "
                             "rebuilt from it, so results may change."), zi_font_get_path (font));
  else
    msg = g_strdup_printf (_("The target font %s is not the file this run was trained with; the dataset is "
                             "rebuilt from it, so results may change."), zi_font_get_path (font));
  warn (ZI_HEALTH_OTHER, msg, warn_data);
}

/* The split recorded in run.json: its validation characters, found in the dataset. */
static gboolean
restore_split (ZiTrainerData *d, const ZiRunInfo *info, GError **error)
{
  const ZiDataset *ds = d->dataset;
  g_autoptr(GHashTable) where = g_hash_table_new (NULL, NULL);
  g_autoptr(GHashTable) is_val = g_hash_table_new (NULL, NULL);

  if (ds->n != info->n_chars)
    {
      g_set_error (error, ZI_ERROR, ZI_ERROR_RUN,
                   _("The fonts now share %u of the run's %u characters; resume with the fonts the run "
                     "was trained with (%s, %s)."),
                   ds->n, info->n_chars, info->source_path, info->target_path);
      return FALSE;
    }
  for (guint i = 0; i < ds->n; i++)
    g_hash_table_insert (where, GUINT_TO_POINTER (ds->chars[i]), GUINT_TO_POINTER (i + 1));
  d->train_idx = g_array_new (FALSE, FALSE, sizeof (guint));
  d->val_idx = g_array_new (FALSE, FALSE, sizeof (guint));
  for (guint i = 0; i < info->n_val_chars; i++)
    {
      guint at = GPOINTER_TO_UINT (g_hash_table_lookup (where, GUINT_TO_POINTER (info->val_chars[i])));
      if (at == 0)
        continue;
      g_hash_table_add (is_val, GUINT_TO_POINTER (at));
    }
  for (guint i = 0; i < ds->n; i++)
    g_array_append_val (g_hash_table_contains (is_val, GUINT_TO_POINTER (i + 1)) ? d->val_idx : d->train_idx, i);
  return TRUE;
}

ZiTrainerData *
zi_trainer_data_load (const ZiTrainerConfig *cfg, const ZiRunInfo *info, ZiProgressFunc progress,
                      gpointer progress_data, ZiHealthWarnFunc warn, gpointer warn_data,
                      GCancellable *cancellable, GError **error)
{
  g_autoptr(ZiTrainerData) d = g_new0 (ZiTrainerData, 1);
  g_autoptr(GArray) chars = NULL;
  guint size = (guint) cfg->net.size;

  d->cfg = cfg;
  d->pixels = (gsize) size * size;
  d->perm_epoch = -1;
  d->source_font = zi_font_open (cfg->source_font, error);
  if (d->source_font == NULL)
    return NULL;
  d->target_font = zi_font_open (cfg->target_font, error);
  if (d->target_font == NULL)
    return NULL;

  if (info != NULL)
    {
      check_font_hash (d->source_font, info->source_hash, TRUE, warn, warn_data);
      check_font_hash (d->target_font, info->target_hash, FALSE, warn, warn_data);
      chars = g_array_sized_new (FALSE, FALSE, sizeof (gunichar), info->n_chars);
      g_array_append_vals (chars, info->chars, info->n_chars);
    }
  else if (cfg->chars != NULL)
    {
      chars = g_array_sized_new (FALSE, FALSE, sizeof (gunichar), cfg->n_chars);
      g_array_append_vals (chars, cfg->chars, cfg->n_chars);
    }
  else
    chars = zi_charset_compute (d->source_font, d->target_font, ZI_CHARSET_SHARED, ZI_BLOCK_CJK);

  d->dataset = zi_dataset_load (d->source_font, d->target_font, (const gunichar *) chars->data, chars->len,
                                size, cfg->em_fraction, zi_trainer_config_get_field_spread (cfg),
                                cfg->cache_dir, progress, progress_data, cancellable, error);
  if (d->dataset == NULL)
    return NULL;

  if (info != NULL)
    {
      if (!restore_split (d, info, error))
        return NULL;
    }
  else
    zi_dataset_split (d->dataset->n, cfg->seed, cfg->val_fraction, &d->train_idx, &d->val_idx);

  if (d->train_idx->len == 0)
    {
      g_set_error (error, ZI_ERROR, ZI_ERROR_CHARSET,
                   g_dngettext (GETTEXT_PACKAGE,
                                "Only %u character pair is available, which leaves none for training; "
                                "give more characters or a smaller --val-fraction.",
                                "Only %u character pairs are available, which leaves none for training; "
                                "give more characters or a smaller --val-fraction.", d->dataset->n),
                   d->dataset->n);
      return NULL;
    }
  d->perm = g_new (guint, d->train_idx->len);
  d->pair_scratch = g_malloc (2 * d->pixels);
  return g_steal_pointer (&d);
}

const ZiDataset *
zi_trainer_data_get_dataset (ZiTrainerData *data)
{
  return data->dataset;
}

const GArray *
zi_trainer_data_get_train (ZiTrainerData *data)
{
  return data->train_idx;
}

const GArray *
zi_trainer_data_get_validation (ZiTrainerData *data)
{
  return data->val_idx;
}

/* The dataset index of the training pair at position pos of the run's data order. */
static guint
data_index (ZiTrainerData *d, guint64 pos)
{
  guint n = d->train_idx->len;
  gint64 epoch = (gint64) (pos / n);

  if (epoch != d->perm_epoch)
    {
      NnRng r;
      /* Each epoch's order depends only on the seed and the epoch number. */
      nn_rng_seed (&r, d->cfg->seed ^ (G_GUINT64_CONSTANT (0x9E3779B97F4A7C15) * (guint64) (epoch + 1)));
      for (guint i = 0; i < n; i++)
        d->perm[i] = i;
      for (guint i = n - 1; i > 0; i--)
        {
          guint j = nn_rng_below (&r, i + 1);
          guint t = d->perm[i];
          d->perm[i] = d->perm[j];
          d->perm[j] = t;
        }
      d->perm_epoch = epoch;
    }
  return g_array_index (d->train_idx, guint, d->perm[pos % n]);
}

void
zi_trainer_data_fill_batch (ZiTrainerData *data, guint64 images, int batch, NnRng *rng, float *src,
                            float *tgt)
{
  gsize pixels = data->pixels;

  for (int b = 0; b < batch; b++)
    {
      guint k = data_index (data, images + (guint64) b);
      guint8 *s = data->pair_scratch, *t = data->pair_scratch + pixels;

      memcpy (s, data->dataset->source + (gsize) k * pixels, pixels);
      /* The target's field in a field run: the losses and the discriminator see what the generator
       * learns to draw. */
      memcpy (t, zi_dataset_get_train_targets (data->dataset) + (gsize) k * pixels, pixels);
      if (data->cfg->augment)
        zi_dataset_augment_pair (s, t, (guint) data->cfg->net.size, 2, 0.04, rng->s);
      zi_image_coverage_to_net (s, src + (gsize) b * pixels, pixels);
      zi_image_coverage_to_net (t, tgt + (gsize) b * pixels, pixels);
    }
}

gboolean
zi_trainer_data_write_run_info (ZiTrainerData *data, const char *run_dir, GError **error)
{
  const ZiDataset *ds = data->dataset;
  ZiRunInfo info = { 0 };
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  gboolean ok;

  info.created = g_date_time_format_iso8601 (now);
  info.source_font = g_strdup (data->cfg->source_font);
  info.source_path = g_strdup (zi_font_get_path (data->source_font));
  info.source_face = zi_font_get_face_index (data->source_font);
  info.source_hash = g_strdup (zi_font_get_file_hash (data->source_font));
  info.target_font = g_strdup (data->cfg->target_font);
  info.target_path = g_strdup (zi_font_get_path (data->target_font));
  info.target_face = zi_font_get_face_index (data->target_font);
  info.target_hash = g_strdup (zi_font_get_file_hash (data->target_font));
  info.chars = g_memdup2 (ds->chars, sizeof (gunichar) * ds->n);
  info.n_chars = ds->n;
  info.val_chars = g_new (gunichar, MAX (data->val_idx->len, 1));
  for (guint i = 0; i < data->val_idx->len; i++)
    info.val_chars[i] = ds->chars[g_array_index (data->val_idx, guint, i)];
  info.n_val_chars = data->val_idx->len;
  info.config_json = zi_trainer_config_to_json (data->cfg);
  ok = zi_run_info_save (run_dir, &info, error);
  zi_run_info_clear (&info);
  return ok;
}
