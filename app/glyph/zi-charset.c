/* zi-charset.c — placeholder: being written. */
