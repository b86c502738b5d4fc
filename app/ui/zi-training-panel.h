/* zi-training-panel.h — the training page of the window: the hyperparameter form with presets and a
 * live plot of the learning-rate schedule, the trainer's status and health banners, the loss chart,
 * a live preview strip of validation glyphs, and the run's checkpoint list (select two or three to
 * compare them in the glyph grid). It owns the ZiTrainer of the current run and turns its events,
 * which arrive on the main loop, into widget updates that never wait for the training thread. */
#pragma once

#include <gtk/gtk.h>
#include "zi-chart.h"
#include "zi-trainer.h"

G_BEGIN_DECLS

#define ZI_TYPE_TRAINING_PANEL (zi_training_panel_get_type ())
G_DECLARE_FINAL_TYPE (ZiTrainingPanel, zi_training_panel, ZI, TRAINING_PANEL, GtkWidget)

GtkWidget      *zi_training_panel_new (void);

/* Fills cfg from the form (fonts and characters are the caller's). */
void            zi_training_panel_get_config (ZiTrainingPanel *self, ZiTrainerConfig *cfg);
/* Shows cfg in the form. */
void            zi_training_panel_set_config (ZiTrainingPanel *self, const ZiTrainerConfig *cfg);
/* The application's settings: engine threads and the dataset cache folder go into every
 * configuration the panel builds, and chart-smoothing sets the chart's smoothing. NULL: none. */
void            zi_training_panel_set_settings (ZiTrainingPanel *self, GSettings *settings);
/* "quick", "zi2zi" or "hq". */
gboolean        zi_training_panel_apply_preset (ZiTrainingPanel *self, const char *preset, GError **error);

/* The font pair and characters (gunichar) the LR range test trains on; the window keeps it current. */
void            zi_training_panel_set_pair (ZiTrainingPanel *self, const char *source_font,
                                            const char *target_font, const gunichar *chars, guint n_chars);
/* After an LR range test (the panel.lr-find action): TRUE with the suggested generator rate. */
gboolean        zi_training_panel_get_lr_suggestion (ZiTrainingPanel *self, double *lr);

/* Starts a new run in run_dir with the form's configuration and these fonts and characters
 * (chars NULL: the shared CJK ideographs), or continues the open run when it has checkpoints and
 * run_dir is NULL. Errors are returned, not shown. */
gboolean        zi_training_panel_start (ZiTrainingPanel *self,
                                         const char      *source_font,
                                         const char      *target_font,
                                         const gunichar  *chars,
                                         guint            n_chars,
                                         const char      *run_dir,
                                         GError         **error);
/* zi_training_panel_start with several target styles (target_fonts NULL-terminated, in embedding
 * order: a family light to heavy) for a new run; one target is the same as start(). */
gboolean        zi_training_panel_start_styles (ZiTrainingPanel    *self,
                                                const char         *source_font,
                                                const char * const *target_fonts,
                                                const gunichar     *chars,
                                                guint               n_chars,
                                                const char         *run_dir,
                                                GError            **error);
void            zi_training_panel_pause (ZiTrainingPanel *self);
void            zi_training_panel_resume (ZiTrainingPanel *self);
void            zi_training_panel_stop (ZiTrainingPanel *self);
/* IDLE when no trainer runs (also after it finished). */
ZiTrainerState  zi_training_panel_get_state (ZiTrainingPanel *self);

/* Loads a run directory: its configuration into the form, metrics.jsonl into the chart and its
 * checkpoints into the list. */
gboolean        zi_training_panel_open_run (ZiTrainingPanel *self, const char *run_dir, GError **error);
/* While the open run is followed read-only, the banner's text: another program trains the run, or
 * its training ended and the panel offers to continue it here (the panel.take-over action); NULL when
 * no banner shows. An open run is followed from zi_training_panel_open_run() until training starts
 * in this panel or another run opens: the chart grows with its metrics.jsonl and the list with its
 * checkpoints. */
const char     *zi_training_panel_get_watch_banner (ZiTrainingPanel *self);
/* Forgets the run (a new run starts at the next Train). */
void            zi_training_panel_new_run (ZiTrainingPanel *self);
const char     *zi_training_panel_get_run_dir (ZiTrainingPanel *self);

ZiChart        *zi_training_panel_get_chart (ZiTrainingPanel *self);
/* Checkpoint paths of the run, oldest first (NULL-terminated, owned by the panel). */
const char * const *zi_training_panel_get_checkpoints (ZiTrainingPanel *self);
/* The best checkpoint by validation SSIM, else the newest; NULL without checkpoints. */
const char     *zi_training_panel_get_default_checkpoint (ZiTrainingPanel *self);
/* Marks checkpoints (by index into get_checkpoints) as selected for comparison. */
void            zi_training_panel_select_checkpoints (ZiTrainingPanel *self, const guint *indices, guint n);
/* The selected checkpoints' paths (NULL-terminated; caller frees with g_strfreev). */
char          **zi_training_panel_get_selected_checkpoints (ZiTrainingPanel *self);

/* Worst frame interval (µs) seen by the frame clock while training ran, and the number of frames. */
gint64          zi_training_panel_get_worst_frame (ZiTrainingPanel *self, guint *n_frames);
/* Longest main-loop time (µs, wall clock) spent handling one trainer event, and (cpu_us, may be NULL)
 * the longest main-thread CPU time: the training work a frame can wait for, whatever the renderer's
 * own speed and the machine's load. */
gint64          zi_training_panel_get_worst_event_time (ZiTrainingPanel *self, gint64 *cpu_us);

G_END_DECLS
