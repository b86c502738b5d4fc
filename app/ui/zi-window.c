/* zi-window.c — the Zimaru main window, built from resources/zi-window.ui.
 *
 * The window holds the font pair, the character sets computed from it (off the main thread), the
 * grid's list and the shared glyph cache, and dispatches the header bar's actions to the training
 * panel and the export dialog. It draws and dispatches; training and export logic live in app/core.
 * Its actions are in zi-window-actions.c, run directories and the worst-glyphs job in
 * zi-window-runs.c. */
#include "config.h"
#include "zi-window-private.h"

#include <glib/gi18n.h>
#include <math.h>

#define CONTEXT_RADIUS 4

G_DEFINE_FINAL_TYPE (ZiWindow, zi_window, GTK_TYPE_APPLICATION_WINDOW)

static void update_training_pair (ZiWindow *self);

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

/* Replaces a string field (g_set_str needs GLib 2.76). */
void
_zi_window_set_str (char **field, const char *value)
{
  char *copy = g_strdup (value);
  g_free (*field);
  *field = copy;
}

static gboolean
target_has (ZiWindow *self, gunichar c)
{
  return self->fonts != NULL && c < N_CODE_POINTS && (self->fonts->target_bits[c >> 3] & (1 << (c & 7)));
}

ZiGlyphState
_zi_window_state_for (ZiWindow *self, gunichar c)
{
  ZiGlyphState state = 0;

  if (!target_has (self, c))
    state |= ZI_GLYPH_STATE_MISSING;
  if (self->val_chars != NULL && g_hash_table_contains (self->val_chars, GUINT_TO_POINTER (c)))
    state |= ZI_GLYPH_STATE_VAL;
  else if (self->train_chars != NULL && g_hash_table_contains (self->train_chars, GUINT_TO_POINTER (c)))
    state |= ZI_GLYPH_STATE_TRAIN;
  if (self->picks != NULL && zi_picks_get (self->picks, c) != NULL)
    state |= ZI_GLYPH_STATE_PICKED;
  return state;
}

/* ---- Errors ----------------------------------------------------------------------------------- */

void
_zi_window_show_error (ZiWindow *self, const char *message)
{
  g_free (self->error);
  self->error = g_strdup (message);
  gtk_label_set_label (self->error_label, message);
  gtk_revealer_set_reveal_child (self->error_revealer, TRUE);
}

const char *
zi_window_get_error (ZiWindow *self)
{
  g_return_val_if_fail (ZI_IS_WINDOW (self), NULL);
  return self->error;
}

/* ---- Fonts ------------------------------------------------------------------------------------ */

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
  ZiWindow *self = ZI_WINDOW (object);
  GTask *task = G_TASK (result);
  g_autoptr(GError) error = NULL;
  FontLoad *load;

  if (!g_task_propagate_boolean (task, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      self->loaded = TRUE;
      gtk_spinner_stop (self->loading_spinner);
      gtk_label_set_label (self->loading_label, error->message);
      _zi_window_show_error (self, error->message);
      return;
    }

  /* Move the results out; the task frees the emptied shell. */
  load = g_memdup2 (g_task_get_task_data (task), sizeof *load);
  memset (g_task_get_task_data (task), 0, sizeof *load);
  font_load_free (self->fonts);
  self->fonts = load;
  self->loaded = TRUE;
  g_clear_object (&self->load_cancellable);

  zi_glyph_detail_set_guides (self->detail, &load->metrics, &load->placement);
  gtk_spinner_stop (self->loading_spinner);
  gtk_stack_set_visible_child_name (self->grid_stack, "grid");
  _zi_window_rebuild_list (self);
  _zi_window_update_actions (self);
  update_training_pair (self);
}

/* The LR range test trains on the shared characters of the chosen block; an even sample of at most
 * 1,024 is plenty for its few hundred steps and keeps its dataset quick to render. */
static void
update_training_pair (ZiWindow *self)
{
  g_autoptr(GArray) chars = g_array_new (FALSE, FALSE, sizeof (gunichar));
  g_autoptr(GArray) sample = g_array_new (FALSE, FALSE, sizeof (gunichar));

  if (self->fonts == NULL)
    return;
  for (guint i = 0; i < self->fonts->shared->len; i++)
    {
      gunichar c = g_array_index (self->fonts->shared, gunichar, i);
      if (zi_block_filter_matches (self->block, c))
        g_array_append_val (chars, c);
    }
  for (guint i = 0; i < MIN (chars->len, 1024); i++)
    g_array_append_val (sample, g_array_index (chars, gunichar, (guint64) i * chars->len / MIN (chars->len, 1024)));
  zi_training_panel_set_pair (self->training_panel, self->source_spec, self->target_spec,
                              (const gunichar *) sample->data, sample->len);
}

