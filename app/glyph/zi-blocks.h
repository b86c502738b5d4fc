/* zi-blocks.h — the Unicode blocks that matter for CJK fonts, for "coverage per block" reports. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct {
  gunichar    first;
  gunichar    last;
  const char *name;   /* the Unicode block name (not translated: it is the standard's name) */
} ZiBlock;

/* The table, ascending and non-overlapping; *n_blocks receives its length. */
const ZiBlock *zi_blocks_get (guint *n_blocks);
/* The block of c, or NULL when c is in a block the table does not list. */
const ZiBlock *zi_block_for_char (gunichar c);

G_END_DECLS
