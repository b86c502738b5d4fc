/* zi-training-panel-private.h — what the training panel's source files share: the instance struct
 * and the helpers called across zi-training-panel.c (trainer, runs, life cycle),
 * zi-training-panel-form.c (hyperparameters, presets, lr plot) and zi-training-panel-views.c (status,
 * chart controls, preview strip, checkpoint list). Not for other modules. */
#pragma once

#include "zi-training-panel.h"
#include "zi-lrfind.h"
#include "zi-run-watch.h"

G_BEGIN_DECLS

typedef struct {
  char      *path;
  guint64    step;
  gint64     mtime;        /* seconds since the epoch, 0 unknown */
  gboolean   has_val;
  double     val_l1, val_ssim;
  gboolean   best;
  gboolean   selected;
} Checkpoint;

struct _ZiTrainingPanel
{
  GtkWidget        parent_instance;

  GtkWidget       *paned;
  GtkDropDown     *preset_dropdown;
  GtkCheckButton  *init_check;      /* new runs start from the shipped model */
  GtkDropDown     *size_dropdown;
  GtkSpinButton   *ngf_spin;
  GtkSpinButton   *batch_spin;
  GtkDropDown     *gan_dropdown;
  GtkSpinButton   *l1_spin;
  GtkDropDown     *optimizer_dropdown;
  GtkSpinButton   *lr_spin;
  GtkSpinButton   *beta1_spin;
  GtkDropDown     *sched_dropdown;
  GtkSpinButton   *every_spin;
  GtkSpinButton   *gamma_spin;
  GtkSpinButton   *warmup_spin;
  GtkSpinButton   *min_lr_spin;
  GtkDrawingArea  *lr_plot;
  GtkSpinner      *lrfind_spinner;
  GtkSpinButton   *steps_spin;
  GtkSpinButton   *minutes_spin;
  GtkSpinButton   *ckpt_spin;
  GtkSpinButton   *val_every_spin;
  GtkSpinButton   *val_fraction_spin;
  GtkSpinButton   *seed_spin;
  GtkExpander     *advanced_expander;
  GtkGrid         *form;
  GtkGrid         *advanced_grid;
  GtkSpinButton   *beta2_spin;
  GtkSpinButton   *eps_spin;
  GtkSpinButton   *alpha_spin;
  GtkSpinButton   *weight_decay_spin;
  GtkSpinButton   *d_lr_spin;
  GtkDropDown     *norm_dropdown;
  GtkSpinButton   *dropout_spin;
  GtkSpinButton   *const_spin;
  GtkSpinButton   *tv_spin;
  GtkSpinButton   *ssim_spin;
  GtkSpinButton   *ema_spin;
  GtkDropDown     *representation_dropdown;
  GtkSpinButton   *field_spread_spin;
  GtkRevealer     *watch_revealer;
  GtkLabel        *watch_label;
  GtkButton       *take_over_button;
  GtkRevealer     *warning_revealer;
  GtkLabel        *warning_label;
  GtkBox          *status_box;
  GtkLabel        *state_label;
  GtkProgressBar  *progress_bar;
  GtkFlowBox      *toggles_box;
  GtkAdjustment   *smoothing_adjustment;
  GtkToggleButton *log_toggle;
  GtkDropDown     *x_dropdown;
  ZiChart         *chart;
  GtkDrawingArea  *preview;
  GtkListBox      *checkpoint_list;

  GtkLabel        *step_value;
  GtkLabel        *epoch_value;
  GtkLabel        *speed_value;
  GtkLabel        *elapsed_value;
  GtkLabel        *eta_value;

  ZiTrainerConfig  base;          /* fields the form does not show, kept from presets and runs */
  GSettings       *settings;      /* the application's: engine threads, dataset cache; may be NULL */
  gboolean         updating_form;
  NnOptKind        shown_opt;     /* the optimizer whose β1 / momentum the form shows */
  ZiTrainer       *trainer;
  ZiTrainerState   state;
  char            *run_dir;
  guint            n_train;       /* training pairs, for the epoch count */
  ZiTrainerStepStats last_stats;
  GPtrArray       *checkpoints;   /* Checkpoint*, oldest first */
  GStrv            checkpoint_paths;
  ZiTrainerEvent  *preview_event;

  /* The open run while no trainer of this panel writes it: followed, read-only while another
   * program holds its lock (zi-run-watch.h). */
  ZiRunWatch      *watch;
  GArray          *run_metrics;   /* ZiRunMetric: the run's records, for the checkpoints' scores */
  gboolean         has_writer;    /* another program writes the run now */
  char            *last_writer;   /* who wrote it last, for the banner once it has stopped */

  /* The pair and characters an LR range test trains on, and its last result. */
  char            *pair_source;
  char            *pair_target;
  GArray          *pair_chars;
  GCancellable    *lrfind_cancellable;
  ZiLrFindResult  *lrfind;

  guint            tick_id;
  gint64           worst_event_us;      /* longest main-loop time spent on one trainer event */
  gint64           worst_event_cpu_us;  /* the same in CPU time of the main thread */
  gint64           last_frame_us;
  gint64           worst_frame_us;
  guint            n_frames;
};

/* zi-training-panel-form.c */
void        _zi_training_panel_apply_settings (ZiTrainingPanel *self, ZiTrainerConfig *cfg);
void        _zi_training_panel_form_class_init (GtkWidgetClass *widget_class);
void        _zi_training_panel_form_init (ZiTrainingPanel *self);
void        _zi_training_panel_form_dispose (ZiTrainingPanel *self);

/* zi-training-panel-views.c */
void        _zi_training_panel_views_class_init (GtkWidgetClass *widget_class);
void        _zi_training_panel_views_init (ZiTrainingPanel *self);
void        _zi_training_panel_checkpoint_free (Checkpoint *cp);
const char *_zi_training_panel_state_text (ZiTrainerState state);
void        _zi_training_panel_show_stats (ZiTrainingPanel *self, const ZiTrainerStepStats *s);
void        _zi_training_panel_show_warning (ZiTrainingPanel *self, const char *message);
void        _zi_training_panel_rebuild_paths (ZiTrainingPanel *self);
void        _zi_training_panel_rebuild_checkpoint_list (ZiTrainingPanel *self);
/* A run of n target styles: style index's validation SSIM (its line, in its colour and in the chart's
 * legend, made at its first point), and the removal of those lines for another run. */
void        _zi_training_panel_append_style_ssim (ZiTrainingPanel *self, guint index, guint n, const char *name,
                                                  guint64 step, double images, double seconds, double ssim);
void        _zi_training_panel_clear_style_lines (ZiTrainingPanel *self);
void        _zi_training_panel_add_checkpoint (ZiTrainingPanel *self, const char *path, guint64 step,
                                               gboolean has_val, double l1, double ssim, gboolean best);

G_END_DECLS
