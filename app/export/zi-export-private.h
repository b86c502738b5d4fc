/* zi-export-private.h — what the export's files share: the source structure (zi-export-source.c)
 * with optional hooks that name each glyph's checkpoint and describe the checkpoints in the manifest
 * (set by the model sources of zi-export-model.c), the job's state (zi-export.c) and the manifest
 * (zi-export-manifest.c). Not for use outside these files. */
#pragma once

#include <json-glib/json-glib.h>
#include "zi-export.h"
#include "zi-svg.h"
#include "zi-ufo.h"

G_BEGIN_DECLS

/* The export works in batches of this many glyphs; a source is never asked for more at once. */
#define ZI_EXPORT_BATCH 128

struct _ZiExportSource {
  guint               size;
  /* 0: the bitmaps are coverage; else they are signed distance fields of this spread (a field
   * model's raw output): the job traces them and derives their ink for the QA figures. */
  guint               field_spread;
  double              em_fraction;
  char               *description;
  ZiExportBitmapFunc  func;
  gpointer            user_data;
  GDestroyNotify      destroy;
  /* Set by model sources (may stay NULL). font: the source font, for the manifest (borrowed from
   * user_data). origin: the checkpoint name a glyph comes from. describe: appends one object per
   * checkpoint whose name is in used to the manifest's open "checkpoints" array. */
  ZiFont             *font;
  const char       *(*origin) (gpointer user_data, gunichar c);
  void              (*describe) (gpointer user_data, JsonBuilder *builder, GHashTable *used);
};

/* The checkpoint (or description) a glyph of src comes from, for the manifest. */
const char *zi_export_source_origin (ZiExportSource *src, gunichar c);
/* Fills n bitmaps of src's size into out; available[i] says whether chars[i] has one. */
gboolean    zi_export_source_bitmaps (ZiExportSource *src, const gunichar *chars, guint n,
                                      guint8 *out, gboolean *available, GCancellable *cancellable,
                                      GError **error);

/* One glyph of a batch, between processing (worker threads) and recording (the export's thread). */
typedef struct {
  gunichar      c;
  gboolean      available;
  const guint8 *bitmap;     /* ink coverage, for the QA figures */
  const guint8 *trace;      /* what is traced: bitmap, or the field it was derived from */
  ZiOutline    *outline;
  double        ink_ratio;
  guint         holes;
  guint         tiny;
  GError       *error;
} ZiExportGlyph;

/* The state of one export run (zi-export.c); the manifest builder lives in zi-export-manifest.c. */
typedef struct {
  ZiExportSource        *source;
  ZiFont                *target;
  const ZiExportOptions *options;
  ZiPlacement            placement;  /* the target's, at the source's size */
  ZiFontMetrics          metrics;
  ZiSvgFrame             frame;
  char                  *tmp_dir;
  char                  *png_dir;
  char                  *svg_dir;
  char                  *ufo_name;
  ZiUfoWriter           *ufo;
  JsonBuilder           *manifest;   /* inside the "glyphs" array while the batches run */
  GPtrArray             *skipped;    /* of char* "U+XXXX" */
  GHashTable            *used;       /* origins (checkpoint names) used → TRUE */
  ZiExportSummary        summary;
} ZiExportState;

/* The parent of out_dir must be an existing, writable directory; out_dir must not exist unless
 * force (ZI_ERROR_IO / ZI_ERROR_EXISTS naming it). */
gboolean zi_export_check_output (const char *out_dir, gboolean force, GError **error);
/* Flushes everything written under dir to disk with one call before a rename makes it visible. */
gboolean zi_export_sync_tree (const char *dir, GError **error);

/* manifest.json: begin writes everything known before the glyphs and opens the "glyphs" array;
 * glyph appends one glyph's QA (and counts it in ex->summary.flagged); finish closes it and returns
 * the JSON text. */
void  zi_export_manifest_begin (ZiExportState *ex, const gunichar *chars, guint n);
void  zi_export_manifest_glyph (ZiExportState *ex, const ZiExportGlyph *g, const char *name,
                                const char *origin);
char *zi_export_manifest_finish (ZiExportState *ex, gsize *len);
/* A family's interpolation in the manifest at path: each glyph whose codepoint ("U+4E00") results
 * holds gets "interpolation" (the result's name) and, when compatible, "reference" (the style its
 * points come from, from references); "summary" gains "compatible" (the count) and the top level an
 * "interpolation" object: glyphs, compatible, share and the variable designspace's file name (NULL:
 * none written). */
gboolean zi_export_manifest_add_interpolation (const char *path, GHashTable *results,
                                               GHashTable *references, guint compatible,
                                               guint glyphs, const char *designspace,
                                               GError **error);

G_END_DECLS
