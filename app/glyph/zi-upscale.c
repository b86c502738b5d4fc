/* zi-upscale.c — bilinear interpolation of coverage followed by a steep ramp around 50% (see
 * zi-upscale.h). */
#include "config.h"
#include "zi-upscale.h"

#include <string.h>

void
zi_coverage_upscale_sharp (const guint8 *in, guint size, guint8 *out, guint osize)
{
  const float gain = (float) osize / (float) size;
  g_autofree guint *x0 = NULL, *x1 = NULL;
  g_autofree float *fx = NULL;

  g_return_if_fail (in != NULL && out != NULL);
  g_return_if_fail (size >= 1 && osize >= size);

  if (osize == size)
    {
      memcpy (out, in, (gsize) size * size);
      return;
    }
  /* The columns' source pixels and weights are the same on every row. */
  x0 = g_new (guint, osize);
  x1 = g_new (guint, osize);
  fx = g_new (float, osize);
  for (guint x = 0; x < osize; x++)
    {
      float sx = CLAMP ((x + 0.5f) / gain - 0.5f, 0.0f, size - 1.0f);

      x0[x] = (guint) sx;
      x1[x] = MIN (x0[x] + 1, size - 1);
      fx[x] = sx - x0[x];
    }
  for (guint y = 0; y < osize; y++)
    {
      float sy = CLAMP ((y + 0.5f) / gain - 0.5f, 0.0f, size - 1.0f);
      guint y0 = (guint) sy, y1 = MIN (y0 + 1, size - 1);
      float fy = sy - y0;
      const guint8 *r0 = in + (gsize) y0 * size, *r1 = in + (gsize) y1 * size;
      guint8 *o = out + (gsize) y * osize;

      for (guint x = 0; x < osize; x++)
        {
          float top = r0[x0[x]] + fx[x] * (r0[x1[x]] - r0[x0[x]]);
          float bottom = r1[x0[x]] + fx[x] * (r1[x1[x]] - r1[x0[x]]);
          float v = 127.5f + (top + fy * (bottom - top) - 127.5f) * gain;

          o[x] = (guint8) (CLAMP (v, 0.0f, 255.0f) + 0.5f);
        }
    }
}
