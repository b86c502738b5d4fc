/* test-trainer-config.c — the trainer's parts that need no training: configuration (defaults, presets,
 * range checks, JSON round trip, the output representation), checkpoint metadata, event copies, the
 * health detectors on made-up loss curves, and the learning-rate suggestion on a made-up range test. */
#include "zi-error.h"
#include "zi-health.h"
#include "zi-lrfind.h"
#include "zi-run.h"
#include "zi-trainer.h"
#include "nn-peak.h"

#include <math.h>
#include <string.h>

static void
test_defaults (void)
{
  ZiTrainerConfig cfg;
  g_autoptr(GError) error = NULL;

  zi_trainer_config_init (&cfg);
  g_assert_cmpint (cfg.net.size, ==, 64);
  g_assert_cmpint (cfg.net.ngf, ==, 32);
  g_assert_cmpint (cfg.net.batch, ==, 16);
  g_assert_cmpfloat (cfg.net.l1_weight, ==, 100.0f);
  g_assert_cmpint (cfg.opt_g.kind, ==, NN_OPT_ADAM);
  g_assert_cmpfloat (cfg.opt_g.lr, ==, 5e-4f);
  g_assert_cmpfloat (cfg.net.dropout, ==, 0.0f);
  g_assert_cmpfloat (cfg.net.ssim_weight, ==, 1500.0f);
  g_assert_cmpfloat (cfg.opt_g.beta1, ==, 0.5f);
  g_assert_cmpfloat (cfg.opt_d.lr, ==, 0.0f);  /* follows G */
  g_assert_cmpint (cfg.sched.kind, ==, NN_SCHED_FIXED);
  g_assert_false (cfg.augment);
  g_assert_cmpfloat (cfg.ema_decay, ==, 0.999f);
  g_assert_cmpstr (cfg.source_font, ==, "Noto Sans CJK TC");
  g_assert_cmpstr (cfg.target_font, ==, "Zen Maru Gothic");
  g_assert_true (zi_trainer_config_validate (&cfg, &error));
  g_assert_no_error (error);
  zi_trainer_config_clear (&cfg);
  g_assert_null (cfg.source_font);
}

static void
test_validate (void)
{
  ZiTrainerConfig cfg;
  g_autoptr(GError) error = NULL;
  zi_trainer_config_init (&cfg);
  cfg.net.size = 100;
  g_assert_false (zi_trainer_config_validate (&cfg, &error));
  g_assert_error (error, ZI_ERROR, ZI_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "100"));
  g_clear_error (&error);
  cfg.net.size = 64;

  cfg.opt_g.lr = -1.0f;
  g_assert_false (zi_trainer_config_validate (&cfg, &error));
  g_assert_nonnull (strstr (error->message, "-1"));
  g_clear_error (&error);
  cfg.opt_g.lr = 2e-4f;

  cfg.val_fraction = 1.0;
  g_assert_false (zi_trainer_config_validate (&cfg, &error));
  g_clear_error (&error);
  cfg.val_fraction = 0.05;

  cfg.opt_g.beta1 = 1.0f;
  g_assert_false (zi_trainer_config_validate (&cfg, &error));
  g_clear_error (&error);
  cfg.opt_g.beta1 = 0.5f;

  cfg.sched.kind = NN_SCHED_STEP;
  cfg.sched.every = 0;
  g_assert_false (zi_trainer_config_validate (&cfg, &error));
  g_clear_error (&error);
  cfg.sched.every = 100;
  cfg.sched.gamma = 0.5f;
  g_assert_true (zi_trainer_config_validate (&cfg, &error));
  zi_trainer_config_clear (&cfg);
}

/* Every floating-point field of the configuration refuses NaN and both infinities with an error that
 * names the value, and so does run.json's "config" when JSON-GLib reads 1e999 as infinity. */
