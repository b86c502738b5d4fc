/* test-export-job.c — tests of the export job: the manifest's quality flags, PNG options and PNG files
 * drawn from the traced outline, and the job's atomicity (cancel, missing or read-only parent, a full
 * destination, existing output), run directly and as the GUI runs it, in a task. Uses the real
 * default fonts. */
#include "config.h"
#include "export-test-util.h"
#include "zi-error.h"
#include "zi-export.h"
#include "zi-fileutil.h"
#include "zi-image.h"
#include "zi-outline-raster.h"

#include <glib/gstdio.h>
#include <math.h>
#include <signal.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

/* ---- the job ---- */

static gboolean
blank_and_blob_bitmaps (const gunichar *chars, guint n, guint8 *out, gboolean *available,
                        gpointer user_data, GCancellable *cancellable, GError **error)
{
  for (guint i = 0; i < n; i++)
    {
      guint8 *bm = out + (gsize) i * SIZE * SIZE;

      memset (bm, 0, SIZE * SIZE);
      switch (chars[i] % 4)
        {
        case 0: /* empty */
          break;
        case 1: /* blob */
          fill_rect (bm, 2, 2, 62, 62, 255);
          break;
        case 2: /* specks: a ring plus scattered 2×2 dots */
          fill_disc (bm, 32, 32, 20, 255);
          fill_disc (bm, 32, 32, 10, 0);
          for (int k = 0; k < 6; k++)
            fill_rect (bm, 4 + 9 * k, 58, 6 + 9 * k, 60, 255);
          break;
        default: /* skipped */
          available[i] = FALSE;
          break;
        }
    }
  return TRUE;
}

static gboolean
has_flag (JsonObject *glyph, const char *flag)
{
  JsonArray *flags = json_object_get_array_member (glyph, "flags");

  for (guint i = 0; i < json_array_get_length (flags); i++)
    if (g_strcmp0 (json_array_get_string_element (flags, i), flag) == 0)
      return TRUE;
  return FALSE;
}

static void
test_job_manifest_qa (Fixture *f, gconstpointer data)
{
  g_autofree char *dir = make_temp_dir ();
  g_autofree char *out = g_build_filename (dir, "out", NULL);
  g_autoptr(ZiExportSource) src = zi_export_source_new (SIZE, ZI_DEFAULT_EM_FRACTION, "test", blank_and_blob_bitmaps,
                                                        NULL, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  const gunichar chars[] = { 0x4E00, 0x4E01, 0x4E02, 0x4E03 };
  ZiExportOptions options;
  ZiExportSummary summary = { 0 };
  JsonObject *m;
  JsonArray *glyphs;

  zi_export_options_init (&options);
  g_assert_true (zi_export_run (src, f->target, chars, 4, out, &options, &summary, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (summary.exported, ==, 3);
  g_assert_cmpuint (summary.skipped, ==, 1);
  g_assert_cmpuint (summary.flagged, ==, 3);

  m = load_manifest (out, parser);
  glyphs = json_object_get_array_member (m, "glyphs");
  g_assert_cmpuint (json_array_get_length (glyphs), ==, 3);
  g_assert_true (has_flag (json_array_get_object_element (glyphs, 0), "empty"));
  g_assert_true (has_flag (json_array_get_object_element (glyphs, 1), "blob"));
  g_assert_false (has_flag (json_array_get_object_element (glyphs, 1), "empty"));
  g_assert_true (has_flag (json_array_get_object_element (glyphs, 2), "specks"));
  g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (glyphs, 2), "holes"), ==, 1);
  g_assert_cmpstr (json_array_get_string_element (json_object_get_array_member (m, "skipped"), 0), ==,
                   "U+4E03");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (m, "trace"), "preset"), ==,
                   "round");
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (m, "charset"), "count"), ==, 4);

  /* The files of the three exported glyphs, and none of the skipped one. */
  {
    g_autofree char *png = g_build_filename (out, "png", "uni4E01.png", NULL);
    g_autofree char *svg = g_build_filename (out, "svg", "uni4E02.svg", NULL);
    g_autofree char *skipped = g_build_filename (out, "png", "uni4E03.png", NULL);
    g_autofree char *glif = g_build_filename (out, "Zimaru-ZenMaruGothic.ufo", "glyphs", "uni4E_01.glif", NULL);
    g_autofree guint8 *pixels = NULL;
    guint w, h;

    g_assert_true (g_file_test (svg, G_FILE_TEST_IS_REGULAR));
    g_assert_true (g_file_test (glif, G_FILE_TEST_IS_REGULAR));
    g_assert_false (g_file_test (skipped, G_FILE_TEST_EXISTS));
    /* PNG: white paper, black ink. */
    pixels = zi_image_read_png (png, &w, &h, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (w, ==, SIZE);
    g_assert_cmpuint (pixels[0], ==, 255);
    g_assert_cmpuint (pixels[32 * SIZE + 32], ==, 0);
  }
  /* Nothing but the output is left in the parent. */
  g_assert_cmpuint (count_entries (dir), ==, 1);
  zi_dir_remove_tree (dir);
}

