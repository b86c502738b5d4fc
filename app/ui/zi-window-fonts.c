/* zi-window-fonts.c — the window's font pair, opened off the main thread (see zi-window-fonts.h). */
#include "config.h"
#include "zi-window-fonts.h"

#include "zi-charset.h"
#include "zi-error.h"
#include "zi-font-picker.h"
#include "zi-glyph-detail.h"

#include <glib/gi18n.h>
#include <string.h>

#define N_CODE_POINTS 0x110000

/* What a font load computes on its worker thread. */
typedef struct {
  char         *source_spec;
  char         *target_spec;
  ZiFont       *source;
  ZiFont       *target;
  GArray       *all;          /* every character of the source, code-point order */
  GArray       *shared;
  GArray       *missing;
  guint8       *target_bits;  /* bitset over all code points */
  ZiFontMetrics metrics;      /* of the target */
  ZiPlacement   placement;    /* of the target at ZI_GLYPH_DETAIL_SIZE */
} FontLoad;

struct _ZiWindowFonts
{
  GObject             *owner;     /* not owned */
  ZiWindowFontsWidgets w;
  ZiGlyphCache        *cache;     /* not owned */
  ZiWindowFontsLoaded  loaded;
  char                *source_spec;
  char                *target_spec;
  /* The target styles of a new run when several were chosen (a family's weights, or several files),
   * NULL-terminated; NULL for the one target target_spec. target_spec is then the style the grid
   * shows, and targets_label names the set on the target button. */
  char               **targets;
  char                *targets_label;
  /* The target font the glyph cache draws instead of target_spec (the style switcher's), or NULL. */
  char                *shown_target;
  GSettings           *pick_settings;  /* not owned: the application's, for a picked set of styles */
  gboolean             is_loaded;
  FontLoad            *fonts;     /* the last pair that opened, or NULL */
  GCancellable        *cancellable;
};

static void
font_load_free (FontLoad *load)
{
  if (load == NULL)
    return;
  g_free (load->source_spec);
  g_free (load->target_spec);
  g_clear_pointer (&load->source, zi_font_free);
  g_clear_pointer (&load->target, zi_font_free);
  g_clear_pointer (&load->all, g_array_unref);
  g_clear_pointer (&load->shared, g_array_unref);
  g_clear_pointer (&load->missing, g_array_unref);
  g_free (load->target_bits);
  g_free (load);
}

ZiWindowFonts *
zi_window_fonts_new (GObject *owner, const ZiWindowFontsWidgets *widgets, ZiGlyphCache *cache,
                     ZiWindowFontsLoaded loaded)
{
  ZiWindowFonts *self;

  g_return_val_if_fail (G_IS_OBJECT (owner) && widgets != NULL && loaded != NULL, NULL);
  g_return_val_if_fail (ZI_IS_GLYPH_CACHE (cache), NULL);
  self = g_new0 (ZiWindowFonts, 1);
  self->owner = owner;
  self->w = *widgets;
  self->cache = cache;
  self->loaded = loaded;
  /* The one-font pickers call back with the owner only; they find this part through it. */
  g_object_set_data (owner, "zi-window-fonts", self);
  return self;
}

void
zi_window_fonts_cancel (ZiWindowFonts *self)
{
  g_return_if_fail (self != NULL);
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
}

void
zi_window_fonts_free (ZiWindowFonts *self)
{
  if (self == NULL)
    return;
  zi_window_fonts_cancel (self);
  font_load_free (self->fonts);
  g_free (self->source_spec);
  g_free (self->target_spec);
  g_strfreev (self->targets);
  g_free (self->targets_label);
  g_free (self->shown_target);
  g_free (self);
}

