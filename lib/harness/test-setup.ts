import { afterEach, beforeEach } from 'vitest';
import type { Exchange } from '../openstack/http.ts';
import { formatExchange } from './exchange-log.ts';
import { session } from './session.ts';

/** The compute microversion a request asked for, as the reports name it. */
function requestedMicroversion(exchange: Exchange): string | undefined {
  if (!exchange.url.includes('/servers')) return undefined;
  const headers = Object.entries(exchange.requestHeaders);
  const standard = headers.find(([name]) => name.toLowerCase() === 'openstack-api-version')?.[1];
  const legacy = headers.find(([name]) => name.toLowerCase() === 'x-openstack-nova-api-version')?.[1];
  const value =
    typeof standard === 'string'
      ? standard.replace(/^compute\s+/, '')
      : typeof legacy === 'string'
        ? legacy
        : undefined;
  return value ?? '2.1 (no header)';
}

// Groups the run's exchanges by test: request ids and microversions travel to the reporters in
// the test's meta, and a failing test prints its exchanges (redacted) so that they land in the
// report's system-out.
beforeEach(async (context) => {
  const s = await session();
  s.log.startTest(context.task.id);
});

afterEach(async (context) => {
  const s = await session();
  const exchanges = s.log.of(context.task.id);
  // The test's errors are already recorded here; onTestFailed would run after this hook has
  // released the exchanges.
  const failed = (context.task.result?.errors?.length ?? 0) > 0;
  if (failed && exchanges.length > 0) console.log(exchanges.map(formatExchange).join('\n\n'));
  const unique = (values: (string | undefined)[]): string[] => [
    ...new Set(values.filter((v): v is string => v !== undefined)),
  ];
  Object.assign(context.task.meta, {
    requestIds: unique(exchanges.map((e) => e.requestId)),
    microversions: unique(exchanges.map(requestedMicroversion)),
    exchanges: exchanges.length,
  });
  s.log.forget(context.task.id);
  s.log.endTest();
});
