/* zi-export-manifest.c — manifest.json of an export: the checkpoints, fonts, charset, formats and
 * trace parameters, and per glyph its QA (contours, holes, tiny contours, ink ratio, bounding box in
 * font units, flags) so that a designer reviews the suspicious glyphs first. */
#include "config.h"
#include "zi-export-private.h"
#include "zi-error.h"
#include "zi-fileutil.h"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#define MANIFEST_FORMAT 1

void
zi_export_manifest_glyph (ZiExportState *ex, const ZiExportGlyph *g, const char *name, const char *origin)
{
  JsonBuilder *b = ex->manifest;
  const ZiOutline *o = g->outline;
  char utf8[8] = { 0 };
  g_autofree char *cp = g_strdup_printf ("U+%04X", g->c);
  gboolean flagged = FALSE;

  g_unichar_to_utf8 (g->c, utf8);
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "char");
  json_builder_add_string_value (b, utf8);
  json_builder_set_member_name (b, "codepoint");
  json_builder_add_string_value (b, cp);
  json_builder_set_member_name (b, "name");
  json_builder_add_string_value (b, name);
  json_builder_set_member_name (b, "checkpoint");
  json_builder_add_string_value (b, origin);
  json_builder_set_member_name (b, "contours");
  json_builder_add_int_value (b, o->n_contours);
  json_builder_set_member_name (b, "holes");
  json_builder_add_int_value (b, g->holes);
  json_builder_set_member_name (b, "tiny_contours");
  json_builder_add_int_value (b, g->tiny);
  json_builder_set_member_name (b, "ink_ratio");
  json_builder_add_double_value (b, round (g->ink_ratio * 10000) / 10000);
  json_builder_set_member_name (b, "bbox");
  if (o->n_contours > 0)
    {
      json_builder_begin_array (b);
      json_builder_add_int_value (b, (gint64) floor (o->x_min));
      json_builder_add_int_value (b, (gint64) floor (o->y_min));
      json_builder_add_int_value (b, (gint64) ceil (o->x_max));
      json_builder_add_int_value (b, (gint64) ceil (o->y_max));
      json_builder_end_array (b);
    }
  else
    json_builder_add_null_value (b);
  json_builder_set_member_name (b, "flags");
  json_builder_begin_array (b);
  if (o->n_contours == 0 || g->ink_ratio < ZI_EXPORT_QA_EMPTY_INK)
    {
      json_builder_add_string_value (b, "empty");
      flagged = TRUE;
    }
  if (g->ink_ratio > ZI_EXPORT_QA_BLOB_INK)
    {
      json_builder_add_string_value (b, "blob");
      flagged = TRUE;
    }
  if (g->tiny > ZI_EXPORT_QA_TINY_COUNT)
    {
      json_builder_add_string_value (b, "specks");
      flagged = TRUE;
    }
  json_builder_end_array (b);
  json_builder_end_object (b);
  ex->summary.flagged += flagged;
}

static void
manifest_font (JsonBuilder *b, const char *member, ZiFont *font)
{
  json_builder_set_member_name (b, member);
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "spec");
  json_builder_add_string_value (b, zi_font_get_spec (font));
  json_builder_set_member_name (b, "path");
  json_builder_add_string_value (b, zi_font_get_path (font));
  json_builder_set_member_name (b, "face");
  json_builder_add_int_value (b, zi_font_get_face_index (font));
  json_builder_set_member_name (b, "family");
  json_builder_add_string_value (b, zi_font_get_family (font));
  json_builder_set_member_name (b, "style");
  json_builder_add_string_value (b, zi_font_get_style (font));
  json_builder_set_member_name (b, "hash");
  json_builder_add_string_value (b, zi_font_get_file_hash (font));
  json_builder_end_object (b);
}

