/**
 * `npm run bench:lsp`: drives the real server (dist/languageServer.js) over
 * stdio with a JSON-RPC client on generated 10,000- and 20,000-line files and
 * prints p50/p95 per figure against its target.
 */
import { spawn } from 'child_process';
import * as path from 'path';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter } from 'vscode-jsonrpc/node';
import { SERVER_EXEC_ARGV } from '../language/server/nodeFlags';
import { generate } from './gen-bench-source';

const LINES = 10_000;
const BIG = 20_000;

function rng(seed: number): () => number {
  let s = seed;
  return () => ((s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 0x100000000);
}

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(p * s.length))];
};

function report(name: string, xs: number[], target: number): boolean {
  const p95 = pct(xs, 0.95);
  const ok = p95 <= target;
  console.log(`${name} p50 ${pct(xs, 0.5).toFixed(1)} ms p95 ${p95.toFixed(1)} ms (target p95 ≤${target} ms)${ok ? '' : ' MISSED'}`);
  return ok;
}

async function main(): Promise<void> {
  // RINGSIDE_LSP_PROF=dir writes a CPU profile of the server there.
  const prof = process.env.RINGSIDE_LSP_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.RINGSIDE_LSP_PROF}`] : [];
  // The flags the extension starts the server with (override with RINGSIDE_LSP_NODE_FLAGS, '' for none).
  const env = process.env.RINGSIDE_LSP_NODE_FLAGS;
  const flags = env !== undefined ? env.split(' ').filter(Boolean) : [...SERVER_EXEC_ARGV];
  const server = spawn(process.execPath, [...flags, ...prof, path.join(__dirname, 'languageServer.js'), '--stdio'], { stdio: ['pipe', 'pipe', 'inherit'] });
  const conn = createMessageConnection(new StreamMessageReader(server.stdout), new StreamMessageWriter(server.stdin));
  const waiters = new Map<string, (version: number | undefined) => void>();
  conn.onNotification('textDocument/publishDiagnostics', (p: { uri: string; version?: number }) => {
    const key = `${p.uri}@${p.version}`;
    waiters.get(key)?.(p.version);
    waiters.delete(key);
  });
  conn.listen();
  const diagnosed = (uri: string, version: number) => new Promise<unknown>((resolve) => waiters.set(`${uri}@${version}`, resolve));
  await conn.sendRequest('initialize', { processId: process.pid, rootUri: null, capabilities: {} });
  await conn.sendNotification('initialized', {});

  const text = generate(LINES);
  const lines = text.split('\n');
  const time = async (f: () => Promise<unknown>) => {
    const t = performance.now();
    await f();
    return performance.now() - t;
  };

  // Full diagnostics: open the whole file (a new document each time).
  const full: number[] = [];
  for (let i = 0; i < 40; i++) {
    const uri = `file:///bench/full${i}.rasm`;
    const ms = await time(async () => {
      const done = diagnosed(uri, 1);
      await conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'r32asm', version: 1, text } });
      await done;
    });
    if (i >= 5) full.push(ms);
    await conn.sendNotification('textDocument/didClose', { textDocument: { uri } });
  }

  // The same on a file twice as long: the passes must stay linear.
  const bigText = generate(BIG);
  const big: number[] = [];
  for (let i = 0; i < 25; i++) {
    const uri = `file:///bench/big${i}.rasm`;
    const ms = await time(async () => {
      const done = diagnosed(uri, 1);
      await conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'r32asm', version: 1, text: bigText } });
      await done;
    });
    if (i >= 5) big.push(ms);
    await conn.sendNotification('textDocument/didClose', { textDocument: { uri } });
  }

  // One-character edits at random places (typed, then deleted), each waited for.
  const uri = 'file:///bench/main.rasm';
  let version = 1;
  let done = diagnosed(uri, version);
  await conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'r32asm', version, text } });
  await done;
  const r = rng(1);
  const edits: number[] = [];
  for (let i = 0; i < 400; i++) {
    const line = Math.floor(r() * LINES);
    const character = Math.floor(r() * (lines[line].length + 1));
    const ch = 'x1 ,;.:'[Math.floor(r() * 7)];
    for (const change of [
      { range: { start: { line, character }, end: { line, character } }, text: ch },
      { range: { start: { line, character }, end: { line, character: character + 1 } }, text: '' },
    ]) {
      version++;
      const ms = await time(async () => {
        done = diagnosed(uri, version);
        await conn.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges: [change] });
        await done;
      });
      if (i >= 20) edits.push(ms);
    }
  }

  // Completion after a mnemonic, hover on mnemonics and labels.
  const completion: number[] = [];
  const hover: number[] = [];
  for (let i = 0; i < 300; i++) {
    const base = 7 + 14 * Math.floor(r() * ((LINES - 20) / 14));
    const c = await time(() => conn.sendRequest('textDocument/completion', { textDocument: { uri }, position: { line: base + 7, character: 12 } }));
    const h = await time(() => conn.sendRequest('textDocument/hover', { textDocument: { uri }, position: { line: base + 1 + (i % 10), character: 9 } }));
    if (i >= 20) {
      completion.push(c);
      hover.push(h);
    }
  }

  if (process.env.RINGSIDE_LSP_TAIL) console.log('slowest edits (ms):', [...edits].sort((a, b) => b - a).slice(0, 40).map((x) => x.toFixed(1)).join(' '));
  const ok = [
    report(`full diagnostics ${LINES / 1000}k lines`, full, 50),
    report(`full diagnostics ${BIG / 1000}k lines`, big, 50),
    report('re-diagnosis after a one-character edit', edits, 5),
    report('completion', completion, 10),
    report('hover', hover, 10),
  ].every(Boolean);
  await conn.sendRequest('shutdown');
  await conn.sendNotification('exit');
  conn.dispose();
  process.exitCode = ok ? 0 : 1;
}

if (require.main === module) {
  main().catch((e) => {
    console.error(e);
    process.exit(2);
  });
}
