/* test-dataset.c — app/run's glyph images and dataset: PNG round trips in both pixel conventions, the
 * dataset's pairs (equal to single renders), its disk cache (hit, miss, invalidation when a font file
 * changes, a corrupt cache rebuilt, the target's fields of a field run, which files stay), packed
 * images, the seeded split and pair augmentation. */
#include "config.h"
#include "zi-charset.h"
#include "zi-dataset.h"
#include "zi-error.h"
#include "zi-image.h"
#include "nn-rng.h"

#include <glib/gstdio.h>
#include <math.h>
#include <png.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <utime.h>
#include "zi-fileutil.h"

#define SOURCE_SPEC "Noto Sans CJK TC"
#define TARGET_SPEC "Zen Maru Gothic"

static char *
make_temp_dir (void)
{
  g_autoptr(GError) error = NULL;
  char *dir = g_dir_make_tmp ("zimaru-dataset-XXXXXX", &error);

  g_assert_no_error (error);
  return dir;
}

/* Whether a and b unpack to the same images. */
static gboolean
same_images (const ZiPackedImages *a, const ZiPackedImages *b)
{
  gsize n = zi_packed_images_get_n (a), plane = zi_packed_images_get_plane (a);
  g_autofree guint8 *x = g_malloc (MAX (n * plane, 1));
  g_autofree guint8 *y = g_malloc (MAX (n * plane, 1));

  if (n != zi_packed_images_get_n (b) || plane != zi_packed_images_get_plane (b))
    return FALSE;
  zi_packed_images_get_all (a, x);
  zi_packed_images_get_all (b, y);
  return memcmp (x, y, n * plane) == 0;
}

static guint
count_files (const char *dir)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  guint n = 0;

  while (d != NULL && g_dir_read_name (d) != NULL)
    n++;
  return n;
}

/* ---- images ------------------------------------------------------------------------------------- */

