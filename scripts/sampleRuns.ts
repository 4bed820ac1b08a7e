/**
 * The samples' headless runs: each sample with an expected.json, its main program, and the extra
 * runs (other CLI arguments) expected.json lists. The golden test checks each run's result; the
 * benchmark times them against their wall-clock budget (a timed unit test would fail on a busy
 * machine for nothing the student sees).
 */
import * as fs from 'fs';
import * as path from 'path';

export interface SampleRun<E> {
  /** The sample's folder name, and the run's name for an extra run. */
  label: string;
  dir: string;
  /** The program, a file in `dir` (undefined: the sample has no .rasm). */
  main: string | undefined;
  args: string[];
  want: E;
}

/** Every sample run, in folder order: the plain run first, then the extra runs. */
export function sampleRuns<E extends { runs?: Record<string, E & { args: string[] }> }>(samples: string): SampleRun<E>[] {
  const runs: SampleRun<E>[] = [];
  for (const d of fs.readdirSync(samples).filter((f) => fs.existsSync(path.join(samples, f, 'expected.json')))) {
    const dir = path.join(samples, d);
    const files = fs.readdirSync(dir);
    const main = files.find((f) => f === `${d}.rasm` || f === 'main.rasm') ?? files.find((f) => f.endsWith('.rasm'));
    const want = JSON.parse(fs.readFileSync(path.join(dir, 'expected.json'), 'utf8')) as E;
    runs.push({ label: d, dir, main, args: [], want });
    for (const [name, run] of Object.entries(want.runs ?? {})) runs.push({ label: `${d}, run '${name}' (${run.args.join(' ')})`, dir, main, args: run.args, want: run });
  }
  return runs;
}
