/* zi-packed-images.h — many equal-sized 8-bit images held deflate-compressed one by one (zlib), so
 * that a dataset's glyphs take a fifth of their raw size in memory and in its cache file and any one
 * of them can still be read on its own. Glyph images are mostly paper and solid ink: at 64 px a
 * 4,096-byte glyph packs into ~700–900 bytes. Reading one back (inflate) takes microseconds, a small
 * cost beside the training step that uses it. Immutable once built and reference-counted, so
 * several datasets (the styles of one source font) can share one set, and any thread may read. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _ZiPackedImages ZiPackedImages;

/* Packs n images of `plane` bytes each, stored one after another in images. */
ZiPackedImages *zi_packed_images_new          (const guint8 *images, guint n, gsize plane);

/* The images from their packed form, as zi_packed_images_get_packed gives it: lengths[n] bytes for
 * each, one after another in data. NULL when any image does not unpack to exactly `plane` bytes
 * (a damaged file). */
ZiPackedImages *zi_packed_images_new_packed   (const guint32 *lengths, const guint8 *data, guint n,
                                               gsize plane);

ZiPackedImages *zi_packed_images_ref          (ZiPackedImages *images);
void            zi_packed_images_unref        (ZiPackedImages *images);

guint           zi_packed_images_get_n        (const ZiPackedImages *images);
gsize           zi_packed_images_get_plane    (const ZiPackedImages *images);

/* Unpacks image i into out[plane]. */
void            zi_packed_images_get          (const ZiPackedImages *images, guint i, guint8 *out);

/* Unpacks all the images, one after another, into out[n * plane]. */
void            zi_packed_images_get_all      (const ZiPackedImages *images, guint8 *out);

/* Image i's packed bytes: returns their number and sets *data. */
guint32         zi_packed_images_get_packed   (const ZiPackedImages *images, guint i, const guint8 **data);

/* Bytes all the packed images take together (without the index). */
gsize           zi_packed_images_get_packed_size (const ZiPackedImages *images);

/* Whether a and b hold the same images in the same packed bytes (images packed by this build from
 * the same pixels always are). */
gboolean        zi_packed_images_equal        (const ZiPackedImages *a, const ZiPackedImages *b);

/* Whether images' packed form is exactly lengths[n] and data (as zi_packed_images_new_packed takes
 * them): then images can stand for them without unpacking a byte. */
gboolean        zi_packed_images_equal_packed (const ZiPackedImages *images, const guint32 *lengths,
                                               const guint8 *data, guint n);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ZiPackedImages, zi_packed_images_unref)

G_END_DECLS
