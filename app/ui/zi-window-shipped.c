/* zi-window-shipped.c — the shipped model in the window (see zi-window-shipped.h): looked for and
 * read once on a worker thread, since its file is tens of megabytes; its styles then say which one
 * matches the target font, and the label above the grid says where the generated glyphs come from. */
#include "config.h"
#include "zi-window-shipped.h"

#include "zi-model.h"

#include <glib/gi18n.h>

struct _ZiWindowShipped
{
  GObject               *owner;  /* not owned */
  ZiWindowShippedWidgets w;
  ZiWindowShippedReady   ready;
  GCancellable          *cancellable;
  char                  *path;
  ZiRunStyle            *styles;
  guint                  n_styles;
  guint                  style;
  char                  *error;  /* why it is missing, once looked for */
};

/* What the worker thread found. */
typedef struct {
  char       *path;
  ZiRunStyle *styles;
  guint       n_styles;
} Found;

static void
found_free (Found *found)
{
  g_free (found->path);
  zi_run_styles_free (found->styles, found->n_styles);
  g_free (found);
}

static void
find_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = zi_model_default_path (&error);
  g_autoptr(ZiModel) model = NULL;
  Found *found;

  if (path == NULL || (model = zi_model_load (path, &error)) == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  found = g_new0 (Found, 1);
  found->path = g_steal_pointer (&path);
  found->n_styles = zi_model_get_n_styles (model);
  found->styles = g_new0 (ZiRunStyle, found->n_styles);
  for (guint i = 0; i < found->n_styles; i++)
    zi_run_style_copy (&found->styles[i], zi_model_get_style (model, i));
  g_task_return_pointer (task, found, (GDestroyNotify) found_free);
}

/* Said in the line above the grid rather than in a dialog, since the window works without it; the
 * tooltip says where it looked. */
static void
show_missing (ZiWindowShipped *self)
{
  gtk_label_set_label (self->w.label, _("No shipped model: train or open a run"));
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->w.label), self->error);
}

static void
find_done_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  ZiWindowShipped *self = user_data;
  g_autoptr(GError) error = NULL;
  Found *found = g_task_propagate_pointer (G_TASK (result), &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  g_clear_object (&self->cancellable);
  if (found == NULL)
    self->error = g_strdup (error->message);
  else
    {
      self->path = g_steal_pointer (&found->path);
      self->styles = g_steal_pointer (&found->styles);
      self->n_styles = found->n_styles;
      found->n_styles = 0;
      found_free (found);
    }
  self->ready (self->owner);
}

ZiWindowShipped *
zi_window_shipped_new (GObject *owner, const ZiWindowShippedWidgets *widgets, ZiWindowShippedReady ready)
{
  ZiWindowShipped *self;
  g_autoptr(GTask) task = NULL;

  g_return_val_if_fail (G_IS_OBJECT (owner) && widgets != NULL && ready != NULL, NULL);
  g_return_val_if_fail (ZI_IS_GLYPH_CACHE (widgets->cache) && GTK_IS_LABEL (widgets->label), NULL);
  self = g_new0 (ZiWindowShipped, 1);
  self->owner = owner;
  self->w = *widgets;
  self->ready = ready;
  self->cancellable = g_cancellable_new ();
  /* The task holds the owner, and so this part, until it reports. */
  task = g_task_new (owner, self->cancellable, find_done_cb, self);
  g_task_set_source_tag (task, zi_window_shipped_new);
  g_task_run_in_thread (task, find_thread);
  return self;
}

void
zi_window_shipped_cancel (ZiWindowShipped *self)
{
  g_return_if_fail (self != NULL);
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
}

void
zi_window_shipped_free (ZiWindowShipped *self)
{
  if (self == NULL)
    return;
  zi_window_shipped_cancel (self);
  g_free (self->path);
  zi_run_styles_free (self->styles, self->n_styles);
  g_free (self->error);
  g_free (self);
}

const char *
zi_window_shipped_get_path (ZiWindowShipped *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->path;
}

