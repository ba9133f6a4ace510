/**
 * The page's only style sheet, inline. On screen: failures open, everything else folded. In print
 * (A4): the same page with smaller type, long bodies cut where print-cut.ts decided, folded
 * sections left folded (a passed scenario prints as one line naming its behaviours), so that a
 * failing run prints on a few pages; the full evidence is in junit.xml and the results bundle.
 */
export const CSS = `
:root { --pass: #1a7f37; --fail: #c0262d; --skip: #6e7781; --defect: #9a6700; --blocked: #8250df;
  --line: #d0d7de; --soft: #f6f8fa; --muted: #59636e; }
* { box-sizing: border-box; }
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
  margin: 0 auto; padding: 24px; max-width: 1400px; color: #1f2328; background: #fff; }
h1 { font-size: 22px; margin: 0 0 10px; }
h2 { font-size: 17px; margin: 26px 0 8px; }
h3 { font-size: 15px; margin: 16px 0 6px; }
code, pre { font: 12px/1.4 ui-monospace, Menlo, Consolas, "DejaVu Sans Mono", monospace; }
.verdict-line { display: flex; flex-wrap: wrap; align-items: center; gap: 8px 16px; }
.verdict { display: inline-block; padding: 6px 14px; border-radius: 6px; color: #fff; font-weight: 700;
  font-size: 18px; letter-spacing: .04em; }
.verdict.PASSED { background: var(--pass); } .verdict.FAILED { background: var(--fail); }
.verdict.INTERRUPTED, .verdict.NOTHING-RAN { background: var(--defect); }
.totals { font-weight: 600; }
.totals .failed { color: var(--fail); } .totals .blocked { color: var(--blocked); }
.totals .passed { color: var(--pass); } .totals .skipped { color: var(--skip); }
.totals .known-upstream-defect { color: var(--defect); } .totals .not-selected { color: var(--muted); }
.cards { display: grid; grid-template-columns: repeat(auto-fit, minmax(300px, 1fr)); gap: 12px; margin-top: 14px; }
.card { border: 1px solid var(--line); border-radius: 6px; padding: 8px 12px; }
.card h2 { margin: 0 0 6px; font-size: 15px; }
.card p { margin: 0; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: 2px 14px; margin: 0; }
dl.facts dt { color: var(--muted); } dl.facts dd { margin: 0; overflow-wrap: anywhere; }
table { border-collapse: collapse; width: 100%; }
th, td { border-bottom: 1px solid var(--line); padding: 4px 8px; text-align: left; vertical-align: top; }
th { background: var(--soft); font-weight: 600; }
table.scenarios { width: auto; min-width: 60%; }
table.scenarios .n { text-align: right; font-variant-numeric: tabular-nums; }
table.scenarios td.failed, table.scenarios th.failed { color: var(--fail); font-weight: 700; }
table.scenarios td.blocked, table.scenarios th.blocked { color: var(--blocked); font-weight: 700; }
table.scenarios td.known-upstream-defect { color: var(--defect); }
table.scenarios tr.failing td:first-child { border-left: 3px solid var(--fail); }
table.failures, table.compact, table.names { table-layout: fixed; }
col.id { width: 8.5em; } col.mv { width: 7em; } col.t { width: 5.5em; } col.ids { width: 9em; }
td.id { font-family: ui-monospace, Menlo, Consolas, monospace; font-weight: 600; overflow-wrap: anywhere; }
table.failures > tbody > tr > td { padding: 10px 8px; border-bottom: 2px solid var(--line); }
table.failures > tbody > tr > td.id { color: var(--fail); }
.name { font-weight: 600; }
.scenario-tag, .badge { display: inline-block; padding: 0 7px; border-radius: 9px; font-size: 12px; font-weight: 600;
  background: var(--soft); border: 1px solid var(--line); color: var(--muted); }
.message { white-space: pre-wrap; overflow-wrap: anywhere; margin: 4px 0; }
.expected { color: var(--fail); font-weight: 600; }
.label { color: var(--muted); margin-top: 6px; }
.reason { color: var(--muted); }
pre { white-space: pre-wrap; overflow-wrap: anywhere; background: var(--soft); border: 1px solid var(--line);
  padding: 6px 8px; margin: 4px 0; }
pre.request { border-left: 3px solid var(--skip); border-bottom: 0; margin-bottom: 0; }
pre.response { border-left: 3px solid var(--fail); background: #fff5f5; border-top: 1px dashed var(--line);
  margin-top: 0; }
pre.exchange.failing { border: 2px solid var(--fail); background: #fff5f5; }
pre.repro { background: #fff; }
.mark { color: var(--fail); font-weight: 700; }
.blocked-list { margin-left: 1.5em; border-left: 3px solid var(--blocked); }
details { margin: 4px 0; } summary { cursor: pointer; }
details.more > summary, details.ids > summary { color: var(--muted); font-size: 12px; }
details.ids code { display: block; font-size: 11px; }
details.scenario { border-bottom: 1px solid var(--line); padding: 2px 0; }
details.run-error > summary { color: var(--fail); font-weight: 600; }
section.list h2 { margin-top: 22px; }
tr.test:target { outline: 2px solid var(--blocked); }
.print-only, .print-note { display: none; }
footer { margin-top: 32px; color: var(--muted); font-size: 12px; overflow-wrap: anywhere; }
@page { size: A4; margin: 12mm 11mm; }
@media print {
  body { font-size: 9pt; line-height: 1.3; padding: 0; max-width: none; }
  h1 { font-size: 14pt; } h2 { font-size: 11pt; margin: 10px 0 4px; } h3 { font-size: 10pt; }
  code, pre { font-size: 7pt; line-height: 1.25; }
  pre { padding: 2px 5px; margin: 2px 0; }
  th, td { padding: 1px 5px; }
  table.failures > tbody > tr > td { padding: 4px 5px; }
  .verdict { font-size: 12pt; padding: 2px 10px; }
  .cards { grid-template-columns: repeat(3, 1fr); gap: 6px; margin-top: 6px; }
  .card { padding: 4px 6px; } .card h2 { font-size: 10pt; margin: 0 0 2px; }
  .print-cut, .gap { display: none; }
  .print-note, .print-only { display: inline; }
  div.print-only, p.print-only { display: block; }
  .brief { font: 7pt/1.25 ui-monospace, Menlo, Consolas, "DejaVu Sans Mono", monospace; }
  table.failures > tbody > tr[data-print=brief] > td { padding: 1px 5px; }
  tr[data-print=brief] pre, tr[data-print=brief] .label, tr[data-print=brief] .blocked-list { display: none; }
  details.ids, details.more { display: none; }
  details.scenario > summary { list-style: none; }
  table.compact col.mv, table.compact col.t, table.compact col.ids { width: 0; }
  table.compact td.mv, table.compact td.t, table.compact td.ids { display: none; }
  .blocked-list { columns: 2; column-gap: 12px; }
  .blocked-list col.id { width: 8.5em; }
  td.id { font-size: 7.5pt; white-space: nowrap; }
  tr { break-inside: avoid; }
  table.failures > tbody > tr { break-inside: auto; }
  pre.request, pre.response, pre.repro { break-inside: avoid; }
  .verdict, .badge, pre.response { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
}
`;
