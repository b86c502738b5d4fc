/* zi-trainer-mpi.h — data-parallel training with Open MPI: `mpirun -n N zimaru-cli train …` trains one
 * run on N processes (ranks), as PyTorch's DistributedDataParallel does. Each rank computes the
 * gradients of its slice of every step's batch; they are averaged with MPI_Iallreduce in buckets
 * that start while the backward pass goes on (the engine's gradient hook), so every rank applies the
 * same update. Rank 0 alone writes the run directory. A watchdog thread ends the whole job with one
 * line when a rank stops answering.
 *
 * Only zimaru-cli links this (app/train's library zitrainmpi): the window never needs MPI. Built
 * without MPI (meson option mpi), zi_trainer_mpi_start() always returns NULL: the single-process
 * path. */
#pragma once

#include <glib.h>
#include "zi-trainer-dist.h"

G_BEGIN_DECLS

typedef struct _ZiTrainerMpi ZiTrainerMpi;

/* Starts MPI when mpirun started this process (Open MPI puts OMPI_COMM_WORLD_SIZE in its
 * environment) and returns the job; otherwise NULL without touching MPI, so a process started on its
 * own starts as fast and as quietly as without MPI. NULL with error when MPI fails to start. */
ZiTrainerMpi        *zi_trainer_mpi_start (GError **error);
/* Stops the watchdog and MPI (MPI_Finalize); every rank calls it, NULL is fine. */
void                 zi_trainer_mpi_finish (ZiTrainerMpi *mpi);
int                  zi_trainer_mpi_rank (const ZiTrainerMpi *mpi);
int                  zi_trainer_mpi_size (const ZiTrainerMpi *mpi);
/* What a training session of this rank needs (zi_trainer_set_dist); valid until finish. */
const ZiTrainerDist *zi_trainer_mpi_get_dist (ZiTrainerMpi *mpi);
/* Every rank says whether its part went well: the lowest rank that failed, -1 when none did. */
int                  zi_trainer_mpi_first_failure (ZiTrainerMpi *mpi, gboolean ok);
/* Gives every rank rank 0's value. */
void                 zi_trainer_mpi_broadcast_u64 (ZiTrainerMpi *mpi, guint64 *value);
/* Ends the whole job at once (MPI_Abort) with exit status code, after this rank printed why. */
G_NORETURN void      zi_trainer_mpi_abort (ZiTrainerMpi *mpi, int code);
/* Ranks other than 0 print nothing from here on (stdout and stderr go to /dev/null) except their own
 * fault lines and zi_trainer_mpi_report(): the job speaks once, through rank 0. */
void                 zi_trainer_mpi_silence (ZiTrainerMpi *mpi);
/* Prints "zimaru-cli: error: rank R: message" on this rank's error output, silenced or not. */
void                 zi_trainer_mpi_report (ZiTrainerMpi *mpi, const char *message);
/* For SIGTERM under mpirun, which mpirun sends when it ends the job (a rank died, or mpirun was
 * interrupted) shortly before SIGKILL: prints one line, naming the rank on this machine whose
 * process has ended if there is one, and leaves with status 1. A clean stop of a job is SIGUSR1 to
 * mpirun, which forwards it to every rank. */
G_NORETURN void      zi_trainer_mpi_ended_by_mpirun (ZiTrainerMpi *mpi);
/* The processors this process may run on (sched_getaffinity: mpirun binds each rank to its cores),
 * the default number of engine threads of a rank; at least 1. */
guint                zi_trainer_mpi_bound_cores (void);

G_END_DECLS
