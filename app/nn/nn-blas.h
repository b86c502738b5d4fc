/* nn-blas.h — OpenBLAS set-up at program start (kernel choice and threads). */
#pragma once

#include <stddef.h>

/* Called first thing in main (CLI and GUI), before any BLAS call. If OPENBLAS_CORETYPE is unset and
 * OpenBLAS runs generic kernels on a CPU with AVX-512 or AVX2, sets the matching core type and
 * re-executes the program once (argv is the program's own). A user-set OPENBLAS_CORETYPE always wins.
 * Never fails: on any doubt it leaves OpenBLAS as it is. */
void nn_blas_setup (char **argv);

/* Where the running core type came from. */
typedef enum {
  NN_BLAS_CORE_DETECTED,  /* OpenBLAS's own CPU detection, untouched */
  NN_BLAS_CORE_USER,      /* the user's OPENBLAS_CORETYPE */
  NN_BLAS_CORE_CHOSEN,    /* chosen by nn_blas_setup from the CPU's features (and verified) */
  NN_BLAS_CORE_FALLBACK,  /* the chosen core failed verification; OpenBLAS's own choice again */
} NnBlasCoreOrigin;

/* The kernel set OpenBLAS runs ("SkylakeX", "Haswell", "Prescott", ...). */
const char      *nn_blas_core_name (void);
NnBlasCoreOrigin nn_blas_core_origin (void);
/* Checks cblas_sgemm (all four transpose combinations, odd sizes) against a naive double-precision
 * product; 1 when they agree to float rounding. */
int              nn_blas_verify (void);

/* OpenBLAS's thread count for the calling program; n <= 0 restores the default (the user's
 * OPENBLAS_NUM_THREADS / GOTO_NUM_THREADS / OMP_NUM_THREADS, else one per processor). */
void nn_blas_set_threads (int n);
int  nn_blas_get_threads (void);

/* One line for logs and `bench`: library version, core, its origin and the thread count. */
void nn_blas_describe (char *buf, size_t size);