/* PNG options: resampled to another size, and black and white at the trace threshold. */
static void
test_job_png_options (Fixture *f, gconstpointer data)
{
  g_autofree char *dir = make_temp_dir ();
  g_autofree char *out = g_build_filename (dir, "out", NULL);
  g_autofree char *png = g_build_filename (out, "png", "uni53E3.png", NULL);
  g_autoptr(ZiExportSource) src = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree guint8 *pixels = NULL;
  const gunichar chars[] = { 0x53E3 };
  ZiExportOptions options;
  guint w, h, black = 0, white = 0;

  src = zi_export_source_new_font (open_font (TARGET_FONT), SIZE, ZI_DEFAULT_EM_FRACTION, &error);
  g_assert_no_error (error);
  zi_export_options_init (&options);
  options.formats = ZI_EXPORT_FORMAT_PNG;
  options.png_size = 128;
  options.png_1bit = TRUE;
  g_assert_true (zi_export_run (src, f->target, chars, 1, out, &options, NULL, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  pixels = zi_image_read_png (png, &w, &h, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (w, ==, 128);
  g_assert_cmpuint (h, ==, 128);
  for (guint i = 0; i < w * h; i++)
    {
      g_assert_true (pixels[i] == 0 || pixels[i] == 255);
      black += pixels[i] == 0;
      white += pixels[i] == 255;
    }
  /* 口 is a ring: some ink, mostly paper, and paper in its counter at the centre. */
  g_assert_cmpuint (black, >, 1000);
  g_assert_cmpuint (white, >, black);
  g_assert_cmpuint (pixels[64 * 128 + 64], ==, 255);

  /* A PNG size out of range is refused before anything is written. */
  options.png_size = 8;
  options.force = TRUE;
  g_assert_false (zi_export_run (src, f->target, chars, 1, out, &options, NULL, NULL, NULL, NULL, &error));
  g_assert_error (error, ZI_ERROR, ZI_ERROR_INVALID);
  g_assert_true (g_file_test (png, G_FILE_TEST_IS_REGULAR));
  zi_dir_remove_tree (dir);
}

/* Grey pixels (neither paper nor full ink) of a coverage bitmap. */
static guint
count_grey (const guint8 *cov, gsize n)
{
  guint grey = 0;

  for (gsize i = 0; i < n; i++)
    grey += cov[i] > 0 && cov[i] < 255;
  return grey;
}

/* The length of an outline's contours, in the pixels of a canvas of size px placed by p. */
static double
outline_length_px (const ZiOutline *o, const ZiPlacement *p, guint size)
{
  g_autoptr(GArray) pts = g_array_new (FALSE, FALSE, sizeof (ZiPoint));
  double len = 0;

  for (guint ci = 0; ci < o->n_contours; ci++)
    {
      g_array_set_size (pts, 0);
      zi_contour_flatten (&o->contours[ci], 0.5, pts);
      for (guint i = 0; i < pts->len; i++)
        {
          ZiPoint a = g_array_index (pts, ZiPoint, i), b = g_array_index (pts, ZiPoint, (i + 1) % pts->len);
          len += hypot (b.x - a.x, b.y - a.y);
        }
    }
  return len * p->scale * size / p->size;
}

/* PNG files come from the traced outline, not from the bitmap scaled up: at 512 px from 64 px
 * bitmaps the edges stay one pixel wide (1.2 grey pixels a pixel of outline length, where the bitmap
 * scaled up bilinearly greys 18), the picture is the outline the SVG holds filled at that size, and
 * it matches the target font's own glyph rendered at 512 px (IoU 0.96). */
static void
test_job_png_from_outline (Fixture *f, gconstpointer data)
{
  const guint big = 512;
  const gunichar c = 0x6C38;  /* 永 */
  g_autofree char *dir = make_temp_dir ();
  g_autofree char *out = g_build_filename (dir, "out", NULL);
  g_autofree char *png = g_build_filename (out, "png", "uni6C38.png", NULL);
  g_autoptr(ZiExportSource) src = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree guint8 *cov = NULL;
  g_autofree guint8 *bitmap = g_malloc (SIZE * SIZE);
  g_autofree guint8 *expected = g_malloc (big * big);
  g_autofree guint8 *font_big = g_malloc (big * big);
  g_autofree guint8 *upscaled = g_malloc (big * big);
  g_autoptr(ZiOutline) outline = NULL;
  ZiExportOptions options;
  ZiPlacement p_big;
  guint w, h, grey, max_diff = 0;
  guint64 inter = 0, uni = 0;
  double perimeter, iou;

  src = zi_export_source_new_font (open_font (TARGET_FONT), SIZE, ZI_DEFAULT_EM_FRACTION, &error);
  g_assert_no_error (error);
  zi_export_options_init (&options);
  options.formats = ZI_EXPORT_FORMAT_PNG;
  options.png_size = big;
  g_assert_true (zi_export_run (src, f->target, &c, 1, out, &options, NULL, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  cov = zi_image_read_png_coverage (png, &w, &h, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (w, ==, big);
  g_assert_cmpuint (h, ==, big);

  /* The outline the export traced, filled at 512 px: the PNG to the level. */
  g_assert_true (zi_render_char (f->target, &f->placement, c, bitmap, &error));
  outline = zi_trace_bitmap (bitmap, SIZE, &f->placement, &options.trace, &error);
  g_assert_no_error (error);
  g_assert_true (zi_outline_render (outline, &f->placement, big, expected, &error));
  for (guint i = 0; i < big * big; i++)
    max_diff = MAX (max_diff, (guint) ABS ((int) cov[i] - (int) expected[i]));
  g_assert_cmpuint (max_diff, <=, 1);

  /* Sharp: an edge crossing a pixel at any angle greys at most √2 pixels per pixel of length. */
  perimeter = outline_length_px (outline, &f->placement, big);
  grey = count_grey (cov, (gsize) big * big);
  {
    ZiPlacement p64 = f->placement;
    guint upscaled_grey;

    /* What the bitmap scaled up bilinearly would have greyed, for scale. */
    for (guint y = 0; y < big; y++)
      for (guint x = 0; x < big; x++)
        {
          double sx = CLAMP ((x + 0.5) * SIZE / big - 0.5, 0.0, SIZE - 1.0);
          double sy = CLAMP ((y + 0.5) * SIZE / big - 0.5, 0.0, SIZE - 1.0);
          guint x0 = (guint) sx, y0 = (guint) sy, x1 = MIN (x0 + 1, SIZE - 1), y1 = MIN (y0 + 1, SIZE - 1);
          double fx = sx - x0, fy = sy - y0;

          upscaled[y * big + x] = (guint8) lround ((bitmap[y0 * SIZE + x0] * (1 - fx) + bitmap[y0 * SIZE + x1] * fx) * (1 - fy)
                                                   + (bitmap[y1 * SIZE + x0] * (1 - fx) + bitmap[y1 * SIZE + x1] * fx) * fy);
        }
    upscaled_grey = count_grey (upscaled, (gsize) big * big);
    g_test_message ("永 at %u px from %u px: outline %.0f px long, %u grey pixels (%.2f a pixel of length); "
                    "the bitmap upscaled: %u (%.2f)", big, p64.size, perimeter, grey, grey / perimeter,
                    upscaled_grey, upscaled_grey / perimeter);
    g_assert_cmpfloat (grey, <=, 1.5 * perimeter);
    g_assert_cmpfloat (grey, >=, 0.5 * perimeter);  /* anti-aliased, not 1-bit */
    g_assert_cmpuint (upscaled_grey, >, 4 * grey);
  }

  /* The shape is the glyph's: against the target font rendered at 512 px. */
  g_assert_true (zi_placement_init (&p_big, f->target, big, ZI_DEFAULT_EM_FRACTION, &error));
  g_assert_true (zi_render_char (f->target, &p_big, c, font_big, &error));
  for (guint i = 0; i < big * big; i++)
    {
      inter += MIN (cov[i], font_big[i]);
      uni += MAX (cov[i], font_big[i]);
    }
  iou = (double) inter / uni;
  g_test_message ("against the font's own 永 at %u px: IoU %.4f", big, iou);
  g_assert_cmpfloat (iou, >, 0.95);
  zi_dir_remove_tree (dir);
}

typedef struct {
  GCancellable *cancellable;
  guint         calls;
} CancelData;

static void
cancel_progress_cb (guint64 done, guint64 total, gpointer user_data)
{
  CancelData *cd = user_data;

  cd->calls++;
  g_assert_cmpuint (done, <=, total);
  if (done * 2 >= total)
    g_cancellable_cancel (cd->cancellable);
}

static GArray *
some_target_chars (Fixture *f, guint n)
{
  GArray *chars = g_array_new (FALSE, FALSE, sizeof (gunichar));

  for (gunichar c = 0x4E00; chars->len < n; c++)
    if (zi_font_has_char (f->target, c))
      g_array_append_val (chars, c);
  return chars;
}

static void
test_job_cancel (Fixture *f, gconstpointer data)
{
  g_autofree char *dir = make_temp_dir ();
  g_autofree char *out = g_build_filename (dir, "out", NULL);
  g_autoptr(ZiExportSource) src = font_source (TARGET_FONT);
  g_autoptr(GArray) chars = some_target_chars (f, 600);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  CancelData cd = { cancellable, 0 };
  ZiExportOptions options;

  zi_export_options_init (&options);
  g_assert_false (zi_export_run (src, f->target, (gunichar *) chars->data, chars->len, out, &options, NULL,
                                 cancel_progress_cb, &cd, cancellable, &error));
  g_assert_error (error, ZI_ERROR, ZI_ERROR_CANCELLED);
  g_assert_cmpuint (cd.calls, >=, 1);
  g_assert_cmpuint (cd.calls, <, 5);  /* stopped half-way, not at the end */
  g_assert_false (g_file_test (out, G_FILE_TEST_EXISTS));
  g_assert_cmpuint (count_entries (dir), ==, 0);  /* no temporary directory left */
  zi_dir_remove_tree (dir);
}

static void
test_job_output_errors (Fixture *f, gconstpointer data)
{
  g_autofree char *dir = make_temp_dir ();
  g_autofree char *missing = g_build_filename (dir, "no-such-dir", "out", NULL);
  g_autofree char *existing = g_build_filename (dir, "existing", NULL);
  g_autofree char *marker = g_build_filename (existing, "keep.txt", NULL);
  g_autofree char *ro_dir = g_build_filename (dir, "read-only", NULL);
  g_autofree char *ro_out = NULL;
  g_autoptr(ZiExportSource) src = font_source (TARGET_FONT);
  g_autoptr(GArray) chars = some_target_chars (f, 3);
  g_autoptr(GError) error = NULL;
  ZiExportOptions options;

  zi_export_options_init (&options);

  /* A missing parent. */
  g_assert_false (zi_export_run (src, f->target, (gunichar *) chars->data, chars->len, missing, &options, NULL,
                                 NULL, NULL, NULL, &error));
  g_assert_error (error, ZI_ERROR, ZI_ERROR_IO);
  g_assert_nonnull (strstr (error->message, "does not exist"));
  g_assert_nonnull (strstr (error->message, "no-such-dir"));
  g_clear_error (&error);

  /* A read-only parent (root ignores permissions, so use a read-only file system then). */
  g_assert_cmpint (g_mkdir (ro_dir, 0555), ==, 0);
  ro_out = geteuid () == 0 ? g_strdup ("/sys/zimaru-export-test") : g_build_filename (ro_dir, "out", NULL);
  g_assert_false (zi_export_run (src, f->target, (gunichar *) chars->data, chars->len, ro_out, &options, NULL,
                                 NULL, NULL, NULL, &error));
  g_assert_error (error, ZI_ERROR, ZI_ERROR_IO);
  g_test_message ("read-only parent: %s", error->message);
  g_assert_false (g_file_test (ro_out, G_FILE_TEST_EXISTS));
  g_clear_error (&error);

  /* A write that fails inside the export (a file-size limit stands in for a full disk, and works for
   * root too; SIGXFSZ ignored so that write() fails with EFBIG): the message names the folder the
   * caller chose, not the temporary one the files were being written into. */
  {
    g_autofree char *full_out = g_build_filename (dir, "full", NULL);
    struct rlimit old_limit, limit;
    void (*old_handler) (int) = signal (SIGXFSZ, SIG_IGN);
    gboolean ok;

    g_assert_cmpint (getrlimit (RLIMIT_FSIZE, &old_limit), ==, 0);
    limit = old_limit;
    limit.rlim_cur = 64;
    g_assert_cmpint (setrlimit (RLIMIT_FSIZE, &limit), ==, 0);
    ok = zi_export_run (src, f->target, (gunichar *) chars->data, chars->len, full_out, &options, NULL,
                        NULL, NULL, NULL, &error);
    g_assert_cmpint (setrlimit (RLIMIT_FSIZE, &old_limit), ==, 0);
    signal (SIGXFSZ, old_handler);
    g_assert_false (ok);
    g_assert_error (error, ZI_ERROR, ZI_ERROR_IO);
    g_test_message ("full destination: %s", error->message);
    g_assert_nonnull (strstr (error->message, full_out));
    g_assert_null (strstr (error->message, ".tmp-"));
    g_assert_false (g_file_test (full_out, G_FILE_TEST_EXISTS));
    g_assert_cmpuint (count_entries (dir), ==, 1);  /* read-only: no temporary folder left */
    g_clear_error (&error);
  }

  /* An existing output is kept without force and replaced with it. */
  g_assert_cmpint (g_mkdir (existing, 0755), ==, 0);
  g_assert_true (g_file_set_contents (marker, "keep", -1, NULL));
  g_assert_false (zi_export_run (src, f->target, (gunichar *) chars->data, chars->len, existing, &options, NULL,
                                 NULL, NULL, NULL, &error));
  g_assert_error (error, ZI_ERROR, ZI_ERROR_EXISTS);
  g_assert_true (g_file_test (marker, G_FILE_TEST_EXISTS));
  g_clear_error (&error);
  options.force = TRUE;
  g_assert_true (zi_export_run (src, f->target, (gunichar *) chars->data, chars->len, existing, &options, NULL,
                                NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_false (g_file_test (marker, G_FILE_TEST_EXISTS));
  g_assert_cmpuint (count_entries (dir), ==, 2);  /* read-only, existing: nothing else left */

  /* An empty charset and no format are errors too. */
  g_assert_false (zi_export_run (src, f->target, (gunichar *) chars->data, 0, missing, &options, NULL, NULL,
                                 NULL, NULL, &error));
  g_assert_error (error, ZI_ERROR, ZI_ERROR_CHARSET);
  g_clear_error (&error);
  options.formats = 0;
  g_assert_false (zi_export_run (src, f->target, (gunichar *) chars->data, chars->len, existing, &options,
                                 NULL, NULL, NULL, NULL, &error));
  g_assert_error (error, ZI_ERROR, ZI_ERROR_INVALID);

  g_chmod (ro_dir, 0755);
  zi_dir_remove_tree (dir);
}

typedef struct {
  GMainLoop       *loop;
  GThread         *main_thread;
  guint            progress_calls;
  guint64          last_done;
  gboolean         ok;
  ZiExportSummary  summary;
} AsyncData;

static void
async_progress_cb (guint64 done, guint64 total, gpointer user_data)
{
  AsyncData *ad = user_data;

  g_assert_true (g_thread_self () == ad->main_thread);
  g_assert_cmpuint (done, >=, ad->last_done);
  ad->last_done = done;
  ad->progress_calls++;
}

static void
async_done_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  AsyncData *ad = user_data;
  g_autoptr(GError) error = NULL;

  ad->ok = zi_export_run_finish (result, &ad->summary, &error);
  g_assert_no_error (error);
  g_main_loop_quit (ad->loop);
}

static void
test_job_async (Fixture *f, gconstpointer data)
{
  g_autofree char *dir = make_temp_dir ();
  g_autofree char *out = g_build_filename (dir, "out", NULL);
  g_autoptr(GArray) chars = some_target_chars (f, 300);
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  AsyncData ad = { loop, g_thread_self (), 0, 0, FALSE, { 0 } };
  ZiExportOptions options;

  zi_export_options_init (&options);
  options.formats = ZI_EXPORT_FORMAT_SVG;
  zi_export_run_async (font_source (TARGET_FONT), open_font (TARGET_FONT), (gunichar *) chars->data,
                       chars->len, out, &options, async_progress_cb, &ad, NULL, async_done_cb, &ad);
  g_main_loop_run (loop);
  g_assert_true (ad.ok);
  g_assert_cmpuint (ad.summary.exported, ==, 300);
  g_assert_cmpuint (ad.progress_calls, >=, 1);
  g_assert_cmpuint (ad.last_done, ==, 300);
  {
    g_autofree char *svg_dir = g_build_filename (out, "svg", NULL);
    g_assert_cmpuint (count_entries (svg_dir), ==, 300);
  }
  zi_dir_remove_tree (dir);
}

typedef struct {
  GMainLoop    *loop;
  GCancellable *cancellable;
  GError       *error;
} AsyncCancelData;

static void
async_cancel_progress_cb (guint64 done, guint64 total, gpointer user_data)
{
  AsyncCancelData *ad = user_data;

  g_cancellable_cancel (ad->cancellable);
}

static void
async_cancel_done_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  AsyncCancelData *ad = user_data;

  g_assert_false (zi_export_run_finish (result, NULL, &ad->error));
  g_main_loop_quit (ad->loop);
}

/* The GUI's path: cancelling the task gives ZI_ERROR_CANCELLED and leaves nothing behind. */
static void
test_job_async_cancel (Fixture *f, gconstpointer data)
{
  g_autofree char *dir = make_temp_dir ();
  g_autofree char *out = g_build_filename (dir, "out", NULL);
  g_autoptr(GArray) chars = some_target_chars (f, 600);
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  AsyncCancelData ad = { loop, cancellable, NULL };
  ZiExportOptions options;

  zi_export_options_init (&options);
  zi_export_run_async (font_source (TARGET_FONT), open_font (TARGET_FONT), (gunichar *) chars->data,
                       chars->len, out, &options, async_cancel_progress_cb, &ad, cancellable,
                       async_cancel_done_cb, &ad);
  g_main_loop_run (loop);
  g_assert_error (ad.error, ZI_ERROR, ZI_ERROR_CANCELLED);
  g_assert_nonnull (strstr (ad.error->message, out));
  g_clear_error (&ad.error);
  g_assert_cmpuint (count_entries (dir), ==, 0);
  zi_dir_remove_tree (dir);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/export/job/manifest-qa", Fixture, NULL, fixture_setup, test_job_manifest_qa, fixture_teardown);
  g_test_add ("/export/job/png-options", Fixture, NULL, fixture_setup, test_job_png_options, fixture_teardown);
  g_test_add ("/export/job/png-from-outline", Fixture, NULL, fixture_setup, test_job_png_from_outline,
              fixture_teardown);
  g_test_add ("/export/job/cancel", Fixture, NULL, fixture_setup, test_job_cancel, fixture_teardown);
  g_test_add ("/export/job/output-errors", Fixture, NULL, fixture_setup, test_job_output_errors,
              fixture_teardown);
  g_test_add ("/export/job/async", Fixture, NULL, fixture_setup, test_job_async, fixture_teardown);
  g_test_add ("/export/job/async-cancel", Fixture, NULL, fixture_setup, test_job_async_cancel, fixture_teardown);

  return g_test_run ();
}
