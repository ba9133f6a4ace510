// Pure functions of the fidelity check: bring two answers to the same request into a comparable
// form and list what differs. No I/O here, so test/fidelity can check them on hand-made answers.

/** What the comparison needs of one answer. */
export interface Answer {
  readonly status: number;
  /** Header names in lower case; repeated headers keep every value. */
  readonly headers: Readonly<Record<string, readonly string[]>>;
  readonly text: string;
}

/** Placeholder name → the id it stands for on one target (server, ports, networks, projects...). */
export type Ids = Readonly<Record<string, string>>;

export type Aspect =
  | 'status'
  | 'error key'
  | 'message'
  | 'field'
  | 'type'
  | 'length'
  | 'header'
  | 'body'
  /** A value that must be the same on both: the fields of a version document. */
  | 'value'
  /** The step could not run alike: a wait timed out, or an earlier step left no id to use. */
  | 'failure';

export interface Difference {
  readonly aspect: Aspect;
  /** Where in the answer: a JSON path (`$.interfaceAttachment.tag`) or a header name. */
  readonly where: string;
  readonly a: string;
  readonly b: string;
}

const REQUEST_ID = /req-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;
const UUID = /\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi;
const MAC = /\b[0-9a-f]{2}(?::[0-9a-f]{2}){5}\b/gi;
const TIMESTAMP = /\b\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:?\d{2})?/g;
const REQUEST_ID_SHAPE = /^req-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * A message with every id the scenario knows replaced by its placeholder name, so that
 * `Instance 1b2c... could not be found.` reads `Instance <server> could not be found.` on both
 * targets; request ids, MACs, timestamps and any other UUID are blanked the same way.
 */
export function normaliseText(text: string, ids: Ids): string {
  let out = text;
  // Longest first: a short id must not eat part of a longer one.
  const known = Object.entries(ids)
    .filter(([, id]) => id !== '')
    .sort((x, y) => y[1].length - x[1].length);
  for (const [name, id] of known) out = out.replace(new RegExp(escapeRegExp(id), 'gi'), `<${name}>`);
  return out
    .replace(REQUEST_ID, '<request_id>')
    .replace(UUID, '<uuid>')
    .replace(MAC, '<mac>')
    .replace(TIMESTAMP, '<time>')
    .replace(/\s+/g, ' ')
    .trim();
}

// ---- body shapes -------------------------------------------------------------------------------

type Kind = 'null' | 'string' | 'number' | 'boolean' | 'array' | 'object';

/** The structure of a JSON value: its types, fields and (for arrays) element structure. */
interface Shape {
  readonly kinds: readonly Kind[];
  readonly fields?: Readonly<Record<string, Shape>>;
  readonly element?: Shape;
  /** Known only for a single array, not for arrays merged across the elements of an outer one. */
  readonly length?: number;
}

function kindOf(value: unknown): Kind {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  const type = typeof value;
  if (type === 'string' || type === 'number' || type === 'boolean' || type === 'object') return type;
  return 'null'; // JSON has no other kinds; undefined never comes out of JSON.parse
}

function shapeOf(value: unknown): Shape {
  const kind = kindOf(value);
  if (kind === 'object') {
    const fields: Record<string, Shape> = {};
    for (const [key, inner] of Object.entries(value as Record<string, unknown>)) fields[key] = shapeOf(inner);
    return { kinds: [kind], fields };
  }
  if (kind === 'array') {
    const items = value as unknown[];
    // List order may differ between targets: the elements are compared as one merged structure.
    const element = items
      .map(shapeOf)
      .reduce<Shape | undefined>((acc, s) => (acc ? mergeShapes(acc, s) : s), undefined);
    return { kinds: [kind], length: items.length, ...(element !== undefined && { element }) };
  }
  return { kinds: [kind] };
}

function mergeShapes(x: Shape, y: Shape): Shape {
  const kinds = [...new Set([...x.kinds, ...y.kinds])].sort();
  let fields: Record<string, Shape> | undefined;
  if (x.fields !== undefined || y.fields !== undefined) {
    fields = { ...x.fields };
    for (const [key, s] of Object.entries(y.fields ?? {})) {
      const had = fields[key];
      fields[key] = had === undefined ? s : mergeShapes(had, s);
    }
  }
  const element =
    x.element !== undefined && y.element !== undefined
      ? mergeShapes(x.element, y.element)
      : (x.element ?? y.element);
  return {
    kinds,
    ...(fields !== undefined && { fields }),
    ...(element !== undefined && { element }),
    ...(x.length !== undefined && x.length === y.length && { length: x.length }),
  };
}

