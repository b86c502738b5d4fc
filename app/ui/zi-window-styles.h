/* zi-window-styles.h — the window's style switcher and weight slider for a run of several target
 * styles (a family's weights in one model): which style the grid, the detail pane and the compare
 * view generate, and which target font their target column shows. Hidden for a run of one style.
 * The window drives it and hears back through the callback it gives. */
#pragma once

#include <gtk/gtk.h>

#include "zi-run.h"

G_BEGIN_DECLS

typedef struct _ZiWindowStyles ZiWindowStyles;

/* The window's widgets the part drives (not owned). */
typedef struct {
  GtkWidget   *bar;            /* the row above the grid; visible only for several styles */
  GtkDropDown *dropdown;       /* the styles by name and weight class */
  GtkWidget   *weight_box;     /* the slider with its labels; visible when the weights differ */
  GtkScale    *weight_scale;   /* from the lightest to the heaviest trained weight class */
  GtkLabel    *weight_label;   /* the weight drawn, and the target column's style when it is the nearest */
} ZiWindowStylesWidgets;

/* The choice changed: the models draw style (weight 0) or the weight class weight between two trained
 * styles; target_spec is the font of the style the target column shows (the chosen one, or the one
 * nearest to the weight), NULL when the run went and the pair's target shows again. */
typedef void (*ZiWindowStylesChanged) (gpointer owner, guint style, double weight, const char *target_spec);

ZiWindowStyles *zi_window_styles_new    (gpointer owner, const ZiWindowStylesWidgets *widgets,
                                         ZiWindowStylesChanged changed);
void            zi_window_styles_free   (ZiWindowStyles *self);

/* The open run's styles (embedding order), or none: shows or hides the bar and starts from the style
 * nearest to the regular weight, 400 (calling changed when that is a change from the first style the
 * models draw after loading). The same styles again keep the choice. */
void            zi_window_styles_set    (ZiWindowStyles *self, const ZiRunStyle *styles, guint n);
guint           zi_window_styles_get_n  (ZiWindowStyles *self);
/* The style drawn (the nearest one while a weight between styles is drawn), and that weight (0 when
 * a trained style is drawn as itself). */
guint           zi_window_styles_get_style  (ZiWindowStyles *self);
double          zi_window_styles_get_weight (ZiWindowStyles *self);

/* Chooses style i (ignored out of range). */
void            zi_window_styles_select (ZiWindowStyles *self, guint i);
/* The next lighter (delta -1) or heavier (+1) style, by weight class, stopping at the ends; what
 * Alt+Up / Alt+Down do. */
void            zi_window_styles_step   (ZiWindowStyles *self, int delta);
/* Draws weight class weight: a trained style's weight (within ZI_WINDOW_STYLES_SNAP) is that style,
 * another weight inside the trained range is a blend. FALSE (no change) outside the range or for a
 * run whose styles share one weight. */
#define ZI_WINDOW_STYLES_SNAP 8.0
gboolean        zi_window_styles_set_weight (ZiWindowStyles *self, double weight);

G_END_DECLS