/* Everything but the glyphs, then opens the "glyphs" array. */
void
zi_export_manifest_begin (ZiExportState *ex, const gunichar *chars, guint n)
{
  JsonBuilder *b = ex->manifest;
  const ZiExportOptions *o = ex->options;
  const ZiTraceParams *t = &o->trace;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *created = g_date_time_format_iso8601 (now);
  g_autofree char *text = g_ucs4_to_utf8 (chars, n, NULL, NULL, NULL);

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "format");
  json_builder_add_int_value (b, MANIFEST_FORMAT);
  json_builder_set_member_name (b, "generator");
  json_builder_add_string_value (b, "Zimaru " PACKAGE_VERSION);
  json_builder_set_member_name (b, "created");
  json_builder_add_string_value (b, created);

  json_builder_set_member_name (b, "fonts");
  json_builder_begin_object (b);
  if (ex->source->font != NULL)
    manifest_font (b, "source", ex->source->font);
  manifest_font (b, "target", ex->target);
  json_builder_end_object (b);

  if (o->style_name != NULL)
    {
      /* One style of a family (zi-export-family.c), or a weight blended between two. */
      json_builder_set_member_name (b, "style");
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "name");
      json_builder_add_string_value (b, o->style_name);
      json_builder_set_member_name (b, "weight_class");
      json_builder_add_int_value (b, o->weight_class);
      json_builder_end_object (b);
    }

  json_builder_set_member_name (b, "size");
  json_builder_add_int_value (b, ex->source->size);
  json_builder_set_member_name (b, "em_fraction");
  json_builder_add_double_value (b, ex->source->em_fraction);
  json_builder_set_member_name (b, "units_per_em");
  json_builder_add_int_value (b, ex->metrics.units_per_em);
  json_builder_set_member_name (b, "advance");
  json_builder_add_double_value (b, ex->frame.advance);

  json_builder_set_member_name (b, "charset");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "count");
  json_builder_add_int_value (b, n);
  json_builder_set_member_name (b, "chars");
  json_builder_add_string_value (b, text);
  json_builder_end_object (b);

  json_builder_set_member_name (b, "formats");
  json_builder_begin_array (b);
  if (o->formats & ZI_EXPORT_FORMAT_PNG)
    json_builder_add_string_value (b, "png");
  if (o->formats & ZI_EXPORT_FORMAT_SVG)
    json_builder_add_string_value (b, "svg");
  if (o->formats & ZI_EXPORT_FORMAT_UFO)
    json_builder_add_string_value (b, "ufo");
  json_builder_end_array (b);
  if (ex->ufo_name != NULL)
    {
      json_builder_set_member_name (b, "ufo");
      json_builder_add_string_value (b, ex->ufo_name);
    }
  if (o->formats & ZI_EXPORT_FORMAT_PNG)
    {
      json_builder_set_member_name (b, "png");
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "size");
      json_builder_add_int_value (b, o->png_size ? o->png_size : ex->source->size);
      json_builder_set_member_name (b, "one_bit");
      json_builder_add_boolean_value (b, o->png_1bit);
      json_builder_end_object (b);
    }

  json_builder_set_member_name (b, "trace");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "engine");
  json_builder_add_string_value (b, zi_trace_engine_version ());
  json_builder_set_member_name (b, "preset");
  json_builder_add_string_value (b, zi_trace_preset_to_string (t->preset));
  json_builder_set_member_name (b, "threshold");
  json_builder_add_int_value (b, t->threshold);
  json_builder_set_member_name (b, "upsample");
  json_builder_add_int_value (b, t->upsample);
  json_builder_set_member_name (b, "smooth");
  json_builder_add_double_value (b, t->smooth);
  json_builder_set_member_name (b, "turdsize");
  json_builder_add_int_value (b, t->turdsize);
  json_builder_set_member_name (b, "alphamax");
  json_builder_add_double_value (b, t->alphamax);
  json_builder_set_member_name (b, "opttolerance");
  json_builder_add_double_value (b, t->opttolerance);
  json_builder_set_member_name (b, "fit_tolerance");
  json_builder_add_double_value (b, t->tolerance);
  json_builder_end_object (b);

  json_builder_set_member_name (b, "qa");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "empty_ink_below");
  json_builder_add_double_value (b, ZI_EXPORT_QA_EMPTY_INK);
  json_builder_set_member_name (b, "blob_ink_above");
  json_builder_add_double_value (b, ZI_EXPORT_QA_BLOB_INK);
  json_builder_set_member_name (b, "tiny_contour_pixels");
  json_builder_add_double_value (b, ZI_EXPORT_QA_TINY_AREA);
  json_builder_set_member_name (b, "specks_above");
  json_builder_add_int_value (b, ZI_EXPORT_QA_TINY_COUNT);
  json_builder_end_object (b);

  json_builder_set_member_name (b, "glyphs");
  json_builder_begin_array (b);
}

