/* cli-eval.c — `zimaru-cli eval --checkpoint CKPT [--source FONT] [--target FONT] [CHARS] [--json]
 * [--outlines [--trace-preset round|square] [--smooth S] [--fit-tolerance T]]`: L1, SSIM and ink IoU of the generated glyphs against
 * the target font's, and of the identity baseline (the source glyph as the answer), on [0, 1] images
 * with ink = 1 (zi-metrics.h). CHARS default to the run's validation characters, so `eval` on a run
 * directory measures what training held out.
 *
 * --outlines measures outlines as well (zi-outline-metric.h): each generated glyph traced as export
 * traces it (zi_export_trace_generated: a field model's field, an ink model's coverage), the source
 * font's own outline placed in the target's frame as the model sees it, both against the target
 * font's own outline. The bitmap measures always take ink, derived for a field model.
 *
 * --style NAME, --style all or --weight N choose what a multi-style model draws (cli-style.h). Each
 * style is compared with its own target font (the style's in the checkpoint's metadata) unless
 * --target names one; a weight between styles has no font of its own and needs --target. */
#include <inttypes.h>
#include "config.h"
#include "cli-chars.h"
#include "cli-common.h"
#include "cli-style.h"
#include "cli-trace.h"
#include "zi-dataset.h"
#include "zi-error.h"
#include "zi-export.h"
#include "zi-font.h"
#include "zi-metrics.h"
#include "zi-model.h"
#include "zi-outline-metric.h"
#include "zi-run.h"
#include "zi-trace.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

static void
eval_progress_cb (guint64 done, guint64 total, gpointer user_data)
{
  zi_cli_progress_update (user_data, _("Generating"), done, total);
}

/* The run's validation characters, for a checkpoint that belongs to a run. */
static GArray *
run_val_chars (ZiModel *model, GError **error)
{
  const char *run = zi_model_get_run_dir (model);
  ZiRunInfo info;
  GArray *chars;

  if (run == NULL)
    {
      g_set_error (error, ZI_ERROR, ZI_ERROR_INVALID,
                   _("%s is not part of a run directory; give the characters to evaluate (--chars, "
                     "--chars-text or --preset)"), zi_model_get_checkpoint_path (model));
      return NULL;
    }
  if (!zi_run_info_load (run, &info, error))
    return NULL;
  if (info.n_val_chars == 0)
    {
      g_set_error (error, ZI_ERROR, ZI_ERROR_INVALID,
                   _("The run %s has no validation characters (trained with --val-fraction 0); give the "
                     "characters to evaluate"), run);
      zi_run_info_clear (&info);
      return NULL;
    }
  chars = g_array_sized_new (FALSE, FALSE, sizeof (gunichar), info.n_val_chars);
  g_array_append_vals (chars, info.val_chars, info.n_val_chars);
  zi_run_info_clear (&info);
  return chars;
}

/* The glyphs' outline measures: the model's tracings and the identity baseline, each against the
 * target font's outline of the same character. */
typedef struct {
  guint            n;
  ZiOutlineMetric *model;     /* [n] */
  ZiOutlineMetric *baseline;  /* [n] */
} OutlineEval;

static void
outline_eval_clear (OutlineEval *e)
{
  for (guint i = 0; i < e->n; i++)
    {
      zi_outline_metric_clear (&e->model[i]);
      zi_outline_metric_clear (&e->baseline[i]);
    }
  g_clear_pointer (&e->model, g_free);
  g_clear_pointer (&e->baseline, g_free);
  e->n = 0;
}

/* Moves the source font's outline into the target's font units the way the dataset draws it: source
 * font units → canvas pixels by the source placement → target font units by the target placement
 * (zi-render.h). Both maps scale x and y alike, so their composition is one scale and offset. */
static void
place_like_target (ZiOutline *outline, const ZiPlacement *source, const ZiPlacement *target)
{
  zi_outline_transform (outline, source->scale / target->scale,
                        (source->origin_x - target->origin_x) / target->scale,
                        (target->origin_y - source->origin_y) / target->scale);
}

