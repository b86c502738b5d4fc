/* zi-metrics.c — placeholder: being written. */
