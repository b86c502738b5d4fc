/* zi-training-panel-form.c — the hyperparameter form of the training panel: reading and filling it
 * from a ZiTrainerConfig, the presets, and the live plot of the learning-rate schedule (the same pure
 * function, nn_sched_lr, that the trainer uses). */
#include <inttypes.h>
#include "config.h"
#include "zi-training-panel-private.h"

#include "nn-sched.h"

#include "zi-dataset.h"
#include "zi-font.h"
#include "zi-model.h"
#include "zi-render.h"

#include <glib/gi18n.h>
#include <math.h>

static const guint sizes[] = { 64, 128, 256, 512 };
static const NnOptKind optimizers[] = { NN_OPT_ADAM, NN_OPT_RMSPROP, NN_OPT_SGD };
static const NnSchedKind schedules[] = { NN_SCHED_FIXED, NN_SCHED_STEP, NN_SCHED_EXP, NN_SCHED_COSINE,
                                         NN_SCHED_PLATEAU };
static const NnGanLoss gan_losses[] = { NN_GAN_BCE, NN_GAN_LSGAN, NN_GAN_HINGE };
static const NnNormKind norms[] = { NN_NORM_BATCH, NN_NORM_INSTANCE };
/* In the order of the "Draws" drop-down's items. */
static const ZiRepresentation representations[] = { ZI_REPRESENTATION_INK, ZI_REPRESENTATION_FIELD };
static const char *presets[] = { "recommended", "quick", "pix2pix", "zi2zi", "hq" };

static guint
index_of_uint (const guint *values, guint n, guint v)
{
  for (guint i = 0; i < n; i++)
    if (values[i] == v)
      return i;
  return 0;
}

/* ---- The form --------------------------------------------------------------------------------- */

static NnOptKind
selected_optimizer (ZiTrainingPanel *self)
{
  return optimizers[MIN (gtk_drop_down_get_selected (self->optimizer_dropdown), G_N_ELEMENTS (optimizers) - 1)];
}

static ZiRepresentation
selected_representation (ZiTrainingPanel *self)
{
  return representations[MIN (gtk_drop_down_get_selected (self->representation_dropdown),
                              G_N_ELEMENTS (representations) - 1)];
}

/* The β1 / momentum field means a different NnOptConfig field for each optimizer. */
static float *
momentum_field (NnOptConfig *opt, NnOptKind kind)
{
  return kind == NN_OPT_ADAM ? &opt->beta1 : kind == NN_OPT_SGD ? &opt->momentum : &opt->rms_momentum;
}

/* Machine settings rather than run settings: they come from the Preferences, not from the form. */
void
_zi_training_panel_apply_settings (ZiTrainingPanel *self, ZiTrainerConfig *cfg)
{
  g_autofree char *cache_dir = NULL;

  if (self->settings == NULL)
    return;
  cfg->threads = (guint) g_settings_get_int (self->settings, "threads");
  cache_dir = g_settings_get_string (self->settings, "cache-dir");
  g_free (cfg->cache_dir);
  cfg->cache_dir = cache_dir[0] != '\0' ? g_steal_pointer (&cache_dir) : NULL;
}

