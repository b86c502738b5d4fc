/* zi-export-family.c — exporting a family: the styles a multi-style model draws (the weights of Zen
 * Maru Gothic, say), each exported by zi_export_run into a folder of its own, and a designspace
 * (fonttools' designspaceLib format 5.0, fonttools.readthedocs.io/en/latest/designspaceLib) that ties
 * the styles' UFOs together on a weight axis, for fontmake.
 *
 * Each style's glyphs are traced on their own; once every style is traced, each glyph's tracings are
 * made interpolation-compatible where a sound construction allows it (zi-interp.h) and the UFOs'
 * .glif files redrawn with them (the PNG and SVG files keep each style's own tracing, which the
 * compatible outline stays within 3 units of on average). The designspace's instances sit exactly on
 * its sources, which fontmake builds whatever the masters hold. A second designspace,
 * Zimaru-<Family>-Variable.designspace, builds a variable font from the compatible glyphs: its lib
 * lists the others under public.skipExportGlyphs, which ufo2ft leaves out (see README.md, "Exporting
 * a family"). */
#include "config.h"
#include "zi-export-private.h"
#include "zi-charset.h"
#include "zi-error.h"
#include "zi-fileutil.h"
#include "zi-interp.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <string.h>

void
zi_export_styles_free (ZiExportStyle *styles, guint n)
{
  for (guint i = 0; styles != NULL && i < n; i++)
    {
      g_free (styles[i].name);
      if (styles[i].source != NULL)
        zi_export_source_free (styles[i].source);
      zi_font_free (styles[i].target);
    }
  g_free (styles);
}

/* The style's folder inside the family's: the ASCII letters and digits of its name ("Style N" when
 * there are none), with a number appended when two styles' names reduce to the same. */
static char *
style_folder (const ZiExportStyle *styles, guint i)
{
  GString *name = g_string_new (NULL);

  for (const char *p = styles[i].name; *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (c < 128 && g_ascii_isalnum ((char) c))
        g_string_append_c (name, (char) c);
    }
  if (name->len == 0)
    g_string_append_printf (name, "Style%u", i + 1);
  for (guint k = 0; k < i; k++)
    {
      g_autofree char *other = style_folder (styles, k);

      if (g_ascii_strcasecmp (other, name->str) == 0)
        {
          g_string_append_printf (name, "-%u", i + 1);
          break;
        }
    }
  return g_string_free (name, FALSE);
}

static gboolean
check_styles (const ZiExportStyle *styles, guint n, const char *out_dir, GError **error)
{
  for (guint i = 0; i < n; i++)
    {
      if (styles[i].name == NULL || styles[i].name[0] == '\0' || !g_utf8_validate (styles[i].name, -1, NULL)
          || styles[i].weight_class < 1 || styles[i].weight_class > 1000)
        {
          g_set_error (error, ZI_ERROR, ZI_ERROR_INVALID,
                       _("Cannot export the family into %s: style %u needs a name and a weight class "
                         "of 1 to 1000 (%u given)"), out_dir, i + 1, styles[i].weight_class);
          return FALSE;
        }
      for (guint k = 0; k < i; k++)
        if (styles[k].weight_class == styles[i].weight_class
            || g_utf8_collate (styles[k].name, styles[i].name) == 0)
          {
            g_set_error (error, ZI_ERROR, ZI_ERROR_INVALID,
                         _("Cannot export the family into %s: the styles %s and %s share a name or the "
                           "weight class %u, and a designspace needs each at a weight of its own; "
                           "export them one at a time (--style NAME)"),
                         out_dir, styles[k].name, styles[i].name, styles[i].weight_class);
            return FALSE;
          }
    }
  return TRUE;
}

/* <dimension name="Weight" xvalue="700"/> inside a <location>. */
static void
append_location (GString *xml, const char *indent, guint weight)
{
  g_string_append_printf (xml, "%s  <location>\n%s    <dimension name=\"Weight\" xvalue=\"%u\"/>\n"
                          "%s  </location>\n", indent, indent, weight, indent);
}

