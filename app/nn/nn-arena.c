/* nn-arena.c — the engine's memory blocks: counted first, allocated once, handed out in order. */
#include "nn-arena.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

/* 16 floats = 64 bytes. */
#define NN_ARENA_ALIGN 16

void
nn_arena_count (NnArena *a)
{
  a->base = NULL;
  a->cap = 0;
  a->used = 0;
}

NnStatus
nn_arena_alloc (NnArena *a)
{
  size_t n = a->used > 0 ? a->used : NN_ARENA_ALIGN;
  a->base = aligned_alloc (64, n * sizeof (float));
  if (a->base == NULL)
    return NN_ERR_NOMEM;
  memset (a->base, 0, n * sizeof (float));
  a->cap = n;
  a->used = 0;
  return NN_OK;
}

float *
nn_arena_take (NnArena *a, size_t n)
{
  size_t rounded = (n + NN_ARENA_ALIGN - 1) / NN_ARENA_ALIGN * NN_ARENA_ALIGN;
  float *p = NULL;
  if (a->base != NULL)
    {
      assert (a->used + rounded <= a->cap);
      p = a->base + a->used;
    }
  a->used += rounded;
  return p;
}

void
nn_arena_rewind (NnArena *a)
{
  a->used = 0;
}

void
nn_arena_free (NnArena *a)
{
  free (a->base);
  a->base = NULL;
  a->cap = 0;
  a->used = 0;
}

size_t
nn_arena_bytes (const NnArena *a)
{
  /* An empty arena still gets one alignment unit from nn_arena_alloc (a model without batch norm
   * has no running statistics, yet a block for them). */
  if (a->base != NULL)
    return a->cap * sizeof (float);
  return (a->used > 0 ? a->used : NN_ARENA_ALIGN) * sizeof (float);
}
