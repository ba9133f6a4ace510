import { exchangesOf, FAILED_MARK } from './exchange-log.ts';
import type { RunReport, Status, TestOutcome } from './model.ts';
import { PREREQUISITES, prerequisiteKey } from './prerequisites.ts';
import { plural } from './totals-lines.ts';

/**
 * summary.html: one page a certification engineer can open offline, mail, or print. Everything is
 * inline (no fonts, images or scripts from elsewhere) and a Content-Security-Policy forbids any
 * request, so the page cannot leak the report or break when the network is gone.
 */
export function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

const LABEL: Readonly<Record<Status, string>> = {
  passed: 'passed',
  failed: 'failed',
  skipped: 'skipped',
  blocked: 'blocked',
  'known-upstream-defect': 'known upstream defect',
  'not-selected': 'not selected',
};

const CSS = `
:root { --pass: #1a7f37; --fail: #c0262d; --skip: #6e7781; --defect: #9a6700; --blocked: #8250df;
  --line: #d0d7de; }
* { box-sizing: border-box; }
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
  margin: 0; padding: 24px; color: #1f2328; background: #fff; }
h1 { font-size: 22px; margin: 0 0 8px; }
h2 { font-size: 17px; margin: 28px 0 8px; }
.verdict { display: inline-block; padding: 6px 14px; border-radius: 6px; color: #fff; font-weight: 700;
  font-size: 18px; letter-spacing: .04em; }
.verdict.PASSED { background: var(--pass); } .verdict.FAILED { background: var(--fail); }
.verdict.INTERRUPTED, .verdict.NOTHING-RAN { background: var(--defect); }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: 2px 16px; margin: 12px 0; }
dl.facts dt { color: #59636e; } dl.facts dd { margin: 0; word-break: break-all; }
.totals span { display: inline-block; margin-right: 14px; font-weight: 600; }
.badge { display: inline-block; padding: 1px 8px; border-radius: 10px; color: #fff; font-size: 12px;
  font-weight: 600; white-space: nowrap; }
.badge.passed, .totals .passed { background: var(--pass); } .badge.failed { background: var(--fail); }
.badge.skipped { background: var(--skip); } .badge.known-upstream-defect { background: var(--defect); }
.badge.blocked { background: var(--blocked); } .totals .blocked { color: var(--blocked); }
.totals span.passed { color: var(--pass); background: none; } .totals .failed { color: var(--fail); }
.totals .skipped { color: var(--skip); } .totals .known-upstream-defect { color: var(--defect); }
.filters { position: sticky; top: 0; background: #f6f8fa; border: 1px solid var(--line); border-radius: 6px;
  padding: 8px 12px; margin: 16px 0; display: flex; flex-wrap: wrap; gap: 14px; align-items: center; }
.filters input[type=search] { flex: 1; min-width: 200px; padding: 4px 8px; }
table { border-collapse: collapse; width: 100%; table-layout: fixed; }
th, td { border-bottom: 1px solid var(--line); padding: 5px 8px; text-align: left; vertical-align: top; }
th { background: #f6f8fa; font-weight: 600; }
col.id { width: 9em; } col.st { width: 13em; } col.mv { width: 8.5em; } col.t { width: 6em; }
td.id { font-family: ui-monospace, Menlo, Consolas, monospace; font-weight: 600; }
.reason { color: #59636e; }
details { margin-top: 4px; } summary { cursor: pointer; color: var(--fail); }
pre { white-space: pre-wrap; word-break: break-word; background: #f6f8fa; border: 1px solid var(--line);
  padding: 8px; margin: 6px 0; font: 12px/1.4 ui-monospace, Menlo, Consolas, monospace; }
pre.exchange.failing { border: 2px solid var(--fail); background: #fff5f5; }
.mark { color: var(--fail); font-weight: 700; }
tr.test:target { outline: 2px solid var(--blocked); }
tr.hidden, section.hidden { display: none; }
footer { margin-top: 32px; color: #59636e; font-size: 12px; word-break: break-all; }
@media print {
  body { padding: 0; font-size: 11px; }
  .filters { display: none; }
  tr.hidden, section.hidden { display: table-row; }
  section.hidden { display: block; }
  details > summary { list-style: none; }
  details::details-content { content-visibility: visible; display: block; }
  tr { break-inside: avoid; }
  .badge, .verdict { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
}
`;

