// `ringside lsp` and `ringside dap` as another editor starts them: the built CLI, the protocol
// over its standard input and output, and its exit code the server's. Every wait is on a message
// or on the process's exit.
import * as assert from 'assert';
import { spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { pathToFileURL } from 'url';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter } from 'vscode-jsonrpc/node';
import type { PublishDiagnosticsParams } from 'vscode-languageserver';
import { DebugClient } from '@vscode/debugadapter-testsupport';
import type { DebugProtocol } from '@vscode/debugprotocol';

const ROOT = path.resolve(__dirname, '../../..');
const CLI = path.join(ROOT, 'dist/cli.js');
const HELLO = path.join(ROOT, 'samples/hello/hello.rasm');

const exited = (p: ReturnType<typeof spawn>) => new Promise<number | null>((resolve) => p.on('exit', (code) => resolve(code)));

describe('ringside lsp: the language server over stdio', function () {
  this.timeout(30000);

  for (const args of [['lsp'], ['lsp', '--stdio']]) {
    it(`\`ringside ${args.join(' ')}\`: diagnostics for an opened file, then shutdown and exit with code 0`, async () => {
      const p = spawn(process.execPath, [CLI, ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
      let stderr = '';
      p.stderr!.on('data', (d) => (stderr += d));
      const end = exited(p);
      const conn = createMessageConnection(new StreamMessageReader(p.stdout!), new StreamMessageWriter(p.stdin!));
      const published = new Promise<PublishDiagnosticsParams>((resolve) => conn.onNotification('textDocument/publishDiagnostics', resolve));
      conn.listen();
      const init = (await conn.sendRequest('initialize', { processId: process.pid, rootUri: null, capabilities: {} })) as { capabilities: Record<string, unknown>; serverInfo?: { name: string } };
      assert.strictEqual(init.serverInfo?.name, 'ringside-r32asm');
      assert.ok(init.capabilities.hoverProvider && init.capabilities.renameProvider, JSON.stringify(init.capabilities));
      await conn.sendNotification('initialized', {});
      const uri = pathToFileURL(path.join(os.tmpdir(), 'cli-lsp.rasm')).href;
      await conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'r32asm', version: 1, text: '_start: movv r1, 2\n' } });
      const d = await published;
      assert.strictEqual(d.uri, uri);
      assert.deepStrictEqual(d.diagnostics.map((x) => [x.range.start.line, x.range.start.character, x.code]), [[0, 8, 'unknown-mnemonic']]);
      await conn.sendRequest('shutdown');
      await conn.sendNotification('exit');
      assert.strictEqual(await end, 0, stderr);
      conn.dispose();
    });
  }

  it('ends with the server when the editor goes away without a shutdown (its input closed): exit code 1', async () => {
    const p = spawn(process.execPath, [CLI, 'lsp'], { stdio: ['pipe', 'pipe', 'pipe'] });
    const end = exited(p);
    const conn = createMessageConnection(new StreamMessageReader(p.stdout!), new StreamMessageWriter(p.stdin!));
    conn.listen();
    await conn.sendRequest('initialize', { processId: null, rootUri: null, capabilities: {} });
    p.stdin!.end();
    assert.strictEqual(await end, 1);
    conn.dispose();
  });

  it('refuses other options with the usage (exit code 2); --help prints it (exit code 0)', () => {
    const bad = spawnSync(process.execPath, [CLI, 'lsp', '--socket=5000'], { encoding: 'utf8' });
    assert.strictEqual(bad.status, 2);
    assert.match(bad.stderr, /unexpected '--socket=5000'[\s\S]*ringside lsp \[--stdio\]/);
    const help = spawnSync(process.execPath, [CLI, 'dap', '--help'], { encoding: 'utf8' });
    assert.strictEqual(help.status, 0);
    assert.match(help.stdout, /ringside dap\n\s+the debug adapter/);
  });
});

describe('ringside dap: the debug adapter over stdio', function () {
  this.timeout(30000);
  let dir: string;
  before(() => {
    // DebugClient starts `node FILE` with no arguments: FILE is this shim, which runs the CLI as `ringside dap`.
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ringside-dap-'));
    fs.writeFileSync(path.join(dir, 'ringside-dap.js'), `process.argv.splice(2, 0, 'dap');\nrequire(${JSON.stringify(CLI)});\n`);
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('runs hello to its end: the guest output and its exit code', async () => {
    const dc = new DebugClient(process.execPath, path.join(dir, 'ringside-dap.js'), 'ringside');
    dc.defaultTimeout = 20000;
    await dc.start();
    let out = '';
    dc.on('output', (e: DebugProtocol.OutputEvent) => {
      if (e.body.category === 'stdout') out += e.body.output;
    });
    try {
      // Both waited for before the launch: they come together at the end.
      const exitedEvent = dc.waitForEvent('exited') as Promise<DebugProtocol.ExitedEvent>;
      const terminated = dc.waitForEvent('terminated');
      await Promise.all([dc.waitForEvent('initialized').then(() => dc.configurationDoneRequest()), dc.launch({ program: HELLO })]);
      assert.strictEqual((await exitedEvent).body.exitCode, 0);
      await terminated;
      assert.match(out, /Hello from ring 3/);
    } finally {
      await dc.stop();
    }
  });
});
