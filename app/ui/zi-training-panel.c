/* zi-training-panel.c — the training page: form, status, chart, previews and checkpoints.
 *
 * The trainer delivers its events on the main loop as small copied records; each handler here only
 * copies numbers into widgets and queues redraws, so a frame never waits for training work. The
 * chart redraws at most once per frame however many points arrive. */
#include "config.h"
#include "zi-training-panel-private.h"

#include "zi-error.h"
#include "zi-run.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <math.h>
#include <time.h>

G_DEFINE_FINAL_TYPE (ZiTrainingPanel, zi_training_panel, GTK_TYPE_WIDGET)

/* The form and view files emit these by name, so that they use nothing of this file. */
enum {
  ZI_TRAINING_PANEL_STATE_CHANGED,
  ZI_TRAINING_PANEL_CHECKPOINTS_CHANGED,
  ZI_TRAINING_PANEL_COMPARE_REQUESTED,
  ZI_TRAINING_PANEL_FAILED,
  ZI_TRAINING_PANEL_N_SIGNALS,
};
static guint signals[ZI_TRAINING_PANEL_N_SIGNALS];

/* ---- Frame timing ----------------------------------------------------------------------------- */

/* While training runs, every frame's distance from the previous one is recorded: a frame that had
 * to wait for training work would show as a long interval. */
static gboolean
frame_tick_cb (GtkWidget *widget, GdkFrameClock *clock, gpointer user_data)
{
  ZiTrainingPanel *self = ZI_TRAINING_PANEL (widget);
  gint64 now = gdk_frame_clock_get_frame_time (clock);

  if (self->last_frame_us != 0)
    {
      self->worst_frame_us = MAX (self->worst_frame_us, now - self->last_frame_us);
      self->n_frames++;
    }
  self->last_frame_us = now;
  return G_SOURCE_CONTINUE;
}

static void
set_frame_watch (ZiTrainingPanel *self, gboolean on)
{
  if (on && self->tick_id == 0)
    {
      self->last_frame_us = 0;
      self->tick_id = gtk_widget_add_tick_callback (GTK_WIDGET (self), frame_tick_cb, NULL, NULL);
    }
  else if (!on && self->tick_id != 0)
    {
      gtk_widget_remove_tick_callback (GTK_WIDGET (self), self->tick_id);
      self->tick_id = 0;
    }
}

gint64
zi_training_panel_get_worst_event_time (ZiTrainingPanel *self, gint64 *cpu_us)
{
  g_return_val_if_fail (ZI_IS_TRAINING_PANEL (self), 0);
  if (cpu_us != NULL)
    *cpu_us = self->worst_event_cpu_us;
  return self->worst_event_us;
}

gint64
zi_training_panel_get_worst_frame (ZiTrainingPanel *self, guint *n_frames)
{
  g_return_val_if_fail (ZI_IS_TRAINING_PANEL (self), 0);
  if (n_frames != NULL)
    *n_frames = self->n_frames;
  return self->worst_frame_us;
}

/* ---- Trainer events --------------------------------------------------------------------------- */

static void
append_step (ZiTrainingPanel *self, const ZiTrainerStepStats *s)
{
  double x = s->step, im = s->images, t = s->seconds;

  zi_chart_append (self->chart, "d_loss", x, im, t, s->d_loss);
  zi_chart_append (self->chart, "g_loss", x, im, t, s->g_loss);
  zi_chart_append (self->chart, "g_adv", x, im, t, s->g_adv);
  zi_chart_append (self->chart, "l1", x, im, t, s->l1);
  zi_chart_append (self->chart, "lr", x, im, t, s->lr_g);
}

