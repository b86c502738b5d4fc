/* zi-dataset.c — source/target glyph pairs of a font pair at one size: rendered in parallel, packed,
 * cached on disk in one compact file, split into train/validation from a seed, and augmented in
 * pairs.
 *
 * Cache file (all integers little-endian, as written by this machine kind):
 *   "ZIDSET01"  u32 format version  u32 size  f64 em_fraction  u32 n  u32 field_spread
 *   char key[64] (hex SHA-256 of everything the pixels depend on)
 *   u32 chars[n]
 *   u32 lengths[planes * n]: the packed length of each image, the sources', then the targets', then
 *       (only when field_spread > 0) the target fields'
 *   u8 packed[sum of lengths]: the images in that order, each deflated (zi-packed-images.h)
 *   u64 checksum of all bytes before it
 * The key names the file, so a changed font, size, placement, charset or field spread simply misses
 * (an ink run and a field run of the same pair keep a file each); a file that is torn or corrupt fails
 * the length or checksum test and is rebuilt. */
#include "config.h"
#include "zi-dataset.h"
#include "zi-error.h"
#include "zi-fileutil.h"
#include "nn-rng.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <math.h>
#include <string.h>
#include <utime.h>

#define CACHE_MAGIC   "ZIDSET01"
/* Bump when rendering or the file layout changes, so old caches miss instead of lying. */
#define CACHE_VERSION 3u
#define HEADER_SIZE   (8 + 4 + 4 + 8 + 4 + 4 + 64)

/* A fast 64-bit checksum over whole words (≈ 5 GB/s here, so checking a 220 MB cache at 128 px costs
 * ~40 ms where SHA-256 costs ~0.6 s). It guards against torn or damaged files, not against attackers. */
static guint64
checksum (const guint8 *data, gsize len)
{
  guint64 h = 0x9E3779B97F4A7C15ull ^ len;
  gsize i = 0;

  for (; i + 8 <= len; i += 8)
    {
      guint64 w;
      memcpy (&w, data + i, 8);
      h = (h ^ w) * 0xFF51AFD7ED558CCDull;
      h ^= h >> 29;
    }
  for (; i < len; i++)
    h = (h ^ data[i]) * 0x100000001B3ull;
  return h ^ (h >> 32);
}

static char *
cache_key (ZiFont *source, ZiFont *target, const gunichar *chars, guint n, guint size, double em_fraction,
           guint field_spread)
{
  g_autoptr(GChecksum) sum = g_checksum_new (G_CHECKSUM_SHA256);
  g_autofree char *head = g_strdup_printf ("zimaru dataset %u\n%s#%d\n%s#%d\n%u %.17g %u\n", CACHE_VERSION,
                                           zi_font_get_file_hash (source), zi_font_get_face_index (source),
                                           zi_font_get_file_hash (target), zi_font_get_face_index (target),
                                           size, em_fraction, field_spread);

  g_checksum_update (sum, (const guchar *) head, -1);
  for (guint i = 0; i < n; i++)
    {
      guint32 c = GUINT32_TO_LE (chars[i]);
      g_checksum_update (sum, (const guchar *) &c, 4);
    }
  return g_strdup (g_checksum_get_string (sum));
}

/* Planes per glyph in the file: source, target and, for field runs, the target's field. */
static guint
cache_planes (guint field_spread)
{
  return field_spread > 0 ? 3 : 2;
}

/* The file's bytes besides the packed images themselves. */
static gsize
cache_fixed_size (guint n, guint field_spread)
{
  return HEADER_SIZE + 4 * (gsize) n + 4 * (gsize) cache_planes (field_spread) * n + 8;
}

/* Where ds keeps plane k of the file's order (cache_planes): the sources, the targets, the target's
 * fields. */
static ZiPackedImages **
plane_slot (ZiDataset *ds, guint k)
{
  g_assert (k < 3);
  return k == 0 ? &ds->source : k == 1 ? &ds->target : &ds->target_field;
}

/* Fills dataset's images from the cache file if it is complete and matches; FALSE otherwise. */
/* share (may be NULL): source images to take instead of the file's where the file holds exactly
 * their packed bytes (the styles of one source font), without unpacking them again. */
