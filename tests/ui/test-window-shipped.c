/* test-window-shipped.c — the real window under Xvfb at first start, with a shipped model of its own:
 * a tiny zimaru-cli run on two target styles (Zen Maru Gothic Black and Regular, in that embedding
 * order, 10 steps) whose generator-only (EMA) checkpoint is copied to a temporary ZIMARU_MODEL_DIR as
 * the shipped file.
 * With no run open the generated column shows that model in the style matching the target font, and
 * the line above the grid says so; a run's checkpoint takes over and a new run gives the column back;
 * export starts with it; the training panel's "Start from the shipped model" ends up in the trainer
 * config; and a window whose shipped model is missing says so once and shows no generated column.
 * The style matching itself is checked without a display on the nine styles of the real model.
 *
 * With ZIMARU_SCREENSHOT_DIR and ZIMARU_MODEL_DIR both set, only /ui/shipped/screenshot runs: it
 * saves first-start.png of the window showing that model, for the README. */
#include "config.h"

#include "zi-char-list.h"
#include "zi-export-dialog.h"
#include "zi-fileutil.h"
#include "zi-trainer-config.h"
#include "zi-window.h"
#include "zi-window-shipped.h"

#include <string.h>
#include "ui-test-util.h"

static ZiApplication *app;
static ZiWindow *window;
static char *tmp_dir;
static char *model_dir;
static char *run_dir;

#define TRAIN_CHARS "永東國酬愛鬱靈鷹袋山川日月木水火土金人口大小中上下左右森林花草"

/* ---- Set-up ----------------------------------------------------------------------------------- */

/* A two-style run by zimaru-cli in dir/run, and its last checkpoint copied to dir/models as the
 * shipped file; returns the models folder. */
static char *
make_test_model (const char *dir)
{
  const char *cli = g_getenv ("ZIMARU_CLI");
  g_autofree char *models = g_build_filename (dir, "models", NULL);
  g_autofree char *ckpt = NULL;
  g_autofree char *dest = NULL;
  g_autofree char *err = NULL;
  g_autoptr(GError) error = NULL;
  const char *argv[] = { cli, "train", "--chars-text", TRAIN_CHARS, "--run", NULL, "--size", "64", "--ngf", "8",
                         "--batch", "4", "--steps", "10", "--checkpoint-every", "10", "--seed", "7",
                         "--threads", "1", "--val-fraction", "0.2", "--val-every", "50",
                         "--target", "Zen Maru Gothic:style=Black", "--target", "Zen Maru Gothic:style=Regular",
                         NULL };
  int status = 0;

  g_assert_nonnull (cli);
  run_dir = g_build_filename (dir, "run", NULL);
  argv[5] = run_dir;
  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_STDOUT_TO_DEV_NULL, NULL, NULL, NULL, &err,
                               &status, &error));
  g_assert_no_error (error);
  if (!g_spawn_check_wait_status (status, NULL))
    g_printerr ("zimaru-cli train failed: %s\n", err);
  g_assert_true (g_spawn_check_wait_status (status, NULL));

  /* The generator-only (EMA) checkpoint, as the shipped file is. */
  {
    g_autofree char *full = zi_run_checkpoint_path (run_dir, 10);
    ckpt = zi_run_ema_path (full);
  }
  dest = g_build_filename (models, "zimaru-maru-64.zck", NULL);
  g_assert_cmpint (g_mkdir_with_parents (models, 0755), ==, 0);
  {
    g_autoptr(GFile) from = g_file_new_for_path (ckpt);
    g_autoptr(GFile) to = g_file_new_for_path (dest);
    g_assert_true (g_file_copy (from, to, G_FILE_COPY_NONE, NULL, NULL, NULL, &error));
    g_assert_no_error (error);
  }
  return g_steal_pointer (&models);
}

/* ---- Helpers ---------------------------------------------------------------------------------- */

