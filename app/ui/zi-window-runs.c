/* zi-window-runs.c — the window's open run: opening and starting runs, the training/validation
 * split and the picks for the grid's marks and filters, the compared checkpoints and the pick row,
 * and the worst-glyphs filter's job (see zi-window-runs.h). */
#include "config.h"
#include "zi-window-runs.h"

#include "zi-error.h"
#include "zi-picks.h"
#include "zi-preferences-window.h"
#include "zi-run-lock.h"
#include "zi-worst-glyphs.h"

#include <glib/gi18n.h>

struct _ZiWindowRuns
{
  GObject               *owner;  /* not owned */
  ZiWindowRunsWidgets    w;
  ZiWindowRunsCallbacks  cb;
  gboolean               comparing;

  GHashTable            *val_chars;
  GHashTable            *train_chars;
  GArray                *val_list;
  ZiPicks               *picks;
  GArray                *worst;
  GCancellable          *worst_cancellable;
  /* The run's target styles from its run.json (n_styles 0 until it is read). */
  ZiRunStyle            *styles;
  guint                  n_styles;
  guint                  style;  /* the style whose picks the grid and the pick row show and set */
  char                  *fallback;       /* shown when the panel has no checkpoint (the shipped model) */
  gboolean               shows_fallback;
};

/* Reads run.json again (the trainer writes it at the start) for the validation split, on a worker
 * thread: the trainer is writing to the same disk and a read can wait on its fsyncs. */
typedef struct {
  ZiRunInfo info;
  ZiPicks  *picks;
} RunInfoJob;

static void set_split (ZiWindowRuns *self, const gunichar *chars, guint n, const gunichar *val, guint n_val);
static void set_styles (ZiWindowRuns *self, const ZiRunStyle *styles, guint n);

ZiWindowRuns *
zi_window_runs_new (GObject *owner, const ZiWindowRunsWidgets *widgets,
                    const ZiWindowRunsCallbacks *callbacks)
{
  ZiWindowRuns *self;

  g_return_val_if_fail (G_IS_OBJECT (owner), NULL);
  g_return_val_if_fail (widgets != NULL && callbacks != NULL, NULL);
  self = g_new0 (ZiWindowRuns, 1);
  self->owner = owner;
  self->w = *widgets;
  self->cb = *callbacks;
  return self;
}

void
zi_window_runs_cancel (ZiWindowRuns *self)
{
  g_return_if_fail (self != NULL);
  g_cancellable_cancel (self->worst_cancellable);
  g_clear_object (&self->worst_cancellable);
}

void
zi_window_runs_free (ZiWindowRuns *self)
{
  if (self == NULL)
    return;
  zi_window_runs_cancel (self);
  set_split (self, NULL, 0, NULL, 0);
  set_styles (self, NULL, 0);
  g_clear_pointer (&self->picks, zi_picks_free);
  g_free (self->fallback);
  g_free (self);
}

static void
worst_done_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  ZiWindowRuns *self = user_data;
  /* The job held the owner, and so this part, until now. */
  g_autoptr(GObject) owner = self->owner;
  g_autoptr(GError) error = NULL;
  GArray *worst = zi_worst_glyphs_finish (result, &error);

  if (worst == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        self->cb.failed (owner, error->message);
      return;
    }
  g_clear_pointer (&self->worst, g_array_unref);
  self->worst = worst;
  self->cb.worst_ready (owner);
}

void
zi_window_runs_start_worst (ZiWindowRuns *self, const char *source_spec, const char *target_spec)
{
  const char *checkpoint;

  g_return_if_fail (self != NULL);
  checkpoint = zi_training_panel_get_default_checkpoint (self->w.panel);
  if (self->worst != NULL || checkpoint == NULL || self->val_list == NULL || self->val_list->len == 0)
    return;
  g_cancellable_cancel (self->worst_cancellable);
  g_clear_object (&self->worst_cancellable);
  self->worst_cancellable = g_cancellable_new ();

  g_object_ref (self->owner);
  zi_worst_glyphs_async (checkpoint, source_spec, target_spec, self->val_list, ZI_WORST_COUNT,
                         self->worst_cancellable, worst_done_cb, self);
}

