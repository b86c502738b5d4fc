/* zi-char-list.c — the glyph grid's list model: an array of characters with items made on demand. */
#include "config.h"
#include "zi-char-list.h"

#include <string.h>

struct _ZiGlyphItem
{
  GObject  parent_instance;
  gunichar c;
};

G_DEFINE_FINAL_TYPE (ZiGlyphItem, zi_glyph_item, G_TYPE_OBJECT)

static void zi_glyph_item_class_init (ZiGlyphItemClass *klass) { }
static void zi_glyph_item_init (ZiGlyphItem *self) { }

gunichar
zi_glyph_item_get_char (ZiGlyphItem *self)
{
  g_return_val_if_fail (ZI_IS_GLYPH_ITEM (self), 0);
  return self->c;
}

struct _ZiCharList
{
  GObject  parent_instance;
  GArray  *chars;
};

static GType
zi_char_list_get_item_type (GListModel *model)
{
  return ZI_TYPE_GLYPH_ITEM;
}

static guint
zi_char_list_get_n_items (GListModel *model)
{
  return ZI_CHAR_LIST (model)->chars->len;
}

static gpointer
zi_char_list_get_item (GListModel *model, guint position)
{
  ZiCharList *self = ZI_CHAR_LIST (model);
  ZiGlyphItem *item;

  if (position >= self->chars->len)
    return NULL;
  item = g_object_new (ZI_TYPE_GLYPH_ITEM, NULL);
  item->c = g_array_index (self->chars, gunichar, position);
  return item;
}

static void
zi_char_list_model_init (GListModelInterface *iface)
{
  iface->get_item_type = zi_char_list_get_item_type;
  iface->get_n_items = zi_char_list_get_n_items;
  iface->get_item = zi_char_list_get_item;
}

G_DEFINE_FINAL_TYPE_WITH_CODE (ZiCharList, zi_char_list, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, zi_char_list_model_init))

static void
zi_char_list_finalize (GObject *object)
{
  g_array_unref (ZI_CHAR_LIST (object)->chars);
  G_OBJECT_CLASS (zi_char_list_parent_class)->finalize (object);
}

static void
zi_char_list_class_init (ZiCharListClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = zi_char_list_finalize;
}

static void
zi_char_list_init (ZiCharList *self)
{
  self->chars = g_array_new (FALSE, FALSE, sizeof (gunichar));
}

ZiCharList *
zi_char_list_new (void)
{
  return g_object_new (ZI_TYPE_CHAR_LIST, NULL);
}

void
zi_char_list_set (ZiCharList *self, const gunichar *chars, guint n)
{
  guint old;

  g_return_if_fail (ZI_IS_CHAR_LIST (self));
  g_return_if_fail (chars != NULL || n == 0);

  old = self->chars->len;
  /* The same list again (a filter re-applied) changes nothing the grid needs to know. */
  if (old == n && (n == 0 || memcmp (self->chars->data, chars, n * sizeof (gunichar)) == 0))
    return;
  g_array_set_size (self->chars, 0);
  g_array_append_vals (self->chars, chars, n);
  g_list_model_items_changed (G_LIST_MODEL (self), 0, old, n);
}

guint
zi_char_list_get_length (ZiCharList *self)
{
  g_return_val_if_fail (ZI_IS_CHAR_LIST (self), 0);
  return self->chars->len;
}

gunichar
zi_char_list_get_char (ZiCharList *self, guint position)
{
  g_return_val_if_fail (ZI_IS_CHAR_LIST (self), 0);
  g_return_val_if_fail (position < self->chars->len, 0);
  return g_array_index (self->chars, gunichar, position);
}

int
zi_char_list_find (ZiCharList *self, gunichar c)
{
  g_return_val_if_fail (ZI_IS_CHAR_LIST (self), -1);
  for (guint i = 0; i < self->chars->len; i++)
    if (g_array_index (self->chars, gunichar, i) == c)
      return i;
  return -1;
}
