// One request handler for the whole cloud, devstack style: services live under path prefixes.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { handleGlance } from './glance.ts';
import { ZERO_DELAYS } from './delays.ts';
import {
  BodyTooLarge,
  hasBody,
  type HeaderList,
  type MockRequest,
  parseUrl,
  type ParsedUrl,
  readBody,
  send,
} from './http.ts';
import { handleKeystone } from './keystone.ts';
import { handleNeutron } from './neutron.ts';
import { handleNova } from './nova/router.ts';
import { profileOf } from './releases.ts';
import { MockState } from './state.ts';
import type { MockDelays, MockOptions, MockUser } from './types.ts';
import { requestId } from './util.ts';

const MAX_RECORDED_REQUESTS = 50_000;
export type { MockOptions } from './types.ts';

interface RequestRecord {
  method: string;
  path: string;
  status: number;
}

export interface MockStats {
  requests: RequestRecord[];
  servers: number;
  ports: number;
  /** Answers that showed asynchronous work still in progress, per kind of delay. */
  observed: Readonly<MockDelays>;
}

export interface MockApp {
  handler: (req: IncomingMessage, res: ServerResponse) => void;
  state: MockState;
  users: { member: MockUser; alt: MockUser; reader: MockUser; admin: MockUser };
  applicationCredential: { id: string; secret: string };
  requests: RequestRecord[];
  stats(): MockStats;
  /** Cancels pending state transitions (builds, detaches, port activation). */
  close(): void;
}

const SIZE_LIMIT_BODY = '413 Request Entity Too Large\n\nRequest is too large.\n\n   ';
const SERVICE_PREFIX = /^\/(identity|compute|network|image)(?=\/|$)/;
const PLAIN_404_HEADERS: HeaderList = [['Content-Type', 'text/plain; charset=UTF-8']];
const PLAIN_404_BODY = '404 Not Found\n\nThe resource could not be found.\n\n   ';

export function createMockApp(options: MockOptions = {}): MockApp {
  const delays: MockDelays = { ...ZERO_DELAYS, ...options.delays };
  const state = new MockState(profileOf(options.release), delays, options.tokenTtlSeconds ?? 3600);
  const requests: RequestRecord[] = [];
  const ids = state.ids;
  const user = (
    username: keyof MockState['passwords'],
    projectId: string,
    projectName: string,
    roles: string[],
  ): MockUser => ({
    username,
    password: state.passwords[username],
    projectName,
    projectId,
    userDomainName: 'Default',
    projectDomainName: 'Default',
    roles,
  });
  const users = {
    member: user('demo', ids.demoProject, 'demo', ['member', 'reader']),
    alt: user('alt', ids.altProject, 'alt', ['member', 'reader']),
    reader: user('reader', ids.demoProject, 'demo', ['reader']),
    admin: user('admin', ids.adminProject, 'admin', ['admin', 'member', 'reader']),
  };
  const cred = [...state.appCredentials.values()][0];

  /** Everything after the body is in: synchronous, so a bodiless request is answered in one go. */
  const route = (
    req: IncomingMessage,
    res: ServerResponse,
    url: ParsedUrl,
    body: Buffer | undefined,
  ): void => {
    const prefix = SERVICE_PREFIX.exec(url.pathname);
    if (!prefix) {
      send(res, 404, PLAIN_404_HEADERS, PLAIN_404_BODY);
      return;
    }
    const service = prefix[1];
    const origin = `http://${req.headers.host ?? '127.0.0.1'}`;
    const mreq: MockRequest = {
      method: req.method ?? 'GET',
      path: url.pathname.slice(prefix[0].length),
      query: url.query,
      headers: req.headers,
      body,
      baseUrl: `${origin}/${service}`,
      rawHeaders: req.rawHeaders,
    };
    if (service === 'compute') handleNova(state, mreq, res);
    else if (service === 'network') handleNeutron(state, mreq, res);
    else if (service === 'identity')
      handleKeystone(state, mreq, res, {
        identity: `${origin}/identity`,
        compute: `${origin}/compute/v2.1`,
        network: `${origin}/network`,
        image: `${origin}/image`,
      });
    else handleGlance(state, mreq, res);
  };

  /** oslo.middleware sizelimit answers before authentication; stop reading and drop the connection. */
  const tooLarge = (req: IncomingMessage, res: ServerResponse, url: ParsedUrl): void => {
    const rid = requestId();
    res.setHeader('Connection', 'close');
    const headers: HeaderList = [
      ['Content-Type', 'text/plain; charset=UTF-8'],
      ['x-openstack-request-id', rid],
    ];
    if (SERVICE_PREFIX.exec(url.pathname)?.[1] === 'compute') headers.push(['x-compute-request-id', rid]);
    send(res, 413, headers, SIZE_LIMIT_BODY);
    res.on('finish', () => req.destroy());
  };

  /** Nothing may take the server down: answer like FaultWrapper does and keep serving. */
  const crashed = (res: ServerResponse, e: unknown): void => {
    const name = e instanceof Error ? e.constructor.name : 'Exception';
    if (res.headersSent) {
      res.destroy();
      return;
    }
    send(
      res,
      500,
      [['Content-Type', 'application/json; charset=UTF-8']],
      JSON.stringify({
        computeFault: {
          code: 500,
          message: `Unexpected API Error. ${state.profile.supportText}\n<class 'builtins.${name}'>`,
        },
      }),
    );
  };

  const record = (req: IncomingMessage, res: ServerResponse, url: ParsedUrl): void => {
    // A long-running `npm run mock` or a load test must not grow without bound; the oldest half
    // goes at once so the cost per request stays flat. Tests count far fewer requests than this.
    if (requests.length >= MAX_RECORDED_REQUESTS) requests.splice(0, MAX_RECORDED_REQUESTS / 2);
    requests.push({ method: req.method ?? '', path: url.rawPath, status: res.statusCode });
  };

  /** Records once the answer is complete: at once when it already is, else when it finishes. */
  const done = (req: IncomingMessage, res: ServerResponse, url: ParsedUrl): void => {
    if (res.writableEnded) record(req, res, url);
    else res.once('finish', () => record(req, res, url));
  };

  const handler = (req: IncomingMessage, res: ServerResponse): void => {
    const url = parseUrl(req.url ?? '/');
    if (!hasBody(req)) {
      try {
        route(req, res, url, undefined);
      } catch (e) {
        crashed(res, e);
      }
      done(req, res, url);
      return;
    }
    readBody(req).then(
      (body) => {
        try {
          route(req, res, url, body);
        } catch (e) {
          crashed(res, e);
        }
        done(req, res, url);
      },
      (e: unknown) => {
        if (e instanceof BodyTooLarge) tooLarge(req, res, url);
        else crashed(res, e);
        done(req, res, url);
      },
    );
  };

  return {
    handler,
    state,
    users,
    applicationCredential: { id: cred?.id ?? '', secret: cred?.secret ?? '' },
    requests,
    stats: () => ({ requests: [...requests], ...state.stats() }),
    close: () => state.stop(),
  };
}