static void
update_font_buttons (ZiWindow *self)
{
  gtk_menu_button_set_label (self->source_button, self->source_spec);
  gtk_menu_button_set_label (self->target_button, self->target_spec);
}

void
zi_window_set_fonts (ZiWindow *self, const char *source, const char *target)
{
  GSettings *settings;
  g_autoptr(GTask) task = NULL;
  FontLoad *load;

  g_return_if_fail (ZI_IS_WINDOW (self));

  if (source != NULL)
    _zi_window_set_str (&self->source_spec, source);
  if (target != NULL)
    _zi_window_set_str (&self->target_spec, target);
  update_font_buttons (self);

  settings = zi_application_get_settings (ZI_APPLICATION (gtk_window_get_application (GTK_WINDOW (self))));
  if (settings != NULL)
    {
      g_settings_set_string (settings, "source-font", self->source_spec);
      g_settings_set_string (settings, "target-font", self->target_spec);
    }

  g_cancellable_cancel (self->load_cancellable);
  g_clear_object (&self->load_cancellable);
  self->load_cancellable = g_cancellable_new ();
  self->loaded = FALSE;

  zi_glyph_cache_set_fonts (self->cache, self->source_spec, self->target_spec);
  gtk_stack_set_visible_child_name (self->grid_stack, "loading");
  gtk_label_set_label (self->loading_label, _("Opening the fonts…"));
  gtk_spinner_start (self->loading_spinner);

  load = g_new0 (FontLoad, 1);
  load->source_spec = g_strdup (self->source_spec);
  load->target_spec = g_strdup (self->target_spec);
  task = g_task_new (self, self->load_cancellable, font_load_done_cb, NULL);
  g_task_set_source_tag (task, zi_window_set_fonts);
  g_task_set_task_data (task, load, (GDestroyNotify) font_load_free);
  g_task_run_in_thread (task, font_load_thread);
}

const char *
zi_window_get_source_font (ZiWindow *self)
{
  g_return_val_if_fail (ZI_IS_WINDOW (self), NULL);
  return self->source_spec;
}

const char *
zi_window_get_target_font (ZiWindow *self)
{
  g_return_val_if_fail (ZI_IS_WINDOW (self), NULL);
  return self->target_spec;
}

gboolean
zi_window_is_loaded (ZiWindow *self)
{
  g_return_val_if_fail (ZI_IS_WINDOW (self), FALSE);
  return self->loaded;
}

/* ---- The grid's list -------------------------------------------------------------------------- */

/* Parses the search: "U+4E00" (or "u+4e00", "0x4E00") is one code point; anything else is the set of
 * its characters. */
static GArray *
parse_search (const char *query)
{
  GArray *chars = g_array_new (FALSE, FALSE, sizeof (gunichar));
  g_autofree char *q = g_strstrip (g_strdup (query));

  if ((g_ascii_strncasecmp (q, "U+", 2) == 0 || g_ascii_strncasecmp (q, "0x", 2) == 0) && q[2] != '\0')
    {
      char *end = NULL;
      guint64 v = g_ascii_strtoull (q + 2, &end, 16);
      if (end != NULL && *end == '\0' && v < N_CODE_POINTS)
        {
          gunichar c = (gunichar) v;
          g_array_append_val (chars, c);
          return chars;
        }
    }
  if (!g_utf8_validate (q, -1, NULL))
    return chars;
  for (const char *p = q; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);
      if (!g_unichar_isspace (c))
        g_array_append_val (chars, c);
    }
  return chars;
}

static GArray *
filter_base (ZiWindow *self)
{
  switch (self->filter)
    {
    case ZI_FILTER_ALL:
      return g_array_ref (self->fonts->all);
    case ZI_FILTER_SHARED:
      return g_array_ref (self->fonts->shared);
    case ZI_FILTER_MISSING:
      return g_array_ref (self->fonts->missing);
    case ZI_FILTER_VALIDATION:
      return self->val_list != NULL ? g_array_ref (self->val_list) : g_array_new (FALSE, FALSE, sizeof (gunichar));
    case ZI_FILTER_WORST:
      return self->worst != NULL ? g_array_ref (self->worst) : g_array_new (FALSE, FALSE, sizeof (gunichar));
    case ZI_FILTER_PICKED:
      return self->picks != NULL ? zi_picks_get_chars (self->picks) : g_array_new (FALSE, FALSE, sizeof (gunichar));
    default:
      g_assert_not_reached ();
    }
}