static GtkWidget *
window_part (ZiWindow *w, const char *name)
{
  GObject *part = gtk_widget_get_template_child (GTK_WIDGET (w), ZI_TYPE_WINDOW, name);
  g_assert_nonnull (part);
  return GTK_WIDGET (part);
}

static const char *
model_label (ZiWindow *w)
{
  return gtk_label_get_label (GTK_LABEL (window_part (w, "model_label")));
}

static gboolean
shows_shipped (gpointer data)
{
  return zi_window_shows_shipped_model (data);
}

typedef struct {
  ZiWindow   *window;
  const char *text;
} LabelWait;

static gboolean
label_contains (gpointer data)
{
  LabelWait *w = data;
  return strstr (model_label (w->window), w->text) != NULL;
}

/* Opens target in the window and waits until the fonts are loaded and the shipped model shows. */
static void
set_target (const char *target)
{
  zi_window_set_fonts (window, NULL, target);
  g_assert_true (ui_wait_for (ui_window_loaded, window, 60));
  g_assert_true (ui_wait_for (shows_shipped, window, 60));
}

/* The model's own output for c (a new reference), once the cache has made it at size. */
static GBytes *
wait_generated (ZiWindow *w, gunichar c)
{
  ZiGlyphCache *cache = zi_window_get_cache (w);
  UiGlyphWait gw = { cache, c, ZI_GLYPH_GENERATED, 64 };
  GBytes *coverage;

  g_assert_true (ui_wait_for (ui_glyph_known, &gw, 60));
  coverage = zi_glyph_cache_lookup_coverage (cache, c, ZI_GLYPH_GENERATED, 64);
  g_assert_nonnull (coverage);
  return g_bytes_ref (coverage);
}

/* ---- Style matching, without the window -------------------------------------------------------- */

static void
test_match_style (void)
{
  /* The real model's nine styles, named as its file may name them. */
  ZiRunStyle styles[] = {
    { .name = "Regular", .family = "Kosugi Maru", .weight_class = 400 },
    { .name = "Light", .family = "Kiwi Maru", .weight_class = 300 },
    { .name = "Regular 2", .family = "Kiwi Maru", .weight_class = 400 },
    { .name = "Medium", .family = "Kiwi Maru", .weight_class = 500 },
    { .name = "Light 2", .family = "Zen Maru Gothic", .weight_class = 300 },
    { .name = "Regular 3", .family = "Zen Maru Gothic", .weight_class = 400 },
    { .name = "Medium 2", .family = "Zen Maru Gothic", .weight_class = 500 },
    { .name = "Bold", .family = "Zen Maru Gothic", .weight_class = 700 },
    { .name = "Black", .family = "Zen Maru Gothic", .weight_class = 900 },
  };
  guint n = G_N_ELEMENTS (styles);

  g_assert_cmpuint (zi_window_shipped_match_style (styles, n, "Zen Maru Gothic", 400), ==, 5);
  g_assert_cmpuint (zi_window_shipped_match_style (styles, n, "Zen Maru Gothic", 900), ==, 8);
  g_assert_cmpuint (zi_window_shipped_match_style (styles, n, "Kiwi Maru", 500), ==, 3);
  g_assert_cmpuint (zi_window_shipped_match_style (styles, n, "kiwimaru", 300), ==, 1);
  g_assert_cmpuint (zi_window_shipped_match_style (styles, n, "Kosugi Maru", 400), ==, 0);
  /* Same family, nearest weight; between two as near, the lighter. */
  g_assert_cmpuint (zi_window_shipped_match_style (styles, n, "Zen Maru Gothic", 800), ==, 7);
  g_assert_cmpuint (zi_window_shipped_match_style (styles, n, "Zen Maru Gothic", 600), ==, 6);
  g_assert_cmpuint (zi_window_shipped_match_style (styles, n, "Kiwi Maru", 900), ==, 3);
  g_assert_cmpuint (zi_window_shipped_match_style (styles, n, "Zen Maru Gothic", 100), ==, 4);
  /* Another family: the first style. */
  g_assert_cmpuint (zi_window_shipped_match_style (styles, n, "Noto Sans CJK TC", 400), ==, 0);
  g_assert_cmpuint (zi_window_shipped_match_style (styles, n, NULL, 400), ==, 0);
}

