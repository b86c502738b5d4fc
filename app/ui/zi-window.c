/* zi-window.c — the Zimaru main window, built from resources/zi-window.ui.
 *
 * The window holds the font pair, the character sets computed from it (off the main thread) and
 * the shared glyph cache, and dispatches the header bar's actions to the training panel and the
 * export dialog. It draws and dispatches; training and export logic live in app/train and app/export. Its glyph
 * grid (list, filters, search, cells, fling detection) is in zi-window-grid.c, its actions in
 * zi-window-actions.c, run directories and the worst-glyphs job in zi-window-runs.c. */
#include "config.h"
#include "zi-window-private.h"

#include <glib/gi18n.h>

G_DEFINE_FINAL_TYPE (ZiWindow, zi_window, GTK_TYPE_APPLICATION_WINDOW)

static void
font_load_free (FontLoad *load)
{
  if (load == NULL)
    return;
  g_free (load->source_spec);
  g_free (load->target_spec);
  g_clear_pointer (&load->source, zi_font_free);
  g_clear_pointer (&load->target, zi_font_free);
  g_clear_pointer (&load->all, g_array_unref);
  g_clear_pointer (&load->shared, g_array_unref);
  g_clear_pointer (&load->missing, g_array_unref);
  g_free (load->target_bits);
  g_free (load);
}

/* Replaces a string field (g_set_str needs GLib 2.76). */
void
_zi_window_set_str (char **field, const char *value)
{
  char *copy = g_strdup (value);
  g_free (*field);
  *field = copy;
}

static gboolean
target_has (ZiWindow *self, gunichar c)
{
  return self->fonts != NULL && c < N_CODE_POINTS && (self->fonts->target_bits[c >> 3] & (1 << (c & 7)));
}

ZiGlyphState
_zi_window_state_for (ZiWindow *self, gunichar c)
{
  ZiGlyphState state = 0;

  if (!target_has (self, c))
    state |= ZI_GLYPH_STATE_MISSING;
  if (self->val_chars != NULL && g_hash_table_contains (self->val_chars, GUINT_TO_POINTER (c)))
    state |= ZI_GLYPH_STATE_VAL;
  else if (self->train_chars != NULL && g_hash_table_contains (self->train_chars, GUINT_TO_POINTER (c)))
    state |= ZI_GLYPH_STATE_TRAIN;
  if (self->picks != NULL && zi_picks_get (self->picks, c) != NULL)
    state |= ZI_GLYPH_STATE_PICKED;
  return state;
}

/* ---- Errors ----------------------------------------------------------------------------------- */

void
_zi_window_show_error (ZiWindow *self, const char *message)
{
  g_free (self->error);
  self->error = g_strdup (message);
  gtk_label_set_label (self->error_label, message);
  gtk_revealer_set_reveal_child (self->error_revealer, TRUE);
}

const char *
zi_window_get_error (ZiWindow *self)
{
  g_return_val_if_fail (ZI_IS_WINDOW (self), NULL);
  return self->error;
}

/* ---- Fonts ------------------------------------------------------------------------------------ */

