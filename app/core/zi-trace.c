/* zi-trace.c — placeholder: being written. */
