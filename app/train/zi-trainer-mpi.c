/* zi-trainer-mpi.c — data-parallel training with Open MPI (zi-trainer-mpi.h): the job, the averaging
 * of the gradients in buckets through the engine's gradient hook, the statistics and stop decisions
 * the ranks share, and the watchdog that ends a job whose rank stopped answering.
 *
 * Buckets: the engine reports each layer's finished gradient range (nn_pix2pix_set_grad_hook). The
 * adjacent ranges of one network gather into a bucket; once it holds ZIMARU_MPI_BUCKET_KB (1024 KiB
 * by default) it is scaled by 1/N and summed in place with MPI_Iallreduce while the backward pass
 * goes on, and every call of the hook lets MPI progress them (MPI_Testall: Open MPI moves data only
 * inside its calls). Before a network's update the rest is sent and all of it waited for, together
 * with a flag that says whether every rank's step was finite, so that all ranks roll back together.
 * A sum of the same N values gives the same result on every rank, so the ranks keep equal weights;
 * a checksum of the weights is compared every 100 steps to be sure.
 *
 * Faults: MPI_COMM_WORLD returns errors instead of aborting with Open MPI's page of text, and a
 * watchdog thread (POSIX threads: ThreadSanitizer does not see GLib's locks) watches each wait for
 * the other ranks; after ZIMARU_MPI_TIMEOUT seconds (20) without an answer it prints one line and
 * ends the whole job with MPI_Abort. The checkpoints on disk are written atomically by rank 0, so the
 * newest complete one survives and --resume continues from it, with any number of ranks.
 *
 * This is the only file that includes mpi.h; built without MPI it is the single-process path. */
#define _GNU_SOURCE  /* sched_getaffinity, CPU_COUNT */
#include "config.h"
#include "zi-trainer-mpi.h"
#include "zi-error.h"

#include <glib/gi18n.h>
#include <sched.h>
#include <stdio.h>

#ifdef ZIMARU_HAVE_MPI

#include <errno.h>
#include <fcntl.h>
#include <mpi.h>
#include <signal.h>
#include <pthread.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* More requests than a step ever has buckets (the networks have at most 27 layers); when full, the
 * step waits for what is in flight before it sends more. */
#define MAX_REQUESTS 64
#define CHECK_EVERY  100
#define HOST_LEN     256

struct _ZiTrainerMpi {
  int            rank, size;
  int            err_fd;             /* this rank's own error lines (stderr, kept when silenced) */
  gint           said;               /* atomic: this rank printed why the job ends */
  int           *pids;               /* [size] every rank's process id … */
  char          *hosts;              /* [size × HOST_LEN] … and host, to tell which rank ended */
  int            thread_multiple;    /* MPI_Abort may be called from the watchdog */
  ZiTrainerDist  dist;
  size_t         bucket_floats;

  /* The bucket being gathered: a contiguous range of net's gradient block. */
  int            pend_net;
  float         *pend;
  size_t         pend_n;
  MPI_Request    req[MAX_REQUESTS];
  int            n_req;
  int            all_finite;         /* the finiteness flag's reduction buffer */
  float          inv_size;
  guint64        steps;

  /* Time spent waiting for the others, for ZIMARU_MPI_STATS. */
  gint64         wait_us, first_us, last_us;

  /* The watchdog: under lock. */
  pthread_t       watchdog;
  pthread_mutex_t lock;
  pthread_cond_t  cond;
  gboolean        quit;
  gint64          waiting_since;     /* monotonic µs; 0 when not waiting */
  gint64          waited_awake;      /* µs of that wait while this process ran (not stopped) */
  const char     *waiting_for;
  int             timeout_s;
};

/* The other rank when there are two, else -1 (a wait cannot say which rank is missing). */
static int
peer (const ZiTrainerMpi *mpi)
{
  return mpi->size == 2 ? 1 - mpi->rank : -1;
}

/* One line on this rank's error output, even when its stderr is silenced. */
static void
say (ZiTrainerMpi *mpi, const char *line)
{
  g_autofree char *text = g_strconcat (line, "\n", NULL);
  size_t len = strlen (text);

  fflush (stderr);
  while (len > 0)
    {
      ssize_t k = write (mpi->err_fd, text, len);
      if (k <= 0)
        break;
      len -= (size_t) k;
    }
}

