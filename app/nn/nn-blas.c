/* nn-blas.c — placeholder: being written (OpenBLAS core selection). */
#include "nn-blas.h"

void
nn_blas_setup (char **argv)
{
  (void) argv;
}
