/* zi-window.c — the Zimaru main window, built from resources/zi-window.ui.
 *
 * The window holds the shared glyph cache and dispatches the header bar's actions to the training
 * panel and the export dialog. It draws and dispatches; training and export logic live in app/train
 * and app/export. It owns four parts, each behind its own header, which it drives and which report
 * back through the callbacks it gives them and never call it: the font pair, opened off the main
 * thread (zi-window-fonts.c); the glyph grid with its list, cells and fling detection
 * (zi-window-grid.c); the open run with its split, picks, compared checkpoints and worst glyphs
 * (zi-window-runs.c); and the shipped model, which the generated column shows while no run has a
 * checkpoint, with the line that says where the generated glyphs come from (zi-window-shipped.c).
 * The font pickers are the font pair's, and what the window keeps between sessions is
 * zi-window-session.c's.
 *
 * The window's own code is in three files whose calls run one way only: this one builds the window
 * from its template, gives its parts and the training panel their callbacks and holds the life cycle;
 * zi-window-actions.c holds the win.* actions; zi-window-api.c holds the functions of zi-window.h and
 * the updates that both of the others make. zi-window-private.h holds the instance struct. */
#include "config.h"
#include "zi-window-private.h"

#include "zi-font.h"
#include "zi-window-session.h"

G_DEFINE_FINAL_TYPE (ZiWindow, zi_window, GTK_TYPE_APPLICATION_WINDOW)

static ZiGlyphState
state_for (gpointer owner, gunichar c)
{
  ZiWindow *self = owner;
  ZiGlyphState state = zi_window_runs_state_for (self->runs, c);

  if (!zi_window_fonts_target_has (self->fonts, c))
    state |= ZI_GLYPH_STATE_MISSING;
  return state;
}

/* ---- Fonts ------------------------------------------------------------------------------------ */

static void update_actions (ZiWindow *self);

/* The LR range test trains on the shared characters of the chosen block; an even sample of at most
 * 1,024 is plenty for its few hundred steps and keeps its dataset quick to render. */
static void
update_training_pair (ZiWindow *self)
{
  g_autoptr(GArray) chars = NULL;
  g_autoptr(GArray) sample = g_array_new (FALSE, FALSE, sizeof (gunichar));

  if (!zi_window_fonts_is_ready (self->fonts))
    return;
  chars = _zi_window_shared_in_block (self);
  for (guint i = 0; i < MIN (chars->len, 1024); i++)
    g_array_append_val (sample, g_array_index (chars, gunichar, (guint64) i * chars->len / MIN (chars->len, 1024)));
  zi_training_panel_set_pair (self->training_panel, zi_window_fonts_get_source (self->fonts),
                              zi_window_fonts_get_target (self->fonts),
                              (const gunichar *) sample->data, sample->len);
}

static void
fonts_loaded_cb (gpointer owner, const GError *error)
{
  ZiWindow *self = owner;

  if (error != NULL)
    {
      _zi_window_show_error (self, error->message);
      return;
    }
  zi_glyph_detail_set_guides (self->detail, zi_window_fonts_get_metrics (self->fonts),
                              zi_window_fonts_get_placement (self->fonts));
  zi_window_grid_rebuild (self->grid);
  update_actions (self);
  update_training_pair (self);
  /* The shipped model draws the style that matches the new target; the model stays loaded. */
  if (zi_window_runs_shows_fallback (self->runs))
    _zi_window_update_generated (self, NULL, 1);
}

/* ---- The grid --------------------------------------------------------------------------------- */

static GArray *
grid_filter_chars_cb (gpointer owner, ZiFilter filter)
{
  ZiWindow *self = owner;

  if (!zi_window_fonts_is_ready (self->fonts))
    return NULL;
  switch (filter)
    {
    case ZI_FILTER_ALL:
      return g_array_ref (zi_window_fonts_get_all (self->fonts));
    case ZI_FILTER_SHARED:
      return g_array_ref (zi_window_fonts_get_shared (self->fonts));
    case ZI_FILTER_MISSING:
      return g_array_ref (zi_window_fonts_get_missing (self->fonts));
    default:
      return zi_window_runs_get_chars (self->runs, filter);
    }
}

