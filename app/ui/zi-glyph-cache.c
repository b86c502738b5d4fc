/* zi-glyph-cache.c — glyph images and outlines for the window, rendered, generated and traced on one
 * worker thread.
 *
 * The main thread owns the store (a hash table plus an LRU queue) and never touches a font; the worker
 * owns its own ZiFont copies and ZiModels (FreeType faces and models are never shared between threads).
 * They meet in a small request stack and a result list under one mutex. Results carry the generation
 * number of the configuration they were made for, so a font change discards work already in flight.
 *
 * A generated glyph is kept at the model's size under its own key (size 0), its coverage and the
 * model's raw output: a request for another display size or for its outline takes them along, so the
 * worker scales or traces without running the model again. */
#include "config.h"
#include "zi-glyph-cache.h"

#include "zi-glyph-cache-worker.h"

/* The store holds a few screens of cells at the largest zoom; the request stack only what was asked
 * for recently, since a cell that scrolled away and back asks again. */
#define MAX_ENTRIES   3000
#define MAX_REQUESTS  800
#define GEN_BATCH     16
typedef struct {
  guint64         key;
  GdkTexture     *texture;
  GBytes         *coverage;  /* generated kinds: at the model's size */
  GBytes         *raw;       /* generated kinds: the model's own output */
  ZiGlyphOutline *outline;
  gboolean        missing;
  GList           lru_link;  /* data = the entry */
} Entry;

struct _ZiGlyphCache
{
  GObject      parent_instance;

  /* Main thread only. */
  GHashTable  *entries;   /* guint64* → Entry* */
  GQueue       lru;       /* most recent first */
  guint        n_models;
  gboolean     paused;    /* lookups queue nothing (the grid is flinging) */

  /* Shared with the worker, under lock. */
  GMutex       lock;
  GCond        cond;
  GThread     *thread;
  gboolean     quit;
  guint        generation;
  gboolean     config_dirty;
  char        *source_spec;
  char        *target_spec;
  GStrv        checkpoints;
  gboolean     parallel;  /* the one model runs on a second core too */
  /* What the models draw: the style of this embedding index, or with weight > 0 that weight class
   * (zi_model_set_style / zi_model_set_weight). style_dirty: the worker has yet to tell its models. */
  guint        style;
  double       weight;
  gboolean     style_dirty;
  GQueue       requests;  /* of Request */
  GHashTable  *pending;   /* keys queued or in progress */
  GList       *results;
  guint        idle_id;
  guint64      renders;
};

G_DEFINE_FINAL_TYPE (ZiGlyphCache, zi_glyph_cache, G_TYPE_OBJECT)

enum { CHANGED, N_SIGNALS };
static guint signals[N_SIGNALS];
static GQuark ready_quark, cleared_quark;

static void
entry_free (Entry *e)
{
  g_clear_object (&e->texture);
  g_clear_pointer (&e->coverage, g_bytes_unref);
  g_clear_pointer (&e->raw, g_bytes_unref);
  g_clear_pointer (&e->outline, zi_glyph_outline_free);
  g_free (e);
}

/* ---- Worker thread ---------------------------------------------------------------------------- */

static gboolean deliver_cb (gpointer user_data);

static void
worker_reload (ZiGlyphCache *self, WorkerState *ws)
{
  g_autofree char *source = g_strdup (self->source_spec);
  g_autofree char *target = g_strdup (self->target_spec);
  g_auto(GStrv) checkpoints = g_strdupv (self->checkpoints);
  gboolean parallel = self->parallel;

  self->config_dirty = FALSE;
  g_mutex_unlock (&self->lock);

  zi_glyph_worker_clear (ws);
  if (source != NULL)
    ws->source = zi_font_open (source, NULL);
  if (target != NULL)
    ws->target = zi_font_open (target, NULL);
  /* A checkpoint that fails to load shows as "nothing generated"; the window reports the error when
   * it lists the checkpoints. */
  zi_glyph_worker_load_models (ws, (const char * const *) checkpoints, parallel);

  g_mutex_lock (&self->lock);
  self->style_dirty = TRUE;
}

/* Tells the worker's models which style (or weight) to draw; called with the lock held, which it
 * drops while the models change. A weight the model cannot draw leaves it drawing its first style,
 * and the window offers only weights within the trained range. */
static void
worker_apply_style (ZiGlyphCache *self, WorkerState *ws)
{
  guint style = self->style;
  double weight = self->weight;

  self->style_dirty = FALSE;
  g_mutex_unlock (&self->lock);
  zi_glyph_worker_set_style (ws, style, weight);
  g_mutex_lock (&self->lock);
}

