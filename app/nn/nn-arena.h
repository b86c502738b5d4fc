/* nn-arena.h — one memory block per kind (parameters, gradients, activations, activation gradients,
 * scratch). A model measures what it needs by planning its tensors twice: once against an arena in
 * counting mode (no memory, only the total), then against the allocated block. So the block is sized
 * from the same table that later hands out the pointers, and a training step never allocates.
 *
 * Every tensor is aligned to 64 bytes (one AVX-512 vector, one cache line). */
#pragma once

#include <stddef.h>
#include "nn.h"

typedef struct {
  float  *base;  /* NULL in counting mode */
  size_t  cap;   /* floats allocated */
  size_t  used;  /* floats handed out (rounded up to the alignment) */
} NnArena;

/* Starts counting mode: nn_arena_take() returns NULL and only adds up sizes. */
void     nn_arena_count (NnArena *a);
/* Allocates a zeroed block for the total counted so far and rewinds; NN_ERR_NOMEM on failure. */
NnStatus nn_arena_alloc (NnArena *a);
/* The next n floats (n may be 0); NULL in counting mode. Asserts the block is large enough. */
float   *nn_arena_take (NnArena *a, size_t n);
/* Rewinds without freeing, so the same plan can be replayed against the block. */
void     nn_arena_rewind (NnArena *a);
void     nn_arena_free (NnArena *a);
/* Bytes an arena will allocate for a count of floats (what nn_arena_alloc would ask for). */
size_t   nn_arena_bytes (const NnArena *a);
