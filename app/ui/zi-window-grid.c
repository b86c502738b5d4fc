/* zi-window-grid.c — the window's glyph grid: its list (block, filter and search), the selection and
 * the detail pane's sample strip, the cells and their zoom, and the fling detector that pauses the
 * glyph cache while the grid flies past (see zi-window-grid.h). */
#include "config.h"
#include "zi-window-grid.h"

#include "zi-char-list.h"

#include <glib/gi18n.h>
#include <math.h>

#define CONTEXT_RADIUS 4
#define N_CODE_POINTS 0x110000

struct _ZiWindowGrid
{
  ZiWindowGridWidgets    w;
  ZiWindowGridCallbacks  cb;
  gpointer               owner;
  ZiGlyphCache          *cache;

  ZiBlockFilter          block;
  ZiFilter               filter;
  char                  *search;
  gboolean               setting_search;  /* ignore the entry's own signal while we set its text */

  ZiCharList            *list;
  GtkSingleSelection    *selection;
  GPtrArray             *cells;           /* live ZiGlyphCell, not owned */
  ZiGlyphKind            kinds[2 + ZI_GLYPH_CACHE_MAX_MODELS];
  guint                  n_kinds;

  /* Fling detection: the grid's position sampled by a tick callback while it moves. */
  GtkAdjustment         *grid_vadjustment;
  gulong                 grid_moved_id;
  guint                  scroll_tick_id;
  gint64                 scroll_moved_us;    /* monotonic time of the last position change */
  gboolean               scroll_moved_since_tick;
  gint64                 scroll_sample_us;   /* frame time of the last speed sample, 0 none */
  double                 scroll_sample_value;
};

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

void
zi_window_grid_rebuild (ZiWindowGrid *self)
{
  g_autoptr(GArray) base = NULL;
  g_autoptr(GArray) out = g_array_new (FALSE, FALSE, sizeof (gunichar));
  g_autoptr(GArray) wanted = NULL;
  g_autofree char *count = NULL;
  gunichar selected = zi_window_grid_get_selected_char (self);
  int pos;

  g_return_if_fail (self != NULL);
  base = self->cb.filter_chars (self->owner, self->filter);
  if (base == NULL)
    return;
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
  gtk_label_set_label (self->w.count_label, count);

  /* Keep the selection on the same character when it is still listed. */
  pos = selected != 0 ? zi_char_list_find (self->list, selected) : -1;
  if (pos < 0 && wanted != NULL && out->len > 0)
    pos = 0;
  if (pos >= 0)
    gtk_single_selection_set_selected (self->selection, pos);
}

void
zi_window_grid_set_block (ZiWindowGrid *self, const char *block)
{
  ZiBlockFilter b;
  static const struct { const char *id; const char *label; } labels[] = {
    { "cjk", N_("CJK Ideographs") }, { "kana", N_("Kana") }, { "latin", N_("Latin") },
    { "all", N_("All Characters") },
  };

  g_return_if_fail (self != NULL);
  if (!zi_block_filter_from_string (block, &b))
    return;
  self->block = b;
  for (guint i = 0; i < G_N_ELEMENTS (labels); i++)
    if (g_str_equal (labels[i].id, block))
      gtk_menu_button_set_label (self->w.block_button, _(labels[i].label));
  g_simple_action_set_state (G_SIMPLE_ACTION (g_action_map_lookup_action (self->w.actions, "block")),
                             g_variant_new_string (block));
  zi_window_grid_rebuild (self);
  self->cb.block_changed (self->owner);
}

static void
block_action (GSimpleAction *action, GVariant *value, gpointer user_data)
{
  zi_window_grid_set_block (user_data, g_variant_get_string (value, NULL));
}

ZiBlockFilter
zi_window_grid_get_block (ZiWindowGrid *self)
{
  g_return_val_if_fail (self != NULL, ZI_BLOCK_CJK);
  return self->block;
}