void
zi_training_panel_get_config (ZiTrainingPanel *self, ZiTrainerConfig *cfg)
{
  double d_ratio;

  g_return_if_fail (ZI_IS_TRAINING_PANEL (self));
  g_return_if_fail (cfg != NULL);

  zi_trainer_config_copy (cfg, &self->base);
  cfg->net.size = sizes[MIN (gtk_drop_down_get_selected (self->size_dropdown), G_N_ELEMENTS (sizes) - 1)];
  cfg->net.ngf = gtk_spin_button_get_value_as_int (self->ngf_spin);
  cfg->net.batch = gtk_spin_button_get_value_as_int (self->batch_spin);
  cfg->net.gan_loss = gan_losses[MIN (gtk_drop_down_get_selected (self->gan_dropdown), G_N_ELEMENTS (gan_losses) - 1)];
  cfg->net.l1_weight = gtk_spin_button_get_value (self->l1_spin);
  cfg->net.norm = norms[MIN (gtk_drop_down_get_selected (self->norm_dropdown), G_N_ELEMENTS (norms) - 1)];
  cfg->net.dropout = gtk_spin_button_get_value (self->dropout_spin);
  cfg->net.const_weight = gtk_spin_button_get_value (self->const_spin);
  cfg->net.tv_weight = gtk_spin_button_get_value (self->tv_spin);
  cfg->net.ssim_weight = gtk_spin_button_get_value (self->ssim_spin);
  cfg->ema_decay = gtk_spin_button_get_value (self->ema_spin);
  cfg->representation = selected_representation (self);
  /* An ink run keeps the spread it came with (unused), so that switching the drop-down back and forth
   * loses nothing; the spin shows the field's spread either way. */
  cfg->field_spread = (guint) gtk_spin_button_get_value_as_int (self->field_spread_spin);

  cfg->opt_g.kind = selected_optimizer (self);
  cfg->opt_g.lr = gtk_spin_button_get_value (self->lr_spin);
  *momentum_field (&cfg->opt_g, cfg->opt_g.kind) = gtk_spin_button_get_value (self->beta1_spin);
  cfg->opt_g.beta2 = gtk_spin_button_get_value (self->beta2_spin);
  cfg->opt_g.eps = gtk_spin_button_get_value (self->eps_spin);
  cfg->opt_g.alpha = gtk_spin_button_get_value (self->alpha_spin);
  cfg->opt_g.weight_decay = gtk_spin_button_get_value (self->weight_decay_spin);
  /* The discriminator shares the optimizer; only its rate differs, stored as 0 ("the same") at 1×. */
  d_ratio = gtk_spin_button_get_value (self->d_lr_spin);
  cfg->opt_d = cfg->opt_g;
  cfg->opt_d.lr = fabs (d_ratio - 1.0) < 1e-6 ? 0.0f : (float) (d_ratio * cfg->opt_g.lr);

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
  /* Only the start changes: how many first steps keep the encoder as trained is the trainer's
   * default. */
  g_free (cfg->init_from);
  cfg->init_from = gtk_check_button_get_active (self->init_check) ? g_strdup (ZI_MODEL_DEFAULT) : NULL;
  _zi_training_panel_apply_settings (self, cfg);
}

/* Dims the fields (and their labels) that the chosen optimizer does not use. */
static void
set_row_sensitive (GtkGrid *grid, GtkWidget *field, gboolean sensitive)
{
  int column, row;
  GtkWidget *label;

  gtk_grid_query_child (grid, field, &column, &row, NULL, NULL);
  label = gtk_grid_get_child_at (grid, 0, row);
  gtk_widget_set_sensitive (field, sensitive);
  if (label != NULL && label != field)
    gtk_widget_set_sensitive (label, sensitive);
}

static void
update_optimizer_fields (ZiTrainingPanel *self)
{
  NnOptKind kind = selected_optimizer (self);

  set_row_sensitive (self->advanced_grid, GTK_WIDGET (self->beta2_spin), kind == NN_OPT_ADAM);
  set_row_sensitive (self->advanced_grid, GTK_WIDGET (self->eps_spin), kind != NN_OPT_SGD);
  set_row_sensitive (self->advanced_grid, GTK_WIDGET (self->alpha_spin), kind == NN_OPT_RMSPROP);
}

/* The spread means something only for a distance field. */
static void
update_representation_fields (ZiTrainingPanel *self)
{
  set_row_sensitive (self->advanced_grid, GTK_WIDGET (self->field_spread_spin),
                     selected_representation (self) == ZI_REPRESENTATION_FIELD);
}

