import { expect, test } from 'vitest';
import { printable } from '../../lib/report/printable.ts';

test('shows ESC, CSI and OSC introducers escaped, so no sequence reaches the terminal', () => {
  expect(printable('\u001b[2J\u001b[31mred')).toBe('\\x1b[2J\\x1b[31mred');
  expect(printable('\u001b]0;pwned\u0007')).toBe('\\x1b]0;pwned\\x07');
  expect(printable('\u009b31m \u009d8;;http://x\u009c')).toBe('\\x9b31m \\x9d8;;http://x\\x9c');
});

test('escapes CR, backspace, NUL and DEL but keeps line feed and tab', () => {
  expect(printable('ok\rFAIL\b\u0000\u007f')).toBe('ok\\x0dFAIL\\x08\\x00\\x7f');
  expect(printable('a\tb\nc')).toBe('a\tb\nc');
});

test('escapes bidirectional controls, line separators and lone surrogates as \\u{...}', () => {
  expect(printable('a\u202eb\u2066c\u2028d')).toBe('a\\u{202e}b\\u{2066}c\\u{2028}d');
  expect(printable('x\ud800y')).toBe('x\\u{d800}y');
});

test('leaves ordinary text, accents and astral characters alone', () => {
  const text = '{"message": "Port ä 🚀 not found", "code": 404}';
  expect(printable(text)).toBe(text);
});
