// `mock` command: runs the mock cloud in the foreground and prints an openrc for the member user.
import { pathToFileURL } from 'node:url';
import { REALISTIC_DELAYS } from './delays.ts';
import { DEFAULT_RELEASE, isRelease, PROFILES, RELEASES } from './releases.ts';
import { startMock } from './start.ts';
import type { MockUser, Release } from './types.ts';

export const DEFAULT_MOCK_PORT = 18774;

const RELEASE_LINES = RELEASES.map(
  (r) =>
    `                  ${r.padEnd(7)} Nova ${PROFILES[r].nova}, maximum microversion 2.${PROFILES[r].maxMinor}` +
    (r === DEFAULT_RELEASE ? ' (default)' : ''),
).join('\n');

const USAGE = `Usage: mock [--port N] [--release ${RELEASES.join('|')}] [--log]

Runs an in-memory OpenStack (Keystone, Nova, Neutron, Glance) on 127.0.0.1 that answers like the
chosen release of Nova (and the Neutron of its cycle) as recorded from the real one.

  --port N      port to listen on (default ${DEFAULT_MOCK_PORT}; 0 picks a free port)
  --release R   which release to imitate:
${RELEASE_LINES}
  --log         print one line per request to stderr
  --help        show this help
`;

interface CliArgs {
  port: number;
  release: Release;
  log: boolean;
  help: boolean;
}

function parseArgs(argv: string[]): CliArgs | string {
  const out: CliArgs = { port: DEFAULT_MOCK_PORT, release: DEFAULT_RELEASE, log: false, help: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] ?? '';
    const [flag, inline] =
      a.startsWith('--') && a.includes('=')
        ? [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)]
        : [a, undefined];
    const value = (): string | undefined => inline ?? argv[++i];
    if (flag === '--help' || flag === '-h') out.help = true;
    else if (flag === '--log') out.log = true;
    else if (flag === '--port') {
      const v = value();
      if (v === undefined || !/^\d+$/.test(v) || Number(v) > 65535)
        return `mock: --port needs a number from 0 to 65535, got ${v === undefined ? 'nothing' : `'${v}'`}`;
      out.port = Number(v);
    } else if (flag === '--release') {
      const v = value();
      if (!isRelease(v))
        return `mock: --release must be one of ${RELEASES.join(', ')}, got ${v === undefined ? 'nothing' : `'${v}'`}`;
      out.release = v;
    } else return `mock: unknown argument '${a}' (try --help)`;
  }
  return out;
}

function openrc(authUrl: string, u: MockUser): string {
  return [
    `export OS_AUTH_URL=${authUrl}`,
    `export OS_USERNAME=${u.username}`,
    `export OS_PASSWORD=${u.password}`,
    `export OS_PROJECT_NAME=${u.projectName}`,
    'export OS_USER_DOMAIN_NAME=Default',
    'export OS_PROJECT_DOMAIN_NAME=Default',
    'export OS_IDENTITY_API_VERSION=3',
    'export OS_REGION_NAME=RegionOne',
  ].join('\n');
}

export async function runMockCli(argv: string[]): Promise<number> {
  const args = parseArgs(argv);
  if (typeof args === 'string') {
    process.stderr.write(`${args}\n`);
    return 2;
  }
  if (args.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  let mock;
  try {
    mock = await startMock({ port: args.port, release: args.release, delays: REALISTIC_DELAYS });
  } catch (e) {
    process.stderr.write(`mock: cannot listen on 127.0.0.1:${args.port}: ${(e as Error).message}\n`);
    return 1;
  }
  const { users } = mock;
  const others = (['alt', 'reader', 'admin'] as const)
    .map(
      (k) =>
        `#   ${k}: OS_USERNAME=${users[k].username} OS_PASSWORD=${users[k].password} OS_PROJECT_NAME=${users[k].projectName}`,
    )
    .join('\n');
  process.stdout.write(
    `# nova-conformance mock cloud (Nova ${PROFILES[args.release].nova}) at ${mock.url}\n` +
      `# openrc for the member user (project demo):\n${openrc(mock.authUrl, users.member)}\n` +
      `# other users: same variables with\n${others}\n` +
      `# application credential of demo: id ${mock.applicationCredential.id} secret ${mock.applicationCredential.secret}\n` +
      `# stop with Ctrl-C\n`,
  );
  let logged = 0;
  const timer = args.log
    ? setInterval(() => {
        const reqs = mock.stats().requests;
        for (; logged < reqs.length; logged++) {
          const r = reqs[logged];
          if (r) process.stderr.write(`${r.status} ${r.method} ${r.path}\n`);
        }
      }, 100)
    : undefined;
  await new Promise<void>((resolve) => {
    const stop = (): void => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  if (timer) clearInterval(timer);
  await mock.stop();
  return 0;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  runMockCli(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (e: unknown) => {
      process.stderr.write(`mock: ${(e as Error).stack ?? String(e)}\n`);
      process.exit(1);
    },
  );
}
