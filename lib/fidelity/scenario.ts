// The request set of the fidelity check, modelled on the 72 exchanges recorded from real Nova Zed
// (test/fixtures/real-nova/eventlet.json) but arranged by the harness on each target: one server
// booted with networks 'none', a free port, and a port whose device_id names another server.
import type { VersionHeaders } from '../openstack/compute.ts';
import type { Method } from '../openstack/http.ts';

/** Where a request's path is rooted. */
type Base =
  /** The versioned endpoint, `…/v2.1`. */
  | 'v2.1'
  /** The versioned endpoint with the token's project id: `…/v2.1/{project_id}`. */
  | 'project'
  /** The versioned endpoint with a project id that is not the token's. */
  | 'other-project'
  /** The unversioned root, where the version list lives. */
  | 'root';

export interface RequestStep {
  readonly kind: 'request';
  /** A short stable name, used by the allow-list and the report. */
  readonly id: string;
  readonly title: string;
  readonly method: Method;
  readonly path: string;
  readonly base?: Base;
  readonly microversion?: string;
  readonly versionHeaders?: VersionHeaders;
  /** `token` (the primary user's), `none`, or a token Keystone never issued. */
  readonly auth?: 'token' | 'none' | 'bad';
  /** A JSON body; `{placeholders}` in its strings are filled with each target's ids. */
  readonly json?: unknown;
  /** Extra request headers (e.g. Accept, which decides the form of webob's 404 page). */
  readonly headers?: Readonly<Record<string, string>>;
  /** A body sent byte for byte (malformed JSON, empty). */
  readonly rawBody?: string;
  /** Remember `interfaceAttachment.port_id` of a 200 answer under this placeholder name. */
  readonly learnPort?: string;
  /** Remember the answer's request id under this placeholder name. */
  readonly learnRequestId?: string;
  /** After a 202, poll the interface list until this port has left it (detach is asynchronous). */
  readonly waitDetached?: string;
  /** Repeat the request (polling, with the run's deadline) until the answer satisfies this. */
  readonly until?: 'action-finished';
}

interface SetupStep {
  readonly kind: 'setup';
  readonly id: string;
  readonly title: string;
  readonly action: 'lock' | 'unlock';
}

export type Step = RequestStep | SetupStep;

const BOGUS = '{bogus_uuid}';
const LONG_TAG = 'x'.repeat(61);

function get(id: string, title: string, path: string, extra: Partial<RequestStep> = {}): RequestStep {
  return { kind: 'request', id, title, method: 'GET', path, ...extra };
}

function post(id: string, title: string, json: unknown, extra: Partial<RequestStep> = {}): RequestStep {
  return {
    kind: 'request',
    id,
    title,
    method: 'POST',
    path: '/servers/{server}/os-interface',
    json,
    ...extra,
  };
}

function del(id: string, title: string, port: string, extra: Partial<RequestStep> = {}): RequestStep {
  return {
    kind: 'request',
    id,
    title,
    method: 'DELETE',
    path: `/servers/{server}/os-interface/${port}`,
    ...extra,
  };
}

const LIST = '/servers/{server}/os-interface';
const attachment = (fields: Record<string, unknown>): unknown => ({ interfaceAttachment: fields });