static G_NORETURN void
fail (ZiTrainerMpi *mpi, const char *what)
{
  g_autofree char *line = g_strdup_printf ("zimaru-cli: error: %s; the job stops (rank %d). The "
                                           "newest checkpoint is intact: continue the run with "
                                           "--resume.", what, mpi->rank);
  /* mpirun answers MPI_Abort with SIGTERM to every rank, this one too: one line is enough. */
  g_atomic_int_set (&mpi->said, 1);
  say (mpi, line);
  zi_trainer_mpi_abort (mpi, 1);
}

static void
check (ZiTrainerMpi *mpi, int rc, const char *during)
{
  char text[MPI_MAX_ERROR_STRING];
  int len = 0;

  if (rc == MPI_SUCCESS)
    return;
  MPI_Error_string (rc, text, &len);
  g_autofree char *what = peer (mpi) >= 0
    ? g_strdup_printf ("lost rank %d while %s (%s)", peer (mpi), during, text)
    : g_strdup_printf ("lost another rank while %s (%s)", during, text);
  fail (mpi, what);
}

/* ---- the watchdog ---- */

static void
watch_begin (ZiTrainerMpi *mpi, const char *what)
{
  pthread_mutex_lock (&mpi->lock);
  mpi->waiting_since = g_get_monotonic_time ();
  mpi->waited_awake = 0;
  mpi->waiting_for = what;
  pthread_mutex_unlock (&mpi->lock);
}

static void
watch_end (ZiTrainerMpi *mpi, gint64 since)
{
  gint64 now = g_get_monotonic_time ();

  pthread_mutex_lock (&mpi->lock);
  mpi->waiting_since = 0;
  pthread_mutex_unlock (&mpi->lock);
  mpi->wait_us += now - since;
}

static void *
watchdog_thread (void *data)
{
  ZiTrainerMpi *mpi = data;
  gint64 last = g_get_monotonic_time ();

  pthread_mutex_lock (&mpi->lock);
  while (!mpi->quit)
    {
      struct timespec until;
      clock_gettime (CLOCK_REALTIME, &until);
      until.tv_sec += 1;
      pthread_cond_timedwait (&mpi->cond, &mpi->lock, &until);
      /* Only the time this process ran counts: one that was stopped (SIGSTOP, a suspended machine)
       * and woke up has not waited for the others all that while. */
      gint64 now = g_get_monotonic_time ();
      gint64 tick = MIN (now - last, 2 * G_USEC_PER_SEC);
      last = now;
      if (mpi->quit || mpi->waiting_since == 0)
        continue;
      mpi->waited_awake += MIN (tick, now - mpi->waiting_since);
      if (mpi->waited_awake < (gint64) mpi->timeout_s * G_USEC_PER_SEC)
        continue;
      g_autofree char *what = peer (mpi) >= 0
        ? g_strdup_printf ("rank %d stopped responding (no answer for %d s while %s)", peer (mpi),
                           mpi->timeout_s, mpi->waiting_for)
        : g_strdup_printf ("a rank stopped responding (no answer for %d s while %s)", mpi->timeout_s,
                           mpi->waiting_for);
      pthread_mutex_unlock (&mpi->lock);
      fail (mpi, what);
    }
  pthread_mutex_unlock (&mpi->lock);
  return NULL;
}

/* ---- the gradient hook ---- */

/* Lets MPI move the buckets in flight. */
static void
progress (ZiTrainerMpi *mpi)
{
  int done = 0;

  if (mpi->n_req > 0)
    check (mpi, MPI_Testall (mpi->n_req, mpi->req, &done, MPI_STATUSES_IGNORE), "averaging gradients");
}

static void
wait_all (ZiTrainerMpi *mpi, const char *what)
{
  gint64 t0 = g_get_monotonic_time ();

  watch_begin (mpi, what);
  check (mpi, MPI_Waitall (mpi->n_req, mpi->req, MPI_STATUSES_IGNORE), what);
  watch_end (mpi, t0);
  mpi->n_req = 0;
}

