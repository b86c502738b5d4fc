/* ui-test-util.c — helpers shared by the UI tests (see ui-test-util.h). */
#include "config.h"
#include "ui-test-util.h"
#include "zi-export-dialog.h"

#include "zi-fileutil.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <locale.h>
#include <unistd.h>

void
ui_test_prepare (int argc, char **argv)
{
  if (g_getenv ("DBUS_SESSION_BUS_ADDRESS") == NULL && g_getenv ("ZIMARU_TEST_REEXEC") == NULL)
    {
      g_autoptr(GPtrArray) args = g_ptr_array_new ();

      g_setenv ("ZIMARU_TEST_REEXEC", "1", TRUE);
      g_ptr_array_add (args, (char *) "dbus-run-session");
      g_ptr_array_add (args, (char *) "--");
      for (int i = 0; i < argc; i++)
        g_ptr_array_add (args, argv[i]);
      g_ptr_array_add (args, NULL);
      execvp ("dbus-run-session", (char **) args->pdata);
      g_error ("could not run dbus-run-session: %s", g_strerror (errno));
    }
  g_setenv ("GTK_A11Y", "none", TRUE);
  if (g_getenv ("ZIMARU_TEST_LOCALEDIR") != NULL)
    {
      setlocale (LC_ALL, "");
      bindtextdomain (GETTEXT_PACKAGE, g_getenv ("ZIMARU_TEST_LOCALEDIR"));
      bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
      textdomain (GETTEXT_PACKAGE);
    }
}

static gboolean
timeout_cb (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

gboolean
ui_wait_for (UiCondition cond, gpointer data, double seconds)
{
  gboolean timed_out = FALSE;
  guint id = g_timeout_add ((guint) (seconds * 1000), timeout_cb, &timed_out);

  while (!cond (data) && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  if (!timed_out)
    g_source_remove (id);
  return cond (data);
}

static gboolean
never (gpointer data)
{
  return FALSE;
}

void
ui_spin (double seconds)
{
  ui_wait_for (never, NULL, seconds);
}

void
ui_save_png (GtkWidget *widget, const char *path)
{
  g_autoptr(GtkSnapshot) snapshot = gtk_snapshot_new ();
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  int w = gtk_widget_get_width (widget), h = gtk_widget_get_height (widget);

  if (GTK_IS_NATIVE (widget))
    /* A widget paintable draws nothing for a toplevel: ask the window to draw itself, as a frame
     * does. */
    GTK_WIDGET_GET_CLASS (widget)->snapshot (widget, snapshot);
  else
    {
      g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (widget);
      gdk_paintable_snapshot (paintable, GDK_SNAPSHOT (snapshot), w, h);
    }
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  g_assert_nonnull (node);
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (gtk_widget_get_native (widget)), node,
                                         &GRAPHENE_RECT_INIT (0, 0, w, h));
  g_assert_true (gdk_texture_save_to_png (texture, path));
  g_test_message ("screenshot: %s (%dx%d)", path, w, h);
}

typedef struct {
  GtkWidget *toplevel;
  char      *path;
  gboolean   done;
} ScreenshotRequest;

static void
screenshot_after_paint_cb (GdkFrameClock *clock, ScreenshotRequest *request)
{
  if (request->done)
    return;
  ui_save_png (request->toplevel, request->path);
  request->done = TRUE;
}

static gboolean
screenshot_done (gpointer data)
{
  return ((ScreenshotRequest *) data)->done;
}

void
ui_take_screenshot (GtkWidget *toplevel, const char *name)
{
  const char *dir = g_getenv ("ZIMARU_SCREENSHOT_DIR");
  ScreenshotRequest request = { toplevel, NULL, FALSE };
  GdkFrameClock *clock;
  gulong id;

  if (dir == NULL)
    return;
  request.path = g_build_filename (dir, name, NULL);
  clock = gtk_widget_get_frame_clock (toplevel);
  id = g_signal_connect (clock, "after-paint", G_CALLBACK (screenshot_after_paint_cb), &request);
  gtk_widget_queue_draw (toplevel);
  g_assert_true (ui_wait_for (screenshot_done, &request, 10));
  g_signal_handler_disconnect (clock, id);
  g_free (request.path);
}

gpointer
ui_find_toplevel (GType type)
{
  GListModel *toplevels = gtk_window_get_toplevels ();  /* transfer none */

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) w = g_list_model_get_item (toplevels, i);
      if (G_TYPE_CHECK_INSTANCE_TYPE (w, type))
        return w;
    }
  return NULL;
}

