/* cli-style.c — --style and --weight of generate, eval and export (cli-style.h). */
#include "config.h"
#include "cli-style.h"
#include "cli-common.h"
#include "zi-error.h"
#include "zi-range.h"

#include <math.h>

void
zi_cli_style_init (ZiCliStyle *opts)
{
  opts->style = NULL;
  opts->weight = ZI_CLI_UNSET;
}

void
zi_cli_style_clear (ZiCliStyle *opts)
{
  g_clear_pointer (&opts->style, g_free);
}

gboolean
zi_cli_style_is_all (const ZiCliStyle *opts)
{
  return opts->style != NULL && g_ascii_strcasecmp (opts->style, "all") == 0;
}

gboolean
zi_cli_style_given (const ZiCliStyle *opts)
{
  return opts->style != NULL || ZI_CLI_GIVEN (opts->weight);
}

gboolean
zi_cli_style_check (const ZiCliStyle *opts, gboolean allow_all)
{
  if (opts->style != NULL && ZI_CLI_GIVEN (opts->weight))
    {
      zi_cli_usage_error (_("--style and --weight cannot be combined; give one of them"));
      return FALSE;
    }
  if (ZI_CLI_GIVEN (opts->weight))
    {
      g_autoptr(GError) error = NULL;

      /* OS/2's usWeightClass range; the model's own range is checked once it is loaded. */
      if (!zi_check_range (opts->weight, 1.0, 1000.0, ZI_RANGE_CLOSED, "--weight", &error))
        {
          zi_cli_usage_error ("%s", error->message);
          return FALSE;
        }
    }
  if (opts->style != NULL && g_strstrip (opts->style)[0] == '\0')
    {
      zi_cli_usage_error (_("--style is empty; give a style name of the model, or all"));
      return FALSE;
    }
  if (!allow_all && zi_cli_style_is_all (opts))
    {
      zi_cli_usage_error (_("--style all is not possible here; give one style name"));
      return FALSE;
    }
  return TRUE;
}

static void
selection_clear (gpointer data)
{
  g_free (((ZiCliSelection *) data)->name);
}

static void
add_style (GArray *out, ZiModel *model, guint index)
{
  const ZiRunStyle *s = zi_model_get_style (model, index);
  ZiCliSelection sel = { (int) index, s->weight_class, g_strdup (s->name) };

  g_array_append_val (out, sel);
}

GArray *
zi_cli_style_resolve (const ZiCliStyle *opts, ZiModel *model, GError **error)
{
  g_autoptr(GArray) out = g_array_new (FALSE, FALSE, sizeof (ZiCliSelection));

  g_array_set_clear_func (out, selection_clear);
  if (zi_cli_style_is_all (opts))
    for (guint i = 0; i < zi_model_get_n_styles (model); i++)
      add_style (out, model, i);
  else if (opts->style != NULL)
    {
      /* Checked here for its message, which names the model's styles. */
      if (!zi_model_set_style_name (model, opts->style, error))
        return NULL;
      add_style (out, model, (guint) zi_model_find_style (model, opts->style));
    }
  else if (ZI_CLI_GIVEN (opts->weight))
    {
      ZiCliSelection sel = { -1, opts->weight, g_strdup_printf ("W%g", opts->weight) };

      if (!zi_model_set_weight (model, opts->weight, error))
        return NULL;
      g_array_append_val (out, sel);
    }
  else
    add_style (out, model, 0);
  return g_steal_pointer (&out);
}

gboolean
zi_cli_style_apply (ZiModel *model, const ZiCliSelection *sel, GError **error)
{
  if (sel->style >= 0)
    return zi_model_set_style (model, (guint) sel->style);
  return zi_model_set_weight (model, sel->weight, error);
}

const char *
zi_cli_style_font (ZiModel *model, const ZiCliSelection *sel)
{
  guint index = sel->style >= 0 ? (guint) sel->style : zi_model_get_current_style (model, NULL, NULL);
  const ZiRunStyle *s = index < zi_model_get_n_styles (model) ? zi_model_get_style (model, index) : NULL;

  if (s != NULL && s->font != NULL && *s->font)
    return s->font;
  return zi_model_get_target_font (model) != NULL ? zi_model_get_target_font (model)
                                                  : ZI_DEFAULT_TARGET_FONT;
}
