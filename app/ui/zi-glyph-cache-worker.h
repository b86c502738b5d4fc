/* zi-glyph-cache-worker.h — the worker side of the glyph cache (zi-glyph-cache.c): what a request
 * and a result hold, and the work itself — rendering the fonts' glyphs, running the models, scaling
 * their output up and tracing it — on the worker thread's own fonts and models. Private to the cache,
 * which calls these functions; they never call it. */
#pragma once

#include <gtk/gtk.h>
#include "zi-font.h"
#include "zi-glyph-cache.h"
#include "zi-model.h"

G_BEGIN_DECLS

/* The key size of a glyph's outline, and of a generated glyph at the model's own size. */
#define OUTLINE_SIZE  G_MAXUINT32
#define NATIVE_SIZE   0

static inline guint64
make_key (gunichar c, ZiGlyphKind kind, guint size)
{
  return (guint64) c | ((guint64) kind << 24) | ((guint64) size << 32);
}

static inline gunichar key_char (guint64 key) { return key & 0xFFFFFF; }
static inline ZiGlyphKind key_kind (guint64 key) { return (key >> 24) & 0xFF; }
static inline guint key_size (guint64 key) { return key >> 32; }

/* A queued key, with a generated glyph's model output when the store has it. */
typedef struct {
  guint64  key;
  GBytes  *coverage;
  GBytes  *raw;
} Request;

typedef struct {
  guint64         key;
  guint           generation;
  guint           size;      /* side of the image actually made */
  GBytes         *coverage;
  GBytes         *raw;
  GBytes         *rgba;
  ZiGlyphOutline *outline;
  gboolean        missing;
  gboolean        generated; /* the model ran for it: keep its output under the native key too */
} Result;

/* The worker thread's own fonts and models. */
typedef struct {
  ZiFont     *source;
  ZiFont     *target;
  ZiModel    *models[ZI_GLYPH_CACHE_MAX_MODELS];
  guint       n_models;
  /* A second copy of the one model when asked for, on a machine of two cores or more: a batch runs
   * half on it, on a
   * helper thread, while the worker runs the other half. It loads from twin_checkpoint on
   * twin_loader once the worker is first idle, so that it does not slow down the first screen
   * (twin_loaded set once it is done), and draws what the models draw (style, weight). */
  ZiModel    *twin;
  char       *twin_checkpoint;
  GThread    *twin_loader;
  gint        twin_loaded;
  guint       style;
  double      weight;
  GHashTable *placements;  /* (font index << 16 | size) → ZiPlacement* */
} WorkerState;

void   zi_glyph_worker_request_free (Request *q);
void   zi_glyph_worker_result_free (Result *r);
/* Forgets the fonts, models and placements (before loading others). */
void   zi_glyph_worker_clear (WorkerState *ws);
/* Loads the checkpoints (NULL-terminated, may be NULL; at most ZI_GLYPH_CACHE_MAX_MODELS); parallel:
 * a lone one gets a twin once the worker is first idle. A checkpoint that fails to load shows as
 * "nothing generated". */
void   zi_glyph_worker_load_models (WorkerState *ws, const char * const *checkpoints, gboolean parallel);
/* The worker has nothing to do: starts loading the twin of a lone model if it has none yet. */
void   zi_glyph_worker_idle (WorkerState *ws);
/* What the models draw from now on: the style of embedding index style, or with weight > 0 that
 * OS/2 weight class (zi_model_set_weight; a weight the model cannot draw leaves its first style). */
void   zi_glyph_worker_set_style (WorkerState *ws, guint style, double weight);
/* A font's glyph (source or target kind) at the key's size, or the target's outline. */
Result *zi_glyph_worker_render (WorkerState *ws, guint64 key);
/* The results of n requests of one model, run as one batch where the model must run. */
GList *zi_glyph_worker_generate (WorkerState *ws, guint model_index, Request **reqs, guint n);

G_END_DECLS
