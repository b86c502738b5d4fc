/* test-field.c — signed distance fields of real glyphs (zi-render.h) and the ink derived from them
 * (zi-image.h): a field's 128 level lies where the glyph's coverage crosses one half, its derived ink
 * is close to the coverage, its spread is the one asked for, and rendering many fields on threads
 * draws what one call draws. The glyphs are Zen Maru Gothic's, the target font of the default pair. */
#include "zi-font.h"
#include "zi-image.h"
#include "zi-render.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define FONT_PATH "/usr/local/share/fonts/zen-maru-gothic/ZenMaruGothic_400Regular.ttf"
#define SIZE      64
/* 永 has every stroke of the eight principles; the others add boxes, dots, hooks and sweeps. */
#define CHARS     "永丸字国風書"

static ZiFont *
open_font (ZiPlacement *p, guint size)
{
  g_autoptr(GError) error = NULL;
  ZiFont *font = zi_font_open (FONT_PATH, &error);

  g_assert_no_error (error);
  g_assert_true (zi_placement_init (p, font, size, ZI_DEFAULT_EM_FRACTION, &error));
  g_assert_no_error (error);
  return font;
}

/* Where a row of values crosses level between two neighbouring pixels, at sub-pixel precision
 * (linear between the pixel centres). */
static guint
row_crossings (const guint8 *row, guint n, double level, double *at, guint max)
{
  guint k = 0;

  for (guint x = 0; x + 1 < n && k < max; x++)
    if ((row[x] < level) != (row[x + 1] < level))
      at[k++] = x + (level - row[x]) / ((double) row[x + 1] - row[x]);
  return k;
}

static gint
compare_double (gconstpointer a, gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return x < y ? -1 : x > y;
}

/* Along every row, each place where the coverage crosses one half has the field's 128 level within
 * a fraction of a pixel: the field is drawn from the same placed outline, at the same pixels. */
static void
test_field_crossing (void)
{
  ZiPlacement p;
  ZiFont *font = open_font (&p, SIZE);
  g_autofree gunichar *chars = g_utf8_to_ucs4_fast (CHARS, -1, NULL);
  guint8 cov[SIZE * SIZE], field[SIZE * SIZE];
  g_autoptr(GArray) dist = g_array_new (FALSE, FALSE, sizeof (double));
  double sum = 0.0, p95;

  for (guint i = 0; chars[i] != 0; i++)
    {
      g_autoptr(GError) error = NULL;

      g_assert_true (zi_render_char (font, &p, chars[i], cov, &error));
      g_assert_true (zi_render_char_field (font, &p, chars[i], ZI_FIELD_SPREAD_DEFAULT, field, &error));
      g_assert_no_error (error);
      for (guint y = 0; y < SIZE; y++)
        {
          double c_at[SIZE], f_at[SIZE];
          guint nc = row_crossings (cov + y * SIZE, SIZE, 127.5, c_at, SIZE);
          guint nf = row_crossings (field + y * SIZE, SIZE, 128.0, f_at, SIZE);

          for (guint k = 0; k < nc; k++)
            {
              const guint8 *at = cov + y * SIZE + (guint) c_at[k];
              double best = INFINITY;

              /* Where an edge runs almost along the row, both pictures sit near one half for
               * pixels on end and a crossing's place along the row means little: only edges that
               * cut the row (a step of an eighth of full ink or more) count. */
              if (abs ((int) at[1] - (int) at[0]) < 32)
                continue;
              for (guint j = 0; j < nf; j++)
                best = MIN (best, fabs (c_at[k] - f_at[j]));
              sum += best;
              g_array_append_val (dist, best);
            }
        }
    }
  g_array_sort (dist, compare_double);
  p95 = g_array_index (dist, double, dist->len * 95 / 100);
  g_test_message ("%u crossings: mean distance %.3f px, 95th percentile %.3f px, worst %.3f px", dist->len,
                  sum / dist->len, p95, g_array_index (dist, double, dist->len - 1));
  g_assert_cmpuint (dist->len, >, 500);
  /* A field drawn a pixel off (a row or column of placement lost) would be ~1 px off everywhere; half
   * a pixel off (a pixel's corner taken for its centre), 0.5. The few largest are corners, which a
   * distance field rounds and coverage does not. */
  g_assert_cmpfloat (sum / dist->len, <, 0.15);
  g_assert_cmpfloat (p95, <, 0.3);
  zi_font_free (font);
}

/* The ink derived from a field against the coverage of the same glyph: the two differ only along
 * the outline, where a box-filtered pixel and a one-pixel distance ramp disagree a little. */
