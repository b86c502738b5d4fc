/* zi-worst-glyphs.h — the characters a checkpoint renders worst: each one is generated from the source
 * font and compared with the target font's glyph (L1 on [0, 1] images), on a worker thread. The grid's
 * "worst N" filter shows them, so a designer reviews the likely failures first. */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* chars: the candidates (gunichar; usually the validation split); at most n_worst come back,
 * worst first. */
void    zi_worst_glyphs_async (const char          *checkpoint,
                               const char          *source_font,
                               const char          *target_font,
                               GArray              *chars,
                               guint                n_worst,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data);
/* A GArray of gunichar, or NULL with the error (the checkpoint or a font could not be opened). */
GArray *zi_worst_glyphs_finish (GAsyncResult *result, GError **error);

G_END_DECLS