guint64
ui_ink_sum (GBytes *coverage)
{
  gsize n;
  const guint8 *p = g_bytes_get_data (coverage, &n);
  guint64 sum = 0;

  for (gsize i = 0; i < n; i++)
    sum += p[i];
  return sum;
}

gboolean
ui_cache_settled (gpointer data)
{
  UiRenderWait *w = data;
  return zi_glyph_cache_get_renders (w->cache) > w->renders && zi_glyph_cache_get_pending (w->cache) == 0;
}

gboolean
ui_glyph_known (gpointer data)
{
  UiGlyphWait *w = data;
  gboolean missing = FALSE;
  return zi_glyph_cache_lookup (w->cache, w->c, w->kind, w->size, &missing) != NULL || missing;
}

ZiWindow *
ui_window_test_start (int *argc, char ***argv, ZiApplication **app, char **tmp_dir)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *data_home = NULL;
  g_autofree char *cache_home = NULL;
  ZiWindow *window;

  *tmp_dir = g_dir_make_tmp ("zimaru-ui-XXXXXX", &error);
  g_assert_no_error (error);
  data_home = g_build_filename (*tmp_dir, "data", NULL);
  cache_home = g_build_filename (*tmp_dir, "cache", NULL);
  g_setenv ("XDG_DATA_HOME", data_home, TRUE);
  g_setenv ("XDG_CACHE_HOME", cache_home, TRUE);
  g_setenv ("OPENBLAS_NUM_THREADS", "1", FALSE);
  /* The shipped model only where a test asks for one: the window tests must not change with what
   * data/models holds. */
  if (g_getenv ("ZIMARU_MODEL_DIR") == NULL)
    {
      g_autofree char *no_model = g_build_filename (*tmp_dir, "no-model", NULL);
      g_setenv ("ZIMARU_MODEL_DIR", no_model, TRUE);
    }

  gtk_test_init (argc, argv, NULL);

  *app = zi_application_new ();
  g_application_set_flags (G_APPLICATION (*app), G_APPLICATION_NON_UNIQUE);
  g_assert_true (g_application_register (G_APPLICATION (*app), NULL, &error));
  g_assert_no_error (error);
  window = zi_window_new (*app);
  gtk_window_set_default_size (GTK_WINDOW (window), 1400, 860);
  gtk_window_present (GTK_WINDOW (window));
  return window;
}

int
ui_window_test_run (ZiWindow *window, ZiApplication *app, char *tmp_dir)
{
  int status = g_test_run ();

  gtk_window_destroy (GTK_WINDOW (window));
  g_object_unref (app);
  zi_dir_remove_tree (tmp_dir);
  g_free (tmp_dir);
  return status;
}

gboolean
ui_window_loaded (gpointer data)
{
  return zi_window_is_loaded (data);
}

guint
ui_chart_points (ZiWindow *window, const char *id)
{
  ZiChart *chart = zi_training_panel_get_chart (zi_window_get_training_panel (window));
  int i = zi_chart_find_series (chart, id);

  g_assert_cmpint (i, >=, 0);
  return zi_chart_series_get_length (zi_chart_get_series (chart, i));
}

static gboolean
export_preview (gpointer data)
{
  return zi_export_dialog_has_preview (data);
}

static gboolean
export_done (gpointer data)
{
  return zi_export_dialog_is_done (data, NULL);
}

void
ui_export_dialog_run (GtkWidget *dialog, const char *dir, const char *name, guint charset)
{
  gboolean ok = FALSE;

  g_assert_true (ui_wait_for (export_preview, dialog, 60));
  zi_export_dialog_set_output (ZI_EXPORT_DIALOG (dialog), dir, name);
  zi_export_dialog_set_charset (ZI_EXPORT_DIALOG (dialog), charset);
  zi_export_dialog_start (ZI_EXPORT_DIALOG (dialog));
  g_assert_true (ui_wait_for (export_done, dialog, 120));
  g_assert_true (zi_export_dialog_is_done (ZI_EXPORT_DIALOG (dialog), &ok));
  g_assert_true (ok);
}
