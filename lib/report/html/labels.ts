import type { Status } from '../model.ts';

/** How each status reads on the page. */
export const LABEL: Readonly<Record<Status, string>> = {
  passed: 'passed',
  failed: 'failed',
  skipped: 'skipped',
  blocked: 'blocked',
  'known-upstream-defect': 'known upstream defect',
  'not-selected': 'not selected',
};