void
zi_window_grid_set_filter (ZiWindowGrid *self, ZiFilter filter)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (filter <= ZI_FILTER_PICKED);

  self->filter = filter;
  if (gtk_drop_down_get_selected (self->w.filter_dropdown) != filter)
    gtk_drop_down_set_selected (self->w.filter_dropdown, filter);
}

ZiFilter
zi_window_grid_get_filter (ZiWindowGrid *self)
{
  g_return_val_if_fail (self != NULL, ZI_FILTER_ALL);
  return self->filter;
}

void
zi_window_grid_set_search (ZiWindowGrid *self, const char *query)
{
  g_return_if_fail (self != NULL);
  g_free (self->search);
  self->search = g_strdup (query);
  /* Setting the text passes through "" (delete, then insert), which the entry reports at once. */
  self->setting_search = TRUE;
  if (g_strcmp0 (gtk_editable_get_text (GTK_EDITABLE (self->w.search_entry)), query) != 0)
    gtk_editable_set_text (GTK_EDITABLE (self->w.search_entry), query != NULL ? query : "");
  self->setting_search = FALSE;
  zi_window_grid_rebuild (self);
}

static void
filter_changed_cb (ZiWindowGrid *self, GParamSpec *pspec, GtkDropDown *dropdown)
{
  guint selected = gtk_drop_down_get_selected (dropdown);
  if (selected != GTK_INVALID_LIST_POSITION && selected != self->filter)
    self->cb.filter_chosen (self->owner, selected);
}

static void
search_changed_cb (ZiWindowGrid *self, GtkSearchEntry *entry)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (entry));
  if (!self->setting_search && g_strcmp0 (text, self->search) != 0)
    zi_window_grid_set_search (self, text);
}

GListModel *
zi_window_grid_get_model (ZiWindowGrid *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return G_LIST_MODEL (self->list);
}

gboolean
zi_window_grid_select_char (ZiWindowGrid *self, gunichar c)
{
  int pos;

  g_return_val_if_fail (self != NULL, FALSE);
  pos = zi_char_list_find (self->list, c);
  if (pos < 0)
    return FALSE;
  gtk_single_selection_set_selected (self->selection, pos);
  gtk_widget_activate_action (GTK_WIDGET (self->w.grid_view), "list.scroll-to-item", "u", (guint) pos);
  return TRUE;
}

gunichar
zi_window_grid_get_selected_char (ZiWindowGrid *self)
{
  guint pos;

  g_return_val_if_fail (self != NULL, 0);
  pos = gtk_single_selection_get_selected (self->selection);
  if (pos == GTK_INVALID_LIST_POSITION || pos >= zi_char_list_get_length (self->list))
    return 0;
  return zi_char_list_get_char (self->list, pos);
}

static void
selection_changed_cb (ZiWindowGrid *self, GParamSpec *pspec, GtkSingleSelection *selection)
{
  guint pos = gtk_single_selection_get_selected (selection);
  guint n = zi_char_list_get_length (self->list);
  g_autoptr(GString) context = g_string_new (NULL);
  gunichar c;

  if (pos == GTK_INVALID_LIST_POSITION || pos >= n)
    {
      self->cb.selected (self->owner, 0, NULL);
      return;
    }
  c = zi_char_list_get_char (self->list, pos);
  /* The sample strip: the glyph among its neighbours in the current list. */
  for (guint i = pos >= CONTEXT_RADIUS ? pos - CONTEXT_RADIUS : 0; i < MIN (n, pos + CONTEXT_RADIUS + 1); i++)
    g_string_append_unichar (context, zi_char_list_get_char (self->list, i));
  self->cb.selected (self->owner, c, context->str);
}

/* ---- Cells ------------------------------------------------------------------------------------ */

static void
cell_gone_cb (gpointer data, GObject *where_the_object_was)
{
  ZiWindowGrid *self = data;
  g_ptr_array_remove_fast (self->cells, where_the_object_was);
}

