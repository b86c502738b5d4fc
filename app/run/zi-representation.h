/* zi-representation.h — what a model's output pixels are: the target's ink coverage, or a signed
 * distance field of the target's outline (Green 2007) with its spread in pixels, in zi-render.h's
 * encoding. Both are bytes of the same range, so the networks and the one conversion between bytes
 * and the networks' pixels (zi-image.h) serve both; zi_image_field_to_coverage() derives a field's
 * ink, which is what validation measures and what a field model's glyphs show.
 *
 * The enum itself is in zi-types.h, so that headers can name it without JSON-GLib. run.json's
 * "config" and each checkpoint's metadata store it as
 *   "representation": {"kind": "field", "spread": 4}     or     "representation": {"kind": "ink"}
 * and a file without it is ink: every run made before fields existed trained on ink. */
#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>
#include "zi-types.h"

G_BEGIN_DECLS

/* "ink", "field"; from_string returns FALSE for another name. */
const char *zi_representation_to_string (ZiRepresentation representation);
gboolean    zi_representation_from_string (const char *s, ZiRepresentation *representation);

/* Adds the member "representation" to the object b is building; the spread only for a field. */
void        zi_representation_to_json (JsonBuilder *b, ZiRepresentation representation, guint field_spread);
/* Reads the member "representation" of o. Absent: ink, and *field_spread ZI_FIELD_SPREAD_DEFAULT. FALSE
 * (outputs untouched) when it is not an object, names an unknown kind, or gives a field a spread
 * outside ZI_FIELD_SPREAD_MIN..MAX (zi-render.h). */
gboolean    zi_representation_from_json (JsonObject *o, ZiRepresentation *representation,
                                         guint *field_spread);

G_END_DECLS
