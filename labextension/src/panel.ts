/**
 * The sidebar panel: review the active notebook or Python file, list findings grouped by cell,
 * filter them, explain rules, and jump to a finding's cell and line.
 */

import { JupyterFrontEnd } from '@jupyterlab/application';
import { DocumentRegistry, DocumentWidget } from '@jupyterlab/docregistry';
import { FileEditor } from '@jupyterlab/fileeditor';
import { NotebookPanel } from '@jupyterlab/notebook';
import { Widget } from '@lumino/widgets';

import { fetchConfig, fetchRules, IRuleDoc, requestReview } from './api';
import { applyFilter, cursorFor, groupByCell, IFilter, page, sourceLabel, summary } from './logic';
import { CATEGORIES, IFinding, IReport, SEVERITIES } from './model';

type Target = NotebookPanel | DocumentWidget<FileEditor>;

const SEVERITY_GLYPH: Record<string, string> = { error: '●', warning: '▲', note: 'ℹ' };

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

export class ReviewerPanel extends Widget {
  constructor(private app: JupyterFrontEnd) {
    super();
    this.id = 'jp-reviewer-sidebar';
    this.title.caption = 'Reviewer';
    this.addClass('jp-reviewer-panel');
    this._header = el('div', { className: 'jp-reviewer-header' });
    this._status = el('div', { className: 'jp-reviewer-status', testid: 'reviewer-status' });
    this._list = el('div', { className: 'jp-reviewer-list', testid: 'reviewer-list' });
    this.node.append(this._header, this._status, this._list);
    this._buildHeader();
    void this._loadServerInfo();
  }

  /** Called with a short summary after each review (for the status bar). */
  onSummary: (text: string) => void = () => undefined;
  pageSize = 200;
  reviewOnSave = false;

  /** The main-area document to review: the current notebook or Python file, if any. */
  get target(): Target | null {
    const current = this.app.shell.currentWidget;
    if (current instanceof NotebookPanel) {
      return current;
    }
    if (current instanceof DocumentWidget && current.content instanceof FileEditor) {
      return current as DocumentWidget<FileEditor>;
    }
    return this._lastTarget;
  }

  /** Remember the document and re-review it on save when the setting asks for that. */
  track(widget: Widget | null): void {
    if (widget instanceof NotebookPanel || (widget instanceof DocumentWidget && widget.content instanceof FileEditor)) {
      this._lastTarget = widget as Target;
      const context = (widget as Target).context as DocumentRegistry.Context;
      if (!this._watched.has(context)) {
        this._watched.add(context);
        context.saveState.connect((_, state) => {
          if (state === 'completed' && this.reviewOnSave && this.target?.context === context) {
            void this.refresh();
          }
        });
      }
    }
  }

  async refresh(): Promise<void> {
    const seq = ++this._seq;
    const target = this.target;
    if (!target) {
      this._showMessage('Open a notebook or a Python file, then press Review.');
      return;
    }
    this._setBusy(true);
    try {
      await target.context.ready;
      const path = target.context.path;
      const body =
        target instanceof NotebookPanel
          ? { path, notebook: target.context.model.toJSON() }
          : { path, content: target.context.model.toString() };
      const report = await requestReview({ ...body, llm: this._llm?.checked ?? false });
      if (seq !== this._seq) {
        return; // a newer review started meanwhile; its result wins
      }
      this._report = report;
      this._reviewed = target;
      this._extra = 0;
      this._render();
      this.onSummary(summary(report));
    } catch (error) {
      if (seq === this._seq) {
        this._showError(String((error as Error).message ?? error));
        this.onSummary('review failed');
      }
    } finally {
      if (seq === this._seq) {
        this._setBusy(false);
      }
    }
  }

  private _buildHeader(): void {
    const run = el('button', { className: 'jp-reviewer-run jp-mod-styled jp-mod-accept', textContent: 'Review', testid: 'reviewer-run', title: 'Review the active notebook or Python file' });
    run.onclick = () => void this.refresh();
    this._severity = el('select', { className: 'jp-mod-styled', testid: 'reviewer-filter-severity', title: 'Severity' },
      el('option', { value: 'all', textContent: 'All severities' }),
      ...SEVERITIES.map(s => el('option', { value: s, textContent: s })));
    this._category = el('select', { className: 'jp-mod-styled', testid: 'reviewer-filter-category', title: 'Category' },
      el('option', { value: 'all', textContent: 'All categories' }),
      ...CATEGORIES.map(c => el('option', { value: c, textContent: c })));
    this._severity.onchange = this._category.onchange = () => {
      this._extra = 0;
      this._render();
    };
    this._llm = el('input', { type: 'checkbox', testid: 'reviewer-llm' });
    this._llmLabel = el('label', { className: 'jp-reviewer-llm', title: 'Ask the configured LLM for a critique too' }, this._llm, ' LLM');
    this._llmLabel.hidden = true; // shown only when the server has a model configured
    this._header.append(run, this._severity, this._category, this._llmLabel);
  }

  private async _loadServerInfo(): Promise<void> {
    try {
      const config = await fetchConfig();
      this._llmLabel.hidden = !config.llm;
    } catch {
      this._llmLabel.hidden = true;
    }
  }

