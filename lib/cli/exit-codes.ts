/** The exit-code contract, also in the README. */
export const EXIT_PASSED = 0;
export const EXIT_FAILED = 1;
export const EXIT_ENVIRONMENT = 2;
export const EXIT_INTERRUPTED = 130;
