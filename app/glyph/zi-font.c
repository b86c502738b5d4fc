/* zi-font.c — placeholder: being written. */
