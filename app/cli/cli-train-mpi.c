/* cli-train-mpi.c — `zimaru-cli train` under mpirun (cli-train-mpi.h): starting the job, fitting the
 * configuration to it, building the trainers in rank order and ending the job. The training itself
 * is the same ZiTrainer as ever, made one rank of the job by zi_trainer_set_dist(). */
#include "config.h"
#include "cli-train-mpi.h"
#include "cli-common.h"

#include <glib-unix.h>
#include <glib/gi18n.h>
#include <signal.h>

gboolean
zi_cli_train_mpi_begin (ZiTrainerMpi **mpi, int *code)
{
  g_autoptr(GError) error = NULL;

  *mpi = zi_trainer_mpi_start (&error);
  if (*mpi == NULL && error != NULL)
    {
      *code = zi_cli_fail (error);
      return FALSE;
    }
  zi_trainer_mpi_silence (*mpi);
  return TRUE;
}

gboolean
zi_cli_train_mpi_prepare (ZiTrainerMpi *mpi, ZiTrainerConfig *cfg, gboolean new_run,
                          gboolean threads_given, int *code)
{
  int size = zi_trainer_mpi_size (mpi);

  if (mpi == NULL)
    return TRUE;
  if (cfg->net.batch % size != 0)
    {
      /* The same check on every rank; rank 0's line is the one shown. */
      if (new_run)
        *code = zi_cli_usage_error (_("The batch size %d does not divide among the %d ranks of this job; "
                                      "give a --batch that is a multiple of %d (it is the batch of the "
                                      "whole job, split among the ranks)."),
                                    cfg->net.batch, size, size);
      else
        *code = zi_cli_usage_error (_("The run's batch size %d does not divide among the %d ranks of "
                                      "this job; continue it with a number of ranks that divides %d."),
                                    cfg->net.batch, size, cfg->net.batch);
      return FALSE;
    }
  if (new_run)
    zi_trainer_mpi_broadcast_u64 (mpi, &cfg->seed);
  if (!threads_given)
    cfg->threads = zi_trainer_mpi_bound_cores ();
  return TRUE;
}

/* Agrees on how construction went: the first rank that failed prints its error. */
static gboolean
agree (ZiTrainerMpi *mpi, gboolean ok, const GError *error, int *code)
{
  int first = zi_trainer_mpi_first_failure (mpi, ok);

  if (first < 0)
    return TRUE;
  *code = ZI_EXIT_FAILED;
  if (first == zi_trainer_mpi_rank (mpi) && error != NULL)
    {
      if (first == 0)
        *code = zi_cli_fail (error);
      else
        zi_trainer_mpi_report (mpi, error->message);
    }
  return FALSE;
}

ZiTrainer *
zi_cli_train_mpi_new_trainer (ZiTrainerMpi *mpi, const ZiTrainerConfig *cfg, const char *run,
                              const char *checkpoint, int *code)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ZiTrainer) trainer = NULL;
  int rank = zi_trainer_mpi_rank (mpi);

  if (mpi == NULL || zi_trainer_mpi_size (mpi) == 1)
    {
      trainer = cfg != NULL ? zi_trainer_new (cfg, run, &error) : zi_trainer_new_resume (run, checkpoint, &error);
      if (trainer == NULL)
        *code = zi_cli_fail (error);
      return g_steal_pointer (&trainer);
    }
  if (rank == 0)
    trainer = cfg != NULL ? zi_trainer_new (cfg, run, &error) : zi_trainer_new_resume (run, checkpoint, &error);
  if (!agree (mpi, rank != 0 || trainer != NULL, error, code))
    return NULL;
  if (rank != 0)
    trainer = zi_trainer_new_replica (cfg, run, checkpoint, &error);
  if (!agree (mpi, trainer != NULL, error, code))
    return NULL;
  zi_trainer_set_dist (trainer, zi_trainer_mpi_get_dist (mpi));
  return g_steal_pointer (&trainer);
}

void
zi_cli_train_mpi_failed (ZiTrainerMpi *mpi, int code, const GError *error)
{
  if (mpi == NULL || zi_trainer_mpi_size (mpi) == 1)
    return;
  /* Rank 0 printed it already; another rank's stderr is silenced. */
  if (zi_trainer_mpi_rank (mpi) != 0)
    zi_trainer_mpi_report (mpi, error->message);
  zi_trainer_mpi_abort (mpi, code);
}

static gboolean
ended_cb (gpointer user_data)
{
  zi_trainer_mpi_ended_by_mpirun (user_data);
}

static gboolean
stop_cb (gpointer user_data)
{
  zi_trainer_stop (ZI_TRAINER (user_data));
  return G_SOURCE_CONTINUE;
}

gboolean
zi_cli_train_mpi_signals (ZiTrainerMpi *mpi, ZiTrainer *trainer, guint ids[3])
{
  if (mpi == NULL || zi_trainer_mpi_size (mpi) == 1)
    return FALSE;
  ids[0] = g_unix_signal_add (SIGINT, ended_cb, mpi);
  ids[1] = g_unix_signal_add (SIGTERM, ended_cb, mpi);
  ids[2] = g_unix_signal_add (SIGUSR1, stop_cb, trainer);
  return TRUE;
}
