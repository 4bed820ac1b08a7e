// The language client in the browser: the same server (language/server) in a Web Worker, reading
// files through the editor (vscode.workspace.fs) by the requests webServiceHost.ts sends.
import * as vscode from 'vscode';
import { LanguageClient, LanguageClientOptions } from 'vscode-languageclient/browser';
import { TRUSTED_NOTIFICATION } from '../language/server/trustNotification';
import { WEB_REQUESTS } from '../language/server/webServiceHost';

// The extension host's Worker, typed by hand: the project compiles without the DOM library.
declare const Worker: new (url: string) => ConstructorParameters<typeof LanguageClient>[3];

const SKIP = new Set(['node_modules', '.git', 'dist', 'out']);

export async function startWebLanguageClient(serverUri: vscode.Uri, output: vscode.OutputChannel): Promise<LanguageClient> {
  const clientOptions: LanguageClientOptions = {
    // Any file system: vscode.dev and github.dev files are not on a disk.
    documentSelector: [{ language: 'r32asm' }],
    outputChannel: output,
    // Restricted Mode, as on Node (languageClient.ts): includes confined to the workspace folders.
    // editorCommands: completion items may carry VS Code's own commands (another editor gets none).
    initializationOptions: { restricted: !vscode.workspace.isTrusted, editorCommands: true },
    synchronize: { fileEvents: vscode.workspace.createFileSystemWatcher('**/*.rasm') },
  };
  const client = new LanguageClient('ringside.r32asm', 'Ringside R32 Assembly', clientOptions, new Worker(serverUri.toString(true)));
  client.onRequest(WEB_REQUESTS.readFile, async ({ uri }: { uri: string }) => {
    try {
      const target = vscode.Uri.parse(uri);
      if ((await vscode.workspace.fs.stat(target)).type & vscode.FileType.Directory) return null;
      return new TextDecoder().decode(await vscode.workspace.fs.readFile(target));
    } catch {
      return null;
    }
  });
  client.onRequest(WEB_REQUESTS.readDirectory, async ({ uri }: { uri: string }) => {
    try {
      return (await vscode.workspace.fs.readDirectory(vscode.Uri.parse(uri))).map(([name, type]) => ({ name, directory: (type & vscode.FileType.Directory) !== 0 }));
    } catch {
      return null;
    }
  });
  client.onRequest(WEB_REQUESTS.workspaceFiles, async () => {
    const found = await vscode.workspace.findFiles('**/*.rasm', `**/{${[...SKIP].join(',')}}/**`, 5000);
    return found.map((u) => u.toString());
  });
  await client.start();
  if (!vscode.workspace.isTrusted) vscode.workspace.onDidGrantWorkspaceTrust(() => void client.sendNotification(TRUSTED_NOTIFICATION));
  return client;
}
