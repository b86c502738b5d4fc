/* zi-health.c — placeholder: being written. */
