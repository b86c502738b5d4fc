/* nn-pix2pix.c — placeholder: being written. */
