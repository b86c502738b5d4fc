/* zi-model.c — a trained generator loaded from a checkpoint (or a run directory's newest checkpoint),
 * for generation outside training: the CLI's generate/eval/export, the export module and the window.
 * The checkpoint's metadata (zi-run.h's ZiCheckpointMeta) says which fonts and placement it was
 * trained with, so a loose checkpoint file is usable on its own. When the run kept an average of the
 * generator's weights (step-N.ema.zck beside step-N.zck), that average is what generates: it is the
 * model the run validated. A field model (zi-representation.h) draws signed distance fields; what it
 * generates is their ink unless the caller asks for the fields themselves. */
#include "config.h"
#include "zi-model.h"
#include "zi-error.h"
#include "zi-fileutil.h"
#include "zi-image.h"
#include "zi-render.h"
#include "zi-run.h"

#include <glib/gi18n.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Generation batch: large enough to amortise the convolutions, small enough for 512 px. */
#define GENERATE_BATCH 16

struct _ZiModel {
  ZiModelGenerator gen;
  guint64          step;
  char            *checkpoint_path;
  char            *run_dir;
  ZiCheckpointMeta meta;
};

static void
replace_string (char **slot, const char *value)
{
  g_free (*slot);
  *slot = g_strdup (value);
}

/* The run directory of RUN/checkpoints/step-N.zck, when RUN/run.json exists. */
static char *
run_dir_of (const char *checkpoint)
{
  g_autofree char *dir = g_path_get_dirname (checkpoint);
  g_autofree char *base = g_path_get_basename (dir);
  g_autofree char *parent = NULL;
  g_autofree char *info = NULL;

  if (strcmp (base, "checkpoints") != 0)
    return NULL;
  parent = g_path_get_dirname (dir);
  info = zi_run_info_path (parent);
  return g_file_test (info, G_FILE_TEST_IS_REGULAR) ? g_steal_pointer (&parent) : NULL;
}

char *
zi_model_default_path (GError **error)
{
  const char *env = g_getenv ("ZIMARU_MODEL_DIR");
  const char *dirs[] = { env, PKGDATADIR "/models", ZI_SOURCE_MODEL_DIR };
  g_autoptr(GString) tried = g_string_new (NULL);

  for (guint i = 0; i < G_N_ELEMENTS (dirs); i++)
    {
      g_autofree char *path = NULL;
      if (dirs[i] == NULL || *dirs[i] == '\0')
        continue;
      path = g_build_filename (dirs[i], ZI_MODEL_DEFAULT_FILE, NULL);
      if (g_file_test (path, G_FILE_TEST_IS_REGULAR))
        return g_steal_pointer (&path);
      g_string_append_printf (tried, "%s%s", tried->len > 0 ? ", " : "", dirs[i]);
      /* ZIMARU_MODEL_DIR, when set, is the only place: a test or a user asked for exactly it. */
      if (i == 0)
        break;
    }
  g_set_error (error, ZI_ERROR, ZI_ERROR_CHECKPOINT,
               _("The shipped model %s is not installed (looked in %s); reinstall Zimaru or give a "
                 "checkpoint."), ZI_MODEL_DEFAULT_FILE, tried->str);
  return NULL;
}

