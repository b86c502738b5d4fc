/* nn-norm.c — placeholder: being written. */
