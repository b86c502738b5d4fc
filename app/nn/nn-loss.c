/* nn-loss.c — placeholder: being written. */
