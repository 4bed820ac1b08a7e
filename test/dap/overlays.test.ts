/**
 * Overlays (debug-adapter/engine/overlays.ts, `__ringside_overlays`): code a program copies to
 * where it runs is shown, and breakpointed, by its own source once the copy is there, and the
 * code that was there before by its own.
 */
import * as assert from 'assert';
import * as path from 'path';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { fixture, launchAndStop, lineOf, move, ROOT, Session, top, value } from './helpers';

const OVERLAY = fixture('overlay.rasm');
const PARAVIRT = path.join(ROOT, 'samples/paravirt/paravirt.rasm');
const PV_GUEST = path.join(ROOT, 'samples/paravirt/guest.rasm');
const PG_GUEST = path.join(ROOT, 'samples/popek-goldberg/guest.rasm');

describe('DAP: overlays (code copied over other code)', function () {
  this.timeout(60_000);
  let s: Session | undefined;
  afterEach(async () => {
    await s?.dc.stop();
    s = undefined;
  });

  const at = (...markers: string[]) => (dc: Session['dc']) => dc.setBreakpointsRequest({ source: { path: OVERLAY }, breakpoints: markers.map((m) => ({ line: lineOf(OVERLAY, m) })) });
  const place = async (dc: Session['dc'], threadId = 1) => {
    const f = await top(dc, threadId);
    return { path: f.source?.path, line: f.line, pc: Number(f.instructionPointerReference), name: f.name };
  };

  it('the copy\'s breakpoints hit in the copy and only there; the original\'s only before the copy', async () => {
    s = await launchAndStop(OVERLAY, {}, at('ORIGINAL_FIRST', 'ORIGINAL_ADD', 'COPIED_FIRST', 'COPIED_ADD'));
    const stops = [await place(s.dc)];
    for (let i = 0; i < 3; i++) {
      await move(s.dc, () => s!.dc.continueRequest({ threadId: 1 }));
      stops.push(await place(s.dc));
    }
    // The same physical addresses (0x2000, 0x2008), first the original's lines, then the copy's.
    assert.deepStrictEqual(
      stops.map((p) => [p.line, p.pc]),
      [
        [lineOf(OVERLAY, 'ORIGINAL_FIRST'), 0x2000],
        [lineOf(OVERLAY, 'ORIGINAL_ADD'), 0x2008],
        [lineOf(OVERLAY, 'COPIED_FIRST'), 0x2000],
        [lineOf(OVERLAY, 'COPIED_ADD'), 0x2008],
      ],
    );
    assert.ok(stops.every((p) => p.path === OVERLAY));
    assert.match(stops[2].name, /copied/);
    assert.deepStrictEqual([await value(s.dc, 'r1'), await value(s.dc, 'r2')], [1, 10], 'the copy runs after the original');
    // The original's breakpoints do not fire in the copy: the run ends.
    const end = s.dc.waitForEvent('terminated');
    await s.dc.continueRequest({ threadId: 1 });
    await end;
  });

  it('a function breakpoint on the copy\'s label stops in the copy; the Disassembly view shows the copy\'s lines', async () => {
    s = await launchAndStop(OVERLAY, {}, (dc) => dc.setFunctionBreakpointsRequest({ breakpoints: [{ name: 'copied' }] }));
    const p = await place(s.dc);
    assert.deepStrictEqual([p.path, p.line, p.pc], [OVERLAY, lineOf(OVERLAY, 'COPIED_FIRST'), 0x2000]);
    assert.strictEqual(await value(s.dc, 'r1'), 1, 'after the original ran');
    const ins = (await s.dc.disassembleRequest({ memoryReference: '0x2000', instructionCount: 3 })).body!.instructions;
    assert.deepStrictEqual(
      ins.map((i) => i.line),
      [lineOf(OVERLAY, 'COPIED_FIRST'), lineOf(OVERLAY, 'COPIED_ADD'), lineOf(OVERLAY, 'COPIED_ADD') + 1],
    );
    assert.match(ins[0].instruction, /^mov r2, 0xa$/);
  });

  it('before the copy the same address shows the original\'s source, and going back in time follows memory', async () => {
    s = await launchAndStop(OVERLAY, {}, at('CALL_ORIGINAL', 'COPIED_ADD'));
    assert.strictEqual((await place(s.dc)).line, lineOf(OVERLAY, 'CALL_ORIGINAL'));
    let ins = (await s.dc.disassembleRequest({ memoryReference: '0x2000', instructionCount: 1 })).body!.instructions;
    assert.deepStrictEqual([ins[0].line, ins[0].instruction, ins[0].symbol], [lineOf(OVERLAY, 'ORIGINAL_FIRST'), 'mov r2, 1', 'original']);
    await move(s.dc, () => s!.dc.continueRequest({ threadId: 1 }));
    assert.strictEqual((await place(s.dc)).line, lineOf(OVERLAY, 'COPIED_ADD'));
    ins = (await s.dc.disassembleRequest({ memoryReference: '0x2000', instructionCount: 1 })).body!.instructions;
    assert.deepStrictEqual([ins[0].line, ins[0].symbol], [lineOf(OVERLAY, 'COPIED_FIRST'), 'copied']);
    // Back to the call of the original: memory is as it was, and so is the source.
    await move(s.dc, () => s!.dc.reverseContinueRequest({ threadId: 1 }));
    assert.strictEqual((await place(s.dc)).line, lineOf(OVERLAY, 'CALL_ORIGINAL'));
    await move(s.dc, () => s!.dc.stepInRequest({ threadId: 1 }));
    assert.deepStrictEqual(await place(s.dc).then((p) => [p.line, p.pc]), [lineOf(OVERLAY, 'ORIGINAL_FIRST'), 0x2000]);
  });

  it('a goto target on the copy\'s line is where the copy is now', async () => {
    s = await launchAndStop(OVERLAY, {}, at('CALL_COPIED'));
    const targets = (await s.dc.gotoTargetsRequest({ source: { path: OVERLAY }, line: lineOf(OVERLAY, 'COPIED_ADD') })).body.targets;
    assert.strictEqual(Number(targets[0].instructionPointerReference), 0x2008);
    await move(s.dc, () => s!.dc.gotoRequest({ threadId: 1, targetId: targets[0].id }));
    assert.deepStrictEqual(await place(s.dc).then((p) => [p.line, p.pc]), [lineOf(OVERLAY, 'COPIED_ADD'), 0x2008]);
  });

  it('paravirt: guest.rasm\'s xk_syscall stops in phase 3 in guest.rasm; popek-goldberg\'s gk_syscall, in the memory phase 3 copies over, in phases 1 and 2 only', async () => {
    const xk = lineOf(PV_GUEST, 'counted for the table: the hypervisor never sees them');
    const gk = lineOf(PG_GUEST, 'cmp r0, GK_SYS_TABLE_LEN');
    const first = await launchAndStop(PARAVIRT, {}, async (dc) => {
      await dc.setBreakpointsRequest({ source: { path: PV_GUEST }, breakpoints: [{ line: xk }] });
      await dc.setBreakpointsRequest({ source: { path: PG_GUEST }, breakpoints: [{ line: gk }] });
    });
    s = first;
    // Phase 2's guest runs in a VM: its stops are its thread's.
    const stops = [await place(s.dc, first.stop.body.threadId)];
    const ended = s.dc.waitForEvent('terminated').then(() => undefined);
    for (;;) {
      const next = s.dc.waitForEvent('stopped') as Promise<DebugProtocol.StoppedEvent>;
      await s.dc.continueRequest({ threadId: 1 });
      const stop = await Promise.race([next, ended]);
      if (!stop) break;
      stops.push(await place(s.dc, stop.body.threadId));
    }
    // Three system calls per phase: phase 1 and 2 run popek-goldberg's kernel, phase 3 the ported one.
    const where = stops.map((p) => `${path.relative(ROOT, p.path ?? '?')}:${p.line}`);
    assert.deepStrictEqual(where, [...Array(6).fill(`samples/popek-goldberg/guest.rasm:${gk}`), ...Array(3).fill(`samples/paravirt/guest.rasm:${xk}`)]);
    assert.ok(stops.slice(6).every((p) => /xk_syscall/.test(p.name)));
  });

  it('paravirt: in phase 3 the Disassembly view shows guest.rasm\'s code with its own labels', async () => {
    const xk = lineOf(PV_GUEST, 'counted for the table: the hypervisor never sees them');
    s = await launchAndStop(PARAVIRT, {}, (dc) => dc.setBreakpointsRequest({ source: { path: PV_GUEST }, breakpoints: [{ line: xk }] }));
    const p = await place(s.dc);
    assert.match(s.output(), /== phase 3: paravirtualization/);
    // Not those of popek-goldberg's kernel, linked at the same addresses.
    const ins = (await s.dc.disassembleRequest({ memoryReference: `0x${p.pc.toString(16)}`, instructionCount: 2 })).body!.instructions;
    assert.deepStrictEqual([ins[0].symbol, ins[0].location?.path, ins[0].line, ins[1].symbol], ['xk_syscall', PV_GUEST, xk, undefined]);
  });
});
