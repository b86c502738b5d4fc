/* zi-window-private.h — what the main window's source files share: the instance struct and the
 * helpers called across zi-window.c (template, the parts' callbacks, life cycle),
 * zi-window-actions.c (the win.* actions) and zi-window-api.c (the functions of zi-window.h and the
 * updates the others share). Calls run from zi-window.c to the other two and from
 * zi-window-actions.c to zi-window-api.c, never back. Not for other modules. */
#pragma once

#include "zi-window.h"

#include "zi-glyph-detail.h"
#include "zi-window-fonts.h"
#include "zi-window-grid.h"
#include "zi-window-runs.h"
#include "zi-window-shipped.h"

G_BEGIN_DECLS

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

/* zi-window-actions.c */
void       _zi_window_actions_class_init (GtkWidgetClass *widget_class);

/* zi-window-api.c */
GSettings *_zi_window_get_settings (ZiWindow *self);
GArray    *_zi_window_shared_in_block (ZiWindow *self);
/* Shows message in the error banner; owner is the window, as the parts' and the panel's callbacks
 * pass it. */
void       _zi_window_show_error (gpointer owner, const char *message);
void       _zi_window_update_styles (ZiWindow *self);
void       _zi_window_update_generated (ZiWindow *self, const char * const *checkpoints, guint n);

G_END_DECLS
