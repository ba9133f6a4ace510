import { describe, expect, test } from 'vitest';
import { validate } from '../../lib/schema/validator.ts';

// The schemas must reject what real Nova never answers, with a sentence naming the JSON path.
const attachment = {
  fixed_ips: [{ ip_address: '10.0.0.114', subnet_id: '8443db60-a951-4a87-88a2-2421b52fc8ad' }],
  mac_addr: 'fa:16:3e:4f:58:a7',
  net_id: '57cacb93-7987-4b45-9b60-89d96ee1f777',
  port_id: '0593b8e1-d282-4922-81f6-dac77c3b01ac',
  port_state: 'ACTIVE',
};

describe('attachment bodies', () => {
  test('the api-ref sample shape passes at 2.1 and, with tag, at 2.70', () => {
    expect(validate('os-interface/show-v2.1', { interfaceAttachment: attachment })).toEqual([]);
    expect(
      validate('os-interface/show-v2.70', { interfaceAttachment: { ...attachment, tag: null } }),
    ).toEqual([]);
    expect(
      validate('os-interface/list-v2.70', { interfaceAttachments: [{ ...attachment, tag: 'public' }] }),
    ).toEqual([]);
    expect(validate('os-interface/list-v2.1', { interfaceAttachments: [] })).toEqual([]);
  });

  const cases: [string, string, unknown, string][] = [
    [
      'tag before 2.70',
      'os-interface/show-v2.1',
      { interfaceAttachment: { ...attachment, tag: null } },
      "$.interfaceAttachment: unexpected key 'tag'",
    ],
    [
      'no tag at 2.70',
      'os-interface/show-v2.70',
      { interfaceAttachment: attachment },
      "$.interfaceAttachment: required key 'tag' is missing",
    ],
    [
      'upper-case MAC',
      'os-interface/show-v2.1',
      { interfaceAttachment: { ...attachment, mac_addr: 'FA:16:3E:4F:58:A7' } },
      '$.interfaceAttachment.mac_addr: expected a string matching',
    ],
    [
      'port_id not a UUID',
      'os-interface/show-v2.1',
      { interfaceAttachment: { ...attachment, port_id: 'port-1' } },
      '$.interfaceAttachment.port_id: expected a uuid',
    ],
    [
      'fixed_ips null',
      'os-interface/show-v2.1',
      { interfaceAttachment: { ...attachment, fixed_ips: null } },
      '$.interfaceAttachment.fixed_ips: expected array, got null',
    ],
    [
      'bad IP',
      'os-interface/show-v2.1',
      {
        interfaceAttachment: {
          ...attachment,
          fixed_ips: [{ ip_address: '10.0.0', subnet_id: attachment.net_id }],
        },
      },
      '$.interfaceAttachment.fixed_ips[0].ip_address: expected an IPv4 or IPv6 address',
    ],
    [
      'missing subnet_id',
      'os-interface/show-v2.1',
      { interfaceAttachment: { ...attachment, fixed_ips: [{ ip_address: '10.0.0.5' }] } },
      "$.interfaceAttachment.fixed_ips[0]: required key 'subnet_id' is missing",
    ],
    [
      'empty port_state',
      'os-interface/show-v2.1',
      { interfaceAttachment: { ...attachment, port_state: '' } },
      '$.interfaceAttachment.port_state',
    ],
    [
      'renamed field',
      'os-interface/show-v2.1',
      { interfaceAttachment: { ...attachment, mac_address: attachment.mac_addr, mac_addr: undefined } },
      "required key 'mac_addr' is missing",
    ],
    [
      'list under the show key',
      'os-interface/list-v2.1',
      { interfaceAttachment: [attachment] },
      "$: required key 'interfaceAttachments' is missing",
    ],
    [
      'extra top-level key',
      'os-interface/list-v2.1',
      { interfaceAttachments: [], links: [] },
      "$: unexpected key 'links'",
    ],
  ];
  test.each(cases)('rejects %s', (_what, schema, body, sentence) => {
    const problems = validate(schema as 'os-interface/show-v2.1', JSON.parse(JSON.stringify(body)));
    expect(problems.join('\n')).toContain(sentence);
  });
});

describe('faults', () => {
  test("Nova's envelope passes", () => {
    expect(
      validate('common/fault', { itemNotFound: { code: 404, message: 'Instance x could not be found.' } }),
    ).toEqual([]);
    expect(
      validate('common/fault', { overLimit: { code: 429, message: 'slow down', retryAfter: '3' } }),
    ).toEqual([]);
  });

  test.each([
    ['a generic error body', { error: { code: 404, message: 'not found' } }, 'is not a Nova fault name'],
    [
      'two keys',
      { itemNotFound: { code: 404, message: 'm' }, extra: 1 },
      'expected exactly one top-level key',
    ],
    [
      'code as a string',
      { itemNotFound: { code: '404', message: 'm' } },
      '$.itemNotFound.code: expected integer',
    ],
    ['no message', { badRequest: { code: 400 } }, "required key 'message' is missing"],
    [
      'conflict instead of conflictingRequest',
      { conflict: { code: 409, message: 'm' } },
      'is not a Nova fault name',
    ],
  ])('rejects %s', (_what, body, sentence) => {
    expect(validate('common/fault', body).join('\n')).toContain(sentence);
  });

  test("keystonemiddleware's 401 body is exact", () => {
    const body = {
      error: {
        code: 401,
        title: 'Unauthorized',
        message: 'The request you have made requires authentication.',
      },
    };
    expect(validate('common/keystone-unauthorized', body)).toEqual([]);
    expect(
      validate('common/keystone-unauthorized', { unauthorized: { code: 401, message: 'x' } }),
    ).not.toEqual([]);
  });
});

describe('request schemas (what the negative suites send really is invalid)', () => {
  const net = '57cacb93-7987-4b45-9b60-89d96ee1f777';
  test.each([
    [{ interfaceAttachment: { net_id: net, tag: 'x' } }, 'os-interface/create-request-v2.1'],
    [{ interfaceAttachment: { net_id: net, tag: 'a,b' } }, 'os-interface/create-request-v2.49'],
    [{ interfaceAttachment: { net_id: net, tag: 'x'.repeat(61) } }, 'os-interface/create-request-v2.49'],
    [{ interfaceAttachment: { net_id: 'abc' } }, 'os-interface/create-request-v2.1'],
    [{ interfaceAttachment: { net_id: net, fixed_ips: [] } }, 'os-interface/create-request-v2.1'],
    [
      { interfaceAttachment: { net_id: net, fixed_ips: [{ ip_address: '10.0.0.5', subnet_id: net }] } },
      'os-interface/create-request-v2.1',
    ],
    [{ interfaceAttachment: null }, 'os-interface/create-request-v2.1'],
    [{ foo: 1 }, 'os-interface/create-request-v2.1'],
  ])('rejects %j', (body, schema) => {
    expect(validate(schema as 'os-interface/create-request-v2.1', body)).not.toEqual([]);
  });

  test('accepts what Nova accepts: nothing is required, 60-character tags, upper-case UUIDs', () => {
    expect(validate('os-interface/create-request-v2.1', {})).toEqual([]);
    expect(validate('os-interface/create-request-v2.1', { interfaceAttachment: {} })).toEqual([]);
    expect(
      validate('os-interface/create-request-v2.49', {
        interfaceAttachment: { net_id: net.toUpperCase(), tag: 'x'.repeat(60) },
      }),
    ).toEqual([]);
  });
});
