/* zi-range.h — the one check that every number from outside Zimaru goes through (command-line
 * options, the window's forms, run.json, checkpoint metadata, export and lr-find options): finite, and
 * inside a range whose ends are open or closed. A range check written as comparisons, such as
 * !(v < 0), lets NaN through, because every comparison with NaN is false; and a check with no upper
 * end lets infinity through. Both fail here. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Which ends of [low, high] are left out. high may be INFINITY for "no upper end": the value must
 * still be finite. */
typedef enum {
  ZI_RANGE_CLOSED    = 0,       /* [low, high] */
  ZI_RANGE_OPEN_LOW  = 1 << 0,  /* (low, high] */
  ZI_RANGE_OPEN_HIGH = 1 << 1,  /* [low, high) */
  ZI_RANGE_OPEN      = ZI_RANGE_OPEN_LOW | ZI_RANGE_OPEN_HIGH,
} ZiRangeEnds;

/* TRUE when value is a finite number inside the range. */
gboolean zi_in_range (double value, double low, double high, ZiRangeEnds ends);

/* The range as the messages write it: "[0, 1)", "(0, 10)", "[0, ∞)". */
char    *zi_range_to_string (double low, double high, ZiRangeEnds ends);

/* zi_in_range(), and when it fails a ZI_ERROR_INVALID error "<name> <value> is out of range; use a
 * value in <range>." where name says what the value is ("--minutes", "The L1 loss weight"). */
gboolean zi_check_range (double       value,
                         double       low,
                         double       high,
                         ZiRangeEnds  ends,
                         const char  *name,
                         GError     **error);

G_END_DECLS
