/* test-window-train.c — the real window under Xvfb with the default fonts, around training: a tiny
 * training run from the panel (points reach the chart, pause / resume / stop, the worst frame
 * time), checkpoint comparison in the grid, the LR range test, opening a run made by the CLI, the
 * export dialog and the Preferences window (both use that run, so they run here after it). The
 * grid, the detail pane and search are in test-window.c. With ZIMARU_SCREENSHOT_DIR naming a
 * directory, the tests save pictures of the window there (training.png, compare.png,
 * preferences.png); with ZIMARU_SCREENSHOT_RUN too, /ui/window/screenshot-real-run takes the
 * README's pictures and /ui/window/screenshot-outline those of the detail pane's outline view. */
#include "config.h"

#include "zi-application.h"
#include "zi-char-list.h"
#include "zi-chart.h"
#include "zi-export-dialog.h"
#include "zi-glyph-detail.h"
#include "zi-preferences-window.h"
#include "zi-run.h"
#include "zi-window.h"

#include <string.h>
#include "ui-test-util.h"

static ZiApplication *app;
static ZiWindow *window;
static char *tmp_dir;

/* A small set of kana and kanji for training: quick to render, enough for a split. */
#define TINY_CHARS "あいうえおかきくけこさしすせそたちつてとなにぬねのはひふへほまみむめもやゆよらりるれろわをん永東國"

/* One frame at 60 Hz; a sanitizer build runs the same code several times slower. */
#if defined(__SANITIZE_ADDRESS__)
#define FRAME_BUDGET_US (4 * 16000)
#else
#define FRAME_BUDGET_US 16000
#endif

static void
take_screenshot (const char *name)
{
  ui_take_screenshot (GTK_WIDGET (window), name);
}

/* ---- Training ----------------------------------------------------------------------------------- */

static guint
chart_points (const char *id)
{
  return ui_chart_points (window, id);
}

static gboolean
has_points (gpointer data)
{
  return chart_points ("d_loss") >= GPOINTER_TO_UINT (data);
}

static gboolean
has_validation_points (gpointer data)
{
  return chart_points ("val_ssim") >= GPOINTER_TO_UINT (data);
}

static gboolean
panel_in_state (gpointer data)
{
  return (int) zi_training_panel_get_state (zi_window_get_training_panel (window)) == GPOINTER_TO_INT (data);
}

static gboolean
has_checkpoints (gpointer data)
{
  const char * const *cps = zi_training_panel_get_checkpoints (zi_window_get_training_panel (window));
  return cps != NULL && g_strv_length ((char **) cps) >= GPOINTER_TO_UINT (data);
}

typedef struct {
  gint64 last, worst;
  guint  n;
} FrameStats;

static gboolean
count_frame_cb (GtkWidget *widget, GdkFrameClock *clock, gpointer data)
{
  FrameStats *f = data;
  gint64 now = gdk_frame_clock_get_frame_time (clock);

  if (f->last != 0)
    f->worst = MAX (f->worst, now - f->last);
  f->last = now;
  f->n++;
  return G_SOURCE_CONTINUE;
}

/* The frame rate of this display with nothing training, to read the training numbers against. */
static void
measure_idle_frames (void)
{
  FrameStats f = { 0 };
  guint id = gtk_widget_add_tick_callback (GTK_WIDGET (window), count_frame_cb, &f, NULL);

  ui_spin (2.0);
  gtk_widget_remove_tick_callback (GTK_WIDGET (window), id);
  g_test_message ("idle baseline: %u frames in 2 s, worst interval %.1f ms", f.n, f.worst / 1000.0);
}

static void
set_tiny_config (ZiTrainingPanel *panel, guint64 steps)
{
  ZiTrainerConfig cfg = { 0 };

  zi_training_panel_get_config (panel, &cfg);
  cfg.net.size = 64;
  cfg.net.ngf = 8;
  cfg.net.batch = 4;
  cfg.max_steps = steps;
  cfg.checkpoint_every = 20;
  cfg.val_every = 20;
  cfg.val_fraction = 0.1;
  zi_training_panel_set_config (panel, &cfg);
  zi_trainer_config_clear (&cfg);
}

