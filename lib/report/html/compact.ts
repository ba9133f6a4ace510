import type { TestOutcome } from '../model.ts';
import { rowAttributes, type Anchors } from './anchors.ts';
import { text } from './escape.ts';
import { requestIdsHtml } from './request-ids.ts';
import { titleOf } from './title.ts';

/**
 * A result on one line: behaviour ID, name and why (a skip's reason, a known defect), the
 * microversions it used, its time, and its request ids folded away. Used for everything that is
 * not a failure: blocked, skipped, known defects, passed.
 */
export function compactRow(test: TestOutcome, anchors: Anchors, why?: string): string {
  const reason = why === undefined || why === '' ? '' : ` <span class="reason">— ${text(why)}</span>`;
  const notes = test.notes.map((n) => `<div class="reason">${text(n)}</div>`).join('');
  return (
    `<tr ${rowAttributes(test, anchors)}>` +
    `<td class="id">${text(test.behaviourId ?? '—')}</td>` +
    `<td>${text(titleOf(test))}${reason}${notes}</td>` +
    `<td class="mv">${text(test.microversions.join(', '))}</td>` +
    `<td class="t">${(test.durationMs / 1000).toFixed(2)} s</td>` +
    `<td class="ids">${requestIdsHtml(test.requestIds)}</td></tr>`
  );
}

export function compactTable(rows: readonly string[]): string {
  return (
    `<table class="compact"><colgroup><col class="id"><col><col class="mv"><col class="t"><col class="ids"></colgroup>` +
    `<tbody>${rows.join('')}</tbody></table>`
  );
}

/** A check that did not run has no microversion, time or request id: its ID and name only. */
export function nameRow(test: TestOutcome, anchors: Anchors): string {
  return (
    `<tr ${rowAttributes(test, anchors)}><td class="id">${text(test.behaviourId ?? '—')}</td>` +
    `<td>${text(titleOf(test))}</td></tr>`
  );
}

export function nameTable(rows: readonly string[]): string {
  return `<table class="names"><colgroup><col class="id"><col></colgroup><tbody>${rows.join('')}</tbody></table>`;
}
