// The table `npm run mutants` prints: one row per mutant, then the totals.
import type { Report } from './runner.ts';

function cut(text: string, width: number): string {
  return text.length <= width ? text.padEnd(width) : `${text.slice(0, width - 1)}…`;
}

/** The behaviour IDs of the killing tests (their names start with them), else the first reason. */
function killers(names: readonly string[]): string {
  const ids = new Set<string>();
  for (const n of names) {
    const m = /\b([A-Z]+-\d{2})\b/.exec(n);
    if (m?.[1] !== undefined) ids.add(m[1]);
  }
  return ids.size > 0 ? [...ids].join(', ') : (names[0] ?? '');
}

export function formatTable(report: Report): string {
  const lines: string[] = [];
  const w = { name: 30, what: 62, verdict: 9 };
  lines.push(
    `${'mutant'.padEnd(w.name)} ${'what it changes'.padEnd(w.what)} ${'verdict'.padEnd(w.verdict)} by`,
  );
  lines.push('-'.repeat(w.name + w.what + w.verdict + 30));
  for (const m of report.mutants)
    lines.push(
      `${cut(m.name, w.name)} ${cut(m.description, w.what)} ${(m.verdict === 'killed' ? 'killed' : 'SURVIVED').padEnd(w.verdict)} ${killers(m.killedBy)}`,
    );
  lines.push('');
  const identity =
    report.identity === undefined
      ? 'not run'
      : `${report.identity.ok ? 'passed' : 'FAILED'} (${report.identity.passed} passed, ${report.identity.skipped} skipped, ${report.identity.failed.length} failed)`;
  lines.push(`identity run (no mutant, all suites): ${identity}`);
  const total = report.mutants.length;
  const pct = total === 0 ? 0 : Math.round((1000 * report.killed) / total) / 10;
  lines.push(
    `mutants: ${total}, killed ${report.killed}, survived ${report.survived} (${pct}% killed) in ${report.seconds.toFixed(1)} s against the ${report.target}`,
  );
  return lines.join('\n');
}
