/* zi-fileutil.h — crash-safe file writing shared by every writer in Zimaru (checkpoints, run.json,
 * picks, exports): write a temporary file beside the target, fsync it, rename it into place, fsync the
 * directory. A crash or a full disk leaves either the old file or the new one, never a torn one. And
 * one check the readers of our JSON files share. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Writes len bytes atomically to path. On failure the previous file (if any) is untouched and no
 * temporary file is left behind; the error names the file and the cause. */
gboolean zi_file_write_atomic (const char  *path,
                               const void  *data,
                               gsize        len,
                               GError     **error);

/* The file a ZiFileWriteFunc writes into: the temporary file of zi_file_write_atomic_stream(). */
typedef struct _ZiFileStream ZiFileStream;

/* Produces the contents of the file with zi_file_stream_write(); returns FALSE with error set when it
 * fails for a reason of its own, and FALSE (error optional) when a write failed. */
typedef gboolean (*ZiFileWriteFunc) (ZiFileStream  *out,
                                     gpointer       user_data,
                                     GError       **error);

/* Appends len bytes to the file. FALSE once a write has failed: later writes do nothing, and
 * zi_file_write_atomic_stream() fails saying why (disk full, ...). */
gboolean zi_file_stream_write (ZiFileStream *out,
                               const void   *data,
                               gsize         len);

/* zi_file_write_atomic() for contents produced piece by piece (a checkpoint the size of the model),
 * so that they never need to be in memory whole; the same guarantees: on any failure, of a write or
 * of write_func, the previous file is untouched and the temporary file removed. */
gboolean zi_file_write_atomic_stream (const char       *path,
                                      ZiFileWriteFunc   write_func,
                                      gpointer          user_data,
                                      GError          **error);

/* Appends one line (a '\n' is added) to path and fsyncs it; for append-only logs like metrics.jsonl. */
gboolean zi_file_append_line (const char  *path,
                              const char  *line,
                              GError     **error);

/* Creates a fresh temporary directory beside final_path ("<final_path>.tmp-XXXXXX") for writers that
 * build a whole directory and then rename it into place with zi_dir_commit(). */
char *zi_dir_make_temp_beside (const char  *final_path,
                               GError     **error);

/* Moves tmp_dir to final_path. If final_path exists it is replaced only when force is TRUE (the old
 * directory is moved aside first and removed after the rename), else ZI_ERROR_EXISTS. */
gboolean zi_dir_commit (const char  *tmp_dir,
                        const char  *final_path,
                        gboolean     force,
                        GError     **error);

/* Removes a directory tree (used to clean up a cancelled or failed export). Best effort. */
void zi_dir_remove_tree (const char *path);

/* FALSE when text (len bytes) starts with a JSON object or array and has more than white space after
 * it. Each of our JSON files holds one value, and JSON-GLib 1.6 reads text holding several ("{...}
 * {...}", a file two writers appended to) as the first and leaks the others (~0.5 kB a time, which
 * grew the run fuzzer past its memory limit): readers refuse such text before JSON-GLib sees it. Only
 * strings and brackets are followed; JSON-GLib judges the rest. */
gboolean zi_json_text_is_one_value (const char *text, gsize len);

/* Repairs, in place, what JSON-GLib 1.6's generator writes for a double whose "%.17g" form has an
 * exponent but no '.': it appends ".0", so 1e17 comes out as "1e+17.0", which no JSON reader accepts
 * (ours included: a metrics line or run.json holding one would not load again). Drops that ".0" from
 * numbers outside strings; returns json. */
char    *zi_json_repair_exponents (char *json);

G_END_DECLS
