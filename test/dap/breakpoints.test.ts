/** Breakpoints of every kind, resolved to physical addresses; exception filters with conditions. */
import * as assert from 'assert';
import { DebugProtocol } from '@vscode/debugprotocol';
import { evaluate, fixture, HELLO, launch, launchAndStop, lineOf, move, newClient, Session, top, value } from './helpers';

const LOOP = fixture('loop.rasm');
const PF = fixture('pagefault.rasm');
const TWO = fixture('twoproc.rasm');

describe('DAP: breakpoints', () => {
  let s: Session | undefined;
  afterEach(async () => {
    await s?.dc.stop();
    s = undefined;
  });

  it('a breakpoint on the program\'s first instruction is hit without stopOnEntry (line, function and instruction)', async () => {
    const first = lineOf(HELLO, 'mov r1, KPT_PHYS');
    for (const set of [
      (dc: Session['dc']) => dc.setBreakpointsRequest({ source: { path: HELLO }, breakpoints: [{ line: first }] }),
      (dc: Session['dc']) => dc.setFunctionBreakpointsRequest({ breakpoints: [{ name: '_start' }] }),
      (dc: Session['dc']) => dc.customRequest('setInstructionBreakpoints', { breakpoints: [{ instructionReference: '0x0' }] }),
    ]) {
      const r = await launchAndStop(HELLO, {}, set);
      s = r;
      assert.notStrictEqual(r.stop.body.reason, 'entry', r.stop.body.description);
      assert.strictEqual(r.stop.body.hitBreakpointIds?.length, 1, JSON.stringify(r.stop.body));
      assert.strictEqual(await value(s.dc, 'icount'), 0);
      assert.strictEqual((await top(s.dc)).line, first);
      await s.dc.stop();
      s = undefined;
    }
  });

  it('a line breakpoint stops there; a line without code moves to the next instruction', async () => {
    const entry = lineOf(HELLO, 'syscall_entry:');
    let bps: DebugProtocol.Breakpoint[] = [];
    s = await launchAndStop(HELLO, {}, async (dc) => {
      bps = (await dc.setBreakpointsRequest({ source: { path: HELLO }, breakpoints: [{ line: entry }] })).body.breakpoints;
    });
    assert.strictEqual(bps[0].verified, true);
    assert.strictEqual(bps[0].line, entry + 1);
    assert.match(bps[0].message ?? '', /moved to line/);
    const f = await top(s.dc);
    assert.strictEqual(f.line, entry + 1);
    assert.strictEqual(f.source?.path, HELLO);
    assert.match(f.name, /^kernel: syscall_entry \[ring 0\]$/);
  });

  it('breakpoints that cannot be placed are unverified with a reason', async () => {
    s = await newClient();
    const res: DebugProtocol.Breakpoint[][] = [];
    await launch(s, HELLO, { stopOnEntry: true }, async (dc) => {
      res.push((await dc.setBreakpointsRequest({ source: { path: HELLO }, breakpoints: [{ line: lineOf(HELLO, 'msg_trap: .asciz') }, { line: 100000 }] })).body.breakpoints);
      res.push((await dc.setBreakpointsRequest({ source: { path: fixture('notes.txt') }, breakpoints: [{ line: 1 }] })).body.breakpoints);
      res.push((await dc.setBreakpointsRequest({ source: { path: LOOP }, breakpoints: [{ line: 3 }] })).body.breakpoints);
      res.push((await dc.setBreakpointsRequest({ source: { path: HELLO }, breakpoints: [{ line: lineOf(HELLO, 'mov r1, KPT_PHYS'), condition: 'r1 ==' }] })).body.breakpoints);
    });
    assert.deepStrictEqual(res.flat().map((b) => b.verified), [false, false, false, false, false]);
    assert.match(res[0][0].message!, /holds data, not an instruction/);
    assert.match(res[0][1].message!, /no instruction at or after line 100000/);
    assert.match(res[1][0].message!, /not an R32 assembly file/);
    assert.match(res[2][0].message!, /not part of the program/);
    assert.match(res[3][0].message!, /condition: expression ends too early \(column 6\)/);
  });

  it('breakpointLocations lists the lines that hold instructions', async () => {
    s = await launchAndStop(LOOP, { stopOnEntry: true });
    const body = (await s.dc.customRequest('breakpointLocations', { source: { path: LOOP }, line: 1, endLine: 20 })).body as DebugProtocol.BreakpointLocationsResponse['body'];
    assert.deepStrictEqual(body.breakpoints.map((b) => b.line), [3, 4, 5, 6, 7]);
  });

  it('a conditional breakpoint stops only when its condition holds', async () => {
    s = await launchAndStop(LOOP, {}, (dc) => dc.setBreakpointsRequest({ source: { path: LOOP }, breakpoints: [{ line: lineOf(LOOP, 'LOOP_BODY'), condition: 'r1 == 5 && [phys:0] != 0' }] }));
    assert.strictEqual(await value(s.dc, 'r1'), 5);
    const end = s.dc.waitForEvent('exited');
    await s.dc.continueRequest({ threadId: 1 });
    assert.strictEqual(((await end) as DebugProtocol.ExitedEvent).body.exitCode, 10);
  });

  it('a hit count breakpoint stops on the given hit', async () => {
    s = await launchAndStop(LOOP, {}, (dc) => dc.setBreakpointsRequest({ source: { path: LOOP }, breakpoints: [{ line: lineOf(LOOP, 'LOOP_BODY'), hitCondition: '==3' }] }));
    assert.strictEqual(await value(s.dc, 'r1'), 2);
    assert.strictEqual(s.stop!.body.reason, 'breakpoint');
  });

  it('going back in time takes hits back: a "==3" breakpoint stops on hit 3 again after a reverse continue', async () => {
    s = await launchAndStop(LOOP, {}, (dc) => dc.setBreakpointsRequest({ source: { path: LOOP }, breakpoints: [{ line: lineOf(LOOP, 'LOOP_BODY'), hitCondition: '==3' }] }));
    const third = (await top(s.dc)).instructionPointerReference;
    assert.strictEqual(await value(s.dc, 'r1'), 2);
    // Back to the start (no breakpoint stops a reverse continue before it: the hits are undone).
    await move(s.dc, () => s!.dc.reverseContinueRequest({ threadId: 1 }));
    assert.ok((await value(s.dc, 'r1')) < 2, 'went back past the third hit');
    // Forward again: the same third hit, not a fourth one that "==3" would never stop at.
    const stop = await move(s.dc, () => s!.dc.continueRequest({ threadId: 1 }));
    assert.strictEqual(stop.body.reason, 'breakpoint');
    assert.strictEqual(await value(s.dc, 'r1'), 2);
    assert.strictEqual((await top(s.dc)).instructionPointerReference, third);
  });

  it('hit count ">=8" stops on hits 8, 9, 10', async () => {
    s = await launchAndStop(LOOP, {}, (dc) => dc.setBreakpointsRequest({ source: { path: LOOP }, breakpoints: [{ line: lineOf(LOOP, 'LOOP_BODY'), hitCondition: '>=8' }] }));
    const seen = [await value(s.dc, 'r1')];
    seen.push(await move(s.dc, () => s!.dc.continueRequest({ threadId: 1 })).then(() => value(s!.dc, 'r1')));
    seen.push(await move(s.dc, () => s!.dc.continueRequest({ threadId: 1 })).then(() => value(s!.dc, 'r1')));
    assert.deepStrictEqual(seen, [7, 8, 9]);
  });

  it('reverse continue honours a hit count: "%5" goes back from hit 10 to hit 5, not to hit 9', async () => {
    s = await launchAndStop(LOOP, {}, (dc) => dc.setBreakpointsRequest({ source: { path: LOOP }, breakpoints: [{ line: lineOf(LOOP, 'LOOP_BODY'), hitCondition: '%5' }] }));
    assert.strictEqual(await value(s.dc, 'r1'), 4, 'hit 5');
    await move(s.dc, () => s!.dc.continueRequest({ threadId: 1 }));
    assert.strictEqual(await value(s.dc, 'r1'), 9, 'hit 10');
    const back = await move(s.dc, () => s!.dc.reverseContinueRequest({ threadId: 1 }));
    assert.strictEqual(back.body.reason, 'breakpoint');
    assert.strictEqual(await value(s.dc, 'r1'), 4, 'hit 5 again: hits 6 to 9 do not satisfy %5');
  });

  it('a logpoint prints its message and does not stop', async () => {
    s = await newClient();
    const end = s.dc.waitForEvent('terminated');
    await launch(s, LOOP, {}, (dc) => dc.setBreakpointsRequest({ source: { path: LOOP }, breakpoints: [{ line: lineOf(LOOP, 'LOOP_BODY'), logMessage: 'r1 is {r1} and {nope}' }] }));
    await end;
    const lines = s.console().split('\n').filter((l) => l.startsWith('r1 is'));
    assert.strictEqual(lines.length, 10);
    assert.strictEqual(lines[0], "r1 is 0x00000000 and <unknown name 'nope' (not a register, label or constant) (column 1)>");
    assert.strictEqual(lines[9], "r1 is 0x00000009 and <unknown name 'nope' (not a register, label or constant) (column 1)>");
  });

  it('a function breakpoint stops at a label; unknown names and constants are unverified', async () => {
    let res: DebugProtocol.Breakpoint[] = [];
    s = await launchAndStop(HELLO, {}, async (dc) => {
      res = (await dc.setFunctionBreakpointsRequest({ breakpoints: [{ name: 'sys_getpid' }, { name: 'no_such_label' }, { name: 'SYS_WRITE' }] })).body.breakpoints;
    });
    assert.deepStrictEqual(res.map((b) => b.verified), [true, false, false]);
    assert.match(res[1].message!, /no label named 'no_such_label'/);
    assert.match(res[2].message!, /constant/);
    assert.strictEqual(s.stop!.body.reason, 'function breakpoint');
    const f = await top(s.dc);
    assert.strictEqual(f.line, lineOf(HELLO, 'sys_getpid:') + 1);
  });

  it('an instruction breakpoint (disassembly view) stops at that address', async () => {
    s = await launchAndStop(HELLO, { stopOnEntry: true });
    const addr = await value(s.dc, 'sys_write');
    const res = (await s.dc.customRequest('setInstructionBreakpoints', { breakpoints: [{ instructionReference: '0x' + addr.toString(16), offset: 4 }, { instructionReference: '0x12345678' }] })).body.breakpoints as DebugProtocol.Breakpoint[];
    // Paging is off at entry: 0xC0001xxx is not mapped yet, the physical alias is.
    assert.strictEqual(res[0].verified, false);
    assert.match(res[0].message!, /not mapped/);
    const res2 = (await s.dc.customRequest('setInstructionBreakpoints', { breakpoints: [{ instructionReference: 'phys:0x' + (addr - 0xc0000000).toString(16), offset: 4 }] })).body.breakpoints as DebugProtocol.Breakpoint[];
    assert.strictEqual(res2[0].verified, true);
    const ev = await move(s.dc, () => s!.dc.continueRequest({ threadId: 1 }));
    assert.strictEqual(ev.body.reason, 'instruction breakpoint');
    assert.strictEqual((await top(s.dc)).instructionPointerReference, '0x' + (addr + 4).toString(16));
  });

  it('a breakpoint in one process does not fire when another runs the same virtual address', async () => {
    const bLine = lineOf(TWO, 'B: first instruction');
    s = await launchAndStop(TWO, {}, (dc) => dc.setBreakpointsRequest({ source: { path: TWO }, breakpoints: [{ line: bLine }] }));
    // Process A ran 0x00400000 first (and printed); the stop is in B's address space.
    assert.strictEqual(s.output(), 'A\n');
    assert.strictEqual(await value(s.dc, 'pc'), 0x400000);
    assert.strictEqual(await value(s.dc, 'cr3'), 0x13000);
    const f = await top(s.dc);
    assert.strictEqual(f.line, bLine);
    assert.match(f.name, /^user: proc_b$/);
    const end = s.dc.waitForEvent('exited');
    await s.dc.continueRequest({ threadId: 1 });
    assert.strictEqual(((await end) as DebugProtocol.ExitedEvent).body.exitCode, 7);
    assert.strictEqual(s.output(), 'A\nB\n');
  });

  it('a data breakpoint on a page-table entry (physical, write) stops after the handler changes it', async () => {
    s = await launchAndStop(PF, {}, async (dc) => {
      const info = (await dc.dataBreakpointInfoRequest({ name: 'phys:0x12004', asAddress: true, bytes: 4 })).body;
      assert.strictEqual(info.dataId, 'p:0x00012004:4');
      const r = await dc.setDataBreakpointsRequest({ breakpoints: [{ dataId: info.dataId!, accessType: 'write' }] });
      assert.strictEqual(r.body.breakpoints[0].verified, true);
    });
    assert.strictEqual(s.stop!.body.reason, 'data breakpoint');
    assert.match(s.stop!.body.text ?? '', /write of 0xc0012004 \(physical 0x00012004\), the word there is now 0x00202007/);
    assert.strictEqual(await value(s.dc, '[phys:0x12004]'), 0x202007);
    // The store that changed it was the previous instruction: the pc is past it, still in the handler.
    assert.match((await top(s.dc)).name, /kernel: page_fault \[ring 0\]/);
  });

  it('a data breakpoint on a virtual address (from an expression) stops after the user store', async () => {
    s = await launchAndStop(PF, { stopOnEntry: true });
    const info = (await s.dc.dataBreakpointInfoRequest({ name: '[0x00401000]' })).body;
    // Named with paging off: the host's address space, whatever cr3 it later uses.
    assert.strictEqual(info.dataId, 'v:0x00401000:4@0:-');
    assert.deepStrictEqual(info.accessTypes, ['read', 'write', 'readWrite']);
    await s.dc.setDataBreakpointsRequest({ breakpoints: [{ dataId: info.dataId!, accessType: 'readWrite' }] });
    const ev = await move(s.dc, () => s!.dc.continueRequest({ threadId: 1 }));
    assert.strictEqual(ev.body.reason, 'data breakpoint');
    assert.match(ev.body.text ?? '', /write of 0x00401000 \(physical 0x00202000\)/);
    assert.strictEqual(await value(s.dc, '[0x401000]'), 42);
    const ev2 = await move(s.dc, () => s!.dc.continueRequest({ threadId: 1 }));
    assert.match(ev2.body.text ?? '', /read of 0x00401000/);
  });

  it('a breakpoint after a hlt fires when the interrupt handler returns there, not while the CPU waits', async () => {
    const IDLE = fixture('idle.rasm');
    s = await launchAndStop(IDLE, {}, (dc) => dc.setBreakpointsRequest({ source: { path: IDLE }, breakpoints: [{ line: lineOf(IDLE, '; AFTER') }] }));
    // While halted the pc already names `after`; the timer fires 300,000 steps later.
    assert.ok((await value(s.dc, 'icount')) > 300_000, `stopped at instruction ${await value(s.dc, 'icount')}`);
    const frames = (await s.dc.stackTraceRequest({ threadId: 1 })).body.stackFrames;
    assert.strictEqual(frames.length, 1, 'the handler has returned');
    await move(s.dc, () => s!.dc.stepBackRequest({ threadId: 1, granularity: 'instruction' }));
    assert.match((await top(s.dc)).name, /kernel: tick/, 'one instruction back is the handler\'s iret');
  });

  it('a virtual data breakpoint watches the address space it was named in, not the same address in another process', async () => {
    s = await launchAndStop(TWO, {}, (dc) => dc.setBreakpointsRequest({ source: { path: TWO }, breakpoints: [{ line: lineOf(TWO, 'proc_a:') + 1 }] }));
    assert.strictEqual(await value(s.dc, 'cr3'), 0x10000, 'stopped in process A');
    const info = (await s.dc.dataBreakpointInfoRequest({ name: 'msg_a' })).body;
    assert.match(info.dataId ?? '', /^v:0x[0-9a-f]{8}:4@0:0x00010000$/);
    assert.match(info.description ?? '', /\(cr3 0x00010000\)$/);
    await s.dc.setDataBreakpointsRequest({ breakpoints: [{ dataId: info.dataId!, accessType: 'read' }] });
    // B's message is at the same virtual address in B's address space: the kernel reads both.
    const seen: number[] = [];
    const exited = s.dc.waitForEvent('exited');
    for (;;) {
      const next: Promise<DebugProtocol.StoppedEvent | undefined> = Promise.race([s.dc.waitForEvent('stopped').then((e) => e as DebugProtocol.StoppedEvent), exited.then(() => undefined)]);
      await s.dc.continueRequest({ threadId: 1 });
      const stop: DebugProtocol.StoppedEvent | undefined = await next;
      if (!stop) break;
      assert.strictEqual(stop.body.reason, 'data breakpoint', stop.body.text);
      seen.push(await value(s.dc, 'cr3'));
    }
    assert.deepStrictEqual(seen, [0x10000, 0x10000], 'the two bytes of "A\\n", read in A\'s address space; none of B\'s');
    assert.strictEqual(s.output(), 'A\nB\n');
  });

  it('a data breakpoint from a Paging variable watches that entry; registers cannot be watched', async () => {
    s = await launchAndStop(PF, {}, (dc) => dc.setBreakpointsRequest({ source: { path: PF }, breakpoints: [{ line: lineOf(PF, '; CALL') }] }));
    const f = await top(s.dc);
    const scopes = (await s.dc.scopesRequest({ frameId: f.id })).body.scopes;
    const paging = scopes.find((x) => x.name === 'Paging')!;
    const vars = (await s.dc.variablesRequest({ variablesReference: paging.variablesReference })).body.variables;
    const pte = vars.find((v) => v.name.startsWith('table entry @'))!;
    const info = (await s.dc.dataBreakpointInfoRequest({ variablesReference: paging.variablesReference, name: pte.name })).body;
    assert.match(info.dataId ?? '', /^p:0x00012000:4$/);
    const regs = scopes.find((x) => x.name === 'Registers')!;
    const none = (await s.dc.dataBreakpointInfoRequest({ variablesReference: regs.variablesReference, name: 'r1' })).body;
    assert.strictEqual(none.dataId, null);
    assert.match(none.description, /registers cannot be watched/);
  });

  it('bad data breakpoint ids are unverified', async () => {
    s = await launchAndStop(LOOP, { stopOnEntry: true });
    const r = await s.dc.setDataBreakpointsRequest({ breakpoints: [{ dataId: 'nonsense' }, { dataId: 'p:0x7fffffff:4' }] });
    assert.deepStrictEqual(r.body.breakpoints.map((b) => b.verified), [false, false]);
    assert.match(r.body.breakpoints[1].message!, /past the end of memory/);
  });
});