ZiModel *
zi_model_load (const char *ckpt, GError **error)
{
  g_autoptr(ZiModel) model = NULL;
  g_autoptr(GError) local = NULL;
  g_autofree char *path = NULL;
  g_autofree char *weights = NULL;
  g_autofree guint8 *buf = NULL;
  gsize len = 0;
  uint64_t step = 0;
  char *meta = NULL;
  NnStatus st;

  g_return_val_if_fail (ckpt != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (strcmp (ckpt, ZI_MODEL_DEFAULT) == 0 && !g_file_test (ckpt, G_FILE_TEST_EXISTS))
    {
      path = zi_model_default_path (error);
      if (path == NULL)
        return NULL;
    }
  else if (g_file_test (ckpt, G_FILE_TEST_IS_DIR))
    {
      path = zi_run_newest_checkpoint (ckpt, error);
      if (path == NULL)
        return NULL;
    }
  else
    path = g_strdup (ckpt);

  weights = zi_run_ema_path (path);
  if (g_str_has_suffix (path, ".ema." ZI_RUN_CHECKPOINT_EXT) || !g_file_test (weights, G_FILE_TEST_IS_REGULAR))
    replace_string (&weights, path);
  if (!g_file_get_contents (weights, (char **) &buf, &len, &local))
    {
      g_set_error (error, ZI_ERROR, ZI_ERROR_CHECKPOINT, _("Cannot read the checkpoint %s: %s"),
                   weights, local->message);
      return NULL;
    }

  model = g_new0 (ZiModel, 1);
  zi_checkpoint_meta_init (&model->meta);
  model->gen.batch = GENERATE_BATCH;
  st = nn_pix2pix_load (&model->gen.net, buf, len, NULL, model->gen.batch, NULL, &step, &meta);
  if (st != NN_OK)
    {
      g_set_error (error, ZI_ERROR, ZI_ERROR_CHECKPOINT,
                   _("The checkpoint %s cannot be loaded: %s. Use another checkpoint of the run."),
                   weights, nn_status_str (st));
      return NULL;
    }
  if (!zi_checkpoint_meta_from_json (&model->meta, meta, &local))
    {
      free (meta);
      g_set_error (error, ZI_ERROR, ZI_ERROR_CHECKPOINT, _("The checkpoint %s is damaged: %s"),
                   weights, local->message);
      return NULL;
    }
  free (meta);
  /* Style i is the generator's embedding row i: the metadata's list must be the model's. */
  if (model->meta.n_styles != (guint) nn_pix2pix_config (model->gen.net)->n_styles)
    {
      g_set_error (error, ZI_ERROR, ZI_ERROR_CHECKPOINT,
                   _("The checkpoint %s is damaged: its metadata lists %u target styles but the model "
                     "draws %d. Use another checkpoint of the run."),
                   weights, model->meta.n_styles, nn_pix2pix_config (model->gen.net)->n_styles);
      return NULL;
    }
  model->gen.field_spread =
    model->meta.representation == ZI_REPRESENTATION_FIELD ? model->meta.field_spread : 0;
  model->step = step;
  model->checkpoint_path = g_steal_pointer (&path);
  model->run_dir = run_dir_of (model->checkpoint_path);

  guint size = zi_model_get_size (model);
  model->gen.in = g_new (float, (gsize) model->gen.batch * size * size);
  model->gen.out = g_new (float, (gsize) model->gen.batch * size * size);
  return g_steal_pointer (&model);
}

void
zi_model_free (ZiModel *model)
{
  if (model == NULL)
    return;
  g_clear_pointer (&model->gen.net, nn_pix2pix_free);
  g_free (model->checkpoint_path);
  g_free (model->run_dir);
  zi_checkpoint_meta_clear (&model->meta);
  g_free (model->gen.in);
  g_free (model->gen.out);
  g_free (model);
}

gboolean
zi_model_save_generator (ZiModel *model, const char *path, gboolean fp16, GError **error)
{
  g_autofree char *meta = NULL;
  uint8_t *buf = NULL;
  size_t len = 0;
  gboolean ok;
  NnStatus st;

  g_return_val_if_fail (model != NULL && path != NULL, FALSE);
  /* Names as a new run would give them (zi_run_styles_qualify), from the fonts where they are at
   * hand: a shipped model's styles are chosen by these names. */
  for (guint i = 0; i < model->meta.n_styles; i++)
    {
      ZiRunStyle *s = &model->meta.styles[i];
      g_autofree char *spec = s->path ? g_strdup_printf ("%s#%d", s->path, s->face) : NULL;
      ZiFont *font = spec ? zi_font_open (spec, NULL) : NULL;
      if (font != NULL && zi_font_get_style (font) != NULL && zi_font_get_style (font)[0] != '\0')
        {
          g_free (s->name);
          s->name = g_strdup (zi_font_get_style (font));
        }
      g_clear_pointer (&font, zi_font_free);
    }
  zi_run_styles_qualify (model->meta.styles, model->meta.n_styles);
  zi_run_styles_make_unique (model->meta.styles, model->meta.n_styles);
  meta = zi_checkpoint_meta_to_json (&model->meta);
  st = nn_pix2pix_save (model->gen.net, NULL, model->step, meta, TRUE, fp16 ? 1 : 0, &buf, &len);
  if (st != NN_OK)
    {
      zi_error_from_nn (error, st, _("writing the generator of %s"), model->checkpoint_path);
      return FALSE;
    }
  ok = zi_file_write_atomic (path, buf, len, error);
  free (buf);
  return ok;
}

NnPix2Pix *
zi_model_get_net (ZiModel *model)
{
  g_return_val_if_fail (model != NULL, NULL);
  return model->gen.net;
}

guint
zi_model_get_size (ZiModel *model)
{
  g_return_val_if_fail (model != NULL, 0);
  return (guint) nn_pix2pix_config (model->gen.net)->size;
}

guint64
zi_model_get_step (ZiModel *model)
{
  g_return_val_if_fail (model != NULL, 0);
  return model->step;
}

const char *
zi_model_get_checkpoint_path (ZiModel *model)
{
  g_return_val_if_fail (model != NULL, NULL);
  return model->checkpoint_path;
}

const char *
zi_model_get_run_dir (ZiModel *model)
{
  g_return_val_if_fail (model != NULL, NULL);
  return model->run_dir;
}

const char *
zi_model_get_source_font (ZiModel *model)
{
  g_return_val_if_fail (model != NULL, NULL);
  return model->meta.source_font && *model->meta.source_font ? model->meta.source_font : NULL;
}

const char *
zi_model_get_target_font (ZiModel *model)
{
  g_return_val_if_fail (model != NULL, NULL);
  return model->meta.target_font && *model->meta.target_font ? model->meta.target_font : NULL;
}

guint
zi_model_get_n_styles (ZiModel *model)
{
  g_return_val_if_fail (model != NULL, 0);
  return model->meta.n_styles;
}

const ZiRunStyle *
zi_model_get_style (ZiModel *model, guint i)
{
  g_return_val_if_fail (model != NULL, NULL);
  g_return_val_if_fail (i < model->meta.n_styles, NULL);
  return &model->meta.styles[i];
}

int
zi_model_find_style (ZiModel *model, const char *name)
{
  g_return_val_if_fail (model != NULL, -1);
  g_return_val_if_fail (name != NULL, -1);
  return zi_run_styles_find (model->meta.styles, model->meta.n_styles, name);
}

char *
zi_model_describe_styles (ZiModel *model)
{
  GString *text;

  g_return_val_if_fail (model != NULL, NULL);

  text = g_string_new (NULL);
  for (guint i = 0; i < model->meta.n_styles; i++)
    g_string_append_printf (text, "%s%s (%u)", i > 0 ? ", " : "", model->meta.styles[i].name,
                            model->meta.styles[i].weight_class);
  return g_string_free (text, FALSE);
}

gboolean
zi_model_set_style (ZiModel *model, guint index)
{
  g_return_val_if_fail (model != NULL, FALSE);

  if (index >= model->meta.n_styles)
    return FALSE;
  model->gen.style = (int) index;
  model->gen.mix_style = (int) index;
  model->gen.mix = 0.0f;
  return TRUE;
}

gboolean
zi_model_set_style_name (ZiModel *model, const char *name, GError **error)
{
  int index;

  g_return_val_if_fail (model != NULL, FALSE);
  g_return_val_if_fail (name != NULL, FALSE);

  index = zi_model_find_style (model, name);
  if (index < 0)
    {
      g_autofree char *styles = zi_model_describe_styles (model);

      g_set_error (error, ZI_ERROR, ZI_ERROR_INVALID,
                   g_dngettext (GETTEXT_PACKAGE,
                                "The checkpoint %s has no style “%s”: it was trained on %u style, %s; "
                                "choose it",
                                "The checkpoint %s has no style “%s”: it was trained on %u styles, %s; "
                                "choose one of them (or all)", model->meta.n_styles),
                   model->checkpoint_path, name, model->meta.n_styles, styles);
      return FALSE;
    }
  return zi_model_set_style (model, (guint) index);
}

gboolean
zi_model_set_weight (ZiModel *model, double weight_class, GError **error)
{
  int lo = -1, hi = -1, light = -1, heavy = -1;

  g_return_val_if_fail (model != NULL, FALSE);

  /* The nearest styles at or below and at or above the weight (the first in embedding order when
   * two share a weight class), and the ends of the trained range. */
  for (guint i = 0; i < model->meta.n_styles; i++)
    {
      double w = model->meta.styles[i].weight_class;

      if (light < 0 || w < model->meta.styles[light].weight_class)
        light = (int) i;
      if (heavy < 0 || w > model->meta.styles[heavy].weight_class)
        heavy = (int) i;
      if (w <= weight_class && (lo < 0 || w > model->meta.styles[lo].weight_class))
        lo = (int) i;
      if (w >= weight_class && (hi < 0 || w < model->meta.styles[hi].weight_class))
        hi = (int) i;
    }
  if (!isfinite (weight_class) || lo < 0 || hi < 0)
    {
      g_autofree char *styles = zi_model_describe_styles (model);
      guint min = model->meta.styles[light].weight_class, max = model->meta.styles[heavy].weight_class;

      if (min == max)
        g_set_error (error, ZI_ERROR, ZI_ERROR_INVALID,
                     _("The weight %g is not one the checkpoint %s can draw: it was trained on one "
                       "weight, %s, and draws only that; train on several weights to blend them"),
                     weight_class, model->checkpoint_path, styles);
      else
        g_set_error (error, ZI_ERROR, ZI_ERROR_INVALID,
                     _("The weight %g is outside the range the checkpoint %s was trained on, %u to %u "
                       "(%s); give a weight in it"),
                     weight_class, model->checkpoint_path, min, max, styles);
      return FALSE;
    }
  if (model->meta.styles[lo].weight_class == model->meta.styles[hi].weight_class)
    return zi_model_set_style (model, (guint) lo);
  model->gen.style = lo;
  model->gen.mix_style = hi;
  model->gen.mix = (float) ((weight_class - model->meta.styles[lo].weight_class)
                            / ((double) model->meta.styles[hi].weight_class
                               - model->meta.styles[lo].weight_class));
  return TRUE;
}

guint
zi_model_get_current_style (ZiModel *model, guint *mix_style, double *mix)
{
  g_return_val_if_fail (model != NULL, 0);

  if (mix_style != NULL)
    *mix_style = (guint) model->gen.mix_style;
  if (mix != NULL)
    *mix = model->gen.mix;
  return (guint) model->gen.style;
}

double
zi_model_get_em_fraction (ZiModel *model)
{
  g_return_val_if_fail (model != NULL, ZI_DEFAULT_EM_FRACTION);
  return model->meta.em_fraction > 0.0 ? model->meta.em_fraction : ZI_DEFAULT_EM_FRACTION;
}

ZiRepresentation
zi_model_get_representation (ZiModel *model)
{
  g_return_val_if_fail (model != NULL, ZI_REPRESENTATION_INK);
  return model->gen.field_spread > 0 ? ZI_REPRESENTATION_FIELD : ZI_REPRESENTATION_INK;
}

guint
zi_model_get_field_spread (ZiModel *model)
{
  g_return_val_if_fail (model != NULL, 0);
  return model->gen.field_spread;
}

/* Generation with the model's generator, deriving ink from fields or not. */
static gboolean
generate (ZiModel *model, gboolean derive_ink, const guint8 *source, guint n, guint8 *out,
          ZiProgressFunc progress, gpointer user_data, GCancellable *cancellable, GError **error)
{
  ZiModelGenerator gen = model->gen;
  g_autofree char *what = g_strdup_printf (_("generating glyphs with %s"), model->checkpoint_path);

  if (!derive_ink)
    gen.field_spread = 0;
  return zi_model_generate_with (&gen, source, n, out, progress, user_data, cancellable, what, error);
}

gboolean
zi_model_generate (ZiModel *model, const guint8 *source, guint n, guint8 *out, ZiProgressFunc progress,
                   gpointer user_data, GCancellable *cancellable, GError **error)
{
  g_return_val_if_fail (model != NULL, FALSE);
  g_return_val_if_fail (n == 0 || (source != NULL && out != NULL), FALSE);

  return generate (model, TRUE, source, n, out, progress, user_data, cancellable, error);
}

gboolean
zi_model_generate_raw (ZiModel *model, const guint8 *source, guint n, guint8 *out, ZiProgressFunc progress,
                       gpointer user_data, GCancellable *cancellable, GError **error)
{
  g_return_val_if_fail (model != NULL, FALSE);
  g_return_val_if_fail (n == 0 || (source != NULL && out != NULL), FALSE);

  return generate (model, FALSE, source, n, out, progress, user_data, cancellable, error);
}

void
zi_model_raw_to_coverage (ZiModel *model, const guint8 *raw, guint8 *out, guint n)
{
  gsize pixels;

  g_return_if_fail (model != NULL);
  g_return_if_fail (n == 0 || (raw != NULL && out != NULL));

  pixels = (gsize) n * zi_model_get_size (model) * zi_model_get_size (model);
  if (model->gen.field_spread > 0)
    zi_image_field_to_coverage (raw, out, pixels, model->gen.field_spread);
  else if (out != raw)
    memcpy (out, raw, pixels);
}

gboolean
zi_model_generate_with (const ZiModelGenerator *gen, const guint8 *source, guint n, guint8 *out,
                        ZiProgressFunc progress, gpointer user_data, GCancellable *cancellable,
                        const char *what, GError **error)
{
  g_autofree int *styles = NULL;
  g_autofree int *mix_styles = NULL;
  g_autofree float *mix = NULL;
  gsize pixels;

  g_return_val_if_fail (gen != NULL && gen->net != NULL && gen->batch > 0, FALSE);
  g_return_val_if_fail (n == 0 || (source != NULL && out != NULL), FALSE);
  g_return_val_if_fail (what != NULL, FALSE);

  pixels = (gsize) nn_pix2pix_config (gen->net)->size * (gsize) nn_pix2pix_config (gen->net)->size;
  /* Every image of the call in the generator's one style (or blend); NULL is style 0 to the
   * engine. */
  if (gen->style != 0 || gen->mix > 0.0f)
    {
      styles = g_new (int, gen->batch);
      for (int b = 0; b < gen->batch; b++)
        styles[b] = gen->style;
    }
  if (gen->mix > 0.0f)
    {
      mix_styles = g_new (int, gen->batch);
      mix = g_new (float, gen->batch);
      for (int b = 0; b < gen->batch; b++)
        {
          mix_styles[b] = gen->mix_style;
          mix[b] = gen->mix;
        }
    }
  for (guint i = 0; i < n; i += (guint) gen->batch)
    {
      guint m = MIN ((guint) gen->batch, n - i);
      NnStatus st;

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return FALSE;
      zi_image_coverage_to_net (source + i * pixels, gen->in, m * pixels);
      st = mix != NULL ? nn_pix2pix_generate_mix (gen->net, gen->in, styles, mix_styles, mix, (int) m,
                                                  gen->out)
                       : nn_pix2pix_generate (gen->net, gen->in, styles, (int) m, gen->out);
      if (st != NN_OK)
        {
          zi_error_from_nn (error, st, "%s", what);
          return FALSE;
        }
      zi_image_net_to_coverage (gen->out, out + i * pixels, m * pixels);
      if (gen->field_spread > 0)
        zi_image_field_to_coverage (out + i * pixels, out + i * pixels, m * pixels, gen->field_spread);
      if (progress != NULL)
        progress (i + m, n, user_data);
    }
  return TRUE;
}
