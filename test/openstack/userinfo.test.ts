import { describe, expect, test } from 'vitest';
import { publicConfiguration } from '../../lib/report/configuration.ts';
import { targetFacts } from '../../lib/report/facts.ts';
import { makeFileScrub, makeScrub } from '../../lib/report/scrub.ts';
import type { Config } from '../../lib/config/types.ts';
import { REDACTED, redactBody, redactText } from '../../lib/openstack/redact.ts';
import { hasUserinfo, redactUserinfo, withoutUserinfo } from '../../lib/openstack/userinfo.ts';

const PASSWORD = 'Sup3rS3cretPw';

describe('userinfo in URLs', () => {
  test('is found and removed, the rest of the URL kept as written', () => {
    expect(hasUserinfo(`http://svc:${PASSWORD}@host/v3`)).toBe(true);
    expect(hasUserinfo('http://host/v3')).toBe(false);
    expect(withoutUserinfo(`http://svc:${PASSWORD}@host:5000/identity/v3`)).toBe(
      'http://host:5000/identity/v3',
    );
    expect(withoutUserinfo(`http://svc:${PASSWORD}@host`)).toBe('http://host');
    expect(withoutUserinfo(`http://svc:${PASSWORD}@host/`)).toBe('http://host/');
    expect(withoutUserinfo('http://host/v2.1/%(tenant_id)s')).toBe('http://host/v2.1/%(tenant_id)s');
  });

  test('is redacted wherever a URL sits in text: prose, JSON, XML, HTML', () => {
    const texts = [
      `GET http://svc:${PASSWORD}@host/v3 failed`,
      JSON.stringify({ url: `https://svc:${PASSWORD}@host:5000/v3`, other: 1 }),
      `<property name="authUrl" value="http://svc:${PASSWORD}@host/v3"/>`,
      `<a href='http://svc:${PASSWORD}@host/v3'>x</a>`,
      // A password with an @ of its own: parsers take the last @ of the authority.
      `http://svc:pa@ss${PASSWORD}@host/v3`,
    ];
    for (const text of texts) {
      const out = redactText(text);
      expect(out, text).not.toContain(PASSWORD);
      expect(out, text).toContain(`${REDACTED}@host`);
    }
    expect(redactBody(JSON.stringify({ links: [{ href: `http://u:${PASSWORD}@h/` }] }))).not.toContain(
      PASSWORD,
    );
  });

  test('leaves e-mail addresses and URLs without userinfo alone', () => {
    const text = 'mail ops@example.com about http://host/v3 and https://host:5000/x?y=a@b';
    expect(redactUserinfo(text, REDACTED)).toBe(text);
  });

  test('the report scrubbers cover it, in text and in markup', () => {
    const url = `http://svc:${PASSWORD}@host/v3`;
    expect(makeScrub([])(url)).not.toContain(PASSWORD);
    expect(makeFileScrub([])(`<x a="${url}"/>`, true)).toBe('<x a="http://&lt;redacted&gt;@host/v3"/>');
  });

  test('publicConfiguration and targetFacts never store it', () => {
    const authUrl = `http://svc:${PASSWORD}@host/v3`;
    const config = {
      target: 'cloud',
      cloud: {
        primary: { authUrl, method: 'password' },
        interface: 'public',
        tls: { insecure: false },
        computeEndpoint: `http://n:${PASSWORD}@nova/v2.1`,
      },
      microversions: [],
      requestTimeoutMs: 1,
      waitTimeoutMs: 1,
      pollIntervalMs: 1,
      maxResponseBytes: 1,
      profile: 'standard',
      readOnly: false,
      concurrency: 1,
      mockRelease: 'zed',
      policy: 'auto',
      reportDir: '/x',
      secrets: [],
    } as const satisfies Config;
    const stored = JSON.stringify([publicConfiguration(config), targetFacts({}, config, 'cloud')]);
    expect(stored).not.toContain(PASSWORD);
    expect(stored).toContain('http://host/v3');
  });
});
