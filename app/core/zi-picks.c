/* zi-picks.c — placeholder: being written. */