function diffShapes(a: Shape, b: Shape, where: string, out: Difference[]): void {
  const ka = a.kinds.join('|');
  const kb = b.kinds.join('|');
  if (ka !== kb) out.push({ aspect: 'type', where, a: ka, b: kb });
  if (a.fields !== undefined && b.fields !== undefined) {
    const keys = [...new Set([...Object.keys(a.fields), ...Object.keys(b.fields)])].sort();
    for (const key of keys) {
      const fa = a.fields[key];
      const fb = b.fields[key];
      const path = `${where}.${key}`;
      if (fa === undefined || fb === undefined) {
        out.push({
          aspect: 'field',
          where: path,
          a: fa ? 'present' : 'absent',
          b: fb ? 'present' : 'absent',
        });
      } else diffShapes(fa, fb, path, out);
    }
  }
  if (a.kinds.includes('array') && b.kinds.includes('array')) {
    if (a.length !== undefined && b.length !== undefined && a.length !== b.length)
      out.push({ aspect: 'length', where, a: String(a.length), b: String(b.length) });
    if (a.element !== undefined && b.element !== undefined)
      diffShapes(a.element, b.element, `${where}[]`, out);
  }
}

// ---- faults ------------------------------------------------------------------------------------

/** The key of a fault body (`itemNotFound`, `badRequest`, Keystone's `error`), and its message. */
function faultOf(status: number, json: unknown): { key: string; message?: string } | undefined {
  if (status < 400 || json === null || typeof json !== 'object' || Array.isArray(json)) return undefined;
  const entries = Object.entries(json as Record<string, unknown>);
  const first = entries[0];
  if (entries.length !== 1 || first === undefined) return undefined;
  const [key, inner] = first;
  const message =
    inner !== null && typeof inner === 'object' ? (inner as { message?: unknown }).message : undefined;
  return { key, ...(typeof message === 'string' && { message }) };
}

function parse(text: string): { kind: 'empty' | 'json' | 'text'; json?: unknown } {
  if (text.trim() === '') return { kind: 'empty' };
  try {
    return { kind: 'json', json: JSON.parse(text) as unknown };
  } catch {
    return { kind: 'text' };
  }
}

// ---- headers -----------------------------------------------------------------------------------

function one(answer: Answer, name: string): string | undefined {
  const values = answer.headers[name];
  return values === undefined || values.length === 0 ? undefined : values.join(', ');
}

/** Vary as a set of header names, whether sent as one comma-joined header or several. */
export function varyOf(answer: Answer): string {
  const names = (answer.headers['vary'] ?? [])
    .flatMap((v) => v.split(','))
    .map((v) => v.trim().toLowerCase())
    .filter((v) => v !== '');
  return names.length === 0 ? '(none)' : [...new Set(names)].sort().join(', ');
}

function requestIdOf(answer: Answer, name: string): string {
  const value = one(answer, name);
  if (value === undefined) return '(absent)';
  return REQUEST_ID_SHAPE.test(value) ? 'req-<uuid>' : `malformed: ${value}`;
}

function normaliseContentType(value: string | undefined): string {
  return value === undefined ? '(absent)' : value.toLowerCase().replace(/\s+/g, '');
}

function diffHeaders(a: Answer, b: Answer, out: Difference[]): void {
  const compare = (where: string, va: string, vb: string): void => {
    if (va !== vb) out.push({ aspect: 'header', where, a: va, b: vb });
  };
  compare(
    'content-type',
    normaliseContentType(one(a, 'content-type')),
    normaliseContentType(one(b, 'content-type')),
  );
  for (const name of ['openstack-api-version', 'x-openstack-nova-api-version'])
    compare(name, one(a, name) ?? '(absent)', one(b, name) ?? '(absent)');
  compare('vary', varyOf(a), varyOf(b));
  for (const name of ['x-openstack-request-id', 'x-compute-request-id'])
    compare(name, requestIdOf(a, name), requestIdOf(b, name));
  compare(
    'www-authenticate',
    one(a, 'www-authenticate') === undefined ? '(absent)' : 'present',
    one(b, 'www-authenticate') === undefined ? '(absent)' : 'present',
  );
}