static void
font_load_thread (GTask *task, gpointer source_object, gpointer task_data, GCancellable *cancellable)
{
  FontLoad *load = task_data;
  g_autoptr(GArray) target_set = NULL;
  GError *error = NULL;

  load->source = zi_font_open (load->source_spec, &error);
  if (load->source == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  load->target = zi_font_open (load->target_spec, &error);
  if (load->target == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  load->all = zi_charset_compute (load->source, NULL, ZI_CHARSET_SOURCE, ZI_BLOCK_ALL);
  load->shared = zi_charset_compute (load->source, load->target, ZI_CHARSET_SHARED, ZI_BLOCK_ALL);
  load->missing = zi_charset_compute (load->source, load->target, ZI_CHARSET_MISSING, ZI_BLOCK_ALL);
  target_set = zi_charset_compute (load->source, load->target, ZI_CHARSET_TARGET, ZI_BLOCK_ALL);
  load->target_bits = g_malloc0 (N_CODE_POINTS / 8);
  for (guint i = 0; i < target_set->len; i++)
    {
      gunichar c = g_array_index (target_set, gunichar, i);
      if (c < N_CODE_POINTS)
        load->target_bits[c >> 3] |= 1 << (c & 7);
    }
  zi_font_get_metrics (load->target, &load->metrics);
  if (!zi_placement_init (&load->placement, load->target, ZI_GLYPH_DETAIL_SIZE, ZI_DEFAULT_EM_FRACTION,
                          &error))
    {
      g_task_return_error (task, error);
      return;
    }
  g_task_return_boolean (task, TRUE);
}

static void
font_load_done_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  ZiWindowFonts *self = user_data;
  GTask *task = G_TASK (result);
  g_autoptr(GError) error = NULL;
  FontLoad *load;

  if (!g_task_propagate_boolean (task, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      self->is_loaded = TRUE;
      gtk_spinner_stop (self->w.loading_spinner);
      gtk_label_set_label (self->w.loading_label, error->message);
      self->loaded (self->owner, error);
      return;
    }

  /* Move the results out; the task frees the emptied shell. */
  load = g_memdup2 (g_task_get_task_data (task), sizeof *load);
  memset (g_task_get_task_data (task), 0, sizeof *load);
  font_load_free (self->fonts);
  self->fonts = load;
  self->is_loaded = TRUE;
  g_clear_object (&self->cancellable);
  gtk_spinner_stop (self->w.loading_spinner);
  gtk_stack_set_visible_child_name (self->w.grid_stack, "grid");
  self->loaded (self->owner, NULL);
}

/* Replaces a string field (g_set_str needs GLib 2.76). */
static void
set_str (char **field, const char *value)
{
  char *copy = g_strdup (value);
  g_free (*field);
  *field = copy;
}

void
zi_window_fonts_set (ZiWindowFonts *self, const char *source, const char *target, GSettings *settings)
{
  g_autoptr(GTask) task = NULL;
  FontLoad *load;

  g_return_if_fail (self != NULL);

  if (source != NULL)
    set_str (&self->source_spec, source);
  if (target != NULL)
    {
      /* One target chosen: a family chosen before no longer applies. */
      set_str (&self->target_spec, target);
      g_clear_pointer (&self->targets, g_strfreev);
      g_clear_pointer (&self->targets_label, g_free);
    }
  g_return_if_fail (self->source_spec != NULL && self->target_spec != NULL);
  g_clear_pointer (&self->shown_target, g_free);
  gtk_menu_button_set_label (self->w.source_button, self->source_spec);
  gtk_menu_button_set_label (self->w.target_button,
                             self->targets_label != NULL ? self->targets_label : self->target_spec);
  if (settings != NULL)
    {
      g_settings_set_string (settings, "source-font", self->source_spec);
      g_settings_set_string (settings, "target-font", self->target_spec);
    }

  zi_window_fonts_cancel (self);
  self->cancellable = g_cancellable_new ();
  self->is_loaded = FALSE;

  zi_glyph_cache_set_fonts (self->cache, self->source_spec, self->target_spec);
  gtk_stack_set_visible_child_name (self->w.grid_stack, "loading");
  gtk_label_set_label (self->w.loading_label, _("Opening the fonts…"));
  gtk_spinner_start (self->w.loading_spinner);

  load = g_new0 (FontLoad, 1);
  load->source_spec = g_strdup (self->source_spec);
  load->target_spec = g_strdup (self->target_spec);
  /* The task holds the owner, and so this part, until it reports. */
  task = g_task_new (self->owner, self->cancellable, font_load_done_cb, self);
  g_task_set_source_tag (task, zi_window_fonts_set);
  g_task_set_task_data (task, load, (GDestroyNotify) font_load_free);
  g_task_run_in_thread (task, font_load_thread);
}

const char *
zi_window_fonts_get_source (ZiWindowFonts *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->source_spec;
}

/* The face a family shows in the grid: its regular weight (400), or the one nearest to it. */
static guint
regular_face (const char * const *specs, guint n)
{
  guint best = 0, best_distance = G_MAXUINT;

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GError) error = NULL;
      ZiFont *font = zi_font_open (specs[i], &error);
      guint weight = font != NULL ? zi_font_get_weight_class (font) : 0;
      guint distance = font != NULL ? (guint) ABS ((int) weight - 400) : G_MAXUINT - 1;

      if (distance < best_distance)
        best = i, best_distance = distance;
      g_clear_pointer (&font, zi_font_free);
    }
  return best;
}

