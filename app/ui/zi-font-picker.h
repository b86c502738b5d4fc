/* zi-font-picker.h — the two ways to choose a font in GTK 4.8: an installed family (GtkFontChooserDialog)
 * or a file (GtkFileChooserNative), with a face choice for collections (TTC/OTC). The result is a font
 * spec as zi-font.h takes it: a family name, a path, or "path#N". For a run of several target styles,
 * a whole family or several files give a list of specs. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* spec is NULL when the choice failed; error_message then says why (it is NULL on cancel, which does
 * not call back at all). owner is kept alive until the callback. */
typedef void (*ZiFontPickedFunc) (GObject *owner, const char *spec, const char *error_message);

void zi_font_picker_choose_installed (GtkWindow *parent, const char *title, GObject *owner,
                                      ZiFontPickedFunc func);
void zi_font_picker_open_file (GtkWindow *parent, const char *title, GObject *owner, ZiFontPickedFunc func);

/* Several target styles: specs NULL-terminated (light to heavy for a family), label names the set for
 * the target button ("Zen Maru Gothic: 5 weights"), or specs is NULL and error_message says why.
 * owner is kept alive until the callback, which gets user_data. */
typedef void (*ZiFontsPickedFunc) (gpointer user_data, const char * const *specs, const char *label,
                                   const char *error_message);

/* Every installed face of a family chosen in GtkFontChooserDialog (zi_font_list_family). */
void zi_font_picker_choose_family (GtkWindow *parent, const char *title, GObject *owner, ZiFontsPickedFunc func,
                                   gpointer user_data);
/* Several font files at once; a collection among them counts as its first face. */
void zi_font_picker_open_files (GtkWindow *parent, const char *title, GObject *owner, ZiFontsPickedFunc func,
                                gpointer user_data);

G_END_DECLS
