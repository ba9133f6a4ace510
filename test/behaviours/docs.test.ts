import { expect, test } from 'vitest';
import { currentBehavioursDoc, expectedBehavioursDoc } from '../../lib/behaviours/docs-file.ts';
import { behaviourRegistry } from '../../lib/behaviours/registry.ts';

// docs/behaviours.md is generated from suites/behaviours.yaml: it must be what the generator writes.
test('docs/behaviours.md is up to date with the registry (npm run docs:behaviours)', async () => {
  expect(currentBehavioursDoc()).toBe(await expectedBehavioursDoc());
});

test('docs/behaviours.md lists every behaviour once, under its family, and cites nothing outside the repository', () => {
  const doc = currentBehavioursDoc();
  for (const b of behaviourRegistry()) expect(doc.split(`- **${b.id}** `).length - 1, b.id).toBe(1);
  const headings = doc.split('\n').filter((l) => l.startsWith('## '));
  expect(new Set(headings).size).toBe(headings.length);
  expect(doc).not.toMatch(/\/work\/|transcript\.md|seed \d|keep your own copy|as 23\b/);
});