static void
test_non_finite (void)
{
  ZiTrainerConfig cfg;
  const double bad[] = { NAN, INFINITY, -INFINITY };
  const char *names[] = { "nan", "inf", "-inf" };
  const char *json_bad[] = {
    "{\"opt_g\": {\"lr\": 1e999}}",
    "{\"l1_weight\": 1e999}",
    "{\"max_minutes\": -1e999}",
    "{\"schedule\": {\"gamma\": 1e999}}",
  };

  zi_trainer_config_init (&cfg);
  for (guint k = 0; k < G_N_ELEMENTS (bad); k++)
    {
      float *fields[] = {
        &cfg.opt_g.lr, &cfg.opt_g.beta1, &cfg.opt_g.beta2, &cfg.opt_g.momentum, &cfg.opt_g.weight_decay,
        &cfg.opt_g.eps, &cfg.opt_g.alpha, &cfg.opt_g.rms_momentum, &cfg.opt_d.lr, &cfg.opt_d.beta1,
        &cfg.net.l1_weight, &cfg.net.const_weight, &cfg.net.tv_weight, &cfg.net.ssim_weight,
        &cfg.net.clip_norm, &cfg.net.dropout, &cfg.ema_decay, &cfg.sched.gamma, &cfg.sched.floor_lr,
        &cfg.sched.min_lr, &cfg.sched.base_lr, &cfg.sched.threshold,
      };
      double *doubles[] = { &cfg.val_fraction, &cfg.em_fraction, &cfg.max_minutes };

      for (guint i = 0; i < G_N_ELEMENTS (fields) + G_N_ELEMENTS (doubles); i++)
        {
          g_autoptr(GError) error = NULL;
          float fsaved = 0;
          double dsaved = 0;

          if (i < G_N_ELEMENTS (fields))
            fsaved = *fields[i], *fields[i] = (float) bad[k];
          else
            dsaved = *doubles[i - G_N_ELEMENTS (fields)], *doubles[i - G_N_ELEMENTS (fields)] = bad[k];
          g_assert_false (zi_trainer_config_validate (&cfg, &error));
          g_assert_error (error, ZI_ERROR, ZI_ERROR_INVALID);
          g_assert_nonnull (strstr (error->message, names[k]));
          g_assert_nonnull (strstr (error->message, "use a value in"));
          if (i < G_N_ELEMENTS (fields))
            *fields[i] = fsaved;
          else
            *doubles[i - G_N_ELEMENTS (fields)] = dsaved;
        }
    }
  zi_trainer_config_clear (&cfg);

  for (guint i = 0; i < G_N_ELEMENTS (json_bad); i++)
    {
      g_autoptr(GError) error = NULL;

      g_assert_false (zi_trainer_config_from_json (&cfg, json_bad[i], &error));
      g_assert_error (error, ZI_ERROR, ZI_ERROR_INVALID);
      g_assert_nonnull (strstr (error->message, "inf"));
      zi_trainer_config_clear (&cfg);
    }
}

