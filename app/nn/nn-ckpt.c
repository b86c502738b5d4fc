/* nn-ckpt.c — placeholder: being written. */
