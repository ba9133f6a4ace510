// The slice of JSON Schema (Draft 4) Nova's request schemas use, reporting the first error the way
// python-jsonschema 4.10 (Debian 12) iterates them: keyword by keyword in the schema's own order,
// properties in schema order. Nova then formats it (nova/api/validation/validators.py).
import { isIP } from 'node:net';
import { isUuidLike, pyRepr, pyStr } from '../util.ts';

export interface Schema {
  type?: string | string[];
  format?: string;
  oneOf?: Schema[];
  properties?: Record<string, Schema>;
  required?: string[];
  additionalProperties?: boolean;
  minItems?: number;
  maxItems?: number;
  items?: Schema;
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  enum?: unknown[];
  minimum?: number;
  maximum?: number;
}

interface SchemaError {
  path: (string | number)[];
  instance: unknown;
  message: string;
}

function isType(v: unknown, t: string): boolean {
  switch (t) {
    case 'object':
      return typeof v === 'object' && v !== null && !Array.isArray(v);
    case 'array':
      return Array.isArray(v);
    case 'string':
      return typeof v === 'string';
    case 'integer':
      return typeof v === 'number' && Number.isInteger(v);
    case 'number':
      return typeof v === 'number';
    case 'boolean':
      return typeof v === 'boolean';
    case 'null':
      return v === null;
    default:
      return true;
  }
}

function checkFormat(format: string, v: unknown): boolean {
  if (format === 'uuid') return isUuidLike(v);
  if (typeof v !== 'string') return true;
  if (format === 'ipv4') return isIP(v) === 4;
  // Python's ipaddress accepts a zone id, which jsonschema then rejects.
  if (format === 'ipv6') return isIP(v) === 6 && !v.includes('%');
  return true;
}

const strLen = (s: string): number => [...s].length;

function* iterErrors(
  schema: Schema,
  v: unknown,
  path: (string | number)[],
  soft: boolean,
): Generator<SchemaError> {
  for (const key of Object.keys(schema) as (keyof Schema)[]) {
    switch (key) {
      case 'type': {
        const types = Array.isArray(schema.type) ? schema.type : [schema.type ?? ''];
        if (!types.some((t) => isType(v, t)))
          yield { path, instance: v, message: `${pyRepr(v)} is not of type ${types.map(pyRepr).join(', ')}` };
        break;
      }
      case 'format':
        if (schema.format && !checkFormat(schema.format, v))
          yield { path, instance: v, message: `${pyRepr(v)} is not a ${pyRepr(schema.format)}` };
        break;
      case 'oneOf': {
        const matches = (schema.oneOf ?? []).filter((s) => iterErrors(s, v, path, soft).next().done);
        if (matches.length === 0)
          yield { path, instance: v, message: `${pyRepr(v)} is not valid under any of the given schemas` };
        break;
      }
      case 'properties':
        if (isType(v, 'object')) {
          const obj = v as Record<string, unknown>;
          for (const [name, sub] of Object.entries(schema.properties ?? {}))
            if (Object.hasOwn(obj, name)) yield* iterErrors(sub, obj[name], [...path, name], soft);
        }
        break;
      case 'required':
        if (isType(v, 'object'))
          for (const name of schema.required ?? [])
            if (!Object.hasOwn(v as object, name))
              yield { path, instance: v, message: `${pyRepr(name)} is a required property` };
        break;
      case 'additionalProperties':
        if (schema.additionalProperties === false && isType(v, 'object')) {
          const obj = v as Record<string, unknown>;
          const extras = Object.keys(obj).filter((k) => !Object.hasOwn(schema.properties ?? {}, k));
          if (extras.length === 0) break;
          if (soft) {
            // Legacy v2 requests: Nova strips unknown keys instead of rejecting them.
            for (const k of extras) delete obj[k];
            break;
          }
          const verb = extras.length === 1 ? 'was' : 'were';
          yield {
            path,
            instance: v,
            message: `Additional properties are not allowed (${extras.map(pyRepr).join(', ')} ${verb} unexpected)`,
          };
        }
        break;
      case 'items':
        if (Array.isArray(v) && schema.items)
          for (let i = 0; i < v.length; i++) yield* iterErrors(schema.items, v[i], [...path, i], soft);
        break;
      case 'minItems':
        if (Array.isArray(v) && v.length < (schema.minItems ?? 0))
          yield { path, instance: v, message: `${pyRepr(v)} is too short` };
        break;
      case 'maxItems':
        if (Array.isArray(v) && v.length > (schema.maxItems ?? Infinity))
          yield { path, instance: v, message: `${pyRepr(v)} is too long` };
        break;
      case 'minLength':
        if (typeof v === 'string' && strLen(v) < (schema.minLength ?? 0))
          yield { path, instance: v, message: `${pyRepr(v)} is too short` };
        break;
      case 'maxLength':
        if (typeof v === 'string' && strLen(v) > (schema.maxLength ?? Infinity))
          yield { path, instance: v, message: `${pyRepr(v)} is too long` };
        break;
      case 'pattern':
        if (typeof v === 'string' && schema.pattern && !new RegExp(schema.pattern, 'u').test(v))
          yield { path, instance: v, message: `${pyRepr(v)} does not match ${pyRepr(schema.pattern)}` };
        break;
      case 'enum':
        if (!(schema.enum ?? []).some((e) => e === v))
          yield { path, instance: v, message: `${pyRepr(v)} is not one of ${pyRepr(schema.enum)}` };
        break;
      case 'minimum':
        if (typeof v === 'number' && v < (schema.minimum ?? -Infinity))
          yield { path, instance: v, message: `${pyRepr(v)} is less than the minimum of ${schema.minimum}` };
        break;
      case 'maximum':
        if (typeof v === 'number' && v > (schema.maximum ?? Infinity))
          yield {
            path,
            instance: v,
            message: `${pyRepr(v)} is greater than the maximum of ${schema.maximum}`,
          };
        break;
    }
  }
}

