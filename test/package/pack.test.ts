import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  ancestorModules,
  cleanEnv,
  devOnlyPackages,
  installTarball,
  manifest,
  pack,
  REPO,
  run,
  type Packed,
} from './install.ts';

// The package as a user gets it: `npm pack`, installed in an empty folder with no devDependency,
// then its command run against the embedded mock. Slow (an install and a whole run): one of each.

/** What a run needs; everything else stays in the repository. */
const SHIPPED =
  /^(bin|lib|schemas|suites)\/|^(package\.json|README\.md|LICENSE|CHANGELOG\.md|\.env\.example|vitest\.config\.ts)$/;
const NOT_SHIPPED = [
  /^test\//,
  /^scripts\//,
  /^\.ci\//,
  /^docs\//,
  /^lib\/(bench|fidelity|mutants)\//,
  /^eslint\.config/,
  /^\.prettier/,
  /^tsconfig\.json$/,
  /^knip\.json$/,
  /^reports\//,
  /^\.env$/,
  /package-lock\.json$/,
];

let packed: Packed;
let app: string;

beforeAll(async () => {
  packed = await pack();
  app = await installTarball(packed.tarball);
}, 300_000);

afterAll(() => {
  if (packed !== undefined) rmSync(dirname(packed.tarball), { recursive: true, force: true });
});

const npx = (args: readonly string[], env = cleanEnv()) =>
  run('npx', ['--no', '--', 'nova-conformance', ...args], app, env);

describe('the packed tarball', () => {
  test('holds what a run needs and nothing of the repository besides', () => {
    const stray = packed.files.filter(
      (path) => !SHIPPED.test(path) || NOT_SHIPPED.some((re) => re.test(path)),
    );
    expect(stray).toEqual([]);
    for (const needed of [
      'bin/nova-conformance.js',
      'lib/cli/main.ts',
      'lib/mock/start.ts',
      'lib/entry/index.js',
      'vitest.config.ts',
      'CHANGELOG.md',
      'LICENSE',
    ])
      expect(packed.files).toContain(needed);
    expect(packed.files.some((path) => /^suites\/.+\.test\.ts$/.test(path))).toBe(true);
    expect(packed.files.some((path) => /^schemas\/.+\.json$/.test(path))).toBe(true);
  });

  test('is publishable: not private, with its entry points, repository and engines', () => {
    expect(manifest['private']).toBeUndefined();
    for (const field of ['repository', 'homepage', 'bugs', 'keywords', 'exports', 'files'])
      expect(manifest[field], field).toBeDefined();
    expect(manifest.bin).toEqual({ 'nova-conformance': 'bin/nova-conformance.js' });
    expect(manifest.engines['node']).toMatch(/^>=20\./);
  });
});

