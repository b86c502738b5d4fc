/* zi-trainer-config-styles.c — the target styles of the trainer's configuration: several target fonts
 * trained in one model (each a style of the generator's embedding), how the batches share them out,
 * their checks and their part of run.json's "config" ("target_fonts", "style_ratio"). */
#include "config.h"
#include "zi-trainer-config-private.h"
#include "zi-error.h"
#include "zi-range.h"
#include "zi-run.h"

#include <glib/gi18n.h>

void
zi_trainer_config_set_targets (ZiTrainerConfig *cfg, const char *const *specs, guint n)
{
  g_return_if_fail (cfg != NULL);
  g_return_if_fail (specs != NULL && n >= 1);

  g_strfreev (cfg->target_fonts);
  cfg->target_fonts = g_new0 (char *, n + 1);
  for (guint i = 0; i < n; i++)
    cfg->target_fonts[i] = g_strdup (specs[i]);
  cfg->n_targets = n;
  g_free (cfg->target_font);
  cfg->target_font = g_strdup (specs[0]);
  g_clear_pointer (&cfg->style_weights, g_free);
  if (cfg->style_ratio == ZI_STYLE_RATIO_WEIGHTS)
    cfg->style_ratio = ZI_STYLE_RATIO_EQUAL;
  cfg->net.n_styles = (int) n;
  if (n > 1)
    cfg->net.embed_dim = ZI_TRAINER_EMBED_DIM_DEFAULT;
}

guint
zi_trainer_config_get_n_targets (const ZiTrainerConfig *cfg)
{
  g_return_val_if_fail (cfg != NULL, 1);

  return MAX (cfg->n_targets, 1);
}

const char *
zi_trainer_config_get_target (const ZiTrainerConfig *cfg, guint i)
{
  g_return_val_if_fail (cfg != NULL, NULL);
  g_return_val_if_fail (i < zi_trainer_config_get_n_targets (cfg), NULL);

  return cfg->n_targets > 0 ? cfg->target_fonts[i] : cfg->target_font;
}

gboolean
zi_trainer_config_set_style_ratio (ZiTrainerConfig *cfg, const char *text, GError **error)
{
  guint n;
  g_auto(GStrv) parts = NULL;
  g_autofree double *weights = NULL;

  g_return_val_if_fail (cfg != NULL, FALSE);
  g_return_val_if_fail (text != NULL, FALSE);

  if (g_ascii_strcasecmp (text, "equal") == 0 || g_ascii_strcasecmp (text, "pairs") == 0)
    {
      cfg->style_ratio = g_ascii_strcasecmp (text, "equal") == 0 ? ZI_STYLE_RATIO_EQUAL : ZI_STYLE_RATIO_PAIRS;
      g_clear_pointer (&cfg->style_weights, g_free);
      return TRUE;
    }
  n = zi_trainer_config_get_n_targets (cfg);
  parts = g_strsplit (text, ",", -1);
  weights = g_new (double, n);
  for (guint i = 0; parts[i] != NULL; i++)
    {
      char *end = NULL;
      double w = g_ascii_strtod (g_strstrip (parts[i]), &end);

      if (i >= n || end == parts[i] || *end != '\0' || !zi_in_range (w, 0.0, 1e6, ZI_RANGE_OPEN_LOW))
        break;
      weights[i] = w;
      if (parts[i + 1] == NULL && i + 1 == n)
        {
          g_free (cfg->style_weights);
          cfg->style_weights = g_steal_pointer (&weights);
          cfg->style_ratio = ZI_STYLE_RATIO_WEIGHTS;
          return TRUE;
        }
    }
  g_set_error (error, ZI_ERROR, ZI_ERROR_INVALID,
               _("--style-ratio '%s' is not equal, pairs or %u comma-separated weights above 0 (one per "
                 "target style)"), text, n);
  return FALSE;
}

void
zi_trainer_config_style_shares (const ZiTrainerConfig *cfg, const guint *train_pairs, double *shares)
{
  guint n;
  double total = 0.0;

  g_return_if_fail (cfg != NULL && shares != NULL);

  n = zi_trainer_config_get_n_targets (cfg);
  for (guint i = 0; i < n; i++)
    {
      if (cfg->style_ratio == ZI_STYLE_RATIO_PAIRS && train_pairs != NULL)
        shares[i] = train_pairs[i];
      else if (cfg->style_ratio == ZI_STYLE_RATIO_WEIGHTS && cfg->style_weights != NULL)
        shares[i] = cfg->style_weights[i];
      else
        shares[i] = 1.0;
      total += shares[i];
    }
  for (guint i = 0; i < n; i++)
    shares[i] = total > 0 ? shares[i] / total : 1.0 / n;
}

