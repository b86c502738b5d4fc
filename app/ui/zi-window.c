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
 * zi-window-session.c's. */
#include "config.h"
#include "zi-window.h"

#include "zi-export-dialog.h"
#include "zi-font.h"
#include "zi-glyph-detail.h"
#include "zi-preferences-window.h"
#include "zi-window-fonts.h"
#include "zi-window-grid.h"
#include "zi-window-runs.h"
#include "zi-window-session.h"
#include "zi-window-shipped.h"

#include <glib/gi18n.h>

struct _ZiWindow
{
  GtkApplicationWindow  parent_instance;

  GtkMenuButton        *source_button;
  GtkMenuButton        *target_button;
  GtkMenuButton        *block_button;
  GtkSearchEntry       *search_entry;
  GtkWidget            *pause_button;
  GtkWidget            *resume_button;
  GtkRevealer          *error_revealer;
  GtkLabel             *error_label;
  GtkStack             *main_stack;
  GtkDropDown          *filter_dropdown;
  GtkLabel             *count_label;
  GtkLabel             *model_label;
  GtkAdjustment        *zoom_adjustment;
  GtkStack             *grid_stack;
  GtkSpinner           *loading_spinner;
  GtkLabel             *loading_label;
  GtkGridView          *grid_view;
  ZiGlyphDetail        *detail;
  ZiTrainingPanel      *training_panel;
  GtkWidget            *style_bar;
  GtkDropDown          *style_dropdown;
  GtkWidget            *weight_box;
  GtkScale             *weight_scale;
  GtkLabel             *weight_label;

  char                 *error;

  ZiGlyphCache         *cache;
  ZiWindowFonts        *fonts;
  ZiWindowGrid         *grid;
  ZiWindowRuns         *runs;
  ZiWindowStyles       *styles;
  ZiWindowShipped      *shipped;
};

G_DEFINE_FINAL_TYPE (ZiWindow, zi_window, GTK_TYPE_APPLICATION_WINDOW)

/* The application's settings, or NULL (no schema installed, or not yet in an application). */
static GSettings *
get_settings (ZiWindow *self)
{
  GtkApplication *app = gtk_window_get_application (GTK_WINDOW (self));

  return app != NULL ? zi_application_get_settings (ZI_APPLICATION (app)) : NULL;
}

static ZiGlyphState
state_for (gpointer owner, gunichar c)
{
  ZiWindow *self = owner;
  ZiGlyphState state = zi_window_runs_state_for (self->runs, c);

  if (!zi_window_fonts_target_has (self->fonts, c))
    state |= ZI_GLYPH_STATE_MISSING;
  return state;
}

/* The shared characters of the chosen block, in code-point order. */
static GArray *
shared_in_block (ZiWindow *self)
{
  return zi_window_fonts_dup_shared_in (self->fonts, zi_window_grid_get_block (self->grid));
}

/* ---- Errors ----------------------------------------------------------------------------------- */

static void
show_error (gpointer owner, const char *message)
{
  ZiWindow *self = owner;

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

static void
dismiss_error_cb (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  ZiWindow *self = ZI_WINDOW (widget);
  gtk_revealer_set_reveal_child (self->error_revealer, FALSE);
}

/* ---- Fonts ------------------------------------------------------------------------------------ */

static void update_actions (ZiWindow *self);
static void update_generated (ZiWindow *self, const char * const *checkpoints, guint n);

/* The LR range test trains on the shared characters of the chosen block; an even sample of at most
 * 1,024 is plenty for its few hundred steps and keeps its dataset quick to render. */
static void
update_training_pair (ZiWindow *self)
{
  g_autoptr(GArray) chars = NULL;
  g_autoptr(GArray) sample = g_array_new (FALSE, FALSE, sizeof (gunichar));

  if (!zi_window_fonts_is_ready (self->fonts))
    return;
  chars = shared_in_block (self);
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
      show_error (self, error->message);
      return;
    }
  zi_glyph_detail_set_guides (self->detail, zi_window_fonts_get_metrics (self->fonts),
                              zi_window_fonts_get_placement (self->fonts));
  zi_window_grid_rebuild (self->grid);
  update_actions (self);
  update_training_pair (self);
  /* The shipped model draws the style that matches the new target; the model stays loaded. */
  if (zi_window_runs_shows_fallback (self->runs))
    update_generated (self, NULL, 1);
}

