/* zi-dataset.c — placeholder: being written. */
