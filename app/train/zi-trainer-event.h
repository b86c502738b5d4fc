/* zi-trainer-event.h — what a training run reports: its states and the small event records (steps,
 * validations, previews, checkpoints, warnings, the end) that the trainer delivers to its caller.
 * Records are self-contained: zi_trainer_event_copy() duplicates everything they point to. */
#pragma once

#include <glib.h>
#include "zi-health.h"

G_BEGIN_DECLS

typedef enum {
  ZI_TRAINER_STATE_IDLE,      /* created, not started */
  ZI_TRAINER_STATE_LOADING,   /* opening fonts, building the dataset and model */
  ZI_TRAINER_STATE_RUNNING,
  ZI_TRAINER_STATE_PAUSED,
  ZI_TRAINER_STATE_STOPPING,  /* finishing the current step and writing the final checkpoint */
  ZI_TRAINER_STATE_FINISHED,
  ZI_TRAINER_STATE_FAILED,
} ZiTrainerState;

typedef enum {
  ZI_TRAINER_EVENT_STATE,       /* state changed: .state */
  ZI_TRAINER_EVENT_LOADING,     /* dataset progress: .progress */
  ZI_TRAINER_EVENT_STEP,        /* every log_every steps: .stats */
  ZI_TRAINER_EVENT_VALIDATION,  /* .validation */
  ZI_TRAINER_EVENT_PREVIEW,     /* .preview */
  ZI_TRAINER_EVENT_CHECKPOINT,  /* .checkpoint */
  ZI_TRAINER_EVENT_WARNING,     /* .warning */
  ZI_TRAINER_EVENT_FINISHED,    /* .finished; the last event of a successful run */
  ZI_TRAINER_EVENT_FAILED,      /* .error; the last event of a failed run */
} ZiTrainerEventKind;

typedef enum {
  ZI_TRAINER_STOP_STEPS,        /* max_steps reached */
  ZI_TRAINER_STOP_TIME,         /* max_minutes reached */
  ZI_TRAINER_STOP_REQUESTED,    /* zi_trainer_stop() (GUI stop button, SIGINT/SIGTERM) */
} ZiTrainerStopReason;

typedef struct {
  guint64 step;          /* steps done (1-based count after this step) */
  guint64 images;        /* training pairs seen */
  double  seconds;       /* training time, summed over sessions of the run */
  float   lr_g, lr_d;
  float   d_loss, d_real, d_fake;
  float   g_loss, g_adv, l1, const_loss, tv;
  float   d_grad_norm, g_grad_norm;
  double  images_per_second;
  double  eta_seconds;   /* < 0 when there is no bound */
  guint64 total_steps;   /* the bound in steps, or 0 */
} ZiTrainerStepStats;

/* One target style's validation in a run with several (zi-trainer-config.h): the style's glyphs
 * generated with its embedding index against its own font. */
typedef struct {
  char   *name;          /* the style's name, unique in the run ("Regular", "Bold") */
  guint   style;         /* its embedding index */
  guint   n;             /* its validation glyphs measured (0: it has none; the figures are NaN) */
  double  l1, ssim, iou;
  double  base_l1, base_ssim, base_iou;  /* its identity baseline */
} ZiTrainerStyleValidation;

typedef struct {
  /* Generated vs target on the validation glyphs ([0,1] images, ink = 1). With several target styles,
   * the mean over the styles that have validation glyphs (so that the chart and the best checkpoint
   * work alike for one style and many), each style's own in styles[]. */
  double l1, ssim, iou;
  double base_l1, base_ssim, base_iou;  /* the identity baseline (source vs target), computed once */
  guint  n;              /* validation glyphs measured */
  gboolean is_best;      /* best validation SSIM of the run so far */
  gboolean has_raw;      /* with EMA on: l1/ssim/iou are the averaged generator's, raw_* the trained one's */
  double raw_l1, raw_ssim, raw_iou;
  /* The styles of a run with several, in embedding order ([n_styles]); n_styles 0 and styles NULL
   * for a run with one. Owned by the event: zi_trainer_event_copy() copies it. */
  guint  n_styles;
  ZiTrainerStyleValidation *styles;
} ZiTrainerValidation;

typedef struct {
  guint     n;
  guint     size;
  gunichar *chars;       /* [n] */
  guint8   *source;      /* [n * size * size] coverage, 0 = paper, 255 = ink */
  guint8   *generated;   /* [n * size * size] */
  guint8   *target;      /* [n * size * size] */
} ZiTrainerPreview;

typedef struct {
  char    *path;
  gboolean is_best;
  gboolean has_validation;
  double   val_l1, val_ssim, val_iou;
} ZiTrainerCheckpoint;

typedef struct {
  ZiHealthKind kind;
  char        *message;  /* one line: what happened and what to do */
} ZiTrainerWarning;

typedef struct {
  ZiTrainerStopReason reason;
  char               *checkpoint;  /* the final checkpoint's path (NULL if none could be written) */
  guint64             images;      /* training pairs seen by the run */
  double              seconds;     /* training time of the run */
} ZiTrainerFinished;

typedef struct {
  ZiTrainerEventKind kind;
  guint64            step;      /* the step the event belongs to (all kinds) */
  ZiTrainerState     state;     /* the trainer's state when the event was made (all kinds) */
  struct { guint64 done, total; } progress;
  ZiTrainerStepStats  stats;
  ZiTrainerValidation validation;
  ZiTrainerPreview    preview;
  ZiTrainerCheckpoint checkpoint;
  ZiTrainerWarning    warning;
  ZiTrainerFinished   finished;
  GError             *error;
} ZiTrainerEvent;

ZiTrainerEvent *zi_trainer_event_copy (const ZiTrainerEvent *event);
void            zi_trainer_event_free (ZiTrainerEvent *event);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (ZiTrainerEvent, zi_trainer_event_free)

G_END_DECLS