void
zi_training_panel_set_config (ZiTrainingPanel *self, const ZiTrainerConfig *cfg)
{
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
  for (guint i = 0; i < G_N_ELEMENTS (norms); i++)
    if (norms[i] == cfg->net.norm)
      gtk_drop_down_set_selected (self->norm_dropdown, i);
  gtk_spin_button_set_value (self->dropout_spin, cfg->net.dropout);
  gtk_spin_button_set_value (self->const_spin, cfg->net.const_weight);
  gtk_spin_button_set_value (self->tv_spin, cfg->net.tv_weight);
  gtk_spin_button_set_value (self->ssim_spin, cfg->net.ssim_weight);
  gtk_spin_button_set_value (self->ema_spin, cfg->ema_decay);
  for (guint i = 0; i < G_N_ELEMENTS (representations); i++)
    if (representations[i] == cfg->representation)
      gtk_drop_down_set_selected (self->representation_dropdown, i);
  gtk_spin_button_set_value (self->field_spread_spin,
                             CLAMP (cfg->field_spread, ZI_FIELD_SPREAD_MIN, ZI_FIELD_SPREAD_MAX));
  update_representation_fields (self);

  for (guint i = 0; i < G_N_ELEMENTS (optimizers); i++)
    if (optimizers[i] == cfg->opt_g.kind)
      gtk_drop_down_set_selected (self->optimizer_dropdown, i);
  self->shown_opt = cfg->opt_g.kind;
  gtk_spin_button_set_value (self->lr_spin, cfg->opt_g.lr);
  gtk_spin_button_set_value (self->beta1_spin, *momentum_field (&self->base.opt_g, cfg->opt_g.kind));
  gtk_spin_button_set_value (self->beta2_spin, cfg->opt_g.beta2);
  gtk_spin_button_set_value (self->eps_spin, cfg->opt_g.eps);
  gtk_spin_button_set_value (self->alpha_spin, cfg->opt_g.alpha);
  gtk_spin_button_set_value (self->weight_decay_spin, cfg->opt_g.weight_decay);
  gtk_spin_button_set_value (self->d_lr_spin, cfg->opt_d.lr > 0 && cfg->opt_g.lr > 0
                                              ? (double) cfg->opt_d.lr / cfg->opt_g.lr : 1.0);
  update_optimizer_fields (self);

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
  gtk_check_button_set_active (self->init_check, cfg->init_from != NULL);
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
    g_signal_emit_by_name (self, "failed", error->message);
}

static void
form_changed_cb (ZiTrainingPanel *self)
{
  if (self->updating_form)
    return;
  /* A range test answers for the settings it ran with: after a change the plot shows the schedule. */
  g_clear_pointer (&self->lrfind, zi_lrfind_result_free);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "panel.lr-use", FALSE);
  gtk_widget_queue_draw (GTK_WIDGET (self->lr_plot));
}

/* Switching the optimizer shows its own β1 / momentum: what the form showed is kept for the
 * optimizer it belonged to, so switching back restores it. */
static void
optimizer_changed_cb (ZiTrainingPanel *self)
{
  NnOptKind kind = selected_optimizer (self);

  update_optimizer_fields (self);
  if (self->updating_form || kind == self->shown_opt)
    return;
  *momentum_field (&self->base.opt_g, self->shown_opt) = gtk_spin_button_get_value (self->beta1_spin);
  self->shown_opt = kind;
  self->updating_form = TRUE;
  gtk_spin_button_set_value (self->beta1_spin, *momentum_field (&self->base.opt_g, kind));
  self->updating_form = FALSE;
}

/* ε and weight decay span orders of magnitude: shown as 1e-08 rather than a row of zeros. */
static gboolean
scientific_output_cb (GtkSpinButton *spin, gpointer user_data)
{
  double v = gtk_spin_button_get_value (spin);
  g_autofree char *text = v == 0 ? g_strdup ("0") : g_strdup_printf ("%.3g", v);

  if (g_strcmp0 (text, gtk_editable_get_text (GTK_EDITABLE (spin))) != 0)
    gtk_editable_set_text (GTK_EDITABLE (spin), text);
  return TRUE;
}