static void
test_train_from_panel (void)
{
  ZiTrainingPanel *panel = zi_window_get_training_panel (window);
  g_autoptr(GArray) chars = g_array_new (FALSE, FALSE, sizeof (gunichar));
  g_autofree char *run_dir = g_build_filename (tmp_dir, "gui-run", NULL);
  g_autoptr(GError) error = NULL;
  guint n, frames;
  gint64 worst, worst_cpu = 0;

  for (const char *p = TINY_CHARS; *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);
      g_array_append_val (chars, c);
    }
  /* More steps than the test waits for: it pauses, resumes and stops the run itself. */
  set_tiny_config (panel, 5000);
  zi_window_show_page (window, "training");
  measure_idle_frames ();
  g_assert_true (zi_training_panel_start (panel, zi_window_get_source_font (window),
                                          zi_window_get_target_font (window), (const gunichar *) chars->data,
                                          chars->len, run_dir, &error));
  g_assert_no_error (error);

  /* Points arrive in the chart while the main loop keeps turning. */
  g_assert_true (ui_wait_for (has_points, GUINT_TO_POINTER (3), 120));
  g_assert_cmpuint (chart_points ("g_loss"), >=, 3);
  g_assert_cmpuint (chart_points ("lr"), >=, 3);

  /* Pause: the state says so and no new points come. */
  zi_training_panel_pause (panel);
  g_assert_true (ui_wait_for (panel_in_state, GINT_TO_POINTER (ZI_TRAINER_STATE_PAUSED), 30));
  ui_spin (0.3);
  n = chart_points ("d_loss");
  ui_spin (1.0);
  g_assert_cmpuint (chart_points ("d_loss"), ==, n);

  zi_training_panel_resume (panel);
  g_assert_true (ui_wait_for (panel_in_state, GINT_TO_POINTER (ZI_TRAINER_STATE_RUNNING), 30));
  g_assert_true (ui_wait_for (has_points, GUINT_TO_POINTER (n + 2), 120));

  /* A checkpoint with validation, then a preview; take the screenshot with something to see. */
  g_assert_true (ui_wait_for (has_checkpoints, GUINT_TO_POINTER (1), 120));
  worst = zi_training_panel_get_worst_frame (panel, &frames);
  g_test_message ("worst frame interval while training: %.1f ms over %u frames", worst / 1000.0, frames);
  worst = zi_training_panel_get_worst_event_time (panel, &worst_cpu);
  g_test_message ("worst main-loop time on one trainer event: %.2f ms wall, %.2f ms CPU",
                  worst / 1000.0, worst_cpu / 1000.0);
  /* The training thread never holds the main loop: handling an event is copying numbers into
   * widgets, well inside one 16 ms frame of main-thread work. */
  g_assert_cmpint (worst_cpu, >, 0);
  g_assert_cmpint (worst_cpu, <, FRAME_BUDGET_US);
  /* Let a validation preview arrive first. */
  if (g_getenv ("ZIMARU_SCREENSHOT_DIR") != NULL)
    ui_spin (3.0);
  take_screenshot ("training.png");

  /* Stop: a final checkpoint and back to idle. */
  zi_training_panel_stop (panel);
  g_assert_true (ui_wait_for (panel_in_state, GINT_TO_POINTER (ZI_TRAINER_STATE_IDLE), 120));
  g_assert_true (has_checkpoints (GUINT_TO_POINTER (2)));
  g_assert_true (g_file_test (run_dir, G_FILE_TEST_IS_DIR));

}

static gboolean
detail_has_metrics (gpointer data)
{
  double l1, ssim, iou;
  return zi_glyph_detail_get_metrics (data, &l1, &ssim, &iou);
}

