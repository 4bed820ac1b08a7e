/** The structure samples stepped as a student would: the frames they promise in their READMEs. */
import * as assert from 'assert';
import * as path from 'path';
import { breakAt, frames, launchAndStop, lineOf, move, ROOT, Session, top, value } from './helpers';

const sample = (name: string, file: string) => path.join(ROOT, 'samples', name, file);
const WINE = sample('wine', 'wine.rasm');
const WINE_K32 = sample('wine', 'wine-kernel32.rasm');
const PROCS = sample('processes', 'processes.rasm');
const KTRAP = path.join(ROOT, 'samples/lib/ktrap.rasm');
const KFORK = path.join(ROOT, 'samples/lib/kfork.rasm');
const DRIVER = sample('fault-isolation', 'driver.rasm');
const FAULTS = sample('fault-isolation', 'fault-isolation.rasm');
const TYPE2 = sample('type2', 'type2.rasm');
const T2_GUEST = sample('type2', 'guest.rasm');
const T2_QEMU = sample('type2', 'qemu.rasm');
const BT = sample('binary-translation', 'binary-translation.rasm');
const BT_XL = sample('binary-translation', 'translator.rasm');
const PG_GUEST = sample('popek-goldberg', 'guest.rasm');
const SH = sample('processes', 'sh.rasm');
const HV_EPT = sample('hypervisor-ept', 'hypervisor-ept.rasm');
const GUEST_OS = path.join(ROOT, 'samples/common/guest-os.rasm');
const HV_CORE = path.join(ROOT, 'samples/common/hv-core.rasm');

