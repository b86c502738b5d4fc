/* zi-trainer-init.h — a new run that starts from a trained generator instead of random weights
 * (fine-tuning a designer's own font from the model that ships with Zimaru, zi-model.h): the run takes
 * that generator's architecture and placement, its weights, and for each of its own target styles the
 * style embedding of the trained style that already draws that font best. */
#pragma once

#include <glib.h>
#include "nn-pix2pix.h"
#include "zi-trainer-config.h"
#include "zi-trainer-data.h"

G_BEGIN_DECLS

/* Sets in cfg what the generator of cfg->init_from fixes: size, ngf, norm, embedding width (kept with
 * one style: keep_embed), em fraction and output representation. Nothing to do without init_from.
 * An unreadable file is ZI_ERROR_CHECKPOINT naming it. */
gboolean zi_trainer_init_adopt (ZiTrainerConfig *cfg, GError **error);

/* Copies the generator of cfg->init_from into net (built from a configuration adopted as above), and
 * gives each style s of data the embedding row of the trained style whose drawings of up to
 * ZI_TRAINER_INIT_PROBE of s's training pairs are closest to s's own (mean absolute difference of ink),
 * or the mean of the trained rows when no style can be judged. chosen (may be NULL) receives, per
 * style of data, the name of the trained style taken ("mean" for the mean). */
#define ZI_TRAINER_INIT_PROBE 64
gboolean zi_trainer_init_weights (NnPix2Pix             *net,
                                  const ZiTrainerConfig *cfg,
                                  ZiTrainerData         *data,
                                  GPtrArray             *chosen,
                                  GError               **error);

G_END_DECLS
