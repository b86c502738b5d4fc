/* zi-packed-images.c — images deflated one by one into one block, with the offset of each. */
#include "config.h"
#include "zi-packed-images.h"

#include <string.h>
#include <zlib.h>

/* zlib's default level: 11% smaller than level 1 on glyphs and still ~20 µs a 64 px glyph here;
 * packing happens once, when a dataset is rendered (its cache file then holds the packed bytes). */
#define PACK_LEVEL Z_DEFAULT_COMPRESSION

struct _ZiPackedImages {
  guint    n;
  gsize    plane;
  guint64 *offsets;  /* [n + 1]: image i is data[offsets[i] .. offsets[i + 1]) */
  guint8  *data;
};

static ZiPackedImages *
packed_alloc (guint n, gsize plane)
{
  ZiPackedImages *p = g_atomic_rc_box_new0 (ZiPackedImages);

  p->n = n;
  p->plane = plane;
  p->offsets = g_new0 (guint64, (gsize) n + 1);
  return p;
}

/* Packing and checking run on up to this many threads, each on its own run of images: 13,364
 * 64 px glyphs (a dataset's two planes) take ~1 s to pack on one core here. */
#define MAX_PARTS 4

/* One thread's share of a pack or a check: images [first, last). */
typedef struct {
  ZiPackedImages *p;
  const guint8   *images;    /* packing: the raw images */
  guint           first, last;
  GByteArray     *out;       /* packing: the part's packed bytes */
  gboolean        ok;        /* checking: every image unpacked */
} Part;

static gpointer
pack_part (gpointer data)
{
  Part *part = data;
  gsize plane = part->p->plane;
  z_stream z = { 0 };
  g_autofree guint8 *scratch = NULL;
  gsize bound;
  int rc;

  rc = deflateInit (&z, PACK_LEVEL);
  g_assert (rc == Z_OK);
  bound = deflateBound (&z, plane);
  scratch = g_malloc (bound);
  part->out = g_byte_array_sized_new ((guint) MIN ((gsize) (part->last - part->first) * plane / 4 + 1,
                                                   G_MAXUINT / 2));
  for (guint i = part->first; i < part->last; i++)
    {
      z.next_in = (Bytef *) (part->images + (gsize) i * plane);
      z.avail_in = (uInt) plane;
      z.next_out = scratch;
      z.avail_out = (uInt) bound;
      rc = deflate (&z, Z_FINISH);
      /* deflateBound is the worst case for one call with Z_FINISH, so it always ends the stream. */
      g_assert (rc == Z_STREAM_END);
      g_byte_array_append (part->out, scratch, (guint) (bound - z.avail_out));
      /* For now relative to the part's start. */
      part->p->offsets[i + 1] = part->out->len;
      deflateReset (&z);
    }
  deflateEnd (&z);
  return NULL;
}

/* Inflates src[len] into out[plane]; whether it was one complete stream of exactly plane bytes. */
static gboolean
unpack (const guint8 *src, gsize len, guint8 *out, gsize plane)
{
  uLongf out_len = plane;
  uLong in_len = len;

  return uncompress2 (out, &out_len, src, &in_len) == Z_OK && out_len == plane && in_len == len;
}

static gpointer
check_part (gpointer data)
{
  Part *part = data;
  const ZiPackedImages *p = part->p;
  g_autofree guint8 *scratch = g_malloc (p->plane);

  part->ok = TRUE;
  for (guint i = part->first; i < part->last && part->ok; i++)
    part->ok = unpack (p->data + p->offsets[i], p->offsets[i + 1] - p->offsets[i], scratch, p->plane);
  return NULL;
}

/* Splits p's images into runs, one a processor (at most MAX_PARTS, and at least 256 images a run),
 * and runs func on each, the first on this thread. */
static guint
run_parts (ZiPackedImages *p, const guint8 *images, GThreadFunc func, Part *parts)
{
  guint n_parts = CLAMP (MIN ((guint) g_get_num_processors (), p->n / 256), 1, MAX_PARTS);
  GThread *threads[MAX_PARTS] = { NULL };

  for (guint k = 0; k < n_parts; k++)
    {
      parts[k] = (Part) { p, images, (guint) ((guint64) p->n * k / n_parts),
                          (guint) ((guint64) p->n * (k + 1) / n_parts), NULL, FALSE };
      if (k > 0)
        threads[k] = g_thread_new ("zi-pack", func, &parts[k]);
    }
  func (&parts[0]);
  for (guint k = 1; k < n_parts; k++)
    g_thread_join (threads[k]);
  return n_parts;
}