static void
test_compare_checkpoints (void)
{
  ZiTrainingPanel *panel = zi_window_get_training_panel (window);
  ZiGlyphCache *cache = zi_window_get_cache (window);
  guint indices[2] = { 0, 1 };
  g_auto(GStrv) selected = NULL;
  UiGlyphWait w0 = { cache, 0x6C38, ZI_GLYPH_GENERATED, 1 };
  UiGlyphWait w1 = { cache, 0x6C38, ZI_GLYPH_GENERATED + 1, 1 };
  GBytes *a, *b;

  g_assert_true (has_checkpoints (GUINT_TO_POINTER (2)));
  zi_training_panel_select_checkpoints (panel, indices, 2);
  selected = zi_training_panel_get_selected_checkpoints (panel);
  g_assert_cmpuint (g_strv_length (selected), ==, 2);

  zi_window_compare_checkpoints (window, (const char * const *) selected);
  zi_window_show_page (window, "glyphs");
  g_assert_cmpuint (zi_glyph_cache_get_n_models (cache), ==, 2);

  /* Both checkpoints generate the same character, each at the model's size. */
  g_assert_true (ui_wait_for (ui_glyph_known, &w0, 60));
  g_assert_true (ui_wait_for (ui_glyph_known, &w1, 60));
  a = zi_glyph_cache_lookup_coverage (cache, 0x6C38, ZI_GLYPH_GENERATED, 1);
  b = zi_glyph_cache_lookup_coverage (cache, 0x6C38, ZI_GLYPH_GENERATED + 1, 1);
  g_assert_nonnull (a);
  g_assert_nonnull (b);
  g_assert_cmpuint (g_bytes_get_size (a), ==, 64 * 64);
  g_assert_cmpuint (g_bytes_get_size (b), ==, 64 * 64);

  /* The grid with both checkpoints side by side, around 永 selected in the detail pane. */
  if (g_getenv ("ZIMARU_SCREENSHOT_DIR") != NULL)
    {
      UiRenderWait rw = { cache, zi_glyph_cache_get_renders (cache) };
      zi_window_select_char (window, 0x6C38);
      zi_glyph_detail_set_mode (ZI_GLYPH_DETAIL (zi_window_get_detail (window)), "onion");
      ui_spin (1.0);
      ui_wait_for (ui_cache_settled, &rw, 30);
      take_screenshot ("compare.png");
    }

  /* The detail pane scores the first checkpoint's 永 against the target font. */
  {
    ZiGlyphDetail *detail = ZI_GLYPH_DETAIL (zi_window_get_detail (window));
    double l1 = -1, ssim = -2, iou = -1;

    g_assert_true (zi_window_select_char (window, 0x6C38));
    /* Asking queues the target at the model's size; the scores come once it is rendered. */
    g_assert_true (ui_wait_for (detail_has_metrics, detail, 30));
    g_assert_true (zi_glyph_detail_get_metrics (detail, &l1, &ssim, &iou));
    g_test_message ("永 after a few steps: L1 %.3f, SSIM %.3f, IoU %.3f", l1, ssim, iou);
    g_assert_cmpfloat (l1, >, 0);
    g_assert_cmpfloat (l1, <, 1);
    g_assert_cmpfloat (ssim, >=, -1);
    g_assert_cmpfloat (ssim, <=, 1);
    g_assert_cmpfloat (iou, >=, 0);
    g_assert_cmpfloat (iou, <=, 1);
  }

  /* Pick the second checkpoint's 永: the run's picks.json records it. */
  {
    g_autofree char *name = g_path_get_basename (selected[1]);
    g_autofree char *picks_path = g_build_filename (zi_training_panel_get_run_dir (panel), "picks.json", NULL);
    g_autofree char *text = NULL;
    g_autoptr(GError) error = NULL;

    g_assert_true (zi_window_select_char (window, 0x6C38));
    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.pick-checkpoint", "s", name));
    g_assert_true (g_file_get_contents (picks_path, &text, NULL, &error));
    g_assert_no_error (error);
    g_assert_nonnull (strstr (text, name));

    /* The picked filter lists exactly that glyph. */
    zi_window_set_filter (window, ZI_FILTER_PICKED);
    g_assert_cmpuint (g_list_model_get_n_items (zi_window_get_grid_model (window)), ==, 1);
    zi_window_set_filter (window, ZI_FILTER_ALL);
  }

  zi_window_compare_checkpoints (window, NULL);
  g_assert_cmpuint (zi_glyph_cache_get_n_models (cache), ==, 1);
}

static gboolean
has_lr_suggestion (gpointer data)
{
  return zi_training_panel_get_lr_suggestion (zi_window_get_training_panel (window), NULL);
}

