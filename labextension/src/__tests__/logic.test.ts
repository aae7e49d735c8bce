/**
 * Front-end unit tests (node's test runner): the TypeScript Finding type parses the golden JSON
 * report written by the Python tests, and the sidebar's grouping/filtering/paging logic.
 */

import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { test } from 'node:test';

import {
  applyFilter,
  cursorFor,
  groupByCell,
  page,
  sourceLabel,
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
