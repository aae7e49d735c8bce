/**
 * Front-end unit tests (node's test runner): the TypeScript Finding type parses the golden JSON
 * report written by the Python tests, and the sidebar's grouping/filtering/paging logic.
 */

import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { test } from 'node:test';

import { Text } from '@codemirror/state';

import { diagnosticsFor, offset } from '../diagnostics';
import {
  applyFilter,
  applyPlanned,
  cellIndexFor,
  isFixable,
  plannedEdits,
  safeFixesByCell,
  cursorFor,
  groupByCell,
  messageParts,
  page,
  sourceLabel,
  statusText,
  summary
} from '../logic';
import { IFinding, parseReport } from '../model';

const GOLDEN = resolve(__dirname, '../../../tests/report/golden/sample.json');

function golden(): any {
  return JSON.parse(readFileSync(GOLDEN, 'utf-8'));
}

function finding(cell: number | null, line: number, severity: IFinding['severity'], code = 'RV201'): IFinding {
  return {
    code,
    name: 'x',
    message: 'm',
    location: { path: 'nb.ipynb', line, column: 3, end_line: null, end_column: null, cell, cell_id: null },
    source: 'reviewer',
    category: code.startsWith('RV1') ? 'security' : 'correctness',
    severity,
    confidence: 'high',
    cwe: [],
    url: null,
    fix: null,
    evidence: null,
    fingerprint: `${cell}-${line}-${code}`,
    also: [],
    sources: []
  };
}

test('the golden report from the Python tests parses', () => {
  const report = parseReport(golden());
  assert.ok(report.findings.length >= 5);
  const notebook = report.findings.find(f => f.location.cell !== null);
  assert.ok(notebook, 'the golden report has a notebook finding');
  assert.equal(typeof notebook!.location.cell, 'number');
});

test('contract drift is rejected with its place', () => {
  const broken = golden();
  broken.findings[0].severity = 'critical';
  assert.throws(() => parseReport(broken), /findings\[0\]\.severity/);
  const missing = golden();
  delete missing.findings[1].location;
  assert.throws(() => parseReport(missing), /findings\[1\]\.location/);
});

test('findings group by cell in cell order, sorted by line', () => {
  const groups = groupByCell([finding(4, 2, 'note'), finding(1, 9, 'error'), finding(4, 1, 'warning'), finding(1, 2, 'note')]);
  assert.deepEqual(groups.map(g => g.title), ['Cell 2', 'Cell 5']);
  assert.deepEqual(groups[0].findings.map(f => f.location.line), [2, 9]);
  assert.deepEqual(groups[1].findings.map(f => f.location.line), [1, 2]);
  assert.equal(groupByCell([finding(null, 1, 'note')])[0].title, 'nb.ipynb');
});

test('filters by severity and category', () => {
  const all = [finding(0, 1, 'error', 'RV101'), finding(0, 2, 'warning'), finding(1, 1, 'note')];
  assert.equal(applyFilter(all, { severity: 'all', category: 'all' }).length, 3);
  assert.deepEqual(applyFilter(all, { severity: 'warning', category: 'all' }).map(f => f.location.line), [2]);
  assert.deepEqual(applyFilter(all, { severity: 'all', category: 'security' }).map(f => f.code), ['RV101']);
});

test('paging cuts across groups and counts what is hidden', () => {
  const many = Array.from({ length: 500 }, (_, i) => finding(Math.floor(i / 10), (i % 10) + 1, 'note'));
  const { groups, hidden } = page(groupByCell(many), 200);
  assert.equal(groups.reduce((n, g) => n + g.findings.length, 0), 200);
  assert.equal(hidden, 300);
  assert.equal(groups.length, 20);
});

test('cursor is 0-based; summary and source labels read well', () => {
  assert.deepEqual(cursorFor(finding(0, 3, 'error')), { line: 2, column: 2 });
  const report = parseReport(golden());
  assert.match(summary(report), /^\d+ errors?, \d+ warnings?, \d+ notes?$/);
  assert.equal(summary({ ...report, findings: [] }), 'No findings');
  const merged = { ...finding(0, 1, 'error'), sources: ['reviewer', 'bandit'], also: ['B506'] } as IFinding;
  assert.equal(sourceLabel(merged), 'reviewer, bandit · also B506');
});


test('messages render their backticked names as code', () => {
  assert.deepEqual(messageParts('`conn` is opened and never closed: use a `with` statement'), [
    { text: 'conn', code: true },
    { text: ' is opened and never closed: use a ', code: false },
    { text: 'with', code: true },
    { text: ' statement', code: false }
  ]);
  assert.deepEqual(messageParts('an odd ` backtick'), [{ text: 'an odd ` backtick', code: false }]);
});