static void
test_lr_range_test (void)
{
  ZiTrainingPanel *panel = zi_window_get_training_panel (window);
  g_autoptr(GArray) chars = g_array_new (FALSE, FALSE, sizeof (gunichar));
  double lr = -1;

  for (const char *p = TINY_CHARS; *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);
      g_array_append_val (chars, c);
    }
  set_tiny_config (panel, 100);
  zi_training_panel_set_pair (panel, "Noto Sans CJK TC", "Zen Maru Gothic", (const gunichar *) chars->data,
                              chars->len);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (panel), "panel.lr-find", NULL));
  g_assert_true (ui_wait_for (has_lr_suggestion, NULL, 120));
  g_assert_true (zi_training_panel_get_lr_suggestion (panel, &lr));
  g_test_message ("LR range test suggests %.3g", lr);
  /* A suggestion, when there is one, lies inside the swept range (1e-6 .. 1e-1). */
  g_assert_true (lr == 0 || (lr >= 1e-6 && lr <= 1e-1));
}

/* ---- A run made by the CLI ---------------------------------------------------------------------- */

static gboolean
list_not_empty (gpointer data)
{
  return g_list_model_get_n_items (data) > 0;
}

static void
test_open_cli_run (void)
{
  const char *cli = g_getenv ("ZIMARU_CLI");
  g_autofree char *run_dir = g_build_filename (tmp_dir, "cli-run", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) metrics = NULL;
  g_autoptr(GArray) steps = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  int status = 0;
  const char *argv[] = { cli, "train", "--chars-text", TINY_CHARS, "--run", run_dir, "--size", "64", "--ngf", "8",
                         "--batch", "4", "--steps", "30", "--checkpoint-every", "10", "--seed", "7", NULL };
  ZiTrainingPanel *panel = zi_window_get_training_panel (window);

  g_assert_nonnull (cli);
  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, &err, &status, &error));
  g_assert_no_error (error);
  if (!g_spawn_check_wait_status (status, NULL))
    g_test_message ("zimaru-cli train failed: %s", err);
  g_assert_true (g_spawn_check_wait_status (status, NULL));

  g_assert_true (zi_window_open_run (window, run_dir, &error));
  g_assert_no_error (error);
  g_assert_true (ui_wait_for (ui_window_loaded, window, 60));
  g_assert_cmpstr (zi_training_panel_get_run_dir (panel), ==, run_dir);

  /* The chart holds the whole metrics.jsonl; the list holds every checkpoint file. */
  metrics = zi_run_metrics_load (run_dir, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (metrics->len, >, 0);
  g_assert_cmpuint (chart_points ("d_loss"), ==, metrics->len);
  steps = zi_run_list_checkpoints (run_dir);
  g_assert_cmpuint (steps->len, >, 0);
  g_assert_cmpuint (g_strv_length ((char **) zi_training_panel_get_checkpoints (panel)), ==, steps->len);
  g_assert_cmpstr (zi_window_get_source_font (window), ==, "Noto Sans CJK TC");
  g_assert_nonnull (zi_training_panel_get_default_checkpoint (panel));
  g_assert_cmpuint (zi_glyph_cache_get_n_models (zi_window_get_cache (window)), ==, 1);

  /* The validation filter lists the run's held-out characters; the worst-N filter ranks them. */
  {
    ZiRunInfo info = { 0 };
    GListModel *model = zi_window_get_grid_model (window);
    g_autoptr(GHashTable) val = g_hash_table_new (NULL, NULL);

    g_assert_true (zi_run_info_load (run_dir, &info, &error));
    for (guint i = 0; i < info.n_val_chars; i++)
      g_hash_table_add (val, GUINT_TO_POINTER (info.val_chars[i]));
    zi_window_set_block (window, "all");
    zi_window_set_filter (window, ZI_FILTER_VALIDATION);
    g_assert_cmpuint (g_list_model_get_n_items (model), ==, info.n_val_chars);
    zi_window_set_filter (window, ZI_FILTER_WORST);
    g_assert_true (ui_wait_for (list_not_empty, model, 60));
    g_assert_cmpuint (g_list_model_get_n_items (model), <=, MIN (info.n_val_chars, ZI_WORST_COUNT));
    for (guint i = 0; i < g_list_model_get_n_items (model); i++)
      {
        g_autoptr(ZiGlyphItem) item = g_list_model_get_item (model, i);
        g_assert_true (g_hash_table_contains (val, GUINT_TO_POINTER (zi_glyph_item_get_char (item))));
      }
    zi_window_set_filter (window, ZI_FILTER_ALL);
    zi_window_set_block (window, "cjk");
    zi_run_info_clear (&info);
  }
}

