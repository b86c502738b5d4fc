/* zi-run.h — the run directory (README.md, "The run directory", describes it for users):
 *   RUN/run.json                      fonts, charset, validation split, hyperparameters, format version
 *   RUN/metrics.jsonl                 one JSON object per logged step, append-only
 *   RUN/checkpoints/step-NNNNNNNN.zck written atomically; the newest K plus the best by val SSIM kept
 *   RUN/checkpoints/step-NNNNNNNN.ema.zck  the generator's EMA weights of that step (when EMA is on)
 *   RUN/checkpoints/best.json         {"step": N, "val_ssim": x} of the best checkpoint
 * Every file is written through zi-fileutil.h (temp + fsync + rename, or fsynced appends). */
#pragma once

#include <glib.h>
#include "zi-types.h"
#include "zi-font.h"
#include "nn.h"

G_BEGIN_DECLS

#define ZI_RUN_FORMAT_VERSION 1
#define ZI_RUN_CHECKPOINT_EXT "zck"

/* ---- target styles ----
 * A run trains one model for one or more target fonts (the weights of a family, say); the generator
 * picks a style by its embedding index (zi2zi's category embedding), which is the style's index in
 * this list. A run or checkpoint written before styles existed has one, built from its target font. */

#define ZI_RUN_MAX_STYLES 64

typedef struct {
  char *name;          /* unique within the run (case-insensitively), e.g. "Regular", "Bold": the face's
                          style name, with " 2", " 3" appended when two faces share one */
  char *font;          /* the font spec as given */
  char *path;          /* the resolved file */
  int   face;
  char *hash;
  char *family;        /* family name from the font ("" when unknown) */
  guint weight_class;  /* OS/2 usWeightClass (400 when the font has no OS/2 table) */
} ZiRunStyle;

void        zi_run_style_clear (ZiRunStyle *s);
/* Frees n styles and the array. */
void        zi_run_styles_free (ZiRunStyle *styles, guint n);
ZiRunStyle *zi_run_styles_copy (const ZiRunStyle *styles, guint n);
/* Fills dst (its old contents are not freed) with a deep copy of src. */
void        zi_run_style_copy (ZiRunStyle *dst, const ZiRunStyle *src);
/* Fills s (its old contents are not freed) from an opened font and the spec it was opened with; the
 * name is the font's style name ("Regular" when it has none). */
void        zi_run_style_init_from_font (ZiRunStyle *s, const char *spec, ZiFont *font);
/* Makes the names unique (case-insensitively) and non-empty: an empty name becomes "Style N" (N the
 * index from 1), a repeated one gets " 2", " 3", ... A list already unique is left as it is. */
void        zi_run_styles_make_unique (ZiRunStyle *styles, guint n);
/* Styles of more than one family are named "<family> <style>" ("Kiwi Maru Light", "Zen Maru Gothic
 * Light"), so that the names say which font each is; styles of one family keep their names. */
void        zi_run_styles_qualify (ZiRunStyle *styles, guint n);
/* The index of the style called name (case-insensitive), or -1. */
int         zi_run_styles_find (const ZiRunStyle *styles, guint n, const char *name);

/* ---- run.json ---- */

typedef struct {
  int       format_version;
  char     *created;           /* ISO 8601 UTC */
  char     *source_font;       /* the spec as given */
  char     *source_path;       /* the resolved file */
  int       source_face;
  char     *source_hash;
  char     *target_font;
  char     *target_path;
  int       target_face;
  char     *target_hash;
  ZiRunStyle *styles;          /* the target styles in embedding order ("styles" in run.json); the
                                  target_* fields repeat the first for older readers. On load never
                                  empty: a run.json without "styles" gets its target as the one style.
                                  On save, n_styles 0 writes no "styles" (the old format). */
  guint     n_styles;
  gunichar *chars;             /* the pairs of the dataset, in order */
  guint     n_chars;
  gunichar *val_chars;         /* the validation split (a subset of chars) */
  guint     n_val_chars;
  char     *config_json;       /* the trainer configuration (zi_trainer_config_to_json) */
} ZiRunInfo;

