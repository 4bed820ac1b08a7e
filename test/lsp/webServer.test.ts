/**
 * The language server as it runs in the browser: no file system; files that are not open come
 * from the editor through the client's answers to webServiceHost's requests, later than the
 * first analysis. Over an in-memory connection pair; every wait is on a protocol message.
 */
import * as assert from 'assert';
import { PassThrough } from 'stream';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter } from 'vscode-jsonrpc/node';
import type { PublishDiagnosticsParams } from 'vscode-languageserver';
import { createConnection } from 'vscode-languageserver/node';
import { startServer } from '../../language/server/server';
import { WEB_REQUESTS, webServiceHost } from '../../language/server/webServiceHost';
import { lines } from './helpers';

const MAIN = 'vscode-vfs://github/me/os/main.rasm';
const LIB = 'vscode-vfs://github/me/os/lib/defs.rasm';

describe('lsp server with the browser host', () => {
  it('asks the editor for an included file and analyses again when it arrives', async () => {
    const up = new PassThrough();
    const down = new PassThrough();
    const server = createConnection(up, down);
    startServer(server, { host: webServiceHost(server), diskTtlMs: 0 });
    server.listen();
    const client = createMessageConnection(new StreamMessageReader(down), new StreamMessageWriter(up));
    const asked: string[] = [];
    client.onRequest(WEB_REQUESTS.readFile, ({ uri }: { uri: string }) => {
      asked.push(uri);
      return uri === LIB ? lines('.equ ANSWER, 42') : null;
    });
    const published: PublishDiagnosticsParams[] = [];
    let clean: () => void = () => undefined;
    const cleanNow = new Promise<void>((r) => (clean = r));
    client.onNotification('textDocument/publishDiagnostics', (p: PublishDiagnosticsParams) => {
      published.push(p);
      if (p.uri === MAIN && p.diagnostics.length === 0) clean();
    });
    client.listen();
    await client.sendRequest('initialize', { processId: null, rootUri: null, capabilities: {}, workspaceFolders: [{ uri: 'vscode-vfs://github/me/os', name: 'os' }] });
    await client.sendNotification('initialized', {});
    await client.sendNotification('textDocument/didOpen', {
      textDocument: { uri: MAIN, languageId: 'r32asm', version: 1, text: lines('.include "lib/defs.rasm"', '_start:', '    mov r1, ANSWER', '    hlt') },
    });
    await cleanNow;
    // First analysed without the file (it was being read), then again with it: no errors left.
    assert.deepStrictEqual(asked, [LIB]);
    assert.ok(published[0].diagnostics.some((d) => d.code === 'missing-include'), JSON.stringify(published[0]));
    assert.strictEqual(published[published.length - 1].diagnostics.length, 0);
    client.dispose();
    server.dispose();
  });
});
