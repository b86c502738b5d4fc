/* zi-types.h — small types shared by the data layer and the layers above it. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Progress of long work: done out of total units (total 0 = unknown). Called on the working thread. */
typedef void (*ZiProgressFunc) (guint64 done, guint64 total, gpointer user_data);

G_END_DECLS
