/* test-widgets.c — widgets on their own under Xvfb, without the application: the chart (100k points,
 * zoom, export, and pointer interaction through its own event controllers), the detail pane, the
 * outline view of a model's glyph (its points counted against export's tracing), the glyph cache's
 * pause, the training panel's hyperparameter form (form → configuration,
 * configuration and presets → form, fields an optimizer does not use), and the app's choice of
 * renderer. */
#include "config.h"

#include "zi-application.h"
#include "zi-chart.h"
#include "zi-glyph-cache.h"
#include "zi-glyph-detail.h"
#include "zi-export.h"
#include "zi-model.h"
#include "zi-render.h"
#include "zi-training-panel.h"
#include "resources/zimaru-resources.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <locale.h>
#include <glib/gstdio.h>
#include <math.h>
#include <unistd.h>
#include "zi-fileutil.h"
#include "ui-test-util.h"

static char *tmp_dir;

/* Saves a widget's picture as ZIMARU_SCREENSHOT_DIR/name when that variable is set, to look at the
 * layout (clipped or overflowing labels) in each language. */
static void
save_widget_png (GtkWidget *widget, const char *name)
{
  const char *dir = g_getenv ("ZIMARU_SCREENSHOT_DIR");
  g_autofree char *path = NULL;

  if (dir == NULL)
    return;
  path = g_build_filename (dir, name, NULL);
  ui_save_png (widget, path);
}

static gboolean
has_size (gpointer data)
{
  return gtk_widget_get_height (data) > 0;
}

/* ---- The chart -------------------------------------------------------------------------------- */

static gboolean
chart_drawn (gpointer data)
{
  return zi_chart_get_last_draw_time (data) > 0;
}

static void
test_chart_widget (void)
{
  GtkWidget *win = gtk_window_new ();
  ZiChart *chart = ZI_CHART (zi_chart_new ());
  g_autofree char *png = g_build_filename (tmp_dir, "chart.png", NULL);
  g_autofree char *svg = g_build_filename (tmp_dir, "chart.svg", NULL);
  g_autofree char *csv = g_build_filename (tmp_dir, "chart.csv", NULL);
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) lines = NULL;
  guint8 header[8] = { 0 };
  FILE *f;

  g_object_ref_sink (chart);
  zi_chart_add_series (chart, "loss", "loss", "#1c71d8", ZI_CHART_Y_LEFT);
  zi_chart_add_series (chart, "val", "val", "#9141ac", ZI_CHART_Y_RIGHT);
  for (guint i = 0; i < 100000; i++)
    {
      zi_chart_append (chart, "loss", i, i * 16.0, i * 0.05, 2.0 * exp (-i / 20000.0) + 0.1 * sin (i));
      if (i % 1000 == 0)
        zi_chart_append (chart, "val", i, i * 16.0, i * 0.05, 0.5 + i / 400000.0);
    }
  zi_chart_set_smoothing (chart, 0.9);
  gtk_window_set_child (GTK_WINDOW (win), GTK_WIDGET (chart));
  gtk_window_set_default_size (GTK_WINDOW (win), 900, 400);
  gtk_window_present (GTK_WINDOW (win));
  g_assert_true (ui_wait_for (chart_drawn, chart, 10));
  g_test_message ("chart of 100k points drawn in %.2f ms", zi_chart_get_last_draw_time (chart) / 1000.0);
  g_assert_cmpint (zi_chart_get_last_draw_time (chart), <, 50000);

  zi_chart_zoom (chart, 1000, 2000);
  g_assert_true (zi_chart_is_zoomed (chart));
  zi_chart_reset_zoom (chart);
  g_assert_false (zi_chart_is_zoomed (chart));

  g_assert_true (zi_chart_export_png (chart, png, 800, 400, &error));
  g_assert_no_error (error);
  f = g_fopen (png, "rb");
  g_assert_nonnull (f);
  g_assert_cmpuint (fread (header, 1, 8, f), ==, 8);
  fclose (f);
  g_assert_cmpmem (header, 4, "\x89PNG", 4);

  g_assert_true (zi_chart_export_svg (chart, svg, 800, 400, &error));
  g_assert_true (g_file_get_contents (svg, &text, NULL, &error));
  g_assert_nonnull (strstr (text, "<svg"));
  g_clear_pointer (&text, g_free);

  g_assert_true (zi_chart_export_csv (chart, csv, &error));
  g_assert_true (g_file_get_contents (csv, &text, NULL, &error));
  lines = g_strsplit (text, "\n", -1);
  /* Header, 100k rows, and the empty string after the last newline. */
  g_assert_cmpuint (g_strv_length (lines), ==, 100002);
  g_assert_cmpstr (lines[0], ==, "step,loss,val");
  g_assert_true (g_str_has_prefix (lines[1], "0,2,0.5"));
  g_assert_true (g_str_has_suffix (lines[2], ","));

  gtk_window_destroy (GTK_WINDOW (win));
  g_assert_finalize_object (chart);
}

/* The chart's controller of a type, as the widget installed it. */
static GtkEventController *
find_controller (GtkWidget *widget, GType type)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (widget);

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GtkEventController) c = g_list_model_get_item (controllers, i);
      if (G_TYPE_CHECK_INSTANCE_TYPE (c, type))
        return c;  /* the widget keeps its own reference */
    }
  g_assert_not_reached ();
  return NULL;
}

/* Pointer interaction as GTK delivers it: the signals of the chart's own motion controller, drag
 * gesture and click gesture, at pixel positions inside the plot. A straight line y = step / 100 makes
 * every position's value known. */