/* A line of metrics.jsonl as the step event of a trainer: the same chart and status either way. */
static void
append_record (ZiTrainingPanel *self, const ZiRunMetric *m, gboolean show)
{
  ZiTrainerStepStats s = { 0 };

  s.step = m->step;
  s.images = m->images;
  s.seconds = m->seconds;
  s.lr_g = m->lr;
  s.d_loss = m->d_loss;
  s.g_loss = m->g_loss;
  s.g_adv = m->g_adv;
  s.l1 = m->l1;
  s.eta_seconds = -1;
  s.images_per_second = m->seconds > 0 ? m->images / m->seconds : 0;
  s.total_steps = self->base.max_steps;
  append_step (self, &s);
  if (m->has_val)
    {
      zi_chart_append (self->chart, "val_ssim", m->step, m->images, m->seconds, m->val_ssim);
      zi_chart_append (self->chart, "val_l1", m->step, m->images, m->seconds, m->val_l1);
      for (guint i = 0; i < m->n_val_styles; i++)
        _zi_training_panel_append_style_ssim (self, i, m->n_val_styles, m->val_styles[i].name, m->step,
                                              m->images, m->seconds, m->val_styles[i].ssim);
    }
  if (show)
    {
      self->last_stats = s;
      _zi_training_panel_show_stats (self, &s);
    }
}

static gboolean
release_trainer_cb (gpointer user_data)
{
  ZiTrainingPanel *self = user_data;

  /* Dropped from an idle, not from inside the trainer's own event callback. */
  g_clear_object (&self->trainer);
  self->state = ZI_TRAINER_STATE_IDLE;
  set_frame_watch (self, FALSE);
  g_signal_emit (self, signals[ZI_TRAINING_PANEL_STATE_CHANGED], 0);
  return G_SOURCE_REMOVE;
}

/* CPU time of the calling thread: on a loaded machine wall time also counts the other processes. */
static gint64
thread_cpu_us (void)
{
  struct timespec ts;

  if (clock_gettime (CLOCK_THREAD_CPUTIME_ID, &ts) != 0)
    return 0;
  return (gint64) ts.tv_sec * G_USEC_PER_SEC + ts.tv_nsec / 1000;
}

static void
trainer_event_cb (ZiTrainer *trainer, const ZiTrainerEvent *event, gpointer user_data)
{
  ZiTrainingPanel *self = user_data;

  gint64 t0 = g_get_monotonic_time (), c0 = thread_cpu_us ();

  if (trainer != self->trainer)
    return;

  switch (event->kind)
    {
    case ZI_TRAINER_EVENT_STATE:
      self->state = event->state;
      gtk_label_set_label (self->state_label, _zi_training_panel_state_text (event->state));
      set_frame_watch (self, event->state == ZI_TRAINER_STATE_RUNNING);
      g_signal_emit (self, signals[ZI_TRAINING_PANEL_STATE_CHANGED], 0);
      break;

    case ZI_TRAINER_EVENT_LOADING:
      /* The dataset's preparation always has an end, even when the run has none. */
      gtk_widget_set_visible (GTK_WIDGET (self->progress_bar), TRUE);
      if (event->progress.total > 0)
        gtk_progress_bar_set_fraction (self->progress_bar, (double) event->progress.done / event->progress.total);
      break;

    case ZI_TRAINER_EVENT_STEP:
      self->last_stats = event->stats;
      append_step (self, &event->stats);
      _zi_training_panel_show_stats (self, &event->stats);
      break;

    case ZI_TRAINER_EVENT_VALIDATION:
      zi_chart_append (self->chart, "val_ssim", event->step, self->last_stats.images, self->last_stats.seconds,
                       event->validation.ssim);
      zi_chart_append (self->chart, "val_l1", event->step, self->last_stats.images, self->last_stats.seconds,
                       event->validation.l1);
      for (guint i = 0; i < event->validation.n_styles; i++)
        if (event->validation.styles[i].n > 0)
          _zi_training_panel_append_style_ssim (self, event->validation.styles[i].style,
                                                event->validation.n_styles, event->validation.styles[i].name,
                                                event->step,
                                                self->last_stats.images, self->last_stats.seconds,
                                                event->validation.styles[i].ssim);
      break;

    case ZI_TRAINER_EVENT_PREVIEW:
      g_clear_pointer (&self->preview_event, zi_trainer_event_free);
      self->preview_event = zi_trainer_event_copy (event);
      gtk_widget_queue_draw (GTK_WIDGET (self->preview));
      break;

    case ZI_TRAINER_EVENT_CHECKPOINT:
      _zi_training_panel_add_checkpoint (self, event->checkpoint.path, event->step, event->checkpoint.has_validation,
                      event->checkpoint.val_l1, event->checkpoint.val_ssim, event->checkpoint.is_best);
      break;

    case ZI_TRAINER_EVENT_WARNING:
      _zi_training_panel_show_warning (self, event->warning.message);
      break;

    case ZI_TRAINER_EVENT_FINISHED:
      gtk_label_set_label (self->state_label, _zi_training_panel_state_text (ZI_TRAINER_STATE_FINISHED));
      g_idle_add_full (G_PRIORITY_DEFAULT, release_trainer_cb, g_object_ref (self), g_object_unref);
      break;

    case ZI_TRAINER_EVENT_FAILED:
      gtk_label_set_label (self->state_label, _zi_training_panel_state_text (ZI_TRAINER_STATE_FAILED));
      g_signal_emit (self, signals[ZI_TRAINING_PANEL_FAILED], 0, event->error != NULL ? event->error->message : _("Training failed."));
      g_idle_add_full (G_PRIORITY_DEFAULT, release_trainer_cb, g_object_ref (self), g_object_unref);
      break;

    default:
      break;
    }
  self->worst_event_us = MAX (self->worst_event_us, g_get_monotonic_time () - t0);
  self->worst_event_cpu_us = MAX (self->worst_event_cpu_us, thread_cpu_us () - c0);
}

