/* zi-chart-series.c — placeholder: being written. */
