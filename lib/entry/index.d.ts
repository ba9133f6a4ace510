// The types of lib/entry/index.js, self-contained: a TypeScript user's compiler reads these and
// never the sources (which need this project's compiler options). They restate the sources'
// public shapes; test/package/entry-types.test.ts fails the typecheck when the two differ.

/** Which real Nova the mock imitates: 26 Zed (the default), 31 Epoxy, 34 2026.2. */
export type Release = 'zed' | 'epoxy' | '2026.2';

/** How long the mock's asynchronous work takes, in milliseconds. */
export interface MockDelays {
  build: number;
  detach: number;
  portActive: number;
  taskState: number;
}

export interface MockOptions {
  port?: number;
  host?: string;
  /** which real Nova to imitate (default zed) */
  release?: Release;
  delays?: Partial<MockDelays>;
  tokenTtlSeconds?: number;
}

/** A user of the mock's Keystone, with the password it accepts. */
export interface MockUser {
  username: string;
  password: string;
  projectName: string;
  projectId: string;
  userDomainName: string;
  projectDomainName: string;
  roles: string[];
}

export interface RunningMock {
  url: string;
  /** The Keystone v3 URL (OS_AUTH_URL). */
  authUrl: string;
  users: { member: MockUser; alt: MockUser; reader: MockUser; admin: MockUser };
  applicationCredential: { id: string; secret: string };
  stats(): {
    requests: { method: string; path: string; status: number }[];
    servers: number;
    ports: number;
    /** Answers that showed asynchronous work still in progress, per kind of delay. */
    observed: Readonly<MockDelays>;
  };
  stop(): Promise<void>;
}

/** Starts the embedded mock cloud (Keystone, Nova, Neutron, Glance in memory) on 127.0.0.1. */
export declare function startMock(options?: MockOptions): Promise<RunningMock>;

/** The `nova-conformance` command as a function: its arguments in, its exit code out. */
export declare function main(argv: readonly string[]): Promise<number>;
