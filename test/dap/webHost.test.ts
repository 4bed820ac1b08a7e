/**
 * The adapter as it runs in the browser: the same RingsideSession, driven inline (as the Web
 * Worker does), with the browser host: files named by URI and read asynchronously, run slices
 * yielded through a MessageChannel. No process, no fs in the adapter.
 */
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { DebugProtocol } from '@vscode/debugprotocol';
import { RingsideSession } from '../../debug-adapter/dap/session';
import { webAdapterHost } from '../../debug-adapter/host/webHost';
import { uriPaths } from '../../language/uriPaths';
import { MAX_SOURCE_BYTES } from '../../language/sourceLimits';
import { ROOT, fixture, lineOf } from './helpers';

const COURSE = 'mem://course';

/** The samples folder and the fixtures, by URI, as the editor would serve them. */
function readFile(reads: string[], extra: Map<string, string>) {
  return async (uri: string): Promise<{ text: string } | { error: string }> => {
    reads.push(uri);
    const given = extra.get(uri);
    if (given !== undefined) return { text: given };
    const rel = uri.startsWith(COURSE + '/') ? uri.slice(COURSE.length + 1) : undefined;
    const file = rel === undefined ? undefined : rel.startsWith('fixtures/') ? fixture(rel.slice(9)) : path.join(ROOT, 'samples', rel);
    await new Promise((r) => setTimeout(r, 1)); // an answer that arrives later, as the editor's does
    return file && fs.existsSync(file) ? { text: fs.readFileSync(file, 'utf8') } : { error: 'no such file' };
  };
}

/** A DAP client that talks to the session in this process, as the worker's message loop does. */
class Inline {
  private seq = 1;
  private readonly replies = new Map<number, (r: DebugProtocol.Response) => void>();
  private readonly waiters: { event: string; resolve: (e: DebugProtocol.Event) => void }[] = [];
  readonly reads: string[] = [];
  /** The output events' text. */
  readonly output: string[] = [];
  readonly session: RingsideSession;

  /** `extra`: files by URI served besides the samples and fixtures. */
  constructor(extra = new Map<string, string>()) {
    this.session = new RingsideSession(webAdapterHost(readFile(this.reads, extra), COURSE));
    this.session.onDidSendMessage((m) => {
      const msg = m as DebugProtocol.ProtocolMessage;
      if (msg.type === 'response') this.replies.get((msg as DebugProtocol.Response).request_seq)?.((msg as DebugProtocol.Response));
      if (msg.type === 'event') {
        const e = msg as DebugProtocol.Event;
        if (e.event === 'output') this.output.push((e as DebugProtocol.OutputEvent).body.output);
        const i = this.waiters.findIndex((w) => w.event === e.event);
        if (i >= 0) this.waiters.splice(i, 1)[0].resolve(e);
      }
    });
  }

  request(command: string, args?: unknown): Promise<DebugProtocol.Response> {
    const seq = this.seq++;
    return new Promise((resolve) => {
      this.replies.set(seq, resolve);
      this.session.handleMessage({ seq, type: 'request', command, arguments: args } as DebugProtocol.Request);
    });
  }

  event(name: string): Promise<DebugProtocol.Event> {
    return new Promise((resolve) => this.waiters.push({ event: name, resolve }));
  }

  /** initialize, launch, configure between initialized and configurationDone. */
  async launch(args: Record<string, unknown>, configure?: () => Promise<unknown>): Promise<DebugProtocol.Response> {
    await this.request('initialize', { adapterID: 'ringside', linesStartAt1: true, columnsStartAt1: true, pathFormat: 'path' });
    const initialized = this.event('initialized');
    const launched = this.request('launch', args);
    const done = Promise.race([initialized, launched]).then(async () => {
      if (configure) await configure();
      await this.request('configurationDone');
    });
    const r = await launched;
    if (r.success) await done;
    return r;
  }
}

