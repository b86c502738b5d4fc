/* zi-window-styles.c — the style switcher and the weight slider of a run of several target styles
 * (see zi-window-styles.h). */
#include "config.h"
#include "zi-window-styles.h"

#include <glib/gi18n.h>
#include <math.h>

struct _ZiWindowStyles
{
  gpointer               owner;   /* not owned */
  ZiWindowStylesWidgets  w;
  ZiWindowStylesChanged  changed;
  ZiRunStyle            *styles;
  guint                  n_styles;
  guint                  style;    /* drawn, or the nearest to weight */
  double                 weight;   /* 0: style itself */
  double                 min_weight, max_weight;
  gboolean               updating; /* the widgets are being set from the state, not by the user */
};

static void
show_state (ZiWindowStyles *self)
{
  const ZiRunStyle *s = self->n_styles > 0 ? &self->styles[self->style] : NULL;
  g_autofree char *text = NULL;

  if (s == NULL)
    return;
  self->updating = TRUE;
  gtk_drop_down_set_selected (self->w.dropdown, self->style);
  gtk_range_set_value (GTK_RANGE (self->w.weight_scale), self->weight > 0 ? self->weight : s->weight_class);
  self->updating = FALSE;
  /* Between two trained weights the target column can only show the nearest font that exists. */
  if (self->weight > 0)
    text = g_strdup_printf (_("Weight %.0f · target: %s (%u), nearest"), self->weight, s->name, s->weight_class);
  else
    text = g_strdup_printf (_("Weight %u · target: %s"), s->weight_class, s->name);
  gtk_label_set_label (self->w.weight_label, text);
}

static void
changed (ZiWindowStyles *self)
{
  show_state (self);
  self->changed (self->owner, self->style, self->weight, self->styles[self->style].font);
}

/* The style whose weight class is nearest to weight; the lighter of two as near. */
static guint
nearest_style (ZiWindowStyles *self, double weight)
{
  guint best = 0;

  for (guint i = 1; i < self->n_styles; i++)
    {
      double d = fabs (self->styles[i].weight_class - weight);
      double best_d = fabs (self->styles[best].weight_class - weight);
      if (d < best_d || (d == best_d && self->styles[i].weight_class < self->styles[best].weight_class))
        best = i;
    }
  return best;
}

gboolean
zi_window_styles_set_weight (ZiWindowStyles *self, double weight)
{
  guint nearest;

  g_return_val_if_fail (self != NULL, FALSE);
  if (self->n_styles < 2 || !(self->max_weight > self->min_weight)
      || !(weight >= self->min_weight && weight <= self->max_weight))
    return FALSE;
  nearest = nearest_style (self, weight);
  if (fabs (self->styles[nearest].weight_class - weight) <= ZI_WINDOW_STYLES_SNAP)
    weight = 0;  /* a trained weight: that style as trained */
  else
    weight = round (weight);
  if (nearest == self->style && weight == self->weight)
    {
      show_state (self);  /* puts a slider that stopped near a mark onto it */
      return TRUE;
    }
  self->style = nearest;
  self->weight = weight;
  changed (self);
  return TRUE;
}

static void
weight_changed_cb (GtkRange *range, ZiWindowStyles *self)
{
  if (!self->updating)
    zi_window_styles_set_weight (self, gtk_range_get_value (range));
}

static void
selected_cb (GtkDropDown *dropdown, GParamSpec *pspec, ZiWindowStyles *self)
{
  if (!self->updating)
    zi_window_styles_select (self, gtk_drop_down_get_selected (dropdown));
}

ZiWindowStyles *
zi_window_styles_new (gpointer owner, const ZiWindowStylesWidgets *widgets, ZiWindowStylesChanged changed_func)
{
  ZiWindowStyles *self;

  g_return_val_if_fail (widgets != NULL && changed_func != NULL, NULL);
  self = g_new0 (ZiWindowStyles, 1);
  self->owner = owner;
  self->w = *widgets;
  self->changed = changed_func;
  gtk_widget_set_visible (self->w.bar, FALSE);
  g_signal_connect (self->w.dropdown, "notify::selected", G_CALLBACK (selected_cb), self);
  g_signal_connect (self->w.weight_scale, "value-changed", G_CALLBACK (weight_changed_cb), self);
  return self;
}

void
zi_window_styles_free (ZiWindowStyles *self)
{
  if (self == NULL)
    return;
  g_signal_handlers_disconnect_by_data (self->w.dropdown, self);
  g_signal_handlers_disconnect_by_data (self->w.weight_scale, self);
  if (self->styles != NULL)
    zi_run_styles_free (self->styles, self->n_styles);
  g_free (self);
}

