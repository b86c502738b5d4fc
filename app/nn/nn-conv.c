/* nn-conv.c — placeholder: being written. */
