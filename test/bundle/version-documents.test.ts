import { afterAll, beforeAll, expect, test } from 'vitest';
import { readVersionDocuments } from '../../lib/bundle/version-documents.ts';
import { startMock } from '../../lib/mock/start.ts';
import { readComputeVersion } from '../../lib/openstack/compute.ts';
import { HttpClient } from '../../lib/openstack/http.ts';

let mock: Awaited<ReturnType<typeof startMock>>;
const http = new HttpClient({ timeoutMs: 5000, maxResponseBytes: 1024 * 1024 });

beforeAll(async () => {
  mock = await startMock({ port: 0, delays: { build: 0, detach: 0, portActive: 0, taskState: 0 } });
});

afterAll(async () => {
  await http.close();
  await mock.stop();
});

test('the compute root and v2.1 documents, as the target answered them', async () => {
  const base = `${mock.url}/compute/v2.1`;
  const { document } = await readComputeVersion(http, base);
  const docs = await readVersionDocuments(http, base, document);
  expect(docs.compute).toMatchObject({ version: { id: 'v2.1', min_version: '2.1' } });
  expect(docs.root).toMatchObject({
    versions: expect.arrayContaining([expect.objectContaining({ id: 'v2.1' })]),
  });
});

test('a target that does not answer the root: no root in the record, not an error', async () => {
  expect(await readVersionDocuments(http, 'http://127.0.0.1:9/compute/v2.1', undefined)).toEqual({});
});
