/**
 * The sidebar panel: review the active notebook or Python file, keep each document's findings,
 * list them grouped by cell, filter them, explain rules, jump to a finding's cell (by cell id)
 * and line, show the findings inline in the editors, and apply fixes to the live cells (undoable,
 * nothing saved until the user saves).
 */

import { JupyterFrontEnd } from '@jupyterlab/application';
import { DocumentRegistry, DocumentWidget } from '@jupyterlab/docregistry';
import { FileEditor } from '@jupyterlab/fileeditor';
import { NotebookPanel } from '@jupyterlab/notebook';
import { IRenderMimeRegistry, MimeModel } from '@jupyterlab/rendermime';
import { EditorView } from '@codemirror/view';
import { Widget } from '@lumino/widgets';

import { fetchConfig, fetchExplain, requestReview } from './api';
import { IActions, showFindings } from './diagnostics';
import {
  applyFilter,
  cellIndexFor,
  isFixable,
  plannedEdits,
  safeFixesByCell,
  cursorFor,
  groupByCell,
  IFilter,
  messageParts,
  page,
  sourceLabel,
  statusText,
  summary
} from './logic';
import { CATEGORIES, IFinding, IReport, SEVERITIES } from './model';

type Target = NotebookPanel | DocumentWidget<FileEditor>;

/** What the panel knows about one open document. */
interface IDocState {
  report: IReport | null;
  /** Edited since its last review: the findings may point at code that moved or changed. */
  stale: boolean;
  error: string | null;
  reviewing: boolean;
  extra: number;
  /** Numbers this document's reviews: only the latest one's result is shown. */
  seq: number;
  /** The reviewed code (cell ids and sources): metadata changes (a kernel starting) are not edits. */
  signature: string;
}

/** What a review depends on in a document: its code, not its metadata or outputs. */
function signatureOf(target: Target): string {
  if (target instanceof NotebookPanel) {
    const cells = target.content.model?.cells;
    const parts: string[] = [];
    for (let i = 0; cells && i < cells.length; i++) {
      const cell = cells.get(i);
      parts.push(`${cell.id}\u0000${cell.type}\u0000${cell.sharedModel.getSource()}`);
    }
    return parts.join('\u0001');
  }
  return target.context.model.toString();
}

const SEVERITY_GLYPH: Record<string, string> = { error: '●', warning: '▲', note: 'ℹ' };
/** How long typing must pause before "review as I type" reviews again. */
const TYPING_PAUSE_MS = 1500;

function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  props: Partial<HTMLElementTagNameMap[K]> & { testid?: string } = {},
  ...children: (Node | string)[]
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  const { testid, ...rest } = props;
  Object.assign(node, rest);
  if (testid) {
    node.dataset.testid = testid;
  }
  node.append(...children);
  return node;
}

function isTarget(widget: Widget | null): widget is Target {
  return widget instanceof NotebookPanel || (widget instanceof DocumentWidget && widget.content instanceof FileEditor);
}

/** The CodeMirror view of a JupyterLab editor (CodeMirrorEditor.editor), when it has one. */
function viewOf(editor: unknown): EditorView | null {
  const view = (editor as { editor?: unknown } | null)?.editor;
  return view instanceof EditorView ? view : null;
}

export class ReviewerPanel extends Widget {
  constructor(private app: JupyterFrontEnd, private rendermime: IRenderMimeRegistry | null = null) {
    super();
    this.id = 'jp-reviewer-sidebar';
    this.title.caption = 'Reviewer';
    this.addClass('jp-reviewer-panel');
    this._header = el('div', { className: 'jp-reviewer-header' });
    this._document = el('div', { className: 'jp-reviewer-document', testid: 'reviewer-document' });
    this._status = el('div', { className: 'jp-reviewer-status', testid: 'reviewer-status', role: 'status' });
    this._list = el('div', { className: 'jp-reviewer-list', testid: 'reviewer-list' });
    this._list.setAttribute('aria-label', 'Findings');
    this.node.append(this._header, this._document, this._status, this._list);
    this._buildHeader();
    this._renderEmpty();
    void this._loadServerInfo();
  }

