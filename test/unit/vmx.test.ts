import * as assert from 'assert';
import { cpu } from './helpers/cpu';
import { exitLog, hypervisor } from './helpers/hypervisor';
import { EventKind, isa } from '../../emulator';

const R = isa.ExitReason;
const CTL = isa.ExitCtl;

/** Guest page tables at guest-physical 0x30000/0x31000 identity-mapping 0..4 MiB (P|W|U). */
const GUEST_PT = `
    mov r1, 0x31000
    mov r2, 7
    mov r3, 1024
.gpt: st [r1], r2
    add r1, 4
    add r2, 0x1000
    sub r3, 1
    jnz .gpt
    mov r1, 0x31007
    st [0x30000], r1`;

describe('VMX: exits, one test per reason (spec section 7)', () => {
  it('vmcall exits with reason 18; guest_pc is the vmcall and exit_len its length', () => {
    const f = cpu(hypervisor({ guest: '    nop\n    vmcall' })).run().expectExit(R.VMCALL);
    const x = exitLog((a) => f.word(a));
    assert.deepStrictEqual([x.guestPc, x.len], [f.sym('guest') + 4, 4]);
  });

  it('hlt exits (12) only with exit_ctls bit 0', () => {
    cpu(hypervisor({ guest: '    hlt', ctls: CTL.HLT })).run().expectExit(R.HLT);
    cpu(hypervisor({ guest: '    hlt' })).run().expectStop('deadlock');
  });

  it('out exits (30) with the port in exit_qual and the value in io_value', () => {
    const f = cpu(hypervisor({ guest: '    mov r3, 0x41\n    out 0x10, r3', ctls: CTL.IO })).run().expectExit(R.IO);
    const x = exitLog((a) => f.word(a));
    assert.deepStrictEqual([x.qual, x.ioValue, x.len], [0x10 << 16, 0x41, 4]);
    assert.strictEqual(f.m.outputText(), '', 'the real console was not touched');
  });

  it('in exits (30, bit 3 in exit_qual); the hypervisor\'s io_value lands in the register on vmresume', () => {
    const onExit = `
    ld r1, [0x6000]
    cmp r1, 30
    jnz .done
    mov r1, 0x5A
    vmwrite io_value, r1
    vmread r1, guest_pc
    vmread r2, exit_len
    add r1, r2
    vmwrite guest_pc, r1
    vmresume
.done: out 0xF4, r1`;
    const f = cpu(hypervisor({ guest: '    in r7, 0x11\n    vmcall', ctls: CTL.IO, onExit })).run().expectExit(R.VMCALL);
    f.expectReg('r7', 0x5a);
  });

  it('a CR3 write exits (28) with the source register in exit_qual and bit 4 clear', () => {
    const f = cpu(hypervisor({ guest: '    mov r9, 0x30000\n    wrsr cr3, r9', ctls: CTL.CR3_WRITE })).run().expectExit(R.CR3_ACCESS);
    f.expectReg('r9', 0x30000);
    assert.strictEqual(exitLog((a) => f.word(a)).qual, 9);
  });

  it('a CR3 read exits (28) with exit_ctls bit 4: the register in bits 0-3, bit 4 set for a read', () => {
    const f = cpu(hypervisor({ guest: '    rdsr r6, cr3', ctls: CTL.CR3_READ })).run().expectExit(R.CR3_ACCESS);
    const x = exitLog((a) => f.word(a));
    assert.deepStrictEqual([x.qual, x.guestPc], [0x16, f.sym('guest')]);
    // Without bit 4 the read does not exit, and a CR3 write does not exit through bit 4 either.
    cpu(hypervisor({ guest: '    rdsr r6, cr3\n    vmcall' })).run().expectExit(R.VMCALL);
    cpu(hypervisor({ guest: '    mov r9, 0x30000\n    wrsr cr3, r9\n    vmcall', ctls: CTL.CR3_READ })).run().expectExit(R.VMCALL);
  });

  it('VMX results clear every arithmetic flag, then set C (VMfailInvalid) or Z (VMfailValid), as VT-x', () => {
    // Each instruction runs with Z, N, C and V all set (popf of -1), and the flags after it are stored.
    const after = (ins: string) =>
      cpu(`.org 0\n_start: mov sp, 0x8000\n    push -1\n    popf\n    mov r1, 0x20000\n    mov r2, 0x20001\n    ${ins}\n    pushf\n    pop r3\n    and r3, 15\n    st [0x6000], r3\n    out 0xF4, r0`).run().expectExit(0).word(0x6000);
    const S = isa.Status;
    assert.strictEqual(after('vmptrld r1'), 0, 'VMsucceed');
    assert.strictEqual(after('vmptrld r2'), S.C, 'VMfailInvalid');
    assert.strictEqual(after('vmptrld r1\n    vmcall'), S.Z, 'VMfailValid (vmcall in root mode)');
  });

  it('invlpg exits (14) with the address in exit_qual (as VT-x) and exit_gva', () => {
    const f = cpu(hypervisor({ guest: '    mov r2, 0x123456\n    invlpg r2', ctls: CTL.INVLPG })).run().expectExit(R.INVLPG);
    const x = exitLog((a) => f.word(a));
    assert.deepStrictEqual([x.qual, x.gva], [0x123456, 0x123456]);
  });

  it('a page fault that exits (bitmap bit 14) leaves cr2 as it was: the address is in exit_gva (VT-x)', () => {
    const onExit = '    rdsr r1, cr2\n    st [0x6200], r1\n    ld r1, [0x6000]\n    out 0xF4, r1';
    for (const jit of [true, false]) {
      const f = cpu(hypervisor({ guest: '    ld r1, [0x500000]', guestCr0: 1, guestCr3: 0x30000, bitmap: 1 << 14, hostSetup: `${GUEST_PT}\n    mov r1, 0xDEAD000\n    wrsr cr2, r1`, onExit }), { jit }).run().expectExit(R.EXCEPTION);
      assert.deepStrictEqual([f.word(0x6200), exitLog((a) => f.word(a)).gva], [0xdead000, 0x500000], `jit ${jit}`);
    }
    // Delivered to the guest (no bitmap bit), the fault sets cr2 as in root mode.
    const g = cpu(hypervisor({ guest: '    ld r1, [0x500000]', guestCr0: 1, guestCr3: 0x30000, hostSetup: GUEST_PT })).run().expectExit(514);
    assert.strictEqual(g.m.sysReg(2), 0x500000);
  });

  for (const ins of ['popf', 'pushf', 'rdsr r1, status']) {
    it(`${ins} never exits, whatever the exit controls (VT-x has no such exit)`, () => {
      cpu(hypervisor({ guest: `    push 0\n    ${ins}\n    vmcall`, ctls: 0x3f })).run().expectExit(R.VMCALL);
    });
  }

  it('the Popek-Goldberg pair: popf in a ring-1 guest silently keeps IF; in non-root ring 0 it changes the guest IF, no exit', () => {
    const guest = '    push 0\n    popf\n    pushf\n    pop r5\n    rdsr r6, status\n    vmcall';
    const f = cpu(hypervisor({ guest, guestStatus: 0x1200 /* ring 1, IF */, ept: true })).run().expectExit(R.VMCALL);
    assert.strictEqual(f.m.register(5) & 0x200, 0x200, 'IF still set after popf at ring 1');
    const g = cpu(hypervisor({ guest, guestStatus: 0x0200 /* ring 0, IF */, ctls: 0x3f & ~1 })).run().expectExit(R.VMCALL);
    assert.strictEqual(g.m.register(5) & 0x200, 0, 'IF cleared by popf in non-root ring 0');
    assert.strictEqual(g.m.register(6) >>> 0, 0, 'rdsr status: ring 0, IF 0, and no VM bit: the mode is invisible');
  });

  it('no instruction reveals non-root mode: status, pushf and the trap frame carry no VM bit', () => {
    const guest = '    rdsr r6, status\n    pushf\n    pop r5\n    vmcall';
    const f = cpu(hypervisor({ guest, guestStatus: 0x0200 })).run().expectExit(R.VMCALL);
    assert.strictEqual(f.m.register(6) >>> 0, 0x200);
    assert.strictEqual(f.m.register(5) >>> 0, 0x200);
  });

  it('an exception selected by exception_bitmap exits (0) with the vector, error code and address', () => {
    const guest = '    ld r1, [0x500000]';
    const f = cpu(hypervisor({ guest, guestCr0: 1, guestCr3: 0x30000, bitmap: 1 << 14, hostSetup: GUEST_PT })).run().expectExit(R.EXCEPTION);
    const x = exitLog((a) => f.word(a));
    assert.deepStrictEqual([x.qual, x.gva, x.error, x.guestPc], [14, 0x500000, 0, f.sym('guest')]);
  });

  it('without the bitmap bit the exception is delivered through the guest IVT', () => {
    const f = cpu(hypervisor({ guest: '    mov r1, 0\n    div r1, r1' })).run().expectExit(500);
    assert.strictEqual(f.word(0x6100), 0);
  });

  it('brk exits (0, vector 3) with bitmap bit 3 before its gate is looked at; int 3 never exits', () => {
    // The guest's IVT moved to zeroed memory: brk's gate is not present, which would be #GP, then a
    // triple fault, if the gate were looked at first (VT-x: INT3's #BP exits instead of being delivered).
    for (const jit of [true, false]) {
      const f = cpu(hypervisor({ guest: '    mov r1, 0x48000\n    wrsr ivt, r1\n    brk\nafter: nop', bitmap: 1 << 3 }), { jit }).run().expectExit(R.EXCEPTION);
      const x = exitLog((a) => f.word(a));
      assert.deepStrictEqual([x.qual, x.guestPc], [3, f.sym('after')], `jit ${jit}`);
    }
    // int 3 is a software interrupt, not an exception: delivered through the guest's gate 3 (500 + 3).
    const f = cpu(hypervisor({ guest: '    int 3', bitmap: 1 << 3 })).run().expectExit(503);
    assert.strictEqual(f.word(0x6100), 3);
  });

  it('an external interrupt exits (1) with exit_ctls bit 5, whatever the guest IF', () => {
    const f = cpu(hypervisor({ guest: '    mov r1, 50\n    out 0x40, r1\n.spin: jmp .spin', ctls: CTL.EXTINT })).run().expectExit(R.EXTERNAL_INTERRUPT);
    assert.strictEqual(exitLog((a) => f.word(a)).qual, 32);
  });

  it('a triple fault in the guest exits (2) instead of stopping the machine', () => {
    const guest = '    mov r1, 0x7FFFF000\n    wrsr ivt, r1\n    brk';
    cpu(hypervisor({ guest })).run().expectExit(R.TRIPLE_FAULT);
  });

  it('the preemption timer exits (52) after that many guest steps, and the remainder is saved', () => {
    const f = cpu(hypervisor({ guest: '.spin: add r4, 1\n    jmp .spin', preemption: 1000 })).run().expectExit(R.PREEMPTION_TIMER);
    const r4 = f.m.register(4);
    assert.ok(r4 >= 495 && r4 <= 501, `guest ran about 500 loop iterations (${r4})`);
  });

  it('a preemption timer that runs out on the same step as another exit still fires after the next entry', () => {
    // The guest's out exits on every step while the timer is 1: the timer must not read as off afterwards.
    const onExit = `
    ld r1, [0x6000]
    cmp r1, 30
    jnz .done
    vmread r1, guest_pc
    add r1, 4
    vmwrite guest_pc, r1
    vmresume
.done: out 0xF4, r1`;
    cpu(hypervisor({ guest: '.l: out 0x99, r1\n    jmp .l', ctls: CTL.IO, preemption: 1, onExit })).run(200_000).expectExit(R.PREEMPTION_TIMER);
  });

  it('a guest that exits while it waits in hlt waits on after vmresume (VT-x\'s activity state), until woken', () => {
    // Each preemption-timer exit counts at 0x6200; the first two resume as they are, the third writes
    // guest_activity 0; a vmcall exit reports what the hypervisor saw.
    const onExit = `
    vmread r1, exit_reason
    cmp r1, 52
    jnz .done
    vmread r2, guest_activity
    ld r3, [0x6200]
    add r3, 1
    st [0x6200], r3
    mov r6, r3
    shl r6, 2
    st [r6 + 0x6200], r2
    vmread r4, guest_pc
    st [0x6210], r4
    mov r1, 50
    vmwrite preemption_timer, r1
    cmp r3, 3
    jnz .again
    mov r1, 0
    vmwrite guest_activity, r1
.again: vmresume
.done: out 0xF4, r1`;
    const guest = '    cli\n    hlt\nafter_hlt: mov r5, 0xdead\n    vmcall';
    const f = cpu(hypervisor({ guest, preemption: 50, onExit, data: '' })).run().expectExit(R.VMCALL);
    assert.strictEqual(f.word(0x6200), 3, 'three timer exits: the guest stayed halted through the first two resumes');
    assert.deepStrictEqual([f.word(0x6204), f.word(0x6208), f.word(0x620c)], [1, 1, 1], 'each saved guest_activity 1 (halted)');
    assert.strictEqual(f.word(0x6210), f.sym('after_hlt'), 'guest_pc is past the hlt');
    f.expectReg('r5', 0xdead);
  });

  it('an injected event wakes a halted guest: its frame returns past the hlt; a guest_activity other than 0 or 1 fails the entry (33)', () => {
    const onExit = `
    vmread r1, exit_reason
    cmp r1, 52
    jnz .done
    mov r1, 0x80000000 | 40
    vmwrite entry_event, r1
    vmresume
.done: out 0xF4, r1`;
    // The guest's gate 40 records the vector (guest_trap) and powers off with 500 + 40.
    const f = cpu(hypervisor({ guest: '    cli\n    hlt\n    vmcall', preemption: 20, onExit })).run().expectExit(540);
    assert.ok(f.events().some((e) => e.kind === EventKind.Interrupt && e.vector === 40 && e.toVm === 1));
    cpu(hypervisor({ guest: '    vmcall', hostSetup: '    mov r1, 2\n    vmwrite guest_activity, r1' })).run().expectExit(1033);
  });

  it('an injected exception is recorded as a trap in the guest', () => {
    const f = cpu(hypervisor({ guest: '    vmcall', entryEvent: 0x80000000 | 14 })).run().expectExit(514);
    assert.ok(f.events().some((e) => e.kind === EventKind.Trap && e.vector === 14 && e.toVm === 1 && e.cause === '#PF'));
  });

  it('writing ept_pointer flushes the VM\'s TLB entries and counts a flush', () => {
    const onExit = '    mov r1, 0x50000\n    vmwrite ept_pointer, r1\n    out 0xF4, r1';
    const f = cpu(hypervisor({ guest: '    vmcall', ept: true, onExit })).run().expectStop('poweroff');
    assert.ok(f.m.summary().vms[0].tlb.flushes >= 1);
  });

  it('entry_event injects a vector through the guest IVT on entry', () => {
    const f = cpu(hypervisor({ guest: '    vmcall', entryEvent: 0x80000000 | 32 })).run().expectExit(532);
    assert.strictEqual(f.word(0x6100), 32);
    assert.ok(f.events().some((e) => e.kind === EventKind.Interrupt && e.vector === 32 && e.toVm === 1));
  });

  it('an injected event whose guest gate is not present is a guest triple fault (2), whatever its vector', () => {
    // Not dropped like a device interrupt to a missing gate: the hypervisor asked for this event.
    for (const v of [13, 40]) {
      const hostSetup = `    mov r2, 0\n    st [0x40000 + ${v * 8 + 4}], r2`;
      cpu(hypervisor({ guest: '    vmcall', entryEvent: 0x80000000 | v, hostSetup })).run().expectExit(R.TRIPLE_FAULT);
    }
  });
});

