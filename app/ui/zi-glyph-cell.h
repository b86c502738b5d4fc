/* zi-glyph-cell.h — one cell of the glyph grid: the source, target and generated images of a
 * character side by side (one generated column per compared checkpoint), a caption with the character
 * and its code point, and a state mark. It only draws what the shared glyph cache already has and
 * redraws when the cache announces new images. */
#pragma once

#include <gtk/gtk.h>
#include "zi-glyph-cache.h"

G_BEGIN_DECLS

typedef enum {
  ZI_GLYPH_STATE_TRAIN     = 1 << 0,  /* in the training split */
  ZI_GLYPH_STATE_VAL       = 1 << 1,  /* in the validation split */
  ZI_GLYPH_STATE_MISSING   = 1 << 2,  /* the target font lacks it: what Zimaru generates */
  ZI_GLYPH_STATE_PICKED    = 1 << 3,  /* a checkpoint was picked for it */
} ZiGlyphState;

#define ZI_TYPE_GLYPH_CELL (zi_glyph_cell_get_type ())
G_DECLARE_FINAL_TYPE (ZiGlyphCell, zi_glyph_cell, ZI, GLYPH_CELL, GtkWidget)

GtkWidget *zi_glyph_cell_new (ZiGlyphCache *cache);
void       zi_glyph_cell_set_char (ZiGlyphCell *self, gunichar c, ZiGlyphState state);
gunichar   zi_glyph_cell_get_char (ZiGlyphCell *self);
/* Image side in pixels (zoom). */
void       zi_glyph_cell_set_image_size (ZiGlyphCell *self, guint size);
/* Which images to show, left to right (n ≤ 2 + ZI_GLYPH_CACHE_MAX_MODELS). */
void       zi_glyph_cell_set_kinds (ZiGlyphCell *self, const ZiGlyphKind *kinds, guint n);

G_END_DECLS
