/**
 * Text from the target on its way to a terminal. A cloud under test can answer anything, and a
 * terminal obeys escape sequences: ESC [ moves the cursor or hides text, ESC ] (OSC) sets the
 * window title, writes the clipboard or plants links, and a bare CR overwrites what the line
 * said. Every such character is shown as an escape (`\x1b`, `\u{202e}`) instead of being sent.
 * Neutralising the introducer is enough: the rest of a sequence is then plain, visible text.
 *
 * Kept: line feed and tab, which the reports use for layout. A backslash is not doubled, so a
 * literal `\x1b` sent by the target reads the same as an escaped ESC; the terminal is safe
 * either way, and doubling would garble every JSON body with an escaped quote in it.
 */
export function printable(text: string): string {
  let out = '';
  // for..of walks code points, so a lone surrogate comes alone and an astral character whole.
  for (const ch of text) {
    const code = ch.codePointAt(0) ?? 0;
    out += mustEscape(code) ? escapeOf(code) : ch;
  }
  return out;
}

function mustEscape(code: number): boolean {
  if (code === 0x0a || code === 0x09) return false;
  // C0 controls (ESC, CR, BEL, backspace...), DEL and the C1 controls (CSI 0x9b, OSC 0x9d...).
  if (code < 0x20 || (code >= 0x7f && code <= 0x9f)) return true;
  // Bidirectional overrides and isolates reorder what the terminal shows ("Trojan Source").
  if (code === 0x061c || code === 0x200e || code === 0x200f) return true;
  if ((code >= 0x202a && code <= 0x202e) || (code >= 0x2066 && code <= 0x2069)) return true;
  // Line and paragraph separators break lines in some terminals and in none of the readers.
  if (code === 0x2028 || code === 0x2029) return true;
  // Lone surrogates cannot be encoded as UTF-8; the terminal would show a replacement at best.
  return code >= 0xd800 && code <= 0xdfff;
}

function escapeOf(code: number): string {
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u{${code.toString(16)}}`;
}