/** Nova's 400 detail for the first schema error, or undefined when the body is valid. */
export function validate(schema: Schema, body: unknown, soft = false): string | undefined {
  const first = iterErrors(schema, body, [], soft).next();
  if (first.done) return undefined;
  const err = first.value;
  if (err.path.length === 0) return err.message;
  const field = err.path[err.path.length - 1];
  return `Invalid input for field/attribute ${String(field)}. Value: ${pyStr(err.instance)}. ${err.message}`;
}

// ---- Nova's schemas, resolved (nova/api/openstack/compute/schemas/attach_interfaces.py) ----

const uuidType: Schema = { type: 'string', format: 'uuid' };
const ipAddress: Schema = { type: 'string', oneOf: [{ format: 'ipv4' }, { format: 'ipv6' }] };
const tag: Schema = { type: 'string', pattern: '^[^,/]*$', minLength: 1, maxLength: 60 };

const ATTACH_SCHEMAS = new Map<boolean, Schema>();

/** The attach body schema, with `tag` from 2.49 (built once for each, as Nova's are module constants). */
export function attachSchema(withTag: boolean): Schema {
  let schema = ATTACH_SCHEMAS.get(withTag);
  if (schema === undefined) {
    schema = buildAttachSchema(withTag);
    ATTACH_SCHEMAS.set(withTag, schema);
  }
  return schema;
}

function buildAttachSchema(withTag: boolean): Schema {
  const props: Record<string, Schema> = {
    net_id: uuidType,
    port_id: uuidType,
    fixed_ips: {
      type: 'array',
      minItems: 1,
      maxItems: 1,
      items: {
        type: 'object',
        properties: { ip_address: ipAddress },
        required: ['ip_address'],
        additionalProperties: false,
      },
    },
  };
  if (withTag) props.tag = tag;
  return {
    type: 'object',
    properties: {
      interfaceAttachment: { type: 'object', properties: props, additionalProperties: false },
    },
    additionalProperties: false,
  };
}

/** nova/api/openstack/compute/schemas/servers.py, the parts this mock implements. */
export function serverCreateSchema(networksRequired: boolean, withTag: boolean): Schema {
  const netItem: Schema = {
    type: 'object',
    properties: {
      fixed_ip: ipAddress,
      port: { type: ['string', 'null'], format: 'uuid' },
      uuid: { type: 'string' },
      ...(withTag ? { tag } : {}),
    },
    additionalProperties: false,
  };
  const server: Schema = {
    type: 'object',
    properties: {
      name: { type: 'string', minLength: 1, maxLength: 255 },
      imageRef: { type: 'string' },
      flavorRef: { type: ['string', 'integer'], minLength: 1 },
      adminPass: { type: 'string' },
      metadata: { type: 'object' },
      networks: networksRequired
        ? {
            oneOf: [
              { type: 'array', items: netItem },
              { type: 'string', enum: ['none', 'auto'] },
            ],
          }
        : { type: 'array', items: netItem },
      security_groups: { type: 'array' },
      key_name: { type: 'string' },
      description: { type: ['string', 'null'], maxLength: 255 },
      availability_zone: { type: 'string' },
      user_data: { type: 'string' },
      config_drive: { type: ['boolean', 'string'] },
      min_count: { type: ['integer', 'string'] },
      max_count: { type: ['integer', 'string'] },
      return_reservation_id: { type: ['boolean', 'string'] },
    },
    required: networksRequired ? ['name', 'flavorRef', 'networks'] : ['name', 'flavorRef'],
    additionalProperties: false,
  };
  return {
    type: 'object',
    properties: { server, 'OS-SCH-HNT:scheduler_hints': { type: 'object' } },
    required: ['server'],
    additionalProperties: false,
  };
}