  private _setBusy(busy: boolean): void {
    this.node.classList.toggle('jp-mod-busy', busy);
    if (busy) {
      this._status.textContent = 'Reviewing…';
      this._status.className = 'jp-reviewer-status jp-mod-loading';
    }
  }

  private _showMessage(text: string): void {
    this._status.className = 'jp-reviewer-status';
    this._status.textContent = text;
    this._list.replaceChildren();
  }

  private _showError(text: string): void {
    this._status.className = 'jp-reviewer-status';
    this._status.textContent = '';
    this._list.replaceChildren(el('div', { className: 'jp-reviewer-error', role: 'alert', testid: 'reviewer-error', textContent: text }));
  }

  private _filter(): IFilter {
    return { severity: this._severity.value as IFilter['severity'], category: this._category.value as IFilter['category'] };
  }

  private _render(): void {
    const report = this._report;
    if (!report) {
      return;
    }
    const visible = applyFilter(report.findings, this._filter());
    const { groups, hidden } = page(groupByCell(visible), this.pageSize + this._extra);
    const filtered = report.findings.length - visible.length;
    this._status.className = 'jp-reviewer-status';
    this._status.textContent = `${summary(report)}${filtered ? ` (${filtered} filtered out)` : ''}`;
    const nodes: HTMLElement[] = report.errors.map(e =>
      el('div', { className: 'jp-reviewer-error', role: 'alert', testid: 'reviewer-error',
        textContent: `[${e.tool}] ${e.cell !== null ? `cell ${e.cell + 1}: ` : ''}${e.line ? `line ${e.line}: ` : ''}${e.message}` }));
    for (const group of groups) {
      const items = group.findings.map(f => this._item(f));
      nodes.push(el('section', { className: 'jp-reviewer-group' },
        el('h3', { className: 'jp-reviewer-group-title', textContent: `${group.title} (${group.findings.length})` }),
        el('ul', {}, ...items)));
    }
    if (hidden > 0) {
      const more = el('button', { className: 'jp-mod-styled', textContent: `Show ${Math.min(hidden, this.pageSize)} more of ${hidden}`, testid: 'reviewer-more' });
      more.onclick = () => {
        this._extra += this.pageSize;
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
    const docs = el('div', { className: 'jp-reviewer-docs' });
    docs.hidden = true;
    explain.onclick = event => {
      event.stopPropagation();
      void this._explain(f, docs);
    };
    const li = el('li', { className: `jp-reviewer-finding jp-mod-${f.severity}`, testid: 'reviewer-finding', title: 'Go to this line' },
      el('span', { className: `jp-reviewer-severity jp-mod-${f.severity}`, textContent: SEVERITY_GLYPH[f.severity] ?? '•', title: f.severity }),
      el('span', { className: 'jp-reviewer-code', textContent: f.code }),
      el('span', { className: 'jp-reviewer-line', textContent: `L${f.location.line}` }),
      el('span', { className: 'jp-reviewer-message', textContent: f.message }),
      el('span', { className: 'jp-reviewer-source', textContent: sourceLabel(f) }),
      explain, docs);
    li.dataset.cell = String(f.location.cell ?? '');
    li.dataset.line = String(f.location.line);
    li.onclick = () => void this._goTo(f);
    return li;
  }

  private async _explain(f: IFinding, docs: HTMLElement): Promise<void> {
    if (!docs.hidden) {
      docs.hidden = true;
      return;
    }
    try {
      this._rules = this._rules ?? (await fetchRules());
      const rule: IRuleDoc | undefined = this._rules.get(f.code);
      docs.replaceChildren();
      if (rule) {
        docs.append(el('pre', { textContent: rule.docs }));
      } else {
        docs.append(el('span', { textContent: `${f.code} (${f.name}) comes from ${f.source}. ` }));
        if (f.url) {
          docs.append(el('a', { href: f.url, target: '_blank', rel: 'noopener', textContent: 'Documentation' }));
        }
      }
    } catch (error) {
      docs.textContent = `Cannot load the rule documentation: ${(error as Error).message}`;
    }
    docs.hidden = false;
  }

  private async _goTo(f: IFinding): Promise<void> {
    const target = this._reviewed;
    if (!target || target.isDisposed) {
      return;
    }
    this.app.shell.activateById(target.id);
    const cursor = cursorFor(f);
    if (target instanceof NotebookPanel) {
      const notebook = target.content;
      const index = f.location.cell ?? 0;
      if (index >= notebook.widgets.length) {
        return; // the notebook changed since the review
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

  private _header: HTMLDivElement;
  private _status: HTMLDivElement;
  private _list: HTMLDivElement;
  private _severity!: HTMLSelectElement;
  private _category!: HTMLSelectElement;
  private _llm: HTMLInputElement | null = null;
  private _llmLabel!: HTMLLabelElement;
  private _report: IReport | null = null;
  private _reviewed: Target | null = null;
  private _lastTarget: Target | null = null;
  private _rules: Map<string, IRuleDoc> | null = null;
  private _watched = new WeakSet<DocumentRegistry.Context>();
  private _seq = 0;
  private _extra = 0;
}
