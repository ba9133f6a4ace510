import type { ErrorObject } from 'ajv';

function pathOf(instancePath: string): string {
  if (instancePath === '') return '$';
  return `$${instancePath
    .split('/')
    .slice(1)
    .map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((part) =>
      /^\d+$/.test(part)
        ? `[${part}]`
        : /^[A-Za-z_][\w-]*$/.test(part)
          ? `.${part}`
          : `[${JSON.stringify(part)}]`,
    )
    .join('')}`;
}

const SHOWN = 80;

interface Frame {
  readonly close: string;
  readonly items: readonly unknown[];
  /** Object keys, parallel to items; undefined for an array. */
  readonly keys?: readonly string[];
  next: number;
}

/**
 * A value as JSON, cut after SHOWN characters. Iterative and stopping at the cut: the value came
 * from the target and may nest as deep as it likes (JSON.stringify would overflow the stack).
 */
function shown(value: unknown): string {
  if (value === undefined) return 'nothing';
  let out = '';
  const stack: Frame[] = [];
  const open = (item: unknown): void => {
    if (Array.isArray(item)) {
      out += '[';
      stack.push({ close: ']', items: item, next: 0 });
    } else if (typeof item === 'object' && item !== null) {
      const keys = Object.keys(item).filter((k) => (item as Record<string, unknown>)[k] !== undefined);
      out += '{';
      stack.push({ close: '}', keys, items: keys.map((k) => (item as Record<string, unknown>)[k]), next: 0 });
    } else {
      out += typeof item === 'bigint' ? String(item) : (JSON.stringify(item) ?? 'null');
    }
  };
  open(value);
  while (stack.length > 0 && out.length <= SHOWN) {
    const top = stack[stack.length - 1] as Frame;
    if (top.next >= top.items.length) {
      out += top.close;
      stack.pop();
      continue;
    }
    if (top.next > 0) out += ',';
    if (top.keys !== undefined) out += `${JSON.stringify(top.keys[top.next])}:`;
    const item = top.items[top.next];
    top.next += 1;
    open(item);
  }
  return out.length > SHOWN ? `${out.slice(0, SHOWN - 3)}...` : out;
}

function valueAt(data: unknown, instancePath: string): unknown {
  let current = data;
  for (const part of instancePath.split('/').slice(1)) {
    if (typeof current !== 'object' || current === null) return undefined;
    current = (current as Record<string, unknown>)[part.replace(/~1/g, '/').replace(/~0/g, '~')];
  }
  return current;
}

function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (Number.isInteger(value)) return 'an integer';
  return `a ${typeof value}`;
}

function sentence(error: ErrorObject, data: unknown): string | undefined {
  const path = pathOf(error.instancePath);
  const got = valueAt(data, error.instancePath);
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'required':
      return `${path}: required key '${String(params['missingProperty'])}' is missing`;
    case 'additionalProperties':
      return `${path}: unexpected key '${String(params['additionalProperty'])}' (Nova does not send it here)`;
    case 'type':
      return `${path}: expected ${String(params['type'])}, got ${typeName(got)} ${shown(got)}`;
    case 'format':
      return `${path}: expected a ${String(params['format'])}, got ${shown(got)}`;
    case 'pattern':
      return `${path}: expected a string matching ${String(params['pattern'])}, got ${shown(got)}`;
    case 'const':
      return `${path}: expected ${shown(params['allowedValue'])}, got ${shown(got)}`;
    case 'enum':
      return `${path}: expected one of ${shown(params['allowedValues'])}, got ${shown(got)}`;
    case 'minItems':
    case 'maxItems':
    case 'minLength':
    case 'maxLength':
    case 'minimum':
    case 'maximum':
      return `${path}: ${error.message ?? error.keyword}, got ${shown(got)}`;
    case 'minProperties':
    case 'maxProperties':
      return `${path}: expected exactly one top-level key, got ${Object.keys((got as object | null) ?? {}).length} (${shown(got)})`;
    case 'propertyName':
    case 'propertyNames':
      return `${path}: key ${shown(params['propertyName'])} is not a Nova fault name`;
    case 'anyOf':
    case 'oneOf':
      // The branch errors already say what is wrong; an IP address is the only union here.
      return `${path}: expected an IPv4 or IPv6 address, got ${shown(got)}`;
    case 'if':
    case '$ref':
      return undefined;
    default:
      return `${path}: ${error.message ?? error.keyword}`;
  }
}

/** AJV's error array as sentences: JSON path, what was expected, what came. */
export function describeErrors(errors: readonly ErrorObject[], data: unknown): string[] {
  const hasUnion = new Set(
    errors.filter((e) => e.keyword === 'anyOf' || e.keyword === 'oneOf').map((e) => e.instancePath),
  );
  const out: string[] = [];
  for (const error of errors) {
    // Branch errors of an address union repeat what the union error says in one line.
    if (error.keyword === 'format' && hasUnion.has(error.instancePath)) continue;
    // propertyNames reports its enum failure a second time, without the key's name.
    if (error.keyword === 'enum' && error.schemaPath.includes('/propertyNames/')) continue;
    const line = sentence(error, data);
    if (line !== undefined && !out.includes(line)) out.push(line);
  }
  return out;
}
