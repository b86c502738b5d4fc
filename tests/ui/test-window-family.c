/* test-window-family.c — the real window under Xvfb with one model for several target styles: the
 * style switcher shows only for a run of several styles (one trained by zimaru-cli on Zen Maru
 * Gothic Light and Black, 64 px, ngf 8, 200 steps), switching changes the generated glyph's pixels
 * and the target column's font, Alt+Up/Down step through the styles, the weight slider generates a
 * weight between the trained ones, the chart has a validation SSIM line per style with a legend
 * that hides and shows them, picks are kept per style, and choosing a family in the target picker trains a run of several
 * styles from the window. With ZIMARU_SCREENSHOT_DIR naming a directory, the chart test saves
 * family-chart.png there, and with ZIMARU_SCREENSHOT_RUN naming a run of several styles too,
 * /ui/family/screenshot takes the README's family.png of it. */
#include "config.h"

#include "zi-chart.h"
#include "zi-char-list.h"
#include "zi-font.h"
#include "zi-glyph-detail.h"
#include "zi-picks.h"
#include "zi-run.h"
#include "zi-window.h"
#include "zi-window-styles.h"

#include <string.h>
#include "ui-test-util.h"

static ZiApplication *app;
static ZiWindow *window;
static char *tmp_dir;

/* A few kanji for a split; 永 is generated and compared below. */
#define FAMILY_CHARS "永東國酬愛鬱靈鷹袋山川日月木水火土金人口大小中上下左右森林花草"
#define PROBE 0x6C38  /* 永 */

static char *
train_cli (const char *name, const char *steps, const char * const *targets)
{
  const char *cli = g_getenv ("ZIMARU_CLI");
  char *run_dir = g_build_filename (tmp_dir, name, NULL);
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  const char *args[] = { "train", "--chars-text", FAMILY_CHARS, "--run", run_dir, "--size", "64", "--ngf", "8",
                         "--batch", "4", "--steps", steps, "--checkpoint-every", steps, "--seed", "7",
                         "--threads", "1", "--val-fraction", "0.2", "--val-every", "50" };
  int status = 0;

  g_assert_nonnull (cli);
  g_ptr_array_add (argv, (char *) cli);
  for (guint i = 0; i < G_N_ELEMENTS (args); i++)
    g_ptr_array_add (argv, (char *) args[i]);
  for (guint i = 0; targets[i] != NULL; i++)
    {
      g_ptr_array_add (argv, (char *) "--target");
      g_ptr_array_add (argv, (char *) targets[i]);
    }
  g_ptr_array_add (argv, NULL);
  g_assert_true (g_spawn_sync (NULL, (char **) argv->pdata, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, &err,
                               &status, &error));
  g_assert_no_error (error);
  if (!g_spawn_check_wait_status (status, NULL))
    g_test_message ("zimaru-cli train failed: %s", err);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  return run_dir;
}

/* Saves the window as ZIMARU_SCREENSHOT_DIR/name after its next frame, when that variable is set. */
static void
take_screenshot (const char *name)
{
  ui_take_screenshot (GTK_WIDGET (window), name);
}

static GtkWidget *
window_part (const char *name)
{
  GObject *part = gtk_widget_get_template_child (GTK_WIDGET (window), ZI_TYPE_WINDOW, name);
  g_assert_nonnull (part);
  return GTK_WIDGET (part);
}

/* The coverage the cache holds for 永 of kind at size once it has made it (NULL if it never does); a
 * new reference, since the cache drops its own when the style changes. */
static GBytes *
wait_coverage (ZiGlyphKind kind, guint size)
{
  ZiGlyphCache *cache = zi_window_get_cache (window);
  UiGlyphWait w = { cache, PROBE, kind, size };
  GBytes *coverage;

  g_assert_true (ui_wait_for (ui_glyph_known, &w, 60));
  coverage = zi_glyph_cache_lookup_coverage (cache, PROBE, kind, size);
  return coverage != NULL ? g_bytes_ref (coverage) : NULL;
}

