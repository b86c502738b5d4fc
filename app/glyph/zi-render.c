/* zi-render.c — placeholder: being written. */