/* The split of the run's characters; chars NULL: no run. */
static void
set_split (ZiWindowRuns *self, const gunichar *chars, guint n, const gunichar *val, guint n_val)
{
  g_clear_pointer (&self->val_chars, g_hash_table_unref);
  g_clear_pointer (&self->train_chars, g_hash_table_unref);
  g_clear_pointer (&self->val_list, g_array_unref);
  g_clear_pointer (&self->worst, g_array_unref);
  if (chars == NULL)
    return;
  self->val_chars = g_hash_table_new (NULL, NULL);
  self->train_chars = g_hash_table_new (NULL, NULL);
  self->val_list = g_array_new (FALSE, FALSE, sizeof (gunichar));
  for (guint i = 0; i < n_val; i++)
    {
      g_hash_table_add (self->val_chars, GUINT_TO_POINTER (val[i]));
      g_array_append_val (self->val_list, val[i]);
    }
  for (guint i = 0; i < n; i++)
    if (!g_hash_table_contains (self->val_chars, GUINT_TO_POINTER (chars[i])))
      g_hash_table_add (self->train_chars, GUINT_TO_POINTER (chars[i]));
}

static void
set_styles (ZiWindowRuns *self, const ZiRunStyle *styles, guint n)
{
  if (self->styles != NULL)
    zi_run_styles_free (self->styles, self->n_styles);
  self->styles = n > 0 ? zi_run_styles_copy (styles, n) : NULL;
  self->n_styles = self->styles != NULL ? n : 0;
}

/* A run of several styles keeps picks per style: the picks act on the chosen style's. Called whenever
 * the picks or the style change. */
static void
select_picks_style (ZiWindowRuns *self)
{
  if (self->picks != NULL && self->n_styles > 1)
    zi_picks_select_style (self->picks, self->styles[MIN (self->style, self->n_styles - 1)].name,
                           self->style == 0);
}

void
zi_window_runs_set_style (ZiWindowRuns *self, guint style)
{
  g_return_if_fail (self != NULL);
  self->style = style;
  select_picks_style (self);
}

const ZiRunStyle *
zi_window_runs_get_styles (ZiWindowRuns *self, guint *n)
{
  g_return_val_if_fail (self != NULL && n != NULL, NULL);
  *n = self->n_styles;
  return self->styles;
}

static void
run_info_job_free (RunInfoJob *job)
{
  zi_run_info_clear (&job->info);
  g_clear_pointer (&job->picks, zi_picks_free);
  g_free (job);
}

static void
run_info_thread (GTask *task, gpointer source_object, gpointer task_data, GCancellable *cancellable)
{
  const char *run_dir = task_data;
  RunInfoJob *job = g_new0 (RunInfoJob, 1);
  GError *error = NULL;

  if (!zi_run_info_load (run_dir, &job->info, &error))
    {
      run_info_job_free (job);
      g_task_return_error (task, error);
      return;
    }
  job->picks = zi_picks_load (run_dir, NULL);
  g_task_return_pointer (task, job, (GDestroyNotify) run_info_job_free);
}

static void
run_info_done_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  ZiWindowRuns *self = user_data;
  RunInfoJob *job = g_task_propagate_pointer (G_TASK (result), NULL);
  const char *run_dir = g_task_get_task_data (G_TASK (result));

  /* A run that changed in the meantime (or failed to read) keeps what the window has. */
  if (job == NULL || g_strcmp0 (run_dir, zi_training_panel_get_run_dir (self->w.panel)) != 0)
    {
      g_clear_pointer (&job, run_info_job_free);
      return;
    }
  set_split (self, job->info.chars, job->info.n_chars, job->info.val_chars, job->info.n_val_chars);
  set_styles (self, job->info.styles, job->info.n_styles);
  g_clear_pointer (&self->picks, zi_picks_free);
  self->picks = g_steal_pointer (&job->picks);
  select_picks_style (self);
  run_info_job_free (job);
  self->cb.marks_changed (self->owner);
}

void
zi_window_runs_state_changed (ZiWindowRuns *self)
{
  const char *run_dir;
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (self != NULL);
  run_dir = zi_training_panel_get_run_dir (self->w.panel);
  if (zi_training_panel_get_state (self->w.panel) != ZI_TRAINER_STATE_RUNNING || self->val_chars != NULL
      || run_dir == NULL)
    return;
  /* The task holds the owner, and so this part, until it reports. */
  task = g_task_new (self->owner, NULL, run_info_done_cb, self);
  g_task_set_task_data (task, g_strdup (run_dir), g_free);
  g_task_run_in_thread (task, run_info_thread);
}