/* The designspace document. folders[i] and ufos[i] locate style i's UFO; family is the UFOs'
 * family name (with its suffix); skip (NULL: none) the glyph names its lib keeps out of the fonts. */
static char *
designspace_xml (const ZiExportStyle *styles, guint n, char **folders, char **ufos, const char *family,
                 GPtrArray *skip)
{
  g_autofree char *fam = g_markup_escape_text (family, -1);
  g_autofree char *file_family = zi_ufo_dir_name (family);
  GString *xml = g_string_new ("<?xml version='1.0' encoding='UTF-8'?>\n<designspace format=\"5.0\">\n");
  guint lo = G_MAXUINT, hi = 0, def = 0;

  for (guint i = 0; i < n; i++)
    {
      lo = MIN (lo, styles[i].weight_class);
      hi = MAX (hi, styles[i].weight_class);
    }
  /* The default master: the regular weight when the family has it, else the lightest. */
  def = lo;
  for (guint i = 0; i < n; i++)
    if (styles[i].weight_class == 400)
      def = 400;

  g_string_append_printf (xml, "  <axes>\n    <axis tag=\"wght\" name=\"Weight\" minimum=\"%u\" "
                          "maximum=\"%u\" default=\"%u\"/>\n  </axes>\n", lo, hi, def);
  g_string_append (xml, "  <sources>\n");
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *style = g_markup_escape_text (styles[i].name, -1);
      g_autofree char *path = g_markup_escape_text (ufos[i], -1);
      g_autofree char *folder = g_markup_escape_text (folders[i], -1);

      g_string_append_printf (xml, "    <source filename=\"%s/%s\" name=\"%s %s\" familyname=\"%s\" "
                              "stylename=\"%s\">\n", folder, path, fam, style, fam, style);
      append_location (xml, "    ", styles[i].weight_class);
      g_string_append (xml, "    </source>\n");
    }
  g_string_append (xml, "  </sources>\n  <instances>\n");
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *style = g_markup_escape_text (styles[i].name, -1);
      g_autofree char *folder = g_markup_escape_text (folders[i], -1);
      /* "Zimaru-ZenMaruGothicZimaru.ufo" → "ZenMaruGothicZimaru-Bold", fontmake's own naming. */
      g_autofree char *stem = g_strndup (file_family + strlen ("Zimaru-"),
                                         strlen (file_family) - strlen ("Zimaru-") - strlen (".ufo"));

      g_string_append_printf (xml, "    <instance name=\"%s %s\" familyname=\"%s\" stylename=\"%s\" "
                              "filename=\"instances/%s-%s.ufo\" postscriptfontname=\"%s-%s\">\n",
                              fam, style, fam, style, stem, folder, stem, folder);
      append_location (xml, "    ", styles[i].weight_class);
      g_string_append (xml, "    </instance>\n");
    }
  g_string_append (xml, "  </instances>\n");
  if (skip != NULL && skip->len > 0)
    {
      g_string_append (xml, "  <lib>\n    <dict>\n      <key>public.skipExportGlyphs</key>\n"
                            "      <array>\n");
      for (guint i = 0; i < skip->len; i++)
        {
          g_autofree char *name = g_markup_escape_text (g_ptr_array_index (skip, i), -1);

          g_string_append_printf (xml, "        <string>%s</string>\n", name);
        }
      g_string_append (xml, "      </array>\n    </dict>\n  </lib>\n");
    }
  g_string_append (xml, "</designspace>\n");
  return g_string_free (xml, FALSE);
}

/* Progress over the whole family: style i's glyphs count after those of the styles before it. */
typedef struct {
  ZiProgressFunc func;
  gpointer       data;
  guint64        offset, total;
} FamilyProgress;

static void
family_progress_cb (guint64 done, guint64 total, gpointer user_data)
{
  FamilyProgress *fp = user_data;

  fp->func (fp->offset + done, fp->total, fp->data);
}

/* One exported glyph of one style, kept until every style is traced. */
typedef struct {
  double     advance;
  ZiOutline *outline;
} Traced;

static void
traced_free (gpointer data)
{
  Traced *t = data;

  zi_outline_free (t->outline);
  g_free (t);
}