void     zi_run_info_clear (ZiRunInfo *info);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (ZiRunInfo, zi_run_info_clear)
gboolean zi_run_info_save (const char *run_dir, const ZiRunInfo *info, GError **error);
/* ZI_ERROR_RUN naming the file when run.json is missing, malformed or of a newer format. */
gboolean zi_run_info_load (const char *run_dir, ZiRunInfo *info, GError **error);
char    *zi_run_info_path (const char *run_dir);

/* ---- metrics.jsonl ---- */

/* The validation figures of one target style in a metrics record. Held in the record itself (no
 * pointer, so records copy by value): at most ZI_RUN_METRIC_MAX_STYLES of them, the name cut to fit
 * (at a character boundary). */
#define ZI_RUN_METRIC_MAX_STYLES 9
#define ZI_RUN_METRIC_STYLE_NAME 48

typedef struct {
  char   name[ZI_RUN_METRIC_STYLE_NAME];
  double l1, ssim, iou;
} ZiRunStyleScore;

typedef struct {
  guint64  step;
  guint64  images;
  double   seconds;
  double   lr, lr_d;
  double   d_loss, d_real, d_fake;
  double   g_loss, g_adv, l1, const_loss, tv;
  double   d_grad_norm, g_grad_norm;
  gboolean has_val;
  double   val_l1, val_ssim, val_iou;
  gboolean has_raw;            /* EMA runs: the raw generator's validation too */
  double   val_raw_l1, val_raw_ssim, val_raw_iou;
  /* Runs with several target styles: each style's validation (val_l1/ssim/iou are their mean),
   * "val_styles": {"Regular": {"l1": …, "ssim": …, "iou": …}, …} in metrics.jsonl, in style order.
   * 0 otherwise; the first ZI_RUN_METRIC_MAX_STYLES styles of a run with more. */
  guint    n_val_styles;
  ZiRunStyleScore val_styles[ZI_RUN_METRIC_MAX_STYLES];
} ZiRunMetric;

/* Sets score's name to name, cut to fit at a character boundary (made valid UTF-8 first). */
void     zi_run_style_score_set_name (ZiRunStyleScore *score, const char *name);

gboolean zi_run_metrics_append (const char *run_dir, const ZiRunMetric *metric, GError **error);
/* All records in step order. A torn or unparsable last line is ignored (a crash during an append);
 * a bad line elsewhere is an error (ZI_ERROR_RUN with its line number). When the log goes back in
 * steps (a run resumed from an older checkpoint), the records it supersedes are dropped. A missing
 * file is an empty array. */
GArray  *zi_run_metrics_load (const char *run_dir, GError **error);   /* of ZiRunMetric */
/* The same, and *end the byte offset just past the last complete line read: where a watcher of the
 * growing file goes on (zi-run-watch.h), so that a torn last line is read once it is complete. */
GArray  *zi_run_metrics_load_to (const char *run_dir, guint64 *end, GError **error);
/* Serialises one record as a JSON line (no newline), and parses one; for tests and fuzzers. */
char    *zi_run_metric_to_json (const ZiRunMetric *metric);
gboolean zi_run_metric_from_json (const char *line, ZiRunMetric *metric, GError **error);

/* ---- checkpoints ---- */

char    *zi_run_checkpoints_dir (const char *run_dir);
/* RUN/checkpoints/step-NNNNNNNN.zck (8 digits, more when the step needs them). */
char    *zi_run_checkpoint_path (const char *run_dir, guint64 step);
/* The generator-only checkpoint with the EMA weights that goes with a checkpoint path:
 * ".../step-N.zck" → ".../step-N.ema.zck". */