/* ---- Following a run another program writes ------------------------------------------------ */

/* The checkpoint list from the run's files, each with the validation logged at (or last before) its
 * step; the checkpoints selected for comparison stay selected. */
static void
show_checkpoints (ZiTrainingPanel *self, GArray *steps, guint64 best_step)
{
  g_autoptr(GHashTable) selected = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  for (guint i = 0; i < self->checkpoints->len; i++)
    {
      Checkpoint *cp = g_ptr_array_index (self->checkpoints, i);
      if (cp->selected)
        g_hash_table_add (selected, g_strdup (cp->path));
    }
  g_ptr_array_set_size (self->checkpoints, 0);
  for (guint i = 0; i < steps->len; i++)
    {
      guint64 step = g_array_index (steps, guint64, i);
      g_autofree char *path = zi_run_checkpoint_path (self->run_dir, step);
      gboolean has_val = FALSE;
      double l1 = 0, ssim = 0;

      for (guint k = 0; self->run_metrics != NULL && k < self->run_metrics->len; k++)
        {
          const ZiRunMetric *m = &g_array_index (self->run_metrics, ZiRunMetric, k);
          if (m->step > step)
            break;
          if (m->has_val)
            has_val = TRUE, l1 = m->val_l1, ssim = m->val_ssim;
        }
      _zi_training_panel_add_checkpoint (self, path, step, has_val, l1, ssim, step == best_step);
    }
  for (guint i = 0; i < self->checkpoints->len; i++)
    {
      Checkpoint *cp = g_ptr_array_index (self->checkpoints, i);
      cp->selected = g_hash_table_contains (selected, cp->path);
    }
  _zi_training_panel_rebuild_paths (self);
  _zi_training_panel_rebuild_checkpoint_list (self);
  g_signal_emit (self, signals[ZI_TRAINING_PANEL_CHECKPOINTS_CHANGED], 0);
}

static void
watch_metrics_cb (gpointer user_data, const ZiRunMetric *records, guint n)
{
  ZiTrainingPanel *self = user_data;

  for (guint i = 0; i < n; i++)
    {
      /* A rollback logs its steps again: the newer records win, as in zi_run_metrics_load(). */
      while (self->run_metrics->len > 0
             && g_array_index (self->run_metrics, ZiRunMetric, self->run_metrics->len - 1).step >= records[i].step)
        g_array_set_size (self->run_metrics, self->run_metrics->len - 1);
      g_array_append_val (self->run_metrics, records[i]);
      append_record (self, &records[i], i + 1 == n);
    }
}

