/* cli-info.c — `zimaru-cli info FONT [--json]`: names, faces, glyph count, metrics, the ideographic em
 * box and coverage per Unicode block of one font. */
#include "config.h"
#include "cli-common.h"
#include "zi-blocks.h"
#include "zi-font.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <stdio.h>

typedef struct {
  const ZiBlock *block;  /* NULL for code points outside the table */
  guint          covered;
} BlockCount;

/* Covered characters per block, in block order, only the blocks the font touches. */
static GArray *
count_blocks (ZiFont *font, guint *n_mapped, guint *n_covered)
{
  g_autoptr(GArray) unicodes = g_array_new (FALSE, FALSE, sizeof (gunichar));
  GArray *counts = g_array_new (FALSE, TRUE, sizeof (BlockCount));
  BlockCount other = { NULL, 0 };
  const ZiBlock *current = NULL;

  zi_font_collect_unicodes (font, unicodes);
  *n_mapped = unicodes->len;
  *n_covered = 0;
  for (guint i = 0; i < unicodes->len; i++)
    {
      gunichar c = g_array_index (unicodes, gunichar, i);
      const ZiBlock *block;

      if (!zi_font_has_char (font, c))
        continue;
      (*n_covered)++;
      block = zi_block_for_char (c);
      if (block == NULL)
        {
          other.covered++;
          continue;
        }
      /* The code points come in ascending order, so a block's characters are consecutive. */
      if (block != current)
        {
          BlockCount entry = { block, 0 };
          g_array_append_val (counts, entry);
          current = block;
        }
      g_array_index (counts, BlockCount, counts->len - 1).covered++;
    }
  if (other.covered > 0)
    g_array_append_val (counts, other);
  return counts;
}

static GPtrArray *
face_names (ZiFont *font)
{
  GPtrArray *names = g_ptr_array_new_with_free_func (g_free);

  for (int i = 0; i < zi_font_get_face_count (font); i++)
    {
      g_autofree char *spec = g_strdup_printf ("%s#%d", zi_font_get_path (font), i);
      ZiFont *face = zi_font_open (spec, NULL);
      if (face != NULL)
        {
          g_ptr_array_add (names, g_strdup_printf ("%s %s", zi_font_get_family (face), zi_font_get_style (face)));
          zi_font_free (face);
        }
      else
        g_ptr_array_add (names, g_strdup (_("(unreadable)")));
    }
  return names;
}

static void
print_json (ZiFont *font, const ZiFontMetrics *m, GPtrArray *faces, GArray *counts, guint n_mapped,
            guint n_covered)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  json_builder_begin_object (b);
  zi_cli_json_string (b, "path", zi_font_get_path (font));
  zi_cli_json_int (b, "face_index", zi_font_get_face_index (font));
  json_builder_set_member_name (b, "faces");
  json_builder_begin_array (b);
  for (guint i = 0; i < faces->len; i++)
    json_builder_add_string_value (b, g_ptr_array_index (faces, i));
  json_builder_end_array (b);
  zi_cli_json_string (b, "family", zi_font_get_family (font));
  zi_cli_json_string (b, "style", zi_font_get_style (font));
  zi_cli_json_int (b, "glyph_count", zi_font_get_glyph_count (font));
  zi_cli_json_int (b, "code_points", n_mapped);
  zi_cli_json_int (b, "covered_characters", n_covered);
  zi_cli_json_string (b, "file_sha256", zi_font_get_file_hash (font));

  json_builder_set_member_name (b, "metrics");
  json_builder_begin_object (b);
#define INT_MEMBER(name) zi_cli_json_int (b, #name, m->name)
  INT_MEMBER (units_per_em);
  INT_MEMBER (ascender);
  INT_MEMBER (descender);
  INT_MEMBER (typo_ascender);
  INT_MEMBER (typo_descender);
  INT_MEMBER (typo_line_gap);
  INT_MEMBER (win_ascent);
  INT_MEMBER (win_descent);
  INT_MEMBER (cap_height);
  INT_MEMBER (x_height);
  INT_MEMBER (ideo_advance);
