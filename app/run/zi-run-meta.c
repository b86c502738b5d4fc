/* zi-run-meta.c — the checkpoint metadata (zi-run.h's ZiCheckpointMeta): the JSON blob the trainer
 * stores in each checkpoint, which makes a checkpoint file usable on its own (fonts, target styles,
 * placement, representation) and resumable (data position, clock, learning-rate state, best score). */
#include "config.h"
#include "zi-run.h"
#include "zi-error.h"
#include "zi-fileutil.h"
#include "zi-json.h"
#include "zi-render.h"
#include "zi-representation.h"
#include "nn-gemm.h"
#include "zi-run-styles.h"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

void
zi_checkpoint_meta_init (ZiCheckpointMeta *meta)
{
  g_return_if_fail (meta != NULL);

  memset (meta, 0, sizeof *meta);
  meta->em_fraction = 0.86;
  meta->field_spread = ZI_FIELD_SPREAD_DEFAULT;
  meta->lr_scale = 1.0;
  meta->plateau_factor = 1.0;
  meta->plateau_best = INFINITY;
}

void
zi_checkpoint_meta_clear (ZiCheckpointMeta *meta)
{
  g_return_if_fail (meta != NULL);

  g_free (meta->source_font);
  g_free (meta->target_font);
  zi_run_styles_free (meta->styles, meta->n_styles);
  zi_checkpoint_meta_init (meta);
}

char *
zi_checkpoint_meta_to_json (const ZiCheckpointMeta *m)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  g_return_val_if_fail (m != NULL, NULL);

  json_builder_begin_object (b);
  zi_json_add_string (b, "format", "zimaru-checkpoint");
  zi_json_add_int (b, "format_version", ZI_RUN_FORMAT_VERSION);
  zi_json_add_string (b, "source_font", m->source_font);
  zi_json_add_string (b, "target_font", m->target_font);
  zi_run_styles_to_json (b, m->styles, m->n_styles);
  zi_json_add_double (b, "em_fraction", m->em_fraction);
  zi_json_add_int (b, "size", m->size);
  zi_representation_to_json (b, m->representation, m->field_spread);
  zi_json_add_string (b, "precision", nn_precision_name (m->precision));
  zi_json_add_int (b, "images", (gint64) m->images);
  zi_json_add_double (b, "seconds", m->seconds);
  zi_json_add_double (b, "lr_g", m->lr_g);
  zi_json_add_double (b, "lr_d", m->lr_d);
  zi_json_add_double (b, "lr_scale", m->lr_scale);
  zi_json_add_double (b, "plateau_factor", m->plateau_factor);
  zi_json_add_double (b, "plateau_best", m->plateau_best);   /* +inf (no validation yet) becomes null */
  zi_json_add_int (b, "plateau_bad", m->plateau_bad);
  if (m->has_best)
    {
      zi_json_add_int (b, "best_step", (gint64) m->best_step);
      zi_json_add_double (b, "best_ssim", m->best_ssim);
    }
  if (m->has_val)
    {
      zi_json_add_double (b, "val_l1", m->val_l1);
      zi_json_add_double (b, "val_ssim", m->val_ssim);
      zi_json_add_double (b, "val_iou", m->val_iou);
    }
  if (m->has_baseline)
    {
      zi_json_add_double (b, "base_l1", m->base_l1);
      zi_json_add_double (b, "base_ssim", m->base_ssim);
      zi_json_add_double (b, "base_iou", m->base_iou);
    }
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  return zi_json_repair_exponents (json_to_string (root, FALSE));
}

gboolean
zi_checkpoint_meta_from_json (ZiCheckpointMeta *m, const char *json, GError **error)
{
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) local = NULL;
  JsonObject *o;

  g_return_val_if_fail (m != NULL, FALSE);

  zi_checkpoint_meta_init (m);
  if (json == NULL)
    {
      m->styles = g_new0 (ZiRunStyle, 1);
      m->n_styles = 1;
      zi_run_style_legacy (&m->styles[0], NULL, NULL, 0, NULL);
      return TRUE;
    }
  root = zi_json_parse_one (json, &local);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_autofree char *why = g_utf8_make_valid (local ? local->message : "", -1);
      g_set_error (error, ZI_ERROR, ZI_ERROR_CHECKPOINT,
                   _("The checkpoint's metadata is not a JSON object (%s)."), why);
      return FALSE;
    }
  o = json_node_get_object (root);
  /* First, so that nothing is allocated yet when it fails. */
  if (!zi_representation_from_json (o, &m->representation, &m->field_spread))
    {
      g_set_error (error, ZI_ERROR, ZI_ERROR_CHECKPOINT,
                   _("The checkpoint's metadata names an unknown output representation."));
      return FALSE;
    }
  if (zi_run_styles_from_json (o, &m->styles, &m->n_styles) == ZI_RUN_STYLES_BAD)
    {
      g_set_error (error, ZI_ERROR, ZI_ERROR_CHECKPOINT,
                   _("The checkpoint's metadata has a \"styles\" list that is not 1 to %d font entries."),
                   ZI_RUN_MAX_STYLES);
      return FALSE;
    }
  m->source_font = g_strdup (zi_json_member_string (o, "source_font", ""));
  m->target_font = g_strdup (zi_json_member_string (o, "target_font", ""));
  if (m->n_styles == 0)
    {
      m->styles = g_new0 (ZiRunStyle, 1);
      m->n_styles = 1;
      zi_run_style_legacy (&m->styles[0], m->target_font, NULL, 0, NULL);
    }
  m->em_fraction = zi_json_member_double (o, "em_fraction", m->em_fraction);
  m->size = (guint) CLAMP (zi_json_member_int (o, "size", 0), 0, G_MAXUINT);
  /* A record only; older checkpoints, without it, trained in float32. */
  if (!nn_precision_parse (zi_json_member_string (o, "precision", "fp32"), &m->precision))
    m->precision = NN_PRECISION_FP32;
  m->images = (guint64) MAX (0, zi_json_member_int (o, "images", 0));
  m->seconds = zi_json_member_double (o, "seconds", 0.0);
  m->lr_g = zi_json_member_double (o, "lr_g", 0.0);
  m->lr_d = zi_json_member_double (o, "lr_d", 0.0);
  m->lr_scale = zi_json_member_double (o, "lr_scale", 1.0);
  m->plateau_factor = zi_json_member_double (o, "plateau_factor", 1.0);
  m->plateau_best = zi_json_member_double (o, "plateau_best", INFINITY);
  m->plateau_bad = (guint) CLAMP (zi_json_member_int (o, "plateau_bad", 0), 0, G_MAXUINT);
  m->has_best = json_object_has_member (o, "best_step");
  if (m->has_best)
    {
      m->best_step = (guint64) MAX (0, zi_json_member_int (o, "best_step", 0));
      m->best_ssim = zi_json_member_double (o, "best_ssim", NAN);
    }
  m->has_val = json_object_has_member (o, "val_ssim");
  if (m->has_val)
    {
      m->val_l1 = zi_json_member_double (o, "val_l1", NAN);
      m->val_ssim = zi_json_member_double (o, "val_ssim", NAN);
      m->val_iou = zi_json_member_double (o, "val_iou", NAN);
    }
  m->has_baseline = json_object_has_member (o, "base_ssim");
  if (m->has_baseline)
    {
      m->base_l1 = zi_json_member_double (o, "base_l1", NAN);
      m->base_ssim = zi_json_member_double (o, "base_ssim", NAN);
      m->base_iou = zi_json_member_double (o, "base_iou", NAN);
    }
  return TRUE;
}