/* Sends the gathered bucket: each rank's share 1/N, summed in place. */
static void
flush (ZiTrainerMpi *mpi)
{
  if (mpi->pend_n == 0)
    return;
  if (mpi->n_req == MAX_REQUESTS)
    wait_all (mpi, "averaging gradients");
  for (size_t i = 0; i < mpi->pend_n; i++)
    mpi->pend[i] *= mpi->inv_size;
  check (mpi, MPI_Iallreduce (MPI_IN_PLACE, mpi->pend, (int) mpi->pend_n, MPI_FLOAT, MPI_SUM,
                              MPI_COMM_WORLD, &mpi->req[mpi->n_req]),
         "averaging gradients");
  mpi->n_req++;
  mpi->pend_n = 0;
}

static void
grads_ready_cb (void *user, int net, float *grads, size_t n)
{
  ZiTrainerMpi *mpi = user;

  if (mpi->pend_n > 0 && mpi->pend_net == net && grads + n == mpi->pend)
    mpi->pend = grads, mpi->pend_n += n;
  else if (mpi->pend_n > 0 && mpi->pend_net == net && mpi->pend + mpi->pend_n == grads)
    mpi->pend_n += n;
  else
    {
      flush (mpi);
      mpi->pend_net = net;
      mpi->pend = grads;
      mpi->pend_n = n;
    }
  if (mpi->pend_n >= mpi->bucket_floats)
    flush (mpi);
  progress (mpi);
}

static int
grads_wait_cb (void *user, int net, int finite)
{
  ZiTrainerMpi *mpi = user;

  flush (mpi);
  if (mpi->n_req == MAX_REQUESTS)
    wait_all (mpi, "averaging gradients");
  mpi->all_finite = finite != 0;
  check (mpi, MPI_Iallreduce (MPI_IN_PLACE, &mpi->all_finite, 1, MPI_INT, MPI_MIN, MPI_COMM_WORLD,
                              &mpi->req[mpi->n_req]),
         "averaging gradients");
  mpi->n_req++;
  wait_all (mpi, net == 1 ? "averaging the discriminator's gradients"
                          : "averaging the generator's gradients");
  return mpi->all_finite;
}

/* ---- the session's side (zi-trainer-dist.h) ---- */

static void
attach_cb (gpointer user, NnPix2Pix *net)
{
  ZiTrainerMpi *mpi = user;

  if (mpi->first_us == 0)
    mpi->first_us = g_get_monotonic_time ();
  mpi->pend_n = 0;
  nn_pix2pix_set_grad_hook (net, grads_ready_cb, grads_wait_cb, mpi);
}

/* A checksum of both networks' weights, equal on ranks that hold equal weights. */
static guint64
weights_checksum (NnPix2Pix *net)
{
  guint64 h = 1469598103934665603ull;

  for (int d = 0; d < 2; d++)
    {
      float *params = NULL;
      size_t n = nn_pix2pix_param_block (net, d, &params, NULL);
      const guint32 *w = (const guint32 *) params;
      for (size_t i = 0; i < n; i++)
        h = (h ^ w[i]) * 1099511628211ull;
    }
  return h;
}

static void
blocking (ZiTrainerMpi *mpi, int rc_start, MPI_Request *req, const char *what)
{
  gint64 t0 = g_get_monotonic_time ();

  check (mpi, rc_start, what);
  watch_begin (mpi, what);
  check (mpi, MPI_Wait (req, MPI_STATUS_IGNORE), what);
  watch_end (mpi, t0);
}

