/* zi-window-shipped.h — the model that ships with Zimaru, as the window shows it when no run has a
 * checkpoint to show: finding and reading it off the main thread, choosing the style that matches the
 * target font, and the line above the grid that says where the generated glyphs come from (the
 * shipped model, a run's checkpoint, or nothing when the shipped model is missing). The window drives
 * it and hears back through the callback it gives. */
#pragma once

#include <gtk/gtk.h>

#include "zi-glyph-cache.h"
#include "zi-run.h"

G_BEGIN_DECLS

typedef struct _ZiWindowShipped ZiWindowShipped;

/* The window's widgets and cache the part drives (not owned). */
typedef struct {
  ZiGlyphCache *cache;  /* draws the chosen style while the shipped model is shown */
  GtkLabel     *label;  /* where the generated glyphs come from */
} ZiWindowShippedWidgets;

/* The look-up finished: the model is there (zi_window_shipped_get_path) or missing (the label says
 * so, its tooltip why, from the next zi_window_shipped_show_run with no checkpoint on). */
typedef void (*ZiWindowShippedReady) (gpointer owner);

/* Starts looking for the shipped model (zi_model_default_path) and reading its styles on a worker
 * thread. owner is kept alive while it runs and passed to ready. */
ZiWindowShipped  *zi_window_shipped_new       (GObject *owner, const ZiWindowShippedWidgets *widgets,
                                               ZiWindowShippedReady ready);
/* Stops waiting for the look-up; call in the window's dispose. */
void              zi_window_shipped_cancel    (ZiWindowShipped *self);
void              zi_window_shipped_free      (ZiWindowShipped *self);

/* The checkpoint file, NULL while it is being looked for or when it is missing. */
const char       *zi_window_shipped_get_path  (ZiWindowShipped *self);
/* Its styles (embedding order; *n 0 until it was read). */
const ZiRunStyle *zi_window_shipped_get_styles (ZiWindowShipped *self, guint *n);

/* The generated column shows the shipped model for a target font of family and weight_class (family
 * NULL while no font has opened): the cache draws the style that matches, and the label names it. */
void              zi_window_shipped_show      (ZiWindowShipped *self, const char *family, guint weight_class);
/* The generated column shows n checkpoints of a run (one: checkpoint, the run's default; none: no
 * model at all, the shipped one being missing too): only the label changes. */
void              zi_window_shipped_show_run  (ZiWindowShipped *self, const char *checkpoint, guint n);
/* The style zi_window_shipped_show chose last (0 before). */
guint             zi_window_shipped_get_style (ZiWindowShipped *self);

/* The style of styles (n ≥ 1) for a target font of family (case and spaces ignored) and
 * weight_class: the one of that family and weight class; else of that family, the nearest weight
 * class (the lighter of two as near); else style 0. */
guint             zi_window_shipped_match_style (const ZiRunStyle *styles, guint n, const char *family,
                                                 guint weight_class);

G_END_DECLS