char    *zi_run_ema_path (const char *checkpoint_path);
/* TRUE for names of the form step-<digits>.zck, with the step. */
gboolean zi_run_parse_checkpoint_name (const char *basename, guint64 *step);
/* Steps of the checkpoint files present, ascending (GArray of guint64); missing dir = empty. */
GArray  *zi_run_list_checkpoints (const char *run_dir);
/* The newest checkpoint's path, or NULL with ZI_ERROR_RUN saying the run has no checkpoint. */
char    *zi_run_newest_checkpoint (const char *run_dir, GError **error);
/* Deletes all but the newest keep checkpoints and best_step (G_MAXUINT64 = none), with their EMA
 * files, and EMA files whose checkpoint is gone. */
gboolean zi_run_prune_checkpoints (const char *run_dir, guint keep, guint64 best_step, GError **error);
/* Deletes what an interrupted checkpoint write left in RUN/checkpoints: the temporary files of
 * zi_file_write_atomic() beside a checkpoint, an EMA file or best.json ("step-N.zck.tmp-XXXXXX"), and
 * EMA files whose checkpoint was never written. Only for a run opened for training (a new session or
 * a resume), when nothing else writes into it; readers (eval, export) must not call it. A missing
 * directory is fine; a file that cannot be deleted is ZI_ERROR_IO naming it. */
gboolean zi_run_remove_stale_files (const char *run_dir, GError **error);
/* best.json: the best checkpoint by validation SSIM. load returns FALSE without error when absent. */
gboolean zi_run_best_save (const char *run_dir, guint64 step, double val_ssim, GError **error);
gboolean zi_run_best_load (const char *run_dir, guint64 *step, double *val_ssim);

/* ---- checkpoint metadata ----
 * The JSON blob the trainer stores inside each checkpoint (nn_pix2pix_save's meta): what a model needs
 * to be used on its own (fonts, placement) and what resuming needs besides the engine's state (data
 * position, clock, learning-rate state, best score). */

typedef struct {
  char    *source_font;       /* font specs as trained */
  char    *target_font;       /* the first style's, for older readers */
  ZiRunStyle *styles;         /* the target styles in embedding order; metadata without them reads as
                                 one style made from target_font; 0 on save writes none */
  guint    n_styles;
  double   em_fraction;
  guint    size;
  ZiRepresentation representation; /* what the generator outputs; ink when the metadata lacks it */
  guint    field_spread;      /* a field's spread in pixels (ZI_FIELD_SPREAD_DEFAULT for ink) */
  NnPrecision precision;      /* the convs' products it trained in (a record: weights are float32) */
  guint64  images;            /* training pairs consumed: the position in the seeded data order */
  double   seconds;           /* training time so far */
  double   lr_g, lr_d;        /* base learning rates (after any change while paused) */
  double   lr_scale;          /* product of the halvings after divergences (1 = none) */
  double   plateau_factor;    /* reduce-on-plateau state */
  double   plateau_best;
  guint    plateau_bad;
  gboolean has_best;
  guint64  best_step;
  double   best_ssim;
  gboolean has_val;           /* validation at this checkpoint's step */
  double   val_l1, val_ssim, val_iou;
  gboolean has_baseline;
  double   base_l1, base_ssim, base_iou;
} ZiCheckpointMeta;

void     zi_checkpoint_meta_init (ZiCheckpointMeta *meta);
void     zi_checkpoint_meta_clear (ZiCheckpointMeta *meta);
char    *zi_checkpoint_meta_to_json (const ZiCheckpointMeta *meta);
/* Missing fields keep their zi_checkpoint_meta_init() values; not JSON is ZI_ERROR_CHECKPOINT. */
gboolean zi_checkpoint_meta_from_json (ZiCheckpointMeta *meta, const char *json, GError **error);

/* A charset as a UTF-8 string and back (how run.json stores characters). */
char     *zi_run_chars_to_utf8 (const gunichar *chars, guint n);
gunichar *zi_run_chars_from_utf8 (const char *text, guint *n);

G_END_DECLS