static void
watch_checkpoints_cb (gpointer user_data, GArray *steps, guint64 best_step)
{
  show_checkpoints (user_data, steps, best_step);
}

/* The banner and the form follow the writer: read-only while another program trains the run, and an
 * offer to continue it here once that program has stopped. */
static void
watch_writer_cb (gpointer user_data, const ZiRunWriter *writer)
{
  ZiTrainingPanel *self = user_data;
  g_autofree char *text = NULL;

  self->has_writer = writer != NULL;
  gtk_widget_set_sensitive (GTK_WIDGET (self->form), writer == NULL);
  gtk_widget_set_sensitive (GTK_WIDGET (self->advanced_grid), writer == NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "panel.take-over", writer == NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->take_over_button), writer == NULL);
  if (writer != NULL)
    {
      g_autofree char *who = zi_run_writer_describe (writer);

      g_free (self->last_writer);
      self->last_writer = g_strdup (writer->program != NULL ? writer->program : who);
      text = g_strdup_printf (_("Read-only: %s is training this run; the chart and the checkpoints follow "
                                "it."), who);
      gtk_label_set_label (self->state_label, _("Watching"));
    }
  else if (self->last_writer != NULL)
    {
      text = g_strdup_printf (_("The training by %s has stopped. You can continue training this run here."),
                              self->last_writer);
      gtk_label_set_label (self->state_label, _zi_training_panel_state_text (ZI_TRAINER_STATE_IDLE));
    }
  if (text != NULL)
    gtk_label_set_label (self->watch_label, text);
  gtk_revealer_set_reveal_child (self->watch_revealer, text != NULL);
}

static void
stop_watch (ZiTrainingPanel *self)
{
  g_clear_pointer (&self->watch, zi_run_watch_free);
  g_clear_pointer (&self->run_metrics, g_array_unref);
  g_clear_pointer (&self->last_writer, g_free);
  self->has_writer = FALSE;
  gtk_revealer_set_reveal_child (self->watch_revealer, FALSE);
  gtk_widget_set_sensitive (GTK_WIDGET (self->form), TRUE);
  gtk_widget_set_sensitive (GTK_WIDGET (self->advanced_grid), TRUE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "panel.take-over", FALSE);
}

/* Follows the open run from byte metrics_end of its metrics.jsonl, where the records it shows end. */
static void
start_watch (ZiTrainingPanel *self, guint64 metrics_end)
{
  static const ZiRunWatchCallbacks callbacks = { watch_metrics_cb, watch_checkpoints_cb, watch_writer_cb };

  self->watch = zi_run_watch_new (self->run_dir, metrics_end, &callbacks, self);
}

const char *
zi_training_panel_get_watch_banner (ZiTrainingPanel *self)
{
  g_return_val_if_fail (ZI_IS_TRAINING_PANEL (self), NULL);
  return self->watch != NULL && gtk_revealer_get_reveal_child (self->watch_revealer)
         ? gtk_label_get_label (self->watch_label) : NULL;
}

/* Continues the followed run in this panel once its writer has stopped. */
static void
take_over_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  ZiTrainingPanel *self = ZI_TRAINING_PANEL (widget);
  g_autoptr(GError) error = NULL;

  if (!zi_training_panel_start (self, NULL, NULL, NULL, 0, NULL, &error))
    g_signal_emit (self, signals[ZI_TRAINING_PANEL_FAILED], 0, error->message);
}

/* ---- Starting and controlling ----------------------------------------------------------------- */

