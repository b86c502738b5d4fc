/* zi-char-list.h — a GListModel over an array of characters, for the glyph grid. Items (ZiGlyphItem)
 * are made on demand, so a filter of 21,000 characters costs one array and no objects until the grid
 * shows them. */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define ZI_TYPE_GLYPH_ITEM (zi_glyph_item_get_type ())
G_DECLARE_FINAL_TYPE (ZiGlyphItem, zi_glyph_item, ZI, GLYPH_ITEM, GObject)

gunichar     zi_glyph_item_get_char (ZiGlyphItem *self);

#define ZI_TYPE_CHAR_LIST (zi_char_list_get_type ())
G_DECLARE_FINAL_TYPE (ZiCharList, zi_char_list, ZI, CHAR_LIST, GObject)

ZiCharList  *zi_char_list_new (void);
/* Replaces the contents with n characters (copied) and emits one items-changed. */
void         zi_char_list_set (ZiCharList *self, const gunichar *chars, guint n);
guint        zi_char_list_get_length (ZiCharList *self);
gunichar     zi_char_list_get_char (ZiCharList *self, guint position);
/* Position of c, or -1. Linear; the lists are at most a few tens of thousands long. */
int          zi_char_list_find (ZiCharList *self, gunichar c);

G_END_DECLS
