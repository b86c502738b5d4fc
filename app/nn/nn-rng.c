/* nn-rng.c — placeholder: being written. */
