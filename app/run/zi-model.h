/* zi-model.h — a trained model loaded from a checkpoint file or a run directory, for generation
 * (used by the CLI's generate/eval/export, the export module and the window). Written by app/train;
 * the layout of run directories is zi-run.h's. */
#pragma once

#include <glib.h>
#include <gio/gio.h>
#include "zi-types.h"
#include "zi-run.h"
#include "nn-pix2pix.h"

G_BEGIN_DECLS

typedef struct _ZiModel ZiModel;

/* The model that ships with Zimaru: a generator-only checkpoint in data/models/ of the source tree,
 * installed in PKGDATADIR/models. ZI_MODEL_DEFAULT ("default") names it wherever a checkpoint is
 * taken. */
#define ZI_MODEL_DEFAULT       "default"
#define ZI_MODEL_DEFAULT_FILE  "zimaru-maru-64.zck"
/* Its path: $ZIMARU_MODEL_DIR when set, else PKGDATADIR/models, else the source tree's data/models
 * (an uninstalled build). NULL with ZI_ERROR_CHECKPOINT naming the places looked in when it is in
 * none of them. */
char       *zi_model_default_path (GError **error);

/* ckpt: a checkpoint file, a run directory (its newest checkpoint) or ZI_MODEL_DEFAULT. Errors name
 * the file. */
ZiModel    *zi_model_load (const char *ckpt, GError **error);
void        zi_model_free (ZiModel *model);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (ZiModel, zi_model_free)

guint       zi_model_get_size (ZiModel *model);
/* Writes the generator alone (the average of its weights when the run kept one), with its metadata
 * (its styles named again from their fonts where they are installed, qualified by family when the
 * families differ: zi_run_styles_qualify), to path atomically: the file a model is shipped or shared as, which loads wherever a checkpoint
 * does and starts runs (--init-from), but cannot resume one. fp16 stores the weights as float16
 * (half the size; generation still runs in float32). */
gboolean    zi_model_save_generator (ZiModel *model, const char *path, gboolean fp16, GError **error);

/* The network itself (borrowed): its architecture and weights, for a run that starts from them. */
NnPix2Pix  *zi_model_get_net (ZiModel *model);
guint64     zi_model_get_step (ZiModel *model);
const char *zi_model_get_checkpoint_path (ZiModel *model);
/* The run directory the checkpoint belongs to, or NULL for a loose checkpoint file. */
const char *zi_model_get_run_dir (ZiModel *model);
/* From the run's metadata (stored in the checkpoint too): font specs as trained, and the em fraction
 * of the placement. NULL / ZI_DEFAULT_EM_FRACTION when unknown. */
const char *zi_model_get_source_font (ZiModel *model);
const char *zi_model_get_target_font (ZiModel *model);
double      zi_model_get_em_fraction (ZiModel *model);
/* What the generator outputs (zi-representation.h): ink for checkpoints whose metadata does not say.
 * The field spread in pixels, or 0 for an ink model. */
ZiRepresentation zi_model_get_representation (ZiModel *model);
guint       zi_model_get_field_spread (ZiModel *model);
/* The target styles the model was trained on (zi-run.h's ZiRunStyle), in embedding order: at least
 * one (a checkpoint from before styles has its target font as the one style). find is by name,
 * case-insensitive, and -1 when the model has no such style. */
guint       zi_model_get_n_styles (ZiModel *model);
const ZiRunStyle *zi_model_get_style (ZiModel *model, guint i);
int         zi_model_find_style (ZiModel *model, const char *name);
/* "Light (300), Regular (400), Bold (700)": the styles with their weight classes, for messages. */
char       *zi_model_describe_styles (ZiModel *model);

/* What every zi_model_generate* call draws from now on (style 0 after loading). set_style: the style
 * of that embedding index (FALSE and no change when there is no such style). set_style_name: by name
 * (case-insensitive); an unknown name is ZI_ERROR_INVALID naming the checkpoint and its styles.
 * set_weight: an OS/2 weight class; equal to a style's, that style; between two styles' weight
 * classes, their embeddings blended linearly in weight class (nn_pix2pix_generate_mix); outside the
 * trained range, or any other weight for a model of one weight, ZI_ERROR_INVALID naming the range. */
gboolean    zi_model_set_style (ZiModel *model, guint index);
gboolean    zi_model_set_style_name (ZiModel *model, const char *name, GError **error);
gboolean    zi_model_set_weight (ZiModel *model, double weight_class, GError **error);
/* The choice: the style drawn (the lighter of a blend's two), and the blend's heavier style and its
 * share in (0, 1), or *mix 0 for a plain style. mix_style and mix may be NULL. */
guint       zi_model_get_current_style (ZiModel *model, guint *mix_style, double *mix);

/* Generates n glyphs from source coverage bitmaps (size×size each, 0 = paper, 255 = ink) into out
 * (same layout), in batches, on the calling thread. out is ink coverage whatever the model's
 * representation: a field model's is derived from its fields (zi_image_field_to_coverage). */
gboolean    zi_model_generate (ZiModel       *model,
                               const guint8  *source,   /* [n * size * size] */
                               guint          n,
                               guint8        *out,      /* [n * size * size] */
                               ZiProgressFunc progress,
                               gpointer       user_data,
                               GCancellable  *cancellable,
                               GError       **error);

/* zi_model_generate without the derivation: the generator's own output, the signed distance fields
 * of a field model (what export traces) or the coverage of an ink model (the same as
 * zi_model_generate's). */
gboolean    zi_model_generate_raw (ZiModel       *model,
                                   const guint8  *source,   /* [n * size * size] */
                                   guint          n,
                                   guint8        *out,      /* [n * size * size] */
                                   ZiProgressFunc progress,
                                   gpointer       user_data,
                                   GCancellable  *cancellable,
                                   GError       **error);
/* The ink coverage of n glyphs of zi_model_generate_raw's output: derived for a field model, copied
 * for an ink model. raw and out may be the same buffer. */
void        zi_model_raw_to_coverage (ZiModel *model, const guint8 *raw, guint8 *out, guint n);

/* A generator held by its caller (the trainer's model while it trains) and the float buffers it
 * generates through: what zi_model_generate runs, for a model not loaded with zi_model_load. */
typedef struct {
  NnPix2Pix *net;
  int        batch;     /* images per pass, at most the batch net was built for */
  float     *in, *out;  /* [batch * size * size] each, the networks' pixels */
  guint      field_spread;  /* 0: net draws coverage; else signed distance fields of this spread */
  int        style;     /* the target style's embedding index for every image (0 when zeroed) */
  int        mix_style; /* with mix > 0: every image's embedding is (1 − mix)·E[style] + mix·E[mix_style] */
  float      mix;       /* 0 (zeroed): style alone */
} ZiModelGenerator;

/* zi_model_generate with gen: n glyphs in eval mode, batch by batch, as ink coverage (derived when gen
 * draws fields). what names the work in an error ("generating validation glyphs at step 500"). */
gboolean    zi_model_generate_with (const ZiModelGenerator *gen,
                                    const guint8           *source,   /* [n * size * size] */
                                    guint                   n,
                                    guint8                 *out,      /* [n * size * size] */
                                    ZiProgressFunc          progress,
                                    gpointer                user_data,
                                    GCancellable           *cancellable,
                                    const char             *what,
                                    GError                **error);

G_END_DECLS