// ---- version documents -------------------------------------------------------------------------

/** The fields of a version entry whose values name the release (links hold hosts: not compared). */
const VERSION_FIELDS = ['id', 'status', 'version', 'min_version', 'updated'] as const;

/**
 * The entries of a version document (`{"version": …}`, `{"versions": […]}`, a 300's `{"choices":
 * […]}`), each under `$.<key>[<id>]`: the one place where two targets must agree on values, since
 * the maximum microversion, the legacy entry's status and its date tell the release apart.
 */
export function versionEntries(json: unknown): Map<string, Readonly<Record<string, unknown>>> {
  const out = new Map<string, Readonly<Record<string, unknown>>>();
  if (json === null || typeof json !== 'object' || Array.isArray(json)) return out;
  const doc = json as Record<string, unknown>;
  const isEntry = (v: unknown): v is Record<string, unknown> =>
    v !== null &&
    typeof v === 'object' &&
    !Array.isArray(v) &&
    typeof (v as { id?: unknown }).id === 'string';
  if (isEntry(doc['version'])) out.set(`$.version[${String(doc['version']['id'])}]`, doc['version']);
  for (const key of ['versions', 'choices']) {
    const list = doc[key];
    if (Array.isArray(list)) for (const e of list) if (isEntry(e)) out.set(`$.${key}[${String(e['id'])}]`, e);
  }
  return out;
}

function diffVersionValues(a: unknown, b: unknown, out: Difference[]): void {
  const ea = versionEntries(a);
  const eb = versionEntries(b);
  for (const [where, entryA] of ea) {
    const entryB = eb.get(where);
    // A missing entry already shows as a field or length difference.
    if (entryB === undefined) continue;
    for (const field of VERSION_FIELDS) {
      if (!(field in entryA) && !(field in entryB)) continue;
      const va = JSON.stringify(entryA[field] ?? null);
      const vb = JSON.stringify(entryB[field] ?? null);
      if (va !== vb) out.push({ aspect: 'value', where: `${where}.${field}`, a: va, b: vb });
    }
  }
}

// ---- the comparison ----------------------------------------------------------------------------

/**
 * Every difference between two answers to the same request: status, fault key and (normalised)
 * message, the presence and type of every field (recursively, arrays as merged element shapes),
 * the values of version documents, and the headers of note. Other values are not compared: ids,
 * MACs, times and states legitimately differ between clouds.
 */
export function compareAnswers(a: Answer, b: Answer, idsA: Ids, idsB: Ids): Difference[] {
  const out: Difference[] = [];
  if (a.status !== b.status)
    out.push({ aspect: 'status', where: 'status', a: String(a.status), b: String(b.status) });
  const pa = parse(a.text);
  const pb = parse(b.text);
  if (pa.kind !== pb.kind) {
    out.push({
      aspect: 'body',
      where: 'body',
      a: pa.kind === 'text' ? `text: ${normaliseText(a.text, idsA).slice(0, 120)}` : pa.kind,
      b: pb.kind === 'text' ? `text: ${normaliseText(b.text, idsB).slice(0, 120)}` : pb.kind,
    });
  } else if (pa.kind === 'text') {
    const ta = normaliseText(a.text, idsA);
    const tb = normaliseText(b.text, idsB);
    if (ta !== tb) out.push({ aspect: 'body', where: 'body', a: ta.slice(0, 200), b: tb.slice(0, 200) });
  } else if (pa.kind === 'json') {
    const fa = faultOf(a.status, pa.json);
    const fb = faultOf(b.status, pb.json);
    if (fa !== undefined || fb !== undefined) {
      if (fa?.key !== fb?.key)
        out.push({ aspect: 'error key', where: '$', a: fa?.key ?? '(none)', b: fb?.key ?? '(none)' });
      const ma = fa?.message === undefined ? '(none)' : normaliseText(fa.message, idsA);
      const mb = fb?.message === undefined ? '(none)' : normaliseText(fb.message, idsB);
      if (ma !== mb)
        out.push({ aspect: 'message', where: `$.${fa?.key ?? fb?.key ?? ''}.message`, a: ma, b: mb });
    }
    diffShapes(shapeOf(pa.json), shapeOf(pb.json), '$', out);
    diffVersionValues(pa.json, pb.json, out);
  }
  diffHeaders(a, b, out);
  return out;
}