static int
scientific_input_cb (GtkSpinButton *spin, double *new_value, gpointer user_data)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (spin));
  char *end = NULL;
  double v = g_strtod (text, &end);

  if (end == text || *g_strchug (end) != '\0' || !isfinite (v))
    return GTK_INPUT_ERROR;
  *new_value = v;
  return TRUE;
}

/* The range test's curve: smoothed G loss against the rate on a log axis, the suggestion marked. */
static void
draw_lrfind (ZiTrainingPanel *self, GtkWidget *area, cairo_t *cr, int width, int height, const GdkRGBA *fg)
{
  const ZiLrFindResult *r = self->lrfind;
  double lo = INFINITY, hi = -INFINITY, l0, l1;
  g_autofree char *text = NULL;
  PangoLayout *layout;
  int tw, th;

  for (guint i = 0; i < r->n; i++)
    if (isfinite (r->smoothed[i]))
      lo = MIN (lo, r->smoothed[i]), hi = MAX (hi, r->smoothed[i]);
  if (r->n < 2 || !(hi > lo))
    return;
  l0 = log10 (r->lr[0]);
  l1 = log10 (r->lr[r->n - 1]);
  cairo_set_source_rgba (cr, 0.11, 0.44, 0.85, 1);
  cairo_set_line_width (cr, 1.5);
  for (guint i = 0; i < r->n; i++)
    {
      double x = (log10 (r->lr[i]) - l0) / (l1 - l0) * width;
      double y = height - 4 - (r->smoothed[i] - lo) / (hi - lo) * (height - 12);
      if (i == 0)
        cairo_move_to (cr, x, y);
      else
        cairo_line_to (cr, x, y);
    }
  cairo_stroke (cr);
  if (r->suggested > 0)
    {
      double x = (log10 (r->suggested) - l0) / (l1 - l0) * width;
      cairo_set_source_rgba (cr, 0.15, 0.64, 0.41, 1);
      cairo_move_to (cr, x, 0);
      cairo_line_to (cr, x, height);
      cairo_stroke (cr);
      text = g_strdup_printf (_("suggested lr %.2g"), r->suggested);
    }
  else
    text = g_strdup (_("no clear suggestion"));
  layout = gtk_widget_create_pango_layout (area, text);
  pango_layout_get_pixel_size (layout, &tw, &th);
  cairo_set_source_rgba (cr, fg->red, fg->green, fg->blue, 0.7);
  cairo_move_to (cr, width - tw - 6, 4);
  pango_cairo_show_layout (cr, layout);
  g_object_unref (layout);
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
  if (self->lrfind != NULL)
    {
      draw_lrfind (self, GTK_WIDGET (area), cr, width, height, &fg);
      zi_trainer_config_clear (&cfg);
      return;
    }

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
  text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "lr ≤ %.2g over %'" PRIu64 " step",
                                       "lr ≤ %.2g over %'" PRIu64 " steps", (gulong) total), max_lr, total);
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

/* Starting from the shipped model means something only for a new run: while training, or when Train
 * would continue a run that has checkpoints, the switch stays as it is, dimmed. */
static void
update_init_check_cb (ZiTrainingPanel *self)
{
  gtk_widget_set_sensitive (GTK_WIDGET (self->init_check),
                            self->trainer == NULL && self->checkpoints != NULL && self->checkpoints->len == 0);
}

