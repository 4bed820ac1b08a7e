// F5 on an open .rasm file works with no launch.json: an empty configuration becomes
// "debug the current file". Attribute checks (types, unknown names) are the adapter's job,
// so the same messages reach every DAP client, not only VS Code.
import * as vscode from 'vscode';
import { programLabel } from './programName';

export const DEBUG_TYPE = 'ringside';

export class RingsideConfigurationProvider implements vscode.DebugConfigurationProvider {
  /**
   * `trusted` (given to one of the two registrations, so the question is asked once): a launch
   * in Restricted Mode is refused with the reason and the way to trust (trust.ts).
   */
  constructor(private readonly trusted?: (what: string) => Promise<boolean>) {}

  async resolveDebugConfigurationWithSubstitutedVariables(folder: vscode.WorkspaceFolder | undefined, config: vscode.DebugConfiguration): Promise<vscode.DebugConfiguration | undefined> {
    if (this.trusted && config.type === DEBUG_TYPE && !(await this.trusted('Debugging'))) return undefined; // abort the launch
    // The adapter names the program's includes from outside this folder in the launch output.
    if (folder?.uri.scheme === 'file' && config.__workspaceFolder === undefined) config.__workspaceFolder = folder.uri.fsPath;
    return config;
  }

  resolveDebugConfiguration(folder: vscode.WorkspaceFolder | undefined, config: vscode.DebugConfiguration): vscode.ProviderResult<vscode.DebugConfiguration> {
    const resolved = this.resolve(config);
    if (resolved?.type === DEBUG_TYPE) {
      // Messages name files relative to the workspace, not to where VS Code was started (a
      // chain of ../ before samples/hello/hello.rasm).
      const program = typeof resolved.program === 'string' && !resolved.program.includes('${') ? vscode.Uri.file(resolved.program) : undefined;
      const home = (program && vscode.workspace.getWorkspaceFolder(program)) ?? folder ?? vscode.workspace.workspaceFolders?.[0];
      if (resolved.cwd === undefined && home) resolved.cwd = home.uri.fsPath;
      // This extension shows assembler errors itself (launchFailures.ts): the adapter then
      // leaves them out of the editor's own dialog. `__` attributes are the client's.
      resolved.__ringsidePresentsErrors = true;
    }
    return resolved;
  }

  private resolve(config: vscode.DebugConfiguration): vscode.DebugConfiguration | undefined {
    if (!config.type && !config.request && !config.name) {
      const editor = vscode.window.activeTextEditor;
      if (editor && editor.document.languageId === 'r32asm') {
        // Named by the program: two sessions (and their panels) can be told apart.
        const program = editor.document.uri.fsPath;
        return { type: DEBUG_TYPE, request: 'launch', name: `Ringside: ${programLabel(program)}`, program, stopOnEntry: true };
      }
    }
    if (config.type === DEBUG_TYPE && !config.program) {
      const editor = vscode.window.activeTextEditor;
      if (editor && editor.document.languageId === 'r32asm') config.program = editor.document.uri.fsPath;
      else {
        void vscode.window.showErrorMessage(vscode.l10n.t('Ringside: open a .rasm file or set "program" in the launch configuration.'));
        return undefined; // abort the launch
      }
    }
    return config;
  }

  /** Offered in the "Run and Debug" picker when there is no launch.json. */
  provideDebugConfigurations(): vscode.ProviderResult<vscode.DebugConfiguration[]> {
    return [{ type: DEBUG_TYPE, request: 'launch', name: 'Ringside: debug current file', program: '${file}', stopOnEntry: true }];
  }
}