/* What the family keeps of its styles' glyphs while they are traced. A glyph whose contours or holes
 * differ between two styles can never be made compatible, so its outlines are let go as soon as that
 * shows (after two weights, a third of a family's ideographs; README.md, "Compatible masters"). */
typedef struct {
  GHashTable **tables;  /* [n_styles] gunichar → the style's Traced glyph */
  GHashTable  *apart;   /* gunichar: glyphs whose styles differ in contours or holes */
  guint        style;   /* the style being exported */
} Collect;

static void
collect_outline_cb (gunichar c, double advance, const ZiOutline *outline, gpointer data)
{
  Collect *col = data;
  gpointer key = GUINT_TO_POINTER (c);
  Traced *first = g_hash_table_lookup (col->tables[0], key);
  Traced *t;

  if (g_hash_table_contains (col->apart, key))
    return;
  if (col->style > 0 && first != NULL && !zi_interp_same_topology (first->outline, outline))
    {
      for (guint i = 0; i < col->style; i++)
        g_hash_table_remove (col->tables[i], key);
      g_hash_table_add (col->apart, key);
      return;
    }
  t = g_new (Traced, 1);
  t->advance = advance;
  t->outline = zi_interp_outline_copy (outline);
  g_hash_table_replace (col->tables[col->style], key, t);
}

static gboolean
write_designspace (const char *path, const char *xml, GError **error)
{
  g_autoptr(GError) local = NULL;

  if (!g_file_set_contents_full (path, xml, -1, G_FILE_SET_CONTENTS_NONE, 0644, &local))
    {
      g_set_error (error, ZI_ERROR, ZI_ERROR_IO, _("Cannot write %s: %s"), path, local->message);
      return FALSE;
    }
  return TRUE;
}

/* Makes each glyph that every style exported compatible across the styles where it can be, redraws
 * the UFOs' .glif files with the compatible outlines, writes the variable designspace (when any glyph
 * is compatible) and records the outcome in every style's manifest. tables[i]: style i's Traced
 * glyphs; apart: the glyphs let go for their contours; stem: the designspaces' file name without
 * extension. */
static gboolean
family_interpolate (ZiExportStyle *styles, guint n_styles, const gunichar *chars, guint n,
                    const char *tmp_dir, char **folders, char **ufos, GHashTable **tables,
                    GHashTable *apart, const char *family, const char *stem, ZiExportSummary *sum,
                    GCancellable *cancellable, GError **error)
{
  g_autoptr(GHashTable) results = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GHashTable) references = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GPtrArray) skip = g_ptr_array_new_with_free_func (g_free);
  g_autofree ZiOutline **traced = g_new0 (ZiOutline *, n_styles);
  g_autofree ZiOutline **compat = g_new0 (ZiOutline *, n_styles);
  g_autofree Traced **glyph = g_new0 (Traced *, n_styles);
  g_autofree char *variable = NULL;
  int upm = zi_font_get_units_per_em (styles[0].target);
  guint compatible = 0, glyphs = 0;

  /* Fonts of different units per em give outlines no one set of points can serve. */
  for (guint i = 1; i < n_styles; i++)
    if (zi_font_get_units_per_em (styles[i].target) != upm)
      return TRUE;

  for (guint j = 0; j < n; j++)
    {
      g_autofree char *cp = g_strdup_printf ("U+%04X", chars[j]);
      ZiInterpReport report;
      guint present = 0;
      gboolean ok = TRUE;

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return FALSE;
      for (guint i = 0; i < n_styles; i++)
        {
          glyph[i] = g_hash_table_lookup (tables[i], GUINT_TO_POINTER (chars[j]));
          traced[i] = glyph[i] != NULL ? glyph[i]->outline : NULL;
          present += glyph[i] != NULL;
        }
      if (g_hash_table_contains (results, cp))
        continue;
      if (g_hash_table_contains (apart, GUINT_TO_POINTER (chars[j])))
        {
          glyphs++;
          g_ptr_array_add (skip, zi_glyph_name_for_char (chars[j]));
          g_hash_table_insert (results, g_steal_pointer (&cp),
                               (gpointer) zi_interp_result_to_string (ZI_INTERP_CONTOURS));
          continue;
        }
      if (present == 0)
        continue;
      if (present < n_styles)
        {
          /* Skipped in some style: the variable font cannot have it. */
          g_ptr_array_add (skip, zi_glyph_name_for_char (chars[j]));
          continue;
        }
      glyphs++;
      if (zi_interp_make_compatible (traced, n_styles, upm, compat, &report) == ZI_INTERP_COMPATIBLE)
        {
          for (guint i = 0; i < n_styles && ok; i++)
            {
              g_autofree char *ufo = g_build_filename (tmp_dir, folders[i], ufos[i], NULL);

              ok = zi_ufo_replace_glif (ufo, chars[j], glyph[i]->advance, compat[i], error);
            }
          for (guint i = 0; i < n_styles; i++)
            g_clear_pointer (&compat[i], zi_outline_free);
          if (!ok)
            return FALSE;
          compatible++;
          g_hash_table_insert (references, g_strdup (cp), styles[report.reference].name);
        }
      else
        g_ptr_array_add (skip, zi_glyph_name_for_char (chars[j]));
      g_hash_table_insert (results, g_steal_pointer (&cp),
                           (gpointer) zi_interp_result_to_string (report.result));
    }

  if (compatible > 0)
    {
      g_autofree char *xml = designspace_xml (styles, n_styles, folders, ufos, family, skip);
      g_autofree char *path = NULL;

      variable = g_strdup_printf ("%s-Variable.designspace", stem);
      path = g_build_filename (tmp_dir, variable, NULL);
      if (!write_designspace (path, xml, error))
        return FALSE;
    }
  for (guint i = 0; i < n_styles; i++)
    {
      g_autofree char *manifest = g_build_filename (tmp_dir, folders[i], "manifest.json", NULL);

      if (!zi_export_manifest_add_interpolation (manifest, results, references, compatible, glyphs,
                                                 variable, error))
        return FALSE;
    }
  sum->compatible = compatible;
  return TRUE;
}