void
zi_window_fonts_set_targets (ZiWindowFonts *self, const char * const *specs, const char *label,
                             GSettings *settings)
{
  guint n;

  g_return_if_fail (self != NULL);
  g_return_if_fail (specs != NULL && specs[0] != NULL);

  n = g_strv_length ((char **) specs);
  if (n == 1)
    {
      zi_window_fonts_set (self, NULL, specs[0], settings);
      return;
    }
  g_strfreev (self->targets);
  self->targets = g_strdupv ((char **) specs);
  g_free (self->targets_label);
  self->targets_label = label != NULL ? g_strdup (label)
                                      : g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u style", "%u styles", n), n);
  /* set() with a target forgets the set, so the shown face goes in as the kept spec. */
  set_str (&self->target_spec, specs[regular_face (specs, n)]);
  zi_window_fonts_set (self, NULL, NULL, settings);
}

void
zi_window_fonts_set_run (ZiWindowFonts *self, const char *source, const char *target, const ZiRunStyle *styles,
                         guint n, GSettings *settings)
{
  g_autoptr(GPtrArray) specs = NULL;
  g_autofree char *label = NULL;
  gboolean one_family = TRUE;

  g_return_if_fail (self != NULL);
  g_return_if_fail (styles != NULL || n == 0);

  if (n < 2)
    {
      zi_window_fonts_set (self, source, target, settings);
      return;
    }
  specs = g_ptr_array_new ();
  for (guint i = 0; i < n; i++)
    {
      g_ptr_array_add (specs, styles[i].font);
      one_family &= styles[i].family != NULL && styles[i].family[0] != '\0'
                     && g_strcmp0 (styles[i].family, styles[0].family) == 0;
    }
  g_ptr_array_add (specs, NULL);
  if (one_family)
    label = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s: %u weight", "%s: %u weights", n),
                             styles[0].family, n);
  if (source != NULL)
    set_str (&self->source_spec, source);
  zi_window_fonts_set_targets (self, (const char * const *) specs->pdata, label, settings);
}

static void
targets_picked_cb (gpointer user_data, const char * const *specs, const char *label, const char *error_message)
{
  ZiWindowFonts *self = user_data;

  if (specs != NULL)
    zi_window_fonts_set_targets (self, specs, label, self->pick_settings);
  else
    {
      g_autoptr(GError) error = g_error_new_literal (ZI_ERROR, ZI_ERROR_INVALID, error_message);
      self->loaded (self->owner, error);
    }
}

void
zi_window_fonts_pick_targets (ZiWindowFonts *self, GtkWindow *parent, gboolean family, GSettings *settings)
{
  g_return_if_fail (self != NULL);

  /* The pickers keep the owner alive until they call back, and with it this part. */
  self->pick_settings = settings;
  if (family)
    zi_font_picker_choose_family (parent, _("All Weights of a Family"), self->owner, targets_picked_cb, self);
  else
    zi_font_picker_open_files (parent, _("Open Target Font Files"), self->owner, targets_picked_cb, self);
}

static void
font_picked (GObject *owner, const char *spec, const char *error_message, gboolean source)
{
  ZiWindowFonts *self = g_object_get_data (owner, "zi-window-fonts");

  /* The window went while the dialog was open. */
  if (self == NULL)
    return;
  if (spec != NULL)
    zi_window_fonts_set (self, source ? spec : NULL, source ? NULL : spec, self->pick_settings);
  else
    {
      g_autoptr(GError) error = g_error_new_literal (ZI_ERROR, ZI_ERROR_INVALID, error_message);
      self->loaded (self->owner, error);
    }
}

static void
source_picked_cb (GObject *owner, const char *spec, const char *error_message)
{
  font_picked (owner, spec, error_message, TRUE);
}