void
_zi_window_rebuild_list (ZiWindow *self)
{
  g_autoptr(GArray) base = NULL;
  g_autoptr(GArray) out = g_array_new (FALSE, FALSE, sizeof (gunichar));
  g_autoptr(GArray) wanted = NULL;
  g_autofree char *count = NULL;
  gunichar selected = zi_window_get_selected_char (self);
  int pos;

  if (self->fonts == NULL)
    return;

  base = filter_base (self);
  if (self->search != NULL && self->search[0] != '\0')
    wanted = parse_search (self->search);

  for (guint i = 0; i < base->len; i++)
    {
      gunichar c = g_array_index (base, gunichar, i);
      gboolean keep = zi_block_filter_matches (self->block, c);

      /* The worst-N and picked lists are short and deliberate: do not hide them by block. */
      if (self->filter == ZI_FILTER_WORST || self->filter == ZI_FILTER_PICKED)
        keep = TRUE;
      if (keep && wanted != NULL)
        {
          keep = FALSE;
          for (guint k = 0; k < wanted->len && !keep; k++)
            keep = g_array_index (wanted, gunichar, k) == c;
        }
      if (keep)
        g_array_append_val (out, c);
    }

  zi_char_list_set (self->list, (const gunichar *) out->data, out->len);
  count = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%'u glyph", "%'u glyphs", out->len), out->len);
  gtk_label_set_label (self->count_label, count);

  /* Keep the selection on the same character when it is still listed. */
  pos = selected != 0 ? zi_char_list_find (self->list, selected) : -1;
  if (pos < 0 && wanted != NULL && out->len > 0)
    pos = 0;
  if (pos >= 0)
    gtk_single_selection_set_selected (self->selection, pos);
}

void
zi_window_set_block (ZiWindow *self, const char *block)
{
  ZiBlockFilter b;
  static const struct { const char *id; const char *label; } labels[] = {
    { "cjk", N_("CJK Ideographs") }, { "kana", N_("Kana") }, { "latin", N_("Latin") },
    { "all", N_("All Characters") },
  };

  g_return_if_fail (ZI_IS_WINDOW (self));
  if (!zi_block_filter_from_string (block, &b))
    return;
  self->block = b;
  for (guint i = 0; i < G_N_ELEMENTS (labels); i++)
    if (g_str_equal (labels[i].id, block))
      gtk_menu_button_set_label (self->block_button, _(labels[i].label));
  g_simple_action_set_state (G_SIMPLE_ACTION (g_action_map_lookup_action (G_ACTION_MAP (self), "block")),
                             g_variant_new_string (block));
  _zi_window_rebuild_list (self);
  update_training_pair (self);
}


void
zi_window_set_filter (ZiWindow *self, ZiFilter filter)
{
  g_return_if_fail (ZI_IS_WINDOW (self));
  g_return_if_fail (filter <= ZI_FILTER_PICKED);

  self->filter = filter;
  if (gtk_drop_down_get_selected (self->filter_dropdown) != filter)
    gtk_drop_down_set_selected (self->filter_dropdown, filter);
  if (filter == ZI_FILTER_WORST)
    _zi_window_worst_start (self);
  _zi_window_rebuild_list (self);
}

void
zi_window_set_search (ZiWindow *self, const char *query)
{
  g_return_if_fail (ZI_IS_WINDOW (self));
  _zi_window_set_str (&self->search, query);
  /* Setting the text passes through "" (delete, then insert), which the entry reports at once. */
  self->setting_search = TRUE;
  if (g_strcmp0 (gtk_editable_get_text (GTK_EDITABLE (self->search_entry)), query) != 0)
    gtk_editable_set_text (GTK_EDITABLE (self->search_entry), query != NULL ? query : "");
  self->setting_search = FALSE;
  _zi_window_rebuild_list (self);
}

static void
filter_changed_cb (ZiWindow *self, GParamSpec *pspec, GtkDropDown *dropdown)
{
  guint selected = gtk_drop_down_get_selected (dropdown);
  if (selected != GTK_INVALID_LIST_POSITION && selected != self->filter)
    zi_window_set_filter (self, selected);
}

static void
search_changed_cb (ZiWindow *self, GtkSearchEntry *entry)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (entry));
  if (!self->setting_search && g_strcmp0 (text, self->search) != 0)
    zi_window_set_search (self, text);
}

GListModel *
zi_window_get_grid_model (ZiWindow *self)
{
  g_return_val_if_fail (ZI_IS_WINDOW (self), NULL);
  return G_LIST_MODEL (self->list);
}