describe('installed with --omit=dev in an empty folder', () => {
  test('can reach no devDependency, installed or above it', async () => {
    const devOnly = devOnlyPackages();
    expect(devOnly).toContain('typescript');
    const installed = devOnly.filter((name) => existsSync(join(app, 'node_modules', name)));
    expect(installed).toEqual([]);
    expect(ancestorModules(dirname(app))).toEqual([]);
    // As the installed package's own modules would look them up.
    const from = join(app, 'node_modules', manifest.name, 'lib', 'cli', 'main.ts');
    const script = `const r = require('node:module').createRequire(${JSON.stringify(from)});
      console.log(JSON.stringify(${JSON.stringify(devOnly)}.filter((n) => { try { r.resolve(n + '/package.json'); return true; } catch { return false; } })));`;
    const got = await run(process.execPath, ['-e', script], app);
    expect(got.stdout.trim(), got.stderr).toBe('[]');
  });

  test('--version prints the package version and --help the usage, both exit 0', async () => {
    const version = await npx(['--version']);
    expect(version).toMatchObject({ code: 0, stdout: `${manifest.version}\n` });
    const help = await npx(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^Usage:/m);
    expect(help.stdout).toContain('nova-conformance mock');
    const runHelp = await npx(['run', '--help']);
    expect(runHelp.code, runHelp.stderr).toBe(0);
  }, 120_000);

  test('`npx nova-conformance run` against the embedded mock: exit 0, the reports written, a bundle that verifies', async () => {
    const reportDir = join(app, 'out');
    const got = await npx(['run'], cleanEnv({ CONFORMANCE_REPORT_DIR: reportDir }));
    expect(got.code, `${got.stdout}\n${got.stderr}`).toBe(0);
    expect(got.stdout).toContain('Testing the embedded mock cloud');
    expect(got.stdout).toMatch(/^Verdict: PASSED$/m);
    // Each run writes reports/<run id>/, and `latest` names the last one.
    const runDir = join(reportDir, 'latest');
    const summary = JSON.parse(readFileSync(join(runDir, 'summary.json'), 'utf8')) as {
      verdict: string;
      totals: { tests: { passed: number; failed: number } };
    };
    expect(summary.verdict).toBe('PASSED');
    expect(summary.totals.tests.failed).toBe(0);
    // Every check ran, from the installed copy of the suites (none lost to a missing module).
    expect(summary.totals.tests.passed).toBeGreaterThan(50);
    expect(readFileSync(join(runDir, 'junit.xml'), 'utf8')).toMatch(/^<\?xml/);
    expect(readFileSync(join(runDir, 'summary.html'), 'utf8')).toContain('<html');
    // The installed package packs and verifies its own results (schemas and all, from the tarball).
    const bundle = join(app, 'results.tar.gz');
    const packed = await npx(['bundle', runDir, '-o', bundle]);
    expect(packed.code, `${packed.stdout}\n${packed.stderr}`).toBe(0);
    const verified = await npx(['verify', bundle]);
    expect(verified.code, `${verified.stdout}\n${verified.stderr}`).toBe(0);
  }, 600_000);

  test('the programmatic entry starts the embedded mock for plain Node', async () => {
    const script = [
      "import { startMock } from 'nova-conformance';",
      'const mock = await startMock();',
      "const got = await fetch(mock.url + '/compute/');",
      'console.log(got.status, Object.keys(await got.json()).join());',
      'await mock.stop();',
    ].join('\n');
    const got = await run(process.execPath, ['--input-type=module', '-e', script], app);
    expect(got, got.stderr).toMatchObject({ code: 0, stdout: '200 versions\n' });
  }, 120_000);

  test("a TypeScript user's compiler accepts the entry's types, strict, without reading the sources", async () => {
    writeFileSync(
      join(app, 'consumer.ts'),
      [
        "import { main, startMock, type RunningMock } from 'nova-conformance';",
        "export const mock: Promise<RunningMock> = startMock({ release: 'epoxy', port: 0 });",
        "export const code: Promise<number> = main(['--version']);",
        '',
      ].join('\n'),
    );
    const options = {
      module: 'nodenext',
      moduleResolution: 'nodenext',
      target: 'es2022',
      strict: true,
      noEmit: true,
      types: [],
    };
    writeFileSync(
      join(app, 'tsconfig.json'),
      JSON.stringify({ compilerOptions: options, files: ['consumer.ts'] }),
    );
    const tsc = join(REPO, 'node_modules', 'typescript', 'bin', 'tsc');
    const got = await run(process.execPath, [tsc, '-p', app, '--listFilesOnly'], app);
    expect(got.code, got.stdout).toBe(0);
    expect(got.stdout.split('\n').filter((file) => file.includes('/nova-conformance/'))).toEqual([
      join(app, 'node_modules', 'nova-conformance', 'lib', 'entry', 'index.d.ts'),
    ]);
    const checked = await run(process.execPath, [tsc, '-p', app], app);
    expect(checked, checked.stdout).toMatchObject({ code: 0, stdout: '' });
  }, 120_000);
});
