/* zi-model.c — placeholder: being written. */