gboolean
zi_window_select_char (ZiWindow *self, gunichar c)
{
  int pos;

  g_return_val_if_fail (ZI_IS_WINDOW (self), FALSE);
  pos = zi_char_list_find (self->list, c);
  if (pos < 0)
    return FALSE;
  gtk_single_selection_set_selected (self->selection, pos);
  gtk_widget_activate_action (GTK_WIDGET (self->grid_view), "list.scroll-to-item", "u", (guint) pos);
  return TRUE;
}

gunichar
zi_window_get_selected_char (ZiWindow *self)
{
  guint pos;

  g_return_val_if_fail (ZI_IS_WINDOW (self), 0);
  pos = gtk_single_selection_get_selected (self->selection);
  if (pos == GTK_INVALID_LIST_POSITION || pos >= zi_char_list_get_length (self->list))
    return 0;
  return zi_char_list_get_char (self->list, pos);
}

static void
selection_changed_cb (ZiWindow *self, GParamSpec *pspec, GtkSingleSelection *selection)
{
  guint pos = gtk_single_selection_get_selected (selection);
  guint n = zi_char_list_get_length (self->list);
  g_autoptr(GString) context = g_string_new (NULL);
  gunichar c;

  if (pos == GTK_INVALID_LIST_POSITION || pos >= n)
    {
      zi_glyph_detail_set_char (self->detail, 0, 0, NULL);
      return;
    }
  c = zi_char_list_get_char (self->list, pos);
  /* The sample strip: the glyph among its neighbours in the current list. */
  for (guint i = pos >= CONTEXT_RADIUS ? pos - CONTEXT_RADIUS : 0; i < MIN (n, pos + CONTEXT_RADIUS + 1); i++)
    g_string_append_unichar (context, zi_char_list_get_char (self->list, i));
  zi_glyph_detail_set_char (self->detail, c, _zi_window_state_for (self, c), context->str);
  _zi_window_update_pick_row (self);
}

/* ---- Cells ------------------------------------------------------------------------------------ */

static void
cell_gone_cb (gpointer data, GObject *where_the_object_was)
{
  ZiWindow *self = data;
  g_ptr_array_remove_fast (self->cells, where_the_object_was);
}

static void
setup_cell_cb (ZiWindow *self, GtkListItem *item, GtkSignalListItemFactory *factory)
{
  GtkWidget *cell = zi_glyph_cell_new (self->cache);

  zi_glyph_cell_set_image_size (ZI_GLYPH_CELL (cell), (guint) gtk_adjustment_get_value (self->zoom_adjustment));
  zi_glyph_cell_set_kinds (ZI_GLYPH_CELL (cell), self->kinds, self->n_kinds);
  gtk_list_item_set_child (item, cell);
  /* Cells die with their list items, not always through teardown: track them by weak reference. */
  g_ptr_array_add (self->cells, cell);
  g_object_weak_ref (G_OBJECT (cell), cell_gone_cb, self);
}

static void
bind_cell_cb (ZiWindow *self, GtkListItem *item, GtkSignalListItemFactory *factory)
{
  ZiGlyphItem *glyph = gtk_list_item_get_item (item);
  gunichar c = zi_glyph_item_get_char (glyph);

  zi_glyph_cell_set_char (ZI_GLYPH_CELL (gtk_list_item_get_child (item)), c, _zi_window_state_for (self, c));
}

static void
update_cells (ZiWindow *self)
{
  guint size = (guint) gtk_adjustment_get_value (self->zoom_adjustment);

  for (guint i = 0; i < self->cells->len; i++)
    {
      ZiGlyphCell *cell = g_ptr_array_index (self->cells, i);
      zi_glyph_cell_set_image_size (cell, size);
      zi_glyph_cell_set_kinds (cell, self->kinds, self->n_kinds);
    }
}

/* The marks of the visible cells after the run's split or picks changed; the list stays. */
void
_zi_window_refresh_cell_states (ZiWindow *self)
{
  for (guint i = 0; i < self->cells->len; i++)
    {
      ZiGlyphCell *cell = g_ptr_array_index (self->cells, i);
      gunichar c = zi_glyph_cell_get_char (cell);
      if (c != 0)
        zi_glyph_cell_set_char (cell, c, _zi_window_state_for (self, c));
    }
}

static void
zoom_changed_cb (ZiWindow *self, GtkAdjustment *adjustment)
{
  update_cells (self);
}

