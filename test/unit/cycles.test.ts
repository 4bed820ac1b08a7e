/** The cycle cost model (docs/machine.md §10): known event sequences priced by the default table and the presets. */
import * as assert from 'assert';
import { cpu, identityPaging } from './helpers/cpu';
import { hypervisor } from './helpers/hypervisor';
import { isa } from '../../emulator';

const D = isa.DEFAULT_COSTS;

describe('cycles', () => {
  it('flat code: one cycle per instruction', () => {
    const f = cpu('_start:\n    mov r1, 1\n    add r1, 2\n    mov r2, 0\n    out 0xF4, r2').run().expectStop('poweroff');
    assert.strictEqual(f.m.icount, 4);
    assert.strictEqual(f.m.cycles, 4 * D.instruction);
  });

  it('a system call and its iret: the instructions, one delivery and one iret', () => {
    const src = `
_start:
    mov sp, 0x8000
    mov r1, ivt
    wrsr ivt, r1
    mov r0, 39
    syscall
    mov r2, 0
    out 0xF4, r2
handler:
    iret
ivt: .space 0x80 * 8
    .word handler, 1`;
    const f = cpu(src).run().expectStop('poweroff');
    // mov, mov, wrsr, mov, syscall, iret, mov, out
    assert.strictEqual(f.m.icount, 8);
    assert.strictEqual(f.m.cycles, 8 * D.instruction + D.trap + D.iret);
    const b = f.m.cycleBreakdown().byCause;
    assert.deepStrictEqual([b.trap, b.iret, b.walkRead, b.vmExit], [D.trap, D.iret, 0, 0]);
    const evs = [0, 1].map((i) => f.m.event(i));
    assert.deepStrictEqual(evs.map((e) => e.cycles), [5 * D.instruction + D.trap, 6 * D.instruction + D.trap + D.iret], 'each transition records the cycle count just after it');
  });

  it('paging: each page-walk read, cr3 writes and invlpg are charged; cr0 writes are not', () => {
    const f = cpu('_start:\n' + identityPaging() + '    mov r5, 0x2000\n    ld r6, [r5]\n    invlpg r5\n    mov r1, 0x10000\n    wrsr cr3, r1\n    mov r2, 0\n    out 0xF4, r2').run().expectStop('poweroff');
    const s = f.m.summary();
    const b = s.cyclesByCause;
    assert.strictEqual(b.walkRead, s.tlb.walkReads * D.walkRead);
    assert.ok(s.tlb.walkReads >= 4, 'fetch and data misses walk the tables');
    assert.strictEqual(b.flush, 3 * D.flush, 'two cr3 writes and one invlpg');
    assert.strictEqual(s.cycles, s.instructions * D.instruction + b.walkRead + b.flush);
  });

  it('a VM exit costs vmExit once, for the exit and the entry after it; guest and hypervisor cycles are split per VM', () => {
    const f = cpu(hypervisor({ guest: '    mov r1, 1\n    vmcall' })).run();
    const s = f.m.summary();
    assert.strictEqual(s.cyclesByCause.vmExit, D.vmExit);
    const vm = s.vms[0];
    assert.strictEqual(vm.cycles, 2 * D.instruction + D.vmExit, 'mov and vmcall in the guest, plus the exit');
    assert.ok(vm.hostCycles > 0, 'the hypervisor ran after the exit');
    assert.strictEqual(s.cycles, s.instructions * D.instruction + D.vmExit + s.cyclesByCause.walkRead + s.cyclesByCause.flush);
  });

  it('an interrupt taken between instructions is a step but costs only its delivery; idle ticks cost like instructions', () => {
    const src = `
_start:
    mov sp, 0x8000
    mov r1, ivt
    wrsr ivt, r1
    mov r1, 100
    out 0x40, r1
    sti
    hlt
handler:
    mov r2, 0
    out 0xF4, r2
ivt: .space 32 * 8
    .word handler, 1`;
    const f = cpu(src).run().expectStop('poweroff');
    const b = f.m.cycleBreakdown().byCause;
    assert.strictEqual(b.trap, D.trap);
    assert.strictEqual(b.instruction, (f.m.icount - 1) * D.instruction, 'every step but the interrupt costs an instruction');
  });

  it('the cycle counter ports read the count, this instruction included (the machine\'s rdtsc)', () => {
    const f = cpu('_start:\n    mov r1, 1\n    in r2, 0x44\n    in r3, 0x45\n    mov r4, 0\n    out 0xF4, r4').run().expectStop('poweroff');
    f.expectReg('r2', 2 * D.instruction).expectReg('r3', 0);
  });

  it('the performance-counter ports read the TLB misses and page-walk reads so far, machine-wide', () => {
    const src = '_start:\n' + identityPaging() + '    mov r5, 0x2000\n    ld r6, [r5]\n    ld r6, [r5 + 0x1000]\n    in r2, 0x46\n    in r3, 0x47\n    mov r4, 0\n    out 0xF4, r4';
    const f = cpu(src).run().expectStop('poweroff');
    const tlb = f.m.tlbStatsOf(0);
    assert.ok(tlb.misses >= 3, 'the code page and two data pages missed');
    f.expectReg('r2', tlb.misses).expectReg('r3', tlb.walkReads);
    assert.strictEqual(tlb.walkReads, 2 * tlb.misses, 'a two-level walk reads two words');
    const flat = cpu('_start:\n    in r2, 0x46\n    in r3, 0x47\n    mov r4, 0\n    out 0xF4, r4').run().expectStop('poweroff');
    flat.expectReg('r2', 0).expectReg('r3', 0);
  });

  it('presets and overrides: the same run priced by another table; bad specifications are refused with the reason', () => {
    const r = isa.resolveCosts({ preset: 'vtx-2006', trap: 80 });
    assert.ok('costs' in r);
    const costs = (r as { costs: isa.CostTable }).costs;
    assert.strictEqual(costs.trap, 80);
    assert.ok(costs.vmExit > D.vmExit, 'first-generation exits cost several times today\'s');
    const a = cpu(hypervisor({ guest: '    vmcall' })).run();
    const b = cpu(hypervisor({ guest: '    vmcall' }), { costs }).run();
    assert.strictEqual(a.m.icount, b.m.icount, 'the table changes the price, not the run');
    assert.strictEqual(b.m.cycles - a.m.cycles, costs.vmExit - D.vmExit);
    assert.match((isa.resolveCosts('pentium') as { error: string }).error, /unknown cost preset "pentium"/);
    assert.match((isa.resolveCosts({ vmexit: 5 } as unknown as isa.CostSpec) as { error: string }).error, /unknown cost "vmexit"/);
    assert.match((isa.resolveCosts({ trap: -1 }) as { error: string }).error, /whole number of cycles/);
  });

  it('restoring a snapshot restores the cycle count (step back takes cycles back)', () => {
    const f = cpu(hypervisor({ guest: '    mov r1, 1\n    vmcall' }));
    f.run(20);
    const snap = f.m.saveState();
    const at = f.m.cycles;
    f.run();
    const end = f.m.cycles;
    assert.ok(end > at);
    f.m.restoreState(snap);
    assert.strictEqual(f.m.cycles, at);
    f.run();
    assert.strictEqual(f.m.cycles, end, 'deterministic: the same run again gives the same count');
  });
});
