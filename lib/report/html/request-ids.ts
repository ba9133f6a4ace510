import { text } from './escape.ts';

/**
 * A check can make a dozen requests (ATTACH-01 makes 14); their ids matter to whoever searches
 * the cloud's logs, to nobody reading the verdict, so they are folded away.
 */
export function requestIdsHtml(ids: readonly string[]): string {
  if (ids.length === 0) return '';
  const label = ids.length === 1 ? '1 request id' : `${ids.length} request ids`;
  return `<details class="ids"><summary>${label}</summary><code>${ids.map(text).join('<br>')}</code></details>`;
}
