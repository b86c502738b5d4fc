/* zi-ufo.c — a UFO 3 writer for traced glyphs. Plists and glifs are built as strings with every text
 * value escaped, so the files are well-formed whatever the font names hold. Contours are written as
 * zi-trace gives them: outer counter-clockwise, holes clockwise (the PostScript direction that UFO
 * sources use; fontmake reverses it when it converts to TrueType quadratics). */
#include "config.h"
#include "zi-ufo.h"
#include "zi-charset.h"
#include "zi-error.h"
#include "zi-svg.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <string.h>

struct _ZiUfoWriter {
  char          *path;
  char          *glyphs_dir;
  char          *family;       /* with the suffix */
  char          *style;
  guint          weight_class; /* OS/2 usWeightClass; 0: not written */
  ZiFontMetrics  metrics;
  GPtrArray     *names;        /* glyph names in order, .notdef first */
  GPtrArray     *files;        /* their file names */
  GHashTable    *seen;         /* gunichar → TRUE */
};

/* Files of the UFO are written directly (no temporary file, no fsync): the whole UFO lives in a
 * temporary directory until the caller syncs it and renames it into place. */
static gboolean
write_file (const char *path, const char *contents, GError **error)
{
  g_autoptr(GError) local = NULL;

  if (!g_file_set_contents_full (path, contents, -1, G_FILE_SET_CONTENTS_NONE, 0644, &local))
    {
      g_set_error (error, ZI_ERROR, ZI_ERROR_IO, _("Cannot write %s: %s"), path, local->message);
      return FALSE;
    }
  return TRUE;
}

/* Appends the ASCII letters and digits of text; returns how many. */
static gsize
append_alnum (GString *out, const char *text)
{
  gsize before = out->len;

  for (const char *p = text ? text : ""; *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (c < 128 && g_ascii_isalnum ((char) c))
        g_string_append_c (out, (char) c);
    }
  return out->len - before;
}

char *
zi_ufo_dir_name (const char *family)
{
  return zi_ufo_style_dir_name (family, NULL);
}

char *
zi_ufo_style_dir_name (const char *family, const char *style)
{
  GString *name = g_string_new ("Zimaru-");

  if (append_alnum (name, family) == 0)
    g_string_append (name, "Glyphs");
  if (style != NULL)
    {
      g_string_append_c (name, '-');
      if (append_alnum (name, style) == 0)
        g_string_append (name, "Style");
    }
  g_string_append (name, ".ufo");
  return g_string_free (name, FALSE);
}

char *
zi_ufo_glyph_file_name (const char *glyph_name)
{
  GString *out = g_string_new (NULL);

  g_return_val_if_fail (glyph_name != NULL, NULL);

  for (const char *p = glyph_name; *p; p++)
    {
      char ch = *p;

      if ((p == glyph_name && ch == '.') || (guchar) ch < 32 || ch == 0x7f || strchr ("\"*+/:<>?[\\]|", ch))
        g_string_append_c (out, '_');
      else
        {
          g_string_append_c (out, ch);
          if (g_ascii_isupper (ch))
            g_string_append_c (out, '_');
        }
    }
  g_string_append (out, ".glif");
  return g_string_free (out, FALSE);
}

/* Escapes text for XML 1.0, dropping what XML 1.0 cannot hold even as a character reference:
 * control characters other than tab, newline and carriage return, and U+FFFE/U+FFFF
 * (g_markup_escape_text writes controls as &#x1; references, valid only in XML 1.1). */
static char *
xml_escape (const char *text)
{
  g_autoptr(GString) kept = g_string_new (NULL);

  for (const char *p = text; *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);
      if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0xFFFE || c == 0xFFFF)
        continue;
      g_string_append_unichar (kept, c);
    }
  return g_markup_escape_text (kept->str, -1);
}

static void
append_point (GString *out, ZiPoint p, const char *type)
{
  g_string_append (out, "      <point x=\"");
  zi_format_number (out, p.x);
  g_string_append (out, "\" y=\"");
  zi_format_number (out, p.y);
  if (type != NULL)
    g_string_append_printf (out, "\" type=\"%s\"/>\n", type);
  else
    g_string_append (out, "\"/>\n");
}

