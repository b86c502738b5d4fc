/* zi-window-fonts.h — the window's font pair: its specs on the header bar's buttons and in the
 * settings, opening the two fonts and computing their character sets off the main thread behind the
 * grid's loading page, and the last pair that opened. The window drives it and hears back through
 * the callback it gives. */
#pragma once

#include <gtk/gtk.h>

#include "zi-charset.h"
#include "zi-font.h"
#include "zi-glyph-cache.h"
#include "zi-render.h"
#include "zi-run.h"

G_BEGIN_DECLS

typedef struct _ZiWindowFonts ZiWindowFonts;

/* The window's widgets the part drives (not owned). */
typedef struct {
  GtkMenuButton *source_button;
  GtkMenuButton *target_button;
  GtkStack      *grid_stack;       /* its "loading" page while a pair opens, then "grid" */
  GtkSpinner    *loading_spinner;
  GtkLabel      *loading_label;
} ZiWindowFontsWidgets;

/* A load finished: error is NULL when the pair opened (its sets are then the ones the getters
 * return), or says why it did not (the previous pair stays). A cancelled load does not report. */
typedef void (*ZiWindowFontsLoaded) (gpointer owner, const GError *error);

/* owner is kept alive while a load runs and passed to loaded; cache gets the pair's specs. */
ZiWindowFonts       *zi_window_fonts_new          (GObject *owner, const ZiWindowFontsWidgets *widgets,
                                                   ZiGlyphCache *cache, ZiWindowFontsLoaded loaded);
/* Cancels a load that is still running. */
void                 zi_window_fonts_cancel       (ZiWindowFonts *self);
void                 zi_window_fonts_free         (ZiWindowFonts *self);
/* Starts opening source and target (specs as in zi-font.h; NULL keeps that side), cancelling a load
 * still running, and keeps the specs in settings (may be NULL). */
void                 zi_window_fonts_set          (ZiWindowFonts *self, const char *source,
                                                   const char *target, GSettings *settings);
/* Several target styles for a new run (specs, NULL-terminated; a family's faces light to heavy):
 * the target button shows label (NULL: "N styles"), and the grid the regular face, which is what
 * zi_window_fonts_get_target() returns from then on. One spec is zi_window_fonts_set() with it; a
 * later set() with a target goes back to one target. */
void                 zi_window_fonts_set_targets  (ZiWindowFonts *self, const char * const *specs,
                                                   const char *label, GSettings *settings);
/* The fonts of an opened run: its source and, for a run of several styles, its styles as
 * set_targets() takes them (labelled "Family: N weights" when they share a family); else its target. */
void                 zi_window_fonts_set_run      (ZiWindowFonts *self, const char *source, const char *target,
                                                   const ZiRunStyle *styles, guint n, GSettings *settings);
/* Opens the picker of several target styles (every weight of a family, or several files), whose
 * choice goes to set_targets(); a failure reaches the loaded callback as its error. parent: the
 * dialogs' window. */
void                 zi_window_fonts_pick_targets (ZiWindowFonts *self, GtkWindow *parent, gboolean family,
                                                   GSettings *settings);
/* Opens the picker of one font for the source (source TRUE) or the target: an installed family
 * (installed TRUE) or a font file. The choice goes to set() with settings; a failure reaches the
 * loaded callback as its error. parent: the dialog's window. */
void                 zi_window_fonts_pick         (ZiWindowFonts *self, GtkWindow *parent, gboolean installed,
                                                   gboolean source, GSettings *settings);
/* The target styles a new run trains: the set of set_targets(), or the one target. A new
 * NULL-terminated array to g_strfreev(). */
char               **zi_window_fonts_dup_targets  (ZiWindowFonts *self);
/* Shows spec's glyphs in the target column instead of the pair's target (the style switcher's
 * choice); NULL, or the pair's target, goes back. The character sets and metrics stay the pair's.
 * A later set() forgets it. */
void                 zi_window_fonts_show_target  (ZiWindowFonts *self, const char *spec);
const char          *zi_window_fonts_get_source   (ZiWindowFonts *self);
const char          *zi_window_fonts_get_target   (ZiWindowFonts *self);
/* TRUE once the last set's load has finished, whether the pair opened or not. */
gboolean             zi_window_fonts_is_loaded    (ZiWindowFonts *self);

/* TRUE once a pair has opened; the getters below need one. */
gboolean             zi_window_fonts_is_ready     (ZiWindowFonts *self);
/* Every character of the source, those the target has too, and those it lacks; code-point order. */
GArray              *zi_window_fonts_get_all      (ZiWindowFonts *self);
GArray              *zi_window_fonts_get_shared   (ZiWindowFonts *self);
GArray              *zi_window_fonts_get_missing  (ZiWindowFonts *self);
/* The shared characters in block, code-point order: a new array to g_array_unref(). */
GArray              *zi_window_fonts_dup_shared_in (ZiWindowFonts *self, ZiBlockFilter block);
/* TRUE when the target has c (FALSE while no pair has opened). */
gboolean             zi_window_fonts_target_has   (ZiWindowFonts *self, gunichar c);
/* The target's metrics, and its placement at ZI_GLYPH_DETAIL_SIZE. */
const ZiFontMetrics *zi_window_fonts_get_metrics  (ZiWindowFonts *self);
const ZiPlacement   *zi_window_fonts_get_placement (ZiWindowFonts *self);
/* The family name of the pair's target and its OS/2 weight class (400 when unknown), or NULL (and
 * 400) while no pair has opened. */
const char          *zi_window_fonts_get_target_family (ZiWindowFonts *self, guint *weight_class);

G_END_DECLS
