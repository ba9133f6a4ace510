import type { Owns } from '../../lib/harness/expect.ts';

/**
 * The parts of an os-interface body, each owned by the behaviours whose definition speaks of it
 * (docs/behaviours.md): a check that reads a body for one part must not fail on another, whose
 * own check fails instead.
 *
 * - envelope: the top-level key and its type (LIST-01, LIST-05; SHOW-01)
 * - keys: the set of keys of an element (LIST-01…03; SHOW-01; the attach answer: ATTACH-01/02/04)
 * - tag: `tag` present or absent by microversion (LIST-01…04, SHOW-02, ATTACH-05/06)
 * - fixed_ips: its shape (LIST-06, SHOW-01, ATTACH-03)
 * - values: mac_addr, net_id, port_id well formed (LIST-07, SHOW-01)
 * - port_state: its value (LIST-07, SHOW-01, ATTACH-07)
 */
export type Part = 'envelope' | 'keys' | 'tag' | 'fixed_ips' | 'values' | 'port_state';

/** The part a schema problem (`<path>: <what>`, lib/schema/describe.ts) is about. */
function partOf(problem: string): Part {
  const path = problem.split(': ')[0] ?? '';
  if (path.endsWith('.tag') || /key 'tag'/.test(problem)) return 'tag';
  if (path.includes('.fixed_ips')) return 'fixed_ips';
  if (/^\$\.interfaceAttachments?(\[\d+\])?\.port_state$/.test(path)) return 'port_state';
  if (/^\$\.interfaceAttachments?(\[\d+\])?\.(mac_addr|net_id|port_id)$/.test(path)) return 'values';
  if (/^\$\.interfaceAttachments\[\d+\]$/.test(path) || path === '$.interfaceAttachment') return 'keys';
  return 'envelope';
}

/** Problems of these parts only. */
export function owning(...parts: readonly Part[]): Owns {
  return (problem) => parts.includes(partOf(problem));
}

export const EVERY_PART: readonly Part[] = ['envelope', 'keys', 'tag', 'fixed_ips', 'values', 'port_state'];
