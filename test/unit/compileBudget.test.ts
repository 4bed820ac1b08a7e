/**
 * The block compiler pays for itself: what it compiles is bounded by the steps run (blocks.ts
 * COMPILE_RATE, COMPILE_AHEAD), and no region grows past what V8 optimizes (blocks.ts
 * MAX_REGION_CHARS). Neither changes what a program computes (blocks.test.ts holds every region to
 * the interpreter).
 */
import * as assert from 'assert';
import { Machine } from '../../emulator';
import { cpu } from './helpers/cpu';
import { compileAccount, compiledBlocks } from '../../emulator/blocks';
import { charsBuilt, Region } from '../../emulator/blockcache';

/** `n` functions of `stores` stores each on one page, each called `calls` times from a loop on the same page; r0 sums what they return. */
function callsSource(n: number, stores: number, calls: number, salt = 0): string {
  const fns = Array.from({ length: n }, (_, f) => `f${f}:${Array.from({ length: stores }, (_, k) => `    st [0x20000 + ${(f * stores + k) * 4}], r1\n`).join('')}    add r0, ${f + 1 + salt}\n    ret`);
  return `.org 0
_start: mov sp, 0x8000
        mov r2, ${calls}
loop:   mov r1, r2
${Array.from({ length: n }, (_, f) => `        call f${f}`).join('\n')}
        sub r2, 1
        jnz loop
        out 0xF4, r0
${fns.join('\n')}`;
}

/** A machine with `src` loaded, on the compile budget (the helper turns it off for the tests that hold compiled code to the interpreter). */
function machine(src: string): Machine {
  const m = cpu(src).m;
  m.cpu.compileBudget = true;
  return m;
}

/** The distinct regions compiled for the machine's pages. */
function regions(m: Machine): Region[] {
  const set = new Set<Region>();
  for (const p of m.cpu.blockPages) if (p) for (const r of p.slots) if (r && r.size > 0) set.add(r);
  return [...set];
}

describe('the block compiler pays for itself', () => {
  it('compiles no more source than its budget for the steps run (a run of many hot functions)', () => {
    compileAccount(true);
    const m = machine(callsSource(24, 8, 8000));
    const over: number[] = [];
    let stop;
    while ((stop = m.run(5_000)) === 'limit') {
      const a = compileAccount();
      over.push(a.spent - a.credit);
    }
    assert.strictEqual(stop, 'poweroff');
    assert.ok(regions(m).length > 0, 'the run earned some compiles');
    const most = Math.max(...regions(m).map((r) => r.chars));
    // Over budget by at most the compile that found it under (one region, or one join), and the credit is what the steps earned.
    assert.ok(over.every((o) => o <= 2 * most), `over budget by ${Math.max(...over)} characters`);
    const spent = compileAccount().spent;
    assert.ok(spent > 0);
    // The same program (other words, so none of it is reused) with no budget compiles far more: the budget is what held it.
    const before = charsBuilt();
    const free = machine(callsSource(24, 8, 8000, 1));
    free.cpu.compileBudget = false;
    free.run();
    assert.ok(charsBuilt() - before > 2 * spent, `${charsBuilt() - before} against ${spent}`);
    assert.strictEqual(free.cpu.r[0], m.cpu.r[0] + 24 * 8000);
  });

  it('compiles nothing in a short run, and a hot loop once the run has earned it', () => {
    compileAccount(true);
    const m = machine(callsSource(1, 2, 300_000));
    m.run(50_000);
    assert.strictEqual(compiledBlocks(m.cpu), 0);
    m.run(1_450_000);
    assert.ok(compiledBlocks(m.cpu) > 0);
    assert.strictEqual(m.run(), 'poweroff');
  });

  it('counts every step a run takes, compiled ones too (they ask for no compile)', () => {
    compileAccount(true);
    const m = machine(callsSource(1, 2, 300_000));
    assert.strictEqual(m.run(), 'poweroff');
    assert.ok(compiledBlocks(m.cpu) > 0);
    // 0.1 character a step (blocks.ts COMPILE_RATE): most of these steps ran compiled, after the last compile.
    assert.ok(Math.abs(compileAccount().credit - m.icount * 0.1) < 1, `${compileAccount().credit} earned by ${m.icount} steps`);
  });

  it('keeps each region small enough for V8 to optimize, however many entries its page has', () => {
    const m = machine(callsSource(30, 10, 300));
    m.cpu.compileBudget = false;
    assert.strictEqual(m.run(), 'poweroff');
    const rs = regions(m);
    assert.ok(rs.length > 1);
    const most = Math.max(...rs.map((r) => r.chars));
    // One page's code compiled together would be several times this.
    assert.ok(most <= 100_000, `a region of ${most} characters`);
    assert.ok(rs.reduce((s, r) => s + r.chars, 0) > 300_000);
  });
});