static void
grid_selected_cb (gpointer owner, gunichar c, const char *context)
{
  ZiWindow *self = owner;

  zi_glyph_detail_set_char (self->detail, c, c != 0 ? state_for (self, c) : 0, context);
  if (c != 0)
    zi_window_runs_show_pick (self->runs, c);
}

static void
grid_filter_chosen_cb (gpointer owner, ZiFilter filter)
{
  zi_window_set_filter (owner, filter);
}

static void
grid_block_changed_cb (gpointer owner)
{
  update_training_pair (owner);
}

/* ---- The run: split, picks and worst glyphs ---------------------------------------------------- */

/* The style switcher's choice: the models draw it, the target column shows its font. */
static void
styles_changed_cb (gpointer owner, guint style, double weight, const char *target_spec)
{
  ZiWindow *self = owner;

  zi_window_fonts_show_target (self->fonts, target_spec);
  /* A run without checkpoints yet shows the shipped model, in the style matching the target. */
  if (!zi_window_runs_shows_fallback (self->runs))
    zi_glyph_cache_set_style (self->cache, style, weight);
  /* Picks are per style: a blend shows and sets those of the nearest style. */
  zi_window_runs_set_style (self->runs, style);
  zi_window_grid_refresh_cell_states (self->grid);
  zi_window_runs_show_pick (self->runs, zi_window_get_selected_char (self));
}

static void
runs_marks_changed_cb (gpointer owner)
{
  ZiWindow *self = owner;
  ZiFilter filter = zi_window_grid_get_filter (self->grid);

  _zi_window_update_styles (self);
  zi_window_grid_refresh_cell_states (self->grid);
  if (filter == ZI_FILTER_VALIDATION || filter == ZI_FILTER_PICKED)
    zi_window_grid_rebuild (self->grid);
}

static void
runs_worst_ready_cb (gpointer owner)
{
  ZiWindow *self = owner;

  if (zi_window_grid_get_filter (self->grid) == ZI_FILTER_WORST)
    zi_window_grid_rebuild (self->grid);
}

/* ---- Checkpoint comparison -------------------------------------------------------------------- */

/* The shipped model was looked for: without a run's checkpoint, the generated column shows it. */
static void
shipped_ready_cb (gpointer owner)
{
  ZiWindow *self = owner;

  const char *path = zi_window_shipped_get_path (self->shipped);

  zi_window_runs_set_fallback (self->runs, path);
  if (zi_training_panel_get_default_checkpoint (self->training_panel) == NULL
      && !zi_window_runs_is_comparing (self->runs))
    {
      /* Missing, there is nothing to load: the line above the grid says so. */
      if (path != NULL)
        zi_window_compare_checkpoints (self, NULL);
      else
        _zi_window_update_generated (self, NULL, 0);
    }
  update_actions (self);
}

/* ---- The training panel ----------------------------------------------------------------------- */

static void
update_actions (ZiWindow *self)
{
  ZiTrainerState state = zi_training_panel_get_state (self->training_panel);
  gboolean idle = state == ZI_TRAINER_STATE_IDLE;
  const char * const *cps = zi_training_panel_get_checkpoints (self->training_panel);
  gboolean has_model = (cps != NULL && cps[0] != NULL) || zi_window_runs_shows_fallback (self->runs);
  gboolean fonts = zi_window_fonts_is_ready (self->fonts);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.train", idle && fonts);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.pause",
                                 state == ZI_TRAINER_STATE_RUNNING || state == ZI_TRAINER_STATE_LOADING);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.resume", state == ZI_TRAINER_STATE_PAUSED);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.stop",
                                 !idle && state != ZI_TRAINER_STATE_STOPPING);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.export", has_model && fonts);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.open-run", idle);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.new-run", idle);
  gtk_widget_set_visible (self->pause_button, state != ZI_TRAINER_STATE_PAUSED);
  gtk_widget_set_visible (self->resume_button, state == ZI_TRAINER_STATE_PAUSED);
}

