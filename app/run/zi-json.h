/* zi-json.h — typed reading of the JSON files Zimaru writes (run.json, checkpoint metadata, metrics
 * records). They come from disk and may hold anything, so every accessor checks the member's type and
 * falls back instead of warning, and text must be valid UTF-8. */
#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* The member's string, or fallback when o is NULL or the member is missing, not a string or not UTF-8
 * (JSON-GLib turns a lone surrogate escape into bytes that are not). */
const char *zi_json_member_string (JsonObject *o, const char *name, const char *fallback);
/* The member's integer, or fallback when missing or not an integer. */
gint64      zi_json_member_int (JsonObject *o, const char *name, gint64 fallback);
/* The member's number, or fallback when missing, not a number, or not finite (our writers store a
 * non-finite number as null, and 1e999 reads as infinity: both must read back alike). */
double      zi_json_member_double (JsonObject *o, const char *name, double fallback);
/* The member's object, or NULL. */
JsonObject *zi_json_member_object (JsonObject *o, const char *name);
/* The member's array, or NULL. */
JsonArray  *zi_json_member_array (JsonObject *o, const char *name);
/* json_from_string() for a file that holds one JSON value; text after it is ZI_ERROR_RUN (JSON-GLib 1.6
 * reads text holding several values as the first and leaks the others). */
JsonNode   *zi_json_parse_one (const char *text, GError **error);

/* Members of the object being built: a string (NULL as ""), an integer, and a double (null when not
 * finite: JSON has no NaN or infinity, and a loss of a step a rollback undid may be one). */
void        zi_json_add_string (JsonBuilder *b, const char *name, const char *value);
void        zi_json_add_int (JsonBuilder *b, const char *name, gint64 value);
void        zi_json_add_double (JsonBuilder *b, const char *name, double value);

G_END_DECLS
