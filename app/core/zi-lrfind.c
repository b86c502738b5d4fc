/* zi-lrfind.c — placeholder: being written. */
