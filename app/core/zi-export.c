/* zi-export.c — placeholder: being written. */