static void
test_image_round_trip (void)
{
  g_autofree char *dir = make_temp_dir ();
  g_autofree char *path = g_build_filename (dir, "uni53E3.png", NULL);
  g_autoptr(GError) error = NULL;
  guint8 coverage[37 * 23];
  g_autofree guint8 *gray = NULL;
  g_autofree guint8 *back = NULL;
  guint w = 0, h = 0;

  for (gsize i = 0; i < sizeof coverage; i++)
    coverage[i] = (guint8) (i * 7);
  g_assert_true (zi_image_write_png_coverage (path, coverage, 37, 23, &error));
  g_assert_no_error (error);

  /* On disk paper is white: the file holds 255 − coverage. */
  gray = zi_image_read_png (path, &w, &h, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (w, ==, 37);
  g_assert_cmpuint (h, ==, 23);
  for (gsize i = 0; i < sizeof coverage; i++)
    g_assert_cmpuint (gray[i], ==, 255 - coverage[i]);

  back = zi_image_read_png_coverage (path, &w, &h, &error);
  g_assert_no_error (error);
  g_assert_cmpmem (back, sizeof coverage, coverage, sizeof coverage);

  /* Only the PNG itself is left in the directory (the write is atomic, no temporary remains). */
  g_assert_cmpuint (count_files (dir), ==, 1);
  zi_dir_remove_tree (dir);
}

static void
test_image_read_rgba (void)
{
  g_autofree char *dir = make_temp_dir ();
  g_autofree char *path = g_build_filename (dir, "rgba.png", NULL);
  g_autofree guint8 *gray = NULL;
  g_autoptr(GError) error = NULL;
  /* Opaque black, transparent (composited on white), opaque white, opaque mid gray. */
  guint8 rgba[] = { 0, 0, 0, 255, 0, 0, 0, 0, 255, 255, 255, 255, 128, 128, 128, 255 };
  png_image image;
  guint w, h;

  memset (&image, 0, sizeof image);
  image.version = PNG_IMAGE_VERSION;
  image.width = 4;
  image.height = 1;
  image.format = PNG_FORMAT_RGBA;
  g_assert_true (png_image_write_to_file (&image, path, 0, rgba, 0, NULL));

  gray = zi_image_read_png (path, &w, &h, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (w, ==, 4);
  g_assert_cmpuint (gray[0], ==, 0);
  g_assert_cmpuint (gray[1], ==, 255);
  g_assert_cmpuint (gray[2], ==, 255);
  g_assert_cmpint (ABS ((int) gray[3] - 128), <=, 1);
  zi_dir_remove_tree (dir);
}

static void
test_image_bad_files (void)
{
  g_autofree char *dir = make_temp_dir ();
  g_autofree char *path = g_build_filename (dir, "bad.png", NULL);
  g_autofree char *missing = g_build_filename (dir, "missing.png", NULL);
  g_autoptr(GError) error = NULL;

  g_assert_true (g_file_set_contents (path, "not a png", -1, NULL));
  g_assert_null (zi_image_read_png (path, NULL, NULL, &error));
  g_assert_error (error, ZI_ERROR, ZI_ERROR_IO);
  g_assert_nonnull (strstr (error->message, path));
  g_clear_error (&error);
  g_assert_null (zi_image_read_png (missing, NULL, NULL, &error));
  g_assert_error (error, ZI_ERROR, ZI_ERROR_IO);
  g_assert_nonnull (strstr (error->message, missing));
  zi_dir_remove_tree (dir);
}

static void
test_image_float (void)
{
  const float in[] = { -1.0f, 0.0f, 0.5f, 1.0f, 7.0f, NAN };
  guint8 bytes[G_N_ELEMENTS (in)];
  float back[G_N_ELEMENTS (in)];

  zi_image_float_to_coverage (in, bytes, G_N_ELEMENTS (in));
  g_assert_cmpuint (bytes[0], ==, 0);
  g_assert_cmpuint (bytes[1], ==, 0);
  g_assert_cmpuint (bytes[2], ==, 128);
  g_assert_cmpuint (bytes[3], ==, 255);
  g_assert_cmpuint (bytes[4], ==, 255);
  g_assert_cmpuint (bytes[5], ==, 0);
  zi_image_coverage_to_float (bytes, back, G_N_ELEMENTS (in));
  g_assert_cmpfloat (back[3], ==, 1.0f);
  g_assert_cmpfloat_with_epsilon (back[2], 128.0f / 255.0f, 1e-6);
}

/* ---- dataset ------------------------------------------------------------------------------------ */

typedef struct {
  char   *dir;
  char   *target_path;    /* a private copy of the target font, so the test may change it */
  ZiFont *source;
  GArray *chars;          /* 60 shared ideographs, then 5 the target lacks */
} Fixture;

static void
fixture_set_up (Fixture *fx, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  gsize len;
  ZiFont *target;
  g_autoptr(GArray) shared = NULL;
  g_autoptr(GArray) missing = NULL;

  fx->dir = make_temp_dir ();
  fx->source = zi_font_open (SOURCE_SPEC, &error);
  g_assert_no_error (error);
  target = zi_font_open (TARGET_SPEC, &error);
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (zi_font_get_path (target), &contents, &len, NULL));
  fx->target_path = g_build_filename (fx->dir, "target.ttf", NULL);
  g_assert_true (g_file_set_contents (fx->target_path, contents, (gssize) len, NULL));

  shared = zi_charset_compute (fx->source, target, ZI_CHARSET_SHARED, ZI_BLOCK_CJK);
  missing = zi_charset_compute (fx->source, target, ZI_CHARSET_MISSING, ZI_BLOCK_CJK);
  fx->chars = g_array_new (FALSE, FALSE, sizeof (gunichar));
  for (guint i = 0; i < 60; i++)
    g_array_append_val (fx->chars, g_array_index (shared, gunichar, i * 100));
  g_array_append_vals (fx->chars, missing->data, 5);
  zi_font_free (target);
}

static void
fixture_tear_down (Fixture *fx, gconstpointer data)
{
  g_autofree char *cache = g_build_filename (fx->dir, "cache", NULL);

  zi_dir_remove_tree (cache);
  zi_dir_remove_tree (fx->dir);
  g_free (fx->dir);
  g_free (fx->target_path);
  g_array_unref (fx->chars);
  zi_font_free (fx->source);
}

static ZiDataset *
load_sharing (Fixture *fx, guint size, guint field_spread, const ZiDataset *share, GError **error)
{
  g_autofree char *cache = g_build_filename (fx->dir, "cache", NULL);
  ZiFont *target = zi_font_open (fx->target_path, error);
  ZiDataset *ds;

  if (target == NULL)
    return NULL;
  ds = zi_dataset_load (fx->source, target, (gunichar *) fx->chars->data, fx->chars->len, size,
                                0.86, field_spread, cache, share, NULL, NULL, NULL, error);
  zi_font_free (target);
  return ds;
}

static ZiDataset *
load_with_fields (Fixture *fx, guint size, guint field_spread, GError **error)
{
  return load_sharing (fx, size, field_spread, NULL, error);
}

static ZiDataset *
load (Fixture *fx, guint size, GError **error)
{
  return load_with_fields (fx, size, 0, error);
}

static void
test_dataset_pairs (Fixture *fx, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ZiDataset) ds = load (fx, 64, &error);
  ZiFont *target = zi_font_open (fx->target_path, NULL);
  guint8 img[64 * 64], got[64 * 64];

  g_assert_no_error (error);
  g_assert_false (ds->from_cache);
  g_assert_cmpuint (ds->n, ==, 60);   /* the five the target lacks are left out */
  g_assert_cmpuint (ds->size, ==, 64);
  for (guint i = 0; i < ds->n; i++)
    {
      g_assert_cmpuint (ds->chars[i], ==, g_array_index (fx->chars, gunichar, i));
      g_assert_true (zi_render_char (fx->source, &ds->source_placement, ds->chars[i], img, NULL));
      zi_dataset_get_source (ds, i, got);
      g_assert_cmpmem (img, sizeof img, got, sizeof got);
      g_assert_true (zi_render_char (target, &ds->target_placement, ds->chars[i], img, NULL));
      zi_dataset_get_target (ds, i, got);
      g_assert_cmpmem (img, sizeof img, got, sizeof got);
      zi_dataset_get_train_target (ds, i, got);
      g_assert_cmpmem (img, sizeof img, got, sizeof got);
    }
  zi_font_free (target);
}

