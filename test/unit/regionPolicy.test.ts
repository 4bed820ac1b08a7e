/**
 * Which entries a region holds, and how long it runs per call (blocks.ts addEntry, warmEntries,
 * the joins in runBlocks; blockgen.ts REGION_SLICE): rules for how fast compiled code gets fast in
 * V8, never for what it computes (blocks.test.ts holds every region to the interpreter).
 */
import * as assert from 'assert';
import { Machine } from '../../emulator';
import { cpu } from './helpers/cpu';
import { compileAccount, compiledBlocks } from '../../emulator/blocks';
import { charsBuilt, Region } from '../../emulator/blockcache';
import { throughOnly } from '../../emulator/blockdecode';
import { assembleText } from '../../language/assembler';
import { workloads } from '../../scripts/benchWorkloads';
import { identityTable } from '../../scripts/asmSnippets';

const shape = (rs: Region[]) => rs.map((r) => r.offs.map((o) => o.toString(16))).join(' | ');

/** The distinct regions of the machine's page `page` (a page number). */
function regionsOf(m: Machine, page = 0): Region[] {
  const set = new Set<Region>();
  for (const r of m.cpu.blockPages[page]?.slots ?? []) if (r && r.size > 0) set.add(r);
  return [...set];
}

/** The calls of region `r` while `f` runs on to power-off, and the steps that took. */
function callsToEnd(f: ReturnType<typeof cpu>, r: Region): { calls: number; steps: number } {
  let calls = 0;
  const run = r.run;
  r.run = (c, pc) => {
    calls++;
    return run(c, pc);
  };
  const from = f.m.icount;
  f.run(100_000_000).expectStop('poweroff');
  return { calls, steps: f.m.icount - from };
}

/** The benchmark's recursive fib on page `page`, where nothing was compiled before in this process. */
const fibOn = (page: number) => {
  const src = workloads(1).find((w) => w.name.startsWith('recursive fib'))!.src;
  assert.ok(src.startsWith('.org 0\n'));
  return src.replace('.org 0\n', `.org 0x${(page << 12).toString(16)}\n`);
};

/**
 * Two loops on one page, `inner` rounds each, one after the other for `passes` passes; from pass
 * `from` on, loop a branches to g and back at every round (g gets hot long after loop a).
 */
const phasesSource = (inner: number, passes: number, from: number, salt: number) => `.org 0
_start: mov r7, ${passes}
pass:   mov r2, ${inner}
a:      add r3, ${salt}
        st [0x2000], r3
        cmp r7, ${passes - from}
        jbe g
back:   sub r2, 1
        jnz a
        mov r2, ${inner}
b:      xor r4, r3
        st [0x2004], r4
        sub r2, 1
        jnz b
        sub r7, 1
        jnz pass
        out 0xF4, r4
g:      add r5, 1
        jmp back`;

