/* zi-trainer-session-private.h — what the two source files of one training session share: the
 * session's state and a few helpers. zi-trainer-session.c loads the data and the model, runs the step
 * loop, writes checkpoints and rolls back; zi-trainer-session-report.c measures and reports: validation,
 * previews, the metrics log and warnings. Calls run from zi-trainer-session.c to
 * zi-trainer-session-report.c, never back. Not for other modules. */
#pragma once

#include "zi-trainer-session.h"
#include "zi-health.h"
#include "zi-metrics.h"
#include "zi-trainer-data.h"
#include "zi-trainer-model.h"

G_BEGIN_DECLS

/* One target style's validation glyphs (a range of the session's val_* buffers) and its figures. */
typedef struct {
  guint                    n;
  ZiMetrics                baseline;
  ZiMetrics                val;
  ZiMetrics                val_raw;
} ZiSessionStyle;

/* The state of one session; zi_trainer_session_run owns it, on its stack. */
typedef struct {
  const ZiTrainerConfig   *cfg;
  const char              *run_dir;
  ZiTrainerControl        *control;
  ZiTrainerSessionEmitFunc emit;
  gpointer                 emit_data;
  const ZiTrainerDist     *dist;            /* a data-parallel job's process, or NULL */
  guint                    size;
  gsize                    pixels;
  int                      batch;

  ZiTrainerData           *data;
  ZiTrainerModel          *model;           /* NULL until the data is loaded */
  ZiTrainerEmaGlyphs       ema_glyphs;      /* the training glyphs, for the average's statistics */
  ZiHealth                *health;

  guint                    n_val;           /* validation glyphs measured, all styles (≤ the splits) */
  guint8                  *val_src, *val_tgt, *val_gen;  /* [the most validation glyphs of a style
                                                            * * pixels]: one style's at a time */
  guint                    n_styles;
  ZiSessionStyle          *styles;          /* [n_styles] */
  guint                    n_preview;
  guint                   *preview_idx;     /* [n_preview] indices into the dataset */
  ZiMetrics                baseline;        /* the identity baseline: source against target */
  gboolean                 has_baseline;
  ZiMetrics                val;             /* the latest validation */
  guint64                  val_step;
  gboolean                 has_val;
  ZiMetrics                val_raw;         /* with EMA: the latest validation of the raw weights */

  float                   *src_batch, *tgt_batch, *out_batch;  /* [batch * pixels] */
  int                     *style_batch;     /* [batch] */
  gboolean                 poisoned;
  NnStepStats              last_stats;      /* the last step's, for the final log line */
  float                    last_lr_g, last_lr_d;
  guint64                  window_images;   /* throughput over the last log interval */
  gint64                   window_us;
  gint64                   loading_reported_us;
} ZiSession;

/* The model's step, or 0 before it is built. */
static inline guint64
zi_session_current_step (ZiSession *s)
{
  return s->model != NULL ? zi_trainer_model_get_progress (s->model)->step : 0;
}

/* FALSE in a data-parallel job's processes other than rank 0, which write nothing into the run. */
static inline gboolean
zi_session_writes_run (ZiSession *s)
{
  return s->dist == NULL || s->dist->rank == 0;
}

/* Hands the event to the function the session was given. */
static inline void
zi_session_emit (ZiSession *s, ZiTrainerEvent *event)
{
  s->emit (event, s->emit_data);
}

/* The run's training time so far, in seconds, over all its sessions. */
static inline double
zi_session_total_seconds (const ZiTrainerProgress *p)
{
  return p->seconds_before + p->active_us / (double) G_USEC_PER_SEC;
}

/* zi-trainer-session-report.c */

/* Where the data and the model send their warnings (a ZiHealthWarnFunc; user_data is the session): a
 * WARNING event. */
void     zi_session_warn_cb            (ZiHealthKind kind, const char *message, gpointer user_data);
/* Counts each style's validation glyphs (at most val_max a style), picks style 0's preview glyphs,
 * and measures the identity baselines. */
void     zi_session_prepare_validation (ZiSession *s);
/* Validation and previews of the current weights, with their events; *is_best when the validation
 * is the run's best so far. */
gboolean zi_session_validate           (ZiSession *s, gboolean *is_best, GError **error);
/* Appends the current step's line to metrics.jsonl (rank 0 only; st NULL: no losses, with_val: the
 * latest validation's figures) and, with st and with_event, emits STEP with the throughput and ETA
 * since the last such event. */
gboolean zi_session_log_step           (ZiSession         *s,
                                        const NnStepStats *st,
                                        float              lr_g,
                                        float              lr_d,
                                        gboolean           with_val,
                                        gboolean           with_event,
                                        GError           **error);

G_END_DECLS
