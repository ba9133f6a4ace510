import { join } from 'node:path';
import type { RunReport } from '../report/model.ts';
import { directoryDigest, sha256Of } from './digest.ts';
import { HAR_FILE, harOf, harText, type CheckExchanges } from './har.ts';
import {
  MANIFEST_FILE,
  MANIFEST_FORMAT,
  manifestText,
  type FileDigest,
  type VersionDocuments,
} from './manifest.ts';

export interface BundleInput {
  readonly report: RunReport;
  /** The reports as they will be written (junit.xml, summary.json, summary.html), scrubbed. */
  readonly reports: readonly (readonly [string, string])[];
  readonly checks: readonly CheckExchanges[];
  readonly versionDocuments: VersionDocuments;
  /** The tool's root, whose schemas/ the run validated against. */
  readonly toolRoot: string;
  /** The last pass over a file's text (lib/report/scrub.ts, makeFileScrub), without markup. */
  readonly scrub: (text: string) => string;
}

/**
 * Every file of a run directory: the reports, the exchanges as HAR and the manifest that holds
 * the digest of every other file, the suite, the target's version documents, the configuration
 * and the product (docs/reports.md, "The results bundle").
 */
export function bundleFiles(input: BundleInput): [string, string][] {
  const { report } = input;
  const har = input.scrub(
    harText(harOf(input.checks, { name: report.tool.name, version: report.tool.version })),
  );
  const files: [string, string][] = [
    ...input.reports.map(([n, t]): [string, string] => [n, t]),
    [HAR_FILE, har],
  ];
  const digests: Record<string, FileDigest> = {};
  for (const [name, text] of files)
    digests[name] = { sha256: sha256Of(text), bytes: Buffer.byteLength(text) };
  // Round-tripped through the scrubber as text: a secret in a version document or a product
  // description is replaced before the manifest's digest is taken.
  const fields = JSON.parse(
    input.scrub(
      JSON.stringify({
        format: MANIFEST_FORMAT,
        runId: report.runId ?? '',
        verdict: report.verdict,
        suite: {
          name: report.tool.name,
          version: report.tool.version,
          gitCommit: report.tool.gitCommit,
          node: report.tool.node,
          schemasSha256: directoryDigest(join(input.toolRoot, 'schemas')),
        },
        product: report.product ?? null,
        target: {
          kind: report.target.kind,
          computeEndpoint: report.target.computeEndpoint,
          authUrl: report.target.authUrl,
          region: report.target.region,
          microversions: report.target.microversions,
          versionDocuments: input.versionDocuments,
        },
        configuration: report.configuration,
        files: digests,
      }),
    ),
  ) as Parameters<typeof manifestText>[0];
  return [...files, [MANIFEST_FILE, manifestText(fields)]];
}
