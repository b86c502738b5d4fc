/* zi-glyph-cell.c — a glyph grid cell drawn with GtkSnapshot from cached textures, each made at the
 * size it is shown at. */
#include "config.h"
#include "zi-glyph-cell.h"

#include <glib/gi18n.h>

#define MAX_KINDS (2 + ZI_GLYPH_CACHE_MAX_MODELS)
#define GAP 4
#define PAD 6
/* Mean absolute coverage difference (0..255) above which two checkpoints' outputs are marked as
 * different in comparison mode: about 4% of full ink. */
#define DIFF_THRESHOLD 10.0

struct _ZiGlyphCell
{
  GtkWidget     parent_instance;
  ZiGlyphCache *cache;
  gulong        changed_id;
  gulong        cleared_id;
  gunichar      c;
  ZiGlyphState  state;
  guint         size;
  ZiGlyphKind   kinds[MAX_KINDS];
  guint         n_kinds;
  gboolean      waiting;
};

G_DEFINE_FINAL_TYPE (ZiGlyphCell, zi_glyph_cell, GTK_TYPE_WIDGET)

static void
cache_changed_cb (ZiGlyphCell *self, ZiGlyphCache *cache)
{
  if (self->waiting)
    gtk_widget_queue_draw (GTK_WIDGET (self));
}