  /** Called with a short summary after each review (for the status bar). */
  onSummary: (text: string) => void = () => undefined;
  pageSize = 200;
  reviewOnSave = false;
  /** Review again when typing pauses (off by default: each review costs a server round trip). */
  reviewAsYouType = false;
  /** Show findings in the editors as well as in the panel. */
  inlineDiagnostics = true;

  /** The document whose findings the panel shows (the current notebook or Python file). */
  get target(): Target | null {
    return this._shown;
  }

  /** Follow the main area: show that document's findings, or an empty state. */
  track(widget: Widget | null): void {
    if (!isTarget(widget)) {
      if (widget !== null) {
        this._shown = null;
        this._render();
      }
      return;
    }
    this._shown = widget;
    this._watch(widget);
    this._render();
  }

  /** Review the document the panel shows (or the current one). */
  async refresh(): Promise<void> {
    const target = this._shown ?? (isTarget(this.app.shell.currentWidget) ? this.app.shell.currentWidget : null);
    if (!target) {
      this._render();
      return;
    }
    this._shown = target;
    this._watch(target);
    const state = this._state(target);
    const seq = ++state.seq;
    state.reviewing = true;
    this._render();
    try {
      await target.context.ready;
      const path = target.context.path;
      const signature = signatureOf(target);
      const body =
        target instanceof NotebookPanel
          ? { path, notebook: target.context.model.toJSON() }
          : { path, content: target.context.model.toString() };
      const report = await requestReview({ ...body, llm: this._llm?.checked ?? false });
      if (seq !== state.seq) {
        return; // a newer review of this document started meanwhile; its result wins
      }
      Object.assign(state, { report, stale: signatureOf(target) !== signature, error: null, extra: 0, signature });
      if (target === this._shown) {
        this.onSummary(summary(report));
      }
      if (!state.stale) {
        this._decorate(target, report);
      }
    } catch (error) {
      if (seq === state.seq) {
        state.error = String((error as Error).message ?? error);
        if (target === this._shown) {
          this.onSummary('review failed');
        }
      }
    } finally {
      if (seq === state.seq) {
        state.reviewing = false;
        this._render();
      }
    }
  }

  /** Show a rule's documentation in the panel (from an editor tooltip's Explain action). */
  explain(finding: IFinding): void {
    this.app.shell.activateById(this.id);
    const item = this._items().find(
      node => node.dataset.fingerprint === finding.fingerprint
    );
    const docs = item?.querySelector('.jp-reviewer-docs') as HTMLElement | null;
    if (item && docs) {
      item.scrollIntoView({ block: 'nearest' });
      docs.hidden = true;
      void this._explain(finding, docs);
    }
  }

  /** Apply one finding's fix to the live document (a cell, or the file): one undoable change
   * in the editor, nothing written to disk; then review again so the list follows. */
  async fix(finding: IFinding): Promise<void> {
    const target = this._shown;
    if (!target || target.isDisposed || !isFixable(finding)) {
      return;
    }
    const state = this._state(target);
    if (state.stale || state.reviewing) {
      this._flash('The code changed since the review: review again before fixing.');
      return;
    }
    if (!this._applyFixes(target, new Map([[finding.location.cell, [finding]]]))) {
      return;
    }
    await this.refresh();
  }

  /** Apply every safe fix of the shown document's review that fits in one pass, then review. */
  async fixAllSafe(): Promise<void> {
    const target = this._shown;
    const state = target ? this._state(target) : null;
    if (!target || !state?.report) {
      return;
    }
    if (state.stale || state.reviewing) {
      this._flash('The code changed since the review: review again before fixing.');
      return;
    }
    const chosen = safeFixesByCell(state.report.findings);
    if (!chosen.size) {
      this._flash('No safe fixes to apply.');
      return;
    }
    if (this._applyFixes(target, chosen)) {
      await this.refresh();
    }
  }

