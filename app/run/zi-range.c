/* zi-range.c — finite-and-in-range checks for numbers from outside (see zi-range.h). */
#include "config.h"
#include "zi-range.h"
#include "zi-error.h"

#include <glib/gi18n.h>
#include <math.h>

gboolean
zi_in_range (double value, double low, double high, ZiRangeEnds ends)
{
  if (!isfinite (value))
    return FALSE;
  if ((ends & ZI_RANGE_OPEN_LOW) ? value <= low : value < low)
    return FALSE;
  if ((ends & ZI_RANGE_OPEN_HIGH) ? value >= high : value > high)
    return FALSE;
  return TRUE;
}

static void
append_end (GString *s, double v)
{
  if (isinf (v))
    g_string_append (s, v > 0 ? "∞" : "−∞");
  else
    g_string_append_printf (s, "%g", v);
}

char *
zi_range_to_string (double low, double high, ZiRangeEnds ends)
{
  GString *s = g_string_new (NULL);

  /* An infinite end is never part of the range: it is written open whatever ends says. */
  g_string_append_c (s, (ends & ZI_RANGE_OPEN_LOW) || isinf (low) ? '(' : '[');
  append_end (s, low);
  g_string_append (s, ", ");
  append_end (s, high);
  g_string_append_c (s, (ends & ZI_RANGE_OPEN_HIGH) || isinf (high) ? ')' : ']');
  return g_string_free (s, FALSE);
}

gboolean
zi_check_range (double value, double low, double high, ZiRangeEnds ends, const char *name, GError **error)
{
  g_autofree char *range = NULL;

  g_return_val_if_fail (name != NULL, FALSE);

  if (zi_in_range (value, low, high, ends))
    return TRUE;
  range = zi_range_to_string (low, high, ends);
  g_set_error (error, ZI_ERROR, ZI_ERROR_INVALID, _("%s %g is out of range; use a value in %s."),
               name, value, range);
  return FALSE;
}
