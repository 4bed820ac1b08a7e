/** The benchmark's programs themselves: what a figure compares must be the same work. */
import * as assert from 'assert';
import { benchMachine, tlbMisses } from '../../scripts/benchWorkloads';

describe('bench workloads', () => {
  it('the TLB-miss workload read 64 bytes further into each page (the host-cache line) makes the same walks and steps as read at page starts, compiled or not', () => {
    const runs = [4096, 4160].flatMap((stride) =>
      [true, false].map((jit) => {
        const m = benchMachine(tlbMisses(3, 1960, stride));
        m.cpu.jit = jit;
        assert.strictEqual(m.run(), 'poweroff', `stride ${stride}, jit ${jit}`);
        const s = m.summary();
        return { stride, jit, steps: m.icount, misses: s.tlb.misses, walkReads: s.tlb.walkReads, cycles: m.cycles };
      }),
    );
    const [first] = runs;
    // Every read of the three passes misses (a 64-entry TLB, 1,960 pages), and each walk reads two words.
    assert.ok(first.misses >= 3 * 1960, `misses ${first.misses}`);
    assert.strictEqual(first.walkReads, 2 * first.misses);
    for (const r of runs.slice(1)) assert.deepStrictEqual({ ...r, stride: 0, jit: false }, { ...first, stride: 0, jit: false }, `stride ${r.stride}, jit ${r.jit}`);
  });
});