void
zi_training_panel_set_settings (ZiTrainingPanel *self, GSettings *settings)
{
  g_return_if_fail (ZI_IS_TRAINING_PANEL (self));
  g_return_if_fail (settings == NULL || G_IS_SETTINGS (settings));

  if (self->settings != NULL)
    g_settings_unbind (self->smoothing_adjustment, "value");
  g_set_object (&self->settings, settings);
  /* The preference is the chart's starting smoothing; the slider moves it for this session only. */
  if (settings != NULL)
    g_settings_bind (settings, "chart-smoothing", self->smoothing_adjustment, "value",
                     G_SETTINGS_BIND_GET | G_SETTINGS_BIND_NO_SENSITIVITY);
}

static void
reset_view (ZiTrainingPanel *self)
{
  zi_chart_clear (self->chart);
  _zi_training_panel_clear_style_lines (self);
  g_ptr_array_set_size (self->checkpoints, 0);
  _zi_training_panel_rebuild_paths (self);
  _zi_training_panel_rebuild_checkpoint_list (self);
  g_clear_pointer (&self->preview_event, zi_trainer_event_free);
  gtk_widget_queue_draw (GTK_WIDGET (self->preview));
  gtk_revealer_set_reveal_child (self->warning_revealer, FALSE);
  gtk_progress_bar_set_fraction (self->progress_bar, 0);
  gtk_widget_set_visible (GTK_WIDGET (self->progress_bar), TRUE);
  self->worst_frame_us = 0;
  self->worst_event_us = 0;
  self->worst_event_cpu_us = 0;
  self->n_frames = 0;
  memset (&self->last_stats, 0, sizeof self->last_stats);
}

gboolean
zi_training_panel_start (ZiTrainingPanel *self, const char *source_font, const char *target_font,
                         const gunichar *chars, guint n_chars, const char *run_dir, GError **error)
{
  const char *targets[] = { target_font, NULL };

  return zi_training_panel_start_styles (self, source_font, target_font != NULL ? targets : NULL, chars,
                                         n_chars, run_dir, error);
}

gboolean
zi_training_panel_start_styles (ZiTrainingPanel *self, const char *source_font,
                                const char * const *target_fonts, const gunichar *chars, guint n_chars,
                                const char *run_dir, GError **error)
{
  g_autoptr(ZiTrainer) trainer = NULL;

  g_return_val_if_fail (ZI_IS_TRAINING_PANEL (self), FALSE);

  if (self->trainer != NULL)
    {
      g_set_error (error, ZI_ERROR, ZI_ERROR_INVALID, _("Training is already running: stop it first."));
      return FALSE;
    }

  if (run_dir == NULL && self->run_dir != NULL)
    {
      ZiTrainerConfig *cfg;
      guint64 steps = (guint64) gtk_spin_button_get_value (self->steps_spin);

      trainer = zi_trainer_new_resume (self->run_dir, NULL, error);
      if (trainer == NULL)
        return FALSE;
      cfg = zi_trainer_get_config_mutable (trainer);
      /* Continue for the steps in the form, counted from where the run stands. */
      cfg->max_steps = steps > 0 ? zi_trainer_get_step (trainer) + steps : 0;
      cfg->max_minutes = gtk_spin_button_get_value (self->minutes_spin);
      cfg->checkpoint_every = gtk_spin_button_get_value_as_int (self->ckpt_spin);
      cfg->val_every = gtk_spin_button_get_value_as_int (self->val_every_spin);
      _zi_training_panel_apply_settings (self, cfg);
    }
  else
    {
      ZiTrainerConfig cfg = { 0 };

      g_return_val_if_fail (run_dir != NULL, FALSE);
      zi_training_panel_get_config (self, &cfg);
      g_return_val_if_fail (target_fonts != NULL && target_fonts[0] != NULL, FALSE);
      g_free (cfg.source_font);
      cfg.source_font = g_strdup (source_font);
      /* One target is written as runs always were; several become the model's styles. */
      if (target_fonts[1] == NULL)
        {
          g_free (cfg.target_font);
          cfg.target_font = g_strdup (target_fonts[0]);
        }
      else
        zi_trainer_config_set_targets (&cfg, target_fonts, g_strv_length ((char **) target_fonts));
      g_free (cfg.chars);
      cfg.chars = chars != NULL && n_chars > 0 ? g_memdup2 (chars, n_chars * sizeof (gunichar)) : NULL;
      cfg.n_chars = cfg.chars != NULL ? n_chars : 0;
      /* Short runs log more often, so their chart is not three points. */
      cfg.log_every = cfg.max_steps > 0 && cfg.max_steps < 500 ? MAX (1, cfg.max_steps / 50) : 10;
      self->n_train = cfg.n_chars > 0 ? (guint) (cfg.n_chars * (1 - cfg.val_fraction)) : 0;

      trainer = zi_trainer_new (&cfg, run_dir, error);
      zi_trainer_config_clear (&cfg);
      if (trainer == NULL)
        return FALSE;
      reset_view (self);
      g_free (self->run_dir);
      self->run_dir = g_strdup (run_dir);
    }

  /* This panel writes the run from now on: its own events feed the chart. */
  stop_watch (self);
  zi_trainer_set_event_func (trainer, g_main_context_default (), trainer_event_cb, self, NULL);
  /* Training yields the processors to the window: with the engine at nice 10, a grid fling under
   * bench-frames had no late frame of 1,013 with the cairo renderer (6 at the same priority) and a
   * median frame of 33 ms instead of 50 with software GL. Training slows only while the window
   * itself is busy. */
  zi_trainer_set_nice (trainer, 10);
  self->trainer = g_object_ref (trainer);
  if (!zi_trainer_start (trainer, error))
    {
      g_clear_object (&self->trainer);
      return FALSE;
    }
  self->state = ZI_TRAINER_STATE_LOADING;
  gtk_label_set_label (self->state_label, _zi_training_panel_state_text (self->state));
  gtk_widget_set_sensitive (GTK_WIDGET (self->preset_dropdown), FALSE);
  g_signal_emit (self, signals[ZI_TRAINING_PANEL_STATE_CHANGED], 0);
  return TRUE;
}

