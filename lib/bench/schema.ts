// Part 4: bodies per second through the suites' assertion helper, next to the bare validator.
import { randomUUID } from 'node:crypto';
import { expectInterfaceBody } from '../harness/expect.ts';
import type { Exchange } from '../openstack/http.ts';
import { interfaceSchema, validatorFor } from '../schema/validator.ts';
import { median } from './stats.ts';

export interface SchemaFigure {
  readonly interfaces: number;
  readonly helperPerSecond: number;
  readonly barePerSecond: number;
}

const EFFECTIVE = '2.70';

function attachment(i: number): Record<string, unknown> {
  const octet = (i % 250) + 2;
  return {
    port_state: 'ACTIVE',
    fixed_ips: [{ subnet_id: randomUUID(), ip_address: `10.0.${Math.floor(i / 250)}.${octet}` }],
    port_id: randomUUID(),
    net_id: randomUUID(),
    mac_addr: `fa:16:3e:00:${(Math.floor(i / 256) % 256).toString(16).padStart(2, '0')}:${(i % 256).toString(16).padStart(2, '0')}`,
    tag: i % 2 === 0 ? null : `tag-${i}`,
  };
}

/** An exchange as the HTTP client hands it to a suite: a 200 list at 2.70 with `count` interfaces. */
function listExchange(count: number): Exchange {
  const json = { interfaceAttachments: Array.from({ length: count }, (_, i) => attachment(i)) };
  const text = JSON.stringify(json);
  return {
    seq: 1,
    startedAt: new Date(0).toISOString(),
    method: 'GET',
    url: 'http://127.0.0.1/compute/v2.1/servers/x/os-interface',
    requestHeaders: {},
    status: 200,
    headers: { 'content-type': ['application/json'], 'content-length': [String(text.length)] },
    text,
    json,
    durationMs: 1,
    retries: 0,
  };
}

/** Calls per second of `fn` over about `budgetMs`, in batches so that the clock is read rarely. */
function perSecond(fn: () => void, budgetMs: number): number {
  let batch = 16;
  let calls = 0;
  const started = performance.now();
  let elapsed = 0;
  while (elapsed < budgetMs) {
    for (let i = 0; i < batch; i += 1) fn();
    calls += batch;
    elapsed = performance.now() - started;
    if (elapsed < budgetMs / 20) batch *= 2;
  }
  return (calls * 1000) / elapsed;
}

/**
 * Alternates helper and bare in short rounds (so that a noisy neighbour hurts both alike) and
 * keeps each one's median round.
 */
export function measureSchema(sizes: readonly number[], roundMs: number, rounds: number): SchemaFigure[] {
  const schema = interfaceSchema('list', EFFECTIVE);
  const bare = validatorFor(schema);
  return sizes.map((interfaces) => {
    const exchange = listExchange(interfaces);
    if (!bare(exchange.json))
      throw new Error(`bench: the synthetic ${interfaces}-interface list does not match ${schema}`);
    const helper = (): void => {
      expectInterfaceBody(exchange, 'list', 200, EFFECTIVE);
    };
    const raw = (): void => {
      if (!bare(exchange.json)) throw new Error('unexpected');
    };
    // Warm both paths up (JIT) before anything is counted.
    perSecond(helper, roundMs / 2);
    perSecond(raw, roundMs / 2);
    const helperRounds: number[] = [];
    const bareRounds: number[] = [];
    for (let round = 0; round < rounds; round += 1) {
      helperRounds.push(perSecond(helper, roundMs));
      bareRounds.push(perSecond(raw, roundMs));
    }
    return { interfaces, helperPerSecond: median(helperRounds), barePerSecond: median(bareRounds) };
  });
}
