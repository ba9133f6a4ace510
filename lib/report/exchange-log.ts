/**
 * A test's exchange log (meta.exchangeLog) as the harness writes it: its exchanges, each opened
 * by a request line `> METHOD URL`, separated by blank lines. The log is split back into
 * exchanges so the one a check failed on (meta.failedExchangeIndex, 0-based) can be marked.
 * A body that itself holds a blank line followed by something shaped like a request line would
 * shift the split; the marking is then off, never the text, which is kept whole.
 */
const REQUEST_LINE = /\n\n(?=> [A-Z]+ \S)/;

export function exchangesOf(log: string): string[] {
  return log.split(REQUEST_LINE).filter((part) => part.trim() !== '');
}

export const FAILED_MARK = '<<< the check failed on this exchange';

/** The log for text reports: numbered exchanges, the failing one marked. */
export function markedLog(log: string, failedIndex: number | undefined): string {
  const parts = exchangesOf(log);
  return parts
    .map((part, i) => {
      const mark = i === failedIndex ? ` ${FAILED_MARK}` : '';
      return `--- exchange ${i + 1} of ${parts.length}${mark}\n${part}`;
    })
    .join('\n\n');
}