static gboolean
grid_scroll_cb (ZiWindow *self, double dx, double dy, GtkEventControllerScroll *controller)
{
  GdkModifierType state = gtk_event_controller_get_current_event_state (GTK_EVENT_CONTROLLER (controller));

  if (!(state & GDK_CONTROL_MASK))
    return FALSE;
  gtk_adjustment_set_value (self->zoom_adjustment,
                            gtk_adjustment_get_value (self->zoom_adjustment) - dy * 8);
  return TRUE;
}

/* ---- Flinging -------------------------------------------------------------------------------- */

/* Faster than this the cells pass by in less than a quarter of a second, less than the glyph worker
 * needs for a screen of new images while training shares the processors: what it rendered would
 * already have scrolled away, and it took a processor from training and drawing. So a fling pauses
 * the cache (which drops what was queued), and the screen it stops on is rendered first.
 * bench-frames, a page per frame through the 20,976 CJK glyphs while training on two cores: 100 to
 * 200 images made instead of 40,000 to 47,000; late frames 59-78 -> 5-14 of 1,013 with the cairo
 * renderer, median frame interval 83 -> 50 ms with GL on llvmpipe. The screen it stops on waits
 * for the grid to stand still: its glyphs were ready 45-135 ms after the grid stopped with GL
 * (110-180 ms behind the backlog before), 87-118 ms with cairo (37-75 before). */
#define FLING_PAGES_PER_SECOND 4.0
/* The speed is measured over this time. */
#define FLING_SAMPLE_US (100 * 1000)
/* The grid stands still after this long without a move (three frames), and only if it did not
 * move since the last frame: on a busy machine frames come further apart than this while a fling
 * still moves the grid every frame. */
#define FLING_STILL_US (50 * 1000)

static gboolean
scroll_tick_cb (GtkWidget *widget, GdkFrameClock *clock, gpointer data)
{
  ZiWindow *self = data;
  GtkAdjustment *adj = self->grid_vadjustment;
  gint64 now = gdk_frame_clock_get_frame_time (clock);
  double value = gtk_adjustment_get_value (adj), page = gtk_adjustment_get_page_size (adj);

  gboolean moved = self->scroll_moved_since_tick;

  self->scroll_moved_since_tick = FALSE;
  if (!moved && g_get_monotonic_time () - self->scroll_moved_us > FLING_STILL_US)
    {
      zi_glyph_cache_set_paused (self->cache, FALSE);
      self->scroll_tick_id = 0;
      return G_SOURCE_REMOVE;
    }
  if (self->scroll_sample_us == 0)
    {
      self->scroll_sample_us = now;
      self->scroll_sample_value = value;
    }
  else if (now - self->scroll_sample_us >= FLING_SAMPLE_US && page > 0)
    {
      double pages_per_second = fabs (value - self->scroll_sample_value) / page
                                / ((now - self->scroll_sample_us) / (double) G_USEC_PER_SEC);

      zi_glyph_cache_set_paused (self->cache, pages_per_second > FLING_PAGES_PER_SECOND);
      self->scroll_sample_us = now;
      self->scroll_sample_value = value;
    }
  return G_SOURCE_CONTINUE;
}

/* The grid moved: watch its speed every frame until it stands still. A single jump (scrolling to a
 * selected glyph) starts the first sample after the jump, so it never counts as a fling. */
static void
grid_moved_cb (ZiWindow *self, GtkAdjustment *adjustment)
{
  self->scroll_moved_us = g_get_monotonic_time ();
  self->scroll_moved_since_tick = TRUE;
  if (self->scroll_tick_id == 0)
    {
      self->scroll_sample_us = 0;
      self->scroll_tick_id = gtk_widget_add_tick_callback (GTK_WIDGET (self->grid_view), scroll_tick_cb, self,
                                                           NULL);
    }
}

void
_zi_window_set_kinds (ZiWindow *self, guint n_models)
{
  self->n_kinds = 0;
  self->kinds[self->n_kinds++] = ZI_GLYPH_SOURCE;
  /* When comparing checkpoints the target column comes last, as the reference to look at. */
  if (!self->comparing)
    self->kinds[self->n_kinds++] = ZI_GLYPH_TARGET;
  for (guint i = 0; i < n_models; i++)
    self->kinds[self->n_kinds++] = ZI_GLYPH_GENERATED + i;
  if (self->comparing)
    self->kinds[self->n_kinds++] = ZI_GLYPH_TARGET;
  update_cells (self);
}