static gboolean
load_cache (ZiDataset *ds, const char *path, const char *key, const ZiPackedImages *share)
{
  g_autoptr(GMappedFile) file = g_mapped_file_new (path, FALSE, NULL);
  gsize plane = (gsize) ds->size * ds->size;
  guint n_planes = cache_planes (ds->field_spread);
  gsize fixed = cache_fixed_size (ds->n, ds->field_spread);
  g_autofree guint32 *lengths = NULL;
  const guint8 *data;
  const guint8 *p;
  gsize len, packed = 0;
  guint32 version, size, n, field_spread;
  double em_fraction;
  guint64 stored;

  if (file == NULL)
    return FALSE;
  data = (const guint8 *) g_mapped_file_get_contents (file);
  len = g_mapped_file_get_length (file);
  if (len < fixed || memcmp (data, CACHE_MAGIC, 8) != 0)
    return FALSE;
  memcpy (&version, data + 8, 4);
  memcpy (&size, data + 12, 4);
  memcpy (&em_fraction, data + 16, 8);
  memcpy (&n, data + 24, 4);
  memcpy (&field_spread, data + 28, 4);
  if (GUINT32_FROM_LE (version) != CACHE_VERSION || GUINT32_FROM_LE (size) != ds->size ||
      GUINT32_FROM_LE (n) != ds->n || em_fraction != ds->em_fraction
      || GUINT32_FROM_LE (field_spread) != ds->field_spread || memcmp (data + 32, key, 64) != 0)
    return FALSE;
  p = data + HEADER_SIZE;
  for (guint i = 0; i < ds->n; i++)
    {
      guint32 c;
      memcpy (&c, p + 4 * i, 4);
      if (GUINT32_FROM_LE (c) != ds->chars[i])
        return FALSE;
    }
  p += 4 * (gsize) ds->n;
  lengths = g_new (guint32, (gsize) n_planes * ds->n);
  for (gsize i = 0; i < (gsize) n_planes * ds->n; i++)
    {
      memcpy (&lengths[i], p + 4 * i, 4);
      lengths[i] = GUINT32_FROM_LE (lengths[i]);
      packed += lengths[i];
    }
  if (packed != len - fixed)
    return FALSE;
  memcpy (&stored, data + len - 8, 8);
  if (GUINT64_FROM_LE (stored) != checksum (data, len - 8))
    return FALSE;
  p += 4 * (gsize) n_planes * ds->n;
  for (guint k = 0; k < n_planes; k++)
    {
      const guint32 *plane_lengths = lengths + (gsize) k * ds->n;

      ZiPackedImages **slot = plane_slot (ds, k);

      if (k == 0 && share != NULL && zi_packed_images_get_plane (share) == plane
          && zi_packed_images_equal_packed (share, plane_lengths, p, ds->n))
        *slot = zi_packed_images_ref ((ZiPackedImages *) share);
      else
        *slot = zi_packed_images_new_packed (plane_lengths, p, ds->n, plane);
      if (*slot == NULL)
        {
          for (guint j = 0; j < k; j++)
            g_clear_pointer (plane_slot (ds, j), zi_packed_images_unref);
          return FALSE;
        }
      p += zi_packed_images_get_packed_size (*slot);
    }
  return TRUE;
}

