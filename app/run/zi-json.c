/* zi-json.c — typed member access for the JSON files Zimaru reads (see zi-json.h). */
#include "config.h"
#include "zi-json.h"
#include "zi-error.h"
#include "zi-fileutil.h"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

const char *
zi_json_member_string (JsonObject *o, const char *name, const char *fallback)
{
  JsonNode *n = o ? json_object_get_member (o, name) : NULL;

  if (n == NULL || json_node_get_value_type (n) != G_TYPE_STRING
      || !g_utf8_validate (json_node_get_string (n), -1, NULL))
    return fallback;
  return json_node_get_string (n);
}

gint64
zi_json_member_int (JsonObject *o, const char *name, gint64 fallback)
{
  JsonNode *n = o ? json_object_get_member (o, name) : NULL;

  if (n == NULL || json_node_get_value_type (n) != G_TYPE_INT64)
    return fallback;
  return json_node_get_int (n);
}

double
zi_json_member_double (JsonObject *o, const char *name, double fallback)
{
  JsonNode *n = o ? json_object_get_member (o, name) : NULL;

  if (n == NULL || JSON_NODE_TYPE (n) != JSON_NODE_VALUE || !isfinite (json_node_get_double (n)))
    return fallback;
  return json_node_get_double (n);
}

JsonObject *
zi_json_member_object (JsonObject *o, const char *name)
{
  JsonNode *n = o ? json_object_get_member (o, name) : NULL;

  return n != NULL && JSON_NODE_HOLDS_OBJECT (n) ? json_node_get_object (n) : NULL;
}

JsonArray *
zi_json_member_array (JsonObject *o, const char *name)
{
  JsonNode *n = o ? json_object_get_member (o, name) : NULL;

  return n != NULL && JSON_NODE_HOLDS_ARRAY (n) ? json_node_get_array (n) : NULL;
}

JsonNode *
zi_json_parse_one (const char *text, GError **error)
{
  g_return_val_if_fail (text != NULL, NULL);

  if (!zi_json_text_is_one_value (text, strlen (text)))
    {
      g_set_error_literal (error, ZI_ERROR, ZI_ERROR_RUN, _("there is more text after the first JSON value"));
      return NULL;
    }
  return json_from_string (text, error);
}

void
zi_json_add_string (JsonBuilder *b, const char *name, const char *value)
{
  json_builder_set_member_name (b, name);
  json_builder_add_string_value (b, value != NULL ? value : "");
}

void
zi_json_add_int (JsonBuilder *b, const char *name, gint64 value)
{
  json_builder_set_member_name (b, name);
  json_builder_add_int_value (b, value);
}

void
zi_json_add_double (JsonBuilder *b, const char *name, double value)
{
  json_builder_set_member_name (b, name);
  if (isfinite (value))
    json_builder_add_double_value (b, value);
  else
    json_builder_add_null_value (b);
}
