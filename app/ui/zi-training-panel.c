/* zi-training-panel.c — the training page: form, status, chart, previews and checkpoints.
 *
 * The trainer delivers its events on the main loop as small copied records; each handler here only
 * copies numbers into widgets and queues redraws, so a frame never waits for training work. The
 * chart redraws at most once per frame however many points arrive. */
#include "config.h"
#include "zi-training-panel.h"

#include "zi-application.h"
#include "zi-error.h"
#include "zi-run.h"
#include "nn-sched.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <math.h>
#include <time.h>

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
  GtkSpinButton   *steps_spin;
  GtkSpinButton   *minutes_spin;
  GtkSpinButton   *ckpt_spin;
  GtkSpinButton   *val_every_spin;
  GtkSpinButton   *val_fraction_spin;
  GtkSpinButton   *seed_spin;
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
  gboolean         updating_form;
  ZiTrainer       *trainer;
  ZiTrainerState   state;
  char            *run_dir;
  guint            n_train;       /* training pairs, for the epoch count */
  ZiTrainerStepStats last_stats;
  GPtrArray       *checkpoints;   /* Checkpoint*, oldest first */
  GStrv            checkpoint_paths;
  ZiTrainerEvent  *preview_event;

  guint            tick_id;
  gint64           worst_event_us;      /* longest main-loop time spent on one trainer event */
  gint64           worst_event_cpu_us;  /* the same in CPU time of the main thread */
  gint64           last_frame_us;
  gint64           worst_frame_us;
  guint            n_frames;
};

G_DEFINE_FINAL_TYPE (ZiTrainingPanel, zi_training_panel, GTK_TYPE_WIDGET)

enum { STATE_CHANGED, CHECKPOINTS_CHANGED, COMPARE_REQUESTED, FAILED, N_SIGNALS };
static guint signals[N_SIGNALS];

static const guint sizes[] = { 64, 128, 256, 512 };
static const NnOptKind optimizers[] = { NN_OPT_ADAM, NN_OPT_RMSPROP, NN_OPT_SGD };
static const NnSchedKind schedules[] = { NN_SCHED_FIXED, NN_SCHED_STEP, NN_SCHED_EXP, NN_SCHED_COSINE,
                                         NN_SCHED_PLATEAU };
static const NnGanLoss gan_losses[] = { NN_GAN_BCE, NN_GAN_LSGAN, NN_GAN_HINGE };
static const char *presets[] = { "quick", "zi2zi", "hq" };

static const struct {
  const char   *id;
  const char   *label;
  const char   *color;
  ZiChartYAxis  axis;
  gboolean      visible;
} chart_lines[] = {
  { "d_loss",   N_("D loss"),          "#e01b24", ZI_CHART_Y_LEFT,  TRUE },
  { "g_loss",   N_("G loss"),          "#1c71d8", ZI_CHART_Y_LEFT,  TRUE },
  { "g_adv",    N_("Adversarial"),     "#e66100", ZI_CHART_Y_LEFT,  TRUE },
  { "l1",       N_("L1"),              "#26a269", ZI_CHART_Y_LEFT,  TRUE },
  { "val_ssim", N_("Validation SSIM"), "#9141ac", ZI_CHART_Y_RIGHT, TRUE },
  { "val_l1",   N_("Validation L1"),   "#986a44", ZI_CHART_Y_RIGHT, TRUE },
  { "lr",       N_("Learning rate"),   "#77767b", ZI_CHART_Y_OWN,   TRUE },
};

static guint
index_of_uint (const guint *values, guint n, guint v)
{
  for (guint i = 0; i < n; i++)
    if (values[i] == v)
      return i;
  return 0;
}

static void
checkpoint_free (Checkpoint *cp)
{
  g_free (cp->path);
  g_free (cp);
}

/* ---- The form --------------------------------------------------------------------------------- */

void
zi_training_panel_get_config (ZiTrainingPanel *self, ZiTrainerConfig *cfg)
{
  g_return_if_fail (ZI_IS_TRAINING_PANEL (self));
  g_return_if_fail (cfg != NULL);

  zi_trainer_config_copy (cfg, &self->base);
  cfg->net.size = sizes[MIN (gtk_drop_down_get_selected (self->size_dropdown), G_N_ELEMENTS (sizes) - 1)];
  cfg->net.ngf = gtk_spin_button_get_value_as_int (self->ngf_spin);
  cfg->net.batch = gtk_spin_button_get_value_as_int (self->batch_spin);
  cfg->net.gan_loss = gan_losses[MIN (gtk_drop_down_get_selected (self->gan_dropdown), G_N_ELEMENTS (gan_losses) - 1)];
  cfg->net.l1_weight = gtk_spin_button_get_value (self->l1_spin);

  cfg->opt_g.kind = optimizers[MIN (gtk_drop_down_get_selected (self->optimizer_dropdown), G_N_ELEMENTS (optimizers) - 1)];
  cfg->opt_g.lr = gtk_spin_button_get_value (self->lr_spin);
  cfg->opt_g.beta1 = gtk_spin_button_get_value (self->beta1_spin);
  cfg->opt_g.momentum = gtk_spin_button_get_value (self->beta1_spin);
  cfg->opt_g.rms_momentum = cfg->opt_g.kind == NN_OPT_RMSPROP ? gtk_spin_button_get_value (self->beta1_spin)
                                                               : cfg->opt_g.rms_momentum;
  cfg->opt_d.kind = cfg->opt_g.kind;
  cfg->opt_d.beta1 = cfg->opt_g.beta1;
  cfg->opt_d.momentum = cfg->opt_g.momentum;
  cfg->opt_d.rms_momentum = cfg->opt_g.rms_momentum;

  cfg->sched.kind = schedules[MIN (gtk_drop_down_get_selected (self->sched_dropdown), G_N_ELEMENTS (schedules) - 1)];
  cfg->sched.base_lr = cfg->opt_g.lr;
  cfg->sched.every = (uint64_t) gtk_spin_button_get_value (self->every_spin);
  cfg->sched.gamma = gtk_spin_button_get_value (self->gamma_spin);
  cfg->sched.warmup_steps = (uint64_t) gtk_spin_button_get_value (self->warmup_spin);
  cfg->sched.min_lr = gtk_spin_button_get_value (self->min_lr_spin);
  cfg->sched.floor_lr = cfg->sched.min_lr;

  cfg->max_steps = (guint64) gtk_spin_button_get_value (self->steps_spin);
  cfg->max_minutes = gtk_spin_button_get_value (self->minutes_spin);
  /* A cosine schedule ends where the run ends. */
  cfg->sched.total_steps = cfg->max_steps > 0 ? cfg->max_steps : MAX (cfg->sched.total_steps, 1);
  cfg->checkpoint_every = gtk_spin_button_get_value_as_int (self->ckpt_spin);
  cfg->val_every = gtk_spin_button_get_value_as_int (self->val_every_spin);
  cfg->val_fraction = gtk_spin_button_get_value (self->val_fraction_spin);
  cfg->seed = (guint64) gtk_spin_button_get_value (self->seed_spin);
}