/* Two loads of the same pairs hold the same source images: one can share the other's copy. Other
 * pixels (one image changed) or other characters keep their own; and the shared copy lives as long
 * as either dataset (ASan and valgrind would see a double free or a read after free). */
static void
test_dataset_share_source (Fixture *fx, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ZiDataset) owner = load (fx, 32, &error);
  g_autoptr(ZiDataset) same = load (fx, 32, &error);
  g_autoptr(ZiDataset) changed = load (fx, 32, &error);
  g_autoptr(ZiDataset) fewer = load (fx, 32, &error);
  gsize plane = 32 * 32;
  g_autofree guint8 *pixels = NULL;

  g_assert_no_error (error);
  g_assert_false (zi_dataset_share_source (owner, owner));
  g_assert_true (zi_dataset_share_source (same, owner));
  g_assert_true (same->source == owner->source);
  g_assert_true (zi_dataset_share_source (same, owner));   /* already shared: nothing to do */

  /* One pixel of one image changed: not the same images. */
  pixels = g_malloc (changed->n * plane);
  zi_packed_images_get_all (changed->source, pixels);
  pixels[5 * plane + 100] ^= 0x40;
  zi_packed_images_unref (changed->source);
  changed->source = zi_packed_images_new (pixels, changed->n, plane);
  g_assert_false (zi_dataset_share_source (changed, owner));
  g_assert_true (changed->source != owner->source);

  fewer->n--;
  g_assert_false (zi_dataset_share_source (fewer, owner));
  fewer->n++;

  /* The shared images outlive the dataset that first held them, unchanged (fewer has its own copy
   * of the same pixels). */
  g_clear_pointer (&owner, zi_dataset_free);
  g_assert_true (same_images (same->source, fewer->source));
}

/* Loading another style with a dataset to share: from the cache, the file's source images are taken
 * as share's copy where their packed bytes are share's, and kept as the file's own where not (one
 * pixel of share's changed); drawn anew, the new images are dropped for share's equal ones. */
