/* test-error.c — engine statuses become errors of the Zimaru domain: the right code for each, and a
 * message made of what was being done and why. The why comes from core's own translatable table (the
 * engine's nn_status_str() is English only); untranslated, it must say the same as the engine. */
#include "config.h"
#include "zi-error.h"

#include <string.h>

static void
test_from_nn (void)
{
  static const struct {
    NnStatus status;
    int      code;   /* a ZiErrorCode; int like GError's code */
  } cases[] = {
    { NN_ERR_NOMEM, ZI_ERROR_RESOURCES },   { NN_ERR_INVALID, ZI_ERROR_INVALID },
    { NN_ERR_BAD_MAGIC, ZI_ERROR_CHECKPOINT }, { NN_ERR_VERSION, ZI_ERROR_CHECKPOINT },
    { NN_ERR_TRUNCATED, ZI_ERROR_CHECKPOINT }, { NN_ERR_CHECKSUM, ZI_ERROR_CHECKPOINT },
    { NN_ERR_SHAPE, ZI_ERROR_CHECKPOINT },  { NN_ERR_CORRUPT, ZI_ERROR_CHECKPOINT },
    { NN_ERR_NONFINITE, ZI_ERROR_NUMERIC }, { NN_ERR_CANCELLED, ZI_ERROR_CANCELLED },
    { NN_ERR_IO, ZI_ERROR_IO },
    { NN_OK, ZI_ERROR_FAILED },
  };
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      const char *why;

      zi_error_from_nn (&error, cases[i].status, "loading %s at step %d", "x.zck", 7);
      g_assert_error (error, ZI_ERROR, cases[i].code);
      g_assert_true (g_str_has_prefix (error->message, "loading x.zck at step 7: "));
      why = error->message + strlen ("loading x.zck at step 7: ");
      /* Untranslated (C locale), the words are the engine's; each status has its own. */
      g_assert_cmpstr (why, ==, nn_status_str (cases[i].status));
      g_assert_false (g_hash_table_contains (seen, why));
      g_hash_table_add (seen, g_strdup (why));
    }
  /* NULL is allowed, as for every GError setter. */
  zi_error_from_nn (NULL, NN_ERR_NOMEM, "nothing");
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/core/error/from-nn", test_from_nn);
  return g_test_run ();
}