static void
font_load_thread (GTask *task, gpointer source_object, gpointer task_data, GCancellable *cancellable)
{
  FontLoad *load = task_data;
  g_autoptr(GArray) target_set = NULL;
  GError *error = NULL;

  load->source = zi_font_open (load->source_spec, &error);
  if (load->source == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  load->target = zi_font_open (load->target_spec, &error);
  if (load->target == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  load->all = zi_charset_compute (load->source, NULL, ZI_CHARSET_SOURCE, ZI_BLOCK_ALL);
  load->shared = zi_charset_compute (load->source, load->target, ZI_CHARSET_SHARED, ZI_BLOCK_ALL);
  load->missing = zi_charset_compute (load->source, load->target, ZI_CHARSET_MISSING, ZI_BLOCK_ALL);
  target_set = zi_charset_compute (load->source, load->target, ZI_CHARSET_TARGET, ZI_BLOCK_ALL);
  load->target_bits = g_malloc0 (N_CODE_POINTS / 8);
  for (guint i = 0; i < target_set->len; i++)
    {
      gunichar c = g_array_index (target_set, gunichar, i);
      if (c < N_CODE_POINTS)
        load->target_bits[c >> 3] |= 1 << (c & 7);
    }
  zi_font_get_metrics (load->target, &load->metrics);
  if (!zi_placement_init (&load->placement, load->target, ZI_GLYPH_DETAIL_SIZE, ZI_DEFAULT_EM_FRACTION,
                          &error))
    {
      g_task_return_error (task, error);
      return;
    }
  g_task_return_boolean (task, TRUE);
}

static void
font_load_done_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  ZiWindow *self = ZI_WINDOW (object);
  GTask *task = G_TASK (result);
  g_autoptr(GError) error = NULL;
  FontLoad *load;

  if (!g_task_propagate_boolean (task, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      self->loaded = TRUE;
      gtk_spinner_stop (self->loading_spinner);
      gtk_label_set_label (self->loading_label, error->message);
      _zi_window_show_error (self, error->message);
      return;
    }

  /* Move the results out; the task frees the emptied shell. */
  load = g_memdup2 (g_task_get_task_data (task), sizeof *load);
  memset (g_task_get_task_data (task), 0, sizeof *load);
  font_load_free (self->fonts);
  self->fonts = load;
  self->loaded = TRUE;
  g_clear_object (&self->load_cancellable);

  zi_glyph_detail_set_guides (self->detail, &load->metrics, &load->placement);
  gtk_spinner_stop (self->loading_spinner);
  gtk_stack_set_visible_child_name (self->grid_stack, "grid");
  _zi_window_rebuild_list (self);
  _zi_window_update_actions (self);
  _zi_window_update_training_pair (self);
}

/* The LR range test trains on the shared characters of the chosen block; an even sample of at most
 * 1,024 is plenty for its few hundred steps and keeps its dataset quick to render. */
void
_zi_window_update_training_pair (ZiWindow *self)
{
  g_autoptr(GArray) chars = g_array_new (FALSE, FALSE, sizeof (gunichar));
  g_autoptr(GArray) sample = g_array_new (FALSE, FALSE, sizeof (gunichar));

  if (self->fonts == NULL)
    return;
  for (guint i = 0; i < self->fonts->shared->len; i++)
    {
      gunichar c = g_array_index (self->fonts->shared, gunichar, i);
      if (zi_block_filter_matches (self->block, c))
        g_array_append_val (chars, c);
    }
  for (guint i = 0; i < MIN (chars->len, 1024); i++)
    g_array_append_val (sample, g_array_index (chars, gunichar, (guint64) i * chars->len / MIN (chars->len, 1024)));
  zi_training_panel_set_pair (self->training_panel, self->source_spec, self->target_spec,
                              (const gunichar *) sample->data, sample->len);
}

static void
update_font_buttons (ZiWindow *self)
{
  gtk_menu_button_set_label (self->source_button, self->source_spec);
  gtk_menu_button_set_label (self->target_button, self->target_spec);
}

void
zi_window_set_fonts (ZiWindow *self, const char *source, const char *target)
{
  GSettings *settings;
  g_autoptr(GTask) task = NULL;
  FontLoad *load;

  g_return_if_fail (ZI_IS_WINDOW (self));

  if (source != NULL)
    _zi_window_set_str (&self->source_spec, source);
  if (target != NULL)
    _zi_window_set_str (&self->target_spec, target);
  update_font_buttons (self);

  settings = zi_application_get_settings (ZI_APPLICATION (gtk_window_get_application (GTK_WINDOW (self))));
  if (settings != NULL)
    {
      g_settings_set_string (settings, "source-font", self->source_spec);
      g_settings_set_string (settings, "target-font", self->target_spec);
    }

  g_cancellable_cancel (self->load_cancellable);
  g_clear_object (&self->load_cancellable);
  self->load_cancellable = g_cancellable_new ();
  self->loaded = FALSE;

  zi_glyph_cache_set_fonts (self->cache, self->source_spec, self->target_spec);
  gtk_stack_set_visible_child_name (self->grid_stack, "loading");
  gtk_label_set_label (self->loading_label, _("Opening the fonts…"));
  gtk_spinner_start (self->loading_spinner);

  load = g_new0 (FontLoad, 1);
  load->source_spec = g_strdup (self->source_spec);
  load->target_spec = g_strdup (self->target_spec);
  task = g_task_new (self, self->load_cancellable, font_load_done_cb, NULL);
  g_task_set_source_tag (task, zi_window_set_fonts);
  g_task_set_task_data (task, load, (GDestroyNotify) font_load_free);
  g_task_run_in_thread (task, font_load_thread);
}

const char *
zi_window_get_source_font (ZiWindow *self)
{
  g_return_val_if_fail (ZI_IS_WINDOW (self), NULL);
  return self->source_spec;
}

const char *
zi_window_get_target_font (ZiWindow *self)
{
  g_return_val_if_fail (ZI_IS_WINDOW (self), NULL);
  return self->target_spec;
}

gboolean
zi_window_is_loaded (ZiWindow *self)
{
  g_return_val_if_fail (ZI_IS_WINDOW (self), FALSE);
  return self->loaded;
}

/* ---- Checkpoint comparison -------------------------------------------------------------------- */

void
zi_window_compare_checkpoints (ZiWindow *self, const char * const *checkpoints)
{
  const char *fallback[2] = { NULL, NULL };
  guint n;

  g_return_if_fail (ZI_IS_WINDOW (self));

  n = checkpoints != NULL ? g_strv_length ((char **) checkpoints) : 0;
  self->comparing = n >= 2;
  if (n == 0)
    {
      fallback[0] = zi_training_panel_get_default_checkpoint (self->training_panel);
      checkpoints = fallback;
      n = fallback[0] != NULL ? 1 : 0;
    }
  n = MIN (n, ZI_GLYPH_CACHE_MAX_MODELS);
  zi_glyph_cache_set_models (self->cache, n > 0 ? checkpoints : NULL);
  _zi_window_set_kinds (self, n);
  _zi_window_update_pick_menu (self, checkpoints, n);
  g_clear_pointer (&self->worst, g_array_unref);
  if (self->filter == ZI_FILTER_WORST)
    _zi_window_worst_start (self);
}

/* ---- The training panel ----------------------------------------------------------------------- */


void
_zi_window_update_actions (ZiWindow *self)
{
  ZiTrainerState state = zi_training_panel_get_state (self->training_panel);
  gboolean idle = state == ZI_TRAINER_STATE_IDLE;
  const char * const *cps = zi_training_panel_get_checkpoints (self->training_panel);
  gboolean has_model = cps != NULL && cps[0] != NULL;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.train", idle && self->fonts != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.pause",
                                 state == ZI_TRAINER_STATE_RUNNING || state == ZI_TRAINER_STATE_LOADING);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.resume", state == ZI_TRAINER_STATE_PAUSED);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.stop",
                                 !idle && state != ZI_TRAINER_STATE_STOPPING);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.export", has_model && self->fonts != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.open-run", idle);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.new-run", idle);
  gtk_widget_set_visible (self->pause_button, state != ZI_TRAINER_STATE_PAUSED);
  gtk_widget_set_visible (self->resume_button, state == ZI_TRAINER_STATE_PAUSED);
}