static void
panel_state_changed_cb (ZiWindow *self, ZiTrainingPanel *panel)
{
  /* The trainer writes run.json when it starts: pick up the validation split for the grid marks. */
  zi_window_runs_state_changed (self->runs);
  update_actions (self);
}

static void
panel_checkpoints_changed_cb (ZiWindow *self, ZiTrainingPanel *panel)
{
  if (!zi_window_runs_is_comparing (self->runs))
    zi_window_compare_checkpoints (self, NULL);
  update_actions (self);
}

static void
panel_compare_cb (ZiWindow *self, ZiTrainingPanel *panel)
{
  g_auto(GStrv) selected = zi_training_panel_get_selected_checkpoints (panel);

  zi_window_compare_checkpoints (self, (const char * const *) selected);
  zi_window_show_page (self, "glyphs");
}

/* ---- Life cycle ------------------------------------------------------------------------------- */

static gboolean
zi_window_close_request (GtkWindow *window)
{
  ZiWindow *self = ZI_WINDOW (window);

  zi_window_session_save (window, _zi_window_get_settings (self));
  /* Stopping writes a final checkpoint; the panel's dispose waits for it. */
  zi_training_panel_stop (self->training_panel);
  return GTK_WINDOW_CLASS (zi_window_parent_class)->close_request (window);
}

/* Restores size, fonts and (when the Preferences say so) the last run from the settings, or the
 * defaults when there are none. */
static void
load_state (ZiWindow *self)
{
  GSettings *settings = _zi_window_get_settings (self);
  ZiWindowSession session = { 0 };

  zi_window_session_restore (GTK_WINDOW (self), settings, &session);
  zi_training_panel_set_settings (self->training_panel, settings);
  zi_window_set_fonts (self, session.source, session.target);
  if (session.last_run != NULL)
    zi_window_open_run (self, session.last_run, NULL);
  zi_window_session_clear (&session);
}

static void
zi_window_dispose (GObject *object)
{
  ZiWindow *self = ZI_WINDOW (object);

  zi_window_grid_dispose (self->grid);
  zi_window_fonts_cancel (self->fonts);
  zi_window_runs_cancel (self->runs);
  /* Before the template's widgets go: the switcher is connected to its drop-down and slider. */
  g_clear_pointer (&self->styles, zi_window_styles_free);
  zi_window_shipped_cancel (self->shipped);
  g_clear_object (&self->cache);
  G_OBJECT_CLASS (zi_window_parent_class)->dispose (object);
}

