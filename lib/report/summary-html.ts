import type { RunReport } from './model.ts';
import { anchorsOf } from './html/anchors.ts';
import { text } from './html/escape.ts';
import { failuresHtml } from './html/failures.ts';
import { headingHtml } from './html/heading.ts';
import { listsHtml } from './html/lists.ts';
import { scenarioTableHtml } from './html/scenario-table.ts';
import { CSS } from './html/styles.ts';

/**
 * summary.html: the page a certification is handed over with, to open offline, mail or print.
 * In reading order: the verdict and what was under test, a table of counts per scenario, the
 * failures (each with its exchange and a reproduction, the checks a failed prerequisite blocked
 * under it), then the known defects, the skips and, folded per scenario, the passes.
 *
 * Everything is inline and a Content-Security-Policy forbids any request or script: the page
 * cannot leak the report, break when the network is gone, or need a script to be read.
 */
export function summaryHtml(report: RunReport, junitSha256: string): string {
  const anchors = anchorsOf(report.tests);
  const subject = report.product?.name ?? report.target.computeEndpoint ?? 'unknown target';
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>nova-conformance ${text(report.verdict)} — ${text(subject)}</title>
<style>${CSS}</style>
</head>
<body>
${headingHtml(report)}
${scenarioTableHtml(report)}
${failuresHtml(report, anchors)}
${listsHtml(report, anchors)}
<details class="configuration"><summary>Configuration (secrets left out)</summary><pre>${text(JSON.stringify(report.configuration, null, 2))}</pre></details>
<footer>junit.xml SHA-256: ${text(junitSha256)}</footer>
</body>
</html>
`;
}