void
zi_training_panel_set_config (ZiTrainingPanel *self, const ZiTrainerConfig *cfg)
{
  double beta;

  g_return_if_fail (ZI_IS_TRAINING_PANEL (self));
  g_return_if_fail (cfg != NULL);

  zi_trainer_config_clear (&self->base);
  zi_trainer_config_copy (&self->base, cfg);

  self->updating_form = TRUE;
  gtk_drop_down_set_selected (self->size_dropdown, index_of_uint (sizes, G_N_ELEMENTS (sizes), cfg->net.size));
  gtk_spin_button_set_value (self->ngf_spin, cfg->net.ngf);
  gtk_spin_button_set_value (self->batch_spin, cfg->net.batch);
  for (guint i = 0; i < G_N_ELEMENTS (gan_losses); i++)
    if (gan_losses[i] == cfg->net.gan_loss)
      gtk_drop_down_set_selected (self->gan_dropdown, i);
  gtk_spin_button_set_value (self->l1_spin, cfg->net.l1_weight);
  for (guint i = 0; i < G_N_ELEMENTS (optimizers); i++)
    if (optimizers[i] == cfg->opt_g.kind)
      gtk_drop_down_set_selected (self->optimizer_dropdown, i);
  gtk_spin_button_set_value (self->lr_spin, cfg->opt_g.lr);
  beta = cfg->opt_g.kind == NN_OPT_ADAM ? cfg->opt_g.beta1
         : cfg->opt_g.kind == NN_OPT_SGD ? cfg->opt_g.momentum : cfg->opt_g.rms_momentum;
  gtk_spin_button_set_value (self->beta1_spin, beta);
  for (guint i = 0; i < G_N_ELEMENTS (schedules); i++)
    if (schedules[i] == cfg->sched.kind)
      gtk_drop_down_set_selected (self->sched_dropdown, i);
  gtk_spin_button_set_value (self->every_spin, MAX (1, cfg->sched.every));
  gtk_spin_button_set_value (self->gamma_spin, cfg->sched.gamma > 0 ? cfg->sched.gamma : 0.5);
  gtk_spin_button_set_value (self->warmup_spin, cfg->sched.warmup_steps);
  gtk_spin_button_set_value (self->min_lr_spin, cfg->sched.kind == NN_SCHED_COSINE ? cfg->sched.min_lr
                                                                                    : cfg->sched.floor_lr);
  gtk_spin_button_set_value (self->steps_spin, cfg->max_steps);
  gtk_spin_button_set_value (self->minutes_spin, cfg->max_minutes);
  gtk_spin_button_set_value (self->ckpt_spin, MAX (1, cfg->checkpoint_every));
  gtk_spin_button_set_value (self->val_every_spin, MAX (1, cfg->val_every));
  gtk_spin_button_set_value (self->val_fraction_spin, cfg->val_fraction);
  gtk_spin_button_set_value (self->seed_spin, cfg->seed);
  self->updating_form = FALSE;
  gtk_widget_queue_draw (GTK_WIDGET (self->lr_plot));
}

gboolean
zi_training_panel_apply_preset (ZiTrainingPanel *self, const char *preset, GError **error)
{
  ZiTrainerConfig cfg = { 0 };
  gboolean ok;

  g_return_val_if_fail (ZI_IS_TRAINING_PANEL (self), FALSE);
  g_return_val_if_fail (preset != NULL, FALSE);

  zi_training_panel_get_config (self, &cfg);
  ok = zi_trainer_config_apply_preset (&cfg, preset, error);
  if (ok)
    zi_training_panel_set_config (self, &cfg);
  zi_trainer_config_clear (&cfg);
  for (guint i = 0; ok && i < G_N_ELEMENTS (presets); i++)
    if (g_str_equal (presets[i], preset) && gtk_drop_down_get_selected (self->preset_dropdown) != i)
      {
        self->updating_form = TRUE;
        gtk_drop_down_set_selected (self->preset_dropdown, i);
        self->updating_form = FALSE;
      }
  return ok;
}

static void
preset_changed_cb (ZiTrainingPanel *self, GParamSpec *pspec, GtkDropDown *dropdown)
{
  guint i = gtk_drop_down_get_selected (dropdown);
  g_autoptr(GError) error = NULL;

  if (self->updating_form || i >= G_N_ELEMENTS (presets))
    return;
  if (!zi_training_panel_apply_preset (self, presets[i], &error))
    g_signal_emit (self, signals[FAILED], 0, error->message);
}

static void
form_changed_cb (ZiTrainingPanel *self)
{
  if (!self->updating_form)
    gtk_widget_queue_draw (GTK_WIDGET (self->lr_plot));
}

/* The schedule over the planned steps, from the same pure function the trainer uses. */
static void
draw_lr_plot_cb (GtkDrawingArea *area, cairo_t *cr, int width, int height, gpointer user_data)
{
  ZiTrainingPanel *self = user_data;
  ZiTrainerConfig cfg = { 0 };
  NnPlateauState plateau;
  guint64 total;
  double max_lr = 0;
  GdkRGBA fg;
  PangoLayout *layout;
  g_autofree char *text = NULL;
  const int samples = MAX (2, width / 2);

  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  gtk_style_context_get_color (gtk_widget_get_style_context (GTK_WIDGET (area)), &fg);
  G_GNUC_END_IGNORE_DEPRECATIONS

  zi_training_panel_get_config (self, &cfg);
  total = cfg.max_steps > 0 ? cfg.max_steps : 10000;
  cfg.sched.total_steps = total;
  nn_plateau_init (&plateau);
  for (int i = 0; i < samples; i++)
    max_lr = MAX (max_lr, nn_sched_lr (&cfg.sched, &plateau, (uint64_t) ((double) i / (samples - 1) * total)));
  if (max_lr <= 0)
    max_lr = 1;

  cairo_set_source_rgba (cr, fg.red, fg.green, fg.blue, 0.05);
  cairo_rectangle (cr, 0, 0, width, height);
  cairo_fill (cr);

  cairo_set_source_rgba (cr, 0.11, 0.44, 0.85, 1);
  cairo_set_line_width (cr, 1.5);
  for (int i = 0; i < samples; i++)
    {
      double lr = nn_sched_lr (&cfg.sched, &plateau, (uint64_t) ((double) i / (samples - 1) * total));
      double x = (double) i / (samples - 1) * width;
      /* From 8 px (highest rate) down to the bottom, leaving the caption's corner readable. */
      double y = height - 4 - lr / max_lr * (height - 12);
      if (i == 0)
        cairo_move_to (cr, x, y);
      else
        cairo_line_to (cr, x, y);
    }
  cairo_stroke (cr);

  layout = gtk_widget_create_pango_layout (GTK_WIDGET (area), NULL);
  text = g_strdup_printf (_("lr ≤ %.2g over %'" G_GUINT64_FORMAT " steps"), max_lr, total);
  pango_layout_set_text (layout, text, -1);
  {
    int tw, th;
    /* The caption sits in the bottom-right corner, under the curve's usual path. */
    pango_layout_get_pixel_size (layout, &tw, &th);
    cairo_set_source_rgba (cr, fg.red, fg.green, fg.blue, 0.6);
    cairo_move_to (cr, width - tw - 6, height - th - 4);
    pango_cairo_show_layout (cr, layout);
  }
  g_object_unref (layout);
  zi_trainer_config_clear (&cfg);
}

