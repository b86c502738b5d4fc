/* zi-glyph-detail.c — the selected glyph, large, with guides, overlay, difference, outlines and
 * metrics. All images and outlines come from the shared glyph cache, so nothing here renders or traces
 * on the main thread. */
#include "config.h"
#include "zi-glyph-detail.h"

#include "zi-metrics.h"
#include "zi-glyph-painter.h"

#include <glib/gi18n.h>
#include <math.h>

#define STRIP_SIZE 48

struct _ZiGlyphDetail
{
  GtkWidget      parent_instance;

  GtkWidget     *box;
  GtkLabel      *char_label;
  GtkLabel      *code_label;
  GtkLabel      *state_label;
  GtkLabel      *legend_label;
  GtkLabel      *metrics_label;
  GtkLabel      *outline_label;
  GtkDrawingArea *canvas;
  GtkDrawingArea *strip;
  GtkWidget     *pick_box;
  GtkLabel      *pick_label;
  GtkMenuButton *pick_button;

  ZiGlyphCache  *cache;
  gulong         ready_id;
  gulong         cleared_id;
  gboolean       canvas_waiting;  /* the last drawing lacked an image that is being made */
  gboolean       strip_waiting;
  ZiFontMetrics  metrics;
  ZiPlacement    placement;
  gboolean       has_guides;

  gunichar       c;
  ZiGlyphState   state;
  GArray        *context;     /* gunichar around c, c included */
  char          *mode;
  gboolean       has_scores;
  double         l1, ssim, iou;
  gboolean       show_nodes;
  gboolean       outline_figures_done;  /* every model's outline figures are shown */
  /* What the last drawing showed of outlines (zi_glyph_detail_get_drawn_outlines). */
  guint          drawn_outlines, drawn_on_curve, drawn_off_curve;
};

G_DEFINE_FINAL_TYPE (ZiGlyphDetail, zi_glyph_detail, GTK_TYPE_WIDGET)

enum { PROP_0, PROP_MODE, PROP_SHOW_NODES, N_PROPS };
static GParamSpec *properties[N_PROPS];

static const GdkRGBA target_ink = { 0.85, 0.15, 0.45, 0.65 };
static const GdkRGBA generated_ink = { 0.10, 0.50, 0.90, 0.65 };
static const GdkRGBA accent_ink = { 0.11, 0.44, 0.85, 1 };

static void
widget_fg (GtkWidget *widget, GdkRGBA *fg)
{
  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  gtk_style_context_get_color (gtk_widget_get_style_context (widget), fg);
  G_GNUC_END_IGNORE_DEPRECATIONS
}

/* The side of a square coverage bitmap. */
static guint
coverage_side (GBytes *coverage)
{
  return zi_glyph_painter_coverage_side (coverage);
}

/* Paints a coverage bitmap into the square (x, y, d) in one colour. */
static void
paint_coverage (cairo_t *cr, GBytes *coverage, double x, double y, double d, const GdkRGBA *ink)
{
  zi_glyph_painter_coverage (cr, coverage, x, y, d / coverage_side (coverage), ink, CAIRO_FILTER_GOOD);
}

/* The coverage of an image from the cache, or NULL; *waiting (may be NULL) is set when the image is
 * still being made. */
static GBytes *
get_coverage (ZiGlyphDetail *self, gunichar c, ZiGlyphKind kind, guint size, gboolean *waiting)
{
  gboolean missing;

  if (self->cache == NULL || c == 0)
    return NULL;
  /* lookup queues the work on a miss; the coverage comes with the texture. */
  if (zi_glyph_cache_lookup (self->cache, c, kind, size, &missing) == NULL)
    {
      if (!missing && waiting != NULL)
        *waiting = TRUE;
      return NULL;
    }
  return zi_glyph_cache_lookup_coverage (self->cache, c, kind, size);
}

/* The outline of kind for the current character, or NULL; *waiting (may be NULL) as for
 * get_coverage. */