gboolean
zi_window_runs_open (ZiWindowRuns *self, const char *run_dir, ZiRunInfo *info, GSettings *settings,
                     GError **error)
{
  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (run_dir != NULL && info != NULL, FALSE);

  if (zi_training_panel_get_state (self->w.panel) != ZI_TRAINER_STATE_IDLE)
    {
      g_set_error (error, ZI_ERROR, ZI_ERROR_RUN,
                   _("Cannot open the run “%s” while training: stop the training first."), run_dir);
      return FALSE;
    }
  if (!zi_run_info_load (run_dir, info, error))
    return FALSE;
  if (!zi_training_panel_open_run (self->w.panel, run_dir, error))
    {
      zi_run_info_clear (info);
      return FALSE;
    }
  set_split (self, info->chars, info->n_chars, info->val_chars, info->n_val_chars);
  set_styles (self, info->styles, info->n_styles);
  g_clear_pointer (&self->picks, zi_picks_free);
  self->picks = zi_picks_load (run_dir, NULL);
  select_picks_style (self);
  if (settings != NULL)
    g_settings_set_string (settings, "last-run", run_dir);
  return TRUE;
}

char *
zi_window_runs_new_dir (GSettings *settings)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *name = g_date_time_format (now, "%Y%m%d-%H%M%S");
  g_autofree char *folder = zi_preferences_get_folder (settings, "runs-dir");

  return g_build_filename (folder, name, NULL);
}

gboolean
zi_window_runs_train (ZiWindowRuns *self, const char *source, const char * const *targets, GArray *chars,
                      GSettings *settings, GError **error)
{
  const char * const *existing;
  g_autofree char *run_dir = NULL;
  guint n = 0;

  g_return_val_if_fail (self != NULL && chars != NULL, FALSE);
  existing = zi_training_panel_get_checkpoints (self->w.panel);
  if (zi_training_panel_get_run_dir (self->w.panel) == NULL || existing == NULL || existing[0] == NULL)
    {
      n = chars->len;
      run_dir = zi_window_runs_new_dir (settings);
    }
  if (!zi_training_panel_start_styles (self->w.panel, source, targets, (const gunichar *) chars->data, n,
                                       run_dir, error))
    return FALSE;
  /* The new run is the one to come back to next time. */
  if (settings != NULL && zi_training_panel_get_run_dir (self->w.panel) != NULL)
    g_settings_set_string (settings, "last-run", zi_training_panel_get_run_dir (self->w.panel));
  return TRUE;
}

gboolean
zi_window_runs_new_run (ZiWindowRuns *self)
{
  g_return_val_if_fail (self != NULL, FALSE);
  if (zi_training_panel_get_state (self->w.panel) != ZI_TRAINER_STATE_IDLE)
    return FALSE;
  zi_training_panel_new_run (self->w.panel);
  set_split (self, NULL, 0, NULL, 0);
  set_styles (self, NULL, 0);
  g_clear_pointer (&self->picks, zi_picks_free);
  self->comparing = FALSE;
  return TRUE;
}

ZiGlyphState
zi_window_runs_state_for (ZiWindowRuns *self, gunichar c)
{
  ZiGlyphState state = 0;

  g_return_val_if_fail (self != NULL, 0);
  if (self->val_chars != NULL && g_hash_table_contains (self->val_chars, GUINT_TO_POINTER (c)))
    state |= ZI_GLYPH_STATE_VAL;
  else if (self->train_chars != NULL && g_hash_table_contains (self->train_chars, GUINT_TO_POINTER (c)))
    state |= ZI_GLYPH_STATE_TRAIN;
  if (self->picks != NULL && zi_picks_get (self->picks, c) != NULL)
    state |= ZI_GLYPH_STATE_PICKED;
  return state;
}

GArray *
zi_window_runs_get_chars (ZiWindowRuns *self, ZiFilter filter)
{
  g_return_val_if_fail (self != NULL, NULL);
  switch (filter)
    {
    case ZI_FILTER_VALIDATION:
      if (self->val_list != NULL)
        return g_array_ref (self->val_list);
      break;
    case ZI_FILTER_WORST:
      if (self->worst != NULL)
        return g_array_ref (self->worst);
      break;
    case ZI_FILTER_PICKED:
      if (self->picks != NULL)
        return zi_picks_get_chars (self->picks);
      break;
    default:
      g_return_val_if_reached (NULL);
    }
  return g_array_new (FALSE, FALSE, sizeof (gunichar));
}

/* ---- Picks: while comparing checkpoints of a run, the designer chooses per glyph which
 * checkpoint's output export keeps (RUN/picks.json). ---- */

