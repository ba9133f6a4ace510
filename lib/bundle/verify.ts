import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { isDeepStrictEqual } from 'node:util';
import { join } from 'node:path';
import { directoryDigest, sha256Of } from './digest.ts';
import { checkHar, readHar } from './har-check.ts';
import { HAR_FILE } from './har.ts';
import { readJunit } from './junit-read.ts';
import { MANIFEST_FILE, readManifest } from './manifest.ts';
import { checkJunit, checkOutcomes } from './outcomes.ts';
import { problem, type Problem } from './problem.ts';
import { readSummary } from './summary-read.ts';

/** The suite verify runs as: its version and the digest of its schemas/. */
export interface Installed {
  readonly version: string;
  readonly schemasSha256: string;
}

export function installedSuite(root: string): Installed {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version?: unknown };
  return {
    version: typeof pkg.version === 'string' ? pkg.version : 'unknown',
    schemasSha256: directoryDigest(join(root, 'schemas')),
  };
}

export type Verdict =
  | { readonly kind: 'consistent'; readonly summary: string }
  | { readonly kind: 'problems'; readonly problems: readonly Problem[] }
  /** Not a bundle this installation can judge: unreadable, or another suite version's. */
  | { readonly kind: 'cannot'; readonly reason: string };

const SUMMARY = 'summary.json';
const JUNIT = 'junit.xml';

/**
 * Everything a certifier can check of a run directory without the cloud: the manifest and each
 * file's digest, the totals and verdict re-derived from the results, junit.xml against them
 * testcase by testcase, and each exchange of exchanges.har against its check's outcome.
 */
export function verifyRunDir(dir: string, installed: Installed): Verdict {
  const manifestPath = join(dir, MANIFEST_FILE);
  if (!existsSync(manifestPath) || !statSync(manifestPath).isFile())
    return {
      kind: 'cannot',
      reason: `${dir} holds no ${MANIFEST_FILE}: not a run directory of nova-conformance`,
    };
  const manifest = readManifest(readFileSync(manifestPath, 'utf8'));
  if (typeof manifest === 'string') return { kind: 'problems', problems: [problem(MANIFEST_FILE, manifest)] };
  if (
    manifest.suite.version !== installed.version ||
    manifest.suite.schemasSha256 !== installed.schemasSha256
  )
    return {
      kind: 'cannot',
      reason: `the bundle was made by nova-conformance ${manifest.suite.version} (schemas ${manifest.suite.schemasSha256.slice(0, 12)}), this is ${installed.version} (schemas ${installed.schemasSha256.slice(0, 12)}): verify it with nova-conformance ${manifest.suite.version}`,
    };

  const problems: Problem[] = [];
  const texts = new Map<string, string>();
  for (const [name, expected] of Object.entries(manifest.files)) {
    const path = join(dir, name);
    if (name.includes('/') || name.includes('\\') || !existsSync(path)) {
      problems.push(problem(name, `is named in ${MANIFEST_FILE} but missing`));
      continue;
    }
    const bytes = readFileSync(path);
    if (sha256Of(bytes) !== expected.sha256 || bytes.length !== expected.bytes)
      problems.push(problem(name, `was altered (its sha256 is not the one ${MANIFEST_FILE} holds)`));
    texts.set(name, bytes.toString('utf8'));
  }
  for (const name of readdirSync(dir))
    if (name !== MANIFEST_FILE && !(name in manifest.files))
      problems.push(problem(name, `is not named in ${MANIFEST_FILE}`));
  for (const name of [SUMMARY, JUNIT, HAR_FILE])
    if (!(name in manifest.files)) problems.push(problem(name, `is missing from ${MANIFEST_FILE}'s files`));

  const summary = readSummary(texts.get(SUMMARY) ?? '');
  if (typeof summary === 'string')
    return { kind: 'problems', problems: [...problems, problem(SUMMARY, summary)] };
  if (summary.runId !== manifest.runId)
    problems.push(
      problem(MANIFEST_FILE, `names run ${manifest.runId}, summary.json ${summary.runId ?? '(none)'}`),
    );
  if (
    summary.tool['version'] !== manifest.suite.version ||
    summary.tool['gitCommit'] !== manifest.suite.gitCommit
  )
    problems.push(problem(MANIFEST_FILE, `names another suite version or commit than summary.json`));
  if (!isDeepStrictEqual(summary.product ?? null, manifest.product))
    problems.push(problem(MANIFEST_FILE, `describes another product than summary.json`));
  const target = { kind: manifest.target.kind, computeEndpoint: manifest.target.computeEndpoint };
  if (
    !isDeepStrictEqual(target, {
      kind: summary.target['kind'],
      computeEndpoint: summary.target['computeEndpoint'],
    }) ||
    !isDeepStrictEqual(manifest.target.microversions, summary.target['novaMicroversions'])
  )
    problems.push(problem(MANIFEST_FILE, `describes another target than summary.json`));
  problems.push(...checkOutcomes(summary, manifest.verdict));

  const junit = readJunit(texts.get(JUNIT) ?? '');
  if (typeof junit === 'string') problems.push(problem(JUNIT, junit));
  else problems.push(...checkJunit(summary, junit));

  const entries = readHar(texts.get(HAR_FILE) ?? '');
  if (typeof entries === 'string')
    return { kind: 'problems', problems: [...problems, problem(HAR_FILE, entries)] };
  const har = checkHar(entries, summary.results);
  problems.push(...har.problems);
  if (problems.length > 0) return { kind: 'problems', problems };
  return {
    kind: 'consistent',
    summary: `${summary.verdict}, ${summary.results.length} results, ${har.entries} exchanges, ${har.revalidated} bodies re-validated against the schemas of nova-conformance ${installed.version}`,
  };
}