static void
target_picked_cb (GObject *owner, const char *spec, const char *error_message)
{
  font_picked (owner, spec, error_message, FALSE);
}

void
zi_window_fonts_pick (ZiWindowFonts *self, GtkWindow *parent, gboolean installed, gboolean source,
                      GSettings *settings)
{
  ZiFontPickedFunc picked = source ? source_picked_cb : target_picked_cb;

  g_return_if_fail (self != NULL);

  self->pick_settings = settings;
  if (installed)
    zi_font_picker_choose_installed (parent, source ? _("Source Font") : _("Target Font"), self->owner, picked);
  else
    zi_font_picker_open_file (parent, source ? _("Open a Source Font File") : _("Open a Target Font File"),
                              self->owner, picked);
}

char **
zi_window_fonts_dup_targets (ZiWindowFonts *self)
{
  const char *one[] = { self != NULL ? self->target_spec : NULL, NULL };

  g_return_val_if_fail (self != NULL && self->target_spec != NULL, NULL);
  return g_strdupv (self->targets != NULL ? self->targets : (char **) one);
}

void
zi_window_fonts_show_target (ZiWindowFonts *self, const char *spec)
{
  g_return_if_fail (self != NULL);
  if (g_strcmp0 (spec, self->target_spec) == 0)
    spec = NULL;
  if (g_strcmp0 (spec, self->shown_target) == 0)
    return;
  set_str (&self->shown_target, spec);
  if (self->source_spec != NULL && self->target_spec != NULL)
    zi_glyph_cache_set_fonts (self->cache, self->source_spec,
                              self->shown_target != NULL ? self->shown_target : self->target_spec);
}

const char *
zi_window_fonts_get_target (ZiWindowFonts *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->target_spec;
}

gboolean
zi_window_fonts_is_loaded (ZiWindowFonts *self)
{
  g_return_val_if_fail (self != NULL, FALSE);
  return self->is_loaded;
}

gboolean
zi_window_fonts_is_ready (ZiWindowFonts *self)
{
  g_return_val_if_fail (self != NULL, FALSE);
  return self->fonts != NULL;
}

GArray *
zi_window_fonts_get_all (ZiWindowFonts *self)
{
  g_return_val_if_fail (self != NULL && self->fonts != NULL, NULL);
  return self->fonts->all;
}

GArray *
zi_window_fonts_get_shared (ZiWindowFonts *self)
{
  g_return_val_if_fail (self != NULL && self->fonts != NULL, NULL);
  return self->fonts->shared;
}

GArray *
zi_window_fonts_dup_shared_in (ZiWindowFonts *self, ZiBlockFilter block)
{
  GArray *shared = zi_window_fonts_get_shared (self);
  GArray *chars = g_array_new (FALSE, FALSE, sizeof (gunichar));

  for (guint i = 0; i < shared->len; i++)
    {
      gunichar c = g_array_index (shared, gunichar, i);
      if (zi_block_filter_matches (block, c))
        g_array_append_val (chars, c);
    }
  return chars;
}

GArray *
zi_window_fonts_get_missing (ZiWindowFonts *self)
{
  g_return_val_if_fail (self != NULL && self->fonts != NULL, NULL);
  return self->fonts->missing;
}

gboolean
zi_window_fonts_target_has (ZiWindowFonts *self, gunichar c)
{
  g_return_val_if_fail (self != NULL, FALSE);
  return self->fonts != NULL && c < N_CODE_POINTS && (self->fonts->target_bits[c >> 3] & (1 << (c & 7)));
}

const ZiFontMetrics *
zi_window_fonts_get_metrics (ZiWindowFonts *self)
{
  g_return_val_if_fail (self != NULL && self->fonts != NULL, NULL);
  return &self->fonts->metrics;
}

const ZiPlacement *
zi_window_fonts_get_placement (ZiWindowFonts *self)
{
  g_return_val_if_fail (self != NULL && self->fonts != NULL, NULL);
  return &self->fonts->placement;
}

const char *
zi_window_fonts_get_target_family (ZiWindowFonts *self, guint *weight_class)
{
  g_return_val_if_fail (self != NULL && weight_class != NULL, NULL);
  *weight_class = 400;
  if (self->fonts == NULL || self->fonts->target == NULL)
    return NULL;
  *weight_class = zi_font_get_weight_class (self->fonts->target);
  return zi_font_get_family (self->fonts->target);
}