/* ---- Export dialog ------------------------------------------------------------------------------ */

static void
test_export_dialog (void)
{
  ZiTrainingPanel *panel = zi_window_get_training_panel (window);
  g_autoptr(GArray) missing = g_array_new (FALSE, FALSE, sizeof (gunichar));
  g_autoptr(GArray) selection = g_array_new (FALSE, FALSE, sizeof (gunichar));
  g_autofree char *out = g_build_filename (tmp_dir, "export-out", NULL);
  g_autofree char *manifest = g_build_filename (out, "manifest.json", NULL);
  gunichar chars[] = { 0x4E02, 0x4E04, 0x4E05 };  /* three ideographs Zen Maru Gothic lacks */
  GtkWidget *dialog;

  g_array_append_vals (missing, chars, G_N_ELEMENTS (chars));
  g_array_append_val (selection, chars[0]);
  dialog = zi_export_dialog_new (GTK_WINDOW (window), zi_training_panel_get_default_checkpoint (panel), 0,
                                 zi_training_panel_get_run_dir (panel), "Noto Sans CJK TC", "Zen Maru Gothic",
                                 missing, missing, NULL, selection);
  gtk_window_present (GTK_WINDOW (dialog));
  ui_export_dialog_run (dialog, tmp_dir, "export-out", 0);
  g_assert_true (g_file_test (manifest, G_FILE_TEST_IS_REGULAR));
  gtk_window_destroy (GTK_WINDOW (dialog));
}

/* ---- Preferences ------------------------------------------------------------------------------- */

static gpointer
prefs_field (ZiPreferencesWindow *prefs, const char *id)
{
  GObject *object = gtk_widget_get_template_child (GTK_WIDGET (prefs), ZI_TYPE_PREFERENCES_WINDOW, id);

  g_assert_nonnull (object);
  return object;
}

/* A second window started with the current settings: does it come up with the last run? */
static char *
startup_run_dir (void)
{
  ZiWindow *other = zi_window_new (app);
  const char *dir = zi_training_panel_get_run_dir (zi_window_get_training_panel (other));
  char *copy = g_strdup (dir);

  gtk_window_destroy (GTK_WINDOW (other));
  return copy;
}

/* Each preference changed through the Preferences window lands in its GSettings key and takes effect
 * where it applies. Runs after /ui/window/open-cli-run, which made a last run to reopen. */