describe('VMX: EPT', () => {
  const eptPte = (gpa: number, value: string) => `    mov r1, ${value}\n    st [0x51000 + ${gpa >>> 12} * 4], r1`;

  for (const [what, guest, bit] of [
    ['read', '    ld r1, [0x300000]', 1],
    ['write', '    st [0x300000], r1', 2],
    ['execute', '    jmp 0x300000', 4],
  ] as const) {
    it(`an EPT violation on ${what} exits (48) with exit_gpa and the access bit`, () => {
      const perms = bit === 1 ? 6 : bit === 2 ? 5 : 3;
      const f = cpu(hypervisor({ guest, ept: true, eptTweaks: eptPte(0x300000, `0x300000 | ${perms}`) })).run().expectExit(R.EPT_VIOLATION);
      const x = exitLog((a) => f.word(a));
      assert.strictEqual(x.gpa, 0x300000);
      assert.strictEqual(x.qual & 7, bit);
      assert.strictEqual((x.qual >>> 3) & 7, perms, 'the permissions EPT allowed');
    });
  }

  /** On an EPT violation: keep idt_vectoring at 0x6200, inject it again when `reinject`, map guest page 0x37000 and resume; other exits power off with the reason. */
  const mapOnViolation = (reinject: boolean) => `
    vmread r1, exit_reason
    cmp r1, 48
    jnz .done
    vmread r2, idt_vectoring
    st [0x6200], r2
${reinject ? '    vmwrite entry_event, r2\n' : ''}    mov r1, 0x37007
    st [0x51000 + 0x37 * 4], r1
    vmresume
.done: out 0xF4, r1`;

  it('an EPT violation while the guest delivers its own int exits (48) at the int, no idt_vectoring; mapped and resumed, the int runs again and is delivered', () => {
    // The guest (ring 0, sp 0x38000) pushes its frame on guest-physical page 0x37000, which EPT does not map yet.
    const guest = 'at_int: int 0x30\n    vmcall';
    const f = cpu(hypervisor({ guest, ept: true, eptTweaks: eptPte(0x37000, '0'), onExit: mapOnViolation(false) })).run().expectExit(500 + 0x30);
    const x = exitLog((a) => f.word(a));
    assert.deepStrictEqual([x.reason, x.gpa, x.guestPc], [R.EPT_VIOLATION, 0x37ffc, f.sym('at_int')], 'the exit: the frame\'s first word, at the int');
    assert.strictEqual(f.word(0x6200), 0, 'a software interrupt leaves no idt_vectoring: it runs again');
  });

  it('an EPT violation while the guest delivers an exception exits (48) with idt_vectoring at the faulting instruction, not a triple fault; mapped and resumed, the guest receives it', () => {
    // The guest's divide error pushes its frame on guest-physical page 0x37000, which EPT does not
    // map yet: on VT-x the hypervisor hears of its missing mapping whatever the guest was doing.
    const guest = '    mov r5, 0\nat_div: div r1, r5\n    vmcall';
    const f = cpu(hypervisor({ guest, ept: true, eptTweaks: eptPte(0x37000, '0'), onExit: mapOnViolation(false) })).run().expectExit(500 + 0);
    const x = exitLog((a) => f.word(a));
    assert.deepStrictEqual([x.reason, x.gpa, x.guestPc], [R.EPT_VIOLATION, 0x37ffc, f.sym('at_div')], 'the exit: the frame\'s first word, at the div');
    assert.strictEqual(f.word(0x6200) >>> 0, (0x80000000 | 0) >>> 0, 'idt_vectoring: valid, vector 0');
    // A fault of the guest's own (not EPT) while delivering an exception stays a triple fault: its stack outside memory, no EPT.
    cpu(hypervisor({ guest, hostSetup: '    mov r1, 0x7ffffff0\n    vmwrite guest_sp, r1' })).run().expectExit(R.TRIPLE_FAULT);
  });

  it('an interrupt whose delivery raised a guest #PF whose own delivery exits on EPT stays pending: idt_vectoring holds the #PF', () => {
    // The guest's timer gate (0x45000) is on a page its tables do not map; its #PF gate (0x44F70) is
    // mapped, but the #PF frame falls on guest-physical page 0x37000, which EPT does not map.
    const hostSetup = `${GUEST_PT}
    mov r1, 0
    st [0x31000 + 0x45 * 4], r1
    mov r1, guest
    st [0x44F70], r1
    st [0x45000], r1
    mov r1, 1
    st [0x44F74], r1
    st [0x45004], r1
    mov r1, 0x44F00
    vmwrite guest_ivt, r1
    mov r1, 200
    out 0x40, r1`;
    const guest = '    sti\nspin: add r6, 1\n    jmp spin';
    const f = cpu(hypervisor({ guest, ept: true, eptTweaks: eptPte(0x37000, '0'), guestCr0: 1, guestCr3: 0x30000, hostSetup })).run().expectExit(R.EPT_VIOLATION);
    assert.strictEqual(exitLog((a) => f.word(a)).gpa, 0x37ffc, 'the #PF frame\'s first word');
    assert.strictEqual(f.word(0x20000 + isa.VmcsField.idt_vectoring * 4) >>> 0, (0x80000000 | 14) >>> 0, 'idt_vectoring: the #PF being delivered');
    assert.strictEqual(f.m.cpu.pending & 1, 1, 'the timer interrupt is still pending');
  });

  it('an EPT violation while delivering an external interrupt to the guest exits (48) with idt_vectoring; injected again, the guest receives it', () => {
    const guest = '    sti\nspin: add r6, 1\n    jmp spin';
    const f = cpu(hypervisor({ guest, ept: true, eptTweaks: eptPte(0x37000, '0'), onExit: mapOnViolation(true), hostSetup: '    mov r1, 200\n    out 0x40, r1' })).run().expectExit(500 + 32);
    assert.strictEqual(exitLog((a) => f.word(a)).reason, R.EPT_VIOLATION);
    assert.strictEqual(f.word(0x6200) >>> 0, (0x80000000 | 32) >>> 0, 'idt_vectoring: valid, vector 32');
  });

  it('the interrupt an EPT violation interrupted is the hypervisor\'s to inject, not left pending for the host', () => {
    const guest = '    sti\nspin: add r6, 1\n    jmp spin';
    const f = cpu(hypervisor({ guest, ept: true, eptTweaks: eptPte(0x37000, '0'), hostSetup: '    mov r1, 200\n    out 0x40, r1' })).run().expectExit(R.EPT_VIOLATION);
    assert.strictEqual(f.m.cpu.pending & 1, 0, 'the timer interrupt is in idt_vectoring only');
  });

  it('VMCS_FIELDS is indexed by field number (vmread, vmwrite and the disassembler look fields up by it)', () => {
    isa.VMCS_FIELDS.forEach((fd, i) => assert.strictEqual(fd.id, i, fd.name));
  });

  it('a launched guest given another page directory (vmwrite guest_cr3) sees it: its cached translations are flushed, as a cr3 write flushes them', () => {
    // Directory 0x32000 maps 0x100000 to frame 0x101000 (222) where 0x30000 maps it to itself (111).
    const hostSetup = `${GUEST_PT}
    mov r1, 0x33000
    mov r2, 7
    mov r3, 1024
.gpt2: st [r1], r2
    add r1, 4
    add r2, 0x1000
    sub r3, 1
    jnz .gpt2
    mov r1, 0x101007
    st [0x33000 + 0x100 * 4], r1
    mov r1, 0x33007
    st [0x32000], r1
    mov r1, 111
    st [0x100000], r1
    mov r1, 222
    st [0x101000], r1`;
    const onExit = (cr3: number) => `    ld r1, [0x6300]
    cmp r1, 0
    jnz .second
    mov r1, 1
    st [0x6300], r1
    mov r1, ${cr3}
    vmwrite guest_cr3, r1
    vmread r1, guest_pc
    vmread r2, exit_len
    add r1, r2
    vmwrite guest_pc, r1
    vmresume
.second: out 0xF4, r7`;
    const guest = '    ld r6, [0x100000]\n    vmcall\n    ld r7, [0x100000]\n    vmcall';
    const flushes = (f: ReturnType<typeof cpu>) => f.m.vmSummaries()[0].tlb.flushes;
    const moved = cpu(hypervisor({ guest, guestCr0: 1, guestCr3: 0x30000, hostSetup, onExit: onExit(0x32000) })).run().expectExit(222);
    const same = cpu(hypervisor({ guest, guestCr0: 1, guestCr3: 0x30000, hostSetup, onExit: onExit(0x30000) })).run().expectExit(111);
    assert.deepStrictEqual([flushes(moved), flushes(same)], [1, 0], 'one flush, for the new directory; none for the same one, nor for the writes before the launch');
  });

  it('a cold TLB miss walks both dimensions: 8 reads with EPT, 2 natively', () => {
    // Guest paging on, EPT on: count the walk reads of one load of a fresh page.
    const guest = `
    ld r1, [0x300000]
    vmcall`;
    const ept = cpu(hypervisor({ guest, ept: true, guestCr0: 1, guestCr3: 0x30000, hostSetup: GUEST_PT })).run().expectExit(R.VMCALL);
    const vm = ept.m.summary().vms[0];
    // The guest took 3 misses: code page, stack-free load page... count per miss.
    assert.strictEqual(vm.tlb.walkReads, vm.tlb.misses * 8, `${vm.tlb.walkReads} reads for ${vm.tlb.misses} misses`);
    const native = cpu(hypervisor({ guest, guestCr0: 1, guestCr3: 0x30000, hostSetup: GUEST_PT })).run().expectExit(R.VMCALL);
    const nv = native.m.summary().vms[0];
    assert.strictEqual(nv.tlb.walkReads, nv.tlb.misses * 2);
  });

  it('with guest paging off and EPT on, a miss costs the 2 EPT reads', () => {
    const f = cpu(hypervisor({ guest: '    ld r1, [0x300000]\n    vmcall', ept: true })).run().expectExit(R.VMCALL);
    const vm = f.m.summary().vms[0];
    assert.strictEqual(vm.tlb.walkReads, vm.tlb.misses * 2);
  });

  it('two VMs with separate EPTs do not see each other\'s memory; the TLB keeps them apart', () => {
    // VM 1 (VMCS 0x20000) maps guest-physical 0x300000 -> 0x200000; VM 2 (VMCS 0x21000, EPT 0x52000) -> 0x280000.
    const guest = `
    ld r2, [0x300000]     ; what this VM sees
    st [0x300004], r2
    vmcall`;
    const hostSetup = `
    mov r1, 0x200000
    mov r2, 111
    st [r1], r2
    mov r1, 0x280000
    mov r2, 222
    st [r1], r2
    ; second EPT: copy of the first with the one page changed
    mov r1, 0
.cp: ld r2, [r1 + 0x50000]
    st [r1 + 0x52000], r2
    ld r2, [r1 + 0x51000]
    st [r1 + 0x53000], r2
    add r1, 4
    cmp r1, 4096
    jnz .cp
    mov r1, 0x53007
    st [0x52000], r1
    mov r1, 0x280007
    st [0x53000 + 0x300 * 4], r1`;
    const onExit = `
    ld r1, [0x6000]
    cmp r1, 18
    jnz .bad
    add r12, 1
    cmp r12, 2
    jz .both
    ; launch VM 2 on a second VMCS with its own EPT
    mov r1, 0x21000
    vmptrld r1
    mov r1, guest
    vmwrite guest_pc, r1
    mov r1, 0x38000
    vmwrite guest_sp, r1
    mov r1, 0x40000
    vmwrite guest_ivt, r1
    mov r1, exit_handler
    vmwrite host_pc, r1
    mov r1, 0x8000
    vmwrite host_sp, r1
    mov r1, 0x52000
    vmwrite ept_pointer, r1
    vmlaunch
.both: out 0xF4, r12
.bad: add r1, 2000
    out 0xF4, r1`;
    const f = cpu(hypervisor({ guest, ept: true, eptTweaks: eptPte(0x300000, '0x200007'), hostSetup, onExit })).run().expectExit(2);
    assert.strictEqual(f.word(0x200004), 111, 'VM 1 saw its own page');
    assert.strictEqual(f.word(0x280004), 222, 'VM 2 saw its own page');
    const s = f.m.summary();
    assert.deepStrictEqual(s.vms.map((v) => [v.id, v.exits.vmcall]), [[1, 1], [2, 1]]);
  });
});