describe('debug adapter with the browser host', () => {
  it('reads the program and its includes by URI through the host, and names sources by URI', async () => {
    const c = new Inline();
    const program = `${COURSE}/syscalls/syscalls.rasm`;
    const inc = `${COURSE}/syscalls/fs.rasm`;
    const stopped = c.event('stopped');
    let bps: DebugProtocol.SetBreakpointsResponse | undefined;
    const r = await c.launch({ program: 'syscalls/syscalls.rasm', stopOnEntry: true }, async () => {
      bps = (await c.request('setBreakpoints', { source: { path: inc }, breakpoints: [{ line: lineOf(path.join(ROOT, 'samples/syscalls/fs.rasm'), 'fd_init_std:') }] })) as DebugProtocol.SetBreakpointsResponse;
    });
    assert.ok(r.success, r.message);
    assert.strictEqual(((await stopped) as DebugProtocol.StoppedEvent).body.reason, 'entry');
    // Relative to the launch's folder (the host's cwd), then every include, each read once.
    assert.ok(c.reads.includes(program) && c.reads.includes(inc) && c.reads.includes(`${COURSE}/lib/defs.rasm`), c.reads.join(' '));
    assert.strictEqual(new Set(c.reads).size, c.reads.length);
    assert.strictEqual(bps?.body.breakpoints[0].verified, true, bps?.body.breakpoints[0].message);
    const st = (await c.request('stackTrace', { threadId: 1 })) as DebugProtocol.StackTraceResponse;
    // _start is in an included file.
    assert.deepStrictEqual(st.body.stackFrames[0].source, { name: 'boot.rasm', path: `${COURSE}/lib/boot.rasm` });
    // The breakpoint in the included file is hit, and its frame names that file's URI.
    const hit = c.event('stopped');
    await c.request('continue', { threadId: 1 });
    assert.strictEqual(((await hit) as DebugProtocol.StoppedEvent).body.reason, 'breakpoint');
    const st2 = (await c.request('stackTrace', { threadId: 1 })) as DebugProtocol.StackTraceResponse;
    assert.strictEqual(st2.body.stackFrames[0].source?.path, inc);
    await c.request('disconnect');
  });

  it('says why a program or an include cannot be read', async () => {
    const c = new Inline();
    const r = await c.launch({ program: `${COURSE}/nope.rasm` });
    assert.strictEqual(r.success, false);
    assert.match(r.body?.error?.variables?._message ?? '', /cannot read program mem:\/\/course\/nope\.rasm: no such file/);
  });

  it('applies the size rule of the Node host to what the editor reads: an include over 64 MiB is a located error', async () => {
    const c = new Inline(
      new Map([
        [`${COURSE}/big.rasm`, '_start: nop\n.include "huge.inc"\n    hlt\n'],
        [`${COURSE}/huge.inc`, ';'.repeat(MAX_SOURCE_BYTES + 1)],
      ]),
    );
    const r = await c.launch({ program: 'big.rasm' });
    assert.strictEqual(r.success, false);
    assert.match(r.body?.error?.variables?._message ?? '', /big\.rasm:2:1: error: cannot read included file 'huge\.inc' \(mem:\/\/course\/huge\.inc\): it is larger than 64 MiB \(65 MiB\)/);
  });

  it('names the includes from outside the workspace folder in the launch output', async () => {
    const c = new Inline(
      new Map([
        [`${COURSE}/ws/main.rasm`, '_start: nop\n.include "../outside.inc"\n    hlt\n'],
        [`${COURSE}/outside.inc`, 'nop\n'],
      ]),
    );
    const r = await c.launch({ program: 'ws/main.rasm', stopOnEntry: true, __workspaceFolder: `${COURSE}/ws` });
    assert.ok(r.success, r.message);
    assert.match(c.output.join(''), /reads files outside the workspace folder mem:\/\/course\/ws:\n {2}mem:\/\/course\/outside\.inc\n/);
    await c.request('disconnect');
  });

  it('pauses a runaway guest: run slices yield to the messages that arrive meanwhile', async () => {
    const c = new Inline();
    const r = await c.launch({ program: 'fixtures/spin.rasm', stopOnEntry: false });
    assert.ok(r.success, r.message);
    const stopped = c.event('stopped');
    await c.request('pause', { threadId: 1 });
    assert.strictEqual(((await stopped) as DebugProtocol.StoppedEvent).body.reason, 'pause');
    // And back in time: step back works on the browser host too.
    const back = c.event('stopped');
    assert.ok((await c.request('stepBack', { threadId: 1 })).success);
    assert.strictEqual(((await back) as DebugProtocol.StoppedEvent).body.reason, 'step');
    await c.request('disconnect');
  });
});

describe('URI paths (the browser hosts)', () => {
  it('resolve, dirname, basename and relative keep the scheme and authority', () => {
    assert.strictEqual(uriPaths.resolve('vscode-vfs://github/me/os/samples/syscalls', '../lib/defs.rasm'), 'vscode-vfs://github/me/os/samples/lib/defs.rasm');
    assert.strictEqual(uriPaths.resolve('mem://w/a', './b/../c.rasm'), 'mem://w/a/c.rasm');
    assert.strictEqual(uriPaths.resolve('mem://w/a', 'other:/x.rasm'), 'other:/x.rasm');
    assert.strictEqual(uriPaths.dirname('mem://w/a/b.rasm'), 'mem://w/a');
    assert.strictEqual(uriPaths.dirname('mem://w/b.rasm'), 'mem://w/');
    assert.strictEqual(uriPaths.basename('mem://w/my%20prog.rasm'), 'my prog.rasm');
    assert.strictEqual(uriPaths.relative('mem://w', 'mem://w/a/b.rasm'), 'a/b.rasm');
    assert.strictEqual(uriPaths.relative('mem://w', 'mem://v/b.rasm'), 'mem://v/b.rasm');
  });
});
