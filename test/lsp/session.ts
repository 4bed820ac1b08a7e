/** The language server over an in-memory connection pair, as an editor's client drives it: no sleeps, every wait is on a protocol message. */
import { PassThrough } from 'stream';
import { createMessageConnection, MessageConnection, StreamMessageReader, StreamMessageWriter } from 'vscode-jsonrpc/node';
import type { ClientCapabilities, InitializeParams, InitializeResult, PublishDiagnosticsParams } from 'vscode-languageserver';
import { createConnection } from 'vscode-languageserver/node';
import { startServer } from '../../language/server/server';
import { Paths } from '../../language/server/paths';
import { nodeFileUrls } from '../../language/server/nodeServiceHost';
import { memoryServiceHost } from './helpers';

/** What VS Code's client declares of what this server uses (markdown, snippets, nested symbols, code action literals, ...). */
export const VSCODE_CAPABILITIES: ClientCapabilities = {
  textDocument: {
    hover: { contentFormat: ['markdown', 'plaintext'] },
    completion: { completionItem: { snippetSupport: true, labelDetailsSupport: true, documentationFormat: ['markdown', 'plaintext'] } },
    signatureHelp: { signatureInformation: { documentationFormat: ['markdown', 'plaintext'], parameterInformation: { labelOffsetSupport: true } } },
    documentSymbol: { hierarchicalDocumentSymbolSupport: true },
    codeAction: { codeActionLiteralSupport: { codeActionKind: { valueSet: ['quickfix'] } } },
    publishDiagnostics: { relatedInformation: true },
  },
};

export interface SessionOptions {
  /** The client's capabilities (default: VS Code's, above). */
  capabilities?: ClientCapabilities;
  initializationOptions?: unknown;
  /** false: connect only; the test sends initialize itself (or not). */
  initialize?: boolean;
  /** What the server calls to collect the young generation (ServerOptions.collectYoung). */
  collectYoung?: () => void;
}

export const initializeParams = (o: SessionOptions = {}): InitializeParams => ({
  processId: null,
  rootUri: 'file:///w',
  capabilities: o.capabilities ?? VSCODE_CAPABILITIES,
  initializationOptions: o.initializationOptions ?? { editorCommands: true },
  workspaceFolders: [{ uri: 'file:///w', name: 'w' }],
});

export interface Session {
  client: MessageConnection;
  init: InitializeResult;
  /** Resolves with the next diagnostics for `uri` that satisfy `ok`. */
  diagnostics(uri: string, ok?: (p: PublishDiagnosticsParams) => boolean): Promise<PublishDiagnosticsParams>;
  close(): void;
}

export async function session(files: Record<string, string>, o: SessionOptions = {}): Promise<Session> {
  const map = new Map(Object.entries(files));
  const up = new PassThrough();
  const down = new PassThrough();
  const server = createConnection(up, down);
  startServer(server, { host: () => memoryServiceHost(map), paths: new Paths(nodeFileUrls), diskTtlMs: 0, collectYoung: o.collectYoung });
  server.listen();
  const client = createMessageConnection(new StreamMessageReader(down), new StreamMessageWriter(up));
  const waiting: { uri: string; ok: (p: PublishDiagnosticsParams) => boolean; resolve: (p: PublishDiagnosticsParams) => void }[] = [];
  client.onNotification('textDocument/publishDiagnostics', (p: PublishDiagnosticsParams) => {
    for (let i = 0; i < waiting.length; i++) {
      if (waiting[i].uri === p.uri && waiting[i].ok(p)) {
        waiting[i].resolve(p);
        waiting.splice(i--, 1);
      }
    }
  });
  client.listen();
  const init =
    o.initialize === false
      ? ({ capabilities: {} } as InitializeResult)
      : ((await client.sendRequest('initialize', initializeParams(o))) as InitializeResult);
  if (o.initialize !== false) await client.sendNotification('initialized', {});
  return {
    client,
    init,
    diagnostics: (uri, ok = () => true) => new Promise((resolve) => waiting.push({ uri, ok, resolve })),
    // The streams are not ended: the library's watchdog exits the process when its input ends.
    close: () => {
      client.dispose();
      server.dispose();
    },
  };
}

