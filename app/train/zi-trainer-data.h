/* zi-trainer-data.h — what a training session trains on: the two fonts, the glyph dataset built from
 * them, its split into training and validation glyphs, and the order in which training pairs are
 * drawn. The order is a function of the seed and the number of pairs consumed alone (one seeded
 * shuffle per epoch), so a resumed run draws the same pairs as one that never stopped. */
#pragma once

#include <gio/gio.h>
#include "nn-rng.h"
#include "zi-dataset.h"
#include "zi-health.h"
#include "zi-run.h"
#include "zi-trainer-config.h"
#include "zi-types.h"

G_BEGIN_DECLS

typedef struct _ZiTrainerData ZiTrainerData;

/* Opens the fonts of cfg and builds (or loads from the cache) the dataset and the split. info: the
 * run.json of a resumed run (its charset and split; a font file that changed since is warned about),
 * or NULL for a new run (cfg's charset, or the CJK ideographs the pair shares, split by the seed).
 * progress reports the dataset's building; cancellable stops it (G_IO_ERROR_CANCELLED). cfg must
 * outlive the data. */
ZiTrainerData   *zi_trainer_data_load (const ZiTrainerConfig *cfg,
                                       const ZiRunInfo       *info,
                                       ZiProgressFunc         progress,
                                       gpointer               progress_data,
                                       ZiHealthWarnFunc       warn,
                                       gpointer               warn_data,
                                       GCancellable          *cancellable,
                                       GError               **error);
void             zi_trainer_data_free (ZiTrainerData *data);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (ZiTrainerData, zi_trainer_data_free)

const ZiDataset *zi_trainer_data_get_dataset    (ZiTrainerData *data);
/* The training and validation glyphs: arrays of guint indices into the dataset (training ones never
 * empty). */
const GArray    *zi_trainer_data_get_train      (ZiTrainerData *data);
const GArray    *zi_trainer_data_get_validation (ZiTrainerData *data);

/* The batch pairs drawn from position images on, as the networks' pixels; with cfg->augment each
 * pair is shifted and scaled a little, drawing on rng. */
void             zi_trainer_data_fill_batch (ZiTrainerData *data,
                                             guint64        images,
                                             int            batch,
                                             NnRng         *rng,
                                             float         *src,   /* [batch * size * size] */
                                             float         *tgt);  /* [batch * size * size] */

/* Writes run.json of a new run: cfg, the fonts as resolved, the charset and the validation split. */
gboolean         zi_trainer_data_write_run_info (ZiTrainerData *data, const char *run_dir, GError **error);

G_END_DECLS