static void
panel_state_changed_cb (ZiWindow *self, ZiTrainingPanel *panel)
{
  /* The trainer writes run.json when it starts: pick up the validation split for the grid marks. */
  if (zi_training_panel_get_state (panel) == ZI_TRAINER_STATE_RUNNING && self->val_chars == NULL)
    {
      _zi_window_refresh_run_info (self);
    }
  _zi_window_update_actions (self);
}

static void
panel_checkpoints_changed_cb (ZiWindow *self, ZiTrainingPanel *panel)
{
  if (!self->comparing)
    zi_window_compare_checkpoints (self, NULL);
  _zi_window_update_actions (self);
}

static void
panel_compare_cb (ZiWindow *self, ZiTrainingPanel *panel)
{
  g_auto(GStrv) selected = zi_training_panel_get_selected_checkpoints (panel);

  zi_window_compare_checkpoints (self, (const char * const *) selected);
  zi_window_show_page (self, "glyphs");
}

static void
panel_failed_cb (ZiWindow *self, const char *message, ZiTrainingPanel *panel)
{
  _zi_window_show_error (self, message);
}

/* ---- Accessors -------------------------------------------------------------------------------- */

void
zi_window_show_page (ZiWindow *self, const char *name)
{
  g_return_if_fail (ZI_IS_WINDOW (self));
  gtk_stack_set_visible_child_name (self->main_stack, name);
}

