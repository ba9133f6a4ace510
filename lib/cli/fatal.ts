import { ConfigError } from '../config/errors.ts';
import { isEnvironmentError } from '../openstack/errors.ts';
import { redactText } from '../openstack/redact.ts';
import { printable } from '../report/printable.ts';

/**
 * One line for an error that stops the run before any test: configuration and environment
 * failures are expected and get their own message; anything else is reported without a stack
 * unless NOVA_CONFORMANCE_DEBUG is set.
 */
export function describeFatal(error: unknown): string {
  if (error instanceof ConfigError) return `configuration error: ${error.message}`;
  if (isEnvironmentError(error)) return `cannot test the target: ${error.message}`;
  const message = error instanceof Error ? error.message : String(error);
  const first = message.split('\n')[0] ?? message;
  if (
    process.env['NOVA_CONFORMANCE_DEBUG'] !== undefined &&
    error instanceof Error &&
    error.stack !== undefined
  ) {
    return error.stack;
  }
  return `unexpected error: ${first} (set NOVA_CONFORMANCE_DEBUG=1 for details)`;
}

/**
 * Writes the line to stderr. Whatever the message holds (a Keystone answer, a value from the
 * environment) is redacted and shown with its control characters escaped, and a line break in it
 * cannot start a second line: the contract is one line.
 */
export function printFatal(error: unknown): void {
  const line = describeFatal(error);
  const debug = process.env['NOVA_CONFORMANCE_DEBUG'] !== undefined;
  const safe = printable(redactText(debug ? line : line.replace(/\r?\n/g, ' ')));
  process.stderr.write(`nova-conformance: ${safe}\n`);
}
