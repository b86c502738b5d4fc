/* zi-trainer-data.h — what a training session trains on: the source font and the target styles' fonts
 * (one or several, zi-trainer-config.h), a glyph dataset per style, each style's split into training
 * and validation glyphs (over the same validation characters wherever the styles have them), and the
 * order in which training pairs are drawn, mixing the styles by the configured ratio. The order is a
 * function of the seed and the number of pairs consumed alone (seeded shuffles per style and epoch),
 * so a resumed run draws the same pairs as one that never stopped. */
#pragma once

#include <gio/gio.h>
#include "nn-rng.h"
#include "zi-dataset.h"
#include "zi-health.h"
#include "zi-run.h"
#include "zi-trainer-config.h"
#include "zi-types.h"

G_BEGIN_DECLS

/* Fewer training characters than this in a style is worth a warning: a run from the shipped model
 * needs a few hundred to take on a style. */
#define ZI_TRAINER_FEW_CHARS 200

typedef struct _ZiTrainerData ZiTrainerData;

/* Opens the fonts of cfg and builds (or loads from the cache) the datasets and the split. info: the
 * run.json of a resumed run (its charset, split and styles; a font file that changed since is warned
 * about), or NULL for a new run (cfg's charset, or the CJK ideographs the source shares with any
 * target, split by the seed). The same file and face given as two targets is ZI_ERROR_INVALID
 * ("--target given twice: FILE"); a style with fewer than half of the run's characters is warned
 * about with the counts.
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

/* The characters a new run trains on when none are given: the CJK ideographs the source shares with
 * any of the targets, in code-point order. */
GArray          *zi_trainer_data_default_chars (ZiFont *source, ZiFont *const *targets, guint n_targets);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (ZiTrainerData, zi_trainer_data_free)

/* The target styles, in embedding order: at least one; names unique. */
guint            zi_trainer_data_get_n_styles (ZiTrainerData *data);
const ZiRunStyle *zi_trainer_data_get_styles  (ZiTrainerData *data);   /* [n_styles] */
/* Style style's dataset, and its training and validation glyphs: arrays of guint indices into that
 * dataset (training ones never empty; validation ones may be, for a style that lacks every validation
 * character). The sources are the same images in every style's dataset. */
const ZiDataset *zi_trainer_data_get_style_dataset    (ZiTrainerData *data, guint style);
const GArray    *zi_trainer_data_get_style_train      (ZiTrainerData *data, guint style);
const GArray    *zi_trainer_data_get_style_validation (ZiTrainerData *data, guint style);
/* The same for style 0. */
const ZiDataset *zi_trainer_data_get_dataset    (ZiTrainerData *data);
const GArray    *zi_trainer_data_get_train      (ZiTrainerData *data);
const GArray    *zi_trainer_data_get_validation (ZiTrainerData *data);

/* The training pair at position pos of the data order: its style and its index in that style's
 * dataset. */
void             zi_trainer_data_draw (ZiTrainerData *data, guint64 pos, guint *style, guint *index);

/* The batch pairs drawn from position images on, as the networks' pixels, and each pair's style
 * (style may be NULL); with cfg->augment each pair is shifted and scaled a little, drawing on rng. */
void             zi_trainer_data_fill_batch (ZiTrainerData *data,
                                             guint64        images,
                                             int            batch,
                                             NnRng         *rng,
                                             float         *src,     /* [batch * size * size] */
                                             float         *tgt,     /* [batch * size * size] */
                                             int           *style);  /* [batch] or NULL */

/* Writes run.json of a new run: cfg, the fonts and styles as resolved, the charset and the validation
 * split. */
gboolean         zi_trainer_data_write_run_info (ZiTrainerData *data, const char *run_dir, GError **error);

G_END_DECLS
