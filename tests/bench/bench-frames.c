/* bench-frames.c — frame times of the real window while training runs (the goal: no frame longer
 * than 16 ms while training runs, and grid scrolling through all glyphs stays smooth). Not a test: it
 * prints numbers.
 *
 * It opens the main window on the default font pair (Noto Sans CJK TC → Zen Maru Gothic) with
 * throw-away settings, starts a real training run through the window's Train action with the app's
 * defaults at 64 px (into a temporary runs folder), and records every frame of three phases:
 *   baseline  the training page before training starts, for a few seconds: what this display and
 *             machine give with nothing else going on;
 *   training  the training page while the run trains, for --seconds (the chart and the status line
 *             update as steps are logged);
 *   scroll    the glyph page, still training, with the first glyph selected: the grid's scrolled
 *             window moves by --scroll-step pixels (default: one page) every frame from the top to
 *             the bottom of all the glyphs of the source font's CJK block, as a fast fling or a
 *             scrollbar drag would; then the time until the glyphs of the last screen are ready.
 *
 * What is measured. A tick callback on the window keeps its GdkFrameClock running every frame. Under
 * Xvfb there is no vsync and no compositor, so the clock paces itself with a 60 Hz timer: a frame
 * starts one refresh interval (16.7 ms) after the previous one began, or later when the main loop
 * was busy when it should have started. For each frame the program records
 *   - the frame clock's frame time (gdk_frame_clock_get_frame_time). The clock smooths it to whole
 *     refresh intervals, so an on-time frame is 16.7 ms after the previous one, a frame that
 *     started more than half an interval late shows as 33.3 ms or more (a dropped frame), and a
 *     smaller delay shows in part. The interval columns and the count of frames over 16.7 ms come
 *     from these;
 *   - the raw start of the frame cycle (GdkFrameTimings' frame time), whose intervals also show
 *     lateness below half a frame ("raw max");
 *   - the paint phase, from the clock's "before-paint" to its "after-paint" signal: tick callbacks,
 *     size allocation (where the grid binds its cells), snapshots and rendering to the X server;
 *   - the main thread's CPU time since the previous frame ("cpu max"): everything the main loop ran,
 *     frame work plus trainer events and glyph deliveries;
 *   - the time the main thread spent waiting for a processor since the previous frame ("runq", from
 *     Linux's schedstat): runnable, but the training threads had the processors.
 * A long paint with little CPU and little run-queue time is the main thread waiting for someone
 * else: with GL under Xvfb GTK renders through Mesa's llvmpipe, whose rasterizer threads and the X
 * server share the processors with training. The program uses the renderer the app picks
 * (zi_application_choose_renderer: cairo on a machine without a GPU render node, as under Xvfb);
 * GSK_RENDERER=gl measures GL instead.
 *
 * Run it under Xvfb (`meson test -C build --benchmark bench-frames -v` does; it is declared in
 * tests/ui/meson.build, next to the UI tests it shares its helpers with):
 *   xvfb-run -a -s "-screen 0 1600x1000x24" build/tests/ui/bench-frames [--seconds 30]
 * Options: --seconds N (training phase, default 30), --scroll-step PX (0 = one page, the default),
 * --checkpoint-every N and --val-every N (override the defaults, 1000 and 500 steps, to bring
 * checkpoints, validation previews and generated glyphs into the measured time), --threads N (the
 * Preferences' engine threads; default one per processor), --zoom PX (the grid's image size during
 * the scroll phase, 32–160; default the window's 56: above the model's 64 px its glyphs are scaled
 * up with sharp edges on the glyph cache's worker), --csv FILE (every frame, for plotting).
 * The dataset cache is the app's own, warm after the first run. */
#include "config.h"

#include "nn-blas.h"
#include "zi-application.h"
#include "zi-char-list.h"
#include "zi-chart.h"
#include "zi-chart-series.h"
#include "zi-fileutil.h"
#include "zi-glyph-cache.h"
#include "zi-training-panel.h"
#include "zi-window.h"
#include "ui-test-util.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#define BASELINE_SECONDS 5.0
/* One refresh interval at 60 Hz: the frame budget. */
#define FRAME_BUDGET_US 16700