void
zi_window_compare_checkpoints (ZiWindow *self, const char * const *checkpoints)
{
  const char *fallback[2] = { NULL, NULL };
  guint n;

  g_return_if_fail (ZI_IS_WINDOW (self));

  n = checkpoints != NULL ? g_strv_length ((char **) checkpoints) : 0;
  self->comparing = n >= 2;
  if (n == 0)
    {
      fallback[0] = zi_training_panel_get_default_checkpoint (self->training_panel);
      checkpoints = fallback;
      n = fallback[0] != NULL ? 1 : 0;
    }
  n = MIN (n, ZI_GLYPH_CACHE_MAX_MODELS);
  zi_glyph_cache_set_models (self->cache, n > 0 ? checkpoints : NULL);
  _zi_window_set_kinds (self, n);
  _zi_window_update_pick_menu (self, checkpoints, n);
  g_clear_pointer (&self->worst, g_array_unref);
  if (self->filter == ZI_FILTER_WORST)
    _zi_window_worst_start (self);
}

/* ---- The training panel ----------------------------------------------------------------------- */


void
_zi_window_update_actions (ZiWindow *self)
{
  ZiTrainerState state = zi_training_panel_get_state (self->training_panel);
  gboolean idle = state == ZI_TRAINER_STATE_IDLE;
  const char * const *cps = zi_training_panel_get_checkpoints (self->training_panel);
  gboolean has_model = cps != NULL && cps[0] != NULL;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.train", idle && self->fonts != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.pause",
                                 state == ZI_TRAINER_STATE_RUNNING || state == ZI_TRAINER_STATE_LOADING);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.resume", state == ZI_TRAINER_STATE_PAUSED);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.stop",
                                 !idle && state != ZI_TRAINER_STATE_STOPPING);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.export", has_model && self->fonts != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.open-run", idle);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.new-run", idle);
  gtk_widget_set_visible (self->pause_button, state != ZI_TRAINER_STATE_PAUSED);
  gtk_widget_set_visible (self->resume_button, state == ZI_TRAINER_STATE_PAUSED);
}

static void
panel_state_changed_cb (ZiWindow *self, ZiTrainingPanel *panel)
{
  /* The trainer writes run.json when it starts: pick up the validation split for the grid marks. */
  if (zi_training_panel_get_state (panel) == ZI_TRAINER_STATE_RUNNING && self->val_chars == NULL)
    {
      _zi_window_refresh_run_info (self);
    }
  _zi_window_update_actions (self);
}

static void
panel_checkpoints_changed_cb (ZiWindow *self, ZiTrainingPanel *panel)
{
  if (!self->comparing)
    zi_window_compare_checkpoints (self, NULL);
  _zi_window_update_actions (self);
}

static void
panel_compare_cb (ZiWindow *self, ZiTrainingPanel *panel)
{
  g_auto(GStrv) selected = zi_training_panel_get_selected_checkpoints (panel);

  zi_window_compare_checkpoints (self, (const char * const *) selected);
  zi_window_show_page (self, "glyphs");
}

static void
panel_failed_cb (ZiWindow *self, const char *message, ZiTrainingPanel *panel)
{
  _zi_window_show_error (self, message);
}

/* ---- Accessors -------------------------------------------------------------------------------- */

void
zi_window_show_page (ZiWindow *self, const char *name)
{
  g_return_if_fail (ZI_IS_WINDOW (self));
  gtk_stack_set_visible_child_name (self->main_stack, name);
}

GtkWidget *
zi_window_get_detail (ZiWindow *self)
{
  g_return_val_if_fail (ZI_IS_WINDOW (self), NULL);
  return GTK_WIDGET (self->detail);
}

ZiTrainingPanel *
zi_window_get_training_panel (ZiWindow *self)
{
  g_return_val_if_fail (ZI_IS_WINDOW (self), NULL);
  return self->training_panel;
}

ZiGlyphCache *
zi_window_get_cache (ZiWindow *self)
{
  g_return_val_if_fail (ZI_IS_WINDOW (self), NULL);
  return self->cache;
}

/* ---- Life cycle ------------------------------------------------------------------------------- */

static gboolean
zi_window_close_request (GtkWindow *window)
{
  ZiWindow *self = ZI_WINDOW (window);
  GSettings *settings = zi_application_get_settings (ZI_APPLICATION (gtk_window_get_application (window)));

  if (settings != NULL)
    {
      int width, height;
      gtk_window_get_default_size (window, &width, &height);
      g_settings_set_int (settings, "window-width", width);
      g_settings_set_int (settings, "window-height", height);
      g_settings_set_boolean (settings, "window-maximized", gtk_window_is_maximized (window));
    }
  /* Stopping writes a final checkpoint; the panel's dispose waits for it. */
  zi_training_panel_stop (self->training_panel);
  return GTK_WINDOW_CLASS (zi_window_parent_class)->close_request (window);
}