const ZiRunStyle *
zi_window_shipped_get_styles (ZiWindowShipped *self, guint *n)
{
  g_return_val_if_fail (self != NULL && n != NULL, NULL);
  *n = self->n_styles;
  return self->styles;
}

guint
zi_window_shipped_get_style (ZiWindowShipped *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->style;
}

/* A family name folded for comparison: "Zen Maru Gothic" and "ZenMaruGothic" are one family. */
static char *
fold_family (const char *family)
{
  g_autofree char *folded = g_utf8_casefold (family != NULL ? family : "", -1);
  GString *out = g_string_new (NULL);

  for (const char *p = folded; *p != '\0'; p++)
    if (!g_ascii_isspace (*p))
      g_string_append_c (out, *p);
  return g_string_free (out, FALSE);
}

guint
zi_window_shipped_match_style (const ZiRunStyle *styles, guint n, const char *family, guint weight_class)
{
  g_autofree char *want = NULL;
  guint best = 0, best_distance = G_MAXUINT;

  g_return_val_if_fail (styles != NULL && n > 0, 0);
  if (family == NULL || family[0] == '\0')
    return 0;
  want = fold_family (family);
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *have = fold_family (styles[i].family);
      guint distance = (guint) ABS ((int) styles[i].weight_class - (int) weight_class);

      if (!g_str_equal (have, want))
        continue;
      if (distance < best_distance
          || (distance == best_distance && styles[i].weight_class < styles[best].weight_class))
        best = i, best_distance = distance;
    }
  return best;
}

/* "Zen Maru Gothic Regular": a style's family and the usual name of its weight class. The style's
 * own name may be a made-unique "Regular 2" when a model's fonts share style names. */
static char *
describe_style (const ZiRunStyle *s)
{
  static const char *names[] = { N_("Thin"), N_("Extra Light"), N_("Light"), N_("Regular"), N_("Medium"),
                                  N_("Semibold"), N_("Bold"), N_("Extra Bold"), N_("Black") };
  guint i = CLAMP ((s->weight_class + 50) / 100, 1, G_N_ELEMENTS (names)) - 1;

  if (s->family == NULL || s->family[0] == '\0')
    return g_strdup (s->name);
  return g_strdup_printf ("%s %s", s->family, _(names[i]));
}

void
zi_window_shipped_show (ZiWindowShipped *self, const char *family, guint weight_class)
{
  g_autofree char *name = NULL;
  g_autofree char *text = NULL;
  g_autofree char *tooltip = NULL;

  g_return_if_fail (self != NULL);
  if (self->path == NULL)
    return;
  self->style = zi_window_shipped_match_style (self->styles, self->n_styles, family, weight_class);
  zi_glyph_cache_set_style (self->w.cache, self->style, 0);
  name = describe_style (&self->styles[self->style]);
  /* Short, for the toolbar beside the zoom; the tooltip says it in full. */
  text = g_strdup_printf (_("Shipped model: %s"), name);
  tooltip = g_strdup_printf (_("Generated by the shipped model (%s): with no run open, the model that ships "
                               "with Zimaru draws the glyphs in the style nearest to the target font. Train "
                               "or open a run to see its own."), name);
  gtk_label_set_label (self->w.label, text);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->w.label), tooltip);
}

void
zi_window_shipped_show_run (ZiWindowShipped *self, const char *checkpoint, guint n)
{
  g_autofree char *text = NULL;

  g_return_if_fail (self != NULL);
  if (n == 0)
    {
      /* No model at all: the shipped one is missing, or still being looked for. */
      if (self->error != NULL)
        show_missing (self);
      else
        gtk_label_set_label (self->w.label, "");
      return;
    }
  if (n == 1)
    {
      g_autofree char *name = g_path_get_basename (checkpoint);
      text = g_strdup_printf (_("Checkpoint: %s"), name);
    }
  else
    text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Comparing %u checkpoint", "Comparing %u checkpoints", n),
                            n);
  gtk_label_set_label (self->w.label, text);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->w.label), n == 1 ? checkpoint : NULL);
}
