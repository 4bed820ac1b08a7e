/**
 * The samples' headless runs, timed: what a student waits for `ringside run` on each lecture
 * sample, against the budget its expected.json gives (maxSeconds). Best of a few runs, each a
 * fresh CLI process as the student starts it.
 */
import { spawnSync } from 'child_process';
import * as path from 'path';
import { sampleRuns } from './sampleRuns';

interface Budget { maxSeconds?: number; runs?: Record<string, Budget & { args: string[] }> }

export function sampleTimes(root: string, repeat: number): void {
  console.log('-- the lecture samples, headless (`ringside run`, a fresh process each, best of ' + repeat + ')');
  for (const run of sampleRuns<Budget>(path.join(root, 'samples'))) {
    const budget = run.want.maxSeconds;
    if (budget === undefined || run.main === undefined) continue;
    let best = Infinity;
    for (let i = 0; i < repeat; i++) {
      const t0 = process.hrtime.bigint();
      const r = spawnSync(process.execPath, [path.join(root, 'dist/cli.js'), 'run', path.join(run.dir, run.main), '--json', ...run.args], { encoding: 'utf8' });
      const s = Number(process.hrtime.bigint() - t0) / 1e9;
      if (r.error) throw r.error;
      best = Math.min(best, s);
    }
    console.log(`${`sample ${run.label}`.padEnd(44)} ${`${best.toFixed(2)} s`.padEnd(16)} (target ≤${budget} s) ${best <= budget ? 'ok' : 'MISSED'}`);
  }
}