static void
setup_cell_cb (ZiWindowGrid *self, GtkListItem *item, GtkSignalListItemFactory *factory)
{
  GtkWidget *cell = zi_glyph_cell_new (self->cache);

  zi_glyph_cell_set_image_size (ZI_GLYPH_CELL (cell), (guint) gtk_adjustment_get_value (self->w.zoom_adjustment));
  zi_glyph_cell_set_kinds (ZI_GLYPH_CELL (cell), self->kinds, self->n_kinds);
  gtk_list_item_set_child (item, cell);
  /* Cells die with their list items, not always through teardown: track them by weak reference. */
  g_ptr_array_add (self->cells, cell);
  g_object_weak_ref (G_OBJECT (cell), cell_gone_cb, self);
}

static void
bind_cell_cb (ZiWindowGrid *self, GtkListItem *item, GtkSignalListItemFactory *factory)
{
  ZiGlyphItem *glyph = gtk_list_item_get_item (item);
  gunichar c = zi_glyph_item_get_char (glyph);

  zi_glyph_cell_set_char (ZI_GLYPH_CELL (gtk_list_item_get_child (item)), c, self->cb.state_for (self->owner, c));
}

static void
update_cells (ZiWindowGrid *self)
{
  guint size = (guint) gtk_adjustment_get_value (self->w.zoom_adjustment);

  for (guint i = 0; i < self->cells->len; i++)
    {
      ZiGlyphCell *cell = g_ptr_array_index (self->cells, i);
      zi_glyph_cell_set_image_size (cell, size);
      zi_glyph_cell_set_kinds (cell, self->kinds, self->n_kinds);
    }
}

void
zi_window_grid_set_kinds (ZiWindowGrid *self, guint n_models, gboolean comparing)
{
  g_return_if_fail (self != NULL);
  self->n_kinds = 0;
  self->kinds[self->n_kinds++] = ZI_GLYPH_SOURCE;
  /* When comparing checkpoints the target column comes last, as the reference to look at. */
  if (!comparing)
    self->kinds[self->n_kinds++] = ZI_GLYPH_TARGET;
  for (guint i = 0; i < n_models; i++)
    self->kinds[self->n_kinds++] = ZI_GLYPH_GENERATED + i;
  if (comparing)
    self->kinds[self->n_kinds++] = ZI_GLYPH_TARGET;
  update_cells (self);
}

void
zi_window_grid_refresh_cell_states (ZiWindowGrid *self)
{
  g_return_if_fail (self != NULL);
  for (guint i = 0; i < self->cells->len; i++)
    {
      ZiGlyphCell *cell = g_ptr_array_index (self->cells, i);
      gunichar c = zi_glyph_cell_get_char (cell);
      if (c != 0)
        zi_glyph_cell_set_char (cell, c, self->cb.state_for (self->owner, c));
    }
}

static void
zoom_changed_cb (ZiWindowGrid *self, GtkAdjustment *adjustment)
{
  update_cells (self);
}

void
zi_window_grid_zoom (ZiWindowGrid *self, double step)
{
  g_return_if_fail (self != NULL);
  gtk_adjustment_set_value (self->w.zoom_adjustment, gtk_adjustment_get_value (self->w.zoom_adjustment) + step);
}

