/* bench-first-start.c — how soon the window's first screen of generated glyphs appears with the
 * shipped model (not a test: it prints numbers). It opens the real window at 1400×860 with no run, on
 * the characters the target lacks, and times two kinds of cold start, each over ROUNDS rounds
 * (default 7), from the moment the cache is emptied until every visible cell's generated image is in
 * the store, nothing is left to do, and a frame has been painted:
 *   glyphs  the cache's generated images dropped (a style change away and back): the model runs for
 *           the screenful, and scales its output to the cells' size;
 *   reload  the worker's fonts and model dropped and opened again, as at first start: the model file
 *           is read before it runs.
 * It prints the visible cell count, each round and the median of each kind.
 *
 *   ZIMARU_MODEL_DIR=DIR xvfb-run -a -s '-screen 0 1400x900x24' build/tests/ui/bench-first-start [ROUNDS]
 *
 * Without ZIMARU_MODEL_DIR it uses the shipped model where zi_model_default_path finds it. */
#include "config.h"

#include "zi-fileutil.h"
#include "zi-glyph-cell.h"
#include "zi-model.h"
#include "zi-window.h"

#include <stdlib.h>
#include "ui-test-util.h"

static ZiWindow *window;

/* The grid's cells that the scrolled window shows, at least in part. */
static GPtrArray *
visible_cells (void)
{
  GtkWidget *grid = GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (window), ZI_TYPE_WINDOW, "grid_view"));
  GtkWidget *viewport = gtk_widget_get_parent (grid);
  GPtrArray *cells = g_ptr_array_new ();
  GPtrArray *stack = g_ptr_array_new ();
  graphene_rect_t view = GRAPHENE_RECT_INIT (0, 0, gtk_widget_get_width (viewport),
                                             gtk_widget_get_height (viewport));

  g_ptr_array_add (stack, grid);
  while (stack->len > 0)
    {
      GtkWidget *w = g_ptr_array_steal_index_fast (stack, stack->len - 1);
      graphene_rect_t bounds;

      if (ZI_IS_GLYPH_CELL (w))
        {
          if (gtk_widget_get_mapped (w) && gtk_widget_compute_bounds (w, viewport, &bounds)
              && graphene_rect_intersection (&bounds, &view, NULL))
            g_ptr_array_add (cells, w);
          continue;
        }
      for (GtkWidget *c = gtk_widget_get_first_child (w); c != NULL; c = gtk_widget_get_next_sibling (c))
        g_ptr_array_add (stack, c);
    }
  g_ptr_array_unref (stack);
  return cells;
}

typedef struct {
  GPtrArray *cells;
  guint      size;
  gboolean   painted;
} Screen;

/* Every visible cell's generated image is in the store (asked without queueing anything) and the
 * worker has nothing left. */
static gboolean
screen_generated (Screen *s)
{
  ZiGlyphCache *cache = zi_window_get_cache (window);

  for (guint i = 0; i < s->cells->len; i++)
    {
      gunichar c = zi_glyph_cell_get_char (s->cells->pdata[i]);
      if (zi_glyph_cache_lookup_coverage (cache, c, ZI_GLYPH_GENERATED, s->size) == NULL)
        return FALSE;
    }
  return zi_glyph_cache_get_pending (cache) == 0;
}

static void
after_paint_cb (GdkFrameClock *clock, Screen *s)
{
  s->painted = TRUE;
}

static gboolean
painted (gpointer data)
{
  return ((Screen *) data)->painted;
}

static gboolean
screen_ready (gpointer data)
{
  return screen_generated (data);
}

