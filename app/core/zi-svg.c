/* zi-svg.c — placeholder: being written. */
