/* trainer-test-util.h — what the trainer's end-to-end test programs (test-trainer.c,
 * test-trainer-field.c) share: a tiny run's configuration, a recorder of the trainer's events and a
 * runner of zimaru-cli. Each helper asserts on failure instead of returning an error. */
#pragma once

#include "zi-trainer.h"

/* ~60 characters both fonts of the default pair have. */
#define TINY_CHARS "一二三四五六七八九十人大小山川日月火水木金土天上下中口目耳手足力田心文字学生先年本国語" \
                   "時間東西南北左右前後今出入見行来食書読話言電車道花草竹石雨雪風雲空海森林村町"

/* Zen Maru Gothic's weights, as the set-up installs them. */
#define ZEN_DIR     "/usr/local/share/fonts/zen-maru-gothic/"
#define ZEN_REGULAR ZEN_DIR "ZenMaruGothic_400Regular.ttf"
#define ZEN_MEDIUM  ZEN_DIR "ZenMaruGothic_500Medium.ttf"
#define ZEN_BOLD    ZEN_DIR "ZenMaruGothic_700Bold.ttf"

/* The contents of dir/name (g_free); asserts that it can be read. */
char                 *read_run_file  (const char *dir, const char *name);
/* A new temporary directory; the test removes it with zi_dir_remove_tree. */
char                 *make_tmp       (void);
/* A tiny run of TINY_CHARS: 32 px, ngf 8, batch 4, steps steps, validation and a checkpoint every 10,
 * 15% held out, seed 7, one thread, the dataset cached in cache_dir. */
void                  tiny_config    (ZiTrainerConfig *cfg, guint64 steps, const char *cache_dir);

/* Events, copied as they come. */
typedef struct {
  GPtrArray *events;
  GMutex     lock;
} Recorder;

void                  recorder_init  (Recorder *r);
void                  recorder_clear (Recorder *r);
/* The trainer's event function that records into the Recorder user_data. */
void                  record_cb      (ZiTrainer *trainer, const ZiTrainerEvent *event, gpointer user_data);
/* The first recorded event of kind at step (G_MAXUINT64: at any step), or NULL. */
const ZiTrainerEvent *find_event     (Recorder *r, ZiTrainerEventKind kind, guint64 step);
/* Runs trainer on this thread to its end, recording its events into r. */
void                  run_sync       (ZiTrainer *trainer, Recorder *r);

/* Runs $ZIMARU_CLI with args (NULL-terminated); returns its stdout and sets its wait status (0 on
 * success, else WEXITSTATUS says the exit code). _err also hands back its stderr (g_free). */
char                 *run_cli        (const char *const *args, int *status);
char                 *run_cli_err    (const char *const *args, int *status, char **err_out);
