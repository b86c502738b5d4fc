/* zi-health.c — the training-health watchdog (see zi-health.h).
 *
 * Each detector keeps a short history and fires at most once per cool-down, so a banner is news and
 * not noise. Thresholds are deliberately loose: a false alarm costs the user a look at the previews,
 * a missed collapse costs hours. */
#include "config.h"
#include "zi-health.h"

#include <glib/gi18n.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define STEP_WINDOW        200   /* steps in the D-too-strong window */
#define D_NEAR_ZERO        0.05f /* mean d_loss below this counts as "near 0" */
#define ADV_CLIMB          1.25f /* adversarial loss grew by this factor across the window */
#define STEP_COOLDOWN      2000  /* steps between two warnings of the same kind */
#define LOSS_HISTORY       64    /* losses kept for the explosion test */
#define LOSS_WARMUP        20    /* observations before explosions are judged */
#define EXPLOSION_FACTOR   10.0f
#define COLLAPSE_RATIO     0.15  /* previews differ < 15% as much as their sources do */
#define COLLAPSE_MIN_STEP  500
#define VAL_HISTORY        6
#define VAL_MIN_SWING      0.02

struct _ZiHealth {
  /* D too strong: a ring of the last STEP_WINDOW (d_loss, g_adv). */
  float    d_ring[STEP_WINDOW];
  float    adv_ring[STEP_WINDOW];
  guint    ring_len, ring_pos;
  guint64  d_warned_at;
  gboolean d_warned;

  float    losses[LOSS_HISTORY];
  float    d_losses[LOSS_HISTORY];
  guint    loss_len, loss_pos;

  guint64  collapse_warned_at;
  gboolean collapse_warned;

  double   val[VAL_HISTORY];
  guint    val_len;
  double   val_best;
  guint    val_since_warn;
  gboolean val_warned;
};

const char *
zi_health_kind_to_string (ZiHealthKind kind)
{
  switch (kind)
    {
    case ZI_HEALTH_D_TOO_STRONG: return "d-too-strong";
    case ZI_HEALTH_G_COLLAPSE: return "g-collapse";
    case ZI_HEALTH_DIVERGED: return "diverged";
    case ZI_HEALTH_VAL_OSCILLATION: return "val-oscillation";
    case ZI_HEALTH_OTHER:
    default: return "other";
    }
}

ZiHealth *
zi_health_new (void)
{
  ZiHealth *h = g_new0 (ZiHealth, 1);

  h->val_best = -INFINITY;
  return h;
}

void
zi_health_free (ZiHealth *health)
{
  g_free (health);
}

static gboolean
cooled_down (gboolean warned, guint64 at, guint64 step)
{
  return !warned || step >= at + STEP_COOLDOWN;
}

gboolean
zi_health_observe_step (ZiHealth *h, guint64 step, float d_loss, float g_adv, float g_loss,
                        ZiHealthKind *kind, char **message)
{
  g_return_val_if_fail (h != NULL, FALSE);
  g_return_val_if_fail (kind != NULL && message != NULL, FALSE);

  if (!isfinite (d_loss) || !isfinite (g_adv) || !isfinite (g_loss))
    return FALSE;

  h->losses[h->loss_pos] = g_loss;
  h->d_losses[h->loss_pos] = d_loss;
  h->loss_pos = (h->loss_pos + 1) % LOSS_HISTORY;
  h->loss_len = MIN (h->loss_len + 1, LOSS_HISTORY);

  h->d_ring[h->ring_pos] = d_loss;
  h->adv_ring[h->ring_pos] = g_adv;
  h->ring_pos = (h->ring_pos + 1) % STEP_WINDOW;
  h->ring_len = MIN (h->ring_len + 1, STEP_WINDOW);
  if (h->ring_len < STEP_WINDOW || !cooled_down (h->d_warned, h->d_warned_at, step))
    return FALSE;

  /* Oldest half against newest half of the window (ring_pos is the oldest entry). */
  double d_mean = 0, adv_old = 0, adv_new = 0;
  for (guint i = 0; i < STEP_WINDOW; i++)
    {
      guint k = (h->ring_pos + i) % STEP_WINDOW;
      d_mean += h->d_ring[k];
      if (i < STEP_WINDOW / 2)
        adv_old += h->adv_ring[k];
      else
        adv_new += h->adv_ring[k];
    }
  d_mean /= STEP_WINDOW;
  adv_old /= STEP_WINDOW / 2;
  adv_new /= STEP_WINDOW / 2;
  if (d_mean < D_NEAR_ZERO && adv_new > ADV_CLIMB * adv_old && adv_new > 0.0)
    {
      h->d_warned = TRUE;
      h->d_warned_at = step;
      *kind = ZI_HEALTH_D_TOO_STRONG;
      *message = g_strdup_printf (_("The discriminator is winning: its loss stayed near %.3f for %u steps "
                                    "while the generator's adversarial loss rose to %.2f, so the glyphs may "
                                    "stop improving. Lower the discriminator's learning rate (--lr-d) or "
                                    "raise the L1 weight."),
                                  d_mean, STEP_WINDOW, adv_new);
      return TRUE;
    }
  return FALSE;
}