void
zi_training_panel_pause (ZiTrainingPanel *self)
{
  g_return_if_fail (ZI_IS_TRAINING_PANEL (self));
  if (self->trainer != NULL)
    zi_trainer_pause (self->trainer);
}

void
zi_training_panel_resume (ZiTrainingPanel *self)
{
  g_return_if_fail (ZI_IS_TRAINING_PANEL (self));
  if (self->trainer != NULL)
    zi_trainer_resume (self->trainer);
}

void
zi_training_panel_stop (ZiTrainingPanel *self)
{
  g_return_if_fail (ZI_IS_TRAINING_PANEL (self));
  if (self->trainer != NULL)
    zi_trainer_stop (self->trainer);
}

ZiTrainerState
zi_training_panel_get_state (ZiTrainingPanel *self)
{
  g_return_val_if_fail (ZI_IS_TRAINING_PANEL (self), ZI_TRAINER_STATE_IDLE);
  return self->trainer != NULL ? self->state : ZI_TRAINER_STATE_IDLE;
}

/* ---- Runs ------------------------------------------------------------------------------------- */

gboolean
zi_training_panel_open_run (ZiTrainingPanel *self, const char *run_dir, GError **error)
{
  ZiRunInfo info = { 0 };
  ZiTrainerConfig cfg = { 0 };
  g_autoptr(GArray) metrics = NULL;
  g_autoptr(GArray) steps = NULL;
  guint64 best_step = G_MAXUINT64, metrics_end = 0;

  g_return_val_if_fail (ZI_IS_TRAINING_PANEL (self), FALSE);
  g_return_val_if_fail (run_dir != NULL, FALSE);

  if (self->trainer != NULL)
    {
      g_set_error (error, ZI_ERROR, ZI_ERROR_RUN, _("Cannot open the run “%s” while training: stop the training first."),
                   run_dir);
      return FALSE;
    }
  if (!zi_run_info_load (run_dir, &info, error))
    return FALSE;
  metrics = zi_run_metrics_load_to (run_dir, &metrics_end, error);
  if (metrics == NULL)
    {
      zi_run_info_clear (&info);
      return FALSE;
    }
  /* from_json initialises cfg itself, so only a run without a stored configuration needs _init. */
  if (info.config_json == NULL)
    zi_trainer_config_init (&cfg);
  else if (!zi_trainer_config_from_json (&cfg, info.config_json, error))
    {
      zi_trainer_config_clear (&cfg);
      zi_run_info_clear (&info);
      return FALSE;
    }

  stop_watch (self);
  reset_view (self);
  g_free (self->run_dir);
  self->run_dir = g_strdup (run_dir);
  zi_training_panel_set_config (self, &cfg);
  self->n_train = info.n_chars > info.n_val_chars ? info.n_chars - info.n_val_chars : info.n_chars;

  for (guint i = 0; i < metrics->len; i++)
    append_record (self, &g_array_index (metrics, ZiRunMetric, i), i + 1 == metrics->len);
  self->run_metrics = g_steal_pointer (&metrics);
  zi_run_best_load (run_dir, &best_step, NULL);
  steps = zi_run_list_checkpoints (run_dir);
  show_checkpoints (self, steps, best_step);
  gtk_label_set_label (self->state_label, _zi_training_panel_state_text (ZI_TRAINER_STATE_IDLE));
  start_watch (self, metrics_end);

  zi_trainer_config_clear (&cfg);
  zi_run_info_clear (&info);
  g_signal_emit (self, signals[ZI_TRAINING_PANEL_CHECKPOINTS_CHANGED], 0);
  return TRUE;
}