void
zi_window_set_fonts (ZiWindow *self, const char *source, const char *target)
{
  g_return_if_fail (ZI_IS_WINDOW (self));
  zi_window_fonts_set (self->fonts, source, target, get_settings (self));
}

const char *
zi_window_get_source_font (ZiWindow *self)
{
  g_return_val_if_fail (ZI_IS_WINDOW (self), NULL);
  return zi_window_fonts_get_source (self->fonts);
}

const char *
zi_window_get_target_font (ZiWindow *self)
{
  g_return_val_if_fail (ZI_IS_WINDOW (self), NULL);
  return zi_window_fonts_get_target (self->fonts);
}

gboolean
zi_window_is_loaded (ZiWindow *self)
{
  g_return_val_if_fail (ZI_IS_WINDOW (self), FALSE);
  return zi_window_fonts_is_loaded (self->fonts);
}

void
zi_window_set_targets (ZiWindow *self, const char * const *targets, const char *label)
{
  g_return_if_fail (ZI_IS_WINDOW (self));
  g_return_if_fail (targets != NULL && targets[0] != NULL);
  zi_window_fonts_set_targets (self->fonts, targets, label, get_settings (self));
}

char **
zi_window_dup_targets (ZiWindow *self)
{
  g_return_val_if_fail (ZI_IS_WINDOW (self), NULL);
  return zi_window_fonts_dup_targets (self->fonts);
}

/* win.choose-family and win.open-font-files: several target styles for a new run. */
static void
pick_targets_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  zi_window_fonts_pick_targets (ZI_WINDOW (widget)->fonts, GTK_WINDOW (widget),
                                g_str_equal (action_name, "win.choose-family"), get_settings (ZI_WINDOW (widget)));
}

/* win.choose-font (an installed family) and win.open-font-file, for "source" or "target". */
static void
pick_font_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  zi_window_fonts_pick (ZI_WINDOW (widget)->fonts, GTK_WINDOW (widget), g_str_equal (action_name, "win.choose-font"),
                        g_str_equal (g_variant_get_string (parameter, NULL), "source"),
                        get_settings (ZI_WINDOW (widget)));
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

void
zi_window_set_block (ZiWindow *self, const char *block)
{
  g_return_if_fail (ZI_IS_WINDOW (self));
  zi_window_grid_set_block (self->grid, block);
}

static void
start_worst (ZiWindow *self)
{
  zi_window_runs_start_worst (self->runs, zi_window_fonts_get_source (self->fonts),
                              zi_window_fonts_get_target (self->fonts));
}

void
zi_window_set_filter (ZiWindow *self, ZiFilter filter)
{
  g_return_if_fail (ZI_IS_WINDOW (self));
  g_return_if_fail (filter <= ZI_FILTER_PICKED);

  zi_window_grid_set_filter (self->grid, filter);
  if (filter == ZI_FILTER_WORST)
    start_worst (self);
  zi_window_grid_rebuild (self->grid);
}

void
zi_window_set_search (ZiWindow *self, const char *query)
{
  g_return_if_fail (ZI_IS_WINDOW (self));
  zi_window_grid_set_search (self->grid, query);
}

GListModel *
zi_window_get_grid_model (ZiWindow *self)
{
  g_return_val_if_fail (ZI_IS_WINDOW (self), NULL);
  return zi_window_grid_get_model (self->grid);
}

gboolean
zi_window_select_char (ZiWindow *self, gunichar c)
{
  g_return_val_if_fail (ZI_IS_WINDOW (self), FALSE);
  return zi_window_grid_select_char (self->grid, c);
}

gunichar
zi_window_get_selected_char (ZiWindow *self)
{
  g_return_val_if_fail (ZI_IS_WINDOW (self), 0);
  return zi_window_grid_get_selected_char (self->grid);
}