describe('DAP: the lecture samples stepped', () => {
  let s: Session | undefined;
  afterEach(async () => {
    await s?.dc.stop();
    s = undefined;
  });
  const names = async (threadId = 1) => (await frames(s!.dc, threadId)).map((f) => f.name);

  it('wine: the translation layer\'s frame sits between the Windows program and the kernel', async () => {
    s = await launchAndStop(WINE, { stopOnEntry: false }, breakAt(WINE_K32, 'syscall                                ; write(2)'));
    let ns = await names();
    assert.ok(ns[0].includes('wine_WriteFile'), ns.join(' | '));
    assert.ok(ns.some((n) => n.includes('win_main')), ns.join(' | '));
    await move(s.dc, () => s!.dc.stepInRequest({ threadId: 1 }));
    ns = await names();
    const kernel = ns.findIndex((n) => n.includes('[ring 0]'));
    const layer = ns.findIndex((n) => n.includes('wine_WriteFile'));
    const program = ns.findIndex((n) => n.includes('win_main'));
    assert.ok(kernel === 0 && kernel < layer && layer < program, `kernel, then Wine, then the program: ${ns.join(' | ')}`);
  });

  it('processes: a timer interrupt inside execve nests over the system call in the call stack', async () => {
    s = await launchAndStop(PROCS, { stopOnEntry: false }, breakAt(KTRAP, 'kernel_entry:'));
    const ns = await names();
    const entry = ns.findIndex((n) => n.includes('kernel_entry'));
    const execve = ns.findIndex((n) => n.includes('sys_execve'));
    const shell = ns.findIndex((n) => n.includes('sh_main'));
    assert.ok(entry === 0 && entry < execve && execve < shell, ns.join(' | '));
    assert.ok(ns.some((n) => /timer|interrupt/i.test(n) && /ring 0/.test(n)), `an interrupt from ring 0 in: ${ns.join(' | ')}`);
  });

  it('processes: after execve loads the new address space, the call stack still holds the system call and step out returns through it', async () => {
    s = await launchAndStop(PROCS, { stopOnEntry: false }, breakAt(KFORK, '; a fresh start: registers 0'));
    const cr3 = await value(s.dc, 'cr3');
    const ns = await names();
    assert.ok(ns[0].includes('sys_execve'), ns.join(' | '));
    const sep = ns.findIndex((n) => /system call/.test(n) && /from ring 3/.test(n));
    // The shell's code that made the call is in the address space execve left: named from there, and said so.
    assert.ok(sep > 0 && /^user: sh_main \(.*no longer loaded\)$/.test(ns[sep + 1] ?? ''), `the shell's system call below it: ${ns.join(' | ')}`);
    // Out of sys_execve (to the system-call dispatch), then out of the system call: into the new program, in ring 3.
    await move(s.dc, () => s!.dc.stepOutRequest({ threadId: 1 }));
    assert.ok(!(await names())[0].includes('sys_execve'), 'left sys_execve');
    for (let i = 0; i < 3 && (await value(s.dc, 'cpl')) !== 3; i++) await move(s.dc, () => s!.dc.stepOutRequest({ threadId: 1 }));
    assert.deepStrictEqual([await value(s.dc, 'cpl'), await value(s.dc, 'cr3')], [3, cr3], 'the new program, in its address space');
  });

  it('step back over the instruction that loads cr3 lands on it, not rounds earlier or at the start (hello, hypervisor-ept)', async () => {
    const HELLO = sample('hello', 'hello.rasm');
    s = await launchAndStop(HELLO, { stopOnEntry: false }, breakAt(HELLO, '        wrsr cr3, r1'));
    const line = lineOf(HELLO, '        wrsr cr3, r1');
    await move(s.dc, () => s!.dc.nextRequest({ threadId: 1 }));
    await move(s.dc, () => s!.dc.stepBackRequest({ threadId: 1 }));
    assert.strictEqual((await top(s.dc)).line, line, 'hello: back on the wrsr cr3 line');
    await s.dc.stop();
    // A guest OS switching between its processes: the third time at its cr3 load, step over and back returns to that third time.
    const at = lineOf(GUEST_OS, '        wrsr cr3, r4');
    s = await launchAndStop(HV_EPT, { stopOnEntry: false }, breakAt(GUEST_OS, '        wrsr cr3, r4'));
    const thread = s.stop!.body.threadId ?? 1;
    for (let i = 0; i < 2; i++) await move(s.dc, () => s!.dc.continueRequest({ threadId: thread }));
    const third = await value(s.dc, 'icount');
    await move(s.dc, () => s!.dc.nextRequest({ threadId: thread }));
    await move(s.dc, () => s!.dc.stepBackRequest({ threadId: thread }));
    assert.strictEqual((await top(s.dc, thread)).line, at);
    assert.strictEqual(await value(s.dc, 'icount'), third, 'the same visit, not an earlier one');
  });

  it('processes: step over the copy-on-write store stays in the parent, though the child runs meanwhile', async () => {
    s = await launchAndStop(PROCS, { stopOnEntry: false }, breakAt(SH, 'st [sh_counter], r7'));
    const cr3 = await value(s.dc, 'cr3');
    await move(s.dc, () => s!.dc.nextRequest({ threadId: 1 }));
    assert.strictEqual((await top(s.dc)).line, lineOf(SH, 'mov r1, sh_s_parent'), 'the next line of the parent');
    assert.strictEqual(await value(s.dc, 'cr3'), cr3, 'in the parent\'s address space');
  });

  it('hypervisor-ept: step over a guest process\'s yield comes back in that process, not in the other one at the same line', async () => {
    const first = await launchAndStop(HV_EPT, { stopOnEntry: false }, breakAt(GUEST_OS, 'mov r0, GOS_SYS_YIELD'));
    s = first;
    const thread = first.stop.body.threadId ?? 1;
    await s.dc.setBreakpointsRequest({ source: { path: GUEST_OS }, breakpoints: [] });
    await move(s.dc, () => s!.dc.nextRequest({ threadId: thread }));
    const [cr3, round] = [await value(s.dc, 'cr3'), await value(s.dc, 'r9')];
    await move(s.dc, () => s!.dc.nextRequest({ threadId: thread }));
    assert.strictEqual((await top(s.dc, thread)).line, lineOf(GUEST_OS, 'add r9, 1'));
    assert.deepStrictEqual([await value(s.dc, 'cr3'), await value(s.dc, 'r9')], [cr3, round], 'the same process, its own round');
  });

  it('hypervisor-ept: a VM thread\'s frame, once shown (scopes), is disassembled and read in that VM\'s address space', async () => {
    const st = await launchAndStop(HV_EPT, { stopOnEntry: false }, breakAt(HV_CORE, 'vmread r9, exit_reason'));
    s = st;
    const dc = st.dc;
    for (let i = 0; i < 30; i++) await move(dc, () => dc.continueRequest({ threadId: 1 }));
    for (const thread of [2, 3]) {
      const f = (await dc.stackTraceRequest({ threadId: thread })).body.stackFrames[0];
      await dc.scopesRequest({ frameId: f.id });
      const ins = (await dc.disassembleRequest({ memoryReference: f.instructionPointerReference!, instructionCount: 1 })).body!.instructions[0];
      assert.ok(!ins.instruction.startsWith('.word') && !ins.instruction.startsWith('??'), `VM ${thread - 1}: ${ins.instruction}`);
      assert.strictEqual(ins.line, f.line, `VM ${thread - 1}: the frame's own line`);
      const mem = (await dc.customRequest('readMemory', { memoryReference: f.instructionPointerReference, count: 4 })).body as { data: string; unreadableBytes?: number };
      assert.deepStrictEqual([Buffer.from(mem.data, 'base64').length, mem.unreadableBytes ?? 0], [4, 0], `VM ${thread - 1}: its code is readable`);
      // The Debug Console's x/i, asked in that frame, disassembles the same code.
      const x = (await dc.evaluateRequest({ expression: 'x/1i pc', context: 'repl', frameId: f.id })).body.result;
      assert.ok(x.endsWith(ins.instruction) && x.startsWith(f.instructionPointerReference!), `VM ${thread - 1}: ${x}`);
    }
  });

  it('hypervisor-ept: the guest\'s frame below the exit the hypervisor handles is seen as the VM\'s, not with the hypervisor\'s registers and memory', async () => {
    const st = await launchAndStop(HV_EPT, { stopOnEntry: false }, breakAt(HV_CORE, 'vmread r9, exit_reason'));
    s = st;
    const dc = st.dc;
    for (let i = 0; i < 30; i++) await move(dc, () => dc.continueRequest({ threadId: 1 }));
    const stack = (await dc.stackTraceRequest({ threadId: 1 })).body.stackFrames;
    const sep = stack.findIndex((f) => /VM exit from VM \d/.test(f.name));
    assert.ok(sep > 0, stack.map((f) => f.name).join(' | '));
    const g = stack[sep + 1];
    const vm = Number(/VM exit from VM (\d)/.exec(stack[sep].name)![1]);
    // What the frame's code is: its instruction word read where the Disassembly and memory views read it, in the VM's space.
    const scopes = (await dc.scopesRequest({ frameId: g.id })).body.scopes;
    assert.deepStrictEqual(scopes.map((x) => x.name), [`VM ${vm} state (VMCS)`], 'the VM\'s saved state, as its own thread shows it');
    const mem = (await dc.customRequest('readMemory', { memoryReference: g.instructionPointerReference, count: 4 })).body as { data: string };
    const word = Buffer.from(mem.data, 'base64').readUInt32LE(0);
    const ev = async (expression: string, frameId: number) => parseInt((await dc.evaluateRequest({ expression, frameId, context: 'watch' })).body.result);
    assert.strictEqual(await ev('[pc]', g.id), word, '[pc] is the guest\'s instruction');
    assert.strictEqual(await ev('pc', g.id), await ev('guest_pc', stack[0].id));
    assert.strictEqual(await ev('sp', g.id), await ev('guest_sp', stack[0].id), 'sp as the exit saved it');
    await assert.rejects(dc.evaluateRequest({ expression: 'r9', frameId: g.id, context: 'watch' }), /not kept anywhere/);
  });

  it('fault-isolation: the driver\'s wild write is stopped at in ring 0 (world 1) and ring 3 (world 2)', async () => {
    s = await launchAndStop(FAULTS, { stopOnEntry: false }, breakAt(DRIVER, 'st [r3], r1'));
    let ns = await names();
    assert.ok(ns.some((n) => n.includes('sys_ioctl')), `world 1: called by the kernel: ${ns.join(' | ')}`);
    // Run on to the first stop inside the driver server (world 2).
    for (let i = 0; i < 8 && !ns.some((n) => n.includes('server_main')); i++) {
      await move(s.dc, () => s!.dc.continueRequest({ threadId: 1 }));
      ns = await names();
    }
    assert.ok(ns.some((n) => n.includes('server_main')), `world 2: called by the server in ring 3: ${ns.join(' | ')}`);
  });

  it('type2: from a guest out to the kvm driver in the host kernel, then to qemu in ring 3', async () => {
    const started = await launchAndStop(TYPE2, { stopOnEntry: false }, breakAt(T2_GUEST, 'out 0x10, r3'));
    s = started;
    const vm = started.stop.body.threadId ?? 1;
    let ns = await names(vm);
    assert.ok(ns[0].includes('g_puts'), `stopped in the guest: ${ns.join(' | ')}`);
    const ev = await move(s.dc, () => s!.dc.stepInRequest({ threadId: vm }));
    ns = await names(ev.body.threadId ?? 1);
    assert.ok(ns[0].includes('kvm_exit'), `the VM exit lands in the kvm driver: ${ns.join(' | ')}`);
    await s.dc.setBreakpointsRequest({ source: { path: T2_QEMU }, breakpoints: [{ line: lineOf(T2_QEMU, 'ld r1, [q_run + RUN_EXIT_REASON]') }] });
    const ev2 = await move(s.dc, () => s!.dc.continueRequest({ threadId: ev.body.threadId ?? 1 }));
    ns = await names(ev2.body.threadId ?? 1);
    assert.ok(ns[0].includes('qemu_main'), `then qemu, ring 3: ${ns.join(' | ')}`);
  });

  it('binary-translation: in phase 3 the call stack holds phase 3\'s frames only, the translator call named as the program names it', async () => {
    // Phases 1 and 2 ended without returning through their frames (a trap the monitor never irets, VM 1's exit it never resumes).
    s = await launchAndStop(BT, { stopOnEntry: false }, breakAt(BT_XL, '.popf:  mov r2, bt_t_popf'));
    const ns = await names();
    assert.ok(ns[0].includes('bt_translate'), ns.join(' | '));
    assert.ok(ns.includes('── call into the translator (int 0x83) from ring 1 ──'), ns.join(' | '));
    assert.ok(!ns.some((n) => n.includes('VM exit') || n.includes('VM 1')), `no frame of phase 2's VM: ${ns.join(' | ')}`);
    assert.ok(!ns.some((n) => n.includes('gk_syscall') && !n.includes('translation of')), `no frame of phase 1: ${ns.join(' | ')}`);
    assert.ok(!ns.some((n) => /vector (\d+) \(vector \1\)/.test(n)), ns.join(' | '));
  });

  it('binary-translation: from the guest\'s popf to its translation in the cache, shown at the guest\'s line, and on to the next', async () => {
    // The translator reaches the guest's popf: r9 is the guest instruction, r10 where its translation goes.
    s = await launchAndStop(BT, { stopOnEntry: false }, breakAt(BT_XL, '.popf:  mov r2, bt_t_popf'));
    const guestPc = await value(s.dc, 'r9');
    const tc = await value(s.dc, 'r10');
    const popfLine = lineOf(PG_GUEST, 'popf                            ; <- sensitive');
    const [guest] = (await s.dc.disassembleRequest({ memoryReference: `0x${guestPc.toString(16)}`, instructionCount: 1 })).body!.instructions;
    assert.strictEqual(guest.instruction, 'popf');
    assert.strictEqual(guest.line, popfLine, 'the guest instruction is guest.rasm\'s popf');
    await s.dc.setBreakpointsRequest({ source: { path: BT_XL }, breakpoints: [] });
    await s.dc.customRequest('setInstructionBreakpoints', { breakpoints: [{ instructionReference: `0x${tc.toString(16)}` }] });
    await move(s.dc, () => s!.dc.continueRequest({ threadId: 1 }));
    let f = await top(s.dc);
    assert.strictEqual(Number(f.instructionPointerReference), tc, 'stopped in the translation cache');
    assert.ok(f.name.includes(`translation of gk_probe`), f.name);
    assert.strictEqual(f.source?.path, PG_GUEST, 'the frame shows the guest\'s source');
    assert.strictEqual(f.line, popfLine, 'at the popf it came from');
    // The cache's instructions, placed at the popf's line: the template, ending in a real popf.
    const ins = (await s.dc.disassembleRequest({ memoryReference: `0x${tc.toString(16)}`, instructionCount: 7 })).body!.instructions;
    assert.match(ins[0].instruction, /^st \[bt_scratch\], r1/);
    assert.ok(ins[0].symbol?.includes('translation of'), JSON.stringify(ins[0]));
    assert.strictEqual(ins[6].instruction, 'popf');
    assert.strictEqual(ins[0].location?.path, PG_GUEST, 'placed in the guest\'s source');
    assert.ok(ins.every((i) => i.line === popfLine), JSON.stringify(ins.map((i) => [i.instruction, i.line])));
    // Step through the translation: the guest's line stays the popf's, then moves to the pushf after it.
    for (let i = 0; i < 7; i++) await move(s.dc, () => s!.dc.stepInRequest({ threadId: 1, granularity: 'instruction' }));
    f = await top(s.dc);
    assert.ok(Number(f.instructionPointerReference) > tc, 'still in the cache');
    assert.strictEqual(f.line, lineOf(PG_GUEST, 'pushf                           ; what did it do?'), 'the next guest instruction, translated next');
  });
});