static gboolean
bytes_differ (GBytes *a, GBytes *b)
{
  return g_bytes_get_size (a) != g_bytes_get_size (b) || !g_bytes_equal (a, b);
}

/* The largest difference between two coverages of one size. The engine's matrix products may round
 * differently for batches of other sizes (the grid batches whatever cells are waiting), so the same
 * glyph of the same style can come back a level or two apart. */
static guint
max_difference (GBytes *a, GBytes *b)
{
  gsize n, m;
  const guint8 *p = g_bytes_get_data (a, &n);
  const guint8 *q = g_bytes_get_data (b, &m);
  guint worst = 0;

  g_assert_cmpuint (n, ==, m);
  for (gsize i = 0; i < n; i++)
    worst = MAX (worst, (guint) ABS ((int) p[i] - (int) q[i]));
  return worst;
}

static char *family_run;

static void
test_one_style_hides_switcher (void)
{
  const char *targets[] = { "Zen Maru Gothic", NULL };
  g_autofree char *run_dir = train_cli ("one-style", "20", targets);
  g_autoptr(GError) error = NULL;

  g_assert_true (zi_window_open_run (window, run_dir, &error));
  g_assert_no_error (error);
  g_assert_true (ui_wait_for (ui_window_loaded, window, 60));
  g_assert_cmpuint (zi_window_styles_get_n (zi_window_get_styles (window)), <=, 1);
  g_assert_false (gtk_widget_get_visible (window_part ("style_bar")));
  /* The keys do nothing without styles to step through. */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.style-next", NULL);
  g_assert_cmpuint (zi_window_styles_get_style (zi_window_get_styles (window)), ==, 0);
}

static void
test_switch_style (void)
{
  const char *targets[] = { "Zen Maru Gothic:style=Light", "Zen Maru Gothic:style=Black", NULL };
  ZiWindowStyles *styles = zi_window_get_styles (window);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) light = NULL, black = NULL, light_again = NULL;
  g_autoptr(GBytes) light_target = NULL, black_target = NULL;

  /* 200 steps: the two styles' embeddings have moved apart by then (by 20 steps they differ by a
   * level or so). */
  family_run = train_cli ("two-styles", "200", targets);
  g_assert_true (zi_window_open_run (window, family_run, &error));
  g_assert_no_error (error);
  g_assert_true (ui_wait_for (ui_window_loaded, window, 60));
  g_assert_true (zi_window_select_char (window, PROBE));

  /* Two styles: the switcher shows, on the first. */
  g_assert_cmpuint (zi_window_styles_get_n (styles), ==, 2);
  g_assert_true (gtk_widget_get_visible (window_part ("style_bar")));
  g_assert_true (gtk_widget_get_visible (window_part ("weight_box")));
  g_assert_cmpuint (zi_window_styles_get_style (styles), ==, 0);
  light = wait_coverage (ZI_GLYPH_GENERATED, 64);
  light_target = wait_coverage (ZI_GLYPH_TARGET, 64);
  g_assert_nonnull (light);
  g_assert_nonnull (light_target);

  /* Black: other generated pixels, and the target column shows Black's glyph. */
  gtk_drop_down_set_selected (GTK_DROP_DOWN (window_part ("style_dropdown")), 1);
  g_assert_cmpuint (zi_window_styles_get_style (styles), ==, 1);
  black = wait_coverage (ZI_GLYPH_GENERATED, 64);
  black_target = wait_coverage (ZI_GLYPH_TARGET, 64);
  g_assert_nonnull (black);
  g_assert_true (bytes_differ (light, black));
  g_assert_true (bytes_differ (light_target, black_target));

  /* Alt+Up goes back to the lighter style, which draws what it drew before. */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.style-previous", NULL);
  g_assert_cmpuint (zi_window_styles_get_style (styles), ==, 0);
  light_again = wait_coverage (ZI_GLYPH_GENERATED, 64);
  g_test_message ("U+6C38 generated: Light against Black differ by up to %u, Light against Light again by %u",
                  max_difference (light, black), max_difference (light, light_again));
  g_assert_cmpuint (max_difference (light, light_again), <=, 2);
  g_assert_cmpuint (max_difference (light, black), >, 32);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.style-previous", NULL);
  g_assert_cmpuint (zi_window_styles_get_style (styles), ==, 0);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.style-next", NULL);
  g_assert_cmpuint (zi_window_styles_get_style (styles), ==, 1);
}