static const ZiGlyphOutline *
get_outline (ZiGlyphDetail *self, ZiGlyphKind kind, gboolean *waiting)
{
  gboolean missing = FALSE;
  const ZiGlyphOutline *go;

  if (self->cache == NULL || self->c == 0)
    return NULL;
  go = zi_glyph_cache_lookup_outline (self->cache, self->c, kind, &missing);
  if (go == NULL && !missing && waiting != NULL)
    *waiting = TRUE;
  return go;
}

/* The frame that maps font units onto the glyph square (x0, y0, d) of the canvas, as the guides are
 * drawn; FALSE before the window gave the placement. */
static gboolean
canvas_frame (ZiGlyphDetail *self, double x0, double y0, double d, ZiOutlineFrame *f)
{
  double k;

  if (!self->has_guides)
    return FALSE;
  k = d / self->placement.size;
  f->scale = self->placement.scale * k;
  f->dx = x0 + self->placement.origin_x * k;
  f->dy = y0 + self->placement.origin_y * k;
  return TRUE;
}

/* The outline figures of each model's glyph, once traced; TRUE when all of them are there. */
static gboolean
update_outline_label (ZiGlyphDetail *self)
{
  g_autoptr(GString) text = g_string_new (NULL);
  guint n = self->cache != NULL ? zi_glyph_cache_get_n_models (self->cache) : 0;
  gboolean all = TRUE;

  for (guint k = 0; k < n && self->c != 0; k++)
    {
      gboolean waiting = FALSE;
      const ZiGlyphOutline *go = get_outline (self, ZI_GLYPH_GENERATED + k, &waiting);

      all &= !waiting;
      if (go == NULL)
        continue;
      if (text->len > 0)
        g_string_append_c (text, '\n');
      if (n > 1)
        g_string_append_printf (text, _("Column %u: "), k + 1);
      zi_glyph_outline_append_figures (go, text);
    }
  gtk_label_set_label (self->outline_label, text->str);
  gtk_widget_set_visible (GTK_WIDGET (self->outline_label), text->len > 0);
  return all;
}

static void
update_scores (ZiGlyphDetail *self)
{
  GBytes *gen, *target;
  guint side;
  g_autofree float *a = NULL;
  g_autofree float *b = NULL;
  const guint8 *pg, *pt;

  if (self->has_scores || self->c == 0 || self->cache == NULL ||
      zi_glyph_cache_get_n_models (self->cache) == 0)
    return;
  gen = get_coverage (self, self->c, ZI_GLYPH_GENERATED, 1, NULL);
  if (gen == NULL)
    return;
  side = coverage_side (gen);
  target = get_coverage (self, self->c, ZI_GLYPH_TARGET, side, NULL);
  if (target == NULL)
    return;

  pg = g_bytes_get_data (gen, NULL);
  pt = g_bytes_get_data (target, NULL);
  a = g_new (float, side * side);
  b = g_new (float, side * side);
  for (guint i = 0; i < side * side; i++)
    {
      a[i] = pg[i] / 255.0f;
      b[i] = pt[i] / 255.0f;
    }
  self->l1 = zi_metrics_l1 (a, b, side * side);
  self->ssim = zi_metrics_ssim (a, b, side, side);
  self->iou = zi_metrics_iou (a, b, side * side, 0.5f);
  self->has_scores = TRUE;
}

static void
update_labels (ZiGlyphDetail *self)
{
  g_autofree char *metrics = NULL;

  update_scores (self);
  self->outline_figures_done = update_outline_label (self);
  if (self->has_scores)
    metrics = g_strdup_printf (_("L1 %.3f   SSIM %.3f   IoU %.3f"), self->l1, self->ssim, self->iou);
  else if (self->c != 0 && self->cache != NULL && zi_glyph_cache_get_n_models (self->cache) > 0 &&
           (self->state & ZI_GLYPH_STATE_MISSING))
    metrics = g_strdup (_("No target glyph to compare with"));
  else if (self->c != 0 && (self->cache == NULL || zi_glyph_cache_get_n_models (self->cache) == 0))
    metrics = g_strdup (_("Train or open a run to see generated glyphs and their scores"));
  gtk_label_set_label (self->metrics_label, metrics != NULL ? metrics : "");
}

