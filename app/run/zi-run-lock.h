/* zi-run-lock.h — one writer per run directory. Whatever writes into a run (training and resuming,
 * from the CLI or the window, and the window saving picks) first takes RUN/.lock, an advisory lock
 * that the kernel drops when the process ends however it ends, so a crash never leaves a stale lock.
 * The file names the writer (pid, host, program, start time) for the message a second writer gets
 * and for the window that watches the run. Readers (generate, eval, export, the window opening a
 * run) never take it; they may ask who holds it. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define ZI_RUN_LOCK_FILE_NAME ".lock"

typedef struct _ZiRunLock ZiRunLock;

/* Who holds a run's lock, as the lock file says; what it does not say is 0 or NULL. */
typedef struct {
  gint64  pid;
  char   *host;
  char   *program;   /* "zimaru-cli", "Zimaru window", ... */
  gint64  started;   /* when the writer took the lock, Unix seconds */
} ZiRunWriter;

void        zi_run_writer_clear (ZiRunWriter *writer);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (ZiRunWriter, zi_run_writer_clear)

char       *zi_run_lock_path (const char *run_dir);

/* Takes the lock of run_dir (an existing directory) for this process's writer, named program (NULL:
 * the application's name, g_get_application_name()). Never waits: when another writer holds it,
 * ZI_ERROR_BUSY with one line naming the run and the writer ("The run R is being trained by
 * zimaru-cli (pid 4242 on HOST, since 10:31); stop it first, or open the run read-only in the
 * window."); ZI_ERROR_IO when the lock file cannot be created. A second acquire in the same process
 * fails too. */
ZiRunLock  *zi_run_lock_acquire (const char *run_dir, const char *program, GError **error);
/* Releases the lock (the file stays, emptied); NULL is fine. */
void        zi_run_lock_release (ZiRunLock *lock);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (ZiRunLock, zi_run_lock_release)

/* TRUE when some writer holds run_dir's lock, with writer (may be NULL; clear it) filled from the
 * lock file. Takes nothing and creates nothing. */
gboolean    zi_run_lock_get_writer (const char *run_dir, ZiRunWriter *writer);

/* "zimaru-cli (pid 4242 on HOST, since 10:31)": the writer for messages and the window's banner;
 * "another program" when the lock file names no one. */
char       *zi_run_writer_describe (const ZiRunWriter *writer);

G_END_DECLS