static void
after_step_cb (gpointer user, NnPix2Pix *net, NnStepStats *st)
{
  ZiTrainerMpi *mpi = user;
  float v[] = { st->d_loss, st->d_real, st->d_fake, st->g_loss, st->g_adv, st->g_l1, st->g_const,
                st->g_tv, st->g_ssim };
  float *stats = NULL;
  size_t n_stats = nn_pix2pix_norm_stats (net, &stats);
  MPI_Request req;

  nn_pix2pix_set_grad_hook (net, NULL, NULL, NULL);
  blocking (mpi, MPI_Iallreduce (MPI_IN_PLACE, v, G_N_ELEMENTS (v), MPI_FLOAT, MPI_SUM, MPI_COMM_WORLD,
                                 &req), &req, "averaging the losses");
  st->d_loss = v[0] * mpi->inv_size;
  st->d_real = v[1] * mpi->inv_size;
  st->d_fake = v[2] * mpi->inv_size;
  st->g_loss = v[3] * mpi->inv_size;
  st->g_adv = v[4] * mpi->inv_size;
  st->g_l1 = v[5] * mpi->inv_size;
  st->g_const = v[6] * mpi->inv_size;
  st->g_tv = v[7] * mpi->inv_size;
  st->g_ssim = v[8] * mpi->inv_size;
  if (n_stats > 0)
    blocking (mpi, MPI_Ibcast (stats, (int) n_stats, MPI_FLOAT, 0, MPI_COMM_WORLD, &req), &req,
              "sharing the batch-norm statistics");

  if (mpi->steps++ % CHECK_EVERY == 0)
    {
      guint64 sum[2];
      sum[0] = weights_checksum (net);
      sum[1] = ~sum[0];
      /* The largest checksum and the largest complement: equal everywhere iff all are equal. */
      blocking (mpi, MPI_Iallreduce (MPI_IN_PLACE, sum, 2, MPI_UINT64_T, MPI_MAX, MPI_COMM_WORLD, &req),
                &req, "comparing the weights");
      if (sum[0] != ~sum[1])
        fail (mpi, "the ranks' weights differ (a rank computed a different update)");
    }
  mpi->last_us = g_get_monotonic_time ();
}

static int
agree_stop_cb (gpointer user, int code)
{
  ZiTrainerMpi *mpi = user;
  MPI_Request req;

  blocking (mpi, MPI_Iallreduce (MPI_IN_PLACE, &code, 1, MPI_INT, MPI_MAX, MPI_COMM_WORLD, &req), &req,
            "deciding whether to stop");
  return code;
}

/* ---- the job ---- */

static int
env_int (const char *name, int fallback, int lo, int hi)
{
  const char *v = g_getenv (name);
  gint64 x;

  if (v == NULL || !g_ascii_string_to_signed (v, 10, lo, hi, &x, NULL))
    return fallback;
  return (int) x;
}

ZiTrainerMpi *
zi_trainer_mpi_start (GError **error)
{
  int provided = MPI_THREAD_SINGLE;
  int rc;

  if (g_getenv ("OMPI_COMM_WORLD_SIZE") == NULL)
    return NULL;
  rc = MPI_Init_thread (NULL, NULL, MPI_THREAD_MULTIPLE, &provided);
  if (rc != MPI_SUCCESS || provided < MPI_THREAD_SERIALIZED)
    {
      g_set_error (error, ZI_ERROR, ZI_ERROR_IO,
                   _("Open MPI did not start (it offers thread level %d; zimaru-cli needs %d): check "
                     "the mpirun command and the Open MPI installation."),
                   provided, MPI_THREAD_SERIALIZED);
      return NULL;
    }
  MPI_Comm_set_errhandler (MPI_COMM_WORLD, MPI_ERRORS_RETURN);

  ZiTrainerMpi *mpi = g_new0 (ZiTrainerMpi, 1);
  mpi->err_fd = STDERR_FILENO;
  MPI_Comm_rank (MPI_COMM_WORLD, &mpi->rank);
  MPI_Comm_size (MPI_COMM_WORLD, &mpi->size);
  mpi->thread_multiple = provided >= MPI_THREAD_MULTIPLE;
  mpi->inv_size = 1.0f / (float) mpi->size;
  mpi->bucket_floats = (size_t) env_int ("ZIMARU_MPI_BUCKET_KB", 1024, 4, 1 << 20) * 1024 / sizeof (float);
  mpi->timeout_s = env_int ("ZIMARU_MPI_TIMEOUT", 20, 1, 24 * 3600);
  mpi->dist = (ZiTrainerDist) { mpi->rank, mpi->size, mpi, attach_cb, after_step_cb, agree_stop_cb };
  pthread_mutex_init (&mpi->lock, NULL);
  pthread_cond_init (&mpi->cond, NULL);
  pthread_create (&mpi->watchdog, NULL, watchdog_thread, mpi);

  /* Who is who, to name a rank whose process ended (zi_trainer_mpi_ended_by_mpirun). */
  int pid = (int) getpid ();
  char host[HOST_LEN] = { 0 };
  MPI_Request req;
  gethostname (host, sizeof host - 1);
  mpi->pids = g_new0 (int, mpi->size);
  mpi->hosts = g_malloc0 ((gsize) mpi->size * HOST_LEN);
  blocking (mpi, MPI_Iallgather (&pid, 1, MPI_INT, mpi->pids, 1, MPI_INT, MPI_COMM_WORLD, &req), &req,
            "starting the job");
  blocking (mpi, MPI_Iallgather (host, HOST_LEN, MPI_CHAR, mpi->hosts, HOST_LEN, MPI_CHAR, MPI_COMM_WORLD,
                                 &req), &req, "starting the job");
  return mpi;
}