static gpointer
worker_main (gpointer data)
{
  ZiGlyphCache *self = data;
  WorkerState ws = { 0 };

  ws.placements = g_hash_table_new_full (NULL, NULL, NULL, g_free);
  g_mutex_lock (&self->lock);
  while (!self->quit)
    {
      Request *reqs[GEN_BATCH];
      guint n = 0, generation;
      GList *made = NULL;

      if (self->config_dirty)
        {
          worker_reload (self, &ws);
          continue;
        }
      if (self->style_dirty)
        {
          worker_apply_style (self, &ws);
          continue;
        }
      if (g_queue_is_empty (&self->requests))
        {
          zi_glyph_worker_idle (&ws);
          g_cond_wait (&self->cond, &self->lock);
          continue;
        }

      /* Newest first: the cells on screen now asked last. */
      reqs[n++] = g_queue_pop_tail (&self->requests);
      if (key_kind (reqs[0]->key) >= ZI_GLYPH_GENERATED)
        {
          /* Gather more requests of the same model into one batch. */
          for (GList *l = self->requests.tail; l != NULL && n < GEN_BATCH;)
            {
              GList *prev = l->prev;
              Request *q = l->data;
              if (key_kind (q->key) == key_kind (reqs[0]->key))
                {
                  reqs[n++] = q;
                  g_queue_delete_link (&self->requests, l);
                }
              l = prev;
            }
        }
      generation = self->generation;
      g_mutex_unlock (&self->lock);

      if (key_kind (reqs[0]->key) >= ZI_GLYPH_GENERATED)
        made = zi_glyph_worker_generate (&ws, key_kind (reqs[0]->key) - ZI_GLYPH_GENERATED, reqs, n);
      else
        made = g_list_prepend (NULL, zi_glyph_worker_render (&ws, reqs[0]->key));

      g_mutex_lock (&self->lock);
      for (guint i = 0; i < n; i++)
        {
          g_hash_table_remove (self->pending, &reqs[i]->key);
          zi_glyph_worker_request_free (reqs[i]);
        }
      self->renders += n;
      if (generation != self->generation)
        {
          g_list_free_full (made, (GDestroyNotify) zi_glyph_worker_result_free);
          continue;
        }
      for (GList *l = made; l != NULL; l = l->next)
        ((Result *) l->data)->generation = generation;
      self->results = g_list_concat (made, self->results);
      if (self->idle_id == 0)
        self->idle_id = g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, deliver_cb, g_object_ref (self),
                                         g_object_unref);
    }
  g_mutex_unlock (&self->lock);

  zi_glyph_worker_clear (&ws);
  g_hash_table_unref (ws.placements);
  return NULL;
}

/* ---- Main thread ------------------------------------------------------------------------------ */

static void
store_trim (ZiGlyphCache *self)
{
  while (self->lru.length > MAX_ENTRIES)
    {
      Entry *e = g_queue_peek_tail (&self->lru);
      g_queue_unlink (&self->lru, &e->lru_link);
      g_hash_table_remove (self->entries, &e->key);
    }
}

/* A new entry under key, at the front of the LRU queue; NULL when the store has one already. */
static Entry *
store_insert (ZiGlyphCache *self, guint64 key)
{
  Entry *e;

  if (g_hash_table_contains (self->entries, &key))
    return NULL;
  e = g_new0 (Entry, 1);
  e->key = key;
  e->lru_link.data = e;
  g_hash_table_insert (self->entries, &e->key, e);
  g_queue_push_head_link (&self->lru, &e->lru_link);
  return e;
}

