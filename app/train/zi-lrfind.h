/* zi-lrfind.h — the learning-rate range test (Smith 2017, "Cyclical Learning Rates for Training Neural
 * Networks", §3.3): train a throw-away model for a few hundred steps while the rate grows
 * exponentially from lr_min to lr_max, record the generator's loss, and suggest the rate where the
 * smoothed loss falls fastest. Used by `zimaru-cli lr-find` and the window; runs on the calling
 * thread (the GUI calls it from a worker). */
#pragma once

#include <glib.h>
#include <gio/gio.h>
#include "zi-dataset.h"
#include "zi-trainer.h"
#include "zi-types.h"

G_BEGIN_DECLS

typedef struct {
  double lr_min;     /* 1e-6 */
  double lr_max;     /* 1e-1 */
  guint  steps;      /* 200 */
  double beta;       /* smoothing of the loss (exponential moving average, bias-corrected): 0.9 */
  double diverge;    /* stop when the smoothed loss exceeds this × its minimum: 4 */
} ZiLrFindOptions;

typedef struct {
  guint   n;          /* steps recorded (≤ options.steps; fewer when the loss diverged) */
  double *lr;         /* [n] the generator's rate of each step */
  double *g_loss;     /* [n] */
  double *d_loss;     /* [n] */
  double *smoothed;   /* [n] smoothed g_loss */
  double  suggested;  /* the suggested generator rate, or 0 when the curve gives no answer */
  guint   suggested_index;
  gboolean diverged;  /* stopped early because the loss blew up */
} ZiLrFindResult;

void            zi_lrfind_options_init (ZiLrFindOptions *options);
/* ZI_ERROR_INVALID naming the bad value unless 0 < lr_min < lr_max ≤ 10, beta in [0, 1), diverge > 1
 * (all finite) and steps ≥ 3; zi_lrfind_run() checks the same before it starts. */
gboolean        zi_lrfind_options_check (const ZiLrFindOptions *options, GError **error);

/* Runs the test for cfg (architecture, losses, optimiser kinds; the rates are swept, D keeping its
 * ratio to G) on the pairs of data, with a fresh model seeded from cfg->seed. */
ZiLrFindResult *zi_lrfind_run (const ZiTrainerConfig *cfg,
                               const ZiDataset       *data,
                               const ZiLrFindOptions *options,
                               ZiProgressFunc         progress,
                               gpointer               user_data,
                               GCancellable          *cancellable,
                               GError               **error);
void            zi_lrfind_result_free (ZiLrFindResult *result);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (ZiLrFindResult, zi_lrfind_result_free)

/* The suggestion alone, from a recorded curve: smooths loss into smoothed[n] and returns the index of
 * the steepest descent of the smoothed loss against log(lr), searched before the smoothed minimum
 * (G_MAXUINT when the curve never falls). */
guint           zi_lrfind_suggest (const double *lr, const double *loss, guint n, double beta,
                                   double *smoothed);

/* {"suggested_lr": x, "diverged": b, "points": [{"lr":..,"g_loss":..,"d_loss":..,"smoothed":..}, ...]} */
char           *zi_lrfind_result_to_json (const ZiLrFindResult *result);

G_END_DECLS