test('a finding finds its cell by id, by index only without ids, and knows a deleted cell', () => {
  const byId = finding(1, 2, 'error');
  byId.location.cell_id = 'b';
  assert.equal(cellIndexFor(byId, ['new', 'a', 'b']), 2); // a cell inserted above: still "b"
  assert.equal(cellIndexFor(byId, ['a', 'c']), -1); // deleted
  assert.equal(cellIndexFor(finding(1, 2, 'error'), [null, null]), 1);
  assert.equal(cellIndexFor(finding(5, 2, 'error'), [null, null]), -1);
});

test('a report with errors and no findings does not say "No findings"', () => {
  const report = parseReport(golden());
  const failed = { ...report, findings: [], errors: [{ tool: 'reviewer', message: 'syntax error', path: 'nb.ipynb', line: 2, cell: 1 }] };
  assert.match(statusText(failed as any, 0), /^Not fully reviewed: 1 error/);
  assert.doesNotMatch(statusText(failed as any, 0), /No findings/);
  assert.match(statusText({ ...report, errors: [] }, 2), /\(2 filtered out\)$/);
});

test('diagnostics sit on the finding\'s span, or its line to the end', () => {
  const doc = Text.of(['import os', 'os.system(cmd)', '']);
  assert.equal(offset(doc, 2, 1), 10);
  assert.equal(offset(doc, 99, 99), doc.length); // clamped
  const spanned = finding(null, 2, 'error', 'RV111');
  spanned.location.end_line = 2;
  spanned.location.end_column = 15;
  const [first, second] = diagnosticsFor(doc, [spanned, finding(null, 1, 'note')], { explain: () => undefined });
  assert.deepEqual([first.from, first.to, first.severity], [12, 24, 'error']); // column 3 of line 2
  assert.deepEqual([second.from, second.to, second.severity], [2, 9, 'info']);
  assert.match(first.source ?? '', /RV111/);
});

function withFix(cell: number | null, line: number, edits: [number, number, number, number, string][],
                 applicability: 'safe' | 'unsafe' | 'display' = 'safe'): IFinding {
  const f = finding(cell, line, 'warning', 'RV305');
  f.fix = {
    description: 'Use it',
    applicability,
    edits: edits.map(([l, c, el, ec, content]) => ({ line: l, column: c, end_line: el, end_column: ec, content }))
  };
  return f;
}

test('fixes apply to the cell text, refuse magic lines and overlaps', () => {
  const text = 'import collections\nx = collections.Mapping\n';
  const use = withFix(0, 2, [[2, 17, 2, 24, 'abc.Mapping'], [2, 1, 2, 1, 'import collections.abc\n']]);
  const planned = plannedEdits(text, [use]);
  assert.ok(planned);
  assert.equal(applyPlanned(text, planned), 'import collections\nimport collections.abc\nx = collections.abc.Mapping\n');
  assert.equal(plannedEdits('%time x = 1\n', [withFix(0, 1, [[1, 7, 1, 8, 'y']])]), null);
  assert.ok(plannedEdits('%time\nx = 1\n', [withFix(0, 2, [[2, 1, 2, 1, 'import os\n']])]));
  assert.equal(plannedEdits('ab\n', [withFix(0, 1, [[1, 1, 1, 2, 'x'], [1, 1, 1, 3, 'y']])]), null);
  assert.equal(plannedEdits('ab\n', [withFix(0, 1, [[3, 1, 3, 2, 'x']])]), null);
  assert.ok(isFixable(use) && !isFixable(withFix(0, 1, [], 'safe')) && !isFixable(withFix(0, 1, [[1, 1, 1, 1, 'x']], 'display')));
});

test('fix all takes the safe fixes that do not overlap, per cell', () => {
  const a = withFix(1, 1, [[1, 1, 1, 4, 'x']]);
  const b = withFix(1, 1, [[1, 2, 1, 3, 'y']]);
  const c = withFix(2, 3, [[3, 1, 3, 1, 'z']]);
  const unsafe = withFix(2, 1, [[1, 1, 1, 2, 'u']], 'unsafe');
  const chosen = safeFixesByCell([b, a, c, unsafe]);
  assert.deepEqual([...chosen.keys()], [1, 2]);
  assert.deepEqual(chosen.get(1), [a]);
  assert.deepEqual(chosen.get(2), [c]);
});
