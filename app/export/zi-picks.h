/* zi-picks.h — the per-glyph checkpoint picks of a run (RUN/picks.json): for a character, the
 * checkpoint file (a name in RUN/checkpoints/) whose rendering the designer chose, kept per target
 * style for a run of several. Export takes each picked glyph from its checkpoint and the others from
 * the default one. The file is user-editable and therefore untrusted: loading validates every entry. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define ZI_PICKS_FILE_NAME "picks.json"

typedef struct _ZiPicks ZiPicks;

ZiPicks    *zi_picks_new (void);
/* Loads RUN/picks.json; a run without the file has no picks (not an error). A malformed file is
 * ZI_ERROR_RUN naming the file and the bad entry. */
ZiPicks    *zi_picks_load (const char *run_dir, GError **error);
ZiPicks    *zi_picks_load_file (const char *path, GError **error);
/* Writes RUN/picks.json atomically (code-point order, so diffs stay small). */
gboolean    zi_picks_save (ZiPicks *picks, const char *run_dir, GError **error);
gboolean    zi_picks_save_file (ZiPicks *picks, const char *path, GError **error);
void        zi_picks_free (ZiPicks *picks);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (ZiPicks, zi_picks_free)

/* A plain file name: not empty, at most 255 bytes, no '/', '\\' or control characters, not starting
 * with '.', valid UTF-8. */
gboolean    zi_picks_is_valid_checkpoint_name (const char *name);

/* The style whose picks the functions below read and change, for a run of several target styles:
 * style NULL (the default) is the picks of no named style, which a file from before styles holds and
 * which belong to the first style; a name selects that style's (created empty when new). first: style
 * is the run's first, and the unnamed picks join it (its own picks win where both have one). Saving
 * writes every style's picks. */
void        zi_picks_select_style (ZiPicks *picks, const char *style, gboolean first);

/* Returns FALSE (and changes nothing) if c is not a character or the name is not valid. */
gboolean    zi_picks_set (ZiPicks *picks, gunichar c, const char *checkpoint_name);
void        zi_picks_unset (ZiPicks *picks, gunichar c);
/* The checkpoint file name picked for c, or NULL. */
const char *zi_picks_get (ZiPicks *picks, gunichar c);
guint       zi_picks_get_count (ZiPicks *picks);
/* The picked characters in code-point order (a GArray of gunichar; caller unrefs). */
GArray     *zi_picks_get_chars (ZiPicks *picks);

G_END_DECLS
