import * as assert from 'assert';
import { cpu, gatesAcrossPages, identityPaging as paging, savedFrame, trapKernel } from './helpers/cpu';
import { EventKind } from '../../emulator';
import { ENGLISH } from '../../emulator/isa/vocabulary';

describe('CPU: traps, interrupts and system calls', () => {
  it('divide by zero: trap 0, a fault (pc of the div), frame of five words', () => {
    const f = cpu(trapKernel(`    mov r1, 5\n    mov r2, 0\n    div r1, r2\n    hlt`)).run();
    f.expectExit(0);
    const fr = savedFrame(f);
    assert.deepStrictEqual([fr.error, fr.vector, fr.pc, fr.sp], [0, 0, f.sym('test') + 16, 0x9000]);
  });

  it('brk is int 3: a trap whose return pc is the next instruction', () => {
    const f = cpu(trapKernel(`    brk\n    hlt`)).run().expectExit(3);
    assert.strictEqual(savedFrame(f).pc, f.sym('test') + 4);
  });

  it('an undefined encoding raises trap 6 at its own pc', () => {
    const f = cpu(trapKernel(`    .word 0xFF\n    hlt`)).run().expectExit(6);
    assert.strictEqual(savedFrame(f).pc, f.sym('test'));
  });

  it('reserved bits set in a defined opcode are undefined too (trap 6)', () => {
    cpu(trapKernel(`    .word 0x01000090\n    hlt`)).run().expectExit(6);
  });

  it('syscall from ring 3: switches to ksp, frame holds old sp and status with CPL 3, then iret returns', () => {
    const f = cpu(trapKernel(`    mov r0, 39\n    syscall\n    hlt`, { ring: 3 })).run().expectExit(0x80);
    const fr = savedFrame(f);
    assert.strictEqual(fr.sp, 0x9000, 'old sp is the user stack');
    assert.strictEqual((fr.status >>> 12) & 3, 3, 'old CPL');
    assert.strictEqual(fr.pc, f.sym('test') + 12, 'return pc after syscall');
    const ev = f.lastEvent(EventKind.Trap);
    assert.deepStrictEqual([ev.fromCpl, ev.toCpl, ev.vector, ev.syscall, ev.cause], [3, 0, 0x80, 39, 'syscall getpid']);
  });

  it('the handler runs on the kernel stack: sp = ksp - 20 at entry', () => {
    const handler = `    mov r10, sp\n    st [0x6000], r10\n    out 0xF4, r0`;
    const f = cpu(trapKernel(`    syscall`, { ring: 3, handler })).run().expectStop('poweroff');
    assert.strictEqual(f.word(0x6000), 0x7000 - 20);
  });

  it('a trap taken in ring 0 keeps the current stack', () => {
    const handler = `    mov r10, sp\n    st [0x6000], r10\n    out 0xF4, r0`;
    const f = cpu(trapKernel(`    mov sp, 0x5000\n    syscall`, { ring: 0, handler })).run();
    assert.strictEqual(f.word(0x6000), 0x5000 - 20);
  });

  it('iret restores pc, the whole status and sp, and records a transition', () => {
    const handler = `    iret`;
    const f = cpu(trapKernel(`    mov r0, 1\n    syscall\n    rdsr r5, status\n    mov r6, sp\n    mov r0, 7\n    syscall`, { ring: 3, handler: `    cmp r0, 7\n    jz .off\n    iret\n.off: out 0xF4, r5` })).run();
    f.expectExit(0x3000);
    assert.strictEqual(f.m.register(6) >>> 0, 0x9000);
    void handler;
    const kinds = f.events().map((e) => e.kind);
    assert.deepStrictEqual(kinds.slice(-3), [EventKind.Trap, EventKind.Iret, EventKind.Trap]);
  });

  it('int to a DPL-0 gate from ring 3 is #GP (13); from ring 0 it is delivered', () => {
    cpu(trapKernel(`    int 0x40\n    hlt`, { ring: 3, dpl0: [0x40] })).run().expectExit(13);
    cpu(trapKernel(`    int 0x40\n    hlt`, { ring: 0, dpl0: [0x40] })).run().expectExit(0x40);
  });

  it('int to a not-present gate is #GP', () => {
    const src = trapKernel(`    mov r1, 0\n    st [0x1000 + 0x41 * 8 + 4], r1\n    int 0x41\n    hlt`);
    cpu(src).run().expectExit(13);
  });

  it('the timer raises interrupt 32 every N steps once IF is set', () => {
    const handler = `    ld r10, [sp + 4]\n    add r9, 1\n    cmp r9, 3\n    jz .off\n    iret\n.off: out 0xF4, r10`;
    const f = cpu(trapKernel(`    mov r1, 100\n    out 0x40, r1\n    sti\nspin: add r8, 1\n    jmp spin`, { handler })).run();
    f.expectExit(32);
    const irqs = f.events().filter((e) => e.kind === EventKind.Interrupt);
    assert.strictEqual(irqs.length, 3);
    assert.ok(irqs[1].icount - irqs[0].icount >= 100 && irqs[1].icount - irqs[0].icount <= 102, `period ${irqs[1].icount - irqs[0].icount}`);
  });

  it('an interrupt pending while IF is 0 is taken after the instruction that follows sti (the STI shadow), interpreter and compiler alike', () => {
    const pend = `    mov r1, 5\n    out 0x40, r1\n    nop\n    nop\n    nop\n    nop\n    nop\n    nop\n    mov r1, 0\n    out 0x40, r1\n`;
    for (const jit of [false, true]) {
      const f = cpu(trapKernel(`${pend}    sti\n    add r5, 1\nafter_one:\n    add r5, 1\n    hlt`), { jit }).run();
      f.expectExit(32);
      assert.strictEqual(savedFrame(f).pc, f.sym('after_one'), `jit ${jit}: one instruction ran after sti`);
      // The idle loop: sti; hlt halts, and the interrupt already pending wakes it (taken between the two, it would return to the hlt and halt for good).
      const g = cpu(trapKernel(`${pend}    sti\n    hlt\nwoken:\n    nop`), { jit }).run();
      g.expectExit(32);
      assert.strictEqual(savedFrame(g).pc, g.sym('woken'), `jit ${jit}: the interrupt woke the hlt`);
    }
  });

  it('sti; hlt does not lose a console interrupt that is already pending: the handler runs and the program goes on past the hlt', () => {
    const src = `.org 0\n_start: mov sp, 0x8000\n    mov r1, ivt\n    wrsr ivt, r1\n    mov r1, 0x7000\n    wrsr ksp, r1\n    sti\n    hlt\n    in r0, 0x11\n    out 0xF4, r0\ncon: in r2, 0x11\n    iret\n.org 0x400\nivt: .space 33 * 8\n    .word con, 1\n`;
    for (const jit of [false, true]) cpu(src, { stdin: 'AB', jit }).run().expectExit(0x42);
  });

  it('hlt waits for the timer interrupt (idle ticks count)', () => {
    const f = cpu(trapKernel(`    mov r1, 1000\n    out 0x40, r1\n    sti\n    hlt\n    nop`)).run();
    f.expectExit(32);
    assert.ok(f.m.icount >= 1000);
  });

  it('console input raises interrupt 33 when input is there and IF is set', () => {
    cpu(trapKernel(`    sti\n    hlt`), { stdin: 'x' }).run().expectExit(33);
  });

  it('an external interrupt whose gate is not present is dropped, not a triple fault', () => {
    const body = `    mov r1, 0\n    st [0x1000 + 32 * 8 + 4], r1\n    mov r1, 10\n    out 0x40, r1\n    sti\n    mov r2, 0\n.l: add r2, 1\n    cmp r2, 100\n    jnz .l\n    out 0xF4, r2`;
    cpu(trapKernel(body)).run().expectExit(100);
  });

  it('a fault while delivering a software interrupt or an interrupt raises it, as on x86 (only a fault while delivering a fault is a triple fault); the int runs again, the interrupt is taken again', () => {
    // IVT at 0x5F00: the #PF gate (0x5F70) on page 5, gate 32 (0x6000) and gate 0x80 (0x6300) on page 6, not mapped.
    // The #PF handler records cr2 and the frame's pc the first time, maps page 6 and returns.
    const program = (body: string) => `.org 0
_start:
    mov sp, 0x8000
${gatesAcrossPages(true)}
${paging('    mov r1, 0\n    st [0x11000 + 6 * 4], r1')}
${body}
pfh: ld r1, [0x7000]
    cmp r1, 0
    jnz .mapped
    rdsr r1, cr2
    st [0x7000], r1
    ld r1, [sp + 8]
    st [0x7004], r1
    mov r1, 0x6007
    st [0x11000 + 6 * 4], r1
.mapped: nop
    iret
sys: out 0xF4, r9
tick: ld r1, [0x7000]
    out 0xF4, r1
`;
    for (const jit of [false, true]) {
      const f = cpu(program('    mov r9, 0x55\nat_int: int 0x80'), { jit }).run().expectExit(0x55);
      assert.deepStrictEqual([f.word(0x7000), f.word(0x7004)], [0x6300, f.sym('at_int')], `jit ${jit}: #PF at the gate, returning to the int`);
      const g = cpu(program('    mov r1, 30\n    out 0x40, r1\n    sti\nspin: add r6, 1\n    jmp spin'), { jit }).run().expectExit(0x6000);
      assert.ok(g.events().filter((e) => e.kind === EventKind.Interrupt).length === 1, `jit ${jit}: the interrupt delivered once, after the #PF`);
    }
  });

  it('a fault while delivering a fault is a triple fault (ksp unmapped memory)', () => {
    const f = cpu(trapKernel(`    mov r1, 0x7FFFFFF0\n    wrsr ksp, r1\n    push 0x9000\n    push 0x3000\n    push 0x2100\n    push 0\n    push 0\n    iret\n.org 0x2100\n    syscall`)).run();
    f.expectStop('triple-fault');
    assert.match(ENGLISH.stop(f.m.stopCause), /triple fault/);
    assert.strictEqual(f.lastEvent().kind, EventKind.TripleFault);
  });

  it('with paging off, an IVT or a kernel stack that is not word-aligned is a triple fault, not a frame rounded down', () => {
    // As with paging on (docs/isa.md, Gates): the frame's words would otherwise land below sp, torn.
    cpu(trapKernel(`    mov sp, 0x10002\n    int 0x45`)).run().expectStop('triple-fault');
    cpu(trapKernel(`    mov r1, 0x1002\n    wrsr ivt, r1\n    int 0x45`)).run().expectStop('triple-fault');
    cpu(trapKernel('    syscall', { ring: 3, pagingSetup: '    mov r1, 0x7002\n    wrsr ksp, r1' })).run().expectStop('triple-fault');
    cpu(trapKernel('    syscall', { ring: 3 })).run().expectExit(0x80);
    cpu(trapKernel(`    mov sp, 0x10000\n    int 0x45`)).run().expectExit(0x45);
  });

  it('fetching outside memory is #GP; a misaligned pc is trap 6', () => {
    cpu(trapKernel(`    jmp 0x7FFFF000`)).run().expectExit(13);
    cpu(trapKernel(`    jmp 0x2002`)).run().expectExit(6);
  });
});