/* ---- Status ----------------------------------------------------------------------------------- */

static GtkLabel *
add_stat (ZiTrainingPanel *self, const char *caption)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *value = gtk_label_new ("—");
  GtkWidget *label = gtk_label_new (caption);

  gtk_label_set_xalign (GTK_LABEL (value), 0);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_widget_add_css_class (value, "numeric");
  gtk_widget_add_css_class (value, "stat-value");
  gtk_widget_add_css_class (label, "dim-label");
  gtk_widget_add_css_class (label, "caption");
  gtk_box_append (GTK_BOX (box), value);
  gtk_box_append (GTK_BOX (box), label);
  gtk_box_append (self->status_box, box);
  return GTK_LABEL (value);
}

static char *
format_duration (double seconds)
{
  int s = (int) MAX (0, round (seconds));

  if (s >= 3600)
    return g_strdup_printf ("%d:%02d:%02d", s / 3600, (s / 60) % 60, s % 60);
  return g_strdup_printf ("%d:%02d", s / 60, s % 60);
}

static const char *
state_text (ZiTrainerState state)
{
  switch (state)
    {
    case ZI_TRAINER_STATE_IDLE:     return _("Ready");
    case ZI_TRAINER_STATE_LOADING:  return _("Preparing…");
    case ZI_TRAINER_STATE_RUNNING:  return _("Training");
    case ZI_TRAINER_STATE_PAUSED:   return _("Paused");
    case ZI_TRAINER_STATE_STOPPING: return _("Stopping…");
    case ZI_TRAINER_STATE_FINISHED: return _("Finished");
    case ZI_TRAINER_STATE_FAILED:   return _("Failed");
    default:                        return "";
    }
}

static void
show_stats (ZiTrainingPanel *self, const ZiTrainerStepStats *s)
{
  g_autofree char *step = g_strdup_printf ("%'" G_GUINT64_FORMAT, s->step);
  g_autofree char *epoch = self->n_train > 0 ? g_strdup_printf ("%.2f", (double) s->images / self->n_train)
                                             : g_strdup ("—");
  g_autofree char *speed = g_strdup_printf ("%.1f", s->images_per_second);
  g_autofree char *elapsed = format_duration (s->seconds);
  g_autofree char *eta = s->eta_seconds >= 0 ? format_duration (s->eta_seconds) : g_strdup ("—");

  gtk_label_set_label (self->step_value, step);
  gtk_label_set_label (self->epoch_value, epoch);
  gtk_label_set_label (self->speed_value, speed);
  gtk_label_set_label (self->elapsed_value, elapsed);
  gtk_label_set_label (self->eta_value, eta);
  if (s->total_steps > 0)
    gtk_progress_bar_set_fraction (self->progress_bar, MIN (1.0, (double) s->step / s->total_steps));
  else
    gtk_progress_bar_pulse (self->progress_bar);
}

static void
show_warning (ZiTrainingPanel *self, const char *message)
{
  gtk_label_set_label (self->warning_label, message);
  gtk_revealer_set_reveal_child (self->warning_revealer, TRUE);
}

static void
dismiss_warning_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  gtk_revealer_set_reveal_child (ZI_TRAINING_PANEL (widget)->warning_revealer, FALSE);
}

/* ---- Frame timing ----------------------------------------------------------------------------- */

/* While training runs, every frame's distance from the previous one is recorded: a frame that had
 * to wait for training work would show as a long interval. */
static gboolean
frame_tick_cb (GtkWidget *widget, GdkFrameClock *clock, gpointer user_data)
{
  ZiTrainingPanel *self = ZI_TRAINING_PANEL (widget);
  gint64 now = gdk_frame_clock_get_frame_time (clock);

  if (self->last_frame_us != 0)
    {
      self->worst_frame_us = MAX (self->worst_frame_us, now - self->last_frame_us);
      self->n_frames++;
    }
  self->last_frame_us = now;
  return G_SOURCE_CONTINUE;
}

static void
set_frame_watch (ZiTrainingPanel *self, gboolean on)
{
  if (on && self->tick_id == 0)
    {
      self->last_frame_us = 0;
      self->tick_id = gtk_widget_add_tick_callback (GTK_WIDGET (self), frame_tick_cb, NULL, NULL);
    }
  else if (!on && self->tick_id != 0)
    {
      gtk_widget_remove_tick_callback (GTK_WIDGET (self), self->tick_id);
      self->tick_id = 0;
    }
}

gint64
zi_training_panel_get_worst_event_time (ZiTrainingPanel *self, gint64 *cpu_us)
{
  g_return_val_if_fail (ZI_IS_TRAINING_PANEL (self), 0);
  if (cpu_us != NULL)
    *cpu_us = self->worst_event_cpu_us;
  return self->worst_event_us;
}

gint64
zi_training_panel_get_worst_frame (ZiTrainingPanel *self, guint *n_frames)
{
  g_return_val_if_fail (ZI_IS_TRAINING_PANEL (self), 0);
  if (n_frames != NULL)
    *n_frames = self->n_frames;
  return self->worst_frame_us;
}

/* ---- Checkpoints ------------------------------------------------------------------------------ */

static void
rebuild_paths (ZiTrainingPanel *self)
{
  g_strfreev (self->checkpoint_paths);
  self->checkpoint_paths = g_new0 (char *, self->checkpoints->len + 1);
  for (guint i = 0; i < self->checkpoints->len; i++)
    self->checkpoint_paths[i] = g_strdup (((Checkpoint *) g_ptr_array_index (self->checkpoints, i))->path);
}

static guint
count_selected (ZiTrainingPanel *self)
{
  guint n = 0;
  for (guint i = 0; i < self->checkpoints->len; i++)
    n += ((Checkpoint *) g_ptr_array_index (self->checkpoints, i))->selected;
  return n;
}

static void
checkpoint_toggled_cb (GtkCheckButton *check, ZiTrainingPanel *self)
{
  Checkpoint *cp = g_object_get_data (G_OBJECT (check), "checkpoint");
  gboolean active = gtk_check_button_get_active (check);

  /* Up to three side by side: more columns would not fit a cell. */
  if (active && !cp->selected && count_selected (self) >= 3)
    {
      gtk_check_button_set_active (check, FALSE);
      return;
    }
  cp->selected = active;
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "panel.compare", count_selected (self) >= 1);
}

