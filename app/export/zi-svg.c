/* zi-svg.c — SVG documents of traced glyphs. The path is written in the frame's coordinates directly
 * (no transform attribute) because some importers, FontForge's among them, handle transforms on
 * paths poorly; holes are counter-wound by zi-trace, so fill-rule nonzero draws them as holes. */
#include "config.h"
#include "zi-svg.h"

#include <math.h>
#include <string.h>

void
zi_svg_frame_init (ZiSvgFrame *frame, const ZiFontMetrics *metrics)
{
  g_return_if_fail (frame != NULL);
  g_return_if_fail (metrics != NULL);

  frame->advance = metrics->ideo_advance > 0 ? metrics->ideo_advance : metrics->units_per_em;
  frame->bottom = metrics->ideo_bottom;
  frame->top = metrics->ideo_top;
  if (frame->top <= frame->bottom)
    {
      /* A font without a usable em box: fall back to UPM above the descender. */
      frame->bottom = metrics->descender;
      frame->top = metrics->descender + metrics->units_per_em;
    }
}

void
zi_format_number (GString *out, double v)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];
  double r = round (v * 100) / 100;
  gsize len;

  if (r == 0)
    r = 0;  /* no "-0" */
  g_ascii_formatd (buf, sizeof buf, "%.2f", r);
  /* Trim trailing zeros and a trailing point: "12.50" → "12.5", "3.00" → "3". */
  len = strlen (buf);
  while (len > 0 && buf[len - 1] == '0')
    len--;
  if (len > 0 && buf[len - 1] == '.')
    len--;
  g_string_append_len (out, buf, (gssize) len);
}

static void
append_point (GString *out, const ZiSvgFrame *frame, ZiPoint p)
{
  zi_format_number (out, p.x);
  g_string_append_c (out, ' ');
  zi_format_number (out, frame->top - p.y);
}

void
zi_svg_append_path_data (GString *out, const ZiOutline *outline, const ZiSvgFrame *frame)
{
  g_return_if_fail (out != NULL);
  g_return_if_fail (outline != NULL);
  g_return_if_fail (frame != NULL);

  for (guint i = 0; i < outline->n_contours; i++)
    {
      const ZiContour *c = &outline->contours[i];

      if (c->n_segments == 0)
        continue;
      if (out->len > 0)
        g_string_append_c (out, ' ');
      g_string_append (out, "M");
      append_point (out, frame, c->segments[c->n_segments - 1].p);
      for (guint k = 0; k < c->n_segments; k++)
        {
          const ZiSegment *s = &c->segments[k];

          if (s->kind == ZI_SEGMENT_CUBIC)
            {
              g_string_append (out, "C");
              append_point (out, frame, s->c1);
              g_string_append_c (out, ' ');
              append_point (out, frame, s->c2);
              g_string_append_c (out, ' ');
            }
          else
            g_string_append (out, "L");
          append_point (out, frame, s->p);
        }
      g_string_append (out, "Z");
    }
}

char *
zi_svg_document (const ZiOutline *outline, const ZiSvgFrame *frame, gunichar c)
{
  GString *out;
  g_autoptr(GString) d = g_string_new (NULL);
  double height;

  g_return_val_if_fail (outline != NULL, NULL);
  g_return_val_if_fail (frame != NULL, NULL);

  height = frame->top - frame->bottom;
  out = g_string_new ("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                      "<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" width=\"");
  zi_format_number (out, frame->advance);
  g_string_append (out, "\" height=\"");
  zi_format_number (out, height);
  g_string_append (out, "\" viewBox=\"0 0 ");
  zi_format_number (out, frame->advance);
  g_string_append_c (out, ' ');
  zi_format_number (out, height);
  g_string_append (out, "\">\n");

  if (c != 0)
    {
      g_string_append_printf (out, "  <title>U+%04X", c);
      /* Only characters XML 1.0 allows literally; the code point alone names the rest. */
      if (g_unichar_validate (c) && g_unichar_isgraph (c))
        {
          char utf8[8] = { 0 };
          g_autofree char *escaped = NULL;

          g_unichar_to_utf8 (c, utf8);
          escaped = g_markup_escape_text (utf8, -1);
          g_string_append_printf (out, " %s", escaped);
        }
      g_string_append (out, "</title>\n");
    }

  zi_svg_append_path_data (d, outline, frame);
  if (d->len > 0)
    g_string_append_printf (out, "  <path fill=\"#000000\" fill-rule=\"nonzero\" d=\"%s\"/>\n", d->str);
  g_string_append (out, "</svg>\n");
  return g_string_free (out, FALSE);
}
