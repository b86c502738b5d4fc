/* zi-export.c — the export job (see zi-export.h for the output layout).
 *
 * Work goes in batches: the source produces the bitmaps of a batch (model generation on this
 * thread), a few threads trace them and write their PNG, SVG and .glif files, and this thread records
 * them in order (UFO glyph list, manifest). Everything lands in "<out>.tmp-XXXXXX"; at the end one
 * syncfs() makes it durable and zi_dir_commit() renames it into place. Files inside the temporary
 * directory are written without a per-file fsync: nobody sees them before the commit, and ~43,000
 * fsyncs (14,300 glyphs × 3 files) would cost more than the tracing. */
#define _GNU_SOURCE  /* syncfs() */
#include "config.h"
#include "zi-export-private.h"
#include "zi-error.h"
#include "zi-fileutil.h"
#include "zi-image.h"
#include "zi-charset.h"
#include "zi-outline-raster.h"
#include "zi-render.h"
#include "zi-svg.h"
#include "zi-ufo.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <math.h>
#include <string.h>
#include <unistd.h>

/* ---- options ---- */

void
zi_export_options_init (ZiExportOptions *options)
{
  g_return_if_fail (options != NULL);

  memset (options, 0, sizeof *options);
  options->formats = ZI_EXPORT_FORMAT_PNG | ZI_EXPORT_FORMAT_SVG | ZI_EXPORT_FORMAT_UFO;
  zi_trace_params_init (&options->trace, ZI_TRACE_PRESET_ROUND);
}

gboolean
zi_export_formats_from_string (const char *s, ZiExportFormats *formats)
{
  g_auto(GStrv) parts = NULL;
  ZiExportFormats f = 0;

  g_return_val_if_fail (formats != NULL, FALSE);

  if (s == NULL || *s == '\0')
    return FALSE;
  parts = g_strsplit (s, ",", -1);
  for (int i = 0; parts[i] != NULL; i++)
    {
      const char *p = g_strstrip (parts[i]);

      if (g_ascii_strcasecmp (p, "png") == 0)
        f |= ZI_EXPORT_FORMAT_PNG;
      else if (g_ascii_strcasecmp (p, "svg") == 0)
        f |= ZI_EXPORT_FORMAT_SVG;
      else if (g_ascii_strcasecmp (p, "ufo") == 0)
        f |= ZI_EXPORT_FORMAT_UFO;
      else
        return FALSE;
    }
  *formats = f;
  return TRUE;
}

/* ---- the job ---- */

typedef struct {
  ZiExportState *ex;
  ZiExportGlyph *glyphs;
  guint          n;
  guint          first;
  guint          stride;
} TraceTask;

/* Files inside the temporary directory: no temporary file of their own, no fsync (see the top). */
static gboolean
write_file (const char *path, const void *data, gsize len, GError **error)
{
  g_autoptr(GError) local = NULL;

  if (!g_file_set_contents_full (path, data, (gssize) len, G_FILE_SET_CONTENTS_NONE, 0644, &local))
    {
      g_set_error (error, ZI_ERROR, ZI_ERROR_IO, _("Cannot write %s: %s"), path, local->message);
      return FALSE;
    }
  return TRUE;
}

static gboolean
write_png (ZiExportState *ex, const ZiExportGlyph *g, const char *name, GError **error)
{
  guint osize = ex->options->png_size ? ex->options->png_size : ex->source->size;
  gsize plane = (gsize) osize * osize;
  g_autofree guint8 *pixels = g_malloc (plane);
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *file = g_strconcat (name, ".png", NULL);
  g_autofree char *path = g_build_filename (ex->png_dir, file, NULL);

  /* The traced outline filled, as the SVG and the UFO draw the glyph: sharp at any size, where an
   * upscaled bitmap was blurred. The outline already follows the threshold's crossing: 1-bit keeps
   * the pixels at least half inside it. */
  if (!zi_outline_render (g->outline, &ex->placement, osize, pixels, error))
    return FALSE;
  if (ex->options->png_1bit)
    for (gsize i = 0; i < plane; i++)
      pixels[i] = pixels[i] >= 128 ? 0 : 255;
  else
    zi_image_coverage_to_gray (pixels, pixels, plane);

  bytes = zi_image_encode_png (pixels, osize, osize, error);
  return bytes != NULL
         && write_file (path, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), error);
}

