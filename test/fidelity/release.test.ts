// Fidelity per release: the mock is started as the release target A announces (or --release, which
// must agree), and the version documents are compared by value, so a mock of the wrong release shows.
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { type Answer, compareAnswers, versionEntries } from '../../lib/fidelity/diff.ts';
import { mockReleaseFor } from '../../lib/fidelity/release.ts';
import { openrcOf } from '../../lib/harness/target.ts';
import { createMockApp } from '../../lib/mock/app.ts';
import { RUN_DELAYS } from '../../lib/mock/delays.ts';
import type { Release } from '../../lib/mock/releases.ts';
import { startMock } from '../../lib/mock/start.ts';
import { loadTranscript, type TranscriptName } from '../mock/fixtures.ts';

describe('mockReleaseFor', () => {
  it('takes the release whose maximum target A announces', () => {
    expect(mockReleaseFor('2.93', undefined)).toEqual({ release: 'zed' });
    expect(mockReleaseFor('2.100', undefined)).toEqual({ release: 'epoxy' });
    expect(mockReleaseFor('2.104', '2026.2')).toEqual({ release: '2026.2' });
  });
  it('refuses, in one line, a --release that contradicts the maximum, an unknown maximum or release', () => {
    const refusals = [
      mockReleaseFor('2.104', 'zed'),
      mockReleaseFor('2.95', undefined),
      mockReleaseFor('2.95', 'epoxy'),
      mockReleaseFor('2.93', 'bobcat'),
    ].map((r) => ('refusal' in r ? r.refusal : `accepted ${r.release}`));
    expect(refusals).toEqual([
      '--release zed (maximum 2.93) contradicts target A, whose maximum microversion is 2.104 (2026.2)',
      "target A's maximum microversion 2.95 is none of the releases the mock imitates (zed 2.93, epoxy 2.100, 2026.2 2.104): compare with --b <openrc> instead",
      '--release epoxy (maximum 2.100) contradicts target A, whose maximum microversion is 2.95',
      "--release must be one of zed, epoxy, 2026.2, got 'bobcat'",
    ]);
  });
});

/** A recorded answer of real Nova, as the fidelity check sees an answer. */
function recorded(name: TranscriptName, n: number): Answer {
  const r = loadTranscript(name).records.find((x) => x.n === n);
  if (!r) throw new Error(`no record ${n} in ${name}`);
  const headers: Record<string, string[]> = {};
  for (const [k, v] of r.headers) (headers[k.toLowerCase()] ??= []).push(v);
  return { status: r.status, headers, text: r.body ?? '' };
}

async function mockAnswer(release: Release, path: string, token: boolean): Promise<Answer> {
  const app = createMockApp({ release });
  try {
    const agent = request(app.handler);
    let req = agent.get(path);
    if (token) {
      const login = await agent.post('/identity/v3/auth/tokens').send({
        auth: {
          identity: {
            methods: ['password'],
            password: { user: { name: 'demo', domain: { name: 'Default' }, password: 'demo-pass' } },
          },
          scope: { project: { name: 'demo', domain: { name: 'Default' } } },
        },
      });
      req = req.set('X-Auth-Token', String(login.headers['x-subject-token']));
    }
    const res = await req;
    const headers: Record<string, string[]> = {};
    for (const [k, v] of Object.entries(res.headers))
      headers[k.toLowerCase()] = Array.isArray(v) ? v.map(String) : [String(v)];
    return { status: res.status, headers, text: res.text };
  } finally {
    app.close();
  }
}

describe('version documents are compared by value', () => {
  const values = (a: Answer, b: Answer): string[] =>
    compareAnswers(a, b, {}, {})
      .filter((d) => d.aspect === 'value')
      .map((d) => `${d.where}: ${d.a} / ${d.b}`);

  it('finds the entries of every kind of version document', () => {
    expect([...versionEntries(JSON.parse(recorded('epoxy', 78).text)).keys()]).toEqual([
      '$.versions[v2.0]',
      '$.versions[v2.1]',
    ]);
    expect([...versionEntries(JSON.parse(recorded('epoxy', 79).text)).keys()]).toEqual(['$.version[v2.1]']);
    expect([...versionEntries({ choices: [{ id: 'v2.1', status: 'CURRENT' }] }).keys()]).toEqual([
      '$.choices[v2.1]',
    ]);
  });
  it.each([
    ['epoxy', 'epoxy', []],
    ['2026.2', '2026.2', []],
    [
      '2026.2',
      'epoxy',
      [
        '$.versions[v2.0].status: "DEPRECATED" / "SUPPORTED"',
        '$.versions[v2.0].updated: "2025-07-04T12:00:00Z" / "2011-01-21T11:33:21Z"',
        '$.versions[v2.1].version: "2.104" / "2.100"',
      ],
    ],
    ['epoxy', 'zed', ['$.versions[v2.1].version: "2.100" / "2.93"']],
  ] as const)('the recording of %s against the mock as %s', async (recording, release, expected) => {
    // Record 78: GET / with a token (the version list); record 79: GET /v2.1/ without one.
    const list = values(recorded(recording, 78), await mockAnswer(release, '/compute/', true));
    expect(list).toEqual(expected);
    const doc = values(recorded(recording, 79), await mockAnswer(release, '/compute/v2.1/', false));
    expect(doc).toEqual(
      expected.filter((e) => e.startsWith('$.versions[v2.1]')).map((e) => e.replace('versions', 'version')),
    );
  });
});

function fidelity(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const env: Record<string, string> = {};
    for (const [k, v] of Object.entries(process.env))
      if (v !== undefined && !/^(OS_|CONFORMANCE_|NOVA_CONFORMANCE_)/.test(k)) env[k] = v;
    const child = spawn(process.execPath, ['--import', 'tsx', 'lib/fidelity/main.ts', ...args], { env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += String(d)));
    child.stderr.on('data', (d) => (stderr += String(d)));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('npm run fidelity against a mock standing in for a real Epoxy', () => {
  it('starts the mock as Epoxy and finds no difference; refuses --release zed', async () => {
    const cloud = await startMock({ port: 0, release: 'epoxy', delays: RUN_DELAYS });
    try {
      const dir = mkdtempSync(join(tmpdir(), 'fidelity-release-'));
      const openrc = join(dir, 'openrc');
      const vars = { ...openrcOf(cloud), CONFORMANCE_POLL_INTERVAL: '0.01', CONFORMANCE_REPORT_DIR: dir };
      writeFileSync(
        openrc,
        Object.entries(vars)
          .map(([k, v]) => `export ${k}=${v}\n`)
          .join(''),
      );
      const out = join(dir, 'fidelity.json');
      const run = await fidelity(['--a', openrc, '--out', out]);
      expect(run.stdout).toMatch(/^B: mock epoxy \(.*, compute 2\.100\)$/m);
      // Every step of the request set ran on both sides and answered alike.
      expect(run.stdout).toMatch(/^(8\d) steps, 0 differences: 0 explained, 0 unexplained\./m);
      expect(run.code, run.stderr).toBe(0);
      const refused = await fidelity(['--a', openrc, '--release', 'zed', '--out', out]);
      expect(refused.code).toBe(2);
      expect(refused.stderr.trim().split('\n')).toEqual([
        'fidelity: --release zed (maximum 2.93) contradicts target A, whose maximum microversion is 2.100 (epoxy)',
      ]);
    } finally {
      await cloud.stop();
    }
  }, 120_000);
});
