// A mock app behind supertest with the four users logged in, for the tests of lib/mock.
import request from 'supertest';
import { afterEach, expect } from 'vitest';
import { createMockApp, type MockApp } from '../../lib/mock/app.ts';
import type { MockOptions } from '../../lib/mock/types.ts';

type Json = Record<string, unknown>;

const apps: MockApp[] = [];
afterEach(() => {
  for (const a of apps.splice(0)) a.close();
});

export async function setup(options: MockOptions = {}) {
  const app = createMockApp({ delays: { build: 0, detach: 0, portActive: 0, taskState: 0 }, ...options });
  apps.push(app);
  const agent = request(app.handler);
  const token = async (u: { username: string; password: string; projectName: string }): Promise<string> => {
    const res = await agent.post('/identity/v3/auth/tokens').send({
      auth: {
        identity: {
          methods: ['password'],
          password: { user: { name: u.username, domain: { name: 'Default' }, password: u.password } },
        },
        scope: { project: { name: u.projectName, domain: { name: 'Default' } } },
      },
    });
    expect(res.status).toBe(201);
    return String(res.headers['x-subject-token']);
  };
  const demo = await token(app.users.member);
  const admin = await token(app.users.admin);
  const alt = await token(app.users.alt);
  const reader = await token(app.users.reader);
  const ids = app.state.ids;
  const boot = async (tok: string, networks: unknown = [{ uuid: ids.privateNet }]): Promise<string> => {
    const res = await agent
      .post('/compute/v2.1/servers')
      .set('X-Auth-Token', tok)
      .set('OpenStack-API-Version', 'compute 2.37')
      .send({ server: { name: 'vm', imageRef: ids.image, flavorRef: '1', networks } });
    expect(res.status, res.text).toBe(202);
    return String((res.body as { server: Json }).server.id);
  };
  const iface = (sid: string) => `/compute/v2.1/servers/${sid}/os-interface`;
  return { app, agent, demo, admin, alt, reader, ids, boot, iface };
}

export function fault(res: request.Response, status: number, key: string, message: string | RegExp): void {
  expect(res.status, res.text).toBe(status);
  expect(res.headers['content-type']).toBe('application/json; charset=UTF-8');
  const body = res.body as Json;
  expect(Object.keys(body)).toEqual([key]);
  const inner = body[key] as Json;
  expect(Object.keys(inner).sort()).toEqual(['code', 'message']);
  expect(inner.code).toBe(status);
  if (typeof message === 'string') expect(inner.message).toBe(message);
  else expect(inner.message).toMatch(message);
}