static void
test_dataset_share_on_load (Fixture *fx, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *cache = g_build_filename (fx->dir, "cache", NULL);
  g_autoptr(ZiDataset) owner = load (fx, 32, &error);
  g_autoptr(ZiDataset) cached = NULL;
  g_autoptr(ZiDataset) other = NULL;
  g_autoptr(ZiDataset) own = NULL;
  g_autoptr(ZiDataset) drawn = NULL;
  gsize plane = 32 * 32;
  g_autofree guint8 *pixels = NULL;

  g_assert_no_error (error);
  g_assert_false (owner->from_cache);
  cached = load_sharing (fx, 32, 0, owner, &error);
  g_assert_no_error (error);
  g_assert_true (cached->from_cache);
  g_assert_true (cached->source == owner->source);

  other = load (fx, 32, &error);
  g_assert_no_error (error);
  g_assert_true (other->from_cache && other->source != owner->source);
  pixels = g_malloc (other->n * plane);
  zi_packed_images_get_all (other->source, pixels);
  pixels[7 * plane + 300] ^= 0x20;
  zi_packed_images_unref (other->source);
  other->source = zi_packed_images_new (pixels, other->n, plane);
  own = load_sharing (fx, 32, 0, other, &error);
  g_assert_no_error (error);
  g_assert_true (own->from_cache);
  g_assert_true (own->source != other->source);
  g_assert_true (same_images (own->source, owner->source));

  zi_dir_remove_tree (cache);
  drawn = load_sharing (fx, 32, 0, owner, &error);
  g_assert_no_error (error);
  g_assert_false (drawn->from_cache);
  g_assert_true (drawn->source == owner->source);
}

static void
test_dataset_cache (Fixture *fx, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ZiDataset) first = load (fx, 64, &error);
  g_autoptr(ZiDataset) second = NULL;
  g_autoptr(ZiDataset) other_size = NULL;
  g_autoptr(ZiDataset) after_change = NULL;
  g_autoptr(ZiDataset) again = NULL;
  g_autofree char *cache = g_build_filename (fx->dir, "cache", NULL);
  FILE *f;

  g_assert_no_error (error);
  g_assert_false (first->from_cache);
  g_assert_cmpuint (count_files (cache), ==, 1);

  second = load (fx, 64, &error);
  g_assert_no_error (error);
  g_assert_true (second->from_cache);
  g_assert_cmpuint (second->n, ==, first->n);
  g_assert_cmpmem (second->chars, second->n * 4, first->chars, first->n * 4);
  g_assert_true (same_images (second->source, first->source));
  g_assert_true (same_images (second->target, first->target));
  g_assert_cmpfloat (second->target_placement.origin_y, ==, first->target_placement.origin_y);

  /* Another size is another key. */
  other_size = load (fx, 32, &error);
  g_assert_no_error (error);
  g_assert_false (other_size->from_cache);
  g_assert_cmpuint (count_files (cache), ==, 2);

  /* The target font file changes (same name, same size class, different bytes): a miss. */
  f = fopen (fx->target_path, "ab");
  g_assert_nonnull (f);
  fputs ("changed", f);
  fclose (f);
  after_change = load (fx, 64, &error);
  g_assert_no_error (error);
  g_assert_false (after_change->from_cache);
  g_assert_true (same_images (after_change->target, first->target));
  again = load (fx, 64, &error);
  g_assert_no_error (error);
  g_assert_true (again->from_cache);
}

/* An empty (sparse) file of the given apparent size, last used days ago. */
static char *
make_old_file (const char *dir, const char *name, goffset bytes, int days)
{
  char *path = g_build_filename (dir, name, NULL);
  struct utimbuf when;

  g_assert_true (g_file_set_contents (path, "", 0, NULL));
  g_assert_cmpint (truncate (path, bytes), ==, 0);
  when.actime = when.modtime = time (NULL) - days * 86400;
  g_assert_cmpint (g_utime (path, &when), ==, 0);
  return path;
}

/* The cache directory keeps the most recently used datasets, at most 16 files and 1 GiB together,
 * the newest always. */
