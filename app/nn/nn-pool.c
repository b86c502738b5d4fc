/* nn-pool.c — the engine's thread team (see nn-pool.h). Workers wait for a generation counter to move;
 * they spin briefly first, because the calls of a training step come every few hundred microseconds
 * and a condition-variable wake-up costs tens of them, then sleep on the condition variable so an
 * idle model costs nothing. */
#include "nn-pool.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>

/* About 20–50 µs of polling before a thread blocks. */
#define SPIN_ROUNDS 4000

typedef struct {
  NnPool *pool;
  int     id;
} Worker;

struct NnPool {
  int             threads;
  pthread_t      *tids;
  Worker         *workers;
  pthread_mutex_t lock;
  pthread_cond_t  wake;      /* the generation moved (or quit) */
  pthread_cond_t  finished;  /* the last worker of a generation is done */
  atomic_uint     generation;
  atomic_int      done;
  atomic_int      quit;
  NnPoolFn        fn;
  void           *ctx;
};

static inline void
cpu_relax (void)
{
#if defined(__x86_64__) || defined(__i386__)
  __builtin_ia32_pause ();
#endif
}

static void *
worker_main (void *arg)
{
  Worker *w = arg;
  NnPool *p = w->pool;
  unsigned seen = 0;
  for (;;)
    {
      unsigned gen = atomic_load_explicit (&p->generation, memory_order_acquire);
      for (int i = 0; gen == seen && i < SPIN_ROUNDS && !atomic_load (&p->quit); i++)
        {
          cpu_relax ();
          gen = atomic_load_explicit (&p->generation, memory_order_acquire);
        }
      if (gen == seen)
        {
          pthread_mutex_lock (&p->lock);
          while ((gen = atomic_load (&p->generation)) == seen && !atomic_load (&p->quit))
            pthread_cond_wait (&p->wake, &p->lock);
          pthread_mutex_unlock (&p->lock);
        }
      if (atomic_load (&p->quit))
        return NULL;
      seen = gen;
      p->fn (p->ctx, w->id, p->threads);
      if (atomic_fetch_add_explicit (&p->done, 1, memory_order_acq_rel) + 1 == p->threads - 1)
        {
          pthread_mutex_lock (&p->lock);
          pthread_cond_signal (&p->finished);
          pthread_mutex_unlock (&p->lock);
        }
    }
}

NnStatus
nn_pool_new (NnPool **out, int threads)
{
  if (threads < 1 || threads > 64)
    return NN_ERR_INVALID;
  NnPool *p = calloc (1, sizeof *p);
  if (p == NULL)
    return NN_ERR_NOMEM;
  p->threads = threads;
  p->tids = calloc ((size_t) threads, sizeof (pthread_t));
  p->workers = calloc ((size_t) threads, sizeof (Worker));
  if (p->tids == NULL || p->workers == NULL)
    {
      free (p->tids);
      free (p->workers);
      free (p);
      return NN_ERR_NOMEM;
    }
  pthread_mutex_init (&p->lock, NULL);
  pthread_cond_init (&p->wake, NULL);
  pthread_cond_init (&p->finished, NULL);
  atomic_init (&p->generation, 0);
  atomic_init (&p->done, 0);
  atomic_init (&p->quit, 0);
  for (int i = 1; i < threads; i++)
    {
      p->workers[i].pool = p;
      p->workers[i].id = i;
      if (pthread_create (&p->tids[i], NULL, worker_main, &p->workers[i]) != 0)
        {
          /* Run with the workers that did start. */
          p->threads = i;
          break;
        }
    }
  *out = p;
  return NN_OK;
}

void
nn_pool_free (NnPool *p)
{
  if (p == NULL)
    return;
  pthread_mutex_lock (&p->lock);
  atomic_store (&p->quit, 1);
  pthread_cond_broadcast (&p->wake);
  pthread_mutex_unlock (&p->lock);
  for (int i = 1; i < p->threads; i++)
    pthread_join (p->tids[i], NULL);
  pthread_mutex_destroy (&p->lock);
  pthread_cond_destroy (&p->wake);
  pthread_cond_destroy (&p->finished);
  free (p->tids);
  free (p->workers);
  free (p);
}

int
nn_pool_threads (const NnPool *p)
{
  return p != NULL ? p->threads : 1;
}

void
nn_pool_run (NnPool *p, NnPoolFn fn, void *ctx)
{
  if (p == NULL || p->threads == 1)
    {
      fn (ctx, 0, 1);
      return;
    }
  p->fn = fn;
  p->ctx = ctx;
  atomic_store (&p->done, 0);
  pthread_mutex_lock (&p->lock);
  atomic_fetch_add_explicit (&p->generation, 1, memory_order_release);
  pthread_cond_broadcast (&p->wake);
  pthread_mutex_unlock (&p->lock);

  fn (ctx, 0, p->threads);

  int want = p->threads - 1;
  for (int i = 0; atomic_load_explicit (&p->done, memory_order_acquire) < want && i < SPIN_ROUNDS; i++)
    cpu_relax ();
  if (atomic_load_explicit (&p->done, memory_order_acquire) < want)
    {
      pthread_mutex_lock (&p->lock);
      while (atomic_load (&p->done) < want)
        pthread_cond_wait (&p->finished, &p->lock);
      pthread_mutex_unlock (&p->lock);
    }
}

void
nn_pool_split (int total, int part, int parts, int *first, int *count)
{
  long a = (long) total * part / parts, b = (long) total * (part + 1) / parts;
  *first = (int) a;
  *count = (int) (b - a);
}
