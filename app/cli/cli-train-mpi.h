/* cli-train-mpi.h — what `zimaru-cli train` does differently under mpirun (zi-trainer-mpi.h): one
 * run trained by every rank of the job, rank 0 speaking for it. Each function is the plain path
 * when mpi is NULL (a process started on its own). */
#pragma once

#include "zi-trainer.h"
#include "zi-trainer-mpi.h"

G_BEGIN_DECLS

/* Starts the job if mpirun started this process (*mpi NULL otherwise); ranks other than 0 go
 * silent. FALSE with *code when MPI cannot start. */
gboolean   zi_cli_train_mpi_begin (ZiTrainerMpi **mpi, int *code);
/* Makes cfg fit the job: rank 0's seed (new runs), --threads per rank (default: the cores mpirun
 * bound the rank to), and a batch that divides among the ranks (FALSE with a usage error, *code 2). */
gboolean   zi_cli_train_mpi_prepare (ZiTrainerMpi *mpi, ZiTrainerConfig *cfg, gboolean new_run,
                                     gboolean threads_given, int *code);
/* zi_trainer_new (cfg non-NULL) or zi_trainer_new_resume, rank 0 first (it makes the directory and
 * takes the run's lock), then the other ranks' replicas. NULL with *code when any rank failed: the
 * first rank that failed printed why, once. */
ZiTrainer *zi_cli_train_mpi_new_trainer (ZiTrainerMpi *mpi, const ZiTrainerConfig *cfg,
                                         const char *run, const char *checkpoint, int *code);
/* After training failed on this rank (rank 0 printed error already): in a job of several ranks,
 * another rank prints it with its number, and the whole job ends with code, since the other ranks
 * may be waiting for this one. Returns only without such a job. */
void       zi_cli_train_mpi_failed (ZiTrainerMpi *mpi, int code, const GError *error);

/* Under mpirun with several ranks: SIGINT and SIGTERM (mpirun ending the job) print one line and
 * leave (zi_trainer_mpi_ended_by_mpirun), SIGUSR1 (forwarded by mpirun to every rank) stops the
 * training cleanly with a checkpoint. FALSE, with nothing installed, otherwise. ids receive the
 * sources. */
gboolean   zi_cli_train_mpi_signals (ZiTrainerMpi *mpi, ZiTrainer *trainer, guint ids[3]);

G_END_DECLS