static void
test_presets (void)
{
  ZiTrainerConfig cfg;
  g_autoptr(GError) error = NULL;

  zi_trainer_config_init (&cfg);
  g_assert_true (zi_trainer_config_apply_preset (&cfg, "zi2zi", &error));
  g_assert_cmpfloat (cfg.opt_g.lr, ==, 1e-3f);
  g_assert_cmpint (cfg.sched.kind, ==, NN_SCHED_STEP);
  g_assert_cmpfloat (cfg.sched.gamma, ==, 0.5f);
  g_assert_cmpfloat (cfg.sched.base_lr, ==, 1e-3f);
  g_assert_cmpfloat (cfg.net.const_weight, ==, 15.0f);
  g_assert_cmpfloat (cfg.net.dropout, ==, 0.5f);
  g_assert_cmpint (cfg.opt_g.kind, ==, NN_OPT_ADAM);
  g_assert_cmpfloat (cfg.opt_g.beta1, ==, 0.5f);
  g_assert_cmpfloat (cfg.opt_d.lr, ==, 0.0f);
  g_assert_true (zi_trainer_config_validate (&cfg, &error));
  g_assert_true (zi_trainer_config_apply_preset (&cfg, "pix2pix", &error));
  g_assert_cmpfloat (cfg.opt_g.lr, ==, 2e-4f);
  g_assert_cmpfloat (cfg.net.dropout, ==, 0.5f);
  g_assert_cmpfloat (cfg.net.ssim_weight, ==, 0.0f);
  g_assert_cmpfloat (cfg.ema_decay, ==, 0.0f);
  g_assert_cmpint (cfg.sched.kind, ==, NN_SCHED_FIXED);
  g_assert_cmpfloat (cfg.sched.base_lr, ==, 2e-4f);
  g_assert_true (zi_trainer_config_validate (&cfg, &error));
  g_assert_true (zi_trainer_config_apply_preset (&cfg, "hq", &error));
  g_assert_cmpint (cfg.net.size, ==, 256);
  g_assert_cmpint (cfg.sched.kind, ==, NN_SCHED_COSINE);
  g_assert_true (zi_trainer_config_validate (&cfg, &error));
  g_assert_true (zi_trainer_config_apply_preset (&cfg, "quick", &error));
  g_assert_cmpint (cfg.net.ngf, ==, 16);
  /* A preset starts from the defaults: nothing of hq's is left. */
  g_assert_cmpint (cfg.net.size, ==, 64);
  g_assert_cmpint (cfg.sched.kind, ==, NN_SCHED_FIXED);
  g_assert_cmpuint (cfg.sched.warmup_steps, ==, 0);
  g_assert_cmpfloat (cfg.net.dropout, ==, 0.0f);
  g_assert_cmpfloat (cfg.sched.base_lr, ==, cfg.opt_g.lr);
  cfg.opt_g.lr = 0.1f;
  cfg.seed = 99;
  g_assert_true (zi_trainer_config_apply_preset (&cfg, "recommended", &error));
  g_assert_cmpfloat (cfg.opt_g.lr, ==, 5e-4f);
  g_assert_cmpint (cfg.net.ngf, ==, 32);
  g_assert_cmpuint (cfg.seed, ==, 99);  /* not part of a recipe */
  g_assert_false (zi_trainer_config_apply_preset (&cfg, "turbo", &error));
  g_assert_error (error, ZI_ERROR, ZI_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "turbo"));
  zi_trainer_config_clear (&cfg);
}

