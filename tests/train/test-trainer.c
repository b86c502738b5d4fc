/* test-trainer.c — the trainer end to end on a tiny model (32 px, ngf 8) and ~60 shared characters of
 * the default font pair: train, checkpoint, resume bit-identically, generate and evaluate (library and
 * CLI), validation L1 better than the untrained model's; a NaN injected at a step triggers the
 * rollback; pause / set lr / resume / stop from another thread; a lowered priority reaches the
 * engine's threads. */
#include "zi-error.h"
#include "zi-model.h"
#include "zi-run.h"
#include "zi-trainer.h"
#include "trainer-test-util.h"
#include "nn-pix2pix.h"

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <math.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "zi-fileutil.h"

/* A: TOTAL steps at once; B: HALF steps, then resumed to TOTAL. */
#define TOTAL 60
#define HALF  30

static char *cache_dir;

/* Loads a checkpoint with the engine and returns its G and D weights concatenated. */
static float *
weights_of (const char *path, gsize *n_out, guint64 *step_out)
{
  g_autofree guint8 *buf = NULL;
  gsize len;
  NnPix2Pix *m = NULL;
  uint64_t step = 0;
  float *p, *g;
  size_t ng, nd;

  g_assert_true (g_file_get_contents (path, (char **) &buf, &len, NULL));
  g_assert_cmpint (nn_pix2pix_load (&m, buf, len, NULL, 0, NULL, &step, NULL), ==, NN_OK);
  ng = nn_pix2pix_param_block (m, 0, &p, &g);
  float *out = g_new (float, ng);
  memcpy (out, p, ng * sizeof (float));
  nd = nn_pix2pix_param_block (m, 1, &p, &g);
  out = g_renew (float, out, ng + nd);
  memcpy (out + ng, p, nd * sizeof (float));
  nn_pix2pix_free (m);
  *n_out = ng + nd;
  *step_out = step;
  return out;
}

static double
json_double (JsonObject *o, const char *a, const char *b)
{
  JsonObject *inner = json_object_get_object_member (o, a);
  g_assert_nonnull (inner);
  return json_object_get_double_member (inner, b);
}