/* Restores size, fonts and (when the Preferences say so) the last run from the settings, or the
 * defaults when there are none. */
static void
load_state (ZiWindow *self)
{
  GtkApplication *app = gtk_window_get_application (GTK_WINDOW (self));
  GSettings *settings = app != NULL ? zi_application_get_settings (ZI_APPLICATION (app)) : NULL;
  g_autofree char *source = NULL;
  g_autofree char *target = NULL;
  g_autofree char *last_run = NULL;

  if (settings != NULL)
    {
      gtk_window_set_default_size (GTK_WINDOW (self), g_settings_get_int (settings, "window-width"),
                                   g_settings_get_int (settings, "window-height"));
      if (g_settings_get_boolean (settings, "window-maximized"))
        gtk_window_maximize (GTK_WINDOW (self));
      source = g_settings_get_string (settings, "source-font");
      target = g_settings_get_string (settings, "target-font");
      if (g_settings_get_boolean (settings, "reopen-last-run"))
        last_run = g_settings_get_string (settings, "last-run");
    }
  zi_training_panel_set_settings (self->training_panel, settings);
  zi_window_set_fonts (self, source != NULL && *source ? source : "Noto Sans CJK TC",
                       target != NULL && *target ? target : "Zen Maru Gothic");
  /* The last run comes back when it still exists; a vanished one is silently forgotten. */
  if (last_run != NULL && *last_run != '\0' && g_file_test (last_run, G_FILE_TEST_IS_DIR))
    zi_window_open_run (self, last_run, NULL);
}

static void
zi_window_dispose (GObject *object)
{
  ZiWindow *self = ZI_WINDOW (object);

  for (guint i = 0; i < self->cells->len; i++)
    g_object_weak_unref (g_ptr_array_index (self->cells, i), cell_gone_cb, self);
  g_ptr_array_set_size (self->cells, 0);
  /* The grid outlives this dispose for a moment, and may still move while it goes. */
  g_clear_signal_handler (&self->grid_moved_id, self->grid_vadjustment);
  g_clear_object (&self->grid_vadjustment);
  if (self->scroll_tick_id != 0)
    {
      gtk_widget_remove_tick_callback (GTK_WIDGET (self->grid_view), self->scroll_tick_id);
      self->scroll_tick_id = 0;
    }
  g_cancellable_cancel (self->load_cancellable);
  g_clear_object (&self->load_cancellable);
  g_cancellable_cancel (self->worst_cancellable);
  g_clear_object (&self->worst_cancellable);
  g_clear_object (&self->selection);
  g_clear_object (&self->list);
  g_clear_object (&self->cache);
  G_OBJECT_CLASS (zi_window_parent_class)->dispose (object);
}

static void
zi_window_finalize (GObject *object)
{
  ZiWindow *self = ZI_WINDOW (object);

  font_load_free (self->fonts);
  g_free (self->source_spec);
  g_free (self->target_spec);
  g_free (self->search);
  g_free (self->error);
  g_ptr_array_unref (self->cells);
  g_clear_pointer (&self->val_chars, g_hash_table_unref);
  g_clear_pointer (&self->train_chars, g_hash_table_unref);
  g_clear_pointer (&self->val_list, g_array_unref);
  g_clear_pointer (&self->worst, g_array_unref);
  g_clear_pointer (&self->picks, zi_picks_free);
  G_OBJECT_CLASS (zi_window_parent_class)->finalize (object);
}