static void
copy_char_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  gunichar c = zi_window_get_selected_char (ZI_WINDOW (widget));
  char utf8[8] = { 0 };

  if (c == 0)
    return;
  g_unichar_to_utf8 (c, utf8);
  gdk_clipboard_set_text (gtk_widget_get_clipboard (widget), utf8);
}

static void
zoom_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  zi_window_grid_zoom (ZI_WINDOW (widget)->grid, g_str_equal (action_name, "win.zoom-in") ? 16 : -16);
}

static void
search_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  ZiWindow *self = ZI_WINDOW (widget);
  zi_window_show_page (self, "glyphs");
  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
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

/* The switcher offers the open run's styles (none: it hides). */
static void
update_styles (ZiWindow *self)
{
  guint n;
  const ZiRunStyle *styles = zi_window_runs_get_styles (self->runs, &n);

  /* A run's details can arrive after the window was closed. */
  if (self->styles != NULL)
    zi_window_styles_set (self->styles, styles, n);
}

ZiWindowStyles *
zi_window_get_styles (ZiWindow *self)
{
  g_return_val_if_fail (ZI_IS_WINDOW (self), NULL);
  return self->styles;
}

/* win.style-next and win.style-previous: the next heavier or lighter trained style. */
static void
style_step_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  ZiWindow *self = ZI_WINDOW (widget);

  if (self->styles != NULL)
    zi_window_styles_step (self->styles, g_str_equal (action_name, "win.style-next") ? 1 : -1);
}

static void
runs_marks_changed_cb (gpointer owner)
{
  ZiWindow *self = owner;
  ZiFilter filter = zi_window_grid_get_filter (self->grid);

  update_styles (self);
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

/* While comparing checkpoints of a run, the designer chooses per glyph which checkpoint's output
 * export keeps (RUN/picks.json). */
static void
pick_checkpoint_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  ZiWindow *self = ZI_WINDOW (widget);
  gunichar c = zi_window_get_selected_char (self);

  if (!zi_window_runs_pick (self->runs, c, g_variant_get_string (parameter, NULL)))
    return;
  zi_window_grid_refresh_cell_states (self->grid);
  zi_window_runs_show_pick (self->runs, c);
}

/* ---- Checkpoint comparison -------------------------------------------------------------------- */

/* Where the generated glyphs come from, and the style they are drawn in: the shipped model's style
 * that matches the target font, or the run's as the style switcher has it. */
static void
update_generated (ZiWindow *self, const char * const *checkpoints, guint n)
{
  guint weight_class;
  const char *family;

  if (zi_window_runs_shows_fallback (self->runs))
    {
      family = zi_window_fonts_get_target_family (self->fonts, &weight_class);
      zi_window_shipped_show (self->shipped, family, weight_class);
      return;
    }
  zi_glyph_cache_set_style (self->cache, zi_window_styles_get_style (self->styles),
                            zi_window_styles_get_weight (self->styles));
  zi_window_shipped_show_run (self->shipped,
                              checkpoints != NULL && checkpoints[0] != NULL
                              ? checkpoints[0] : zi_training_panel_get_default_checkpoint (self->training_panel),
                              n);
}

void
zi_window_compare_checkpoints (ZiWindow *self, const char * const *checkpoints)
{
  guint n;

  g_return_if_fail (ZI_IS_WINDOW (self));
  n = zi_window_runs_compare (self->runs, checkpoints, zi_window_get_selected_char (self));
  update_generated (self, checkpoints, n);
  zi_window_grid_set_kinds (self->grid, n, zi_window_runs_is_comparing (self->runs));
  if (zi_window_grid_get_filter (self->grid) == ZI_FILTER_WORST)
    start_worst (self);
}

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
        update_generated (self, NULL, 0);
    }
  update_actions (self);
}

gboolean
zi_window_shows_shipped_model (ZiWindow *self)
{
  g_return_val_if_fail (ZI_IS_WINDOW (self), FALSE);
  return zi_window_runs_shows_fallback (self->runs);
}

/* ---- Runs and training ------------------------------------------------------------------------- */

