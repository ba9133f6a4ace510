import type { Config } from '../config/types.ts';
import { RUN_DELAYS } from '../mock/delays.ts';

/** Where the run points: a configured cloud, or the embedded mock this module starts. */
export interface Target {
  readonly kind: 'mock' | 'cloud';
  /** Variables that make the configuration name the target (set for the mock, empty for a cloud). */
  readonly env: Readonly<Record<string, string>>;
  stop(): Promise<void>;
}

/** How often a run on the mock polls (seconds): RUN_DELAYS are made to outlast the first poll. */
export const MOCK_POLL_INTERVAL = '0.01';

/** What `openrcOf` needs of a running mock. */
export interface MockIdentities {
  readonly authUrl: string;
  readonly users: Readonly<
    Record<
      'member' | 'alt' | 'reader' | 'admin',
      {
        username: string;
        password: string;
        projectName: string;
        userDomainName: string;
        projectDomainName: string;
      }
    >
  >;
}

/**
 * The variables an openrc (plus the suite's extra identities) would set for the mock: what the
 * run uses, and what the project's own tests give a child run.
 */
export function openrcOf(mock: MockIdentities): Record<string, string> {
  const { member, alt, reader, admin } = mock.users;
  return {
    OS_AUTH_URL: mock.authUrl,
    OS_USERNAME: member.username,
    OS_PASSWORD: member.password,
    OS_PROJECT_NAME: member.projectName,
    OS_USER_DOMAIN_NAME: member.userDomainName,
    OS_PROJECT_DOMAIN_NAME: member.projectDomainName,
    OS_REGION_NAME: 'RegionOne',
    CONFORMANCE_ALT_USERNAME: alt.username,
    CONFORMANCE_ALT_PASSWORD: alt.password,
    CONFORMANCE_ALT_PROJECT_NAME: alt.projectName,
    CONFORMANCE_READER_USERNAME: reader.username,
    CONFORMANCE_READER_PASSWORD: reader.password,
    CONFORMANCE_ADMIN_USERNAME: admin.username,
    CONFORMANCE_ADMIN_PASSWORD: admin.password,
    CONFORMANCE_ADMIN_PROJECT_NAME: admin.projectName,
  };
}

/**
 * The only place in the harness that knows the mock exists: with no cloud configured, start it
 * on a free loopback port and describe it with the same variables an openrc would set.
 */
export async function startTarget(
  config: Config,
  env: Readonly<Record<string, string | undefined>> = process.env,
): Promise<Target> {
  if (config.target === 'cloud') return { kind: 'cloud', env: {}, stop: async () => {} };
  const { startMock } = await import('../mock/start.ts');
  const mock = await startMock({ port: 0, release: config.mockRelease, delays: RUN_DELAYS });
  const vars = openrcOf(mock);
  // Polling at Tempest's 1 s would make a mock run slow for nothing; a user's own setting wins.
  if (env['CONFORMANCE_POLL_INTERVAL'] === undefined) vars['CONFORMANCE_POLL_INTERVAL'] = MOCK_POLL_INTERVAL;
  if (env['CONFORMANCE_WAIT_TIMEOUT'] === undefined) vars['CONFORMANCE_WAIT_TIMEOUT'] = '20';
  // The worker's configuration sees these OS_* variables, that is a cloud: it must get the mock's
  // concurrency from here, or it would take a cloud's default while the runner took the mock's.
  if (env['CONFORMANCE_CONCURRENCY'] === undefined)
    vars['CONFORMANCE_CONCURRENCY'] = String(config.concurrency);
  return { kind: 'mock', env: vars, stop: () => mock.stop() };
}