void
zi_trainer_mpi_finish (ZiTrainerMpi *mpi)
{
  if (mpi == NULL)
    return;
  pthread_mutex_lock (&mpi->lock);
  mpi->quit = TRUE;
  pthread_cond_signal (&mpi->cond);
  pthread_mutex_unlock (&mpi->lock);
  pthread_join (mpi->watchdog, NULL);
  if (g_getenv ("ZIMARU_MPI_STATS") != NULL && mpi->steps > 0)
    {
      double total = (mpi->last_us - mpi->first_us) / (double) G_USEC_PER_SEC;
      g_autofree char *line = g_strdup_printf ("zimaru-cli: mpi: rank %d of %d: %" G_GUINT64_FORMAT
                                               " steps, %.4f s/step, %.1f%% of it waiting for the "
                                               "other ranks", mpi->rank, mpi->size, mpi->steps,
                                               total / (double) mpi->steps,
                                               total > 0 ? 100.0 * mpi->wait_us / 1e6 / total : 0.0);
      say (mpi, line);
    }
  MPI_Finalize ();
  pthread_cond_destroy (&mpi->cond);
  pthread_mutex_destroy (&mpi->lock);
  g_free (mpi->pids);
  g_free (mpi->hosts);
  g_free (mpi);
}

int
zi_trainer_mpi_rank (const ZiTrainerMpi *mpi)
{
  return mpi != NULL ? mpi->rank : 0;
}

int
zi_trainer_mpi_size (const ZiTrainerMpi *mpi)
{
  return mpi != NULL ? mpi->size : 1;
}

const ZiTrainerDist *
zi_trainer_mpi_get_dist (ZiTrainerMpi *mpi)
{
  return mpi != NULL ? &mpi->dist : NULL;
}

int
zi_trainer_mpi_first_failure (ZiTrainerMpi *mpi, gboolean ok)
{
  int first;
  MPI_Request req;

  if (mpi == NULL)
    return ok ? -1 : 0;
  first = ok ? mpi->size : mpi->rank;
  blocking (mpi, MPI_Iallreduce (MPI_IN_PLACE, &first, 1, MPI_INT, MPI_MIN, MPI_COMM_WORLD, &req), &req,
            "starting the job");
  return first < mpi->size ? first : -1;
}

void
zi_trainer_mpi_broadcast_u64 (ZiTrainerMpi *mpi, guint64 *value)
{
  MPI_Request req;

  if (mpi != NULL)
    blocking (mpi, MPI_Ibcast (value, 1, MPI_UINT64_T, 0, MPI_COMM_WORLD, &req), &req, "starting the job");
}

void
zi_trainer_mpi_abort (ZiTrainerMpi *mpi, int code)
{
  /* MPI_Abort from the watchdog needs MPI_THREAD_MULTIPLE; without it, leaving at once makes mpirun
   * end the others. */
  fflush (stdout);
  fflush (stderr);
  if (mpi != NULL)
    {
      /* Open MPI's own page about MPI_Abort would follow the one line already printed. */
      int null_fd = open ("/dev/null", O_WRONLY);
      if (null_fd >= 0)
        dup2 (null_fd, STDERR_FILENO);
    }
  if (mpi != NULL && mpi->thread_multiple)
    MPI_Abort (MPI_COMM_WORLD, code);
  _exit (code);
}

