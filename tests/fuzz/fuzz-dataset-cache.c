/* fuzz-dataset-cache.c — libFuzzer target for the dataset cache of app/run/zi-dataset.c, a file in
 * the user's cache directory that a crash, a full disk or another program can damage. Its parser is
 * private, so the input is written where zi_dataset_load() looks for the cache of a fixed two-glyph
 * dataset (16 px, the small seed fonts of tests/fuzz/corpus/font), and the load must succeed anyway:
 *  - if the dataset says it came from the cache, the file must have the reference header, key and
 *    characters, and the pixels must be the file's (its packed images, inflated here with zlib);
 *  - otherwise the pixels must be freshly rendered (equal to the reference) and the cache file must
 *    have been rewritten to the reference bytes.
 * Each input is tried as it is (length, magic and checksum checks) and "resealed": padded or cut to
 * the right length and given a valid checksum, which gets random mutations past the checksum to the
 * header, key and character checks. Resealing uses the checksum documented in zi-dataset.c; the
 * start-up self-test stops the fuzzer if that algorithm changes. */
#include "fuzz-util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "zi-dataset.h"

#include <zlib.h>

#define SIZE        16
#define HEADER_SIZE (8 + 4 + 4 + 8 + 4 + 4 + 64)  /* magic, version, size, em, n, reserved, key */
#define RESERVED    28                            /* offset of the reserved u32 */

typedef struct {
  ZiFont   *source;
  ZiFont   *target;
  gunichar  chars[3];
  char     *cache_dir;
  char     *cache_path;       /* the file zi_dataset_load looks for */
  char     *cache_name;       /* the same, relative to the scratch directory */
  GBytes   *reference;        /* the cache file as a fresh build writes it */
  guint     n;                /* pairs in the dataset */
  guint8   *source_pixels;    /* [n * SIZE * SIZE], freshly rendered */
  guint8   *target_pixels;
  guint8   *pixels;           /* scratch: [2 * n * SIZE * SIZE] a loaded dataset's pixels */
} Fixture;

static Fixture fixture;

/* The cache's checksum (zi-dataset.c: checksum()), to reseal mutated files. */
static guint64
cache_checksum (const guint8 *data, gsize len)
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

static void
reseal (guint8 *buf, gsize len)
{
  const guint64 sum = GUINT64_TO_LE (cache_checksum (buf, len - 8));
  memcpy (buf + len - 8, &sum, 8);
}

static ZiDataset *
load (void)
{
  g_autoptr(GError) error = NULL;
  ZiDataset *ds = zi_dataset_load (fixture.source, fixture.target, fixture.chars,
                                   G_N_ELEMENTS (fixture.chars), SIZE, ZI_DEFAULT_EM_FRACTION, 0,
                                   fixture.cache_dir, NULL, NULL, NULL, NULL, &error);
  if (ds == NULL)
    {
      fprintf (stderr, "fuzz-dataset-cache: the dataset does not load: %s\n", error->message);
      abort ();
    }
  return ds;
}

static ZiFont *
open_seed_font (const char *name)
{
  g_autofree char *path = g_build_filename (ZI_FUZZ_SOURCE_DIR, "corpus", "font", name, NULL);
  g_autoptr(GError) error = NULL;
  ZiFont *font = zi_font_open (path, &error);

  if (font == NULL)
    {
      fprintf (stderr, "fuzz-dataset-cache: %s\n", error->message);
      exit (1);
    }
  return font;
}

/* The one dataset-*.bin file of the cache directory. */
static char *
find_cache_file (void)
{
  g_autoptr(GDir) dir = g_dir_open (fixture.cache_dir, 0, NULL);
  const char *name;
  char *found = NULL;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    if (g_str_has_prefix (name, "dataset-") && g_str_has_suffix (name, ".bin"))
      {
        fuzz_check (found == NULL);
        found = g_build_filename (fixture.cache_dir, name, NULL);
      }
  fuzz_check (found != NULL);
  return found;
}