void
_zi_training_panel_form_init (ZiTrainingPanel *self)
{
  /* The form fields the lr plot depends on. */
  GtkSpinButton *spins[] = { self->lr_spin, self->every_spin, self->gamma_spin, self->warmup_spin,
                             self->min_lr_spin, self->steps_spin };
  GtkDropDown *drops[] = { self->optimizer_dropdown, self->sched_dropdown };
  GtkSpinButton *scientific[] = { self->eps_spin, self->weight_decay_spin };
  GtkGrid *grids[] = { self->form, self->advanced_grid };
  g_autoptr(GtkSizeGroup) labels = gtk_size_group_new (GTK_SIZE_GROUP_HORIZONTAL);

  g_signal_connect (self, "state-changed", G_CALLBACK (update_init_check_cb), NULL);
  g_signal_connect (self, "checkpoints-changed", G_CALLBACK (update_init_check_cb), NULL);
  for (guint i = 0; i < G_N_ELEMENTS (spins); i++)
    g_signal_connect_swapped (spins[i], "value-changed", G_CALLBACK (form_changed_cb), self);
  for (guint i = 0; i < G_N_ELEMENTS (drops); i++)
    g_signal_connect_swapped (drops[i], "notify::selected", G_CALLBACK (form_changed_cb), self);
  g_signal_connect_swapped (self->preset_dropdown, "notify::selected", G_CALLBACK (preset_changed_cb), self);
  g_signal_connect_swapped (self->optimizer_dropdown, "notify::selected", G_CALLBACK (optimizer_changed_cb), self);
  g_signal_connect_swapped (self->representation_dropdown, "notify::selected",
                            G_CALLBACK (update_representation_fields), self);
  for (guint i = 0; i < G_N_ELEMENTS (scientific); i++)
    {
      g_signal_connect (scientific[i], "output", G_CALLBACK (scientific_output_cb), NULL);
      g_signal_connect (scientific[i], "input", G_CALLBACK (scientific_input_cb), NULL);
    }
  /* The advanced fields line up with the main form: one width for both label columns. */
  for (guint g = 0; g < G_N_ELEMENTS (grids); g++)
    for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (grids[g])); child != NULL;
         child = gtk_widget_get_next_sibling (child))
      {
        int column, span;
        gtk_grid_query_child (grids[g], child, &column, NULL, &span, NULL);
        if (column == 0 && span == 1)
          gtk_size_group_add_widget (labels, child);
      }
  gtk_drawing_area_set_draw_func (self->lr_plot, draw_lr_plot_cb, self, NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "panel.lr-use", FALSE);
}

/* ---- LR range test ---------------------------------------------------------------------------- */

typedef struct {
  ZiTrainerConfig cfg;
  GArray         *chars;
} LrFindJob;

static void
lrfind_job_free (LrFindJob *job)
{
  zi_trainer_config_clear (&job->cfg);
  g_array_unref (job->chars);
  g_free (job);
}

static void
lrfind_thread (GTask *task, gpointer source_object, gpointer task_data, GCancellable *cancellable)
{
  LrFindJob *job = task_data;
  ZiFont *source = NULL, *target = NULL;
  g_autoptr(ZiDataset) data = NULL;
  ZiLrFindOptions options;
  ZiLrFindResult *result = NULL;
  GError *error = NULL;

  if ((source = zi_font_open (job->cfg.source_font, &error)) != NULL &&
      (target = zi_font_open (job->cfg.target_font, &error)) != NULL)
    data = zi_dataset_load (source, target, (const gunichar *) job->chars->data, job->chars->len,
                            job->cfg.net.size, job->cfg.em_fraction,
                            zi_trainer_config_get_field_spread (&job->cfg), job->cfg.cache_dir, NULL, NULL,
                            NULL, cancellable, &error);
  if (data != NULL)
    {
      zi_lrfind_options_init (&options);
      /* Enough steps for the curve's shape, few enough to answer in about a minute at 64 px. */
      options.steps = 120;
      result = zi_lrfind_run (&job->cfg, data, &options, NULL, NULL, cancellable, &error);
    }
  g_clear_pointer (&source, zi_font_free);
  g_clear_pointer (&target, zi_font_free);
  if (result == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, result, (GDestroyNotify) zi_lrfind_result_free);
}

