// The fidelity check's normalisation and comparison, on small hand-made answers (no cloud needed).
import { describe, expect, it } from 'vitest';
import { explain } from '../../lib/fidelity/allow.ts';
import { compareAnswers, normaliseText, varyOf, type Answer } from '../../lib/fidelity/diff.ts';
import { fill } from '../../lib/fidelity/run.ts';

const SERVER_A = '1b2c3d4e-0000-4000-8000-000000000001';
const SERVER_B = '9f8e7d6c-0000-4000-8000-000000000002';
const idsA = { server: SERVER_A, project_id: 'aa'.repeat(16) };
const idsB = { server: SERVER_B, project_id: 'bb'.repeat(16) };

function answer(status: number, body: unknown, headers: Record<string, string[]> = {}): Answer {
  return {
    status,
    headers: { 'content-type': ['application/json'], ...headers },
    text: body === undefined ? '' : JSON.stringify(body),
  };
}

const RID = 'req-0a1b2c3d-0000-4000-8000-00000000abcd';

describe('normaliseText', () => {
  it('replaces known ids by their placeholder, other volatile values by a kind', () => {
    expect(normaliseText(`Instance ${SERVER_A} could not be found.`, idsA)).toBe(
      'Instance <server> could not be found.',
    );
    expect(
      normaliseText(
        `x ${RID} 5d3a2b1c-1111-4111-8111-111111111111 fa:16:3e:00:11:22 2026-11-23T20:31:28.000000`,
        {},
      ),
    ).toBe('x <request_id> <uuid> <mac> <time>');
  });
});

describe('compareAnswers', () => {
  it('finds nothing when only ids, values, list order and header case differ', () => {
    const a = answer(
      404,
      { itemNotFound: { code: 404, message: `Instance ${SERVER_A} could not be found.` } },
      { vary: ['OpenStack-API-Version', 'X-OpenStack-Nova-API-Version'], 'x-openstack-request-id': [RID] },
    );
    const b = answer(
      404,
      { itemNotFound: { code: 404, message: `Instance ${SERVER_B} could not be found.` } },
      { vary: ['X-OpenStack-Nova-API-Version, openstack-api-version'], 'x-openstack-request-id': [RID] },
    );
    expect(compareAnswers(a, b, idsA, idsB)).toEqual([]);
    const listA = answer(200, {
      interfaceAttachments: [
        { port_id: 'p1', tag: null },
        { port_id: 'p2', tag: 'x' },
      ],
    });
    const listB = answer(200, {
      interfaceAttachments: [
        { port_id: 'q2', tag: 'y' },
        { port_id: 'q1', tag: null },
      ],
    });
    expect(compareAnswers(listA, listB, idsA, idsB)).toEqual([]);
  });

  it('reports status, error key, message, field presence, type, length and headers', () => {
    const a = answer(
      400,
      { badRequest: { code: 400, message: 'Must not input both network_id and port_id' } },
      { 'openstack-api-version': ['compute 2.1'], 'x-openstack-request-id': [RID] },
    );
    const b = answer(
      409,
      { conflictingRequest: { code: '409', message: 'Something else' } },
      { 'x-openstack-request-id': ['abc'], 'www-authenticate': ['Keystone uri="x"'] },
    );
    const found = compareAnswers(a, b, idsA, idsB).map((d) => `${d.aspect} ${d.where}: ${d.a} | ${d.b}`);
    expect(found).toEqual(
      [
        'status status: 400 | 409',
        'error key $: badRequest | conflictingRequest',
        'message $.badRequest.message: Must not input both network_id and port_id | Something else',
        'field $.badRequest: present | absent',
        'field $.conflictingRequest: absent | present',
        'header openstack-api-version: compute 2.1 | (absent)',
        'header x-openstack-request-id: req-<uuid> | malformed: abc',
        'header x-compute-request-id: (absent) | (absent)',
        'header www-authenticate: (absent) | present',
      ].filter((line) => !line.startsWith('header x-compute')),
    );
    const shapes = compareAnswers(
      answer(200, { interfaceAttachment: { tag: null, fixed_ips: [{}, {}] } }),
      answer(200, { interfaceAttachment: { tag: 'x', fixed_ips: [{}], mac_addr: 'm' } }),
      {},
      {},
    ).map((d) => `${d.aspect} ${d.where}`);
    expect(shapes).toEqual([
      'length $.interfaceAttachment.fixed_ips',
      'field $.interfaceAttachment.mac_addr',
      'type $.interfaceAttachment.tag',
    ]);
  });

  it('compares non-JSON bodies by kind and normalised text', () => {
    const html: Answer = {
      status: 404,
      headers: { 'content-type': ['text/html; charset=UTF-8'] },
      text: '<html/>',
    };
    const json = answer(404, { message: 'x', code: '404 Not Found', title: 'Not Found' });
    const found = compareAnswers(html, json, {}, {});
    expect(found.map((d) => d.aspect)).toEqual(['body', 'header']);
    expect(compareAnswers(answer(202, undefined), answer(202, undefined), {}, {})).toEqual([]);
  });
});

describe('helpers', () => {
  it('reads Vary in either form and fills placeholders', () => {
    expect(varyOf({ status: 200, headers: { vary: ['A, b', 'B'] }, text: '' })).toBe('a, b');
    expect(fill('/servers/{server}/os-interface/{unknown}', idsA)).toBe(
      `/servers/${SERVER_A}/os-interface/{unknown}`,
    );
  });
  it('explains a difference only when the allow-list covers step, aspect and place', () => {
    const allowed = [{ step: /^attach-/, aspect: 'field' as const, where: '$.x', reason: 'because' }];
    expect(explain('attach-port', { aspect: 'field', where: '$.x' }, allowed)).toBe('because');
    expect(explain('attach-port', { aspect: 'type', where: '$.x' }, allowed)).toBeUndefined();
    expect(explain('list-one', { aspect: 'field', where: '$.x' }, allowed)).toBeUndefined();
  });
});