int
LLVMFuzzerInitialize (int *argc, char ***argv)
{
  g_autoptr(ZiDataset) built = NULL;
  g_autoptr(ZiDataset) cached = NULL;
  g_autofree guint8 *copy = NULL;
  char *contents;
  gsize len;

  (void) argc;
  (void) argv;
  fuzz_init ();
  fixture.source = open_seed_font ("noto-tc.otf");
  fixture.target = open_seed_font ("zen.ttf");
  /* 永 and A are in both seed fonts; あ only in the target, so it is dropped from the pairs. */
  fixture.chars[0] = 0x6C38;
  fixture.chars[1] = 0x3042;
  fixture.chars[2] = 'A';
  fixture.cache_dir = g_build_filename (fuzz_scratch_dir (), "cache", NULL);

  built = load ();
  fuzz_check (!built->from_cache && built->n == 2);
  fixture.n = built->n;
  fixture.source_pixels = g_malloc ((gsize) built->n * SIZE * SIZE);
  fixture.target_pixels = g_malloc ((gsize) built->n * SIZE * SIZE);
  fixture.pixels = g_malloc (2 * (gsize) built->n * SIZE * SIZE);
  zi_packed_images_get_all (built->source, fixture.source_pixels);
  zi_packed_images_get_all (built->target, fixture.target_pixels);
  fixture.cache_path = find_cache_file ();
  {
    g_autofree char *base = g_path_get_basename (fixture.cache_path);
    fixture.cache_name = g_build_filename ("cache", base, NULL);
  }
  fuzz_check (g_file_get_contents (fixture.cache_path, &contents, &len, NULL));
  fixture.reference = g_bytes_new_take (contents, len);

  cached = load ();
  fuzz_check (cached->from_cache);

  copy = g_memdup2 (contents, len);
  reseal (copy, len);
  if (memcmp (copy, contents, len) != 0)
    {
      fprintf (stderr, "fuzz-dataset-cache: the cache checksum in zi-dataset.c changed; update "
                       "cache_checksum() here\n");
      exit (1);
    }
  return 0;
}

/* Whether file (at least `pixels` bytes, the header and characters checked) holds, after its
 * characters, 2n packed lengths and then 2n zlib streams that inflate to exactly the images in
 * want[2 * n * SIZE * SIZE] (sources, then targets) and end where the checksum begins. */
static gboolean
file_images_are (const guint8 *file, gsize len, gsize pixels, const guint8 *want)
{
  const gsize plane = SIZE * SIZE;
  const guint n_images = 2 * fixture.n;
  gsize at = pixels + 4 * (gsize) n_images;
  guint8 image[SIZE * SIZE];

  for (guint i = 0; i < n_images; i++)
    {
      guint32 length;
      uLongf out_len = plane;
      uLong in_len;

      memcpy (&length, file + pixels + 4 * i, 4);
      length = GUINT32_FROM_LE (length);
      if (at + length > len - 8)
        return FALSE;
      in_len = length;
      if (uncompress2 (image, &out_len, file + at, &in_len) != Z_OK || out_len != plane || in_len != length
          || memcmp (image, want + i * plane, plane) != 0)
        return FALSE;
      at += length;
    }
  return at == len - 8;
}

static void
check_load (const guint8 *file, gsize len)
{
  gsize ref_len;
  const guint8 *ref = g_bytes_get_data (fixture.reference, &ref_len);
  const gsize plane = (gsize) fixture.n * SIZE * SIZE;
  const gsize pixels = HEADER_SIZE + 4 * (gsize) fixture.n;
  g_autoptr(ZiDataset) ds = NULL;
  g_autofree char *written = NULL;
  gsize written_len;

  g_free (fuzz_write_file (fixture.cache_name, file, len));
  ds = load ();
  fuzz_check (ds->n == fixture.n && ds->size == SIZE);
  fuzz_check (memcmp (ds->chars, (gunichar[]) { 0x6C38, 'A' }, 2 * sizeof (gunichar)) == 0);
  zi_packed_images_get_all (ds->source, fixture.pixels);
  zi_packed_images_get_all (ds->target, fixture.pixels + plane);

  if (ds->from_cache)
    {
      /* Accepted: everything the pixels depend on must match, and the pixels are the file's. */
      fuzz_check (len >= pixels + 8);
      fuzz_check (memcmp (file, ref, RESERVED) == 0);
      fuzz_check (memcmp (file + RESERVED + 4, ref + RESERVED + 4, pixels - RESERVED - 4) == 0);
      fuzz_check (file_images_are (file, len, pixels, fixture.pixels));
      return;
    }
  /* Rejected: rebuilt from the fonts, and the damaged file replaced. */
  fuzz_check (memcmp (fixture.pixels, fixture.source_pixels, plane) == 0);
  fuzz_check (memcmp (fixture.pixels + plane, fixture.target_pixels, plane) == 0);
  fuzz_check (g_file_get_contents (fixture.cache_path, &written, &written_len, NULL));
  fuzz_check (written_len == ref_len && memcmp (written, ref, ref_len) == 0);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  gsize ref_len;
  const guint8 *ref = g_bytes_get_data (fixture.reference, &ref_len);
  g_autofree guint8 *sealed = g_memdup2 (ref, ref_len);

  check_load (data, size);

  memcpy (sealed, data, MIN (size, ref_len));
  reseal (sealed, ref_len);
  check_load (sealed, ref_len);
  return 0;
}
