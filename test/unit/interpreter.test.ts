/**
 * The interpreter runs steps on one page with its hot fields in locals (emulator/exec.ts). These
 * hold it to stopping and interrupting at the very step where the machine's own fields say so.
 */
import * as assert from 'assert';
import { cpu, savedFrame, trapKernel } from './helpers/cpu';
import { addFlags, cond, condLazy, condSubSource, LAZY_ADD, LAZY_NONE, LAZY_SUB, LAZY_ZN, lazyFlags, subFlags, zn } from '../../emulator/flags';
import { Op } from '../../emulator/isa/opcodes';
import { service } from '../../emulator/service';

// A loop of stores to consecutive words, 5 steps an iteration, after 2 steps of set-up.
const STORES = `
.org 0
_start: mov r1, 0x2000
        mov r0, 0
loop:   st [r1], r0
after:  add r1, 4
        add r0, 1
        cmp r0, 100
        jnz loop
        out 0xF4, r0`;

// The same loop reading the words instead.
const LOADS = STORES.replace('st [r1], r0', 'ld r2, [r1]');

describe('the interpreter: runs of steps in locals', () => {
  for (const jit of [false, true]) {
    it(`a data breakpoint stops a run of steps right after the store that hit it (jit ${jit})`, () => {
      const f = cpu(STORES, { jit });
      f.m.setWatches([{ address: 0x2000 + 4 * 37, length: 4, mode: 2, physical: true, id: 1 }]);
      f.run().expectStop('watchpoint').expectReg('r0', 37).expectReg('r1', 0x2000 + 4 * 37);
      assert.strictEqual(f.m.pc, f.sym('after'));
      assert.strictEqual(f.m.icount, 2 + 37 * 5 + 1);
    });

    it(`a data breakpoint stops a run of steps right after the load that hit it (jit ${jit})`, () => {
      const f = cpu(LOADS, { jit });
      f.m.setWatches([{ address: 0x2000 + 4 * 61, length: 4, mode: 1, physical: true, id: 1 }]);
      f.run().expectStop('watchpoint').expectReg('r0', 61);
      assert.strictEqual(f.m.pc, f.sym('after'));
      assert.strictEqual(f.m.icount, 2 + 61 * 5 + 1);
    });
  }

  it('an interrupt pending while IF is 0 is taken right after popf sets IF in ring 0', () => {
    const body = `    mov r1, 5\n    out 0x40, r1\n    nop\n    nop\n    nop\n    nop\n    nop\n    nop\n    mov r1, 0\n    out 0x40, r1
    push 0x200\n    popf\nafter_popf:\n    add r4, 1\n    add r4, 1\n    hlt`;
    const f = cpu(trapKernel(body), { jit: false }).run();
    f.expectExit(32);
    assert.strictEqual(savedFrame(f).pc, f.sym('after_popf'), 'interrupted right after popf');
  });

  it('flags a run of register steps set are the ones a fault frame, pushf and rdsr status see', () => {
    // 0x7fffffff + 1 sets N and V; the division by zero's frame, pushf and rdsr must all see them.
    const body = `    mov r1, 0x7fffffff\n    add r1, 1\n    pushf\n    pop r5\n    rdsr r6, status\n    mov r2, 0\n    div r1, r2`;
    const f = cpu(trapKernel(body), { jit: false }).run();
    f.expectExit(0).expectReg('r5', 0b1010).expectReg('r6', 0b1010);
    assert.strictEqual(savedFrame(f).status & 15, 0b1010, 'the frame holds N and V');
  });

  it('lazy flags: lazyFlags() and condLazy() agree with the flags an add, sub, compare or logic step sets and with cond(), for every jump', () => {
    const edges = [0, 1, -1, 2, -2, 0x7fffffff, -0x80000000, 0x7ffffffe, -0x7fffffff, 0x40000000, 0x80, 0xffff];
    let seed = 12345;
    const next = () => (seed = (Math.imul(seed, 1103515245) + 12345) | 0);
    const values = [...edges, ...Array.from({ length: 120 }, next)];
    const jumps = [Op.JZ_I, Op.JNZ_I, Op.JL_I, Op.JLE_I, Op.JG_I, Op.JGE_I, Op.JB_I, Op.JBE_I, Op.JA_I, Op.JAE_I];
    let checked = 0;
    for (const x of values) {
      for (const y of values) {
        const records: [number, number, number][] = [
          [LAZY_ADD, (x + y) | 0, addFlags(x, y, (x + y) | 0)],
          [LAZY_SUB, (x - y) | 0, subFlags(x, y, (x - y) | 0)],
          [LAZY_ZN, x ^ y, zn(x ^ y)],
          [LAZY_NONE, 0, (x ^ y) & 15],
        ];
        for (const [kind, s, flags] of records) {
          const fl = kind === LAZY_NONE ? flags : 0;
          assert.strictEqual(lazyFlags(kind, fl, x, y, s), flags, `kind ${kind} x ${x} y ${y}`);
          for (const op of jumps) {
            for (const form of [op, op + 1]) assert.strictEqual(condLazy(form, kind, fl, x, y, s), cond(form, flags), `op ${form} kind ${kind} x ${x} y ${y}`);
            checked++;
          }
        }
      }
    }
    assert.ok(checked > 100_000);
  });

  it("compiled code's jumps after a subtraction or compare (condSubSource) agree with cond() on its flags", () => {
    const values = [0, 1, -1, 2, -2, 0x7fffffff, -0x80000000, 0x7ffffffe, -0x7fffffff, 0x40000000, 0x80, 0xffff, 123456789, -987654321];
    for (const op of [Op.JZ_I, Op.JNZ_I, Op.JL_I, Op.JLE_I, Op.JG_I, Op.JGE_I, Op.JB_I, Op.JBE_I, Op.JA_I, Op.JAE_I]) {
      for (const form of [op, op + 1]) {
        const test = new Function('x', 'y', `return ${condSubSource(form, 'x', 'y')};`) as (x: number, y: number) => boolean;
        for (const x of values) for (const y of values) assert.strictEqual(test(x, y), cond(form, subFlags(x, y, (x - y) | 0)), `op ${form} x ${x} y ${y}`);
      }
    }
  });

  for (const jit of [false, true]) {
    it(`between steps of a run with no limit, the next deadline is a small integer near the count, not the limit's 2^53 (jit ${jit})`, () => {
      // A heap-number deadline once made V8 keep every machine's as one: compiled code a third slower.
      const c = cpu(STORES, { jit }).m.cpu;
      c.icount = 1234;
      c.limit = Number.MAX_SAFE_INTEGER;
      assert.equal(service(c), null);
      assert.ok(Number.isInteger(c.deadline) && c.deadline > c.icount && c.deadline < 2 ** 30, `deadline ${c.deadline} at step ${c.icount}`);
    });
  }
});