gboolean
zi_window_open_run (ZiWindow *self, const char *run_dir, GError **error)
{
  ZiRunInfo info = { 0 };

  g_return_val_if_fail (ZI_IS_WINDOW (self), FALSE);
  g_return_val_if_fail (run_dir != NULL, FALSE);

  if (!zi_window_runs_open (self->runs, run_dir, &info, get_settings (self), error))
    return FALSE;
  /* Another run's styles start afresh, from the regular weight that its fonts show. */
  zi_window_styles_set (self->styles, NULL, 0);
  zi_window_fonts_set_run (self->fonts, info.source_font, info.target_font, info.styles, info.n_styles,
                           get_settings (self));
  update_styles (self);
  zi_run_info_clear (&info);
  zi_window_compare_checkpoints (self, NULL);
  return TRUE;
}

static void
open_run_response_cb (ZiWindow *self, int response, GtkFileChooserNative *chooser)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
      g_autofree char *path = g_file_get_path (file);
      g_autoptr(GError) error = NULL;

      if (path != NULL && !zi_window_open_run (self, path, &error))
        show_error (self, error->message);
    }
  g_object_unref (chooser);
}

static void
open_run_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  GtkFileChooserNative *chooser =
    gtk_file_chooser_native_new (_("Open a Training Run"), GTK_WINDOW (widget),
                                 GTK_FILE_CHOOSER_ACTION_SELECT_FOLDER, _("_Open"), _("_Cancel"));

  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  g_signal_connect_swapped (chooser, "response", G_CALLBACK (open_run_response_cb), widget);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static void
new_run_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  ZiWindow *self = ZI_WINDOW (widget);

  if (!zi_window_runs_new_run (self->runs))
    return;
  update_styles (self);
  zi_window_compare_checkpoints (self, NULL);
  zi_window_grid_rebuild (self->grid);
  zi_window_show_page (self, "training");
}

char *
zi_window_new_run_dir (ZiWindow *self)
{
  g_return_val_if_fail (ZI_IS_WINDOW (self), NULL);
  return zi_window_runs_new_dir (get_settings (self));
}

/* An open run with checkpoints continues; otherwise a new run on the shared characters of the
 * chosen block. */
static void
train_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  ZiWindow *self = ZI_WINDOW (widget);
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) chars = NULL;
  g_auto(GStrv) targets = NULL;

  if (!zi_window_fonts_is_ready (self->fonts))
    return;
  chars = shared_in_block (self);
  targets = zi_window_fonts_dup_targets (self->fonts);
  if (!zi_window_runs_train (self->runs, zi_window_fonts_get_source (self->fonts),
                             (const char * const *) targets, chars, get_settings (self), &error))
    {
      show_error (self, error->message);
      return;
    }
  zi_window_show_page (self, "training");
}

/* win.pause, win.resume and win.stop. */
static void
control_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  ZiTrainingPanel *panel = ZI_WINDOW (widget)->training_panel;

  if (g_str_equal (action_name, "win.pause"))
    zi_training_panel_pause (panel);
  else if (g_str_equal (action_name, "win.resume"))
    zi_training_panel_resume (panel);
  else
    zi_training_panel_stop (panel);
}

static void
export_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  ZiWindow *self = ZI_WINDOW (widget);
  gboolean shipped = zi_window_runs_shows_fallback (self->runs);
  const char *checkpoint = shipped ? zi_window_shipped_get_path (self->shipped)
                                   : zi_training_panel_get_default_checkpoint (self->training_panel);
  g_autoptr(GArray) selection = g_array_new (FALSE, FALSE, sizeof (gunichar));
  gunichar c = zi_window_get_selected_char (self);
  GtkWidget *dialog;

  if (checkpoint == NULL || !zi_window_fonts_is_ready (self->fonts))
    return;
  if (c != 0)
    g_array_append_val (selection, c);
  dialog = zi_export_dialog_new (GTK_WINDOW (self), checkpoint,
                                 shipped ? zi_window_shipped_get_style (self->shipped)
                                         : zi_window_styles_get_style (self->styles),
                                 shipped ? NULL : zi_training_panel_get_run_dir (self->training_panel),
                                 zi_window_fonts_get_source (self->fonts),
                                 zi_window_fonts_get_target (self->fonts),
                                 zi_window_fonts_get_missing (self->fonts),
                                 zi_window_fonts_get_all (self->fonts), zi_window_get_grid_model (self),
                                 selection);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
