/* fuzz-util.h — what the libFuzzer targets of tests/fuzz share: a private scratch directory for the
 * inputs that our code reads by path, GLib criticals and warnings made fatal (a g_return_if_fail
 * tripped by an input is a bug in the caller, so the fuzzer must report it as a crash), and a strict
 * XML 1.0 well-formedness check for the writers' output. */
#pragma once

#include <glib.h>
#include <stddef.h>
#include <stdint.h>

G_BEGIN_DECLS

int  LLVMFuzzerInitialize (int *argc, char ***argv);
int  LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

/* Aborts (which libFuzzer reports with the input) when condition is false. */
#define fuzz_check(condition) \
  G_STMT_START { if (!(condition)) fuzz_fail (__FILE__, __LINE__, #condition); } G_STMT_END
G_NORETURN void fuzz_fail (const char *file, int line, const char *what);

/* Call once from LLVMFuzzerInitialize: fatal criticals, the scratch directory (removed at exit). */
void        fuzz_init (void);
/* The scratch directory, under $TMPDIR (run-fuzzers.sh points it at /dev/shm when it can). */
const char *fuzz_scratch_dir (void);
/* Writes data to name inside the scratch directory, replacing it in place (no rename, no fsync:
 * this is a fuzzer's throwaway input, not user data), and returns its path (g_free). */
char       *fuzz_write_file (const char *name, const void *data, size_t size);
/* Removes a file or a directory tree (best effort). */
void        fuzz_remove_tree (const char *path);

/* TRUE if text[0..len) is well-formed XML 1.0 as far as a writer can get it wrong: valid UTF-8, only
 * XML 1.0 characters, literally and in character references (GMarkup accepts &#1; and U+FFFE, which
 * XML 1.0 and every strict parser refuse), balanced elements and proper escaping (GMarkup's parse).
 * On failure *why (may be NULL) says what is wrong (g_free). */
gboolean    fuzz_xml_is_well_formed (const char *text, gsize len, char **why);

G_END_DECLS