  /** Edit the cells' (or file's) shared models: each cell in one transaction, so one Ctrl+Z in
   * its editor undoes the fix. False (and a message) when a fix no longer fits the text. */
  private _applyFixes(target: Target, byCell: Map<number | null, IFinding[]>): boolean {
    const edits: { model: { getSource(): string; updateSource(from: number, to: number, value?: string): void; transact(f: () => void): void }; planned: { from: number; to: number; insert: string }[] }[] = [];
    for (const [cell, fixes] of byCell) {
      let model;
      if (target instanceof NotebookPanel) {
        const ids = target.content.widgets.map(widget => widget.model.id ?? null);
        const index = cellIndexFor(fixes[0], ids);
        model = index >= 0 ? target.content.widgets[index].model.sharedModel : null;
      } else {
        model = cell === null ? target.content.model.sharedModel : null;
      }
      const planned = model ? plannedEdits(model.getSource(), fixes) : null;
      if (!model || !planned) {
        this._flash(`Cannot apply the fix of ${fixes[0].code}: the code it was computed on has changed or is a magic.`);
        return false;
      }
      edits.push({ model, planned });
    }
    for (const { model, planned } of edits) {
      model.transact(() => {
        for (const edit of planned) {
          model.updateSource(edit.from, edit.to, edit.insert);
        }
      });
    }
    return true;
  }

  /** The finding items the list shows, in order. */
  private _items(): HTMLElement[] {
    const nodes = this._list.querySelectorAll<HTMLElement>('.jp-reviewer-finding');
    const out: HTMLElement[] = [];
    for (let i = 0; i < nodes.length; i++) {
      out.push(nodes[i]);
    }
    return out;
  }

  private _state(target: Target): IDocState {
    let state = this._docs.get(target);
    if (!state) {
      state = { report: null, stale: false, error: null, reviewing: false, extra: 0, seq: 0, signature: '' };
      this._docs.set(target, state);
    }
    return state;
  }

  /** Listen once per document: saves (review on save), edits (stale), disposal (forget). */
  private _watch(target: Target): void {
    if (this._watched.has(target)) {
      return;
    }
    this._watched.add(target);
    const context = target.context as DocumentRegistry.Context;
    context.saveState.connect((_, saved) => {
      if (saved === 'completed' && this.reviewOnSave && target === this._shown) {
        void this.refresh();
      }
    });
    let timer = 0;
    context.model.contentChanged.connect(() => {
      const state = this._docs.get(target);
      if (!state?.report || state.reviewing) {
        return;
      }
      if (!state.stale && signatureOf(target) !== state.signature) {
        state.stale = true;
        // Not inside the editor's own update (CodeMirror refuses nested dispatches).
        window.setTimeout(() => this._clearDecorations(target), 0);
        if (target === this._shown) {
          this._render();
        }
      }
      if (this.reviewAsYouType && state.stale) {
        window.clearTimeout(timer);
        timer = window.setTimeout(() => {
          if (target === this._shown && !target.isDisposed) {
            void this.refresh();
          }
        }, TYPING_PAUSE_MS);
      }
    });
    target.disposed.connect(() => {
      this._docs.delete(target);
      if (this._shown === target) {
        this._shown = null;
        this._render();
      }
    });
  }

  private _buildHeader(): void {
    const run = el('button', { className: 'jp-reviewer-run jp-mod-styled jp-mod-accept', textContent: 'Review', testid: 'reviewer-run', title: 'Review the active notebook or Python file (Ctrl+Alt+R)' });
    run.onclick = () => void this.refresh();
    this._severity = el('select', { className: 'jp-mod-styled', testid: 'reviewer-filter-severity', title: 'Severity' },
      el('option', { value: 'all', textContent: 'All severities' }),
      ...SEVERITIES.map(s => el('option', { value: s, textContent: s })));
    this._category = el('select', { className: 'jp-mod-styled', testid: 'reviewer-filter-category', title: 'Category' },
      el('option', { value: 'all', textContent: 'All categories' }),
      ...CATEGORIES.map(c => el('option', { value: c, textContent: c })));
    this._severity.onchange = this._category.onchange = () => {
      if (this._shown) {
        this._state(this._shown).extra = 0;
      }
      this._render();
    };
    this._llm = el('input', { type: 'checkbox', testid: 'reviewer-llm' });
    this._llmLabel = el('label', { className: 'jp-reviewer-llm', title: 'Ask the configured LLM for a critique too' }, this._llm, ' LLM');
    this._llmLabel.hidden = true; // shown only when the server has a model configured
    this._fixAll = el('button', { className: 'jp-reviewer-fix-all jp-mod-styled', textContent: 'Fix all safe', testid: 'reviewer-fix-all',
      title: 'Apply every safe fix of this review to the open document (undo with Ctrl+Z in each cell; nothing is saved)' });
    this._fixAll.onclick = () => void this.fixAllSafe();
    this._fixAll.hidden = true;
    this._header.append(run, this._fixAll, this._severity, this._category, this._llmLabel);
  }

