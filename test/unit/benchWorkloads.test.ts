/** The benchmark's programs themselves: what a figure compares must be the same work. */
import * as assert from 'assert';
import { benchMachine, HOST_CACHE_PAGES, hostCachePrograms } from '../../scripts/benchWorkloads';

describe('bench workloads', () => {
  it('the TLB-miss workload read 64 bytes further into each page (the host-cache line) makes the same walks and steps as read at page starts, compiled or not', () => {
    const runs = Object.entries(hostCachePrograms(3)).flatMap(([kind, src]) =>
      [true, false].map((jit) => {
        const m = benchMachine(src);
        m.cpu.jit = jit;
        assert.strictEqual(m.run(), 'poweroff', `${kind}, jit ${jit}`);
        const s = m.summary();
        return { kind, jit, steps: m.icount, misses: s.tlb.misses, walkReads: s.tlb.walkReads, cycles: m.cycles };
      }),
    );
    const [first] = runs;
    // Every read of the three passes misses (a 64-entry TLB, HOST_CACHE_PAGES pages), and each walk reads two words.
    assert.ok(first.misses >= 3 * HOST_CACHE_PAGES, `misses ${first.misses}`);
    assert.strictEqual(first.walkReads, 2 * first.misses);
    for (const r of runs.slice(1)) assert.deepStrictEqual({ ...r, kind: '', jit: false }, { ...first, kind: '', jit: false }, `${r.kind}, jit ${r.jit}`);
  });
});
