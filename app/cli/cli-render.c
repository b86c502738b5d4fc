/* cli-render.c — placeholder: being written. */
#include "cli-common.h"

int
zi_cli_render (int argc, char **argv)
{
  return zi_cli_usage_error ("'%s' is not available in this build yet", argv[0]);
}