static void
test_chart_pointer (void)
{
  GtkWidget *win = gtk_window_new ();
  ZiChart *chart = ZI_CHART (zi_chart_new ());
  GtkEventController *motion, *drag, *click;
  double x0, x1, w, zx0, zx1, px_a, px_b, step_a, step_b;
  g_autofree char *readout = NULL;
  g_autofree char *expected = NULL;
  /* The readout starts with the x axis' name, in the language of the test run. */
  g_autofree char *step_word = g_strconcat (g_dgettext (GETTEXT_PACKAGE, "step"), " ", NULL);

  g_object_ref_sink (chart);
  zi_chart_add_series (chart, "loss", "loss", "#1c71d8", ZI_CHART_Y_LEFT);
  for (guint i = 0; i <= 1000; i++)
    zi_chart_append (chart, "loss", i, i * 16.0, i * 0.1, i / 100.0);
  zi_chart_set_smoothing (chart, 0);
  gtk_window_set_child (GTK_WINDOW (win), GTK_WIDGET (chart));
  gtk_window_set_default_size (GTK_WINDOW (win), 800, 400);
  gtk_window_present (GTK_WINDOW (win));
  g_assert_true (ui_wait_for (chart_drawn, chart, 10));
  w = gtk_widget_get_width (GTK_WIDGET (chart));
  g_assert_cmpfloat (w, >, 200);

  motion = find_controller (GTK_WIDGET (chart), GTK_TYPE_EVENT_CONTROLLER_MOTION);
  drag = find_controller (GTK_WIDGET (chart), GTK_TYPE_GESTURE_DRAG);
  click = find_controller (GTK_WIDGET (chart), GTK_TYPE_GESTURE_CLICK);

  g_assert_true (zi_chart_get_x_range (chart, &x0, &x1));
  g_assert_cmpfloat (x0, ==, 0);
  g_assert_cmpfloat (x1, ==, 1000);

  /* Nothing under the pointer yet; then hover the middle of the widget. The plot's left and right
   * margins differ, so the step under the pointer is found from two readouts rather than assumed. */
  g_assert_null (zi_chart_get_readout (chart));
  g_signal_emit_by_name (motion, "motion", w / 2, 200.0);
  readout = zi_chart_get_readout (chart);
  g_assert_nonnull (readout);
  g_test_message ("readout at x = %.0f px: %s", w / 2, readout);
  g_assert_true (g_str_has_prefix (readout, step_word));
  g_assert_nonnull (strstr (readout, "loss"));
  g_assert_cmpint (sscanf (readout + strlen (step_word), "%lf", &step_a), ==, 1);
  g_assert_cmpfloat (step_a, >, 300);
  g_assert_cmpfloat (step_a, <, 700);
  /* The value shown is the line's value at that step. */
  expected = g_strdup_printf ("loss  %.4g", round (step_a) / 100.0);
  g_assert_nonnull (strstr (readout, expected));

  /* 100 px further right is a larger step; the pixel scale follows from the two. */
  g_clear_pointer (&readout, g_free);
  g_signal_emit_by_name (motion, "motion", w / 2 + 100, 200.0);
  readout = zi_chart_get_readout (chart);
  g_assert_nonnull (readout);
  g_assert_cmpint (sscanf (readout + strlen (step_word), "%lf", &step_b), ==, 1);
  g_assert_cmpfloat (step_b, >, step_a);
  px_a = w / 2;
  px_b = w / 2 + 100;

  /* Leaving hides the readout. */
  g_signal_emit_by_name (motion, "leave");
  g_clear_pointer (&readout, g_free);
  g_assert_null (zi_chart_get_readout (chart));

  /* Drag from px_a to px_b: the chart zooms to the steps under those two pixels. No readout while
   * dragging. */
  g_signal_emit_by_name (motion, "motion", px_a, 200.0);
  g_signal_emit_by_name (drag, "drag-begin", px_a, 200.0);
  g_signal_emit_by_name (drag, "drag-update", 50.0, 0.0);
  g_assert_null (zi_chart_get_readout (chart));
  g_assert_false (zi_chart_is_zoomed (chart));
  g_signal_emit_by_name (drag, "drag-end", px_b - px_a, 0.0);
  g_assert_true (zi_chart_is_zoomed (chart));
  g_assert_true (zi_chart_get_x_range (chart, &zx0, &zx1));
  g_test_message ("dragged %.0f → %.0f px: steps %.1f – %.1f (readouts said %.0f – %.0f)", px_a, px_b, zx0, zx1,
                  step_a, step_b);
  g_assert_cmpfloat (fabs (zx0 - step_a), <, 1.0);
  g_assert_cmpfloat (fabs (zx1 - step_b), <, 1.0);

  /* After the zoom the same pixels mean other steps: the readout at px_b is now the zoom's end. */
  g_signal_emit_by_name (motion, "motion", px_b, 200.0);
  g_clear_pointer (&readout, g_free);
  readout = zi_chart_get_readout (chart);
  g_assert_nonnull (readout);
  g_assert_cmpint (sscanf (readout + strlen (step_word), "%lf", &step_b), ==, 1);
  g_assert_cmpfloat (step_b, >, zx0);
  g_assert_cmpfloat (step_b, <=, zx1 + 1);

  /* A short drag is a click, not a zoom: the range stays. */
  g_signal_emit_by_name (drag, "drag-begin", px_a, 200.0);
  g_signal_emit_by_name (drag, "drag-end", 2.0, 0.0);
  g_assert_true (zi_chart_get_x_range (chart, &x0, &x1));
  g_assert_cmpfloat (x0, ==, zx0);
  g_assert_cmpfloat (x1, ==, zx1);

  /* A single click does not reset; a double click does. */
  g_signal_emit_by_name (click, "pressed", 1, px_a, 200.0);
  g_assert_true (zi_chart_is_zoomed (chart));
  g_signal_emit_by_name (click, "pressed", 2, px_a, 200.0);
  g_assert_false (zi_chart_is_zoomed (chart));
  g_assert_true (zi_chart_get_x_range (chart, &x0, &x1));
  g_assert_cmpfloat (x0, ==, 0);
  g_assert_cmpfloat (x1, ==, 1000);

  gtk_window_destroy (GTK_WINDOW (win));
  g_assert_finalize_object (chart);
}

