import { randomBytes, randomFillSync, randomUUID } from 'node:crypto';

export function uuid(): string {
  return randomUUID();
}

/** Keystone ids: 32 lower-case hex digits. */
export function hex32(): string {
  return randomBytes(16).toString('hex');
}

export function requestId(): string {
  return `req-${randomUUID()}`;
}

/** Random bytes drawn in blocks: one call into the system's generator per 1024 MAC addresses. */
const POOL = Buffer.alloc(3072);
let poolAt = POOL.length;

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

export function macAddress(): string {
  if (poolAt + 3 > POOL.length) {
    randomFillSync(POOL);
    poolAt = 0;
  }
  const mac = `fa:16:3e:${HEX[POOL[poolAt] ?? 0]}:${HEX[POOL[poolAt + 1] ?? 0]}:${HEX[POOL[poolAt + 2] ?? 0]}`;
  poolAt += 3;
  return mac;
}

/** The current second as ISO 8601 without zone, computed once per second (timestamps have no finer grain). */
let secondAt = -1;
let secondText = '';
function currentSecond(): string {
  const now = Date.now();
  const second = Math.floor(now / 1000);
  if (second !== secondAt) {
    secondAt = second;
    secondText = new Date(second * 1000).toISOString().slice(0, 19);
  }
  return secondText;
}

/** Nova's DB timestamps as the API prints them: seconds precision, zero microseconds, no zone. */
export function novaTime(d?: Date): string {
  return `${d === undefined ? currentSecond() : d.toISOString().slice(0, 19)}.000000`;
}

/** Servers API times: ISO 8601 with Z. */
export function isoZ(d?: Date): string {
  return `${d === undefined ? currentSecond() : d.toISOString().slice(0, 19)}Z`;
}

const CANONICAL_UUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

/** oslo_utils.uuidutils.is_uuid_like: 32 hex digits once urn/uuid prefixes, braces and dashes are removed. */
export function isUuidLike(v: unknown): boolean {
  if (typeof v !== 'string') return false;
  // The usual id is in canonical form, which the clean-up below would leave as 32 hex digits.
  if (v.length === 36 && CANONICAL_UUID.test(v)) return true;
  const s = v
    .replace(/urn:/g, '')
    .replace(/uuid:/g, '')
    .replace(/^[{}]+|[{}]+$/g, '')
    .replace(/-/g, '')
    .toLowerCase();
  return /^[0-9a-f]{32}$/.test(s);
}

function pyQuote(s: string): string {
  // Python's repr picks single quotes unless the text holds a single quote and no double quote.
  const quote = s.includes("'") && !s.includes('"') ? '"' : "'";
  let out = '';
  for (const ch of s) {
    const code = ch.codePointAt(0) ?? 0;
    if (ch === '\\') out += '\\\\';
    else if (ch === quote) out += `\\${quote}`;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (code < 0x20 || code === 0x7f) out += `\\x${code.toString(16).padStart(2, '0')}`;
    else out += ch;
  }
  return quote + out + quote;
}

function pyNumber(n: number): string {
  if (Number.isInteger(n)) return String(n);
  const s = String(n);
  return s.includes('e') ? s.replace(/e([+-])(\d)$/, 'e$10$2') : s;
}

/** Python repr() of a JSON value, as jsonschema and Nova print it in messages. */
export function pyRepr(v: unknown): string {
  if (v === null || v === undefined) return 'None';
  if (v === true) return 'True';
  if (v === false) return 'False';
  if (typeof v === 'number') return pyNumber(v);
  if (typeof v === 'string') return pyQuote(v);
  if (Array.isArray(v)) return `[${v.map(pyRepr).join(', ')}]`;
  if (typeof v === 'object') {
    const entries = Object.entries(v as Record<string, unknown>);
    return `{${entries.map(([k, x]) => `${pyQuote(k)}: ${pyRepr(x)}`).join(', ')}}`;
  }
  return String(v);
}

/** Python str() of a JSON value: like repr, except a top-level string is printed bare. */
export function pyStr(v: unknown): string {
  return typeof v === 'string' ? v : pyRepr(v);
}

export function ipToInt(ip: string): number {
  const p = ip.split('.').map(Number);
  return (((p[0] ?? 0) << 24) | ((p[1] ?? 0) << 16) | ((p[2] ?? 0) << 8) | (p[3] ?? 0)) >>> 0;
}

export function intToIp(n: number): string {
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
}

export function cidrContains(cidr: string, ip: string): boolean {
  const [base, bitsText] = cidr.split('/');
  const bits = Number(bitsText);
  if (!base || !/^\d+\.\d+\.\d+\.\d+$/.test(ip)) return false;
  const mask = bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0;
  return (ipToInt(base) & mask) === (ipToInt(ip) & mask);
}
