/* zi-window-grid.h — the window's glyph grid: its list (a filter's characters narrowed to a block
 * and a search), the selection, the cells and their zoom, and the fling detector that pauses the
 * glyph cache while the grid flies past. It drives the template's grid widgets that the window hands
 * it; what it needs to know of fonts and runs it asks through the callbacks it is given, and it
 * reports the selection and the user's choice of filter the same way. */
#pragma once

#include <gtk/gtk.h>

#include "zi-charset.h"
#include "zi-glyph-cache.h"
#include "zi-glyph-cell.h"
#include "zi-window.h"

G_BEGIN_DECLS

typedef struct _ZiWindowGrid ZiWindowGrid;

/* The window's widgets the grid drives (not owned), and its action map, where the grid adds the
 * block action (win.block). */
typedef struct {
  GActionMap     *actions;
  GtkMenuButton  *block_button;
  GtkGridView    *grid_view;
  GtkDropDown    *filter_dropdown;
  GtkSearchEntry *search_entry;
  GtkAdjustment  *zoom_adjustment;
  GtkLabel       *count_label;
} ZiWindowGridWidgets;

typedef struct {
  /* The characters of filter before block and search (a new reference), or NULL while there is
   * nothing to list (no fonts yet). */
  GArray       *(*filter_chars)  (gpointer owner, ZiFilter filter);
  /* The marks of c in the cells. */
  ZiGlyphState  (*state_for)     (gpointer owner, gunichar c);
  /* The selection moved to c, shown among its neighbours in the list (context); c = 0 and context
   * NULL when nothing is selected. */
  void          (*selected)      (gpointer owner, gunichar c, const char *context);
  /* The user chose filter in the drop-down. */
  void          (*filter_chosen) (gpointer owner, ZiFilter filter);
  /* The block changed. */
  void          (*block_changed) (gpointer owner);
} ZiWindowGridCallbacks;

/* Builds the list, selection and cell factory on widgets and connects the filter, search, zoom and
 * scroll controls; the grid starts on all CJK ideographs. */
ZiWindowGrid *zi_window_grid_new                (const ZiWindowGridWidgets *widgets, ZiGlyphCache *cache,
                                                 const ZiWindowGridCallbacks *callbacks, gpointer owner);
/* Lets go of the cells, the list and the fling detector; call first thing in the window's dispose. */
void          zi_window_grid_dispose            (ZiWindowGrid *self);
void          zi_window_grid_free               (ZiWindowGrid *self);

/* Lists the filter's characters again, keeping the selection on the same character when it is
 * still listed. */
void          zi_window_grid_rebuild            (ZiWindowGrid *self);
/* The block ("cjk", "kana", "latin" or "all"; anything else is ignored), filter and search; the
 * setters of block and search rebuild the list, the filter's does not (the window may want to start
 * the worst-glyphs job first). */
void          zi_window_grid_set_block          (ZiWindowGrid *self, const char *block);
ZiBlockFilter zi_window_grid_get_block          (ZiWindowGrid *self);
void          zi_window_grid_set_filter         (ZiWindowGrid *self, ZiFilter filter);
ZiFilter      zi_window_grid_get_filter         (ZiWindowGrid *self);
void          zi_window_grid_set_search         (ZiWindowGrid *self, const char *query);

GListModel   *zi_window_grid_get_model          (ZiWindowGrid *self);
gboolean      zi_window_grid_select_char        (ZiWindowGrid *self, gunichar c);
gunichar      zi_window_grid_get_selected_char  (ZiWindowGrid *self);

/* The images each cell shows: source, target and n_models generated columns; when comparing, the
 * target comes last as the reference. */
void          zi_window_grid_set_kinds          (ZiWindowGrid *self, guint n_models, gboolean comparing);
/* The marks of the visible cells after the run's split or picks changed; the list stays. */
void          zi_window_grid_refresh_cell_states (ZiWindowGrid *self);
/* Changes the cells' image size by step pixels. */
void          zi_window_grid_zoom               (ZiWindowGrid *self, double step);

G_END_DECLS