static void
test_weight_slider (void)
{
  ZiWindowStyles *styles = zi_window_get_styles (window);
  GtkRange *scale = GTK_RANGE (window_part ("weight_scale"));
  g_autoptr(GBytes) light = NULL, black = NULL, mid = NULL;
  const char *label;

  g_assert_nonnull (family_run);
  /* The slider spans the trained weights. */
  g_assert_cmpfloat (gtk_adjustment_get_lower (gtk_range_get_adjustment (scale)), ==, 300);
  g_assert_cmpfloat (gtk_adjustment_get_upper (gtk_range_get_adjustment (scale)), ==, 900);

  gtk_range_set_value (scale, 300);
  g_assert_cmpuint (zi_window_styles_get_style (styles), ==, 0);
  g_assert_cmpfloat (zi_window_styles_get_weight (styles), ==, 0);
  light = wait_coverage (ZI_GLYPH_GENERATED, 64);
  gtk_range_set_value (scale, 900);
  g_assert_cmpuint (zi_window_styles_get_style (styles), ==, 1);
  black = wait_coverage (ZI_GLYPH_GENERATED, 64);

  /* 620: a blend, drawn by neither trained style; the target column shows the nearest (Black). */
  gtk_range_set_value (scale, 620);
  g_assert_cmpfloat (zi_window_styles_get_weight (styles), ==, 620);
  g_assert_cmpuint (zi_window_styles_get_style (styles), ==, 1);
  label = gtk_label_get_label (GTK_LABEL (window_part ("weight_label")));
  g_assert_nonnull (strstr (label, "620"));
  mid = wait_coverage (ZI_GLYPH_GENERATED, 64);
  g_assert_nonnull (mid);
  g_assert_true (bytes_differ (mid, light));
  g_assert_true (bytes_differ (mid, black));
  g_test_message ("ink of U+6C38: Light %" G_GUINT64_FORMAT ", 620 %" G_GUINT64_FORMAT ", Black %" G_GUINT64_FORMAT,
                  ui_ink_sum (light), ui_ink_sum (mid), ui_ink_sum (black));
  /* The blend lies between the two in ink, as a weight between them should. */
  g_assert_cmpuint (ui_ink_sum (light), <, ui_ink_sum (mid));
  g_assert_cmpuint (ui_ink_sum (mid), <, ui_ink_sum (black));

  /* Near a trained weight the slider snaps to it; outside the range nothing changes. */
  gtk_range_set_value (scale, 305);
  g_assert_cmpfloat (zi_window_styles_get_weight (styles), ==, 0);
  g_assert_cmpuint (zi_window_styles_get_style (styles), ==, 0);
  g_assert_false (zi_window_styles_set_weight (styles, 950));
  g_assert_false (zi_window_styles_set_weight (styles, 100));
  g_assert_cmpuint (zi_window_styles_get_style (styles), ==, 0);
}

/* The panel's chart of the two-style run: a validation SSIM line per style, in the legend, whose
 * entries hide and show them. */
