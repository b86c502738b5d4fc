/* nn-sched.c — placeholder: being written. */
