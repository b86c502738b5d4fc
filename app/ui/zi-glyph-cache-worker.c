/* zi-glyph-cache-worker.c — the glyph cache's work on its worker thread (see zi-glyph-cache-worker.h):
 * fonts rendered at the size asked for, models run in batches with their output kept at the model's
 * size, scaled up with sharp edges (zi-upscale.h) or traced (zi-glyph-outline.h) for each request. */
#include "config.h"
#include "zi-glyph-cache-worker.h"

#include "zi-render.h"
#include "zi-upscale.h"

void
zi_glyph_worker_request_free (Request *q)
{
  g_clear_pointer (&q->coverage, g_bytes_unref);
  g_clear_pointer (&q->raw, g_bytes_unref);
  g_free (q);
}

void
zi_glyph_worker_result_free (Result *r)
{
  g_clear_pointer (&r->coverage, g_bytes_unref);
  g_clear_pointer (&r->raw, g_bytes_unref);
  g_clear_pointer (&r->rgba, g_bytes_unref);
  g_clear_pointer (&r->outline, zi_glyph_outline_free);
  g_free (r);
}



void
zi_glyph_worker_clear (WorkerState *ws)
{
  g_clear_pointer (&ws->source, zi_font_free);
  g_clear_pointer (&ws->target, zi_font_free);
  for (guint i = 0; i < ws->n_models; i++)
    g_clear_pointer (&ws->models[i], zi_model_free);
  ws->n_models = 0;
  if (ws->twin_loader != NULL)
    ws->twin = g_thread_join (g_steal_pointer (&ws->twin_loader));
  g_clear_pointer (&ws->twin, zi_model_free);
  g_clear_pointer (&ws->twin_checkpoint, g_free);
  ws->twin_loaded = FALSE;
  g_hash_table_remove_all (ws->placements);
}

typedef struct {
  char *checkpoint;
  gint *loaded;
} TwinLoad;

static gpointer
load_twin_thread (gpointer data)
{
  TwinLoad *load = data;
  ZiModel *twin = zi_model_load (load->checkpoint, NULL);

  g_atomic_int_set (load->loaded, TRUE);
  g_free (load->checkpoint);
  g_free (load);
  return twin;
}

/* The twin, once its loader has finished (then drawing what the models draw), or NULL. */
static ZiModel *
worker_twin (WorkerState *ws)
{
  if (ws->twin_loader != NULL && g_atomic_int_get (&ws->twin_loaded))
    {
      ws->twin = g_thread_join (g_steal_pointer (&ws->twin_loader));
      if (ws->twin != NULL)
        {
          zi_model_set_style (ws->twin, 0);
          if (ws->weight > 0)
            zi_model_set_weight (ws->twin, ws->weight, NULL);
          else
            zi_model_set_style (ws->twin, ws->style);
        }
    }
  return ws->twin;
}

void
zi_glyph_worker_load_models (WorkerState *ws, const char * const *checkpoints, gboolean parallel)
{
  guint n = checkpoints != NULL ? MIN (g_strv_length ((char **) checkpoints), ZI_GLYPH_CACHE_MAX_MODELS) : 0;

  for (guint i = 0; i < n; i++)
    ws->models[i] = zi_model_load (checkpoints[i], NULL);
  ws->n_models = n;
  if (parallel && n == 1 && ws->models[0] != NULL && g_get_num_processors () > 1)
    ws->twin_checkpoint = g_strdup (checkpoints[0]);
}

void
zi_glyph_worker_idle (WorkerState *ws)
{
  TwinLoad *load;

  /* Loaded beside the model, or while the model made the first screen, the twin slowed that screen
   * down (355 ms with the model alone, 520-660 ms with both loading). */
  if (ws->twin_checkpoint == NULL || ws->twin != NULL || ws->twin_loader != NULL)
    return;
  load = g_new0 (TwinLoad, 1);
  load->checkpoint = g_strdup (ws->twin_checkpoint);
  load->loaded = &ws->twin_loaded;
  ws->twin_loader = g_thread_new ("zi-glyph-cache-twin", load_twin_thread, load);
}

