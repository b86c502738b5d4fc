/* zi-image.c — placeholder: being written. */
