import type { SuiteCheck } from '../behaviours/checks.ts';
import { behaviourById } from '../behaviours/registry.ts';
import type { CheckRef } from '../behaviours/select.ts';
import { printable } from '../report/printable.ts';

/**
 * `run --list`: one line per check that would run (its name, scenario, tags and level), then a
 * count. The check lines are what a script reads; they start with the behaviour ID.
 */
export function listLines(checks: readonly SuiteCheck[], isSelected: (c: CheckRef) => boolean): string[] {
  const selected = checks.filter(isSelected);
  const lines = selected.map((check) => {
    const behaviour = check.behaviourId === undefined ? undefined : behaviourById(check.behaviourId);
    const tags = behaviour === undefined || behaviour.tags.length === 0 ? '-' : behaviour.tags.join(',');
    const level = behaviour?.level ?? '(not in the registry)';
    return printable(`${check.name}  [${check.scenario}] tags: ${tags}; ${level}`);
  });
  const behaviours = new Set(selected.map((c) => c.behaviourId ?? c.name)).size;
  lines.push('');
  lines.push(
    `${selected.length} of ${checks.length} checks selected (${behaviours} ${behaviours === 1 ? 'behaviour' : 'behaviours'})`,
  );
  return lines;
}