void
zi_glyph_worker_set_style (WorkerState *ws, guint style, double weight)
{
  ZiModel *all[ZI_GLYPH_CACHE_MAX_MODELS + 1];
  guint n = 0;

  ws->style = style;
  ws->weight = weight;
  for (guint i = 0; i < ws->n_models; i++)
    all[n++] = ws->models[i];
  all[n++] = ws->twin;
  for (guint i = 0; i < n; i++)
    if (all[i] != NULL)
      {
        zi_model_set_style (all[i], 0);
        if (weight > 0)
          zi_model_set_weight (all[i], weight, NULL);
        else
          zi_model_set_style (all[i], style);
      }
}

static const ZiPlacement *
worker_placement (WorkerState *ws, ZiFont *font, guint font_index, guint size, double em_fraction)
{
  guint key = (font_index << 16) | size;
  ZiPlacement *p = g_hash_table_lookup (ws->placements, GUINT_TO_POINTER (key));

  if (p == NULL)
    {
      p = g_new0 (ZiPlacement, 1);
      if (!zi_placement_init (p, font, size, em_fraction, NULL))
        {
          g_free (p);
          return NULL;
        }
      g_hash_table_insert (ws->placements, GUINT_TO_POINTER (key), p);
    }
  return p;
}

static GBytes *
coverage_to_rgba (const guint8 *cov, guint n_pixels)
{
  guint8 *rgba = g_malloc0 (n_pixels * 4);

  /* Premultiplied black ink: only alpha carries the coverage. */
  for (guint i = 0; i < n_pixels; i++)
    rgba[4 * i + 3] = cov[i];
  return g_bytes_new_take (rgba, n_pixels * 4);
}

Result *
zi_glyph_worker_render (WorkerState *ws, guint64 key)
{
  Result *r = g_new0 (Result, 1);
  ZiGlyphKind kind = key_kind (key);
  ZiFont *font = kind == ZI_GLYPH_SOURCE ? ws->source : ws->target;
  guint size = key_size (key);
  const ZiPlacement *p;
  guint8 *cov;

  r->key = key;
  r->size = size;
  r->missing = TRUE;
  if (size == OUTLINE_SIZE)
    {
      /* Only the target's outline is in the units the others are drawn in. */
      if (kind == ZI_GLYPH_TARGET && font != NULL)
        r->outline = zi_glyph_outline_font (font, key_char (key));
      r->missing = r->outline == NULL;
      return r;
    }
  if (font == NULL || size == 0)
    return r;
  p = worker_placement (ws, font, kind, size, ZI_DEFAULT_EM_FRACTION);
  if (p == NULL)
    return r;
  cov = g_malloc (size * size);
  if (zi_render_char (font, p, key_char (key), cov, NULL))
    {
      r->missing = FALSE;
      r->rgba = coverage_to_rgba (cov, size * size);
      r->coverage = g_bytes_new_take (cov, size * size);
    }
  else
    g_free (cov);
  return r;
}

/* What a request for a generated glyph at display size (or for its outline) gets from the model's
 * output at its own size msize: a texture scaled up with sharp edges, or the traced outline. */
static void
worker_finish (WorkerState *ws, guint model_index, Result *r, guint msize)
{
  guint size = key_size (r->key);
  const guint8 *cov = g_bytes_get_data (r->coverage, NULL);

  if (size == OUTLINE_SIZE)
    {
      ZiModel *model = ws->models[model_index];
      const ZiPlacement *p = ws->target == NULL ? NULL
        : worker_placement (ws, ws->target, 2 + ZI_GLYPH_CACHE_MAX_MODELS + model_index, msize,
                            zi_model_get_em_fraction (model));

      if (p != NULL)
        r->outline = zi_glyph_outline_trace (model, g_bytes_get_data (r->raw, NULL), p, ws->target,
                                             key_char (r->key));
      r->missing = r->outline == NULL;
      return;
    }
  r->size = MAX (size, msize);
  if (r->size == msize)
    r->rgba = coverage_to_rgba (cov, msize * msize);
  else
    {
      g_autofree guint8 *big = g_malloc ((gsize) r->size * r->size);

      zi_coverage_upscale_sharp (cov, msize, big, r->size);
      r->rgba = coverage_to_rgba (big, r->size * r->size);
    }
}

