/**
 * The samples and their headless runs: each sample, its main program, and the extra runs (other
 * CLI arguments) its expected.json lists. The golden test checks each run's result; the
 * benchmark times them against their wall-clock budget (a timed unit test would fail on a busy
 * machine for nothing the student sees).
 */
import * as fs from 'fs';
import * as path from 'path';
import { knownCause } from '../emulator';

/** Folders of samples/ whose programs are not samples but code the samples include: no expected.json, no row on the course path. */
export const SHARED_CODE: readonly string[] = ['common', 'lib'];

/** Every sample: each folder of samples/ with a .rasm, but the shared code. Each must have an expected.json (the tests say so, never skip it). */
export function sampleFolders(samples: string): string[] {
  return fs.readdirSync(samples, { withFileTypes: true })
    .filter((d) => d.isDirectory() && !SHARED_CODE.includes(d.name) && fs.readdirSync(path.join(samples, d.name)).some((f) => f.endsWith('.rasm')))
    .map((d) => d.name)
    .sort();
}

/** A sample's entry program: NAME.rasm in samples/NAME (main.rasm, or its only .rasm, before that convention). */
export function mainProgram(dir: string): string | undefined {
  const files = fs.readdirSync(dir);
  return files.find((f) => f === `${path.basename(dir)}.rasm` || f === 'main.rasm') ?? files.find((f) => f.endsWith('.rasm'));
}

export interface SampleRun<E> {
  /** The sample's folder name, and the run's name for an extra run. */
  label: string;
  dir: string;
  /** The program, a file in `dir` (undefined: the sample has no .rasm). */
  main: string | undefined;
  args: string[];
  /** Undefined when the sample has no expected.json: the golden test fails it. */
  want: E | undefined;
}

/** Every sample run, in folder order: the plain run first, then the extra runs. */
export function sampleRuns<E extends { runs?: Record<string, E & { args: string[] }> }>(samples: string): SampleRun<E>[] {
  const runs: SampleRun<E>[] = [];
  for (const d of sampleFolders(samples)) {
    const dir = path.join(samples, d);
    const main = mainProgram(dir);
    const file = path.join(dir, 'expected.json');
    const want = fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, 'utf8')) as E) : undefined;
    runs.push({ label: d, dir, main, args: [], want });
    for (const [name, run] of Object.entries(want?.runs ?? {})) runs.push({ label: `${d}, run '${name}' (${run.args.join(' ')})`, dir, main, args: run.args, want: run });
  }
  return runs;
}

// expected.json's fields, as grader/spec.ts lists check.json's: an unknown one (a typo such as
// "byCasue") would otherwise turn its check off without a word.
const RUN = ['output', 'exitCode', 'byCause', 'vms', 'tlb', 'maxSeconds', 'maxInstructions', 'assert'];
const TOP = [...RUN, 'runs'];
const EXTRA_RUN = [...RUN, 'args'];
const VM = ['id', 'exits', 'exitCount', 'entries', 'tlb'];
const ASSERT = ['match', 'equals', 'cause'];

type Json = Record<string, unknown>;
const isObj = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** What is wrong with an expected.json's fields (unknown names, unknown causes), each with its path; [] when nothing. */
export function expectedProblems(raw: unknown): string[] {
  const out: string[] = [];
  const object = (o: unknown, at: string): o is Json => {
    if (!isObj(o)) out.push(`${at}: expected an object`);
    return isObj(o);
  };
  const fields = (o: unknown, allowed: string[], at: string): o is Json => {
    if (!object(o, at)) return false;
    for (const k of Object.keys(o)) if (!allowed.includes(k)) out.push(`${at}.${k}: unknown field (expected one of ${allowed.join(', ')})`);
    return true;
  };
  const run = (o: unknown, allowed: string[], at: string) => {
    if (!fields(o, allowed, at)) return;
    // A count of a misspelt cause is 0 in every run: it would pass whatever happens.
    if (o.byCause !== undefined && object(o.byCause, `${at}.byCause`)) {
      for (const c of Object.keys(o.byCause)) if (!knownCause(c)) out.push(`${at}.byCause.${c}: unknown cause (named as --json's byCause names them)`);
    }
    if (o.vms !== undefined) {
      if (!Array.isArray(o.vms)) out.push(`${at}.vms: expected a list`);
      else o.vms.forEach((v: unknown, i) => {
        if (!fields(v, VM, `${at}.vms[${i}]`) || !object(v.exits, `${at}.vms[${i}].exits`)) return;
        for (const r of Object.keys(v.exits)) if (!knownCause(`vmexit ${r}`)) out.push(`${at}.vms[${i}].exits.${r}: unknown exit reason`);
      });
    }
    if (o.assert !== undefined && object(o.assert, `${at}.assert`)) {
      for (const [name, a] of Object.entries(o.assert)) fields(a, ASSERT, `${at}.assert.${name}`);
    }
  };
  run(raw, TOP, 'expected.json');
  if (isObj(raw) && raw.runs !== undefined && object(raw.runs, 'expected.json.runs')) {
    for (const [name, r] of Object.entries(raw.runs)) run(r, EXTRA_RUN, `expected.json.runs.${name}`);
  }
  return out;
}
