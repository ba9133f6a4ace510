import type { ProductFacts } from '../report/model.ts';
import { sha256Of } from './digest.ts';

export const MANIFEST_FILE = 'manifest.json';
/** Bumped when verify would read a manifest differently. */
export const MANIFEST_FORMAT = 1;

export interface FileDigest {
  readonly sha256: string;
  readonly bytes: number;
}

/** What the target answered to the version requests the preflight makes (parsed JSON bodies). */
export interface VersionDocuments {
  /** GET on the compute root: the list of API versions. */
  readonly root?: unknown;
  /** GET on the v2.1 endpoint: its version, min_version and links. */
  readonly compute?: unknown;
}

export interface Manifest {
  readonly format: number;
  readonly runId: string;
  readonly verdict: string;
  readonly suite: {
    readonly name: string;
    readonly version: string;
    readonly gitCommit: string | undefined;
    readonly node: string;
    /** directoryDigest of the schemas/ the run validated against. */
    readonly schemasSha256: string;
  };
  readonly product: ProductFacts | null;
  readonly target: {
    readonly kind: string;
    readonly computeEndpoint: string | undefined;
    readonly authUrl: string | undefined;
    readonly region: string | undefined;
    readonly microversions: { readonly min: string; readonly max: string } | undefined;
    readonly versionDocuments: VersionDocuments;
  };
  /** The run's configuration with every secret left out (lib/report/configuration.ts). */
  readonly configuration: Readonly<Record<string, unknown>>;
  /** Every other file of the run directory. */
  readonly files: Readonly<Record<string, FileDigest>>;
  /** sha256 of this file as written without this field: a changed byte anywhere in it shows. */
  readonly digest: string;
}

function serialise(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}

/** manifest.json's text: the fields, then the digest of their own text. */
export function manifestText(fields: Omit<Manifest, 'digest'>): string {
  return serialise({ ...fields, digest: sha256Of(serialise(fields)) });
}

function record(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

/**
 * manifest.json read back, or why it cannot be trusted. Its text must be exactly what
 * manifestText writes for its content (so a changed space or digit shows), and its digest must be
 * that of its fields.
 */
export function readManifest(text: string): Manifest | string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return 'is not JSON';
  }
  const fields = record(parsed);
  if (fields === undefined) return 'is not a JSON object';
  if (fields['format'] !== MANIFEST_FORMAT)
    return `has format ${JSON.stringify(fields['format'])}; this verify reads format ${MANIFEST_FORMAT}`;
  if (serialise(parsed) !== text) return 'was altered (its text is not as nova-conformance writes it)';
  const { digest, ...rest } = fields;
  if (typeof digest !== 'string' || sha256Of(serialise(rest)) !== digest)
    return 'was altered (its digest does not match its content)';
  const files = record(fields['files']);
  const suite = record(fields['suite']);
  if (
    files === undefined ||
    suite === undefined ||
    typeof suite['version'] !== 'string' ||
    typeof suite['schemasSha256'] !== 'string' ||
    typeof fields['runId'] !== 'string' ||
    record(fields['target']) === undefined
  )
    return 'lacks the fields of a bundle manifest (files, suite, runId, target)';
  for (const [name, digestOf] of Object.entries(files)) {
    const d = record(digestOf);
    if (typeof d?.['sha256'] !== 'string' || typeof d['bytes'] !== 'number')
      return `names ${name} without its sha256 and size`;
  }
  return parsed as Manifest;
}
