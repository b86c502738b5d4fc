/* nn-misc.c — placeholder: being written. */