/* The line under the canvas says what the colours mean, or why there is nothing to see. */
static void
update_legend (ZiGlyphDetail *self)
{
  gboolean have_model = self->cache != NULL && zi_glyph_cache_get_n_models (self->cache) > 0;
  const char *legend = "";

  if (self->c == 0)
    legend = "";
  else if (g_str_equal (self->mode, "target") && (self->state & ZI_GLYPH_STATE_MISSING))
    legend = _("The target font has no glyph for this character.");
  else if ((g_str_equal (self->mode, "generated") || g_str_equal (self->mode, "onion") ||
            g_str_equal (self->mode, "difference") || g_str_equal (self->mode, "outline")) && !have_model)
    legend = _("No model yet: train, or open a run with checkpoints.");
  else if (g_str_equal (self->mode, "outline") && zi_glyph_cache_get_n_models (self->cache) > 1)
    legend = _("Outlines of the compared checkpoints by column: 1 blue, 2 orange, 3 green, 4 purple · "
               "Magenta line: the target font's outline");
  else if (g_str_equal (self->mode, "outline"))
    legend = _("Blue: the generated glyph traced as export traces it, over its bitmap · Magenta line: the "
               "target font's outline · Blue squares: corners · Green circles: smooth points · Rings: "
               "off-curve points");
  else if (g_str_equal (self->mode, "onion"))
    legend = _("Magenta: target font · Blue: generated");
  else if (g_str_equal (self->mode, "difference"))
    legend = _("Red: where the generated glyph differs from the target");
  else
    legend = _("Dashed: em box · Dotted: character face · Blue line: baseline");
  gtk_label_set_label (self->legend_label, legend);
}

/* Everything again: the character, the mode or the cache changed. */
static void
refresh (ZiGlyphDetail *self)
{
  update_labels (self);
  update_legend (self);
  gtk_widget_queue_draw (GTK_WIDGET (self->canvas));
  gtk_widget_queue_draw (GTK_WIDGET (self->strip));
}

/* Fonts or models changed: the images shown, and the scores made from them, are gone. */
static void
cache_cleared_cb (ZiGlyphDetail *self, ZiGlyphCache *cache)
{
  self->has_scores = FALSE;
  refresh (self);
}

/* A batch of images arrived. While the grid scrolls that happens many times a second, so only what
 * still waits for an image is redrawn. Redrawing the canvas and the strip for every batch cost a
 * fifth of the main thread's time per frame (bench-frames, a glyph selected, flinging through the
 * grid with the cairo renderer: 7.2 -> 5.8 ms per frame, late frames 215 -> 59-78 of 1,013). */
static void
cache_ready_cb (ZiGlyphDetail *self, ZiGlyphCache *cache)
{
  if (!self->has_scores || !self->outline_figures_done)
    update_labels (self);
  if (self->canvas_waiting)
    gtk_widget_queue_draw (GTK_WIDGET (self->canvas));
  if (self->strip_waiting)
    gtk_widget_queue_draw (GTK_WIDGET (self->strip));
}

