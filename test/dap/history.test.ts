/** Step back, reverse continue and time travel restore the whole machine. */
import * as assert from 'assert';
import { DebugProtocol } from '@vscode/debugprotocol';
import { breakAt, failure, fixture, HELLO, launch, launchAndStop, lineOf, move, newClient, Session, top, value } from './helpers';
import type { StoppedEventBody } from '../../debug-adapter/protocol';

const PF = fixture('pagefault.rasm');
const VM = fixture('vm.rasm');

describe('DAP: step back, reverse continue, time travel', () => {
  let s: Session | undefined;
  afterEach(async () => {
    await s?.dc.stop();
    s = undefined;
  });

  const regs = async () => Promise.all(['r0', 'r1', 'r2', 'r3', 'sp', 'pc', 'status', 'cr3', 'icount', '[0x401000]'].map((r) => value(s!.dc, r).catch(() => -1)));

  it('step back by line across a VM exit goes to the guest instruction that exited, across a VM entry to vmlaunch (as step in came)', async () => {
    // The second vmcall: an earlier visit of the exit handler (the first vmcall's) is not the way back.
    s = await launchAndStop(VM, {}, breakAt(VM, '; VMCALL2'));
    const icount = await value(s.dc, 'icount');
    const into = await move(s.dc, () => s!.dc.stepInRequest({ threadId: 2 }));
    assert.strictEqual(into.body.threadId, 1);
    const back = await move(s.dc, () => s!.dc.stepBackRequest({ threadId: 1 }));
    assert.strictEqual(back.body.threadId, 2);
    assert.strictEqual((await top(s.dc, 2)).line, lineOf(VM, '; VMCALL2'));
    assert.strictEqual(await value(s.dc, 'icount'), icount);
    await s.dc.stop();
    s = await launchAndStop(VM, {}, breakAt(VM, '; LAUNCH'));
    assert.strictEqual((await move(s.dc, () => s!.dc.stepInRequest({ threadId: 1 }))).body.threadId, 2);
    const out = await move(s.dc, () => s!.dc.stepBackRequest({ threadId: 2 }));
    assert.strictEqual(out.body.threadId, 1);
    assert.strictEqual((await top(s.dc, 1)).line, lineOf(VM, '; LAUNCH'));
  });

  it('going back before a VM was first entered ends its thread (thread exited); forward again starts it', async () => {
    s = await launchAndStop(VM, {}, breakAt(VM, '; VMCALL1'));
    const now = await value(s.dc, 'icount');
    const events: [string, number][] = [];
    s.dc.on('thread', (e: DebugProtocol.ThreadEvent) => events.push([e.body.reason, e.body.threadId]));
    await move(s.dc, () => s!.dc.customRequest('timeTravel', { icount: 1 }));
    assert.deepStrictEqual((await s.dc.threadsRequest()).body.threads.map((t) => t.id), [1]);
    assert.deepStrictEqual(events, [['exited', 2]]);
    await move(s.dc, () => s!.dc.customRequest('timeTravel', { icount: now }));
    assert.deepStrictEqual((await s.dc.threadsRequest()).body.threads.map((t) => t.id), [1, 2]);
    assert.deepStrictEqual(events, [['exited', 2], ['started', 2]]);
  });

  it('step back N then forward N comes back to the same registers and memory', async () => {
    s = await launchAndStop(PF, {}, breakAt(PF, '; STORE'));
    const start = await regs();
    const seen: number[][] = [start];
    for (let i = 0; i < 4; i++) {
      await move(s.dc, () => s!.dc.nextRequest({ threadId: 1 }));
      seen.push(await regs());
    }
    for (let i = 3; i >= 0; i--) {
      const ev = await move(s.dc, () => s!.dc.stepBackRequest({ threadId: 1 }));
      assert.strictEqual(ev.body.reason, 'step');
      assert.deepStrictEqual(await regs(), seen[i], `back to step ${i}`);
    }
    // Before the store: the page is not even mapped yet.
    assert.strictEqual(start[9], -1);
    for (let i = 1; i <= 4; i++) {
      await move(s.dc, () => s!.dc.nextRequest({ threadId: 1 }));
      assert.deepStrictEqual(await regs(), seen[i], `forward to step ${i}`);
    }
  });

  it('step back by line steps back over a system call; by instruction it steps into the kernel', async () => {
    s = await launchAndStop(PF, {}, breakAt(PF, '; AFTER_WRITE'));
    assert.strictEqual(s.output(), 'ok\n');
    await move(s.dc, () => s!.dc.stepBackRequest({ threadId: 1 }));
    let f = await top(s.dc);
    assert.strictEqual(f.line, lineOf(PF, '; WRITE'));
    assert.strictEqual(f.name, 'user: user_main');
    await move(s.dc, () => s!.dc.nextRequest({ threadId: 1 }));
    await move(s.dc, () => s!.dc.stepBackRequest({ threadId: 1, granularity: 'instruction' }));
    f = await top(s.dc);
    assert.match(f.name, /^kernel: syscall_entry \[ring 0\]$/);
    assert.strictEqual(await value(s.dc, 'cpl'), 0);
    // Going back and forth does not print the guest's output twice.
    assert.strictEqual(s.output(), 'ok\n');
  });

  it('step back by line over a call lands on the call; again, before the fault that was retried', async () => {
    s = await launchAndStop(PF, {}, breakAt(PF, '; AFTER_CALL'));
    await move(s.dc, () => s!.dc.stepBackRequest({ threadId: 1 }));
    assert.strictEqual((await top(s.dc)).line, lineOf(PF, '; CALL'));
    assert.strictEqual(await value(s.dc, 'r2'), 42);
    await move(s.dc, () => s!.dc.stepBackRequest({ threadId: 1 }));
    assert.strictEqual((await top(s.dc)).line, lineOf(PF, 'ld r2, [USER_DATA]'));
    await move(s.dc, () => s!.dc.stepBackRequest({ threadId: 1 }));
    assert.strictEqual((await top(s.dc)).line, lineOf(PF, '; STORE'));
    assert.strictEqual(await value(s.dc, '[phys:0x12004]'), 0, 'before the first attempt: the page is not mapped yet');
  });

  it('reverse continue stops at the previous breakpoint hit', async () => {
    s = await launchAndStop(PF, {}, breakAt(PF, '; SQUARE', '; AFTER_WRITE'));
    assert.strictEqual((await top(s.dc)).line, lineOf(PF, '; SQUARE'));
    const icountAtSquare = await value(s.dc, 'icount');
    await move(s.dc, () => s!.dc.continueRequest({ threadId: 1 }));
    assert.strictEqual((await top(s.dc)).line, lineOf(PF, '; AFTER_WRITE'));
    const ev = await move(s.dc, () => s!.dc.reverseContinueRequest({ threadId: 1 }));
    assert.strictEqual(ev.body.reason, 'breakpoint');
    assert.strictEqual((await top(s.dc)).line, lineOf(PF, '; SQUARE'));
    assert.strictEqual(await value(s.dc, 'icount'), icountAtSquare);
    assert.strictEqual(await value(s.dc, 'r2'), 42);
    // Nothing earlier: back to the start of history.
    const ev2 = await move(s.dc, () => s!.dc.reverseContinueRequest({ threadId: 1 }));
    assert.match(ev2.body.text ?? '', /reached the start of recorded history \(instruction 0\)/);
    assert.strictEqual(await value(s.dc, 'icount'), 0);
    assert.strictEqual(await value(s.dc, 'pc'), 0);
  });

  it('a reverse continue through 20 million instructions can be paused, and goes on from there', async () => {
    const LONG = fixture('longloop.rasm');
    s = await launchAndStop(LONG, { history: 100_000_000 }, breakAt(LONG, '; START', '; END'));
    await move(s.dc, () => s!.dc.continueRequest({ threadId: 1 }));
    assert.strictEqual((await top(s.dc)).line, lineOf(LONG, '; END'));
    const end = await value(s.dc, 'icount');
    // The pause goes out as soon as the reverse continue is answered: the search is sliced, so
    // the adapter reads it long before it could have searched 20 million instructions back.
    const stopped = s.dc.waitForEvent('stopped');
    await s.dc.reverseContinueRequest({ threadId: 1 });
    await s.dc.pauseRequest({ threadId: 1 });
    const paused = (await stopped) as DebugProtocol.StoppedEvent;
    assert.strictEqual(paused.body.reason, 'pause', paused.body.text);
    assert.match(paused.body.text ?? '', /paused going back: no breakpoint between instruction \d+ and instruction \d+/);
    const at = await value(s.dc, 'icount');
    assert.ok(at > 3 && at < end, `paused at instruction ${at}, between the start and ${end}`);
    // Reverse continue again: on back to the breakpoint at the start.
    const ev = await move(s.dc, () => s!.dc.reverseContinueRequest({ threadId: 1 }));
    assert.strictEqual(ev.body.reason, 'breakpoint');
    assert.strictEqual((await top(s.dc)).line, lineOf(LONG, '; START'));
  });

  it('reverse continue stops at data breakpoints going backward (a page-table entry written)', async () => {
    s = await launchAndStop(PF, {}, async (dc) => {
      await breakAt(PF, '; AFTER_WRITE')(dc);
      const info = (await dc.dataBreakpointInfoRequest({ name: 'phys:0x12004', asAddress: true })).body;
      await dc.setDataBreakpointsRequest({ breakpoints: [{ dataId: info.dataId!, accessType: 'write' }] });
    });
    assert.strictEqual(s.stop!.body.reason, 'data breakpoint');
    const at = await value(s.dc, 'icount');
    await move(s.dc, () => s!.dc.continueRequest({ threadId: 1 }));
    assert.strictEqual((await top(s.dc)).line, lineOf(PF, '; AFTER_WRITE'));
    const ev = await move(s.dc, () => s!.dc.reverseContinueRequest({ threadId: 1 }));
    assert.strictEqual(ev.body.reason, 'data breakpoint');
    assert.strictEqual(await value(s.dc, 'icount'), at);
    assert.strictEqual(await value(s.dc, '[phys:0x12004]'), 0x202007);
    // One step back: the entry is not written yet.
    await move(s.dc, () => s!.dc.stepBackRequest({ threadId: 1, granularity: 'instruction' }));
    assert.strictEqual(await value(s.dc, '[phys:0x12004]'), 0);
  });

  it('reverse continue also stops at exception filters', async () => {
    s = await launchAndStop(HELLO, {}, (dc) => dc.setExceptionBreakpointsRequest({ filters: [], filterOptions: [{ filterId: 'syscall', condition: 'getpid' }] }));
    assert.match(s.stop!.body.text ?? '', /getpid/);
    await s.dc.setExceptionBreakpointsRequest({ filters: [], filterOptions: [{ filterId: 'syscall', condition: 'write, getpid' }] });
    const ev = await move(s.dc, () => s!.dc.reverseContinueRequest({ threadId: 1 }));
    assert.strictEqual(ev.body.reason, 'exception');
    assert.strictEqual(ev.body.text, 'system call write (1) from ring 3');
  });

  it('timeTravel goes to an instruction count, back or forward; the custom stop event reports it', async () => {
    s = await newClient();
    const stops: StoppedEventBody[] = [];
    s.dc.on('ringsideStopped', (e: DebugProtocol.Event) => stops.push(e.body as StoppedEventBody));
    // Every move announces itself: a client keeps the old stop's reason until a thread continues.
    const order: string[] = [];
    s.dc.on('continued', () => order.push('continued'));
    s.dc.on('stopped', (e: DebugProtocol.Event) => order.push(`stopped ${(e.body as { description?: string }).description}`));
    const first = s.dc.waitForEvent('stopped');
    await launch(s, PF, {}, breakAt(PF, '; AFTER_WRITE'));
    await first;
    const now = await value(s.dc, 'icount');
    const transitions = stops.at(-1)!.transitions;
    assert.strictEqual(stops.at(-1)!.icount, now);
    assert.strictEqual(stops.at(-1)!.historyStart, 0);
    assert.strictEqual(stops.at(-1)!.cpl, 3);
    order.length = 0;
    const ev = await move(s.dc, () => s!.dc.customRequest('timeTravel', { icount: 100 }));
    assert.strictEqual(ev.body.reason, 'goto');
    assert.strictEqual(order.length, 2, order.join(' | '));
    assert.strictEqual(order[0], 'continued');
    assert.match(order[1], /^stopped went back to instruction 100\b/);
    assert.strictEqual(await value(s.dc, 'icount'), 100);
    assert.strictEqual(stops.at(-1)!.icount, 100);
    await move(s.dc, () => s!.dc.customRequest('timeTravel', { icount: now - 3 }));
    assert.strictEqual(await value(s.dc, 'icount'), now - 3);
    assert.strictEqual(stops.at(-1)!.reason, 'goto');
    assert.strictEqual(stops.at(-1)!.transitions, transitions - 1, 'the iret back from the write has not happened yet');
    // The event names the stop's source line, as the Call Stack's first frame (a panel opens it beside itself).
    const frame = await top(s.dc);
    assert.deepStrictEqual(stops.at(-1)!.source, { path: frame.source!.path, line: frame.line - 1 });
    // The responses say where the machine is: to where it already is, nothing moves; forward, where
    // it starts from and that it runs (its stop says where it arrived).
    const pc = await value(s.dc, 'pc');
    const here = await s.dc.customRequest('timeTravel', { icount: now - 3 });
    assert.deepStrictEqual(here.body, { icount: now - 3, pc, running: false });
    assert.strictEqual(await value(s.dc, 'icount'), now - 3);
    let forward: DebugProtocol.Response | undefined;
    await move(s.dc, async () => (forward = await s!.dc.customRequest('timeTravel', { icount: now })));
    assert.deepStrictEqual(forward?.body, { icount: now - 3, pc, running: true });
    assert.strictEqual(await value(s.dc, 'icount'), now);
  });

  it('history 0 turns step back off with a clear error', async () => {
    s = await launchAndStop(PF, { history: 0 }, breakAt(PF, '; CALL'));
    assert.match(await failure(s.dc.stepBackRequest({ threadId: 1 })), /step back is off: the launch configuration sets "history": 0/);
    assert.match(await failure(s.dc.reverseContinueRequest({ threadId: 1 })), /step back is off/);
    assert.match(await failure(s.dc.customRequest('timeTravel', { icount: 3 })), /going back is off/);
  });

  it('history bounds how far back one can go', async () => {
    const bench = fixture('bench.rasm');
    s = await launchAndStop(bench, { history: 1000 }, breakAt(bench, '; TARGET'));
    const icount = await value(s.dc, 'icount');
    assert.strictEqual(icount, 10_000_000 - 2);
    assert.match(await failure(s.dc.customRequest('timeTravel', { icount: 5 })), /before the start of recorded history/);
    await move(s.dc, () => s!.dc.customRequest('timeTravel', { icount: icount - 1000 }));
    assert.strictEqual(await value(s.dc, 'icount'), icount - 1000);
  });

  it('every move sends `continued` (all threads) before its stop, whichever request moved the machine, reverse continue included', async () => {
    s = await launchAndStop(HELLO, {}, breakAt(HELLO, 'syscall                                ; ring 3 -> ring 0 -> ring 3'));
    const seen: string[] = [];
    s.dc.on('continued', (e: DebugProtocol.ContinuedEvent) => seen.push(`continued ${e.body.allThreadsContinued}`));
    s.dc.on('ringsideStopped', () => seen.push('ringsideStopped'));
    s.dc.on('stopped', () => seen.push('stopped'));
    const dc = s.dc;
    const line = lineOf(HELLO, 'syscall                                ; ring 3 -> ring 0 -> ring 3');
    // An order in which each request can move: into the system call and out, back, and on.
    const moves: [string, () => Promise<unknown>][] = [
      ['stepIn', () => dc.stepInRequest({ threadId: 1 })],
      ['stepOut', () => dc.stepOutRequest({ threadId: 1 })],
      ['next', () => dc.nextRequest({ threadId: 1 })],
      ['stepBack', () => dc.stepBackRequest({ threadId: 1 })],
      ['reverseContinue', () => dc.reverseContinueRequest({ threadId: 1 })],
      ['timeTravel forward', async () => dc.customRequest('timeTravel', { icount: (await value(dc, 'icount')) + 3 })],
      ['timeTravel back', async () => dc.customRequest('timeTravel', { icount: (await value(dc, 'icount')) - 2 })],
      ['goto', async () => dc.gotoRequest({ threadId: 1, targetId: (await dc.gotoTargetsRequest({ source: { path: HELLO }, line })).body.targets[0].id })],
    ];
    for (const [what, send] of moves) {
      seen.length = 0;
      const ev = await move(dc, send);
      assert.ok(ev.body.reason, `${what}: a stop with a reason`);
      assert.deepStrictEqual(seen, ['continued true', 'ringsideStopped', 'stopped'], what);
    }
    // The breakpoint's line runs once more: continue runs the program to its end, and says it runs.
    seen.length = 0;
    const ended = s.dc.waitForEvent('terminated');
    await s.dc.continueRequest({ threadId: 1 });
    await ended;
    assert.deepStrictEqual(seen, ['continued true']);
  });
});
