/**
 * The sidebar's pure logic: filtering, grouping findings by cell, counting, paging.
 * No JupyterLab imports here, so it is unit-tested with node's test runner.
 */

import { Category, IFinding, IReport, Severity, SEVERITIES } from './model';

export interface IFilter {
  severity: Severity | 'all';
  category: Category | 'all';
}

export interface IGroup {
  /** Stable key: `cell:3` for notebook cells, `file` for plain files. */
  key: string;
  /** 0-based cell index, or null for a plain file. */
  cell: number | null;
  title: string;
  findings: IFinding[];
}

const RANK: Record<Severity, number> = { error: 3, warning: 2, note: 1 };

export function applyFilter(findings: IFinding[], filter: IFilter): IFinding[] {
  return findings.filter(
    f =>
      (filter.severity === 'all' || f.severity === filter.severity) &&
      (filter.category === 'all' || f.category === filter.category)
  );
}

/** Findings grouped by notebook cell in cell order, each group sorted by line then severity. */
export function groupByCell(findings: IFinding[]): IGroup[] {
  const groups = new Map<string, IGroup>();
  for (const finding of findings) {
    const cell = finding.location.cell;
    const key = cell === null ? 'file' : `cell:${cell}`;
    let group = groups.get(key);
    if (!group) {
      group = {
        key,
        cell,
        title: cell === null ? finding.location.path : `Cell ${cell + 1}`,
        findings: []
      };
      groups.set(key, group);
    }
    group.findings.push(finding);
  }
  const ordered = [...groups.values()].sort(
    (a, b) => (a.cell ?? -1) - (b.cell ?? -1)
  );
  for (const group of ordered) {
    group.findings.sort(
      (a, b) =>
        a.location.line - b.location.line ||
        a.location.column - b.location.column ||
        RANK[b.severity] - RANK[a.severity]
    );
  }
  return ordered;
}

export function countBySeverity(findings: IFinding[]): Record<Severity, number> {
  const counts: Record<Severity, number> = { error: 0, warning: 0, note: 0 };
  for (const finding of findings) {
    counts[finding.severity] += 1;
  }
  return counts;
}

/** "2 errors, 1 warning" (zero counts left out); "No findings" when empty. */
export function summary(report: IReport): string {
  const counts = countBySeverity(report.findings);
  const parts = SEVERITIES.filter(s => counts[s] > 0).map(
    s => `${counts[s]} ${s}${counts[s] === 1 ? '' : 's'}`
  );
  return parts.length ? parts.join(', ') : 'No findings';
}

/**
 * The first `limit` findings, cut across groups, so a huge notebook renders a page at a time
 * instead of freezing the browser.
 */
export function page(groups: IGroup[], limit: number): { groups: IGroup[]; hidden: number } {
  const out: IGroup[] = [];
  let left = limit;
  let hidden = 0;
  for (const group of groups) {
    if (left <= 0) {
      hidden += group.findings.length;
      continue;
    }
    const shown = group.findings.slice(0, left);
    hidden += group.findings.length - shown.length;
    left -= shown.length;
    out.push({ ...group, findings: shown });
  }
  return { groups: out, hidden };
}

/** Where clicking a finding should put the cursor: 0-based line and column, as CodeMirror wants. */
export function cursorFor(finding: IFinding): { line: number; column: number } {
  return {
    line: Math.max(0, finding.location.line - 1),
    column: Math.max(0, finding.location.column - 1)
  };
}

/** The sources of a finding for display: merged ones list every analyzer. */
export function sourceLabel(finding: IFinding): string {
  const sources = finding.sources.length ? finding.sources : [finding.source];
  const also = finding.also.length ? ` · also ${finding.also.join(', ')}` : '';
  return `${sources.join(', ')}${also}`;
}

/** A message cut at its backticks: `code` spans alternate with plain text. */
export function messageParts(message: string): { text: string; code: boolean }[] {
  const parts = message.split('`');
  if (parts.length % 2 === 0) {
    return [{ text: message, code: false }]; // an unpaired backtick: show it as written
  }
  return parts.map((text, index) => ({ text, code: index % 2 === 1 })).filter(p => p.text !== '');
}

/**
 * The index of the cell a finding belongs to in the notebook as it is now: found by cell id
 * (cells inserted or moved since the review do not matter), by index only for notebooks without
 * ids. -1 when its cell was deleted (or the notebook shrank).
 */
export function cellIndexFor(finding: IFinding, cellIds: (string | null)[]): number {
  const { cell, cell_id } = finding.location;
  if (cell_id) {
    return cellIds.indexOf(cell_id);
  }
  const index = cell ?? 0;
  return index < cellIds.length ? index : -1;
}

/** The status line for a report: its counts, what the filters hide, and whether some code
 * could not be reviewed (then "No findings" would be a false all-clear). */
export function statusText(report: IReport, filtered: number): string {
  const errors = report.errors.length;
  if (errors && !report.findings.length) {
    return `Not fully reviewed: ${errors} error${errors === 1 ? '' : 's'} (below)`;
  }
  const hidden = filtered ? ` (${filtered} filtered out)` : '';
  const failed = errors ? `; ${errors} part${errors === 1 ? '' : 's'} not reviewed (below)` : '';
  return `${summary(report)}${hidden}${failed}`;
}