static gboolean
family_into (ZiExportStyle *styles, guint n_styles, const gunichar *chars, guint n, const char *tmp_dir,
             const ZiExportOptions *options, ZiExportSummary *sum, ZiProgressFunc progress,
             gpointer progress_data, GCancellable *cancellable, GError **error)
{
  g_auto(GStrv) folders = g_new0 (char *, n_styles + 1);
  g_auto(GStrv) ufos = g_new0 (char *, n_styles + 1);
  g_autofree GHashTable **tables = g_new0 (GHashTable *, n_styles);
  g_autoptr(GHashTable) apart = g_hash_table_new (g_direct_hash, g_direct_equal);
  Collect collect = { tables, apart, 0 };
  g_autofree char *family = NULL;
  g_autofree char *file_name = NULL;
  g_autofree char *path = NULL;
  g_autofree char *xml = NULL;
  FamilyProgress fp = { progress, progress_data, 0, (guint64) n * n_styles };
  /* Compatible masters need two styles and the UFOs to redraw. */
  gboolean interpolate = n_styles > 1 && (options->formats & ZI_EXPORT_FORMAT_UFO);
  gboolean ok = TRUE;

  for (guint i = 0; i < n_styles && ok; i++)
    {
      ZiExportOptions o = *options;
      ZiExportSummary s = { 0 };
      g_autofree char *dir = NULL;

      folders[i] = style_folder (styles, i);
      ufos[i] = zi_ufo_style_dir_name (zi_font_get_family (styles[i].target), styles[i].name);
      dir = g_build_filename (tmp_dir, folders[i], NULL);
      o.force = FALSE;
      o.style_name = styles[i].name;
      o.weight_class = styles[i].weight_class;
      if (interpolate)
        {
          tables[i] = g_hash_table_new_full (g_direct_hash, g_direct_equal, NULL, traced_free);
          collect.style = i;
          o.outline_func = collect_outline_cb;
          o.outline_data = &collect;
        }
      fp.offset = (guint64) n * i;
      ok = zi_export_run (styles[i].source, styles[i].target, chars, n, dir, &o, &s,
                          progress != NULL ? family_progress_cb : NULL, &fp, cancellable, error);
      sum->exported += s.exported;
      sum->skipped += s.skipped;
      sum->flagged += s.flagged;
    }

  family = g_strdup_printf ("%s %s", zi_font_get_family (styles[0].target) != NULL
                                     && *zi_font_get_family (styles[0].target)
                                       ? zi_font_get_family (styles[0].target) : "Glyphs",
                            options->family_suffix != NULL ? options->family_suffix : "Zimaru");
  /* "Zimaru-ZenMaruGothic.ufo" → "Zimaru-ZenMaruGothic.designspace". */
  file_name = zi_ufo_dir_name (zi_font_get_family (styles[0].target));
  file_name[strlen (file_name) - strlen (".ufo")] = '\0';
  if (ok && interpolate)
    ok = family_interpolate (styles, n_styles, chars, n, tmp_dir, folders, ufos, tables, apart,
                             family, file_name, sum, cancellable, error);
  for (guint i = 0; i < n_styles; i++)
    g_clear_pointer (&tables[i], g_hash_table_unref);
  if (!ok)
    return FALSE;

  xml = designspace_xml (styles, n_styles, folders, ufos, family, NULL);
  path = g_strdup_printf ("%s%s%s.designspace", tmp_dir, G_DIR_SEPARATOR_S, file_name);
  if (!write_designspace (path, xml, error))
    return FALSE;
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return FALSE;
  return zi_export_sync_tree (tmp_dir, error);
}

