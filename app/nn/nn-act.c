/* nn-act.c — placeholder: being written. */