static void
zi_window_class_init (ZiWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = zi_window_dispose;
  object_class->finalize = zi_window_finalize;
  window_class->close_request = zi_window_close_request;

  g_type_ensure (ZI_TYPE_GLYPH_DETAIL);
  g_type_ensure (ZI_TYPE_TRAINING_PANEL);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/zi-window.ui");
  gtk_widget_class_bind_template_child (widget_class, ZiWindow, header_bar);
  gtk_widget_class_bind_template_child (widget_class, ZiWindow, source_button);
  gtk_widget_class_bind_template_child (widget_class, ZiWindow, target_button);
  gtk_widget_class_bind_template_child (widget_class, ZiWindow, block_button);
  gtk_widget_class_bind_template_child (widget_class, ZiWindow, search_entry);
  gtk_widget_class_bind_template_child (widget_class, ZiWindow, train_button);
  gtk_widget_class_bind_template_child (widget_class, ZiWindow, pause_button);
  gtk_widget_class_bind_template_child (widget_class, ZiWindow, resume_button);
  gtk_widget_class_bind_template_child (widget_class, ZiWindow, stop_button);
  gtk_widget_class_bind_template_child (widget_class, ZiWindow, error_revealer);
  gtk_widget_class_bind_template_child (widget_class, ZiWindow, error_label);
  gtk_widget_class_bind_template_child (widget_class, ZiWindow, main_stack);
  gtk_widget_class_bind_template_child (widget_class, ZiWindow, filter_dropdown);
  gtk_widget_class_bind_template_child (widget_class, ZiWindow, count_label);
  gtk_widget_class_bind_template_child (widget_class, ZiWindow, zoom_adjustment);
  gtk_widget_class_bind_template_child (widget_class, ZiWindow, grid_stack);
  gtk_widget_class_bind_template_child (widget_class, ZiWindow, loading_spinner);
  gtk_widget_class_bind_template_child (widget_class, ZiWindow, loading_label);
  gtk_widget_class_bind_template_child (widget_class, ZiWindow, grid_view);
  gtk_widget_class_bind_template_child (widget_class, ZiWindow, detail);
  gtk_widget_class_bind_template_child (widget_class, ZiWindow, training_panel);

  _zi_window_class_add_actions (widget_class);
}

static void
zi_window_init (ZiWindow *self)
{
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
  GtkEventController *scroll = gtk_event_controller_scroll_new (GTK_EVENT_CONTROLLER_SCROLL_VERTICAL);

  gtk_widget_init_template (GTK_WIDGET (self));
  if (DEVELOPMENT_PROFILE)
    gtk_widget_add_css_class (GTK_WIDGET (self), "devel");

  _zi_window_add_action_entries (self);

  self->block = ZI_BLOCK_CJK;
  self->filter = ZI_FILTER_ALL;
  self->cells = g_ptr_array_new ();
  self->cache = zi_glyph_cache_new ();
  self->list = zi_char_list_new ();
  self->selection = gtk_single_selection_new (G_LIST_MODEL (g_object_ref (self->list)));
  gtk_single_selection_set_autoselect (self->selection, FALSE);
  gtk_single_selection_set_can_unselect (self->selection, TRUE);
  _zi_window_set_kinds (self, 0);
  gtk_menu_button_set_label (self->block_button, _("CJK Ideographs"));

  g_signal_connect_swapped (factory, "setup", G_CALLBACK (setup_cell_cb), self);
  g_signal_connect_swapped (factory, "bind", G_CALLBACK (bind_cell_cb), self);
  gtk_grid_view_set_factory (self->grid_view, factory);
  g_object_unref (factory);
  gtk_grid_view_set_model (self->grid_view, GTK_SELECTION_MODEL (self->selection));

  zi_glyph_detail_set_cache (self->detail, self->cache);

  g_signal_connect_swapped (self->selection, "notify::selected", G_CALLBACK (selection_changed_cb), self);
  g_signal_connect_swapped (self->filter_dropdown, "notify::selected", G_CALLBACK (filter_changed_cb), self);
  g_signal_connect_swapped (self->search_entry, "search-changed", G_CALLBACK (search_changed_cb), self);
  g_signal_connect_swapped (self->zoom_adjustment, "value-changed", G_CALLBACK (zoom_changed_cb), self);
  gtk_event_controller_set_propagation_phase (scroll, GTK_PHASE_CAPTURE);
  g_signal_connect_swapped (scroll, "scroll", G_CALLBACK (grid_scroll_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self->grid_view), scroll);
  self->grid_vadjustment = g_object_ref (gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (self->grid_view)));
  self->grid_moved_id = g_signal_connect_swapped (self->grid_vadjustment, "value-changed",
                                                  G_CALLBACK (grid_moved_cb), self);

  g_signal_connect_swapped (self->training_panel, "state-changed", G_CALLBACK (panel_state_changed_cb), self);
  g_signal_connect_swapped (self->training_panel, "checkpoints-changed",
                            G_CALLBACK (panel_checkpoints_changed_cb), self);
  g_signal_connect_swapped (self->training_panel, "compare-requested", G_CALLBACK (panel_compare_cb), self);
  g_signal_connect_swapped (self->training_panel, "failed", G_CALLBACK (panel_failed_cb), self);

  _zi_window_update_actions (self);
}

ZiWindow *
zi_window_new (ZiApplication *application)
{
  ZiWindow *self;

  g_return_val_if_fail (ZI_IS_APPLICATION (application), NULL);
  self = g_object_new (ZI_TYPE_WINDOW, "application", application, NULL);
  load_state (self);
  return self;
}
