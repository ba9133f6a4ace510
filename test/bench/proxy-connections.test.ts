import { expect, test } from 'vitest';
import { startRecordingProxy } from '../../lib/bench/proxy.ts';
import { HttpClient } from '../../lib/openstack/http.ts';
import { uwsgiLike } from '../http/servers.ts';

// The bench's recording proxy in front of a server that answers a DELETE with a 204 and closes
// the connection later without saying so (Nova under Debian's uwsgi): the proxy's next request
// upstream must not go out on that connection, or the run sees the proxy's 502.

test('through the recording proxy, a write after a 204 reaches the cloud', async () => {
  const upstream = await uwsgiLike(50);
  const proxy = await startRecordingProxy(`${upstream.url}/identity/v3`);
  const http = new HttpClient({ timeoutMs: 2000, maxResponseBytes: 1024 * 1024 });
  try {
    const base = new URL(proxy.authUrl).origin;
    for (let round = 0; round < 3; round += 1) {
      expect((await http.send({ method: 'DELETE', url: `${base}/servers/x` })).status).toBe(204);
      expect((await http.send({ method: 'POST', url: `${base}/servers`, json: {} })).status).toBe(200);
    }
    expect(upstream.seen()).toEqual(['DELETE', 'POST', 'DELETE', 'POST', 'DELETE', 'POST']);
  } finally {
    await http.close();
    await proxy.stop();
    await upstream.close();
  }
});
