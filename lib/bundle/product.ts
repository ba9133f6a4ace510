import { readInputFile } from '../config/input-file.ts';
import { parseYaml } from '../config/bounded-yaml.ts';
import { ConfigError } from '../config/errors.ts';
import type { ProductFacts } from '../report/model.ts';

const FILE_VARIABLE = 'CONFORMANCE_PRODUCT_FILE';
const FIELDS = ['name', 'vendor', 'cloudName', 'description'] as const;
type Field = (typeof FIELDS)[number];

/** The variable that gives each field directly; it wins over the product file. */
const VARIABLES: Readonly<Record<Exclude<Field, 'description'>, string>> = {
  name: 'CONFORMANCE_PRODUCT',
  vendor: 'CONFORMANCE_VENDOR',
  cloudName: 'CONFORMANCE_CLOUD_NAME',
};

/** A description is a paragraph or a few; a longer one is a mistake (a log pasted in). */
const MAX_LENGTH = { name: 200, vendor: 200, cloudName: 200, description: 10_000 } as const;

function value(field: Field, raw: string, variable: string): string {
  const text = raw.trim();
  if (text.length > MAX_LENGTH[field])
    throw new ConfigError(variable, `${field} is longer than ${MAX_LENGTH[field]} characters`);
  return text;
}

function fromFile(path: string): Partial<Record<Field, string>> {
  const text = readInputFile(
    path,
    FILE_VARIABLE,
    'a YAML or JSON file of name, vendor, cloudName, description',
  ).toString('utf8');
  const data = parseYaml(text, path, FILE_VARIABLE);
  if (typeof data !== 'object' || data === null || Array.isArray(data))
    throw new ConfigError(
      FILE_VARIABLE,
      `${path} must hold a mapping of name, vendor, cloudName, description`,
    );
  const out: Partial<Record<Field, string>> = {};
  for (const [key, raw] of Object.entries(data as Record<string, unknown>)) {
    const field = FIELDS.find((f) => f === key);
    if (field === undefined)
      throw new ConfigError(
        FILE_VARIABLE,
        `${path}: '${key}' is not a field of a product description (${FIELDS.join(', ')})`,
      );
    if (typeof raw !== 'string' && typeof raw !== 'number')
      throw new ConfigError(FILE_VARIABLE, `${path}: ${key} must be text`);
    out[field] = value(field, String(raw), FILE_VARIABLE);
  }
  return out;
}

/**
 * What the user says is under test: CONFORMANCE_PRODUCT, _VENDOR and _CLOUD_NAME, over the fields
 * of CONFORMANCE_PRODUCT_FILE; undefined when none is given. Throws ConfigError on a bad file.
 */
export function productFrom(env: Readonly<Record<string, string | undefined>>): ProductFacts | undefined {
  const file = env[FILE_VARIABLE];
  const fields: Partial<Record<Field, string>> = file === undefined ? {} : fromFile(file);
  for (const [field, variable] of Object.entries(VARIABLES) as [Exclude<Field, 'description'>, string][]) {
    const raw = env[variable];
    if (raw !== undefined) fields[field] = value(field, raw, variable);
  }
  if (FIELDS.every((field) => fields[field] === undefined || fields[field] === '')) return undefined;
  return {
    name: fields.name || undefined,
    vendor: fields.vendor || undefined,
    cloudName: fields.cloudName || undefined,
    description: fields.description || undefined,
  };
}
