/* seed-dataset-cache.c — writes the seed corpus of fuzz-dataset-cache: the cache file of the fuzzer's
 * fixed dataset as zi_dataset_load() writes it (so the seeds follow the current format), cut short,
 * and with its version field changed. Usage: seed-dataset-cache OUTDIR. */
#include <glib.h>
#include <glib/gstdio.h>
#include <string.h>

#include "zi-dataset.h"

static gboolean
save (const char *dir, const char *name, const char *data, gsize len, GError **error)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  return g_file_set_contents (path, data, (gssize) len, error);
}

static gboolean
write_seeds (const char *out, GError **error)
{
  /* The same fonts, characters, size and placement as fuzz-dataset-cache.c. */
  const gunichar chars[] = { 0x6C38, 0x3042, 'A' };
  g_autofree char *source_path = g_build_filename (ZI_FUZZ_SOURCE_DIR, "corpus", "font", "noto-tc.otf", NULL);
  g_autofree char *target_path = g_build_filename (ZI_FUZZ_SOURCE_DIR, "corpus", "font", "zen.ttf", NULL);
  g_autofree char *tmp = g_dir_make_tmp ("zimaru-seed-XXXXXX", error);
  g_autoptr(GDir) dir = NULL;
  ZiFont *source = NULL, *target = NULL;
  ZiDataset *ds = NULL;
  g_autofree char *contents = NULL;
  const char *name;
  gsize len = 0;
  gboolean ok = FALSE;

  if (tmp == NULL)
    return FALSE;
  if ((source = zi_font_open (source_path, error)) == NULL
      || (target = zi_font_open (target_path, error)) == NULL
      || (ds = zi_dataset_load (source, target, chars, G_N_ELEMENTS (chars), 16, ZI_DEFAULT_EM_FRACTION,
                                0, tmp, NULL, NULL, NULL, NULL, error)) == NULL
      || (dir = g_dir_open (tmp, 0, error)) == NULL)
    goto out;
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (tmp, name, NULL);
      if (contents == NULL && g_str_has_prefix (name, "dataset-")
          && !g_file_get_contents (path, &contents, &len, error))
        goto out;
      g_unlink (path);
    }
  if (contents == NULL || len < 16)
    {
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_NOENT, "zi_dataset_load wrote no cache file");
      goto out;
    }
  if (!save (out, "reference.bin", contents, len, error)
      || !save (out, "truncated.bin", contents, len / 2, error))
    goto out;
  contents[8] ^= 0x02;  /* the format version */
  ok = save (out, "version.bin", contents, len, error);

out:
  zi_dataset_free (ds);
  zi_font_free (source);
  zi_font_free (target);
  g_rmdir (tmp);
  return ok;
}

int
main (int argc, char **argv)
{
  g_autoptr(GError) error = NULL;

  if (argc != 2)
    {
      g_printerr ("usage: seed-dataset-cache OUTDIR\n");
      return 2;
    }
  if (g_mkdir_with_parents (argv[1], 0755) != 0)
    {
      g_printerr ("seed-dataset-cache: cannot create %s\n", argv[1]);
      return 1;
    }
  if (!write_seeds (argv[1], &error))
    {
      g_printerr ("seed-dataset-cache: %s\n", error->message);
      return 1;
    }
  return 0;
}
