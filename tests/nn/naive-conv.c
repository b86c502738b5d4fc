/* naive-conv.c — the direct definitions of convolution and transposed convolution (as PyTorch
 * defines them), accumulated in double: slow and obviously right. */
#include "naive-conv.h"

void
naive_conv2d (float *y, const float *x, const float *w, const float *b, const NnConv2d *c, int n)
{
  for (int co = 0; co < c->co; co++)
    for (int bi = 0; bi < n; bi++)
      for (int oy = 0; oy < c->ho; oy++)
        for (int ox = 0; ox < c->wo; ox++)
          {
            double acc = b != NULL ? b[co] : 0.0;
            for (int ci = 0; ci < c->ci; ci++)
              for (int ky = 0; ky < c->k; ky++)
                for (int kx = 0; kx < c->k; kx++)
                  {
                    int iy = oy * c->s - c->p + ky, ix = ox * c->s - c->p + kx;
                    if (iy < 0 || iy >= c->hi || ix < 0 || ix >= c->wi)
                      continue;
                    acc += (double) w[((co * c->ci + ci) * c->k + ky) * c->k + kx]
                           * x[((ci * n + bi) * c->hi + iy) * c->wi + ix];
                  }
            y[((co * n + bi) * c->ho + oy) * c->wo + ox] = (float) acc;
          }
}

void
naive_conv_transpose2d (float *y, const float *x, const float *w, const float *b,
                        const NnConv2d *c, int n)
{
  /* Every input pixel scatters its kernel-weighted value over the output. */
  for (int co = 0; co < c->co; co++)
    for (int bi = 0; bi < n; bi++)
      for (int oy = 0; oy < c->ho; oy++)
        for (int ox = 0; ox < c->wo; ox++)
          {
            double acc = b != NULL ? b[co] : 0.0;
            for (int ci = 0; ci < c->ci; ci++)
              for (int ky = 0; ky < c->k; ky++)
                for (int kx = 0; kx < c->k; kx++)
                  {
                    /* oy = iy·s - p + ky  ⇔  iy = (oy + p - ky) / s when it divides. */
                    int ny = oy + c->p - ky, nx = ox + c->p - kx;
                    if (ny < 0 || nx < 0 || ny % c->s != 0 || nx % c->s != 0)
                      continue;
                    int iy = ny / c->s, ix = nx / c->s;
                    if (iy >= c->hi || ix >= c->wi)
                      continue;
                    acc += (double) w[((ci * c->co + co) * c->k + ky) * c->k + kx]
                           * x[((ci * n + bi) * c->hi + iy) * c->wi + ix];
                  }
            y[((co * n + bi) * c->ho + oy) * c->wo + ox] = (float) acc;
          }
}
