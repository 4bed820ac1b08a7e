// The language client for the bundled server (dist/languageServer.js). Started once a .rasm
// file is open; the server is a separate Node process so a slow analysis never blocks the editor.
import * as vscode from 'vscode';
import { LanguageClient, LanguageClientOptions, ServerOptions, TransportKind } from 'vscode-languageclient/node';
import { SERVER_EXEC_ARGV } from '../language/server/nodeFlags';
import { TRUSTED_NOTIFICATION } from '../language/server/trustNotification';

export async function startLanguageClient(serverModule: string, output: vscode.OutputChannel): Promise<LanguageClient> {
  const serverOptions: ServerOptions = {
    // The server's Node flags (a larger young generation: see nodeFlags.ts) are part of its speed.
    run: { module: serverModule, transport: TransportKind.ipc, options: { execArgv: [...SERVER_EXEC_ARGV] } },
    debug: { module: serverModule, transport: TransportKind.ipc, options: { execArgv: [...SERVER_EXEC_ARGV, '--nolazy', '--inspect=6019'] } },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      { scheme: 'file', language: 'r32asm' },
      { scheme: 'untitled', language: 'r32asm' },
    ],
    outputChannel: output,
    // Restricted Mode: the server works, with includes confined to the workspace folders.
    // editorCommands: completion items may carry VS Code's own commands (another editor gets none).
    initializationOptions: { restricted: !vscode.workspace.isTrusted, editorCommands: true },
    synchronize: { fileEvents: vscode.workspace.createFileSystemWatcher('**/*.rasm') },
  };
  const client = new LanguageClient('ringside.r32asm', 'Ringside R32 Assembly', serverOptions, clientOptions);
  await client.start();
  if (!vscode.workspace.isTrusted) vscode.workspace.onDidGrantWorkspaceTrust(() => void client.sendNotification(TRUSTED_NOTIFICATION));
  return client;
}