// Filters hide rows; printing opens every <details> (and the print CSS shows filtered rows too).
const SCRIPT = `
(function () {
  var boxes = document.querySelectorAll('.filters input[type=checkbox]');
  var search = document.getElementById('search');
  function apply() {
    var shown = {};
    boxes.forEach(function (b) { shown[b.value] = b.checked; });
    var q = search.value.trim().toLowerCase();
    document.querySelectorAll('section.scenario').forEach(function (section) {
      var visible = 0;
      section.querySelectorAll('tr.test').forEach(function (row) {
        var ok = shown[row.dataset.status] && (q === '' || row.textContent.toLowerCase().indexOf(q) >= 0);
        row.classList.toggle('hidden', !ok);
        if (ok) visible++;
      });
      section.classList.toggle('hidden', visible === 0);
    });
  }
  boxes.forEach(function (b) { b.addEventListener('change', apply); });
  search.addEventListener('input', apply);
  var opened = [];
  window.addEventListener('beforeprint', function () {
    document.querySelectorAll('details:not([open])').forEach(function (d) { d.open = true; opened.push(d); });
  });
  window.addEventListener('afterprint', function () {
    opened.forEach(function (d) { d.open = false; });
    opened = [];
  });
})();
`;

/** The test's exchanges, each in its own block, the one the check failed on marked. */
function exchangeLog(test: TestOutcome): string {
  if (test.exchangeLog === undefined) return '';
  const e = escapeHtml;
  const parts = exchangesOf(test.exchangeLog);
  return parts
    .map((part, i) => {
      const failing = i === test.failedExchangeIndex;
      const label = `exchange ${i + 1} of ${parts.length}${failing ? ` ${FAILED_MARK}` : ''}`;
      return (
        `<div class="${failing ? 'mark' : 'reason'}">${e(label)}</div>` +
        `<pre class="exchange${failing ? ' failing' : ''}">${e(part)}</pre>`
      );
    })
    .join('');
}

/** Stable anchors: the HTML links a blocked check to the prerequisite result that blocked it. */
type Anchors = ReadonlyMap<string, string>;

function row(test: TestOutcome, anchors: Anchors): string {
  const e = escapeHtml;
  let detail = '';
  if (test.failure !== undefined) {
    const evidence = test.failure.evidence;
    detail =
      `<details><summary>${e(test.failure.message)}</summary>` +
      (test.blockedChecks !== undefined
        ? `<div class="reason">blocked ${test.blockedChecks} ${test.blockedChecks === 1 ? 'check' : 'checks'}</div>`
        : '') +
      (evidence !== undefined
        ? `<div class="mark">expected ${e(evidence.expected)}; the exchange that failed:</div>` +
          `<pre class="exchange failing">${e(`${evidence.exchange.method} ${evidence.exchange.url} -> ${evidence.exchange.status}\n${evidence.exchange.body}`)}</pre>`
        : '') +
      `<pre>${e(test.failure.detail)}</pre>` +
      exchangeLog(test) +
      (test.output !== '' ? `<pre>${e(test.output)}</pre>` : '') +
      `</details>`;
  } else if (test.blockedBy !== undefined) {
    const target = anchors.get(prerequisiteKey(test.blockedBy));
    const name = e(test.blockedBy);
    detail = `<div class="reason">blocked by ${target === undefined ? name : `<a href="#${target}">${name}</a>`}</div>`;
  } else if (test.reason !== undefined) {
    detail = `<div class="reason">${e(test.reason)}</div>`;
  } else if (test.kind === 'cleanup') {
    detail = `<div class="reason">${e(test.output)}</div>`;
  }
  const notes = test.notes.map((n) => `<div class="reason">${e(n)}</div>`).join('');
  const ids =
    test.requestIds.length > 0
      ? `<div class="reason">request ids: ${e(test.requestIds.join(' '))}</div>`
      : '';
  return (
    `<tr class="test" id="${anchors.get(test.key) ?? ''}" data-status="${test.status}">` +
    `<td class="id">${e(test.behaviourId ?? '—')}</td>` +
    `<td>${e(test.name)}${detail}${notes}${ids}</td>` +
    `<td><span class="badge ${test.status}">${LABEL[test.status]}</span></td>` +
    `<td>${e(test.microversions.join(', ') || '—')}</td>` +
    `<td>${(test.durationMs / 1000).toFixed(2)} s</td></tr>`
  );
}