static gboolean
measure_outlines (OutlineEval         *e,
                  const ZiDataset     *data,
                  const guint8        *raw,
                  guint                field_spread,
                  ZiFont              *source,
                  ZiFont              *target,
                  const ZiTraceParams *params,
                  ZiCliProgress       *progress,
                  GError             **error)
{
  int upm = zi_font_get_units_per_em (target);
  gsize plane = (gsize) data->size * data->size;

  e->model = g_new0 (ZiOutlineMetric, data->n);
  e->baseline = g_new0 (ZiOutlineMetric, data->n);
  for (guint i = 0; i < data->n; i++)
    {
      g_autoptr(ZiOutline) traced = NULL;
      g_autoptr(ZiOutline) want = NULL;
      g_autoptr(ZiOutline) from = NULL;

      traced = zi_export_trace_generated (raw + i * plane, field_spread, data->size, &data->target_placement,
                                          params, error);
      if (traced == NULL || (want = zi_font_char_outline (target, data->chars[i], error)) == NULL
          || (from = zi_font_char_outline (source, data->chars[i], error)) == NULL)
        return FALSE;
      place_like_target (from, &data->source_placement, &data->target_placement);
      zi_outline_metric_measure (&e->model[i], traced, want, upm);
      zi_outline_metric_measure (&e->baseline[i], from, want, upm);
      e->n = i + 1;
      zi_cli_progress_update (progress, _("Measuring outlines"), e->n, data->n);
    }
  return TRUE;
}

/* A number, or null where the measure is undefined (NAN). */
static void
json_measure (JsonBuilder *b, const char *name, double value)
{
  if (isfinite (value))
    zi_cli_json_double (b, name, value);
  else
    zi_cli_json_string (b, name, NULL);
}

static void
json_stat (JsonBuilder *b, const char *name, ZiOutlineStat stat)
{
  json_builder_set_member_name (b, name);
  json_builder_begin_object (b);
  json_measure (b, "median", stat.median);
  json_measure (b, "mean", stat.mean);
  json_builder_end_object (b);
}

static void
json_summary (JsonBuilder *b, const char *name, const ZiOutlineSummary *s)
{
  json_builder_set_member_name (b, name);
  json_builder_begin_object (b);
  zi_cli_json_int (b, "n_empty", s->n_empty);
  json_stat (b, "iou", s->iou);
  json_stat (b, "mean_distance", s->mean_distance);
  json_stat (b, "p95", s->p95);
  json_measure (b, "p95_pooled", s->p95_pooled);
  json_stat (b, "on_curve_ratio", s->on_curve_ratio);
  json_stat (b, "wobble", s->wobble);
  json_measure (b, "contour_match", s->contour_match);
  json_stat (b, "straight_share", s->straight_share);
  json_builder_end_object (b);
}

static void
json_glyph (JsonBuilder *b, const char *name, const ZiOutlineMetric *m)
{
  json_builder_set_member_name (b, name);
  json_builder_begin_object (b);
  json_measure (b, "iou", m->iou);
  json_measure (b, "mean_distance", m->mean_distance);
  json_measure (b, "p95", m->p95);
  zi_cli_json_int (b, "on_curve", m->on_curve);
  json_measure (b, "on_curve_ratio", zi_outline_metric_on_curve_ratio (m));
  json_measure (b, "wobble", m->wobble);
  zi_cli_json_int (b, "contours", m->contours);
  json_builder_set_member_name (b, "contour_match");
  json_builder_add_boolean_value (b, zi_outline_metric_contour_match (m));
  json_measure (b, "straight_share", zi_outline_metric_straight_share (m));
  json_builder_end_object (b);
}

