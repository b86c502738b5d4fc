/* zi-font-family.c — every installed face of a font family, for training one model on a whole family
 * (zimaru-cli train --target-family). Fontconfig lists the faces; each is opened to read its OS/2
 * weight class, by which they are sorted, so that the styles of a run go from light to heavy. */
#include "config.h"
#include "zi-font.h"

#include <fontconfig/fontconfig.h>
#include <glib/gi18n.h>
#include <string.h>

typedef struct {
  char  *spec;
  guint  weight;
  char  *style;
} FamilyFace;

static void
family_face_clear (gpointer data)
{
  FamilyFace *f = data;

  g_free (f->spec);
  g_free (f->style);
}

static gint
compare_faces (gconstpointer a, gconstpointer b)
{
  const FamilyFace *x = a, *y = b;

  if (x->weight != y->weight)
    return x->weight < y->weight ? -1 : 1;
  /* Same weight (an italic beside its upright): a fixed order, whatever fontconfig's. */
  if (g_strcmp0 (x->style, y->style) != 0)
    return g_strcmp0 (x->style, y->style);
  return g_strcmp0 (x->spec, y->spec);
}

char **
zi_font_list_family (const char *family, GError **error)
{
  g_autoptr(GArray) faces = g_array_new (FALSE, TRUE, sizeof (FamilyFace));
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GPtrArray) specs = g_ptr_array_new ();
  FcPattern *pattern;
  FcObjectSet *objects;
  FcFontSet *set;

  g_return_val_if_fail (family != NULL, NULL);

  g_array_set_clear_func (faces, family_face_clear);
  if (!FcInit ())
    {
      g_set_error (error, ZI_GLYPH_ERROR, ZI_GLYPH_ERROR_NOT_FOUND,
                   _("Fontconfig could not start, so the family “%s” cannot be listed; give the font "
                     "files instead"), family);
      return NULL;
    }
  /* FcFontList matches the family exactly (ignoring case and spaces), against every family name a
   * face has: "Zen Maru Gothic Medium" also lists itself as "Zen Maru Gothic". */
  pattern = FcPatternCreate ();
  FcPatternAddString (pattern, FC_FAMILY, (const FcChar8 *) family);
  objects = FcObjectSetBuild (FC_FILE, FC_INDEX, NULL);
  set = FcFontList (NULL, pattern, objects);
  FcObjectSetDestroy (objects);
  FcPatternDestroy (pattern);

  for (int i = 0; set != NULL && i < set->nfont; i++)
    {
      FcChar8 *file = NULL;
      int index = 0;
      g_autofree char *spec = NULL;
      ZiFont *font;
      FamilyFace face;

      if (FcPatternGetString (set->fonts[i], FC_FILE, 0, &file) != FcResultMatch)
        continue;
      if (FcPatternGetInteger (set->fonts[i], FC_INDEX, 0, &index) != FcResultMatch)
        index = 0;
      /* The named instances of a variable font (index ≥ 2^16) are not faces Zimaru can open. */
      if (index < 0 || index > 0xffff)
        continue;
      spec = index > 0 ? g_strdup_printf ("%s#%d", (const char *) file, index)
                       : g_strdup ((const char *) file);
      if (!g_hash_table_add (seen, g_strdup (spec)))
        continue;
      font = zi_font_open (spec, NULL);
      if (font == NULL)
        continue;   /* a face fontconfig knows but FreeType cannot open: not trainable anyway */
      face.spec = g_steal_pointer (&spec);
      face.weight = zi_font_get_weight_class (font);
      face.style = g_strdup (zi_font_get_style (font));
      g_array_append_val (faces, face);
      zi_font_free (font);
    }
  if (set != NULL)
    FcFontSetDestroy (set);

  if (faces->len == 0)
    {
      g_set_error (error, ZI_GLYPH_ERROR, ZI_GLYPH_ERROR_NOT_FOUND,
                   _("No installed font has the family “%s”; see the installed families with "
                     "'fc-list : family'"), family);
      return NULL;
    }
  g_array_sort (faces, compare_faces);
  for (guint i = 0; i < faces->len; i++)
    g_ptr_array_add (specs, g_steal_pointer (&g_array_index (faces, FamilyFace, i).spec));
  g_ptr_array_add (specs, NULL);
  return (char **) g_ptr_array_free (g_steal_pointer (&specs), FALSE);
}
