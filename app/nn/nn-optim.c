/* nn-optim.c — placeholder: being written. */
