/* nn-col.c — the column transforms of the convolutions (nn-conv.c): im2col and its adjoint col2im,
 * and the tap gather/scatter of the output-side conv. Layout CNHW as in nn-conv.h; see there for
 * the legend. The 4×4 stride-2 layers that make up most of pix2pix take a path of their own that
 * handles the four taps of a kernel row together (is_k4s2p1); stride-2 copies elsewhere are
 * written with a constant stride so that GCC vectorises them. */
#include "nn-col.h"
#include "nn-conv.h"

#include <string.h>

/* The output columns ox of one kernel tap that read inside the input row: [*lo, *hi). */
static void
valid_range (int k_off, int s, int p, int w, int wo, int *lo, int *hi)
{
  /* ix = ox·s - p + k_off must lie in [0, w). */
  int a = p - k_off;
  int first = a > 0 ? (a + s - 1) / s : 0;
  int b = w - 1 + p - k_off;
  int last = b >= 0 ? b / s + 1 : 0;
  if (first > wo)
    first = wo;
  if (last > wo)
    last = wo;
  if (last < first)
    last = first;
  *lo = first;
  *hi = last;
}

/* The k = 4, s = 2, p = 1 layers of pix2pix, when the input side is exactly twice the output side.
 * For one kernel row ky and one output row, the four taps kx = 0..3 read the input row at odd,
 * even, odd, even positions shifted by one: ix = 2·ox − 1 + kx. So the row is split into its even
 * and odd halves once and the four column rows are contiguous copies of them (im2col), and the
 * four column rows are summed into an even and an odd half that are interleaved into the input row
 * once (col2im), instead of four strided passes. */
static int
is_k4s2p1 (int h, int w, int k, int s, int p, int ho, int wo)
{
  return k == 4 && s == 2 && p == 1 && h == 2 * ho && w == 2 * wo;
}

static void
im2col_rows_k4s2 (float *col, const float *x, int n, int b0, int nb, int c0, int c1, int h, int w,
                  int ho, int wo)
{
  size_t plane_in = (size_t) h * w, plane_out = (size_t) ho * wo;
  size_t q = (size_t) nb * plane_out;

  for (int ci = c0; ci < c1; ci++)
    for (int ky = 0; ky < 4; ky++)
      {
        float *r0 = col + ((size_t) ((ci - c0) * 4 + ky) * 4) * q;
        float *r1 = r0 + q, *r2 = r1 + q, *r3 = r2 + q;
        for (int b = 0; b < nb; b++)
          {
            const float *xp = x + ((size_t) ci * n + b0 + b) * plane_in;
            size_t o = (size_t) b * plane_out;
            for (int oy = 0; oy < ho; oy++, o += wo)
              {
                int iy = 2 * oy - 1 + ky;
                if (iy < 0 || iy >= h)
                  {
                    memset (r0 + o, 0, (size_t) wo * sizeof (float));
                    memset (r1 + o, 0, (size_t) wo * sizeof (float));
                    memset (r2 + o, 0, (size_t) wo * sizeof (float));
                    memset (r3 + o, 0, (size_t) wo * sizeof (float));
                    continue;
                  }
                const float *xr = xp + (size_t) iy * w;
                float *e = r1 + o, *d = r2 + o;
                for (int j = 0; j < wo; j++)
                  {
                    e[j] = xr[2 * j];
                    d[j] = xr[2 * j + 1];
                  }
                r0[o] = 0.0f;
                memcpy (r0 + o + 1, d, (size_t) (wo - 1) * sizeof (float));
                memcpy (r3 + o, e + 1, (size_t) (wo - 1) * sizeof (float));
                r3[o + wo - 1] = 0.0f;
              }
          }
      }
}

/* assign: the rows ky = 1, 2 cover every input position once, so they are written first and the
 * rows ky = 0, 3 added: x needs no zeroing beforehand. */
