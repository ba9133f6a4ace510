import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { bundleSettings } from '../../lib/bundle/settings.ts';

const dir = mkdtempSync(join(tmpdir(), 'nova-conformance-product-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

describe('the product under test', () => {
  test('none given: none in the reports, ten runs kept', () => {
    expect(bundleSettings({}, dir)).toEqual({ product: undefined, keepRuns: 10 });
  });

  test('from the variables', () => {
    const { product } = bundleSettings(
      { CONFORMANCE_PRODUCT: 'P 1', CONFORMANCE_VENDOR: 'V', CONFORMANCE_CLOUD_NAME: 'c-1' },
      dir,
    );
    expect(product).toEqual({ name: 'P 1', vendor: 'V', cloudName: 'c-1', description: undefined });
  });

  test('from a YAML or JSON file, the variables winning over its fields', () => {
    const yaml = file(
      'p.yaml',
      'name: From file\nvendor: File Corp\ndescription: |\n  Two lines\n  of text\n',
    );
    expect(
      bundleSettings({ CONFORMANCE_PRODUCT_FILE: yaml, CONFORMANCE_VENDOR: 'Env Corp' }, dir).product,
    ).toEqual({
      name: 'From file',
      vendor: 'Env Corp',
      cloudName: undefined,
      description: 'Two lines\nof text',
    });
    // A relative path is read from the directory the run starts in, as .env is.
    file('p.json', '{"name": "J", "cloudName": "region-9"}');
    expect(bundleSettings({ CONFORMANCE_PRODUCT_FILE: 'p.json' }, dir).product).toMatchObject({
      name: 'J',
      cloudName: 'region-9',
    });
  });

  test('a file with an unknown field, a list, or none at all: one line naming the variable', () => {
    const unknown = file('u.yaml', 'name: x\nversion: 3\n');
    expect(() => bundleSettings({ CONFORMANCE_PRODUCT_FILE: unknown }, dir)).toThrow(
      /CONFORMANCE_PRODUCT_FILE.*'version' is not a field of a product description/,
    );
    const list = file('l.yaml', '- a\n- b\n');
    expect(() => bundleSettings({ CONFORMANCE_PRODUCT_FILE: list }, dir)).toThrow(/must hold a mapping/);
    expect(() => bundleSettings({ CONFORMANCE_PRODUCT_FILE: join(dir, 'missing.yaml') }, dir)).toThrow(
      /CONFORMANCE_PRODUCT_FILE.*does not exist/,
    );
  });

  test('CONFORMANCE_KEEP_RUNS: a whole number from 1', () => {
    expect(bundleSettings({ CONFORMANCE_KEEP_RUNS: '3' }, dir).keepRuns).toBe(3);
    expect(() => bundleSettings({ CONFORMANCE_KEEP_RUNS: '0' }, dir)).toThrow(/CONFORMANCE_KEEP_RUNS/);
  });
});