static void
test_dataset_cache_prune (Fixture *fx, gconstpointer data)
{
  g_autofree char *cache = g_build_filename (fx->dir, "cache", NULL);
  g_autofree char *day_old = NULL;
  g_autofree char *two_days_old = NULL;
  g_autofree char *not_ours = NULL;

  /* Bytes: two old 600 MB files do not both fit beside a new one; the older goes. Files that are not
   * datasets are left alone. */
  g_assert_cmpint (g_mkdir_with_parents (cache, 0755), ==, 0);
  day_old = make_old_file (cache, "dataset-0000000000000000000000000000000a.bin", 600000000, 1);
  two_days_old = make_old_file (cache, "dataset-0000000000000000000000000000000b.bin", 600000000, 2);
  not_ours = make_old_file (cache, "notes.bin", 600000000, 3);
  {
    g_autoptr(ZiDataset) ds = load (fx, 16, NULL);
    g_assert_false (ds->from_cache);
  }
  g_assert_true (g_file_test (day_old, G_FILE_TEST_EXISTS));
  g_assert_false (g_file_test (two_days_old, G_FILE_TEST_EXISTS));
  g_assert_true (g_file_test (not_ours, G_FILE_TEST_EXISTS));
  g_unlink (day_old);
  g_unlink (not_ours);
  g_assert_cmpuint (count_files (cache), ==, 1);
  {
    /* The 16 px dataset was used a day ago (mtimes have one-second steps: the loads below share a
     * few seconds, whose ties sort either way). */
    g_autoptr(GDir) d = g_dir_open (cache, 0, NULL);
    g_autofree char *path = g_build_filename (cache, g_dir_read_name (d), NULL);
    struct utimbuf when;

    when.actime = when.modtime = time (NULL) - 86400;
    g_assert_cmpint (g_utime (path, &when), ==, 0);
  }

  /* Files: the 16 most recently used stay. */
  for (guint i = 0; i < 18; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(ZiDataset) ds = load (fx, 18 + 2 * i, &error);
      g_assert_no_error (error);
      g_assert_false (ds->from_cache);
      g_assert_cmpuint (count_files (cache), ==, MIN (i + 2, 16));
    }
  {
    g_autoptr(ZiDataset) newest = load (fx, 18 + 2 * 17, NULL);
    g_autoptr(ZiDataset) oldest = load (fx, 16, NULL);
    g_assert_true (newest->from_cache);
    g_assert_false (oldest->from_cache);
  }
}

/* Every cache file of dir gets one byte flipped at offset (from the end when negative). */
static void
damage_cache (const char *dir, goffset offset)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  while ((name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);
      g_autofree char *contents = NULL;
      gsize len;
      g_assert_true (g_file_get_contents (path, &contents, &len, NULL));
      contents[offset >= 0 ? (gsize) offset : len + offset] ^= 0x5A;
      g_assert_true (g_file_set_contents (path, contents, (gssize) len, NULL));
    }
}

static void
test_dataset_corrupt_cache (Fixture *fx, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ZiDataset) first = load (fx, 64, &error);
  g_autofree char *cache = g_build_filename (fx->dir, "cache", NULL);
  const goffset offsets[] = { 0, 20, 200, 5000, -100, -3 };

  g_assert_no_error (error);
  for (gsize i = 0; i < G_N_ELEMENTS (offsets); i++)
    {
      g_autoptr(ZiDataset) rebuilt = NULL;
      g_autoptr(ZiDataset) reloaded = NULL;

      damage_cache (cache, offsets[i]);
      rebuilt = load (fx, 64, &error);
      g_assert_no_error (error);
      g_assert_false (rebuilt->from_cache);
      g_assert_true (same_images (rebuilt->source, first->source));
      reloaded = load (fx, 64, &error);
      g_assert_no_error (error);
      g_assert_true (reloaded->from_cache);
    }

  /* A truncated cache file is a miss too. */
  {
    g_autoptr(GDir) d = g_dir_open (cache, 0, NULL);
    g_autofree char *path = g_build_filename (cache, g_dir_read_name (d), NULL);
    g_autoptr(ZiDataset) rebuilt = NULL;
    g_assert_cmpint (truncate (path, 1000), ==, 0);
    rebuilt = load (fx, 64, &error);
    g_assert_no_error (error);
    g_assert_false (rebuilt->from_cache);
  }
}

/* A field run's dataset: the target's fields beside its coverage, through the cache and back; the
 * spread is part of the key, so ink and each spread keep a file of their own; a damaged field plane
 * is rebuilt. */