static void
rebuild_checkpoint_list (ZiTrainingPanel *self)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->checkpoint_list))) != NULL)
    gtk_list_box_remove (self->checkpoint_list, child);

  /* Newest first: that is the one people look for. */
  for (guint k = self->checkpoints->len; k > 0; k--)
    {
      Checkpoint *cp = g_ptr_array_index (self->checkpoints, k - 1);
      GtkWidget *row = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
      GtkWidget *check = gtk_check_button_new ();
      g_autofree char *step = g_strdup_printf (_("Step %'" G_GUINT64_FORMAT), cp->step);
      g_autofree char *time = NULL;
      g_autofree char *scores = cp->has_val ? g_strdup_printf (_("SSIM %.3f · L1 %.3f"), cp->val_ssim, cp->val_l1)
                                            : g_strdup (_("not validated"));
      GtkWidget *label;

      if (cp->mtime > 0)
        {
          g_autoptr(GDateTime) dt = g_date_time_new_from_unix_local (cp->mtime);
          time = g_date_time_format (dt, "%H:%M");
        }
      gtk_widget_set_margin_start (row, 6);
      gtk_widget_set_margin_end (row, 12);
      gtk_widget_set_margin_top (row, 2);
      gtk_widget_set_margin_bottom (row, 2);
      gtk_check_button_set_active (GTK_CHECK_BUTTON (check), cp->selected);
      g_object_set_data (G_OBJECT (check), "checkpoint", cp);
      g_signal_connect (check, "toggled", G_CALLBACK (checkpoint_toggled_cb), self);
      gtk_box_append (GTK_BOX (row), check);

      label = gtk_label_new (step);
      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_label_set_width_chars (GTK_LABEL (label), 12);
      gtk_widget_add_css_class (label, "numeric");
      gtk_box_append (GTK_BOX (row), label);

      label = gtk_label_new (time != NULL ? time : "");
      gtk_widget_add_css_class (label, "dim-label");
      gtk_widget_add_css_class (label, "numeric");
      gtk_box_append (GTK_BOX (row), label);

      label = gtk_label_new (scores);
      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_widget_set_hexpand (label, TRUE);
      gtk_widget_add_css_class (label, "numeric");
      gtk_box_append (GTK_BOX (row), label);

      if (cp->best)
        {
          GtkWidget *star = gtk_image_new_from_icon_name ("starred-symbolic");
          gtk_widget_set_tooltip_text (star, _("Best validation SSIM of the run"));
          gtk_widget_add_css_class (star, "best-mark");
          gtk_box_append (GTK_BOX (row), star);
        }
      gtk_widget_set_tooltip_text (row, cp->path);
      gtk_list_box_append (self->checkpoint_list, row);
    }
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "panel.compare", count_selected (self) >= 1);
}

static void
add_checkpoint (ZiTrainingPanel *self, const char *path, guint64 step, gboolean has_val, double l1,
                double ssim, gboolean best)
{
  Checkpoint *cp = g_new0 (Checkpoint, 1);
  GStatBuf st;

  cp->path = g_strdup (path);
  cp->step = step;
  cp->has_val = has_val;
  cp->val_l1 = l1;
  cp->val_ssim = ssim;
  cp->best = best;
  if (g_stat (path, &st) == 0)
    cp->mtime = st.st_mtime;
  if (best)
    for (guint i = 0; i < self->checkpoints->len; i++)
      ((Checkpoint *) g_ptr_array_index (self->checkpoints, i))->best = FALSE;
  /* The trainer prunes old checkpoints: forget the files that are gone. */
  for (guint i = self->checkpoints->len; i > 0; i--)
    {
      Checkpoint *old = g_ptr_array_index (self->checkpoints, i - 1);
      if (g_str_equal (old->path, path) || !g_file_test (old->path, G_FILE_TEST_EXISTS))
        g_ptr_array_remove_index (self->checkpoints, i - 1);
    }
  g_ptr_array_add (self->checkpoints, cp);
  rebuild_paths (self);
  rebuild_checkpoint_list (self);
  g_signal_emit (self, signals[CHECKPOINTS_CHANGED], 0);
}

const char * const *
zi_training_panel_get_checkpoints (ZiTrainingPanel *self)
{
  g_return_val_if_fail (ZI_IS_TRAINING_PANEL (self), NULL);
  return (const char * const *) self->checkpoint_paths;
}

const char *
zi_training_panel_get_default_checkpoint (ZiTrainingPanel *self)
{
  g_return_val_if_fail (ZI_IS_TRAINING_PANEL (self), NULL);

  if (self->checkpoints->len == 0)
    return NULL;
  /* While training, the newest shows progress; afterwards the best is what one keeps. */
  if (self->trainer == NULL)
    for (guint i = 0; i < self->checkpoints->len; i++)
      {
        Checkpoint *cp = g_ptr_array_index (self->checkpoints, i);
        if (cp->best)
          return cp->path;
      }
  return ((Checkpoint *) g_ptr_array_index (self->checkpoints, self->checkpoints->len - 1))->path;
}

void
zi_training_panel_select_checkpoints (ZiTrainingPanel *self, const guint *indices, guint n)
{
  g_return_if_fail (ZI_IS_TRAINING_PANEL (self));

  for (guint i = 0; i < self->checkpoints->len; i++)
    ((Checkpoint *) g_ptr_array_index (self->checkpoints, i))->selected = FALSE;
  for (guint k = 0; k < MIN (n, 3); k++)
    if (indices[k] < self->checkpoints->len)
      ((Checkpoint *) g_ptr_array_index (self->checkpoints, indices[k]))->selected = TRUE;
  rebuild_checkpoint_list (self);
}

char **
zi_training_panel_get_selected_checkpoints (ZiTrainingPanel *self)
{
  GPtrArray *out = g_ptr_array_new ();

  g_return_val_if_fail (ZI_IS_TRAINING_PANEL (self), NULL);
  for (guint i = 0; i < self->checkpoints->len; i++)
    {
      Checkpoint *cp = g_ptr_array_index (self->checkpoints, i);
      if (cp->selected)
        g_ptr_array_add (out, g_strdup (cp->path));
    }
  g_ptr_array_add (out, NULL);
  return (char **) g_ptr_array_free (out, FALSE);
}

static void
compare_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  g_signal_emit (widget, signals[COMPARE_REQUESTED], 0);
}

/* ---- Preview strip ---------------------------------------------------------------------------- */

static void
paint_bitmap (cairo_t *cr, const guint8 *cov, guint size, double x, double y, double d, const GdkRGBA *ink)
{
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_A8, size, size);
  int stride = cairo_image_surface_get_stride (surface);
  guint8 *data = cairo_image_surface_get_data (surface);
  cairo_pattern_t *mask;

  cairo_surface_flush (surface);
  for (guint r = 0; r < size; r++)
    memcpy (data + r * stride, cov + r * size, size);
  cairo_surface_mark_dirty (surface);

  cairo_save (cr);
  cairo_translate (cr, x, y);
  cairo_scale (cr, d / size, d / size);
  gdk_cairo_set_source_rgba (cr, ink);
  mask = cairo_pattern_create_for_surface (surface);
  cairo_pattern_set_filter (mask, CAIRO_FILTER_GOOD);
  cairo_mask (cr, mask);
  cairo_pattern_destroy (mask);
  cairo_restore (cr);
  cairo_surface_destroy (surface);
}