static void
test_chart_per_style (void)
{
  ZiTrainingPanel *panel = zi_window_get_training_panel (window);
  ZiChart *chart = ZI_CHART (gtk_widget_get_template_child (GTK_WIDGET (panel), ZI_TYPE_TRAINING_PANEL, "chart"));
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) metrics = NULL;
  guint n_val = 0;
  int light, black;
  double x = 0, y = 0;

  g_assert_nonnull (family_run);
  metrics = zi_run_metrics_load (family_run, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < metrics->len; i++)
    {
      const ZiRunMetric *m = &g_array_index (metrics, ZiRunMetric, i);
      if (m->has_val)
        {
          g_assert_cmpuint (m->n_val_styles, ==, 2);
          n_val++;
        }
    }
  g_assert_cmpuint (n_val, >=, 4);  /* steps 0, 50, 100, 150 and 200 */
  g_assert_cmpuint (ui_chart_points (window, "val_ssim:Light"), ==, n_val);
  g_assert_cmpuint (ui_chart_points (window, "val_ssim:Black"), ==, n_val);
  light = zi_chart_find_series (chart, "val_ssim:Light");
  black = zi_chart_find_series (chart, "val_ssim:Black");
  g_assert_cmpint (light, >=, 0);
  g_assert_cmpint (black, >=, 0);

  /* The legend is drawn with the chart: click Light's entry off and on again. */
  zi_window_show_page (window, "training");
  ui_spin (1.0);
  g_assert_true (zi_chart_get_legend_entry (chart, light, &x, &y));
  g_assert_true (zi_chart_get_series_visible (chart, light));
  g_assert_cmpint (zi_chart_toggle_legend_at (chart, x, y), ==, light);
  g_assert_false (zi_chart_get_series_visible (chart, light));
  g_assert_true (zi_chart_get_series_visible (chart, black));
  take_screenshot ("family-chart.png");
  g_assert_cmpint (zi_chart_toggle_legend_at (chart, x, y), ==, light);
  g_assert_true (zi_chart_get_series_visible (chart, light));
  /* Off the legend, a click changes nothing. */
  g_assert_cmpint (zi_chart_toggle_legend_at (chart, x, y + 400), ==, -1);
  zi_window_show_page (window, "glyphs");
}

/* Picks are per style: a pick made while Black is shown belongs to Black in picks.json, and Light's
 * picks stay as they were. */
static void
test_picks_per_style (void)
{
  ZiWindowStyles *styles = zi_window_get_styles (window);
  g_autoptr(GError) error = NULL;
  g_autoptr(ZiPicks) picks = NULL;

  g_assert_nonnull (family_run);
  g_assert_true (zi_window_select_char (window, PROBE));
  zi_window_styles_select (styles, 1);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.pick-checkpoint", "s", "step-00000200");
  picks = zi_picks_load (family_run, &error);
  g_assert_no_error (error);
  zi_picks_select_style (picks, "Black", FALSE);
  g_assert_cmpstr (zi_picks_get (picks, PROBE), ==, "step-00000200");
  zi_picks_select_style (picks, "Light", TRUE);
  g_assert_null (zi_picks_get (picks, PROBE));
  g_clear_pointer (&picks, zi_picks_free);

  /* Back on Light, a pick there leaves Black's alone; the default ("") unpicks Light's only. */
  zi_window_styles_select (styles, 0);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.pick-checkpoint", "s", "step-00000200");
  gtk_widget_activate_action (GTK_WIDGET (window), "win.pick-checkpoint", "s", "");
  picks = zi_picks_load (family_run, &error);
  g_assert_no_error (error);
  zi_picks_select_style (picks, "Light", TRUE);
  g_assert_null (zi_picks_get (picks, PROBE));
  zi_picks_select_style (picks, "Black", FALSE);
  g_assert_cmpstr (zi_picks_get (picks, PROBE), ==, "step-00000200");
}

static gboolean
panel_idle_with_checkpoint (gpointer data)
{
  ZiTrainingPanel *panel = zi_window_get_training_panel (window);
  const char * const *cps = zi_training_panel_get_checkpoints (panel);

  return zi_training_panel_get_state (panel) == ZI_TRAINER_STATE_IDLE && cps != NULL && cps[0] != NULL;
}

static gboolean
has_styles (gpointer data)
{
  return zi_window_styles_get_n (zi_window_get_styles (window)) == GPOINTER_TO_UINT (data);
}

/* A family from the target picker: every weight becomes a style; training from the window makes a
 * run of several styles, which the switcher then offers. */