static void
test_dataset_field_cache (Fixture *fx, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ZiDataset) ink = load (fx, 32, &error);
  g_autoptr(ZiDataset) first = load_with_fields (fx, 32, 4, &error);
  g_autoptr(ZiDataset) second = NULL;
  g_autoptr(ZiDataset) wider = NULL;
  g_autoptr(ZiDataset) rebuilt = NULL;
  g_autofree char *cache = g_build_filename (fx->dir, "cache", NULL);
  ZiFont *target = zi_font_open (fx->target_path, NULL);
  gsize plane = 32 * 32;
  guint8 img[32 * 32], got[32 * 32];

  g_assert_no_error (error);
  g_assert_null (ink->target_field);
  g_assert_cmpuint (ink->field_spread, ==, 0);

  g_assert_false (first->from_cache);
  g_assert_cmpuint (first->field_spread, ==, 4);
  g_assert_nonnull (first->target_field);

  g_assert_cmpuint (count_files (cache), ==, 2);
  /* The coverage is the ink run's, the fields are the renderer's. */
  g_assert_true (same_images (first->source, ink->source));
  g_assert_true (same_images (first->target, ink->target));
  for (guint i = 0; i < first->n; i++)
    {
      g_assert_true (zi_render_char_field (target, &first->target_placement, first->chars[i], 4, img, NULL));
      zi_dataset_get_train_target (first, i, got);
      g_assert_cmpmem (img, sizeof img, got, plane);
    }

  second = load_with_fields (fx, 32, 4, &error);
  g_assert_no_error (error);
  g_assert_true (second->from_cache);
  g_assert_cmpuint (second->field_spread, ==, 4);
  g_assert_true (same_images (second->source, first->source));
  g_assert_true (same_images (second->target, first->target));
  g_assert_true (same_images (second->target_field, first->target_field));

  wider = load_with_fields (fx, 32, 8, &error);
  g_assert_no_error (error);
  g_assert_false (wider->from_cache);
  g_assert_cmpuint (count_files (cache), ==, 3);
  g_assert_false (same_images (wider->target_field, first->target_field));

  /* A byte of the last field flipped in every file: each is rebuilt, to the same pixels. */
  damage_cache (cache, -100);
  rebuilt = load_with_fields (fx, 32, 4, &error);
  g_assert_no_error (error);
  g_assert_false (rebuilt->from_cache);
  g_assert_true (same_images (rebuilt->target_field, first->target_field));
  zi_font_free (target);
}

static void
test_dataset_errors (Fixture *fx, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *cache = g_build_filename (fx->dir, "cache", NULL);
  ZiFont *target = zi_font_open (fx->target_path, NULL);
  const gunichar none[] = { 0x4E02, 0x4E03 + 0x10000 };
  ZiDataset *ds;

  ds = zi_dataset_load (fx->source, target, none, G_N_ELEMENTS (none), 64, 0.86, 0, cache, NULL, NULL, NULL,
                        NULL, &error);
  g_assert_null (ds);
  g_assert_error (error, ZI_ERROR, ZI_ERROR_CHARSET);
  g_clear_error (&error);

  ds = zi_dataset_load (fx->source, target, (gunichar *) fx->chars->data, fx->chars->len, 7, 0.86, 0,
                        cache, NULL, NULL, NULL, NULL, &error);
  g_assert_null (ds);
  g_assert_error (error, ZI_ERROR, ZI_ERROR_INVALID);
  zi_font_free (target);
}

/* ---- split and augmentation --------------------------------------------------------------------- */

/* Packed images unpack to what was packed, each on its own and all at once; their packed form
 * rebuilds them; a damaged packed form (a flipped byte, a cut stream, a wrong length) is refused
 * rather than read. Glyph-like images pack to a fraction of their size. */
