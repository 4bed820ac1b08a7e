/**
 * Nothing a client sends ends or blocks the adapter: malformed frames, arguments of the wrong
 * type or far out of range, a far time travel without history. Each gets an answer a person
 * can act on, quickly. Then the seeded request-sequence fuzzer (scripts/dapFuzzer.ts).
 */
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { DebugProtocol } from '@vscode/debugprotocol';
import { ADAPTER, failure, HELLO, launchAndStop, move, newClient, Session } from './helpers';
import { fuzz, inProcess, INTERNAL, MALFORMED, startAdapter, summaryLine } from '../../scripts/dapFuzzer';

describe('DAP: robustness', () => {
  let s: Session | undefined;
  afterEach(async () => {
    await s?.dc.stop();
    s = undefined;
  });

  /** The message of a failed request, checked to be for a person, not a JavaScript error. */
  async function refused(p: Promise<unknown>): Promise<string> {
    const msg = await failure(p);
    assert.doesNotMatch(msg, INTERNAL);
    return msg;
  }

  it('a malformed frame is reported and skipped: the session goes on', async () => {
    const w = startAdapter(ADAPTER);
    try {
      const init = await w.request('initialize', { adapterID: 'ringside', pathFormat: 'path' });
      assert.strictEqual(init.success, true);
      for (const [i, frame] of MALFORMED.entries()) {
        w.frame(frame);
        assert.ok(await w.reported(i + 1), `frame ${frame} was not reported`);
        const r = await w.request('threads', {});
        assert.strictEqual(r.success, true, `after frame ${frame}: ${JSON.stringify(r)}`);
      }
      // A request that names its seq but not its command gets an error answer for that seq.
      const answered = await w.request('', {});
      assert.strictEqual(answered.success, false);
      assert.strictEqual(w.exited, undefined);
    } finally {
      w.proc.kill();
    }
  });

  it('a frame header that is not "Content-Length: <digits>" is reported, and the reader resynchronises on the next header', async () => {
    const w = startAdapter(ADAPTER);
    const said: string[] = [];
    w.onEvent = (e) => void (e.event === 'output' && said.push(String((e.body as { output?: unknown }).output)));
    try {
      assert.strictEqual((await w.request('initialize', { adapterID: 'ringside', pathFormat: 'path' })).success, true);
      // The library's reader took these for a length of NaN (or none) and answered nothing after them.
      const junk = ['Content-Length: abc\r\n\r\n{}', 'Content-Length: 1.5\r\n\r\n{}', 'Content-Length: 0\r\n\r\n', 'Content-Length: 2\r\nContent-Length: 3\r\n\r\n{}', '{"seq":1,"type":"request","command":"threads"}\r\n\r\n', 'x'.repeat(5000), 'Content-Length: 99999999999\r\n\r\n{}'];
      for (const bad of junk) {
        const before = w.malformedReports;
        w.raw(bad);
        assert.ok(await w.reported(before + 1), `${JSON.stringify(bad.slice(0, 40))} was not reported`);
        const r = await w.request('threads', {});
        assert.strictEqual(r.success, true, `after ${JSON.stringify(bad.slice(0, 40))}: ${JSON.stringify(r)}`);
      }
      // Header names are case-insensitive (as in HTTP) and other headers may come first: these frames are read (a body without a type).
      for (const header of ['content-length: 2', 'Content-Type: application/vscode-jsonrpc; charset=utf-8\r\nCONTENT-LENGTH:  2 ']) {
        w.raw(`${header}\r\n\r\n{}`);
        assert.ok(await w.reported(w.malformedReports + 1));
        assert.match(said[said.length - 1], /"type" must be "request"/);
      }
      assert.strictEqual(w.exited, undefined);
    } finally {
      w.proc.kill();
    }
  });

  describe('large frames', () => {
    let w: ReturnType<typeof startAdapter>;
    beforeEach(async () => {
      w = startAdapter(ADAPTER, 20_000);
      await w.request('initialize', { adapterID: 'ringside', pathFormat: 'path' });
    });
    afterEach(() => w.proc.kill());

    it('a frame over 16 MiB is refused unread, answered when its seq can be read', async () => {
      // VS Code writes a request's seq last; the library read it whole before the schema refused it.
      for (const seqLast of [true, false]) {
        const big = await w.request('evaluate', { expression: 'x'.repeat(17 << 20) }, seqLast);
        assert.match(`${big.success} ${big.message}`, /^false the 'evaluate' request is \d+ bytes, over the limit of 16 MiB for one message$/);
      }
    });

    it('a frame that claims 4 GB is skipped as it streams, not kept; the next frame\'s header ends it', async () => {
      const stdin = w.proc.stdin as NodeJS.WritableStream;
      stdin.write('Content-Length: 4000000000\r\n\r\n');
      const chunk = Buffer.alloc(64 << 10, 0x20);
      for (let i = 0; i < 1024; i++) await new Promise((done) => stdin.write(chunk, () => done(undefined)));
      assert.strictEqual((await w.request('threads', {})).success, true);
      const status = `/proc/${(w.proc as unknown as { pid: number }).pid}/status`;
      if (fs.existsSync(status)) assert.ok(Number(/VmHWM:\s+(\d+)/.exec(fs.readFileSync(status, 'utf8'))?.[1]) < 300 << 10, 'peak memory over 300 MiB');
    });
  });

  it('reading a frame is linear in its size: its bytes are copied a few times, not once per chunk', async () => {
    const session = startAdapter(inProcess);
    await session.request('initialize', { adapterID: 'ringside', pathFormat: 'path' });
    const body = JSON.stringify({ seq: 99, type: 'request', command: 'evaluate', arguments: { expression: 'x'.repeat(15 << 20) } });
    const bytes = Buffer.from(`Content-Length: ${body.length}\r\n\r\n${body}`);
    // Counted, not timed: the library copied all it held on every 64 KiB chunk (1.8 GB here, seconds).
    const concat = Buffer.concat;
    let copied = 0;
    Buffer.concat = (list, n) => {
      const b = concat(list, n);
      copied += b.length;
      return b;
    };
    try {
      for (let i = 0; i < bytes.length; i += 64 << 10) session.proc.stdin!.write(bytes.subarray(i, i + (64 << 10)));
      assert.strictEqual((await session.request('threads', {})).success, true);
    } finally {
      Buffer.concat = concat;
      session.proc.kill();
    }
    assert.ok(copied < 4 * bytes.length, `${copied} bytes copied for a frame of ${bytes.length}`);
  });

  it('DAP requests it does not announce are refused, not answered with a success that does nothing; disconnect ends the adapter', async () => {
    const w = startAdapter(ADAPTER);
    try {
      await w.request('initialize', { adapterID: 'ringside', pathFormat: 'path' });
      for (const command of ['restart', 'restartFrame', 'setExpression', 'loadedSources', 'source', 'stepInTargets', 'terminateThreads', 'cancel']) {
        const r = (await w.request(command, {})) as unknown as DebugProtocol.Response;
        assert.deepStrictEqual([r.success, r.message], [false, `'${command}' is not supported by the Ringside debugger (its capabilities do not announce it)`]);
      }
      const attach = (await w.request('attach', {})) as unknown as DebugProtocol.Response;
      assert.match(`${attach.success} ${attach.message}`, /^false attach is not supported: Ringside starts the program itself/);
      const bye = (await w.request('disconnect', {})) as unknown as DebugProtocol.Response;
      assert.strictEqual(bye.success, true);
      // DAP: disconnect, then the adapter shuts itself down (waited on: the process's exit event).
      const code = await new Promise((resolve) => (w.exited !== undefined ? resolve(w.exited) : w.proc.on('exit', resolve)));
      assert.strictEqual(code, 0);
    } finally {
      w.proc.kill();
    }
  });

  it('arguments of the wrong type are refused with the attribute named', async () => {
    s = await launchAndStop(HELLO, { stopOnEntry: true });
    const dc = s.dc;
    const src = { path: HELLO };
    const custom = (command: string, args: unknown) => dc.customRequest(command, args);
    assert.match(await refused(custom('setBreakpoints', { source: src, breakpoints: 5 })), /setBreakpoints: 'breakpoints' must be a list, not 5/);
    assert.match(await refused(custom('setBreakpoints', { source: src, breakpoints: [{ line: 'abc' }] })), /'breakpoints\[0\]\.line' must be a whole number from 0 to \d+, not "abc"/);
    assert.match(await refused(custom('setBreakpoints', { breakpoints: [] })), /'source' is missing/);
    assert.match(await refused(custom('setExceptionBreakpoints', { filters: 5 })), /'filters' must be a list/);
    assert.match(await refused(custom('setFunctionBreakpoints', { breakpoints: [{ name: null }] })), /'breakpoints\[0\]\.name' must be a string, not null/);
    assert.match(await refused(custom('evaluate', {})), /evaluate: 'expression' is missing/);
    assert.match(await refused(custom('transitions', { kinds: 5 })), /'kinds' must be a list/);
    assert.match(await refused(custom('transitions', { kinds: ['nosuch'] })), /'kinds\[0\]' must be one of 'trap'/);
    assert.match(await refused(custom('completions', { text: 5, column: 1 })), /'text' must be a string/);
    assert.match(await refused(custom('stackTrace', { threadId: 1.5 })), /'threadId' must be a whole number/);
    assert.match(await refused(custom('timeTravel', { icount: -1 })), /'icount' must be a whole number from 0/);
    assert.match(await refused(custom('readMemory', { memoryReference: '0x0', count: 'all' })), /'count' must be a whole number/);
    assert.match(await refused(custom('evaluate', { expression: '('.repeat(5000) + '1' + ')'.repeat(5000) })), /'expression' is too long \(10001 characters; at most 10000\)/);
    assert.match(await refused(custom('evaluate', { expression: '('.repeat(2000) + '1' + ')'.repeat(2000) })), /expression nested too deeply \(column 501\)/);
    assert.match(await refused(custom('evaluate', { expression: '-'.repeat(2000) + '1' })), /expression nested too deeply/);
    assert.match(await refused(custom('evaluate', { expression: '1+'.repeat(4999) + '1' })), /more than 2000 operators/);
    assert.strictEqual((await dc.evaluateRequest({ expression: '1+'.repeat(999) + '1' })).body.result.split(' ')[0], '0x000003e8');
    // Not too deep: still evaluated.
    assert.strictEqual((await dc.evaluateRequest({ expression: '('.repeat(50) + '6*7' + ')'.repeat(50) })).body.result.split(' ')[0], '0x0000002a');
  });

  it('very negative lines are answered at once', async () => {
    s = await launchAndStop(HELLO, { stopOnEntry: true });
    const dc = s.dc;
    // A scan from such a line would never end: the test's own timeout is the bound.
    for (const line of [-100_000_000, -9007199254740992]) {
      assert.match(await refused(dc.customRequest('gotoTargets', { source: { path: HELLO }, line })), /'line' must be a whole number from 0/);
      assert.match(await refused(dc.customRequest('setBreakpoints', { source: { path: HELLO }, breakpoints: [{ line }] })), /'breakpoints\[0\]\.line'/);
    }
    // Line 0 in a 1-based client is before the first line: unverified with a reason, not a scan.
    const bp = (await dc.setBreakpointsRequest({ source: { path: HELLO }, breakpoints: [{ line: 0 }] })).body.breakpoints[0];
    assert.strictEqual(bp.verified, false);
    assert.match(bp.message ?? '', /there is no line 0/);
  });

  it('disassembly before address 0 and past the address space\'s end: exactly the rows asked for, in their places', async () => {
    s = await launchAndStop(HELLO, { stopOnEntry: true });
    const d = (await s.dc.disassembleRequest({ memoryReference: '0x0', instructionOffset: -3, instructionCount: 5 })).body!.instructions;
    assert.deepStrictEqual(d.map((x) => [x.address, x.presentationHint]), [['-1', 'invalid'], ['-1', 'invalid'], ['-1', 'invalid'], ['0x00000000', undefined], [d[4].address, undefined]]);
    const end = (await s.dc.disassembleRequest({ memoryReference: '0xFFFFFFF8', instructionCount: 4 })).body!.instructions;
    assert.deepStrictEqual(end.map((x) => x.address), ['0xfffffff8', '0xfffffffc', '0x100000000', '0x100000004']);
  });

  it('a huge disassembly offset answers with invalid rows, it does not kill the adapter', async () => {
    s = await launchAndStop(HELLO, { stopOnEntry: true });
    const dc = s.dc;
    for (const [ref, off] of [['0x0', 1_000_000_000], ['0xFFFFFFF0', -1_000_000_000], ['0x0', -(2 ** 32)]] as const) {
      const r = await dc.disassembleRequest({ memoryReference: ref, instructionOffset: off, instructionCount: 3 } as DebugProtocol.DisassembleArguments);
      assert.strictEqual(r.body!.instructions.length, 3);
    }
    assert.strictEqual((await dc.threadsRequest()).success, true);
  });

  it('writeMemory stops at the end of the address space instead of wrapping to 0', async () => {
    s = await launchAndStop(HELLO, { stopOnEntry: true });
    const dc = s.dc;
    const read = async () => ((await dc.customRequest('readMemory', { memoryReference: '0x0', count: 4 })) as DebugProtocol.ReadMemoryResponse).body!.data;
    const before = await read();
    const data = Buffer.from([1, 2, 3, 4, 5, 6, 7, 8]).toString('base64');
    // DAP: without allowPartial a write that cannot be whole fails, and writes nothing.
    assert.match(await refused(dc.customRequest('writeMemory', { memoryReference: '0xFFFFFFFC', data })), /^only [0-4] of the 8 bytes from 0xfffffffc can be written .*nothing written/);
    const w = (await dc.customRequest('writeMemory', { memoryReference: '0xFFFFFFFC', data, allowPartial: true })) as DebugProtocol.WriteMemoryResponse;
    assert.ok((w.body?.bytesWritten ?? 0) <= 4, `wrote ${w.body?.bytesWritten}`);
    assert.strictEqual(await read(), before);
    // At the end of physical memory (16 MiB): two of four bytes fit.
    assert.match(await refused(dc.customRequest('writeMemory', { memoryReference: 'phys:0xFFFFFE', data: 'qrvM3Q==' })), /^only 2 of the 4 bytes/);
    const p = (await dc.customRequest('writeMemory', { memoryReference: 'phys:0xFFFFFE', data: 'qrvM3Q==', allowPartial: true })) as DebugProtocol.WriteMemoryResponse;
    assert.strictEqual(p.body?.bytesWritten, 2);
    assert.match(await refused(dc.customRequest('writeMemory', { memoryReference: '0x0', data: 'not base64!' })), /'data' is not base64/);
    assert.match(await refused(dc.customRequest('readMemory', { memoryReference: '0x0', count: 17 << 20 })), /reads at most 16 MiB at a time/);
  });

  it('a forged data breakpoint id with a far range is refused at once; one past memory arms only the words inside it', async () => {
    s = await launchAndStop(HELLO, { stopOnEntry: true });
    const dc = s.dc;
    // Arming 2^47 words would never end: the test's own timeout is the bound.
    const r = await dc.setDataBreakpointsRequest({ breakpoints: [{ dataId: 'p:0x0:99999999999999' }, { dataId: 'v:0xfffffffc:4294967296' }, { dataId: 'p:0xffffffffffff:4' }, { dataId: 'p:0x1000:4294963200' }] });
    const bps = r.body.breakpoints;
    for (const b of bps.slice(0, 3)) {
      assert.strictEqual(b.verified, false);
      assert.match(b.message ?? '', /not a range of the 32-bit address space/);
    }
    // 4 GiB minus 4 KiB from 0x1000: a range of the address space, mostly past the end of memory.
    assert.strictEqual(bps[3].verified, true, bps[3].message);
    assert.strictEqual((await dc.threadsRequest()).success, true);
  });

  it('history 0: a far time travel runs in slices, and pause stops it', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ringside-spin-'));
    const spin = path.join(dir, 'spin.rasm');
    fs.writeFileSync(spin, '.org 0\n_start:\n    jmp _start\n');
    s = await launchAndStop(spin, { stopOnEntry: true, history: 0 });
    const dc = s.dc;
    await dc.customRequest('timeTravel', { icount: 9007199254740992 - 1 });
    const stop = await move(dc, () => dc.pauseRequest({ threadId: 1 }));
    assert.strictEqual(stop.body.reason, 'pause');
    assert.match(await refused(dc.stepBackRequest({ threadId: 1 })), /step back is off/);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('a program that includes /dev/zero fails to launch with the located error; an include outside the workspace is named', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ringside-inc-'));
    const ws = path.join(dir, 'ws');
    fs.mkdirSync(ws);
    fs.writeFileSync(path.join(ws, 'zero.rasm'), '_start: nop\n.include "/dev/zero"\n');
    fs.writeFileSync(path.join(dir, 'outside.inc'), 'nop\n');
    fs.writeFileSync(path.join(ws, 'out.rasm'), '_start: nop\n.include "../outside.inc"\n    hlt\n');
    s = await newClient();
    await s.dc.initializeRequest();
    assert.match(await refused(s.dc.launchRequest({ program: path.join(ws, 'zero.rasm') } as DebugProtocol.LaunchRequestArguments)), /zero\.rasm:2:1: error: cannot read included file '\/dev\/zero' \(\/dev\/zero\): it is not a regular file/);
    await s.dc.stop();
    s = await launchAndStop(path.join(ws, 'out.rasm'), { stopOnEntry: true, __workspaceFolder: ws });
    assert.match(s.console(), new RegExp(`reads files outside the workspace folder ${ws}:\\n  ${path.join(dir, 'outside.inc')}`));
    await s.dc.stop();
    // The program itself, wherever the user chose it from, is not one of the files it reads.
    s = await launchAndStop(path.join(ws, 'out.rasm'), { stopOnEntry: true, __workspaceFolder: path.join(dir, 'elsewhere') });
    assert.match(s.console(), new RegExp(`reads files outside the workspace folder [^\\n]*elsewhere:\\n  ${path.join(dir, 'outside.inc')}\\n(?!  )`));
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('the seeded request-sequence fuzzer (in this process) finds no exit, no unanswered request and no internal error text', async function () {
    this.timeout(600_000);
    const summary = await fuzz({ adapter: inProcess, seed: 19, sequences: 300, requestsPerSequence: 20, parallel: 1 });
    const detail = summary.failures.slice(0, 3).map((f) => `sequence ${f.sequence}: ${f.what}\n  ${f.trail.join('\n  ')}`).join('\n');
    assert.strictEqual(summary.failures.length, 0, `${summaryLine(summary)}\n${detail}`);
    assert.ok(summary.requests > 300 * 10, summaryLine(summary));
  });
});
