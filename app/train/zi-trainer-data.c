/* zi-trainer-data.c — the fonts, datasets, split and data order of a training session
 * (zi-trainer-data.h).
 *
 * A run with several target styles keeps one dataset per style, each cached under its own font pair
 * (so the cache keys on every target), and one list of characters for the run: those of the requested
 * set that any style has, in request order (run.json's "chars"). The validation characters are drawn
 * from that list, and each style validates on those of them it has, so the styles' figures compare
 * the same glyphs wherever the fonts allow.
 *
 * The data order: position p (pairs consumed) falls in cycle p / L of L slots, in which style s has
 * quota q_s slots, interleaved by smooth weighted round robin so that every batch mixes the styles
 * by their shares; slot o is the r-th of its style in the cycle, which makes position p style s's
 * draw number (p / L)·q_s + r, and that draw goes through the style's own seeded shuffle per epoch of
 * its training pairs. All of it is a function of the seed and p alone, so a resumed run draws the
 * same pairs. With one style L = 1 and the order is the one runs had before styles existed. */
#include "config.h"
#include "zi-trainer-data.h"
#include "zi-charset.h"
#include "zi-error.h"
#include "zi-font.h"
#include "zi-image.h"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

/* Quotas of shares that are not pair counts are in thousandths. */
#define QUOTA_SCALE 1000.0

typedef struct {
  ZiFont     *font;
  ZiDataset  *dataset;
  GArray     *train_idx;     /* guint indices into dataset */
  GArray     *val_idx;
  guint      *perm;          /* [train_idx->len] the order of perm_epoch */
  gint64      perm_epoch;
  guint       quota;         /* slots per cycle */
} DataStyle;

struct _ZiTrainerData {
  const ZiTrainerConfig *cfg;
  ZiFont                *source_font;
  DataStyle             *styles;
  guint                  n_styles;
  ZiRunStyle            *run_styles;    /* [n_styles] the styles as resolved (a resumed run's as
                                           recorded), for run.json and the checkpoints */
  gunichar              *chars;         /* the run's characters (any style has them) */
  guint                  n_chars;
  GHashTable            *val_chars;     /* the validation characters */
  gsize                  pixels;
  guint                  cycle;         /* L, slots per cycle */
  guint                 *slot_style;    /* [cycle] */
  guint                 *slot_rank;     /* [cycle] the slot's number among its style's in the cycle */
  guint8                *pair_scratch;  /* [2 * pixels] */
};