describe('VMX: entry failures, instructions in the wrong place, events, state', () => {
  it('vmlaunch on a launched VMCS fails with VMfailValid, vm_error 4', () => {
    const onExit = '    vmlaunch\n    vmread r1, vm_error\n    add r1, 1000\n    out 0xF4, r1';
    cpu(hypervisor({ guest: '    vmcall', onExit })).run().expectExit(1004);
  });

  it('vmresume on a clear VMCS fails with vm_error 5', () => {
    const src = hypervisor({ guest: '    vmcall' }).replace('    vmlaunch\nentry_failed:', '    vmresume\nentry_failed:');
    cpu(src).run().expectExit(1005);
  });

  it('invalid guest state (guest_cr3 outside memory with paging) fails the entry with vm_error 33', () => {
    cpu(hypervisor({ guest: '    vmcall', guestCr0: 1, guestCr3: 0x7ffff000 })).run().expectExit(1033);
  });

  it('undefined guest_status bits fail the entry with vm_error 33', () => {
    cpu(hypervisor({ guest: '    vmcall', guestStatus: 0x10000 })).run().expectExit(1033);
  });

  it('bad controls fail the entry with vm_error 7', () => {
    cpu(hypervisor({ guest: '    vmcall', ctls: 0x100 })).run().expectExit(1007);
  });

  it('vmwrite to a read-only field fails with vm_error 13', () => {
    const hostSetup = '    vmwrite exit_reason, r1\n    vmread r1, vm_error\n    add r1, 1000\n    out 0xF4, r1';
    cpu(hypervisor({ guest: '    vmcall', hostSetup })).run().expectExit(1013);
  });

  it('vmread with no current VMCS sets C (VMfailInvalid)', () => {
    cpu(`    vmread r1, guest_pc\n    rdsr r2, status\n    and r2, 4\n    out 0xF4, r2`).run().expectExit(4);
  });

  for (const ins of ['vmptrld r1', 'vmread r1, guest_pc', 'vmwrite guest_pc, r1', 'vmlaunch', 'vmresume']) {
    it(`${ins} in non-root mode is trap 6 in the guest`, () => {
      const f = cpu(hypervisor({ guest: `    ${ins}` })).run().expectExit(506);
      assert.strictEqual(f.word(0x6100), 6);
    });
  }

  it('vmcall in root mode at ring 0 fails with vm_error 1', () => {
    cpu(`    mov r1, 0x20000\n    vmptrld r1\n    vmcall\n    vmread r1, vm_error\n    out 0xF4, r1`).run().expectExit(1);
  });

  it('VM entry and exit are transition events with the reason by name, and counters per VM', () => {
    const f = cpu(hypervisor({ guest: '    vmcall' })).run();
    const kinds = f.events().map((e) => e.cause);
    assert.deepStrictEqual(kinds, ['vmentry', 'vmexit vmcall']);
    const entry = f.events()[0];
    assert.deepStrictEqual([entry.fromVm, entry.toVm, entry.pcAfter], [0, 1, f.sym('guest')]);
    const vm = f.m.summary().vms[0];
    assert.deepStrictEqual([vm.id, vm.entries, vm.exits, vm.instructions], [1, 1, { vmcall: 1 }, 1]);
  });

  it('the VMCS lives in physical memory at documented offsets (field id * 4)', () => {
    const f = cpu(hypervisor({ guest: '    vmcall' })).run();
    assert.strictEqual(f.word(0x20000 + isa.VmcsField.exit_reason * 4), 18);
    assert.strictEqual(f.word(0x20000 + isa.VmcsField.host_pc * 4), f.sym('exit_handler'));
  });

  it('save/restore covers the VMCS and the mode: a snapshot in non-root mode continues identically', () => {
    const f = cpu(hypervisor({ guest: '    mov r3, 100\n.l: sub r3, 1\n    jnz .l\n    vmcall' }));
    f.m.stopOnEvents([EventKind.VmEntry]);
    f.run().expectStop('event');
    f.m.stopOnEvents([]);
    f.run(50);
    assert.ok(f.m.nonRoot, 'in the guest');
    const snap = f.m.saveState();
    f.run();
    const end = JSON.stringify([f.m.summary(), f.m.pc, f.word(0x20000 + 20 * 4)]);
    f.m.restoreState(snap);
    assert.ok(f.m.nonRoot, 'restored into the guest');
    f.run();
    assert.strictEqual(JSON.stringify([f.m.summary(), f.m.pc, f.word(0x20000 + 20 * 4)]), end);
  });
});
