import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Config } from '../config/types.ts';
import { withoutUserinfo } from '../openstack/userinfo.ts';
import type { TargetFacts, ToolFacts } from './model.ts';

/** Set by the runner (lib/harness/prepare.ts); holds tokens, so only two fields are read from it. */
const PREFLIGHT_VARIABLE = 'NOVA_CONFORMANCE_PREFLIGHT';
const RUN_ID_VARIABLE = 'NOVA_CONFORMANCE_RUN_ID';

function record(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : undefined;
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/**
 * What the runner learnt about the target. The preflight variable is parsed and only computeBase
 * and the microversion range are kept: the rest of it (tokens) must never reach a report.
 */
export function targetFacts(
  env: NodeJS.ProcessEnv,
  config: Config | undefined,
  kind: 'mock' | 'cloud' | undefined,
): TargetFacts {
  let computeEndpoint: string | undefined;
  let microversions: TargetFacts['microversions'];
  const raw = env[PREFLIGHT_VARIABLE];
  if (raw !== undefined) {
    try {
      const preflight = record(JSON.parse(raw));
      computeEndpoint = text(preflight?.['computeBase']);
      const versions = record(preflight?.['versions']);
      const min = text(versions?.['min']);
      const max = text(versions?.['max']);
      if (min !== undefined && max !== undefined) microversions = { min, max };
    } catch {
      // A preflight that does not parse leaves the facts unknown; the report says so.
    }
  }
  const authUrl = config?.cloud?.primary.authUrl;
  return {
    kind: kind ?? config?.target ?? 'unknown',
    computeEndpoint: computeEndpoint === undefined ? undefined : withoutUserinfo(computeEndpoint),
    authUrl: authUrl === undefined ? undefined : withoutUserinfo(authUrl),
    region: config?.cloud?.regionName,
    microversions,
  };
}

export function runIdOf(env: NodeJS.ProcessEnv): string | undefined {
  return env[RUN_ID_VARIABLE];
}

function gitCommit(root: string): string | undefined {
  try {
    const commit = execFileSync('git', ['rev-parse', 'HEAD'], {
      cwd: root,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--untracked-files=no'], {
      cwd: root,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    // A certification run from modified sources must say so: the commit alone would not reproduce it.
    return dirty.trim() === '' ? commit : `${commit}-modified`;
  } catch {
    return undefined;
  }
}

export function toolFacts(root: string): ToolFacts {
  let name = 'nova-conformance';
  let version = 'unknown';
  try {
    const pkg = record(JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')));
    name = text(pkg?.['name']) ?? name;
    version = text(pkg?.['version']) ?? version;
  } catch {
    // Outside the project (fixture runs) the package file may be missing.
  }
  return { name, version, gitCommit: gitCommit(root), node: process.version };
}
