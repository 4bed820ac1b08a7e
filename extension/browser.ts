// Entry point VS Code for the web loads (vscode.dev, github.dev; bundled to dist/web/extension.js,
// package.json "browser"). The same extension as extension.ts; only where its parts run differs:
// the debug adapter and the language server each in a Web Worker, files through vscode.workspace.fs.
import { loadStart } from './clock';
import * as vscode from 'vscode';
import { activateOn, Platform, RingsideApi } from './activate';
import { WebAdapterFactory } from './debug/webAdapter';
import { startWebLanguageClient } from './languageClientWeb';
import { DEBUG_TYPE, programPath } from './debug/configProvider';

export type { RingsideApi } from './activate';
export { deactivate } from './activate';

const loadMs = Date.now() - loadStart;

const web: Platform = {
  host: 'browser',
  adapterFactory: (c) => new WebAdapterFactory(vscode.Uri.joinPath(c.extCtx.extensionUri, 'dist/web/debugAdapter.js')),
  startLanguageClient: (c) => startWebLanguageClient(vscode.Uri.joinPath(c.extCtx.extensionUri, 'dist/web/languageServer.js'), c.output),
  // No processes to run the CLI in: run the program without debugging; its output goes to the
  // Debug Console. Resolves with whether the run started.
  runHeadless: () => async () => {
    const doc = vscode.window.activeTextEditor?.document;
    if (!doc || doc.languageId !== 'r32asm') {
      void vscode.window.showErrorMessage(vscode.l10n.t('Ringside: open a .rasm file first.'));
      return undefined;
    }
    const name = `Ringside: run ${doc.uri.path.split('/').pop()}`;
    return vscode.debug.startDebugging(vscode.workspace.getWorkspaceFolder(doc.uri), { type: DEBUG_TYPE, request: 'launch', name, program: programPath(doc.uri) }, { noDebug: true });
  },
  // As WebAdapterFactory starts the worker: the session's folder.
};

export function activate(context: vscode.ExtensionContext): RingsideApi {
  return activateOn(web, context, loadMs);
}
