import { MAX_JSON_DEPTH, deeperThan } from './json-depth.ts';

/** An answer's body as the exchange keeps it: text, its JSON, and why there is no JSON if so. */
export interface BodyText {
  readonly text: string;
  readonly json: unknown;
  /** Why a non-empty body was not parsed as JSON, beyond not being JSON: a phrase, "it is ...". */
  readonly unparsed?: string;
}

const UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** A header value from the target, shown inside a sentence: printable ASCII, short. */
function plain(value: string): string {
  const out = value.replace(/[^\x20-\x7e]/g, '?');
  return out.length > 40 ? `${out.slice(0, 37)}...` : out;
}

/**
 * Decodes an answer's bytes. The client asks for no compression (Accept-Encoding: identity), so
 * a compressed body is a deviation of the target: it is described, never decoded, and its bytes
 * (NUL, backspace, escapes) never become text. Bytes that are not UTF-8 are described the same
 * way. JSON nested past MAX_JSON_DEPTH is not parsed, so that nothing downstream recurses into it.
 */
export function bodyText(bytes: Buffer, contentEncoding: readonly string[] | undefined): BodyText {
  if (bytes.length === 0) return { text: '', json: undefined };
  const encoding = (contentEncoding ?? []).join(', ').trim();
  if (encoding !== '' && encoding.toLowerCase() !== 'identity') {
    const shown = plain(encoding);
    return {
      text: `(${bytes.length} bytes, Content-Encoding ${shown}, not decoded)`,
      json: undefined,
      unparsed: `it is compressed (Content-Encoding ${shown}), which the suite did not ask for`,
    };
  }
  let text: string;
  try {
    text = UTF8.decode(bytes);
  } catch {
    return {
      text: `(${bytes.length} bytes that are not UTF-8 text, not shown)`,
      json: undefined,
      unparsed: 'it is not UTF-8 text',
    };
  }
  if (deeperThan(text, MAX_JSON_DEPTH))
    return {
      text,
      json: undefined,
      unparsed: `it nests arrays and objects more than ${MAX_JSON_DEPTH} levels deep, deeper than the suite reads (no Nova answer nests more than 6)`,
    };
  try {
    return { text, json: JSON.parse(text) };
  } catch {
    return { text, json: undefined };
  }
}
