/* zi-font-private.h — what app/glyph's own files need from a ZiFont beyond the public API: its
 * FreeType face (kept out of zi-font.h so that users of fonts do not see FreeType types). */
#pragma once

#include <ft2build.h>
#include FT_FREETYPE_H
#include "zi-font.h"

G_BEGIN_DECLS

/* The FT_Face behind font; same thread rules as the ZiFont. */
FT_Face zi_font_get_ft_face (ZiFont *font);

G_END_DECLS
