/* zi-picks.c — RUN/picks.json: {"format": 1, "picks": {"永": "step-00012000.zck", ...}}, or, once a
 * multi-style run has picks of a named style, {"format": 2, "picks": {...}, "styles": {"Bold": {...}}}
 * where "picks" are the first style's made before styles were named.
 * Keys are the characters themselves (readable when the file is edited by hand); values are file
 * names inside RUN/checkpoints/, never paths, so a crafted file cannot point export elsewhere. */
#include "config.h"
#include "zi-picks.h"
#include "zi-error.h"
#include "zi-fileutil.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <string.h>

#define PICKS_FORMAT 1
#define PICKS_FORMAT_STYLES 2
/* A pick is ~30 bytes; 16 MiB holds every Unicode character several times over. */
#define PICKS_MAX_BYTES (16 * 1024 * 1024)

struct _ZiPicks {
  GHashTable *map;       /* the selected style's: gunichar → char * (checkpoint file name) */
  GHashTable *unnamed;   /* the picks of no named style (format 1's; the first style's) */
  GHashTable *styles;    /* style name → its map */
};

static GHashTable *
new_map (void)
{
  return g_hash_table_new_full (NULL, NULL, NULL, g_free);
}

ZiPicks *
zi_picks_new (void)
{
  ZiPicks *picks = g_new0 (ZiPicks, 1);

  picks->unnamed = new_map ();
  picks->styles = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                         (GDestroyNotify) g_hash_table_unref);
  picks->map = picks->unnamed;
  return picks;
}

void
zi_picks_free (ZiPicks *picks)
{
  if (picks == NULL)
    return;
  g_hash_table_unref (picks->unnamed);
  g_hash_table_unref (picks->styles);
  g_free (picks);
}

void
zi_picks_select_style (ZiPicks *picks, const char *style, gboolean first)
{
  GHashTable *map;
  GHashTableIter iter;
  gpointer key, value;

  g_return_if_fail (picks != NULL);

  if (style == NULL)
    {
      picks->map = picks->unnamed;
      return;
    }
  map = g_hash_table_lookup (picks->styles, style);
  if (map == NULL)
    {
      map = new_map ();
      g_hash_table_insert (picks->styles, g_strdup (style), map);
    }
  /* The unnamed picks were made for the first style: they join its named ones (which win). */
  if (first)
    {
      g_hash_table_iter_init (&iter, picks->unnamed);
      while (g_hash_table_iter_next (&iter, &key, &value))
        if (!g_hash_table_contains (map, key))
          g_hash_table_insert (map, key, g_strdup (value));
      g_hash_table_remove_all (picks->unnamed);
    }
  picks->map = map;
}

gboolean
zi_picks_is_valid_checkpoint_name (const char *name)
{
  gsize len;

  if (name == NULL || !g_utf8_validate (name, -1, NULL))
    return FALSE;
  len = strlen (name);
  if (len == 0 || len > 255 || name[0] == '.')
    return FALSE;
  for (const char *p = name; *p; p++)
    if (*p == '/' || *p == '\\' || (guchar) *p < 32 || *p == 0x7f)
      return FALSE;
  return TRUE;
}

static gboolean
is_character (gunichar c)
{
  return c != 0 && g_unichar_validate (c);
}

gboolean
zi_picks_set (ZiPicks *picks, gunichar c, const char *checkpoint_name)
{
  g_return_val_if_fail (picks != NULL, FALSE);

  if (!is_character (c) || !zi_picks_is_valid_checkpoint_name (checkpoint_name))
    return FALSE;
  g_hash_table_replace (picks->map, GUINT_TO_POINTER (c), g_strdup (checkpoint_name));
  return TRUE;
}

void
zi_picks_unset (ZiPicks *picks, gunichar c)
{
  g_return_if_fail (picks != NULL);

  g_hash_table_remove (picks->map, GUINT_TO_POINTER (c));
}

const char *
zi_picks_get (ZiPicks *picks, gunichar c)
{
  g_return_val_if_fail (picks != NULL, NULL);

  return g_hash_table_lookup (picks->map, GUINT_TO_POINTER (c));
}

guint
zi_picks_get_count (ZiPicks *picks)
{
  g_return_val_if_fail (picks != NULL, 0);

  return g_hash_table_size (picks->map);
}

