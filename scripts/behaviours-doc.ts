// Writes docs/behaviours.md from the registry (suites/behaviours.yaml).
//   npx tsx scripts/behaviours-doc.ts           write it
//   npx tsx scripts/behaviours-doc.ts --check   exit 1 when the file is stale
import { writeFileSync } from 'node:fs';
import { relative } from 'node:path';
import { currentBehavioursDoc, DOC_FILE, expectedBehavioursDoc } from '../lib/behaviours/docs-file.ts';

const expected = await expectedBehavioursDoc();
const name = relative(process.cwd(), DOC_FILE);
if (process.argv.includes('--check')) {
  const fresh = currentBehavioursDoc() === expected;
  console.log(fresh ? `${name} is up to date` : `${name} is stale: run npm run docs:behaviours`);
  process.exitCode = fresh ? 0 : 1;
} else {
  writeFileSync(DOC_FILE, expected, 'utf8');
  console.log(`wrote ${name}`);
}