static void
test_field_derived_ink (void)
{
  ZiPlacement p;
  ZiFont *font = open_font (&p, SIZE);
  g_autofree gunichar *chars = g_utf8_to_ucs4_fast (CHARS, -1, NULL);
  guint8 cov[SIZE * SIZE], field[SIZE * SIZE], ink[SIZE * SIZE];

  for (guint i = 0; chars[i] != 0; i++)
    {
      double diff = 0.0;
      guint inside = 0, outside = 0;

      g_assert_true (zi_render_char (font, &p, chars[i], cov, NULL));
      g_assert_true (zi_render_char_field (font, &p, chars[i], ZI_FIELD_SPREAD_DEFAULT, field, NULL));
      zi_image_field_to_coverage (field, ink, SIZE * SIZE, ZI_FIELD_SPREAD_DEFAULT);
      for (guint k = 0; k < SIZE * SIZE; k++)
        {
          diff += fabs ((double) ink[k] - cov[k]) / 255.0;
          inside += field[k] == 255;
          outside += field[k] == 0;
        }
      diff /= SIZE * SIZE;
      g_test_message ("U+%04X: derived ink against coverage, mean |difference| %.4f", chars[i], diff);
      g_assert_cmpfloat (diff, <, 0.05);
      /* The encoding's ends: deep inside a stroke is not reached at 64 px, far outside is. */
      g_assert_cmpuint (outside, >, SIZE * SIZE / 4);
      g_assert_cmpuint (inside, <, SIZE * SIZE / 8);
    }
  /* In place: the same result. */
  memcpy (cov, field, sizeof field);
  zi_image_field_to_coverage (cov, cov, SIZE * SIZE, ZI_FIELD_SPREAD_DEFAULT);
  g_assert_cmpmem (cov, sizeof cov, ink, sizeof ink);
  zi_font_free (font);
}

/* The encoding by hand: 128 on the outline, 128/spread a pixel, clamped. */
static void
test_field_derivation_values (void)
{
  const guint8 field[] = { 0, 96, 120, 127, 128, 136, 160, 255 };
  const guint8 want4[] = { 0, 2, 98, 126, 130, 162, 255, 255 };
  const guint8 want2[] = { 0, 65, 113, 127, 129, 145, 193, 255 };
  guint8 out[G_N_ELEMENTS (field)];

  zi_image_field_to_coverage (field, out, G_N_ELEMENTS (field), 4);
  g_assert_cmpmem (out, sizeof out, want4, sizeof want4);
  zi_image_field_to_coverage (field, out, G_N_ELEMENTS (field), 2);
  g_assert_cmpmem (out, sizeof out, want2, sizeof want2);
}

/* The spread reaches FreeType: at spread 2 a pixel's distance moves the field four times as far
 * from 128 as at spread 8, wherever neither is clamped. */
static void
test_field_spread (void)
{
  ZiPlacement p;
  ZiFont *font = open_font (&p, SIZE);
  gunichar c = g_utf8_get_char ("永");
  guint8 f2[SIZE * SIZE], f8[SIZE * SIZE];
  guint n = 0;

  g_assert_true (zi_render_char_field (font, &p, c, 2, f2, NULL));
  g_assert_true (zi_render_char_field (font, &p, c, 8, f8, NULL));
  for (guint k = 0; k < SIZE * SIZE; k++)
    if (f2[k] > 16 && f2[k] < 240)
      {
        /* 8-bit steps of 1/128 of the spread: a few levels of slack. */
        g_assert_cmpfloat (fabs ((f2[k] - 128.0) - 4.0 * (f8[k] - 128.0)), <=, 6.0);
        n++;
      }
  g_assert_cmpuint (n, >, 200);
  zi_font_free (font);
}

/* A character the font lacks: an all-outside canvas and FALSE without an error. Many fields on
 * threads: what one call draws. */
static void
test_field_many (void)
{
  ZiPlacement p;
  ZiFont *font = open_font (&p, SIZE);
  g_autoptr(GError) error = NULL;
  g_autofree gunichar *chars = g_utf8_to_ucs4_fast (CHARS "\xf0\xaf\xa0\x80", -1, NULL);  /* + U+2F800 */
  guint n = (guint) g_utf8_strlen (CHARS, -1) + 1;
  g_autofree guint8 *many = g_malloc ((gsize) n * SIZE * SIZE);
  g_autofree gboolean *covered = g_new0 (gboolean, n);
  guint8 one[SIZE * SIZE], zero[SIZE * SIZE] = { 0 };

  memset (one, 0xAA, sizeof one);
  g_assert_false (zi_render_char_field (font, &p, chars[n - 1], 4, one, &error));
  g_assert_no_error (error);
  g_assert_cmpmem (one, sizeof one, zero, sizeof zero);

  g_assert_true (zi_render_many (font, &p, chars, n, 4, many, covered, 2, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  for (guint i = 0; i < n; i++)
    {
      g_assert_cmpint (covered[i], ==, i + 1 < n);
      zi_render_char_field (font, &p, chars[i], 4, one, NULL);
      g_assert_cmpmem (many + (gsize) i * SIZE * SIZE, SIZE * SIZE, one, sizeof one);
    }
  zi_font_free (font);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/glyph/field/crossing", test_field_crossing);
  g_test_add_func ("/glyph/field/derived-ink", test_field_derived_ink);
  g_test_add_func ("/glyph/field/derivation-values", test_field_derivation_values);
  g_test_add_func ("/glyph/field/spread", test_field_spread);
  g_test_add_func ("/glyph/field/many", test_field_many);
  return g_test_run ();
}