static void
draw_preview_cb (GtkDrawingArea *area, cairo_t *cr, int width, int height, gpointer user_data)
{
  ZiTrainingPanel *self = user_data;
  const ZiTrainerPreview *p;
  GdkRGBA fg, accent = { 0.11, 0.44, 0.85, 1 }, dim;
  double d, x0;
  PangoLayout *layout;
  static const char *rows[] = { N_("Source"), N_("Generated"), N_("Target") };
  int label_w = 0;

  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  gtk_style_context_get_color (gtk_widget_get_style_context (GTK_WIDGET (area)), &fg);
  G_GNUC_END_IGNORE_DEPRECATIONS
  dim = fg;
  dim.alpha *= 0.6;

  layout = gtk_widget_create_pango_layout (GTK_WIDGET (area), NULL);
  for (guint r = 0; r < 3; r++)
    {
      int w;
      pango_layout_set_text (layout, _(rows[r]), -1);
      pango_layout_get_pixel_size (layout, &w, NULL);
      label_w = MAX (label_w, w);
    }
  label_w += 12;

  if (self->preview_event == NULL || self->preview_event->preview.n == 0)
    {
      pango_layout_set_text (layout, _("Generated glyphs appear here after the first validation."), -1);
      cairo_set_source_rgba (cr, fg.red, fg.green, fg.blue, 0.5);
      cairo_move_to (cr, 0, height / 2.0 - 8);
      pango_cairo_show_layout (cr, layout);
      g_object_unref (layout);
      return;
    }

  p = &self->preview_event->preview;
  d = MIN (height / 3.0, (width - label_w) / (double) p->n);
  x0 = label_w;
  for (guint r = 0; r < 3; r++)
    {
      const guint8 *images = r == 0 ? p->source : r == 1 ? p->generated : p->target;
      int h;

      pango_layout_set_text (layout, _(rows[r]), -1);
      pango_layout_get_pixel_size (layout, NULL, &h);
      cairo_set_source_rgba (cr, fg.red, fg.green, fg.blue, 0.55);
      cairo_move_to (cr, 0, r * d + (d - h) / 2);
      pango_cairo_show_layout (cr, layout);

      for (guint i = 0; i < p->n; i++)
        {
          cairo_set_source_rgba (cr, fg.red, fg.green, fg.blue, 0.04);
          cairo_rectangle (cr, x0 + i * d + 1, r * d + 1, d - 2, d - 2);
          cairo_fill (cr);
          if (images != NULL)
            paint_bitmap (cr, images + (gsize) i * p->size * p->size, p->size, x0 + i * d, r * d, d,
                          r == 1 ? &accent : r == 0 ? &dim : &fg);
        }
    }
  g_object_unref (layout);
}

/* ---- Trainer events --------------------------------------------------------------------------- */

static void
append_step (ZiTrainingPanel *self, const ZiTrainerStepStats *s)
{
  double x = s->step, im = s->images, t = s->seconds;

  zi_chart_append (self->chart, "d_loss", x, im, t, s->d_loss);
  zi_chart_append (self->chart, "g_loss", x, im, t, s->g_loss);
  zi_chart_append (self->chart, "g_adv", x, im, t, s->g_adv);
  zi_chart_append (self->chart, "l1", x, im, t, s->l1);
  zi_chart_append (self->chart, "lr", x, im, t, s->lr_g);
}

static gboolean
release_trainer_cb (gpointer user_data)
{
  ZiTrainingPanel *self = user_data;

  /* Dropped from an idle, not from inside the trainer's own event callback. */
  g_clear_object (&self->trainer);
  self->state = ZI_TRAINER_STATE_IDLE;
  set_frame_watch (self, FALSE);
  g_signal_emit (self, signals[STATE_CHANGED], 0);
  return G_SOURCE_REMOVE;
}

/* CPU time of the calling thread: on a loaded machine wall time also counts the other processes. */
static gint64
thread_cpu_us (void)
{
  struct timespec ts;

  if (clock_gettime (CLOCK_THREAD_CPUTIME_ID, &ts) != 0)
    return 0;
  return (gint64) ts.tv_sec * G_USEC_PER_SEC + ts.tv_nsec / 1000;
}

static void
trainer_event_cb (ZiTrainer *trainer, const ZiTrainerEvent *event, gpointer user_data)
{
  ZiTrainingPanel *self = user_data;

  gint64 t0 = g_get_monotonic_time (), c0 = thread_cpu_us ();

  if (trainer != self->trainer)
    return;

  switch (event->kind)
    {
    case ZI_TRAINER_EVENT_STATE:
      self->state = event->state;
      gtk_label_set_label (self->state_label, state_text (event->state));
      set_frame_watch (self, event->state == ZI_TRAINER_STATE_RUNNING);
      g_signal_emit (self, signals[STATE_CHANGED], 0);
      break;

    case ZI_TRAINER_EVENT_LOADING:
      if (event->progress.total > 0)
        gtk_progress_bar_set_fraction (self->progress_bar, (double) event->progress.done / event->progress.total);
      break;

    case ZI_TRAINER_EVENT_STEP:
      self->last_stats = event->stats;
      append_step (self, &event->stats);
      show_stats (self, &event->stats);
      break;

    case ZI_TRAINER_EVENT_VALIDATION:
      zi_chart_append (self->chart, "val_ssim", event->step, self->last_stats.images, self->last_stats.seconds,
                       event->validation.ssim);
      zi_chart_append (self->chart, "val_l1", event->step, self->last_stats.images, self->last_stats.seconds,
                       event->validation.l1);
      break;

    case ZI_TRAINER_EVENT_PREVIEW:
      g_clear_pointer (&self->preview_event, zi_trainer_event_free);
      self->preview_event = zi_trainer_event_copy (event);
      gtk_widget_queue_draw (GTK_WIDGET (self->preview));
      break;

    case ZI_TRAINER_EVENT_CHECKPOINT:
      add_checkpoint (self, event->checkpoint.path, event->step, event->checkpoint.has_validation,
                      event->checkpoint.val_l1, event->checkpoint.val_ssim, event->checkpoint.is_best);
      break;

    case ZI_TRAINER_EVENT_WARNING:
      show_warning (self, event->warning.message);
      break;

    case ZI_TRAINER_EVENT_FINISHED:
      gtk_label_set_label (self->state_label, state_text (ZI_TRAINER_STATE_FINISHED));
      g_idle_add_full (G_PRIORITY_DEFAULT, release_trainer_cb, g_object_ref (self), g_object_unref);
      break;

    case ZI_TRAINER_EVENT_FAILED:
      gtk_label_set_label (self->state_label, state_text (ZI_TRAINER_STATE_FAILED));
      g_signal_emit (self, signals[FAILED], 0, event->error != NULL ? event->error->message : _("Training failed."));
      g_idle_add_full (G_PRIORITY_DEFAULT, release_trainer_cb, g_object_ref (self), g_object_unref);
      break;

    default:
      break;
    }
  self->worst_event_us = MAX (self->worst_event_us, g_get_monotonic_time () - t0);
  self->worst_event_cpu_us = MAX (self->worst_event_cpu_us, thread_cpu_us () - c0);
}