ZiOutline *
zi_export_trace_generated (const guint8 *raw, guint field_spread, guint size, const ZiPlacement *placement,
                           const ZiTraceParams *params, GError **error)
{
  ZiTraceParams field_params;

  g_return_val_if_fail (raw != NULL, NULL);
  g_return_val_if_fail (params != NULL, NULL);

  if (field_spread == 0)
    return zi_trace_bitmap (raw, size, placement, params, error);
  /* The derived ink 127.5 + (f − 127.5) × spread reaches the threshold t where
   * f = 127.5 + (t − 127.5) / spread; the smallest whole f at or above it (t = 128 → 128). */
  field_params = *params;
  field_params.threshold =
    (guint8) CLAMP (ceil (127.5 + (params->threshold - 127.5) / field_spread), 1.0, 255.0);
  return zi_trace_bitmap (raw, size, placement, &field_params, error);
}

/* Everything about one glyph that needs no shared state: QA numbers, tracing, and its PNG, SVG and
 * .glif files (each its own file). Runs on the worker threads; errors stay in g->error. */
static void
process_glyph (ZiExportState *ex, ZiExportGlyph *g)
{
  guint size = ex->source->size;
  gsize ink = 0, plane = (gsize) size * size;
  g_autofree char *name = NULL;

  if (!g->available)
    return;
  for (gsize i = 0; i < plane; i++)
    ink += g->bitmap[i] >= ex->options->trace.threshold;
  g->ink_ratio = (double) ink / (double) plane;
  g->outline = zi_export_trace_generated (g->trace, ex->source->field_spread, size, &ex->placement,
                                          &ex->options->trace, &g->error);
  if (g->outline == NULL)
    return;
  for (guint k = 0; k < g->outline->n_contours; k++)
    g->holes += g->outline->contours[k].hole;
  g->tiny = zi_outline_count_small (g->outline, ZI_EXPORT_QA_TINY_AREA);

  name = zi_glyph_name_for_char (g->c);
  if ((ex->options->formats & ZI_EXPORT_FORMAT_PNG) && !write_png (ex, g, name, &g->error))
    return;
  if (ex->options->formats & ZI_EXPORT_FORMAT_SVG)
    {
      g_autofree char *svg = zi_svg_document (g->outline, &ex->frame, g->c);
      g_autofree char *file = g_strconcat (name, ".svg", NULL);
      g_autofree char *path = g_build_filename (ex->svg_dir, file, NULL);

      if (!write_file (path, svg, strlen (svg), &g->error))
        return;
    }
  if (ex->ufo != NULL)
    zi_ufo_writer_write_glif (ex->ufo, g->c, ex->frame.advance, g->outline, &g->error);
}

static gpointer
trace_thread (gpointer data)
{
  TraceTask *t = data;

  for (guint i = t->first; i < t->n; i += t->stride)
    process_glyph (t->ex, &t->glyphs[i]);
  return NULL;
}

/* The worker threads processing one batch. */
typedef struct {
  guint      n_threads;
  TraceTask *tasks;
  GThread  **threads;
} Workers;

/* Starts processing a batch on n_threads threads; glyph i goes to thread i mod n_threads. */
static void
workers_start (Workers *w, ZiExportState *ex, ZiExportGlyph *glyphs, guint n)
{
  guint n_threads = ex->options->n_threads ? ex->options->n_threads : g_get_num_processors ();

  w->n_threads = CLAMP (n_threads, 1, MIN (n, 16u));
  w->tasks = g_new (TraceTask, w->n_threads);
  w->threads = g_new (GThread *, w->n_threads);
  for (guint t = 0; t < w->n_threads; t++)
    {
      w->tasks[t] = (TraceTask) { ex, glyphs, n, t, w->n_threads };
      w->threads[t] = g_thread_new ("zi-export", trace_thread, &w->tasks[t]);
    }
}

static void
workers_join (Workers *w)
{
  for (guint t = 0; t < w->n_threads; t++)
    g_thread_join (w->threads[t]);
  g_clear_pointer (&w->tasks, g_free);
  g_clear_pointer (&w->threads, g_free);
  w->n_threads = 0;
}

/* Records a processed glyph, in charset order: its UFO entry and its manifest entry. The glyph's
 * error (from a worker) is reported here. */
