// F5 on an open .rasm file works with no launch.json: an empty configuration becomes
// "debug the current file". Attribute checks (types, unknown names) are the adapter's job,
// so the same messages reach every DAP client, not only VS Code.
import * as vscode from 'vscode';
import { programLabel, programUri } from './programName';

export const DEBUG_TYPE = 'ringside';

/**
 * How the adapter names a file: a path on a disk, a URI string anywhere else (vscode.dev,
 * github.dev, where the adapter reads files through the editor).
 */
export function programPath(uri: vscode.Uri): string {
  return uri.scheme === 'file' ? uri.fsPath : uri.toString();
}

export class RingsideConfigurationProvider implements vscode.DebugConfigurationProvider {
  /**
   * `trusted` (given to one of the two registrations, so the question is asked once): a launch
   * in Restricted Mode is refused with the reason and the way to trust (trust.ts).
   */
  constructor(private readonly trusted?: (what: string) => Promise<boolean>) {}

  async resolveDebugConfigurationWithSubstitutedVariables(folder: vscode.WorkspaceFolder | undefined, config: vscode.DebugConfiguration): Promise<vscode.DebugConfiguration | undefined> {
    if (this.trusted && config.type === DEBUG_TYPE && !(await this.trusted('Debugging'))) return undefined; // abort the launch
    // The adapter names the program's includes from outside this folder in the launch output
    // (a path on the disk, the folder's URI in the browser, as the adapter names files there).
    if (folder && config.__workspaceFolder === undefined) config.__workspaceFolder = programPath(folder.uri);
    return config;
  }

  resolveDebugConfiguration(folder: vscode.WorkspaceFolder | undefined, config: vscode.DebugConfiguration): vscode.ProviderResult<vscode.DebugConfiguration> {
    const resolved = this.resolve(folder, config);
    if (resolved?.type === DEBUG_TYPE) {
      // Messages name files relative to the workspace, not to where VS Code was started (a
      // chain of ../ before samples/hello/hello.rasm).
      const program = typeof resolved.program === 'string' && !resolved.program.includes('${') ? programUri(resolved.program) : undefined;
      const home = (program && vscode.workspace.getWorkspaceFolder(program)) ?? folder ?? vscode.workspace.workspaceFolders?.[0];
      if (resolved.cwd === undefined && home) resolved.cwd = programPath(home.uri);
      // This extension shows assembler errors itself (launchFailures.ts): the adapter then
      // leaves them out of the editor's own dialog. `__` attributes are the client's.
      resolved.__ringsidePresentsErrors = true;
    }
    return resolved;
  }

  private resolve(folder: vscode.WorkspaceFolder | undefined, config: vscode.DebugConfiguration): vscode.DebugConfiguration | undefined {
    if (!config.type && !config.request && !config.name) {
      const editor = vscode.window.activeTextEditor;
      if (editor && editor.document.languageId === 'r32asm') {
        // Named by the program: two sessions (and their panels) can be told apart.
        const program = programPath(editor.document.uri);
        return { type: DEBUG_TYPE, request: 'launch', name: `Ringside: ${programLabel(program)}`, program, stopOnEntry: true };
      }
    }
    if (config.type === DEBUG_TYPE && !config.program) {
      const editor = vscode.window.activeTextEditor;
      if (editor && editor.document.languageId === 'r32asm') config.program = programPath(editor.document.uri);
      else {
        void vscode.window.showErrorMessage(vscode.l10n.t('Ringside: open a .rasm file or set "program" in the launch configuration.'));
        return undefined; // abort the launch
      }
    }
    substituteUris(folder, config);
    return config;
  }

  /** Offered in the "Run and Debug" picker when there is no launch.json. */
  provideDebugConfigurations(): vscode.ProviderResult<vscode.DebugConfiguration[]> {
    return [{ type: DEBUG_TYPE, request: 'launch', name: vscode.l10n.t('Ringside: debug current file'), program: '${file}', stopOnEntry: true }];
  }
}

/**
 * Outside a disk, VS Code substitutes ${file} and ${workspaceFolder} with label paths that lost
 * their file system (`/hello/hello.rasm`); put the URIs in first so the adapter can read them.
 */
function substituteUris(folder: vscode.WorkspaceFolder | undefined, config: vscode.DebugConfiguration): void {
  const file = vscode.window.activeTextEditor?.document.uri;
  const root = folder?.uri ?? vscode.workspace.workspaceFolders?.[0]?.uri;
  for (const key of ['program', 'cwd'] as const) {
    let v = config[key];
    if (typeof v !== 'string') continue;
    if (file && file.scheme !== 'file') v = v.split('${file}').join(file.toString());
    if (root && root.scheme !== 'file') v = v.split('${workspaceFolder}').join(root.toString());
    config[key] = v;
  }
  if (config.cwd === undefined && root && root.scheme !== 'file') config.cwd = root.toString();
}
