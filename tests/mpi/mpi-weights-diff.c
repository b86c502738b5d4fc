/* mpi-weights-diff.c — compares the weights of two checkpoints of one architecture for the mpi tests:
 * `mpi-weights-diff A B [BASE]` prints the largest absolute difference of any weight of G or D, and
 * with BASE (the checkpoint both runs started from) the relative difference ‖A − B‖ / ‖A − BASE‖:
 * how far apart the two runs' weights are, measured against how far training moved them. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <glib.h>
#include "nn-pix2pix.h"

static NnPix2Pix *
load (const char *path)
{
  g_autofree guint8 *buf = NULL;
  gsize len = 0;
  NnPix2Pix *m = NULL;

  if (!g_file_get_contents (path, (char **) &buf, &len, NULL)
      || nn_pix2pix_load (&m, buf, len, NULL, 1, NULL, NULL, NULL) != NN_OK)
    {
      fprintf (stderr, "mpi-weights-diff: cannot load %s\n", path);
      exit (2);
    }
  return m;
}

int
main (int argc, char **argv)
{
  if (argc != 3 && argc != 4)
    {
      fprintf (stderr, "usage: mpi-weights-diff A B [BASE]\n");
      return 2;
    }
  NnPix2Pix *a = load (argv[1]), *b = load (argv[2]), *base = argc == 4 ? load (argv[3]) : NULL;
  double max_abs = 0, diff2 = 0, move2 = 0;

  for (int d = 0; d < 2; d++)
    {
      float *pa, *pb, *p0 = NULL;
      size_t na = nn_pix2pix_param_block (a, d, &pa, NULL);
      size_t nb = nn_pix2pix_param_block (b, d, &pb, NULL);
      if (base != NULL)
        nn_pix2pix_param_block (base, d, &p0, NULL);
      if (na != nb)
        {
          fprintf (stderr, "mpi-weights-diff: the architectures differ\n");
          return 2;
        }
      for (size_t i = 0; i < na; i++)
        {
          double e = fabs ((double) pa[i] - pb[i]);
          max_abs = fmax (max_abs, e);
          diff2 += e * e;
          if (p0 != NULL)
            move2 += ((double) pa[i] - p0[i]) * ((double) pa[i] - p0[i]);
        }
    }
  printf ("max_abs %.3g\n", max_abs);
  if (base != NULL)
    printf ("relative %.3g\n", move2 > 0 ? sqrt (diff2 / move2) : 0.0);
  nn_pix2pix_free (a);
  nn_pix2pix_free (b);
  if (base != NULL)
    nn_pix2pix_free (base);
  return 0;
}