static void
test_detail_widget (void)
{
  ZiGlyphCache *cache = zi_glyph_cache_new ();
  GtkWidget *detail = zi_glyph_detail_new ();

  g_object_ref_sink (detail);
  zi_glyph_detail_set_cache (ZI_GLYPH_DETAIL (detail), cache);
  zi_glyph_detail_set_char (ZI_GLYPH_DETAIL (detail), 0x6C38, 0, "東永國");
  g_assert_cmpuint (zi_glyph_detail_get_char (ZI_GLYPH_DETAIL (detail)), ==, 0x6C38);
  zi_glyph_detail_set_mode (ZI_GLYPH_DETAIL (detail), "onion");
  g_assert_finalize_object (detail);
  g_assert_finalize_object (cache);
}

/* A run of a few training steps made by zimaru-cli in tmp_dir, once; its newest checkpoint. */
static const char *
tiny_checkpoint (void)
{
  static char *ckpt;
  g_autofree char *run = NULL;
  g_autofree char *err = NULL;
  g_autoptr(GError) error = NULL;
  int status = -1;

  if (ckpt != NULL)
    return ckpt;
  run = g_build_filename (tmp_dir, "tiny-run", NULL);
  {
    const char *argv[] = { g_getenv ("ZIMARU_CLI"), "train", "--chars-text", "永口回品圓一二三", "--run", run,
                           "--steps", "20", "--size", "32", "--ngf", "8", "--batch", "2", "--val-fraction", "0.25",
                           "--quiet", NULL };

    g_assert_nonnull (argv[0]);
    g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_STDOUT_TO_DEV_NULL, NULL, NULL, NULL, &err,
                                 &status, &error));
  }
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  ckpt = g_strdup (run);
  return ckpt;
}

/* The points of 永 as the model draws it, traced as export traces it: found here without the
 * window's code (the model run on the source font's rendering, zi_export_trace_generated with the
 * export's defaults). */
static void
expected_points (const char *ckpt, guint *on_curve, guint *off_curve)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ZiModel) model = zi_model_load (ckpt, &error);
  ZiFont *source, *target;
  guint size;
  ZiPlacement ps, pt;
  g_autofree guint8 *src = NULL, *raw = NULL;
  g_autoptr(ZiOutline) outline = NULL;
  ZiExportOptions options;

  g_assert_no_error (error);
  size = zi_model_get_size (model);
  source = zi_font_open (zi_model_get_source_font (model), &error);
  target = zi_font_open (zi_model_get_target_font (model), &error);
  g_assert_no_error (error);
  g_assert_true (zi_placement_init (&ps, source, size, zi_model_get_em_fraction (model), NULL));
  g_assert_true (zi_placement_init (&pt, target, size, zi_model_get_em_fraction (model), NULL));
  src = g_malloc (size * size);
  raw = g_malloc (size * size);
  g_assert_true (zi_render_char (source, &ps, 0x6C38, src, NULL));
  g_assert_true (zi_model_generate_raw (model, src, 1, raw, NULL, NULL, NULL, &error));
  zi_export_options_init (&options);
  outline = zi_export_trace_generated (raw, zi_model_get_field_spread (model), size, &pt, &options.trace, &error);
  g_assert_no_error (error);
  zi_outline_count_points (outline, on_curve, off_curve);
  zi_font_free (source);
  zi_font_free (target);
}

typedef struct {
  ZiGlyphDetail *detail;
  guint          outlines;
  gboolean       nodes;
} DrawnWait;

static gboolean
detail_drew (gpointer data)
{
  DrawnWait *w = data;
  guint outlines, on, off;

  zi_glyph_detail_get_drawn_outlines (w->detail, &outlines, &on, &off);
  return outlines == w->outlines && (on > 0) == w->nodes;
}

/* The outline view of a model's 永 under Xvfb: the target font's outline and the model's traced one
 * are stroked, and the model's outline is marked with exactly the points export's tracing gives
 * (counted here independently); the nodes go when the toggle is off; the figures under the canvas
 * measure it against the target. Checked on what the widget drew, not on pixels. */