/* The images drawn are gone (another model or style): draw again, which asks for the new ones. */
static void
cache_cleared_cb (ZiGlyphCell *self, ZiGlyphCache *cache)
{
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static int
caption_height (ZiGlyphCell *self)
{
  PangoLayout *layout = gtk_widget_create_pango_layout (GTK_WIDGET (self), "Ag");
  int h;

  pango_layout_get_pixel_size (layout, NULL, &h);
  g_object_unref (layout);
  return h;
}

static void
zi_glyph_cell_measure (GtkWidget *widget, GtkOrientation orientation, int for_size,
                       int *minimum, int *natural, int *minimum_baseline, int *natural_baseline)
{
  ZiGlyphCell *self = ZI_GLYPH_CELL (widget);

  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    *minimum = *natural = 2 * PAD + self->n_kinds * self->size + (self->n_kinds - 1) * GAP;
  else
    *minimum = *natural = 2 * PAD + self->size + GAP + caption_height (self);
}

static double
coverage_difference (GBytes *a, GBytes *b)
{
  gsize na, nb;
  const guint8 *pa = g_bytes_get_data (a, &na);
  const guint8 *pb = g_bytes_get_data (b, &nb);
  double sum = 0;

  if (na != nb || na == 0)
    return 0;
  for (gsize i = 0; i < na; i++)
    sum += ABS ((int) pa[i] - (int) pb[i]);
  return sum / na;
}

static void
append_ink (GtkSnapshot *snapshot, GdkTexture *texture, const graphene_rect_t *rect, const GdkRGBA *ink)
{
  graphene_matrix_t matrix;
  graphene_vec4_t offset;
  /* The textures are black ink on transparent: keep alpha, replace the colour by the ink colour. */
  float m[16] = { 0, 0, 0, 0,  0, 0, 0, 0,  0, 0, 0, 0,  0, 0, 0, ink->alpha };

  graphene_matrix_init_from_float (&matrix, m);
  graphene_vec4_init (&offset, ink->red, ink->green, ink->blue, 0);
  gtk_snapshot_push_color_matrix (snapshot, &matrix, &offset);
  gtk_snapshot_append_texture (snapshot, texture, rect);
  gtk_snapshot_pop (snapshot);
}

/* The list item around the cell carries the selection (GTK does not propagate it to children). */
static gboolean
is_selected (GtkWidget *widget)
{
  GtkWidget *parent = gtk_widget_get_parent (widget);
  return parent != NULL && (gtk_widget_get_state_flags (parent) & GTK_STATE_FLAG_SELECTED);
}

static void
parent_state_changed_cb (ZiGlyphCell *self, GtkStateFlags previous, GtkWidget *parent)
{
  if ((gtk_widget_get_state_flags (parent) ^ previous) & GTK_STATE_FLAG_SELECTED)
    gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
parent_changed_cb (ZiGlyphCell *self)
{
  GtkWidget *parent = gtk_widget_get_parent (GTK_WIDGET (self));

  if (parent != NULL)
    g_signal_connect_object (parent, "state-flags-changed", G_CALLBACK (parent_state_changed_cb), self,
                             G_CONNECT_SWAPPED);
}

static void
zi_glyph_cell_snapshot (GtkWidget *widget, GtkSnapshot *snapshot)
{
  ZiGlyphCell *self = ZI_GLYPH_CELL (widget);
  int width = gtk_widget_get_width (widget);
  GdkRGBA fg, faint, accent = { 0.11, 0.44, 0.85, 1 }, warn = { 0.90, 0.38, 0.0, 1 };
  GdkRGBA val = { 0.57, 0.25, 0.67, 1 }, pick = { 0.15, 0.64, 0.41, 1 }, diff = { 0.88, 0.11, 0.14, 0.9 };
  g_autofree char *caption = NULL;
  char utf8[8] = { 0 };
  PangoLayout *layout;
  GBytes *first_gen = NULL;
  int cap_w, cap_h;
  float x = PAD;

  if (self->c == 0)
    return;

  /* Ink in the grid's text colour: a selected item's own colour is meant for a solid accent
   * background, and ours is only a light tint. */
  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  {
    GtkWidget *grid = gtk_widget_get_ancestor (widget, GTK_TYPE_GRID_VIEW);
    gtk_style_context_get_color (gtk_widget_get_style_context (grid != NULL ? grid : widget), &fg);
  }
  G_GNUC_END_IGNORE_DEPRECATIONS
  faint = fg;
  faint.alpha *= 0.08;

  /* The selection is drawn here rather than left to the theme: a themed selection colours the
   * whole item in the accent colour, which would drown the glyphs. */
  if (is_selected (widget))
    {
      GskRoundedRect outline;
      float widths[4] = { 2, 2, 2, 2 };
      GdkRGBA tint = { accent.red, accent.green, accent.blue, 0.12 };
      GdkRGBA colors[4] = { accent, accent, accent, accent };

      gsk_rounded_rect_init_from_rect (&outline, &GRAPHENE_RECT_INIT (0, 0, width, gtk_widget_get_height (widget)), 6);
      gtk_snapshot_push_rounded_clip (snapshot, &outline);
      gtk_snapshot_append_color (snapshot, &tint, &outline.bounds);
      gtk_snapshot_pop (snapshot);
      gtk_snapshot_append_border (snapshot, &outline, widths, colors);
    }

  self->waiting = FALSE;
  for (guint k = 0; k < self->n_kinds; k++)
    {
      graphene_rect_t rect = GRAPHENE_RECT_INIT (x, PAD, self->size, self->size);
      gboolean missing = FALSE;
      /* Made at device pixels, so HiDPI screens get sharp glyphs; generated ones are the model's
       * bitmaps scaled up to that size with sharp edges (zi-upscale.h), not blurred by GTK. */
      guint device_size = self->size * gtk_widget_get_scale_factor (widget);
      GdkTexture *texture = zi_glyph_cache_lookup (self->cache, self->c, self->kinds[k], device_size, &missing);
      GdkRGBA ink = fg;

      if (self->kinds[k] == ZI_GLYPH_SOURCE)
        ink.alpha *= 0.6;
      else if (self->kinds[k] >= ZI_GLYPH_GENERATED)
        ink = accent;

      gtk_snapshot_append_color (snapshot, &faint, &rect);
      if (texture != NULL)
        append_ink (snapshot, texture, &rect, &ink);
      else if (!missing)
        self->waiting = TRUE;

      /* In comparison mode, mark a checkpoint whose output differs from the first one's. */
      if (self->kinds[k] >= ZI_GLYPH_GENERATED && texture != NULL)
        {
          GBytes *cov = zi_glyph_cache_lookup_coverage (self->cache, self->c, self->kinds[k], device_size);
          if (first_gen == NULL)
            first_gen = cov;
          else if (cov != NULL && coverage_difference (first_gen, cov) > DIFF_THRESHOLD)
            {
              GskRoundedRect outline;
              float widths[4] = { 2, 2, 2, 2 };
              GdkRGBA colors[4] = { diff, diff, diff, diff };
              gsk_rounded_rect_init_from_rect (&outline, &rect, 3);
              gtk_snapshot_append_border (snapshot, &outline, widths, colors);
            }
        }
      x += self->size + GAP;
    }

  g_unichar_to_utf8 (self->c, utf8);
  caption = g_strdup_printf ("%s  U+%04X", utf8, self->c);
  layout = gtk_widget_create_pango_layout (widget, caption);
  pango_layout_get_pixel_size (layout, &cap_w, &cap_h);
  gtk_snapshot_save (snapshot);
  gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (PAD, PAD + self->size + GAP));
  gtk_snapshot_append_layout (snapshot, layout, &fg);
  gtk_snapshot_restore (snapshot);
  g_object_unref (layout);

  /* State mark: a dot at the right of the caption, its colour saying what the glyph is. */
  if (self->state != 0)
    {
      GdkRGBA *mark = (self->state & ZI_GLYPH_STATE_PICKED) ? &pick
                      : (self->state & ZI_GLYPH_STATE_MISSING) ? &warn
                      : (self->state & ZI_GLYPH_STATE_VAL) ? &val : &accent;
      float d = MIN (8, cap_h * 0.5f);
      graphene_rect_t dot = GRAPHENE_RECT_INIT (width - PAD - d, PAD + self->size + GAP + (cap_h - d) / 2, d, d);
      GskRoundedRect round;

      gsk_rounded_rect_init_from_rect (&round, &dot, d / 2);
      gtk_snapshot_push_rounded_clip (snapshot, &round);
      gtk_snapshot_append_color (snapshot, mark, &dot);
      gtk_snapshot_pop (snapshot);
    }
}

static void
zi_glyph_cell_dispose (GObject *object)
{
  ZiGlyphCell *self = ZI_GLYPH_CELL (object);

  g_clear_signal_handler (&self->changed_id, self->cache);
  g_clear_signal_handler (&self->cleared_id, self->cache);
  g_clear_object (&self->cache);
  G_OBJECT_CLASS (zi_glyph_cell_parent_class)->dispose (object);
}

static void
zi_glyph_cell_class_init (ZiGlyphCellClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = zi_glyph_cell_dispose;
  widget_class->measure = zi_glyph_cell_measure;
  widget_class->snapshot = zi_glyph_cell_snapshot;
  gtk_widget_class_set_css_name (widget_class, "glyphcell");
}

static gboolean query_tooltip_cb (ZiGlyphCell *self, int x, int y, gboolean keyboard, GtkTooltip *tooltip);

static void
zi_glyph_cell_init (ZiGlyphCell *self)
{
  gtk_widget_set_has_tooltip (GTK_WIDGET (self), TRUE);
  g_signal_connect (self, "notify::parent", G_CALLBACK (parent_changed_cb), NULL);
  g_signal_connect (self, "query-tooltip", G_CALLBACK (query_tooltip_cb), NULL);
  self->size = 64;
  self->kinds[0] = ZI_GLYPH_SOURCE;
  self->kinds[1] = ZI_GLYPH_TARGET;
  self->n_kinds = 2;
}

GtkWidget *
zi_glyph_cell_new (ZiGlyphCache *cache)
{
  ZiGlyphCell *self;

  g_return_val_if_fail (ZI_IS_GLYPH_CACHE (cache), NULL);

  self = g_object_new (ZI_TYPE_GLYPH_CELL, NULL);
  self->cache = g_object_ref (cache);
  self->changed_id = g_signal_connect_object (cache, "changed::ready", G_CALLBACK (cache_changed_cb), self,
                                              G_CONNECT_SWAPPED);
  self->cleared_id = g_signal_connect_object (cache, "changed::cleared", G_CALLBACK (cache_cleared_cb), self,
                                              G_CONNECT_SWAPPED);
  return GTK_WIDGET (self);
}

static const char *
state_description (ZiGlyphState state)
{
  if (state & ZI_GLYPH_STATE_PICKED)
    return _("a checkpoint was picked for this glyph");
  if (state & ZI_GLYPH_STATE_MISSING)
    return _("missing in the target font");
  if (state & ZI_GLYPH_STATE_VAL)
    return _("validation glyph");
  if (state & ZI_GLYPH_STATE_TRAIN)
    return _("training glyph");
  return NULL;
}

/* The tooltip is made when asked for: setting one on every rebind costs more than drawing. */
static gboolean
query_tooltip_cb (ZiGlyphCell *self, int x, int y, gboolean keyboard, GtkTooltip *tooltip)
{
  const char *what = state_description (self->state);
  char utf8[8] = { 0 };
  g_autofree char *tip = NULL;

  if (self->c == 0)
    return FALSE;
  g_unichar_to_utf8 (self->c, utf8);
  tip = what != NULL ? g_strdup_printf ("%s U+%04X — %s", utf8, self->c, what)
                     : g_strdup_printf ("%s U+%04X", utf8, self->c);
  gtk_tooltip_set_text (tooltip, tip);
  return TRUE;
}

void
zi_glyph_cell_set_char (ZiGlyphCell *self, gunichar c, ZiGlyphState state)
{
  g_return_if_fail (ZI_IS_GLYPH_CELL (self));

  if (c == self->c && state == self->state)
    return;
  self->c = c;
  self->state = state;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

gunichar
zi_glyph_cell_get_char (ZiGlyphCell *self)
{
  g_return_val_if_fail (ZI_IS_GLYPH_CELL (self), 0);
  return self->c;
}

void
zi_glyph_cell_set_image_size (ZiGlyphCell *self, guint size)
{
  g_return_if_fail (ZI_IS_GLYPH_CELL (self));
  g_return_if_fail (size >= 16 && size <= 512);

  if (size == self->size)
    return;
  self->size = size;
  gtk_widget_queue_resize (GTK_WIDGET (self));
}

void
zi_glyph_cell_set_kinds (ZiGlyphCell *self, const ZiGlyphKind *kinds, guint n)
{
  g_return_if_fail (ZI_IS_GLYPH_CELL (self));
  g_return_if_fail (n >= 1 && n <= MAX_KINDS);

  memcpy (self->kinds, kinds, n * sizeof *kinds);
  self->n_kinds = n;
  gtk_widget_queue_resize (GTK_WIDGET (self));
}
