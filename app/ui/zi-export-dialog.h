/* zi-export-dialog.h — the export dialog: formats, characters (missing in the target, the glyphs
 * shown in the grid, the selected glyph, or all), output folder, trace preset with a before/after
 * preview of one glyph, progress with cancel, and "Show in Files" at the end. The work is
 * zi-export's asynchronous job; the dialog only gathers options and reports. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define ZI_TYPE_EXPORT_DIALOG (zi_export_dialog_get_type ())
G_DECLARE_FINAL_TYPE (ZiExportDialog, zi_export_dialog, ZI, EXPORT_DIALOG, GtkWindow)

/* checkpoint: the default model (a run's, or the shipped one), drawing its style of embedding index
 * style (zi_model_set_style); run_dir (may be NULL): its picks are used when present.
 * missing/all: gunichar arrays; shown: the grid's list (ZiGlyphItem); selection: gunichar array. */
GtkWidget *zi_export_dialog_new (GtkWindow  *parent,
                                 const char *checkpoint,
                                 guint       style,
                                 const char *run_dir,
                                 const char *source_font,
                                 const char *target_font,
                                 GArray     *missing,
                                 GArray     *all,
                                 GListModel *shown,
                                 GArray     *selection);

/* For tests: the output directory, starting the export, and whether it finished (and how). */
void       zi_export_dialog_set_output (ZiExportDialog *self, const char *parent_dir, const char *name);
/* 0 missing, 1 shown in the grid, 2 selected, 3 all. */
void       zi_export_dialog_set_charset (ZiExportDialog *self, guint which);
void       zi_export_dialog_start (ZiExportDialog *self);
void       zi_export_dialog_cancel (ZiExportDialog *self);
/* TRUE once the job ended; *ok says whether it succeeded. */
gboolean   zi_export_dialog_is_done (ZiExportDialog *self, gboolean *ok);
/* TRUE once the trace preview has its glyph. */
gboolean   zi_export_dialog_has_preview (ZiExportDialog *self);

G_END_DECLS
