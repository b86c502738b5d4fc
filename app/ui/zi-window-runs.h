/* zi-window-runs.h — the window's open run: opening and starting runs in the training panel, the
 * run's training/validation split and picks for the grid's marks and filters, the checkpoints the
 * grid compares with the detail pane's pick row, and the worst-glyphs job over the validation split.
 * The window drives it; it hears back through the callbacks it gives. */
#pragma once

#include <gtk/gtk.h>

#include "zi-glyph-cell.h"
#include "zi-glyph-detail.h"
#include "zi-run.h"
#include "zi-window.h"

G_BEGIN_DECLS

typedef struct _ZiWindowRuns ZiWindowRuns;

/* The window's widgets and cache the part drives (not owned). */
typedef struct {
  ZiTrainingPanel *panel;   /* the run's directory and checkpoints */
  ZiGlyphCache    *cache;   /* renders the compared checkpoints */
  ZiGlyphDetail   *detail;  /* its pick row */
} ZiWindowRunsWidgets;

typedef struct {
  /* A reread took the run's split and picks. */
  void (*marks_changed) (gpointer owner);
  /* The worst-glyphs list is ready. */
  void (*worst_ready)   (gpointer owner);
  /* The worst-glyphs job or saving the picks failed; message says why. */
  void (*failed)        (gpointer owner, const char *message);
} ZiWindowRunsCallbacks;

/* owner is kept alive while a job runs and passed to the callbacks. */
ZiWindowRuns *zi_window_runs_new         (GObject *owner, const ZiWindowRunsWidgets *widgets,
                                          const ZiWindowRunsCallbacks *callbacks);
/* Cancels the worst-glyphs job; call in the window's dispose. */
void          zi_window_runs_cancel      (ZiWindowRuns *self);
void          zi_window_runs_free        (ZiWindowRuns *self);

/* Opens run_dir (made by the GUI or the CLI) in the training panel, which must be idle, and takes
 * its split and picks; info receives its run.json (clear it with zi_run_info_clear). settings (may
 * be NULL) keep it as the run to reopen. */
gboolean      zi_window_runs_open        (ZiWindowRuns *self, const char *run_dir, ZiRunInfo *info,
                                          GSettings *settings, GError **error);
/* Starts training source → targets (NULL-terminated; several make a run of several styles): the
 * open run continues when it has checkpoints; otherwise a new run on chars, in a new folder of the
 * runs folder. settings (may be NULL) give the runs folder and keep the run as the one to reopen. */
gboolean      zi_window_runs_train       (ZiWindowRuns *self, const char *source,
                                          const char * const *targets, GArray *chars,
                                          GSettings *settings, GError **error);
/* A time-stamped folder in the runs folder of settings (may be NULL). Free with g_free. */
char         *zi_window_runs_new_dir     (GSettings *settings);
/* Empties the training panel for a new run and forgets split, picks and comparison (the glyph cache
 * keeps its models until the next compare); FALSE (and nothing done) while training. */
gboolean      zi_window_runs_new_run     (ZiWindowRuns *self);
/* The trainer's state changed: when it started a run without a known split, reads run.json (which
 * the trainer writes as it starts) and the picks again on a worker thread, since the disk may be
 * busy with the trainer's writes, and takes them if it is still the panel's run. */
void          zi_window_runs_state_changed (ZiWindowRuns *self);
/* The open run's target styles (ZiRunStyle, embedding order) as its run.json has them, read with
 * the split: none (*n 0) before a run has one. */
const ZiRunStyle *zi_window_runs_get_styles (ZiWindowRuns *self, guint *n);
/* The style whose picks the marks, the picked filter and the pick row show and set (a run of several
 * styles keeps picks per style, zi_picks_select_style); 0 again when the styles change. */
void          zi_window_runs_set_style   (ZiWindowRuns *self, guint style);
/* The run's marks of c: ZI_GLYPH_STATE_VAL or _TRAIN, and _PICKED. */
ZiGlyphState  zi_window_runs_state_for   (ZiWindowRuns *self, gunichar c);
/* The characters of ZI_FILTER_VALIDATION, _WORST or _PICKED (a new reference; empty when unknown). */
GArray       *zi_window_runs_get_chars   (ZiWindowRuns *self, ZiFilter filter);

/* Shows checkpoints (paths; NULL or empty: the panel's default checkpoint, else the fallback) in the
 * glyph cache, at most ZI_GLYPH_CACHE_MAX_MODELS, and offers them in the pick row (for the selected
 * character c) when there are two or more; drops the worst-glyphs list. Returns how many are shown. */
guint         zi_window_runs_compare     (ZiWindowRuns *self, const char * const *checkpoints, gunichar c);
/* The checkpoint compare shows when the panel has none (the shipped model), or NULL for none. */
void          zi_window_runs_set_fallback (ZiWindowRuns *self, const char *checkpoint);
/* TRUE when the last compare showed the fallback. */
gboolean      zi_window_runs_shows_fallback (ZiWindowRuns *self);
/* TRUE while two or more checkpoints are compared. */
gboolean      zi_window_runs_is_comparing (ZiWindowRuns *self);

/* Starts listing the ZI_WORST_COUNT validation characters that the panel's default checkpoint renders
 * worst, unless the list is there already, there is no checkpoint or no validation split. */
void          zi_window_runs_start_worst (ZiWindowRuns *self, const char *source_spec,
                                          const char *target_spec);

/* Picks checkpoint name ("" for the default) for c in the run's picks.json. FALSE when nothing
 * changed (no character, no run, an invalid name); saving may still fail, reported through failed. */
gboolean      zi_window_runs_pick        (ZiWindowRuns *self, gunichar c, const char *name);
/* Shows in the detail pane's pick row what is picked for c. */
void          zi_window_runs_show_pick   (ZiWindowRuns *self, gunichar c);

G_END_DECLS
