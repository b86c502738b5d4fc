/* zi-window-api.c — the functions of zi-window.h, and the updates of the window that its actions
 * (zi-window-actions.c) and its parts' callbacks (zi-window.c) share: the settings, the error
 * banner, the style switcher and where the generated glyphs come from. It calls neither of those
 * files, so the window's sources never call each other in a loop. */
#include "config.h"
#include "zi-window-private.h"

/* The application's settings, or NULL (no schema installed, or not yet in an application). */
GSettings *
_zi_window_get_settings (ZiWindow *self)
{
  GtkApplication *app = gtk_window_get_application (GTK_WINDOW (self));

  return app != NULL ? zi_application_get_settings (ZI_APPLICATION (app)) : NULL;
}

/* The shared characters of the chosen block, in code-point order. */
GArray *
_zi_window_shared_in_block (ZiWindow *self)
{
  return zi_window_fonts_dup_shared_in (self->fonts, zi_window_grid_get_block (self->grid));
}

/* ---- Errors ----------------------------------------------------------------------------------- */

void
_zi_window_show_error (gpointer owner, const char *message)
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

/* ---- Fonts ------------------------------------------------------------------------------------ */

void
zi_window_set_fonts (ZiWindow *self, const char *source, const char *target)
{
  g_return_if_fail (ZI_IS_WINDOW (self));
  zi_window_fonts_set (self->fonts, source, target, _zi_window_get_settings (self));
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
  zi_window_fonts_set_targets (self->fonts, targets, label, _zi_window_get_settings (self));
}

char **
zi_window_dup_targets (ZiWindow *self)
{
  g_return_val_if_fail (ZI_IS_WINDOW (self), NULL);
  return zi_window_fonts_dup_targets (self->fonts);
}

/* ---- The grid --------------------------------------------------------------------------------- */

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

/* ---- The style switcher ----------------------------------------------------------------------- */

/* The switcher offers the open run's styles (none: it hides). */
void
_zi_window_update_styles (ZiWindow *self)
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

/* ---- Checkpoint comparison -------------------------------------------------------------------- */

/* Where the generated glyphs come from, and the style they are drawn in: the shipped model's style
 * that matches the target font, or the run's as the style switcher has it. */
void
_zi_window_update_generated (ZiWindow *self, const char * const *checkpoints, guint n)
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
  _zi_window_update_generated (self, checkpoints, n);
  zi_window_grid_set_kinds (self->grid, n, zi_window_runs_is_comparing (self->runs));
  if (zi_window_grid_get_filter (self->grid) == ZI_FILTER_WORST)
    start_worst (self);
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

  if (!zi_window_runs_open (self->runs, run_dir, &info, _zi_window_get_settings (self), error))
    return FALSE;
  /* Another run's styles start afresh, from the regular weight that its fonts show. */
  zi_window_styles_set (self->styles, NULL, 0);
  zi_window_fonts_set_run (self->fonts, info.source_font, info.target_font, info.styles, info.n_styles,
                           _zi_window_get_settings (self));
  _zi_window_update_styles (self);
  zi_run_info_clear (&info);
  zi_window_compare_checkpoints (self, NULL);
  return TRUE;
}

char *
zi_window_new_run_dir (ZiWindow *self)
{
  g_return_val_if_fail (ZI_IS_WINDOW (self), NULL);
  return zi_window_runs_new_dir (_zi_window_get_settings (self));
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