static void
test_detail_outline (void)
{
  const char *ckpt = tiny_checkpoint ();
  g_autoptr(ZiModel) model = zi_model_load (ckpt, NULL);
  g_autoptr(ZiGlyphCache) cache = zi_glyph_cache_new ();
  GtkWidget *win = gtk_window_new ();
  GtkWidget *detail = zi_glyph_detail_new ();
  const char *models[] = { ckpt, NULL };
  ZiFont *target = zi_font_open (zi_model_get_target_font (model), NULL);
  ZiFontMetrics metrics;
  ZiPlacement placement;
  DrawnWait w = { ZI_GLYPH_DETAIL (detail), 2, TRUE };
  guint on = 0, off = 0, want_on, want_off, outlines;
  const ZiGlyphOutline *go;
  const char *figures;

  expected_points (ckpt, &want_on, &want_off);
  g_test_message ("永 of a model of 20 steps, traced: %u on-curve and %u off-curve points", want_on, want_off);
  g_assert_cmpuint (want_on, >, 0);

  zi_glyph_cache_set_fonts (cache, zi_model_get_source_font (model), zi_model_get_target_font (model));
  zi_glyph_cache_set_models (cache, models);
  zi_font_get_metrics (target, &metrics);
  g_assert_true (zi_placement_init (&placement, target, ZI_GLYPH_DETAIL_SIZE, ZI_DEFAULT_EM_FRACTION, NULL));
  zi_glyph_detail_set_cache (ZI_GLYPH_DETAIL (detail), cache);
  zi_glyph_detail_set_guides (ZI_GLYPH_DETAIL (detail), &metrics, &placement);
  zi_glyph_detail_set_char (ZI_GLYPH_DETAIL (detail), 0x6C38, 0, "永");
  zi_glyph_detail_set_mode (ZI_GLYPH_DETAIL (detail), "outline");
  gtk_window_set_child (GTK_WINDOW (win), detail);
  gtk_window_set_default_size (GTK_WINDOW (win), 420, 720);
  gtk_window_present (GTK_WINDOW (win));

  g_assert_true (ui_wait_for (detail_drew, &w, 60));
  zi_glyph_detail_get_drawn_outlines (ZI_GLYPH_DETAIL (detail), &outlines, &on, &off);
  g_assert_cmpuint (on, ==, want_on);
  g_assert_cmpuint (off, ==, want_off);
  go = zi_glyph_cache_lookup_outline (cache, 0x6C38, ZI_GLYPH_GENERATED, NULL);
  g_assert_nonnull (go);
  g_assert_true (go->has_metric);
  g_test_message ("traced in %.2f ms; IoU %.3f against the target's 永", go->trace_seconds * 1e3, go->metric.iou);
  figures = gtk_label_get_label (GTK_LABEL (gtk_widget_get_template_child (detail, ZI_TYPE_GLYPH_DETAIL,
                                                                           "outline_label")));
  g_test_message ("figures: %s", figures);
  g_assert_nonnull (strstr (figures, "IoU"));
  save_widget_png (detail, "detail-outline-widget.png");

  /* The toggle hides the points, not the outlines. */
  g_assert_true (gtk_widget_activate_action (detail, "detail.show-nodes", NULL));
  g_assert_false (zi_glyph_detail_get_show_nodes (ZI_GLYPH_DETAIL (detail)));
  w.nodes = FALSE;
  g_assert_true (ui_wait_for (detail_drew, &w, 10));

  gtk_window_destroy (GTK_WINDOW (win));
  zi_font_free (target);
}

/* ---- The glyph cache -------------------------------------------------------------------------- */

static void
count_cb (ZiGlyphCache *cache, guint *n)
{
  (*n)++;
}

/* A paused cache (the grid is flinging) queues nothing and drops what was queued; unpausing says
 * "ready", so the cells ask again, and does not claim the store was cleared. */
static void
test_cache_pause (void)
{
  g_autoptr(ZiGlyphCache) cache = zi_glyph_cache_new ();
  UiGlyphWait w = { cache, 0x6C38, ZI_GLYPH_SOURCE, 56 };
  guint ready = 0, cleared = 0;

  zi_glyph_cache_set_fonts (cache, "Noto Sans CJK TC", "Zen Maru Gothic");
  g_signal_connect (cache, "changed::ready", G_CALLBACK (count_cb), &ready);
  g_signal_connect (cache, "changed::cleared", G_CALLBACK (count_cb), &cleared);

  /* Queued requests go when the pause starts; at most the one in the worker's hands is still
   * drawn (what the worker finished before the pause may still wait for the main loop). */
  for (gunichar c = 0x4E00; c < 0x4E00 + 50; c++)
    g_assert_null (zi_glyph_cache_lookup (cache, c, ZI_GLYPH_SOURCE, 56, NULL));
  zi_glyph_cache_set_paused (cache, TRUE);
  guint64 at_pause = zi_glyph_cache_get_renders (cache);
  g_assert_true (zi_glyph_cache_get_paused (cache));

  /* Paused: a miss stays a miss and nothing is queued for it. */
  g_assert_null (zi_glyph_cache_lookup (cache, w.c, ZI_GLYPH_SOURCE, 56, NULL));
  ui_spin (0.3);
  g_assert_null (zi_glyph_cache_lookup (cache, w.c, ZI_GLYPH_SOURCE, 56, NULL));
  g_test_message ("renders: %" G_GUINT64_FORMAT " before the pause, %" G_GUINT64_FORMAT " after",
                  at_pause, zi_glyph_cache_get_renders (cache));
  g_assert_cmpuint (zi_glyph_cache_get_renders (cache) - at_pause, <=, 1);
  g_assert_cmpuint (zi_glyph_cache_get_pending (cache), ==, 0);

  ready = 0;
  zi_glyph_cache_set_paused (cache, FALSE);
  g_assert_false (zi_glyph_cache_get_paused (cache));
  g_assert_cmpuint (ready, ==, 1);
  g_assert_cmpuint (cleared, ==, 0);
  g_assert_true (ui_wait_for (ui_glyph_known, &w, 30));
  g_assert_nonnull (zi_glyph_cache_lookup_coverage (cache, w.c, ZI_GLYPH_SOURCE, 56));
}

