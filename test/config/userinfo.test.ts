import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { emptyDir, errorOf } from './helpers.ts';

const PASSWORD = 'Sup3rS3cretPw';

const cloud = {
  OS_AUTH_URL: 'https://keystone.example.com:5000/v3',
  OS_USERNAME: 'demo',
  OS_PASSWORD: 'pw-demo-123',
  OS_PROJECT_NAME: 'demo',
};

describe('a URL setting with user:password@ is refused without echoing the password', () => {
  test.each([
    ['OS_AUTH_URL', `http://svc:${PASSWORD}@host/identity/v3`],
    ['OS_AUTH_URL', `http://svc:${PASSWORD}@with@at@host:5000/v3`],
    ['OS_AUTH_URL', `https://${PASSWORD}@host/v3`],
    ['CONFORMANCE_COMPUTE_ENDPOINT', `http://nova:${PASSWORD}@host:8774/v2.1`],
    ['CONFORMANCE_NETWORK_ENDPOINT', `http://neutron:${PASSWORD}@host:9696`],
    ['CONFORMANCE_ALT_AUTH_URL', `http://alt:${PASSWORD}@host/v3`],
  ])('%s=%s', (variable, url) => {
    const extra =
      variable === 'CONFORMANCE_ALT_AUTH_URL'
        ? {
            CONFORMANCE_ALT_USERNAME: 'alt',
            CONFORMANCE_ALT_PASSWORD: 'x',
            CONFORMANCE_ALT_PROJECT_NAME: 'alt',
          }
        : {};
    const error = errorOf({ ...cloud, ...extra, [variable]: url });
    expect(error.variable).toBe(variable);
    expect(error.message).toContain('must not hold a user name or password');
    expect(error.message).not.toContain(PASSWORD);
    expect(error.message.split('\n')).toHaveLength(1);
  });

  test('also when the value is not a URL at all', () => {
    const error = errorOf({ ...cloud, OS_AUTH_URL: `ftp://svc:${PASSWORD}@host/v3` });
    expect(error.message).toContain('http:// or https://');
    expect(error.message).not.toContain(PASSWORD);
  });

  test('also from clouds.yaml', () => {
    const cwd = emptyDir('nc-userinfo-');
    writeFileSync(
      join(cwd, 'clouds.yaml'),
      `clouds:\n  c:\n    auth:\n      auth_url: http://svc:${PASSWORD}@host/v3\n      username: u\n      password: p\n      project_name: x\n`,
    );
    const error = errorOf({ OS_CLOUD: 'c' }, cwd);
    expect(error.variable).toBe('OS_AUTH_URL');
    expect(error.message).not.toContain(PASSWORD);
  });
});
