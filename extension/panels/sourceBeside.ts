// Keeps a panel in view when the machine stops. VS Code shows a stop's source line in the active
// editor group, unless the file is open in another group already (it reveals it there). Once the
// student has clicked in a panel (a transition, then perhaps Step Back on the toolbar), the
// active group is the panel's: the source would cover the panel. So the stop's source is opened
// first, without the focus, in another group; VS Code then shows the stop there.
import * as vscode from 'vscode';
import { programUri } from '../debug/programName';

/** Whether a tab shows this file. */
function shows(tab: vscode.Tab, uri: vscode.Uri): boolean {
  return tab.input instanceof vscode.TabInputText && tab.input.uri.toString() === uri.toString();
}

/**
 * The stop's source (`path` as the adapter names it, `line` 0-based) in a group other than the
 * panel's, when the panel is the active editor and the file is not open in another group.
 */
export function showStopBeside(panel: vscode.WebviewPanel, source: { path: string; line: number } | undefined): void {
  if (!source || !panel.visible || !panel.active) return;
  const mine = panel.viewColumn;
  const uri = programUri(source.path);
  const others = vscode.window.tabGroups.all.filter((g) => g.viewColumn !== mine);
  const inPanelGroup = vscode.window.tabGroups.all.some((g) => g.viewColumn === mine && g.tabs.some((t) => shows(t, uri)));
  // Open in another group (and not behind the panel, where VS Code might pick it): it is revealed there.
  if (!inPanelGroup && others.some((g) => g.tabs.some((t) => shows(t, uri)))) return;
  // The group the student reads code in: the one of the last text editor, else any other, else a new one beside.
  const text = others.find((g) => g.activeTab?.input instanceof vscode.TabInputText) ?? others[0];
  const line = Math.max(0, source.line);
  const options: vscode.TextDocumentShowOptions = { viewColumn: text?.viewColumn ?? vscode.ViewColumn.Beside, preserveFocus: true, preview: true, selection: new vscode.Range(line, 0, line, 0) };
  // One message to the workbench (showTextDocument would first open the document, a round trip):
  // it must be there before VS Code opens the stop's source itself.
  void vscode.commands.executeCommand('vscode.open', uri, options).then(undefined, () => undefined);
}
