/* cli-charset.c — `zimaru-cli charset [--source F] [--target F] --set shared|missing|source|target
 * [--block cjk|kana|latin|all]`: prints a character set of a font pair, one character per line, in
 * code-point order. */
#include "config.h"
#include "cli-common.h"
#include "zi-charset.h"
#include "zi-error.h"
#include "zi-font.h"

#include <glib/gi18n.h>
#include <stdio.h>

static const char *
block_description (ZiBlockFilter block)
{
  switch (block)
    {
    case ZI_BLOCK_CJK:
      return _("CJK ideographs (U+4E00–9FFF)");
    case ZI_BLOCK_KANA:
      return _("kana");
    case ZI_BLOCK_LATIN:
      return _("Latin letters or digits");
    case ZI_BLOCK_ALL:
    default:
      return _("characters with outlines");
    }
}

/* A font that has nothing of the block at all is almost certainly the wrong font (a Latin font given
 * as a CJK source); say so instead of printing an empty set. */
static gboolean
check_font_has_block (ZiFont *font, ZiBlockFilter block, GError **error)
{
  g_autoptr(GArray) own = zi_charset_compute (font, font, ZI_CHARSET_SOURCE, block);

  if (own->len > 0)
    return TRUE;
  g_set_error (error, ZI_ERROR, ZI_ERROR_FONT, _("Font “%s” has no %s; choose a font that has them"),
               zi_font_get_path (font), block_description (block));
  return FALSE;
}

int
zi_cli_charset (int argc, char **argv)
{
  g_autofree char *source_spec = NULL;
  g_autofree char *target_spec = NULL;
  g_autofree char *set_name = NULL;
  g_autofree char *block_name = NULL;
  gboolean count_only = FALSE;
  GOptionEntry entries[] = {
    { "source", 0, 0, G_OPTION_ARG_STRING, &source_spec,
      N_("Source font (file, file#N or fontconfig pattern; default \"Noto Sans CJK TC\")"), N_("FONT") },
    { "target", 0, 0, G_OPTION_ARG_STRING, &target_spec,
      N_("Target font (default \"Zen Maru Gothic\")"), N_("FONT") },
    { "set", 0, 0, G_OPTION_ARG_STRING, &set_name,
      N_("Which set: shared, missing (in source, not in target), source or target"), N_("SET") },
    { "block", 0, 0, G_OPTION_ARG_STRING, &block_name,
      N_("Keep only cjk (U+4E00–9FFF), kana, latin or all (default)"), N_("BLOCK") },
    { "count", 0, 0, G_OPTION_ARG_NONE, &count_only, N_("Print only the number of characters"), NULL },
    { NULL }
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) set = NULL;
  g_autoptr(GString) out = g_string_new (NULL);
  ZiCharsetKind kind;
  ZiBlockFilter block = ZI_BLOCK_ALL;
  ZiFont *source = NULL;
  ZiFont *target = NULL;
  int code;

  if (!zi_cli_parse (&argc, &argv, "charset", NULL,
                     _("Print a character set of a font pair, one character per line in code-point "
                       "order. Characters count only when their glyph has an outline."),
                     entries, &code))
    return code;
  if (set_name == NULL)
    return zi_cli_usage_error (_("--set is required: shared, missing, source or target"));
  if (!zi_charset_kind_from_string (set_name, &kind))
    return zi_cli_usage_error (_("--set '%s' is not one of shared, missing, source, target"), set_name);
  if (block_name != NULL && !zi_block_filter_from_string (block_name, &block))
    return zi_cli_usage_error (_("--block '%s' is not one of cjk, kana, latin, all"), block_name);

  if (kind != ZI_CHARSET_TARGET)
    {
      source = zi_font_open (source_spec != NULL ? source_spec : ZI_DEFAULT_SOURCE_FONT, &error);
      if (source == NULL)
        return zi_cli_fail (error);
    }
  if (kind != ZI_CHARSET_SOURCE)
    {
      target = zi_font_open (target_spec != NULL ? target_spec : ZI_DEFAULT_TARGET_FONT, &error);
      if (target == NULL)
        goto fail;
    }

  if ((kind != ZI_CHARSET_TARGET && !check_font_has_block (source, block, &error)) ||
      ((kind == ZI_CHARSET_SHARED || kind == ZI_CHARSET_TARGET) && !check_font_has_block (target, block, &error)))
    goto fail;

  set = zi_charset_compute (source, target, kind, block);
  if (count_only)
    g_string_append_printf (out, "%u\n", set->len);
  else
    for (guint i = 0; i < set->len; i++)
      {
        g_string_append_unichar (out, g_array_index (set, gunichar, i));
        g_string_append_c (out, '\n');
      }
  fwrite (out->str, 1, out->len, stdout);
  zi_font_free (source);
  zi_font_free (target);
  return ZI_EXIT_OK;

fail:
  zi_font_free (source);
  zi_font_free (target);
  return zi_cli_fail (error);
}
