/**
 * JSON laid out for reading as printed: a value that fits on a line stays on it (`"fixed_ips":
 * [{"subnet_id": …, "ip_address": …}]`), a larger one opens onto indented lines, as a formatter
 * would. Plain `JSON.stringify(v, null, 2)` spends a line on every bracket and scalar, which is
 * what a printed report cannot afford and what hides a fault's message under its braces.
 */
const WIDTH = 100;

function isContainer(value: unknown): value is object {
  return typeof value === 'object' && value !== null;
}

function inline(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(inline).join(', ')}]`;
  if (isContainer(value))
    return `{${Object.entries(value)
      .map(([k, v]) => `${JSON.stringify(k)}: ${inline(v)}`)
      .join(', ')}}`;
  return JSON.stringify(value);
}

/** `used`: the characters already on the line before the value (its indent and key). */
function layout(value: unknown, indent: number, used: number): string {
  const flat = inline(value);
  if (!isContainer(value) || used + flat.length <= WIDTH) return flat;
  const inner = ' '.repeat(indent + 2);
  const close = ' '.repeat(indent);
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    const items = value.map((v) => inner + layout(v, indent + 2, indent + 2));
    return `[\n${items.join(',\n')}\n${close}]`;
  }
  const entries = Object.entries(value);
  if (entries.length === 0) return '{}';
  // Nova wraps every body in one key (`{"computeFault": {…}}`): the wrapper shares the lines of
  // what it wraps rather than spending two of its own.
  const [only] = entries;
  if (entries.length === 1 && only !== undefined && isContainer(only[1])) {
    const key = `{${JSON.stringify(only[0])}: `;
    return `${key}${layout(only[1], indent, used + key.length)}}`;
  }
  const members = entries.map(([k, v]) => {
    const key = `${JSON.stringify(k)}: `;
    return inner + key + layout(v, indent + 2, indent + 2 + key.length);
  });
  return `{\n${members.join(',\n')}\n${close}}`;
}

/** A body as laid-out JSON; anything else (a clipped or broken body, HTML, text) as it came. */
export function layoutJson(body: string): string {
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    return body;
  }
  return layout(value, 0, 0);
}
