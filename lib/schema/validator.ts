import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { describeErrors } from './describe.ts';

// ajv-formats is CommonJS; under NodeNext its default export arrives wrapped.
const addFormats = addFormatsModule as unknown as typeof addFormatsModule.default;

const SCHEMA_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'schemas');
const ID_PREFIX = 'https://nova-conformance.dev/schemas/';

export type SchemaName =
  | 'os-interface/list-v2.1'
  | 'os-interface/list-v2.70'
  | 'os-interface/show-v2.1'
  | 'os-interface/show-v2.70'
  | 'os-interface/attachment-v2.1'
  | 'os-interface/attachment-v2.70'
  | 'os-interface/create-request-v2.1'
  | 'os-interface/create-request-v2.49'
  | 'common/fault'
  | 'common/keystone-unauthorized'
  | 'common/version'
  | 'common/versions';

function schemaFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory()
      ? schemaFiles(join(dir, entry.name))
      : entry.name.endsWith('.json')
        ? [join(dir, entry.name)]
        : [],
  );
}

function buildAjv(): Ajv2020 {
  const ajv = new Ajv2020({ strict: true, strictRequired: true, allErrors: true });
  addFormats(ajv, ['uuid', 'ipv4', 'ipv6', 'date-time']);
  for (const file of schemaFiles(SCHEMA_DIR)) {
    const schema = JSON.parse(readFileSync(file, 'utf8')) as { $id?: string };
    const expected = `${ID_PREFIX}${relative(SCHEMA_DIR, file).split('\\').join('/')}`;
    if (schema.$id !== expected) throw new Error(`${file}: $id must be ${expected}`);
    ajv.addSchema(schema);
  }
  return ajv;
}

let ajv: Ajv2020 | undefined;
const compiled = new Map<SchemaName, ValidateFunction>();

/** The compiled validator of one schema; every schema is loaded once, by one AJV instance. */
export function validatorFor(name: SchemaName): ValidateFunction {
  let validate = compiled.get(name);
  if (validate === undefined) {
    ajv ??= buildAjv();
    validate = ajv.getSchema(`${ID_PREFIX}${name}.json`);
    if (validate === undefined) throw new Error(`no schema named ${name} in ${SCHEMA_DIR}`);
    compiled.set(name, validate);
  }
  return validate;
}

/** Problems of `data` against a schema, in words; empty when it conforms. */
export function validate(name: SchemaName, data: unknown): string[] {
  const check = validatorFor(name);
  if (check(data)) return [];
  return describeErrors((check.errors ?? []) as ErrorObject[], data);
}

/** Compares microversions numerically (2.9 < 2.10); `latest` stands for the server maximum. */
export function compareMicroversions(a: string, b: string): number {
  const [aMajor = 0, aMinor = 0] = a.split('.').map(Number);
  const [bMajor = 0, bMinor = 0] = b.split('.').map(Number);
  return aMajor - bMajor || aMinor - bMinor;
}

/** The list or show schema that applies at an effective microversion. */
const chosen = new Map<string, SchemaName>();

export function interfaceSchema(kind: 'list' | 'show', effective: string): SchemaName {
  // Called for every response; the answer depends only on these two strings.
  const key = `${kind} ${effective}`;
  let name = chosen.get(key);
  if (name === undefined) {
    name =
      compareMicroversions(effective, '2.70') >= 0
        ? `os-interface/${kind}-v2.70`
        : `os-interface/${kind}-v2.1`;
    chosen.set(key, name);
  }
  return name;
}
