/**
 * Inline findings in the editors: CodeMirror 6 lint diagnostics (underline, gutter marker, hover
 * tooltip with the code, the message and an explain action) for notebook cells and Python files.
 */

import { Diagnostic, lintGutter, setDiagnostics } from '@codemirror/lint';
import { StateEffect, Text } from '@codemirror/state';
import { EditorView } from '@codemirror/view';

import { IFinding, Severity } from './model';

const LEVEL: Record<Severity, Diagnostic['severity']> = { error: 'error', warning: 'warning', note: 'info' };

/** A 0-based document offset for a 1-based line and column, clamped to the document. */
export function offset(doc: Text, line: number, column: number): number {
  const clamped = doc.line(Math.min(Math.max(line, 1), doc.lines));
  return clamped.from + Math.min(Math.max(column - 1, 0), clamped.length);
}

/** The diagnostics of `findings` (already those of this editor) in a document. */
export function diagnosticsFor(
  doc: Text,
  findings: IFinding[],
  explain: (finding: IFinding) => void
): Diagnostic[] {
  return findings.map(finding => {
    const { line, column, end_line, end_column } = finding.location;
    const from = offset(doc, line, column);
    let to = end_line !== null && end_column !== null ? offset(doc, end_line, end_column) : from;
    if (to <= from) {
      to = doc.line(Math.min(Math.max(line, 1), doc.lines)).to; // to the end of the line
    }
    return {
      from,
      to: Math.max(to, from),
      severity: LEVEL[finding.severity],
      source: `reviewer · ${finding.code}`,
      message: finding.message,
      actions: [{ name: `Explain ${finding.code}`, apply: () => explain(finding) }]
    };
  });
}

const gutters = new WeakSet<EditorView>();

/** Show `findings` in an editor view (an empty list removes them). */
export function showFindings(view: EditorView, findings: IFinding[], explain: (finding: IFinding) => void): void {
  const spec = setDiagnostics(view.state, diagnosticsFor(view.state.doc, findings, explain));
  if (findings.length && !gutters.has(view)) {
    gutters.add(view);
    const effects = spec.effects ? ([] as StateEffect<unknown>[]).concat(spec.effects as StateEffect<unknown>) : [];
    view.dispatch({ ...spec, effects: [...effects, StateEffect.appendConfig.of(lintGutter())] });
    return;
  }
  view.dispatch(spec);
}
