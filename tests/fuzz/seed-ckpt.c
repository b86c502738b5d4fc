/* seed-ckpt.c — writes the seed corpus of fuzz-ckpt: small valid checkpoints covering every section
 * type, scalar to six-dimensional shapes and pix2pix-like names, written with the engine's own writer
 * so the seeds always match the current format. Usage: seed-ckpt OUTDIR. */
#include <glib.h>
#include <glib/gstdio.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "nn-ckpt.h"

typedef NnStatus (*Fill) (NnCkptWriter *w);

static NnStatus
fill_empty (NnCkptWriter *w)
{
  (void) w;
  return NN_OK;
}

static NnStatus
fill_tensor (NnCkptWriter *w)
{
  /* Static: the writer borrows float32 data until it is finished. */
  static const float v[6] = { 0.5f, -1.0f, 0.0f, 2.0f, -0.0f, 1e-3f };
  const int shape[2] = { 2, 3 };
  return nn_ckpt_put_tensor (w, "g.enc1.weight", v, shape, 2, 0);
}

static NnStatus
fill_half (NnCkptWriter *w)
{
  const float v[4] = { 1.0f, 65504.0f, 0x1p-24f, -INFINITY };
  const int shape[1] = { 4 };
  return nn_ckpt_put_tensor (w, "g.dec1.bias", v, shape, 1, 1);
}

static NnStatus
fill_blob (NnCkptWriter *w)
{
  const char *arch = "{\"size\":64,\"ngf\":32,\"batch\":16}";
  return nn_ckpt_put_blob (w, "arch", arch, strlen (arch));
}

static NnStatus
fill_mixed (NnCkptWriter *w)
{
  static const float v[64] = { 0.25f, -0.75f, 3.0f };
  const int six[6] = { 1, 2, 1, 2, 2, 2 }, vec[1] = { 4 }, four[4] = { 2, 1, 2, 2 };
  const unsigned char rng[32] = { 1, 2, 3, 4, 5, 6, 7, 8, 9 };
  static const float step = 1234.0f;
  NnStatus st;
  if ((st = nn_ckpt_put_blob (w, "arch", "{}", 2)) != NN_OK
      || (st = nn_ckpt_put_tensor (w, "g.enc1.weight", v, four, 4, 0)) != NN_OK
      || (st = nn_ckpt_put_tensor (w, "g.enc1.bn.running_var", v, vec, 1, 0)) != NN_OK
      || (st = nn_ckpt_put_tensor (w, "g.half", v, six, 6, 1)) != NN_OK
      || (st = nn_ckpt_put_tensor (w, "step", &step, NULL, 0, 0)) != NN_OK
      || (st = nn_ckpt_put_blob (w, "rng", rng, sizeof rng)) != NN_OK
      || (st = nn_ckpt_put_blob (w, "meta", NULL, 0)) != NN_OK)
    return st;
  return NN_OK;
}

int
main (int argc, char **argv)
{
  const Fill fills[] = { fill_empty, fill_tensor, fill_half, fill_blob, fill_mixed };

  if (argc != 2)
    {
      g_printerr ("usage: seed-ckpt OUTDIR\n");
      return 2;
    }
  if (g_mkdir_with_parents (argv[1], 0755) != 0)
    {
      g_printerr ("seed-ckpt: cannot create %s\n", argv[1]);
      return 1;
    }
  for (size_t i = 0; i < G_N_ELEMENTS (fills); i++)
    {
      NnCkptWriter *w = nn_ckpt_writer_new ();
      uint8_t *buf;
      size_t len;
      NnStatus st = fills[i] (w);
      if (st == NN_OK)
        st = nn_ckpt_finish (w, &buf, &len);
      else
        nn_ckpt_writer_free (w);
      if (st != NN_OK)
        {
          g_printerr ("seed-ckpt: seed %zu: %s\n", i, nn_status_str (st));
          return 1;
        }
      g_autoptr (GError) error = NULL;
      g_autofree char *name = g_strdup_printf ("seed-%zu.zck", i);
      g_autofree char *path = g_build_filename (argv[1], name, NULL);
      const gboolean ok = g_file_set_contents (path, (const char *) buf, (gssize) len, &error);
      free (buf);
      if (!ok)
        {
          g_printerr ("seed-ckpt: %s\n", error->message);
          return 1;
        }
    }
  return 0;
}
