/**
 * How deeply a JSON text nests, found without parsing it. The deepest answer the suite reads
 * nests 6 levels (a Keystone token: body, token, catalog, service, endpoints, endpoint; an
 * interface list nests 5); anything past MAX_JSON_DEPTH is
 * not an answer the suite can judge, and every recursive walk over it (the schema validator's
 * messages, JSON.stringify, redaction by key) would overflow the stack long before V8's own
 * iterative JSON.parse gave up.
 */
export const MAX_JSON_DEPTH = 64;

const OPEN_ARRAY = 0x5b;
const OPEN_OBJECT = 0x7b;
const CLOSE_ARRAY = 0x5d;
const CLOSE_OBJECT = 0x7d;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/**
 * True when `text` opens more than `limit` arrays or objects inside one another. One pass, no
 * allocation; brackets inside strings do not count. Meaningful for valid JSON only: for
 * anything else JSON.parse fails on its own.
 */
export function deeperThan(text: string, limit: number = MAX_JSON_DEPTH): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i += 1) {
    const code = text.charCodeAt(i);
    if (inString) {
      if (code === BACKSLASH) i += 1;
      else if (code === QUOTE) inString = false;
    } else if (code === QUOTE) inString = true;
    else if (code === OPEN_ARRAY || code === OPEN_OBJECT) {
      depth += 1;
      if (depth > limit) return true;
    } else if (code === CLOSE_ARRAY || code === CLOSE_OBJECT) depth -= 1;
  }
  return false;
}