static void
test_json_round_trip (void)
{
  ZiTrainerConfig cfg, back;
  g_autoptr(GError) error = NULL;
  g_autofree char *json = NULL;
  g_autofree char *json2 = NULL;

  zi_trainer_config_init (&cfg);
  g_free (cfg.source_font);
  cfg.source_font = g_strdup ("/fonts/a.ttc#3");
  cfg.net.size = 128;
  cfg.net.norm = NN_NORM_INSTANCE;
  cfg.net.gan_loss = NN_GAN_HINGE;
  cfg.net.tv_weight = 0.25f;
  cfg.opt_g.kind = NN_OPT_RMSPROP;
  cfg.opt_g.lr = 3.3e-4f;
  cfg.opt_d.lr = 1.1e-4f;
  cfg.opt_d.centered = 1;
  cfg.sched.kind = NN_SCHED_COSINE;
  cfg.sched.total_steps = 12345;
  cfg.sched.warmup_steps = 77;
  cfg.max_minutes = 2.5;
  cfg.seed = G_GUINT64_CONSTANT (0xFEDCBA9876543210);  /* above 2^63 */
  cfg.augment = TRUE;

  json = zi_trainer_config_to_json (&cfg);
  g_assert_true (zi_trainer_config_from_json (&back, json, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (back.source_font, ==, "/fonts/a.ttc#3");
  g_assert_cmpint (back.net.size, ==, 128);
  g_assert_cmpint (back.net.norm, ==, NN_NORM_INSTANCE);
  g_assert_cmpint (back.net.gan_loss, ==, NN_GAN_HINGE);
  g_assert_cmpfloat (back.net.tv_weight, ==, 0.25f);
  g_assert_cmpint (back.opt_g.kind, ==, NN_OPT_RMSPROP);
  g_assert_cmpfloat (back.opt_g.lr, ==, 3.3e-4f);
  g_assert_cmpfloat (back.opt_d.lr, ==, 1.1e-4f);
  g_assert_cmpint (back.opt_d.centered, ==, 1);
  g_assert_cmpint (back.sched.kind, ==, NN_SCHED_COSINE);
  g_assert_cmpuint (back.sched.total_steps, ==, 12345);
  g_assert_cmpuint (back.sched.warmup_steps, ==, 77);
  g_assert_cmpfloat (back.max_minutes, ==, 2.5);
  g_assert_cmpuint (back.seed, ==, G_GUINT64_CONSTANT (0xFEDCBA9876543210));
  g_assert_true (back.augment);
  /* Serialising the copy gives the same text: nothing lost, nothing invented. */
  json2 = zi_trainer_config_to_json (&back);
  g_assert_cmpstr (json, ==, json2);
  zi_trainer_config_clear (&back);

  g_assert_false (zi_trainer_config_from_json (&back, "{\"norm\": \"group\"}", &error));
  g_assert_error (error, ZI_ERROR, ZI_ERROR_RUN);
  g_clear_error (&error);
  zi_trainer_config_clear (&back);
  /* Members of the wrong type fall back to the defaults (or fail validation), without warnings. */
  g_assert_true (zi_trainer_config_from_json (&back, "{\"size\": \"big\", \"opt_g\": 7, \"schedule\": [], "
                                                     "\"source_font\": 12, \"seed\": 1.5}", &error));
  g_assert_no_error (error);
  g_assert_cmpint (back.net.size, ==, 64);
  g_assert_cmpstr (back.source_font, ==, "Noto Sans CJK TC");
  zi_trainer_config_clear (&back);
  g_assert_false (zi_trainer_config_from_json (&back, "{\"size\": 100}", &error));
  g_assert_error (error, ZI_ERROR, ZI_ERROR_INVALID);
  g_clear_error (&error);
  zi_trainer_config_clear (&back);
  g_assert_false (zi_trainer_config_from_json (&back, "[]", &error));
  g_assert_error (error, ZI_ERROR, ZI_ERROR_RUN);
  zi_trainer_config_clear (&back);
  zi_trainer_config_clear (&cfg);
}

/* The output representation: ink by default, a field with its spread round-trips through run.json's
 * "config", a configuration written before fields existed is ink whatever the default, and a kind or
 * spread Zimaru cannot train is refused. */
/* The precision: auto by default, which is bf16 exactly where the processor has AVX512_BF16; a
 * run.json from before bf16 (no "precision") trained in float32 whatever the default; a named one
 * survives the round trip, and "auto" read back is resolved, never left for the engine. */
static void
test_precision (void)
{
  ZiTrainerConfig cfg, back;
  g_autoptr(GError) error = NULL;
  g_autofree char *json = NULL;
  NnPrecision here = nn_cpu_has_bf16 () ? NN_PRECISION_BF16 : NN_PRECISION_FP32;

  zi_trainer_config_init (&cfg);
  g_assert_cmpint (cfg.net.precision, ==, here);
  g_assert_true (zi_trainer_config_validate (&cfg, &error));
  g_assert_no_error (error);

  g_assert_true (zi_trainer_config_from_json (&back, "{\"size\": 64}", &error));
  g_assert_no_error (error);
  g_assert_cmpint (back.net.precision, ==, NN_PRECISION_FP32);
  zi_trainer_config_clear (&back);

  g_assert_true (zi_trainer_config_from_json (&back, "{\"precision\": \"auto\"}", &error));
  g_assert_cmpint (back.net.precision, ==, here);
  zi_trainer_config_clear (&back);

  cfg.net.precision = NN_PRECISION_FP32;
  json = zi_trainer_config_to_json (&cfg);
  g_assert_true (zi_trainer_config_from_json (&back, json, &error));
  g_assert_cmpint (back.net.precision, ==, NN_PRECISION_FP32);
  zi_trainer_config_clear (&back);

  g_assert_false (zi_trainer_config_from_json (&back, "{\"precision\": \"fp16\"}", &error));
  g_assert_error (error, ZI_ERROR, ZI_ERROR_RUN);
  zi_trainer_config_clear (&back);
  zi_trainer_config_clear (&cfg);
}

static void
test_representation (void)
{
  const char *bad[] = {
    "{\"representation\": {\"kind\": \"field\", \"spread\": 40}}",
    "{\"representation\": {\"kind\": \"bitmap\"}}",
    "{\"representation\": \"ink\"}",
  };
  ZiTrainerConfig cfg, back;
  g_autoptr(GError) error = NULL;
  g_autofree char *json = NULL;
  g_autofree char *json2 = NULL;

  zi_trainer_config_init (&cfg);
  g_assert_cmpint (cfg.representation, ==, ZI_REPRESENTATION_INK);
  g_assert_cmpuint (cfg.field_spread, ==, 4);
  g_assert_cmpuint (zi_trainer_config_get_field_spread (&cfg), ==, 0);
  cfg.field_spread = 1;  /* unused for ink */
  g_assert_true (zi_trainer_config_validate (&cfg, &error));
  g_assert_no_error (error);

  cfg.representation = ZI_REPRESENTATION_FIELD;
  g_assert_false (zi_trainer_config_validate (&cfg, &error));
  g_assert_error (error, ZI_ERROR, ZI_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "[2, 16]"));
  g_clear_error (&error);
  cfg.field_spread = 6;
  g_assert_true (zi_trainer_config_validate (&cfg, &error));
  g_assert_cmpuint (zi_trainer_config_get_field_spread (&cfg), ==, 6);
  /* The fields take a third plane of memory. */
  {
    ZiTrainerConfig ink;
    zi_trainer_config_copy (&ink, &cfg);
    ink.representation = ZI_REPRESENTATION_INK;
    g_assert_cmpuint (zi_trainer_estimate_memory (&cfg, 1000), >, zi_trainer_estimate_memory (&ink, 1000));
    zi_trainer_config_clear (&ink);
  }
  /* A preset is a recipe: it leaves what the generator draws alone. */
  g_assert_true (zi_trainer_config_apply_preset (&cfg, "pix2pix", &error));
  g_assert_cmpint (cfg.representation, ==, ZI_REPRESENTATION_FIELD);
  g_assert_cmpuint (cfg.field_spread, ==, 6);

  json = zi_trainer_config_to_json (&cfg);
  g_assert_nonnull (strstr (json, "\"representation\" : {\n    \"kind\" : \"field\",\n"
                                  "    \"spread\" : 6\n  }"));
  g_assert_true (zi_trainer_config_from_json (&back, json, &error));
  g_assert_no_error (error);
  g_assert_cmpint (back.representation, ==, ZI_REPRESENTATION_FIELD);
  g_assert_cmpuint (back.field_spread, ==, 6);
  json2 = zi_trainer_config_to_json (&back);
  g_assert_cmpstr (json, ==, json2);
  zi_trainer_config_clear (&back);

  /* Written before fields existed: ink, and the spread at its default. */
  g_assert_true (zi_trainer_config_from_json (&back, "{\"size\": 64, \"ngf\": 32}", &error));
  g_assert_no_error (error);
  g_assert_cmpint (back.representation, ==, ZI_REPRESENTATION_INK);
  g_assert_cmpuint (back.field_spread, ==, 4);
  g_assert_cmpuint (zi_trainer_config_get_field_spread (&back), ==, 0);
  zi_trainer_config_clear (&back);

  for (gsize i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_assert_false (zi_trainer_config_from_json (&back, bad[i], &error));
      g_assert_error (error, ZI_ERROR, ZI_ERROR_RUN);
      g_clear_error (&error);
      zi_trainer_config_clear (&back);
    }
  zi_trainer_config_clear (&cfg);
}

static void
test_enum_names (void)
{
  NnSchedKind s;
  NnOptKind o;
  NnGanLoss g;
  NnNormKind n;

  g_assert_true (zi_trainer_schedule_from_string ("plateau", &s));
  g_assert_cmpint (s, ==, NN_SCHED_PLATEAU);
  g_assert_cmpstr (zi_trainer_schedule_to_string (NN_SCHED_EXP), ==, "exp");
  g_assert_true (zi_trainer_optimizer_from_string ("SGD", &o));
  g_assert_cmpint (o, ==, NN_OPT_SGD);
  g_assert_true (zi_trainer_gan_loss_from_string ("lsgan", &g));
  g_assert_cmpint (g, ==, NN_GAN_LSGAN);
  g_assert_true (zi_trainer_norm_from_string ("instance", &n));
  g_assert_false (zi_trainer_norm_from_string ("layer", &n));
  g_assert_false (zi_trainer_optimizer_from_string (NULL, &o));
}

static void
test_meta_round_trip (void)
{
  ZiCheckpointMeta m, back;
  g_autoptr(GError) error = NULL;
  g_autofree char *json = NULL;

  zi_checkpoint_meta_init (&m);
  m.source_font = g_strdup ("Noto Sans CJK TC");
  m.target_font = g_strdup ("Zen Maru Gothic");
  m.size = 64;
  m.images = 123456;
  m.seconds = 98.5;
  m.lr_g = 2e-4f;  /* a float's value, as the trainer stores it */
  m.lr_scale = 0.25;
  m.plateau_bad = 2;
  m.has_best = TRUE;
  m.best_step = 3000;
  m.best_ssim = 0.7712;
  json = zi_checkpoint_meta_to_json (&m);
  g_assert_true (zi_checkpoint_meta_from_json (&back, json, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (back.target_font, ==, "Zen Maru Gothic");
  g_assert_cmpuint (back.images, ==, 123456);
  g_assert_cmpfloat ((float) back.lr_g, ==, 2e-4f);
  g_assert_cmpfloat (back.lr_scale, ==, 0.25);
  g_assert_true (isinf (back.plateau_best));  /* +inf goes through JSON as null */
  g_assert_cmpuint (back.plateau_bad, ==, 2);
  g_assert_true (back.has_best);
  g_assert_cmpuint (back.best_step, ==, 3000);
  g_assert_false (back.has_val);
  zi_checkpoint_meta_clear (&back);
  zi_checkpoint_meta_clear (&m);

  g_assert_false (zi_checkpoint_meta_from_json (&back, "not json", &error));
  g_assert_error (error, ZI_ERROR, ZI_ERROR_CHECKPOINT);
  zi_checkpoint_meta_clear (&back);
}

static void
test_event_copy (void)
{
  ZiTrainerEvent ev = { 0 };
  gunichar chars[2] = { 0x4E00, 0x4E8C };
  guint8 img[2 * 4 * 4];
  g_autoptr(ZiTrainerEvent) copy = NULL;

  for (guint i = 0; i < sizeof img; i++)
    img[i] = (guint8) i;
  ev.kind = ZI_TRAINER_EVENT_PREVIEW;
  ev.step = 40;
  ev.preview.n = 2;
  ev.preview.size = 4;
  ev.preview.chars = chars;
  ev.preview.source = ev.preview.generated = ev.preview.target = img;
  ev.warning.message = (char *) "careful";
  copy = zi_trainer_event_copy (&ev);
  g_assert_true (copy->preview.source != img);
  g_assert_cmpmem (copy->preview.generated, sizeof img, img, sizeof img);
  g_assert_cmpuint (copy->preview.chars[1], ==, 0x4E8C);
  g_assert_cmpstr (copy->warning.message, ==, "careful");
  g_assert_true (copy->warning.message != ev.warning.message);
  g_assert_null (copy->error);
}

static void
test_health_d_too_strong (void)
{
  g_autoptr(ZiHealth) h = zi_health_new ();
  ZiHealthKind kind;
  char *msg = NULL;
  guint64 fired_at = 0;

  /* Healthy: D around 0.6, adversarial loss flat. */
  for (guint64 s = 1; s <= 400; s++)
    g_assert_false (zi_health_observe_step (h, s, 0.6f, 1.0f, 20.0f, &kind, &msg));
  /* Then D wins: its loss near zero while G's adversarial loss climbs. */
  for (guint64 s = 401; s <= 800 && fired_at == 0; s++)
    if (zi_health_observe_step (h, s, 0.01f, 1.0f + (s - 400) * 0.02f, 20.0f, &kind, &msg))
      fired_at = s;
  g_assert_cmpuint (fired_at, >, 400);
  g_assert_cmpint (kind, ==, ZI_HEALTH_D_TOO_STRONG);
  g_assert_nonnull (strstr (msg, "--lr-d"));
  g_free (msg);
  msg = NULL;
  /* Once is enough for a while. */
  for (guint64 s = fired_at + 1; s < fired_at + 500; s++)
    g_assert_false (zi_health_observe_step (h, s, 0.01f, 20.0f + s * 0.1f, 20.0f, &kind, &msg));
  g_assert_cmpstr (zi_health_kind_to_string (ZI_HEALTH_D_TOO_STRONG), ==, "d-too-strong");
}

static void
test_health_explosion (void)
{
  g_autoptr(ZiHealth) h = zi_health_new ();
  ZiHealthKind kind;
  char *msg = NULL;

  g_assert_true (zi_health_is_explosion (h, NAN, 1.0f));
  g_assert_true (zi_health_is_explosion (h, 1.0f, INFINITY));
  /* Before the warm-up nothing finite counts. */
  g_assert_false (zi_health_is_explosion (h, 1e6f, 1.0f));
  for (guint64 s = 1; s <= 50; s++)
    zi_health_observe_step (h, s, 0.7f, 1.0f, 30.0f + (s % 5), &kind, &msg);
  g_assert_false (zi_health_is_explosion (h, 60.0f, 0.7f));
  g_assert_true (zi_health_is_explosion (h, 5000.0f, 0.7f));
  g_assert_true (zi_health_is_explosion (h, 30.0f, 500.0f));
  zi_health_reset_history (h);
  g_assert_false (zi_health_is_explosion (h, 5000.0f, 0.7f));
}

static void
test_health_collapse (void)
{
  g_autoptr(ZiHealth) h = zi_health_new ();
  const guint n = 4, size = 8;
  guint8 src[4 * 64], same[4 * 64], varied[4 * 64];
  ZiHealthKind kind;
  char *msg = NULL;

  for (guint i = 0; i < n; i++)
    for (guint p = 0; p < size * size; p++)
      {
        src[i * 64 + p] = (p % (i + 2) == 0) ? 255 : 0;
        varied[i * 64 + p] = src[i * 64 + p] / 2;
        same[i * 64 + p] = (p % 3 == 0) ? 200 : 0;
      }
  g_assert_false (zi_health_observe_previews (h, 1000, varied, src, n, size, &kind, &msg));
  /* Too early in training to call it a collapse. */
  g_assert_false (zi_health_observe_previews (h, 100, same, src, n, size, &kind, &msg));
  g_assert_true (zi_health_observe_previews (h, 1000, same, src, n, size, &kind, &msg));
  g_assert_cmpint (kind, ==, ZI_HEALTH_G_COLLAPSE);
  g_assert_nonnull (msg);
  g_free (msg);
}

static void
test_health_oscillation (void)
{
  g_autoptr(ZiHealth) h = zi_health_new ();
  const double steady[] = { 0.50, 0.55, 0.60, 0.63, 0.66, 0.68, 0.70 };
  const double swing[] = { 0.64, 0.69, 0.63, 0.68, 0.62, 0.69, 0.63 };
  ZiHealthKind kind;
  char *msg = NULL;
  gboolean fired = FALSE;

  for (guint i = 0; i < G_N_ELEMENTS (steady); i++)
    g_assert_false (zi_health_observe_validation (h, (i + 1) * 500, steady[i], &kind, &msg));
  for (guint i = 0; i < G_N_ELEMENTS (swing); i++)
    if (zi_health_observe_validation (h, (i + 8) * 500, swing[i], &kind, &msg))
      {
        fired = TRUE;
        break;
      }
  g_assert_true (fired);
  g_assert_cmpint (kind, ==, ZI_HEALTH_VAL_OSCILLATION);
  g_free (msg);
}

static void
test_lrfind_suggest (void)
{
  const guint n = 100;
  double lr[100], loss[100], smoothed[100];
  guint at;

  /* Loss against log(lr): flat, then falling fastest around lr = 1e-3, then blowing up. */
  for (guint i = 0; i < n; i++)
    {
      lr[i] = 1e-6 * pow (1e5, i / (double) (n - 1));
      double x = log10 (lr[i]);
      loss[i] = 10.0 - 4.0 * tanh (2.0 * (x + 3.0)) + (x > -1.5 ? 40.0 * (x + 1.5) * (x + 1.5) : 0.0);
    }
  at = zi_lrfind_suggest (lr, loss, n, 0.0, smoothed);
  g_assert_cmpuint (at, <, n);
  g_assert_cmpfloat (fabs (log10 (lr[at]) + 3.0), <, 0.15);
  g_assert_cmpfloat (smoothed[10], ==, loss[10]);  /* beta 0: no smoothing */

  /* Smoothing moves the point a little later but keeps it near the steep part. */
  at = zi_lrfind_suggest (lr, loss, n, 0.8, smoothed);
  g_assert_cmpfloat (fabs (log10 (lr[at]) + 3.0), <, 0.5);

  /* A curve that only rises gives no suggestion. */
  for (guint i = 0; i < n; i++)
    loss[i] = 1.0 + i;
  g_assert_cmpuint (zi_lrfind_suggest (lr, loss, n, 0.5, smoothed), ==, G_MAXUINT);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/core/trainer-config/defaults", test_defaults);
  g_test_add_func ("/core/trainer-config/validate", test_validate);
  g_test_add_func ("/core/trainer-config/non-finite", test_non_finite);
  g_test_add_func ("/core/trainer-config/presets", test_presets);
  g_test_add_func ("/core/trainer-config/json-round-trip", test_json_round_trip);
  g_test_add_func ("/core/trainer-config/representation", test_representation);
  g_test_add_func ("/core/trainer-config/precision", test_precision);
  g_test_add_func ("/core/trainer-config/enum-names", test_enum_names);
  g_test_add_func ("/core/trainer-config/checkpoint-meta", test_meta_round_trip);
  g_test_add_func ("/core/trainer-config/event-copy", test_event_copy);
  g_test_add_func ("/core/health/d-too-strong", test_health_d_too_strong);
  g_test_add_func ("/core/health/explosion", test_health_explosion);
  g_test_add_func ("/core/health/collapse", test_health_collapse);
  g_test_add_func ("/core/health/oscillation", test_health_oscillation);
  g_test_add_func ("/core/lrfind/suggest", test_lrfind_suggest);
  return g_test_run ();
}