static void
test_preferences (void)
{
  GSettings *settings = zi_application_get_settings (app);
  ZiTrainingPanel *panel = zi_window_get_training_panel (window);
  g_autofree char *cache = g_build_filename (tmp_dir, "my-cache", NULL);
  g_autofree char *runs = g_build_filename (tmp_dir, "my-runs", NULL);
  g_autofree char *last_run = NULL;
  g_autofree char *run_dir = NULL;
  g_autofree char *reopened = NULL;
  g_autofree char *value = NULL;
  g_autofree char *default_cache = g_build_filename (g_get_user_cache_dir (), "zimaru", NULL);
  ZiTrainerConfig cfg = { 0 };
  ZiPreferencesWindow *prefs;

  g_assert_nonnull (settings);
  g_assert_null (ui_find_toplevel (ZI_TYPE_PREFERENCES_WINDOW));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.preferences", NULL));
  prefs = ui_find_toplevel (ZI_TYPE_PREFERENCES_WINDOW);
  g_assert_nonnull (prefs);
  g_assert_true (gtk_window_get_transient_for (GTK_WINDOW (prefs)) == GTK_WINDOW (window));

  /* Engine threads: the key, and the configuration the next training gets. */
  gtk_spin_button_set_value (prefs_field (prefs, "threads_spin"), 3);
  g_assert_cmpint (g_settings_get_int (settings, "threads"), ==, 3);
  zi_training_panel_get_config (panel, &cfg);
  g_assert_cmpuint (cfg.threads, ==, 3);
  zi_trainer_config_clear (&cfg);

  /* Chart smoothing: the key, and the chart of the training panel. */
  gtk_adjustment_set_value (prefs_field (prefs, "smoothing_adjustment"), 0.85);
  g_assert_cmpfloat_with_epsilon (g_settings_get_double (settings, "chart-smoothing"), 0.85, 1e-9);
  g_assert_cmpfloat_with_epsilon (zi_chart_get_smoothing (zi_training_panel_get_chart (panel)), 0.85, 1e-9);

  /* The dataset cache folder (a folder chooser sets the key): the window shows it, training and the
   * range test use it; resetting goes back to the default folder. */
  g_settings_set_string (settings, "cache-dir", cache);
  g_assert_cmpstr (gtk_widget_get_tooltip_text (prefs_field (prefs, "cache_label")), ==, cache);
  g_assert_true (gtk_widget_get_sensitive (prefs_field (prefs, "cache_reset_button")));
  zi_training_panel_get_config (panel, &cfg);
  g_assert_cmpstr (cfg.cache_dir, ==, cache);
  zi_trainer_config_clear (&cfg);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (prefs), "prefs.reset-folder", "s", "cache-dir"));
  g_clear_pointer (&value, g_free);
  value = g_settings_get_string (settings, "cache-dir");
  g_assert_cmpstr (value, ==, "");
  g_assert_cmpstr (gtk_widget_get_tooltip_text (prefs_field (prefs, "cache_label")), ==, default_cache);
  g_assert_false (gtk_widget_get_sensitive (prefs_field (prefs, "cache_reset_button")));
  zi_training_panel_get_config (panel, &cfg);
  g_assert_null (cfg.cache_dir);
  zi_trainer_config_clear (&cfg);

  /* The folder for new runs: where the Train action puts the next run. */
  g_settings_set_string (settings, "runs-dir", runs);
  g_assert_cmpstr (gtk_widget_get_tooltip_text (prefs_field (prefs, "runs_label")), ==, runs);
  run_dir = zi_window_new_run_dir (window);
  g_assert_true (g_str_has_prefix (run_dir, runs));
  g_assert_cmpuint (strlen (run_dir), >, strlen (runs) + 1);

  ui_take_screenshot (GTK_WIDGET (prefs), "preferences.png");

  /* Reopening the last run: off, a new window starts without it; on, with it. */
  last_run = g_settings_get_string (settings, "last-run");
  g_assert_true (g_file_test (last_run, G_FILE_TEST_IS_DIR));
  gtk_switch_set_active (prefs_field (prefs, "reopen_switch"), FALSE);
  g_assert_false (g_settings_get_boolean (settings, "reopen-last-run"));
  g_assert_null ((reopened = startup_run_dir ()));
  gtk_switch_set_active (prefs_field (prefs, "reopen_switch"), TRUE);
  g_assert_true (g_settings_get_boolean (settings, "reopen-last-run"));
  reopened = startup_run_dir ();
  g_assert_cmpstr (reopened, ==, last_run);

  gtk_window_destroy (GTK_WINDOW (prefs));
  g_settings_reset (settings, "threads");
  g_settings_reset (settings, "runs-dir");
  g_settings_reset (settings, "chart-smoothing");
}

/* Opens a copy of the run src in the window, as tmp_dir/name, and waits for its fonts. */
static void
open_run_copy (const char *src, const char *name)
{
  g_autofree char *copy = g_build_filename (tmp_dir, name, NULL);
  const char *argv[] = { "cp", "-r", src, copy, NULL };
  g_autoptr(GError) error = NULL;
  int status = 0;

  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL,
                               &status, &error));
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  g_assert_true (zi_window_open_run (window, copy, &error));
  g_assert_no_error (error);
  g_assert_true (ui_wait_for (ui_window_loaded, window, 60));
}

