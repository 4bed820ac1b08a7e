// The adapter runs as its own process (the bundled dist/debugAdapter.js) so that a runaway
// guest can never freeze the editor. The editor's own runtime starts it: in desktop VS Code
// that is Electron, which behaves as Node with ELECTRON_RUN_AS_NODE=1; code-server runs on Node.
import * as vscode from 'vscode';

export class RingsideAdapterFactory implements vscode.DebugAdapterDescriptorFactory {
  constructor(private readonly adapterPath: string) {}

  createDebugAdapterDescriptor(): vscode.ProviderResult<vscode.DebugAdapterDescriptor> {
    return new vscode.DebugAdapterExecutable(process.execPath, [this.adapterPath], {
      env: { ELECTRON_RUN_AS_NODE: '1' },
    });
  }
}
