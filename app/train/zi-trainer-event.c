/* zi-trainer-event.c — copying and freeing the trainer's event records (zi-trainer-event.h). */
#include "config.h"
#include "zi-trainer-event.h"

ZiTrainerEvent *
zi_trainer_event_copy (const ZiTrainerEvent *event)
{
  ZiTrainerEvent *copy;
  gsize pixels;

  g_return_val_if_fail (event != NULL, NULL);

  copy = g_memdup2 (event, sizeof *event);
  pixels = (gsize) event->preview.n * event->preview.size * event->preview.size;
  if (event->preview.n > 0)
    {
      copy->preview.chars = g_memdup2 (event->preview.chars, sizeof (gunichar) * event->preview.n);
      copy->preview.source = g_memdup2 (event->preview.source, pixels);
      copy->preview.generated = g_memdup2 (event->preview.generated, pixels);
      copy->preview.target = g_memdup2 (event->preview.target, pixels);
    }
  if (event->validation.n_styles > 0)
    {
      copy->validation.styles = g_memdup2 (event->validation.styles,
                                           sizeof (ZiTrainerStyleValidation) * event->validation.n_styles);
      for (guint i = 0; i < event->validation.n_styles; i++)
        copy->validation.styles[i].name = g_strdup (event->validation.styles[i].name);
    }
  copy->checkpoint.path = g_strdup (event->checkpoint.path);
  copy->warning.message = g_strdup (event->warning.message);
  copy->finished.checkpoint = g_strdup (event->finished.checkpoint);
  copy->error = event->error ? g_error_copy (event->error) : NULL;
  return copy;
}

void
zi_trainer_event_free (ZiTrainerEvent *event)
{
  if (event == NULL)
    return;
  g_free (event->preview.chars);
  g_free (event->preview.source);
  g_free (event->preview.generated);
  g_free (event->preview.target);
  for (guint i = 0; i < event->validation.n_styles; i++)
    g_free (event->validation.styles[i].name);
  g_free (event->validation.styles);
  g_free (event->checkpoint.path);
  g_free (event->warning.message);
  g_free (event->finished.checkpoint);
  g_clear_error (&event->error);
  g_free (event);
}
