import { UsageError } from './usage.ts';

/**
 * A small option parser for the subcommands: `--name value`, `--name=value`, repeatable options,
 * switches, and a fixed set of values where an option has one. Anything else is bad usage.
 */
type OptionSpec =
  | { readonly kind: 'switch'; readonly aliases?: readonly string[] }
  | {
      readonly kind: 'value' | 'list';
      readonly aliases?: readonly string[];
      readonly choices?: readonly string[];
      readonly placeholder: string;
    };

export type OptionSpecs = Readonly<Record<string, OptionSpec>>;

export interface ParsedArgs {
  readonly switches: ReadonlySet<string>;
  readonly values: ReadonlyMap<string, string>;
  readonly lists: ReadonlyMap<string, readonly string[]>;
  readonly help: boolean;
}

/** `--help` and `-h` are every command's. */
export function wantsHelp(args: readonly string[]): boolean {
  return args.some((a) => a === '--help' || a === '-h');
}

export function parseArgs(command: string, args: readonly string[], specs: OptionSpecs): ParsedArgs {
  const byFlag = new Map<string, [string, OptionSpec]>();
  for (const [name, spec] of Object.entries(specs)) {
    byFlag.set(`--${name}`, [name, spec]);
    for (const alias of spec.aliases ?? []) byFlag.set(alias, [name, spec]);
  }
  const switches = new Set<string>();
  const values = new Map<string, string>();
  const lists = new Map<string, string[]>();
  let help = false;
  for (let i = 0; i < args.length; i += 1) {
    const arg = args[i] ?? '';
    if (arg === '--help' || arg === '-h') {
      help = true;
      continue;
    }
    const eq = arg.startsWith('--') ? arg.indexOf('=') : -1;
    const flag = eq > 0 ? arg.slice(0, eq) : arg;
    const found = byFlag.get(flag);
    if (found === undefined)
      throw new UsageError(
        command,
        arg.startsWith('-') ? `unknown option '${arg}'` : `unexpected argument '${arg}'`,
      );
    const [name, spec] = found;
    if (spec.kind === 'switch') {
      if (eq > 0) throw new UsageError(command, `${flag} takes no value`);
      switches.add(name);
      continue;
    }
    let value: string | undefined;
    if (eq > 0) value = arg.slice(eq + 1);
    else {
      value = args[i + 1];
      // `--include --list` is a missing value, not a pattern named --list.
      if (value !== undefined && value.startsWith('-') && byFlag.has(value.split('=')[0] ?? ''))
        value = undefined;
      else i += 1;
    }
    if (value === undefined || value === '')
      throw new UsageError(command, `${flag} needs a value (${spec.placeholder})`);
    if (spec.choices !== undefined && !spec.choices.includes(value))
      throw new UsageError(command, `${flag} must be one of ${spec.choices.join(', ')}, not '${value}'`);
    if (spec.kind === 'list') lists.set(name, [...(lists.get(name) ?? []), value]);
    else {
      if (values.has(name)) throw new UsageError(command, `${flag} given twice`);
      values.set(name, value);
    }
  }
  return { switches, values, lists, help };
}
