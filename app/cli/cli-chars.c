/* cli-chars.c — placeholder: being written (CHARS / --exclude handling shared by the commands). */
