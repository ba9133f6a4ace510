import { writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { loadConfig } from '../../lib/config/load.ts';
import { emptyDir, errorOf } from './helpers.ts';

const cloud = {
  OS_AUTH_URL: 'https://keystone.example.com:5000/v3',
  OS_USERNAME: 'demo',
  OS_PASSWORD: 'pw-demo-123',
  OS_PROJECT_NAME: 'demo',
  OS_USER_DOMAIN_NAME: 'Default',
  OS_PROJECT_DOMAIN_NAME: 'Default',
};

describe('target selection', () => {
  test('no OS_AUTH_URL and no OS_CLOUD selects the embedded mock', () => {
    const config = loadConfig({}, emptyDir());
    expect(config.target).toBe('mock');
    expect(config.cloud).toBeUndefined();
    expect(config.microversions).toEqual(['2.1', '2.48', '2.49', '2.69', '2.70', 'latest']);
    expect(config.waitTimeoutMs).toBe(300_000);
    expect(config.pollIntervalMs).toBe(1000);
  });

  test('an openrc selects the cloud and keeps every secret for redaction', () => {
    const config = loadConfig(cloud, emptyDir());
    expect(config.target).toBe('cloud');
    expect(config.cloud?.primary).toMatchObject({
      username: 'demo',
      projectName: 'demo',
      method: 'password',
    });
    expect(config.secrets).toEqual(['pw-demo-123']);
  });

  test('credentials without OS_AUTH_URL are a contradiction, not a silent mock run', () => {
    const error = errorOf({ OS_USERNAME: 'demo', OS_PASSWORD: 'x' });
    expect(error.variable).toBe('OS_AUTH_URL');
    expect(error.message).toContain('OS_USERNAME');
  });
});

describe('each setting is validated and named in the error', () => {
  const cases: [string, Record<string, string>, string][] = [
    ['OS_AUTH_URL', { OS_AUTH_URL: 'keystone:5000' }, 'http:// or https:// URL'],
    ['OS_PASSWORD', { OS_PASSWORD: '' }, 'is required'],
    ['OS_USERNAME', { OS_USERNAME: '' }, 'is required'],
    ['OS_PROJECT_NAME', { OS_PROJECT_NAME: '' }, 'project-scoped token'],
    ['OS_AUTH_TYPE', { OS_AUTH_TYPE: 'token' }, 'v3applicationcredential'],
    [
      'OS_APPLICATION_CREDENTIAL_SECRET',
      { OS_AUTH_TYPE: 'v3applicationcredential', OS_APPLICATION_CREDENTIAL_ID: 'abc' },
      'is required',
    ],
    ['OS_APPLICATION_CREDENTIAL_ID', { OS_AUTH_TYPE: 'v3applicationcredential' }, 'is required'],
    ['OS_INTERFACE', { OS_INTERFACE: 'private' }, 'public, internal, admin'],
    ['OS_INSECURE', { OS_INSECURE: 'maybe' }, 'boolean'],
    ['OS_CACERT', { OS_CACERT: '/nonexistent/ca.pem' }, 'does not exist'],
    ['OS_IDENTITY_API_VERSION', { OS_IDENTITY_API_VERSION: '2.0' }, 'Keystone v3'],
    ['CONFORMANCE_SERVER_ID', { CONFORMANCE_SERVER_ID: 'not-a-uuid' }, 'UUID'],
    ['CONFORMANCE_NETWORK_ID', { CONFORMANCE_NETWORK_ID: '1234' }, 'UUID'],
    ['CONFORMANCE_FLAVOR_ID', { CONFORMANCE_FLAVOR_ID: 'm1 tiny' }, 'without spaces'],
    ['CONFORMANCE_IMAGE_ID', { CONFORMANCE_IMAGE_ID: 'a/b' }, 'without spaces or slashes'],
    ['CONFORMANCE_COMPUTE_ENDPOINT', { CONFORMANCE_COMPUTE_ENDPOINT: 'ftp://nova' }, 'http:// or https://'],
    ['CONFORMANCE_NETWORK_ENDPOINT', { CONFORMANCE_NETWORK_ENDPOINT: 'neutron' }, 'http:// or https://'],
    ['CONFORMANCE_MICROVERSIONS', { CONFORMANCE_MICROVERSIONS: '2.1,2.01' }, "'2.01' is not a microversion"],
    ['CONFORMANCE_REQUEST_TIMEOUT', { CONFORMANCE_REQUEST_TIMEOUT: '-1' }, 'seconds'],
    ['CONFORMANCE_WAIT_TIMEOUT', { CONFORMANCE_WAIT_TIMEOUT: 'forever' }, 'seconds'],
    ['CONFORMANCE_POLL_INTERVAL', { CONFORMANCE_POLL_INTERVAL: '0' }, 'seconds'],
    ['CONFORMANCE_MAX_RESPONSE_BYTES', { CONFORMANCE_MAX_RESPONSE_BYTES: '10MB' }, 'whole number'],
    ['CONFORMANCE_READ_ONLY', { CONFORMANCE_READ_ONLY: 'sometimes' }, 'boolean'],
    ['CONFORMANCE_POLICY', { CONFORMANCE_POLICY: 'strict' }, 'auto, legacy, new'],
    [
      'CONFORMANCE_ALT_PASSWORD',
      { CONFORMANCE_ALT_USERNAME: 'alt', CONFORMANCE_ALT_PROJECT_NAME: 'alt' },
      'is required',
    ],
    [
      'CONFORMANCE_ALT_PROJECT_NAME',
      { CONFORMANCE_ALT_USERNAME: 'alt', CONFORMANCE_ALT_PASSWORD: 'x' },
      'project-scoped',
    ],
    ['CONFORMANCE_READER_PASSWORD', { CONFORMANCE_READER_USERNAME: 'reader' }, 'is required'],
    ['CONFORMANCE_ADMIN_USERNAME', { CONFORMANCE_ADMIN_PASSWORD: 'x' }, 'is required'],
  ];
  test.each(cases)('%s', (variable, override, expected) => {
    const error = errorOf({ ...cloud, ...override });
    expect(error.variable).toBe(variable);
    expect(error.message).toContain(expected);
    expect(error.message.split('\n')).toHaveLength(1);
  });

  test('OS_INSECURE contradicts OS_CACERT', () => {
    const dir = emptyDir();
    writeFileSync(join(dir, 'ca.pem'), 'pem');
    const error = errorOf({ ...cloud, OS_CACERT: 'ca.pem', OS_INSECURE: '1' }, dir);
    expect(error.variable).toBe('OS_INSECURE');
  });

  test('CONFORMANCE_POLL_INTERVAL must be shorter than the wait timeout', () => {
    expect(errorOf({ CONFORMANCE_POLL_INTERVAL: '10', CONFORMANCE_WAIT_TIMEOUT: '5' }).variable).toBe(
      'CONFORMANCE_POLL_INTERVAL',
    );
  });

  test('read-only mode on a cloud needs an existing server', () => {
    expect(errorOf({ ...cloud, CONFORMANCE_READ_ONLY: '1' }).variable).toBe('CONFORMANCE_READ_ONLY');
    expect(
      loadConfig(
        {
          ...cloud,
          CONFORMANCE_READ_ONLY: 'yes',
          CONFORMANCE_SERVER_ID: '038bc661-1fe7-4f8f-87eb-ca6c1cbfef85',
        },
        emptyDir(),
      ).readOnly,
    ).toBe(true);
  });
});

describe('identities', () => {
  test('a name without a domain falls back to the default domain, as openstackclient does', () => {
    const config = loadConfig(
      { OS_AUTH_URL: cloud.OS_AUTH_URL, OS_USERNAME: 'u', OS_PASSWORD: 'p', OS_PROJECT_NAME: 'x' },
      emptyDir(),
    );
    expect(config.cloud?.primary).toMatchObject({ userDomainId: 'default', projectDomainId: 'default' });
  });

  test('application credentials need no project', () => {
    const config = loadConfig(
      {
        OS_AUTH_URL: cloud.OS_AUTH_URL,
        OS_AUTH_TYPE: 'v3applicationcredential',
        OS_APPLICATION_CREDENTIAL_ID: 'id1',
        OS_APPLICATION_CREDENTIAL_SECRET: 'sec-ret-1',
      },
      emptyDir(),
    );
    expect(config.cloud?.primary).toEqual({
      authUrl: cloud.OS_AUTH_URL,
      method: 'application_credential',
      applicationCredentialId: 'id1',
      applicationCredentialSecret: 'sec-ret-1',
    });
    expect(config.secrets).toEqual(['sec-ret-1']);
  });

  test('alt, reader and admin identities; the reader inherits the project; all passwords are secrets', () => {
    const config = loadConfig(
      {
        ...cloud,
        CONFORMANCE_ALT_USERNAME: 'alt',
        CONFORMANCE_ALT_PASSWORD: 'pw-alt',
        CONFORMANCE_ALT_PROJECT_NAME: 'alt',
        CONFORMANCE_READER_USERNAME: 'reader',
        CONFORMANCE_READER_PASSWORD: 'pw-reader',
        CONFORMANCE_ADMIN_USERNAME: 'admin',
        CONFORMANCE_ADMIN_PASSWORD: 'pw-admin',
        CONFORMANCE_ADMIN_PROJECT_NAME: 'admin',
      },
      emptyDir(),
    );
    expect(config.cloud?.alt).toMatchObject({
      username: 'alt',
      projectName: 'alt',
      userDomainName: 'Default',
      authUrl: cloud.OS_AUTH_URL,
    });
    expect(config.cloud?.reader).toMatchObject({ username: 'reader', projectName: 'demo' });
    expect(config.cloud?.admin).toMatchObject({ username: 'admin', projectName: 'admin' });
    expect([...config.secrets].sort()).toEqual(['pw-admin', 'pw-alt', 'pw-demo-123', 'pw-reader']);
  });
});

describe('.env', () => {
  test('is read, and real environment variables win over it', () => {
    const dir = emptyDir();
    writeFileSync(join(dir, '.env'), 'CONFORMANCE_WAIT_TIMEOUT=42\nCONFORMANCE_POLL_INTERVAL=2\n');
    const config = loadConfig({ CONFORMANCE_POLL_INTERVAL: '3' }, dir);
    expect(config.waitTimeoutMs).toBe(42_000);
    expect(config.pollIntervalMs).toBe(3000);
  });
});

describe('clouds.yaml', () => {
  function withClouds(clouds: string, secure?: string): string {
    const dir = emptyDir();
    writeFileSync(join(dir, 'clouds.yaml'), clouds);
    if (secure !== undefined) writeFileSync(join(dir, 'secure.yaml'), secure);
    return dir;
  }

  const yaml = `clouds:
  devcloud:
    auth:
      auth_url: http://127.0.0.1:5000/v3
      username: demo
      project_name: demo
      user_domain_name: Default
      project_domain_name: Default
    region_name: RegionOne
    interface: internal
    verify: false
`;

  test('OS_CLOUD names an entry; secure.yaml supplies the password', () => {
    const dir = withClouds(yaml, 'clouds:\n  devcloud:\n    auth:\n      password: from-secure-yaml\n');
    const config = loadConfig({ OS_CLOUD: 'devcloud' }, dir);
    expect(config.target).toBe('cloud');
    expect(config.cloud).toMatchObject({
      regionName: 'RegionOne',
      interface: 'internal',
      tls: { insecure: true },
    });
    expect(config.cloud?.primary).toMatchObject({
      authUrl: 'http://127.0.0.1:5000/v3',
      username: 'demo',
      password: 'from-secure-yaml',
    });
  });

  test('explicit OS_* variables refine the entry', () => {
    const dir = withClouds(yaml, 'clouds:\n  devcloud:\n    auth:\n      password: a\n');
    const config = loadConfig({ OS_CLOUD: 'devcloud', OS_PASSWORD: 'override', OS_INTERFACE: 'public' }, dir);
    expect(config.cloud?.primary.password).toBe('override');
    expect(config.cloud?.interface).toBe('public');
  });

  test('is found in ~/.config/openstack too (via OS_CLIENT_CONFIG_FILE here)', () => {
    const home = emptyDir();
    mkdirSync(join(home, '.config', 'openstack'), { recursive: true });
    const file = join(home, '.config', 'openstack', 'clouds.yaml');
    writeFileSync(file, yaml.replace('verify: false', 'verify: true'));
    const config = loadConfig(
      { OS_CLOUD: 'devcloud', OS_CLIENT_CONFIG_FILE: file, OS_PASSWORD: 'x' },
      emptyDir(),
    );
    expect(config.cloud?.primary.username).toBe('demo');
  });

  test('an unknown cloud name lists the known ones', () => {
    const error = errorOf({ OS_CLOUD: 'prod' }, withClouds(yaml));
    expect(error.variable).toBe('OS_CLOUD');
    expect(error.message).toContain("no cloud named 'prod'");
    expect(error.message).toContain('devcloud');
  });

  test('no clouds.yaml anywhere', () => {
    const error = errorOf({ OS_CLOUD: 'prod', OS_CLIENT_CONFIG_FILE: '/nonexistent/clouds.yaml' });
    expect(error.message).toContain('no clouds.yaml was found');
  });

  test('malformed YAML is a configuration error, not a crash', () => {
    const error = errorOf({ OS_CLOUD: 'devcloud' }, withClouds('clouds: [unclosed'));
    expect(error.variable).toBe('OS_CLOUD');
    expect(error.message).toContain('not valid YAML');
  });
});
