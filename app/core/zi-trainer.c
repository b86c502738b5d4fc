/* zi-trainer.c — placeholder: being written. */
