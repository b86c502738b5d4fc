/* fuzz-run.c — libFuzzer target for the run directory's files (app/run/zi-run.c), which users copy,
 * edit and truncate: the input is read as run.json, as metrics.jsonl, as checkpoints/best.json, as
 * one metrics record, as a checkpoint's metadata blob, as a charset string and as a checkpoint file
 * name. Each reader must refuse it with a ZI_ERROR or accept it; what it accepts must be usable (every
 * string set and UTF-8, steps ascending) and survive our own writer and reader unchanged (non-finite
 * numbers, which JSON cannot hold, may come back as NaN or as the field's default). */
#include "fuzz-util.h"

#include <math.h>
#include <string.h>

#include "zi-error.h"
#include "zi-run.h"

int
LLVMFuzzerInitialize (int *argc, char ***argv)
{
  (void) argc;
  (void) argv;
  fuzz_init ();
  return 0;
}

/* b is what a written and re-read a became: the same number when a is finite. */
static gboolean
same_double (double a, double b)
{
  return isfinite (a) ? a == b : !isfinite (b) || isnan (b);
}

static gboolean
is_text (const char *s)
{
  return s != NULL && g_utf8_validate (s, -1, NULL);
}

static void
check_error (const GError *error)
{
  fuzz_check (error != NULL && error->domain == ZI_ERROR);
  fuzz_check (g_utf8_validate (error->message, -1, NULL));
}

static char *
run_dir (const char *name)
{
  char *dir = g_build_filename (fuzz_scratch_dir (), name, NULL);
  fuzz_remove_tree (dir);
  fuzz_check (g_mkdir_with_parents (dir, 0700) == 0);
  return dir;
}

static void
check_info (const ZiRunInfo *a)
{
  fuzz_check (a->format_version >= 1 && a->format_version <= ZI_RUN_FORMAT_VERSION);
  fuzz_check (is_text (a->created));
  fuzz_check (is_text (a->source_font) && is_text (a->source_path) && is_text (a->source_hash));
  fuzz_check (is_text (a->target_font) && is_text (a->target_path) && is_text (a->target_hash));
  fuzz_check (a->n_chars > 0 && a->chars != NULL);
  fuzz_check (a->n_val_chars == 0 || a->val_chars != NULL);
  for (guint i = 0; i < a->n_chars; i++)
    fuzz_check (g_unichar_validate (a->chars[i]));
  fuzz_check (is_text (a->config_json));
}

static void
check_run_json (const uint8_t *data, size_t size)
{
  g_autofree char *dir = run_dir ("run");
  g_autofree char *again_dir = NULL;
  g_autoptr(GError) error = NULL;
  ZiRunInfo info, again;

  g_free (fuzz_write_file ("run/run.json", data, size));
  if (!zi_run_info_load (dir, &info, &error))
    {
      check_error (error);
      fuzz_check (error->code == ZI_ERROR_RUN);
      return;
    }
  check_info (&info);

  again_dir = run_dir ("again");
  fuzz_check (zi_run_info_save (again_dir, &info, &error));
  fuzz_check (zi_run_info_load (again_dir, &again, &error));
  fuzz_check (strcmp (info.created, again.created) == 0);
  fuzz_check (strcmp (info.source_font, again.source_font) == 0);
  fuzz_check (strcmp (info.source_path, again.source_path) == 0);
  fuzz_check (strcmp (info.source_hash, again.source_hash) == 0);
  fuzz_check (info.source_face == again.source_face && info.target_face == again.target_face);
  fuzz_check (strcmp (info.target_font, again.target_font) == 0);
  fuzz_check (info.n_chars == again.n_chars && info.n_val_chars == again.n_val_chars);
  fuzz_check (memcmp (info.chars, again.chars, info.n_chars * sizeof (gunichar)) == 0);
  fuzz_check (info.n_val_chars == 0
              || memcmp (info.val_chars, again.val_chars, info.n_val_chars * sizeof (gunichar)) == 0);
  fuzz_check (strcmp (info.config_json, again.config_json) == 0);
  zi_run_info_clear (&info);
  zi_run_info_clear (&again);
}

static void
check_metrics_jsonl (const uint8_t *data, size_t size)
{
  g_autofree char *dir = run_dir ("run");
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) metrics = NULL;

  g_free (fuzz_write_file ("run/metrics.jsonl", data, size));
  metrics = zi_run_metrics_load (dir, &error);
  if (metrics == NULL)
    {
      check_error (error);
      return;
    }
  fuzz_check (error == NULL);
  for (guint i = 1; i < metrics->len; i++)
    fuzz_check (g_array_index (metrics, ZiRunMetric, i - 1).step
                < g_array_index (metrics, ZiRunMetric, i).step);
}