static void
lrfind_done_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(ZiTrainingPanel) self = user_data;
  g_autoptr(GError) error = NULL;
  ZiLrFindResult *r = g_task_propagate_pointer (G_TASK (result), &error);

  gtk_spinner_stop (self->lrfind_spinner);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "panel.lr-find", TRUE);
  if (r == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_signal_emit_by_name (self, "failed", error->message);
      return;
    }
  g_clear_pointer (&self->lrfind, zi_lrfind_result_free);
  self->lrfind = r;
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "panel.lr-use", r->suggested > 0);
  gtk_widget_queue_draw (GTK_WIDGET (self->lr_plot));
}

static void
lrfind_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  ZiTrainingPanel *self = ZI_TRAINING_PANEL (widget);
  g_autoptr(GTask) task = NULL;
  LrFindJob *job;

  if (self->pair_source == NULL || self->pair_chars == NULL || self->pair_chars->len == 0)
    {
      g_signal_emit_by_name (self, "failed",
                             _("The fonts are still loading: try the range test again in a moment."));
      return;
    }
  job = g_new0 (LrFindJob, 1);
  zi_training_panel_get_config (self, &job->cfg);
  g_free (job->cfg.source_font);
  g_free (job->cfg.target_font);
  job->cfg.source_font = g_strdup (self->pair_source);
  job->cfg.target_font = g_strdup (self->pair_target);
  job->chars = g_array_ref (self->pair_chars);

  g_cancellable_cancel (self->lrfind_cancellable);
  g_clear_object (&self->lrfind_cancellable);
  self->lrfind_cancellable = g_cancellable_new ();
  gtk_spinner_start (self->lrfind_spinner);
  gtk_widget_action_set_enabled (widget, "panel.lr-find", FALSE);
  task = g_task_new (NULL, self->lrfind_cancellable, lrfind_done_cb, g_object_ref (self));
  g_task_set_task_data (task, job, (GDestroyNotify) lrfind_job_free);
  g_task_run_in_thread (task, lrfind_thread);
}

static void
lr_use_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  ZiTrainingPanel *self = ZI_TRAINING_PANEL (widget);

  if (self->lrfind != NULL && self->lrfind->suggested > 0)
    gtk_spin_button_set_value (self->lr_spin, self->lrfind->suggested);
}

void
zi_training_panel_set_pair (ZiTrainingPanel *self, const char *source_font, const char *target_font,
                            const gunichar *chars, guint n_chars)
{
  g_return_if_fail (ZI_IS_TRAINING_PANEL (self));
  g_return_if_fail (chars != NULL || n_chars == 0);

  g_free (self->pair_source);
  g_free (self->pair_target);
  self->pair_source = g_strdup (source_font);
  self->pair_target = g_strdup (target_font);
  g_clear_pointer (&self->pair_chars, g_array_unref);
  self->pair_chars = g_array_sized_new (FALSE, FALSE, sizeof (gunichar), n_chars);
  g_array_append_vals (self->pair_chars, chars, n_chars);
}

gboolean
zi_training_panel_get_lr_suggestion (ZiTrainingPanel *self, double *lr)
{
  g_return_val_if_fail (ZI_IS_TRAINING_PANEL (self), FALSE);
  if (self->lrfind == NULL)
    return FALSE;
  if (lr != NULL)
    *lr = self->lrfind->suggested;
  return TRUE;
}

void
_zi_training_panel_form_class_init (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "panel.lr-find", NULL, lrfind_action);
  gtk_widget_class_install_action (widget_class, "panel.lr-use", NULL, lr_use_action);
}

void
_zi_training_panel_form_dispose (ZiTrainingPanel *self)
{
  g_cancellable_cancel (self->lrfind_cancellable);
  g_clear_object (&self->lrfind_cancellable);
  g_clear_pointer (&self->lrfind, zi_lrfind_result_free);
  g_clear_pointer (&self->pair_source, g_free);
  g_clear_pointer (&self->pair_target, g_free);
  g_clear_pointer (&self->pair_chars, g_array_unref);
}