/** The steps, in order. Ids are stable: docs/fidelity.md and the allow-list refer to them. */
export const STEPS: readonly Step[] = [
  // Version documents.
  get('versions', 'version list (unversioned root, no token)', '/', { base: 'root', auth: 'none' }),
  get('version-v2.1', 'v2.1 version document', '/'),
  get('version-v2.1-2.70', 'v2.1 version document at 2.70', '/', { microversion: '2.70' }),
  get('version-v2.1-2.999', 'v2.1 version document at 2.999', '/', { microversion: '2.999' }),
  get('version-v2', 'v2 (legacy) version document', '/v2/', { base: 'root', auth: 'none' }),
  get('version-unknown', 'unknown version path (multiple choices)', '/v3', { base: 'root', auth: 'none' }),
  // Empty server, list and show.
  get('list-empty', 'list, server without interfaces (2.1)', LIST),
  get('list-project-url', 'list via /v2.1/{project_id}/servers/...', LIST, { base: 'project' }),
  get('show-free', 'show: port exists, not attached to anything', `${LIST}/{free_port}`),
  get('show-other', 'show: port bound to another server id', `${LIST}/{other_port}`),
  get('show-unknown-port', 'show: unknown port', `${LIST}/${BOGUS}`),
  get('show-non-uuid', 'show: non-uuid port id', `${LIST}/not-a-uuid`),
  // Detach of what is not attached: accepted by nova-api, failed in nova-compute.
  del('detach-not-attached', 'detach: port exists but is not attached', '{free_port}', {
    learnRequestId: 'detach_request',
  }),
  get(
    'action-of-detach',
    'instance action of the failed detach (2.84)',
    '/servers/{server}/os-instance-actions/{detach_request}',
    { microversion: '2.84', until: 'action-finished' },
  ),
  del('detach-unknown', 'detach: unknown port', BOGUS),
  del('detach-other', 'detach: port bound to another server id', '{other_port}'),
  // Attach by port_id, show, list, detach.
  post('attach-port', 'attach by port_id (2.1)', attachment({ port_id: '{free_port}' })),
  get('show-attached', 'show attached port (2.1)', `${LIST}/{free_port}`),
  get('list-one', 'list after attach (2.1)', LIST),
  post(
    'attach-port-again',
    'attach: port already attached to this server',
    attachment({ port_id: '{free_port}' }),
  ),
  del('detach-port', 'detach (2.1)', '{free_port}', { waitDetached: 'free_port' }),
  get('list-after-detach', 'list after the detach completed', LIST),
  // Attach by network: with a fixed IP, alone, and with no argument at all.
  post(
    'attach-net-ip',
    'attach by net_id + fixed_ips (2.1)',
    attachment({ net_id: '{net}', fixed_ips: [{ ip_address: '{fixed_ip}' }] }),
    { learnPort: 'port_net_ip' },
  ),
  post('attach-net', 'attach by net_id only (2.1)', attachment({ net_id: '{net}' }), {
    learnPort: 'port_net',
  }),
  post('attach-empty', 'attach with an empty interfaceAttachment', attachment({}), {
    learnPort: 'port_auto',
  }),
  get('list-after-attaches', 'list after the attaches (2.1)', LIST),
  get('show-project-url', 'show via /v2.1/{project_id}/servers/...', `${LIST}/{port_net_ip}`, {
    base: 'project',
  }),
  del('detach-project-url', 'detach via /v2.1/{project_id}/servers/...', '{port_net_ip}', {
    base: 'project',
    waitDetached: 'port_net_ip',
  }),
  del('detach-net', 'detach the port Nova made for net_id', '{port_net}', { waitDetached: 'port_net' }),
  del('detach-auto', 'detach the port Nova chose the network of', '{port_auto}', {
    waitDetached: 'port_auto',
  }),
  // Tags.
  post(
    'attach-tag-2.48',
    'attach with tag at 2.48 (not allowed before 2.49)',
    attachment({ port_id: '{free_port}', tag: 'foo' }),
    {
      microversion: '2.48',
    },
  ),
  post(
    'attach-tag-too-long',
    'attach: tag too long at 2.49',
    attachment({ port_id: '{free_port}', tag: LONG_TAG }),
    {
      microversion: '2.49',
    },
  ),
  post('attach-tag-2.49', 'attach with tag at 2.49', attachment({ port_id: '{free_port}', tag: 'nic49' }), {
    microversion: '2.49',
  }),
  get('show-2.49', 'show tagged port at 2.49 (no tag before 2.70)', `${LIST}/{free_port}`, {
    microversion: '2.49',
  }),
  get('show-2.70', 'show tagged port at 2.70', `${LIST}/{free_port}`, { microversion: '2.70' }),
  get('list-2.70', 'list at 2.70', LIST, { microversion: '2.70' }),
  get('list-2.70-legacy-header', 'list at 2.70, X-OpenStack-Nova-API-Version only', LIST, {
    microversion: '2.70',
    versionHeaders: 'legacy',
  }),
  get('list-2.70-standard-header', 'list at 2.70, OpenStack-API-Version only', LIST, {
    microversion: '2.70',
    versionHeaders: 'standard',
  }),
  del('detach-2.70', 'detach at 2.70', '{free_port}', { microversion: '2.70', waitDetached: 'free_port' }),
  post(
    'attach-tag-2.70',
    'attach by port_id with tag at 2.70',
    attachment({ port_id: '{free_port}', tag: 'nic70' }),
    {
      microversion: '2.70',
    },
  ),
  post(
    'attach-net-2.70',
    'attach by net_id without tag at 2.70 (tag null)',
    attachment({ net_id: '{net}' }),
    {
      microversion: '2.70',
      learnPort: 'port_net_270',
    },
  ),
  get('list-latest', 'list at latest', LIST, { microversion: 'latest' }),
  get('show-latest', 'show at latest', `${LIST}/{free_port}`, { microversion: 'latest' }),
  get('list-2.999', 'unsupported microversion 2.999', LIST, { microversion: '2.999' }),
  get('list-2.a', 'invalid microversion string 2.a', LIST, { microversion: '2.a' }),
  // Unknown server, port, network.
  get('list-unknown-server', 'list: unknown server', `/servers/${BOGUS}/os-interface`),
  get('show-unknown-server', 'show: unknown server', `/servers/${BOGUS}/os-interface/{free_port}`),
  {
    kind: 'request',
    id: 'attach-unknown-server',
    title: 'attach: unknown server',
    method: 'POST',
    path: `/servers/${BOGUS}/os-interface`,
    json: attachment({ port_id: '{free_port}' }),
  },
  {
    kind: 'request',
    id: 'detach-unknown-server',
    title: 'detach: unknown server',
    method: 'DELETE',
    path: `/servers/${BOGUS}/os-interface/{free_port}`,
  },
  post('attach-unknown-port', 'attach: unknown port', attachment({ port_id: BOGUS })),
  post('attach-unknown-net', 'attach: unknown net_id', attachment({ net_id: BOGUS })),
  post(
    'attach-port-in-use',
    'attach: port bound to another server id',
    attachment({ port_id: '{other_port}' }),
  ),
  // Every body validation error.
  post('attach-malformed-json', 'attach: malformed JSON', undefined, { rawBody: '{"interfaceAttachment": ' }),
  post('attach-empty-body', 'attach: empty body', undefined, { rawBody: '' }),
  post('attach-missing-key', 'attach: no interfaceAttachment key', { foo: {} }),
  post('attach-not-object', 'attach: interfaceAttachment not an object', { interfaceAttachment: 'x' }),
  post('attach-port-not-uuid', 'attach: port_id not a uuid', attachment({ port_id: 'not-a-uuid' })),
  post('attach-net-not-uuid', 'attach: net_id not a uuid', attachment({ net_id: 'not-a-uuid' })),
  post(
    'attach-extra-property',
    'attach: unknown extra property',
    attachment({ port_id: '{free_port}', bogus: 1 }),
  ),
  post(
    'attach-port-and-net',
    'attach: both port_id and net_id',
    attachment({ port_id: '{free_port}', net_id: '{net}' }),
  ),
  post(
    'attach-ips-without-net',
    'attach: fixed_ips without net_id',
    attachment({ fixed_ips: [{ ip_address: '{fixed_ip}' }] }),
  ),
  post(
    'attach-ips-with-port',
    'attach: fixed_ips with port_id',
    attachment({ port_id: '{free_port}', fixed_ips: [{ ip_address: '{fixed_ip}' }] }),
  ),
  post(
    'attach-ip-bad-string',
    'attach: fixed_ips with a bad IP string',
    attachment({ net_id: '{net}', fixed_ips: [{ ip_address: 'nope' }] }),
  ),
  post(
    'attach-ips-not-array',
    'attach: fixed_ips not an array',
    attachment({ net_id: '{net}', fixed_ips: 'x' }),
  ),
  post(
    'attach-ip-not-in-subnet',
    'attach: fixed IP outside every subnet of the network',
    attachment({ net_id: '{net}', fixed_ips: [{ ip_address: '203.0.113.9' }] }),
  ),
  // Project id in the URL that is not the token's.
  get('list-other-project-url', "list: URL project_id != token's", LIST, { base: 'other-project' }),
  post(
    'attach-other-project-url',
    "attach: URL project_id != token's",
    attachment({ port_id: '{free_port}' }),
    {
      base: 'other-project',
    },
  ),
  // Authentication.
  get('list-no-token', 'list: no token', LIST, { auth: 'none' }),
  post('attach-no-token', 'attach: no token', attachment({ port_id: '{free_port}' }), { auth: 'none' }),
  del('detach-no-token', 'detach: no token', '{free_port}', { auth: 'none' }),
  get('list-bad-token', 'list: invalid token', LIST, { auth: 'bad' }),
  // Methods the API does not route.
  {
    kind: 'request',
    id: 'put-collection',
    title: 'PUT on the collection',
    method: 'PUT',
    path: LIST,
    json: attachment({}),
  },
  {
    kind: 'request',
    id: 'put-member',
    title: 'PUT on a member',
    method: 'PUT',
    path: `${LIST}/{free_port}`,
    json: attachment({}),
  },
  {
    kind: 'request',
    id: 'put-collection-any',
    title: 'PUT on the collection, Accept: */*',
    method: 'PUT',
    path: LIST,
    json: attachment({}),
    headers: { Accept: '*/*' },
  },
  {
    kind: 'request',
    id: 'put-collection-plain',
    title: 'PUT on the collection, Accept: text/plain',
    method: 'PUT',
    path: LIST,
    json: attachment({}),
    headers: { Accept: 'text/plain' },
  },
  // A locked server refuses attach and detach, still answers reads.
  { kind: 'setup', id: 'lock', title: 'lock the server (its owner)', action: 'lock' },
  post('attach-locked', 'attach to a locked server', attachment({ net_id: '{net}' })),
  del('detach-locked', 'detach from a locked server', '{free_port}'),
  get('list-locked', 'list a locked server', LIST),
  { kind: 'setup', id: 'unlock', title: 'unlock the server', action: 'unlock' },
  // Leave the server as it was booted.
  del('detach-tagged', 'detach the tagged port', '{free_port}', { waitDetached: 'free_port' }),
  del('detach-net-2.70', 'detach the 2.70 port', '{port_net_270}', { waitDetached: 'port_net_270' }),
  get('list-final', 'list at the end', LIST),
];