#undef INT_MEMBER
  json_builder_end_object (b);

  json_builder_set_member_name (b, "em_box");
  json_builder_begin_object (b);
  zi_cli_json_int (b, "bottom", m->ideo_bottom);
  zi_cli_json_int (b, "top", m->ideo_top);
  zi_cli_json_int (b, "left", m->ideo_left);
  zi_cli_json_int (b, "right", m->ideo_right);
  zi_cli_json_string (b, "source", m->ideo_from_base ? "BASE" : "OS/2");
  json_builder_end_object (b);

  json_builder_set_member_name (b, "coverage");
  json_builder_begin_array (b);
  for (guint i = 0; i < counts->len; i++)
    {
      const BlockCount *c = &g_array_index (counts, BlockCount, i);
      json_builder_begin_object (b);
      zi_cli_json_string (b, "block", c->block != NULL ? c->block->name : "Other");
      if (c->block != NULL)
        {
          g_autofree char *first = g_strdup_printf ("U+%04X", c->block->first);
          g_autofree char *last = g_strdup_printf ("U+%04X", c->block->last);
          zi_cli_json_string (b, "first", first);
          zi_cli_json_string (b, "last", last);
          zi_cli_json_int (b, "size", c->block->last - c->block->first + 1);
        }
      zi_cli_json_int (b, "covered", c->covered);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_end_object (b);
  zi_cli_json_print (b);
}

static void
print_prose (ZiFont *font, const ZiFontMetrics *m, GPtrArray *faces, GArray *counts, guint n_mapped,
             guint n_covered)
{
  printf (_("File:          %s (face #%d)\n"), zi_font_get_path (font), zi_font_get_face_index (font));
  printf (_("Family:        %s\n"), zi_font_get_family (font));
  printf (_("Style:         %s\n"), zi_font_get_style (font));
  printf (_("Faces in file: %u\n"), faces->len);
  if (faces->len > 1)
    for (guint i = 0; i < faces->len; i++)
      printf ("  #%u %s\n", i, (const char *) g_ptr_array_index (faces, i));
  printf (_("Glyphs:        %u\n"), zi_font_get_glyph_count (font));
  printf (_("Code points:   %u mapped, %u with an outline\n"), n_mapped, n_covered);
  printf (_("Units per em:  %d\n"), m->units_per_em);
  printf (_("hhea:          ascender %d, descender %d\n"), m->ascender, m->descender);
  printf (_("OS/2 typo:     ascender %d, descender %d, line gap %d\n"), m->typo_ascender,
          m->typo_descender, m->typo_line_gap);
  printf (_("OS/2 win:      ascent %d, descent %d\n"), m->win_ascent, m->win_descent);
  printf (_("Cap/x height:  %d / %d\n"), m->cap_height, m->x_height);
  printf (_("Em box:        y %d…%d, x %d…%d (%s)\n"), m->ideo_bottom, m->ideo_top, m->ideo_left,
          m->ideo_right, m->ideo_from_base ? _("BASE table") : _("OS/2 typo metrics"));
  printf (_("Coverage per Unicode block:\n"));
  for (guint i = 0; i < counts->len; i++)
    {
      const BlockCount *c = &g_array_index (counts, BlockCount, i);
      /* Padded by display width: "Other" is translated, into CJK for some languages. */
      g_autofree char *name = zi_cli_pad (c->block != NULL ? c->block->name : _("Other"), 42);

      if (c->block != NULL)
        printf ("  %s U+%04X–%04X %6u / %u\n", name, c->block->first, c->block->last, c->covered,
                c->block->last - c->block->first + 1);
      else
        printf ("  %s %19s %6u\n", name, "", c->covered);
    }
}

int
zi_cli_info (int argc, char **argv)
{
  gboolean json = FALSE;
  GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print one JSON object instead of prose"), NULL },
    { NULL }
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) counts = NULL;
  g_autoptr(GPtrArray) faces = NULL;
  ZiFontMetrics metrics;
  ZiFont *font;
  guint n_mapped, n_covered;
  int code;

  if (!zi_cli_parse (&argc, &argv, "info", "FONT",
                     _("Describe a font: names, faces, glyph count, metrics, the ideographic em box and "
                       "coverage per Unicode block. FONT is a file (path#N for a face of a collection) or "
                       "a fontconfig pattern such as \"Zen Maru Gothic\"."),
                     entries, &code))
    return code;
  if (argc != 2)
    return zi_cli_usage_error ("%s", argc < 2 ? _("info needs a FONT (see 'zimaru-cli info --help')")
                                              : _("info takes one FONT (see 'zimaru-cli info --help')"));

  font = zi_font_open (argv[1], &error);
  if (font == NULL)
    return zi_cli_fail (error);

  zi_font_get_metrics (font, &metrics);
  faces = face_names (font);
  counts = count_blocks (font, &n_mapped, &n_covered);
  if (json)
    print_json (font, &metrics, faces, counts, n_mapped, n_covered);
  else
    print_prose (font, &metrics, faces, counts, n_mapped, n_covered);
  zi_font_free (font);
  return ZI_EXIT_OK;
}