gboolean
zi_export_family_run (ZiExportStyle         *styles,
                      guint                  n_styles,
                      const gunichar        *chars,
                      guint                  n,
                      const char            *out_dir_arg,
                      const ZiExportOptions *options,
                      ZiExportSummary       *summary,
                      ZiProgressFunc         progress,
                      gpointer               progress_data,
                      GCancellable          *cancellable,
                      GError               **error)
{
  g_autofree char *out_dir = NULL;
  g_autofree char *tmp_dir = NULL;
  g_autoptr(GError) local = NULL;
  ZiExportSummary sum = { 0 };
  gint64 start = g_get_monotonic_time ();
  gboolean ok;

  g_return_val_if_fail (styles != NULL && n_styles > 0, FALSE);
  g_return_val_if_fail (chars != NULL || n == 0, FALSE);
  g_return_val_if_fail (out_dir_arg != NULL, FALSE);
  g_return_val_if_fail (options != NULL, FALSE);

  out_dir = g_canonicalize_filename (out_dir_arg, NULL);
  if (!check_styles (styles, n_styles, out_dir, error)
      || !zi_export_check_output (out_dir, options->force, error))
    {
      zi_export_styles_free (styles, n_styles);
      return FALSE;
    }
  tmp_dir = zi_dir_make_temp_beside (out_dir, &local);
  if (tmp_dir == NULL)
    {
      g_set_error (error, ZI_ERROR, ZI_ERROR_IO,
                   _("Cannot export into %s: %s (choose a folder you can write to)"), out_dir,
                   local->message);
      zi_export_styles_free (styles, n_styles);
      return FALSE;
    }

  ok = family_into (styles, n_styles, chars, n, tmp_dir, options, &sum, progress, progress_data,
                    cancellable, &local)
       && zi_dir_commit (tmp_dir, out_dir, options->force, &local);
  if (!ok)
    {
      zi_dir_remove_tree (tmp_dir);
      if (g_cancellable_is_cancelled (cancellable))
        g_set_error (error, ZI_ERROR, ZI_ERROR_CANCELLED, _("The export to %s was cancelled"), out_dir);
      else
        {
          /* The styles' exports name their folders inside the temporary one; name the output's. */
          GString *message = g_string_new (local->message);

          g_string_replace (message, tmp_dir, out_dir, 0);
          g_free (local->message);
          local->message = g_string_free (message, FALSE);
          g_propagate_error (error, g_steal_pointer (&local));
        }
    }
  else if (summary != NULL)
    {
      *summary = sum;
      summary->seconds = (g_get_monotonic_time () - start) / 1e6;
    }
  zi_export_styles_free (styles, n_styles);
  return ok;
}