static void
test_end_to_end (void)
{
  g_autofree char *root = make_tmp ();
  g_autofree char *run_a = g_build_filename (root, "a", NULL);
  g_autofree char *run_b = g_build_filename (root, "b", NULL);
  g_autoptr(GError) error = NULL;
  ZiTrainerConfig cfg;
  Recorder ra, rb, rb2;

  /* A: all steps in one go, with the generator's weights averaged. */
  tiny_config (&cfg, TOTAL, cache_dir);
  cfg.ema_decay = 0.9f;
  recorder_init (&ra);
  {
    g_autoptr(ZiTrainer) t = zi_trainer_new (&cfg, run_a, &error);
    g_assert_no_error (error);
    run_sync (t, &ra);
    g_assert_cmpuint (zi_trainer_get_step (t), ==, TOTAL);
    g_assert_cmpint (zi_trainer_get_state (t), ==, ZI_TRAINER_STATE_FINISHED);
  }
  const ZiTrainerEvent *v0 = find_event (&ra, ZI_TRAINER_EVENT_VALIDATION, 0);
  const ZiTrainerEvent *v_end = find_event (&ra, ZI_TRAINER_EVENT_VALIDATION, TOTAL);
  const ZiTrainerEvent *fin = find_event (&ra, ZI_TRAINER_EVENT_FINISHED, G_MAXUINT64);
  g_assert_nonnull (v0);
  g_assert_nonnull (v_end);
  g_assert_nonnull (fin);
  g_assert_nonnull (find_event (&ra, ZI_TRAINER_EVENT_STEP, 5));
  g_assert_nonnull (find_event (&ra, ZI_TRAINER_EVENT_PREVIEW, 10));
  g_assert_nonnull (find_event (&ra, ZI_TRAINER_EVENT_CHECKPOINT, 10));
  g_assert_cmpint (fin->finished.reason, ==, ZI_TRAINER_STOP_STEPS);
  g_assert_cmpuint (fin->finished.images, ==, TOTAL * 4);
  g_assert_cmpfloat (fin->finished.seconds, >, 0.0);
  g_assert_true (g_str_has_suffix (fin->finished.checkpoint, "step-000000" G_STRINGIFY (TOTAL) ".zck"));
  g_test_message ("untrained val L1 %.4f SSIM %.4f; after %d steps L1 %.4f SSIM %.4f; baseline L1 %.4f SSIM %.4f",
                  v0->validation.l1, v0->validation.ssim, TOTAL, v_end->validation.l1, v_end->validation.ssim,
                  v_end->validation.base_l1, v_end->validation.base_ssim);
  /* Training helps: validation L1 well below the untrained model's. */
  g_assert_cmpfloat (v_end->validation.l1, <, 0.8 * v0->validation.l1);
  g_assert_cmpfloat (v_end->validation.base_ssim, >, 0.0);
  g_assert_cmpuint (v_end->validation.n, >=, 5);
  g_assert_true (v_end->validation.has_raw);
  g_assert_cmpfloat (v_end->validation.raw_l1, <, v0->validation.l1);
  const ZiTrainerEvent *pv = find_event (&ra, ZI_TRAINER_EVENT_PREVIEW, TOTAL);
  g_assert_nonnull (pv);
  g_assert_cmpuint (pv->preview.n, ==, 4);
  g_assert_cmpuint (pv->preview.size, ==, 32);

  /* The run directory holds what zi-run.h describes. */
  {
    g_autoptr(GArray) metrics = zi_run_metrics_load (run_a, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (metrics->len, >=, 5);
    ZiRunMetric *last = &g_array_index (metrics, ZiRunMetric, metrics->len - 1);
    g_assert_cmpuint (last->step, ==, TOTAL);
    g_assert_true (last->has_val);
    g_assert_cmpfloat (last->val_l1, ==, v_end->validation.l1);
    ZiRunInfo info;
    g_assert_true (zi_run_info_load (run_a, &info, &error));
    g_assert_cmpuint (info.n_chars, >=, 50);
    g_assert_cmpuint (info.n_val_chars, ==, v_end->validation.n);
    zi_run_info_clear (&info);
    g_autoptr(GArray) ckpts = zi_run_list_checkpoints (run_a);
    g_assert_cmpuint (ckpts->len, >=, 1);
    g_assert_cmpuint (ckpts->len, <=, 3);  /* keep 2 plus the best */
  }

  /* B: 10 steps, stop, resume to 20: bit-identical to A. */
  cfg.max_steps = HALF;
  recorder_init (&rb);
  {
    g_autoptr(ZiTrainer) t = zi_trainer_new (&cfg, run_b, &error);
    g_assert_no_error (error);
    run_sync (t, &rb);
  }
  recorder_init (&rb2);
  {
    g_autoptr(ZiTrainer) t = zi_trainer_new_resume (run_b, NULL, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (zi_trainer_get_config (t)->max_steps, ==, HALF);
    g_assert_cmpuint (zi_trainer_get_step (t), ==, HALF);
    zi_trainer_get_config_mutable (t)->max_steps = TOTAL;
    run_sync (t, &rb2);
    g_assert_null (zi_trainer_get_config_mutable (t));
  }
  const ZiTrainerEvent *b20 = find_event (&rb2, ZI_TRAINER_EVENT_VALIDATION, TOTAL);
  g_assert_nonnull (b20);
  g_assert_cmpfloat (b20->validation.l1, ==, v_end->validation.l1);
  g_assert_cmpfloat (b20->validation.ssim, ==, v_end->validation.ssim);
  const ZiTrainerEvent *sa = find_event (&ra, ZI_TRAINER_EVENT_STEP, HALF + 5);
  const ZiTrainerEvent *sb = find_event (&rb2, ZI_TRAINER_EVENT_STEP, HALF + 5);
  g_assert_nonnull (sa);
  g_assert_nonnull (sb);
  g_assert_cmpfloat (sa->stats.g_loss, ==, sb->stats.g_loss);
  g_assert_cmpfloat (sa->stats.d_loss, ==, sb->stats.d_loss);
  g_assert_cmpuint (sb->stats.images, ==, (HALF + 5) * 4);
  {
    g_autofree char *pa = zi_run_checkpoint_path (run_a, TOTAL);
    g_autofree char *pb = zi_run_checkpoint_path (run_b, TOTAL);
    gsize na, nb;
    guint64 stepa, stepb;
    g_autofree float *wa = weights_of (pa, &na, &stepa);
    g_autofree float *wb = weights_of (pb, &nb, &stepb);
    g_assert_cmpuint (na, ==, nb);
    g_assert_cmpuint (stepa, ==, TOTAL);
    g_assert_cmpuint (stepb, ==, TOTAL);
    g_assert_cmpmem (wa, na * sizeof (float), wb, nb * sizeof (float));
    /* The averaged generator too. */
    g_autofree char *ea = zi_run_ema_path (pa);
    g_autofree char *eb = zi_run_ema_path (pb);
    g_autofree float *ema_a = weights_of (ea, &na, &stepa);
    g_autofree float *ema_b = weights_of (eb, &nb, &stepb);
    g_assert_cmpuint (na, ==, nb);
    g_assert_cmpmem (ema_a, na * sizeof (float), ema_b, nb * sizeof (float));
    g_assert_true (memcmp (ema_a, wa, MIN (na, 1000) * sizeof (float)) != 0);
  }

  /* Generation through the library: the run directory means its newest checkpoint. */
  {
    g_autoptr(ZiModel) model = zi_model_load (run_a, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (zi_model_get_size (model), ==, 32);
    g_assert_cmpuint (zi_model_get_step (model), ==, TOTAL);
    g_assert_cmpstr (zi_model_get_run_dir (model), ==, run_a);
    g_assert_cmpstr (zi_model_get_source_font (model), ==, "Noto Sans CJK TC");
    g_assert_cmpfloat (zi_model_get_em_fraction (model), ==, cfg.em_fraction);
    g_autofree guint8 *out = g_malloc (pv->preview.n * 32 * 32);
    g_assert_true (zi_model_generate (model, pv->preview.source, pv->preview.n, out, NULL, NULL, NULL, &error));
    g_assert_no_error (error);
    /* Same weights, same eval-mode generator: the trainer's preview at last step again. */
    g_assert_cmpmem (out, pv->preview.n * 32 * 32, pv->preview.generated, pv->preview.n * 32 * 32);
  }

  /* The same through the CLI: generate PNGs, and eval on the run's validation characters. */
  {
    g_autofree char *out_dir = g_build_filename (root, "gen", NULL);
    const char *gen_args[] = { "generate", "--checkpoint", run_a, "--chars-text", "永一二", "--out", out_dir,
                               "--format", "png,svg", NULL };
    int status = -1;
    g_autofree char *out = run_cli (gen_args, &status);
    g_assert_cmpint (status, ==, 0);
    g_autofree char *png = g_build_filename (out_dir, "uni6C38.png", NULL);
    g_assert_true (g_file_test (png, G_FILE_TEST_IS_REGULAR));
    g_autofree char *png2 = g_build_filename (out_dir, "uni4E00.png", NULL);
    g_assert_true (g_file_test (png2, G_FILE_TEST_IS_REGULAR));
    g_autofree char *svg = g_build_filename (out_dir, "uni6C38.svg", NULL);
    g_autofree char *svg_text = NULL;
    g_assert_true (g_file_get_contents (svg, &svg_text, NULL, NULL));
    g_assert_true (g_str_has_prefix (svg_text, "<?xml"));
    g_assert_nonnull (strstr (svg_text, "</svg>"));  /* a tiny model may draw nothing yet */

    const char *ufo_args[] = { "generate", "--checkpoint", run_a, "--chars-text", "永", "--out", out_dir,
                               "--format", "ufo", NULL };
    g_autofree char *ufo = run_cli (ufo_args, &status);
    g_assert_true (WIFEXITED (status) && WEXITSTATUS (status) == 2);

    const char *eval_args[] = { "eval", "--checkpoint", run_a, "--json", NULL };
    g_autofree char *json = run_cli (eval_args, &status);
    g_assert_cmpint (status, ==, 0);
    g_autoptr(JsonNode) node = json_from_string (json, &error);
    g_assert_no_error (error);
    JsonObject *o = json_node_get_object (node);
    g_assert_cmpint (json_object_get_int_member (o, "n"), ==, v_end->validation.n);
    g_assert_cmpfloat_with_epsilon (json_double (o, "model", "l1"), v_end->validation.l1, 1e-9);
    g_assert_cmpfloat_with_epsilon (json_double (o, "model", "ssim"), v_end->validation.ssim, 1e-9);
    g_assert_cmpfloat_with_epsilon (json_double (o, "baseline", "ssim"), v_end->validation.base_ssim, 1e-9);

    const char *bad_args[] = { "eval", "--checkpoint", out_dir, NULL };
    g_autofree char *bad = run_cli (bad_args, &status);
    g_assert_true (WIFEXITED (status) && WEXITSTATUS (status) == 1);
  }

  /* A second new run in the same directory is refused; resuming an empty one too. */
  {
    g_autoptr(ZiTrainer) t = zi_trainer_new (&cfg, run_a, &error);
    g_assert_null (t);
    g_assert_error (error, ZI_ERROR, ZI_ERROR_EXISTS);
    g_clear_error (&error);
    t = zi_trainer_new_resume (root, NULL, &error);
    g_assert_null (t);
    g_assert_error (error, ZI_ERROR, ZI_ERROR_RUN);
  }

  recorder_clear (&ra);
  recorder_clear (&rb);
  recorder_clear (&rb2);
  zi_trainer_config_clear (&cfg);
  zi_dir_remove_tree (root);
}

static void
test_nan_rollback (void)
{
  g_autofree char *root = make_tmp ();
  g_autofree char *run = g_build_filename (root, "nan", NULL);
  g_autoptr(GError) error = NULL;
  ZiTrainerConfig cfg;
  Recorder r;
  const ZiTrainerEvent *warning = NULL;

  tiny_config (&cfg, 14, cache_dir);
  cfg.ema_decay = 0.5f;
  cfg.checkpoint_every = 5;
  cfg.log_every = 1;
  cfg.poison_step = 8;
  recorder_init (&r);
  {
    g_autoptr(ZiTrainer) t = zi_trainer_new (&cfg, run, &error);
    g_assert_no_error (error);
    run_sync (t, &r);
    g_assert_cmpuint (zi_trainer_get_step (t), ==, 14);
  }
  for (guint i = 0; i < r.events->len; i++)
    {
      const ZiTrainerEvent *e = g_ptr_array_index (r.events, i);
      if (e->kind == ZI_TRAINER_EVENT_WARNING && e->warning.kind == ZI_HEALTH_DIVERGED)
        {
          g_assert_null (warning);  /* exactly one */
          warning = e;
        }
    }
  g_assert_nonnull (warning);
  g_assert_cmpuint (warning->step, ==, 5);  /* back at the last checkpoint */
  g_assert_nonnull (strstr (warning->warning.message, "step 8"));
  /* Before the NaN the full rate, after the rollback half of it. */
  const ZiTrainerEvent *before = find_event (&r, ZI_TRAINER_EVENT_STEP, 7);
  const ZiTrainerEvent *after = NULL;
  for (guint i = 0; i < r.events->len; i++)
    {
      const ZiTrainerEvent *e = g_ptr_array_index (r.events, i);
      if (e->kind == ZI_TRAINER_EVENT_STEP && e->step == 8)
        after = e;
    }
  g_assert_nonnull (before);
  g_assert_nonnull (after);
  g_assert_cmpfloat (before->stats.lr_g, ==, 1e-3f);
  g_assert_cmpfloat (after->stats.lr_g, ==, 5e-4f);
  g_assert_true (isfinite (after->stats.g_loss));
  /* The halving is saved and survives a resume. */
  {
    g_autoptr(ZiTrainer) t = zi_trainer_new_resume (run, NULL, &error);
    g_assert_no_error (error);
    Recorder r2;
    recorder_init (&r2);
    zi_trainer_get_config_mutable (t)->max_steps = 15;
    zi_trainer_get_config_mutable (t)->poison_step = 0;
    run_sync (t, &r2);
    const ZiTrainerEvent *s15 = find_event (&r2, ZI_TRAINER_EVENT_STEP, 15);
    g_assert_nonnull (s15);
    g_assert_cmpfloat (s15->stats.lr_g, ==, 5e-4f);
    recorder_clear (&r2);
  }
  recorder_clear (&r);
  zi_trainer_config_clear (&cfg);
  zi_dir_remove_tree (root);
}

/* ---- controls from another thread ---- */

typedef struct {
  ZiTrainer     *trainer;
  GMainContext  *context;
  GThread       *main_thread;
  int            phase;         /* 0 running, 1 pause asked, 2 resumed, 3 stop asked */
  guint64        paused_at;
  guint64        resumed_steps;
  float          lr_after;
  gboolean       finished;
  gboolean       wrong_thread;
  ZiTrainerStopReason reason;
  char          *final_checkpoint;
} Control;

static void
control_cb (ZiTrainer *trainer, const ZiTrainerEvent *e, gpointer user_data)
{
  Control *c = user_data;
  g_autoptr(GError) error = NULL;

  if (g_thread_self () != c->main_thread)
    c->wrong_thread = TRUE;
  switch (e->kind)
    {
    case ZI_TRAINER_EVENT_STEP:
      if (c->phase == 0)
        {
          /* Changing the rate while running is refused. */
          g_assert_false (zi_trainer_set_lr (trainer, 3e-4f, 0, &error));
          g_assert_error (error, ZI_ERROR, ZI_ERROR_INVALID);
          zi_trainer_pause (trainer);
          c->phase = 1;
        }
      else if (c->phase == 2)
        {
          c->lr_after = e->stats.lr_g;
          if (++c->resumed_steps == 2)
            {
              zi_trainer_stop (trainer);
              c->phase = 3;
            }
        }
      break;
    case ZI_TRAINER_EVENT_STATE:
      if (e->state == ZI_TRAINER_STATE_PAUSED && c->phase == 1)
        {
          c->paused_at = e->step;
          g_assert_cmpint (zi_trainer_get_state (trainer), ==, ZI_TRAINER_STATE_PAUSED);
          g_assert_true (zi_trainer_set_lr (trainer, 3e-4f, 0, &error));
          g_assert_no_error (error);
          zi_trainer_resume (trainer);
          c->phase = 2;
        }
      break;
    case ZI_TRAINER_EVENT_FINISHED:
      c->finished = TRUE;
      c->reason = e->finished.reason;
      c->final_checkpoint = g_strdup (e->finished.checkpoint);
      break;
    case ZI_TRAINER_EVENT_FAILED:
      g_error ("training failed: %s", e->error->message);
      break;
    default:
      break;
    }
}

static void
test_controls (void)
{
  g_autofree char *root = make_tmp ();
  g_autofree char *run = g_build_filename (root, "ctl", NULL);
  g_autoptr(GError) error = NULL;
  ZiTrainerConfig cfg;
  Control c = { 0 };

  tiny_config (&cfg, 100000, cache_dir);
  cfg.log_every = 1;
  cfg.checkpoint_every = 100000;
  cfg.val_every = 100000;
  c.context = g_main_context_new ();
  c.main_thread = g_thread_self ();
  c.trainer = zi_trainer_new (&cfg, run, &error);
  g_assert_no_error (error);
  zi_trainer_set_event_func (c.trainer, c.context, control_cb, &c, NULL);
  g_assert_true (zi_trainer_start (c.trainer, &error));
  g_assert_no_error (error);
  g_assert_false (zi_trainer_start (c.trainer, &error));
  g_clear_error (&error);

  gint64 deadline = g_get_monotonic_time () + 90 * G_USEC_PER_SEC;
  while (!c.finished && g_get_monotonic_time () < deadline)
    g_main_context_iteration (c.context, TRUE);
  g_assert_true (c.finished);
  g_assert_true (zi_trainer_wait (c.trainer, &error));
  g_assert_no_error (error);
  g_assert_false (c.wrong_thread);
  g_assert_cmpint (c.reason, ==, ZI_TRAINER_STOP_REQUESTED);
  g_assert_cmpfloat (c.lr_after, ==, 3e-4f);
  g_assert_cmpuint (c.paused_at, >=, 1);
  /* Stop finished the step and wrote a checkpoint of it. */
  g_assert_nonnull (c.final_checkpoint);
  guint64 step = 0;
  g_autofree char *base = g_path_get_basename (c.final_checkpoint);
  g_assert_true (zi_run_parse_checkpoint_name (base, &step));
  g_assert_cmpuint (step, ==, zi_trainer_get_step (c.trainer));
  g_assert_cmpuint (step, >=, c.paused_at + 2);

  /* Dropping a running trainer stops it and joins its thread; its late events are not delivered. */
  {
    g_autofree char *run2 = g_build_filename (root, "drop", NULL);
    Control c2 = { 0 };
    c2.main_thread = g_thread_self ();
    c2.phase = 99;
    ZiTrainer *t = zi_trainer_new (&cfg, run2, &error);
    g_assert_no_error (error);
    zi_trainer_set_event_func (t, c.context, control_cb, &c2, NULL);
    g_assert_true (zi_trainer_start (t, &error));
    g_usleep (G_USEC_PER_SEC / 5);
    g_object_unref (t);
    while (g_main_context_iteration (c.context, FALSE))
      ;
    g_assert_false (c2.finished);
    g_free (c2.final_checkpoint);
  }

  g_clear_object (&c.trainer);
  g_main_context_unref (c.context);
  g_free (c.final_checkpoint);
  zi_trainer_config_clear (&cfg);
  zi_dir_remove_tree (root);
}

/* ---- a lowered priority for the training threads (the window's frames come first) ---- */

typedef struct {
  int      base;          /* the test's own nice value */
  int      worker_nice;   /* the worker's, seen from its own step event */
  int      threads_seen;  /* threads named like the worker, with their nice values */
  int      threads_lowered;
  gboolean stepped;
} NiceProbe;

/* The nice value of each thread of this process called "zimaru-trainer" (threads inherit the name
 * of the thread that creates them, so the engine's workers carry it too): field 19 of
 * /proc/self/task/TID/stat. */
static void
count_trainer_threads (NiceProbe *p, int expect)
{
  g_autoptr(GDir) dir = g_dir_open ("/proc/self/task", 0, NULL);
  const char *tid;

  g_assert_nonnull (dir);
  while ((tid = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename ("/proc/self/task", tid, "stat", NULL);
      g_autofree char *text = NULL;
      if (!g_file_get_contents (path, &text, NULL, NULL))
        continue;
      const char *open = strchr (text, '('), *close = strrchr (text, ')');
      g_assert_true (open != NULL && close != NULL);
      g_autofree char *comm = g_strndup (open + 1, (gsize) (close - open - 1));
      if (strcmp (comm, "zimaru-trainer") != 0)
        continue;
      g_auto(GStrv) fields = g_strsplit (close + 2, " ", -1);
      g_assert_cmpuint (g_strv_length (fields), >, 16);
      p->threads_seen++;
      if (atoi (fields[16]) == expect)
        p->threads_lowered++;
    }
}

static void
nice_cb (ZiTrainer *trainer, const ZiTrainerEvent *e, gpointer user_data)
{
  NiceProbe *p = user_data;

  /* No context: this runs on the worker thread, between its steps. */
  if (e->kind == ZI_TRAINER_EVENT_STEP && !p->stepped)
    {
      p->stepped = TRUE;
      errno = 0;
      p->worker_nice = getpriority (PRIO_PROCESS, (id_t) syscall (SYS_gettid));
      g_assert_cmpint (errno, ==, 0);
      count_trainer_threads (p, MIN (p->base + 5, 19));
      zi_trainer_stop (trainer);
    }
}

static void
test_nice (void)
{
  g_autofree char *root = make_tmp ();
  g_autofree char *run = g_build_filename (root, "nice", NULL);
  g_autoptr(GError) error = NULL;
  ZiTrainerConfig cfg;
  NiceProbe p = { 0 };

  errno = 0;
  p.base = getpriority (PRIO_PROCESS, 0);
  g_assert_cmpint (errno, ==, 0);
  tiny_config (&cfg, 1000, cache_dir);
  cfg.threads = 2;
  ZiTrainer *t = zi_trainer_new (&cfg, run, &error);
  g_assert_no_error (error);
  zi_trainer_set_event_func (t, NULL, nice_cb, &p, NULL);
  zi_trainer_set_nice (t, 5);
  g_assert_true (zi_trainer_start (t, &error));
  g_assert_true (zi_trainer_wait (t, &error));
  g_assert_no_error (error);
  g_assert_true (p.stepped);
  g_assert_cmpint (p.worker_nice, ==, MIN (p.base + 5, 19));
  /* The worker and the engine's second thread, both lowered; the caller keeps its priority. */
  g_assert_cmpint (p.threads_seen, >=, 2);
  g_assert_cmpint (p.threads_lowered, ==, p.threads_seen);
  errno = 0;
  g_assert_cmpint (getpriority (PRIO_PROCESS, (id_t) syscall (SYS_gettid)), ==, p.base);
  g_object_unref (t);
  zi_trainer_config_clear (&cfg);
  zi_dir_remove_tree (root);
}

/* lr-find and bench through the CLI, on tiny settings. */
static void
test_cli_tools (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *root = make_tmp ();
  g_autofree char *curve = g_build_filename (root, "lr.json", NULL);
  int status = -1;

  const char *lr_args[] = { "lr-find", "--chars-text", TINY_CHARS, "--size", "32", "--ngf", "8",
                            "--batch", "4", "--steps", "40", "--min", "1e-5", "--max", "1", "--threads", "1",
                            "--cache-dir", cache_dir, "--out", curve, "--json", NULL };
  g_autofree char *out = run_cli (lr_args, &status);
  g_assert_cmpint (status, ==, 0);
  g_autoptr(JsonNode) node = json_from_string (out, &error);
  g_assert_no_error (error);
  JsonObject *o = json_node_get_object (node);
  JsonArray *points = json_object_get_array_member (o, "points");
  g_assert_cmpuint (json_array_get_length (points), >=, 11);
  g_assert_cmpuint (json_array_get_length (points), <=, 40);
  double prev = 0;
  for (guint i = 0; i < json_array_get_length (points); i++)
    {
      double lr = json_object_get_double_member (json_array_get_object_element (points, i), "lr");
      g_assert_cmpfloat (lr, >, prev);
      prev = lr;
    }
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (json_array_get_object_element (points, 0), "lr"),
                                  1e-5, 1e-12);
  /* The file holds the same curve. */
  g_autofree char *file_text = NULL;
  g_assert_true (g_file_get_contents (curve, &file_text, NULL, NULL));
  g_assert_cmpstr (g_strstrip (file_text), ==, g_strstrip (out));

  const char *bench_args[] = { "bench", "--size", "32", "--ngf", "8", "--batch", "4", "--steps", "3",
                               "--threads", "1", "--json", NULL };
  g_autofree char *bench = run_cli (bench_args, &status);
  g_assert_cmpint (status, ==, 0);
  g_autoptr(JsonNode) bnode = json_from_string (bench, &error);
  g_assert_no_error (error);
  JsonObject *b = json_node_get_object (bnode);
  double sps = json_object_get_double_member (b, "seconds_per_step");
  g_assert_cmpfloat (sps, >, 0.0);
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (b, "images_per_second"), 4.0 / sps, 1e-6);
  g_assert_cmpfloat (json_object_get_double_member (b, "gflops"), >, 0.0);
  g_assert_cmpfloat (json_object_get_double_member (b, "sgemm_peak_gflops"), >, 1.0);
  g_assert_cmpint (json_object_get_int_member (b, "threads"), ==, 1);

  const char *bad_args[] = { "bench", "--size", "48", NULL };
  g_autofree char *bad = run_cli (bad_args, &status);
  g_assert_true (WIFEXITED (status) && WEXITSTATUS (status) == 2);
  zi_dir_remove_tree (root);
}

/* A run that cannot start (a font that does not exist) fails with FAILED and leaves no directory. */
static void
test_bad_font (void)
{
  g_autofree char *root = make_tmp ();
  g_autofree char *run = g_build_filename (root, "bad", NULL);
  g_autoptr(GError) error = NULL;
  ZiTrainerConfig cfg;
  Recorder r;

  tiny_config (&cfg, 10, cache_dir);
  g_free (cfg.target_font);
  cfg.target_font = g_build_filename (root, "missing.ttf", NULL);
  recorder_init (&r);
  {
    g_autoptr(ZiTrainer) t = zi_trainer_new (&cfg, run, &error);
    g_assert_no_error (error);
    zi_trainer_set_event_func (t, NULL, record_cb, &r, NULL);
    g_assert_false (zi_trainer_run (t, &error));
    g_assert_nonnull (error);
    g_assert_nonnull (strstr (error->message, "missing.ttf"));
    g_assert_cmpint (zi_trainer_get_state (t), ==, ZI_TRAINER_STATE_FAILED);
  }
  const ZiTrainerEvent *failed = find_event (&r, ZI_TRAINER_EVENT_FAILED, G_MAXUINT64);
  g_assert_nonnull (failed);
  g_assert_cmpstr (failed->error->message, ==, error->message);
  g_assert_false (g_file_test (run, G_FILE_TEST_EXISTS));
  recorder_clear (&r);
  zi_trainer_config_clear (&cfg);
  zi_dir_remove_tree (root);
}

static void
test_resources (void)
{
  ZiTrainerConfig cfg;
  g_autoptr(GError) error = NULL;

  zi_trainer_config_init (&cfg);
  g_assert_true (zi_trainer_check_resources (&cfg, 6000, &error));
  g_assert_no_error (error);
  cfg.net.size = 512;
  cfg.net.ngf = 512;
  cfg.net.batch = 1024;
  g_assert_cmpuint (zi_trainer_estimate_memory (&cfg, 6000), >, G_GUINT64_CONSTANT (1) << 40);
  g_assert_false (zi_trainer_check_resources (&cfg, 6000, &error));
  g_assert_error (error, ZI_ERROR, ZI_ERROR_RESOURCES);
  g_assert_nonnull (strstr (error->message, "--batch"));
  zi_trainer_config_clear (&cfg);
}

int
main (int argc, char **argv)
{
  int status;

  g_test_init (&argc, &argv, NULL);
  cache_dir = make_tmp ();
  g_test_add_func ("/core/trainer/end-to-end", test_end_to_end);
  g_test_add_func ("/core/trainer/nan-rollback", test_nan_rollback);
  g_test_add_func ("/core/trainer/controls", test_controls);
  g_test_add_func ("/core/trainer/nice", test_nice);
  g_test_add_func ("/core/trainer/cli-tools", test_cli_tools);
  g_test_add_func ("/core/trainer/bad-font", test_bad_font);
  g_test_add_func ("/core/trainer/resources", test_resources);
  status = g_test_run ();
  zi_dir_remove_tree (cache_dir);
  g_free (cache_dir);
  return status;
}
