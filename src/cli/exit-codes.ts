/**
 * 0: success.
 * 1: cells ran and some failed (or a check ran and failed: test-strategy, verify), or an
 *    unexpected runtime error.
 * 2: input that cannot be used, with nothing written: a bad spec or bad usage, a data file that
 *    cannot be loaded, a strategy module that cannot be imported or a command's program that is
 *    missing, a results path that is missing, not a results directory, or holds no readable result.
 */
export const EXIT_OK = 0;
export const EXIT_FAILED = 1;
export const EXIT_USAGE = 2;