static void
col2im_rows_k4s2 (float *x, const float *col, int n, int b0, int nb, int c0, int c1, int h, int w,
                  int ho, int wo, int assign)
{
  size_t plane_in = (size_t) h * w, plane_out = (size_t) ho * wo;
  size_t q = (size_t) nb * plane_out;
  static const int order[4] = { 1, 2, 0, 3 };

  for (int ci = c0; ci < c1; ci++)
    for (int t = 0; t < 4; t++)
      {
        int ky = order[t];
        int set = assign && t < 2;
        const float *r0 = col + ((size_t) ((ci - c0) * 4 + ky) * 4) * q;
        const float *r1 = r0 + q, *r2 = r1 + q, *r3 = r2 + q;
        for (int b = 0; b < nb; b++)
          {
            float *xp = x + ((size_t) ci * n + b0 + b) * plane_in;
            size_t o = (size_t) b * plane_out;
            for (int oy = 0; oy < ho; oy++, o += wo)
              {
                int iy = 2 * oy - 1 + ky;
                if (iy < 0 || iy >= h)
                  continue;
                float *xr = xp + (size_t) iy * w;
                const float *a0 = r0 + o, *a1 = r1 + o, *a2 = r2 + o, *a3 = r3 + o;
                /* even 2j: taps 1 (j) and 3 (j − 1); odd 2j + 1: taps 2 (j) and 0 (j + 1) */
                if (set)
                  {
                    xr[0] = a1[0];
                    for (int j = 1; j < wo; j++)
                      xr[2 * j] = a1[j] + a3[j - 1];
                    for (int j = 0; j < wo - 1; j++)
                      xr[2 * j + 1] = a2[j] + a0[j + 1];
                    xr[2 * wo - 1] = a2[wo - 1];
                  }
                else
                  {
                    xr[0] += a1[0];
                    for (int j = 1; j < wo; j++)
                      xr[2 * j] += a1[j] + a3[j - 1];
                    for (int j = 0; j < wo - 1; j++)
                      xr[2 * j + 1] += a2[j] + a0[j + 1];
                    xr[2 * wo - 1] += a2[wo - 1];
                  }
              }
          }
      }
}

/* The rows of channels [c0, c1) of the column matrix of images [b0, b0 + nb) of x, which holds n
 * images: row ((ci - c0)·K + ky)·K + kx, nb·Ho·Wo columns. */
void
nn_im2col_rows (float *col, const float *x, int n, int b0, int nb, int c0, int c1, int h, int w,
                int k, int s, int p, int ho, int wo)
{
  size_t plane_in = (size_t) h * w;
  size_t plane_out = (size_t) ho * wo;
  size_t q = (size_t) nb * plane_out;

  if (is_k4s2p1 (h, w, k, s, p, ho, wo))
    {
      im2col_rows_k4s2 (col, x, n, b0, nb, c0, c1, h, w, ho, wo);
      return;
    }
  for (int ci = c0; ci < c1; ci++)
    for (int ky = 0; ky < k; ky++)
      for (int kx = 0; kx < k; kx++)
        {
          float *row = col + ((size_t) ((ci - c0) * k + ky) * k + kx) * q;
          int lo, hi;
          valid_range (kx, s, p, w, wo, &lo, &hi);
          for (int b = 0; b < nb; b++)
            {
              const float *xp = x + ((size_t) ci * n + b0 + b) * plane_in;
              float *cp = row + (size_t) b * plane_out;
              for (int oy = 0; oy < ho; oy++, cp += wo)
                {
                  int iy = oy * s - p + ky;
                  if (iy < 0 || iy >= h)
                    {
                      memset (cp, 0, (size_t) wo * sizeof (float));
                      continue;
                    }
                  const float *xr = xp + (size_t) iy * w - p + kx;
                  for (int ox = 0; ox < lo; ox++)
                    cp[ox] = 0.0f;
                  /* Constant strides let GCC vectorise (stride 2 with even/odd shuffles). */
                  if (s == 1)
                    memcpy (cp + lo, xr + lo, (size_t) (hi - lo) * sizeof (float));
                  else if (s == 2)
                    for (int ox = lo; ox < hi; ox++)
                      cp[ox] = xr[2 * ox];
                  else
                    for (int ox = lo; ox < hi; ox++)
                      cp[ox] = xr[ox * s];
                  for (int ox = hi; ox < wo; ox++)
                    cp[ox] = 0.0f;
                }
            }
        }
}

/* Adds the rows of channels [c0, c1) back into images [b0, b0 + nb) of x (the adjoint); with
 * assign, those planes of x are overwritten instead (they need not be zeroed first). */