/* ---- The training panel's form ---------------------------------------------------------------- */

static gpointer
field (GtkWidget *panel, const char *id)
{
  GObject *object = gtk_widget_get_template_child (panel, ZI_TYPE_TRAINING_PANEL, id);

  g_assert_nonnull (object);
  return object;
}

static double
spin_value (GtkWidget *panel, const char *id)
{
  return gtk_spin_button_get_value (GTK_SPIN_BUTTON (field (panel, id)));
}

static void
set_spin (GtkWidget *panel, const char *id, double value)
{
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (field (panel, id)), value);
  g_assert_cmpfloat_with_epsilon (spin_value (panel, id), value, fabs (value) * 1e-9);
}

/* Types into a field the way a user does, then leaves it (which parses the text). */
static void
type_into (GtkWidget *panel, const char *id, const char *text)
{
  GtkSpinButton *spin = GTK_SPIN_BUTTON (field (panel, id));

  gtk_editable_set_text (GTK_EDITABLE (spin), text);
  gtk_spin_button_update (spin);
}

static gboolean
row_sensitive (GtkWidget *panel, const char *id)
{
  return gtk_widget_get_sensitive (GTK_WIDGET (field (panel, id)));
}

static void
test_form_to_config (void)
{
  GtkWidget *panel = zi_training_panel_new ();
  ZiTrainerConfig cfg = { 0 };

  g_object_ref_sink (panel);
  gtk_expander_set_expanded (GTK_EXPANDER (field (panel, "advanced_expander")), TRUE);

  /* The advanced fields, each to a value no preset uses. */
  gtk_drop_down_set_selected (GTK_DROP_DOWN (field (panel, "optimizer_dropdown")), 0);  /* Adam */
  set_spin (panel, "lr_spin", 0.0004);
  set_spin (panel, "beta1_spin", 0.7);
  set_spin (panel, "beta2_spin", 0.95);
  type_into (panel, "eps_spin", "3e-7");
  type_into (panel, "weight_decay_spin", "0.0025");
  set_spin (panel, "alpha_spin", 0.9);
  set_spin (panel, "d_lr_spin", 0.5);
  gtk_drop_down_set_selected (GTK_DROP_DOWN (field (panel, "norm_dropdown")), 1);  /* instance */
  set_spin (panel, "dropout_spin", 0.3);
  set_spin (panel, "const_spin", 7);
  set_spin (panel, "tv_spin", 0.002);
  set_spin (panel, "ema_spin", 0.995);
  set_spin (panel, "ssim_spin", 250);
  /* ε and weight decay are shown in scientific notation and parsed back from it. */
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (field (panel, "eps_spin"))), ==, "3e-07");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (field (panel, "weight_decay_spin"))), ==, "0.0025");

  zi_training_panel_get_config (ZI_TRAINING_PANEL (panel), &cfg);
  g_assert_cmpint (cfg.opt_g.kind, ==, NN_OPT_ADAM);
  g_assert_cmpfloat (cfg.opt_g.lr, ==, 0.0004f);
  g_assert_cmpfloat (cfg.opt_g.beta1, ==, 0.7f);
  g_assert_cmpfloat (cfg.opt_g.beta2, ==, 0.95f);
  g_assert_cmpfloat (cfg.opt_g.eps, ==, 3e-7f);
  g_assert_cmpfloat (cfg.opt_g.weight_decay, ==, 0.0025f);
  g_assert_cmpfloat (cfg.opt_g.alpha, ==, 0.9f);
  /* The discriminator: the same optimizer at half the rate. */
  g_assert_cmpint (cfg.opt_d.kind, ==, NN_OPT_ADAM);
  g_assert_cmpfloat (cfg.opt_d.lr, ==, 0.0002f);
  g_assert_cmpfloat (cfg.opt_d.beta2, ==, 0.95f);
  g_assert_cmpfloat (cfg.opt_d.eps, ==, 3e-7f);
  g_assert_cmpfloat (cfg.opt_d.weight_decay, ==, 0.0025f);
  g_assert_cmpint (cfg.net.norm, ==, NN_NORM_INSTANCE);
  g_assert_cmpfloat (cfg.net.dropout, ==, 0.3f);
  g_assert_cmpfloat (cfg.net.const_weight, ==, 7.0f);
  g_assert_cmpfloat (cfg.net.tv_weight, ==, 0.002f);
  g_assert_cmpfloat (cfg.ema_decay, ==, 0.995f);
  g_assert_cmpfloat (cfg.net.ssim_weight, ==, 250.0f);

  /* Back through the form: a configuration shows as itself (a run opened from run.json). */
  cfg.opt_g.beta2 = 0.9f;
  cfg.opt_d.lr = 0.0f;          /* "the same as G" */
  cfg.net.norm = NN_NORM_BATCH;
  cfg.ema_decay = 0.0f;         /* off */
  cfg.net.tv_weight = 0.5f;
  cfg.net.ssim_weight = 30.0f;
  zi_training_panel_set_config (ZI_TRAINING_PANEL (panel), &cfg);
  g_assert_cmpfloat_with_epsilon (spin_value (panel, "beta2_spin"), 0.9, 1e-6);
  g_assert_cmpfloat (spin_value (panel, "d_lr_spin"), ==, 1.0);
  g_assert_cmpuint (gtk_drop_down_get_selected (GTK_DROP_DOWN (field (panel, "norm_dropdown"))), ==, 0);
  g_assert_cmpfloat (spin_value (panel, "ema_spin"), ==, 0.0);
  g_assert_cmpfloat_with_epsilon (spin_value (panel, "tv_spin"), 0.5, 1e-6);
  zi_trainer_config_clear (&cfg);
  zi_training_panel_get_config (ZI_TRAINING_PANEL (panel), &cfg);
  g_assert_cmpfloat (cfg.opt_g.beta2, ==, 0.9f);
  g_assert_cmpfloat (cfg.opt_d.lr, ==, 0.0f);
  g_assert_cmpfloat (cfg.ema_decay, ==, 0.0f);
  g_assert_cmpfloat (cfg.net.tv_weight, ==, 0.5f);
  g_assert_cmpfloat (cfg.net.ssim_weight, ==, 30.0f);
  zi_trainer_config_clear (&cfg);

  g_assert_finalize_object (panel);
}

