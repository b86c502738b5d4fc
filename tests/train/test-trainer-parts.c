/* test-trainer-parts.c — the parts below the trainer's session loop, each driven on its own without
 * the trainer object or a worker thread: the controls shared between the steering thread and the
 * worker (zi-trainer-control.h), and the generator's moving average (zi-trainer-ema.h), which must
 * give back the trained weights and norm statistics bit for bit after it has been swapped in. */
#include "zi-trainer-control.h"
#include "zi-trainer-ema.h"

#include <string.h>

static void
test_control (void)
{
  ZiTrainerControl *c = zi_trainer_control_new ();
  float lr_g = 0, lr_d = 0;
  guint64 step = 1;

  g_assert_true (zi_trainer_control_start (c));
  g_assert_false (zi_trainer_control_start (c));
  g_assert_true (zi_trainer_control_is_started (c));

  /* New rates are taken only while paused, and handed over once. */
  g_assert_false (zi_trainer_control_set_lr (c, 1e-3f, 0));
  g_assert_false (zi_trainer_control_pause_pending (c));
  zi_trainer_control_pause (c);
  g_assert_true (zi_trainer_control_pause_pending (c));
  g_assert_true (zi_trainer_control_set_lr (c, 1e-3f, 2e-3f));
  zi_trainer_control_resume (c);
  g_assert_true (zi_trainer_control_wait_while_paused (c, &lr_g, &lr_d));
  g_assert_cmpfloat (lr_g, ==, 1e-3f);
  g_assert_cmpfloat (lr_d, ==, 2e-3f);
  g_assert_false (zi_trainer_control_wait_while_paused (c, &lr_g, &lr_d));

  /* A stop ends a pause. */
  zi_trainer_control_pause (c);
  zi_trainer_control_stop (c);
  g_assert_false (zi_trainer_control_pause_pending (c));
  g_assert_true (zi_trainer_control_should_stop (c));
  g_assert_false (zi_trainer_control_wait_while_paused (c, &lr_g, &lr_d));

  /* A state change is reported once, with the step of that moment. */
  g_assert_cmpint (zi_trainer_control_get_state (c), ==, ZI_TRAINER_STATE_IDLE);
  zi_trainer_control_set_step (c, 42);
  g_assert_true (zi_trainer_control_set_state (c, ZI_TRAINER_STATE_RUNNING, &step));
  g_assert_cmpuint (step, ==, 42);
  g_assert_false (zi_trainer_control_set_state (c, ZI_TRAINER_STATE_RUNNING, &step));
  g_assert_cmpint (zi_trainer_control_get_state (c), ==, ZI_TRAINER_STATE_RUNNING);
  g_assert_cmpuint (zi_trainer_control_get_step (c), ==, 42);
  zi_trainer_control_free (c);
}

static void
test_ema (void)
{
  NnPix2PixConfig cfg;
  NnPix2Pix *model = NULL;
  enum { N_GLYPHS = 5, SIZE = 32 };
  const gsize pixels = SIZE * SIZE;
  g_autofree guint8 *source = g_malloc (N_GLYPHS * pixels);
  const guint index[] = { 0, 2, 4 };
  float *params = NULL, *stats = NULL;
  g_autoptr(GError) error = NULL;

  nn_pix2pix_defaults (&cfg);
  cfg.size = SIZE;
  cfg.ngf = 4;
  cfg.batch = 2;
  cfg.norm = NN_NORM_BATCH;
  g_assert_cmpint (nn_pix2pix_create (&model, &cfg, NULL, NULL, 3), ==, NN_OK);
  for (gsize i = 0; i < N_GLYPHS * pixels; i++)
    source[i] = (guint8) (i * 37 % 256);
  g_autoptr(ZiPackedImages) packed = zi_packed_images_new (source, N_GLYPHS, pixels);
  ZiDataset dataset = { .size = SIZE, .n = N_GLYPHS, .source = packed };
  ZiTrainerEmaGlyphs glyphs = { &dataset, index, G_N_ELEMENTS (index), pixels, cfg.batch, 7 };

  gsize n = nn_pix2pix_param_block (model, 0, &params, NULL);
  gsize n_stats = nn_pix2pix_norm_stats (model, &stats);
  g_assert_cmpuint (n_stats, >, 0);
  ZiTrainerEma *ema = zi_trainer_ema_new (model, 0.5f, &glyphs);

  /* "Training" moves the weights; at step 1 the ramped decay is 2/11. */
  float initial = params[0];
  for (gsize i = 0; i < n; i++)
    params[i] += 1.0f;
  g_autofree float *trained = g_memdup2 (params, n * sizeof (float));
  g_autofree float *trained_stats = g_memdup2 (stats, n_stats * sizeof (float));
  zi_trainer_ema_update (ema, model, 1);

  g_assert_true (zi_trainer_ema_enter (ema, model, 1, &error));
  g_assert_no_error (error);
  g_assert_cmpfloat_with_epsilon (params[0], trained[0] - 2.0f / 11.0f, 1e-5);
  g_assert_true (memcmp (stats, trained_stats, n_stats * sizeof (float)) != 0);
  zi_trainer_ema_leave (ema, model);
  g_assert_cmpmem (params, n * sizeof (float), trained, n * sizeof (float));
  g_assert_cmpmem (stats, n_stats * sizeof (float), trained_stats, n_stats * sizeof (float));

  /* Back to the snapshot taken at the start. */
  zi_trainer_ema_restore (ema);
  g_assert_true (zi_trainer_ema_enter (ema, model, 2, &error));
  g_assert_cmpfloat (params[0], ==, initial);
  zi_trainer_ema_leave (ema, model);
  g_assert_cmpmem (params, n * sizeof (float), trained, n * sizeof (float));

  zi_trainer_ema_free (ema);
  nn_pix2pix_free (model);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/train/control", test_control);
  g_test_add_func ("/train/ema/enter-leave", test_ema);
  return g_test_run ();
}
