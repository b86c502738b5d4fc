/* zi-font-picker.h — the two ways to choose a font in GTK 4.8: an installed family (GtkFontChooserDialog)
 * or a file (GtkFileChooserNative), with a face choice for collections (TTC/OTC). The result is a font
 * spec as zi-font.h takes it: a family name, a path, or "path#N". */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* spec is NULL when the choice failed; error_message then says why (it is NULL on cancel, which does
 * not call back at all). owner is kept alive until the callback. */
typedef void (*ZiFontPickedFunc) (GObject *owner, const char *spec, const char *error_message);

void zi_font_picker_choose_installed (GtkWindow *parent, const char *title, GObject *owner,
                                      ZiFontPickedFunc func);
void zi_font_picker_open_file (GtkWindow *parent, const char *title, GObject *owner, ZiFontPickedFunc func);

G_END_DECLS