static const char *
segment_type (const ZiSegment *s)
{
  return s->kind == ZI_SEGMENT_CUBIC ? "curve" : "line";
}

char *
zi_ufo_glif (const char *glyph_name, gunichar c, double advance, const ZiOutline *outline)
{
  g_autofree char *escaped = NULL;
  GString *out;

  g_return_val_if_fail (glyph_name != NULL, NULL);
  g_return_val_if_fail (outline != NULL, NULL);

  escaped = xml_escape (glyph_name);
  out = g_string_new ("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
  g_string_append_printf (out, "<glyph name=\"%s\" format=\"2\">\n  <advance width=\"", escaped);
  zi_format_number (out, advance);
  g_string_append (out, "\"/>\n");
  if (c != 0)
    g_string_append_printf (out, "  <unicode hex=\"%04X\"/>\n", c);
  g_string_append (out, "  <outline>\n");
  for (guint i = 0; i < outline->n_contours; i++)
    {
      const ZiContour *ct = &outline->contours[i];
      const ZiSegment *last;

      if (ct->n_segments == 0)
        continue;
      /* Start on the on-curve point where the last segment ends (typed by that segment) and end with
       * the last segment's off-curve points, the order fontTools itself writes. */
      last = &ct->segments[ct->n_segments - 1];
      g_string_append (out, "    <contour>\n");
      append_point (out, last->p, segment_type (last));
      for (guint k = 0; k < ct->n_segments; k++)
        {
          const ZiSegment *s = &ct->segments[k];

          if (s->kind == ZI_SEGMENT_CUBIC)
            {
              append_point (out, s->c1, NULL);
              append_point (out, s->c2, NULL);
            }
          if (k + 1 < ct->n_segments)
            append_point (out, s->p, segment_type (s));
        }
      g_string_append (out, "    </contour>\n");
    }
  g_string_append (out, "  </outline>\n</glyph>\n");
  return g_string_free (out, FALSE);
}

/* Plist helpers: every string goes through xml_escape. */
static void
plist_begin (GString *out)
{
  g_string_append (out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                        "<!DOCTYPE plist PUBLIC \"-//Apple//DTD PLIST 1.0//EN\" "
                        "\"http://www.apple.com/DTDs/PropertyList-1.0.dtd\">\n"
                        "<plist version=\"1.0\">\n");
}

static void
plist_string (GString *out, const char *indent, const char *s)
{
  g_autofree char *e = xml_escape (s);
  g_string_append_printf (out, "%s<string>%s</string>\n", indent, e);
}

static void
plist_key (GString *out, const char *key)
{
  g_string_append_printf (out, "  <key>%s</key>\n", key);
}

static void
plist_key_string (GString *out, const char *key, const char *value)
{
  plist_key (out, key);
  plist_string (out, "  ", value);
}

static void
plist_key_int (GString *out, const char *key, int value)
{
  plist_key (out, key);
  g_string_append_printf (out, "  <integer>%d</integer>\n", value);
}

static char *
fontinfo_plist (ZiUfoWriter *w)
{
  const ZiFontMetrics *m = &w->metrics;
  GString *out = g_string_new (NULL);

  plist_begin (out);
  g_string_append (out, "<dict>\n");
  plist_key_string (out, "familyName", w->family);
  plist_key_string (out, "styleName", w->style);
  if (w->weight_class > 0)
    plist_key_int (out, "openTypeOS2WeightClass", (int) w->weight_class);
  plist_key_int (out, "versionMajor", 1);
  plist_key_int (out, "versionMinor", 0);
  plist_key_int (out, "unitsPerEm", m->units_per_em);
  plist_key_int (out, "ascender", m->ascender);
  plist_key_int (out, "descender", m->descender);
  if (m->cap_height > 0)
    plist_key_int (out, "capHeight", m->cap_height);
  if (m->x_height > 0)
    plist_key_int (out, "xHeight", m->x_height);
  plist_key_int (out, "openTypeHheaAscender", m->ascender);
  plist_key_int (out, "openTypeHheaDescender", m->descender);
  plist_key_int (out, "openTypeOS2TypoAscender", m->typo_ascender);
  plist_key_int (out, "openTypeOS2TypoDescender", m->typo_descender);
  plist_key_int (out, "openTypeOS2TypoLineGap", m->typo_line_gap);
  /* OS/2 stores both as unsigned distances from the baseline; UFO wants them non-negative too. */
  plist_key_int (out, "openTypeOS2WinAscent", ABS (m->win_ascent));
  plist_key_int (out, "openTypeOS2WinDescent", ABS (m->win_descent));
  plist_key_string (out, "note", "Glyphs generated by Zimaru and traced with potrace.");
  g_string_append (out, "</dict>\n</plist>\n");
  return g_string_free (out, FALSE);
}

static gboolean
write_fixed_files (ZiUfoWriter *w, GError **error)
{
  g_autofree char *metainfo = g_build_filename (w->path, "metainfo.plist", NULL);
  g_autofree char *layers = g_build_filename (w->path, "layercontents.plist", NULL);
  g_autoptr(GString) meta = g_string_new (NULL);
  g_autoptr(GString) lc = g_string_new (NULL);

  plist_begin (meta);
  g_string_append (meta, "<dict>\n");
  plist_key_string (meta, "creator", "io.github.zimaru.Zimaru");
  plist_key_int (meta, "formatVersion", 3);
  g_string_append (meta, "</dict>\n</plist>\n");

  plist_begin (lc);
  g_string_append (lc, "<array>\n  <array>\n    <string>public.default</string>\n"
                       "    <string>glyphs</string>\n  </array>\n</array>\n</plist>\n");

  return write_file (metainfo, meta->str, error) && write_file (layers, lc->str, error);
}

static gboolean
write_glif_file (ZiUfoWriter *w, const char *name, gunichar c, double advance, const ZiOutline *outline,
                 GError **error)
{
  g_autofree char *file = zi_ufo_glyph_file_name (name);
  g_autofree char *path = g_build_filename (w->glyphs_dir, file, NULL);
  g_autofree char *glif = zi_ufo_glif (name, c, advance, outline);

  return write_file (path, glif, error);
}

static void
list_glyph (ZiUfoWriter *w, const char *name)
{
  g_ptr_array_add (w->names, g_strdup (name));
  g_ptr_array_add (w->files, zi_ufo_glyph_file_name (name));
}

/* .notdef: an empty box inside the em box, as fonts traditionally draw it. */
static gboolean
write_notdef (ZiUfoWriter *w, GError **error)
{
  const ZiFontMetrics *m = &w->metrics;
  double adv = m->ideo_advance > 0 ? m->ideo_advance : m->units_per_em;
  double bottom = m->ideo_top > m->ideo_bottom ? m->ideo_bottom : m->descender;
  double top = m->ideo_top > m->ideo_bottom ? m->ideo_top : m->descender + m->units_per_em;
  double inset = m->units_per_em * 0.1, stroke = m->units_per_em * 0.05;
  ZiSegment outer[4], inner[4];
  ZiContour contours[2] = {
    { .n_segments = 4, .segments = outer, .hole = FALSE },
    { .n_segments = 4, .segments = inner, .hole = TRUE },
  };
  ZiOutline outline = { .n_contours = 2, .contours = contours };
  double x0 = inset, x1 = adv - inset, y0 = bottom + inset, y1 = top - inset;
  /* Outer counter-clockwise, inner clockwise. */
  ZiPoint o[4] = { { x0, y0 }, { x1, y0 }, { x1, y1 }, { x0, y1 } };
  ZiPoint in[4] = { { x0 + stroke, y0 + stroke }, { x0 + stroke, y1 - stroke },
                    { x1 - stroke, y1 - stroke }, { x1 - stroke, y0 + stroke } };

  for (int i = 0; i < 4; i++)
    {
      outer[i] = (ZiSegment) { .kind = ZI_SEGMENT_LINE, .p = o[i] };
      inner[i] = (ZiSegment) { .kind = ZI_SEGMENT_LINE, .p = in[i] };
    }
  if (!write_glif_file (w, ".notdef", 0, adv, &outline, error))
    return FALSE;
  list_glyph (w, ".notdef");
  return TRUE;
}

ZiUfoWriter *
zi_ufo_writer_new (const char          *ufo_path,
                   const char          *family,
                   const char          *style,
                   const char          *suffix,
                   const ZiFontMetrics *metrics,
                   GError             **error)
{
  g_autoptr(ZiUfoWriter) w = NULL;

  g_return_val_if_fail (ufo_path != NULL, NULL);
  g_return_val_if_fail (metrics != NULL, NULL);

  w = g_new0 (ZiUfoWriter, 1);
  w->path = g_strdup (ufo_path);
  w->glyphs_dir = g_build_filename (ufo_path, "glyphs", NULL);
  w->family = g_strdup_printf ("%s %s", family && *family ? family : "Glyphs", suffix ? suffix : "Zimaru");
  w->style = g_strdup (style && *style ? style : "Regular");
  w->metrics = *metrics;
  if (w->metrics.units_per_em <= 0)
    {
      g_set_error (error, ZI_ERROR, ZI_ERROR_INVALID,
                   _("Cannot write %s: the font has no units per em"), ufo_path);
      return NULL;
    }
  w->names = g_ptr_array_new_with_free_func (g_free);
  w->files = g_ptr_array_new_with_free_func (g_free);
  w->seen = g_hash_table_new (NULL, NULL);

  if (g_mkdir (ufo_path, 0755) != 0 || g_mkdir (w->glyphs_dir, 0755) != 0)
    {
      int err = errno;
      g_set_error (error, ZI_ERROR, err == EEXIST ? ZI_ERROR_EXISTS : ZI_ERROR_IO,
                   _("Cannot create the font source %s: %s"), ufo_path, g_strerror (err));
      return NULL;
    }
  if (!write_fixed_files (w, error) || !write_notdef (w, error))
    return NULL;
  return g_steal_pointer (&w);
}

static gboolean
check_char (ZiUfoWriter *writer, gunichar c, GError **error)
{
  if (c == 0 || !g_unichar_validate (c))
    {
      g_set_error (error, ZI_ERROR, ZI_ERROR_INVALID, _("Cannot add U+%04X to %s: it is not a character"),
                   c, writer->path);
      return FALSE;
    }
  return TRUE;
}

gboolean
zi_ufo_writer_write_glif (ZiUfoWriter     *writer,
                          gunichar         c,
                          double           advance,
                          const ZiOutline *outline,
                          GError         **error)
{
  g_autofree char *name = NULL;

  g_return_val_if_fail (writer != NULL, FALSE);
  g_return_val_if_fail (outline != NULL, FALSE);

  if (!check_char (writer, c, error))
    return FALSE;
  name = zi_glyph_name_for_char (c);
  return write_glif_file (writer, name, c, advance, outline, error);
}

gboolean
zi_ufo_replace_glif (const char *ufo_path, gunichar c, double advance, const ZiOutline *outline,
                     GError **error)
{
  g_autofree char *name = NULL;
  g_autofree char *file = NULL;
  g_autofree char *path = NULL;
  g_autofree char *glif = NULL;

  g_return_val_if_fail (ufo_path != NULL, FALSE);
  g_return_val_if_fail (outline != NULL, FALSE);

  name = zi_glyph_name_for_char (c);
  file = zi_ufo_glyph_file_name (name);
  path = g_build_filename (ufo_path, "glyphs", file, NULL);
  g_return_val_if_fail (g_file_test (path, G_FILE_TEST_IS_REGULAR), FALSE);
  glif = zi_ufo_glif (name, c, advance, outline);
  /* Written in place, a shorter document would keep the old one's tail: remove it first. */
  if (g_unlink (path) != 0)
    {
      int saved = errno;

      g_set_error (error, ZI_ERROR, ZI_ERROR_IO, _("Cannot write %s: %s"), path, g_strerror (saved));
      return FALSE;
    }
  return write_file (path, glif, error);
}

gboolean
zi_ufo_writer_register (ZiUfoWriter *writer, gunichar c, GError **error)
{
  g_autofree char *name = NULL;

  g_return_val_if_fail (writer != NULL, FALSE);

  if (!check_char (writer, c, error))
    return FALSE;
  if (g_hash_table_contains (writer->seen, GUINT_TO_POINTER (c)))
    {
      g_set_error (error, ZI_ERROR, ZI_ERROR_INVALID, _("Cannot add U+%04X to %s twice"), c, writer->path);
      return FALSE;
    }
  g_hash_table_add (writer->seen, GUINT_TO_POINTER (c));
  name = zi_glyph_name_for_char (c);
  list_glyph (writer, name);
  return TRUE;
}

gboolean
zi_ufo_writer_add_glyph (ZiUfoWriter     *writer,
                         gunichar         c,
                         double           advance,
                         const ZiOutline *outline,
                         GError         **error)
{
  g_return_val_if_fail (writer != NULL, FALSE);
  g_return_val_if_fail (outline != NULL, FALSE);

  /* Check for a duplicate before writing, so that a second add cannot overwrite the first file. */
  if (g_hash_table_contains (writer->seen, GUINT_TO_POINTER (c)))
    return zi_ufo_writer_register (writer, c, error);
  return zi_ufo_writer_write_glif (writer, c, advance, outline, error)
         && zi_ufo_writer_register (writer, c, error);
}

gboolean
zi_ufo_writer_finish (ZiUfoWriter *writer, GError **error)
{
  g_autofree char *contents_path = NULL;
  g_autofree char *lib_path = NULL;
  g_autofree char *fontinfo_path = NULL;
  g_autofree char *fontinfo = NULL;
  g_autoptr(GString) contents = g_string_new (NULL);
  g_autoptr(GString) lib = g_string_new (NULL);

  g_return_val_if_fail (writer != NULL, FALSE);

  plist_begin (contents);
  g_string_append (contents, "<dict>\n");
  plist_begin (lib);
  g_string_append (lib, "<dict>\n  <key>public.glyphOrder</key>\n  <array>\n");
  for (guint i = 0; i < writer->names->len; i++)
    {
      g_autofree char *name = xml_escape (g_ptr_array_index (writer->names, i));

      g_string_append_printf (contents, "  <key>%s</key>\n", name);
      plist_string (contents, "  ", g_ptr_array_index (writer->files, i));
      plist_string (lib, "    ", g_ptr_array_index (writer->names, i));
    }
  g_string_append (contents, "</dict>\n</plist>\n");
  g_string_append (lib, "  </array>\n</dict>\n</plist>\n");

  contents_path = g_build_filename (writer->glyphs_dir, "contents.plist", NULL);
  lib_path = g_build_filename (writer->path, "lib.plist", NULL);
  fontinfo_path = g_build_filename (writer->path, "fontinfo.plist", NULL);
  fontinfo = fontinfo_plist (writer);
  return write_file (contents_path, contents->str, error) && write_file (lib_path, lib->str, error)
         && write_file (fontinfo_path, fontinfo, error);
}

void
zi_ufo_writer_set_weight_class (ZiUfoWriter *writer, guint weight_class)
{
  g_return_if_fail (writer != NULL);
  g_return_if_fail (weight_class <= 1000);

  writer->weight_class = weight_class;
}

guint
zi_ufo_writer_get_glyph_count (ZiUfoWriter *writer)
{
  g_return_val_if_fail (writer != NULL, 0);

  /* Not counting .notdef. */
  return writer->names->len - 1;
}

void
zi_ufo_writer_free (ZiUfoWriter *writer)
{
  if (writer == NULL)
    return;
  g_free (writer->path);
  g_free (writer->glyphs_dir);
  g_free (writer->family);
  g_free (writer->style);
  g_clear_pointer (&writer->names, g_ptr_array_unref);
  g_clear_pointer (&writer->files, g_ptr_array_unref);
  g_clear_pointer (&writer->seen, g_hash_table_unref);
  g_free (writer);
}
