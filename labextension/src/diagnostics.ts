/**
 * Inline findings in the editors: CodeMirror 6 lint diagnostics (underline, gutter marker, hover
 * tooltip with the code, the message, a fix action when the finding has one and an explain action)
 * for notebook cells and Python files.
 */

import { Diagnostic, lintGutter, setDiagnostics } from '@codemirror/lint';
import { StateEffect, Text } from '@codemirror/state';
import { EditorView } from '@codemirror/view';

import { isFixable } from './logic';
import { IFinding, Severity } from './model';

/** What the tooltip's actions do: the panel applies fixes and shows rule documentation. */
export interface IActions {
  explain: (finding: IFinding) => void;
  fix?: (finding: IFinding) => void;
}

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
  actions: IActions
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
      actions: [
        ...(actions.fix && isFixable(finding)
          ? [{ name: finding.fix?.applicability === 'safe' ? 'Fix' : 'Fix (unsafe)', apply: () => actions.fix?.(finding) }]
          : []),
        { name: `Explain ${finding.code}`, apply: () => actions.explain(finding) }
      ]
    };
  });
}

const gutters = new WeakSet<EditorView>();

/** Show `findings` in an editor view (an empty list removes them). */
export function showFindings(view: EditorView, findings: IFinding[], actions: IActions): void {
  const spec = setDiagnostics(view.state, diagnosticsFor(view.state.doc, findings, actions));
  if (findings.length && !gutters.has(view)) {
    gutters.add(view);
    const effects = spec.effects ? ([] as StateEffect<unknown>[]).concat(spec.effects as StateEffect<unknown>) : [];
    view.dispatch({ ...spec, effects: [...effects, StateEffect.appendConfig.of(lintGutter())] });
    return;
  }
  view.dispatch(spec);
}