static gboolean
save_cache (ZiDataset *ds, const char *path, const char *key, GError **error)
{
  guint n_planes = cache_planes (ds->field_spread);
  g_autofree guint8 *data = NULL;
  gsize len = cache_fixed_size (ds->n, ds->field_spread);
  guint32 u32;
  guint64 sum;
  guint8 *p, *lengths;

  for (guint k = 0; k < n_planes; k++)
    len += zi_packed_images_get_packed_size (*plane_slot (ds, k));
  data = g_try_malloc (len);
  if (data == NULL)
    {
      g_set_error (error, ZI_ERROR, ZI_ERROR_RESOURCES, _("Not enough memory to write the dataset cache “%s”"),
                   path);
      return FALSE;
    }
  memcpy (data, CACHE_MAGIC, 8);
  u32 = GUINT32_TO_LE (CACHE_VERSION);
  memcpy (data + 8, &u32, 4);
  u32 = GUINT32_TO_LE (ds->size);
  memcpy (data + 12, &u32, 4);
  memcpy (data + 16, &ds->em_fraction, 8);
  u32 = GUINT32_TO_LE (ds->n);
  memcpy (data + 24, &u32, 4);
  u32 = GUINT32_TO_LE (ds->field_spread);
  memcpy (data + 28, &u32, 4);
  memcpy (data + 32, key, 64);
  p = data + HEADER_SIZE;
  for (guint i = 0; i < ds->n; i++)
    {
      u32 = GUINT32_TO_LE (ds->chars[i]);
      memcpy (p + 4 * i, &u32, 4);
    }
  lengths = p + 4 * (gsize) ds->n;
  p = lengths + 4 * (gsize) n_planes * ds->n;
  for (guint k = 0; k < n_planes; k++)
    for (guint i = 0; i < ds->n; i++)
      {
        const guint8 *bytes;
        guint32 length = zi_packed_images_get_packed (*plane_slot (ds, k), i, &bytes);

        u32 = GUINT32_TO_LE (length);
        memcpy (lengths + 4 * ((gsize) k * ds->n + i), &u32, 4);
        memcpy (p, bytes, length);
        p += length;
      }
  sum = GUINT64_TO_LE (checksum (data, len - 8));
  memcpy (data + len - 8, &sum, 8);
  return zi_file_write_atomic (path, data, len, error);
}

/* Cache files kept per directory: the most recently used ones, at most this many and this many bytes
 * together, so that a family's styles (one file each: five to nine) all stay while other pairs and
 * sizes come and go. A packed 64 px dataset of the shared ideographs is ~11 MB, a 128 px one ~40 MB. */
#define CACHE_KEEP_FILES 16
#define CACHE_KEEP_BYTES ((gint64) 1 << 30)

typedef struct {
  char   *path;
  gint64  mtime;
  gint64  bytes;
} CacheEntry;

static gint
compare_newest_first (gconstpointer a, gconstpointer b)
{
  const CacheEntry *x = a, *y = b;
  return x->mtime > y->mtime ? -1 : x->mtime < y->mtime;
}

static void
clear_cache_entry (gpointer data)
{
  g_free (((CacheEntry *) data)->path);
}

/* Removes the dataset files of dir (best effort) beyond the most recently used ones that fit
 * CACHE_KEEP_FILES and CACHE_KEEP_BYTES, keep_path (the file just written) counted among them and
 * never removed: mtimes have one-second steps, so ties are common and it need not sort first. */
static void
prune_cache (const char *dir, const char *keep_path)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  g_autoptr(GArray) entries = g_array_new (FALSE, FALSE, sizeof (CacheEntry));
  const char *name;
  guint kept = 0;
  gint64 kept_bytes = 0;
  gboolean full = FALSE;

  g_array_set_clear_func (entries, clear_cache_entry);
  while (d != NULL && (name = g_dir_read_name (d)) != NULL)
    {
      CacheEntry entry;
      GStatBuf st;
      if (!g_str_has_prefix (name, "dataset-") || !g_str_has_suffix (name, ".bin"))
        continue;
      entry.path = g_build_filename (dir, name, NULL);
      entry.mtime = entry.bytes = 0;
      if (g_stat (entry.path, &st) == 0)
        {
          entry.mtime = (gint64) st.st_mtime;
          entry.bytes = (gint64) st.st_size;
        }
      if (g_strcmp0 (entry.path, keep_path) == 0)
        {
          kept++;
          kept_bytes += entry.bytes;
        }
      g_array_append_val (entries, entry);
    }
  g_array_sort (entries, compare_newest_first);
  for (guint i = 0; i < entries->len; i++)
    {
      const CacheEntry *e = &g_array_index (entries, CacheEntry, i);

      if (g_strcmp0 (e->path, keep_path) == 0)
        continue;
      full = full || kept + 1 > CACHE_KEEP_FILES || kept_bytes + e->bytes > CACHE_KEEP_BYTES;
      if (full)
        g_unlink (e->path);
      else
        {
          kept++;
          kept_bytes += e->bytes;
        }
    }
}