static void
draw_guides (ZiGlyphDetail *self, cairo_t *cr, double x0, double y0, double d, const GdkRGBA *fg)
{
  double k = d / ZI_GLYPH_DETAIL_SIZE;
  double l, t, r, b, icf, bx0, by0;

  if (!self->has_guides)
    return;

  zi_placement_font_to_pixel (&self->placement, self->metrics.ideo_left, self->metrics.ideo_top, &l, &t);
  zi_placement_font_to_pixel (&self->placement, self->metrics.ideo_right, self->metrics.ideo_bottom, &r, &b);
  zi_placement_font_to_pixel (&self->placement, 0, 0, &bx0, &by0);
  /* The ideographic character face: fonts rarely carry BASE icfb/icft, so use the customary inset of
   * 1/20 em on each side of the em box. */
  icf = self->metrics.units_per_em / 20.0 * self->placement.scale;

  cairo_save (cr);
  cairo_translate (cr, x0, y0);
  cairo_scale (cr, k, k);
  cairo_set_line_width (cr, 1.0 / k);

  /* Em box: dashed. */
  cairo_set_source_rgba (cr, fg->red, fg->green, fg->blue, 0.35);
  cairo_set_dash (cr, (double[]) { 6 / k, 4 / k }, 2, 0);
  cairo_rectangle (cr, l, t, r - l, b - t);
  cairo_stroke (cr);
  /* Character face: dotted, fainter. */
  cairo_set_source_rgba (cr, fg->red, fg->green, fg->blue, 0.22);
  cairo_set_dash (cr, (double[]) { 1.5 / k, 3 / k }, 2, 0);
  cairo_rectangle (cr, l + icf, t + icf, r - l - 2 * icf, b - t - 2 * icf);
  cairo_stroke (cr);
  /* Baseline: solid, in the accent colour, across the canvas. */
  cairo_set_dash (cr, NULL, 0, 0);
  cairo_set_source_rgba (cr, accent_ink.red, accent_ink.green, accent_ink.blue, 0.55);
  cairo_move_to (cr, 0, by0);
  cairo_line_to (cr, ZI_GLYPH_DETAIL_SIZE, by0);
  cairo_stroke (cr);
  cairo_restore (cr);
}

/* The font editor's view of the models' traced outlines over the target font's (zi-glyph-painter.h). */
static void
draw_outlines (ZiGlyphDetail *self, cairo_t *cr, double x0, double y0, double d, const GdkRGBA *fg)
{
  guint n = MIN (zi_glyph_cache_get_n_models (self->cache), ZI_GLYPH_CACHE_MAX_MODELS);
  const ZiGlyphOutline *target = get_outline (self, ZI_GLYPH_TARGET, &self->canvas_waiting);
  const ZiGlyphOutline *gen[ZI_GLYPH_CACHE_MAX_MODELS] = { NULL };
  GBytes *bitmap = NULL;
  ZiOutlineFrame f;

  if (!canvas_frame (self, x0, y0, d, &f))
    return;
  for (guint k = 0; k < n; k++)
    gen[k] = get_outline (self, ZI_GLYPH_GENERATED + k, &self->canvas_waiting);
  if (gen[0] != NULL)
    bitmap = get_coverage (self, self->c, ZI_GLYPH_GENERATED, 1, &self->canvas_waiting);
  zi_glyph_painter_outline_view (cr, &f, target, gen, n, bitmap, fg, self->show_nodes, &self->drawn_outlines,
                                 &self->drawn_on_curve, &self->drawn_off_curve);
}

