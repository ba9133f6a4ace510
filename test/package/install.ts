import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { dirname, join, parse } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

interface LockEntry {
  readonly dev?: boolean;
  readonly devOptional?: boolean;
  readonly [key: string]: unknown;
}

interface Manifest {
  readonly name: string;
  readonly version: string;
  readonly license: string;
  readonly bin: Readonly<Record<string, string>>;
  readonly engines: Readonly<Record<string, string>>;
  readonly dependencies: Readonly<Record<string, string>>;
  readonly devDependencies: Readonly<Record<string, string>>;
  readonly [key: string]: unknown;
}

export const manifest = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as Manifest;
const lock = JSON.parse(readFileSync(join(REPO, 'package-lock.json'), 'utf8')) as {
  packages: Record<string, LockEntry>;
};

/** devDependencies nothing in `dependencies` pulls in: none of them may be installed by a user. */
export function devOnlyPackages(): string[] {
  return Object.keys(manifest.devDependencies).filter(
    (name) => lock.packages[`node_modules/${name}`]?.dev === true,
  );
}

/**
 * The environment of the child: no cloud, no run setting, no colour switch and nothing npm passes
 * to a script it runs (`npm test` sets npm_config_*, which would steer the inner npm).
 */
export function cleanEnv(extra: Record<string, string> = {}): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (value === undefined) continue;
    if (/^(OS_|CONFORMANCE_|NOVA_CONFORMANCE_|npm_|VITEST|NODE_OPTIONS$|CI$|NO_COLOR$)/.test(key)) continue;
    env[key] = value;
  }
  return { ...env, npm_config_update_notifier: 'false', npm_config_fund: 'false', ...extra };
}

export interface Ran {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs a command to its end (never through a shell); a non-zero exit is returned, not thrown. */
export function run(
  command: string,
  args: readonly string[],
  cwd: string,
  env: Record<string, string> = cleanEnv(),
  timeoutMs = 240_000,
): Promise<Ran> {
  return new Promise((resolve, reject) => {
    execFile(
      command,
      [...args],
      { cwd, env, timeout: timeoutMs, maxBuffer: 32 * 1024 * 1024, encoding: 'utf8' },
      (error, stdout, stderr) => {
        if (error !== null && typeof error.code !== 'number') {
          reject(new Error(`${command} ${args.join(' ')}: ${error.message}\n${stderr}`));
          return;
        }
        resolve({ code: error === null ? 0 : Number(error.code), stdout, stderr });
      },
    );
  });
}

export interface Packed {
  /** The tarball `npm pack` made of the repository. */
  readonly tarball: string;
  /** The paths inside it, as npm lists them. */
  readonly files: readonly string[];
}

/** The folders from `dir` up to the root that hold a node_modules (Node looks in each). */
export function ancestorModules(dir: string): string[] {
  const found: string[] = [];
  for (let at = dir; ; at = dirname(at)) {
    if (existsSync(join(at, 'node_modules'))) found.push(join(at, 'node_modules'));
    if (at === parse(at).root) return found;
  }
}

/**
 * A folder for the tarball and the new project where Node finds no node_modules above it: one
 * there (a /tmp/node_modules left by someone) would lend the install packages it does not have.
 */
function isolatedBase(): string {
  const candidates = [tmpdir(), '/var/tmp', homedir()];
  const base = candidates.find((dir) => existsSync(dir) && ancestorModules(dir).length === 0);
  if (base === undefined)
    throw new Error(`no folder free of a node_modules above it among ${candidates.join(', ')}`);
  return base;
}

/** `npm pack` of the repository into a fresh folder. */
export async function pack(): Promise<Packed> {
  const into = mkdtempSync(join(isolatedBase(), 'nc-pack-'));
  const got = await run('npm', ['pack', '--json', '--pack-destination', into], REPO);
  if (got.code !== 0) throw new Error(`npm pack failed (${got.code}): ${got.stderr}`);
  const [report] = JSON.parse(got.stdout) as { filename: string; files: { path: string }[] }[];
  if (report === undefined) throw new Error(`npm pack printed no report: ${got.stdout}`);
  return { tarball: join(into, report.filename), files: report.files.map((file) => file.path) };
}

/**
 * A new project in an empty folder whose one dependency is the tarball, installed with
 * `npm ci --omit=dev`. Its lockfile pins every package at the version the repository's own
 * lockfile has (the ones CI's `npm ci` installed), so the install is reproducible and comes from
 * npm's cache when that install filled it.
 */
export async function installTarball(tarball: string): Promise<string> {
  const app = join(dirname(tarball), 'app');
  mkdirSync(app);
  const spec = `file:${tarball}`;
  const integrity = `sha512-${createHash('sha512').update(readFileSync(tarball)).digest('base64')}`;
  const packages: Record<string, unknown> = {
    '': { name: 'nc-package-test', dependencies: { [manifest.name]: spec } },
    [`node_modules/${manifest.name}`]: {
      version: manifest.version,
      resolved: spec,
      integrity,
      license: manifest.license,
      dependencies: manifest.dependencies,
      bin: manifest.bin,
      engines: manifest.engines,
    },
  };
  for (const [path, entry] of Object.entries(lock.packages)) {
    if (path === '' || entry.dev === true) continue;
    // devOptional: wanted by a devDependency and, optionally, by a dependency (an optional peer):
    // here only the optional want is left.
    const { devOptional, ...kept } = entry;
    packages[path] = devOptional === true ? { ...kept, optional: true } : kept;
  }
  writeFileSync(
    join(app, 'package.json'),
    `${JSON.stringify({ name: 'nc-package-test', private: true, dependencies: { [manifest.name]: spec } }, null, 2)}\n`,
  );
  writeFileSync(
    join(app, 'package-lock.json'),
    `${JSON.stringify({ name: 'nc-package-test', lockfileVersion: 3, requires: true, packages }, null, 2)}\n`,
  );
  const got = await run('npm', ['ci', '--omit=dev', '--prefer-offline', '--no-audit', '--no-fund'], app);
  if (got.code !== 0) throw new Error(`npm ci of the tarball failed (${got.code}): ${got.stderr}`);
  return app;
}