void
zi_training_panel_new_run (ZiTrainingPanel *self)
{
  g_return_if_fail (ZI_IS_TRAINING_PANEL (self));
  if (self->trainer != NULL)
    return;
  stop_watch (self);
  g_clear_pointer (&self->run_dir, g_free);
  reset_view (self);
  gtk_widget_set_sensitive (GTK_WIDGET (self->preset_dropdown), TRUE);
  gtk_label_set_label (self->state_label, _zi_training_panel_state_text (ZI_TRAINER_STATE_IDLE));
  g_signal_emit (self, signals[ZI_TRAINING_PANEL_CHECKPOINTS_CHANGED], 0);
}

const char *
zi_training_panel_get_run_dir (ZiTrainingPanel *self)
{
  g_return_val_if_fail (ZI_IS_TRAINING_PANEL (self), NULL);
  return self->run_dir;
}

ZiChart *
zi_training_panel_get_chart (ZiTrainingPanel *self)
{
  g_return_val_if_fail (ZI_IS_TRAINING_PANEL (self), NULL);
  return self->chart;
}

/* ---- Life cycle ------------------------------------------------------------------------------- */

static void
zi_training_panel_dispose (GObject *object)
{
  ZiTrainingPanel *self = ZI_TRAINING_PANEL (object);

  set_frame_watch (self, FALSE);
  g_clear_pointer (&self->watch, zi_run_watch_free);
  _zi_training_panel_form_dispose (self);
  if (self->settings != NULL)
    g_settings_unbind (self->smoothing_adjustment, "value");
  g_clear_object (&self->settings);
  /* Dropping the trainer stops it with a final checkpoint and joins its thread; its queued events
   * are dropped by the trainer itself. */
  if (self->trainer != NULL)
    {
      zi_trainer_stop (self->trainer);
      g_clear_object (&self->trainer);
    }
  gtk_widget_dispose_template (GTK_WIDGET (self), ZI_TYPE_TRAINING_PANEL);
  G_OBJECT_CLASS (zi_training_panel_parent_class)->dispose (object);
}

static void
zi_training_panel_finalize (GObject *object)
{
  ZiTrainingPanel *self = ZI_TRAINING_PANEL (object);

  zi_trainer_config_clear (&self->base);
  g_free (self->run_dir);
  g_ptr_array_unref (self->checkpoints);
  g_strfreev (self->checkpoint_paths);
  g_clear_pointer (&self->preview_event, zi_trainer_event_free);
  g_clear_pointer (&self->run_metrics, g_array_unref);
  g_free (self->last_writer);
  G_OBJECT_CLASS (zi_training_panel_parent_class)->finalize (object);
}