char *
zi_export_manifest_finish (ZiExportState *ex, gsize *len)
{
  JsonBuilder *b = ex->manifest;
  g_autoptr(JsonGenerator) gen = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  char *text;

  json_builder_end_array (b);

  json_builder_set_member_name (b, "checkpoints");
  json_builder_begin_array (b);
  if (ex->source->describe != NULL)
    ex->source->describe (ex->source->user_data, b, ex->used);
  else
    {
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "name");
      json_builder_add_string_value (b, ex->source->description);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);

  json_builder_set_member_name (b, "skipped");
  json_builder_begin_array (b);
  for (guint i = 0; i < ex->skipped->len; i++)
    json_builder_add_string_value (b, g_ptr_array_index (ex->skipped, i));
  json_builder_end_array (b);

  json_builder_set_member_name (b, "summary");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "exported");
  json_builder_add_int_value (b, ex->summary.exported);
  json_builder_set_member_name (b, "skipped");
  json_builder_add_int_value (b, ex->summary.skipped);
  json_builder_set_member_name (b, "flagged");
  json_builder_add_int_value (b, ex->summary.flagged);
  json_builder_end_object (b);
  json_builder_end_object (b);

  root = json_builder_get_root (b);
  json_generator_set_root (gen, root);
  json_generator_set_pretty (gen, TRUE);
  text = zi_json_repair_exponents (json_generator_to_data (gen, NULL));
  *len = strlen (text);
  return text;
}

gboolean
zi_export_manifest_add_interpolation (const char *path, GHashTable *results, GHashTable *references,
                                      guint compatible, guint glyphs, const char *designspace,
                                      GError **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(JsonGenerator) gen = json_generator_new ();
  g_autoptr(GError) local = NULL;
  g_autofree char *text = NULL;
  JsonObject *root, *summary, *interp;
  JsonArray *list;

  if (!json_parser_load_from_file (parser, path, &local)
      || !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    {
      g_set_error (error, ZI_ERROR, ZI_ERROR_IO, _("Cannot write %s: %s"), path,
                   local != NULL ? local->message : "not a JSON object");
      return FALSE;
    }
  root = json_node_get_object (json_parser_get_root (parser));
  list = json_object_get_array_member (root, "glyphs");
  for (guint i = 0; list != NULL && i < json_array_get_length (list); i++)
    {
      JsonObject *g = json_array_get_object_element (list, i);
      const char *cp = json_object_get_string_member_with_default (g, "codepoint", "");
      const char *result = g_hash_table_lookup (results, cp);
      const char *reference = g_hash_table_lookup (references, cp);

      if (result == NULL)
        continue;
      json_object_set_string_member (g, "interpolation", result);
      if (reference != NULL)
        json_object_set_string_member (g, "reference", reference);
    }
  summary = json_object_get_object_member (root, "summary");
  if (summary != NULL)
    json_object_set_int_member (summary, "compatible", compatible);
  interp = json_object_new ();
  json_object_set_int_member (interp, "glyphs", glyphs);
  json_object_set_int_member (interp, "compatible", compatible);
  json_object_set_double_member (interp, "share",
                                 glyphs > 0 ? round (10000.0 * compatible / glyphs) / 10000 : 0);
  if (designspace != NULL)
    json_object_set_string_member (interp, "designspace", designspace);
  else
    json_object_set_null_member (interp, "designspace");
  json_object_set_object_member (root, "interpolation", interp);

  json_generator_set_root (gen, json_parser_get_root (parser));
  json_generator_set_pretty (gen, TRUE);
  text = zi_json_repair_exponents (json_generator_to_data (gen, NULL));
  /* Replaced by a rename (no fsync: the export syncs its whole folder once at the end). */
  if (!g_file_set_contents_full (path, text, -1, G_FILE_SET_CONTENTS_CONSISTENT, 0644, &local))
    {
      g_set_error (error, ZI_ERROR, ZI_ERROR_IO, _("Cannot write %s: %s"), path, local->message);
      return FALSE;
    }
  return TRUE;
}