typedef struct {
  ZiProgressFunc progress;
  gpointer       user_data;
  guint64        offset;
  guint64        total;
} ProgressRelay;

static void
relay_progress_cb (guint done, guint total, gpointer user_data)
{
  ProgressRelay *relay = user_data;

  if (relay->progress != NULL)
    relay->progress (relay->offset + done, relay->total, relay->user_data);
}

/* Glyph-layer errors become the core's domain: a bad value stays a bad value, the rest is the font's. */
static void
propagate_glyph_error (GError **error, GError *glyph_error)
{
  if (glyph_error->domain == ZI_ERROR)
    {
      g_propagate_error (error, glyph_error);
      return;
    }
  g_set_error_literal (error, ZI_ERROR,
                       glyph_error->domain == ZI_GLYPH_ERROR && glyph_error->code == ZI_GLYPH_ERROR_INVALID
                         ? ZI_ERROR_INVALID
                         : glyph_error->domain == G_IO_ERROR && glyph_error->code == G_IO_ERROR_CANCELLED
                             ? ZI_ERROR_CANCELLED
                             : ZI_ERROR_FONT,
                       glyph_error->message);
  g_error_free (glyph_error);
}

ZiDataset *
zi_dataset_load (ZiFont          *source,
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
                 GError         **error)
{
  g_autoptr(ZiDataset) ds = NULL;
  g_autoptr(GArray) pairs = NULL;
  g_autoptr(GHashTable) seen = NULL;
  g_autofree char *default_dir = NULL;
  g_autofree char *key = NULL;
  g_autofree char *file = NULL;
  g_autofree char *path = NULL;
  g_autoptr(GError) local_error = NULL;
  ProgressRelay relay = { progress, user_data, 0, 0 };
  g_autofree guint8 *raw = NULL;
  gsize plane;

  g_return_val_if_fail (source != NULL, NULL);
  g_return_val_if_fail (target != NULL, NULL);
  g_return_val_if_fail (chars != NULL || n_chars == 0, NULL);
  g_return_val_if_fail (field_spread == 0 || (field_spread >= ZI_FIELD_SPREAD_MIN
                                              && field_spread <= ZI_FIELD_SPREAD_MAX), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  ds = g_new0 (ZiDataset, 1);
  ds->size = size;
  ds->em_fraction = em_fraction;
  ds->field_spread = field_spread;
  if (!zi_placement_init (&ds->source_placement, source, size, em_fraction, &local_error) ||
      !zi_placement_init (&ds->target_placement, target, size, em_fraction, &local_error))
    {
      propagate_glyph_error (error, g_steal_pointer (&local_error));
      return NULL;
    }

  /* The requested characters both fonts draw, in request order, each once. */
  pairs = g_array_new (FALSE, FALSE, sizeof (gunichar));
  seen = g_hash_table_new (NULL, NULL);
  for (guint i = 0; i < n_chars; i++)
    if (zi_font_has_char (source, chars[i]) && zi_font_has_char (target, chars[i]) &&
        g_hash_table_add (seen, GUINT_TO_POINTER (chars[i])))
      g_array_append_val (pairs, chars[i]);
  /* Testing which characters a font draws read most of its glyphs. */
  zi_font_release_pages (source);
  zi_font_release_pages (target);
  if (pairs->len == 0)
    {
      g_set_error (error, ZI_ERROR, ZI_ERROR_CHARSET,
                   g_dngettext (GETTEXT_PACKAGE,
                                "The fonts “%s” and “%s” do not share the %u requested character; choose "
                                "a charset both fonts cover (see 'zimaru-cli charset --set shared')",
                                "The fonts “%s” and “%s” share none of the %u requested characters; choose "
                                "a charset both fonts cover (see 'zimaru-cli charset --set shared')",
                                n_chars),
                   zi_font_get_spec (source), zi_font_get_spec (target), n_chars);
      return NULL;
    }

  plane = (gsize) size * size;
  ds->n = pairs->len;
  ds->chars = (gunichar *) g_array_free (g_steal_pointer (&pairs), FALSE);
  /* One plane at a time is rendered whole (zi_render_many) and then packed. */
  raw = g_try_malloc (ds->n * plane);
  if (raw == NULL)
    {
      g_set_error (error, ZI_ERROR, ZI_ERROR_RESOURCES,
                   _("Not enough memory for %u glyph pairs at %u px (%.0f MB); use a smaller size or charset"),
                   ds->n, size, (double) ds->n * plane / 1e6);
      return NULL;
    }

  key = cache_key (source, target, ds->chars, ds->n, size, em_fraction, field_spread);
  file = g_strdup_printf ("dataset-%.32s.bin", key);
  default_dir = g_build_filename (g_get_user_cache_dir (), "zimaru", NULL);
  path = g_build_filename (cache_dir != NULL ? cache_dir : default_dir, file, NULL);
  if (load_cache (ds, path, key, share != NULL ? share->source : NULL))
    {
      /* Mark it recently used, so that pruning keeps it. */
      g_utime (path, NULL);
      ds->from_cache = TRUE;
      if (progress != NULL)
        progress (ds->n, ds->n, user_data);
      return g_steal_pointer (&ds);
    }

  relay.total = cache_planes (field_spread) * (guint64) ds->n;
  for (guint k = 0; k < cache_planes (field_spread); k++)
    {
      ZiFont *font = k == 0 ? source : target;

      relay.offset = k * (guint64) ds->n;
      if (!zi_render_many (font, k == 0 ? &ds->source_placement : &ds->target_placement, ds->chars, ds->n,
                           k == 2 ? field_spread : 0, raw, NULL, 0, relay_progress_cb, &relay, cancellable,
                           &local_error))
        {
          propagate_glyph_error (error, g_steal_pointer (&local_error));
          return NULL;
        }
      *plane_slot (ds, k) = zi_packed_images_new (raw, ds->n, plane);
    }
  g_clear_pointer (&raw, g_free);
  zi_font_release_pages (source);
  zi_font_release_pages (target);

  /* The cache only saves time: failing to write it (read-only home, full disk) is not an error. */
  if (g_mkdir_with_parents (cache_dir != NULL ? cache_dir : default_dir, 0755) != 0 ||
      !save_cache (ds, path, key, &local_error))
    g_debug ("dataset cache not written to %s: %s", path,
             local_error != NULL ? local_error->message : g_strerror (errno));
  else
    prune_cache (cache_dir != NULL ? cache_dir : default_dir, path);
  if (share != NULL)
    zi_dataset_share_source (ds, share);
  return g_steal_pointer (&ds);
}

void
zi_dataset_free (ZiDataset *dataset)
{
  if (dataset == NULL)
    return;
  g_free (dataset->chars);
  zi_packed_images_unref (dataset->source);
  zi_packed_images_unref (dataset->target);
  zi_packed_images_unref (dataset->target_field);
  g_free (dataset);
}

gboolean
zi_dataset_share_source (ZiDataset *dataset, const ZiDataset *owner)
{
  g_return_val_if_fail (dataset != NULL && owner != NULL, FALSE);

  if (dataset == owner)
    return FALSE;
  if (dataset->source == owner->source)
    return TRUE;
  if (dataset->n != owner->n || dataset->size != owner->size
      || memcmp (dataset->chars, owner->chars, owner->n * sizeof *owner->chars) != 0
      || !zi_packed_images_equal (dataset->source, owner->source))
    return FALSE;
  zi_packed_images_unref (dataset->source);
  dataset->source = zi_packed_images_ref (owner->source);
  return TRUE;
}

void
zi_dataset_get_source (const ZiDataset *dataset, guint i, guint8 *out)
{
  g_return_if_fail (dataset != NULL && i < dataset->n);

  zi_packed_images_get (dataset->source, i, out);
}

void
zi_dataset_get_target (const ZiDataset *dataset, guint i, guint8 *out)
{
  g_return_if_fail (dataset != NULL && i < dataset->n);

  zi_packed_images_get (dataset->target, i, out);
}

void
zi_dataset_get_train_target (const ZiDataset *dataset, guint i, guint8 *out)
{
  g_return_if_fail (dataset != NULL && i < dataset->n);

  zi_packed_images_get (dataset->target_field != NULL ? dataset->target_field : dataset->target, i, out);
}

static gint
compare_guint (gconstpointer a, gconstpointer b)
{
  guint x = *(const guint *) a, y = *(const guint *) b;
  return x < y ? -1 : x > y;
}

void
zi_dataset_split (guint n, guint64 seed, double val_fraction, GArray **train, GArray **val)
{
  g_autofree guint *order = NULL;
  NnRng rng;
  guint n_val;

  g_return_if_fail (train != NULL);
  g_return_if_fail (val != NULL);

  /* Fisher–Yates shuffle of 0..n-1 with the engine's seeded RNG. */
  order = g_new (guint, MAX (n, 1));
  for (guint i = 0; i < n; i++)
    order[i] = i;
  nn_rng_seed (&rng, seed);
  for (guint i = n; i > 1; i--)
    {
      guint j = nn_rng_below (&rng, i);
      guint tmp = order[i - 1];
      order[i - 1] = order[j];
      order[j] = tmp;
    }

  val_fraction = CLAMP (val_fraction, 0.0, 1.0);
  n_val = (guint) lround (n * val_fraction);
  if (val_fraction > 0.0 && n > 1 && n_val == 0)
    n_val = 1;
  /* Keep at least one training pair whenever there is more than one pair. */
  if (n > 1 && n_val >= n)
    n_val = n - 1;
  n_val = MIN (n_val, n);

  *val = g_array_sized_new (FALSE, FALSE, sizeof (guint), n_val);
  *train = g_array_sized_new (FALSE, FALSE, sizeof (guint), n - n_val);
  g_array_append_vals (*val, order, n_val);
  g_array_append_vals (*train, order + n_val, n - n_val);
  g_array_sort (*val, compare_guint);
  g_array_sort (*train, compare_guint);
}

/* Bilinear resampling of one coverage image about the canvas centre: out(x) = in((x − c − d) / s + c).
 * Pixels taken from outside the canvas are paper. */
static void
resample (guint8 *image, guint8 *scratch, guint size, double dx, double dy, double scale)
{
  double c = 0.5 * size;

  memcpy (scratch, image, (gsize) size * size);
  for (guint y = 0; y < size; y++)
    for (guint x = 0; x < size; x++)
      {
        double sx = (x + 0.5 - c - dx) / scale + c - 0.5;
        double sy = (y + 0.5 - c - dy) / scale + c - 0.5;
        int x0 = (int) floor (sx), y0 = (int) floor (sy);
        double fx = sx - x0, fy = sy - y0;
        double v = 0.0;

        for (int j = 0; j < 2; j++)
          for (int i = 0; i < 2; i++)
            {
              int xx = x0 + i, yy = y0 + j;
              double w = (i ? fx : 1.0 - fx) * (j ? fy : 1.0 - fy);
              if (xx >= 0 && yy >= 0 && xx < (int) size && yy < (int) size)
                v += w * scratch[(gsize) yy * size + xx];
            }
        image[(gsize) y * size + x] = (guint8) lround (CLAMP (v, 0.0, 255.0));
      }
}

void
zi_dataset_augment_pair (guint8 *source, guint8 *target, guint size, int max_shift, double max_scale,
                         guint64 *rng_state)
{
  NnRng *rng = (NnRng *) rng_state;
  g_autofree guint8 *scratch = NULL;
  double dx, dy, scale;

  g_return_if_fail (source != NULL);
  g_return_if_fail (target != NULL);
  g_return_if_fail (rng_state != NULL);

  /* Three draws always, so the stream advances the same whatever the parameters. */
  dx = (2.0 * nn_rng_uniform (rng) - 1.0) * MAX (max_shift, 0);
  dy = (2.0 * nn_rng_uniform (rng) - 1.0) * MAX (max_shift, 0);
  scale = 1.0 + (2.0 * nn_rng_uniform (rng) - 1.0) * MAX (max_scale, 0.0);
  if (max_shift <= 0 && max_scale <= 0.0)
    return;

  scratch = g_malloc ((gsize) size * size);
  resample (source, scratch, size, dx, dy, scale);
  resample (target, scratch, size, dx, dy, scale);
}