gboolean
zi_trainer_config_validate_targets (const ZiTrainerConfig *cfg, GError **error)
{
  guint n = zi_trainer_config_get_n_targets (cfg);

  if (cfg->n_targets > ZI_RUN_MAX_STYLES)
    {
      g_set_error (error, ZI_ERROR, ZI_ERROR_INVALID,
                   _("%u target fonts are too many for one model; give at most %d."), cfg->n_targets,
                   ZI_RUN_MAX_STYLES);
      return FALSE;
    }
  for (guint i = 0; i < cfg->n_targets; i++)
    for (guint j = 0; j < i; j++)
      if (g_strcmp0 (cfg->target_fonts[i], cfg->target_fonts[j]) == 0)
        {
          g_set_error (error, ZI_ERROR, ZI_ERROR_INVALID, _("--target given twice: %s"), cfg->target_fonts[i]);
          return FALSE;
        }
  if (cfg->net.n_styles != (int) n || (n > 1 && cfg->net.embed_dim < 1))
    {
      g_set_error (error, ZI_ERROR, ZI_ERROR_INVALID,
                   _("The model has %d styles but the run has %u target fonts; set the targets with "
                     "--target or --target-family."), cfg->net.n_styles, n);
      return FALSE;
    }
  if (cfg->style_ratio == ZI_STYLE_RATIO_WEIGHTS)
    for (guint i = 0; i < n; i++)
      if (cfg->style_weights == NULL || cfg->n_targets != n
          || !zi_in_range (cfg->style_weights[i], 0.0, 1e6, ZI_RANGE_OPEN_LOW))
        {
          g_set_error (error, ZI_ERROR, ZI_ERROR_INVALID,
                       _("The style ratio needs one weight above 0 (at most 1e6) for each of the %u target "
                         "styles."), n);
          return FALSE;
        }
  return TRUE;
}

void
zi_trainer_config_targets_to_json (JsonBuilder *b, const ZiTrainerConfig *cfg)
{
  /* Only with several styles, so that a one-style run's configuration reads as before. */
  if (cfg->n_targets <= 1)
    return;
  json_builder_set_member_name (b, "target_fonts");
  json_builder_begin_array (b);
  for (guint i = 0; i < cfg->n_targets; i++)
    json_builder_add_string_value (b, cfg->target_fonts[i]);
  json_builder_end_array (b);
  json_builder_set_member_name (b, "style_ratio");
  if (cfg->style_ratio == ZI_STYLE_RATIO_WEIGHTS)
    {
      json_builder_begin_array (b);
      for (guint i = 0; i < cfg->n_targets; i++)
        json_builder_add_double_value (b, cfg->style_weights[i]);
      json_builder_end_array (b);
    }
  else
    json_builder_add_string_value (b, cfg->style_ratio == ZI_STYLE_RATIO_PAIRS ? "pairs" : "equal");
}

/* The network's n_styles and embed_dim are read after these, as stored. */
gboolean
zi_trainer_config_targets_from_json (JsonObject *o, ZiTrainerConfig *cfg)
{
  JsonNode *list = json_object_get_member (o, "target_fonts");
  JsonNode *ratio = json_object_get_member (o, "style_ratio");
  g_autoptr(GPtrArray) specs = g_ptr_array_new ();
  JsonArray *a;
  guint n;

  if (list == NULL)
    return TRUE;
  if (!JSON_NODE_HOLDS_ARRAY (list))
    return FALSE;
  a = json_node_get_array (list);
  n = json_array_get_length (a);
  if (n == 0 || n > ZI_RUN_MAX_STYLES)
    return FALSE;
  for (guint i = 0; i < n; i++)
    {
      JsonNode *e = json_array_get_element (a, i);
      if (json_node_get_value_type (e) != G_TYPE_STRING || !g_utf8_validate (json_node_get_string (e), -1, NULL))
        return FALSE;
      g_ptr_array_add (specs, (gpointer) json_node_get_string (e));
    }
  zi_trainer_config_set_targets (cfg, (const char *const *) specs->pdata, n);
  if (ratio == NULL)
    return TRUE;
  if (json_node_get_value_type (ratio) == G_TYPE_STRING)
    return zi_trainer_config_set_style_ratio (cfg, json_node_get_string (ratio), NULL)
           && cfg->style_ratio != ZI_STYLE_RATIO_WEIGHTS;
  if (!JSON_NODE_HOLDS_ARRAY (ratio) || json_array_get_length (json_node_get_array (ratio)) != n)
    return FALSE;
  cfg->style_ratio = ZI_STYLE_RATIO_WEIGHTS;
  cfg->style_weights = g_new (double, n);
  for (guint i = 0; i < n; i++)
    {
      JsonNode *e = json_array_get_element (json_node_get_array (ratio), i);
      if (JSON_NODE_TYPE (e) != JSON_NODE_VALUE)
        return FALSE;
      cfg->style_weights[i] = json_node_get_double (e);
    }
  return TRUE;
}
