/* zi-worst-glyphs.c — ranking characters by how far a checkpoint's output is from the target font. */
#include "config.h"
#include "zi-worst-glyphs.h"

#include "zi-font.h"
#include "zi-metrics.h"
#include "zi-model.h"
#include "zi-render.h"

typedef struct {
  char     *checkpoint;
  char     *source_spec;
  char     *target_spec;
  GArray   *chars;
  guint     n_worst;
} WorstJob;

static void
worst_job_free (WorstJob *job)
{
  g_free (job->checkpoint);
  g_free (job->source_spec);
  g_free (job->target_spec);
  g_array_unref (job->chars);
  g_free (job);
}

typedef struct {
  gunichar c;
  double   l1;
} Scored;

static int
compare_scored (gconstpointer a, gconstpointer b)
{
  double x = ((const Scored *) a)->l1, y = ((const Scored *) b)->l1;
  return (x < y) - (x > y);
}

static void
worst_thread (GTask *task, gpointer source_object, gpointer task_data, GCancellable *cancellable)
{
  WorstJob *job = task_data;
  g_autoptr(ZiModel) model = NULL;
  ZiFont *source = NULL, *target = NULL;
  ZiPlacement sp, tp;
  GError *error = NULL;
  guint size, n = job->chars->len;
  g_autofree guint8 *src = NULL;
  g_autofree guint8 *tgt = NULL;
  g_autofree guint8 *gen = NULL;
  g_autofree float *a = NULL;
  g_autofree float *b = NULL;
  g_autoptr(GArray) scored = g_array_new (FALSE, FALSE, sizeof (Scored));
  GArray *worst = NULL;

  model = zi_model_load (job->checkpoint, &error);
  if (model == NULL || (source = zi_font_open (job->source_spec, &error)) == NULL ||
      (target = zi_font_open (job->target_spec, &error)) == NULL)
    goto out;
  size = zi_model_get_size (model);
  if (!zi_placement_init (&sp, source, size, zi_model_get_em_fraction (model), &error) ||
      !zi_placement_init (&tp, target, size, zi_model_get_em_fraction (model), &error))
    goto out;
  src = g_malloc0 ((gsize) n * size * size);
  tgt = g_malloc0 ((gsize) n * size * size);
  gen = g_malloc0 ((gsize) n * size * size);
  for (guint i = 0; i < n; i++)
    {
      gunichar c = g_array_index (job->chars, gunichar, i);
      zi_render_char (source, &sp, c, src + (gsize) i * size * size, NULL);
      zi_render_char (target, &tp, c, tgt + (gsize) i * size * size, NULL);
    }
  if (!zi_model_generate (model, src, n, gen, NULL, NULL, cancellable, &error))
    goto out;
  a = g_new (float, size * size);
  b = g_new (float, size * size);
  for (guint i = 0; i < n; i++)
    {
      Scored s = { g_array_index (job->chars, gunichar, i), 0 };
      for (guint p = 0; p < size * size; p++)
        {
          a[p] = gen[(gsize) i * size * size + p] / 255.0f;
          b[p] = tgt[(gsize) i * size * size + p] / 255.0f;
        }
      s.l1 = zi_metrics_l1 (a, b, size * size);
      g_array_append_val (scored, s);
    }
  g_array_sort (scored, compare_scored);
  worst = g_array_new (FALSE, FALSE, sizeof (gunichar));
  for (guint i = 0; i < MIN (scored->len, job->n_worst); i++)
    g_array_append_val (worst, g_array_index (scored, Scored, i).c);

out:
  g_clear_pointer (&source, zi_font_free);
  g_clear_pointer (&target, zi_font_free);
  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, worst, (GDestroyNotify) g_array_unref);
}

void
zi_worst_glyphs_async (const char *checkpoint, const char *source_font, const char *target_font, GArray *chars,
                       guint n_worst, GCancellable *cancellable, GAsyncReadyCallback callback, gpointer user_data)
{
  g_autoptr(GTask) task = NULL;
  WorstJob *job;

  g_return_if_fail (checkpoint != NULL && source_font != NULL && target_font != NULL && chars != NULL);

  job = g_new0 (WorstJob, 1);
  job->checkpoint = g_strdup (checkpoint);
  job->source_spec = g_strdup (source_font);
  job->target_spec = g_strdup (target_font);
  job->chars = g_array_ref (chars);
  job->n_worst = n_worst;
  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, zi_worst_glyphs_async);
  g_task_set_task_data (task, job, (GDestroyNotify) worst_job_free);
  g_task_run_in_thread (task, worst_thread);
}

GArray *
zi_worst_glyphs_finish (GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
