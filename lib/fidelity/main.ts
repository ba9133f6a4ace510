// `npm run fidelity [-- --a <openrc[,openrc]> --b <openrc[,openrc]>]`: replays one request set on
// two targets and lists every difference. Exit 0: none left unexplained; 1: differences;
// 2: a target cannot be reached, authenticated or arranged.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { isEnvironmentError } from '../openstack/errors.ts';
import { redactText } from '../openstack/redact.ts';
import { newRunId } from '../harness/run-context.ts';
import { arrange, replay, sharedIds, type Context, type StepResult } from './run.ts';
import { RELEASES } from '../mock/releases.ts';
import { mockReleaseFor } from './release.ts';
import { defaultA, openCloud, openMock, type Side } from './target.ts';

const USAGE = `usage: npm run fidelity -- [--a <openrc>[,<openrc>...]] [--b <openrc>[,<openrc>...] | --release <r>] [--out <file>]
  --a        target A (default: ${defaultA()})
  --b        target B (default: the embedded mock, started in this process)
  --release  the release the mock imitates: ${RELEASES.join(', ')} (default: the one whose maximum
             microversion target A announces; refused when it contradicts that maximum)
  --out      the JSON report (default: reports/fidelity.json)`;

function outcomeText(outcome: StepResult['a']): string {
  if ('answer' in outcome) return outcome.answer.status === 0 ? 'done' : String(outcome.answer.status);
  if ('failure' in outcome) return 'FAILED';
  return 'not run';
}

function printStep(result: StepResult): void {
  const unexplained = result.differences.filter((d) => d.explained === undefined).length;
  const explained = result.differences.length - unexplained;
  const verdict =
    result.differences.length === 0
      ? 'same'
      : [unexplained > 0 && `${unexplained} DIFFERENT`, explained > 0 && `${explained} explained`]
          .filter(Boolean)
          .join(', ');
  const mark = unexplained > 0 ? '✗' : '✓';
  console.log(
    `${mark} ${result.id.padEnd(28)} ${outcomeText(result.a).padStart(7)} ${outcomeText(result.b).padStart(7)}  ${verdict}`,
  );
  for (const d of result.differences) {
    const tag = d.explained !== undefined ? `explained: ${d.explained}` : 'UNEXPLAINED';
    console.log(
      `    ${d.aspect} ${d.where}\n      A: ${redactText(d.a)}\n      B: ${redactText(d.b)}\n      (${tag})`,
    );
  }
}

async function main(): Promise<number> {
  let args;
  try {
    args = parseArgs({
      options: {
        a: { type: 'string' },
        b: { type: 'string' },
        out: { type: 'string' },
        release: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
    }).values;
  } catch (error) {
    console.error(`fidelity: ${error instanceof Error ? error.message : String(error)}\n${USAGE}`);
    return 2;
  }
  if (args.help === true) {
    console.log(USAGE);
    return 0;
  }
  if (args.release !== undefined && args.b !== undefined) {
    console.error('fidelity: --release chooses the mock, which --b replaces: give one of them');
    return 2;
  }
  const runId = `fidelity-${newRunId()}`;
  const specA = args.a ?? defaultA();
  const out = args.out ?? join(process.env['CONFORMANCE_REPORT_DIR'] ?? 'reports', 'fidelity.json');
  const sides: Side[] = [];
  let interrupted = false;
  const finishAll = async (): Promise<void> => {
    const results = await Promise.allSettled(sides.map((s) => s.finish()));
    results.forEach((r, i) => {
      const side = sides[i];
      if (side === undefined) return;
      if (r.status === 'rejected') console.error(`cleanup of ${side.label} failed: ${String(r.reason)}`);
      else if (r.value.failed.length > 0)
        console.error(
          `cleanup of ${side.label} left: ${r.value.failed.join('; ')} (journal ${side.journal}; run \`npm run cleanup\`)`,
        );
    });
  };
  const onSignal = (signal: NodeJS.Signals): void => {
    if (interrupted) return;
    interrupted = true;
    console.error(`\n${signal}: removing what the run created...`);
    void finishAll().finally(() => process.exit(130));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  try {
    let a: Context;
    let b: Context;
    try {
      const cannot = (key: 'A' | 'B', label: string, reason: unknown): number => {
        console.error(
          `fidelity: target ${key} (${label}) cannot be used: ${reason instanceof Error ? reason.message : String(reason)}`,
        );
        return 2;
      };
      const specB = args.b;
      if (specB === undefined) {
        // The mock is started as the release target A announces, so A must answer first.
        try {
          sides.push(await openCloud('a', specA, runId));
        } catch (error) {
          return cannot('A', specA, error);
        }
        const choice = mockReleaseFor((sides[0] as Side).facts.versions.max, args.release);
        if ('refusal' in choice) {
          console.error(`fidelity: ${choice.refusal}`);
          return 2;
        }
        try {
          sides.push(await openMock('b', runId, choice.release));
        } catch (error) {
          return cannot('B', `mock ${choice.release}`, error);
        }
      } else {
        const opened = await Promise.allSettled([openCloud('a', specA, runId), openCloud('b', specB, runId)]);
        for (const o of opened) if (o.status === 'fulfilled') sides.push(o.value);
        const failed = opened.findIndex((o) => o.status === 'rejected');
        if (failed >= 0)
          return cannot(
            failed === 0 ? 'A' : 'B',
            failed === 0 ? specA : specB,
            (opened[failed] as PromiseRejectedResult).reason,
          );
      }
      const [sideA, sideB] = sides as [Side, Side];
      console.log(`A: ${sideA.label} (${sideA.facts.computeBase}, compute ${sideA.facts.versions.max})`);
      console.log(`B: ${sideB.label} (${sideB.facts.computeBase}, compute ${sideB.facts.versions.max})`);
      console.log(`run ${runId}: arranging a server (networks none) and two ports on each target...`);
      const shared = sharedIds();
      [a, b] = await Promise.all([arrange(sideA, shared), arrange(sideB, shared)]);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      console.error(
        `fidelity: ${isEnvironmentError(error) ? '' : 'arranging failed: '}${redactText(message)}`,
      );
      return 2;
    }
    console.log(`\n  ${'step'.padEnd(28)} ${'A'.padStart(7)} ${'B'.padStart(7)}  result`);
    const results = await replay(a, b, undefined, printStep, () => interrupted);
    const all = results.flatMap((r) => r.differences);
    const unexplained = all.filter((d) => d.explained === undefined);
    mkdirSync(dirname(out), { recursive: true });
    writeFileSync(
      out,
      `${redactText(
        JSON.stringify(
          {
            runId,
            a: {
              label: a.side.label,
              computeBase: a.side.facts.computeBase,
              versions: a.side.facts.versions,
            },
            b: {
              label: b.side.label,
              computeBase: b.side.facts.computeBase,
              versions: b.side.facts.versions,
            },
            summary: {
              steps: results.length,
              differences: all.length,
              explained: all.length - unexplained.length,
              unexplained: unexplained.length,
            },
            steps: results,
          },
          null,
          2,
        ),
      )}\n`,
    );
    console.log(
      `\n${results.length} steps, ${all.length} differences: ${all.length - unexplained.length} explained, ${unexplained.length} unexplained. Report: ${out}`,
    );
    return unexplained.length > 0 ? 1 : 0;
  } finally {
    if (!interrupted) {
      console.log('removing what the run created...');
      await finishAll();
    }
  }
}

process.exitCode = await main();
