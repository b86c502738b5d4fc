/* zi-window-runs.c — run directories in the window: opening one (made by the GUI or the CLI), the
 * training/validation split for the grid's marks, and the worst-glyphs filter's job. */
#include "config.h"
#include "zi-window-private.h"

#include "zi-error.h"
#include "zi-run.h"
#include "zi-worst-glyphs.h"

#include <glib/gi18n.h>

/* Reads run.json again (the trainer writes it at the start) for the validation split, on a worker
 * thread: the trainer is writing to the same disk and a read can wait on its fsyncs. */
typedef struct {
  ZiRunInfo info;
  ZiPicks  *picks;
} RunInfoJob;

static void
worst_done_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(ZiWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  GArray *worst = zi_worst_glyphs_finish (result, &error);

  if (worst == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        _zi_window_show_error (self, error->message);
      return;
    }
  g_clear_pointer (&self->worst, g_array_unref);
  self->worst = worst;
  if (self->filter == ZI_FILTER_WORST)
    _zi_window_rebuild_list (self);
}

void
_zi_window_worst_start (ZiWindow *self)
{
  const char *checkpoint = zi_training_panel_get_default_checkpoint (self->training_panel);

  if (self->worst != NULL || checkpoint == NULL || self->val_list == NULL || self->val_list->len == 0)
    return;
  g_cancellable_cancel (self->worst_cancellable);
  g_clear_object (&self->worst_cancellable);
  self->worst_cancellable = g_cancellable_new ();

  zi_worst_glyphs_async (checkpoint, self->source_spec, self->target_spec, self->val_list, ZI_WORST_COUNT,
                         self->worst_cancellable, worst_done_cb, g_object_ref (self));
}

void
_zi_window_set_run_chars (ZiWindow *self, const gunichar *chars, guint n, const gunichar *val, guint n_val)
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
  g_autoptr(ZiWindow) self = user_data;
  RunInfoJob *job = g_task_propagate_pointer (G_TASK (result), NULL);
  const char *run_dir = g_task_get_task_data (G_TASK (result));

  /* A run that changed in the meantime (or failed to read) keeps what the window has. */
  if (job == NULL || g_strcmp0 (run_dir, zi_training_panel_get_run_dir (self->training_panel)) != 0)
    {
      g_clear_pointer (&job, run_info_job_free);
      return;
    }
  _zi_window_set_run_chars (self, job->info.chars, job->info.n_chars, job->info.val_chars, job->info.n_val_chars);
  g_clear_pointer (&self->picks, zi_picks_free);
  self->picks = g_steal_pointer (&job->picks);
  run_info_job_free (job);
  _zi_window_refresh_cell_states (self);
  if (self->filter == ZI_FILTER_VALIDATION || self->filter == ZI_FILTER_PICKED)
    _zi_window_rebuild_list (self);
}

void
_zi_window_refresh_run_info (ZiWindow *self)
{
  const char *run_dir = zi_training_panel_get_run_dir (self->training_panel);
  g_autoptr(GTask) task = NULL;

  if (run_dir == NULL)
    return;
  task = g_task_new (NULL, NULL, run_info_done_cb, g_object_ref (self));
  g_task_set_task_data (task, g_strdup (run_dir), g_free);
  g_task_run_in_thread (task, run_info_thread);
}

gboolean
zi_window_open_run (ZiWindow *self, const char *run_dir, GError **error)
{
  ZiRunInfo info = { 0 };
  GSettings *settings;

  g_return_val_if_fail (ZI_IS_WINDOW (self), FALSE);
  g_return_val_if_fail (run_dir != NULL, FALSE);

  if (zi_training_panel_get_state (self->training_panel) != ZI_TRAINER_STATE_IDLE)
    {
      g_set_error (error, ZI_ERROR, ZI_ERROR_RUN,
                   _("Cannot open the run “%s” while training: stop the training first."), run_dir);
      return FALSE;
    }
  if (!zi_run_info_load (run_dir, &info, error))
    return FALSE;
  if (!zi_training_panel_open_run (self->training_panel, run_dir, error))
    {
      zi_run_info_clear (&info);
      return FALSE;
    }
  _zi_window_set_run_chars (self, info.chars, info.n_chars, info.val_chars, info.n_val_chars);
  g_clear_pointer (&self->picks, zi_picks_free);
  self->picks = zi_picks_load (run_dir, NULL);
  zi_window_set_fonts (self, info.source_font, info.target_font);
  zi_run_info_clear (&info);
  zi_window_compare_checkpoints (self, NULL);

  settings = zi_application_get_settings (ZI_APPLICATION (gtk_window_get_application (GTK_WINDOW (self))));
  if (settings != NULL)
    g_settings_set_string (settings, "last-run", run_dir);
  return TRUE;
}

