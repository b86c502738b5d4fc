/* zi-run.c — placeholder: being written. */