/* ---- The window at first start ---------------------------------------------------------------- */

/* No run open: the grid's cells of characters the target lacks get the shipped model's glyphs. */
static void
test_generated_cells (void)
{
  ZiGlyphCache *cache = zi_window_get_cache (window);
  GListModel *model = zi_window_get_grid_model (window);
  UiRenderWait rw = { cache, 0 };
  guint checked = 0;

  set_target ("Zen Maru Gothic");
  g_assert_null (zi_training_panel_get_run_dir (zi_window_get_training_panel (window)));
  g_assert_cmpuint (zi_glyph_cache_get_n_models (cache), ==, 1);
  zi_window_show_page (window, "glyphs");
  zi_window_set_block (window, "cjk");
  zi_window_set_filter (window, ZI_FILTER_MISSING);
  g_assert_cmpuint (g_list_model_get_n_items (model), >, 100);
  g_assert_true (ui_wait_for (ui_cache_settled, &rw, 60));

  /* The cells on screen asked for them: the model's output is in the store without asking here. */
  for (guint i = 0; i < 8; i++)
    {
      g_autoptr(ZiGlyphItem) item = g_list_model_get_item (model, i);
      gunichar c = zi_glyph_item_get_char (item);
      GBytes *native = zi_glyph_cache_lookup_coverage (cache, c, ZI_GLYPH_GENERATED, 0);

      g_assert_nonnull (native);
      g_assert_cmpuint (g_bytes_get_size (native), ==, 64 * 64);
      g_assert_cmpuint (ui_ink_sum (native), >, 0);
      checked++;
    }
  g_assert_cmpuint (checked, ==, 8);
  g_assert_nonnull (strstr (model_label (window), "Shipped model"));
  g_assert_null (zi_window_get_error (window));
}

/* The style drawn is the model's style of the target's family and weight: Regular is style 1,
 * Black style 0, Medium the nearest (Regular); and they draw differently. */
static void
test_style_matches_target (void)
{
  g_autoptr(GBytes) regular = NULL, black = NULL, medium = NULL;
  LabelWait lw = { window, NULL };
  gunichar probe;

  set_target ("Zen Maru Gothic:style=Regular");
  zi_window_set_filter (window, ZI_FILTER_MISSING);
  {
    g_autoptr(ZiGlyphItem) item = g_list_model_get_item (zi_window_get_grid_model (window), 0);
    probe = zi_glyph_item_get_char (item);
  }
  lw.text = ": Zen Maru Gothic Regular";
  g_assert_true (ui_wait_for (label_contains, &lw, 10));
  regular = wait_generated (window, probe);

  set_target ("Zen Maru Gothic:style=Black");
  lw.text = ": Zen Maru Gothic Black";
  g_assert_true (ui_wait_for (label_contains, &lw, 10));
  black = wait_generated (window, probe);
  g_assert_false (g_bytes_equal (regular, black));

  set_target ("Zen Maru Gothic:style=Medium");
  lw.text = ": Zen Maru Gothic Regular";
  g_assert_true (ui_wait_for (label_contains, &lw, 10));
  medium = wait_generated (window, probe);
  g_assert_false (g_bytes_equal (medium, black));

  /* Another family draws the first style. */
  set_target ("Kosugi Maru");
  lw.text = ": Zen Maru Gothic Black";
  g_assert_true (ui_wait_for (label_contains, &lw, 10));
  set_target ("Zen Maru Gothic");
}

