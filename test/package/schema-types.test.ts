import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, expectTypeOf, test } from 'vitest';
import type {
  Attachment,
  FaultBody,
  ShowBodyV2_1,
  ShowBodyV2_70,
  UnauthorizedBody,
  VersionDocument,
  VersionsDocument,
} from '../../lib/harness/bodies.ts';
import { LITERALS_FILE, renderSchemaLiterals, SCHEMA_DIR } from '../../scripts/schema-types.ts';

// The bodies' types are derived from schemas/ (lib/harness/bodies.ts, through the generated
// lib/harness/schema-literals.ts). Drift between a schema and its type fails here; what the types
// say is checked by the compiler (npm run typecheck) through the expectTypeOf lines.

describe('types of the bodies', () => {
  test('lib/harness/schema-literals.ts is what schemas/ gives (else: npm run schema-types)', async () => {
    expect(readFileSync(LITERALS_FILE, 'utf8')).toBe(await renderSchemaLiterals());
  });

  test('a changed schema gives another file', async () => {
    const copy = mkdtempSync(join(tmpdir(), 'nc-schemas-'));
    try {
      cpSync(SCHEMA_DIR, copy, { recursive: true });
      const file = join(copy, 'os-interface', 'attachment-v2.70.json');
      const schema = JSON.parse(readFileSync(file, 'utf8')) as { required: string[] };
      schema.required = schema.required.filter((key) => key !== 'tag');
      writeFileSync(file, JSON.stringify(schema));
      const changed = await renderSchemaLiterals(copy);
      expect(changed).not.toBe(readFileSync(LITERALS_FILE, 'utf8'));
      expect(changed).toContain("required: ['fixed_ips', 'mac_addr', 'net_id', 'port_id', 'port_state'];");
    } finally {
      rmSync(copy, { recursive: true, force: true });
    }
  });

  test('the derived types say what the schemas say', () => {
    // Compile-time assertions: a type that no longer matches its schema fails the typecheck.
    expectTypeOf<ShowBodyV2_70['interfaceAttachment']['tag']>().toEqualTypeOf<string | null>();
    expectTypeOf<ShowBodyV2_1['interfaceAttachment']>().not.toHaveProperty('tag');
    expectTypeOf<Attachment['tag']>().toEqualTypeOf<string | null | undefined>();
    expectTypeOf<Attachment['fixed_ips'][number]>().toEqualTypeOf<{
      ip_address: string;
      subnet_id: string;
    }>();
    expectTypeOf<FaultBody[string]>().toEqualTypeOf<{ code: number; message: string; retryAfter?: string }>();
    expectTypeOf<UnauthorizedBody['error']['code']>().toEqualTypeOf<401>();
    expectTypeOf<VersionDocument['version']['id']>().toEqualTypeOf<'v2.1'>();
    expectTypeOf<VersionsDocument['versions'][number]['status']>().toEqualTypeOf<
      'CURRENT' | 'SUPPORTED' | 'DEPRECATED'
    >();
  });
});
