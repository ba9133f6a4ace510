/**
 * Which part of the published API reference each behaviour checks, so that a certification
 * engineer can read a report line next to the document it holds the cloud to. Titles are the
 * section headings of the Nova api-ref (or the guide that governs the behaviour); `local` points
 * into docs/nova-os-interface.md, the project's copy of the facts.
 */
export interface ApiSection {
  readonly title: string;
  readonly url: string;
  readonly local: string;
}

const API_REF = 'https://docs.openstack.org/api-ref/compute/';

const LIST: ApiSection = {
  title: 'List Port Interfaces (GET /servers/{server_id}/os-interface)',
  url: `${API_REF}#list-port-interfaces`,
  local: 'docs/nova-os-interface.md §2.2, §3.2.2',
};
const SHOW: ApiSection = {
  title: 'Show Port Interface Details (GET /servers/{server_id}/os-interface/{port_id})',
  url: `${API_REF}#show-port-interface-details`,
  local: 'docs/nova-os-interface.md §2.2, §3.2.2',
};
const CREATE: ApiSection = {
  title: 'Create Interface (POST /servers/{server_id}/os-interface)',
  url: `${API_REF}#create-interface`,
  local: 'docs/nova-os-interface.md §1.3, §3.2.3',
};
const DETACH: ApiSection = {
  title: 'Detach Interface (DELETE /servers/{server_id}/os-interface/{port_id})',
  url: `${API_REF}#detach-interface`,
  local: 'docs/nova-os-interface.md §3.2.4',
};
const ALL_OPERATIONS: ApiSection = {
  title: 'Port Interfaces (servers, os-interface): all operations',
  url: `${API_REF}#port-interfaces-servers-os-interface`,
  local: 'docs/nova-os-interface.md §1.1, §3.2.1',
};
const STATE: ApiSection = {
  title: 'Create Interface / Detach Interface: server state and lock (409)',
  url: `${API_REF}#create-interface`,
  local: 'docs/nova-os-interface.md §3.3',
};
const POLICY: ApiSection = {
  title: 'Port Interfaces: policy (os_compute_api:os-attach-interfaces)',
  url: 'https://docs.openstack.org/nova/latest/configuration/policy.html',
  local: 'docs/nova-os-interface.md §5',
};
const MICROVERSIONS: ApiSection = {
  title: 'Compute API microversions (OpenStack-API-Version headers)',
  url: 'https://docs.openstack.org/api-guide/compute/microversions.html',
  local: 'docs/nova-os-interface.md §4',
};
const AUTH: ApiSection = {
  title: 'keystonemiddleware auth_token: 401 for a missing or invalid token',
  url: 'https://docs.openstack.org/keystonemiddleware/latest/middlewarearchitecture.html',
  local: 'docs/nova-os-interface.md §3.7',
};
const VERSIONS: ApiSection = {
  title: 'API Versions (GET /, GET /v2.1/)',
  url: `${API_REF}#api-versions`,
  local: 'docs/nova-os-interface.md §3.8, §4.5',
};
const FRAMEWORK: ApiSection = {
  title: 'Compute API errors: fault envelope, request ids and framework errors',
  url: 'https://docs.openstack.org/api-guide/compute/faults.html',
  local: 'docs/nova-os-interface.md §3.1, §3.4, §3.6',
};

/** By behaviour ID prefix (the part before the dash), as in docs/behaviours.md. */
const BY_PREFIX: Readonly<Record<string, ApiSection>> = {
  LIST,
  SHOW,
  ATTACH: CREATE,
  VALIDATE: CREATE,
  NETSELECT: CREATE,
  CONFLICT: CREATE,
  QUOTA: CREATE,
  FAULT: CREATE,
  DETACH,
  NOTFOUND: ALL_OPERATIONS,
  ROUTE: ALL_OPERATIONS,
  TENANT: ALL_OPERATIONS,
  STATE,
  POLICY,
  MV: MICROVERSIONS,
  AUTH,
  VERSIONS,
  HEADERS: FRAMEWORK,
};

/** Behaviours whose prefix groups operations that the reference documents in different sections. */
const BY_ID: Readonly<Record<string, ApiSection>> = {
  'NOTFOUND-03': CREATE,
  'NOTFOUND-04': CREATE,
  'NOTFOUND-05': CREATE,
};

const UNKNOWN: ApiSection = {
  title: 'Not mapped to a section (behaviour ID unknown to the report)',
  url: `${API_REF}#port-interfaces-servers-os-interface`,
  local: 'docs/behaviours.md',
};

/** `LIST-01 list without ...` → `LIST-01`; undefined when the name does not start with an ID. */
export function behaviourIdOf(testName: string): string | undefined {
  return /^([A-Z][A-Z0-9]*-\d+)\b/.exec(testName)?.[1];
}

export function apiSectionOf(behaviourId: string | undefined): ApiSection {
  if (behaviourId === undefined) return UNKNOWN;
  const prefix = behaviourId.slice(0, behaviourId.lastIndexOf('-'));
  return BY_ID[behaviourId] ?? BY_PREFIX[prefix] ?? UNKNOWN;
}
