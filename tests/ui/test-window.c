/* test-window.c — the real window under Xvfb with the default fonts: grid counts, rendering off the
 * main thread, a fling through the grid, selection and the detail pane, and search. The tests that
 * train, open runs, export or change preferences are in test-window-train.c; the widgets on their
 * own are in test-widgets.c. */
#include "config.h"

#include "zi-char-list.h"
#include "zi-glyph-detail.h"
#include "zi-window.h"

#include "ui-test-util.h"

static ZiWindow *window;

static guint
count_in_range (GListModel *model, gunichar lo, gunichar hi)
{
  guint n = 0;

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(ZiGlyphItem) item = g_list_model_get_item (model, i);
      gunichar c = zi_glyph_item_get_char (item);
      n += c >= lo && c <= hi;
    }
  return n;
}

/* ---- Grid ------------------------------------------------------------------------------------- */

static void
test_grid_counts (void)
{
  GListModel *model = zi_window_get_grid_model (window);
  guint all, shared, missing;

  g_assert_true (ui_wait_for (ui_window_loaded, window, 60));
  g_assert_null (zi_window_get_error (window));

  zi_window_set_block (window, "cjk");
  zi_window_set_filter (window, ZI_FILTER_SHARED);
  shared = g_list_model_get_n_items (model);
  /* The measured fact: 6,682 shared ideographs in U+4E00–9FFF. */
  g_assert_cmpuint (count_in_range (model, 0x4E00, 0x9FFF), ==, 6682);
  g_assert_cmpuint (shared, >=, 6682);

  zi_window_set_filter (window, ZI_FILTER_ALL);
  all = g_list_model_get_n_items (model);
  g_assert_cmpuint (count_in_range (model, 0x4E00, 0x9FFF), ==, 20976);

  zi_window_set_filter (window, ZI_FILTER_MISSING);
  missing = g_list_model_get_n_items (model);
  g_assert_cmpuint (missing, ==, all - shared);
  g_test_message ("cjk block: all %u, shared %u, missing %u", all, shared, missing);

  zi_window_set_block (window, "kana");
  zi_window_set_filter (window, ZI_FILTER_SHARED);
  g_assert_cmpuint (g_list_model_get_n_items (model), >, 100);
  g_assert_cmpuint (count_in_range (model, 0x4E00, 0x9FFF), ==, 0);

  zi_window_set_block (window, "cjk");
  zi_window_set_filter (window, ZI_FILTER_ALL);
}

static void
test_grid_renders_off_thread (void)
{
  UiRenderWait w = { zi_window_get_cache (window), 0 };
  GListModel *model = zi_window_get_grid_model (window);
  gint64 t0 = g_get_monotonic_time ();

  zi_window_show_page (window, "glyphs");
  w.renders = zi_glyph_cache_get_renders (w.cache);
  g_assert_cmpuint (g_list_model_get_n_items (model), >, 20000);
  /* Visible cells ask the cache; the worker renders and the loop delivers. */
  g_assert_true (ui_wait_for (ui_cache_settled, &w, 30));
  g_test_message ("first screen of glyphs rendered in %.0f ms (%" G_GUINT64_FORMAT " images)",
                  (g_get_monotonic_time () - t0) / 1000.0, zi_glyph_cache_get_renders (w.cache));

  /* Jump through the whole list: every screen is rendered by the worker, the main loop only binds
   * cells and draws textures. */
  {
    guint n = g_list_model_get_n_items (model);
    gint64 worst = 0, total = 0;

    for (guint k = 1; k <= 10; k++)
      {
        g_autoptr(ZiGlyphItem) item = g_list_model_get_item (model, (guint) ((guint64) n * k / 11));
        gint64 t = g_get_monotonic_time ();

        w.renders = zi_glyph_cache_get_renders (w.cache);
        g_assert_true (zi_window_select_char (window, zi_glyph_item_get_char (item)));
        g_assert_true (ui_wait_for (ui_cache_settled, &w, 30));
        t = g_get_monotonic_time () - t;
        worst = MAX (worst, t);
        total += t;
      }
    g_test_message ("10 jumps through %u glyphs: a new screen fully rendered in %.0f ms on average, %.0f ms at worst",
                    n, total / 10000.0, worst / 1000.0);
  }

  /* A texture for a visible character is now in the store. */
  {
    g_autoptr(ZiGlyphItem) item = g_list_model_get_item (model, 0);
    gboolean missing = TRUE;
    /* 56 px: the grid's default zoom. */
    g_assert_nonnull (zi_glyph_cache_lookup (w.cache, zi_glyph_item_get_char (item), ZI_GLYPH_SOURCE, 56, &missing));
    g_assert_false (missing);
  }
}

/* A fling: the grid moves by two pages every frame for a number of frames (a fling at any frame
 * rate down to 2 frames a second, so a busy machine does not make it a slow scroll). */
typedef struct {
  GtkAdjustment *adj;
  ZiGlyphCache  *cache;
  guint          frames;
  gboolean       paused_seen;
  gboolean       done;
} Fling;

