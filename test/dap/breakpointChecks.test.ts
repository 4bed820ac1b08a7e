/**
 * Breakpoints that could never do what they say are refused with the reason: an instruction
 * breakpoint off an instruction's start, a ring that does not exist, a hit count no hit meets, a
 * register or an address past memory as a data breakpoint. Exception filters named twice combine;
 * logpoints in a tight loop pause like a guest's output flood.
 */
import * as assert from 'assert';
import { DebugProtocol } from '@vscode/debugprotocol';
import { failure, fixture, HELLO, launch, launchAndStop, lineOf, newClient, Session } from './helpers';

const LOOP = fixture('loop.rasm');

describe('DAP: breakpoints checked when set', () => {
  let s: Session | undefined;
  afterEach(async () => {
    await s?.dc.stop();
    s = undefined;
  });

  it('instruction breakpoints go on an instruction\'s first byte: the second word of one, or an address not a multiple of 4, is refused', async () => {
    // loop.rasm: `mov r1, 0` at 0x0, `add r1, 1` (two words) at 0x8.
    s = await launchAndStop(LOOP, { stopOnEntry: true });
    const set = (breakpoints: DebugProtocol.InstructionBreakpoint[]) => s!.dc.customRequest('setInstructionBreakpoints', { breakpoints });
    const r = (await set([{ instructionReference: '0x8' }, { instructionReference: '0xc' }, { instructionReference: '0x8', offset: 4 }, { instructionReference: '0xa' }, { instructionReference: 'phys:0xc' }])).body as DebugProtocol.SetInstructionBreakpointsResponse['body'];
    const got = r.breakpoints.map((b) => [b.verified, b.message]);
    assert.deepStrictEqual(got, [
      [true, undefined],
      [false, '0x0000000c is the second word of the instruction at 0x00000008: put the breakpoint on 0x00000008'],
      [false, '0x0000000c is the second word of the instruction at 0x00000008: put the breakpoint on 0x00000008'],
      [false, '0x0000000a is not a multiple of 4: no instruction starts there (a fetch from it traps)'],
      [false, 'phys:0x0000000c is the second word of the instruction at phys:0x00000008: put the breakpoint on phys:0x00000008'],
    ]);
  });

  it('a ring-change condition naming a ring that does not exist is refused', async () => {
    s = await launchAndStop(HELLO, { stopOnEntry: true });
    const conditions = ['7', '-1', '3->7', '3', '0->3'];
    const r = await s.dc.setExceptionBreakpointsRequest({ filters: [], filterOptions: conditions.map((condition) => ({ filterId: 'ring-change', condition })) });
    assert.deepStrictEqual(r.body!.breakpoints!.map((b) => [b.verified, b.message]), [
      [false, 'Ring change condition: there is no ring 7 (the rings are 0 to 3)'],
      [false, 'Ring change condition: there is no ring -1 (the rings are 0 to 3)'],
      [false, 'Ring change condition: there is no ring 7 (the rings are 0 to 3)'],
      [true, undefined],
      [true, undefined],
    ]);
  });

  it('a hit count no hit can meet (%0, ==0, <1) is refused like one that is not a number', async () => {
    s = await launchAndStop(LOOP, { stopOnEntry: true });
    const line = lineOf(LOOP, 'LOOP_BODY');
    const r = await s.dc.setBreakpointsRequest({ source: { path: LOOP }, breakpoints: ['%0', '==0', '<1', 'abc', '%2'].map((hitCondition) => ({ line, hitCondition })) });
    assert.deepStrictEqual(r.body.breakpoints.map((b) => [b.verified, b.message]), [
      [false, "hit count '%0' is never met: hits are counted 1, 2, 3, ..."],
      [false, "hit count '==0' is never met: hits are counted 1, 2, 3, ..."],
      [false, "hit count '<1' is never met: hits are counted 1, 2, 3, ..."],
      [false, "hit count 'abc' is not a number optionally after > >= == < <= or %"],
      [true, undefined],
    ]);
  });

  it('a filter in both filters and filterOptions stops on the union (every system call, not only exit)', async () => {
    s = await launchAndStop(HELLO, {}, (dc) => dc.setExceptionBreakpointsRequest({ filters: ['syscall'], filterOptions: [{ filterId: 'syscall', condition: 'exit' }] }));
    assert.match(s.stop!.body.text ?? '', /^system call write \(1\) from ring 3$/);
  });

  it('two conditions for one filter stop when either holds', async () => {
    s = await launchAndStop(HELLO, {}, (dc) => dc.setExceptionBreakpointsRequest({ filters: [], filterOptions: [{ filterId: 'syscall', condition: 'exit' }, { filterId: 'syscall', condition: 'getpid' }] }));
    assert.match(s.stop!.body.text ?? '', /^system call getpid \(39\) from ring 3$/);
  });

  it('dataBreakpointInfo: a bare register is the register (not watched), [reg] its memory; an address past memory is refused', async () => {
    s = await launchAndStop(LOOP, { stopOnEntry: true });
    const info = async (args: DebugProtocol.DataBreakpointInfoArguments) => (await s!.dc.dataBreakpointInfoRequest(args)).body;
    assert.deepStrictEqual(await info({ name: 'r4' }), { dataId: null, description: 'r4 is a register, not memory: registers cannot be watched (watch [r4] for the word it points to)' });
    assert.match((await info({ name: '[r4]' })).dataId ?? '', /^v:0x00000000:4@0:-$/);
    assert.deepStrictEqual(await info({ name: '0xFFFFFFF0', asAddress: true }), { dataId: null, description: '0xfffffff0 is past the end of memory (16 MiB): there is nothing to watch there' });
    assert.match(await failure(info({ name: '[0xFFFFFFF0]' })), /0xfffffff0 is not mapped: physical address 0xfffffff0 is outside memory/);
    assert.strictEqual((await info({ name: 'phys:0x1000000', asAddress: true })).dataId, null);
    assert.ok((await info({ name: 'phys:0xFFFFFC', asAddress: true })).dataId);
  });

  it('a logpoint in a tight loop pauses the run after 1 MiB of its lines, sent in few events', async () => {
    const spin = fixture('spin.rasm');
    s = await newClient();
    let events = 0;
    s.dc.on('output', (e: DebugProtocol.OutputEvent) => void (e.body.category === 'console' && e.body.output.startsWith('r1=') && events++));
    const stopped = s.dc.waitForEvent('stopped');
    await launch(s, spin, {}, (dc) => dc.setBreakpointsRequest({ source: { path: spin }, breakpoints: [{ line: lineOf(spin, '.again'), logMessage: 'r1={r1}' }] }));
    const stop = (await stopped) as DebugProtocol.StoppedEvent;
    assert.strictEqual(stop.body.reason, 'pause');
    assert.match(stop.body.text ?? '', /^paused: logpoints wrote more than 1 MiB since the machine last stopped \(a logpoint in a tight loop\?\)/);
    assert.ok(s.console().length > 1 << 20, `${s.console().length} characters`);
    assert.ok(events < 100, `${events} output events`);
    assert.match(s.console(), /^r1=0x00000000\nr1=0x00000001\n/);
  });
});