static gboolean
deliver_cb (gpointer user_data)
{
  ZiGlyphCache *self = user_data;
  GList *results;
  guint generation;

  g_mutex_lock (&self->lock);
  results = g_steal_pointer (&self->results);
  generation = self->generation;
  self->idle_id = 0;
  g_mutex_unlock (&self->lock);

  for (GList *l = results; l != NULL; l = l->next)
    {
      Result *r = l->data;
      Entry *e;

      if (r->generation != generation)
        continue;
      if (r->generated || (r->missing && key_kind (r->key) >= ZI_GLYPH_GENERATED))
        {
          /* The model's output at its own size, for other sizes and the outline later; or the word
           * that there is none. */
          e = store_insert (self, make_key (key_char (r->key), key_kind (r->key), NATIVE_SIZE));
          if (e != NULL)
            {
              e->missing = r->missing;
              e->coverage = r->coverage != NULL ? g_bytes_ref (r->coverage) : NULL;
              e->raw = r->raw != NULL ? g_bytes_ref (r->raw) : NULL;
            }
        }
      e = store_insert (self, r->key);
      if (e == NULL)
        continue;
      e->missing = r->missing;
      e->coverage = g_steal_pointer (&r->coverage);
      e->raw = g_steal_pointer (&r->raw);
      e->outline = g_steal_pointer (&r->outline);
      if (r->rgba != NULL)
        e->texture = gdk_memory_texture_new (r->size, r->size, GDK_MEMORY_R8G8B8A8_PREMULTIPLIED,
                                             r->rgba, r->size * 4);
    }
  g_list_free_full (results, (GDestroyNotify) zi_glyph_worker_result_free);
  store_trim (self);

  g_signal_emit (self, signals[CHANGED], ready_quark);
  return G_SOURCE_REMOVE;
}

/* Forgets the generated images only: the fonts did not change, so their renderings stay. */
static void
store_clear_generated (ZiGlyphCache *self)
{
  for (GList *l = self->lru.head; l != NULL;)
    {
      GList *next = l->next;
      Entry *e = l->data;

      if (key_kind (e->key) >= ZI_GLYPH_GENERATED)
        {
          g_queue_unlink (&self->lru, l);
          g_hash_table_remove (self->entries, &e->key);
        }
      l = next;
    }
}

static void
store_clear (ZiGlyphCache *self)
{
  /* Unlink everything from the LRU queue first: the entries own their links. */
  while (self->lru.head != NULL)
    g_queue_unlink (&self->lru, self->lru.head);
  g_hash_table_remove_all (self->entries);
}

/* Called with the lock held: forget queued work and make in-flight work stale. */
static void
requests_drop_locked (ZiGlyphCache *self)
{
  self->generation++;
  g_queue_clear_full (&self->requests, (GDestroyNotify) zi_glyph_worker_request_free);
  g_hash_table_remove_all (self->pending);
  g_cond_signal (&self->cond);
}

/* A new configuration: what was asked for and what is being made are for the old one. */
static void
requests_reset_locked (ZiGlyphCache *self)
{
  self->config_dirty = TRUE;
  requests_drop_locked (self);
}

void
zi_glyph_cache_set_fonts (ZiGlyphCache *self, const char *source, const char *target)
{
  g_return_if_fail (ZI_IS_GLYPH_CACHE (self));

  g_mutex_lock (&self->lock);
  if (g_strcmp0 (source, self->source_spec) == 0 && g_strcmp0 (target, self->target_spec) == 0)
    {
      g_mutex_unlock (&self->lock);
      return;
    }
  g_free (self->source_spec);
  g_free (self->target_spec);
  self->source_spec = g_strdup (source);
  self->target_spec = g_strdup (target);
  requests_reset_locked (self);
  g_mutex_unlock (&self->lock);

  store_clear (self);
  g_signal_emit (self, signals[CHANGED], cleared_quark);
}

static void
set_models (ZiGlyphCache *self, const char * const *checkpoints, gboolean parallel)
{
  g_mutex_lock (&self->lock);
  g_strfreev (self->checkpoints);
  self->checkpoints = g_strdupv ((char **) checkpoints);
  self->n_models = checkpoints != NULL ? MIN (g_strv_length ((char **) checkpoints),
                                              ZI_GLYPH_CACHE_MAX_MODELS) : 0;
  self->parallel = parallel;
  requests_reset_locked (self);
  g_mutex_unlock (&self->lock);

  store_clear_generated (self);
  g_signal_emit (self, signals[CHANGED], cleared_quark);
}

void
zi_glyph_cache_set_models (ZiGlyphCache *self, const char * const *checkpoints)
{
  g_return_if_fail (ZI_IS_GLYPH_CACHE (self));
  set_models (self, checkpoints, FALSE);
}

void
zi_glyph_cache_set_model_parallel (ZiGlyphCache *self, const char *checkpoint)
{
  const char *checkpoints[] = { checkpoint, NULL };

  g_return_if_fail (ZI_IS_GLYPH_CACHE (self));
  g_return_if_fail (checkpoint != NULL);
  set_models (self, checkpoints, TRUE);
}

