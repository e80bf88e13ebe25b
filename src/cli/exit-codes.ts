/** 0: success. 1: the run finished but cells failed, or a runtime error. 2: bad spec or bad usage, nothing written. */
export const EXIT_OK = 0;
export const EXIT_FAILED = 1;
export const EXIT_USAGE = 2;