ZiPackedImages *
zi_packed_images_new (const guint8 *images, guint n, gsize plane)
{
  ZiPackedImages *p;
  Part parts[MAX_PARTS];
  guint n_parts;
  guint64 at = 0;

  g_return_val_if_fail (images != NULL || n == 0, NULL);
  g_return_val_if_fail (plane > 0 && plane <= G_MAXUINT32, NULL);

  p = packed_alloc (n, plane);
  n_parts = run_parts (p, images, pack_part, parts);
  for (guint k = 0; k < n_parts; k++)
    at += parts[k].out->len;
  p->data = g_malloc (MAX (at, 1));
  at = 0;
  for (guint k = 0; k < n_parts; k++)
    {
      memcpy (p->data + at, parts[k].out->data, parts[k].out->len);
      for (guint i = parts[k].first; i < parts[k].last; i++)
        p->offsets[i + 1] += at;
      at += parts[k].out->len;
      g_byte_array_unref (parts[k].out);
    }
  return p;
}

ZiPackedImages *
zi_packed_images_new_packed (const guint32 *lengths, const guint8 *data, guint n, gsize plane)
{
  g_autoptr(ZiPackedImages) p = NULL;
  Part parts[MAX_PARTS];
  guint n_parts;

  g_return_val_if_fail (lengths != NULL || n == 0, NULL);
  g_return_val_if_fail (plane > 0 && plane <= G_MAXUINT32, NULL);

  p = packed_alloc (n, plane);
  for (guint i = 0; i < n; i++)
    p->offsets[i + 1] = p->offsets[i] + lengths[i];
  p->data = g_malloc (MAX (p->offsets[n], 1));
  memcpy (p->data, data, p->offsets[n]);
  /* A damaged file could hold a stream that inflates to the wrong size or not at all: check every
   * image once here, so that reading one later cannot fail. */
  n_parts = run_parts (p, NULL, check_part, parts);
  for (guint k = 0; k < n_parts; k++)
    if (!parts[k].ok)
      return NULL;
  return g_steal_pointer (&p);
}

ZiPackedImages *
zi_packed_images_ref (ZiPackedImages *images)
{
  g_return_val_if_fail (images != NULL, NULL);

  return g_atomic_rc_box_acquire (images);
}

static void
packed_clear (gpointer data)
{
  ZiPackedImages *p = data;

  g_free (p->offsets);
  g_free (p->data);
}

void
zi_packed_images_unref (ZiPackedImages *images)
{
  if (images != NULL)
    g_atomic_rc_box_release_full (images, packed_clear);
}

guint
zi_packed_images_get_n (const ZiPackedImages *images)
{
  g_return_val_if_fail (images != NULL, 0);

  return images->n;
}

gsize
zi_packed_images_get_plane (const ZiPackedImages *images)
{
  g_return_val_if_fail (images != NULL, 0);

  return images->plane;
}

void
zi_packed_images_get (const ZiPackedImages *images, guint i, guint8 *out)
{
  gboolean ok;

  g_return_if_fail (images != NULL && i < images->n && out != NULL);

  ok = unpack (images->data + images->offsets[i], images->offsets[i + 1] - images->offsets[i], out,
               images->plane);
  /* Every image was packed here or checked when it was read from a file. */
  g_assert (ok);
}

void
zi_packed_images_get_all (const ZiPackedImages *images, guint8 *out)
{
  g_return_if_fail (images != NULL && (out != NULL || images->n == 0));

  for (guint i = 0; i < images->n; i++)
    zi_packed_images_get (images, i, out + (gsize) i * images->plane);
}

guint32
zi_packed_images_get_packed (const ZiPackedImages *images, guint i, const guint8 **data)
{
  g_return_val_if_fail (images != NULL && i < images->n && data != NULL, 0);

  *data = images->data + images->offsets[i];
  return (guint32) (images->offsets[i + 1] - images->offsets[i]);
}

gsize
zi_packed_images_get_packed_size (const ZiPackedImages *images)
{
  g_return_val_if_fail (images != NULL, 0);

  return images->offsets[images->n];
}

gboolean
zi_packed_images_equal (const ZiPackedImages *a, const ZiPackedImages *b)
{
  g_return_val_if_fail (a != NULL && b != NULL, FALSE);

  if (a == b)
    return TRUE;
  return a->n == b->n && a->plane == b->plane
         && memcmp (a->offsets, b->offsets, ((gsize) a->n + 1) * sizeof *a->offsets) == 0
         && memcmp (a->data, b->data, a->offsets[a->n]) == 0;
}

gboolean
zi_packed_images_equal_packed (const ZiPackedImages *images, const guint32 *lengths, const guint8 *data,
                               guint n)
{
  g_return_val_if_fail (images != NULL && (lengths != NULL || n == 0), FALSE);

  if (n != images->n)
    return FALSE;
  for (guint i = 0; i < n; i++)
    if (lengths[i] != images->offsets[i + 1] - images->offsets[i])
      return FALSE;
  return memcmp (images->data, data, images->offsets[n]) == 0;
}
