import * as assert from 'assert';
import { cpu, identityPaging as paging, savedFrame, trapKernel } from './helpers/cpu';
import { tlbSlot } from '../../emulator/tlb';

/** Set the PTE of page `va` (identity) to `flags` (frame unchanged). */
const pte = (va: number, flags: number) => `    mov r1, ${va} | ${flags}\n    st [0x11000 + ${va >>> 12} * 4], r1`;

describe('CPU: paging and the TLB (spec section 6)', () => {
  it('a user read of a not-present page: #PF, error U (4), cr2 = the address, pc = the faulting load', () => {
    const f = cpu(trapKernel(`    ld r1, [0x300010]\n    hlt`, { ring: 3, pagingSetup: paging(pte(0x300000, 0)) })).run().expectExit(14);
    const fr = savedFrame(f);
    assert.deepStrictEqual([fr.error, fr.cr2, fr.pc], [4, 0x300010, f.sym('test')]);
  });

  it('a user write to a read-only page: error P|W|U (7)', () => {
    const f = cpu(trapKernel(`    mov r2, 1\n    st [0x300000], r2\n    hlt`, { ring: 3, pagingSetup: paging(pte(0x300000, 5)) })).run().expectExit(14);
    assert.strictEqual(savedFrame(f).error, 7);
  });

  it('a user read of a supervisor page: error P|U (5)', () => {
    const f = cpu(trapKernel(`    ld r1, [0x300000]\n    hlt`, { ring: 3, pagingSetup: paging(pte(0x300000, 3)) })).run().expectExit(14);
    assert.strictEqual(savedFrame(f).error, 5);
  });

  it('an instruction fetch from a not-present page: error U|I (0x14)', () => {
    const f = cpu(trapKernel(`    jmp 0x300000`, { ring: 3, pagingSetup: paging(pte(0x300000, 0)) })).run().expectExit(14);
    assert.deepStrictEqual([savedFrame(f).error, savedFrame(f).cr2], [0x14, 0x300000]);
  });

  it('a supervisor write to a read-only page succeeds with WP = 0 and faults (error P|W = 3) with WP = 1', () => {
    cpu(trapKernel(`    mov r2, 1\n    st [0x300000], r2\n    out 0xF4, r2`, { ring: 0, pagingSetup: paging(pte(0x300000, 5)) })).run().expectExit(1);
    const f = cpu(trapKernel(`    mov r2, 1\n    st [0x300000], r2\n    out 0xF4, r2`, { ring: 0, pagingSetup: paging(pte(0x300000, 5), '0x10001') })).run().expectExit(14);
    assert.strictEqual(savedFrame(f).error, 3);
  });

  it('sets A on use and D on write, in both levels where the spec says', () => {
    const f = cpu(trapKernel(`    ld r1, [0x300000]\n    mov r2, 5\n    st [0x301000], r2\n    out 0xF4, r2`, { ring: 0, pagingSetup: paging() })).run().expectExit(5);
    assert.strictEqual(f.word(0x10000) & 0x20, 0x20, 'directory entry accessed');
    assert.strictEqual(f.word(0x11000 + 0x300 * 4) & 0x60, 0x20, 'read: A, not D');
    assert.strictEqual(f.word(0x11000 + 0x301 * 4) & 0x60, 0x60, 'write: A and D');
  });

  it('remembers the last data access, virtual and physical, with its space; fetches do not count', () => {
    // 0x300000 is remapped to frame 0x302000: the physical address is the translated one.
    const body = `
    mov r1, 0x302003
    st [0x11000 + 0x300 * 4], r1
    mov r1, 0x300000
    invlpg r1
    mov r2, 9
    st [0x300024], r2
    nop
    out 0xF4, r0`;
    const f = cpu(trapKernel(body, { ring: 0, pagingSetup: paging() })).run().expectStop('poweroff');
    assert.deepStrictEqual(f.m.lastData, { va: 0x300024, pa: 0x302024, vm: 0 });
    assert.strictEqual(cpu('.org 0\n    nop\n    out 0xF4, r0').run().m.lastData, undefined, 'no data access yet');
  });

  it('a stale TLB entry is real: a changed PTE is not seen until invlpg', () => {
    const body = `
    mov r1, 111
    st [0x300000], r1
    mov r1, 222
    st [0x301000], r1
    ld r5, [0x300000]          ; fills the TLB: 0x300000 -> frame 0x300000
    mov r1, 0x301007
    st [0x11000 + 0x300 * 4], r1   ; now the PTE says frame 0x301000
    ld r6, [0x300000]          ; stale: still 111
    mov r1, 0x300000
    invlpg r1
    ld r7, [0x300000]          ; re-walked: 222
    out 0xF4, r0`;
    const f = cpu(trapKernel(body, { ring: 0, pagingSetup: paging() })).run().expectStop('poweroff');
    f.expectReg('r5', 111).expectReg('r6', 111).expectReg('r7', 222);
  });

  it('writing cr3 flushes the TLB (counted), and a miss costs two page-walk reads', () => {
    const body = `
    ld r5, [0x300000]
    ld r5, [0x300000]
    rdsr r1, cr3
    wrsr cr3, r1
    ld r5, [0x300000]
    out 0xF4, r0`;
    const f = cpu(trapKernel(body, { ring: 0, pagingSetup: paging() })).run().expectStop('poweroff');
    const t = f.m.summary().tlb;
    assert.strictEqual(t.flushes, 3, 'cr3 at setup, cr0 at setup, cr3 in the test');
    assert.strictEqual(t.walkReads, t.misses * 2);
    const g = cpu(trapKernel(body.replace('    rdsr r1, cr3\n    wrsr cr3, r1\n', ''), { ring: 0, pagingSetup: paging() })).run();
    assert.strictEqual(f.m.summary().tlb.misses, g.m.summary().tlb.misses + 2, 'after the flush both the code page and the data page miss again');
  });

  it('a TLB of 1 entry thrashes between code and data pages', () => {
    const body = `    mov r3, 10\n.l: ld r5, [0x300000]\n    sub r3, 1\n    jnz .l\n    out 0xF4, r0`;
    const one = cpu(trapKernel(body, { pagingSetup: paging() }), { tlbEntries: 1 }).run().m.summary().tlb;
    const big = cpu(trapKernel(body, { pagingSetup: paging() }), { tlbEntries: 64 }).run().m.summary().tlb;
    assert.ok(one.misses >= big.misses + 18, `1-entry misses ${one.misses} vs 64-entry ${big.misses}`);
  });

  it('32 pages in a row fit a 64-entry TLB: touched twice, the second pass misses none (interpreter and compiler)', () => {
    // Pages 0x200..0x21F, read in a loop, then again: only the first pass (and the code page) miss.
    const pass = (n: number) => `    mov r1, 0x200000\n    mov r3, ${n}\n.p${n}: ld r5, [r1]\n    add r1, 4096\n    sub r3, 1\n    jnz .p${n}\n`;
    for (const jit of [false, true]) {
      const once = cpu(trapKernel(`${pass(32)}    out 0xF4, r0`, { ring: 0, pagingSetup: paging() }), { jit }).run().expectStop('poweroff').m.summary().tlb;
      const twice = cpu(trapKernel(`${pass(32)}${pass(32).replace(/\.p32/g, '.q32')}    out 0xF4, r0`, { ring: 0, pagingSetup: paging() }), { jit }).run().expectStop('poweroff').m.summary().tlb;
      assert.strictEqual(twice.misses, once.misses, `jit ${jit}: the second pass adds ${twice.misses - once.misses} misses`);
    }
  });

  it('any 32 consecutive pages take 32 different slots of 64; pages 64 apart do not share one', () => {
    for (const base of [0, 0x400, 0x1fc0, 0xc0000, 0x12345, 0xfffe0]) {
      const slots = new Set(Array.from({ length: 32 }, (_, i) => tlbSlot(base + i, 63)));
      assert.strictEqual(slots.size, 32, `pages 0x${base.toString(16)}..+31`);
    }
    assert.notStrictEqual(tlbSlot(0xc0000, 63), tlbSlot(0x400, 63), 'a kernel at 0xC0000000 and a program at 0x00400000');
    assert.strictEqual(tlbSlot(0x12345, 0), 0, 'a 1-entry TLB has one slot');
  });

  it('the TLB size must be a power of two', () => {
    assert.throws(() => cpu('nop', { tlbEntries: 48 }), /power of two/);
  });
});