static void
zi_training_panel_class_init (ZiTrainingPanelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = zi_training_panel_dispose;
  object_class->finalize = zi_training_panel_finalize;

  signals[ZI_TRAINING_PANEL_STATE_CHANGED] = g_signal_new ("state-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                         0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  signals[ZI_TRAINING_PANEL_CHECKPOINTS_CHANGED] = g_signal_new ("checkpoints-changed", G_TYPE_FROM_CLASS (klass),
                                               G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  signals[ZI_TRAINING_PANEL_COMPARE_REQUESTED] = g_signal_new ("compare-requested", G_TYPE_FROM_CLASS (klass),
                                             G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  signals[ZI_TRAINING_PANEL_FAILED] = g_signal_new ("failed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                                  NULL, G_TYPE_NONE, 1, G_TYPE_STRING);

  g_type_ensure (ZI_TYPE_CHART);
  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/zi-training-panel.ui");
#define BIND(name) gtk_widget_class_bind_template_child (widget_class, ZiTrainingPanel, name)
  BIND (paned);
  BIND (preset_dropdown);
  BIND (init_check);
  BIND (size_dropdown);
  BIND (ngf_spin);
  BIND (batch_spin);
  BIND (gan_dropdown);
  BIND (l1_spin);
  BIND (optimizer_dropdown);
  BIND (lr_spin);
  BIND (beta1_spin);
  BIND (sched_dropdown);
  BIND (every_spin);
  BIND (gamma_spin);
  BIND (warmup_spin);
  BIND (min_lr_spin);
  BIND (lr_plot);
  BIND (lrfind_spinner);
  BIND (steps_spin);
  BIND (minutes_spin);
  BIND (ckpt_spin);
  BIND (val_every_spin);
  BIND (val_fraction_spin);
  BIND (seed_spin);
  BIND (advanced_expander);
  BIND (form);
  BIND (advanced_grid);
  BIND (beta2_spin);
  BIND (eps_spin);
  BIND (alpha_spin);
  BIND (weight_decay_spin);
  BIND (d_lr_spin);
  BIND (norm_dropdown);
  BIND (dropout_spin);
  BIND (const_spin);
  BIND (tv_spin);
  BIND (ssim_spin);
  BIND (ema_spin);
  BIND (representation_dropdown);
  BIND (field_spread_spin);
  BIND (watch_revealer);
  BIND (watch_label);
  BIND (take_over_button);
  BIND (warning_revealer);
  BIND (warning_label);
  BIND (status_box);
  BIND (state_label);
  BIND (progress_bar);
  BIND (toggles_box);
  BIND (smoothing_adjustment);
  BIND (log_toggle);
  BIND (x_dropdown);
  BIND (chart);
  BIND (preview);
  BIND (checkpoint_list);
#undef BIND

  _zi_training_panel_views_class_init (widget_class);
  _zi_training_panel_form_class_init (widget_class);
  gtk_widget_class_install_action (widget_class, "panel.take-over", NULL, take_over_action);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
zi_training_panel_init (ZiTrainingPanel *self)
{
  ZiTrainerConfig cfg = { 0 };

  gtk_widget_init_template (GTK_WIDGET (self));
  _zi_training_panel_form_init (self);
  self->checkpoints = g_ptr_array_new_with_free_func ((GDestroyNotify) _zi_training_panel_checkpoint_free);
  _zi_training_panel_rebuild_paths (self);

  _zi_training_panel_views_init (self);

  /* Start from the recommended recipe (the defaults, which the CLI uses too). */
  zi_trainer_config_init (&cfg);
  zi_training_panel_set_config (self, &cfg);
  zi_trainer_config_clear (&cfg);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "panel.compare", FALSE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "panel.take-over", FALSE);
}

GtkWidget *
zi_training_panel_new (void)
{
  return g_object_new (ZI_TYPE_TRAINING_PANEL, NULL);
}
