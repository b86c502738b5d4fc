/* trainer-test-util.c — a tiny run's configuration, the event recorder and the zimaru-cli runner the
 * trainer's end-to-end tests share (trainer-test-util.h). */
#include "trainer-test-util.h"

char *
make_tmp (void)
{
  g_autoptr(GError) error = NULL;
  char *dir = g_dir_make_tmp ("zimaru-trainer-XXXXXX", &error);
  g_assert_no_error (error);
  return dir;
}

void
tiny_config (ZiTrainerConfig *cfg, guint64 steps, const char *cache_dir)
{
  g_autoptr(GError) error = NULL;
  g_autofree gunichar *chars = g_utf8_to_ucs4_fast (TINY_CHARS, -1, NULL);

  zi_trainer_config_init (cfg);
  cfg->chars = g_steal_pointer (&chars);
  cfg->n_chars = (guint) g_utf8_strlen (TINY_CHARS, -1);
  cfg->cache_dir = g_strdup (cache_dir);
  cfg->net.size = 32;
  cfg->net.ngf = 8;
  cfg->net.batch = 4;
  cfg->opt_g.lr = 1e-3f;
  cfg->sched.base_lr = 1e-3f;
  cfg->max_steps = steps;
  cfg->log_every = 5;
  cfg->checkpoint_every = 10;
  cfg->val_every = 10;
  cfg->val_fraction = 0.15;
  cfg->preview_count = 4;
  cfg->keep = 2;
  cfg->seed = 7;
  cfg->threads = 1;
  g_assert_true (zi_trainer_config_validate (cfg, &error));
  g_assert_no_error (error);
}

void
record_cb (ZiTrainer *trainer, const ZiTrainerEvent *event, gpointer user_data)
{
  Recorder *r = user_data;

  g_mutex_lock (&r->lock);
  g_ptr_array_add (r->events, zi_trainer_event_copy (event));
  g_mutex_unlock (&r->lock);
}

void
recorder_init (Recorder *r)
{
  r->events = g_ptr_array_new_with_free_func ((GDestroyNotify) zi_trainer_event_free);
  g_mutex_init (&r->lock);
}

void
recorder_clear (Recorder *r)
{
  g_ptr_array_unref (r->events);
  g_mutex_clear (&r->lock);
}

const ZiTrainerEvent *
find_event (Recorder *r, ZiTrainerEventKind kind, guint64 step)
{
  for (guint i = 0; i < r->events->len; i++)
    {
      const ZiTrainerEvent *e = g_ptr_array_index (r->events, i);
      if (e->kind == kind && (step == G_MAXUINT64 || e->step == step))
        return e;
    }
  return NULL;
}

void
run_sync (ZiTrainer *trainer, Recorder *r)
{
  g_autoptr(GError) error = NULL;

  zi_trainer_set_event_func (trainer, NULL, record_cb, r, NULL);
  g_assert_true (zi_trainer_run (trainer, &error));
  g_assert_no_error (error);
}

char *
run_cli_err (const char *const *args, int *status, char **err_out)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  char *out = NULL;
  g_autofree char *err = NULL;
  const char *cli = g_getenv ("ZIMARU_CLI");

  g_assert_nonnull (cli);
  g_ptr_array_add (argv, (gpointer) cli);
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);
  g_assert_true (g_spawn_sync (NULL, (char **) argv->pdata, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, &err,
                               status, &error));
  g_assert_no_error (error);
  if (*status != 0)
    g_test_message ("CLI stderr: %s", err);
  if (err_out != NULL)
    *err_out = g_steal_pointer (&err);
  return out;
}

char *
run_cli (const char *const *args, int *status)
{
  return run_cli_err (args, status, NULL);
}

char *
read_run_file (const char *dir, const char *name)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  char *text = NULL;

  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  return text;
}
