/* nn-pool.h — a fixed team of threads that runs one function in parts: the engine's own threading.
 * A model owns its pool (no global state); a training step calls nn_pool_run a few hundred
 * times, each call splitting one layer's work (images, channels or a range of values) into as many
 * parts as the pool has threads, with OpenBLAS single-threaded inside each part. */
#pragma once

#include "nn.h"

#define NN_POOL_MAX_THREADS 64
/* At most this many parts per run (more are clamped). */
#define NN_POOL_MAX_PARTS 64

typedef struct NnPool NnPool;

/* fn(ctx, part, parts) for every part in [0, parts); parts of one call run concurrently. */
typedef void (*NnPoolFn) (void *ctx, int part, int parts);

/* threads >= 1: the caller's thread plus threads - 1 workers, started now. */
NnStatus nn_pool_new (NnPool **out, int threads);
void     nn_pool_free (NnPool *pool);
int      nn_pool_threads (const NnPool *pool);
/* Runs every part of as many as the pool has threads and returns when all have finished. Any thread
 * may run any part (the caller included; parts are claimed in turn), so a part's work must depend on
 * its number only. A NULL pool runs fn(ctx, 0, 1). */
void     nn_pool_run (NnPool *pool, NnPoolFn fn, void *ctx);
/* The same with a chosen number of parts (1: on the calling thread, no synchronisation), for work
 * too small to be worth sharing. */
void     nn_pool_run_parts (NnPool *pool, NnPoolFn fn, void *ctx, int parts);

/* The share of [0, total) that part `part` of `parts` handles: [*first, *first + *count). */
void     nn_pool_split (int total, int part, int parts, int *first, int *count);
