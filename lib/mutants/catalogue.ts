// The catalogue of mutants: realistic ways a Nova-compatible os-interface API deviates from real
// Nova (26, 31 and 34 alike). Each one is something real Nova does NOT do (see docs/mutants.md and
// docs/behaviours.md); the suites must fail against every one of them.
import { headerValue, removeHeader, setHeader } from './proxy.ts';
import {
  answeredAt,
  atLeast,
  attachmentsOf,
  editAttachments,
  editJson,
  editRequestJson,
  faultOf,
  isAttach,
  isComputeFault,
  isDetach,
  isList,
  isObject,
  isShow,
  jsonReply,
  parseJson,
  replaceFault,
  uuid,
  UUID,
  type Json,
  type JsonObject,
} from './helpers.ts';
import type { HeaderList, Mutant, Reply, RequestContext, ResponseContext, TokenInfo } from './types.ts';

const isOsInterface = (r: RequestContext): boolean => r.route !== undefined;

/** The compute path of a route without the port: `/v2.1[/{project}]/servers/{sid}/os-interface`. */
function interfacesPath(r: RequestContext): string {
  const route = r.route;
  if (route === undefined) return r.path;
  const project = route.projectId === undefined ? '' : `/${route.projectId}`;
  return `/${route.version}${project}/servers/${route.serverId}/os-interface`;
}

function withToken(headers: HeaderList, token: string): HeaderList {
  const out: HeaderList = headers.map(([k, v]) => [k, v]);
  setHeader(out, 'X-Auth-Token', token);
  return out;
}

/** The request, sent again as is (or with other headers) to the target. */
function resend(ctx: ResponseContext, headers: HeaderList = ctx.request.headers): Promise<Reply> {
  const r = ctx.request;
  return r.upstream(r.method, `${r.path}${r.query}`, headers, r.body);
}

function adopt(ctx: ResponseContext, reply: Reply): void {
  ctx.status = reply.status;
  ctx.headers = reply.headers;
  ctx.body = reply.body;
}

const notAdmin = (t: TokenInfo): boolean => !t.roles.includes('admin');
const member = (t: TokenInfo): boolean => t.roles.includes('member') && notAdmin(t);

/** Rewrites every compute fault body with `rewrite`. */
function everyFault(
  ctx: ResponseContext,
  rewrite: (key: string, inner: JsonObject, status: number) => Json,
): void {
  if (!isComputeFault(ctx)) return;
  editJson(ctx, (body) => {
    if (!isObject(body)) return body;
    const key = Object.keys(body)[0] ?? '';
    const inner = body[key];
    return isObject(inner) ? rewrite(key, inner, ctx.status) : body;
  });
}

/** Removes keys that Nova's schema would refuse, at every level of an attach body. */
function stripUnknown(body: Json): Json {
  if (!isObject(body)) return body;
  const out: JsonObject = {};
  const att = body['interfaceAttachment'];
  if (att === undefined) return { interfaceAttachment: {} };
  if (!isObject(att)) return { interfaceAttachment: att };
  const keep: JsonObject = {};
  for (const k of ['net_id', 'port_id', 'fixed_ips', 'tag']) {
    const v = att[k];
    if (v !== undefined) keep[k] = v;
  }
  const ips = keep['fixed_ips'];
  if (Array.isArray(ips))
    keep['fixed_ips'] = ips.map((ip) =>
      isObject(ip) && ip['ip_address'] !== undefined ? { ip_address: ip['ip_address'] } : ip,
    );
  out['interfaceAttachment'] = keep;
  return out;
}

function versionHeadersOf(reply: Reply): HeaderList {
  return reply.headers.filter(([k]) =>
    /^(openstack-api-version|x-openstack-nova-api-version|vary|x-openstack-request-id|x-compute-request-id)$/i.test(
      k,
    ),
  );
}

/** How long `list-lags-attach` keeps a freshly attached port out of the list. */
const LIST_LAG_MS = 5000;

