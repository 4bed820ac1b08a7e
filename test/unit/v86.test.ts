/**
 * The x86 twins that `npm run bench` runs in v86 (the suite's and the held-out programs') do the
 * same work as the R32 programs they are compared with: same checksum, and nearly the same
 * instruction count (by v86's own counter; x86 needs a little more setup, a GDT and TSS, and pops
 * #PF's error code). No timing here.
 */
import * as assert from 'assert';
import { assembleText } from '../../language/assembler';
import { Machine } from '../../emulator';
import { WORKLOADS } from '../../scripts/benchWorkloads';
import { HELD_OUT } from '../../scripts/heldOutWorkloads';
import { runV86 } from '../../scripts/v86Bench';
import { assembleX86, X86_WORKLOADS } from '../../scripts/v86Workloads';

describe('v86 comparison workloads', function () {
  this.timeout(60_000);

  it('has an x86 twin of every realistic workload but the EPT guest (v86 has no VT-x)', () => {
    const twins = new Set(X86_WORKLOADS.map((x) => x.name));
    assert.deepStrictEqual(
      WORKLOADS.map((w) => w.name).filter((n) => !twins.has(n)),
      ['the sum loop as a VM guest with EPT'],
    );
    for (const n of twins) assert.ok(WORKLOADS.some((w) => w.name === n), `no R32 workload named '${n}'`);
  });

  const pairs = [...X86_WORKLOADS.map((x) => ({ ...x, src: WORKLOADS.find((w) => w.name === x.name)!.src })), ...HELD_OUT];
  for (const x of pairs) {
    it(`${x.name}: v86 computes Ringside's checksum with about as many instructions`, async () => {
      const res = assembleText(x.src, 'bench.rasm');
      assert.ok(res.ok);
      const m = new Machine();
      m.load(res.segments, res.entry);
      assert.strictEqual(m.run(), 'poweroff');
      const run = await runV86(assembleX86(x), 30_000);
      assert.strictEqual(run.checksum, m.exitCode >>> 0);
      const ratio = run.steps / m.icount;
      assert.ok(ratio > 0.95 && ratio < 1.1, `v86 ran ${run.steps} instructions, Ringside ${m.icount}`);
    });
  }
});
