/* nn-blas.h — OpenBLAS set-up at program start (kernel choice and threads). */
#pragma once

/* Called first thing in main (CLI and GUI), before any BLAS call. If OPENBLAS_CORETYPE is unset and
 * OpenBLAS runs generic kernels on a CPU with AVX-512 or AVX2, sets the matching core type and
 * re-executes the program once (argv is the program's own). A user-set OPENBLAS_CORETYPE always wins.
 * Never fails: on any doubt it leaves OpenBLAS as it is. */
void nn_blas_setup (char **argv);
