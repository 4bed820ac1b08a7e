/**
 * The samples' headless runs, timed: what a student waits for `ringside run` on each lecture
 * sample, against the budget its expected.json gives (maxSeconds). Best of a few runs, each a
 * fresh CLI process as the student starts it.
 */
import { spawnSync } from 'child_process';
import * as path from 'path';
import { sampleRuns } from './sampleRuns';

interface Budget { maxSeconds?: number; runs?: Record<string, Budget & { args: string[] }> }

/** Best of `repeat` wall times of `ringside run` on one program, with the compiler and without (`--no-jit`), alternating. */
export function bestTimes(root: string, file: string, args: string[], repeat: number): { on: number; off: number } {
  const best = { on: Infinity, off: Infinity };
  for (let i = 0; i < repeat; i++) {
    for (const jit of [true, false]) {
      const t0 = process.hrtime.bigint();
      const r = spawnSync(process.execPath, [path.join(root, 'dist/cli.js'), 'run', file, '--json', ...args, ...(jit ? [] : ['--no-jit'])], { encoding: 'utf8' });
      const s = Number(process.hrtime.bigint() - t0) / 1e9;
      if (r.error) throw r.error;
      if (jit) best.on = Math.min(best.on, s);
      else best.off = Math.min(best.off, s);
    }
  }
  return best;
}

export function sampleTimes(root: string, repeat: number): void {
  console.log(`-- the lecture samples, headless (\`ringside run\`, a fresh process each, best of ${repeat}): compiler on (the default) / off (--no-jit)`);
  let on = 0;
  let off = 0;
  for (const run of sampleRuns<Budget>(path.join(root, 'samples'))) {
    const budget = run.want?.maxSeconds;
    if (budget === undefined || run.main === undefined) continue;
    const t = bestTimes(root, path.join(run.dir, run.main), run.args, repeat);
    on += t.on;
    off += t.off;
    console.log(`${`sample ${run.label}`.padEnd(44)} ${`${t.on.toFixed(2)} / ${t.off.toFixed(2)} s`.padEnd(16)} (target ≤${budget} s) ${t.on <= budget ? 'ok' : 'MISSED'}`);
  }
  // The compiler must not make what a student runs slower: the sum over the samples, each a fresh
  // process. Most run under a million steps, where the compiler does nothing (blocks.ts): the two
  // then differ by the host's noise, up to 5% between two runs of the same code here.
  console.log(`${'all these samples, compiler on / off'.padEnd(44)} ${`${on.toFixed(2)} / ${off.toFixed(2)} s`.padEnd(16)} (target on ≤ off, +5% noise) ${on <= off * 1.05 ? 'ok' : 'MISSED'} (${(on / off).toFixed(2)}x)`);
}