/* ---- Starting and controlling ----------------------------------------------------------------- */

static guint
settings_threads (ZiTrainingPanel *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkApplication *app = GTK_IS_WINDOW (root) ? gtk_window_get_application (GTK_WINDOW (root)) : NULL;
  GSettings *settings = ZI_IS_APPLICATION (app) ? zi_application_get_settings (ZI_APPLICATION (app)) : NULL;

  return settings != NULL ? (guint) g_settings_get_int (settings, "threads") : 0;
}

static void
reset_view (ZiTrainingPanel *self)
{
  zi_chart_clear (self->chart);
  g_ptr_array_set_size (self->checkpoints, 0);
  rebuild_paths (self);
  rebuild_checkpoint_list (self);
  g_clear_pointer (&self->preview_event, zi_trainer_event_free);
  gtk_widget_queue_draw (GTK_WIDGET (self->preview));
  gtk_revealer_set_reveal_child (self->warning_revealer, FALSE);
  gtk_progress_bar_set_fraction (self->progress_bar, 0);
  self->worst_frame_us = 0;
  self->worst_event_us = 0;
  self->worst_event_cpu_us = 0;
  self->n_frames = 0;
  memset (&self->last_stats, 0, sizeof self->last_stats);
}

gboolean
zi_training_panel_start (ZiTrainingPanel *self, const char *source_font, const char *target_font,
                         const gunichar *chars, guint n_chars, const char *run_dir, GError **error)
{
  g_autoptr(ZiTrainer) trainer = NULL;

  g_return_val_if_fail (ZI_IS_TRAINING_PANEL (self), FALSE);

  if (self->trainer != NULL)
    {
      g_set_error (error, ZI_ERROR, ZI_ERROR_INVALID, _("Training is already running: stop it first."));
      return FALSE;
    }

  if (run_dir == NULL && self->run_dir != NULL)
    {
      ZiTrainerConfig *cfg;
      guint64 steps = (guint64) gtk_spin_button_get_value (self->steps_spin);

      trainer = zi_trainer_new_resume (self->run_dir, NULL, error);
      if (trainer == NULL)
        return FALSE;
      cfg = zi_trainer_get_config_mutable (trainer);
      /* Continue for the steps in the form, counted from where the run stands. */
      cfg->max_steps = steps > 0 ? zi_trainer_get_step (trainer) + steps : 0;
      cfg->max_minutes = gtk_spin_button_get_value (self->minutes_spin);
      cfg->checkpoint_every = gtk_spin_button_get_value_as_int (self->ckpt_spin);
      cfg->val_every = gtk_spin_button_get_value_as_int (self->val_every_spin);
      cfg->threads = settings_threads (self);
    }
  else
    {
      ZiTrainerConfig cfg = { 0 };

      g_return_val_if_fail (run_dir != NULL, FALSE);
      zi_training_panel_get_config (self, &cfg);
      g_free (cfg.source_font);
      g_free (cfg.target_font);
      cfg.source_font = g_strdup (source_font);
      cfg.target_font = g_strdup (target_font);
      g_free (cfg.chars);
      cfg.chars = chars != NULL && n_chars > 0 ? g_memdup2 (chars, n_chars * sizeof (gunichar)) : NULL;
      cfg.n_chars = cfg.chars != NULL ? n_chars : 0;
      /* Short runs log more often, so their chart is not three points. */
      cfg.log_every = cfg.max_steps > 0 && cfg.max_steps < 500 ? MAX (1, cfg.max_steps / 50) : 10;
      cfg.threads = settings_threads (self);
      self->n_train = cfg.n_chars > 0 ? (guint) (cfg.n_chars * (1 - cfg.val_fraction)) : 0;

      trainer = zi_trainer_new (&cfg, run_dir, error);
      zi_trainer_config_clear (&cfg);
      if (trainer == NULL)
        return FALSE;
      reset_view (self);
      g_free (self->run_dir);
      self->run_dir = g_strdup (run_dir);
    }

  zi_trainer_set_event_func (trainer, g_main_context_default (), trainer_event_cb, self, NULL);
  self->trainer = g_object_ref (trainer);
  if (!zi_trainer_start (trainer, error))
    {
      g_clear_object (&self->trainer);
      return FALSE;
    }
  self->state = ZI_TRAINER_STATE_LOADING;
  gtk_label_set_label (self->state_label, state_text (self->state));
  gtk_widget_set_sensitive (GTK_WIDGET (self->preset_dropdown), FALSE);
  g_signal_emit (self, signals[STATE_CHANGED], 0);
  return TRUE;
}

void
zi_training_panel_pause (ZiTrainingPanel *self)
{
  g_return_if_fail (ZI_IS_TRAINING_PANEL (self));
  if (self->trainer != NULL)
    zi_trainer_pause (self->trainer);
}

void
zi_training_panel_resume (ZiTrainingPanel *self)
{
  g_return_if_fail (ZI_IS_TRAINING_PANEL (self));
  if (self->trainer != NULL)
    zi_trainer_resume (self->trainer);
}

void
zi_training_panel_stop (ZiTrainingPanel *self)
{
  g_return_if_fail (ZI_IS_TRAINING_PANEL (self));
  if (self->trainer != NULL)
    zi_trainer_stop (self->trainer);
}

ZiTrainerState
zi_training_panel_get_state (ZiTrainingPanel *self)
{
  g_return_val_if_fail (ZI_IS_TRAINING_PANEL (self), ZI_TRAINER_STATE_IDLE);
  return self->trainer != NULL ? self->state : ZI_TRAINER_STATE_IDLE;
}

/* ---- Runs ------------------------------------------------------------------------------------- */

