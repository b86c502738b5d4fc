/* export-test-util.h — what the export test programs (test-export-trace.c, test-export-job.c,
 * test-export-cli.c, test-family.c) share. Each helper asserts on failure instead of returning an error. */
#pragma once

#include <json-glib/json-glib.h>

#include "zi-export.h"
#include "zi-font.h"
#include "zi-render.h"

#define TARGET_FONT "Zen Maru Gothic"
#define SOURCE_FONT "Noto Sans CJK TC"
#define SIZE 64

/* The target font: the one fixture the export tests use. */
typedef struct {
  ZiFont      *target;
  ZiPlacement  placement;
} Fixture;

void            fixture_setup    (Fixture *f, gconstpointer data);
void            fixture_teardown (Fixture *f, gconstpointer data);

/* Opens the font spec (a family or a file). */
ZiFont         *open_font        (const char *spec);
/* A new temporary directory; the test removes it with zi_dir_remove_tree. */
char           *make_temp_dir    (void);
/* The number of entries in dir. */
guint           count_entries    (const char *dir);
/* Runs argv; returns the exit status and captures stderr. */
int             run              (const char * const *argv, char **err_out);
/* What a zimaru-cli run gave. */
typedef struct {
  int   status;
  char *out;
  char *err;
} CliResult;

/* Runs $ZIMARU_CLI with the arguments (NULL-terminated); logs stderr when it fails. */
CliResult       cli              (const char *first, ...) G_GNUC_NULL_TERMINATED;
void            cli_result_clear (CliResult *r);
/* Sets the pixels of a SIZE × SIZE bitmap in [x0, x1) × [y0, y1), or whose centres lie within r of
 * (cx, cy), to v. */
void            fill_rect        (guint8 *bm, int x0, int y0, int x1, int y1, guint8 v);
void            fill_disc        (guint8 *bm, double cx, double cy, double r, guint8 v);
/* An export source rendering the font spec at SIZE. */
ZiExportSource *font_source      (const char *spec);
/* The root object of out_dir's manifest.json, owned by parser. */
JsonObject     *load_manifest    (const char *out_dir, JsonParser *parser);
