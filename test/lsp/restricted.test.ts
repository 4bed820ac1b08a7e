/**
 * Restricted Mode in the language server: started with initializationOptions.restricted, an
 * `.include` outside the workspace folder (by ../, an absolute path or a symbolic link) is a
 * located error and is not read; one inside works; once the client says the workspace is
 * trusted, the same include is read. Real files on disk through the Node host.
 */
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { PassThrough } from 'stream';
import { pathToFileURL } from 'url';
import { createMessageConnection, MessageConnection, StreamMessageReader, StreamMessageWriter } from 'vscode-jsonrpc/node';
import type { PublishDiagnosticsParams } from 'vscode-languageserver';
import { createConnection } from 'vscode-languageserver/node';
import { startServer } from '../../language/server/server';
import { Paths } from '../../language/server/paths';
import { nodeFileUrls, nodeServiceHost } from '../../language/server/nodeServiceHost';
import { insideFolder, OUTSIDE_WORKSPACE } from '../../language/server/confine';
import { TRUSTED_NOTIFICATION } from '../../language/server/trustNotification';

describe('lsp server in Restricted Mode (untrusted workspace)', () => {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'ringside-trust-')));
  const ws = path.join(dir, 'ws');
  const secret = path.join(dir, 'secret.inc');
  fs.mkdirSync(ws);
  fs.writeFileSync(secret, 'SECRET: nop\n');
  fs.writeFileSync(path.join(ws, 'lib.inc'), 'LIB: nop\n');
  fs.symlinkSync(secret, path.join(ws, 'link.inc'));
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  let client: MessageConnection | undefined;
  let dispose = () => {};
  afterEach(() => dispose());

  async function start(restricted: boolean) {
    const up = new PassThrough();
    const down = new PassThrough();
    const server = createConnection(up, down);
    const realPath = (id: string) => {
      try {
        return fs.realpathSync.native(id);
      } catch {
        return undefined;
      }
    };
    startServer(server, { host: nodeServiceHost, paths: new Paths(nodeFileUrls), diskTtlMs: 0, realPath });
    server.listen();
    const c = (client = createMessageConnection(new StreamMessageReader(down), new StreamMessageWriter(up)));
    const waiting: { uri: string; ok: (p: PublishDiagnosticsParams) => boolean; resolve: (p: PublishDiagnosticsParams) => void }[] = [];
    c.onNotification('textDocument/publishDiagnostics', (p: PublishDiagnosticsParams) => {
      for (let i = 0; i < waiting.length; i++) {
        if (waiting[i].uri === p.uri && waiting[i].ok(p)) {
          waiting[i].resolve(p);
          waiting.splice(i--, 1);
        }
      }
    });
    c.listen();
    const root = pathToFileURL(ws).href;
    await c.sendRequest('initialize', { processId: null, rootUri: root, capabilities: {}, workspaceFolders: [{ uri: root, name: 'ws' }], initializationOptions: { restricted } });
    await c.sendNotification('initialized', {});
    dispose = () => {
      c.dispose();
      server.dispose();
    };
    return (uri: string, ok: (p: PublishDiagnosticsParams) => boolean = () => true) => new Promise<PublishDiagnosticsParams>((resolve) => waiting.push({ uri, ok, resolve }));
  }

  const MAIN = () => pathToFileURL(path.join(ws, 'main.rasm')).href;
  const TEXT = ['_start: call LIB', '    call SECRET', '    hlt', '.include "lib.inc"', '.include "../secret.inc"', `.include "${secret}"`, '.include "link.inc"', ''].join('\n');
  const open = (text: string) => client!.sendNotification('textDocument/didOpen', { textDocument: { uri: MAIN(), languageId: 'r32asm', version: 1, text } });
  const errors = (p: PublishDiagnosticsParams) => p.diagnostics.filter((d) => d.severity === 1).map((d) => `${d.range.start.line}: ${d.message}`);

  it('includes outside the folder are located errors, never read; inside works; trust lifts it', async () => {
    const diagnostics = await start(true);
    const first = diagnostics(MAIN());
    await open(TEXT);
    const e = errors(await first);
    assert.deepStrictEqual(e, [
      `4: cannot read included file '../secret.inc' (${secret}): ${OUTSIDE_WORKSPACE}`,
      `5: cannot read included file '${secret}' (${secret}): ${OUTSIDE_WORKSPACE}`,
      `6: cannot read included file 'link.inc' (${path.join(ws, 'link.inc')}): ${OUTSIDE_WORKSPACE}`,
      // SECRET was never read, so it is unknown; LIB (inside) is defined.
      `1: undefined label or constant 'SECRET'`,
    ].sort((a, b) => parseInt(a) - parseInt(b)));
    // Trusted: the same includes are read, and SECRET is defined.
    const trusted = diagnostics(MAIN(), (p) => !errors(p).some((m) => m.includes('cannot read')));
    await client!.sendNotification(TRUSTED_NOTIFICATION);
    // Read now, and SECRET defined; the program reaches secret.inc three ways, so its label is
    // defined three times: told at the include lines that brought it in again.
    const after = errors(await trusted);
    assert.deepStrictEqual(after.map((m) => [parseInt(m), /in included file .*duplicate label 'SECRET'/.test(m)]), [[4, true], [6, true]]);
  });

  it('a trusted workspace (not restricted) reads includes outside the folder', async () => {
    const diagnostics = await start(false);
    const first = diagnostics(MAIN());
    await open(['_start: call SECRET', '    hlt', '.include "../secret.inc"', ''].join('\n'));
    assert.deepStrictEqual(errors(await first), []);
  });

  it('insideFolder compares whole path segments, on both slash kinds and drive letters', () => {
    assert.ok(insideFolder('/w', '/w/a.rasm'));
    assert.ok(insideFolder('/w/', '/w/sub/a.rasm'));
    assert.ok(!insideFolder('/w', '/wx/a.rasm'));
    assert.ok(!insideFolder('/w', '/a.rasm'));
    assert.ok(insideFolder('C:\\Users\\s\\ws', 'c:/users/s/ws/a.rasm'));
    assert.ok(insideFolder('vscode-vfs://github/u/r', 'vscode-vfs://github/u/r/a.rasm'));
    assert.ok(!insideFolder('vscode-vfs://github/u/r', 'vscode-vfs://github/u/other/a.rasm'));
  });
});
