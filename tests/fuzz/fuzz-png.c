/* fuzz-png.c — libFuzzer target for glyph images read from disk (app/run/zi-image.c: libpng's
 * simplified API behind zi_image_read_png and zi_image_read_png_coverage). Any input is refused with
 * ZI_ERROR_IO or read as a gray picture of a sane size; the coverage reading is its exact inverse, and
 * a small picture survives our own encoder and reader unchanged. Each input is tried as it is and with
 * its chunk CRCs rewritten: libpng rejects a chunk whose CRC is wrong, which random mutations almost
 * never keep right, so without this the fuzzer would hardly reach the decoder behind the checks. */
#include "fuzz-util.h"

#include <string.h>
#include <zlib.h>

#include "zi-error.h"
#include "zi-image.h"

/* Pictures up to this many pixels are also round-tripped (keeps each run well under a millisecond). */
#define ROUND_TRIP_PIXELS (256 * 256)

int
LLVMFuzzerInitialize (int *argc, char ***argv)
{
  (void) argc;
  (void) argv;
  fuzz_init ();
  return 0;
}

static void
check_round_trip (const guint8 *gray, guint width, guint height)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) png = zi_image_encode_png (gray, width, height, &error);
  g_autofree char *path = NULL;
  g_autofree guint8 *again = NULL;
  guint w = 0, h = 0;
  gsize len;
  const void *bytes;

  fuzz_check (png != NULL && error == NULL);
  bytes = g_bytes_get_data (png, &len);
  path = fuzz_write_file ("again.png", bytes, len);
  again = zi_image_read_png (path, &w, &h, &error);
  fuzz_check (again != NULL && error == NULL);
  fuzz_check (w == width && h == height);
  fuzz_check (memcmp (again, gray, (gsize) width * height) == 0);
}

/* Rewrites the CRC of every whole chunk after the 8-byte signature (length, type, data, CRC). */
static void
reseal (guint8 *png, gsize size)
{
  gsize at = 8;

  while (at + 12 <= size)
    {
      const guint32 len = (guint32) png[at] << 24 | (guint32) png[at + 1] << 16 | (guint32) png[at + 2] << 8
                          | png[at + 3];
      guint32 crc;
      if (len > size - at - 12)
        break;
      crc = (guint32) crc32 (0, png + at + 4, len + 4);
      for (int i = 0; i < 4; i++)
        png[at + 8 + len + i] = (guint8) (crc >> (24 - 8 * i));
      at += 12 + (gsize) len;
    }
}

static void
check_input (const uint8_t *data, size_t size)
{
  g_autofree char *path = fuzz_write_file ("input.png", data, size);
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) coverage_error = NULL;
  g_autofree guint8 *gray = NULL;
  g_autofree guint8 *coverage = NULL;
  guint width = 0, height = 0, cw = 0, ch = 0;
  gsize n;

  gray = zi_image_read_png (path, &width, &height, &error);
  coverage = zi_image_read_png_coverage (path, &cw, &ch, &coverage_error);
  fuzz_check ((gray == NULL) == (coverage == NULL));
  if (gray == NULL)
    {
      fuzz_check (g_error_matches (error, ZI_ERROR, ZI_ERROR_IO));
      fuzz_check (g_error_matches (coverage_error, ZI_ERROR, ZI_ERROR_IO));
      fuzz_check (g_utf8_validate (error->message, -1, NULL));
      return;
    }
  fuzz_check (error == NULL && coverage_error == NULL);
  fuzz_check (width >= 1 && width <= 16384 && height >= 1 && height <= 16384);
  fuzz_check (cw == width && ch == height);
  n = (gsize) width * height;
  for (gsize i = 0; i < n; i++)
    fuzz_check (coverage[i] == 255 - gray[i]);
  if (n <= ROUND_TRIP_PIXELS)
    check_round_trip (gray, width, height);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  g_autofree guint8 *sealed = g_memdup2 (data, size);

  check_input (data, size);
  reseal (sealed, size);
  if (size == 0 || memcmp (sealed, data, size) != 0)
    check_input (sealed, size);
  return 0;
}