static void
check_metric_line (const char *text)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *json = NULL;
  ZiRunMetric m, again;

  if (!zi_run_metric_from_json (text, &m, &error))
    {
      fuzz_check (error != NULL);
      return;
    }
  json = zi_run_metric_to_json (&m);
  fuzz_check (zi_run_metric_from_json (json, &again, &error));
  fuzz_check (m.step == again.step && m.images == again.images);
  fuzz_check (m.has_val == again.has_val && m.has_raw == again.has_raw);
  fuzz_check (same_double (m.seconds, again.seconds) && same_double (m.lr, again.lr));
  fuzz_check (same_double (m.lr_d, again.lr_d) && same_double (m.d_loss, again.d_loss));
  fuzz_check (same_double (m.d_real, again.d_real) && same_double (m.d_fake, again.d_fake));
  fuzz_check (same_double (m.g_loss, again.g_loss) && same_double (m.g_adv, again.g_adv));
  fuzz_check (same_double (m.l1, again.l1) && same_double (m.const_loss, again.const_loss));
  fuzz_check (same_double (m.tv, again.tv) && same_double (m.d_grad_norm, again.d_grad_norm));
  fuzz_check (same_double (m.g_grad_norm, again.g_grad_norm));
  fuzz_check (same_double (m.val_l1, again.val_l1) && same_double (m.val_ssim, again.val_ssim));
  fuzz_check (same_double (m.val_iou, again.val_iou) && same_double (m.val_raw_l1, again.val_raw_l1));
  fuzz_check (same_double (m.val_raw_ssim, again.val_raw_ssim));
  fuzz_check (same_double (m.val_raw_iou, again.val_raw_iou));
  fuzz_check (m.n_val_styles == again.n_val_styles);
  for (guint i = 0; i < m.n_val_styles; i++)
    fuzz_check (strcmp (m.val_styles[i].name, again.val_styles[i].name) == 0
                && same_double (m.val_styles[i].ssim, again.val_styles[i].ssim));
}

static void
check_meta (const char *text)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *json = NULL;
  ZiCheckpointMeta m, again;

  if (!zi_checkpoint_meta_from_json (&m, text, &error))
    {
      check_error (error);
      fuzz_check (error->code == ZI_ERROR_CHECKPOINT);
      zi_checkpoint_meta_clear (&m);
      return;
    }
  fuzz_check (is_text (m.source_font) && is_text (m.target_font));
  json = zi_checkpoint_meta_to_json (&m);
  fuzz_check (zi_checkpoint_meta_from_json (&again, json, &error));
  fuzz_check (strcmp (m.source_font, again.source_font) == 0);
  fuzz_check (strcmp (m.target_font, again.target_font) == 0);
  fuzz_check (m.size == again.size && m.images == again.images && m.plateau_bad == again.plateau_bad);
  fuzz_check (m.has_best == again.has_best && m.best_step == again.best_step);
  fuzz_check (m.has_val == again.has_val && m.has_baseline == again.has_baseline);
  fuzz_check (same_double (m.em_fraction, again.em_fraction) && same_double (m.seconds, again.seconds));
  fuzz_check (same_double (m.lr_g, again.lr_g) && same_double (m.lr_d, again.lr_d));
  fuzz_check (same_double (m.lr_scale, again.lr_scale));
  fuzz_check (same_double (m.plateau_factor, again.plateau_factor));
  fuzz_check (same_double (m.plateau_best, again.plateau_best));
  fuzz_check (same_double (m.best_ssim, again.best_ssim) && same_double (m.val_l1, again.val_l1));
  fuzz_check (same_double (m.val_ssim, again.val_ssim) && same_double (m.val_iou, again.val_iou));
  fuzz_check (same_double (m.base_l1, again.base_l1) && same_double (m.base_ssim, again.base_ssim));
  fuzz_check (same_double (m.base_iou, again.base_iou));
  fuzz_check (m.n_styles >= 1 && m.n_styles == again.n_styles);
  for (guint i = 0; i < m.n_styles; i++)
    fuzz_check (strcmp (m.styles[i].name, again.styles[i].name) == 0
                && m.styles[i].weight_class == again.styles[i].weight_class);
  zi_checkpoint_meta_clear (&m);
  zi_checkpoint_meta_clear (&again);
}

static void
check_best (const uint8_t *data, size_t size)
{
  g_autofree char *dir = run_dir ("run");
  g_autofree char *checkpoints = g_build_filename (dir, "checkpoints", NULL);
  g_autoptr(GError) error = NULL;
  guint64 step, step_again;
  double ssim, ssim_again;

  fuzz_check (g_mkdir_with_parents (checkpoints, 0700) == 0);
  g_free (fuzz_write_file ("run/checkpoints/best.json", data, size));
  if (!zi_run_best_load (dir, &step, &ssim))
    return;
  /* The trainer only records a finite best score. */
  if (!isfinite (ssim))
    return;
  fuzz_check (zi_run_best_save (dir, step, ssim, &error));
  fuzz_check (zi_run_best_load (dir, &step_again, &ssim_again));
  fuzz_check (step == step_again && ssim == ssim_again);
}

static void
check_chars (const char *text)
{
  guint n;
  g_autofree gunichar *chars = zi_run_chars_from_utf8 (text, &n);
  g_autofree char *back = NULL;

  if (chars == NULL)
    {
      fuzz_check (n == 0 && !g_utf8_validate (text, -1, NULL));
      return;
    }
  back = zi_run_chars_to_utf8 (chars, n);
  fuzz_check (strcmp (back, text) == 0);
}

static void
check_checkpoint_name (const char *text)
{
  guint64 step, again;
  g_autofree char *path = NULL;
  g_autofree char *base = NULL;

  if (!zi_run_parse_checkpoint_name (text, &step))
    return;
  path = zi_run_checkpoint_path ("run", step);
  base = g_path_get_basename (path);
  fuzz_check (zi_run_parse_checkpoint_name (base, &again) && again == step);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  g_autofree char *text = g_strndup ((const char *) data, size);

  check_run_json (data, size);
  check_metrics_jsonl (data, size);
  check_best (data, size);
  check_metric_line (text);
  check_meta (text);
  check_chars (text);
  check_checkpoint_name (text);
  return 0;
}