/* A run's checkpoint takes over; a new run gives the column back to the shipped model. */
static void
test_run_takes_over (void)
{
  g_autoptr(GError) error = NULL;
  LabelWait lw = { window, "step-00000010.zck" };

  g_assert_true (zi_window_open_run (window, run_dir, &error));
  g_assert_no_error (error);
  g_assert_true (ui_wait_for (ui_window_loaded, window, 60));
  g_assert_false (zi_window_shows_shipped_model (window));
  g_assert_true (ui_wait_for (label_contains, &lw, 10));

  gtk_widget_activate_action (GTK_WIDGET (window), "win.new-run", NULL);
  g_assert_true (zi_window_shows_shipped_model (window));
  g_assert_cmpuint (zi_glyph_cache_get_n_models (zi_window_get_cache (window)), ==, 1);
  lw.text = "Shipped model";
  g_assert_true (ui_wait_for (label_contains, &lw, 10));
  zi_window_set_fonts (window, "Noto Sans CJK TC", "Zen Maru Gothic");
  g_assert_true (ui_wait_for (ui_window_loaded, window, 60));
  zi_window_show_page (window, "glyphs");
}

/* Export works at once with the shipped model: the action is on, its dialog draws a preview and
 * exports the selected glyph. */
static void
test_export (void)
{
  g_autofree char *manifest = g_build_filename (tmp_dir, "shipped-export", "manifest.json", NULL);
  GtkWidget *dialog;

  g_assert_true (zi_window_shows_shipped_model (window));
  zi_window_set_filter (window, ZI_FILTER_MISSING);
  {
    g_autoptr(ZiGlyphItem) item = g_list_model_get_item (zi_window_get_grid_model (window), 0);
    g_assert_true (zi_window_select_char (window, zi_glyph_item_get_char (item)));
  }
  g_assert_null (ui_find_toplevel (ZI_TYPE_EXPORT_DIALOG));
  gtk_widget_activate_action (GTK_WIDGET (window), "win.export", NULL);
  dialog = ui_find_toplevel (ZI_TYPE_EXPORT_DIALOG);
  g_assert_nonnull (dialog);
  ui_export_dialog_run (dialog, tmp_dir, "shipped-export", 2);
  g_assert_true (g_file_test (manifest, G_FILE_TEST_IS_REGULAR));
  gtk_window_destroy (GTK_WINDOW (dialog));
}

/* The training panel's switch: off by default, "default" in the config when on, and freeze_steps
 * left at the trainer's default. */
static void
test_init_switch (void)
{
  ZiTrainingPanel *panel = zi_window_get_training_panel (window);
  GtkCheckButton *check = GTK_CHECK_BUTTON (gtk_widget_get_template_child (GTK_WIDGET (panel),
                                                                          ZI_TYPE_TRAINING_PANEL, "init_check"));
  ZiTrainerConfig defaults = { 0 }, cfg = { 0 };

  g_assert_nonnull (check);
  zi_trainer_config_init (&defaults);
  g_assert_false (gtk_check_button_get_active (check));
  g_assert_true (gtk_widget_get_sensitive (GTK_WIDGET (check)));
  zi_training_panel_get_config (panel, &cfg);
  g_assert_null (cfg.init_from);
  zi_trainer_config_clear (&cfg);

  gtk_check_button_set_active (check, TRUE);
  zi_training_panel_get_config (panel, &cfg);
  g_assert_cmpstr (cfg.init_from, ==, "default");
  g_assert_cmpuint (cfg.freeze_steps, ==, defaults.freeze_steps);
  zi_trainer_config_clear (&cfg);

  gtk_check_button_set_active (check, FALSE);
  zi_training_panel_get_config (panel, &cfg);
  g_assert_null (cfg.init_from);
  zi_trainer_config_clear (&cfg);
  zi_trainer_config_clear (&defaults);
}

/* A window whose shipped model is missing: no generated column, no export, no error banner, and the
 * line above the grid says so. */
