import { afterEach, beforeEach } from 'vitest';
import { formatExchange } from './exchange-log.ts';
import { session } from './session.ts';

// Groups the run's exchanges by test: request ids become JUnit properties, and a failing test
// prints its exchanges (redacted) so that they land in the report's system-out.
beforeEach(async (context) => {
  const s = await session();
  s.log.startTest(context.task.id);
  context.onTestFailed(() => {
    const exchanges = s.log.of(context.task.id);
    if (exchanges.length > 0) console.log(exchanges.map(formatExchange).join('\n\n'));
  });
});

afterEach(async (context) => {
  const s = await session();
  const exchanges = s.log.of(context.task.id);
  const ids = exchanges.map((e) => e.requestId).filter((id): id is string => id !== undefined);
  if (ids.length > 0) await context.annotate([...new Set(ids)].join(' '), 'request-ids');
  Object.assign(context.task.meta, { exchanges: exchanges.length });
  s.log.endTest();
});
