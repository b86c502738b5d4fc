/* zi-representation.c — the names of a model's output representations and their JSON form, shared by
 * run.json's configuration and the checkpoints' metadata (zi-representation.h). */
#include "config.h"
#include "zi-representation.h"
#include "zi-render.h"

const char *
zi_representation_to_string (ZiRepresentation representation)
{
  return representation == ZI_REPRESENTATION_FIELD ? "field" : "ink";
}

gboolean
zi_representation_from_string (const char *s, ZiRepresentation *representation)
{
  g_return_val_if_fail (representation != NULL, FALSE);

  if (g_strcmp0 (s, "ink") == 0)
    *representation = ZI_REPRESENTATION_INK;
  else if (g_strcmp0 (s, "field") == 0)
    *representation = ZI_REPRESENTATION_FIELD;
  else
    return FALSE;
  return TRUE;
}

void
zi_representation_to_json (JsonBuilder *b, ZiRepresentation representation, guint field_spread)
{
  g_return_if_fail (JSON_IS_BUILDER (b));

  json_builder_set_member_name (b, "representation");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "kind");
  json_builder_add_string_value (b, zi_representation_to_string (representation));
  if (representation == ZI_REPRESENTATION_FIELD)
    {
      json_builder_set_member_name (b, "spread");
      json_builder_add_int_value (b, field_spread);
    }
  json_builder_end_object (b);
}

gboolean
zi_representation_from_json (JsonObject *o, ZiRepresentation *representation, guint *field_spread)
{
  JsonNode *node, *kind, *spread;
  JsonObject *r;
  ZiRepresentation value;
  gint64 s = ZI_FIELD_SPREAD_DEFAULT;

  g_return_val_if_fail (o != NULL, FALSE);
  g_return_val_if_fail (representation != NULL && field_spread != NULL, FALSE);

  node = json_object_get_member (o, "representation");
  if (node == NULL)
    {
      *representation = ZI_REPRESENTATION_INK;
      *field_spread = ZI_FIELD_SPREAD_DEFAULT;
      return TRUE;
    }
  /* Typed access that never warns: the JSON comes from disk. */
  if (!JSON_NODE_HOLDS_OBJECT (node))
    return FALSE;
  r = json_node_get_object (node);
  kind = json_object_get_member (r, "kind");
  if (kind == NULL || json_node_get_value_type (kind) != G_TYPE_STRING
      || !zi_representation_from_string (json_node_get_string (kind), &value))
    return FALSE;
  spread = json_object_get_member (r, "spread");
  if (value == ZI_REPRESENTATION_FIELD)
    {
      if (spread == NULL || json_node_get_value_type (spread) != G_TYPE_INT64)
        return FALSE;
      s = json_node_get_int (spread);
      if (s < ZI_FIELD_SPREAD_MIN || s > ZI_FIELD_SPREAD_MAX)
        return FALSE;
    }
  *representation = value;
  *field_spread = (guint) s;
  return TRUE;
}