static void
test_form_optimizer_fields (void)
{
  GtkWidget *panel = zi_training_panel_new ();
  GtkDropDown *optimizer;
  ZiTrainerConfig cfg = { 0 };

  g_object_ref_sink (panel);
  optimizer = GTK_DROP_DOWN (field (panel, "optimizer_dropdown"));

  /* Adam: β2 and ε apply, α does not. */
  gtk_drop_down_set_selected (optimizer, 0);
  g_assert_true (row_sensitive (panel, "beta2_spin"));
  g_assert_true (row_sensitive (panel, "eps_spin"));
  g_assert_false (row_sensitive (panel, "alpha_spin"));
  g_assert_true (row_sensitive (panel, "weight_decay_spin"));
  set_spin (panel, "beta1_spin", 0.6);

  /* RMSprop: α and ε; the β1 / momentum field now shows RMSprop's momentum (0 by default). */
  gtk_drop_down_set_selected (optimizer, 1);
  g_assert_false (row_sensitive (panel, "beta2_spin"));
  g_assert_true (row_sensitive (panel, "eps_spin"));
  g_assert_true (row_sensitive (panel, "alpha_spin"));
  g_assert_cmpfloat (spin_value (panel, "beta1_spin"), ==, 0.0);
  set_spin (panel, "beta1_spin", 0.2);
  zi_training_panel_get_config (ZI_TRAINING_PANEL (panel), &cfg);
  g_assert_cmpint (cfg.opt_g.kind, ==, NN_OPT_RMSPROP);
  g_assert_cmpfloat (cfg.opt_g.rms_momentum, ==, 0.2f);
  g_assert_cmpfloat (cfg.opt_g.beta1, ==, 0.6f);  /* Adam's, kept for switching back */
  zi_trainer_config_clear (&cfg);

  /* SGD: neither β2, ε nor α; its momentum is 0.9 by default. */
  gtk_drop_down_set_selected (optimizer, 2);
  g_assert_false (row_sensitive (panel, "beta2_spin"));
  g_assert_false (row_sensitive (panel, "eps_spin"));
  g_assert_false (row_sensitive (panel, "alpha_spin"));
  g_assert_true (row_sensitive (panel, "weight_decay_spin"));
  g_assert_cmpfloat_with_epsilon (spin_value (panel, "beta1_spin"), 0.9, 1e-6);

  /* Back to Adam: its β1 comes back. */
  gtk_drop_down_set_selected (optimizer, 0);
  g_assert_cmpfloat_with_epsilon (spin_value (panel, "beta1_spin"), 0.6, 1e-6);
  g_assert_true (row_sensitive (panel, "beta2_spin"));

  g_assert_finalize_object (panel);
}