function fact(name: string, value: string | undefined): string {
  return `<dt>${escapeHtml(name)}</dt><dd>${escapeHtml(value ?? '(unknown)')}</dd>`;
}

export function summaryHtml(report: RunReport, junitSha256: string): string {
  const e = escapeHtml;
  const { totals, target } = report;
  const anchors = new Map(report.tests.map((t, i) => [t.key, `result-${i + 1}`]));
  // Root causes first: a reader meets the failed prerequisites before the checks they blocked.
  const scenarios = new Map<string, TestOutcome[]>();
  if (report.tests.some((t) => t.scenario === PREREQUISITES)) scenarios.set(PREREQUISITES, []);
  for (const test of report.tests) {
    const list = scenarios.get(test.scenario);
    if (list === undefined) scenarios.set(test.scenario, [test]);
    else list.push(test);
  }
  const sections = [...scenarios.entries()]
    .map(
      ([scenario, tests]) =>
        `<section class="scenario"><h2>${e(scenario)} <small class="reason">${tests[0]?.kind === 'test' ? `(${e(tests[0].file)})` : ''}</small></h2>` +
        `<table><colgroup><col class="id"><col><col class="st"><col class="mv"><col class="t"></colgroup>` +
        `<thead><tr><th>Behaviour</th><th>Test</th><th>Status</th><th>Microversion</th><th>Time</th></tr></thead>` +
        `<tbody>${tests.map((t) => row(t, anchors)).join('')}</tbody></table></section>`,
    )
    .join('\n');
  const errors =
    report.errors.length === 0
      ? ''
      : `<section><h2>Errors outside any test</h2>${report.errors
          .map(
            (error) =>
              `<details open class="run-error"><summary>${e(error.name)}: ${e(error.message)}</summary><pre>${e(error.detail)}</pre></details>`,
          )
          .join('')}</section>`;
  const versions = target.microversions;
  const statuses: Status[] = [
    'failed',
    'blocked',
    'known-upstream-defect',
    'passed',
    'skipped',
    'not-selected',
  ];
  const cleanup =
    report.cleanup === undefined
      ? 'not reported by the runner'
      : `${report.cleanup.removed.length} removed, ${report.cleanup.failed.length} could not be removed`;
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>nova-conformance ${e(report.verdict)} — ${e(target.computeEndpoint ?? 'unknown target')}</title>
<style>${CSS}</style>
</head>
<body>
<h1>Nova os-interface conformance report</h1>
<div class="verdict ${e(report.verdict.replace(' ', '-'))}" id="verdict">${e(report.verdict)}</div>
<dl class="facts">
${fact('Target', target.kind === 'mock' ? 'embedded mock cloud' : target.kind)}
${fact('Compute endpoint', target.computeEndpoint)}
${fact('Region', target.region)}
${fact('Nova microversions', versions === undefined ? undefined : `${versions.min} to ${versions.max}`)}
${fact('Run', report.runId)}
${fact('Started', report.startedAt)}
${fact('Ended', `${report.endedAt} (${report.endReason})`)}
${fact('Cleanup', cleanup)}
${fact('Tool', `${report.tool.name} ${report.tool.version}, commit ${report.tool.gitCommit ?? 'unknown'}, Node ${report.tool.node}`)}
</dl>
<div class="totals" id="totals">
<span class="tests">${totals.tests} results:</span><span class="failed">${totals.failed} failed</span><span class="blocked">${totals.blocked} blocked</span><span class="known-upstream-defect">${plural(totals.knownUpstreamDefects, 'known upstream defect', 'known upstream defects')}</span><span class="passed">${totals.passed} passed</span><span class="skipped">${totals.skipped} skipped</span><span class="skipped">${totals.notSelected} not selected</span><span class="failed">${plural(totals.errors, 'error', 'errors')} outside any test</span>
</div>
<div class="filters" role="search">
${statuses.map((s) => `<label><input type="checkbox" value="${s}" checked> ${LABEL[s]}</label>`).join('\n')}
<input type="search" id="search" placeholder="Filter by behaviour ID or text" aria-label="Filter">
</div>
${errors}
${sections}
<details><summary>Configuration (secrets left out)</summary><pre>${e(JSON.stringify(report.configuration, null, 2))}</pre></details>
<footer>junit.xml SHA-256: ${e(junitSha256)}</footer>
<script>${SCRIPT}</script>
</body>
</html>
`;
}
