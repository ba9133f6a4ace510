import { describe, expect, it } from 'vitest';
import { DetachDelay } from '../../lib/bench/detach-delay.ts';

const S = '/compute/v2.1/servers/s1/os-interface';
const P = '/networking/v2.0/ports/p1';
const at = (minor: number) => ({ 'openstack-api-version': `compute 2.${minor}` });
const attachment = { port_state: 'ACTIVE', port_id: 'p1', net_id: 'n1', mac_addr: 'fa:16:3e:00:00:01' };
const port = (deviceId: string) => ({
  id: 'p1',
  network_id: 'n1',
  mac_address: 'fa:16:3e:00:00:01',
  fixed_ips: [{ subnet_id: 'sn', ip_address: '10.0.0.5' }],
  device_id: deviceId,
  device_owner: deviceId === '' ? '' : 'compute:az1',
  status: deviceId === '' ? 'DOWN' : 'ACTIVE',
});

function delayed(): { delay: DetachDelay; advance(ms: number): void } {
  let now = 1000;
  const delay = new DetachDelay(5000, () => now);
  // What the run saw before detaching: the attachment at 2.70 (with its tag) and the bound port.
  delay.answer('GET', S, 200, at(70), { interfaceAttachments: [{ ...attachment, tag: 'eth1' }] });
  delay.answer('GET', P, 200, {}, { port: port('s1') });
  delay.answer('DELETE', `${S}/p1`, 202, at(1), undefined);
  return { delay, advance: (ms) => (now += ms) };
}

describe('detach delay', () => {
  it('keeps listing and showing the interface until the delay has passed, at the answer’s microversion', () => {
    const { delay, advance } = delayed();
    expect(delay.answer('GET', S, 200, at(70), { interfaceAttachments: [] })).toEqual({
      status: 200,
      json: { interfaceAttachments: [{ ...attachment, tag: 'eth1' }] },
    });
    expect(delay.answer('GET', `${S}/p1`, 404, at(1), { itemNotFound: {} })).toEqual({
      status: 200,
      json: { interfaceAttachment: attachment },
    });
    advance(4999);
    expect(delay.answer('GET', S, 200, at(1), { interfaceAttachments: [] })?.json).toEqual({
      interfaceAttachments: [attachment],
    });
    advance(1);
    expect(delay.answer('GET', S, 200, at(1), { interfaceAttachments: [] })).toBeUndefined();
    expect(delay.answer('GET', `${S}/p1`, 404, at(1), {})).toBeUndefined();
    expect(delay).toMatchObject({ detaches: 1, rewrites: 3 });
  });

  it('keeps the port bound in Neutron’s show and lists, also in a list by device_id that left it out', () => {
    const { delay, advance } = delayed();
    expect(delay.answer('GET', P, 200, {}, { port: port('') })?.json).toEqual({ port: port('s1') });
    expect(delay.answer('GET', '/networking/v2.0/ports', 200, {}, { ports: [port('')] })?.json).toEqual({
      ports: [port('s1')],
    });
    expect(delay.answer('GET', '/networking/v2.0/ports?device_id=s1', 200, {}, { ports: [] })?.json).toEqual({
      ports: [port('s1')],
    });
    expect(
      delay.answer('GET', '/networking/v2.0/ports?device_id=s2', 200, {}, { ports: [] }),
    ).toBeUndefined();
    advance(5000);
    expect(delay.answer('GET', P, 200, {}, { port: port('') })).toBeUndefined();
  });

  it('leaves other servers, other ports, failed detaches and deleted ports alone', () => {
    const { delay } = delayed();
    expect(
      delay.answer('GET', '/compute/v2.1/servers/s2/os-interface', 200, at(1), { interfaceAttachments: [] }),
    ).toBeUndefined();
    expect(delay.answer('GET', `${S}/p2`, 404, at(1), {})).toBeUndefined();
    delay.answer('DELETE', `${S}/p3`, 404, at(1), {});
    expect(delay.answer('GET', `${S}/p3`, 404, at(1), {})).toBeUndefined();
    // Nova's 202 for a port the server never held (DETACH-05): nothing to release.
    delay.answer('GET', '/networking/v2.0/ports/p4', 200, {}, { port: { ...port(''), id: 'p4' } });
    delay.answer('DELETE', `${S}/p4`, 202, at(1), undefined);
    expect(
      delay.answer('GET', '/networking/v2.0/ports/p4', 200, {}, { port: { ...port(''), id: 'p4' } }),
    ).toBeUndefined();
    expect(delay.detaches).toBe(1);
    delay.answer('DELETE', P, 204, {}, undefined);
    expect(delay.answer('GET', S, 200, at(1), { interfaceAttachments: [] })).toBeUndefined();
  });

  it('builds the attachment from the port when Nova never showed it', () => {
    let now = 0;
    const delay = new DetachDelay(100, () => now);
    delay.answer('GET', P, 200, {}, { port: port('s1') });
    delay.answer('DELETE', `${S}/p1`, 202, {}, undefined);
    expect(delay.answer('GET', `${S}/p1`, 404, at(90), {})?.json).toEqual({
      interfaceAttachment: {
        port_state: 'ACTIVE',
        fixed_ips: port('s1').fixed_ips,
        port_id: 'p1',
        net_id: 'n1',
        mac_addr: 'fa:16:3e:00:00:01',
        tag: null,
      },
    });
    now = 100;
    expect(delay.answer('GET', `${S}/p1`, 404, at(90), {})).toBeUndefined();
  });
});
