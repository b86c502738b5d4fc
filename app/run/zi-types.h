/* zi-types.h — small types shared by the data layer and the layers above it. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Progress of long work: done out of total units (total 0 = unknown). Called on the working thread. */
typedef void (*ZiProgressFunc) (guint64 done, guint64 total, gpointer user_data);

/* What a model's output pixels are (zi-representation.h): the target's ink coverage, or a signed
 * distance field of its outline with a spread in pixels (zi-render.h). */
typedef enum {
  ZI_REPRESENTATION_INK,    /* coverage: 0 = paper, 255 = ink */
  ZI_REPRESENTATION_FIELD,  /* signed distance field: 128 = outline */
} ZiRepresentation;

G_END_DECLS
