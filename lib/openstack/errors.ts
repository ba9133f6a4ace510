/**
 * Why the target could not be tested at all (as opposed to a conformance failure). The runner
 * prints `message` as one line and exits 2.
 */
export type EnvironmentErrorCode =
  | 'UNREACHABLE'
  | 'DNS'
  | 'TLS'
  | 'TIMEOUT'
  | 'TOO_LARGE'
  | 'NOT_JSON'
  | 'AUTH_FAILED'
  | 'NO_ENDPOINT'
  | 'BAD_RESPONSE';

export class EnvironmentError extends Error {
  readonly code: EnvironmentErrorCode;

  constructor(code: EnvironmentErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'EnvironmentError';
    this.code = code;
  }
}

export function isEnvironmentError(error: unknown): error is EnvironmentError {
  return error instanceof Error && error.name === 'EnvironmentError' && 'code' in error;
}
