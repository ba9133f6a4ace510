import { readFileSync } from 'node:fs';
import { collectSuiteChecks, exactNamePattern, type SuiteCheck } from '../behaviours/checks.ts';
import { behaviourRegistry } from '../behaviours/registry.ts';
import {
  describeSelection,
  isEmptySelection,
  parsePattern,
  patternLines,
  selector,
  SelectionError,
  unknownPatterns,
  type CheckRef,
  type Pattern,
  type Selection,
} from '../behaviours/select.ts';
import type { RunArgs } from './run-args.ts';
import { UsageError } from './usage.ts';

/** What the run selects, resolved before any target is contacted. */
export interface SelectionPlan {
  /** The selection in command-line words; '' when everything runs. */
  readonly description: string;
  readonly isSelected: (check: CheckRef) => boolean;
  /** The suites' checks, collected when a selection or --list needs them. */
  readonly checks: readonly SuiteCheck[] | undefined;
  /** vitest's name pattern for the selected checks; undefined when everything runs. */
  readonly namePattern: string | undefined;
}

function readPatternFile(flag: string, path: string): string[] {
  try {
    return patternLines(readFileSync(path, 'utf8'));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new UsageError('run', `${flag} ${path}: cannot read it${code !== undefined ? ` (${code})` : ''}`);
  }
}

function patternsOf(flag: string, texts: readonly string[]): Pattern[] {
  try {
    return texts.map(parsePattern);
  } catch (error) {
    if (error instanceof SelectionError) throw new UsageError('run', `${flag}: ${error.message}`);
    throw error;
  }
}

export async function planSelection(args: RunArgs): Promise<SelectionPlan> {
  const registry = behaviourRegistry();
  const include = [
    ...patternsOf('--include', args.include),
    ...args.includeFiles.flatMap((f) =>
      patternsOf(`--include-file ${f}`, readPatternFile('--include-file', f)),
    ),
  ];
  const exclude = [
    ...patternsOf('--exclude', args.exclude),
    ...args.excludeFiles.flatMap((f) =>
      patternsOf(`--exclude-file ${f}`, readPatternFile('--exclude-file', f)),
    ),
  ];
  const unknown = unknownPatterns([...include, ...exclude], registry);
  if (unknown.length > 0)
    throw new UsageError(
      'run',
      `${unknown.map((p) => `'${p.text}'`).join(', ')} ${unknown.length === 1 ? 'names' : 'name'} no behaviour, scenario or tag (see --list)`,
    );
  const selection: Selection = { include, exclude, filters: args.filters };
  if (isEmptySelection(selection) && !args.list)
    return { description: '', isSelected: () => true, checks: undefined, namePattern: undefined };

  const isSelected = selector(selection, registry);
  const checks = await collectSuiteChecks();
  const selected = checks.filter(isSelected);
  if (selected.length === 0 && !isEmptySelection(selection))
    throw new UsageError('run', `the selection (${describeSelection(selection)}) leaves no check to run`);
  return {
    description: describeSelection(selection),
    isSelected,
    checks,
    namePattern: isEmptySelection(selection) ? undefined : exactNamePattern(selected),
  };
}