static gboolean
record_glyph (ZiExportState *ex, ZiExportGlyph *g, GError **error)
{
  g_autofree char *name = NULL;
  const char *origin;

  if (g->error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&g->error));
      return FALSE;
    }
  if (!g->available)
    {
      g_ptr_array_add (ex->skipped, g_strdup_printf ("U+%04X", g->c));
      ex->summary.skipped++;
      return TRUE;
    }
  if (ex->ufo != NULL && !zi_ufo_writer_register (ex->ufo, g->c, error))
    return FALSE;
  name = zi_glyph_name_for_char (g->c);
  origin = zi_export_source_origin (ex->source, g->c);
  zi_export_manifest_glyph (ex, g, name, origin);
  if (ex->options->outline_func != NULL)
    ex->options->outline_func (g->c, ex->frame.advance, g->outline, ex->options->outline_data);
  g_hash_table_add (ex->used, (gpointer) origin);
  ex->summary.exported++;
  return TRUE;
}

static void
glyphs_clear (ZiExportGlyph *glyphs, guint n)
{
  for (guint i = 0; i < n; i++)
    {
      g_clear_pointer (&glyphs[i].outline, zi_outline_free);
      g_clear_error (&glyphs[i].error);
    }
}

/* Records a processed batch in charset order and reports progress; clears the batch either way. */
static gboolean
record_batch (ZiExportState *ex, ZiExportGlyph *glyphs, guint m, guint done, guint n,
              ZiProgressFunc progress, gpointer progress_data, GError **error)
{
  gboolean ok = TRUE;

  for (guint i = 0; i < m && ok; i++)
    ok = record_glyph (ex, &glyphs[i], error);
  glyphs_clear (glyphs, m);
  if (ok && progress != NULL)
    progress (done, n, progress_data);
  return ok;
}

/* Batches run one after the other: generation on this thread, then tracing and writing on the
 * workers. Overlapping the two (double-buffered batches) showed no gain on the shared 2-core test
 * machine (bench-export, 1,500 glyphs with a 64 px ngf 32 model: 15.8–17.5 s overlapped, 10.9–15.0 s
 * not), so the simpler order stays. */
static gboolean
export_glyphs (ZiExportState *ex, const gunichar *chars, guint n, ZiProgressFunc progress,
               gpointer progress_data, GCancellable *cancellable, GError **error)
{
  gsize plane = (gsize) ex->source->size * ex->source->size;
  g_autofree guint8 *bitmaps = g_malloc (ZI_EXPORT_BATCH * plane);
  /* A field source's ink, derived from its bitmaps; for a coverage source, the bitmaps themselves. */
  g_autofree guint8 *fields_ink = ex->source->field_spread > 0 ? g_malloc (ZI_EXPORT_BATCH * plane) : NULL;
  const guint8 *ink = fields_ink != NULL ? fields_ink : bitmaps;
  g_autofree gboolean *available = g_new (gboolean, ZI_EXPORT_BATCH);
  g_autofree ZiExportGlyph *glyphs = g_new0 (ZiExportGlyph, ZI_EXPORT_BATCH);

  for (guint start = 0; start < n; start += ZI_EXPORT_BATCH)
    {
      guint m = MIN (ZI_EXPORT_BATCH, n - start);
      Workers workers = { 0 };

      if (g_cancellable_set_error_if_cancelled (cancellable, error)
          || !zi_export_source_bitmaps (ex->source, chars + start, m, bitmaps, available,
                                        cancellable, error))
        return FALSE;
      if (fields_ink != NULL)
        zi_image_field_to_coverage (bitmaps, fields_ink, m * plane, ex->source->field_spread);
      for (guint i = 0; i < m; i++)
        glyphs[i] = (ZiExportGlyph) { .c = chars[start + i], .available = available[i],
                                      .bitmap = ink + i * plane, .trace = bitmaps + i * plane };
      workers_start (&workers, ex, glyphs, m);
      workers_join (&workers);
      if (!record_batch (ex, glyphs, m, start + m, n, progress, progress_data, error))
        return FALSE;
    }
  return TRUE;
}