static gint
compare_unichar (gconstpointer a, gconstpointer b)
{
  gunichar x = *(const gunichar *) a, y = *(const gunichar *) b;

  return x < y ? -1 : x > y;
}

GArray *
zi_picks_get_chars (ZiPicks *picks)
{
  GArray *chars;
  GHashTableIter iter;
  gpointer key;

  g_return_val_if_fail (picks != NULL, NULL);

  chars = g_array_sized_new (FALSE, FALSE, sizeof (gunichar), g_hash_table_size (picks->map));
  g_hash_table_iter_init (&iter, picks->map);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    {
      gunichar c = GPOINTER_TO_UINT (key);
      g_array_append_val (chars, c);
    }
  g_array_sort (chars, compare_unichar);
  return chars;
}

static gboolean
malformed (GError **error, const char *path, const char *what)
{
  /* what may quote the file (a key, or JSON-GLib's message), which need not be UTF-8. */
  g_autofree char *valid = g_utf8_make_valid (what, -1);

  g_set_error (error, ZI_ERROR, ZI_ERROR_RUN,
               _("The glyph picks file %s is malformed: %s (fix it, or delete it to drop the picks)"),
               path, valid);
  return FALSE;
}

static gboolean parse_map (ZiPicks *picks, const char *path, JsonObject *map, GError **error);

static gboolean
parse_picks (ZiPicks *picks, const char *path, const char *data, gsize len, GError **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) local = NULL;
  JsonObject *root, *styles;
  JsonNode *node;
  gint64 format;

  if (!zi_json_text_is_one_value (data, len))
    return malformed (error, path, _("there is more text after the first JSON value"));
  if (!json_parser_load_from_data (parser, data, (gssize) len, &local))
    return malformed (error, path, local->message);
  node = json_parser_get_root (parser);
  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return malformed (error, path, _("the top level is not an object"));
  root = json_node_get_object (node);

  node = json_object_get_member (root, "format");
  if (node == NULL || json_node_get_value_type (node) != G_TYPE_INT64
      || (json_node_get_int (node) != PICKS_FORMAT && json_node_get_int (node) != PICKS_FORMAT_STYLES))
    return malformed (error, path, _("\"format\" is missing or not 1 or 2"));
  format = json_node_get_int (node);

  node = json_object_get_member (root, "picks");
  if ((node == NULL && format == PICKS_FORMAT) || (node != NULL && !JSON_NODE_HOLDS_OBJECT (node)))
    return malformed (error, path, _("\"picks\" is missing or not an object"));
  if (node != NULL && !parse_map (picks, path, json_node_get_object (node), error))
    return FALSE;

  node = json_object_get_member (root, "styles");
  if (format == PICKS_FORMAT_STYLES && node != NULL)
    {
      g_autoptr(GList) names = NULL;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        return malformed (error, path, _("\"styles\" is not an object"));
      styles = json_node_get_object (node);
      names = json_object_get_members (styles);
      for (GList *l = names; l != NULL; l = l->next)
        {
          JsonNode *style = json_object_get_member (styles, l->data);

          if (!g_utf8_validate (l->data, -1, NULL) || ((const char *) l->data)[0] == '\0'
              || !JSON_NODE_HOLDS_OBJECT (style))
            return malformed (error, path, _("a style in \"styles\" has no name or is not an object"));
          zi_picks_select_style (picks, l->data, FALSE);
          if (!parse_map (picks, path, json_node_get_object (style), error))
            return FALSE;
        }
      zi_picks_select_style (picks, NULL, FALSE);
    }
  return TRUE;
}

/* The entries of one style's object into picks' selected map. */
static gboolean
parse_map (ZiPicks *picks, const char *path, JsonObject *map, GError **error)
{
  g_autoptr(GList) members = NULL;

  members = json_object_get_members (map);
  for (GList *l = members; l != NULL; l = l->next)
    {
      const char *key = l->data;
      JsonNode *value = json_object_get_member (map, key);
      gunichar c;

      if (!g_utf8_validate (key, -1, NULL) || g_utf8_strlen (key, -1) != 1)
        {
          g_autofree char *what = g_strdup_printf (_("the key \"%s\" is not one character"), key);
          return malformed (error, path, what);
        }
      c = g_utf8_get_char (key);
      if (!JSON_NODE_HOLDS_VALUE (value) || json_node_get_value_type (value) != G_TYPE_STRING
          || !zi_picks_set (picks, c, json_node_get_string (value)))
        {
          g_autofree char *what = g_strdup_printf (_("the checkpoint of \"%s\" is not a file name"), key);
          return malformed (error, path, what);
        }
    }
  return TRUE;
}

