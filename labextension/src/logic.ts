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

/** Whether the finding carries a fix that edits code (not advice only). */
export function isFixable(f: IFinding): boolean {
  return !!f.fix && f.fix.applicability !== 'display' && f.fix.edits.length > 0;
}

/** A 0-based offset into `text` for a 1-based line and column; -1 when it is not in the text. */
export function textOffset(text: string, line: number, column: number): number {
  let start = 0;
  for (let n = 1; n < line; n++) {
    const next = text.indexOf('\n', start);
    if (next < 0) {
      return -1;
    }
    start = next + 1;
  }
  const end = text.indexOf('\n', start);
  const length = (end < 0 ? text.length : end) - start;
  return column - 1 <= length ? start + column - 1 : -1;
}

/** A magic or shell line (`%time`, `!pip install`): the reviewed code masked it, so a fix that
 * touches it was computed on other text. */
const MAGIC = /^\s*[%!]/;

/** The edits of `fixes` as (from, to, insert) in `text`, last first, or null when one does not
 * apply: an edit outside the text, two edits that overlap, or an edit of a magic line. */
export function plannedEdits(
  text: string,
  fixes: IFinding[]
): { from: number; to: number; insert: string }[] | null {
  const lines = text.split('\n');
  const out: { from: number; to: number; insert: string }[] = [];
  for (const finding of fixes) {
    for (const edit of finding.fix?.edits ?? []) {
      const from = textOffset(text, edit.line, edit.column);
      const to = textOffset(text, edit.end_line, edit.end_column);
      if (from < 0 || to < from) {
        return null;
      }
      const insertion = from === to && edit.column === 1;
      for (let n = edit.line; n <= edit.end_line && !insertion; n++) {
        if (MAGIC.test(lines[n - 1] ?? '')) {
          return null;
        }
      }
      out.push({ from, to, insert: edit.content });
    }
  }
  out.sort((a, b) => b.from - a.from || b.to - a.to);
  for (let i = 1; i < out.length; i++) {
    if (out[i].to > out[i - 1].from || out[i].from === out[i - 1].from) {
      return null;
    }
  }
  return out;
}

/** `text` with the edits applied (they come last first from plannedEdits). */
export function applyPlanned(text: string, edits: { from: number; to: number; insert: string }[]): string {
  let out = text;
  for (const edit of edits) {
    out = out.slice(0, edit.from) + edit.insert + out.slice(edit.to);
  }
  return out;
}

/** The safe fixes one pass applies together, per cell (or file): in order of position, each fix
 * that overlaps no fix already chosen. The rest are proposed again by the next review. */
export function safeFixesByCell(findings: IFinding[]): Map<number | null, IFinding[]> {
  const byCell = new Map<number | null, IFinding[]>();
  const start = (f: IFinding): number =>
    Math.min(...(f.fix?.edits ?? []).map(e => e.line * 1e6 + e.column));
  const candidates = findings.filter(f => isFixable(f) && f.fix?.applicability === 'safe').sort((a, b) => start(a) - start(b));
  for (const finding of candidates) {
    const cell = finding.location.cell;
    const chosen = byCell.get(cell) ?? [];
    const spans = (f: IFinding): [number, number, number, number][] =>
      (f.fix?.edits ?? []).map(e => [e.line, e.column, e.end_line, e.end_column]);
    const before = (a: number, b: number, c: number, d: number): boolean => a < c || (a === c && b < d);
    const overlaps = chosen.some(other =>
      spans(other).some(([l1, c1, e1, ec1]) =>
        spans(finding).some(([l2, c2, e2, ec2]) =>
          (l1 === l2 && c1 === c2) || (before(l1, c1, e2, ec2) && before(l2, c2, e1, ec1)))));
    if (!overlaps) {
      byCell.set(cell, [...chosen, finding]);
    }
  }
  return byCell;
}