gboolean
zi_export_check_output (const char *out_dir, gboolean force, GError **error)
{
  g_autofree char *parent = g_path_get_dirname (out_dir);

  if (!g_file_test (parent, G_FILE_TEST_IS_DIR))
    {
      g_set_error (error, ZI_ERROR, ZI_ERROR_IO,
                   _("Cannot export into %s: the folder %s does not exist (create it first, or "
                     "choose another output folder)"), out_dir, parent);
      return FALSE;
    }
  if (g_access (parent, W_OK | X_OK) != 0)
    {
      g_set_error (error, ZI_ERROR, ZI_ERROR_IO,
                   _("Cannot export into %s: the folder %s is not writable (choose a folder you can "
                     "write to)"), out_dir, parent);
      return FALSE;
    }
  if (!force && g_file_test (out_dir, G_FILE_TEST_EXISTS))
    {
      g_set_error (error, ZI_ERROR, ZI_ERROR_EXISTS,
                   _("%s already exists (choose another folder, or ask to replace it: --force)"),
                   out_dir);
      return FALSE;
    }
  return TRUE;
}

static gboolean
make_subdir (const char *parent, const char *name, char **out, GError **error)
{
  *out = g_build_filename (parent, name, NULL);
  if (g_mkdir (*out, 0755) != 0)
    {
      int err = errno;
      g_set_error (error, ZI_ERROR, ZI_ERROR_IO, _("Cannot create %s: %s"), *out, g_strerror (err));
      return FALSE;
    }
  return TRUE;
}