static void
draw_canvas_cb (GtkDrawingArea *area, cairo_t *cr, int width, int height, gpointer user_data)
{
  ZiGlyphDetail *self = user_data;
  double d = MIN (width, height) - 2;
  double x0 = (width - d) / 2, y0 = (height - d) / 2;
  GdkRGBA fg;
  GBytes *gen = NULL, *target = NULL;

  widget_fg (GTK_WIDGET (area), &fg);
  self->canvas_waiting = FALSE;
  self->drawn_outlines = self->drawn_on_curve = self->drawn_off_curve = 0;

  /* The paper. */
  cairo_set_source_rgba (cr, fg.red, fg.green, fg.blue, 0.04);
  cairo_rectangle (cr, x0, y0, d, d);
  cairo_fill (cr);
  if (self->c == 0 || d < 16)
    return;

  draw_guides (self, cr, x0, y0, d, &fg);

  if (g_str_equal (self->mode, "source"))
    {
      GBytes *src = get_coverage (self, self->c, ZI_GLYPH_SOURCE, ZI_GLYPH_DETAIL_SIZE,
                                  &self->canvas_waiting);
      if (src != NULL)
        paint_coverage (cr, src, x0, y0, d, &fg);
    }
  else if (g_str_equal (self->mode, "target"))
    {
      target = get_coverage (self, self->c, ZI_GLYPH_TARGET, ZI_GLYPH_DETAIL_SIZE, &self->canvas_waiting);
      if (target != NULL)
        paint_coverage (cr, target, x0, y0, d, &fg);
    }
  else if (g_str_equal (self->mode, "generated"))
    {
      /* As export draws it: the traced outline filled, sharp at any size; the bitmap until then. */
      const ZiGlyphOutline *go = get_outline (self, ZI_GLYPH_GENERATED, &self->canvas_waiting);
      ZiOutlineFrame f;

      gen = get_coverage (self, self->c, ZI_GLYPH_GENERATED, 1, &self->canvas_waiting);
      if (go != NULL && canvas_frame (self, x0, y0, d, &f))
        {
          zi_glyph_painter_path (cr, go->outline, &f);
          gdk_cairo_set_source_rgba (cr, &accent_ink);
          cairo_fill (cr);
        }
      else if (gen != NULL)
        paint_coverage (cr, gen, x0, y0, d, &accent_ink);
    }
  else if (g_str_equal (self->mode, "outline"))
    draw_outlines (self, cr, x0, y0, d, &fg);
  else if (g_str_equal (self->mode, "onion"))
    {
      target = get_coverage (self, self->c, ZI_GLYPH_TARGET, ZI_GLYPH_DETAIL_SIZE, &self->canvas_waiting);
      gen = get_coverage (self, self->c, ZI_GLYPH_GENERATED, 1, &self->canvas_waiting);
      if (target != NULL)
        paint_coverage (cr, target, x0, y0, d, &target_ink);
      if (gen != NULL)
        paint_coverage (cr, gen, x0, y0, d, &generated_ink);
    }
  else
    {
      gen = get_coverage (self, self->c, ZI_GLYPH_GENERATED, 1, &self->canvas_waiting);
      if (gen != NULL)
        target = get_coverage (self, self->c, ZI_GLYPH_TARGET, coverage_side (gen), &self->canvas_waiting);
      if (gen != NULL && target != NULL && g_bytes_get_size (gen) == g_bytes_get_size (target))
        {
          gsize n = g_bytes_get_size (gen);
          const guint8 *pg = g_bytes_get_data (gen, NULL), *pt = g_bytes_get_data (target, NULL);
          g_autofree guint8 *diff = g_malloc (n);
          g_autoptr(GBytes) bytes = NULL;
          GdkRGBA red = { 0.88, 0.11, 0.14, 1 };

          for (gsize i = 0; i < n; i++)
            diff[i] = ABS ((int) pg[i] - (int) pt[i]);
          bytes = g_bytes_new_take (g_steal_pointer (&diff), n);
          paint_coverage (cr, bytes, x0, y0, d, &red);
        }
    }
}

