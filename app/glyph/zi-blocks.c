/* zi-blocks.c — placeholder: being written. */