static void
test_packed_images (void)
{
  const guint n = 7;
  const gsize plane = 48 * 48;
  g_autofree guint8 *raw = g_malloc (n * plane);
  g_autofree guint8 *back = g_malloc (n * plane);
  g_autofree guint32 *lengths = g_new (guint32, n);
  g_autofree guint8 *packed = NULL;
  g_autoptr(ZiPackedImages) p = NULL;
  g_autoptr(ZiPackedImages) again = NULL;
  g_autoptr(ZiPackedImages) empty = NULL;
  NnRng rng;
  gsize total = 0;

  /* Paper with a block of ink and a noisy antialiased edge, different in each image. */
  nn_rng_seed (&rng, 7);
  memset (raw, 0, n * plane);
  for (guint i = 0; i < n; i++)
    for (guint y = 10; y < 30 + i; y++)
      for (guint x = 5 + i; x < 40; x++)
        raw[i * plane + y * 48 + x] = x == 5 + i ? (guint8) nn_rng_below (&rng, 256) : 255;
  p = zi_packed_images_new (raw, n, plane);
  g_assert_cmpuint (zi_packed_images_get_n (p), ==, n);
  g_assert_cmpuint (zi_packed_images_get_plane (p), ==, plane);
  g_assert_cmpuint (zi_packed_images_get_packed_size (p), <, n * plane / 4);
  for (guint i = 0; i < n; i++)
    {
      zi_packed_images_get (p, i, back);
      g_assert_cmpmem (back, plane, raw + i * plane, plane);
    }
  zi_packed_images_get_all (p, back);
  g_assert_cmpmem (back, n * plane, raw, n * plane);

  packed = g_malloc (zi_packed_images_get_packed_size (p));
  for (guint i = 0; i < n; i++)
    {
      const guint8 *bytes;
      lengths[i] = zi_packed_images_get_packed (p, i, &bytes);
      memcpy (packed + total, bytes, lengths[i]);
      total += lengths[i];
    }
  again = zi_packed_images_new_packed (lengths, packed, n, plane);
  g_assert_nonnull (again);
  g_assert_true (zi_packed_images_equal (p, again));
  zi_packed_images_get_all (again, back);
  g_assert_cmpmem (back, n * plane, raw, n * plane);
  /* The same images at another size are other images. */
  g_assert_null (zi_packed_images_new_packed (lengths, packed, n, plane + 1));

  /* Damage: a flipped byte inside image 3's stream, a stream cut short, and lengths that move the
   * boundary between two images. */
  {
    gsize at = lengths[0] + lengths[1] + lengths[2] + lengths[3] / 2;
    packed[at] ^= 0x21;
    g_assert_null (zi_packed_images_new_packed (lengths, packed, n, plane));
    packed[at] ^= 0x21;
  }
  lengths[6]--;
  g_assert_null (zi_packed_images_new_packed (lengths, packed, n, plane));
  lengths[6]++;
  lengths[2]++;
  lengths[3]--;
  g_assert_null (zi_packed_images_new_packed (lengths, packed, n, plane));

  empty = zi_packed_images_new (NULL, 0, plane);
  g_assert_cmpuint (zi_packed_images_get_packed_size (empty), ==, 0);
  g_assert_false (zi_packed_images_equal (empty, p));
}

static void
test_split (void)
{
  GArray *train, *val, *train2, *val2, *train3, *val3;
  g_autofree gboolean *seen = g_new0 (gboolean, 1000);

  zi_dataset_split (1000, 42, 0.1, &train, &val);
  g_assert_cmpuint (val->len, ==, 100);
  g_assert_cmpuint (train->len, ==, 900);
  for (guint i = 0; i < val->len; i++)
    {
      guint k = g_array_index (val, guint, i);
      g_assert_false (seen[k]);
      seen[k] = TRUE;
      g_assert_true (i == 0 || g_array_index (val, guint, i - 1) < k);
    }
  for (guint i = 0; i < train->len; i++)
    {
      guint k = g_array_index (train, guint, i);
      g_assert_false (seen[k]);
      seen[k] = TRUE;
    }
  for (guint i = 0; i < 1000; i++)
    g_assert_true (seen[i]);

  /* Same seed, same split; another seed, another split. */
  zi_dataset_split (1000, 42, 0.1, &train2, &val2);
  g_assert_cmpmem (val2->data, val2->len * sizeof (guint), val->data, val->len * sizeof (guint));
  g_assert_cmpmem (train2->data, train2->len * sizeof (guint), train->data, train->len * sizeof (guint));
  zi_dataset_split (1000, 43, 0.1, &train3, &val3);
  g_assert_cmpuint (val3->len, ==, 100);
  g_assert_false (memcmp (val3->data, val->data, val->len * sizeof (guint)) == 0);
  g_array_unref (train);
  g_array_unref (val);
  g_array_unref (train2);
  g_array_unref (val2);
  g_array_unref (train3);
  g_array_unref (val3);

  /* Edge cases: at least one validation pair when asked, never all of them; none when not asked. */
  zi_dataset_split (5, 1, 0.01, &train, &val);
  g_assert_cmpuint (val->len, ==, 1);
  g_assert_cmpuint (train->len, ==, 4);
  g_array_unref (train);
  g_array_unref (val);
  zi_dataset_split (5, 1, 1.0, &train, &val);
  g_assert_cmpuint (train->len, ==, 1);
  g_array_unref (train);
  g_array_unref (val);
  zi_dataset_split (5, 1, 0.0, &train, &val);
  g_assert_cmpuint (val->len, ==, 0);
  g_assert_cmpuint (train->len, ==, 5);
  g_array_unref (train);
  g_array_unref (val);
  zi_dataset_split (0, 1, 0.5, &train, &val);
  g_assert_cmpuint (train->len + val->len, ==, 0);
  g_array_unref (train);
  g_array_unref (val);
}

