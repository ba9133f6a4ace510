import { printable } from '../printable.ts';

/** Markup-safe text: the five characters HTML gives meaning to, as references. */
function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/**
 * Text for the page. Most of it comes from the target (bodies, headers, messages), which can hold
 * control or bidirectional characters that would reorder or hide what a reader sees, as they do
 * on a terminal: they are shown as escapes (printable()), then escaped for markup.
 */
export function text(value: string): string {
  return escapeHtml(printable(value));
}