  private async _loadServerInfo(): Promise<void> {
    try {
      const config = await fetchConfig();
      this._llmLabel.hidden = !config.llm;
    } catch {
      this._llmLabel.hidden = true;
    }
  }

  private _filter(): IFilter {
    return { severity: this._severity.value as IFilter['severity'], category: this._category.value as IFilter['category'] };
  }

  private _renderEmpty(): void {
    this._fixAll.hidden = true;
    this._document.replaceChildren();
    this._status.className = 'jp-reviewer-status';
    this._status.textContent = '';
    this._list.replaceChildren(el('div', { className: 'jp-reviewer-empty', testid: 'reviewer-empty' },
      'Open a notebook or a Python file to review it. Findings appear here and in the editor.'));
  }

  /** Everything the panel shows, from the shown document's state. */
  private _render(): void {
    const target = this._shown;
    if (!target) {
      this._renderEmpty();
      return;
    }
    const state = this._state(target);
    const badge = el('span', { className: 'jp-reviewer-stale', testid: 'reviewer-stale', textContent: 'edited since the review',
      title: 'The findings are from before your last edits: review again to update them' });
    badge.hidden = !state.stale || !state.report;
    this._document.replaceChildren(el('span', { className: 'jp-reviewer-path', textContent: target.context.path, title: target.context.path }), badge);
    this.node.classList.toggle('jp-mod-busy', state.reviewing);
    if (state.reviewing) {
      this._status.className = 'jp-reviewer-status jp-mod-loading';
      this._status.textContent = 'Reviewing…';
      if (!state.report) {
        this._list.replaceChildren();
        return;
      }
    }
    if (state.error) {
      this._status.className = 'jp-reviewer-status';
      this._status.textContent = '';
      this._list.replaceChildren(el('div', { className: 'jp-reviewer-error', role: 'alert', testid: 'reviewer-error', textContent: state.error }));
      return;
    }
    const report = state.report;
    this._fixAll.hidden = true;
    if (!report) {
      const run = el('button', { className: 'jp-mod-styled jp-mod-accept', textContent: 'Review', testid: 'reviewer-empty-run' });
      run.onclick = () => void this.refresh();
      this._status.className = 'jp-reviewer-status';
      this._status.textContent = 'Not reviewed yet.';
      this._list.replaceChildren(el('div', { className: 'jp-reviewer-empty', testid: 'reviewer-empty' },
        el('p', { textContent: 'Review this document to see its findings (Ctrl+Alt+R, or "Review" in the command palette).' }), run));
      return;
    }
    this._renderReport(report, state);
  }

  private _renderReport(report: IReport, state: IDocState): void {
    this._fixAll.hidden = !report.findings.some(f => isFixable(f) && f.fix?.applicability === 'safe');
    this._fixAll.disabled = state.stale;
    const visible = applyFilter(report.findings, this._filter());
    const { groups, hidden } = page(groupByCell(visible), this.pageSize + state.extra);
    const filtered = report.findings.length - visible.length;
    if (!state.reviewing) {
      this._status.className = 'jp-reviewer-status';
      this._status.textContent = statusText(report, filtered);
    }
    const nodes: HTMLElement[] = report.errors.map(e =>
      el('div', { className: 'jp-reviewer-error', role: 'alert', testid: 'reviewer-error',
        textContent: `[${e.tool}] ${e.cell !== null ? `cell ${e.cell + 1}: ` : ''}${e.line ? `line ${e.line}: ` : ''}${e.message}` }));
    for (const group of groups) {
      const items = group.findings.map(f => this._item(f));
      const title = `${group.title} (${group.findings.length})`;
      const list = el('ul', {}, ...items);
      list.setAttribute('aria-label', `Findings in ${group.title}`);
      nodes.push(el('section', { className: 'jp-reviewer-group' },
        el('h3', { className: 'jp-reviewer-group-title', textContent: title }), list));
    }
    if (filtered && !visible.length) {
      nodes.push(el('div', { className: 'jp-reviewer-empty', testid: 'reviewer-filtered-empty',
        textContent: `No findings match the filters (${filtered} hidden by them).` }));
    }
    if (hidden > 0) {
      const more = el('button', { className: 'jp-mod-styled', textContent: `Show ${Math.min(hidden, this.pageSize)} more of ${hidden}`, testid: 'reviewer-more' });
      more.onclick = () => {
        state.extra += this.pageSize;
        this._render();
      };
      nodes.push(more);
    }
    for (const note of report.notes) {
      nodes.push(el('div', { className: 'jp-reviewer-note', textContent: note }));
    }
    this._list.replaceChildren(...nodes);
  }