static gboolean
same_styles (ZiWindowStyles *self, const ZiRunStyle *styles, guint n)
{
  if (n != self->n_styles)
    return FALSE;
  for (guint i = 0; i < n; i++)
    if (g_strcmp0 (styles[i].name, self->styles[i].name) != 0
        || g_strcmp0 (styles[i].font, self->styles[i].font) != 0
        || styles[i].weight_class != self->styles[i].weight_class)
      return FALSE;
  return TRUE;
}

void
zi_window_styles_set (ZiWindowStyles *self, const ZiRunStyle *styles, guint n)
{
  g_autoptr(GtkStringList) names = gtk_string_list_new (NULL);
  gboolean was_moved;

  g_return_if_fail (self != NULL);
  g_return_if_fail (styles != NULL || n == 0);

  if (same_styles (self, styles, n))
    return;
  was_moved = self->style != 0 || self->weight > 0;
  if (self->styles != NULL)
    zi_run_styles_free (self->styles, self->n_styles);
  self->styles = n > 0 ? zi_run_styles_copy (styles, n) : NULL;
  self->n_styles = self->styles != NULL ? n : 0;
  /* A family opens on its regular weight, which the window's target font is too. */
  self->style = self->n_styles > 1 ? nearest_style (self, 400) : 0;
  self->weight = 0;

  /* One style is the window as it always was: nothing to switch. */
  gtk_widget_set_visible (self->w.bar, self->n_styles > 1);
  self->updating = TRUE;
  gtk_scale_clear_marks (self->w.weight_scale);
  self->min_weight = G_MAXDOUBLE;
  self->max_weight = 0;
  for (guint i = 0; i < self->n_styles; i++)
    {
      g_autofree char *item = g_strdup_printf ("%s (%u)", self->styles[i].name, self->styles[i].weight_class);
      gtk_string_list_append (names, item);
      self->min_weight = MIN (self->min_weight, self->styles[i].weight_class);
      self->max_weight = MAX (self->max_weight, self->styles[i].weight_class);
    }
  gtk_drop_down_set_model (self->w.dropdown, G_LIST_MODEL (names));
  gtk_widget_set_visible (self->w.weight_box, self->n_styles > 1 && self->max_weight > self->min_weight);
  if (self->n_styles > 1 && self->max_weight > self->min_weight)
    {
      gtk_range_set_range (GTK_RANGE (self->w.weight_scale), self->min_weight, self->max_weight);
      gtk_range_set_increments (GTK_RANGE (self->w.weight_scale), 10, 50);
      /* A mark at each trained weight; the slider snaps to it (ZI_WINDOW_STYLES_SNAP). */
      for (guint i = 0; i < self->n_styles; i++)
        {
          g_autofree char *mark = g_strdup_printf ("%u", self->styles[i].weight_class);
          gtk_scale_add_mark (self->w.weight_scale, self->styles[i].weight_class, GTK_POS_BOTTOM, mark);
        }
    }
  self->updating = FALSE;
  /* The models and the target column follow (back to the pair's target without styles). */
  if (was_moved || self->style != 0)
    self->changed (self->owner, self->style, 0, self->n_styles > 0 ? self->styles[self->style].font : NULL);
  show_state (self);
}

guint
zi_window_styles_get_n (ZiWindowStyles *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->n_styles;
}

guint
zi_window_styles_get_style (ZiWindowStyles *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->style;
}

double
zi_window_styles_get_weight (ZiWindowStyles *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->weight;
}

void
zi_window_styles_select (ZiWindowStyles *self, guint i)
{
  g_return_if_fail (self != NULL);
  if (i >= self->n_styles || (i == self->style && self->weight == 0))
    return;
  self->style = i;
  self->weight = 0;
  changed (self);
}

void
zi_window_styles_step (ZiWindowStyles *self, int delta)
{
  double from;
  int best = -1;

  g_return_if_fail (self != NULL);
  if (self->n_styles < 2)
    return;
  /* From a blend, the step goes to the trained weight on that side of it. */
  from = self->weight > 0 ? self->weight : self->styles[self->style].weight_class;
  for (guint i = 0; i < self->n_styles; i++)
    {
      double w = self->styles[i].weight_class;
      if (i == self->style && self->weight == 0)
        continue;
      if ((delta > 0 && w >= from) || (delta < 0 && w <= from))
        if (best < 0 || fabs (w - from) < fabs (self->styles[best].weight_class - from))
          best = (int) i;
    }
  if (best >= 0)
    zi_window_styles_select (self, (guint) best);
}