static void
draw_strip_cb (GtkDrawingArea *area, cairo_t *cr, int width, int height, gpointer user_data)
{
  ZiGlyphDetail *self = user_data;
  GdkRGBA fg;
  double cell = height;
  double x;
  gboolean have_model = self->cache != NULL && zi_glyph_cache_get_n_models (self->cache) > 0;

  widget_fg (GTK_WIDGET (area), &fg);
  self->strip_waiting = FALSE;
  if (self->context == NULL || self->context->len == 0 || self->cache == NULL)
    return;

  x = MAX (0, (width - cell * self->context->len) / 2);
  for (guint i = 0; i < self->context->len && x + cell <= width; i++, x += cell)
    {
      gunichar c = g_array_index (self->context, gunichar, i);
      gboolean is_current = c == self->c;
      /* Each glyph as a user would get it: the target font's own glyph where it has one, else
       * the model's; the selected glyph is always the model's when there is a model. */
      ZiGlyphKind order[3];
      guint n_order = 0;
      GBytes *cov = NULL;

      if (is_current && have_model)
        order[n_order++] = ZI_GLYPH_GENERATED;
      order[n_order++] = ZI_GLYPH_TARGET;
      if (have_model)
        order[n_order++] = ZI_GLYPH_GENERATED;
      for (guint k = 0; k < n_order && cov == NULL; k++)
        {
          gboolean missing = FALSE;
          guint size = order[k] >= ZI_GLYPH_GENERATED ? 1 : STRIP_SIZE;
          if (zi_glyph_cache_lookup (self->cache, c, order[k], size, &missing) != NULL)
            cov = zi_glyph_cache_lookup_coverage (self->cache, c, order[k], size);
          else if (!missing)
            {
              /* Still coming: wait rather than show a fallback that will flicker. */
              self->strip_waiting = TRUE;
              break;
            }
        }
      if (is_current)
        {
          cairo_set_source_rgba (cr, accent_ink.red, accent_ink.green, accent_ink.blue, 0.12);
          cairo_rectangle (cr, x, 0, cell, cell);
          cairo_fill (cr);
        }
      if (cov != NULL)
        paint_coverage (cr, cov, x, 0, cell, is_current && have_model ? &accent_ink : &fg);
    }
}

static void
zi_glyph_detail_dispose (GObject *object)
{
  ZiGlyphDetail *self = ZI_GLYPH_DETAIL (object);

  if (self->cache != NULL)
    {
      g_clear_signal_handler (&self->ready_id, self->cache);
      g_clear_signal_handler (&self->cleared_id, self->cache);
    }
  g_clear_object (&self->cache);
  gtk_widget_dispose_template (GTK_WIDGET (self), ZI_TYPE_GLYPH_DETAIL);
  G_OBJECT_CLASS (zi_glyph_detail_parent_class)->dispose (object);
}

static void
zi_glyph_detail_finalize (GObject *object)
{
  ZiGlyphDetail *self = ZI_GLYPH_DETAIL (object);

  g_clear_pointer (&self->context, g_array_unref);
  g_free (self->mode);
  G_OBJECT_CLASS (zi_glyph_detail_parent_class)->finalize (object);
}

