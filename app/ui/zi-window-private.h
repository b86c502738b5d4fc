/* zi-window-private.h — the main window's fields and the helpers its own files share
 * (zi-window.c, zi-window-actions.c); nothing outside the window includes it. */
#pragma once

#include "zi-application.h"
#include "zi-glyph-cache.h"
#include "zi-glyph-detail.h"
#include "zi-training-panel.h"
#include "zi-window.h"
#include "zi-window-fonts.h"
#include "zi-window-grid.h"
#include "zi-window-runs.h"
#include "zi-window-shipped.h"
#include "zi-window-styles.h"

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

/* The application's settings, or NULL (no schema installed, or not yet in an application). */
GSettings *zi_window_get_settings (ZiWindow *self);

/* The shared characters of the chosen block, in code-point order. */
GArray    *zi_window_shared_in_block (ZiWindow *self);

/* Shows message in the window's error bar; owner is the window (a callback of its parts). */
void       zi_window_show_error (gpointer owner, const char *message);

/* The style switcher offers the open run's styles (none: it hides). */
void       zi_window_update_styles (ZiWindow *self);

/* Installs the header bar's run actions (train, pause, resume, stop, export, open and new run,
 * preferences) and their shortcuts (zi-window-actions.c). */
void       zi_window_actions_install (GtkWidgetClass *widget_class);

G_END_DECLS
