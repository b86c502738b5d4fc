/* zi-glyph-detail.h — the detail pane of the selected glyph: a large rendering with the em box,
 * baseline and ideographic character-face guides; source, target, generated (its traced outline
 * filled), an onion-skin overlay of target and generated in two colours, their difference, or the
 * outline view of a font editor (each compared checkpoint's traced outline with its points, over the
 * bitmap and the target font's own outline); per-glyph L1 / SSIM / IoU and outline figures when a
 * model exists; and a sample-text strip showing the glyph among its neighbours. */
#pragma once

#include <gtk/gtk.h>
#include "zi-font.h"
#include "zi-glyph-cache.h"
#include "zi-glyph-cell.h"
#include "zi-render.h"

G_BEGIN_DECLS

#define ZI_TYPE_GLYPH_DETAIL (zi_glyph_detail_get_type ())
G_DECLARE_FINAL_TYPE (ZiGlyphDetail, zi_glyph_detail, ZI, GLYPH_DETAIL, GtkWidget)

GtkWidget  *zi_glyph_detail_new (void);
void        zi_glyph_detail_set_cache (ZiGlyphDetail *self, ZiGlyphCache *cache);
/* The target font's metrics and its placement at ZI_GLYPH_DETAIL_SIZE, for the guides. */
#define ZI_GLYPH_DETAIL_SIZE 256
void        zi_glyph_detail_set_guides (ZiGlyphDetail *self, const ZiFontMetrics *metrics,
                                        const ZiPlacement *placement);
/* c = 0 clears the pane. context: the characters shown in the sample strip around c (may be NULL). */
void        zi_glyph_detail_set_char (ZiGlyphDetail *self, gunichar c, ZiGlyphState state,
                                      const char *context);
gunichar    zi_glyph_detail_get_char (ZiGlyphDetail *self);
/* "source", "target", "generated", "onion", "difference" or "outline". */
void        zi_glyph_detail_set_mode (ZiGlyphDetail *self, const char *mode);
/* The per-glyph pick row: a menu of checkpoints to keep (NULL hides the row) and what is picked. */
void        zi_glyph_detail_set_pick_menu (ZiGlyphDetail *self, GMenuModel *menu);
void        zi_glyph_detail_set_pick_label (ZiGlyphDetail *self, const char *text);
/* Whether the outline view marks the outlines' points (property "show-nodes", action
 * "detail.show-nodes"; default TRUE). */
void        zi_glyph_detail_set_show_nodes (ZiGlyphDetail *self, gboolean show);
gboolean    zi_glyph_detail_get_show_nodes (ZiGlyphDetail *self);
/* What the canvas's last drawing showed in the outline view (for tests): the outlines stroked (the
 * target font's and each model's) and the on-curve and off-curve points marked. */
void        zi_glyph_detail_get_drawn_outlines (ZiGlyphDetail *self, guint *outlines, guint *on_curve,
                                                guint *off_curve);
/* TRUE with the metrics of the first model's output for the current glyph, once both images exist. */
gboolean    zi_glyph_detail_get_metrics (ZiGlyphDetail *self, double *l1, double *ssim, double *iou);

G_END_DECLS