static void
zi_glyph_detail_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  ZiGlyphDetail *self = ZI_GLYPH_DETAIL (object);

  switch (prop_id)
    {
    case PROP_MODE:
      g_value_set_string (value, self->mode);
      break;
    case PROP_SHOW_NODES:
      g_value_set_boolean (value, self->show_nodes);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
zi_glyph_detail_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  ZiGlyphDetail *self = ZI_GLYPH_DETAIL (object);

  switch (prop_id)
    {
    case PROP_MODE:
      zi_glyph_detail_set_mode (self, g_value_get_string (value));
      break;
    case PROP_SHOW_NODES:
      zi_glyph_detail_set_show_nodes (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
zi_glyph_detail_class_init (ZiGlyphDetailClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = zi_glyph_detail_dispose;
  object_class->finalize = zi_glyph_detail_finalize;
  object_class->get_property = zi_glyph_detail_get_property;
  object_class->set_property = zi_glyph_detail_set_property;

  properties[PROP_MODE] = g_param_spec_string ("mode", NULL, NULL, "target",
                                               G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY |
                                               G_PARAM_STATIC_STRINGS);
  properties[PROP_SHOW_NODES] = g_param_spec_boolean ("show-nodes", NULL, NULL, TRUE,
                                                      G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY |
                                                      G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/zi-glyph-detail.ui");
  gtk_widget_class_bind_template_child (widget_class, ZiGlyphDetail, box);
  gtk_widget_class_bind_template_child (widget_class, ZiGlyphDetail, char_label);
  gtk_widget_class_bind_template_child (widget_class, ZiGlyphDetail, code_label);
  gtk_widget_class_bind_template_child (widget_class, ZiGlyphDetail, state_label);
  gtk_widget_class_bind_template_child (widget_class, ZiGlyphDetail, legend_label);
  gtk_widget_class_bind_template_child (widget_class, ZiGlyphDetail, metrics_label);
  gtk_widget_class_bind_template_child (widget_class, ZiGlyphDetail, outline_label);
  gtk_widget_class_bind_template_child (widget_class, ZiGlyphDetail, canvas);
  gtk_widget_class_bind_template_child (widget_class, ZiGlyphDetail, strip);
  gtk_widget_class_bind_template_child (widget_class, ZiGlyphDetail, pick_box);
  gtk_widget_class_bind_template_child (widget_class, ZiGlyphDetail, pick_label);
  gtk_widget_class_bind_template_child (widget_class, ZiGlyphDetail, pick_button);
  gtk_widget_class_install_property_action (widget_class, "detail.mode", "mode");
  gtk_widget_class_install_property_action (widget_class, "detail.show-nodes", "show-nodes");
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
zi_glyph_detail_init (ZiGlyphDetail *self)
{
  self->mode = g_strdup ("target");
  self->show_nodes = TRUE;
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_drawing_area_set_draw_func (self->canvas, draw_canvas_cb, self, NULL);
  gtk_drawing_area_set_draw_func (self->strip, draw_strip_cb, self, NULL);
}

GtkWidget *
zi_glyph_detail_new (void)
{
  return g_object_new (ZI_TYPE_GLYPH_DETAIL, NULL);
}

void
zi_glyph_detail_set_cache (ZiGlyphDetail *self, ZiGlyphCache *cache)
{
  g_return_if_fail (ZI_IS_GLYPH_DETAIL (self));
  g_return_if_fail (cache == NULL || ZI_IS_GLYPH_CACHE (cache));

  if (self->cache != NULL)
    {
      g_clear_signal_handler (&self->ready_id, self->cache);
      g_clear_signal_handler (&self->cleared_id, self->cache);
    }
  g_set_object (&self->cache, cache);
  if (cache != NULL)
    {
      self->ready_id = g_signal_connect_object (cache, "changed::ready", G_CALLBACK (cache_ready_cb), self,
                                                G_CONNECT_SWAPPED);
      self->cleared_id = g_signal_connect_object (cache, "changed::cleared", G_CALLBACK (cache_cleared_cb),
                                                  self, G_CONNECT_SWAPPED);
    }
  self->has_scores = FALSE;
  refresh (self);
}

void
zi_glyph_detail_set_guides (ZiGlyphDetail *self, const ZiFontMetrics *metrics,
                            const ZiPlacement *placement)
{
  g_return_if_fail (ZI_IS_GLYPH_DETAIL (self));

  self->has_guides = metrics != NULL && placement != NULL;
  if (self->has_guides)
    {
      self->metrics = *metrics;
      self->placement = *placement;
    }
  gtk_widget_queue_draw (GTK_WIDGET (self->canvas));
}

void
zi_glyph_detail_set_char (ZiGlyphDetail *self, gunichar c, ZiGlyphState state, const char *context)
{
  char utf8[8] = { 0 };
  g_autofree char *code = NULL;
  const char *what = "";

  g_return_if_fail (ZI_IS_GLYPH_DETAIL (self));

  self->c = c;
  self->state = state;
  self->has_scores = FALSE;
  g_clear_pointer (&self->context, g_array_unref);
  self->context = g_array_new (FALSE, FALSE, sizeof (gunichar));
  for (const char *p = context; p != NULL && *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar ch = g_utf8_get_char (p);
      g_array_append_val (self->context, ch);
    }

  if (c != 0)
    {
      g_unichar_to_utf8 (c, utf8);
      code = g_strdup_printf ("U+%04X", c);
    }
  if (state & ZI_GLYPH_STATE_MISSING)
    what = _("Missing in the target font");
  else if (state & ZI_GLYPH_STATE_VAL)
    what = _("Validation glyph (held out from training)");
  else if (state & ZI_GLYPH_STATE_TRAIN)
    what = _("Training glyph");
  else if (c != 0)
    what = _("In both fonts");
  gtk_label_set_label (self->char_label, c != 0 ? utf8 : "—");
  gtk_label_set_label (self->code_label, code != NULL ? code : "");
  gtk_label_set_label (self->state_label, what);

  /* Show what exists: the target's glyph, else the model's outline. */
  if ((state & ZI_GLYPH_STATE_MISSING) && g_str_equal (self->mode, "target"))
    zi_glyph_detail_set_mode (self, "outline");
  refresh (self);
}

gunichar
zi_glyph_detail_get_char (ZiGlyphDetail *self)
{
  g_return_val_if_fail (ZI_IS_GLYPH_DETAIL (self), 0);
  return self->c;
}

void
zi_glyph_detail_set_mode (ZiGlyphDetail *self, const char *mode)
{
  static const char *modes[] = { "source", "target", "generated", "onion", "difference", "outline" };
  gboolean known = FALSE;

  g_return_if_fail (ZI_IS_GLYPH_DETAIL (self));
  g_return_if_fail (mode != NULL);

  for (guint i = 0; i < G_N_ELEMENTS (modes); i++)
    known |= g_str_equal (mode, modes[i]);
  g_return_if_fail (known);

  if (g_strcmp0 (self->mode, mode) == 0)
    return;
  g_free (self->mode);
  self->mode = g_strdup (mode);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MODE]);
  update_legend (self);
  gtk_widget_queue_draw (GTK_WIDGET (self->canvas));
}

gboolean
zi_glyph_detail_get_metrics (ZiGlyphDetail *self, double *l1, double *ssim, double *iou)
{
  g_return_val_if_fail (ZI_IS_GLYPH_DETAIL (self), FALSE);

  update_scores (self);
  if (!self->has_scores)
    return FALSE;
  *l1 = self->l1;
  *ssim = self->ssim;
  *iou = self->iou;
  return TRUE;
}

void
zi_glyph_detail_set_pick_menu (ZiGlyphDetail *self, GMenuModel *menu)
{
  g_return_if_fail (ZI_IS_GLYPH_DETAIL (self));
  g_return_if_fail (menu == NULL || G_IS_MENU_MODEL (menu));

  gtk_menu_button_set_menu_model (self->pick_button, menu);
  gtk_widget_set_visible (self->pick_box, menu != NULL);
}

void
zi_glyph_detail_set_pick_label (ZiGlyphDetail *self, const char *text)
{
  g_return_if_fail (ZI_IS_GLYPH_DETAIL (self));
  gtk_label_set_label (self->pick_label, text != NULL ? text : "");
}

void
zi_glyph_detail_set_show_nodes (ZiGlyphDetail *self, gboolean show)
{
  g_return_if_fail (ZI_IS_GLYPH_DETAIL (self));

  show = !!show;
  if (show == self->show_nodes)
    return;
  self->show_nodes = show;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SHOW_NODES]);
  gtk_widget_queue_draw (GTK_WIDGET (self->canvas));
}

gboolean
zi_glyph_detail_get_show_nodes (ZiGlyphDetail *self)
{
  g_return_val_if_fail (ZI_IS_GLYPH_DETAIL (self), FALSE);
  return self->show_nodes;
}

void
zi_glyph_detail_get_drawn_outlines (ZiGlyphDetail *self, guint *outlines, guint *on_curve, guint *off_curve)
{
  g_return_if_fail (ZI_IS_GLYPH_DETAIL (self));

  if (outlines != NULL)
    *outlines = self->drawn_outlines;
  if (on_curve != NULL)
    *on_curve = self->drawn_on_curve;
  if (off_curve != NULL)
    *off_curve = self->drawn_off_curve;
}