gboolean
zi_training_panel_open_run (ZiTrainingPanel *self, const char *run_dir, GError **error)
{
  ZiRunInfo info = { 0 };
  ZiTrainerConfig cfg = { 0 };
  g_autoptr(GArray) metrics = NULL;
  g_autoptr(GArray) steps = NULL;
  guint64 best_step = G_MAXUINT64;
  double best_ssim;

  g_return_val_if_fail (ZI_IS_TRAINING_PANEL (self), FALSE);
  g_return_val_if_fail (run_dir != NULL, FALSE);

  if (self->trainer != NULL)
    {
      g_set_error (error, ZI_ERROR, ZI_ERROR_RUN, _("Cannot open the run “%s” while training: stop the training first."),
                   run_dir);
      return FALSE;
    }
  if (!zi_run_info_load (run_dir, &info, error))
    return FALSE;
  metrics = zi_run_metrics_load (run_dir, error);
  if (metrics == NULL)
    {
      zi_run_info_clear (&info);
      return FALSE;
    }
  zi_trainer_config_init (&cfg);
  if (info.config_json != NULL && !zi_trainer_config_from_json (&cfg, info.config_json, error))
    {
      zi_trainer_config_clear (&cfg);
      zi_run_info_clear (&info);
      return FALSE;
    }

  reset_view (self);
  g_free (self->run_dir);
  self->run_dir = g_strdup (run_dir);
  zi_training_panel_set_config (self, &cfg);
  self->n_train = info.n_chars > info.n_val_chars ? info.n_chars - info.n_val_chars : info.n_chars;

  for (guint i = 0; i < metrics->len; i++)
    {
      const ZiRunMetric *m = &g_array_index (metrics, ZiRunMetric, i);
      ZiTrainerStepStats s = { 0 };

      s.step = m->step;
      s.images = m->images;
      s.seconds = m->seconds;
      s.lr_g = m->lr;
      s.d_loss = m->d_loss;
      s.g_loss = m->g_loss;
      s.g_adv = m->g_adv;
      s.l1 = m->l1;
      s.eta_seconds = -1;
      s.images_per_second = m->seconds > 0 ? m->images / m->seconds : 0;
      s.total_steps = cfg.max_steps;
      append_step (self, &s);
      if (m->has_val)
        {
          zi_chart_append (self->chart, "val_ssim", m->step, m->images, m->seconds, m->val_ssim);
          zi_chart_append (self->chart, "val_l1", m->step, m->images, m->seconds, m->val_l1);
        }
      if (i + 1 == metrics->len)
        {
          self->last_stats = s;
          show_stats (self, &s);
        }
    }

  zi_run_best_load (run_dir, &best_step, &best_ssim);
  steps = zi_run_list_checkpoints (run_dir);
  for (guint i = 0; i < steps->len; i++)
    {
      guint64 step = g_array_index (steps, guint64, i);
      g_autofree char *path = zi_run_checkpoint_path (run_dir, step);
      gboolean has_val = FALSE;
      double l1 = 0, ssim = 0;

      /* The validation logged at (or last before) the checkpoint's step. */
      for (guint k = 0; k < metrics->len; k++)
        {
          const ZiRunMetric *m = &g_array_index (metrics, ZiRunMetric, k);
          if (m->step > step)
            break;
          if (m->has_val)
            has_val = TRUE, l1 = m->val_l1, ssim = m->val_ssim;
        }
      add_checkpoint (self, path, step, has_val, l1, ssim, step == best_step);
    }
  gtk_label_set_label (self->state_label, state_text (ZI_TRAINER_STATE_IDLE));

  zi_trainer_config_clear (&cfg);
  zi_run_info_clear (&info);
  g_signal_emit (self, signals[CHECKPOINTS_CHANGED], 0);
  return TRUE;
}

void
zi_training_panel_new_run (ZiTrainingPanel *self)
{
  g_return_if_fail (ZI_IS_TRAINING_PANEL (self));
  if (self->trainer != NULL)
    return;
  g_clear_pointer (&self->run_dir, g_free);
  reset_view (self);
  gtk_widget_set_sensitive (GTK_WIDGET (self->preset_dropdown), TRUE);
  gtk_label_set_label (self->state_label, state_text (ZI_TRAINER_STATE_IDLE));
  g_signal_emit (self, signals[CHECKPOINTS_CHANGED], 0);
}

const char *
zi_training_panel_get_run_dir (ZiTrainingPanel *self)
{
  g_return_val_if_fail (ZI_IS_TRAINING_PANEL (self), NULL);
  return self->run_dir;
}

ZiChart *
zi_training_panel_get_chart (ZiTrainingPanel *self)
{
  g_return_val_if_fail (ZI_IS_TRAINING_PANEL (self), NULL);
  return self->chart;
}

/* ---- Chart controls --------------------------------------------------------------------------- */

static void
series_toggled_cb (GtkToggleButton *button, ZiTrainingPanel *self)
{
  guint index = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (button), "series"));
  zi_chart_set_series_visible (self->chart, index, gtk_toggle_button_get_active (button));
}

static void
smoothing_changed_cb (ZiTrainingPanel *self, GtkAdjustment *adjustment)
{
  zi_chart_set_smoothing (self->chart, MIN (0.99, MAX (0, gtk_adjustment_get_value (adjustment))));
}

static void
log_toggled_cb (ZiTrainingPanel *self, GtkToggleButton *button)
{
  zi_chart_set_log_scale (self->chart, gtk_toggle_button_get_active (button));
}

static void
x_axis_changed_cb (ZiTrainingPanel *self, GParamSpec *pspec, GtkDropDown *dropdown)
{
  guint i = gtk_drop_down_get_selected (dropdown);
  if (i < ZI_CHART_N_AXES)
    zi_chart_set_x_axis (self->chart, i);
}

static void
export_chart_response_cb (ZiTrainingPanel *self, int response, GtkFileChooserNative *chooser)
{
  const char *format = g_object_get_data (G_OBJECT (chooser), "format");

  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
      g_autofree char *path = g_file_get_path (file);
      g_autoptr(GError) error = NULL;
      gboolean ok = FALSE;

      if (path == NULL)
        g_set_error (&error, ZI_ERROR, ZI_ERROR_IO, _("Charts can only be saved to local files."));
      else if (g_str_equal (format, "png"))
        ok = zi_chart_export_png (self->chart, path, 1600, 900, &error);
      else if (g_str_equal (format, "svg"))
        ok = zi_chart_export_svg (self->chart, path, 1600, 900, &error);
      else
        ok = zi_chart_export_csv (self->chart, path, &error);
      if (!ok)
        g_signal_emit (self, signals[FAILED], 0, error->message);
    }
  g_object_unref (chooser);
}

static void
export_chart_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  const char *format = g_variant_get_string (parameter, NULL);
  GtkRoot *root = gtk_widget_get_root (widget);
  g_autofree char *name = g_strdup_printf ("%s.%s", g_str_equal (format, "csv") ? "metrics" : "chart", format);
  GtkFileChooserNative *chooser =
    gtk_file_chooser_native_new (_("Export the Chart"), GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                 GTK_FILE_CHOOSER_ACTION_SAVE, _("_Save"), _("_Cancel"));

  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), name);
  g_object_set_data_full (G_OBJECT (chooser), "format", g_strdup (format), g_free);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  g_signal_connect_swapped (chooser, "response", G_CALLBACK (export_chart_response_cb), widget);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

/* ---- Life cycle ------------------------------------------------------------------------------- */

static void
zi_training_panel_dispose (GObject *object)
{
  ZiTrainingPanel *self = ZI_TRAINING_PANEL (object);

  set_frame_watch (self, FALSE);
  /* Dropping the trainer stops it with a final checkpoint and joins its thread; its queued events
   * are dropped by the trainer itself. */
  if (self->trainer != NULL)
    {
      zi_trainer_stop (self->trainer);
      g_clear_object (&self->trainer);
    }
  gtk_widget_dispose_template (GTK_WIDGET (self), ZI_TYPE_TRAINING_PANEL);
  G_OBJECT_CLASS (zi_training_panel_parent_class)->dispose (object);
}

