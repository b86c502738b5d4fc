/* zi-ufo.h — writing traced glyphs as a UFO 3 font source (unified font object, unifiedfontobject.org)
 * that fontmake compiles: metainfo.plist, fontinfo.plist (names and vertical metrics from the target
 * font; a family style's weight class), layercontents.plist, lib.plist (public.glyphOrder), glyphs/contents.plist and one .glif per
 * glyph with its code point, advance and cubic contours. Every file is well-formed XML whatever the
 * input. Files are written without fsync: the writer builds the UFO inside a temporary directory that
 * the caller syncs and renames into place (zi-export.c). */
#pragma once

#include <glib.h>
#include "zi-font.h"
#include "zi-trace.h"

G_BEGIN_DECLS

typedef struct _ZiUfoWriter ZiUfoWriter;

/* "Zimaru-ZenMaruGothic.ufo" for family "Zen Maru Gothic" (letters and digits of the family kept). */
char        *zi_ufo_dir_name (const char *family);
/* "Zimaru-ZenMaruGothic-Bold.ufo" for style "Bold" of one family's several (style NULL: as
 * zi_ufo_dir_name). */
char        *zi_ufo_style_dir_name (const char *family, const char *style);

/* A glyph name ("uni4E00") as a file name per the UFO 3 user-name-to-file-name convention
 * ("uni4E_00.glif"): an underscore after each capital, so names differing in case never clash on
 * case-insensitive file systems; a leading '.' and characters illegal in file names become '_'. */
char        *zi_ufo_glyph_file_name (const char *glyph_name);

/* The .glif document (format 2) of one glyph; c = 0 for no unicode element. */
char        *zi_ufo_glif (const char *glyph_name, gunichar c, double advance, const ZiOutline *outline);

/* Creates ufo_path (which must not exist; its parent must) and starts a font whose family is
 * "<family> <suffix>" (suffix NULL: "Zimaru"), style style, metrics copied from metrics. A .notdef
 * glyph (a box) is added first. */
ZiUfoWriter *zi_ufo_writer_new (const char          *ufo_path,
                                const char          *family,
                                const char          *style,
                                const char          *suffix,
                                const ZiFontMetrics *metrics,
                                GError             **error);
/* Writes the glyph of c (named per zi_glyph_name_for_char) and lists it. Adding a character twice
 * is an error. */
gboolean     zi_ufo_writer_add_glyph (ZiUfoWriter     *writer,
                                      gunichar         c,
                                      double           advance,
                                      const ZiOutline *outline,
                                      GError         **error);
/* add_glyph in two halves, so that many threads can write .glif files while one thread keeps the
 * glyph list in order: write_glif only writes the file (safe to call from several threads at once
 * for different characters); register lists c (one thread, in the wanted glyph order). */
gboolean     zi_ufo_writer_write_glif (ZiUfoWriter     *writer,
                                       gunichar         c,
                                       double           advance,
                                       const ZiOutline *outline,
                                       GError         **error);
gboolean     zi_ufo_writer_register (ZiUfoWriter *writer, gunichar c, GError **error);
/* Replaces the .glif of c, a glyph the UFO at ufo_path (one a writer made) has, with outline: a family
 * export redraws its masters compatibly once every style is traced. ZI_ERROR_IO if it cannot write. */
gboolean     zi_ufo_replace_glif (const char      *ufo_path,
                                  gunichar         c,
                                  double           advance,
                                  const ZiOutline *outline,
                                  GError         **error);
/* The OS/2 weight class fontinfo.plist gives (1 to 1000; 0, the default, writes none). */
void         zi_ufo_writer_set_weight_class (ZiUfoWriter *writer, guint weight_class);
/* Writes fontinfo.plist and the plists that list the glyphs; the UFO is complete after it. */
gboolean     zi_ufo_writer_finish (ZiUfoWriter *writer, GError **error);
guint        zi_ufo_writer_get_glyph_count (ZiUfoWriter *writer);
void         zi_ufo_writer_free (ZiUfoWriter *writer);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (ZiUfoWriter, zi_ufo_writer_free)

G_END_DECLS
