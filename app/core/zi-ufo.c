/* zi-ufo.c — placeholder: being written. */