typedef struct {
  gint64 frame_time;  /* smoothed, from gdk_frame_clock_get_frame_time */
  gint64 raw_time;    /* start of the frame cycle, from GdkFrameTimings */
  gint64 paint_us;    /* before-paint → after-paint */
  gint64 cpu_us;      /* main-thread CPU time since the previous frame */
  gint64 runq_us;     /* main-thread time spent runnable but not running, since the previous frame */
} Frame;

typedef struct {
  GdkFrameClock *clock;
  GArray        *frames;      /* of Frame; NULL when not recording */
  gint64         paint_start;
  gint64         cpu_start;
  gint64         runq_start;
  gint64         raw_start;
  /* Scrolling: the adjustment moves by step pixels per frame while scrolling is set. */
  GtkAdjustment *vadjustment;
  double         step;
  gboolean       scrolling;
  gboolean       scrolled_to_end;
  guint          scroll_frames;
  FILE          *csv;
  const char    *phase;
  ZiChart       *chart;
  gint64         chart_max_us;  /* the chart's longest snapshot while recording */
} Recorder;

static ZiWindow *window;

static gint64
thread_cpu_us (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_THREAD_CPUTIME_ID, &ts);
  return (gint64) ts.tv_sec * G_USEC_PER_SEC + ts.tv_nsec / 1000;
}

/* Microseconds this thread has waited on a run queue (runnable, but other threads had the
 * processors), from the second field of Linux's schedstat; 0 elsewhere. */
static gint64
thread_runq_us (void)
{
  g_autofree char *text = NULL;
  guint64 on_cpu, waited;

  if (!g_file_get_contents ("/proc/thread-self/schedstat", &text, NULL, NULL) ||
      sscanf (text, "%" G_GUINT64_FORMAT " %" G_GUINT64_FORMAT, &on_cpu, &waited) != 2)
    return 0;
  return (gint64) (waited / 1000);
}

static void
before_paint_cb (GdkFrameClock *clock, Recorder *r)
{
  GdkFrameTimings *timings = gdk_frame_clock_get_current_timings (clock);

  r->paint_start = g_get_monotonic_time ();
  r->raw_start = timings != NULL ? gdk_frame_timings_get_frame_time (timings) : r->paint_start;
}

static void
after_paint_cb (GdkFrameClock *clock, Recorder *r)
{
  gint64 cpu = thread_cpu_us (), runq = thread_runq_us ();
  Frame f;

  if (r->frames == NULL || r->paint_start == 0)
    {
      r->cpu_start = cpu;
      r->runq_start = runq;
      return;
    }
  f.frame_time = gdk_frame_clock_get_frame_time (clock);
  f.raw_time = r->raw_start;
  f.paint_us = g_get_monotonic_time () - r->paint_start;
  f.cpu_us = cpu - r->cpu_start;
  f.runq_us = runq - r->runq_start;
  r->cpu_start = cpu;
  r->runq_start = runq;
  g_array_append_val (r->frames, f);
  if (r->chart != NULL)
    r->chart_max_us = MAX (r->chart_max_us, zi_chart_get_last_draw_time (r->chart));
  if (r->csv != NULL)
    fprintf (r->csv, "%s,%" G_GINT64_FORMAT ",%" G_GINT64_FORMAT ",%" G_GINT64_FORMAT ",%" G_GINT64_FORMAT
             ",%" G_GINT64_FORMAT "\n", r->phase, f.frame_time, f.raw_time, f.paint_us, f.cpu_us, f.runq_us);
}

/* Runs in the update phase of every frame: keeps the clock ticking and, while scrolling, moves the
 * grid by one step, so the layout phase of the same frame binds the cells that came into view. */
static gboolean
tick_cb (GtkWidget *widget, GdkFrameClock *clock, gpointer data)
{
  Recorder *r = data;

  if (r->scrolling && !r->scrolled_to_end)
    {
      GtkAdjustment *adj = r->vadjustment;
      double end = gtk_adjustment_get_upper (adj) - gtk_adjustment_get_page_size (adj);
      double step = r->step > 0 ? r->step : gtk_adjustment_get_page_size (adj);
      double value = gtk_adjustment_get_value (adj);

      if (value >= end - 0.5)
        r->scrolled_to_end = TRUE;
      else
        {
          gtk_adjustment_set_value (adj, MIN (end, value + step));
          r->scroll_frames++;
        }
    }
  return G_SOURCE_CONTINUE;
}

