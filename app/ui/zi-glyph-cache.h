/* zi-glyph-cache.h — the window's shared store of glyph images and outlines. Lookups on the main
 * thread never render: a miss queues a request for a worker thread that has its own copies of the
 * fonts (and the loaded models), and the result comes back as a texture (or an outline) on the main
 * loop, announced by one "changed::ready" signal per batch so the grid cells redraw
 * ("changed::cleared" when a font or model change emptied the store; "changed" catches both). Newest
 * requests are served first (what is on screen now), stale ones are dropped, and the store is bounded
 * (least recently used goes first).
 *
 * Generated glyphs come at the model's size; a texture asked for at a larger size is that coverage
 * scaled up with sharp edges (zi-upscale.h) on the worker, from the model's output kept once made. */
#pragma once

#include <gtk/gtk.h>
#include "zi-glyph-outline.h"

G_BEGIN_DECLS

/* What image of a character: the source glyph, the target glyph, or the output of a model slot. */
typedef enum {
  ZI_GLYPH_SOURCE,
  ZI_GLYPH_TARGET,
  ZI_GLYPH_GENERATED,  /* first model; ZI_GLYPH_GENERATED + k is the k-th model */
} ZiGlyphKind;

#define ZI_GLYPH_CACHE_MAX_MODELS 4

#define ZI_TYPE_GLYPH_CACHE (zi_glyph_cache_get_type ())
G_DECLARE_FINAL_TYPE (ZiGlyphCache, zi_glyph_cache, ZI, GLYPH_CACHE, GObject)

ZiGlyphCache *zi_glyph_cache_new (void);

/* Font specs (zi-font.h) for the worker. Changing them empties the store. NULL = none. */
void          zi_glyph_cache_set_fonts (ZiGlyphCache *self, const char *source, const char *target);
/* Checkpoints whose generated glyphs the GENERATED kinds show (NULL-terminated, at most
 * ZI_GLYPH_CACHE_MAX_MODELS). Loading happens on the worker. */
void          zi_glyph_cache_set_models (ZiGlyphCache *self, const char * const *checkpoints);
/* set_models with the one checkpoint, which also runs on a second core where there is one: a copy of
 * it loads once the worker is first idle, and then makes half of each batch. For the shipped model
 * while no run is open; a run's checkpoints leave the other cores to training. */
void          zi_glyph_cache_set_model_parallel (ZiGlyphCache *self, const char *checkpoint);
guint         zi_glyph_cache_get_n_models (ZiGlyphCache *self);
/* What the models of a run with several target styles draw: the style of embedding index style, or,
 * with weight > 0, that OS/2 weight class between two trained styles (zi_model_set_weight). Empties
 * the generated glyphs; the target column follows zi_glyph_cache_set_fonts(). Style 0, weight 0 at
 * first, and for models of one style. */
void          zi_glyph_cache_set_style (ZiGlyphCache *self, guint style, double weight);
/* The style and weight of the last set_style (for tests and benchmarks). */
guint         zi_glyph_cache_get_style (ZiGlyphCache *self, double *weight);

/* The image (black ink on transparent, size×size; for generated kinds the larger of size and the
 * model's size), or NULL while it is being made; a NULL result queues the work. *missing (may be NULL)
 * is set TRUE when the font or model has nothing to show for c, so the caller can stop waiting. */
GdkTexture   *zi_glyph_cache_lookup (ZiGlyphCache *self, gunichar c, ZiGlyphKind kind, guint size,
                                     gboolean *missing);
/* The coverage bitmap (0 = paper) behind a texture from lookup with the same arguments, or NULL:
 * size×size for the fonts' kinds, the model's own size for generated kinds. */
GBytes       *zi_glyph_cache_lookup_coverage (ZiGlyphCache *self, gunichar c, ZiGlyphKind kind,
                                              guint size);
/* The outline of c (zi-glyph-outline.h), or NULL while it is being made (the lookup queues it):
 * ZI_GLYPH_TARGET's is the target font's own, a generated kind's the model's glyph traced as export
 * traces it and measured against the target's. *missing as for zi_glyph_cache_lookup (always for
 * ZI_GLYPH_SOURCE: the source font's units are not the target's). */
const ZiGlyphOutline *zi_glyph_cache_lookup_outline (ZiGlyphCache *self, gunichar c, ZiGlyphKind kind,
                                                     gboolean *missing);

/* While paused, lookups of missing images return NULL without queueing work, and what was queued
 * is dropped: the window pauses the cache while the grid flings past faster than the worker could
 * render the cells. Unpausing emits "changed::ready", so whoever still waits asks again. */
void          zi_glyph_cache_set_paused (ZiGlyphCache *self, gboolean paused);
gboolean      zi_glyph_cache_get_paused (ZiGlyphCache *self);

/* Requests waiting for the worker (for tests). */
guint         zi_glyph_cache_get_pending (ZiGlyphCache *self);
/* Renders run so far on the worker (for tests and the frame-time log). */
guint64       zi_glyph_cache_get_renders (ZiGlyphCache *self);

G_END_DECLS