export const MUTANTS: readonly Mutant[] = [
  // ---- list -------------------------------------------------------------------------------------
  {
    name: 'list-missing-port-state',
    description: 'list elements lack port_state',
    suites: ['list'],
    behaviours: ['LIST-01', 'LIST-02', 'LIST-03', 'LIST-04', 'LIST-07', 'SHOW-01'],
    onResponse: (ctx) => editAttachments(ctx, isList, (a) => void delete a['port_state']),
  },
  {
    name: 'list-envelope-renamed',
    description: 'list answers {"interface_attachments": [...]} (snake case envelope)',
    suites: ['list'],
    behaviours: ['LIST-01', 'LIST-02', 'LIST-03', 'LIST-04', 'LIST-05'],
    onResponse: (ctx) => {
      if (!isList(ctx.request) || ctx.status !== 200) return;
      editJson(ctx, (b) => (isObject(b) ? { interface_attachments: b['interfaceAttachments'] ?? [] } : b));
    },
  },
  {
    name: 'list-extra-device-id',
    description: 'list elements carry an extra device_id key (Neutron field leaking through)',
    suites: ['list'],
    behaviours: ['LIST-01', 'LIST-02', 'LIST-03', 'LIST-04'],
    onResponse: (ctx) =>
      editAttachments(ctx, isList, (a) => void (a['device_id'] = ctx.request.route?.serverId ?? '')),
  },
  {
    name: 'list-mac-uppercase',
    description: 'mac_addr in upper case (FA:16:3E:...)',
    suites: ['list'],
    behaviours: ['LIST-01', 'LIST-07', 'SHOW-01'],
    onResponse: (ctx) =>
      editAttachments(ctx, isList, (a) => {
        if (typeof a['mac_addr'] === 'string') a['mac_addr'] = a['mac_addr'].toUpperCase();
      }),
  },
  {
    name: 'list-port-id-hex',
    description: 'port_id as 32 hex digits without hyphens (not a UUID string)',
    suites: ['list'],
    behaviours: ['ATTACH-01', 'LIST-07'],
    onResponse: (ctx) =>
      editAttachments(ctx, isList, (a) => {
        if (typeof a['port_id'] === 'string') a['port_id'] = a['port_id'].replace(/-/g, '');
      }),
  },
  {
    name: 'list-net-id-name',
    description: 'net_id carries the network name instead of its UUID',
    suites: ['list'],
    behaviours: ['LIST-01', 'LIST-07', 'SHOW-01'],
    onResponse: (ctx) => editAttachments(ctx, isList, (a) => void (a['net_id'] = 'private')),
  },
  {
    name: 'list-ip-with-prefix',
    description: 'fixed_ips ip_address in CIDR form (10.0.0.5/24)',
    suites: ['list'],
    behaviours: ['LIST-06', 'SHOW-01'],
    onResponse: (ctx) =>
      editAttachments(ctx, isList, (a) => {
        const ips = a['fixed_ips'];
        if (Array.isArray(ips))
          for (const ip of ips)
            if (isObject(ip) && typeof ip['ip_address'] === 'string')
              ip['ip_address'] = `${ip['ip_address']}/${ip['ip_address'].includes(':') ? 64 : 24}`;
      }),
  },
  {
    name: 'list-subnet-id-missing',
    description: 'fixed_ips elements lack subnet_id',
    suites: ['list'],
    behaviours: ['LIST-06', 'SHOW-01'],
    onResponse: (ctx) =>
      editAttachments(ctx, isList, (a) => {
        const ips = a['fixed_ips'];
        if (Array.isArray(ips)) for (const ip of ips) if (isObject(ip)) delete ip['subnet_id'];
      }),
  },
  {
    name: 'list-fixed-ips-strings',
    description: 'fixed_ips as a list of address strings instead of objects',
    suites: ['list'],
    behaviours: ['LIST-06', 'SHOW-01'],
    onResponse: (ctx) =>
      editAttachments(ctx, isList, (a) => {
        const ips = a['fixed_ips'];
        if (Array.isArray(ips))
          a['fixed_ips'] = ips.map((ip) => (isObject(ip) ? (ip['ip_address'] ?? null) : ip));
      }),
  },
  {
    name: 'list-port-state-lowercase',
    description: 'port_state in lower case (active), not the Neutron status',
    suites: ['list'],
    behaviours: ['LIST-07', 'SHOW-01'],
    onResponse: (ctx) =>
      editAttachments(ctx, isList, (a) => {
        if (typeof a['port_state'] === 'string') a['port_state'] = a['port_state'].toLowerCase();
      }),
  },
  {
    name: 'list-tag-before-2.70',
    description: 'list shows "tag" below microversion 2.70',
    suites: ['list'],
    behaviours: ['LIST-01', 'LIST-02', 'LIST-04', 'MV-02', 'MV-03'],
    onResponse: (ctx) => {
      if (atLeast(answeredAt(ctx), 2, 70)) return;
      editAttachments(ctx, isList, (a) => void (a['tag'] ??= null));
    },
  },
  {
    name: 'list-tag-missing-at-2.70',
    description: 'list omits "tag" at microversion 2.70 and later',
    suites: ['list'],
    behaviours: ['ATTACH-06', 'LIST-03', 'LIST-04', 'MV-02', 'MV-03'],
    onResponse: (ctx) => editAttachments(ctx, isList, (a) => void delete a['tag']),
  },
  {
    name: 'list-empty-null',
    description: 'a server without ports lists {"interfaceAttachments": null} (a nil slice marshalled)',
    suites: ['list'],
    behaviours: ['LIST-05'],
    onResponse: (ctx) => {
      if (!isList(ctx.request) || ctx.status !== 200) return;
      editJson(ctx, (b) => {
        if (isObject(b) && Array.isArray(b['interfaceAttachments']) && b['interfaceAttachments'].length === 0)
          b['interfaceAttachments'] = null;
      });
    },
  },
  {
    name: 'list-truncated-body',
    description: 'list body cut off in the middle (truncated JSON, 200)',
    suites: ['list'],
    behaviours: ['LIST-01', 'LIST-02', 'LIST-03', 'LIST-04', 'LIST-05'],
    onResponse: (ctx) => {
      if (isList(ctx.request) && ctx.status === 200)
        ctx.body = ctx.body.subarray(0, Math.floor(ctx.body.length / 2));
    },
  },
  {
    name: 'list-lags-attach',
    description: 'a port attached through the API is missing from the list for 5 s after the attach answered',
    suites: ['attach', 'list'],
    behaviours: ['ATTACH-01', 'LIST-01'],
    onResponse: (ctx) => {
      const r = ctx.request;
      const notes = r.proxy.notes;
      const attachedAt =
        (notes.get('attachedAt') as Map<string, number> | undefined) ?? new Map<string, number>();
      notes.set('attachedAt', attachedAt);
      const server = r.route?.serverId ?? '';
      if (isAttach(r) && ctx.status === 200) {
        for (const a of attachmentsOf(parseJson(ctx.body) ?? null))
          if (typeof a['port_id'] === 'string') attachedAt.set(`${server}/${a['port_id']}`, Date.now());
        return;
      }
      if (!isList(r) || ctx.status !== 200) return;
      const lagging = (a: Json): boolean => {
        if (!isObject(a) || typeof a['port_id'] !== 'string') return false;
        const at = attachedAt.get(`${server}/${a['port_id']}`);
        return at !== undefined && Date.now() - at < LIST_LAG_MS;
      };
      editJson(ctx, (b) => {
        if (isObject(b) && Array.isArray(b['interfaceAttachments']))
          b['interfaceAttachments'] = b['interfaceAttachments'].filter((a) => !lagging(a));
      });
    },
  },
  {
    name: 'attach-not-listed',
    description: 'a port attached through the API never appears in the list',
    suites: ['attach', 'list'],
    behaviours: ['ATTACH-01', 'LIST-01'],
    onResponse: (ctx) => {
      const hidden = (ctx.request.proxy.notes.get('hidden') as Set<string> | undefined) ?? new Set<string>();
      ctx.request.proxy.notes.set('hidden', hidden);
      if (isAttach(ctx.request) && ctx.status === 200) {
        for (const a of attachmentsOf(parseJson(ctx.body) ?? null))
          if (typeof a['port_id'] === 'string') hidden.add(a['port_id']);
      }
      if (isList(ctx.request) && ctx.status === 200)
        editJson(ctx, (b) => {
          if (isObject(b) && Array.isArray(b['interfaceAttachments']))
            b['interfaceAttachments'] = b['interfaceAttachments'].filter(
              (a) => !(isObject(a) && typeof a['port_id'] === 'string' && hidden.has(a['port_id'])),
            );
        });
    },
  },

  // ---- show -------------------------------------------------------------------------------------
  {
    name: 'show-mac-renamed',
    description: 'show names the MAC mac_address instead of mac_addr',
    suites: ['show'],
    behaviours: ['ATTACH-04', 'SHOW-01'],
    onResponse: (ctx) =>
      editAttachments(ctx, isShow, (a) => {
        a['mac_address'] = a['mac_addr'] ?? null;
        delete a['mac_addr'];
      }),
  },
  {
    name: 'show-mac-dashes',
    description: 'show formats the MAC with dashes (fa-16-3e-...)',
    suites: ['show'],
    behaviours: ['ATTACH-04', 'SHOW-01'],
    onResponse: (ctx) =>
      editAttachments(ctx, isShow, (a) => {
        if (typeof a['mac_addr'] === 'string') a['mac_addr'] = a['mac_addr'].replace(/:/g, '-');
      }),
  },
  {
    name: 'show-another-port',
    description: 'show answers another interface of the server (or another port id) than the one asked for',
    suites: ['show'],
    behaviours: ['ATTACH-04', 'SHOW-01', 'SHOW-02', 'TENANT-01'],
    onResponse: async (ctx) => {
      const r = ctx.request;
      if (!isShow(r) || ctx.status !== 200) return;
      const list = await r.upstream('GET', interfacesPath(r), r.headers);
      const others = attachmentsOf(parseJson(list.body) ?? null).filter(
        (a) => a['port_id'] !== r.route?.portId,
      );
      editJson(ctx, (b) => {
        const other = others[0];
        if (other !== undefined) return { interfaceAttachment: other };
        for (const a of attachmentsOf(b)) a['port_id'] = uuid();
        return b;
      });
    },
  },
  {
    name: 'show-tag-missing-at-2.70',
    description: 'show omits "tag" at microversion 2.70 and later',
    suites: ['show'],
    behaviours: ['ATTACH-04', 'ATTACH-05', 'ATTACH-06', 'MV-02', 'MV-03', 'SHOW-02'],
    onResponse: (ctx) => editAttachments(ctx, isShow, (a) => void delete a['tag']),
  },
  {
    name: 'show-html-body',
    description: 'show answers 200 with an HTML page (text/html) instead of JSON',
    suites: ['show'],
    behaviours: ['SHOW-01', 'SHOW-02', 'HEADERS-01'],
    onResponse: (ctx) => {
      if (!isShow(ctx.request) || ctx.status !== 200) return;
      ctx.body = Buffer.from('<html><body><h1>Interface</h1></body></html>\n');
      setHeader(ctx.headers, 'Content-Type', 'text/html; charset=UTF-8');
    },
  },
  {
    name: 'show-unattached-port-200',
    description: 'show of a port that is not attached to the server answers 200 (device_id not checked)',
    suites: ['show'],
    behaviours: ['SHOW-04', 'DETACH-04'],
    onResponse: (ctx) => {
      const fault = faultOf(ctx);
      if (!isShow(ctx.request) || ctx.status !== 404 || !/does not have a port/.test(fault?.message ?? ''))
        return;
      ctx.status = 200;
      ctx.body = Buffer.from(
        JSON.stringify({
          interfaceAttachment: {
            fixed_ips: [],
            mac_addr: 'fa:16:3e:00:00:01',
            net_id: uuid(),
            port_id: ctx.request.route?.portId ?? '',
            port_state: 'DOWN',
          },
        }),
      );
      setHeader(ctx.headers, 'Content-Type', 'application/json');
    },
  },
  {
    name: 'show-unknown-port-400',
    description: 'show of an unknown port id answers 400 badRequest instead of 404 itemNotFound',
    suites: ['show'],
    behaviours: ['SHOW-03', 'DETACH-04'],
    onResponse: (ctx) => {
      if (isShow(ctx.request) && ctx.status === 404 && /^Port id/.test(faultOf(ctx)?.message ?? ''))
        replaceFault(ctx, 400, 'badRequest', `Invalid port id ${ctx.request.route?.portId ?? ''}`);
    },
  },

  // ---- attach -----------------------------------------------------------------------------------
  {
    name: 'attach-201',
    description: 'attach answers 201 Created instead of 200',
    suites: ['attach'],
    behaviours: [
      'ATTACH-01',
      'ATTACH-02',
      'ATTACH-03',
      'ATTACH-04',
      'ATTACH-05',
      'ATTACH-06',
      'ATTACH-07',
      'STATE-01',
      'STATE-03',
      'VALIDATE-02',
    ],
    onResponse: (ctx) => {
      if (isAttach(ctx.request) && ctx.status === 200) ctx.status = 201;
    },
  },
  {
    name: 'attach-missing-net-id',
    description: 'the attach answer lacks net_id',
    suites: ['attach'],
    behaviours: ['ATTACH-01', 'ATTACH-02', 'ATTACH-04'],
    onResponse: (ctx) => editAttachments(ctx, isAttach, (a) => void delete a['net_id']),
  },
  {
    name: 'attach-tag-not-echoed',
    description: 'the attach answer at 2.70+ omits the tag that was set',
    suites: ['attach'],
    behaviours: ['ATTACH-04', 'ATTACH-06'],
    onResponse: (ctx) => editAttachments(ctx, isAttach, (a) => void delete a['tag']),
  },
  {
    name: 'attach-tag-echoed-2.49',
    description: 'the attach answer below 2.70 shows the tag',
    suites: ['attach'],
    behaviours: ['ATTACH-05'],
    onResponse: (ctx) => {
      if (atLeast(answeredAt(ctx), 2, 70)) return;
      const sent = parseJson(ctx.request.body);
      const tag =
        isObject(sent) && isObject(sent['interfaceAttachment'])
          ? sent['interfaceAttachment']['tag']
          : undefined;
      if (tag !== undefined) editAttachments(ctx, isAttach, (a) => void (a['tag'] = tag));
    },
  },
  {
    name: 'attach-tag-ignored',
    description: 'the tag of an attach request is accepted but never stored',
    suites: ['attach'],
    behaviours: ['ATTACH-05', 'ATTACH-06', 'VALIDATE-01', 'VALIDATE-02'],
    onRequest: (ctx) => {
      if (!isAttach(ctx)) return;
      editRequestJson(ctx, (b) => {
        if (isObject(b) && isObject(b['interfaceAttachment'])) delete b['interfaceAttachment']['tag'];
      });
    },
  },
  {
    name: 'conflict-as-400',
    description: '409 conflicts (port in use, locked, vm_state) answer 400 badRequest',
    suites: ['attach', 'state'],
    behaviours: ['CONFLICT-01', 'CONFLICT-02', 'CONFLICT-03', 'STATE-01', 'STATE-02', 'STATE-04'],
    onResponse: (ctx) => {
      if (ctx.status === 409 && isOsInterface(ctx.request)) replaceFault(ctx, 400, 'badRequest');
    },
  },
  {
    name: 'conflict-key-renamed',
    description: '409 fault bodies use the key "conflict" instead of "conflictingRequest"',
    suites: ['attach', 'state'],
    behaviours: ['CONFLICT-01', 'CONFLICT-02', 'CONFLICT-03', 'STATE-01', 'STATE-02', 'STATE-04'],
    onResponse: (ctx) => {
      if (ctx.status === 409 && faultOf(ctx)?.key === 'conflictingRequest')
        replaceFault(ctx, 409, 'conflict');
    },
  },
  {
    name: 'quota-as-500',
    description: 'an exhausted port quota answers 500 computeFault instead of 403 forbidden',
    suites: ['quota'],
    behaviours: ['QUOTA-01'],
    onResponse: (ctx) => {
      if (isAttach(ctx.request) && ctx.status === 403) replaceFault(ctx, 500, 'computeFault');
    },
  },
  {
    name: 'attach-unknown-port-400',
    description: 'attach of an unknown port id answers 400 instead of 404 itemNotFound',
    suites: ['attach'],
    behaviours: ['NOTFOUND-04', 'NOTFOUND-05', 'VALIDATE-02'],
    onResponse: (ctx) => {
      if (isAttach(ctx.request) && ctx.status === 404 && /^Port id/.test(faultOf(ctx)?.message ?? ''))
        replaceFault(ctx, 400, 'badRequest');
    },
  },

  // ---- request validation (errors) --------------------------------------------------------------
  {
    name: 'lenient-unknown-properties',
    description: 'attach ignores unknown properties (top level, in interfaceAttachment, in fixed_ips)',
    suites: ['errors'],
    behaviours: ['VALIDATE-10', 'VALIDATE-11', 'VALIDATE-12'],
    onRequest: (ctx) => {
      if (isAttach(ctx)) editRequestJson(ctx, stripUnknown);
    },
  },
  {
    name: 'lenient-both-ids',
    description: 'attach with both net_id and port_id uses the port_id instead of refusing',
    suites: ['errors'],
    behaviours: ['VALIDATE-03'],
    onRequest: (ctx) => {
      if (!isAttach(ctx)) return;
      editRequestJson(ctx, (b) => {
        const a = isObject(b) ? b['interfaceAttachment'] : undefined;
        // Only two given ids: a null net_id is VALIDATE-13's case, not this one.
        if (isObject(a) && typeof a['net_id'] === 'string' && typeof a['port_id'] === 'string')
          delete a['net_id'];
      });
    },
  },
  {
    name: 'lenient-bad-uuid',
    description: 'net_id / port_id are not checked to be UUIDs (looked up instead: 404)',
    suites: ['errors'],
    behaviours: ['VALIDATE-06', 'VALIDATE-07', 'VALIDATE-17'],
    onRequest: (ctx) => {
      if (!isAttach(ctx)) return;
      editRequestJson(ctx, (b) => {
        const a = isObject(b) ? b['interfaceAttachment'] : undefined;
        if (!isObject(a)) return;
        for (const k of ['net_id', 'port_id'])
          if (typeof a[k] === 'string' && !UUID.test(a[k])) a[k] = uuid();
      });
    },
  },
  {
    name: 'lenient-tag-before-2.49',
    description: 'a tag below 2.49 is silently dropped instead of refused',
    suites: ['errors'],
    behaviours: ['VALIDATE-01'],
    onRequest: (ctx) => {
      if (!isAttach(ctx)) return;
      const v = ctx.microversion;
      const m = v === undefined ? null : /^(\d+)\.(\d+)$/.exec(v.trim());
      const below =
        v === undefined || (m !== null && (Number(m[1]) < 2 || (Number(m[1]) === 2 && Number(m[2]) < 49)));
      if (!below) return;
      editRequestJson(ctx, (b) => {
        if (isObject(b) && isObject(b['interfaceAttachment'])) delete b['interfaceAttachment']['tag'];
      });
    },
  },
  {
    name: 'lenient-null',
    description: 'null values in the attach body are treated as absent',
    suites: ['errors'],
    behaviours: ['VALIDATE-13'],
    onRequest: (ctx) => {
      if (!isAttach(ctx)) return;
      editRequestJson(ctx, (b) => {
        if (!isObject(b)) return;
        if (b['interfaceAttachment'] === null) b['interfaceAttachment'] = {};
        const a = b['interfaceAttachment'];
        if (isObject(a)) for (const k of Object.keys(a)) if (a[k] === null) delete a[k];
      });
    },
  },
  {
    name: 'malformed-body-500',
    description: 'a body that is not JSON answers 500 computeFault instead of 400 Malformed request body',
    suites: ['errors'],
    behaviours: ['VALIDATE-14', 'VALIDATE-17'],
    onResponse: (ctx) => {
      if (isAttach(ctx.request) && ctx.status === 400 && faultOf(ctx)?.message === 'Malformed request body')
        replaceFault(ctx, 500, 'computeFault', 'Unexpected API Error.');
    },
  },
  {
    name: 'xml-accepted',
    description: 'Content-Type application/xml is not refused (body parsed as JSON anyway)',
    suites: ['errors', 'headers'],
    behaviours: ['VALIDATE-15'],
    onRequest: (ctx) => {
      if (isAttach(ctx) && /xml/i.test(headerValue(ctx.headers, 'content-type') ?? ''))
        setHeader(ctx.headers, 'Content-Type', 'application/json');
    },
  },
  {
    name: 'validation-as-422',
    description: 'schema errors answer 422 Unprocessable Entity instead of 400',
    suites: ['errors'],
    behaviours: [
      'VALIDATE-01',
      'VALIDATE-02',
      'VALIDATE-06',
      'VALIDATE-07',
      'VALIDATE-08',
      'VALIDATE-09',
      'VALIDATE-10',
      'VALIDATE-12',
      'VALIDATE-13',
      'VALIDATE-17',
    ],
    onResponse: (ctx) => {
      if (isAttach(ctx.request) && ctx.status === 400 && /^Invalid input/.test(faultOf(ctx)?.message ?? ''))
        replaceFault(ctx, 422, 'unprocessableEntity');
    },
  },
  {
    name: 'validation-after-lookup',
    description: 'an invalid body to an unknown server answers 404 (lookup before validation)',
    suites: ['errors'],
    behaviours: ['VALIDATE-17'],
    onResponse: async (ctx) => {
      const r = ctx.request;
      if (!isAttach(r) || ctx.status !== 400 || r.route === undefined) return;
      const project = r.route.projectId === undefined ? '' : `/${r.route.projectId}`;
      const server = await r.upstream(
        'GET',
        `/${r.route.version}${project}/servers/${r.route.serverId}`,
        r.headers,
      );
      if (server.status === 404) adopt(ctx, server);
    },
  },
  {
    name: 'server-notfound-message',
    description: 'unknown servers answer "Server <id> could not be found." (wrong message)',
    suites: ['errors'],
    behaviours: ['NOTFOUND-01', 'NOTFOUND-02', 'POLICY-02'],
    onResponse: (ctx) => {
      const m = /^Instance (.*) could not be found\.$/.exec(faultOf(ctx)?.message ?? '');
      if (isOsInterface(ctx.request) && ctx.status === 404 && m !== null)
        replaceFault(ctx, 404, 'itemNotFound', `Server ${m[1] ?? ''} could not be found.`);
    },
  },
  {
    name: 'server-id-not-uuid-400',
    description: 'a server id that is not a UUID answers 400 badRequest instead of 404',
    suites: ['errors'],
    behaviours: ['NOTFOUND-02'],
    onResponse: (ctx) => {
      const r = ctx.request;
      if (r.route !== undefined && !UUID.test(r.route.serverId) && ctx.status === 404)
        replaceFault(ctx, 400, 'badRequest', `Invalid server id ${r.route.serverId}`);
    },
  },

  // ---- fault envelopes --------------------------------------------------------------------------
  {
    name: 'fault-generic-error-key',
    description: 'faults use a generic {"error": {...}} envelope instead of the typed key',
    suites: ['errors'],
    behaviours: [
      'ATTACH-08',
      'CONFLICT-01',
      'CONFLICT-02',
      'CONFLICT-03',
      'MV-04',
      'MV-05',
      'NETSELECT-01',
      'NOTFOUND-01',
      'NOTFOUND-02',
      'NOTFOUND-03',
      'NOTFOUND-04',
      'NOTFOUND-05',
      'POLICY-02',
      'QUOTA-01',
      'SHOW-03',
      'SHOW-04',
      'STATE-01',
      'STATE-02',
      'STATE-04',
      'TENANT-02',
      'TENANT-03',
      'VALIDATE-01',
      'VALIDATE-02',
      'VALIDATE-03',
      'VALIDATE-04',
      'VALIDATE-05',
      'VALIDATE-06',
      'VALIDATE-07',
      'VALIDATE-08',
      'VALIDATE-09',
      'VALIDATE-10',
      'VALIDATE-11',
      'VALIDATE-12',
      'VALIDATE-13',
      'VALIDATE-14',
      'VALIDATE-15',
      'VALIDATE-16',
      'VALIDATE-17',
    ],
    onResponse: (ctx) => everyFault(ctx, (_key, inner) => ({ error: inner })),
  },
  {
    name: 'fault-code-mismatch',
    description: 'the envelope code differs from the HTTP status',
    suites: ['errors'],
    behaviours: [
      'ATTACH-08',
      'CONFLICT-01',
      'CONFLICT-02',
      'CONFLICT-03',
      'MV-04',
      'MV-05',
      'NETSELECT-01',
      'NOTFOUND-01',
      'NOTFOUND-02',
      'NOTFOUND-03',
      'NOTFOUND-04',
      'NOTFOUND-05',
      'POLICY-02',
      'QUOTA-01',
      'SHOW-03',
      'SHOW-04',
      'STATE-01',
      'STATE-02',
      'STATE-04',
      'TENANT-02',
      'TENANT-03',
      'VALIDATE-01',
      'VALIDATE-02',
      'VALIDATE-03',
      'VALIDATE-04',
      'VALIDATE-05',
      'VALIDATE-06',
      'VALIDATE-07',
      'VALIDATE-08',
      'VALIDATE-09',
      'VALIDATE-10',
      'VALIDATE-11',
      'VALIDATE-12',
      'VALIDATE-13',
      'VALIDATE-14',
      'VALIDATE-15',
      'VALIDATE-16',
      'VALIDATE-17',
      'AUTH-01',
    ],
    onResponse: (ctx) =>
      everyFault(ctx, (key, inner, status) => ({ [key]: { ...inner, code: status === 400 ? 422 : 400 } })),
  },
  {
    name: 'fault-code-string',
    description: 'the envelope code is a string ("404")',
    suites: ['errors'],
    behaviours: [
      'ATTACH-08',
      'CONFLICT-01',
      'CONFLICT-02',
      'CONFLICT-03',
      'MV-04',
      'MV-05',
      'NETSELECT-01',
      'NOTFOUND-01',
      'NOTFOUND-02',
      'NOTFOUND-03',
      'NOTFOUND-04',
      'NOTFOUND-05',
      'POLICY-02',
      'QUOTA-01',
      'SHOW-03',
      'SHOW-04',
      'STATE-01',
      'STATE-02',
      'STATE-04',
      'TENANT-02',
      'TENANT-03',
      'VALIDATE-01',
      'VALIDATE-02',
      'VALIDATE-03',
      'VALIDATE-04',
      'VALIDATE-05',
      'VALIDATE-06',
      'VALIDATE-07',
      'VALIDATE-08',
      'VALIDATE-09',
      'VALIDATE-10',
      'VALIDATE-11',
      'VALIDATE-12',
      'VALIDATE-13',
      'VALIDATE-14',
      'VALIDATE-15',
      'VALIDATE-16',
      'VALIDATE-17',
      'AUTH-01',
    ],
    onResponse: (ctx) =>
      everyFault(ctx, (key, inner, status) => ({ [key]: { ...inner, code: String(status) } })),
  },
  {
    name: 'fault-extra-key',
    description: 'the fault body has a second top-level key (request_id)',
    suites: ['errors'],
    behaviours: [
      'ATTACH-08',
      'CONFLICT-01',
      'CONFLICT-02',
      'CONFLICT-03',
      'MV-04',
      'MV-05',
      'NETSELECT-01',
      'NOTFOUND-01',
      'NOTFOUND-02',
      'NOTFOUND-03',
      'NOTFOUND-04',
      'NOTFOUND-05',
      'POLICY-02',
      'QUOTA-01',
      'SHOW-03',
      'SHOW-04',
      'STATE-01',
      'STATE-02',
      'STATE-04',
      'TENANT-02',
      'TENANT-03',
      'VALIDATE-01',
      'VALIDATE-02',
      'VALIDATE-03',
      'VALIDATE-04',
      'VALIDATE-05',
      'VALIDATE-06',
      'VALIDATE-07',
      'VALIDATE-08',
      'VALIDATE-09',
      'VALIDATE-10',
      'VALIDATE-11',
      'VALIDATE-12',
      'VALIDATE-13',
      'VALIDATE-14',
      'VALIDATE-15',
      'VALIDATE-16',
      'VALIDATE-17',
      'AUTH-01',
    ],
    onResponse: (ctx) =>
      everyFault(ctx, (key, inner) => ({
        [key]: inner,
        request_id: headerValue(ctx.headers, 'x-openstack-request-id') ?? null,
      })),
  },

  // ---- project id in the URL --------------------------------------------------------------------
  {
    name: 'tenant-mismatch-ignored',
    description: "the project id in the URL is replaced by the token's (mismatch ignored)",
    suites: ['tenant-mismatch'],
    behaviours: ['TENANT-02', 'TENANT-03'],
    onRequest: (ctx) => {
      const route = ctx.route;
      if (route?.projectId === undefined || ctx.token === undefined) return;
      ctx.path = ctx.path.replace(`/${route.projectId}/servers/`, `/${ctx.token.projectId}/servers/`);
    },
  },
  {
    name: 'tenant-prefix-unsupported',
    description: 'the project-prefixed route /v2.1/{project_id}/servers/... answers 404',
    suites: ['tenant-mismatch'],
    behaviours: ['TENANT-01'],
    onResponse: (ctx) => {
      if (ctx.request.route?.projectId !== undefined && ctx.status < 300)
        replaceFaultFrom(ctx, 404, 'itemNotFound', 'The resource could not be found.');
    },
  },

  // ---- authentication and policy ----------------------------------------------------------------
  {
    name: 'auth-not-enforced',
    description: 'compute requests without a valid token are served (with a member token put in)',
    suites: ['auth'],
    behaviours: ['AUTH-01'],
    onRequest: (ctx) => {
      if (ctx.service !== 'compute' || ctx.token !== undefined || !isOsInterface(ctx)) return;
      const stand = ctx.proxy.tokens.filter(member).at(-1);
      if (stand !== undefined) setHeader(ctx.headers, 'X-Auth-Token', stand.value);
    },
  },
  {
    name: 'auth-401-no-challenge',
    description: '401 answers lack WWW-Authenticate',
    suites: ['auth'],
    behaviours: ['AUTH-01'],
    onResponse: (ctx) => {
      if (ctx.status === 401 && ctx.request.service === 'compute')
        removeHeader(ctx.headers, 'WWW-Authenticate');
    },
  },
  {
    name: 'auth-401-nova-envelope',
    description:
      '401 answers use a Nova fault envelope {"unauthorized": ...} instead of keystonemiddleware\'s',
    suites: ['auth'],
    behaviours: ['AUTH-01'],
    onResponse: (ctx) => {
      if (ctx.status !== 401 || ctx.request.service !== 'compute') return;
      ctx.body = Buffer.from(
        JSON.stringify({
          unauthorized: { code: 401, message: 'The request you have made requires authentication.' },
        }),
      );
    },
  },
  {
    name: 'cross-project-visible',
    description: "another project's non-admin user can use the server's interfaces (ownership not checked)",
    suites: ['auth'],
    behaviours: ['POLICY-02'],
    onResponse: async (ctx) => {
      const r = ctx.request;
      if (!isOsInterface(r) || ctx.status !== 404 || r.token === undefined) return;
      if (!/^Instance .* could not be found/.test(faultOf(ctx)?.message ?? '')) return;
      const own = r.token;
      for (const other of r.proxy.tokens
        .filter((t) => member(t) && t.projectId !== own.projectId)
        .reverse()) {
        const reply = await resend(ctx, withToken(r.headers, other.value));
        if (reply.status !== 404) return adopt(ctx, reply);
      }
    },
  },
  {
    name: 'cross-project-403',
    description: "another project's server answers 403 forbidden (existence leaked) instead of 404",
    suites: ['auth'],
    behaviours: ['POLICY-02'],
    onResponse: async (ctx) => {
      const r = ctx.request;
      if (!isOsInterface(r) || r.route === undefined || ctx.status !== 404 || r.token === undefined) return;
      if (!/^Instance .* could not be found/.test(faultOf(ctx)?.message ?? '')) return;
      const own = r.token;
      const project = r.route.projectId === undefined ? '' : `/${r.route.projectId}`;
      for (const other of r.proxy.tokens.filter((t) => t.projectId !== own.projectId).reverse()) {
        const server = await r.upstream(
          'GET',
          `/${r.route.version}${project}/servers/${r.route.serverId}`,
          withToken(r.headers, other.value),
        );
        if (server.status === 200) {
          const action = r.method === 'GET' ? 'list' : r.method === 'POST' ? 'create' : 'delete';
          return replaceFault(
            ctx,
            403,
            'forbidden',
            `Policy doesn't allow os_compute_api:os-attach-interfaces:${action} to be performed.`,
          );
        }
      }
    },
  },

  // ---- server state -----------------------------------------------------------------------------
  {
    name: 'lock-not-enforced',
    description: "a locked server does not refuse its owner's attach and detach",
    suites: ['state'],
    behaviours: ['STATE-01'],
    onResponse: async (ctx) => {
      if (!isOsInterface(ctx.request) || ctx.status !== 409 || !/is locked/.test(faultOf(ctx)?.message ?? ''))
        return;
      const admin = ctx.request.proxy.tokens.filter((t) => t.roles.includes('admin')).at(-1);
      if (admin !== undefined) adopt(ctx, await resend(ctx, withToken(ctx.request.headers, admin.value)));
    },
  },
  {
    name: 'task-state-ignored',
    description: 'attach and detach during a running task (reboot) are accepted at once and done after it',
    suites: ['state'],
    behaviours: ['STATE-04'],
    onRequest: async (ctx) => {
      if (!(isAttach(ctx) || isDetach(ctx)) || ctx.route === undefined) return;
      const route = ctx.route;
      const project = route.projectId === undefined ? '' : `/${route.projectId}`;
      const serverPath = `/${route.version}${project}/servers/${route.serverId}`;
      const server = await ctx.upstream('GET', serverPath, ctx.headers);
      const body = parseJson(server.body);
      const s = isObject(body) && isObject(body['server']) ? body['server'] : undefined;
      const task = s?.['OS-EXT-STS:task_state'];
      if (typeof task !== 'string') return;
      // Queue the real call until the task is over, as a server without the task_state check would
      // (the operation races the reboot); the client is told at once that all went well.
      const path = `${ctx.path}${ctx.query}`;
      const { method, headers, body: sent } = ctx;
      void (async () => {
        for (let i = 0; i < 100; i++) {
          await new Promise((done) => setTimeout(done, 50));
          const reply = await ctx.upstream(method, path, headers, sent);
          if (reply.status !== 409) return;
        }
      })().catch(() => {});
      if (isDetach(ctx)) return { status: 202, headers: versionHeadersOf(server), body: Buffer.alloc(0) };
      const req = parseJson(sent);
      const att = isObject(req) && isObject(req['interfaceAttachment']) ? req['interfaceAttachment'] : {};
      return jsonReply(
        200,
        {
          interfaceAttachment: {
            fixed_ips: [],
            mac_addr: 'fa:16:3e:00:00:01',
            net_id: att['net_id'] ?? uuid(),
            port_id: att['port_id'] ?? uuid(),
            port_state: 'DOWN',
          },
        },
        versionHeadersOf(server),
      );
    },
  },
  {
    name: 'stopped-refused',
    description: 'attach and detach on a SHUTOFF or PAUSED server answer 409 (Nova allows them)',
    suites: ['state'],
    behaviours: ['STATE-03'],
    onRequest: async (ctx) => {
      if (!(isAttach(ctx) || isDetach(ctx)) || ctx.route === undefined) return;
      const project = ctx.route.projectId === undefined ? '' : `/${ctx.route.projectId}`;
      const server = await ctx.upstream(
        'GET',
        `/${ctx.route.version}${project}/servers/${ctx.route.serverId}`,
        ctx.headers,
      );
      const body = parseJson(server.body);
      const s = isObject(body) && isObject(body['server']) ? body['server'] : undefined;
      const status = s?.['status'];
      if (status !== 'SHUTOFF' && status !== 'PAUSED') return;
      const op = isAttach(ctx) ? 'attach_interface' : 'detach_interface';
      const vm = status === 'SHUTOFF' ? 'stopped' : 'paused';
      return jsonReply(
        409,
        {
          conflictingRequest: {
            code: 409,
            message: `Cannot '${op}' instance ${ctx.route.serverId} while it is in vm_state ${vm}`,
          },
        },
        versionHeadersOf(server),
      );
    },
  },

  // ---- microversions ----------------------------------------------------------------------------
  {
    name: 'mv-header-missing',
    description: 'compute answers lack OpenStack-API-Version',
    suites: ['microversions', 'list'],
    behaviours: ['LIST-04', 'MV-01', 'MV-02', 'MV-03', 'MV-04'],
    onResponse: (ctx) => {
      if (ctx.request.service === 'compute') removeHeader(ctx.headers, 'OpenStack-API-Version');
    },
  },
  {
    name: 'mv-legacy-header-missing',
    description: 'compute answers lack X-OpenStack-Nova-API-Version',
    suites: ['microversions'],
    behaviours: ['HEADERS-03', 'MV-01', 'MV-02', 'MV-03', 'MV-04'],
    onResponse: (ctx) => {
      if (ctx.request.service === 'compute') removeHeader(ctx.headers, 'X-OpenStack-Nova-API-Version');
    },
  },
  {
    name: 'mv-vary-missing',
    description: 'compute answers lack Vary',
    suites: ['microversions'],
    behaviours: ['HEADERS-03', 'MV-01', 'MV-02', 'MV-03'],
    onResponse: (ctx) => {
      if (ctx.request.service === 'compute') removeHeader(ctx.headers, 'Vary');
    },
  },
  {
    name: 'mv-legacy-header-ignored',
    description: 'the legacy X-OpenStack-Nova-API-Version request header is ignored',
    suites: ['microversions'],
    behaviours: ['MV-02', 'MV-03'],
    onRequest: (ctx) => {
      if (ctx.service === 'compute') removeHeader(ctx.headers, 'X-OpenStack-Nova-API-Version');
    },
  },
  {
    name: 'mv-other-service-honoured',
    description: 'OpenStack-API-Version entries of other services are read as the compute version',
    suites: ['microversions'],
    behaviours: ['MV-03'],
    onRequest: (ctx) => {
      const v = headerValue(ctx.headers, 'OpenStack-API-Version');
      if (ctx.service !== 'compute' || v === undefined || /compute/i.test(v)) return;
      const first = v.split(',')[0]?.trim().split(/\s+/)[1];
      if (first !== undefined) setHeader(ctx.headers, 'OpenStack-API-Version', `compute ${first}`);
    },
  },
  {
    name: 'mv-too-high-clamped',
    description: 'a microversion above the maximum is served at the maximum instead of 406',
    suites: ['microversions'],
    behaviours: ['MV-04'],
    onResponse: async (ctx) => {
      if (ctx.request.service !== 'compute' || ctx.status !== 406) return;
      const m = /^(\d+)\.(\d+)$/.exec(ctx.request.microversion ?? '');
      if (m === null || Number(m[1]) < 2 || (Number(m[1]) === 2 && Number(m[2]) < 1)) return;
      const headers = ctx.request.headers.filter(([k]) => !/api-version/i.test(k));
      headers.push(['OpenStack-API-Version', 'compute latest']);
      adopt(ctx, await resend(ctx, headers));
    },
  },
  {
    name: 'mv-invalid-as-406',
    description: 'a malformed microversion answers 406 instead of 400',
    suites: ['microversions'],
    behaviours: ['MV-05'],
    onResponse: (ctx) => {
      if (ctx.status === 400 && /^API Version String/.test(faultOf(ctx)?.message ?? ''))
        replaceFault(ctx, 406, 'computeFault');
    },
  },
  {
    name: 'mv-latest-any-case',
    description: '"LATEST" is accepted as latest (Nova only accepts lower case)',
    suites: ['microversions'],
    behaviours: ['MV-05'],
    onRequest: (ctx) => {
      if (ctx.service !== 'compute') return;
      ctx.headers = ctx.headers.map(([k, v]) => [
        k,
        /api-version/i.test(k) ? v.replace(/\bLATEST\b/, 'latest') : v,
      ]);
    },
  },
  {
    name: 'versions-missing-v2.0',
    description: 'the compute root lists only v2.1 (no v2.0 entry)',
    suites: ['microversions'],
    behaviours: ['VERSIONS-01'],
    onResponse: (ctx) => {
      if (ctx.request.service !== 'compute' || !/^\/?$/.test(ctx.request.path) || ctx.status >= 300) return;
      editJson(ctx, (b) => {
        if (isObject(b) && Array.isArray(b['versions']))
          b['versions'] = b['versions'].filter((v) => !(isObject(v) && v['id'] === 'v2.0'));
      });
    },
  },
  {
    name: 'version-doc-no-min',
    description: 'the /v2.1/ version document has an empty min_version',
    suites: ['microversions'],
    behaviours: ['VERSIONS-01'],
    onResponse: (ctx) => {
      if (ctx.request.service !== 'compute' || !/^\/v2\.1\/?$/.test(ctx.request.path)) return;
      editJson(ctx, (b) => {
        if (isObject(b) && isObject(b['version'])) b['version']['min_version'] = '';
      });
    },
  },

  // ---- detach -----------------------------------------------------------------------------------
  {
    name: 'detach-never-detaches',
    description: 'detach answers 202 but never detaches',
    suites: ['detach'],
    // DETACH-03 reads the detach's instance action, whose event then ends in Error.
    behaviours: ['DETACH-01', 'DETACH-03', 'DETACH-04', 'STATE-01', 'STATE-03'],
    slow: true,
    onRequest: (ctx) => {
      // Detaching a port that is not attached is a real 202 from the target, with real headers.
      if (isDetach(ctx)) ctx.path = `${interfacesPath(ctx)}/${uuid()}`;
    },
  },
  {
    name: 'detach-answers-204',
    description: 'detach answers 204 No Content instead of 202 (the same empty body)',
    suites: ['detach'],
    // Every DETACH check reads the detach's answer; nothing else should care how a detach answered.
    behaviours: ['DETACH-01', 'DETACH-02', 'DETACH-03', 'DETACH-04', 'DETACH-05', 'STATE-01', 'STATE-03'],
    onResponse: (ctx) => {
      if (isDetach(ctx.request) && ctx.status === 202) ctx.status = 204;
    },
  },
  {
    name: 'detach-with-body',
    description: 'detach answers 202 with a JSON body',
    suites: ['detach', 'headers'],
    behaviours: ['DETACH-01', 'DETACH-02', 'DETACH-03', 'DETACH-04', 'DETACH-05', 'HEADERS-03'],
    onResponse: (ctx) => {
      if (!isDetach(ctx.request) || ctx.status !== 202) return;
      ctx.body = Buffer.from(
        JSON.stringify({ interfaceAttachment: { port_id: ctx.request.route?.portId ?? '' } }),
      );
      setHeader(ctx.headers, 'Content-Type', 'application/json');
    },
  },
  {
    name: 'detach-unattached-404',
    description: 'detach of a port that is not attached answers 404 instead of 202',
    suites: ['detach'],
    behaviours: ['DETACH-02', 'DETACH-05'],
    onRequest: async (ctx) => {
      if (!isDetach(ctx)) return;
      const list = await ctx.upstream('GET', interfacesPath(ctx), ctx.headers);
      if (list.status !== 200) return;
      const attached = attachmentsOf(parseJson(list.body) ?? null).some(
        (a) => a['port_id'] === ctx.route?.portId,
      );
      if (attached) return;
      return jsonReply(
        404,
        { itemNotFound: { code: 404, message: `Port id ${ctx.route?.portId ?? ''} could not be found.` } },
        versionHeadersOf(list),
      );
    },
  },

  {
    name: 'detach-through-other-server',
    description:
      "detach through server B's URL of a port attached to server A detaches it from A (Nova: 202, stays on A)",
    suites: ['detach'],
    behaviours: ['DETACH-02'],
    onRequest: async (ctx) => {
      const route = ctx.route;
      if (!isDetach(ctx) || route?.portId === undefined) return;
      const token = headerValue(ctx.headers, 'X-Auth-Token');
      if (token === undefined) return;
      // Where the port really is: Nova never asks, it casts the detach to B's host, which finds
      // no such interface; this implementation trusts Neutron's device_id instead.
      const reply = await ctx.upstreamTo('network', 'GET', `/v2.0/ports/${route.portId}`, [
        ['X-Auth-Token', token],
        ['Accept', 'application/json'],
      ]);
      const body = parseJson(reply.body);
      const port =
        reply.status === 200 && isObject(body) && isObject(body['port']) ? body['port'] : undefined;
      const holder = port?.['device_id'];
      const owner = port?.['device_owner'];
      if (typeof holder !== 'string' || holder === '' || holder === route.serverId) return;
      if (typeof owner !== 'string' || !owner.startsWith('compute:')) return;
      ctx.path = ctx.path.replace(`/servers/${route.serverId}/`, `/servers/${holder}/`);
    },
  },

  // ---- headers ----------------------------------------------------------------------------------
  {
    name: 'charset-on-2xx-json',
    description: 'successful compute answers typed application/json say application/json; charset=utf-8',
    suites: ['headers'],
    // Harmless for every JSON client: only the check of the exact Content-Type may notice.
    behaviours: ['HEADERS-01'],
    onResponse: (ctx) => {
      if (ctx.request.service !== 'compute' || ctx.status < 200 || ctx.status >= 300) return;
      // In place, so that the header keeps its name's case and its position.
      ctx.headers = ctx.headers.map(([k, v]) => [
        k,
        k.toLowerCase() === 'content-type' && v.trim().toLowerCase() === 'application/json'
          ? 'application/json; charset=utf-8'
          : v,
      ]);
    },
  },
  {
    name: 'request-id-missing',
    description: 'compute answers lack x-openstack-request-id',
    suites: ['headers', 'detach'],
    behaviours: ['HEADERS-02', 'DETACH-03'],
    onResponse: (ctx) => {
      if (ctx.request.service === 'compute') removeHeader(ctx.headers, 'x-openstack-request-id');
    },
  },
  {
    name: 'compute-request-id-missing',
    description: 'compute answers lack x-compute-request-id',
    suites: ['headers'],
    behaviours: ['HEADERS-02'],
    onResponse: (ctx) => {
      if (ctx.request.service === 'compute') removeHeader(ctx.headers, 'x-compute-request-id');
    },
  },
  {
    name: 'request-id-no-prefix',
    description: 'request ids are bare UUIDs without the req- prefix',
    suites: ['headers', 'detach'],
    behaviours: ['HEADERS-02', 'DETACH-03'],
    onResponse: (ctx) => {
      if (ctx.request.service !== 'compute') return;
      ctx.headers = ctx.headers.map(([k, v]) => [k, /request-id$/i.test(k) ? v.replace(/^req-/, '') : v]);
    },
  },
  {
    name: 'success-content-type-text',
    description: 'successful os-interface answers have Content-Type text/plain',
    suites: ['headers'],
    behaviours: ['HEADERS-01'],
    onResponse: (ctx) => {
      if (isOsInterface(ctx.request) && ctx.status === 200)
        setHeader(ctx.headers, 'Content-Type', 'text/plain');
    },
  },
  {
    name: 'fault-content-type-no-charset',
    description: 'fault answers have Content-Type application/json without charset=UTF-8',
    suites: ['headers', 'errors'],
    behaviours: ['HEADERS-01'],
    onResponse: (ctx) => {
      if (isComputeFault(ctx)) setHeader(ctx.headers, 'Content-Type', 'application/json');
    },
  },
];

/** Turns a success answer into a fault with Nova's fault headers. */
function replaceFaultFrom(ctx: ResponseContext, status: number, key: string, message: string): void {
  ctx.status = status;
  ctx.body = Buffer.from(JSON.stringify({ [key]: { code: status, message } }));
  setHeader(ctx.headers, 'Content-Type', 'application/json; charset=UTF-8');
}

export function mutantByName(name: string): Mutant | undefined {
  return MUTANTS.find((m) => m.name === name);
}