static int
cmp_int64 (const void *a, const void *b)
{
  gint64 x = *(const gint64 *) a, y = *(const gint64 *) b;
  return x < y ? -1 : x > y;
}

/* The p-th percentile (nearest rank) of n sorted values. */
static gint64
percentile (const gint64 *sorted, guint n, double p)
{
  guint k;

  if (n == 0)
    return 0;
  k = (guint) MIN (n - 1, MAX (0.0, (p / 100.0) * n - 1e-9));
  return sorted[k];
}

static void
print_header (void)
{
  printf ("%-9s %6s %7s %7s %7s %7s %7s | %7s | %7s %7s | %7s %7s\n", "phase", "frames", "median", "p95",
          "p99", "max", ">16.7ms", "raw max", "paint99", "paint", "cpu max", "runq");
}

static void
print_phase (const char *name, GArray *frames)
{
  guint n = frames->len > 0 ? frames->len - 1 : 0;
  g_autofree gint64 *iv = g_new0 (gint64, MAX (n, 1));
  g_autofree gint64 *paint = g_new0 (gint64, MAX (frames->len, 1));
  gint64 raw_max = 0, cpu_max = 0, runq_max = 0;
  guint slow = 0;

  for (guint i = 0; i < frames->len; i++)
    {
      const Frame *f = &g_array_index (frames, Frame, i);

      paint[i] = f->paint_us;
      if (i > 0)
        {
          const Frame *p = &g_array_index (frames, Frame, i - 1);
          iv[i - 1] = f->frame_time - p->frame_time;
          raw_max = MAX (raw_max, f->raw_time - p->raw_time);
          cpu_max = MAX (cpu_max, f->cpu_us);
          runq_max = MAX (runq_max, f->runq_us);
          /* The smoothed clock puts an on-time frame at 16,667 µs (give or take a few µs of its
           * drift correction); anything past the budget is a frame that came late. */
          slow += iv[i - 1] > FRAME_BUDGET_US;
        }
    }
  qsort (iv, n, sizeof *iv, cmp_int64);
  qsort (paint, frames->len, sizeof *paint, cmp_int64);
  printf ("%-9s %6u %7.1f %7.1f %7.1f %7.1f %7u | %7.1f | %7.1f %7.1f | %7.1f %7.1f\n", name, n,
          percentile (iv, n, 50) / 1000.0, percentile (iv, n, 95) / 1000.0, percentile (iv, n, 99) / 1000.0,
          n > 0 ? iv[n - 1] / 1000.0 : 0.0, slow, raw_max / 1000.0,
          percentile (paint, frames->len, 99) / 1000.0,
          frames->len > 0 ? paint[frames->len - 1] / 1000.0 : 0.0, cpu_max / 1000.0, runq_max / 1000.0);
}

static void
record (Recorder *r, const char *phase, GArray **out)
{
  *out = g_array_new (FALSE, FALSE, sizeof (Frame));
  r->phase = phase;
  r->paint_start = 0;
  r->frames = *out;
}

static gboolean
window_loaded (gpointer data)
{
  return zi_window_is_loaded (window);
}

static gboolean
panel_in_state (gpointer data)
{
  return (int) zi_training_panel_get_state (zi_window_get_training_panel (window)) == GPOINTER_TO_INT (data);
}

static gboolean
scrolled_to_end (gpointer data)
{
  return ((Recorder *) data)->scrolled_to_end;
}

/* The glyphs of the last items of the grid: once the fling has stopped at the end, these are on
 * screen, and the user waits for them. */
typedef struct {
  ZiGlyphCache *cache;
  GListModel   *model;
  guint         size;
} LastScreen;

#define LAST_SCREEN_ITEMS 12

static gboolean
last_screen_shown (gpointer data)
{
  LastScreen *w = data;
  guint n = g_list_model_get_n_items (w->model);

  for (guint i = n > LAST_SCREEN_ITEMS ? n - LAST_SCREEN_ITEMS : 0; i < n; i++)
    {
      g_autoptr(ZiGlyphItem) item = g_list_model_get_item (w->model, i);
      ZiGlyphKind kinds[] = { ZI_GLYPH_SOURCE, ZI_GLYPH_TARGET };

      for (guint k = 0; k < G_N_ELEMENTS (kinds); k++)
        {
          gunichar c = zi_glyph_item_get_char (item);
          gboolean missing = FALSE;

          if (zi_glyph_cache_lookup (w->cache, c, kinds[k], w->size, &missing) == NULL && !missing)
            return FALSE;
        }
    }
  return TRUE;
}

