/* test-range.c — zi-range.h: the finite-and-in-range check that every number from outside goes
 * through, its four kinds of ends, infinity as "no upper end", and the message it writes. */
#include "zi-error.h"
#include "zi-range.h"

#include <math.h>
#include <string.h>

static void
test_non_finite (void)
{
  const ZiRangeEnds ends[] = { ZI_RANGE_CLOSED, ZI_RANGE_OPEN_LOW, ZI_RANGE_OPEN_HIGH, ZI_RANGE_OPEN };

  for (guint i = 0; i < G_N_ELEMENTS (ends); i++)
    {
      g_assert_false (zi_in_range (NAN, 0.0, 1.0, ends[i]));
      g_assert_false (zi_in_range (-NAN, 0.0, 1.0, ends[i]));
      g_assert_false (zi_in_range (INFINITY, 0.0, INFINITY, ends[i]));
      g_assert_false (zi_in_range (-INFINITY, -INFINITY, 0.0, ends[i]));
      g_assert_false (zi_in_range (NAN, -INFINITY, INFINITY, ends[i]));
      g_assert_true (zi_in_range (0.5, 0.0, 1.0, ends[i]));
      g_assert_true (zi_in_range (1e300, 0.0, INFINITY, ends[i]));
    }
}

static void
test_ends (void)
{
  g_assert_true (zi_in_range (0.0, 0.0, 1.0, ZI_RANGE_CLOSED));
  g_assert_true (zi_in_range (-0.0, 0.0, 1.0, ZI_RANGE_CLOSED));
  g_assert_true (zi_in_range (1.0, 0.0, 1.0, ZI_RANGE_CLOSED));
  g_assert_false (zi_in_range (0.0, 0.0, 1.0, ZI_RANGE_OPEN_LOW));
  g_assert_false (zi_in_range (-0.0, 0.0, 1.0, ZI_RANGE_OPEN_LOW));
  g_assert_true (zi_in_range (1.0, 0.0, 1.0, ZI_RANGE_OPEN_LOW));
  g_assert_true (zi_in_range (0.0, 0.0, 1.0, ZI_RANGE_OPEN_HIGH));
  g_assert_false (zi_in_range (1.0, 0.0, 1.0, ZI_RANGE_OPEN_HIGH));
  g_assert_false (zi_in_range (0.0, 0.0, 1.0, ZI_RANGE_OPEN));
  g_assert_false (zi_in_range (1.0, 0.0, 1.0, ZI_RANGE_OPEN));
  g_assert_false (zi_in_range (-1e-300, 0.0, 1.0, ZI_RANGE_CLOSED));
  g_assert_false (zi_in_range (1.0 + 1e-15, 0.0, 1.0, ZI_RANGE_CLOSED));
}

static void
test_message (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *closed = zi_range_to_string (0.0, 1.0, ZI_RANGE_CLOSED);
  g_autofree char *open = zi_range_to_string (0.0, 10.0, ZI_RANGE_OPEN);
  g_autofree char *half = zi_range_to_string (0.1, 1.0, ZI_RANGE_OPEN_LOW);
  g_autofree char *unbounded = zi_range_to_string (0.0, INFINITY, ZI_RANGE_CLOSED);

  g_assert_cmpstr (closed, ==, "[0, 1]");
  g_assert_cmpstr (open, ==, "(0, 10)");
  g_assert_cmpstr (half, ==, "(0.1, 1]");
  g_assert_cmpstr (unbounded, ==, "[0, ∞)");

  g_assert_true (zi_check_range (2e-4, 0.0, 10.0, ZI_RANGE_OPEN, "--lr", &error));
  g_assert_no_error (error);
  g_assert_false (zi_check_range (NAN, 0.0, 10.0, ZI_RANGE_OPEN, "--lr", &error));
  g_assert_error (error, ZI_ERROR, ZI_ERROR_INVALID);
  g_assert_cmpstr (error->message, ==, "--lr nan is out of range; use a value in (0, 10).");
  g_clear_error (&error);
  g_assert_false (zi_check_range (-INFINITY, 0.0, INFINITY, ZI_RANGE_CLOSED, "--minutes", &error));
  g_assert_cmpstr (error->message, ==, "--minutes -inf is out of range; use a value in [0, ∞).");
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/core/range/non-finite", test_non_finite);
  g_test_add_func ("/core/range/ends", test_ends);
  g_test_add_func ("/core/range/message", test_message);
  return g_test_run ();
}
