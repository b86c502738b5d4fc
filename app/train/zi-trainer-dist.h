/* zi-trainer-dist.h — what a training session needs from a data-parallel job (several processes
 * training one run, zi-trainer-mpi.h provides it under mpirun): every process runs the same session
 * in step with the others on its share of each step's batch; the gradients are averaged through the
 * engine's gradient hook, so every process applies the same update and keeps the same weights.
 * Only rank 0 writes into the run directory; the others read it (resume, rollback) and write nothing.
 * A plain table of functions, so that the trainer itself needs no MPI. */
#pragma once

#include <glib.h>
#include "nn-pix2pix.h"

G_BEGIN_DECLS

typedef struct {
  int      rank;   /* this process; rank 0 writes the run */
  int      size;   /* processes; each step's batch divides by it */
  gpointer user;
  /* Before each step: installs the gradient averaging on net (a rollback replaces the network). */
  void (*attach)     (gpointer user, NnPix2Pix *net);
  /* After a step every process took: averages stats over the processes and gives every process the
   * batch-norm running statistics of rank 0 (as PyTorch's DistributedDataParallel broadcasts its
   * buffers), so validation and checkpoints agree whichever rank measures or writes them. */
  void (*after_step) (gpointer user, NnPix2Pix *net, NnStepStats *stats);
  /* Between steps: the largest of the processes' codes (0 = go on), so that all stop together
   * whichever of them reached a bound or was asked to stop. */
  int  (*agree_stop) (gpointer user, int code);
} ZiTrainerDist;

G_END_DECLS
