/* zi-window.h — the Zimaru main window: font pair and charset in the header bar, the glyph grid with
 * its detail pane, the training page, checkpoint comparison and export. */
#pragma once

#include <gtk/gtk.h>
#include "zi-application.h"
#include "zi-glyph-cache.h"
#include "zi-training-panel.h"
#include "zi-window-styles.h"

G_BEGIN_DECLS

#define ZI_TYPE_WINDOW (zi_window_get_type ())
G_DECLARE_FINAL_TYPE (ZiWindow, zi_window, ZI, WINDOW, GtkApplicationWindow)

/* The grid filters, in the order of the filter drop-down. */
typedef enum {
  ZI_FILTER_ALL,
  ZI_FILTER_SHARED,
  ZI_FILTER_VALIDATION,
  ZI_FILTER_MISSING,
  ZI_FILTER_WORST,
  ZI_FILTER_PICKED,
} ZiFilter;

#define ZI_WORST_COUNT 50

ZiWindow        *zi_window_new (ZiApplication *application);

/* Opens a font pair (specs as in zi-font.h); the glyphs appear when the fonts are loaded off the main
 * thread. NULL keeps the current font of that side. */
void             zi_window_set_fonts (ZiWindow *self, const char *source, const char *target);
const char      *zi_window_get_source_font (ZiWindow *self);
const char      *zi_window_get_target_font (ZiWindow *self);
/* Several target styles for the next new run (a family's weights: NULL-terminated specs, light to
 * heavy), shown on the target button as label (NULL: "N styles"); the grid shows the regular one,
 * which zi_window_get_target_font() returns. zi_window_set_fonts() with a target goes back to one. */
void             zi_window_set_targets (ZiWindow *self, const char * const *targets, const char *label);
/* The target styles a new run trains (one for a single target); g_strfreev() it. */
char           **zi_window_dup_targets (ZiWindow *self);
/* The style switcher and weight slider of the open run (zi-window-styles.h). */
ZiWindowStyles  *zi_window_get_styles (ZiWindow *self);
/* TRUE once the fonts of the last set_fonts are loaded (or failed: see get_error). */
gboolean         zi_window_is_loaded (ZiWindow *self);
/* "cjk", "kana", "latin" or "all". */
void             zi_window_set_block (ZiWindow *self, const char *block);
void             zi_window_set_filter (ZiWindow *self, ZiFilter filter);
/* A character, a string, or U+XXXX; "" shows the whole filter. */
void             zi_window_set_search (ZiWindow *self, const char *query);

/* The grid's current list (a GListModel of ZiGlyphItem) and selection. */
GListModel      *zi_window_get_grid_model (ZiWindow *self);
gboolean         zi_window_select_char (ZiWindow *self, gunichar c);
gunichar         zi_window_get_selected_char (ZiWindow *self);
GtkWidget       *zi_window_get_detail (ZiWindow *self);
ZiTrainingPanel *zi_window_get_training_panel (ZiWindow *self);
ZiGlyphCache    *zi_window_get_cache (ZiWindow *self);
/* Shows one generated column per checkpoint in the grid (NULL or empty: the default checkpoint). */
void             zi_window_compare_checkpoints (ZiWindow *self, const char * const *checkpoints);
/* TRUE while the generated column shows the model that ships with Zimaru: no run's checkpoint to
 * show, and the shipped model was found. */
gboolean         zi_window_shows_shipped_model (ZiWindow *self);
/* Opens a run directory (made by the GUI or the CLI): fonts, charset, chart history, checkpoints. */
gboolean         zi_window_open_run (ZiWindow *self, const char *run_dir, GError **error);
/* Where the Train action puts a new run: a time-stamped folder in the runs folder of the
 * Preferences. Free with g_free. */
char            *zi_window_new_run_dir (ZiWindow *self);
/* "glyphs" or "training". */
void             zi_window_show_page (ZiWindow *self, const char *name);
/* The message of the last error shown in the banner, or NULL. */
const char      *zi_window_get_error (ZiWindow *self);

G_END_DECLS
