/**
 * A setting that is missing, malformed or contradicts another one. The runner prints `message`
 * as one line and exits 2, so the message must name the variable and say what is expected.
 */
export class ConfigError extends Error {
  readonly variable: string;

  constructor(variable: string, message: string) {
    super(`${variable}: ${message}`);
    this.name = 'ConfigError';
    this.variable = variable;
  }
}
