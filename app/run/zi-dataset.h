/* zi-dataset.h — source/target glyph pairs of a font pair at one size, rendered in parallel, held
 * packed (zi-packed-images.h) and cached on disk in that form (keyed by the fonts' hashes, faces,
 * size, placement, charset and field spread) so a second start is instant; for field runs the
 * target's signed distance fields beside its coverage; a seeded train/validation split; and pair
 * augmentation for the trainer. */
#pragma once

#include <glib.h>
#include <gio/gio.h>
#include "zi-font.h"
#include "zi-packed-images.h"
#include "zi-render.h"
#include "zi-types.h"

G_BEGIN_DECLS

typedef struct {
  guint            size;
  double           em_fraction;
  guint            n;              /* number of pairs */
  gunichar        *chars;          /* [n], the requested characters both fonts have, in request order */
  ZiPackedImages  *source;         /* [n] source coverage, 0 = paper, 255 = ink (read them with
                                    * zi_dataset_get_source) */
  ZiPackedImages  *target;         /* [n] target coverage: what validation measures against */
  guint            field_spread;   /* 0: no fields */
  ZiPackedImages  *target_field;   /* [n] the target's signed distance fields of that spread
                                    * (zi-render.h), or NULL when field_spread is 0 */
  ZiPlacement      source_placement;
  ZiPlacement      target_placement;
  gboolean         from_cache;     /* TRUE when loaded from the disk cache */
} ZiDataset;

/* Builds (or loads from cache_dir; NULL = $XDG_CACHE_HOME/zimaru) the pairs of the characters of chars
 * that both fonts cover, and with field_spread > 0 (ZI_FIELD_SPREAD_MIN..MAX) the target's fields too.
 * An empty result is an error (ZI_ERROR_CHARSET) saying that the fonts share none of the
 * characters. share (may be NULL): a dataset of another style of the same source font; where the new
 * dataset's source images are share's (the same characters, size and pixels), it holds share's copy
 * instead of its own, and a cached file's copy of them is compared byte for byte with share's instead
 * of being unpacked and checked again. */
ZiDataset *zi_dataset_load (ZiFont          *source,
                            ZiFont          *target,
                            const gunichar  *chars,
                            guint            n_chars,
                            guint            size,
                            double           em_fraction,
                            guint            field_spread,
                            const char      *cache_dir,
                            const ZiDataset *share,
                            ZiProgressFunc   progress,
                            gpointer         user_data,
                            GCancellable    *cancellable,
                            GError         **error);
void       zi_dataset_free (ZiDataset *dataset);

/* Where dataset holds the same source images as owner (the same characters, size and pixels, as the
 * styles of one source font usually do), drops its own copy and shares owner's; returns whether it
 * did. */
gboolean   zi_dataset_share_source (ZiDataset *dataset, const ZiDataset *owner);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (ZiDataset, zi_dataset_free)

/* Copies pair i's images, size × size bytes, into out: its source's coverage, its target's
 * coverage, and what a generator trained on dataset learns to draw (the target's field when it has
 * one, else its coverage). */
void zi_dataset_get_source       (const ZiDataset *dataset, guint i, guint8 *out);
void zi_dataset_get_target       (const ZiDataset *dataset, guint i, guint8 *out);
void zi_dataset_get_train_target (const ZiDataset *dataset, guint i, guint8 *out);

/* A deterministic split of indices 0..n-1: a seeded shuffle, the first round(n * val_fraction)
 * (at least 1 when val_fraction > 0 and n > 1) go to validation. Both arrays hold guint, sorted. */
void zi_dataset_split (guint n, guint64 seed, double val_fraction, GArray **train, GArray **val);

/* Augments one pair in place with the same small random shift (±max_shift px) and scale
 * (1 ± max_scale) on both images. target may be a field: its distances then scale with the image
 * (by at most max_scale, a few hundredths of a pixel near the outline). rng_state is the caller's
 * (an NnRng). */
void zi_dataset_augment_pair (guint8 *source, guint8 *target, guint size,
                              int max_shift, double max_scale, guint64 *rng_state /* NnRng s[4] */);

G_END_DECLS
