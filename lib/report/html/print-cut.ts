import { text } from './escape.ts';

/**
 * Long bodies are cut in the printed copy only: the screen shows them whole, and the full
 * evidence stays in junit.xml and the results bundle. The cut is decided here, where the text is
 * known, so that the printed note says how much was left out.
 */

/** Characters of one printed line of a <pre> at the print stylesheet's size on A4. */
export const PRINT_WIDTH = 110;

export interface Cut {
  readonly shown: string;
  readonly rest: string;
  /** Lines of the text (as written, not as wrapped) that are cut, the one cut inside included. */
  readonly restLines: number;
}

/** The first `maxLines` printed lines of a text (a long line wraps over several), and the rest. */
export function cutForPrint(value: string, maxLines: number): Cut {
  const lines = value.split('\n');
  let budget = Math.max(0, maxLines);
  let offset = 0;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    const wrapped = Math.max(1, Math.ceil(line.length / PRINT_WIDTH));
    if (wrapped > budget) {
      const end = offset + budget * PRINT_WIDTH;
      return { shown: value.slice(0, end), rest: value.slice(end), restLines: lines.length - i };
    }
    budget -= wrapped;
    offset += line.length + 1;
  }
  return { shown: value, rest: '', restLines: 0 };
}

/** The text for a <pre>: all of it on screen, its first lines in print with a note on the rest. */
export function printClipped(value: string, maxLines: number): string {
  const cut = cutForPrint(value, maxLines);
  if (cut.rest === '') return text(value);
  const lines = cut.restLines === 1 ? '1 more line' : `${cut.restLines} more lines`;
  return (
    `${text(cut.shown)}<span class="print-cut">${text(cut.rest)}</span>` +
    `<span class="print-note">${cut.shown.endsWith('\n') ? '' : '\n'}[… ${lines} cut in print: see the report on screen or junit.xml]</span>`
  );
}
