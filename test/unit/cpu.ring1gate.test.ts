/**
 * Ring-1 gates (IVT flags bit 3) and ksp1: the extension that lets a paravirtualized guest
 * kernel in ring 1 take system calls straight from ring 3 (docs/isa.md, Gates).
 */
import * as assert from 'assert';
import { cpu, trapKernel } from './helpers/cpu';
import { hypervisor } from './helpers/hypervisor';
import { EventKind, Machine, isa } from '../../emulator';
import { assembleText } from '../../language/assembler';
import { disassemble } from '../../language/disassembler';

/** Make gate `v` a ring-1 gate (present, DPL 3, bit 3). */
const ring1Gate = (v: number) => `    mov r3, 15\n    st [0x1000 + ${v} * 8 + 4], r3\n`;
const KSP1 = 0x7800;

/**
 * A handler that tells the rings apart: in ring 1 it records sp, the frame's old sp, old
 * status, return pc and vector in r11-r13, r9, r8, then calls the ring-0 gate 0x41; in
 * ring 0 it powers off with the vector.
 */
const HANDLER = `    rdsr r10, status
    and r10, 0x3000
    jnz .ring1
    ld r10, [sp + 4]
    out 0xF4, r10
.ring1:
    mov r11, sp
    ld r12, [sp + 16]
    ld r13, [sp + 12]
    ld r9, [sp + 8]
    ld r8, [sp + 4]
    int 0x41`;

function kernel(body: string, ring: number, gates: number[], extra = ''): string {
  const setup = `${gates.map(ring1Gate).join('')}    mov r1, ${KSP1}\n    wrsr ksp1, r1\n${extra}`;
  return trapKernel(body, { ring, handler: HANDLER, pagingSetup: setup });
}

/** The same program on the interpreter alone and with the block and loop compilers: same machine. */
function bothWays(src: string): void {
  const res = assembleText(src, 't.rasm');
  assert.ok(res.ok);
  const runIt = (jit: boolean) => {
    const m = new Machine({ jit });
    m.load(res.segments, res.entry);
    const stop = m.run(1_000_000);
    const evs = Array.from({ length: m.eventCount }, (_, i) => m.event(i));
    return JSON.stringify({ stop, pc: m.pc, s: m.summary(), regs: Array.from({ length: 16 }, (_, i) => m.register(i)), evs });
  };
  assert.strictEqual(runIt(true), runIt(false));
}

