import { resolve } from 'node:path';
import { readDotenv } from '../config/load.ts';
import { integer } from '../config/settings.ts';
import type { ProductFacts } from '../report/model.ts';
import { productFrom } from './product.ts';

const DEFAULT_KEEP_RUNS = 10;

export interface BundleSettings {
  readonly product: ProductFacts | undefined;
  /** CONFORMANCE_KEEP_RUNS: how many run directories the report directory keeps. */
  readonly keepRuns: number;
}

/**
 * The bundle's settings, from the environment over `.env` as the configuration reads them (an
 * empty value counts as unset; the configuration refuses empty CONFORMANCE_* values before this).
 */
export function bundleSettings(
  env: Readonly<Record<string, string | undefined>>,
  cwd: string = process.cwd(),
): BundleSettings {
  const merged: Record<string, string> = {};
  for (const [name, value] of Object.entries({ ...readDotenv(cwd), ...env }))
    if (value !== undefined && value.trim() !== '') merged[name] = value;
  const file = merged['CONFORMANCE_PRODUCT_FILE'];
  if (file !== undefined) merged['CONFORMANCE_PRODUCT_FILE'] = resolve(cwd, file);
  return {
    product: productFrom(merged),
    keepRuns: integer(merged, 'CONFORMANCE_KEEP_RUNS', DEFAULT_KEEP_RUNS, 1, 1000),
  };
}

/** CONFORMANCE_REPORT_DIR as the configuration reads it (environment over .env), default ./reports. */
export function reportDirFrom(
  env: Readonly<Record<string, string | undefined>>,
  cwd: string = process.cwd(),
): string {
  const value = env['CONFORMANCE_REPORT_DIR'] ?? readDotenv(cwd)['CONFORMANCE_REPORT_DIR'];
  return resolve(cwd, value === undefined || value.trim() === '' ? 'reports' : value);
}