/* With ZIMARU_SCREENSHOT_RUN=DIR (a run made with zimaru-cli train, such as the 30-minute run of the
 * README) and ZIMARU_SCREENSHOT_DIR set, takes the README's pictures from real training: a copy of
 * that run opened and trained on for a while (training.png), then the glyph grid on characters the
 * target font lacks, with what the run generates for them (glyphs.png). Skipped otherwise. */
static void
test_screenshot_real_run (void)
{
  const char *src = g_getenv ("ZIMARU_SCREENSHOT_RUN");
  ZiTrainingPanel *panel = zi_window_get_training_panel (window);
  g_autoptr(GError) error = NULL;
  guint n;

  if (src == NULL || g_getenv ("ZIMARU_SCREENSHOT_DIR") == NULL)
    {
      g_test_skip ("set ZIMARU_SCREENSHOT_RUN and ZIMARU_SCREENSHOT_DIR to take the README's pictures");
      return;
    }
  open_run_copy (src, "screenshot-run");

  zi_window_show_page (window, "training");
  n = chart_points ("val_ssim");
  g_assert_true (zi_training_panel_start (panel, NULL, NULL, NULL, 0, NULL, &error));
  g_assert_no_error (error);
  /* Until the next validation, which brings the preview of generated glyphs. */
  g_assert_true (ui_wait_for (has_validation_points, GUINT_TO_POINTER (n + 1), 600));
  ui_spin (2.0);
  take_screenshot ("training.png");
  zi_training_panel_stop (panel);
  g_assert_true (ui_wait_for (panel_in_state, GINT_TO_POINTER (ZI_TRAINER_STATE_IDLE), 120));

  zi_window_show_page (window, "glyphs");
  zi_window_set_block (window, "cjk");
  zi_window_set_filter (window, ZI_FILTER_MISSING);
  g_assert_true (zi_window_select_char (window, 0x55CE));  /* 嗎, which Zen Maru Gothic lacks */
  ui_spin (8.0);
  take_screenshot ("glyphs.png");
  zi_window_set_filter (window, ZI_FILTER_ALL);
}

typedef struct {
  ZiGlyphDetail *detail;
  guint          outlines;
} OutlinesWait;

static gboolean
detail_drew_outlines (gpointer data)
{
  OutlinesWait *w = data;
  guint outlines = 0, on = 0;

  zi_glyph_detail_get_drawn_outlines (w->detail, &outlines, &on, NULL);
  return outlines >= w->outlines && on > 0;
}

/* With ZIMARU_SCREENSHOT_RUN and ZIMARU_SCREENSHOT_DIR set, the outline view of the detail pane on a
 * copy of that run, without training: 永 traced from its newest checkpoint with its points over Zen
 * Maru Gothic's own outline (detail-outline.png), then that checkpoint against the run's oldest other
 * one, both outlines over the target's (compare-outline.png), and the grid at its largest zoom on
 * glyphs the target lacks (glyphs-zoom.png). Skipped otherwise. */