static void
fill_square (guint8 *img, guint size, guint x0, guint y0, guint side, guint8 value)
{
  memset (img, 0, size * size);
  for (guint y = y0; y < y0 + side; y++)
    for (guint x = x0; x < x0 + side; x++)
      img[y * size + x] = value;
}

static void
test_augment (void)
{
  const guint size = 32;
  guint8 a[32 * 32], b[32 * 32], a2[32 * 32], b2[32 * 32], a_orig[32 * 32];
  NnRng rng, rng2;
  gboolean changed = FALSE;

  fill_square (a, size, 8, 8, 10, 255);
  fill_square (b, size, 12, 14, 6, 200);
  memcpy (a_orig, a, sizeof a);
  memcpy (a2, a, sizeof a);
  memcpy (b2, b, sizeof b);

  /* The same RNG state gives the same transform to whichever image is in either slot. */
  nn_rng_seed (&rng, 7);
  rng2 = rng;
  zi_dataset_augment_pair (a, b, size, 3, 0.1, rng.s);
  zi_dataset_augment_pair (b2, a2, size, 3, 0.1, rng2.s);
  g_assert_cmpmem (a, sizeof a, a2, sizeof a2);
  g_assert_cmpmem (b, sizeof b, b2, sizeof b2);
  g_assert_cmpmem (rng.s, sizeof rng.s, rng2.s, sizeof rng2.s);
  for (gsize i = 0; i < sizeof a; i++)
    changed |= a[i] != a_orig[i];
  g_assert_true (changed);

  /* No shift and no scale leave the images as they were. */
  memcpy (a, a_orig, sizeof a);
  zi_dataset_augment_pair (a, b, size, 0, 0.0, rng.s);
  g_assert_cmpmem (a, sizeof a, a_orig, sizeof a_orig);

  /* A shift moves ink by at most max_shift (+1 px of bilinear spread) and keeps it all on the canvas. */
  for (int trial = 0; trial < 20; trial++)
    {
      guint sum_before = 0, sum_after = 0;
      int x_min = size, x_max = -1;
      memcpy (a, a_orig, sizeof a);
      zi_dataset_augment_pair (a, b, size, 2, 0.0, rng.s);
      for (guint y = 0; y < size; y++)
        for (guint x = 0; x < size; x++)
          {
            sum_before += a_orig[y * size + x];
            sum_after += a[y * size + x];
            if (a[y * size + x] > 0)
              {
                x_min = MIN (x_min, (int) x);
                x_max = MAX (x_max, (int) x);
              }
          }
      g_assert_cmpint (x_min, >=, 8 - 3);
      g_assert_cmpint (x_max, <=, 17 + 3);
      g_assert_cmpint (ABS ((int) sum_after - (int) sum_before), <=, (int) sum_before / 50);
    }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/dataset/image/round-trip", test_image_round_trip);
  g_test_add_func ("/dataset/image/read-rgba", test_image_read_rgba);
  g_test_add_func ("/dataset/image/bad-files", test_image_bad_files);
  g_test_add_func ("/dataset/image/float", test_image_float);
  g_test_add ("/dataset/load/pairs", Fixture, NULL, fixture_set_up, test_dataset_pairs, fixture_tear_down);
  g_test_add ("/dataset/load/cache", Fixture, NULL, fixture_set_up, test_dataset_cache, fixture_tear_down);
  g_test_add ("/dataset/load/share-source", Fixture, NULL, fixture_set_up, test_dataset_share_source,
              fixture_tear_down);
  g_test_add ("/dataset/load/share-on-load", Fixture, NULL, fixture_set_up, test_dataset_share_on_load,
              fixture_tear_down);
  g_test_add ("/dataset/load/cache-prune", Fixture, NULL, fixture_set_up, test_dataset_cache_prune,
              fixture_tear_down);
  g_test_add ("/dataset/load/field-cache", Fixture, NULL, fixture_set_up, test_dataset_field_cache,
              fixture_tear_down);
  g_test_add ("/dataset/load/corrupt-cache", Fixture, NULL, fixture_set_up, test_dataset_corrupt_cache,
              fixture_tear_down);
  g_test_add ("/dataset/load/errors", Fixture, NULL, fixture_set_up, test_dataset_errors, fixture_tear_down);
  g_test_add_func ("/dataset/packed-images", test_packed_images);
  g_test_add_func ("/dataset/split", test_split);
  g_test_add_func ("/dataset/augment", test_augment);

  return g_test_run ();
}