ZiPicks *
zi_picks_load_file (const char *path, GError **error)
{
  g_autoptr(ZiPicks) picks = NULL;
  g_autoptr(GError) local = NULL;
  g_autoptr(GMappedFile) file = NULL;

  g_return_val_if_fail (path != NULL, NULL);

  picks = zi_picks_new ();
  file = g_mapped_file_new (path, FALSE, &local);
  if (file == NULL)
    {
      if (g_error_matches (local, G_FILE_ERROR, G_FILE_ERROR_NOENT))
        return g_steal_pointer (&picks);
      g_set_error (error, ZI_ERROR, ZI_ERROR_IO, _("Cannot read the glyph picks file %s: %s"), path,
                   local->message);
      return NULL;
    }
  if (g_mapped_file_get_length (file) == 0)
    {
      malformed (error, path, _("it is empty"));
      return NULL;
    }
  if (g_mapped_file_get_length (file) > PICKS_MAX_BYTES)
    {
      malformed (error, path, _("it is larger than 16 MiB"));
      return NULL;
    }
  if (!parse_picks (picks, path, g_mapped_file_get_contents (file), g_mapped_file_get_length (file),
                    error))
    return NULL;
  return g_steal_pointer (&picks);
}

ZiPicks *
zi_picks_load (const char *run_dir, GError **error)
{
  g_autofree char *path = NULL;

  g_return_val_if_fail (run_dir != NULL, NULL);

  path = g_build_filename (run_dir, ZI_PICKS_FILE_NAME, NULL);
  return zi_picks_load_file (path, error);
}

/* One map as {"永": "step-….zck", ...}, in code-point order. */
static void
build_map (JsonBuilder *builder, GHashTable *map)
{
  ZiPicks view = { .map = map };
  g_autoptr(GArray) chars = zi_picks_get_chars (&view);

  json_builder_begin_object (builder);
  for (guint i = 0; i < chars->len; i++)
    {
      gunichar c = g_array_index (chars, gunichar, i);
      char key[8] = { 0 };

      g_unichar_to_utf8 (c, key);
      json_builder_set_member_name (builder, key);
      json_builder_add_string_value (builder, g_hash_table_lookup (map, GUINT_TO_POINTER (c)));
    }
  json_builder_end_object (builder);
}

gboolean
zi_picks_save_file (ZiPicks *picks, const char *path, GError **error)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *text = NULL;
  gsize len;

  g_return_val_if_fail (picks != NULL, FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  /* Format 1 while there are no named styles, which older versions read. */
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "format");
  json_builder_add_int_value (builder, g_hash_table_size (picks->styles) > 0 ? PICKS_FORMAT_STYLES
                                                                               : PICKS_FORMAT);
  json_builder_set_member_name (builder, "picks");
  build_map (builder, picks->unnamed);
  if (g_hash_table_size (picks->styles) > 0)
    {
      g_autoptr(GList) names = g_list_sort (g_hash_table_get_keys (picks->styles),
                                            (GCompareFunc) strcmp);

      json_builder_set_member_name (builder, "styles");
      json_builder_begin_object (builder);
      for (GList *l = names; l != NULL; l = l->next)
        {
          json_builder_set_member_name (builder, l->data);
          build_map (builder, g_hash_table_lookup (picks->styles, l->data));
        }
      json_builder_end_object (builder);
    }
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  json_generator_set_pretty (generator, TRUE);
  text = json_generator_to_data (generator, &len);
  return zi_file_write_atomic (path, text, len, error);
}

gboolean
zi_picks_save (ZiPicks *picks, const char *run_dir, GError **error)
{
  g_autofree char *path = NULL;

  g_return_val_if_fail (picks != NULL, FALSE);
  g_return_val_if_fail (run_dir != NULL, FALSE);

  path = g_build_filename (run_dir, ZI_PICKS_FILE_NAME, NULL);
  return zi_picks_save_file (picks, path, error);
}
