import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Config } from '../config/types.ts';
import { withoutUserinfo } from '../openstack/userinfo.ts';
import type { TargetFacts, ToolFacts } from './model.ts';

/** What the runner learnt about the target in its preflight (never a token). */
export interface RunTargetFacts {
  readonly computeEndpoint?: string;
  readonly authUrl?: string;
  readonly region?: string;
  readonly microversions?: { readonly min: string; readonly max: string };
  /** The bodies of the version documents the preflight read, for the bundle's manifest. */
  readonly versionDocuments?: { readonly root?: unknown; readonly compute?: unknown };
}

/** The target as the reports show it: what the runner learnt, else the configuration; no userinfo in any URL. */
function record(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : undefined;
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

export function targetFacts(
  facts: RunTargetFacts,
  config: Config | undefined,
  kind: 'mock' | 'cloud' | undefined,
): TargetFacts {
  const computeEndpoint = facts.computeEndpoint;
  const authUrl = facts.authUrl ?? config?.cloud?.primary.authUrl;
  return {
    kind: kind ?? config?.target ?? 'unknown',
    computeEndpoint: computeEndpoint === undefined ? undefined : withoutUserinfo(computeEndpoint),
    authUrl: authUrl === undefined ? undefined : withoutUserinfo(authUrl),
    region: facts.region ?? config?.cloud?.regionName,
    microversions: facts.microversions,
  };
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