static void
test_form_presets (void)
{
  GtkWidget *panel = zi_training_panel_new ();
  g_autoptr(GError) error = NULL;
  ZiTrainerConfig expected = { 0 };

  g_object_ref_sink (panel);
  /* The form's own changes first, so a preset must overwrite them to pass. */
  set_spin (panel, "const_spin", 3);
  set_spin (panel, "dropout_spin", 0.25);
  set_spin (panel, "every_spin", 123);

  /* zi2zi: const loss 15, Adam 1e-3 halved every 4000 steps down to 2e-4. */
  g_assert_true (zi_training_panel_apply_preset (ZI_TRAINING_PANEL (panel), "zi2zi", &error));
  g_assert_no_error (error);
  zi_trainer_config_init (&expected);
  g_assert_true (zi_trainer_config_apply_preset (&expected, "zi2zi", NULL));
  g_assert_cmpfloat_with_epsilon (spin_value (panel, "const_spin"), expected.net.const_weight, 1e-6);
  g_assert_cmpfloat (spin_value (panel, "const_spin"), ==, 15);
  g_assert_cmpfloat_with_epsilon (spin_value (panel, "lr_spin"), 1e-3, 1e-9);
  g_assert_cmpfloat (spin_value (panel, "every_spin"), ==, 4000);
  g_assert_cmpfloat_with_epsilon (spin_value (panel, "gamma_spin"), 0.5, 1e-6);
  g_assert_cmpfloat_with_epsilon (spin_value (panel, "min_lr_spin"), 2e-4, 1e-9);
  g_assert_cmpfloat_with_epsilon (spin_value (panel, "beta1_spin"), 0.5, 1e-6);
  g_assert_cmpfloat_with_epsilon (spin_value (panel, "beta2_spin"), expected.opt_g.beta2, 1e-6);
  g_assert_cmpfloat_with_epsilon (spin_value (panel, "ema_spin"), expected.ema_decay, 1e-6);
  g_assert_cmpfloat (spin_value (panel, "d_lr_spin"), ==, 1.0);
  g_assert_cmpuint (gtk_drop_down_get_selected (GTK_DROP_DOWN (field (panel, "sched_dropdown"))), ==, 1);
  g_assert_cmpuint (gtk_drop_down_get_selected (GTK_DROP_DOWN (field (panel, "preset_dropdown"))), ==, 3);
  zi_trainer_config_clear (&expected);

  /* Quick: ngf 16, and the rest of the recommended recipe (no dropout, lr 5e-4, no const loss left
   * over from zi2zi) — chosen from the preset menu as a user does. */
  gtk_drop_down_set_selected (GTK_DROP_DOWN (field (panel, "preset_dropdown")), 1);
  g_assert_cmpfloat (spin_value (panel, "dropout_spin"), ==, 0);
  g_assert_cmpfloat (spin_value (panel, "ngf_spin"), ==, 16);
  g_assert_cmpfloat_with_epsilon (spin_value (panel, "lr_spin"), 5e-4, 1e-9);
  g_assert_cmpfloat (spin_value (panel, "const_spin"), ==, 0);
  g_assert_cmpuint (gtk_drop_down_get_selected (GTK_DROP_DOWN (field (panel, "sched_dropdown"))), ==, 0);

  /* Plain pix2pix: lr 2e-4, dropout 0.5, no SSIM loss, no average. */
  gtk_drop_down_set_selected (GTK_DROP_DOWN (field (panel, "preset_dropdown")), 2);
  g_assert_cmpfloat_with_epsilon (spin_value (panel, "lr_spin"), 2e-4, 1e-9);
  g_assert_cmpfloat_with_epsilon (spin_value (panel, "dropout_spin"), 0.5, 1e-6);
  g_assert_cmpfloat (spin_value (panel, "ssim_spin"), ==, 0);
  g_assert_cmpfloat (spin_value (panel, "ema_spin"), ==, 0);

  /* Recommended: the defaults. */
  gtk_drop_down_set_selected (GTK_DROP_DOWN (field (panel, "preset_dropdown")), 0);
  zi_trainer_config_init (&expected);
  g_assert_cmpfloat_with_epsilon (spin_value (panel, "lr_spin"), expected.opt_g.lr, 1e-9);
  g_assert_cmpfloat (spin_value (panel, "ssim_spin"), ==, expected.net.ssim_weight);
  g_assert_cmpfloat (spin_value (panel, "ngf_spin"), ==, expected.net.ngf);
  zi_trainer_config_clear (&expected);

  /* High quality: 256 px and a cosine schedule with 500 warm-up steps. */
  gtk_drop_down_set_selected (GTK_DROP_DOWN (field (panel, "preset_dropdown")), 4);
  g_assert_cmpuint (gtk_drop_down_get_selected (GTK_DROP_DOWN (field (panel, "size_dropdown"))), ==, 2);
  g_assert_cmpfloat (spin_value (panel, "ngf_spin"), ==, 32);
  g_assert_cmpuint (gtk_drop_down_get_selected (GTK_DROP_DOWN (field (panel, "sched_dropdown"))), ==, 3);
  g_assert_cmpfloat (spin_value (panel, "warmup_spin"), ==, 500);

  g_assert_false (zi_training_panel_apply_preset (ZI_TRAINING_PANEL (panel), "nonsense", &error));
  g_assert_nonnull (error);

  /* The whole form with the advanced fields open, in a window, for a look at its layout. */
  if (g_getenv ("ZIMARU_SCREENSHOT_DIR") != NULL)
    {
      GtkWidget *win = gtk_window_new ();
      GtkWidget *form = field (panel, "form");

      gtk_expander_set_expanded (GTK_EXPANDER (field (panel, "advanced_expander")), TRUE);
      gtk_drop_down_set_selected (GTK_DROP_DOWN (field (panel, "optimizer_dropdown")), 2);
      gtk_window_set_child (GTK_WINDOW (win), panel);
      gtk_window_set_default_size (GTK_WINDOW (win), 1200, 800);
      gtk_window_present (GTK_WINDOW (win));
      g_assert_true (ui_wait_for (has_size, form, 10));
      ui_wait_for (chart_drawn, field (panel, "chart"), 2);
      save_widget_png (form, "form.png");
      gtk_window_set_child (GTK_WINDOW (win), NULL);
      gtk_window_destroy (GTK_WINDOW (win));
    }

  g_assert_finalize_object (panel);
}

/* Without a GPU render node the app asks GTK for cairo; with one, or when the user chose a renderer,
 * it leaves the choice alone. */
static void
test_pick_renderer (void)
{
  g_autofree char *dri = g_build_filename (tmp_dir, "dri", NULL);
  g_autofree char *card = g_build_filename (dri, "card0", NULL);
  g_autofree char *node = g_build_filename (dri, "renderD128", NULL);
  g_autofree char *missing = g_build_filename (tmp_dir, "no-such-dir", NULL);

  g_assert_cmpstr (zi_application_pick_renderer (NULL, missing), ==, "cairo");
  g_assert_cmpstr (zi_application_pick_renderer ("", missing), ==, "cairo");
  g_assert_null (zi_application_pick_renderer ("gl", missing));
  g_assert_cmpint (g_mkdir_with_parents (dri, 0755), ==, 0);
  /* A display card without a render node is no GPU that Mesa renders on. */
  g_assert_true (g_file_set_contents (card, "", 0, NULL));
  g_assert_cmpstr (zi_application_pick_renderer (NULL, dri), ==, "cairo");
  g_assert_true (g_file_set_contents (node, "", 0, NULL));
  g_assert_null (zi_application_pick_renderer (NULL, dri));
  g_assert_null (zi_application_pick_renderer ("cairo", dri));
  g_remove (node);
  g_remove (card);
  g_rmdir (dri);
}