preferences_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  ZiWindow *self = ZI_WINDOW (widget);

  gtk_window_present (GTK_WINDOW (zi_preferences_window_new (GTK_WINDOW (self), get_settings (self))));
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

  zi_window_session_save (window, get_settings (self));
  /* Stopping writes a final checkpoint; the panel's dispose waits for it. */
  zi_training_panel_stop (self->training_panel);
  return GTK_WINDOW_CLASS (zi_window_parent_class)->close_request (window);
}

/* Restores size, fonts and (when the Preferences say so) the last run from the settings, or the
 * defaults when there are none. */
static void
load_state (ZiWindow *self)
{
  GSettings *settings = get_settings (self);
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

  gtk_widget_class_install_action (widget_class, "win.train", NULL, train_action);
  gtk_widget_class_install_action (widget_class, "win.pause", NULL, control_action);
  gtk_widget_class_install_action (widget_class, "win.resume", NULL, control_action);
  gtk_widget_class_install_action (widget_class, "win.stop", NULL, control_action);
  gtk_widget_class_install_action (widget_class, "win.export", NULL, export_action);
  gtk_widget_class_install_action (widget_class, "win.open-run", NULL, open_run_action);
  gtk_widget_class_install_action (widget_class, "win.new-run", NULL, new_run_action);
  gtk_widget_class_install_action (widget_class, "win.preferences", NULL, preferences_action);
  gtk_widget_class_install_action (widget_class, "win.choose-font", "s", pick_font_action);
  gtk_widget_class_install_action (widget_class, "win.open-font-file", "s", pick_font_action);
  gtk_widget_class_install_action (widget_class, "win.choose-family", NULL, pick_targets_action);
  gtk_widget_class_install_action (widget_class, "win.open-font-files", NULL, pick_targets_action);
  gtk_widget_class_install_action (widget_class, "win.copy-char", NULL, copy_char_action);
  gtk_widget_class_install_action (widget_class, "win.dismiss-error", NULL, dismiss_error_cb);
  gtk_widget_class_install_action (widget_class, "win.zoom-in", NULL, zoom_action);
  gtk_widget_class_install_action (widget_class, "win.zoom-out", NULL, zoom_action);
  gtk_widget_class_install_action (widget_class, "win.search", NULL, search_action);
  gtk_widget_class_install_action (widget_class, "win.pick-checkpoint", "s", pick_checkpoint_action);
  gtk_widget_class_install_action (widget_class, "win.style-next", NULL, style_step_action);
  gtk_widget_class_install_action (widget_class, "win.style-previous", NULL, style_step_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_plus, GDK_CONTROL_MASK, "win.zoom-in", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_equal, GDK_CONTROL_MASK, "win.zoom-in", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_minus, GDK_CONTROL_MASK, "win.zoom-out", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_f, GDK_CONTROL_MASK, "win.search", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_c, GDK_CONTROL_MASK, "win.copy-char", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_o, GDK_CONTROL_MASK, "win.open-run", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_n, GDK_CONTROL_MASK, "win.new-run", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_e, GDK_CONTROL_MASK, "win.export", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_comma, GDK_CONTROL_MASK, "win.preferences", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Return, GDK_CONTROL_MASK, "win.train", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_space, GDK_CONTROL_MASK, "win.pause", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Down, GDK_ALT_MASK, "win.style-next", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Up, GDK_ALT_MASK, "win.style-previous", NULL);
}

static void
zi_window_init (ZiWindow *self)
{
  static const ZiWindowGridCallbacks grid_callbacks = {
    grid_filter_chars_cb, state_for, grid_selected_cb, grid_filter_chosen_cb, grid_block_changed_cb,
  };
  static const ZiWindowRunsCallbacks runs_callbacks = {
    runs_marks_changed_cb, runs_worst_ready_cb, show_error,
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
  g_signal_connect_swapped (self->training_panel, "failed", G_CALLBACK (show_error), self);

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