void
zi_glyph_cache_set_style (ZiGlyphCache *self, guint style, double weight)
{
  g_return_if_fail (ZI_IS_GLYPH_CACHE (self));
  g_return_if_fail (weight >= 0);

  g_mutex_lock (&self->lock);
  if (style == self->style && weight == self->weight)
    {
      g_mutex_unlock (&self->lock);
      return;
    }
  self->style = style;
  self->weight = weight;
  /* Only the models' choice changes: no font or model is opened again. */
  self->style_dirty = TRUE;
  requests_drop_locked (self);
  g_mutex_unlock (&self->lock);

  store_clear_generated (self);
  g_signal_emit (self, signals[CHANGED], cleared_quark);
}

guint
zi_glyph_cache_get_style (ZiGlyphCache *self, double *weight)
{
  guint style;

  g_return_val_if_fail (ZI_IS_GLYPH_CACHE (self), 0);
  g_mutex_lock (&self->lock);
  style = self->style;
  if (weight != NULL)
    *weight = self->weight;
  g_mutex_unlock (&self->lock);
  return style;
}

guint
zi_glyph_cache_get_n_models (ZiGlyphCache *self)
{
  g_return_val_if_fail (ZI_IS_GLYPH_CACHE (self), 0);
  return self->n_models;
}

/* The entry of key, moved to the front of the LRU queue, or NULL. */
static Entry *
store_get (ZiGlyphCache *self, guint64 key)
{
  Entry *e = g_hash_table_lookup (self->entries, &key);

  if (e != NULL)
    {
      g_queue_unlink (&self->lru, &e->lru_link);
      g_queue_push_head_link (&self->lru, &e->lru_link);
    }
  return e;
}

static Entry *
lookup_entry (ZiGlyphCache *self, gunichar c, ZiGlyphKind kind, guint size, gboolean request)
{
  guint64 key = make_key (c, kind, size);
  Entry *e = store_get (self, key), *native = NULL;

  if (e != NULL)
    return e;
  if (kind >= ZI_GLYPH_GENERATED)
    {
      /* The model has run for c already: nothing to show, or its output to scale or trace. */
      native = store_get (self, make_key (c, kind, NATIVE_SIZE));
      if (native != NULL && native->missing)
        return native;
    }
  if (!request || self->paused)
    return NULL;

  g_mutex_lock (&self->lock);
  if (!g_hash_table_contains (self->pending, &key))
    {
      Request *q = g_new0 (Request, 1);

      q->key = key;
      if (native != NULL)
        {
          q->coverage = g_bytes_ref (native->coverage);
          q->raw = g_bytes_ref (native->raw);
        }
      g_queue_push_tail (&self->requests, q);
      g_hash_table_add (self->pending, g_memdup2 (&key, sizeof key));
      while (self->requests.length > MAX_REQUESTS)
        {
          Request *old = g_queue_pop_head (&self->requests);
          g_hash_table_remove (self->pending, &old->key);
          zi_glyph_worker_request_free (old);
        }
      g_cond_signal (&self->cond);
    }
  g_mutex_unlock (&self->lock);
  return NULL;
}

GdkTexture *
zi_glyph_cache_lookup (ZiGlyphCache *self, gunichar c, ZiGlyphKind kind, guint size, gboolean *missing)
{
  Entry *e;

  g_return_val_if_fail (ZI_IS_GLYPH_CACHE (self), NULL);
  g_return_val_if_fail (size > 0 && size < 4096, NULL);

  if (missing != NULL)
    *missing = FALSE;
  if (kind >= ZI_GLYPH_GENERATED && kind - ZI_GLYPH_GENERATED >= self->n_models)
    {
      if (missing != NULL)
        *missing = TRUE;
      return NULL;
    }
  e = lookup_entry (self, c, kind, size, TRUE);
  if (e == NULL)
    return NULL;
  if (missing != NULL)
    *missing = e->missing;
  return e->texture;
}

GBytes *
zi_glyph_cache_lookup_coverage (ZiGlyphCache *self, gunichar c, ZiGlyphKind kind, guint size)
{
  Entry *e;

  g_return_val_if_fail (ZI_IS_GLYPH_CACHE (self), NULL);

  e = lookup_entry (self, c, kind, size, FALSE);
  return e != NULL ? e->coverage : NULL;
}

const ZiGlyphOutline *
zi_glyph_cache_lookup_outline (ZiGlyphCache *self, gunichar c, ZiGlyphKind kind, gboolean *missing)
{
  Entry *e;

  g_return_val_if_fail (ZI_IS_GLYPH_CACHE (self), NULL);

  if (missing != NULL)
    *missing = FALSE;
  if (kind == ZI_GLYPH_SOURCE || (kind >= ZI_GLYPH_GENERATED && kind - ZI_GLYPH_GENERATED >= self->n_models))
    {
      if (missing != NULL)
        *missing = TRUE;
      return NULL;
    }
  e = lookup_entry (self, c, kind, OUTLINE_SIZE, TRUE);
  if (e == NULL)
    return NULL;
  if (missing != NULL)
    *missing = e->missing;
  return e->outline;
}

