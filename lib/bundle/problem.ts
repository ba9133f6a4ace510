/** One thing verify found wrong, and the file of the bundle it is in. */
export interface Problem {
  readonly file: string;
  readonly message: string;
}

export function problem(file: string, message: string): Problem {
  return { file, message };
}
