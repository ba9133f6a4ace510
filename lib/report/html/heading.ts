import type { ProductFacts, RunReport } from '../model.ts';
import { plural } from '../totals-lines.ts';
import { text } from './escape.ts';

/**
 * The top of the page, what a certifier reads first: the verdict with the totals, what was under
 * test (the product as the user described it), where it ran (the target) and with what (the
 * tool), side by side.
 */
function fact(name: string, value: string | undefined): string {
  return value === undefined || value === '' ? '' : `<dt>${text(name)}</dt><dd>${text(value)}</dd>`;
}

function facts(title: string, id: string, rows: readonly string[]): string {
  return `<div class="card" id="${id}"><h2>${text(title)}</h2><dl class="facts">${rows.join('')}</dl></div>`;
}

function productHtml(product: ProductFacts | undefined): string {
  const rows =
    product === undefined
      ? []
      : [
          fact('Product', product.name),
          fact('Vendor', product.vendor),
          fact('Cloud', product.cloudName),
          fact('Description', product.description),
        ].filter((r) => r !== '');
  if (rows.length === 0)
    return `<div class="card" id="product"><h2>Product</h2><p class="reason">No product was described for this run.</p></div>`;
  return facts('Product', 'product', rows);
}

function totalsHtml(report: RunReport): string {
  const { totals } = report;
  return (
    `<div class="totals" id="totals"><span class="tests">${totals.tests} results:</span> ` +
    `<span class="failed">${totals.failed} failed</span>, <span class="blocked">${totals.blocked} blocked</span>, ` +
    `<span class="known-upstream-defect">${plural(totals.knownUpstreamDefects, 'known upstream defect', 'known upstream defects')}</span>, ` +
    `<span class="passed">${totals.passed} passed</span>, <span class="skipped">${totals.skipped} skipped</span>, ` +
    `<span class="not-selected">${totals.notSelected} not selected</span>, ` +
    `<span class="failed">${plural(totals.errors, 'error', 'errors')} outside any test</span></div>`
  );
}

export function headingHtml(report: RunReport): string {
  const { target, tool } = report;
  const versions = target.microversions;
  const cleanup =
    report.cleanup === undefined
      ? 'not reported by the runner'
      : `${report.cleanup.removed.length} removed, ${report.cleanup.failed.length} could not be removed`;
  return (
    `<header><h1>Nova os-interface conformance report</h1>` +
    `<div class="verdict-line"><span class="verdict ${report.verdict.replace(' ', '-')}" id="verdict">${text(report.verdict)}</span>` +
    `${totalsHtml(report)}</div>` +
    `<div class="cards">${productHtml(report.product)}` +
    facts('Target', 'target', [
      fact('Kind', target.kind === 'mock' ? 'embedded mock cloud' : target.kind),
      fact('Compute endpoint', target.computeEndpoint ?? '(unknown)'),
      fact('Nova microversions', versions === undefined ? '(unknown)' : `${versions.min} to ${versions.max}`),
      fact('Region', target.region),
      fact('Auth URL', target.authUrl),
    ]) +
    facts('Run', 'run', [
      fact('Tool', `${tool.name} ${tool.version}`),
      fact('Commit', tool.gitCommit ?? '(unknown)'),
      fact('Node', tool.node),
      fact('Run id', report.runId),
      fact('Started', report.startedAt),
      fact('Ended', `${report.endedAt} (${report.endReason})`),
      fact('Cleanup', cleanup),
    ]) +
    `</div></header>`
  );
}
