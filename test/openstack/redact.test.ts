import { describe, expect, test } from 'vitest';
import {
  redactBody,
  redactHeaders,
  redactText,
  registerSecret,
  REDACTED,
} from '../../lib/openstack/redact.ts';
import { tokensUrl, endpointFor, type CatalogService } from '../../lib/openstack/keystone.ts';
import { normaliseComputeEndpoint } from '../../lib/openstack/compute.ts';
import { EnvironmentError } from '../../lib/openstack/errors.ts';

describe('redaction', () => {
  test('token headers are redacted whatever their case, other headers kept', () => {
    const out = redactHeaders({
      'X-Auth-Token': 'gAAAAABtoken',
      'x-subject-token': ['gAAAAABother'],
      Accept: 'application/json',
    });
    expect(out).toEqual({
      'X-Auth-Token': REDACTED,
      'x-subject-token': [REDACTED],
      Accept: 'application/json',
    });
  });

  test('password and secret fields of a JSON body are redacted at any depth', () => {
    const body = JSON.stringify({
      auth: {
        identity: { methods: ['password'], password: { user: { name: 'demo', password: 'hunter2-long' } } },
      },
      application_credential: { id: 'abc', secret: 'app-secret-value' },
    });
    const out = redactBody(body);
    expect(out).not.toContain('hunter2-long');
    expect(out).not.toContain('app-secret-value');
    expect(out).toContain('"name":"demo"');
  });

  test('registered secrets are scrubbed from any text, JSON or not', () => {
    registerSecret('s3cr3t-token-value');
    expect(redactText('token s3cr3t-token-value leaked twice: s3cr3t-token-value')).toBe(
      `token ${REDACTED} leaked twice: ${REDACTED}`,
    );
    expect(redactBody('<html>s3cr3t-token-value</html>')).toBe(`<html>${REDACTED}</html>`);
  });
});

describe('endpoints', () => {
  test('the tokens URL works with or without /v3', () => {
    expect(tokensUrl('http://k:5000/v3')).toBe('http://k:5000/v3/auth/tokens');
    expect(tokensUrl('http://k:5000/')).toBe('http://k:5000/v3/auth/tokens');
    expect(tokensUrl('http://k/identity/v3/')).toBe('http://k/identity/v3/auth/tokens');
  });

  test('compute endpoints lose a project id suffix and end in /v2.1', () => {
    const project = 'd83974da01e7406496308d4bee0d87a9';
    expect(normaliseComputeEndpoint(`http://n:8774/v2.1/${project}`, project)).toBe('http://n:8774/v2.1');
    expect(normaliseComputeEndpoint('http://n:8774/v2.1/%(tenant_id)s')).toBe('http://n:8774/v2.1');
    expect(normaliseComputeEndpoint('http://n/compute/v2.1/')).toBe('http://n/compute/v2.1');
    expect(normaliseComputeEndpoint(`http://n:8774/v2/${project}`, project)).toBe('http://n:8774/v2.1');
    expect(normaliseComputeEndpoint('http://n:8774')).toBe('http://n:8774/v2.1');
  });

  const catalog: CatalogService[] = [
    {
      type: 'compute',
      endpoints: [
        { interface: 'public', region: 'RegionOne', url: 'https://public/compute/v2.1' },
        { interface: 'internal', region: 'RegionOne', url: 'http://internal/compute/v2.1' },
        { interface: 'public', region: 'RegionTwo', url: 'https://two/compute/v2.1' },
      ],
    },
  ];

  test('the catalog is searched by type, interface and region', () => {
    expect(endpointFor(catalog, ['compute'], 'public', 'RegionTwo')).toBe('https://two/compute/v2.1');
    expect(endpointFor(catalog, ['compute'], 'internal')).toBe('http://internal/compute/v2.1');
  });

  test('a missing endpoint is an environment error that says what exists', () => {
    expect(() => endpointFor(catalog, ['compute'], 'admin')).toThrow(EnvironmentError);
    expect(() => endpointFor(catalog, ['compute'], 'admin')).toThrow(
      /interface 'admin'.*it has: public@RegionOne/,
    );
    expect(() => endpointFor(catalog, ['network'], 'public')).toThrow(/CONFORMANCE_NETWORK_ENDPOINT/);
  });
});