static gboolean
grid_scroll_cb (ZiWindowGrid *self, double dx, double dy, GtkEventControllerScroll *controller)
{
  GdkModifierType state = gtk_event_controller_get_current_event_state (GTK_EVENT_CONTROLLER (controller));

  if (!(state & GDK_CONTROL_MASK))
    return FALSE;
  zi_window_grid_zoom (self, -dy * 8);
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
  ZiWindowGrid *self = data;
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
grid_moved_cb (ZiWindowGrid *self, GtkAdjustment *adjustment)
{
  self->scroll_moved_us = g_get_monotonic_time ();
  self->scroll_moved_since_tick = TRUE;
  if (self->scroll_tick_id == 0)
    {
      self->scroll_sample_us = 0;
      self->scroll_tick_id = gtk_widget_add_tick_callback (GTK_WIDGET (self->w.grid_view), scroll_tick_cb, self,
                                                           NULL);
    }
}

/* ---- Set-up and teardown --------------------------------------------------------------------- */

ZiWindowGrid *
zi_window_grid_new (const ZiWindowGridWidgets *widgets, ZiGlyphCache *cache,
                    const ZiWindowGridCallbacks *callbacks, gpointer owner)
{
  ZiWindowGrid *self;
  GtkListItemFactory *factory;
  GtkEventController *scroll;
  static const GActionEntry entries[] = {
    { .name = "block", .parameter_type = "s", .state = "'cjk'", .change_state = block_action },
  };

  g_return_val_if_fail (widgets != NULL && callbacks != NULL, NULL);
  g_return_val_if_fail (ZI_IS_GLYPH_CACHE (cache), NULL);

  self = g_new0 (ZiWindowGrid, 1);
  self->w = *widgets;
  self->cb = *callbacks;
  self->owner = owner;
  self->cache = cache;
  factory = gtk_signal_list_item_factory_new ();
  scroll = gtk_event_controller_scroll_new (GTK_EVENT_CONTROLLER_SCROLL_VERTICAL);
  self->block = ZI_BLOCK_CJK;
  self->filter = ZI_FILTER_ALL;
  self->cells = g_ptr_array_new ();
  self->list = zi_char_list_new ();
  self->selection = gtk_single_selection_new (G_LIST_MODEL (g_object_ref (self->list)));
  gtk_single_selection_set_autoselect (self->selection, FALSE);
  gtk_single_selection_set_can_unselect (self->selection, TRUE);
  zi_window_grid_set_kinds (self, 0, FALSE);
  g_action_map_add_action_entries (self->w.actions, entries, G_N_ELEMENTS (entries), self);
  gtk_menu_button_set_label (self->w.block_button, _("CJK Ideographs"));

  g_signal_connect_swapped (factory, "setup", G_CALLBACK (setup_cell_cb), self);
  g_signal_connect_swapped (factory, "bind", G_CALLBACK (bind_cell_cb), self);
  gtk_grid_view_set_factory (self->w.grid_view, factory);
  g_object_unref (factory);
  gtk_grid_view_set_model (self->w.grid_view, GTK_SELECTION_MODEL (self->selection));

  g_signal_connect_swapped (self->selection, "notify::selected", G_CALLBACK (selection_changed_cb), self);
  g_signal_connect_swapped (self->w.filter_dropdown, "notify::selected", G_CALLBACK (filter_changed_cb), self);
  g_signal_connect_swapped (self->w.search_entry, "search-changed", G_CALLBACK (search_changed_cb), self);
  g_signal_connect_swapped (self->w.zoom_adjustment, "value-changed", G_CALLBACK (zoom_changed_cb), self);
  gtk_event_controller_set_propagation_phase (scroll, GTK_PHASE_CAPTURE);
  g_signal_connect_swapped (scroll, "scroll", G_CALLBACK (grid_scroll_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self->w.grid_view), scroll);
  self->grid_vadjustment = g_object_ref (gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (self->w.grid_view)));
  self->grid_moved_id = g_signal_connect_swapped (self->grid_vadjustment, "value-changed",
                                                  G_CALLBACK (grid_moved_cb), self);
  return self;
}

void
zi_window_grid_dispose (ZiWindowGrid *self)
{
  g_return_if_fail (self != NULL);
  for (guint i = 0; i < self->cells->len; i++)
    g_object_weak_unref (g_ptr_array_index (self->cells, i), cell_gone_cb, self);
  g_ptr_array_set_size (self->cells, 0);
  /* The grid outlives this dispose for a moment, and may still move while it goes. */
  g_clear_signal_handler (&self->grid_moved_id, self->grid_vadjustment);
  g_clear_object (&self->grid_vadjustment);
  if (self->scroll_tick_id != 0)
    {
      gtk_widget_remove_tick_callback (GTK_WIDGET (self->w.grid_view), self->scroll_tick_id);
      self->scroll_tick_id = 0;
    }
  g_clear_object (&self->selection);
  g_clear_object (&self->list);
}

void
zi_window_grid_free (ZiWindowGrid *self)
{
  if (self == NULL)
    return;
  g_free (self->search);
  g_ptr_array_unref (self->cells);
  g_free (self);
}