/* The "Draws" drop-down and the field spread map to the config's representation, the spread is
 * editable only for a field, and a run's config (a field run opened from run.json) shows as itself. */
static void
test_form_representation (void)
{
  GtkWidget *panel = zi_training_panel_new ();
  GtkDropDown *draws;
  ZiTrainerConfig cfg = { 0 };

  g_object_ref_sink (panel);
  draws = GTK_DROP_DOWN (field (panel, "representation_dropdown"));

  /* The default is ink, with the spread greyed out at its default. */
  g_assert_cmpuint (gtk_drop_down_get_selected (draws), ==, 0);
  g_assert_false (row_sensitive (panel, "field_spread_spin"));
  g_assert_cmpfloat (spin_value (panel, "field_spread_spin"), ==, ZI_FIELD_SPREAD_DEFAULT);
  zi_training_panel_get_config (ZI_TRAINING_PANEL (panel), &cfg);
  g_assert_cmpint (cfg.representation, ==, ZI_REPRESENTATION_INK);
  g_assert_cmpuint (zi_trainer_config_get_field_spread (&cfg), ==, 0);
  zi_trainer_config_clear (&cfg);

  /* A field of spread 7. */
  gtk_drop_down_set_selected (draws, 1);
  g_assert_true (row_sensitive (panel, "field_spread_spin"));
  set_spin (panel, "field_spread_spin", 7);
  zi_training_panel_get_config (ZI_TRAINING_PANEL (panel), &cfg);
  g_assert_cmpint (cfg.representation, ==, ZI_REPRESENTATION_FIELD);
  g_assert_cmpuint (cfg.field_spread, ==, 7);
  g_assert_cmpuint (zi_trainer_config_get_field_spread (&cfg), ==, 7);

  /* Through run.json's "config" and back into a fresh form, as when a run is opened. */
  {
    g_autofree char *json = zi_trainer_config_to_json (&cfg);
    g_autoptr(GError) error = NULL;
    GtkWidget *other = zi_training_panel_new ();
    ZiTrainerConfig back = { 0 };

    g_object_ref_sink (other);
    zi_trainer_config_clear (&cfg);
    g_assert_true (zi_trainer_config_from_json (&cfg, json, &error));
    g_assert_no_error (error);
    zi_training_panel_set_config (ZI_TRAINING_PANEL (other), &cfg);
    g_assert_cmpuint (gtk_drop_down_get_selected (GTK_DROP_DOWN (field (other, "representation_dropdown"))), ==, 1);
    g_assert_true (row_sensitive (other, "field_spread_spin"));
    g_assert_cmpfloat (spin_value (other, "field_spread_spin"), ==, 7);
    zi_training_panel_get_config (ZI_TRAINING_PANEL (other), &back);
    g_assert_cmpint (back.representation, ==, ZI_REPRESENTATION_FIELD);
    g_assert_cmpuint (back.field_spread, ==, 7);
    zi_trainer_config_clear (&back);

    /* And an ink config sets the drop-down back and greys the spread again. */
    cfg.representation = ZI_REPRESENTATION_INK;
    zi_training_panel_set_config (ZI_TRAINING_PANEL (other), &cfg);
    g_assert_cmpuint (gtk_drop_down_get_selected (GTK_DROP_DOWN (field (other, "representation_dropdown"))), ==, 0);
    g_assert_false (row_sensitive (other, "field_spread_spin"));
    g_assert_finalize_object (other);
  }
  zi_trainer_config_clear (&cfg);
  g_assert_finalize_object (panel);
}

int
main (int argc, char **argv)
{
  g_autoptr(GError) error = NULL;
  int status;

  ui_test_prepare (argc, argv);

  tmp_dir = g_dir_make_tmp ("zimaru-widgets-XXXXXX", &error);
  g_assert_no_error (error);
  gtk_test_init (&argc, &argv, NULL);
  /* The templates come from the resources of the ui library; referencing them keeps the object that
   * registers them in the link. */
  g_assert_nonnull (zimaru_get_resource ());

  g_test_add_func ("/ui/app/renderer", test_pick_renderer);
  g_test_add_func ("/ui/chart/widget", test_chart_widget);
  g_test_add_func ("/ui/chart/pointer", test_chart_pointer);
  g_test_add_func ("/ui/detail/widget", test_detail_widget);
  g_test_add_func ("/ui/detail/outline", test_detail_outline);
  g_test_add_func ("/ui/cache/pause", test_cache_pause);
  g_test_add_func ("/ui/panel/form-to-config", test_form_to_config);
  g_test_add_func ("/ui/panel/optimizer-fields", test_form_optimizer_fields);
  g_test_add_func ("/ui/panel/presets", test_form_presets);
  g_test_add_func ("/ui/panel/representation", test_form_representation);
  status = g_test_run ();

  zi_dir_remove_tree (tmp_dir);
  g_free (tmp_dir);
  return status;
}