static void
test_family_target (void)
{
  ZiTrainingPanel *panel = zi_window_get_training_panel (window);
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) family = zi_font_list_family ("Zen Maru Gothic", &error);
  g_auto(GStrv) targets = NULL;
  const char *two[3];
  ZiTrainerConfig cfg = { 0 };
  ZiRunInfo info = { 0 };
  ZiFont *shown;
  /* 永東國山川日月木水火土金 */
  static const gunichar chars[] = { 0x6C38, 0x6771, 0x570B, 0x5C71, 0x5DDD, 0x65E5, 0x6708, 0x6728, 0x6C34,
                                    0x706B, 0x571F, 0x91D1 };
  g_autofree char *run_dir = zi_window_new_run_dir (window);

  g_assert_no_error (error);
  g_assert_cmpuint (g_strv_length (family), ==, 5);
  zi_window_set_targets (window, (const char * const *) family, "Zen Maru Gothic: 5 weights");
  g_assert_true (ui_wait_for (ui_window_loaded, window, 60));
  targets = zi_window_dup_targets (window);
  g_assert_cmpuint (g_strv_length (targets), ==, 5);
  g_assert_cmpstr (gtk_menu_button_get_label (GTK_MENU_BUTTON (window_part ("target_button"))), ==,
                   "Zen Maru Gothic: 5 weights");
  /* The grid shows the regular weight. */
  shown = zi_font_open (zi_window_get_target_font (window), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (zi_font_get_weight_class (shown), ==, 400);
  zi_font_free (shown);

  /* Training two of them from the window (a tiny run). */
  two[0] = family[0];
  two[1] = family[4];
  two[2] = NULL;
  gtk_widget_activate_action (GTK_WIDGET (window), "win.new-run", NULL);
  g_assert_false (gtk_widget_get_visible (window_part ("style_bar")));
  zi_window_set_targets (window, two, NULL);
  g_assert_true (ui_wait_for (ui_window_loaded, window, 60));
  zi_training_panel_get_config (panel, &cfg);
  cfg.net.size = 64;
  cfg.net.ngf = 8;
  cfg.net.batch = 4;
  cfg.max_steps = 20;
  cfg.checkpoint_every = 20;
  cfg.val_every = 20;
  cfg.threads = 1;
  zi_training_panel_set_config (panel, &cfg);
  zi_trainer_config_clear (&cfg);
  g_assert_true (zi_training_panel_start_styles (panel, zi_window_get_source_font (window), two, chars,
                                                 G_N_ELEMENTS (chars), run_dir, &error));
  g_assert_no_error (error);
  g_assert_true (ui_wait_for (panel_idle_with_checkpoint, NULL, 150));
  /* The trainer's validation events drew a line per style as it went. */
  g_assert_cmpuint (ui_chart_points (window, "val_ssim:Light"), >=, 1);
  g_assert_cmpuint (ui_chart_points (window, "val_ssim:Black"), ==, ui_chart_points (window, "val_ssim:Light"));
  g_assert_cmpstr (zi_training_panel_get_run_dir (panel), ==, run_dir);
  g_assert_true (zi_run_info_load (run_dir, &info, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (info.n_styles, ==, 2);
  g_assert_cmpuint (info.styles[0].weight_class, ==, 300);
  g_assert_cmpuint (info.styles[1].weight_class, ==, 900);
  zi_run_info_clear (&info);
  g_assert_true (zi_window_open_run (window, run_dir, &error));
  g_assert_no_error (error);
  g_assert_true (ui_wait_for (has_styles, GUINT_TO_POINTER (2), 30));
  g_assert_true (gtk_widget_get_visible (window_part ("style_bar")));
}

/* With ZIMARU_SCREENSHOT_RUN (a run of several styles) and ZIMARU_SCREENSHOT_DIR: family.png, the
 * glyph page at a weight between two trained ones above the training page's per-style chart, one
 * picture of the two pages of the same window. */
static void
test_screenshot_family (void)
{
  const char *run = g_getenv ("ZIMARU_SCREENSHOT_RUN");
  const char *dir = g_getenv ("ZIMARU_SCREENSHOT_DIR");
  g_autoptr(GError) error = NULL;
  g_autofree char *top_path = NULL, *bottom_path = NULL, *path = NULL;
  cairo_surface_t *top, *bottom, *both;
  cairo_t *cr;
  UiRenderWait rw = { zi_window_get_cache (window), 0 };

  if (run == NULL || dir == NULL)
    {
      g_test_skip ("set ZIMARU_SCREENSHOT_RUN and ZIMARU_SCREENSHOT_DIR to take family.png");
      return;
    }
  g_assert_true (zi_window_open_run (window, run, &error));
  g_assert_no_error (error);
  g_assert_true (ui_wait_for (ui_window_loaded, window, 60));
  g_assert_cmpuint (zi_window_styles_get_n (zi_window_get_styles (window)), >, 2);
  zi_window_show_page (window, "glyphs");
  /* Held-out characters: the target column has each in the style shown, the model never saw them. */
  zi_window_set_filter (window, ZI_FILTER_VALIDATION);
  {
    GListModel *model = zi_window_get_grid_model (window);
    g_autoptr(ZiGlyphItem) item = NULL;

    g_assert_cmpuint (g_list_model_get_n_items (model), >, 4);
    item = g_list_model_get_item (model, 4);
    g_assert_true (zi_window_select_char (window, zi_glyph_item_get_char (item)));
  }
  zi_glyph_detail_set_mode (ZI_GLYPH_DETAIL (zi_window_get_detail (window)), "generated");
  g_assert_true (zi_window_styles_set_weight (zi_window_get_styles (window), 600));
  ui_spin (2.0);
  ui_wait_for (ui_cache_settled, &rw, 60);
  ui_spin (2.0);
  top_path = g_build_filename (dir, "family-glyphs.png", NULL);
  take_screenshot ("family-glyphs.png");
  zi_window_show_page (window, "training");
  ui_spin (1.0);
  bottom_path = g_build_filename (dir, "family-chart.png", NULL);
  take_screenshot ("family-chart.png");

  top = cairo_image_surface_create_from_png (top_path);
  bottom = cairo_image_surface_create_from_png (bottom_path);
  g_assert_cmpint (cairo_surface_status (top), ==, CAIRO_STATUS_SUCCESS);
  g_assert_cmpint (cairo_surface_status (bottom), ==, CAIRO_STATUS_SUCCESS);
  both = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, cairo_image_surface_get_width (top),
                                     cairo_image_surface_get_height (top) + cairo_image_surface_get_height (bottom));
  cr = cairo_create (both);
  cairo_set_source_surface (cr, top, 0, 0);
  cairo_paint (cr);
  cairo_set_source_surface (cr, bottom, 0, cairo_image_surface_get_height (top));
  cairo_paint (cr);
  cairo_destroy (cr);
  path = g_build_filename (dir, "family.png", NULL);
  g_assert_cmpint (cairo_surface_write_to_png (both, path), ==, CAIRO_STATUS_SUCCESS);
  cairo_surface_destroy (both);
  cairo_surface_destroy (top);
  cairo_surface_destroy (bottom);
  zi_window_set_filter (window, ZI_FILTER_ALL);
  zi_window_show_page (window, "glyphs");
}

int
main (int argc, char **argv)
{
  ui_test_prepare (argc, argv);
  window = ui_window_test_start (&argc, &argv, &app, &tmp_dir);
  g_assert_true (ui_wait_for (ui_window_loaded, window, 60));

  g_test_add_func ("/ui/family/one-style-hides-switcher", test_one_style_hides_switcher);
  g_test_add_func ("/ui/family/switch-style", test_switch_style);
  g_test_add_func ("/ui/family/weight-slider", test_weight_slider);
  g_test_add_func ("/ui/family/chart-per-style", test_chart_per_style);
  g_test_add_func ("/ui/family/picks-per-style", test_picks_per_style);
  g_test_add_func ("/ui/family/target-picker", test_family_target);
  g_test_add_func ("/ui/family/screenshot", test_screenshot_family);
  return ui_window_test_run (window, app, tmp_dir);
}
