/**
 * `npm run bench` measures the speed targets' "before" itself: the interpreter of the commit before the
 * block compiler, rebuilt from this repository's history. Its figure is only comparable if that
 * machine does the same work on each workload as today's. No timing here.
 */
import * as assert from 'assert';
import * as path from 'path';
import { BASELINE_COMMIT, loadBaseline, sameWork } from '../../scripts/benchBaseline';
import { hostCachePrograms, WORKLOADS } from '../../scripts/benchWorkloads';

describe('bench baseline (the interpreter before the block compiler)', function () {
  this.timeout(120_000);
  const root = path.resolve(__dirname, '../../..');

  it('rebuilds from history and runs every realistic workload as today\'s machine does', () => {
    const baseline = loadBaseline(root);
    assert.ok(typeof baseline !== 'string', String(baseline));
    assert.strictEqual(baseline.commit, BASELINE_COMMIT);
    for (const w of WORKLOADS) assert.ok(sameWork(baseline, w.src), `${w.name}: the baseline ran other work`);
    assert.strictEqual(baseline.machine(WORKLOADS[0].src).cpu.jit, false, 'the baseline is the interpreter alone');
  });

  it('runs the host-cache line\'s two TLB-miss programs (page starts, skewed) as today\'s machine does', () => {
    const baseline = loadBaseline(root);
    assert.ok(typeof baseline !== 'string', String(baseline));
    for (const [kind, src] of Object.entries(hostCachePrograms())) assert.ok(sameWork(baseline, src), `${kind}: the baseline ran other work`);
  });

  it('says why when the commit is not in the clone', () => {
    const reason = loadBaseline(root, '0'.repeat(40));
    assert.strictEqual(typeof reason, 'string');
    assert.match(reason as string, /not in this clone's history/);
  });
});