static void
zi_window_finalize (GObject *object)
{
  ZiWindow *self = ZI_WINDOW (object);

  zi_window_fonts_free (self->fonts);
  zi_window_grid_free (self->grid);
  zi_window_runs_free (self->runs);
  zi_window_shipped_free (self->shipped);
  g_free (self->error);
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
  gtk_widget_class_bind_template_child (widget_class, ZiWindow, source_button);
  gtk_widget_class_bind_template_child (widget_class, ZiWindow, target_button);
  gtk_widget_class_bind_template_child (widget_class, ZiWindow, block_button);
  gtk_widget_class_bind_template_child (widget_class, ZiWindow, search_entry);
  gtk_widget_class_bind_template_child (widget_class, ZiWindow, pause_button);
  gtk_widget_class_bind_template_child (widget_class, ZiWindow, resume_button);
  gtk_widget_class_bind_template_child (widget_class, ZiWindow, error_revealer);
  gtk_widget_class_bind_template_child (widget_class, ZiWindow, error_label);
  gtk_widget_class_bind_template_child (widget_class, ZiWindow, main_stack);
  gtk_widget_class_bind_template_child (widget_class, ZiWindow, filter_dropdown);
  gtk_widget_class_bind_template_child (widget_class, ZiWindow, count_label);
  gtk_widget_class_bind_template_child (widget_class, ZiWindow, model_label);
  gtk_widget_class_bind_template_child (widget_class, ZiWindow, zoom_adjustment);
  gtk_widget_class_bind_template_child (widget_class, ZiWindow, grid_stack);
  gtk_widget_class_bind_template_child (widget_class, ZiWindow, loading_spinner);
  gtk_widget_class_bind_template_child (widget_class, ZiWindow, loading_label);
  gtk_widget_class_bind_template_child (widget_class, ZiWindow, grid_view);
  gtk_widget_class_bind_template_child (widget_class, ZiWindow, detail);
  gtk_widget_class_bind_template_child (widget_class, ZiWindow, training_panel);
  gtk_widget_class_bind_template_child (widget_class, ZiWindow, style_bar);
  gtk_widget_class_bind_template_child (widget_class, ZiWindow, style_dropdown);
  gtk_widget_class_bind_template_child (widget_class, ZiWindow, weight_box);
  gtk_widget_class_bind_template_child (widget_class, ZiWindow, weight_scale);
  gtk_widget_class_bind_template_child (widget_class, ZiWindow, weight_label);

  _zi_window_actions_class_init (widget_class);
}

static void
zi_window_init (ZiWindow *self)
{
  static const ZiWindowGridCallbacks grid_callbacks = {
    grid_filter_chars_cb, state_for, grid_selected_cb, grid_filter_chosen_cb, grid_block_changed_cb,
  };
  static const ZiWindowRunsCallbacks runs_callbacks = {
    runs_marks_changed_cb, runs_worst_ready_cb, _zi_window_show_error,
  };

  gtk_widget_init_template (GTK_WIDGET (self));
  if (DEVELOPMENT_PROFILE)
    gtk_widget_add_css_class (GTK_WIDGET (self), "devel");

  self->cache = zi_glyph_cache_new ();
  self->fonts = zi_window_fonts_new (G_OBJECT (self),
                                     &(ZiWindowFontsWidgets) { self->source_button, self->target_button,
                                                               self->grid_stack, self->loading_spinner,
                                                               self->loading_label },
                                     self->cache, fonts_loaded_cb);
  self->runs = zi_window_runs_new (G_OBJECT (self),
                                   &(ZiWindowRunsWidgets) { self->training_panel, self->cache, self->detail },
                                   &runs_callbacks);
  self->grid = zi_window_grid_new (&(ZiWindowGridWidgets) { G_ACTION_MAP (self), self->block_button,
                                                            self->grid_view, self->filter_dropdown,
                                                            self->search_entry, self->zoom_adjustment,
                                                            self->count_label },
                                   self->cache, &grid_callbacks, self);
  zi_glyph_detail_set_cache (self->detail, self->cache);
  self->styles = zi_window_styles_new (self, &(ZiWindowStylesWidgets) { self->style_bar, self->style_dropdown,
                                                                        self->weight_box, self->weight_scale,
                                                                        self->weight_label },
                                       styles_changed_cb);
  self->shipped = zi_window_shipped_new (G_OBJECT (self),
                                         &(ZiWindowShippedWidgets) { self->cache, self->model_label },
                                         shipped_ready_cb);

  g_signal_connect_swapped (self->training_panel, "state-changed", G_CALLBACK (panel_state_changed_cb), self);
  g_signal_connect_swapped (self->training_panel, "checkpoints-changed",
                            G_CALLBACK (panel_checkpoints_changed_cb), self);
  g_signal_connect_swapped (self->training_panel, "compare-requested", G_CALLBACK (panel_compare_cb), self);
  g_signal_connect_swapped (self->training_panel, "failed", G_CALLBACK (_zi_window_show_error), self);

  update_actions (self);
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