gboolean
zi_window_runs_pick (ZiWindowRuns *self, gunichar c, const char *name)
{
  const char *run_dir;
  g_autoptr(GError) error = NULL;
  g_autoptr(ZiRunLock) lock = NULL;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (name != NULL, FALSE);
  run_dir = zi_training_panel_get_run_dir (self->w.panel);
  if (c == 0 || run_dir == NULL)
    return FALSE;
  /* picks.json is written under the run's lock, which this window's own training holds already;
   * while another program trains the run, the picks stay as they are. */
  if (zi_training_panel_get_state (self->w.panel) == ZI_TRAINER_STATE_IDLE
      && (lock = zi_run_lock_acquire (run_dir, NULL, &error)) == NULL)
    {
      self->cb.failed (self->owner, error->message);
      return FALSE;
    }
  if (self->picks == NULL)
    {
      self->picks = zi_picks_new ();
      select_picks_style (self);
    }
  if (name[0] == '\0')
    zi_picks_unset (self->picks, c);
  else if (!zi_picks_set (self->picks, c, name))
    return FALSE;
  if (!zi_picks_save (self->picks, run_dir, &error))
    self->cb.failed (self->owner, error->message);
  return TRUE;
}

void
zi_window_runs_show_pick (ZiWindowRuns *self, gunichar c)
{
  const char *picked;
  g_autofree char *label = NULL;

  g_return_if_fail (self != NULL);
  picked = self->picks != NULL && c != 0 ? zi_picks_get (self->picks, c) : NULL;
  label = picked != NULL ? g_strdup_printf (_("Picked: %s"), picked)
                         : g_strdup (_("Export uses the default checkpoint"));
  zi_glyph_detail_set_pick_label (self->w.detail, label);
}

/* The pick row's menu over the n compared checkpoints, or none when not comparing checkpoints of a
 * run; then what is picked for c. */
static void
update_pick_menu (ZiWindowRuns *self, const char * const *checkpoints, guint n, gunichar c)
{
  g_autoptr(GMenu) menu = NULL;

  if (!self->comparing || zi_training_panel_get_run_dir (self->w.panel) == NULL)
    {
      zi_glyph_detail_set_pick_menu (self->w.detail, NULL);
      return;
    }
  menu = g_menu_new ();
  g_menu_append (menu, _("Default Checkpoint"), "win.pick-checkpoint::");
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *name = g_path_get_basename (checkpoints[i]);
      g_autofree char *label = g_strdup_printf (_("Column %u: %s"), i + 1, name);
      g_autoptr(GMenuItem) item = g_menu_item_new (label, NULL);

      g_menu_item_set_action_and_target_value (item, "win.pick-checkpoint", g_variant_new_string (name));
      g_menu_append_item (menu, item);
    }
  zi_glyph_detail_set_pick_menu (self->w.detail, G_MENU_MODEL (menu));
  zi_window_runs_show_pick (self, c);
}

guint
zi_window_runs_compare (ZiWindowRuns *self, const char * const *checkpoints, gunichar c)
{
  const char *fallback[2] = { NULL, NULL };
  guint n;

  g_return_val_if_fail (self != NULL, 0);
  n = checkpoints != NULL ? g_strv_length ((char **) checkpoints) : 0;
  self->comparing = n >= 2;
  self->shows_fallback = FALSE;
  if (n == 0)
    {
      fallback[0] = zi_training_panel_get_default_checkpoint (self->w.panel);
      if (fallback[0] == NULL && self->fallback != NULL)
        {
          fallback[0] = self->fallback;
          self->shows_fallback = TRUE;
        }
      checkpoints = fallback;
      n = fallback[0] != NULL ? 1 : 0;
    }
  n = MIN (n, ZI_GLYPH_CACHE_MAX_MODELS);
  /* The shipped model may take a second core; a run's checkpoints leave it to training. */
  if (self->shows_fallback)
    zi_glyph_cache_set_model_parallel (self->w.cache, self->fallback);
  else
    zi_glyph_cache_set_models (self->w.cache, n > 0 ? checkpoints : NULL);
  update_pick_menu (self, checkpoints, n, c);
  g_clear_pointer (&self->worst, g_array_unref);
  return n;
}

void
zi_window_runs_set_fallback (ZiWindowRuns *self, const char *checkpoint)
{
  g_return_if_fail (self != NULL);
  g_free (self->fallback);
  self->fallback = g_strdup (checkpoint);
}

gboolean
zi_window_runs_shows_fallback (ZiWindowRuns *self)
{
  g_return_val_if_fail (self != NULL, FALSE);
  return self->shows_fallback;
}

gboolean
zi_window_runs_is_comparing (ZiWindowRuns *self)
{
  g_return_val_if_fail (self != NULL, FALSE);
  return self->comparing;
}