static void
test_missing_model (void)
{
  g_autofree char *empty = g_build_filename (tmp_dir, "empty-models", NULL);
  ZiWindow *other;
  LabelWait lw = { NULL, "No shipped model" };

  /* At first start: no run to reopen. */
  g_settings_set_string (zi_application_get_settings (app), "last-run", "");
  g_setenv ("ZIMARU_MODEL_DIR", empty, TRUE);
  other = zi_window_new (app);
  gtk_window_present (GTK_WINDOW (other));
  lw.window = other;
  g_assert_true (ui_wait_for (ui_window_loaded, other, 60));
  g_assert_true (ui_wait_for (label_contains, &lw, 30));
  g_assert_false (zi_window_shows_shipped_model (other));
  g_assert_cmpuint (zi_glyph_cache_get_n_models (zi_window_get_cache (other)), ==, 0);
  gtk_widget_activate_action (GTK_WIDGET (other), "win.export", NULL);
  g_assert_null (ui_find_toplevel (ZI_TYPE_EXPORT_DIALOG));
  g_assert_null (zi_window_get_error (other));
  g_assert_nonnull (strstr (gtk_widget_get_tooltip_text (window_part (other, "model_label")), empty));
  ui_spin (0.5);
  gtk_window_destroy (GTK_WINDOW (other));
  g_setenv ("ZIMARU_MODEL_DIR", model_dir, TRUE);
}

/* ---- The README's picture --------------------------------------------------------------------- */

/* first-start.png: the window as it opens, the missing ideographs drawn by the shipped model. */
static void
test_screenshot (void)
{
  UiRenderWait rw = { zi_window_get_cache (window), 0 };

  g_assert_true (ui_wait_for (shows_shipped, window, 60));
  zi_window_show_page (window, "glyphs");
  zi_window_set_block (window, "cjk");
  zi_window_set_filter (window, ZI_FILTER_MISSING);
  {
    g_autoptr(ZiGlyphItem) item = g_list_model_get_item (zi_window_get_grid_model (window), 5);
    g_assert_true (zi_window_select_char (window, zi_glyph_item_get_char (item)));
  }
  ui_spin (1.0);
  g_assert_true (ui_wait_for (ui_cache_settled, &rw, 60));
  ui_spin (1.0);
  ui_take_screenshot (GTK_WIDGET (window), "first-start.png");
}

int
main (int argc, char **argv)
{
  g_autofree char *setup_dir = NULL;
  gboolean screenshot = g_getenv ("ZIMARU_SCREENSHOT_DIR") != NULL && g_getenv ("ZIMARU_MODEL_DIR") != NULL;
  int status;

  ui_test_prepare (argc, argv);
  if (!screenshot)
    {
      g_autoptr(GError) error = NULL;

      setup_dir = g_dir_make_tmp ("zimaru-shipped-XXXXXX", &error);
      g_assert_no_error (error);
      model_dir = make_test_model (setup_dir);
      g_setenv ("ZIMARU_MODEL_DIR", model_dir, TRUE);
    }
  window = ui_window_test_start (&argc, &argv, &app, &tmp_dir);
  g_assert_true (ui_wait_for (ui_window_loaded, window, 60));

  if (screenshot)
    g_test_add_func ("/ui/shipped/screenshot", test_screenshot);
  else
    {
      g_test_add_func ("/ui/shipped/match-style", test_match_style);
      g_test_add_func ("/ui/shipped/generated-cells", test_generated_cells);
      g_test_add_func ("/ui/shipped/style-matches-target", test_style_matches_target);
      g_test_add_func ("/ui/shipped/run-takes-over", test_run_takes_over);
      g_test_add_func ("/ui/shipped/export", test_export);
      g_test_add_func ("/ui/shipped/init-switch", test_init_switch);
      g_test_add_func ("/ui/shipped/missing-model", test_missing_model);
    }
  status = ui_window_test_run (window, app, tmp_dir);
  if (setup_dir != NULL)
    zi_dir_remove_tree (setup_dir);
  g_free (model_dir);
  g_free (run_dir);
  return status;
}
