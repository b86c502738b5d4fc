/* zi-run-styles.h — the target styles' JSON form, shared by run.json and the checkpoint metadata
 * (both in zi-run.c): a top-level "styles" array of objects in embedding order,
 *   {"name": "Bold", "font": SPEC, "path": FILE, "face": 0, "hash": HEX, "family": "Zen Maru Gothic",
 *    "weight_class": 700}
 * and the one style of files written before styles existed. */
#pragma once

#include <json-glib/json-glib.h>
#include "zi-run.h"

G_BEGIN_DECLS

/* Adds the member "styles" to the object being built; nothing when n is 0. */
void     zi_run_styles_to_json (JsonBuilder *b, const ZiRunStyle *styles, guint n);

typedef enum {
  ZI_RUN_STYLES_ABSENT,     /* no "styles" member: a file of the older format */
  ZI_RUN_STYLES_READ,
  ZI_RUN_STYLES_BAD,        /* not an array of objects, empty, or more than ZI_RUN_MAX_STYLES */
} ZiRunStylesRead;

/* Reads o's "styles" into a new array (names made unique as zi_run_styles_make_unique does), only
 * when it returns ZI_RUN_STYLES_READ. */
ZiRunStylesRead zi_run_styles_from_json (JsonObject *o, ZiRunStyle **styles, guint *n);

/* Fills s (old contents not freed) as the one style of a run or checkpoint written before styles:
 * the target font's spec, file, face and hash as recorded, and its family, style name and weight class
 * read from the font when it opens (path when it is a regular file, else spec when it is a fontconfig
 * pattern or names a regular file), else "Regular" and 400. Never a device or a pipe: the names come
 * from files that may hold anything. */
void     zi_run_style_legacy (ZiRunStyle *s, const char *spec, const char *path, int face,
                              const char *hash);

G_END_DECLS
