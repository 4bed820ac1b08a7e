/**
 * The realistic suite as a student runs it: each workload a fresh `ringside run` process, with the
 * compiler and without, at the suite's size and with ten times the work. In one process the
 * benchmark times the compiled code at its best (compiled before, optimized by V8); a fresh process
 * also pays for compiling it and for V8's slow start on it. The compiler must not make those runs
 * slower (issue 16's "nothing slower with the compiler than without").
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { bestTimes } from './benchSamples';
import { workloads } from './benchWorkloads';

export function freshTimes(root: string, repeat: number): void {
  console.log(`-- the realistic suite as fresh \`ringside run\` processes (best of ${2 * repeat}, and of ${repeat} for ten times the work): compiler on (the default) / off (--no-jit), the suite's work and ten times it`);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ringside-fresh-'));
  try {
    const once = workloads(1);
    const longer = workloads(10);
    once.forEach((w, i) => {
      for (const [k, src] of [[1, w.src], [10, longer[i].src]] as const) {
        const file = path.join(dir, `w${i}x${k}.rasm`);
        fs.writeFileSync(file, src);
        // Short runs are mostly node's start, whose time varies most: twice as many tries.
        const t = bestTimes(root, file, ['--max-instructions', '2000000000'], k === 1 ? 2 * repeat : repeat);
        // The host's noise: up to 5%, or 20 ms for a short run (mostly node's start), between two runs of the same code here.
        const ok = t.on <= t.off * 1.05 + 0.02;
        console.log(`${`fresh: ${w.name}${k === 1 ? '' : ', x10'}`.padEnd(52)} ${`${t.on.toFixed(2)} / ${t.off.toFixed(2)} s`.padEnd(16)} (target on ≤ off, +5% or 20 ms noise) ${ok ? 'ok' : 'MISSED'} (${(t.on / t.off).toFixed(2)}x)`);
      }
    });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