/* Milliseconds from the emptying (done by empty) to the first frame after the screen is generated. */
static double
time_round (Screen *s, void (*empty) (ZiGlyphCache *cache))
{
  ZiGlyphCache *cache = zi_window_get_cache (window);
  GdkFrameClock *clock = gtk_widget_get_frame_clock (GTK_WIDGET (window));
  gint64 t0;
  gulong id;

  ui_spin (0.3);
  t0 = g_get_monotonic_time ();
  empty (cache);
  if (!ui_wait_for (screen_ready, s, 60))
    g_error ("the screen was not generated within 60 s");
  s->painted = FALSE;
  id = g_signal_connect (clock, "after-paint", G_CALLBACK (after_paint_cb), s);
  gtk_widget_queue_draw (GTK_WIDGET (window));
  ui_wait_for (painted, s, 5);
  g_signal_handler_disconnect (clock, id);
  return (g_get_monotonic_time () - t0) / 1000.0;
}

/* A style change away and back before the main loop runs: only the generated images go. */
static void
empty_glyphs (ZiGlyphCache *cache)
{
  double weight;
  guint style = zi_glyph_cache_get_style (cache, &weight);

  zi_glyph_cache_set_style (cache, style + 1, 0);
  zi_glyph_cache_set_style (cache, style, weight);
}

/* The fonts away and back: the worker opens the fonts and loads the model again. */
static void
empty_all (ZiGlyphCache *cache)
{
  const char *source = zi_window_get_source_font (window);
  const char *target = zi_window_get_target_font (window);

  zi_glyph_cache_set_fonts (cache, NULL, NULL);
  zi_glyph_cache_set_fonts (cache, source, target);
}

static int
compare_doubles (const void *a, const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return (x > y) - (x < y);
}

static void
run_kind (const char *name, Screen *s, guint rounds, void (*empty) (ZiGlyphCache *cache))
{
  g_autofree double *ms = g_new (double, rounds);

  g_print ("%-7s", name);
  for (guint r = 0; r < rounds; r++)
    {
      ms[r] = time_round (s, empty);
      g_print (" %7.1f", ms[r]);
    }
  qsort (ms, rounds, sizeof *ms, compare_doubles);
  g_print ("   median %.1f ms\n", ms[rounds / 2]);
}

static gboolean
shows_shipped (gpointer data)
{
  return zi_window_shows_shipped_model (data);
}

int
main (int argc, char **argv)
{
  ZiApplication *app;
  char *tmp_dir;
  guint rounds = argc > 1 ? (guint) MAX (atoi (argv[1]), 1) : 7;
  g_autoptr(GPtrArray) cells = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = zi_model_default_path (&error);
  g_autofree char *dir = NULL;
  Screen s = { NULL, 0, FALSE };

  if (path == NULL)
    g_error ("%s", error->message);
  dir = g_path_get_dirname (path);
  g_setenv ("ZIMARU_MODEL_DIR", dir, TRUE);
  ui_test_prepare (argc, argv);
  window = ui_window_test_start (&argc, &argv, &app, &tmp_dir);
  if (!ui_wait_for (ui_window_loaded, window, 60) || !ui_wait_for (shows_shipped, window, 60))
    g_error ("the window did not open the shipped model %s", path);
  zi_window_show_page (window, "glyphs");
  zi_window_set_block (window, "cjk");
  zi_window_set_filter (window, ZI_FILTER_MISSING);
  ui_spin (1.0);

  cells = visible_cells ();
  s.cells = cells;
  s.size = (guint) gtk_adjustment_get_value (GTK_ADJUSTMENT (gtk_widget_get_template_child (
             GTK_WIDGET (window), ZI_TYPE_WINDOW, "zoom_adjustment")));
  s.size *= gtk_widget_get_scale_factor (GTK_WIDGET (window));
  g_print ("model %s\n%u visible cells at %u px, %u rounds (ms from an emptied cache to the painted screen):\n",
           path, cells->len, s.size, rounds);
  /* One unmeasured round: the first screen was made while the window opened. */
  time_round (&s, empty_glyphs);
  run_kind ("glyphs", &s, rounds, empty_glyphs);
  run_kind ("reload", &s, rounds, empty_all);

  gtk_window_destroy (GTK_WINDOW (window));
  g_object_unref (app);
  zi_dir_remove_tree (tmp_dir);
  g_free (tmp_dir);
  return 0;
}