GtkWidget *
zi_window_get_detail (ZiWindow *self)
{
  g_return_val_if_fail (ZI_IS_WINDOW (self), NULL);
  return GTK_WIDGET (self->detail);
}

ZiTrainingPanel *
zi_window_get_training_panel (ZiWindow *self)
{
  g_return_val_if_fail (ZI_IS_WINDOW (self), NULL);
  return self->training_panel;
}

ZiGlyphCache *
zi_window_get_cache (ZiWindow *self)
{
  g_return_val_if_fail (ZI_IS_WINDOW (self), NULL);
  return self->cache;
}

/* ---- Life cycle ------------------------------------------------------------------------------- */

static gboolean
zi_window_close_request (GtkWindow *window)
{
  ZiWindow *self = ZI_WINDOW (window);
  GSettings *settings = zi_application_get_settings (ZI_APPLICATION (gtk_window_get_application (window)));

  if (settings != NULL)
    {
      int width, height;
      gtk_window_get_default_size (window, &width, &height);
      g_settings_set_int (settings, "window-width", width);
      g_settings_set_int (settings, "window-height", height);
      g_settings_set_boolean (settings, "window-maximized", gtk_window_is_maximized (window));
    }
  /* Stopping writes a final checkpoint; the panel's dispose waits for it. */
  zi_training_panel_stop (self->training_panel);
  return GTK_WINDOW_CLASS (zi_window_parent_class)->close_request (window);
}

/* Restores size, fonts and (when the Preferences say so) the last run from the settings, or the
 * defaults when there are none. */
static void
load_state (ZiWindow *self)
{
  GtkApplication *app = gtk_window_get_application (GTK_WINDOW (self));
  GSettings *settings = app != NULL ? zi_application_get_settings (ZI_APPLICATION (app)) : NULL;
  g_autofree char *source = NULL;
  g_autofree char *target = NULL;
  g_autofree char *last_run = NULL;

  if (settings != NULL)
    {
      gtk_window_set_default_size (GTK_WINDOW (self), g_settings_get_int (settings, "window-width"),
                                   g_settings_get_int (settings, "window-height"));
      if (g_settings_get_boolean (settings, "window-maximized"))
        gtk_window_maximize (GTK_WINDOW (self));
      source = g_settings_get_string (settings, "source-font");
      target = g_settings_get_string (settings, "target-font");
      if (g_settings_get_boolean (settings, "reopen-last-run"))
        last_run = g_settings_get_string (settings, "last-run");
    }
  zi_training_panel_set_settings (self->training_panel, settings);
  zi_window_set_fonts (self, source != NULL && *source ? source : "Noto Sans CJK TC",
                       target != NULL && *target ? target : "Zen Maru Gothic");
  /* The last run comes back when it still exists; a vanished one is silently forgotten. */
  if (last_run != NULL && *last_run != '\0' && g_file_test (last_run, G_FILE_TEST_IS_DIR))
    zi_window_open_run (self, last_run, NULL);
}

static void
zi_window_dispose (GObject *object)
{
  ZiWindow *self = ZI_WINDOW (object);

  _zi_window_grid_dispose (self);
  g_cancellable_cancel (self->load_cancellable);
  g_clear_object (&self->load_cancellable);
  g_cancellable_cancel (self->worst_cancellable);
  g_clear_object (&self->worst_cancellable);
  g_clear_object (&self->selection);
  g_clear_object (&self->list);
  g_clear_object (&self->cache);
  G_OBJECT_CLASS (zi_window_parent_class)->dispose (object);
}