/* The last logged step, from the chart's d_loss series (logged every 10 steps). */
static double
last_logged_step (void)
{
  ZiChart *chart = zi_training_panel_get_chart (zi_window_get_training_panel (window));
  int i = zi_chart_find_series (chart, "d_loss");
  ZiChartSeries *series = i >= 0 ? zi_chart_get_series (chart, i) : NULL;
  guint n = series != NULL ? zi_chart_series_get_length (series) : 0;

  return n > 0 ? zi_chart_series_get_x (series, ZI_CHART_AXIS_STEPS, n - 1) : 0;
}

static void
usage (void)
{
  fprintf (stderr, "usage: bench-frames [--seconds N] [--scroll-step PX] [--checkpoint-every N]\n"
                   "                    [--val-every N] [--threads N] [--zoom PX] [--csv FILE]\n"
                   "Run under Xvfb, e.g. xvfb-run -a -s \"-screen 0 1600x1000x24\" bench-frames\n");
  exit (2);
}

int
main (int argc, char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ZiApplication) app = NULL;
  g_autoptr(GArray) baseline = NULL;
  g_autoptr(GArray) training = NULL;
  g_autoptr(GArray) scroll = NULL;
  g_autofree char *tmp_dir = NULL;
  g_autofree char *runs_dir = NULL;
  g_autofree char *data_home = NULL;
  ZiTrainerConfig cfg = { 0 };
  ZiTrainingPanel *panel;
  GtkWidget *grid;
  GtkAdjustment *zoom;
  GSettings *settings;
  LastScreen last = { 0 };
  gint64 last_screen_us = -1;
  Recorder r = { 0 };
  UiRenderWait rw;
  double seconds = 30, step0, step1;
  guint checkpoint_every = 0, val_every = 0;
  int threads = -1;
  double zoom_px = 0;
  const char *csv_path = NULL;
  guint tick_id;
  gint64 t0;
  int status = 0;

  /* As the app does: OpenBLAS's kernels are chosen before anything calls BLAS (may re-execute). */
  nn_blas_setup (argv);

  for (int i = 1; i < argc; i++)
    {
      if (i + 1 >= argc)
        usage ();
      if (g_str_equal (argv[i], "--seconds"))
        seconds = g_ascii_strtod (argv[++i], NULL);
      else if (g_str_equal (argv[i], "--scroll-step"))
        r.step = g_ascii_strtod (argv[++i], NULL);
      else if (g_str_equal (argv[i], "--checkpoint-every"))
        checkpoint_every = (guint) g_ascii_strtoull (argv[++i], NULL, 10);
      else if (g_str_equal (argv[i], "--val-every"))
        val_every = (guint) g_ascii_strtoull (argv[++i], NULL, 10);
      else if (g_str_equal (argv[i], "--threads"))
        threads = (int) g_ascii_strtoll (argv[++i], NULL, 10);
      else if (g_str_equal (argv[i], "--zoom"))
        zoom_px = g_ascii_strtod (argv[++i], NULL);
      else if (g_str_equal (argv[i], "--csv"))
        csv_path = argv[++i];
      else
        usage ();
    }
  if (!(seconds > 0) || r.step < 0 || (zoom_px != 0 && !(zoom_px >= 32 && zoom_px <= 160)))
    usage ();

  /* A private session bus (GtkApplication wants one), settings in memory, the build's schema. */
  ui_test_prepare (argc, argv);
  g_setenv ("GSETTINGS_BACKEND", "memory", FALSE);
  g_setenv ("GSETTINGS_SCHEMA_DIR", ZI_BUILD_SCHEMA_DIR, FALSE);

  tmp_dir = g_dir_make_tmp ("zimaru-bench-frames-XXXXXX", &error);
  if (tmp_dir == NULL)
    {
      fprintf (stderr, "bench-frames: %s\n", error->message);
      return 1;
    }
  runs_dir = g_build_filename (tmp_dir, "runs", NULL);
  /* Where new runs go when there are no settings to say so. */
  data_home = g_build_filename (tmp_dir, "data", NULL);
  g_setenv ("XDG_DATA_HOME", data_home, TRUE);

  /* The renderer the app itself would pick (cairo without a GPU); GSK_RENDERER overrides it. */
  zi_application_choose_renderer ();
  if (!gtk_init_check ())
    {
      fprintf (stderr, "bench-frames: cannot open a display; run it under Xvfb (see the usage)\n");
      zi_dir_remove_tree (tmp_dir);
      return 1;
    }
  if (csv_path != NULL)
    {
      r.csv = fopen (csv_path, "w");
      if (r.csv == NULL)
        {
          fprintf (stderr, "bench-frames: cannot write %s\n", csv_path);
          zi_dir_remove_tree (tmp_dir);
          return 1;
        }
      fprintf (r.csv, "phase,frame_time_us,raw_time_us,paint_us,cpu_us,runq_us\n");
    }

  app = zi_application_new ();
  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  if (!g_application_register (G_APPLICATION (app), NULL, &error))
    {
      fprintf (stderr, "bench-frames: %s\n", error->message);
      zi_dir_remove_tree (tmp_dir);
      return 1;
    }
  settings = zi_application_get_settings (app);
  if (settings != NULL)
    {
      g_settings_set_string (settings, "runs-dir", runs_dir);
      /* The Preferences' engine threads (0, the default: one per processor). */
      if (threads >= 0)
        g_settings_set_int (settings, "threads", threads);
    }

  window = zi_window_new (app);
  gtk_window_present (GTK_WINDOW (window));
  if (!ui_wait_for (window_loaded, NULL, 120) || zi_window_get_error (window) != NULL)
    {
      fprintf (stderr, "bench-frames: the fonts did not load: %s\n",
               zi_window_get_error (window) != NULL ? zi_window_get_error (window) : "timed out");
      status = 1;
      goto out;
    }
  panel = zi_window_get_training_panel (window);
  grid = GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (window), ZI_TYPE_WINDOW, "grid_view"));
  r.vadjustment = gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (grid));

  /* The app's defaults, at 64 px; only the checkpoint and validation intervals when asked. */
  zi_training_panel_get_config (panel, &cfg);
  cfg.net.size = 64;
  if (checkpoint_every > 0)
    cfg.checkpoint_every = checkpoint_every;
  if (val_every > 0)
    cfg.val_every = val_every;
  zi_training_panel_set_config (panel, &cfg);

  zi_window_show_page (window, "training");
  r.clock = gtk_widget_get_frame_clock (GTK_WIDGET (window));
  g_signal_connect (r.clock, "before-paint", G_CALLBACK (before_paint_cb), &r);
  g_signal_connect (r.clock, "after-paint", G_CALLBACK (after_paint_cb), &r);
  tick_id = gtk_widget_add_tick_callback (GTK_WIDGET (window), tick_cb, &r, NULL);
  ui_spin (1.0);

  printf ("bench-frames: %dx%d window, %s, %u processors; training %d px, ngf %d, batch %d, "
          "checkpoint every %u, validation every %u steps, %u engine threads (0: one per processor)\n",
          gtk_widget_get_width (GTK_WIDGET (window)), gtk_widget_get_height (GTK_WIDGET (window)),
          G_OBJECT_TYPE_NAME (gtk_native_get_renderer (GTK_NATIVE (window))), g_get_num_processors (),
          cfg.net.size, cfg.net.ngf, cfg.net.batch, cfg.checkpoint_every, cfg.val_every, cfg.threads);
  fflush (stdout);

  record (&r, "baseline", &baseline);
  ui_spin (BASELINE_SECONDS);
  r.frames = NULL;

  t0 = g_get_monotonic_time ();
  if (!gtk_widget_activate_action (GTK_WIDGET (window), "win.train", NULL) ||
      !ui_wait_for (panel_in_state, GINT_TO_POINTER (ZI_TRAINER_STATE_RUNNING), 600))
    {
      fprintf (stderr, "bench-frames: training did not start: %s\n",
               zi_window_get_error (window) != NULL ? zi_window_get_error (window) : "timed out");
      status = 1;
      goto stop;
    }
  printf ("training started after %.1f s of preparation (dataset)\n", (g_get_monotonic_time () - t0) / 1e6);
  fflush (stdout);

  step0 = last_logged_step ();
  t0 = g_get_monotonic_time ();
  record (&r, "training", &training);
  r.chart = zi_training_panel_get_chart (panel);
  ui_spin (seconds);
  r.frames = NULL;
  r.chart = NULL;

  /* The glyph page with the first glyph selected (the detail pane shows it, as it usually shows
   * something), its first screen rendered before the fling starts. */
  rw.cache = zi_window_get_cache (window);
  rw.renders = zi_glyph_cache_get_renders (rw.cache);
  zoom = GTK_ADJUSTMENT (gtk_widget_get_template_child (GTK_WIDGET (window), ZI_TYPE_WINDOW,
                                                       "zoom_adjustment"));
  if (zoom_px != 0)
    gtk_adjustment_set_value (zoom, zoom_px);
  zi_window_show_page (window, "glyphs");
  {
    g_autoptr(ZiGlyphItem) first = g_list_model_get_item (zi_window_get_grid_model (window), 0);
    if (first != NULL)
      zi_window_select_char (window, zi_glyph_item_get_char (first));
  }
  ui_wait_for (ui_cache_settled, &rw, 30);
  rw.renders = zi_glyph_cache_get_renders (rw.cache);
  gtk_adjustment_set_value (r.vadjustment, 0);
  ui_spin (0.5);
  record (&r, "scroll", &scroll);
  r.scrolling = TRUE;
  if (!ui_wait_for (scrolled_to_end, &r, 600))
    fprintf (stderr, "bench-frames: the grid did not reach its end in 600 s\n");
  r.scrolling = FALSE;
  r.frames = NULL;
  step1 = last_logged_step ();

  /* How long the user waits for the screen the fling stopped on. */
  last.cache = rw.cache;
  last.model = zi_window_get_grid_model (window);
  last.size = (guint) gtk_adjustment_get_value (zoom) * gtk_widget_get_scale_factor (grid);
  {
    gint64 t = g_get_monotonic_time ();
    if (ui_wait_for (last_screen_shown, &last, 60))
      last_screen_us = g_get_monotonic_time () - t;
  }

  print_header ();
  print_phase ("baseline", baseline);
  print_phase ("training", training);
  print_phase ("scroll", scroll);
  printf ("ms. Frame intervals from the frame clock (a dropped frame shows as 33.3); raw max: the longest\n"
          "unsmoothed interval; paint: p99 and max of before-paint to after-paint; cpu max and runq: the\n"
          "main thread's longest CPU time and longest wait for a processor between two frames\n");
  {
    gint64 event_cpu_us = 0, event_us = zi_training_panel_get_worst_event_time (panel, &event_cpu_us);
    printf ("training page: the chart's longest snapshot %.1f ms; the longest trainer event %.1f ms "
            "(%.1f ms CPU)\n", r.chart_max_us / 1000.0, event_us / 1000.0, event_cpu_us / 1000.0);
  }
  printf ("training: logged step %.0f to %.0f in %.1f s (training and scroll phases)\n", step0, step1,
          (g_get_monotonic_time () - t0) / 1e6);
  printf ("scroll: %u glyphs, %.0f px in %u frames, %" G_GUINT64_FORMAT " glyph images made; ",
          g_list_model_get_n_items (zi_window_get_grid_model (window)),
          gtk_adjustment_get_value (r.vadjustment), r.scroll_frames,
          zi_glyph_cache_get_renders (rw.cache) - rw.renders);
  if (last_screen_us >= 0)
    printf ("the last screen's glyphs were ready %.0f ms after the scrolling stopped\n",
            last_screen_us / 1000.0);
  else
    printf ("the last screen's glyphs were not ready 60 s after the scrolling stopped\n");

stop:
  gtk_widget_remove_tick_callback (GTK_WIDGET (window), tick_id);
  g_signal_handlers_disconnect_by_data (r.clock, &r);
  zi_training_panel_stop (panel);
  ui_wait_for (panel_in_state, GINT_TO_POINTER (ZI_TRAINER_STATE_IDLE), 300);
out:
  zi_trainer_config_clear (&cfg);
  gtk_window_destroy (GTK_WINDOW (window));
  g_clear_object (&app);
  if (r.csv != NULL)
    fclose (r.csv);
  zi_dir_remove_tree (tmp_dir);
  return status;
}
