/* zi-export-family.c — exporting a family: the styles a multi-style model draws (the weights of Zen
 * Maru Gothic, say), each exported by zi_export_run into a folder of its own, and a designspace
 * (fonttools' designspaceLib format 5.0, fonttools.readthedocs.io/en/latest/designspaceLib) that ties
 * the styles' UFOs together on a weight axis, for fontmake.
 *
 * The masters are static: each style's glyphs are traced on their own, so a glyph's contours and
 * points need not correspond between styles. The designspace's instances sit exactly on its sources,
 * which fontmake builds whatever the masters hold; a variable font needs compatible masters, which
 * this export does not make (see README.md, "Exporting a family"). */
#include "config.h"
#include "zi-export-private.h"
#include "zi-error.h"
#include "zi-fileutil.h"

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
 * family name (with its suffix). */
static char *
designspace_xml (const ZiExportStyle *styles, guint n, char **folders, char **ufos, const char *family)
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
  g_string_append (xml, "  </instances>\n</designspace>\n");
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

static gboolean
family_into (ZiExportStyle *styles, guint n_styles, const gunichar *chars, guint n, const char *tmp_dir,
             const ZiExportOptions *options, ZiExportSummary *sum, ZiProgressFunc progress,
             gpointer progress_data, GCancellable *cancellable, GError **error)
{
  g_auto(GStrv) folders = g_new0 (char *, n_styles + 1);
  g_auto(GStrv) ufos = g_new0 (char *, n_styles + 1);
  g_autofree char *family = NULL;
  g_autofree char *file_name = NULL;
  g_autofree char *path = NULL;
  g_autofree char *xml = NULL;
  FamilyProgress fp = { progress, progress_data, 0, (guint64) n * n_styles };
  g_autoptr(GError) local = NULL;

  for (guint i = 0; i < n_styles; i++)
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
      fp.offset = (guint64) n * i;
      if (!zi_export_run (styles[i].source, styles[i].target, chars, n, dir, &o, &s,
                          progress != NULL ? family_progress_cb : NULL, &fp, cancellable, error))
        return FALSE;
      sum->exported += s.exported;
      sum->skipped += s.skipped;
      sum->flagged += s.flagged;
    }

  family = g_strdup_printf ("%s %s", zi_font_get_family (styles[0].target) != NULL
                                     && *zi_font_get_family (styles[0].target)
                                       ? zi_font_get_family (styles[0].target) : "Glyphs",
                            options->family_suffix != NULL ? options->family_suffix : "Zimaru");
  xml = designspace_xml (styles, n_styles, folders, ufos, family);
  /* "Zimaru-ZenMaruGothic.ufo" → "Zimaru-ZenMaruGothic.designspace". */
  file_name = zi_ufo_dir_name (zi_font_get_family (styles[0].target));
  file_name[strlen (file_name) - strlen (".ufo")] = '\0';
  path = g_strdup_printf ("%s%s%s.designspace", tmp_dir, G_DIR_SEPARATOR_S, file_name);
  if (!g_file_set_contents_full (path, xml, -1, G_FILE_SET_CONTENTS_NONE, 0644, &local))
    {
      g_set_error (error, ZI_ERROR, ZI_ERROR_IO, _("Cannot write %s: %s"), path, local->message);
      return FALSE;
    }
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