gboolean
zi_export_sync_tree (const char *dir, GError **error)
{
  int fd = open (dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  int err;

  if (fd >= 0 && syncfs (fd) == 0)
    {
      close (fd);
      return TRUE;
    }
  err = errno;
  if (fd >= 0)
    close (fd);
  g_set_error (error, ZI_ERROR, ZI_ERROR_IO, _("Cannot write the export %s to disk: %s%s"), dir,
               g_strerror (err), err == ENOSPC ? _(" (free some disk space and try again)") : "");
  return FALSE;
}

static gboolean
export_into (ZiExportState *ex, const gunichar *chars, guint n, ZiProgressFunc progress,
             gpointer progress_data, GCancellable *cancellable, GError **error)
{
  const ZiExportOptions *o = ex->options;

  if ((o->formats & ZI_EXPORT_FORMAT_PNG) && !make_subdir (ex->tmp_dir, "png", &ex->png_dir, error))
    return FALSE;
  if ((o->formats & ZI_EXPORT_FORMAT_SVG) && !make_subdir (ex->tmp_dir, "svg", &ex->svg_dir, error))
    return FALSE;
  if (o->formats & ZI_EXPORT_FORMAT_UFO)
    {
      g_autofree char *path = NULL;

      ex->ufo_name = zi_ufo_style_dir_name (zi_font_get_family (ex->target), o->style_name);
      path = g_build_filename (ex->tmp_dir, ex->ufo_name, NULL);
      ex->ufo = zi_ufo_writer_new (path, zi_font_get_family (ex->target),
                                   o->style_name != NULL ? o->style_name : zi_font_get_style (ex->target),
                                   o->family_suffix, &ex->metrics, error);
      if (ex->ufo == NULL)
        return FALSE;
      if (o->style_name != NULL)
        zi_ufo_writer_set_weight_class (ex->ufo, o->weight_class);
    }

  zi_export_manifest_begin (ex, chars, n);
  if (!export_glyphs (ex, chars, n, progress, progress_data, cancellable, error))
    return FALSE;
  if (ex->ufo != NULL && !zi_ufo_writer_finish (ex->ufo, error))
    return FALSE;
  {
    g_autofree char *path = g_build_filename (ex->tmp_dir, "manifest.json", NULL);
    gsize len;
    g_autofree char *text = zi_export_manifest_finish (ex, &len);

    if (!write_file (path, text, len, error))
      return FALSE;
  }
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return FALSE;
  return zi_export_sync_tree (ex->tmp_dir, error);
}

/* The files are written under the temporary directory, which the user never chose and never sees:
 * errors from any writer (ours, the UFO writer's, GLib's) name the destination instead. */
static void
name_destination (GError *error, const char *tmp_dir, const char *out_dir)
{
  GString *message;

  if (error == NULL || strstr (error->message, tmp_dir) == NULL)
    return;
  message = g_string_new (error->message);
  g_string_replace (message, tmp_dir, out_dir, 0);
  g_free (error->message);
  error->message = g_string_free (message, FALSE);
}

static void
export_clear (ZiExportState *ex)
{
  g_free (ex->tmp_dir);
  g_free (ex->png_dir);
  g_free (ex->svg_dir);
  g_free (ex->ufo_name);
  g_clear_pointer (&ex->ufo, zi_ufo_writer_free);
  g_clear_object (&ex->manifest);
  g_clear_pointer (&ex->skipped, g_ptr_array_unref);
  g_clear_pointer (&ex->used, g_hash_table_unref);
}

gboolean
zi_export_run (ZiExportSource        *source,
               ZiFont                *target,
               const gunichar        *chars,
               guint                  n,
               const char            *out_dir_arg,
               const ZiExportOptions *options,
               ZiExportSummary       *summary,
               ZiProgressFunc         progress,
               gpointer               progress_data,
               GCancellable          *cancellable,
               GError               **error)
{
  ZiExportState ex = { 0 };
  g_autofree char *out_dir = NULL;
  g_autoptr(GError) local = NULL;
  gint64 start = g_get_monotonic_time ();
  gboolean ok;

  g_return_val_if_fail (source != NULL, FALSE);
  g_return_val_if_fail (target != NULL, FALSE);
  g_return_val_if_fail (chars != NULL || n == 0, FALSE);
  g_return_val_if_fail (out_dir_arg != NULL, FALSE);
  g_return_val_if_fail (options != NULL, FALSE);

  /* Absolute and without a trailing '/', so that its parent and the temporary sibling are right. */
  out_dir = g_canonicalize_filename (out_dir_arg, NULL);

  if (n == 0)
    {
      g_set_error (error, ZI_ERROR, ZI_ERROR_CHARSET,
                   _("Nothing to export into %s: the character set is empty"), out_dir);
      return FALSE;
    }
  if ((options->formats & (ZI_EXPORT_FORMAT_PNG | ZI_EXPORT_FORMAT_SVG | ZI_EXPORT_FORMAT_UFO)) == 0
      || (options->png_size != 0 && (options->png_size < 16 || options->png_size > 1024)))
    {
      g_set_error (error, ZI_ERROR, ZI_ERROR_INVALID,
                   _("Invalid export options: choose at least one of png, svg, ufo, and a PNG size "
                     "of 16–1024 px (%u given)"), options->png_size);
      return FALSE;
    }
  if (!zi_trace_params_check (&options->trace, error) || !zi_export_check_output (out_dir, options->force, error))
    return FALSE;

  ex.source = source;
  ex.target = target;
  ex.options = options;
  if (!zi_placement_init (&ex.placement, target, source->size, source->em_fraction, error))
    return FALSE;
  zi_font_get_metrics (target, &ex.metrics);
  zi_svg_frame_init (&ex.frame, &ex.metrics);

  ex.tmp_dir = zi_dir_make_temp_beside (out_dir, &local);
  if (ex.tmp_dir == NULL)
    {
      g_set_error (error, ZI_ERROR, ZI_ERROR_IO,
                   _("Cannot export into %s: %s (choose a folder you can write to)"), out_dir,
                   local->message);
      return FALSE;
    }
  ex.manifest = json_builder_new ();
  ex.skipped = g_ptr_array_new_with_free_func (g_free);
  ex.used = g_hash_table_new (g_str_hash, g_str_equal);

  ok = export_into (&ex, chars, n, progress, progress_data, cancellable, &local)
       && zi_dir_commit (ex.tmp_dir, out_dir, options->force, &local);
  if (!ok)
    {
      zi_dir_remove_tree (ex.tmp_dir);
      /* Whatever layer noticed the cancellation (GIO, the model), report it in our domain. */
      if (g_cancellable_is_cancelled (cancellable))
        g_set_error (error, ZI_ERROR, ZI_ERROR_CANCELLED, _("The export to %s was cancelled"), out_dir);
      else
        {
          name_destination (local, ex.tmp_dir, out_dir);
          g_propagate_error (error, g_steal_pointer (&local));
        }
    }
  else if (summary != NULL)
    {
      *summary = ex.summary;
      summary->seconds = (g_get_monotonic_time () - start) / 1e6;
    }
  export_clear (&ex);
  return ok;
}