static int
compare_float (gconstpointer a, gconstpointer b)
{
  float x = *(const float *) a, y = *(const float *) b;
  return x < y ? -1 : x > y;
}

static float
median (const float *v, guint n)
{
  float tmp[LOSS_HISTORY];

  memcpy (tmp, v, n * sizeof (float));
  qsort (tmp, n, sizeof (float), compare_float);
  return tmp[n / 2];
}

gboolean
zi_health_is_explosion (ZiHealth *h, float g_loss, float d_loss)
{
  g_return_val_if_fail (h != NULL, FALSE);

  if (!isfinite (g_loss) || !isfinite (d_loss))
    return TRUE;
  if (h->loss_len < LOSS_WARMUP)
    return FALSE;
  /* Absolute floors keep a run whose loss is already tiny from tripping on ordinary noise. */
  float gm = median (h->losses, h->loss_len);
  float dm = median (h->d_losses, h->loss_len);
  return g_loss > EXPLOSION_FACTOR * gm + 1.0f || d_loss > EXPLOSION_FACTOR * dm + 10.0f;
}

void
zi_health_reset_history (ZiHealth *h)
{
  g_return_if_fail (h != NULL);

  h->loss_len = h->loss_pos = 0;
  h->ring_len = h->ring_pos = 0;
}

static double
mean_pairwise_l1 (const guint8 *img, guint n, gsize pixels)
{
  double total = 0;
  guint pairs = 0;

  for (guint i = 0; i < n; i++)
    for (guint j = i + 1; j < n; j++)
      {
        guint64 s = 0;
        for (gsize p = 0; p < pixels; p++)
          s += (guint64) ABS ((int) img[i * pixels + p] - (int) img[j * pixels + p]);
        total += (double) s / (255.0 * (double) pixels);
        pairs++;
      }
  return pairs ? total / pairs : 0.0;
}

gboolean
zi_health_observe_previews (ZiHealth *h, guint64 step, const guint8 *generated, const guint8 *sources,
                            guint n, guint size, ZiHealthKind *kind, char **message)
{
  gsize pixels = (gsize) size * size;

  g_return_val_if_fail (h != NULL, FALSE);
  g_return_val_if_fail (kind != NULL && message != NULL, FALSE);

  if (n < 2 || step < COLLAPSE_MIN_STEP
      || !cooled_down (h->collapse_warned, h->collapse_warned_at, step))
    return FALSE;
  double src = mean_pairwise_l1 (sources, n, pixels);
  double gen = mean_pairwise_l1 (generated, n, pixels);
  if (src <= 0.0 || gen >= COLLAPSE_RATIO * src)
    return FALSE;
  h->collapse_warned = TRUE;
  h->collapse_warned_at = step;
  *kind = ZI_HEALTH_G_COLLAPSE;
  *message = g_strdup_printf (_("The generator draws nearly the same image for different characters "
                                "(the previews differ only %.0f%% as much as their sources): it may have "
                                "collapsed. Continue from an earlier checkpoint with a lower learning rate."),
                              100.0 * gen / src);
  return TRUE;
}

gboolean
zi_health_observe_validation (ZiHealth *h, guint64 step, double val_ssim, ZiHealthKind *kind,
                              char **message)
{
  gboolean improved;

  g_return_val_if_fail (h != NULL, FALSE);
  g_return_val_if_fail (kind != NULL && message != NULL, FALSE);

  if (!isfinite (val_ssim))
    return FALSE;
  improved = val_ssim > h->val_best + 1e-3;
  if (val_ssim > h->val_best)
    h->val_best = val_ssim;
  if (h->val_len == VAL_HISTORY)
    memmove (h->val, h->val + 1, (VAL_HISTORY - 1) * sizeof (double));
  else
    h->val_len++;
  h->val[h->val_len - 1] = val_ssim;
  h->val_since_warn++;

  if (improved || h->val_len < VAL_HISTORY || (h->val_warned && h->val_since_warn < VAL_HISTORY))
    return FALSE;

  /* Oscillation: the direction flips at almost every validation and the swings are not small. */
  guint flips = 0;
  double lo = h->val[0], hi = h->val[0];
  for (guint i = 1; i < VAL_HISTORY; i++)
    {
      lo = MIN (lo, h->val[i]);
      hi = MAX (hi, h->val[i]);
      if (i >= 2 && (h->val[i] - h->val[i - 1]) * (h->val[i - 1] - h->val[i - 2]) < 0)
        flips++;
    }
  if (flips < VAL_HISTORY - 3 || hi - lo < VAL_MIN_SWING)
    return FALSE;
  h->val_warned = TRUE;
  h->val_since_warn = 0;
  *kind = ZI_HEALTH_VAL_OSCILLATION;
  *message = g_strdup_printf (_("Validation SSIM swings between %.3f and %.3f over the last %u validations "
                                "instead of improving: use the best checkpoint (kept for you) or lower "
                                "the learning rate."),
                              lo, hi, (guint) VAL_HISTORY);
  return TRUE;
}