/* Half a batch on the twin, on a helper thread. */
typedef struct {
  ZiModel      *model;
  const guint8 *source;
  guint         n;
  guint8       *out;
  gboolean      ok;
} Half;

static gpointer
generate_half_thread (gpointer data)
{
  Half *h = data;

  h->ok = zi_model_generate_raw (h->model, h->source, h->n, h->out, NULL, NULL, NULL, NULL);
  return NULL;
}

/* zi_model_generate_raw of n glyphs, the second half on the twin when model has one. On an otherwise
 * idle machine of two cores a screenful of 24 cells came in 97-145 ms instead of 177-181 ms (medians
 * of 9 rounds of bench-first-start's "glyphs", Zen Maru Gothic's five weights at 64 px), which
 * OpenBLAS's own two threads did not give. */
static gboolean
generate_split (WorkerState *ws, ZiModel *model, const guint8 *src, guint n, guint8 *raw, gsize plane)
{
  Half half;
  GThread *helper;
  gboolean ok;

  if (model != ws->models[0] || n < 2 || worker_twin (ws) == NULL)
    return zi_model_generate_raw (model, src, n, raw, NULL, NULL, NULL, NULL);
  half = (Half) { ws->twin, src + (n / 2) * plane, n - n / 2, raw + (n / 2) * plane, FALSE };
  helper = g_thread_new ("zi-glyph-cache-half", generate_half_thread, &half);
  ok = zi_model_generate_raw (model, src, n / 2, raw, NULL, NULL, NULL, NULL);
  g_thread_join (helper);
  return ok && half.ok;
}

/* Generates a batch of characters with one model (a batch of 16 costs little more than one), except
 * those whose model output came with the request. */
GList *
zi_glyph_worker_generate (WorkerState *ws, guint model_index, Request **reqs, guint n)
{
  GList *out = NULL;
  ZiModel *model = model_index < ws->n_models ? ws->models[model_index] : NULL;
  guint msize = model != NULL ? zi_model_get_size (model) : 0;
  gsize plane = (gsize) msize * msize;
  const ZiPlacement *p = NULL;
  g_autofree guint8 *src = NULL;
  g_autofree guint8 *raw = NULL;
  g_autofree guint *slot = g_new0 (guint, n);  /* index into the batch run, or G_MAXUINT */
  g_autofree gboolean *ok = g_new0 (gboolean, n);
  guint n_run = 0;

  if (model != NULL && ws->source != NULL)
    p = worker_placement (ws, ws->source, 2 + model_index, msize, zi_model_get_em_fraction (model));
  if (p != NULL)
    {
      src = g_malloc0 ((gsize) n * plane);
      raw = g_malloc0 ((gsize) n * plane);
      for (guint i = 0; i < n; i++)
        {
          slot[i] = G_MAXUINT;
          if (reqs[i]->raw != NULL)
            ok[i] = TRUE;
          else if (zi_render_char (ws->source, p, key_char (reqs[i]->key), src + n_run * plane, NULL))
            {
              slot[i] = n_run++;
              ok[i] = TRUE;
            }
        }
      if (n_run > 0 && !generate_split (ws, model, src, n_run, raw, plane))
        for (guint i = 0; i < n; i++)
          ok[i] &= slot[i] == G_MAXUINT;
    }

  for (guint i = 0; i < n; i++)
    {
      Result *r = g_new0 (Result, 1);

      r->key = reqs[i]->key;
      r->size = msize;
      r->missing = !ok[i];
      if (!r->missing && slot[i] != G_MAXUINT)
        {
          guint8 *cov = g_malloc (plane);

          zi_model_raw_to_coverage (model, raw + slot[i] * plane, cov, 1);
          r->raw = g_bytes_new (raw + slot[i] * plane, plane);
          r->coverage = g_bytes_new_take (cov, plane);
          r->generated = TRUE;
        }
      else if (!r->missing)
        {
          r->raw = g_bytes_ref (reqs[i]->raw);
          r->coverage = g_bytes_ref (reqs[i]->coverage);
        }
      if (!r->missing)
        worker_finish (ws, model_index, r, msize);
      out = g_list_prepend (out, r);
    }
  return out;
}