static void
test_screenshot_outline (void)
{
  const char *src = g_getenv ("ZIMARU_SCREENSHOT_RUN");
  ZiGlyphDetail *detail = ZI_GLYPH_DETAIL (zi_window_get_detail (window));
  OutlinesWait w = { detail, 2 };
  g_autofree char *ema = NULL;
  g_autofree char *raw = NULL;
  g_autofree char *stem = NULL;

  if (src == NULL || g_getenv ("ZIMARU_SCREENSHOT_DIR") == NULL)
    {
      g_test_skip ("set ZIMARU_SCREENSHOT_RUN and ZIMARU_SCREENSHOT_DIR to take pictures of the outline view");
      return;
    }
  open_run_copy (src, "outline-run");

  zi_window_show_page (window, "glyphs");
  g_assert_true (zi_window_select_char (window, 0x6C38));  /* 永 */
  zi_glyph_detail_set_mode (detail, "outline");
  zi_glyph_detail_set_show_nodes (detail, TRUE);
  g_assert_true (ui_wait_for (detail_drew_outlines, &w, 60));
  {
    const ZiGlyphOutline *go = zi_glyph_cache_lookup_outline (zi_window_get_cache (window), 0x6C38,
                                                              ZI_GLYPH_GENERATED, NULL);

    g_assert_nonnull (go);
    g_test_message ("永 traced on the cache's worker in %.2f ms: %u contours, IoU %.3f, mean distance %.1f",
                    go->trace_seconds * 1e3, go->outline->n_contours, go->metric.iou, go->metric.mean_distance);
  }
  ui_spin (1.0);
  ui_take_screenshot (GTK_WIDGET (detail), "detail-outline.png");
  take_screenshot ("detail-outline-window.png");

  /* The default checkpoint against the run's oldest other one (or, in a run of one checkpoint, its
   * raw weights). */
  {
    const char *def = zi_training_panel_get_default_checkpoint (zi_window_get_training_panel (window));
    g_autofree char *dir = g_path_get_dirname (def);
    g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
    const char *name;

    stem = g_strndup (def, strlen (def) - strlen (g_str_has_suffix (def, ".ema.zck") ? ".ema.zck" : ".zck"));
    ema = g_strconcat (stem, ".ema.zck", NULL);
    raw = g_strconcat (stem, ".zck", NULL);
    while (d != NULL && (name = g_dir_read_name (d)) != NULL)
      {
        g_autofree char *path = g_build_filename (dir, name, NULL);

        if (g_str_has_suffix (name, ".ema.zck") && g_strcmp0 (path, ema) != 0 && strcmp (path, raw) < 0)
          {
            g_free (raw);
            raw = g_steal_pointer (&path);
          }
      }
    g_test_message ("comparing %s with %s", ema, raw);
  }
  {
    const char *pair[] = { ema, raw, NULL };

    zi_window_compare_checkpoints (window, pair);
  }
  w.outlines = 3;
  g_assert_true (ui_wait_for (detail_drew_outlines, &w, 60));
  ui_spin (1.0);
  ui_take_screenshot (GTK_WIDGET (detail), "compare-outline.png");
  zi_window_compare_checkpoints (window, NULL);

  /* The grid at a large zoom: generated glyphs as sharp as the fonts' (glyphs-zoom.png). */
  {
    GtkAdjustment *zoom = GTK_ADJUSTMENT (gtk_widget_get_template_child (GTK_WIDGET (window), ZI_TYPE_WINDOW,
                                                                         "zoom_adjustment"));
    UiRenderWait rw = { zi_window_get_cache (window), zi_glyph_cache_get_renders (zi_window_get_cache (window)) };

    zi_window_set_block (window, "cjk");
    zi_window_set_filter (window, ZI_FILTER_MISSING);
    gtk_adjustment_set_value (zoom, gtk_adjustment_get_upper (zoom));
    g_assert_true (zi_window_select_char (window, 0x55CE));  /* 嗎, which Zen Maru Gothic lacks */
    ui_spin (2.0);
    ui_wait_for (ui_cache_settled, &rw, 60);
    ui_spin (1.0);
    take_screenshot ("glyphs-zoom.png");
    gtk_adjustment_set_value (zoom, 56);
    zi_window_set_filter (window, ZI_FILTER_ALL);
  }
}

int
main (int argc, char **argv)
{
  ui_test_prepare (argc, argv);
  window = ui_window_test_start (&argc, &argv, &app, &tmp_dir);
  /* Training starts from the loaded font pair: wait here for what the grid tests of test-window.c
   * wait for first. */
  g_assert_true (ui_wait_for (ui_window_loaded, window, 60));

  g_test_add_func ("/ui/window/train-from-panel", test_train_from_panel);
  g_test_add_func ("/ui/window/compare-checkpoints", test_compare_checkpoints);
  g_test_add_func ("/ui/window/lr-range-test", test_lr_range_test);
  g_test_add_func ("/ui/window/open-cli-run", test_open_cli_run);
  g_test_add_func ("/ui/window/export-dialog", test_export_dialog);
  g_test_add_func ("/ui/window/preferences", test_preferences);
  g_test_add_func ("/ui/window/screenshot-real-run", test_screenshot_real_run);
  g_test_add_func ("/ui/window/screenshot-outline", test_screenshot_outline);
  return ui_window_test_run (window, app, tmp_dir);
}
