/**
 * Bad usage of the command line: an unknown option, a missing or bad value. It ends the command
 * with exit code 2 and exactly one line on stderr that names the problem and where help is.
 */
export class UsageError extends Error {
  constructor(
    readonly command: string,
    problem: string,
  ) {
    super(problem);
  }
}

export function usageLine(error: UsageError): string {
  const where = error.command === '' ? 'nova-conformance' : `nova-conformance ${error.command}`;
  return `${where}: ${error.message.replace(/\s*\n\s*/g, ' ')}; see '${where} --help'`;
}
