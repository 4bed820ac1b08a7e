/** Stepping across rings and modes: over, in and out of calls, system calls, faults and VM exits; threads. */
import * as assert from 'assert';
import { DebugProtocol } from '@vscode/debugprotocol';
import { isa } from '../../emulator';
import { breakAt, fixture, frames, HELLO, launch, launchAndStop, lineOf, move, newClient, Session, top, value } from './helpers';

const PF = fixture('pagefault.rasm');
const VM = fixture('vm.rasm');
const EMULATE = fixture('emulate.rasm');

describe('DAP: stepping', () => {
  let s: Session | undefined;
  afterEach(async () => {
    await s?.dc.stop();
    s = undefined;
  });

  const next = () => move(s!.dc, () => s!.dc.nextRequest({ threadId: 1 }));
  const stepIn = (threadId = 1) => move(s!.dc, () => s!.dc.stepInRequest({ threadId }));
  const stepOut = (threadId = 1) => move(s!.dc, () => s!.dc.stepOutRequest({ threadId }));

  it('next steps over a system call to the following line, in ring 3', async () => {
    s = await launchAndStop(HELLO, {}, breakAt(HELLO, 'syscall                                ; ring 3 -> ring 0 -> ring 3'));
    const ev = await next();
    assert.strictEqual(ev.body.reason, 'step');
    const f = await top(s.dc);
    assert.strictEqual(f.line, lineOf(HELLO, 'mov r0, SYS_GETPID'));
    assert.strictEqual(f.name, 'user: user_main');
    assert.strictEqual(s.output(), 'Hello from ring 3\n');
    assert.strictEqual(await value(s.dc, 'r0'), 18);
  });

  it('step in on syscall stops at the first instruction of the handler; the stack crosses rings', async () => {
    const sys = lineOf(HELLO, 'syscall                                ; ring 3 -> ring 0 -> ring 3');
    s = await launchAndStop(HELLO, {}, breakAt(HELLO, 'syscall                                ; ring 3 -> ring 0 -> ring 3'));
    const userSp = await value(s.dc, 'sp');
    const userStatus = await value(s.dc, 'status');
    await stepIn();
    const fs = await frames(s.dc);
    assert.deepStrictEqual(fs.map((f) => f.name), ['kernel: syscall_entry [ring 0]', '── system call from ring 3 ──', 'user: user_main']);
    assert.strictEqual(fs[0].line, lineOf(HELLO, 'syscall_entry:') + 1);
    assert.strictEqual(fs[1].presentationHint, 'label');
    assert.strictEqual(fs[2].line, sys);
    assert.strictEqual(await value(s.dc, 'cpl'), 0);
    // The user frame below the trap has its own pc (the syscall), in its scope and in evaluate; the top frame the CPU's.
    const userPc = Number(fs[2].instructionPointerReference);
    const regs = (await s.dc.scopesRequest({ frameId: fs[2].id })).body.scopes.find((x) => x.name === 'Registers')!;
    const vars = (await s.dc.variablesRequest({ variablesReference: regs.variablesReference })).body.variables;
    assert.strictEqual(Number(vars.find((v) => v.name === 'pc')!.value.split(' ')[0]), userPc);
    const inFrame = (frameId: number) => s!.dc.evaluateRequest({ expression: 'pc', context: 'watch', frameId }).then((r) => Number(r.body.result.split(' ')[0]));
    assert.strictEqual(await inFrame(fs[2].id), userPc);
    assert.strictEqual(await inFrame(fs[0].id), Number(fs[0].instructionPointerReference));
    // And its sp and flags are ring 3's, from the trap frame iret will restore them from (the CPU's are the kernel's now).
    const word = (name: string) => Number(vars.find((v) => v.name === name)!.value.split(' ')[0]);
    assert.strictEqual(word('sp'), userSp);
    assert.notStrictEqual(await value(s.dc, 'sp'), userSp);
    const evalIn = (expression: string, frameId: number) => s!.dc.evaluateRequest({ expression, context: 'watch', frameId }).then((r) => Number(r.body.result.split(' ')[0]));
    assert.strictEqual(await evalIn('sp', fs[2].id), userSp);
    assert.strictEqual(await evalIn('status', fs[2].id), userStatus);
    // Its flags are the saved status's (the CPU's status now is the kernel's: CPL 0).
    const S = isa.Status;
    const on = ([['Z', S.Z], ['N', S.N], ['C', S.C], ['V', S.V], ['IF', S.IF]] as const).filter(([, bit]) => userStatus & bit).map(([n]) => n);
    assert.strictEqual(vars.find((v) => v.name === 'flags')!.value, on.length ? on.join(' ') : 'no flags');
    assert.notStrictEqual(await value(s.dc, 'status'), userStatus);
  });

  it('step out of a system call handler stops after the iret that returns', async () => {
    s = await launchAndStop(PF, {}, breakAt(PF, 'cmp r0, 60'));
    const ev = await stepOut();
    assert.strictEqual(ev.body.reason, 'step');
    const f = await top(s.dc);
    assert.strictEqual(f.line, lineOf(PF, '; AFTER_WRITE'));
    assert.strictEqual(await value(s.dc, 'cpl'), 3);
    assert.strictEqual(s.output(), 'ok\n');
  });

  it('step in on a faulting instruction stops at the page-fault handler; step out returns to retry it', async () => {
    s = await launchAndStop(PF, {}, breakAt(PF, '; STORE'));
    await stepIn();
    let fs = await frames(s.dc);
    assert.strictEqual(fs[0].name, 'kernel: page_fault [ring 0]');
    assert.strictEqual(fs[0].line, lineOf(PF, 'rdsr r10, cr2'));
    assert.strictEqual(fs[1].name, '── page fault (vector 14) from ring 3 ──');
    assert.strictEqual(fs[2].line, lineOf(PF, '; STORE'));
    await stepOut();
    fs = await frames(s.dc);
    assert.strictEqual(fs[0].line, lineOf(PF, '; STORE'));
    assert.strictEqual(fs.length, 1);
    assert.strictEqual(await value(s.dc, 'cpl'), 3);
    await stepIn();
    assert.strictEqual((await top(s.dc)).line, lineOf(PF, 'ld r2, [USER_DATA]'));
    assert.strictEqual(await value(s.dc, '[0x401000]'), 42);
  });

  it('next over a faulting instruction lands on the next line once the fault is handled', async () => {
    s = await launchAndStop(PF, {}, breakAt(PF, '; STORE'));
    await next();
    assert.strictEqual((await top(s.dc)).line, lineOf(PF, 'ld r2, [USER_DATA]'));
    assert.strictEqual(await value(s.dc, '[0x401000]'), 42);
  });

  it('next steps over a call; step in enters it and step out returns after it', async () => {
    s = await launchAndStop(PF, {}, breakAt(PF, '; CALL'));
    await next();
    assert.strictEqual((await top(s.dc)).line, lineOf(PF, '; AFTER_CALL'));
    assert.strictEqual(await value(s.dc, 'r2'), 42 * 42);
    await s.dc.stop();
    s = await launchAndStop(PF, {}, breakAt(PF, '; CALL'));
    await stepIn();
    const fs = await frames(s.dc);
    assert.deepStrictEqual(fs.map((f) => [f.name, f.line]), [['user: square', lineOf(PF, '; SQUARE')], ['user: user_main', lineOf(PF, '; CALL')]]);
    await stepOut();
    assert.strictEqual((await top(s.dc)).line, lineOf(PF, '; AFTER_CALL'));
    assert.strictEqual(await value(s.dc, 'r2'), 42 * 42);
  });

  it('instruction granularity steps one instruction', async () => {
    s = await launchAndStop(PF, {}, breakAt(PF, '; CALL'));
    const pc0 = await value(s.dc, 'pc');
    await move(s.dc, () => s!.dc.nextRequest({ threadId: 1, granularity: 'instruction' }));
    assert.strictEqual(await value(s.dc, 'pc'), pc0 + 8);
    await move(s.dc, () => s!.dc.stepInRequest({ threadId: 1, granularity: 'instruction' }));
    assert.strictEqual(await value(s.dc, 'pc'), pc0 + 16); // mov r0, 1 is two words
  });

  it('trap-and-emulate: next over an instruction whose handler resumes past it stops on the next line; so does step out of the handler', async () => {
    // The undefined word is data to the assembler (no breakpoint on it): stop before it, step onto it.
    s = await launchAndStop(EMULATE, {}, breakAt(EMULATE, 'mov r9, 0'));
    await next();
    assert.strictEqual((await top(s.dc)).line, lineOf(EMULATE, '; UNDEFINED'));
    for (const granularity of [undefined, 'instruction'] as const) {
      const ev = await move(s.dc, () => s!.dc.nextRequest({ threadId: 1, granularity }));
      assert.strictEqual(ev.body.reason, 'step');
      assert.strictEqual((await top(s.dc)).line, lineOf(EMULATE, '; AFTER_UNDEFINED'), `next (${granularity ?? 'line'})`);
      assert.strictEqual(await value(s.dc, 'r9'), 1);
      await move(s.dc, () => s!.dc.stepBackRequest({ threadId: 1 }));
      assert.strictEqual((await top(s.dc)).line, lineOf(EMULATE, '; UNDEFINED'));
    }
    await stepIn();
    assert.strictEqual((await frames(s.dc))[1].name, '── invalid opcode (vector 6) from ring 0 ──');
    await stepOut();
    assert.strictEqual((await top(s.dc)).line, lineOf(EMULATE, '; AFTER_UNDEFINED'));
    assert.strictEqual(await value(s.dc, 'r9'), 1);
  });

  it('step out of the outermost frame is an error that says why', async () => {
    s = await launchAndStop(HELLO, { stopOnEntry: true });
    await assert.rejects(s.dc.stepOutRequest({ threadId: 1 }), /nothing to step out of/);
  });

  it('VMs: step in on vmlaunch enters the guest (VM thread); next over vmcall resumes after the hypervisor handled it', async () => {
    s = await newClient();
    const started = s.dc.waitForEvent('thread');
    const first = s.dc.waitForEvent('stopped');
    await launch(s, VM, {}, breakAt(VM, '; LAUNCH'));
    await first;
    const ev = await stepIn();
    assert.strictEqual(ev.body.threadId, 2);
    assert.strictEqual(((await started) as DebugProtocol.ThreadEvent).body.threadId, 2);
    const threads = (await s.dc.threadsRequest()).body.threads;
    assert.deepStrictEqual(threads.map((t) => [t.id, t.name]), [[1, 'host'], [2, 'VM 1 vCPU 0']]);
    const g = await top(s.dc, 2);
    assert.strictEqual(g.line, lineOf(VM, '; GUEST'));
    assert.strictEqual(g.name, 'guest kernel: guest_main [VM 1 ring 0]');
    // The host thread, not running, shows where it resumes on a VM exit.
    const h = await top(s.dc, 1);
    assert.match(h.name, /^hypervisor: exit_handler \[root\] \(resumes here on VM exit\)$/);
    assert.strictEqual(h.presentationHint, 'subtle');
    await move(s.dc, () => s!.dc.nextRequest({ threadId: 2 }));
    const ev2 = await move(s.dc, () => s!.dc.nextRequest({ threadId: 2 }));
    assert.strictEqual(ev2.body.threadId, 2);
    assert.strictEqual((await top(s.dc, 2)).line, lineOf(VM, '; AFTER_VMCALL1'));
    assert.strictEqual(await value(s.dc, 'r9'), 1);
  });

  it('VMs: step in on an exiting instruction stops at the exit handler; the stack shows the exit; step out stops after the VM entry', async () => {
    s = await launchAndStop(VM, {}, breakAt(VM, '; VMCALL1'));
    assert.strictEqual(s.stop!.body.threadId, 2);
    const ev = await stepIn(2);
    assert.strictEqual(ev.body.threadId, 1);
    const fs = await frames(s.dc, 1);
    assert.deepStrictEqual(fs.map((f) => f.name), ['hypervisor: exit_handler [root]', '── VM exit from VM 1: vmcall ──', 'guest kernel: guest_main [VM 1 ring 0]']);
    assert.strictEqual(fs[0].line, lineOf(VM, '; HANDLER'));
    assert.strictEqual(fs[2].line, lineOf(VM, '; VMCALL1'));
    const vmcs = (await s.dc.scopesRequest({ frameId: fs[0].id })).body.scopes.map((x) => x.name);
    assert.deepStrictEqual(vmcs, ['Registers', 'System', 'Paging', 'VMCS']);
    const out = await stepOut(1);
    assert.strictEqual(out.body.threadId, 2);
    assert.match(out.body.text ?? '', /^VM entry into VM 1: stopped in the guest at 0x[0-9a-f]{8} \(VM 1 ring 0,/);
    assert.strictEqual((await top(s.dc, 2)).line, lineOf(VM, '; AFTER_VMCALL1'));
  });

  it('VMs: only the thread that runs can be stepped; a frame of the one that does not run evaluates in its saved state', async () => {
    s = await launchAndStop(VM, {}, breakAt(VM, '; VMCALL1'));
    assert.strictEqual(s.stop!.body.threadId, 2);
    // The host (thread 1) does not run while the guest does: stepping it is refused, saying why.
    for (const step of [() => s!.dc.nextRequest({ threadId: 1 }), () => s!.dc.stepInRequest({ threadId: 1 }), () => s!.dc.stepBackRequest({ threadId: 1 })]) {
      await assert.rejects(step(), /host is not running: the machine has one CPU and VM 1 vCPU 0 runs now/);
    }
    assert.strictEqual((await top(s.dc, 2)).line, lineOf(VM, '; VMCALL1'), 'nothing moved');
    // Its frame resumes at host_pc with host_sp: evaluating there says so, not the guest's registers.
    const host = (await frames(s.dc, 1))[0];
    const inHost = (expression: string) => s!.dc.evaluateRequest({ expression, context: 'watch', frameId: host.id });
    assert.strictEqual(Number((await inHost('pc')).body.result.split(' ')[0]), Number(host.instructionPointerReference));
    assert.strictEqual(Number((await inHost('sp')).body.result.split(' ')[0]), await value(s.dc, 'host_sp'));
    assert.strictEqual(Number((await inHost('vm')).body.result.split(' ')[0]), 0);
    await assert.rejects(inHost('r1'), /r1 of host is not kept anywhere while it does not run/);
  });

  it('VMs: next over vmlaunch runs the guest until it exits', async () => {
    s = await launchAndStop(VM, {}, breakAt(VM, '; LAUNCH'));
    const ev = await next();
    assert.strictEqual(ev.body.threadId, 1);
    assert.match(ev.body.text ?? '', /^the guest ran until a VM exit \(vmcall\); stopped in the hypervisor at 0x[0-9a-f]{8} \(/);
    assert.strictEqual((await top(s.dc, 1)).line, lineOf(VM, '; HANDLER'));
  });
});