static void
json_outlines (JsonBuilder *b, const OutlineEval *e, const ZiDataset *data, const ZiTraceParams *trace)
{
  ZiOutlineSummary model, base;

  zi_outline_metric_summarize (&model, e->model, e->n);
  zi_outline_metric_summarize (&base, e->baseline, e->n);
  json_builder_set_member_name (b, "outlines");
  json_builder_begin_object (b);
  zi_cli_json_string (b, "trace_preset", zi_trace_preset_to_string (trace->preset));
  zi_cli_json_double (b, "fit_tolerance", trace->tolerance);
  zi_cli_json_double (b, "smooth", trace->smooth);
  zi_cli_json_int (b, "units_per_em", (gint64) ZI_OUTLINE_METRIC_EM);
  zi_cli_json_int (b, "n", e->n);
  json_summary (b, "model", &model);
  json_summary (b, "baseline", &base);
  json_builder_set_member_name (b, "target");
  json_builder_begin_object (b);
  json_stat (b, "wobble", model.target_wobble);
  json_stat (b, "straight_share", model.target_straight_share);
  json_builder_end_object (b);

  json_builder_set_member_name (b, "glyphs");
  json_builder_begin_array (b);
  for (guint i = 0; i < e->n; i++)
    {
      const ZiOutlineMetric *m = &e->model[i];
      char utf8[8] = { 0 };

      g_unichar_to_utf8 (data->chars[i], utf8);
      json_builder_begin_object (b);
      zi_cli_json_string (b, "char", utf8);
      zi_cli_json_int (b, "codepoint", data->chars[i]);
      json_glyph (b, "model", m);
      json_glyph (b, "baseline", &e->baseline[i]);
      json_builder_set_member_name (b, "target");
      json_builder_begin_object (b);
      zi_cli_json_int (b, "on_curve", m->target_on_curve);
      json_measure (b, "wobble", m->target_wobble);
      zi_cli_json_int (b, "contours", m->target_contours);
      json_measure (b, "straight_share", zi_outline_metric_target_straight_share (m));
      json_builder_end_object (b);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_end_object (b);
}

/* text right-aligned in width terminal columns (zi_cli_pad counts them; printf counts bytes). */
static void
print_right (const char *text, guint width)
{
  g_autofree char *padded = zi_cli_pad (text, width);

  printf ("%*s%s", (int) (strlen (padded) - strlen (text)), "", text);
}

/* A value in 9 columns, or a dash where it is undefined. */
static void
print_cell (double value, int decimals)
{
  if (isfinite (value))
    printf ("%9.*f", decimals, value);
  else
    printf ("%8s–", "");  /* the dash is one column but three bytes: printf's width counts bytes */
}

static void
print_row (const char *label, int decimals, const ZiOutlineStat *model, const ZiOutlineStat *base,
           const ZiOutlineStat *target)
{
  const ZiOutlineStat *cols[] = { model, base, target };
  g_autofree char *padded = zi_cli_pad (label, 20);

  printf ("  %s", padded);
  for (gsize k = 0; k < G_N_ELEMENTS (cols); k++)
    if (cols[k] != NULL)
      {
        print_cell (cols[k]->median, decimals);
        print_cell (cols[k]->mean, decimals);
      }
    else if (k + 1 < G_N_ELEMENTS (cols))
      printf ("%18s", "");
  printf ("\n");
}

static void
print_outlines (const OutlineEval *e, const ZiTraceParams *trace)
{
  ZiOutlineSummary model, base;
  ZiOutlineStat pooled_model, pooled_base, match_model, match_base;
  g_autofree char *head = zi_cli_pad ("", 20);

  zi_outline_metric_summarize (&model, e->model, e->n);
  zi_outline_metric_summarize (&base, e->baseline, e->n);
  /* Set-wide figures print in the median column, the mean left blank. */
  pooled_model = (ZiOutlineStat) { model.p95_pooled, NAN };
  pooled_base = (ZiOutlineStat) { base.p95_pooled, NAN };
  match_model = (ZiOutlineStat) { model.contour_match, NAN };
  match_base = (ZiOutlineStat) { base.contour_match, NAN };

  printf (g_dngettext (GETTEXT_PACKAGE,
                       "Outlines traced with the %s preset, against the target font's, in units of a "
                       "1000-unit em (%u glyph):\n",
                       "Outlines traced with the %s preset, against the target font's, in units of a "
                       "1000-unit em (%u glyphs):\n", e->n),
          zi_trace_preset_to_string (trace->preset), e->n);
  printf ("  %s", head);
  print_right (_("model"), 18);
  print_right (_("baseline"), 18);
  print_right (_("target"), 18);
  printf ("\n  %s", head);
  for (int k = 0; k < 3; k++)
    {
      print_right (_("median"), 9);
      print_right (_("mean"), 9);
    }
  printf ("\n");
  print_row (_("IoU"), 3, &model.iou, &base.iou, NULL);
  print_row (_("mean distance"), 2, &model.mean_distance, &base.mean_distance, NULL);
  print_row (_("95th percentile"), 2, &model.p95, &base.p95, NULL);
  print_row (_("  pooled"), 2, &pooled_model, &pooled_base, NULL);
  print_row (_("on-curve ratio"), 2, &model.on_curve_ratio, &base.on_curve_ratio, NULL);
  print_row (_("wobble"), 3, &model.wobble, &base.wobble, &model.target_wobble);
  print_row (_("straight share"), 3, &model.straight_share, &base.straight_share, &model.target_straight_share);
  print_row (_("contour match"), 3, &match_model, &match_base, NULL);
  if (model.n_empty > 0)
    printf (g_dngettext (GETTEXT_PACKAGE,
                         "  %u generated glyph traced to nothing: IoU 0, left out of the other figures\n",
                         "  %u generated glyphs traced to nothing: IoU 0, left out of the other figures\n",
                         model.n_empty),
            model.n_empty);
}

/* One selection's measures. */
typedef struct {
  ZiDataset   *data;
  ZiMetrics    m, base;
  OutlineEval  oe;
} EvalResult;

static void
eval_result_clear (EvalResult *r)
{
  outline_eval_clear (&r->oe);
  g_clear_pointer (&r->data, zi_dataset_free);
}

/* Generates chars with model as it is set and measures them against target_spec. */
static gboolean
eval_one (EvalResult *r, ZiModel *model, GArray *chars, ZiFont *source, const char *target_spec,
          const char *cache_dir, gboolean outlines, const ZiTraceParams *trace, ZiCliProgress *progress,
          GError **error)
{
  g_autofree guint8 *raw = NULL;
  g_autofree guint8 *gen = NULL;
  g_autofree guint8 *src = NULL;
  g_autofree guint8 *tgt = NULL;
  ZiFont *target = zi_font_open (target_spec, error);
  gboolean ok = FALSE;

  if (target == NULL)
    return FALSE;
  r->data = zi_dataset_load (source, target, (const gunichar *) chars->data, chars->len,
                             zi_model_get_size (model), zi_model_get_em_fraction (model), 0, cache_dir, NULL,
                             NULL, NULL, NULL, error);
  if (r->data == NULL)
    goto out;
  raw = g_malloc ((gsize) r->data->n * r->data->size * r->data->size);
  gen = g_malloc ((gsize) r->data->n * r->data->size * r->data->size);
  src = g_malloc ((gsize) r->data->n * r->data->size * r->data->size);
  tgt = g_malloc ((gsize) r->data->n * r->data->size * r->data->size);
  zi_packed_images_get_all (r->data->source, src);
  zi_packed_images_get_all (r->data->target, tgt);
  if (!zi_model_generate_raw (model, src, r->data->n, raw, eval_progress_cb, progress, NULL,
                              error))
    goto out;
  zi_model_raw_to_coverage (model, raw, gen, r->data->n);
  if (outlines
      && !measure_outlines (&r->oe, r->data, raw, zi_model_get_field_spread (model), source, target, trace,
                            progress, error))
    goto out;
  zi_metrics_coverage (gen, tgt, r->data->n, r->data->size, &r->m);
  zi_metrics_coverage (src, tgt, r->data->n, r->data->size, &r->base);
  ok = TRUE;
out:
  zi_font_free (target);
  return ok;
}

/* The members of one selection's JSON object (or of the whole object for one selection). */
static void
json_result (JsonBuilder *b, const EvalResult *r, gboolean outlines, const ZiTraceParams *trace)
{
  zi_cli_json_int (b, "n", r->data->n);
  zi_cli_json_metrics (b, "model", &r->m);
  zi_cli_json_metrics (b, "baseline", &r->base);
  if (outlines)
    json_outlines (b, &r->oe, r->data, trace);
}

static void
print_result (const EvalResult *r, gboolean outlines, const ZiTraceParams *trace)
{
  printf (_("  model     L1 %.4f  SSIM %.4f  IoU %.4f\n"), r->m.l1, r->m.ssim, r->m.iou);
  printf (_("  baseline  L1 %.4f  SSIM %.4f  IoU %.4f  (source glyph as the answer)\n"),
          r->base.l1, r->base.ssim, r->base.iou);
  if (outlines)
    print_outlines (&r->oe, trace);
}

int
zi_cli_eval (int argc, char **argv)
{
  g_autofree char *checkpoint = NULL;
  g_autofree char *source_spec = NULL;
  g_autofree char *target_spec = NULL;
  g_autofree char *cache_dir = NULL;
  gboolean json = FALSE, quiet = FALSE, outlines = FALSE;
  ZiCliStyle style_opts;
  ZiCliTrace trace_opts;
  const GOptionEntry command_entries[] = {
    { "checkpoint", 0, 0, G_OPTION_ARG_FILENAME, &checkpoint,
      N_("Checkpoint file, or a run directory (its newest checkpoint)"), N_("CKPT") },
    { "source", 0, 0, G_OPTION_ARG_STRING, &source_spec,
      N_("Source font (default: the one the model was trained with)"), N_("FONT") },
    { "target", 0, 0, G_OPTION_ARG_STRING, &target_spec,
      N_("Target font (default: the one the model was trained with)"), N_("FONT") },
    { "cache-dir", 0, 0, G_OPTION_ARG_FILENAME, &cache_dir, N_("Glyph cache (default ~/.cache/zimaru)"), N_("DIR") },
    { "outlines", 0, 0, G_OPTION_ARG_NONE, &outlines,
      N_("Also trace the glyphs as export does and measure the outlines against the target font's"), NULL },
    ZI_CLI_TRACE_ENTRIES (&trace_opts),
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print one JSON object"), NULL },
    { "quiet", 'q', 0, G_OPTION_ARG_NONE, &quiet, N_("Show no progress"), NULL },
    ZI_CLI_STYLE_ENTRIES (&style_opts),
    { NULL }
  };
  ZiCliChars chars_opts = { 0 };
  g_autofree GOptionEntry *entries = zi_cli_chars_entries (&chars_opts, command_entries);
  g_autoptr(GError) error = NULL;
  g_autoptr(ZiModel) model = NULL;
  g_autoptr(GArray) chars = NULL;
  g_autoptr(GArray) selections = NULL;
  g_autoptr(JsonBuilder) b = NULL;
  ZiFont *source = NULL;
  ZiCliProgress progress;
  ZiTraceParams trace;
  guint measured = G_MAXUINT;
  gboolean all;
  int code;

  zi_cli_style_init (&style_opts);
  zi_cli_trace_init (&trace_opts);
  if (!zi_cli_parse (&argc, &argv, "eval", NULL,
                     _("Measure L1, SSIM and ink IoU of a checkpoint's glyphs against the target font, and "
                       "of the identity baseline. CHARS default to the run's validation characters. With "
                       "--outlines, also trace each glyph as export does and compare the outlines with the "
                       "target font's own, in units of a 1000-unit em: IoU at 256 px per em, mean "
                       "nearest-point distance and its 95th percentile, on-curve points against the "
                       "target's, wobble (turning per contour, 1 for a convex one), contour match and "
                       "straight share, for the model and the identity baseline, medians and means. "
                       "A model of several styles measures each against its own target font."),
                     entries, &code))
    goto out;
  code = ZI_EXIT_USAGE;
  if (checkpoint == NULL)
    {
      zi_cli_usage_error (_("--checkpoint CKPT is required (see 'zimaru-cli eval --help')"));
      goto out;
    }
  if (!zi_cli_style_check (&style_opts, TRUE))
    goto out;
  if (ZI_CLI_GIVEN (style_opts.weight) && target_spec == NULL)
    {
      zi_cli_usage_error (_("--weight %g has no target font of its own to compare with; give --target "
                            "FONT"), style_opts.weight);
      goto out;
    }
  if (!zi_cli_trace_params (&trace_opts, &trace))
    goto out;
  if (zi_cli_trace_given (&trace_opts) && !outlines)
    {
      zi_cli_usage_error (_("--trace-preset, --smooth and --fit-tolerance go with --outlines (see "
                            "'zimaru-cli eval --help')"));
      goto out;
    }
  chars = zi_cli_chars_resolve (&chars_opts, &error);
  if (chars == NULL && error != NULL)
    {
      code = zi_cli_fail (error);
      goto out;
    }

  model = zi_model_load (checkpoint, &error);
  if (model == NULL)
    {
      code = zi_cli_fail (error);
      goto out;
    }
  selections = zi_cli_style_resolve (&style_opts, model, &error);
  if (selections == NULL)
    {
      code = zi_cli_fail (error);
      goto out;
    }
  if (chars == NULL)
    {
      chars = run_val_chars (model, &error);
      if (chars == NULL || !zi_cli_chars_exclude (&chars_opts, chars, &error))
        {
          code = zi_cli_fail (error);
          goto out;
        }
    }
  zi_cli_model_fonts (model, &source_spec, NULL);
  source = zi_font_open (source_spec, &error);
  if (source == NULL)
    {
      code = zi_cli_fail (error);
      goto out;
    }

  all = zi_cli_style_is_all (&style_opts);
  b = json_builder_new ();
  json_builder_begin_object (b);
  zi_cli_json_string (b, "checkpoint", zi_model_get_checkpoint_path (model));
  zi_cli_json_int (b, "step", (gint64) zi_model_get_step (model));
  zi_cli_json_int (b, "size", zi_model_get_size (model));
  if (all)
    {
      json_builder_set_member_name (b, "styles");
      json_builder_begin_object (b);
    }
  for (guint k = 0; k < selections->len; k++)
    {
      const ZiCliSelection *sel = &g_array_index (selections, ZiCliSelection, k);
      const char *target = target_spec != NULL ? target_spec : zi_cli_style_font (model, sel);
      EvalResult r = { 0 };
      gboolean ok;

      zi_cli_progress_init (&progress, quiet || json);
      ok = zi_cli_style_apply (model, sel, &error)
           && eval_one (&r, model, chars, source, target, cache_dir, outlines, &trace, &progress, &error);
      zi_cli_progress_done (&progress);
      if (!ok)
        {
          eval_result_clear (&r);
          code = zi_cli_fail (error);
          goto out;
        }
      measured = MIN (measured, r.data->n);
      if (all)
        {
          json_builder_set_member_name (b, sel->name);
          json_builder_begin_object (b);
        }
      if (zi_cli_style_given (&style_opts))
        {
          zi_cli_json_string (b, "style", sel->name);
          zi_cli_json_double (b, "weight", sel->weight);
          zi_cli_json_string (b, "target", target);
        }
      json_result (b, &r, outlines, &trace);
      if (all)
        json_builder_end_object (b);
      if (!json)
        {
          if (k == 0)
            printf (g_dngettext (GETTEXT_PACKAGE, "%s (step %" PRIu64 "), %u character at %u px:\n",
                                 "%s (step %" PRIu64 "), %u characters at %u px:\n", r.data->n),
                    zi_model_get_checkpoint_path (model), zi_model_get_step (model), r.data->n, r.data->size);
          if (zi_cli_style_given (&style_opts))
            printf (_("Style %s (weight %g) against %s:\n"), sel->name, sel->weight, target);
          print_result (&r, outlines, &trace);
        }
      eval_result_clear (&r);
    }
  if (all)
    json_builder_end_object (b);
  json_builder_end_object (b);
  if (json)
    zi_cli_json_print (b);
  if (measured < chars->len && !quiet)
    fprintf (stderr, g_dngettext (GETTEXT_PACKAGE,
                                  "zimaru-cli: warning: %u of the %u characters is missing from one of the "
                                  "fonts and was not measured\n",
                                  "zimaru-cli: warning: %u of the %u characters are missing from one of the "
                                  "fonts and were not measured\n", chars->len - measured),
             chars->len - measured, chars->len);
  code = ZI_EXIT_OK;

out:
  g_clear_pointer (&source, zi_font_free);
  zi_cli_chars_clear (&chars_opts);
  zi_cli_style_clear (&style_opts);
  zi_cli_trace_clear (&trace_opts);
  return code;
}
