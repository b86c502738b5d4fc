/* nn-arena.c — placeholder: being written. */
