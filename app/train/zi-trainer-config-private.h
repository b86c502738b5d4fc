/* zi-trainer-config-private.h — what zi-trainer-config.c takes from zi-trainer-config-styles.c: the
 * checks and the JSON of the target styles. */
#pragma once

#include <json-glib/json-glib.h>
#include "zi-trainer-config.h"

G_BEGIN_DECLS

/* A style count the network agrees with, no spec twice (the same file under two specs is found when
 * the fonts are opened, zi-trainer-data.c), and one weight per style for a ratio by weights;
 * ZI_ERROR_INVALID otherwise. */
gboolean zi_trainer_config_validate_targets (const ZiTrainerConfig *cfg, GError **error);
/* "target_fonts" and "style_ratio" of the object being built, only with several styles, so that a
 * one-style run's configuration reads as before. */
void     zi_trainer_config_targets_to_json (JsonBuilder *b, const ZiTrainerConfig *cfg);
/* Reads them when present; FALSE when they are not what the writer writes. */
gboolean zi_trainer_config_targets_from_json (JsonObject *o, ZiTrainerConfig *cfg);

G_END_DECLS
