/**
 * jupyterlab-reviewer: a right-sidebar panel with findings for the active notebook or Python
 * file, a status bar summary, and settings (review on save, page size).
 */

import {
  ILabShell,
  JupyterFrontEnd,
  JupyterFrontEndPlugin
} from '@jupyterlab/application';
import { ICommandPalette, ToolbarButton } from '@jupyterlab/apputils';
import { NotebookPanel } from '@jupyterlab/notebook';
import { IRenderMimeRegistry } from '@jupyterlab/rendermime';
import { ISettingRegistry } from '@jupyterlab/settingregistry';
import { IStatusBar } from '@jupyterlab/statusbar';
import { LabIcon } from '@jupyterlab/ui-components';
import { Widget } from '@lumino/widgets';

import { ReviewerPanel } from './panel';

const PLUGIN_ID = 'jupyterlab-reviewer:plugin';
const COMMAND = 'reviewer:review';
const SHOW_COMMAND = 'reviewer:show-panel';

// A magnifying glass over a check mark; distinct from the debugger's bug icon.
const reviewerIcon = new LabIcon({
  name: 'reviewer:icon',
  svgstr:
    '<svg xmlns="http://www.w3.org/2000/svg" width="16" viewBox="0 0 24 24">' +
    '<g class="jp-icon3" fill="#616161">' +
    '<path d="M10 2a8 8 0 0 1 6.32 12.9l5.39 5.4-1.41 1.41-5.4-5.39A8 8 0 1 1 10 2zm0 2a6 6 0 1 0 0 12 6 6 0 0 0 0-12z"/>' +
    '<path d="M8.6 12.7 6.2 10.3l1.1-1.1 1.3 1.3 3.6-3.6 1.1 1.1z"/></g></svg>'
});

const plugin: JupyterFrontEndPlugin<void> = {
  id: PLUGIN_ID,
  description: 'Code review findings for the active notebook or Python file',
  autoStart: true,
  optional: [ILabShell, ISettingRegistry, IStatusBar, ICommandPalette, IRenderMimeRegistry],
  activate: (
    app: JupyterFrontEnd,
    labShell: ILabShell | null,
    settings: ISettingRegistry | null,
    statusBar: IStatusBar | null,
    palette: ICommandPalette | null,
    rendermime: IRenderMimeRegistry | null
  ) => {
    const panel = new ReviewerPanel(app, rendermime);
    panel.title.icon = reviewerIcon;
    app.shell.add(panel, 'right', { rank: 950 });

    if (labShell) {
      labShell.currentChanged.connect((_, change) => panel.track(change.newValue));
      panel.track(labShell.currentWidget);
    }

    if (statusBar) {
      const item = new Widget();
      item.addClass('jp-reviewer-statusbar');
      item.node.dataset.testid = 'reviewer-statusbar';
      item.node.textContent = 'Reviewer';
      item.node.title = 'Findings of the last review (click to open the sidebar)';
      item.node.onclick = () => app.shell.activateById(panel.id);
      statusBar.registerStatusItem('jupyterlab-reviewer:status', { item, align: 'left', rank: 900 });
      panel.onSummary = text => {
        item.node.textContent = `Reviewer: ${text}`;
      };
    }

    app.commands.addCommand(COMMAND, {
      label: 'Review the active notebook or file',
      caption: 'Review with reviewer: findings in the sidebar and in the editor',
      icon: reviewerIcon,
      execute: async () => {
        app.shell.activateById(panel.id);
        await panel.refresh();
      }
    });
    // Ctrl+Alt+R (schema/plugin.json `jupyter.lab.shortcuts`, editable in Settings > Keyboard
    // Shortcuts; Alt+R alone opens the Run menu); the sidebar itself handles Tab, Enter and arrows.
    app.commands.addCommand(SHOW_COMMAND, {
      label: 'Show the reviewer panel',
      icon: reviewerIcon,
      execute: () => app.shell.activateById(panel.id)
    });
    palette?.addItem({ command: COMMAND, category: 'Reviewer' });
    palette?.addItem({ command: SHOW_COMMAND, category: 'Reviewer' });
    app.docRegistry.addWidgetExtension('Notebook', {
      createNew: (notebook: NotebookPanel) => {
        const button = new ToolbarButton({
          icon: reviewerIcon,
          tooltip: 'Review this notebook (Ctrl+Alt+R)',
          onClick: () => void app.commands.execute(COMMAND)
        });
        button.node.dataset.testid = 'reviewer-toolbar';
        notebook.toolbar.insertItem(10, 'reviewer', button);
        return button;
      }
    });

    if (settings) {
      void settings.load(PLUGIN_ID).then(loaded => {
        const apply = (): void => {
          panel.reviewOnSave = loaded.get('reviewOnSave').composite as boolean;
          panel.reviewAsYouType = loaded.get('reviewAsYouType').composite as boolean;
          panel.inlineDiagnostics = loaded.get('inlineDiagnostics').composite as boolean;
          panel.pageSize = loaded.get('pageSize').composite as number;
        };
        apply();
        loaded.changed.connect(apply);
      }).catch(reason => console.error('reviewer: cannot load settings', reason));
    }
  }
};

export default plugin;
