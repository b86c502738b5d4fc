/* zi-trainer-init.c — a run started from a trained generator (zi-trainer-init.h). */
#include "config.h"
#include "zi-trainer-init.h"
#include "zi-error.h"
#include "zi-model.h"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

gboolean
zi_trainer_init_adopt (ZiTrainerConfig *cfg, GError **error)
{
  g_autoptr(ZiModel) model = NULL;
  const NnPix2PixConfig *from;

  g_return_val_if_fail (cfg != NULL, FALSE);
  if (cfg->init_from == NULL)
    return TRUE;
  model = zi_model_load (cfg->init_from, error);
  if (model == NULL)
    return FALSE;
  from = nn_pix2pix_config (zi_model_get_net (model));
  cfg->net.size = from->size;
  cfg->net.ngf = from->ngf;
  cfg->net.norm = from->norm;
  cfg->net.embed_dim = from->n_styles > 1 || from->keep_embed ? from->embed_dim : 0;
  cfg->net.keep_embed = cfg->net.embed_dim > 0 && cfg->net.n_styles == 1;
  /* The decoder's style tables as the model has them, so that its style rows can be copied. */
  cfg->net.g_cnorm = from->g_cnorm;
  cfg->em_fraction = zi_model_get_em_fraction (model);
  cfg->representation = zi_model_get_representation (model);
  if (cfg->representation == ZI_REPRESENTATION_FIELD)
    cfg->field_spread = zi_model_get_field_spread (model);
  return TRUE;
}

/* Mean absolute difference of two coverage images, in [0, 1]. */
static double
ink_distance (const guint8 *a, const guint8 *b, gsize pixels)
{
  guint64 sum = 0;
  for (gsize i = 0; i < pixels; i++)
    sum += (guint64) ABS ((int) a[i] - (int) b[i]);
  return (double) sum / (255.0 * (double) pixels);
}

/* The trained style of model that draws style s of data closest to its font, or -1. */
static int
nearest_style (ZiModel *model, ZiTrainerData *data, guint s, GError **error)
{
  const ZiDataset *ds = zi_trainer_data_get_style_dataset (data, s);
  const GArray *train = zi_trainer_data_get_style_train (data, s);
  gsize pixels = (gsize) ds->size * ds->size;
  guint n = MIN (train->len, ZI_TRAINER_INIT_PROBE);
  g_autofree guint8 *src = g_malloc (MAX (n, 1) * pixels);
  g_autofree guint8 *out = g_malloc (MAX (n, 1) * pixels);
  g_autofree guint8 *tgt = g_malloc (MAX (n, 1) * pixels);
  double best = INFINITY;
  int best_k = -1;

  for (guint i = 0; i < n; i++)
    {
      zi_dataset_get_source (ds, g_array_index (train, guint, i), src + i * pixels);
      zi_dataset_get_target (ds, g_array_index (train, guint, i), tgt + i * pixels);
    }
  for (guint k = 0; n > 0 && k < zi_model_get_n_styles (model); k++)
    {
      double d = 0;
      zi_model_set_style (model, k);
      if (!zi_model_generate (model, src, n, out, NULL, NULL, NULL, error))
        return -2;
      for (guint i = 0; i < n; i++)
        d += ink_distance (out + i * pixels, tgt + i * pixels, pixels);
      if (d < best)
        {
          best = d;
          best_k = (int) k;
        }
    }
  return best_k;
}

gboolean
zi_trainer_init_weights (NnPix2Pix *net, const ZiTrainerConfig *cfg, ZiTrainerData *data,
                         GPtrArray *chosen, GError **error)
{
  g_autoptr(ZiModel) model = NULL;
  NnPix2Pix *from;
  float *dst[NN_P2P_STYLE_TABLES_MAX], *src[NN_P2P_STYLE_TABLES_MAX];
  int dims[NN_P2P_STYLE_TABLES_MAX], src_dims[NN_P2P_STYLE_TABLES_MAX];
  int n_tables, n_from;
  NnStatus st;

  g_return_val_if_fail (net != NULL && cfg != NULL && cfg->init_from != NULL && data != NULL, FALSE);
  model = zi_model_load (cfg->init_from, error);
  if (model == NULL)
    return FALSE;
  from = zi_model_get_net (model);
  st = nn_pix2pix_copy_generator (net, from);
  if (st != NN_OK)
    {
      g_set_error (error, ZI_ERROR, ZI_ERROR_CHECKPOINT,
                   _("The run cannot start from %s: its generator is %d px, ngf %d, and the run's is %d px, "
                     "ngf %d (%s)."),
                   zi_model_get_checkpoint_path (model), nn_pix2pix_config (from)->size,
                   nn_pix2pix_config (from)->ngf, nn_pix2pix_config (net)->size,
                   nn_pix2pix_config (net)->ngf, nn_status_str (st));
      return FALSE;
    }
  /* The tables with a row per style: the embedding and the decoder's style tables, which the run
   * takes from the model as it is (zi_trainer_init_adopt), so both have the same ones. */
  n_tables = nn_pix2pix_style_tables (net, dst, dims, NN_P2P_STYLE_TABLES_MAX);
  if (n_tables == 0 || n_tables != nn_pix2pix_style_tables (from, src, src_dims, NN_P2P_STYLE_TABLES_MAX)
      || memcmp (dims, src_dims, n_tables * sizeof (int)) != 0)
    return TRUE;  /* neither has styles to choose among: the copy is the whole start */
  n_from = nn_pix2pix_config (from)->n_styles;
  for (guint s = 0; s < zi_trainer_data_get_n_styles (data); s++)
    {
      int k = nearest_style (model, data, s, error);
      if (k == -2)
        return FALSE;
      for (int t = 0; t < n_tables; t++)
        {
          int dim = dims[t];
          float *row = dst[t] + (gsize) s * dim;
          if (k >= 0)
            memcpy (row, src[t] + (gsize) k * dim, dim * sizeof (float));
          else
            {
              memset (row, 0, dim * sizeof (float));
              for (int j = 0; j < n_from; j++)
                for (int d = 0; d < dim; d++)
                  row[d] += src[t][(gsize) j * dim + d] / (float) n_from;
            }
        }
      if (chosen != NULL)
        {
          const ZiRunStyle *st = k >= 0 ? zi_model_get_style (model, (guint) k) : NULL;
          gboolean named = st != NULL && st->family != NULL && g_str_has_prefix (st->name, st->family);
          g_ptr_array_add (chosen, st == NULL ? g_strdup ("mean")
                                   : named    ? g_strdup (st->name)
                                              : g_strdup_printf ("%s %s", st->family ? st->family : "", st->name));
        }
    }
  return TRUE;
}
