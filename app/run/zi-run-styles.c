/* zi-run-styles.c — the target styles of a run (zi-run.h): copying, unique names, their JSON form in
 * run.json and the checkpoint metadata (zi-run-styles.h), and the one style of a file written before
 * a run could train several. */
#include "config.h"
#include "zi-run-styles.h"
#include "zi-json.h"

#include <string.h>

void
zi_run_style_clear (ZiRunStyle *s)
{
  g_return_if_fail (s != NULL);

  g_free (s->name);
  g_free (s->font);
  g_free (s->path);
  g_free (s->hash);
  g_free (s->family);
  memset (s, 0, sizeof *s);
}

void
zi_run_styles_free (ZiRunStyle *styles, guint n)
{
  for (guint i = 0; styles != NULL && i < n; i++)
    zi_run_style_clear (&styles[i]);
  g_free (styles);
}

void
zi_run_style_copy (ZiRunStyle *dst, const ZiRunStyle *src)
{
  g_return_if_fail (dst != NULL && src != NULL);

  dst->name = g_strdup (src->name);
  dst->font = g_strdup (src->font);
  dst->path = g_strdup (src->path);
  dst->face = src->face;
  dst->hash = g_strdup (src->hash);
  dst->family = g_strdup (src->family);
  dst->weight_class = src->weight_class;
}

ZiRunStyle *
zi_run_styles_copy (const ZiRunStyle *styles, guint n)
{
  ZiRunStyle *copy;

  if (styles == NULL || n == 0)
    return NULL;
  copy = g_new0 (ZiRunStyle, n);
  for (guint i = 0; i < n; i++)
    zi_run_style_copy (&copy[i], &styles[i]);
  return copy;
}

void
zi_run_style_init_from_font (ZiRunStyle *s, const char *spec, ZiFont *font)
{
  const char *style;

  g_return_if_fail (s != NULL);
  g_return_if_fail (font != NULL);

  style = zi_font_get_style (font);
  s->name = g_strdup (style != NULL && style[0] != '\0' ? style : "Regular");
  s->font = g_strdup (spec != NULL ? spec : zi_font_get_spec (font));
  s->path = g_strdup (zi_font_get_path (font));
  s->face = zi_font_get_face_index (font);
  s->hash = g_strdup (zi_font_get_file_hash (font));
  s->family = g_strdup (zi_font_get_family (font) != NULL ? zi_font_get_family (font) : "");
  s->weight_class = zi_font_get_weight_class (font);
}

static gboolean
same_name (const char *a, const char *b)
{
  g_autofree char *fa = g_utf8_casefold (a, -1);
  g_autofree char *fb = g_utf8_casefold (b, -1);

  return strcmp (fa, fb) == 0;
}

static gboolean
name_taken (const ZiRunStyle *styles, guint before, const char *name)
{
  for (guint j = 0; j < before; j++)
    if (same_name (styles[j].name, name))
      return TRUE;
  return FALSE;
}

void
zi_run_styles_make_unique (ZiRunStyle *styles, guint n)
{
  g_return_if_fail (styles != NULL || n == 0);

  for (guint i = 0; i < n; i++)
    {
      char *base;

      if (styles[i].name == NULL || styles[i].name[0] == '\0')
        {
          g_free (styles[i].name);
          styles[i].name = g_strdup_printf ("Style %u", i + 1);
        }
      if (!name_taken (styles, i, styles[i].name))
        continue;
      /* Earlier names are final, so checking against them alone leaves every name unique. */
      base = styles[i].name;
      for (guint k = 2; ; k++)
        {
          g_autofree char *candidate = g_strdup_printf ("%s %u", base, k);

          if (!name_taken (styles, i, candidate))
            {
              styles[i].name = g_steal_pointer (&candidate);
              break;
            }
        }
      g_free (base);
    }
}

void
zi_run_styles_qualify (ZiRunStyle *styles, guint n)
{
  gboolean mixed = FALSE;

  g_return_if_fail (styles != NULL || n == 0);
  for (guint i = 1; i < n && !mixed; i++)
    mixed = g_strcmp0 (styles[i].family, styles[0].family) != 0;
  for (guint i = 0; i < n && mixed; i++)
    if (styles[i].family != NULL && styles[i].family[0] != '\0'
        && !g_str_has_prefix (styles[i].name ? styles[i].name : "", styles[i].family))
      {
        char *name = g_strdup_printf ("%s %s", styles[i].family, styles[i].name ? styles[i].name : "Regular");
        g_free (styles[i].name);
        styles[i].name = name;
      }
}

int
zi_run_styles_find (const ZiRunStyle *styles, guint n, const char *name)
{
  g_return_val_if_fail (name != NULL, -1);

  if (!g_utf8_validate (name, -1, NULL))
    return -1;
  for (guint i = 0; styles != NULL && i < n; i++)
    if (styles[i].name != NULL && same_name (styles[i].name, name))
      return (int) i;
  return -1;
}