static void
zi_training_panel_finalize (GObject *object)
{
  ZiTrainingPanel *self = ZI_TRAINING_PANEL (object);

  zi_trainer_config_clear (&self->base);
  g_free (self->run_dir);
  g_ptr_array_unref (self->checkpoints);
  g_strfreev (self->checkpoint_paths);
  g_clear_pointer (&self->preview_event, zi_trainer_event_free);
  G_OBJECT_CLASS (zi_training_panel_parent_class)->finalize (object);
}

static void
zi_training_panel_class_init (ZiTrainingPanelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = zi_training_panel_dispose;
  object_class->finalize = zi_training_panel_finalize;

  signals[STATE_CHANGED] = g_signal_new ("state-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                         0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  signals[CHECKPOINTS_CHANGED] = g_signal_new ("checkpoints-changed", G_TYPE_FROM_CLASS (klass),
                                               G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  signals[COMPARE_REQUESTED] = g_signal_new ("compare-requested", G_TYPE_FROM_CLASS (klass),
                                             G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  signals[FAILED] = g_signal_new ("failed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                                  NULL, G_TYPE_NONE, 1, G_TYPE_STRING);

  g_type_ensure (ZI_TYPE_CHART);
  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/zi-training-panel.ui");
#define BIND(name) gtk_widget_class_bind_template_child (widget_class, ZiTrainingPanel, name)
  BIND (paned);
  BIND (preset_dropdown);
  BIND (size_dropdown);
  BIND (ngf_spin);
  BIND (batch_spin);
  BIND (gan_dropdown);
  BIND (l1_spin);
  BIND (optimizer_dropdown);
  BIND (lr_spin);
  BIND (beta1_spin);
  BIND (sched_dropdown);
  BIND (every_spin);
  BIND (gamma_spin);
  BIND (warmup_spin);
  BIND (min_lr_spin);
  BIND (lr_plot);
  BIND (steps_spin);
  BIND (minutes_spin);
  BIND (ckpt_spin);
  BIND (val_every_spin);
  BIND (val_fraction_spin);
  BIND (seed_spin);
  BIND (warning_revealer);
  BIND (warning_label);
  BIND (status_box);
  BIND (state_label);
  BIND (progress_bar);
  BIND (toggles_box);
  BIND (smoothing_adjustment);
  BIND (log_toggle);
  BIND (x_dropdown);
  BIND (chart);
  BIND (preview);
  BIND (checkpoint_list);
#undef BIND

  gtk_widget_class_install_action (widget_class, "panel.dismiss-warning", NULL, dismiss_warning_action);
  gtk_widget_class_install_action (widget_class, "panel.compare", NULL, compare_action);
  gtk_widget_class_install_action (widget_class, "panel.export-chart", "s", export_chart_action);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
zi_training_panel_init (ZiTrainingPanel *self)
{
  ZiTrainerConfig cfg = { 0 };

  gtk_widget_init_template (GTK_WIDGET (self));
  {
    /* The form fields the lr plot depends on. */
    GtkSpinButton *spins[] = { self->lr_spin, self->every_spin, self->gamma_spin, self->warmup_spin,
                               self->min_lr_spin, self->steps_spin };
    GtkDropDown *drops[] = { self->optimizer_dropdown, self->sched_dropdown };

    for (guint i = 0; i < G_N_ELEMENTS (spins); i++)
      g_signal_connect_swapped (spins[i], "value-changed", G_CALLBACK (form_changed_cb), self);
    for (guint i = 0; i < G_N_ELEMENTS (drops); i++)
      g_signal_connect_swapped (drops[i], "notify::selected", G_CALLBACK (form_changed_cb), self);
  }
  self->checkpoints = g_ptr_array_new_with_free_func ((GDestroyNotify) checkpoint_free);
  rebuild_paths (self);

  self->step_value = add_stat (self, _("step"));
  self->epoch_value = add_stat (self, _("epoch"));
  self->speed_value = add_stat (self, _("images/s"));
  self->elapsed_value = add_stat (self, _("elapsed"));
  self->eta_value = add_stat (self, _("remaining"));

  for (guint i = 0; i < G_N_ELEMENTS (chart_lines); i++)
    {
      g_autofree char *markup = g_strdup_printf ("<span foreground=\"%s\">●</span> %s", chart_lines[i].color,
                                                 _(chart_lines[i].label));
      GtkWidget *button = gtk_toggle_button_new ();
      GtkWidget *label = gtk_label_new (NULL);
      guint index = zi_chart_add_series (self->chart, chart_lines[i].id, _(chart_lines[i].label),
                                         chart_lines[i].color, chart_lines[i].axis);

      gtk_label_set_markup (GTK_LABEL (label), markup);
      gtk_button_set_child (GTK_BUTTON (button), label);
      gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (button), chart_lines[i].visible);
      gtk_widget_add_css_class (button, "flat");
      gtk_widget_add_css_class (button, "series-toggle");
      g_object_set_data (G_OBJECT (button), "series", GUINT_TO_POINTER (index));
      g_signal_connect (button, "toggled", G_CALLBACK (series_toggled_cb), self);
      gtk_flow_box_append (self->toggles_box, button);
    }
  zi_chart_set_smoothing (self->chart, gtk_adjustment_get_value (self->smoothing_adjustment));
  /* G loss carries the ×100 L1 term: on a linear axis it flattens the other curves. */
  gtk_toggle_button_set_active (self->log_toggle, TRUE);
  zi_chart_set_log_scale (self->chart, TRUE);

  g_signal_connect_swapped (self->smoothing_adjustment, "value-changed", G_CALLBACK (smoothing_changed_cb), self);
  g_signal_connect_swapped (self->log_toggle, "toggled", G_CALLBACK (log_toggled_cb), self);
  g_signal_connect_swapped (self->x_dropdown, "notify::selected", G_CALLBACK (x_axis_changed_cb), self);
  g_signal_connect_swapped (self->preset_dropdown, "notify::selected", G_CALLBACK (preset_changed_cb), self);

  gtk_drawing_area_set_draw_func (self->lr_plot, draw_lr_plot_cb, self, NULL);
  gtk_drawing_area_set_draw_func (self->preview, draw_preview_cb, self, NULL);

  /* Start from the quick preset: something visible within minutes. */
  zi_trainer_config_init (&cfg);
  zi_trainer_config_apply_preset (&cfg, "quick", NULL);
  zi_training_panel_set_config (self, &cfg);
  zi_trainer_config_clear (&cfg);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "panel.compare", FALSE);
}

GtkWidget *
zi_training_panel_new (void)
{
  return g_object_new (ZI_TYPE_TRAINING_PANEL, NULL);
}
