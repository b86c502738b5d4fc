/* zi-window-private.h — what the window's source files share: the instance struct and the helpers
 * that zi-window.c (fonts, life cycle), zi-window-grid.c (the glyph grid), zi-window-actions.c
 * (header bar and menu actions) and zi-window-runs.c (run directories, worst glyphs) call across
 * files, as gnome-text-editor splits its window. Not installed, not for other modules. */
#pragma once

#include "zi-window.h"

#include "zi-char-list.h"
#include "zi-charset.h"
#include "zi-font.h"
#include "zi-glyph-cell.h"
#include "zi-glyph-detail.h"
#include "zi-picks.h"
#include "zi-render.h"

G_BEGIN_DECLS

#define N_CODE_POINTS 0x110000

/* What a font load computes on its worker thread. */
typedef struct {
  char         *source_spec;
  char         *target_spec;
  ZiFont       *source;
  ZiFont       *target;
  GArray       *all;          /* every character of the source, code-point order */
  GArray       *shared;
  GArray       *missing;
  guint8       *target_bits;  /* bitset over all code points */
  ZiFontMetrics metrics;      /* of the target */
  ZiPlacement   placement;    /* of the target at ZI_GLYPH_DETAIL_SIZE */
} FontLoad;

struct _ZiWindow
{
  GtkApplicationWindow  parent_instance;

  GtkHeaderBar         *header_bar;
  GtkMenuButton        *source_button;
  GtkMenuButton        *target_button;
  GtkMenuButton        *block_button;
  GtkSearchEntry       *search_entry;
  GtkWidget            *train_button;
  GtkWidget            *pause_button;
  GtkWidget            *resume_button;
  GtkWidget            *stop_button;
  GtkRevealer          *error_revealer;
  GtkLabel             *error_label;
  GtkStack             *main_stack;
  GtkDropDown          *filter_dropdown;
  GtkLabel             *count_label;
  GtkAdjustment        *zoom_adjustment;
  GtkStack             *grid_stack;
  GtkSpinner           *loading_spinner;
  GtkLabel             *loading_label;
  GtkGridView          *grid_view;
  ZiGlyphDetail        *detail;
  ZiTrainingPanel      *training_panel;

  char                 *source_spec;
  char                 *target_spec;
  ZiBlockFilter         block;
  ZiFilter              filter;
  char                 *search;
  gboolean              setting_search;  /* ignore the entry's own signal while we set its text */
  FontLoad             *fonts;
  GCancellable         *load_cancellable;
  gboolean              loaded;

  ZiCharList           *list;
  GtkSingleSelection   *selection;
  ZiGlyphCache         *cache;
  GPtrArray            *cells;        /* live ZiGlyphCell, not owned */
  ZiGlyphKind           kinds[2 + ZI_GLYPH_CACHE_MAX_MODELS];
  guint                 n_kinds;
  gboolean              comparing;

  /* Fling detection: the grid's position sampled by a tick callback while it moves. */
  GtkAdjustment        *grid_vadjustment;
  gulong                grid_moved_id;
  guint                 scroll_tick_id;
  gint64                scroll_moved_us;    /* monotonic time of the last position change */
  gboolean              scroll_moved_since_tick;
  gint64                scroll_sample_us;   /* frame time of the last speed sample, 0 none */
  double                scroll_sample_value;

  GHashTable           *val_chars;    /* from the open run */
  GHashTable           *train_chars;
  GArray               *val_list;
  ZiPicks              *picks;
  GArray               *worst;
  GCancellable         *worst_cancellable;

  char                 *error;
};


/* zi-window.c */
void         _zi_window_set_str           (char **field, const char *value);
ZiGlyphState _zi_window_state_for         (ZiWindow *self, gunichar c);
void         _zi_window_show_error        (ZiWindow *self, const char *message);
void         _zi_window_update_training_pair (ZiWindow *self);
void         _zi_window_update_actions    (ZiWindow *self);

/* zi-window-grid.c */
void         _zi_window_grid_init         (ZiWindow *self);
void         _zi_window_grid_dispose      (ZiWindow *self);
void         _zi_window_rebuild_list      (ZiWindow *self);
void         _zi_window_refresh_cell_states (ZiWindow *self);
void         _zi_window_set_kinds         (ZiWindow *self, guint n_models);

/* zi-window-actions.c */
void         _zi_window_class_add_actions (GtkWidgetClass *widget_class);
void         _zi_window_add_action_entries (ZiWindow *self);
void         _zi_window_update_pick_row   (ZiWindow *self);
void         _zi_window_update_pick_menu  (ZiWindow *self, const char * const *checkpoints, guint n);

/* zi-window-runs.c */
void         _zi_window_set_run_chars     (ZiWindow *self, const gunichar *chars, guint n,
                                           const gunichar *val, guint n_val);
void         _zi_window_refresh_run_info  (ZiWindow *self);
void         _zi_window_worst_start       (ZiWindow *self);

G_END_DECLS