void
nn_col2im_rows (float *x, const float *col, int n, int b0, int nb, int c0, int c1, int h, int w,
                int k, int s, int p, int ho, int wo, int assign)
{
  size_t plane_in = (size_t) h * w;
  size_t plane_out = (size_t) ho * wo;
  size_t q = (size_t) nb * plane_out;

  if (is_k4s2p1 (h, w, k, s, p, ho, wo))
    {
      col2im_rows_k4s2 (x, col, n, b0, nb, c0, c1, h, w, ho, wo, assign);
      return;
    }
  if (assign)
    for (int ci = c0; ci < c1; ci++)
      memset (x + ((size_t) ci * n + b0) * plane_in, 0, (size_t) nb * plane_in * sizeof (float));
  for (int ci = c0; ci < c1; ci++)
    for (int ky = 0; ky < k; ky++)
      for (int kx = 0; kx < k; kx++)
        {
          const float *row = col + ((size_t) ((ci - c0) * k + ky) * k + kx) * q;
          int lo, hi;
          valid_range (kx, s, p, w, wo, &lo, &hi);
          for (int b = 0; b < nb; b++)
            {
              float *xp = x + ((size_t) ci * n + b0 + b) * plane_in;
              const float *cp = row + (size_t) b * plane_out;
              for (int oy = 0; oy < ho; oy++, cp += wo)
                {
                  int iy = oy * s - p + ky;
                  if (iy < 0 || iy >= h)
                    continue;
                  float *xr = xp + (size_t) iy * w - p + kx;
                  if (s == 1)
                    for (int ox = lo; ox < hi; ox++)
                      xr[ox] += cp[ox];
                  else if (s == 2)
                    for (int ox = lo; ox < hi; ox++)
                      xr[2 * ox] += cp[ox];
                  else
                    for (int ox = lo; ox < hi; ox++)
                      xr[ox * s] += cp[ox];
                }
            }
        }
}

void
nn_im2col (float *col, const float *x, int c, int n, int h, int w, int k, int s, int p, int ho,
           int wo)
{
  nn_im2col_rows (col, x, n, 0, n, 0, c, h, w, k, s, p, ho, wo);
}

void
nn_col2im (float *x, const float *col, int c, int n, int h, int w, int k, int s, int p, int ho,
           int wo)
{
  nn_col2im_rows (x, col, n, 0, n, 0, c, h, w, k, s, p, ho, wo, 0);
}

/* y[c][b][oy][ox] += Σ over taps (ky, kx) of z[(c·K + ky)·K + kx][b][oy·S - P + ky][ox·S - P + kx]:
 * the read pattern of im2col, summed over the taps instead of laid out as rows. */
void
nn_gather_taps (float *y, const float *z, int c, int n, int h, int w, int k, int s, int p, int ho,
                int wo)
{
  size_t plane_in = (size_t) h * w, plane_out = (size_t) ho * wo;
  for (int ci = 0; ci < c; ci++)
    for (int ky = 0; ky < k; ky++)
      for (int kx = 0; kx < k; kx++)
        {
          const float *zt = z + ((size_t) (ci * k + ky) * k + kx) * n * plane_in;
          int lo, hi;
          valid_range (kx, s, p, w, wo, &lo, &hi);
          for (int b = 0; b < n; b++)
            for (int oy = 0; oy < ho; oy++)
              {
                int iy = oy * s - p + ky;
                if (iy < 0 || iy >= h)
                  continue;
                const float *zr = zt + b * plane_in + (size_t) iy * w - p + kx;
                float *yr = y + ((size_t) ci * n + b) * plane_out + (size_t) oy * wo;
                if (s == 1)
                  for (int ox = lo; ox < hi; ox++)
                    yr[ox] += zr[ox];
                else
                  for (int ox = lo; ox < hi; ox++)
                    yr[ox] += zr[ox * s];
              }
        }
}

/* The adjoint of nn_gather_taps: every tap's plane of z receives dy at the positions it was read
 * from (each tap reads distinct positions, so this is an assignment into a zeroed z). */
void
nn_scatter_taps (float *z, const float *dy, int c, int n, int h, int w, int k, int s, int p,
                 int ho, int wo)
{
  size_t plane_in = (size_t) h * w, plane_out = (size_t) ho * wo;
  memset (z, 0, (size_t) c * k * k * n * plane_in * sizeof (float));
  for (int ci = 0; ci < c; ci++)
    for (int ky = 0; ky < k; ky++)
      for (int kx = 0; kx < k; kx++)
        {
          float *zt = z + ((size_t) (ci * k + ky) * k + kx) * n * plane_in;
          int lo, hi;
          valid_range (kx, s, p, w, wo, &lo, &hi);
          for (int b = 0; b < n; b++)
            for (int oy = 0; oy < ho; oy++)
              {
                int iy = oy * s - p + ky;
                if (iy < 0 || iy >= h)
                  continue;
                float *zr = zt + b * plane_in + (size_t) iy * w - p + kx;
                const float *dr = dy + ((size_t) ci * n + b) * plane_out + (size_t) oy * wo;
                for (int ox = lo; ox < hi; ox++)
                  zr[ox * s] = dr[ox];
              }
        }
}