static gboolean
fling_tick_cb (GtkWidget *widget, GdkFrameClock *clock, gpointer data)
{
  Fling *f = data;

  f->paused_seen |= zi_glyph_cache_get_paused (f->cache);
  if (f->frames == 0)
    {
      f->done = TRUE;
      return G_SOURCE_REMOVE;
    }
  gtk_adjustment_set_value (f->adj,
                            gtk_adjustment_get_value (f->adj) + 2 * gtk_adjustment_get_page_size (f->adj));
  f->frames--;
  return G_SOURCE_CONTINUE;
}

static gboolean
fling_done (gpointer data)
{
  return ((Fling *) data)->done;
}

static gboolean
cache_running (gpointer data)
{
  return !zi_glyph_cache_get_paused (data);
}

/* Flinging through the grid pauses the glyph cache (the cells pass by faster than their glyphs
 * could be made); once the grid stands still the cache runs again and renders what is on screen.
 * Twelve frames: far enough for the speed to be measured, short of the screens rendered before. */
static void
test_grid_fling (void)
{
  GtkWidget *grid = GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (window), ZI_TYPE_WINDOW,
                                                               "grid_view"));
  Fling f = { gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (grid)), zi_window_get_cache (window), 12 };
  UiRenderWait w = { f.cache, 0 };

  zi_window_show_page (window, "glyphs");
  gtk_adjustment_set_value (f.adj, 0);
  ui_spin (0.3);
  g_assert_false (zi_glyph_cache_get_paused (f.cache));
  gtk_widget_add_tick_callback (grid, fling_tick_cb, &f, NULL);
  g_assert_true (ui_wait_for (fling_done, &f, 30));
  g_assert_true (f.paused_seen);

  w.renders = zi_glyph_cache_get_renders (f.cache);
  g_assert_true (ui_wait_for (cache_running, f.cache, 5));
  g_assert_true (ui_wait_for (ui_cache_settled, &w, 30));
  gtk_adjustment_set_value (f.adj, 0);
}

static void
test_select_and_search (void)
{
  ZiGlyphDetail *detail = ZI_GLYPH_DETAIL (zi_window_get_detail (window));
  GListModel *model = zi_window_get_grid_model (window);
  UiGlyphWait w = { zi_window_get_cache (window), 0x6C38, ZI_GLYPH_TARGET, ZI_GLYPH_DETAIL_SIZE };
  GBytes *coverage;
  gsize n;
  const guint8 *pixels;
  guint ink = 0;

  g_assert_true (zi_window_select_char (window, 0x6C38));
  g_assert_cmpuint (zi_window_get_selected_char (window), ==, 0x6C38);
  g_assert_cmpuint (zi_glyph_detail_get_char (detail), ==, 0x6C38);

  /* The detail pane's large target glyph arrives from the worker and has ink. */
  zi_glyph_detail_set_mode (detail, "target");
  g_assert_true (ui_wait_for (ui_glyph_known, &w, 20));
  coverage = zi_glyph_cache_lookup_coverage (w.cache, 0x6C38, ZI_GLYPH_TARGET, ZI_GLYPH_DETAIL_SIZE);
  g_assert_nonnull (coverage);
  pixels = g_bytes_get_data (coverage, &n);
  g_assert_cmpuint (n, ==, ZI_GLYPH_DETAIL_SIZE * ZI_GLYPH_DETAIL_SIZE);
  for (gsize i = 0; i < n; i++)
    ink += pixels[i] > 128;
  g_assert_cmpuint (ink, >, n / 50);

  /* Search: a code point, a string, and back to everything. */
  zi_window_set_search (window, "U+6C38");
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 1);
  g_assert_cmpuint (zi_window_get_selected_char (window), ==, 0x6C38);
  zi_window_set_search (window, "永東國");
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 3);
  zi_window_set_search (window, "");
  g_assert_cmpuint (g_list_model_get_n_items (model), >, 20000);
  g_assert_cmpuint (zi_window_get_selected_char (window), ==, 0x6C38);

  /* A character the target lacks: the detail pane switches to what exists. */
  zi_window_set_filter (window, ZI_FILTER_MISSING);
  {
    g_autoptr(ZiGlyphItem) item = g_list_model_get_item (model, 0);
    g_assert_true (zi_window_select_char (window, zi_glyph_item_get_char (item)));
  }
  g_assert_cmpuint (zi_glyph_detail_get_char (detail), !=, 0x6C38);
  zi_window_set_filter (window, ZI_FILTER_ALL);
}

int
main (int argc, char **argv)
{
  ZiApplication *app;
  char *tmp_dir;

  ui_test_prepare (argc, argv);
  window = ui_window_test_start (&argc, &argv, &app, &tmp_dir);

  g_test_add_func ("/ui/window/grid-counts", test_grid_counts);
  g_test_add_func ("/ui/window/grid-renders-off-thread", test_grid_renders_off_thread);
  g_test_add_func ("/ui/window/grid-fling", test_grid_fling);
  g_test_add_func ("/ui/window/select-and-search", test_select_and_search);
  return ui_window_test_run (window, app, tmp_dir);
}