  private _item(f: IFinding): HTMLElement {
    const explain = el('button', { className: 'jp-reviewer-explain', textContent: 'explain', title: `Show the documentation of ${f.code}`, testid: 'reviewer-explain' });
    const docs = el('div', { className: 'jp-reviewer-docs', testid: 'reviewer-docs' });
    docs.hidden = true;
    explain.onclick = event => {
      event.stopPropagation();
      void this._explain(f, docs);
    };
    explain.onkeydown = event => event.stopPropagation();
    const fixButtons: HTMLElement[] = [];
    if (isFixable(f)) {
      const safe = f.fix?.applicability === 'safe';
      const fix = el('button', { className: 'jp-reviewer-fix', textContent: safe ? 'fix' : 'fix (unsafe)', testid: 'reviewer-fix',
        title: `${f.fix?.description ?? 'Fix'}${safe ? '' : ' (may change behaviour: check the result)'}; Ctrl+Z in the editor undoes it` });
      fix.onclick = event => {
        event.stopPropagation();
        void this.fix(f);
      };
      fix.onkeydown = event => event.stopPropagation();
      fixButtons.push(fix);
    }
    const message = el('span', { className: 'jp-reviewer-message' },
      ...messageParts(f.message).map(part => (part.code ? el('code', { textContent: part.text }) : part.text)));
    const li = el('li', { className: `jp-reviewer-finding jp-mod-${f.severity}`, testid: 'reviewer-finding', title: 'Go to this line (Enter)', tabIndex: 0 },
      el('span', { className: `jp-reviewer-severity jp-mod-${f.severity}`, textContent: SEVERITY_GLYPH[f.severity] ?? '•', title: f.severity }),
      el('span', { className: 'jp-reviewer-code', textContent: f.code }),
      el('span', { className: 'jp-reviewer-line', textContent: `L${f.location.line}` }),
      message,
      el('span', { className: 'jp-reviewer-source', textContent: sourceLabel(f) }),
      explain, ...fixButtons, docs);
    li.setAttribute('role', 'button');
    li.setAttribute('aria-label', `${f.severity} ${f.code} on line ${f.location.line}: ${f.message}`);
    li.dataset.cell = String(f.location.cell ?? '');
    li.dataset.line = String(f.location.line);
    li.dataset.fingerprint = f.fingerprint;
    li.onclick = () => void this._goTo(f);
    li.onkeydown = event => {
      if (event.key === 'Enter' || event.key === ' ') {
        event.preventDefault();
        void this._goTo(f);
      } else if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
        event.preventDefault();
        const all = this._items();
        all[all.indexOf(li) + (event.key === 'ArrowDown' ? 1 : -1)]?.focus();
      }
    };
    return li;
  }

  private async _explain(f: IFinding, docs: HTMLElement): Promise<void> {
    if (!docs.hidden) {
      docs.hidden = true;
      return;
    }
    docs.replaceChildren(el('span', { textContent: 'Loading…' }));
    docs.hidden = false;
    try {
      const markdown = await fetchExplain(f.code);
      docs.replaceChildren();
      if (this.rendermime) {
        const renderer = this.rendermime.createRenderer('text/markdown');
        await renderer.renderModel(new MimeModel({ data: { 'text/markdown': markdown } }));
        docs.append(renderer.node);
      } else {
        docs.append(el('pre', { textContent: markdown }));
      }
      if (f.url) {
        docs.append(el('a', { href: f.url, target: '_blank', rel: 'noopener', textContent: 'Full documentation', className: 'jp-reviewer-doclink' }));
      }
    } catch (error) {
      docs.replaceChildren();
      docs.append(el('span', { textContent: `${f.code} (${f.name}) comes from ${f.source}. ` }));
      if (f.url) {
        docs.append(el('a', { href: f.url, target: '_blank', rel: 'noopener', textContent: 'Documentation' }));
      } else {
        docs.append(el('span', { textContent: `Cannot load its documentation: ${(error as Error).message}` }));
      }
    }
  }

  private _flash(text: string): void {
    this._status.className = 'jp-reviewer-status jp-mod-warning';
    this._status.textContent = text;
  }

  private async _goTo(f: IFinding): Promise<void> {
    const target = this._shown;
    if (!target || target.isDisposed) {
      return;
    }
    this.app.shell.activateById(target.id);
    const cursor = cursorFor(f);
    if (target instanceof NotebookPanel) {
      const notebook = target.content;
      const index = cellIndexFor(f, notebook.widgets.map(cell => cell.model.id ?? null));
      if (index < 0) {
        this._flash(`The cell of this ${f.code} finding was deleted since the review.`);
        return;
      }
      notebook.deselectAll();
      notebook.activeCellIndex = index;
      await notebook.scrollToItem(index, 'center');
      const cell = notebook.activeCell;
      if (cell) {
        await cell.ready;
        notebook.mode = 'edit';
        cell.editor?.setCursorPosition(cursor);
        cell.editor?.focus();
      }
    } else {
      const editor = target.content.editor;
      editor.setCursorPosition(cursor);
      editor.revealPosition(cursor);
      editor.focus();
    }
  }

  /** Put a review's findings into the document's editors (cells with findings, or the file).
   * Cells not rendered yet (a long notebook renders lazily) get theirs when they are. */
  private _decorate(target: Target, report: IReport): void {
    if (!this.inlineDiagnostics) {
      return;
    }
    const explain = this._actions;
    const previous = this._decorated.get(target) ?? new Set<EditorView>();
    const decorated = new Set<EditorView>();
    this._decorated.set(target, decorated);
    const current = (): boolean => this._docs.get(target)?.report === report && !this._docs.get(target)?.stale;
    if (target instanceof NotebookPanel) {
      const cells = target.content.widgets;
      const ids = cells.map(cell => cell.model.id ?? null);
      const byCell = new Map<number, IFinding[]>();
      for (const finding of report.findings) {
        const index = cellIndexFor(finding, ids);
        if (index >= 0) {
          byCell.set(index, [...(byCell.get(index) ?? []), finding]);
        }
      }
      for (const [index, findings] of byCell) {
        const cell = cells[index];
        const apply = (): void => {
          const view = viewOf(cell?.editor);
          if (view && current()) {
            showFindings(view, findings, explain);
            decorated.add(view);
          }
        };
        if (viewOf(cell?.editor)) {
          apply();
        } else {
          void cell?.ready.then(apply);
        }
      }
    } else {
      const view = viewOf(target.content.editor);
      if (view) {
        showFindings(view, report.findings, explain);
        decorated.add(view);
      }
    }
    // Cells marked by the previous review and clean now lose its marks.
    for (const view of previous) {
      if (!decorated.has(view)) {
        showFindings(view, [], explain);
      }
    }
  }

  /** Remove the inline findings of a document (its review is stale). */
  private _clearDecorations(target: Target): void {
    const explain = this._actions;
    for (const view of this._decorated.get(target) ?? []) {
      showFindings(view, [], explain);
    }
    this._decorated.delete(target);
  }

  /** The editors' tooltip actions. */
  private _actions: IActions = {
    explain: (finding: IFinding): void => this.explain(finding),
    fix: (finding: IFinding): void => void this.fix(finding)
  };
  private _fixAll!: HTMLButtonElement;
  private _header: HTMLDivElement;
  private _document: HTMLDivElement;
  private _status: HTMLDivElement;
  private _list: HTMLDivElement;
  private _severity!: HTMLSelectElement;
  private _category!: HTMLSelectElement;
  private _llm: HTMLInputElement | null = null;
  private _llmLabel!: HTMLLabelElement;
  private _shown: Target | null = null;
  private _docs = new Map<Target, IDocState>();
  private _decorated = new WeakMap<Target, Set<EditorView>>();
  private _watched = new WeakSet<Target>();
}
