import { afterEach, beforeEach } from 'vitest';
import { formatExchange } from './exchange-log.ts';
import { session } from './session.ts';

// Groups the run's exchanges by test: request ids travel to the reporters in the test's meta,
// and a failing test prints its exchanges (redacted) so that they land in the report's system-out.
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
  const requestIds = [
    ...new Set(exchanges.map((e) => e.requestId).filter((id): id is string => id !== undefined)),
  ];
  Object.assign(context.task.meta, { requestIds, exchanges: exchanges.length });
  s.log.endTest();
});