void
zi_glyph_cache_set_paused (ZiGlyphCache *self, gboolean paused)
{
  g_return_if_fail (ZI_IS_GLYPH_CACHE (self));

  paused = !!paused;
  if (paused == self->paused)
    return;
  self->paused = paused;
  if (paused)
    {
      /* What was asked for has scrolled away. Work in progress finishes and is kept. */
      g_mutex_lock (&self->lock);
      while (!g_queue_is_empty (&self->requests))
        {
          Request *q = g_queue_pop_head (&self->requests);
          g_hash_table_remove (self->pending, &q->key);
          zi_glyph_worker_request_free (q);
        }
      g_mutex_unlock (&self->lock);
    }
  else
    g_signal_emit (self, signals[CHANGED], ready_quark);
}

gboolean
zi_glyph_cache_get_paused (ZiGlyphCache *self)
{
  g_return_val_if_fail (ZI_IS_GLYPH_CACHE (self), FALSE);
  return self->paused;
}

guint
zi_glyph_cache_get_pending (ZiGlyphCache *self)
{
  guint n;

  g_return_val_if_fail (ZI_IS_GLYPH_CACHE (self), 0);
  g_mutex_lock (&self->lock);
  n = g_hash_table_size (self->pending) + g_list_length (self->results);
  g_mutex_unlock (&self->lock);
  return n;
}

guint64
zi_glyph_cache_get_renders (ZiGlyphCache *self)
{
  guint64 n;

  g_return_val_if_fail (ZI_IS_GLYPH_CACHE (self), 0);
  g_mutex_lock (&self->lock);
  n = self->renders;
  g_mutex_unlock (&self->lock);
  return n;
}

ZiGlyphCache *
zi_glyph_cache_new (void)
{
  return g_object_new (ZI_TYPE_GLYPH_CACHE, NULL);
}

static void
zi_glyph_cache_dispose (GObject *object)
{
  ZiGlyphCache *self = ZI_GLYPH_CACHE (object);

  if (self->thread != NULL)
    {
      g_mutex_lock (&self->lock);
      self->quit = TRUE;
      g_cond_signal (&self->cond);
      g_mutex_unlock (&self->lock);
      g_thread_join (g_steal_pointer (&self->thread));
    }
  store_clear (self);
  G_OBJECT_CLASS (zi_glyph_cache_parent_class)->dispose (object);
}

static void
zi_glyph_cache_finalize (GObject *object)
{
  ZiGlyphCache *self = ZI_GLYPH_CACHE (object);

  g_hash_table_unref (self->entries);
  g_hash_table_unref (self->pending);
  g_queue_clear_full (&self->requests, (GDestroyNotify) zi_glyph_worker_request_free);
  g_list_free_full (self->results, (GDestroyNotify) zi_glyph_worker_result_free);
  g_free (self->source_spec);
  g_free (self->target_spec);
  g_strfreev (self->checkpoints);
  g_mutex_clear (&self->lock);
  g_cond_clear (&self->cond);
  G_OBJECT_CLASS (zi_glyph_cache_parent_class)->finalize (object);
}

static void
zi_glyph_cache_class_init (ZiGlyphCacheClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = zi_glyph_cache_dispose;
  object_class->finalize = zi_glyph_cache_finalize;

  /* Emitted on the main loop with the detail "ready" after a batch of images arrived or a pause
   * ended, and "cleared" after the store was emptied (fonts or models changed). */
  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass),
                                   G_SIGNAL_RUN_LAST | G_SIGNAL_DETAILED, 0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  ready_quark = g_quark_from_static_string ("ready");
  cleared_quark = g_quark_from_static_string ("cleared");
}

static void
zi_glyph_cache_init (ZiGlyphCache *self)
{
  self->entries = g_hash_table_new_full (g_int64_hash, g_int64_equal, NULL, (GDestroyNotify) entry_free);
  self->pending = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  g_mutex_init (&self->lock);
  g_cond_init (&self->cond);
  g_queue_init (&self->requests);
  g_queue_init (&self->lru);
  self->thread = g_thread_new ("zi-glyph-cache", worker_main, self);
}