static void
zi_window_finalize (GObject *object)
{
  ZiWindow *self = ZI_WINDOW (object);

  font_load_free (self->fonts);
  g_free (self->source_spec);
  g_free (self->target_spec);
  g_free (self->search);
  g_free (self->error);
  g_ptr_array_unref (self->cells);
  g_clear_pointer (&self->val_chars, g_hash_table_unref);
  g_clear_pointer (&self->train_chars, g_hash_table_unref);
  g_clear_pointer (&self->val_list, g_array_unref);
  g_clear_pointer (&self->worst, g_array_unref);
  g_clear_pointer (&self->picks, zi_picks_free);
  G_OBJECT_CLASS (zi_window_parent_class)->finalize (object);
}

static void
zi_window_class_init (ZiWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = zi_window_dispose;
  object_class->finalize = zi_window_finalize;
  window_class->close_request = zi_window_close_request;

  g_type_ensure (ZI_TYPE_GLYPH_DETAIL);
  g_type_ensure (ZI_TYPE_TRAINING_PANEL);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/zi-window.ui");
  gtk_widget_class_bind_template_child (widget_class, ZiWindow, header_bar);
  gtk_widget_class_bind_template_child (widget_class, ZiWindow, source_button);
  gtk_widget_class_bind_template_child (widget_class, ZiWindow, target_button);
  gtk_widget_class_bind_template_child (widget_class, ZiWindow, block_button);
  gtk_widget_class_bind_template_child (widget_class, ZiWindow, search_entry);
  gtk_widget_class_bind_template_child (widget_class, ZiWindow, train_button);
  gtk_widget_class_bind_template_child (widget_class, ZiWindow, pause_button);
  gtk_widget_class_bind_template_child (widget_class, ZiWindow, resume_button);
  gtk_widget_class_bind_template_child (widget_class, ZiWindow, stop_button);
  gtk_widget_class_bind_template_child (widget_class, ZiWindow, error_revealer);
  gtk_widget_class_bind_template_child (widget_class, ZiWindow, error_label);
  gtk_widget_class_bind_template_child (widget_class, ZiWindow, main_stack);
  gtk_widget_class_bind_template_child (widget_class, ZiWindow, filter_dropdown);
  gtk_widget_class_bind_template_child (widget_class, ZiWindow, count_label);
  gtk_widget_class_bind_template_child (widget_class, ZiWindow, zoom_adjustment);
  gtk_widget_class_bind_template_child (widget_class, ZiWindow, grid_stack);
  gtk_widget_class_bind_template_child (widget_class, ZiWindow, loading_spinner);
  gtk_widget_class_bind_template_child (widget_class, ZiWindow, loading_label);
  gtk_widget_class_bind_template_child (widget_class, ZiWindow, grid_view);
  gtk_widget_class_bind_template_child (widget_class, ZiWindow, detail);
  gtk_widget_class_bind_template_child (widget_class, ZiWindow, training_panel);

  _zi_window_class_add_actions (widget_class);
}

static void
zi_window_init (ZiWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  if (DEVELOPMENT_PROFILE)
    gtk_widget_add_css_class (GTK_WIDGET (self), "devel");

  _zi_window_add_action_entries (self);

  self->cache = zi_glyph_cache_new ();
  _zi_window_grid_init (self);
  zi_glyph_detail_set_cache (self->detail, self->cache);

  g_signal_connect_swapped (self->training_panel, "state-changed", G_CALLBACK (panel_state_changed_cb), self);
  g_signal_connect_swapped (self->training_panel, "checkpoints-changed",
                            G_CALLBACK (panel_checkpoints_changed_cb), self);
  g_signal_connect_swapped (self->training_panel, "compare-requested", G_CALLBACK (panel_compare_cb), self);
  g_signal_connect_swapped (self->training_panel, "failed", G_CALLBACK (panel_failed_cb), self);

  _zi_window_update_actions (self);
}

ZiWindow *
zi_window_new (ZiApplication *application)
{
  ZiWindow *self;

  g_return_val_if_fail (ZI_IS_APPLICATION (application), NULL);
  self = g_object_new (ZI_TYPE_WINDOW, "application", application, NULL);
  load_state (self);
  return self;
}