void
zi_trainer_mpi_silence (ZiTrainerMpi *mpi)
{
  int null_fd;

  if (mpi == NULL || mpi->rank == 0)
    return;
  fflush (stdout);
  fflush (stderr);
  mpi->err_fd = dup (STDERR_FILENO);
  if (mpi->err_fd < 0)
    mpi->err_fd = STDERR_FILENO;
  null_fd = open ("/dev/null", O_WRONLY);
  if (null_fd < 0)
    return;
  dup2 (null_fd, STDOUT_FILENO);
  dup2 (null_fd, STDERR_FILENO);
  close (null_fd);
}

void
zi_trainer_mpi_ended_by_mpirun (ZiTrainerMpi *mpi)
{
  char host[HOST_LEN] = { 0 };
  g_autofree char *what = NULL;

  gethostname (host, sizeof host - 1);
  /* mpirun reaped a rank that died before it ended the others, so a rank on this machine whose
   * process is gone is the one that stopped. */
  for (int r = 0; r < mpi->size && what == NULL; r++)
    if (r != mpi->rank && strncmp (mpi->hosts + (gsize) r * HOST_LEN, host, HOST_LEN) == 0
        && kill (mpi->pids[r], 0) != 0 && errno == ESRCH)
      what = g_strdup_printf ("rank %d stopped responding (its process %d on %s has ended)", r,
                              mpi->pids[r], host);
  /* The job says it once: rank 0 unless a rank saw its neighbour's process gone or said why already. */
  if (g_atomic_int_get (&mpi->said) || (what == NULL && mpi->rank != 0))
    _exit (1);
  if (what == NULL)
    what = g_strdup ("mpirun ended the job (it was interrupted, or a rank on another machine ended)");
  g_autofree char *line = g_strdup_printf ("zimaru-cli: error: %s; the job stops. The newest "
                                           "checkpoint is intact: continue the run with --resume.",
                                           what);
  say (mpi, line);
  _exit (1);
}

void
zi_trainer_mpi_report (ZiTrainerMpi *mpi, const char *message)
{
  g_autofree char *line = NULL;

  if (mpi == NULL)
    return;
  line = g_strdup_printf ("zimaru-cli: error: rank %d: %s", mpi->rank, message);
  say (mpi, line);
}

#else /* !ZIMARU_HAVE_MPI: the single-process path */

#include <stdlib.h>

ZiTrainerMpi *
zi_trainer_mpi_start (GError **error)
{
  return NULL;
}

void
zi_trainer_mpi_finish (ZiTrainerMpi *mpi)
{
}

int
zi_trainer_mpi_rank (const ZiTrainerMpi *mpi)
{
  return 0;
}

int
zi_trainer_mpi_size (const ZiTrainerMpi *mpi)
{
  return 1;
}

const ZiTrainerDist *
zi_trainer_mpi_get_dist (ZiTrainerMpi *mpi)
{
  return NULL;
}

int
zi_trainer_mpi_first_failure (ZiTrainerMpi *mpi, gboolean ok)
{
  return ok ? -1 : 0;
}

void
zi_trainer_mpi_broadcast_u64 (ZiTrainerMpi *mpi, guint64 *value)
{
}

void
zi_trainer_mpi_abort (ZiTrainerMpi *mpi, int code)
{
  exit (code);
}

void
zi_trainer_mpi_silence (ZiTrainerMpi *mpi)
{
}

void
zi_trainer_mpi_report (ZiTrainerMpi *mpi, const char *message)
{
}

void
zi_trainer_mpi_ended_by_mpirun (ZiTrainerMpi *mpi)
{
  exit (1);
}

#endif

guint
zi_trainer_mpi_bound_cores (void)
{
  cpu_set_t set;

  CPU_ZERO (&set);
  if (sched_getaffinity (0, sizeof set, &set) != 0)
    return 1;
  return (guint) MAX (1, CPU_COUNT (&set));
}
