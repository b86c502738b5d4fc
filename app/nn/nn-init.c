/* nn-init.c — placeholder: being written. */