void
zi_trainer_data_free (ZiTrainerData *data)
{
  if (data == NULL)
    return;
  for (guint i = 0; data->styles != NULL && i < data->n_styles; i++)
    {
      DataStyle *s = &data->styles[i];
      g_clear_pointer (&s->font, zi_font_free);
      g_clear_pointer (&s->dataset, zi_dataset_free);
      g_clear_pointer (&s->train_idx, g_array_unref);
      g_clear_pointer (&s->val_idx, g_array_unref);
      g_free (s->perm);
    }
  g_free (data->styles);
  zi_run_styles_free (data->run_styles, data->n_styles);
  g_clear_pointer (&data->source_font, zi_font_free);
  g_free (data->chars);
  g_clear_pointer (&data->val_chars, g_hash_table_unref);
  g_free (data->slot_style);
  g_free (data->slot_rank);
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

/* Opens the target fonts; the same file and face twice (under two specs) is a usage error. For a
 * resumed run the styles are the run's (names included), checked against the files now there. */
static gboolean
open_targets (ZiTrainerData *d, const ZiRunInfo *info, ZiHealthWarnFunc warn, gpointer warn_data,
              GError **error)
{
  const ZiTrainerConfig *cfg = d->cfg;

  d->n_styles = zi_trainer_config_get_n_targets (cfg);
  if (info != NULL && info->n_styles != d->n_styles)
    {
      g_set_error (error, ZI_ERROR, ZI_ERROR_RUN,
                   _("The run's run.json lists %u target styles but its configuration %u target fonts; "
                     "restore run.json or start a new run."), info->n_styles, d->n_styles);
      return FALSE;
    }
  d->styles = g_new0 (DataStyle, d->n_styles);
  d->run_styles = g_new0 (ZiRunStyle, d->n_styles);
  for (guint i = 0; i < d->n_styles; i++)
    {
      DataStyle *s = &d->styles[i];
      const char *spec = zi_trainer_config_get_target (cfg, i);

      s->perm_epoch = -1;
      s->font = zi_font_open (spec, error);
      if (s->font == NULL)
        return FALSE;
      for (guint j = 0; j < i; j++)
        if (g_strcmp0 (zi_font_get_path (s->font), zi_font_get_path (d->styles[j].font)) == 0
            && zi_font_get_face_index (s->font) == zi_font_get_face_index (d->styles[j].font))
          {
            g_set_error (error, ZI_ERROR, ZI_ERROR_INVALID, _("--target given twice: %s"),
                         zi_font_get_path (s->font));
            return FALSE;
          }
      if (info != NULL)
        {
          check_font_hash (s->font, info->styles[i].hash, FALSE, warn, warn_data);
          zi_run_style_copy (&d->run_styles[i], &info->styles[i]);
        }
      else
        zi_run_style_init_from_font (&d->run_styles[i], spec, s->font);
    }
  if (info == NULL)
    zi_run_styles_qualify (d->run_styles, d->n_styles);
  zi_run_styles_make_unique (d->run_styles, d->n_styles);
  return TRUE;
}

typedef struct {
  ZiProgressFunc progress;
  gpointer       user_data;
  guint          style, n_styles;
} LoadRelay;

/* Each style's dataset reports its own progress; together they count as one job. */
static void
relay_progress_cb (guint64 done, guint64 total, gpointer user_data)
{
  LoadRelay *r = user_data;

  if (r->progress != NULL)
    r->progress (r->style * total + done, r->n_styles * total, r->user_data);
}

static gint
compare_unichar (gconstpointer a, gconstpointer b)
{
  gunichar x = *(const gunichar *) a, y = *(const gunichar *) b;
  return x < y ? -1 : x > y;
}

GArray *
zi_trainer_data_default_chars (ZiFont *source, ZiFont *const *targets, guint n_targets)
{
  g_autoptr(GHashTable) seen = g_hash_table_new (NULL, NULL);
  GArray *chars;

  g_return_val_if_fail (source != NULL && targets != NULL && n_targets >= 1, NULL);

  chars = zi_charset_compute (source, targets[0], ZI_CHARSET_SHARED, ZI_BLOCK_CJK);
  if (n_targets == 1)
    return chars;
  for (guint i = 0; i < chars->len; i++)
    g_hash_table_add (seen, GUINT_TO_POINTER (g_array_index (chars, gunichar, i)));
  for (guint s = 1; s < n_targets; s++)
    {
      g_autoptr(GArray) more = zi_charset_compute (source, targets[s], ZI_CHARSET_SHARED, ZI_BLOCK_CJK);
      for (guint i = 0; i < more->len; i++)
        if (g_hash_table_add (seen, GUINT_TO_POINTER (g_array_index (more, gunichar, i))))
          g_array_append_val (chars, g_array_index (more, gunichar, i));
    }
  g_array_sort (chars, compare_unichar);
  return chars;
}

/* The requested characters for a new run: cfg's, or the default set. */
static GArray *
requested_chars (ZiTrainerData *d)
{
  g_autofree ZiFont **targets = NULL;
  GArray *chars;

  if (d->cfg->chars != NULL)
    {
      chars = g_array_sized_new (FALSE, FALSE, sizeof (gunichar), d->cfg->n_chars);
      g_array_append_vals (chars, d->cfg->chars, d->cfg->n_chars);
    }
  else
    {
      targets = g_new (ZiFont *, d->n_styles);
      for (guint s = 0; s < d->n_styles; s++)
        targets[s] = d->styles[s].font;
      chars = zi_trainer_data_default_chars (d->source_font, targets, d->n_styles);
    }
  /* Named validation characters join the list where it lacks them. */
  if (d->cfg->val_chars != NULL)
    {
      g_autoptr(GHashTable) have = g_hash_table_new (NULL, NULL);
      for (guint i = 0; i < chars->len; i++)
        g_hash_table_add (have, GUINT_TO_POINTER (g_array_index (chars, gunichar, i)));
      for (guint i = 0; i < d->cfg->n_val_chars; i++)
        if (g_hash_table_add (have, GUINT_TO_POINTER (d->cfg->val_chars[i])))
          g_array_append_val (chars, d->cfg->val_chars[i]);
    }
  return chars;
}

/* The run's characters: the requested ones any style's dataset has, in request order. A style that
 * has fewer than half of them is worth a warning: its figures stand on a different set. */
static void
collect_run_chars (ZiTrainerData *d, const GArray *requested, ZiHealthWarnFunc warn, gpointer warn_data)
{
  g_autoptr(GHashTable) any = g_hash_table_new (NULL, NULL);
  g_autoptr(GArray) out = g_array_new (FALSE, FALSE, sizeof (gunichar));

  for (guint s = 0; s < d->n_styles; s++)
    for (guint i = 0; i < d->styles[s].dataset->n; i++)
      g_hash_table_add (any, GUINT_TO_POINTER (d->styles[s].dataset->chars[i]));
  for (guint i = 0; i < requested->len; i++)
    if (g_hash_table_remove (any, GUINT_TO_POINTER (g_array_index (requested, gunichar, i))))
      g_array_append_val (out, g_array_index (requested, gunichar, i));
  d->n_chars = out->len;
  d->chars = (gunichar *) g_array_free (g_steal_pointer (&out), FALSE);

  for (guint s = 0; s < d->n_styles && d->n_styles > 1; s++)
    if (2 * (guint64) d->styles[s].dataset->n < d->n_chars)
      {
        g_autofree char *msg = g_strdup_printf (
          _("The target style %s (%s) has only %u of the run's %u characters; it is trained and "
            "validated on those alone."),
          d->run_styles[s].name, zi_font_get_path (d->styles[s].font), d->styles[s].dataset->n, d->n_chars);
        warn (ZI_HEALTH_OTHER, msg, warn_data);
      }
}

/* Each style's split: its pairs whose character is a validation character go to validation. */
static gboolean
split_styles (ZiTrainerData *d, GError **error)
{
  for (guint s = 0; s < d->n_styles; s++)
    {
      DataStyle *st = &d->styles[s];
      const ZiDataset *ds = st->dataset;

      st->train_idx = g_array_new (FALSE, FALSE, sizeof (guint));
      st->val_idx = g_array_new (FALSE, FALSE, sizeof (guint));
      for (guint i = 0; i < ds->n; i++)
        g_array_append_val (g_hash_table_contains (d->val_chars, GUINT_TO_POINTER (ds->chars[i]))
                              ? st->val_idx : st->train_idx, i);
      if (st->train_idx->len == 0)
        {
          g_set_error (error, ZI_ERROR, ZI_ERROR_CHARSET,
                       g_dngettext (GETTEXT_PACKAGE,
                                    "Only %u character pair is available, which leaves none for training; "
                                    "give more characters or a smaller --val-fraction.",
                                    "Only %u character pairs are available, which leaves none for training; "
                                    "give more characters or a smaller --val-fraction.", ds->n),
                       ds->n);
          return FALSE;
        }
      st->perm = g_new (guint, st->train_idx->len);
    }
  return TRUE;
}

/* The cycle of the data order (see the top of the file). */
static void
build_cycle (ZiTrainerData *d)
{
  g_autofree double *shares = g_new (double, d->n_styles);
  g_autofree guint *train = g_new (guint, d->n_styles);
  g_autofree gint64 *current = g_new0 (gint64, d->n_styles);
  g_autofree guint *seen = g_new0 (guint, d->n_styles);

  for (guint s = 0; s < d->n_styles; s++)
    train[s] = d->styles[s].train_idx->len;
  zi_trainer_config_style_shares (d->cfg, train, shares);
  d->cycle = 0;
  for (guint s = 0; s < d->n_styles; s++)
    {
      DataStyle *st = &d->styles[s];

      if (d->cfg->style_ratio == ZI_STYLE_RATIO_PAIRS)
        st->quota = train[s];
      else if (d->cfg->style_ratio == ZI_STYLE_RATIO_WEIGHTS)
        st->quota = (guint) MAX (1.0, round (shares[s] * QUOTA_SCALE));
      else
        st->quota = 1;
      d->cycle += st->quota;
    }
  d->slot_style = g_new (guint, d->cycle);
  d->slot_rank = g_new (guint, d->cycle);
  /* Smooth weighted round robin: each slot goes to the style furthest behind its share. */
  for (guint o = 0; o < d->cycle; o++)
    {
      guint pick = 0;

      for (guint s = 0; s < d->n_styles; s++)
        {
          current[s] += d->styles[s].quota;
          if (current[s] > current[pick])
            pick = s;
        }
      current[pick] -= d->cycle;
      d->slot_style[o] = pick;
      d->slot_rank[o] = seen[pick]++;
    }
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
  d->source_font = zi_font_open (cfg->source_font, error);
  if (d->source_font == NULL)
    return NULL;
  if (!open_targets (d, info, warn, warn_data, error))
    return NULL;

  if (info != NULL)
    {
      check_font_hash (d->source_font, info->source_hash, TRUE, warn, warn_data);
      chars = g_array_sized_new (FALSE, FALSE, sizeof (gunichar), info->n_chars);
      g_array_append_vals (chars, info->chars, info->n_chars);
    }
  else
    chars = requested_chars (d);

  for (guint s = 0; s < d->n_styles; s++)
    {
      LoadRelay relay = { progress, progress_data, s, d->n_styles };

      /* One copy of the source images for all the styles that render the same ones (5 MB packed a
       * style for the CJK set at 64 px), not unpacked again from a cached file. */
      d->styles[s].dataset = zi_dataset_load (d->source_font, d->styles[s].font,
                                                      (const gunichar *) chars->data, chars->len, size,
                                                      cfg->em_fraction, zi_trainer_config_get_field_spread (cfg),
                                                      cfg->cache_dir, s > 0 ? d->styles[0].dataset : NULL,
                                                      relay_progress_cb, &relay, cancellable, error);
      if (d->styles[s].dataset == NULL)
        return NULL;
    }
  collect_run_chars (d, chars, warn, warn_data);

  d->val_chars = g_hash_table_new (NULL, NULL);
  if (info != NULL)
    {
      if (d->n_chars != info->n_chars)
        {
          g_set_error (error, ZI_ERROR, ZI_ERROR_RUN,
                       _("The fonts now share %u of the run's %u characters; resume with the fonts the run "
                         "was trained with (%s, %s)."),
                       d->n_chars, info->n_chars, info->source_path, info->target_path);
          return NULL;
        }
      for (guint i = 0; i < info->n_val_chars; i++)
        g_hash_table_add (d->val_chars, GUINT_TO_POINTER (info->val_chars[i]));
    }
  else if (cfg->val_chars != NULL)
    {
      g_autoptr(GHashTable) run = g_hash_table_new (NULL, NULL);
      for (guint i = 0; i < d->n_chars; i++)
        g_hash_table_add (run, GUINT_TO_POINTER (d->chars[i]));
      for (guint i = 0; i < cfg->n_val_chars; i++)
        if (g_hash_table_contains (run, GUINT_TO_POINTER (cfg->val_chars[i])))
          g_hash_table_add (d->val_chars, GUINT_TO_POINTER (cfg->val_chars[i]));
      if (g_hash_table_size (d->val_chars) == 0)
        {
          g_set_error (error, ZI_ERROR, ZI_ERROR_CHARSET,
                       _("None of the %u validation characters is in both fonts; name characters the "
                         "fonts share."), cfg->n_val_chars);
          return NULL;
        }
    }
  else
    {
      g_autoptr(GArray) train = NULL;
      g_autoptr(GArray) val = NULL;

      zi_dataset_split (d->n_chars, cfg->seed, cfg->val_fraction, &train, &val);
      for (guint i = 0; i < val->len; i++)
        g_hash_table_add (d->val_chars, GUINT_TO_POINTER (d->chars[g_array_index (val, guint, i)]));
    }
  if (!split_styles (d, error))
    return NULL;
  for (guint s = 0; s < d->n_styles && cfg->init_from != NULL; s++)
    if (d->styles[s].train_idx->len < ZI_TRAINER_FEW_CHARS)
      {
        g_autofree char *msg = g_strdup_printf (
          _("The target %s has only %u training characters; below %u a run that starts from a trained "
            "model takes on its style poorly."),
          zi_font_get_path (d->styles[s].font), d->styles[s].train_idx->len, ZI_TRAINER_FEW_CHARS);
        warn (ZI_HEALTH_OTHER, msg, warn_data);
      }
  build_cycle (d);

  d->pair_scratch = g_malloc (2 * d->pixels);
  return g_steal_pointer (&d);
}

guint
zi_trainer_data_get_n_styles (ZiTrainerData *data)
{
  return data->n_styles;
}

const ZiRunStyle *
zi_trainer_data_get_styles (ZiTrainerData *data)
{
  return data->run_styles;
}

const ZiDataset *
zi_trainer_data_get_style_dataset (ZiTrainerData *data, guint style)
{
  g_return_val_if_fail (style < data->n_styles, NULL);
  return data->styles[style].dataset;
}

const GArray *
zi_trainer_data_get_style_train (ZiTrainerData *data, guint style)
{
  g_return_val_if_fail (style < data->n_styles, NULL);
  return data->styles[style].train_idx;
}

const GArray *
zi_trainer_data_get_style_validation (ZiTrainerData *data, guint style)
{
  g_return_val_if_fail (style < data->n_styles, NULL);
  return data->styles[style].val_idx;
}

const ZiDataset *
zi_trainer_data_get_dataset (ZiTrainerData *data)
{
  return zi_trainer_data_get_style_dataset (data, 0);
}

const GArray *
zi_trainer_data_get_train (ZiTrainerData *data)
{
  return zi_trainer_data_get_style_train (data, 0);
}

const GArray *
zi_trainer_data_get_validation (ZiTrainerData *data)
{
  return zi_trainer_data_get_style_validation (data, 0);
}

/* The dataset index of draw k of style s: each epoch of the style's training pairs in an order that
 * depends only on the seed, the style and the epoch number (style 0's as before styles existed). */
static guint
style_draw (ZiTrainerData *d, guint s, guint64 k)
{
  DataStyle *st = &d->styles[s];
  guint n = st->train_idx->len;
  gint64 epoch = (gint64) (k / n);

  if (epoch != st->perm_epoch)
    {
      NnRng r;

      nn_rng_seed (&r, d->cfg->seed ^ (G_GUINT64_CONSTANT (0x9E3779B97F4A7C15) * (guint64) (epoch + 1))
                         ^ (G_GUINT64_CONSTANT (0xD1B54A32D192ED03) * s));
      for (guint i = 0; i < n; i++)
        st->perm[i] = i;
      for (guint i = n - 1; i > 0; i--)
        {
          guint j = nn_rng_below (&r, i + 1);
          guint t = st->perm[i];
          st->perm[i] = st->perm[j];
          st->perm[j] = t;
        }
      st->perm_epoch = epoch;
    }
  return g_array_index (st->train_idx, guint, st->perm[k % n]);
}

void
zi_trainer_data_draw (ZiTrainerData *data, guint64 pos, guint *style, guint *index)
{
  guint64 cycle = pos / data->cycle;
  guint slot = (guint) (pos % data->cycle);
  guint s = data->slot_style[slot];

  *style = s;
  *index = style_draw (data, s, cycle * data->styles[s].quota + data->slot_rank[slot]);
}

void
zi_trainer_data_fill_batch (ZiTrainerData *data, guint64 images, int batch, NnRng *rng, float *src,
                            float *tgt, int *style)
{
  gsize pixels = data->pixels;

  for (int b = 0; b < batch; b++)
    {
      guint s, k;
      const ZiDataset *ds;
      guint8 *sp = data->pair_scratch, *tp = data->pair_scratch + pixels;

      zi_trainer_data_draw (data, images + (guint64) b, &s, &k);
      ds = data->styles[s].dataset;
      if (style != NULL)
        style[b] = (int) s;
      zi_dataset_get_source (ds, k, sp);
      /* The target's field in a field run: the losses and the discriminator see what the generator
       * learns to draw. */
      zi_dataset_get_train_target (ds, k, tp);
      if (data->cfg->augment)
        zi_dataset_augment_pair (sp, tp, (guint) data->cfg->net.size, 2, 0.04, rng->s);
      zi_image_coverage_to_net (sp, src + (gsize) b * pixels, pixels);
      zi_image_coverage_to_net (tp, tgt + (gsize) b * pixels, pixels);
    }
}

gboolean
zi_trainer_data_write_run_info (ZiTrainerData *data, const char *run_dir, GError **error)
{
  const ZiRunStyle *first = &data->run_styles[0];
  ZiRunInfo info = { 0 };
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  gboolean ok;

  info.created = g_date_time_format_iso8601 (now);
  info.source_font = g_strdup (data->cfg->source_font);
  info.source_path = g_strdup (zi_font_get_path (data->source_font));
  info.source_face = zi_font_get_face_index (data->source_font);
  info.source_hash = g_strdup (zi_font_get_file_hash (data->source_font));
  info.target_font = g_strdup (first->font);
  info.target_path = g_strdup (first->path);
  info.target_face = first->face;
  info.target_hash = g_strdup (first->hash);
  info.styles = zi_run_styles_copy (data->run_styles, data->n_styles);
  info.n_styles = data->n_styles;
  info.chars = g_memdup2 (data->chars, sizeof (gunichar) * data->n_chars);
  info.n_chars = data->n_chars;
  info.val_chars = g_new (gunichar, MAX (g_hash_table_size (data->val_chars), 1));
  for (guint i = 0; i < data->n_chars; i++)
    if (g_hash_table_contains (data->val_chars, GUINT_TO_POINTER (data->chars[i])))
      info.val_chars[info.n_val_chars++] = data->chars[i];
  info.config_json = zi_trainer_config_to_json (data->cfg);
  ok = zi_run_info_save (run_dir, &info, error);
  zi_run_info_clear (&info);
  return ok;
}