/* ---- JSON ---- */

void
zi_run_styles_to_json (JsonBuilder *b, const ZiRunStyle *styles, guint n)
{
  g_return_if_fail (b != NULL);

  if (n == 0)
    return;
  json_builder_set_member_name (b, "styles");
  json_builder_begin_array (b);
  for (guint i = 0; i < n; i++)
    {
      json_builder_begin_object (b);
      zi_json_add_string (b, "name", styles[i].name);
      zi_json_add_string (b, "font", styles[i].font);
      zi_json_add_string (b, "path", styles[i].path);
      json_builder_set_member_name (b, "face");
      json_builder_add_int_value (b, styles[i].face);
      zi_json_add_string (b, "hash", styles[i].hash);
      zi_json_add_string (b, "family", styles[i].family);
      json_builder_set_member_name (b, "weight_class");
      json_builder_add_int_value (b, styles[i].weight_class);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
}

ZiRunStylesRead
zi_run_styles_from_json (JsonObject *o, ZiRunStyle **styles, guint *n)
{
  JsonArray *a;
  ZiRunStyle *out;
  guint len;

  g_return_val_if_fail (styles != NULL && n != NULL, ZI_RUN_STYLES_BAD);

  *styles = NULL;
  *n = 0;
  if (o == NULL || !json_object_has_member (o, "styles"))
    return ZI_RUN_STYLES_ABSENT;
  a = zi_json_member_array (o, "styles");
  len = a != NULL ? json_array_get_length (a) : 0;
  if (len == 0 || len > ZI_RUN_MAX_STYLES)
    return ZI_RUN_STYLES_BAD;
  for (guint i = 0; i < len; i++)
    if (!JSON_NODE_HOLDS_OBJECT (json_array_get_element (a, i)))
      return ZI_RUN_STYLES_BAD;

  out = g_new0 (ZiRunStyle, len);
  for (guint i = 0; i < len; i++)
    {
      JsonObject *e = json_array_get_object_element (a, i);

      out[i].name = g_strdup (zi_json_member_string (e, "name", ""));
      out[i].font = g_strdup (zi_json_member_string (e, "font", ""));
      out[i].path = g_strdup (zi_json_member_string (e, "path", ""));
      out[i].face = (int) CLAMP (zi_json_member_int (e, "face", 0), 0, G_MAXINT);
      out[i].hash = g_strdup (zi_json_member_string (e, "hash", ""));
      out[i].family = g_strdup (zi_json_member_string (e, "family", ""));
      out[i].weight_class = (guint) CLAMP (zi_json_member_int (e, "weight_class", 400), 1, 1000);
    }
  zi_run_styles_make_unique (out, len);
  *styles = out;
  *n = len;
  return ZI_RUN_STYLES_READ;
}

/* The font a legacy style's names come from, or NULL: a regular file (a device or a pipe could block
 * or never end), or a fontconfig pattern. */
static ZiFont *
open_legacy_font (const char *spec, const char *path, int face)
{
  if (path != NULL && path[0] != '\0' && g_file_test (path, G_FILE_TEST_IS_REGULAR))
    {
      g_autofree char *with_face = face > 0 ? g_strdup_printf ("%s#%d", path, face) : g_strdup (path);
      return zi_font_open (with_face, NULL);
    }
  if (spec != NULL && spec[0] != '\0')
    {
      g_autofree char *file = g_strdup (spec);
      char *hash = strrchr (file, '#');

      if (strchr (spec, '/') == NULL && strchr (spec, '.') == NULL)
        return zi_font_open (spec, NULL);   /* a fontconfig pattern */
      if (hash != NULL)
        *hash = '\0';
      if (g_file_test (file, G_FILE_TEST_IS_REGULAR))
        return zi_font_open (spec, NULL);
    }
  return NULL;
}

void
zi_run_style_legacy (ZiRunStyle *s, const char *spec, const char *path, int face, const char *hash)
{
  ZiFont *font;

  g_return_if_fail (s != NULL);

  font = open_legacy_font (spec, path, face);
  s->font = g_strdup (spec != NULL ? spec : "");
  s->path = g_strdup (path != NULL ? path : (font != NULL ? zi_font_get_path (font) : ""));
  s->face = face;
  s->hash = g_strdup (hash != NULL ? hash : "");
  if (font != NULL)
    {
      const char *style = zi_font_get_style (font);

      s->name = g_strdup (style != NULL && style[0] != '\0' ? style : "Regular");
      s->family = g_strdup (zi_font_get_family (font) != NULL ? zi_font_get_family (font) : "");
      s->weight_class = zi_font_get_weight_class (font);
      zi_font_free (font);
    }
  else
    {
      s->name = g_strdup ("Regular");
      s->family = g_strdup ("");
      s->weight_class = 400;
    }
}