describe('regions: which entries, how long a call', () => {
  it('compiles the entries of a recursion together, in one region made once (no region per entry, no joins)', () => {
    // As in a fresh process: arrivals are counted once the budget allows a compile (after a million steps), at every entry alike.
    compileAccount(true);
    const before = charsBuilt();
    const f = cpu(fibOn(6));
    f.m.cpu.compileBudget = true;
    f.run(100_000_000).expectStop('poweroff');
    const rs = regionsOf(f.m, 6);
    // fib, .rec, and the two return sites: one region.
    assert.strictEqual(rs.length, 1, `${rs.length} regions: ${rs.map((r) => r.offs.map((o) => o.toString(16))).join(' | ')}`);
    assert.ok(rs[0].offs.length >= 4, `entries ${rs[0].offs.map((o) => o.toString(16))}`);
    assert.strictEqual(charsBuilt() - before, rs[0].chars, 'one region built');
  });

  it('a machine meeting code this process compiled together makes every entry of it at the first arrival at any', () => {
    cpu(fibOn(7)).run(10_000_000).expectStop('poweroff');
    const f = cpu(fibOn(7));
    assert.strictEqual(compiledBlocks(f.m.cpu), 0);
    const before = charsBuilt();
    // A few calls in (far fewer arrivals than make an entry hot): fib and the entries compiled with it.
    f.run(100);
    assert.ok(compiledBlocks(f.m.cpu) >= 2, `${compiledBlocks(f.m.cpu)} entries`);
    assert.strictEqual(charsBuilt(), before, 'nothing built');
    f.run(10_000_000).expectStop('poweroff');
    assert.strictEqual(f.m.cpu.r[0] >>> 0, cpu(fibOn(7), { jit: false }).run(10_000_000).m.cpu.r[0] >>> 0);
  });

  it('keeps apart the regions of loops that meet once a pass, and joins entries that run into each other at every round', () => {
    // Loops a and b meet twice a pass (every 10,000 steps), for 100 passes: a region each.
    const apart = cpu(phasesSource(2_000, 100, 101, 7)).run(10_000_000).expectStop('poweroff');
    const two = regionsOf(apart.m);
    assert.ok(two.every((r) => !(r.offs.includes(apart.sym('a')) && r.offs.includes(apart.sym('b')))), shape(two));
    // From pass 10, loop a goes through g at every round: g's region (compiled then, beside a's) is joined with a's.
    const joined = cpu(phasesSource(2_000, 100, 10, 8)).run(10_000_000).expectStop('poweroff');
    const rs = regionsOf(joined.m);
    const withG = rs.filter((r) => r.offs.includes(joined.sym('g')));
    assert.strictEqual(withG.length, 1, shape(rs));
    assert.ok(withG[0].offs.includes(joined.sym('a')), `g joined a's region: ${shape(rs)}`);
  });

  it('a machine meeting code this process joined makes the joined region at its first arrival at any of its entries, building nothing', () => {
    const src = phasesSource(2_000, 60, 10, 9).replace('.org 0\n', '.org 0x9000\n');
    const first = cpu(src).run(10_000_000).expectStop('poweroff');
    const a = first.sym('a') & 0xfff;
    const g = first.sym('g') & 0xfff;
    const joined = regionsOf(first.m, 9).find((r) => r.offs.includes(a) && r.offs.includes(g));
    assert.ok(joined, `a and g joined in the first machine: ${shape(regionsOf(first.m, 9))}`);
    const next = cpu(src);
    const before = charsBuilt();
    // Into loop a's first rounds (g not run yet): a's slot holds the joined region, and so does g's.
    next.run(200);
    const slots = next.m.cpu.blockPages[9]?.slots ?? [];
    assert.strictEqual(slots[a >>> 2]?.run, joined.run, `a's region: ${shape(regionsOf(next.m, 9))}`);
    assert.strictEqual(slots[g >>> 2]?.run, joined.run, `g's region: ${shape(regionsOf(next.m, 9))}`);
    assert.strictEqual(charsBuilt(), before, 'nothing built');
    next.run(10_000_000).expectStop('poweroff');
    assert.strictEqual(next.m.cpu.r[4], cpu(src, { jit: false }).run(10_000_000).m.cpu.r[4]);
  });

  it('a machine meeting code this process compiled makes its region at the first arrival even when other code was compiled at the same addresses since', () => {
    // Two programs whose loop starts at the same address (as the benchmark's workloads, or a test suite's programs, all at .org 0);
    // a loop with a store, which the block compiler has (a loop of registers alone is the loop compiler's first).
    const prog = (op: string) => `.org 0xa000
_start: mov r2, 5000
a:      add r3, 7
        ${op}
        st [0x2000], r4
        sub r2, 1
        jnz a
        out 0xF4, r3`;
    const one = prog('xor r4, r3');
    const other = prog('or r4, r3');
    const first = cpu(one).run(10_000_000).expectStop('poweroff');
    const a = first.sym('a') & 0xfff;
    const mine = regionsOf(first.m, 0xa).find((r) => r.offs.includes(a));
    assert.ok(mine, shape(regionsOf(first.m, 0xa)));
    const theirs = regionsOf(cpu(other).run(10_000_000).expectStop('poweroff').m, 0xa).find((r) => r.offs.includes(a));
    assert.ok(theirs && theirs.run !== mine.run, 'the other program has a region of its own at a');
    // Again the first program: its loop's region at its third arrival, nothing built (it was counted hot again before).
    const again = cpu(one);
    const before = charsBuilt();
    again.run(12);
    assert.strictEqual(again.m.cpu.blockPages[0xa]?.slots[a >>> 2]?.run, mine.run, shape(regionsOf(again.m, 0xa)));
    assert.strictEqual(charsBuilt(), before, 'nothing built');
    again.run(10_000_000).expectStop('poweroff');
    assert.strictEqual(again.m.cpu.r[4], cpu(one, { jit: false }).run(10_000_000).m.cpu.r[4]);
  });

  it('a region entered again and again after leaving it (here for an instruction left to the interpreter) is not joined for that', () => {
    const f = cpu(`.org 0x5000
_start: mov r2, 20000
a:      add r3, 7
        st [0x2000], r3
        sub r2, 1
        jnz a
        mov r2, 20000
        jmp b
back:   in r5, 0x44
b:      add r4, 3
        st [0x2004], r4
        sub r2, 1
        jnz back
        out 0xF4, r4`);
    f.run(10_000_000).expectStop('poweroff');
    const rs = regionsOf(f.m, 5);
    // b's region runs once a round, after the interpreter's \`in\`: the same region each time, no other.
    assert.ok(rs.some((r) => r.offs.includes(f.sym('b') & 0xfff)), shape(rs));
    assert.ok(!rs.some((r) => r.offs.includes(f.sym('a') & 0xfff) && r.offs.includes(f.sym('b') & 0xfff)), `joined: ${shape(rs)}`);
  });

  it('tells the entries that other blocks only run through from those they jump, call or return to', () => {
    const res = assembleText(`.org 0
a:      rdsr r4, cr0
b:      add r1, 1
        cmp r1, 9
j:      jb c
        call f
d:      add r2, 1
c:      sub r3, 1
        jnz a
        hlt
f:      ret`, 't.rasm');
    assert.ok(res.ok);
    const m32 = new Int32Array(1024);
    for (const seg of res.segments) m32.set(new Int32Array(seg.bytes.buffer.slice(seg.bytes.byteOffset, seg.bytes.byteOffset + seg.bytes.length)), seg.load >>> 2);
    const at = (l: string) => res.symbols.get(l)!.value;
    // b: a's block runs through it; c: a jump target; d: where f returns to; a: no block runs through it.
    assert.deepStrictEqual([...throughOnly(m32, 0, ['a', 'b', 'c', 'd'].map(at))], [at('b')]);
    // Alone, an entry is never one.
    assert.strictEqual(throughOnly(m32, 0, [at('b')]).size, 0);
    // Asked again (answers are kept), then with the jump to c gone (a nop over it): c is only run through now.
    const all = ['a', 'b', 'c', 'd'].map(at);
    assert.deepStrictEqual([...throughOnly(m32, 0, all)], [at('b')]);
    const nop = assembleText('.org 0\nnop', 'n.rasm');
    assert.ok(nop.ok);
    const nopWord = new DataView(nop.segments[0].bytes.buffer, nop.segments[0].bytes.byteOffset).getInt32(0, true);
    // `jb c` is two words (opcode, target): both become nops.
    m32[at('j') >>> 2] = nopWord;
    m32[(at('j') >>> 2) + 1] = nopWord;
    assert.deepStrictEqual([...throughOnly(m32, 0, all)].sort((x, y) => x - y), [at('b'), at('c')]);
  });

  it('compiles apart the entry after a system instruction (rdsr): the loop\'s region never holds it', () => {
    const f = cpu(`.org 0
_start: mov r0, 300000
loop:   rdsr r4, cr0
after:  add r1, r4
        st [0x2000], r1
        sub r0, 1
        jnz loop
        out 0xF4, r1`);
    f.run(100_000_000).expectStop('poweroff');
    const withLoop = regionsOf(f.m).filter((r) => r.offs.includes(f.sym('loop')));
    assert.strictEqual(withLoop.length, 1);
    assert.ok(!withLoop[0].offs.includes(f.sym('after')), `the loop's region: ${withLoop[0].offs.map((o) => o.toString(16))}`);
  });

  it('leaves a loop the block compiler has to it: the loop compiler does not take it over, however often the interpreter runs its jump back', () => {
    const src = `.org 0
_start: mov r0, 2000000
loop:   add r1, 5
        xor r2, r1
        sub r0, 1
        jnz loop
        out 0xF4, r2`;
    const f = cpu(src);
    // The block compiler gets the loop first (a register-only loop is otherwise the loop compiler's after 16 jumps back).
    f.m.cpu.blockHot = 4;
    // Short runs: each ends inside the loop, and the next begins in the interpreter, which runs to the jump back.
    for (let i = 0; i < 400; i++) f.run(997);
    assert.ok(compiledBlocks(f.m.cpu) > 0, 'the block compiler has the loop');
    assert.strictEqual(f.m.cpu.loops.size, 0, 'the loop compiler took the loop');
  });

  it('a region returns to the interpreter after 65,536 steps at most, so that V8 can switch to its optimized code at the next call', () => {
    const f = cpu(`.org 0
_start: mov r0, 1000000
loop:   add r1, 3
        st [0x2000], r1
        xor r2, r1
        sub r0, 1
        jnz loop
        out 0xF4, r2`);
    f.run(100_000);
    const r = regionsOf(f.m)[0];
    assert.ok(r, 'the loop is compiled');
    const { calls, steps } = callsToEnd(f, r);
    // One run of the machine: a region that never returned would be called once.
    assert.ok(calls >= Math.floor(steps / 65_536), `${calls} calls for ${steps} steps`);
  });

  it('goes on in its blocks after a walk that took the code page\'s TLB entry: the next load does not leave the region', () => {
    // Paged, a 4-entry TLB: the loop's first load misses every round, and a quarter of its walks
    // take the code page's slot. The block fetches its page again and goes on; the second load,
    // mostly a hit, must not take that walk for a new one (it did, and left the region).
    const src = `.org 0
_start: ${identityTable(0x11000, 0x10000)}
        mov r1, 0x10000
        wrsr cr3, r1
        mov r1, 1
        wrsr cr0, r1
        mov r0, 200000
        mov r1, 0x100000
loop:   ld r2, [r1]
        add r3, r2
        ld r4, [0x2000]
        add r3, r4
        add r1, 4096
        and r1, 0x13FFFF
        sub r0, 1
        jnz loop
        out 0xF4, r3`;
    const f = cpu(src, { tlbEntries: 4 });
    f.run(100_000);
    const r = regionsOf(f.m).find((x) => x.offs.includes(f.sym('loop')));
    assert.ok(r, `the loop is compiled: ${shape(regionsOf(f.m))}`);
    const { calls, steps } = callsToEnd(f, r);
    assert.ok(calls <= Math.ceil(steps / 65_536) + 16, `${calls} calls for ${steps} steps`);
    assert.strictEqual(f.m.cpu.r[3], cpu(src, { tlbEntries: 4, jit: false }).run(100_000_000).m.cpu.r[3]);
  });
});