describe('DAP: exception breakpoints', () => {
  let s: Session | undefined;
  afterEach(async () => {
    await s?.dc.stop();
    s = undefined;
  });

  const filters = (dc: Session['dc'], filterOptions: DebugProtocol.ExceptionFilterOptions[]) => dc.setExceptionBreakpointsRequest({ filters: [], filterOptions });

  it('advertises every filter with conditions', async () => {
    s = await newClient();
    const caps = (await s.dc.initializeRequest()).body!;
    assert.deepStrictEqual(caps.exceptionBreakpointFilters!.map((f) => f.filter), ['syscall', 'page-fault', 'general-protection', 'invalid-opcode', 'interrupt', 'ring-change', 'vm-entry', 'vm-exit', 'hypercall', 'device-model', 'triple-fault']);
    assert.ok(caps.exceptionBreakpointFilters!.every((f) => f.supportsCondition));
  });

  it('a filter condition that is a name the filter does not know is refused when set, not at the first stop', async () => {
    s = await launchAndStop(HELLO, { stopOnEntry: true });
    const r = (await filters(s.dc, [{ filterId: 'vm-exit', condition: 'io' }, { filterId: 'vm-exit', condition: 'i/o' }, { filterId: 'page-fault', condition: 'cr2' }])).body!.breakpoints!;
    assert.deepStrictEqual(r.map((b) => b.verified), [false, true, true]);
    assert.match(r[0].message ?? '', /^VM exit condition: 'io' is not one of the names this filter knows \(exit reasons by name or number/);
  });

  it('system call with a name condition stops at the kernel entry of that call only', async () => {
    s = await launchAndStop(HELLO, {}, (dc) => filters(dc, [{ filterId: 'syscall', condition: 'getpid' }]));
    assert.strictEqual(s.stop!.body.reason, 'exception');
    assert.strictEqual(s.stop!.body.text, 'system call getpid (39) from ring 3');
    assert.strictEqual(await value(s.dc, 'r0'), 39);
    assert.match((await top(s.dc)).name, /kernel: syscall_entry/);
    const info = (await s.dc.exceptionInfoRequest({ threadId: 1 })).body;
    assert.strictEqual(info.exceptionId, 'syscall');
    assert.strictEqual(info.breakMode, 'always');
    // No other system call matches: the program runs to its end.
    const end = s.dc.waitForEvent('terminated');
    await s.dc.continueRequest({ threadId: 1 });
    await end;
  });

  it('system call by number, several, and by expression', async () => {
    s = await launchAndStop(HELLO, {}, (dc) => filters(dc, [{ filterId: 'syscall', condition: '60, 1' }]));
    assert.strictEqual(s.stop!.body.text, 'system call write (1) from ring 3');
    const ev = await move(s.dc, () => s!.dc.continueRequest({ threadId: 1 }));
    assert.strictEqual(ev.body.text, 'system call exit (60) from ring 3');
    await s.dc.stop();
    s = await launchAndStop(HELLO, {}, (dc) => filters(dc, [{ filterId: 'syscall', condition: 'r0 > 30 && r0 < 50' }]));
    assert.match(s.stop!.body.text ?? '', /getpid/);
  });

  it('a bad filter condition is reported at once', async () => {
    s = await newClient();
    let res: DebugProtocol.Breakpoint[] = [];
    await launch(s, HELLO, { stopOnEntry: true }, async (dc) => {
      res = (await filters(dc, [{ filterId: 'syscall', condition: 'r0 ==' }, { filterId: 'nope' }])).body!.breakpoints!;
    });
    assert.strictEqual(res[0].verified, false);
    assert.match(res[0].message!, /System call condition: expression ends too early/);
    assert.match(res[1].message!, /unknown exception filter 'nope'/);
  });

  it('page fault: the text says the access, the address and the ring', async () => {
    s = await launchAndStop(PF, {}, (dc) => filters(dc, [{ filterId: 'page-fault', condition: 'write, user, not-present' }]));
    assert.strictEqual(s.stop!.body.text, 'page fault: write to not-present page 0x00401000 at ring 3');
    assert.match((await top(s.dc)).name, /kernel: page_fault \[ring 0\]/);
    assert.strictEqual(await value(s.dc, 'cr2'), 0x401000);
  });

  it('general protection, invalid opcode and interrupts', async () => {
    const src = fixture('traps.rasm');
    s = await launchAndStop(src, {}, (dc) => filters(dc, [{ filterId: 'general-protection' }, { filterId: 'invalid-opcode' }, { filterId: 'interrupt', condition: 'timer' }]));
    assert.match(s.stop!.body.text ?? '', /^general protection fault at ring 3, pc 0x00400000: `hlt` is privileged \(ring 0 only\)$/);
    const ev = await move(s.dc, () => s!.dc.continueRequest({ threadId: 1 }));
    assert.match(ev.body.text ?? '', /^invalid opcode at 0x00400004 \(ring 3\): `vmlaunch` is not allowed here/);
    const ev2 = await move(s.dc, () => s!.dc.continueRequest({ threadId: 1 }));
    assert.match(ev2.body.text ?? '', /^interrupt: timer interrupt \(vector 32\) taken at ring 3/);
  });

  it('ring change with a direction condition', async () => {
    s = await launchAndStop(HELLO, {}, (dc) => filters(dc, [{ filterId: 'ring-change', condition: '0->3' }]));
    assert.match(s.stop!.body.text ?? '', /^ring change: iret: ring 0 → ring 3, back to 0x00400000$/);
    assert.strictEqual(await value(s.dc, 'cpl'), 3);
    const ev = await move(s.dc, () => s!.dc.continueRequest({ threadId: 1 }));
    assert.match(ev.body.text ?? '', /ring 0 → ring 3, back to 0x00400024/);
  });

  it('VM entry and VM exit (condition by reason name), on the VM thread and the host thread', async () => {
    const VM = fixture('vm.rasm');
    s = await launchAndStop(VM, {}, (dc) => filters(dc, [{ filterId: 'vm-entry' }, { filterId: 'vm-exit', condition: 'hlt' }]));
    assert.match(s.stop!.body.text ?? '', /^VM entry: VM 1 launched at guest pc 0x[0-9a-f]+ \(guest ring 0\)$/);
    assert.strictEqual(s.stop!.body.threadId, 2);
    assert.strictEqual((await top(s.dc, 2)).line, lineOf(VM, '; GUEST'));
    // Two more entries (after each vmcall), then the hlt exit.
    await move(s.dc, () => s!.dc.continueRequest({ threadId: 2 }));
    await move(s.dc, () => s!.dc.continueRequest({ threadId: 2 }));
    const ev = await move(s.dc, () => s!.dc.continueRequest({ threadId: 2 }));
    assert.match(ev.body.text ?? '', /^VM exit from VM 1: hlt \(reason 12\) at guest pc 0x[0-9a-f]+, guest ring 0$/);
    assert.strictEqual(ev.body.threadId, 1);
    assert.match((await top(s.dc, 1)).name, /^hypervisor: exit_handler \[root\]$/);
  });

  it('triple fault filter names the exception', async () => {
    s = await launchAndStop(fixture('triple.rasm'), {}, (dc) => filters(dc, [{ filterId: 'triple-fault' }]));
    assert.strictEqual(s.stop!.body.reason, 'exception');
    assert.strictEqual((await s.dc.exceptionInfoRequest({ threadId: 1 })).body.exceptionId, 'triple-fault');
    assert.match(await evaluate(s.dc, 'pc'), /0x0000001c/);
    // The machine cannot run on: any step ends the session, saying why.
    const end = s.dc.waitForEvent('terminated');
    await s.dc.nextRequest({ threadId: 1 });
    await end;
    assert.match(s.console(), /triple fault at pc 0x0000001c/);
  });
});
