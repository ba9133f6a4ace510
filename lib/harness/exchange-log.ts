import type { Exchange } from '../openstack/http.ts';

/**
 * Every exchange of the run, grouped by the test that made it, so that reports can show a
 * failing test's evidence and each test's request ids.
 */
export class ExchangeLog {
  private current = '(setup)';
  private readonly byTest = new Map<string, Exchange[]>();
  count = 0;

  startTest(name: string): void {
    this.current = name;
  }

  endTest(): void {
    this.current = '(setup)';
  }

  record(exchange: Exchange): void {
    this.count += 1;
    const list = this.byTest.get(this.current);
    if (list === undefined) this.byTest.set(this.current, [exchange]);
    else list.push(exchange);
  }

  of(name: string): readonly Exchange[] {
    return this.byTest.get(name) ?? [];
  }

  forget(name: string): void {
    this.byTest.delete(name);
  }
}

const BODY_LIMIT = 2000;

function clip(text: string): string {
  return text.length > BODY_LIMIT ? `${text.slice(0, BODY_LIMIT)}... (${text.length} bytes)` : text;
}

/** One exchange as text, redacted as recorded, for failure output. */
export function formatExchange(exchange: Exchange): string {
  const lines = [`> ${exchange.method} ${exchange.url}`];
  for (const [name, value] of Object.entries(exchange.requestHeaders))
    lines.push(`> ${name}: ${String(value)}`);
  if (exchange.requestBody !== undefined) lines.push(`> ${clip(exchange.requestBody)}`);
  // A throttled answer was retried (429, or 503 with Retry-After): say so, or the evidence hides it.
  const retried =
    exchange.retries > 0
      ? `, after ${exchange.retries} ${exchange.retries === 1 ? 'retry' : 'retries'} on 429/503`
      : '';
  lines.push(`< ${exchange.status} (${exchange.durationMs.toFixed(0)} ms${retried})`);
  for (const [name, values] of Object.entries(exchange.headers))
    for (const value of values) lines.push(`< ${name}: ${value}`);
  if (exchange.text !== '') lines.push(`< ${clip(exchange.text)}`);
  return lines.join('\n');
}
