/* zi-health.h — training-health watchdog: the failure modes users of zi2zi-style tools fight with,
 * detected from the stream of step statistics, previews and validation metrics, each reported once
 * (with a cool-down) as a one-line explanation with advice that the GUI shows as a banner.
 *
 * GLib-only and free of threads: the trainer feeds it on its worker thread. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum {
  ZI_HEALTH_D_TOO_STRONG,     /* d_loss near 0 for a window while the adversarial loss climbs */
  ZI_HEALTH_G_COLLAPSE,       /* generated previews nearly identical across different inputs */
  ZI_HEALTH_DIVERGED,         /* NaN/Inf or a loss explosion: rolled back and the lr was halved */
  ZI_HEALTH_VAL_OSCILLATION,  /* the validation metric swings up and down instead of improving */
  ZI_HEALTH_OTHER,            /* anything else worth a banner (e.g. a checkpoint could not be pruned) */
} ZiHealthKind;

/* A short stable identifier ("d-too-strong", "g-collapse", "diverged", "val-oscillation", "other")
 * for JSON output and logs. */
const char *zi_health_kind_to_string (ZiHealthKind kind);

/* Where the parts of a training session send a warning (one line: what happened and what to do);
 * the session loop turns it into a WARNING event. */
typedef void (*ZiHealthWarnFunc) (ZiHealthKind kind, const char *message, gpointer user_data);

typedef struct _ZiHealth ZiHealth;

ZiHealth *zi_health_new (void);
void      zi_health_free (ZiHealth *health);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (ZiHealth, zi_health_free)

/* Feeds one training step. Returns TRUE and sets *kind and *message (caller frees) when a warning
 * is due now. */
gboolean zi_health_observe_step (ZiHealth     *health,
                                 guint64       step,
                                 float         d_loss,
                                 float         g_adv,
                                 float         g_loss,
                                 ZiHealthKind *kind,
                                 char        **message);

/* Feeds the generated previews (n images of size×size coverage, 0..255) of different inputs. */
gboolean zi_health_observe_previews (ZiHealth     *health,
                                     guint64       step,
                                     const guint8 *generated,  /* [n * size * size] */
                                     const guint8 *sources,    /* [n * size * size] */
                                     guint         n,
                                     guint         size,
                                     ZiHealthKind *kind,
                                     char        **message);

/* Feeds a validation SSIM (higher is better). */
gboolean zi_health_observe_validation (ZiHealth     *health,
                                       guint64       step,
                                       double        val_ssim,
                                       ZiHealthKind *kind,
                                       char        **message);

/* TRUE when g_loss is a loss explosion relative to the recent history (more than factor × the
 * running median of the last steps, after a warm-up), which the trainer treats like a NaN. */
gboolean zi_health_is_explosion (ZiHealth *health, float g_loss, float d_loss);

/* Forgets the loss history (after a rollback, so the reloaded model is not judged by the old curve). */
void      zi_health_reset_history (ZiHealth *health);

G_END_DECLS
