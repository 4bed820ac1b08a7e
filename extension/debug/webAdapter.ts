// In the browser there are no processes: the adapter (the same one, debug-adapter/) runs in a
// Web Worker of its own, so a runaway guest never freezes the editor. VS Code talks to it inline
// (DebugAdapterInlineImplementation); the worker reads files through vscode.workspace.fs.
import * as vscode from 'vscode';
import type { FromWorker, ToWorker } from '../../debug-adapter/host/workerMessages';

// The extension host's Worker, typed by hand: the project compiles without the DOM library.
interface WorkerLike {
  postMessage(m: ToWorker): void;
  onmessage: ((e: { data: FromWorker }) => void) | null;
  terminate(): void;
}
declare const Worker: new (url: string) => WorkerLike;

class WorkerAdapter implements vscode.DebugAdapter {
  private readonly sent = new vscode.EventEmitter<vscode.DebugProtocolMessage>();
  readonly onDidSendMessage = this.sent.event;

  constructor(private readonly worker: WorkerLike, cwd: string) {
    worker.onmessage = (e) => {
      const m = e.data;
      if (m.kind === 'dap') this.sent.fire(m.message as vscode.DebugProtocolMessage);
      else if (m.kind === 'read') void this.read(m.id, m.uri);
    };
    worker.postMessage({ kind: 'start', cwd });
  }

  private async read(id: number, uri: string): Promise<void> {
    let result: { text: string } | { error: string };
    try {
      const target = vscode.Uri.parse(uri);
      const st = await vscode.workspace.fs.stat(target);
      if (st.type & vscode.FileType.Directory) result = { error: vscode.l10n.t('it is a directory') };
      else result = { text: new TextDecoder().decode(await vscode.workspace.fs.readFile(target)) };
    } catch (e) {
      result = { error: e instanceof vscode.FileSystemError && e.code === 'FileNotFound' ? vscode.l10n.t('no such file') : e instanceof Error ? e.message : String(e) };
    }
    this.worker.postMessage({ kind: 'read', id, result });
  }

  handleMessage(message: vscode.DebugProtocolMessage): void {
    this.worker.postMessage({ kind: 'dap', message });
  }

  dispose(): void {
    this.worker.terminate();
    this.sent.dispose();
  }
}

export class WebAdapterFactory implements vscode.DebugAdapterDescriptorFactory {
  constructor(private readonly workerUri: vscode.Uri) {}

  createDebugAdapterDescriptor(session: vscode.DebugSession): vscode.ProviderResult<vscode.DebugAdapterDescriptor> {
    const cwd = session.workspaceFolder?.uri ?? vscode.workspace.workspaceFolders?.[0]?.uri;
    return new vscode.DebugAdapterInlineImplementation(new WorkerAdapter(new Worker(this.workerUri.toString(true)), cwd ? cwd.toString() : ''));
  }
}