describe('CPU: ring-1 gates and ksp1', () => {
  it('int from ring 3 through a ring-1 gate runs the handler in ring 1 on ksp1', () => {
    const src = kernel(`    mov r0, 39\n    int 0x80\n    hlt`, 3, [0x80]);
    const f = cpu(src).run().expectExit(0x41);
    f.expectReg('r11', KSP1 - 20).expectReg('r12', 0x9000).expectReg('r9', f.sym('test') + 12).expectReg('r8', 0x80);
    assert.strictEqual((f.m.register(13) >>> 12) & 3, 3, 'the frame holds the old CPL 3');
    const ev = f.events().find((e) => e.kind === EventKind.Trap && e.vector === 0x80)!;
    assert.deepStrictEqual([ev.fromCpl, ev.toCpl, ev.spBefore, ev.cause], [3, 1, 0x9000, 'syscall getpid']);
    // The frame really is on ksp1's stack.
    f.expectWord(KSP1 - 4, 0x9000).expectWord(KSP1 - 16, 0x80);
    bothWays(src);
  });

  it('from ring 1 the handler keeps the current stack (no switch)', () => {
    const src = kernel(`    mov sp, 0x5000\n    int 0x80\n    hlt`, 1, [0x80]);
    const f = cpu(src).run().expectExit(0x41);
    f.expectReg('r11', 0x5000 - 20).expectReg('r12', 0x5000);
    assert.strictEqual((f.m.register(13) >>> 12) & 3, 1);
    const ev = f.events().find((e) => e.kind === EventKind.Trap && e.vector === 0x80)!;
    assert.deepStrictEqual([ev.fromCpl, ev.toCpl], [1, 1]);
    bothWays(src);
  });

  it('from ring 0 a ring-1 gate raises #GP at the int (x86: no interrupt to a less privileged ring)', () => {
    const src = trapKernel(`    int 0x80\n    hlt`, { ring: 0, pagingSetup: ring1Gate(0x80) });
    const f = cpu(src).run().expectExit(13);
    assert.strictEqual(f.word(0x6008), f.sym('test'), '#GP is a fault at the int');
    assert.ok(!f.events().some((e) => e.vector === 0x80), 'nothing was delivered through the ring-1 gate');
    bothWays(src);
  });

  it('#GP whose own gate is a ring-1 gate, raised in ring 0, is a triple fault', () => {
    const src = trapKernel(`    int 0x80\n    hlt`, { ring: 0, pagingSetup: ring1Gate(0x80) + ring1Gate(13) });
    cpu(src).run().expectStop('triple-fault');
  });

  it('with bit 3 clear nothing changes: ring 0 on ksp, even with ksp1 set', () => {
    const handler = `    mov r11, sp\n    rdsr r10, status\n    out 0xF4, r10`;
    const src = trapKernel(`    int 0x80\n    hlt`, { ring: 3, handler, pagingSetup: `    mov r1, ${KSP1}\n    wrsr ksp1, r1\n` });
    const f = cpu(src).run().expectExit(0);
    f.expectReg('r11', 0x7000 - 20);
  });

  it('exceptions and external interrupts through a ring-1 gate behave the same', () => {
    // A divide fault in ring 3: ring 1, on ksp1, the return pc is the div.
    const div = kernel(`    mov r1, 1\n    mov r2, 0\n    div r1, r2\n    hlt`, 3, [0]);
    const f = cpu(div).run().expectExit(0x41);
    f.expectReg('r11', KSP1 - 20).expectReg('r9', f.sym('test') + 16).expectReg('r8', 0);
    bothWays(div);
    // The timer in ring 3 (a compiled spin loop) lands in ring 1.
    const timer = kernel(`spin: add r4, 1\n    jmp spin`, 3, [32], `    mov r1, 200\n    out 0x40, r1\n`);
    const t = cpu(timer.replace(`push ${3 << 12}`, `push ${(3 << 12) | 0x200}`)).run().expectExit(0x41);
    t.expectReg('r8', 32).expectReg('r11', KSP1 - 20);
    assert.strictEqual(t.events().find((e) => e.kind === EventKind.Interrupt)!.toCpl, 1);
    bothWays(timer.replace(`push ${3 << 12}`, `push ${(3 << 12) | 0x200}`));
    // The timer in ring 0 through a ring-1 gate: #GP instead.
    const ring0 = trapKernel(`    mov r1, 50\n    out 0x40, r1\n    sti\nspin: add r4, 1\n    jmp spin`, { ring: 0, pagingSetup: ring1Gate(32) });
    cpu(ring0).run().expectExit(13);
    bothWays(ring0);
  });

  it('ksp1 is system register 6: read and written at CPL 0, #GP above', () => {
    assert.strictEqual(isa.sysRegByName('KSP1')!.id, 6);
    assert.strictEqual(isa.SysReg.KSP1, 6);
    cpu(trapKernel(`    mov r1, 0x1234\n    wrsr ksp1, r1\n    rdsr r2, ksp1\n    out 0xF4, r2`)).run().expectExit(0x1234).expectSys('ksp1', 0x1234);
    cpu(trapKernel(`    rdsr r2, ksp1\n    hlt`, { ring: 1 })).run().expectExit(13);
    cpu(trapKernel(`    wrsr ksp1, r2\n    hlt`, { ring: 3 })).run().expectExit(13);
    // One word, X = 6; the disassembler names it.
    const res = assembleText('    rdsr r2, ksp1\n    wrsr ksp1, r3', 't.rasm');
    assert.ok(res.ok);
    const lines = disassemble(res.segments[0].bytes, 0);
    assert.strictEqual(lines[0].words[0] >>> 16, 6);
    assert.deepStrictEqual(lines.map((l) => l.text), ['rdsr r2, ksp1', 'wrsr ksp1, r3']);
    // An id past the table is still undefined (trap 6).
    cpu(trapKernel(`    .word ${isa.Op.RDSR | (2 << 8) | (7 << 16)}\n    hlt`)).run().expectExit(6);
  });

  it('VM entry loads guest_ksp1 and saves the host ksp1; exit saves the guest ksp1 and restores the host one', () => {
    const guest = `    rdsr r2, ksp1\n    st [0x6030], r2\n    mov r2, 0x3B000\n    wrsr ksp1, r2\n    vmcall`;
    const hostSetup = `    mov r1, 0x3A000\n    vmwrite guest_ksp1, r1\n    mov r1, 0x1111\n    wrsr ksp1, r1`;
    const onExit = `    vmread r1, guest_ksp1\n    st [0x6020], r1\n    rdsr r1, ksp1\n    st [0x6024], r1\n    vmread r1, host_ksp1\n    st [0x6028], r1\n    ld r1, [0x6000]\n    out 0xF4, r1`;
    const f = cpu(hypervisor({ guest, hostSetup, onExit })).run().expectExit(isa.ExitReason.VMCALL);
    f.expectWord(0x6030, 0x3a000).expectWord(0x6020, 0x3b000).expectWord(0x6024, 0x1111).expectWord(0x6028, 0x1111);
    // host_ksp1 is the machine's to write, like host_ksp.
    const ro = `    mov r1, 5\n    vmwrite host_ksp1, r1\n    vmread r1, vm_error\n    add r1, 1000\n    out 0xF4, r1`;
    cpu(hypervisor({ guest: '    vmcall', hostSetup: ro })).run().expectExit(1013);
  });
});
