// Glance v2: the image list and show that clients use to resolve --image.
import type { ServerResponse } from 'node:http';
import { type HeaderList, type MockRequest, send, sendJson } from './http.ts';
import { authtoken } from './keystone.ts';
import type { MockState } from './state.ts';
import type { Image } from './types.ts';
import { requestId } from './util.ts';

function imageView(i: Image): Record<string, unknown> {
  return {
    id: i.id,
    name: i.name,
    status: 'active',
    visibility: 'public',
    protected: false,
    os_hidden: false,
    container_format: 'bare',
    disk_format: 'qcow2',
    size: i.size,
    virtual_size: 117440512,
    min_disk: 0,
    min_ram: 0,
    checksum: 'c8fc807773e5354afe61636071771906',
    os_hash_algo: 'sha512',
    os_hash_value:
      '6b813aa46bb90b4da216a4d19376593fa3f4fc7e617f03a92b7fe11e9a3981cbe8f0959dbebe36225e5f53dc4492341a4863cac4ed1ee0909f3fc78ef9c3e869',
    owner: i.ownerId,
    tags: [],
    created_at: i.createdAt,
    updated_at: i.createdAt,
    self: `/v2/images/${i.id}`,
    file: `/v2/images/${i.id}/file`,
    schema: '/v2/schemas/image',
  };
}

export function handleGlance(state: MockState, req: MockRequest, res: ServerResponse): void {
  const ids: HeaderList = [['X-Openstack-Request-Id', requestId()]];
  const path = req.path.replace(/\/+$/, '');
  const base = req.baseUrl;
  if (path === '' || path === '/versions') {
    const versions = [
      '2.16',
      '2.15',
      '2.9',
      '2.8',
      '2.7',
      '2.6',
      '2.5',
      '2.4',
      '2.3',
      '2.2',
      '2.1',
      '2.0',
    ].map((v, i) => ({
      id: `v${v}`,
      status: i === 0 ? 'CURRENT' : 'SUPPORTED',
      links: [{ rel: 'self', href: `${base}/v2/` }],
    }));
    sendJson(res, path === '' ? 300 : 200, { versions }, ids);
    return;
  }
  const ctx = authtoken(state, req, res, base, ids);
  if (!ctx) return;
  if (path === '/v2/images' && req.method === 'GET') {
    let list = [...state.images.values()];
    const name = req.query.get('name');
    if (name !== null) list = list.filter((i) => i.name === name);
    const id = req.query.get('id');
    if (id !== null) list = list.filter((i) => i.id === id);
    sendJson(
      res,
      200,
      { images: list.map(imageView), schema: '/v2/schemas/images', first: '/v2/images' },
      ids,
    );
    return;
  }
  const m = /^\/v2\/images\/([^/]+)$/.exec(path);
  if (m && req.method === 'GET') {
    const image = state.images.get(m[1] ?? '');
    if (image) {
      sendJson(res, 200, imageView(image), ids);
      return;
    }
    send(
      res,
      404,
      [['Content-Type', 'text/plain; charset=UTF-8'], ...ids],
      `404 Not Found\n\nNo image found with ID ${m[1]}\n\n   `,
    );
    return;
  }
  send(
    res,
    404,
    [['Content-Type', 'text/plain; charset=UTF-8'], ...ids],
    '404 Not Found\n\nThe resource could not be found.\n\n   ',
  );
}
