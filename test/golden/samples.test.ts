/** Every sample runs through the CLI and must match its expected.json: output, exit code, transition counts. */
import * as assert from 'assert';
import * as path from 'path';
import { spawnSync } from 'child_process';
import { sampleRuns } from '../../scripts/sampleRuns';

const ROOT = path.resolve(__dirname, '../../..');
const SAMPLES = path.join(ROOT, 'samples');

interface Expected {
  output: string;
  exitCode: number;
  byCause?: Record<string, number>;
  /** Per VM: exits by reason name; optionally the total, the entries and the VM's TLB counters. */
  vms?: { id: number; exits: Record<string, number>; exitCount?: number; entries?: number; tlb?: Record<string, number> }[];
  tlb?: Record<string, number>;
  /** Wall-clock budget of the headless run: timed in `npm run bench`, not here. */
  maxSeconds?: number;
  /** Deterministic budget: the run takes at most this many steps. */
  maxInstructions?: number;
}

/** The same program run again with other CLI arguments (another cost table, say): `runs` in expected.json. */
interface ExtraRun extends Expected { args: string[] }
type SampleExpected = Expected & { runs?: Record<string, ExtraRun> };

/** Runs a sample's program with `args` and checks the result against `want`. */
function checkRun(dir: string, main: string, want: Expected, args: string[]): void {
  const r = spawnSync(process.execPath, [path.join(ROOT, 'dist/cli.js'), 'run', path.join(dir, main), '--json', ...args], { encoding: 'utf8' });
  assert.strictEqual(r.stderr, '', 'no stderr');
  const got = JSON.parse(r.stdout);
  assert.strictEqual(got.output, want.output, 'console output');
  assert.strictEqual(got.exitCode, want.exitCode, 'exit code');
  assert.strictEqual(r.status, want.exitCode & 0xff, 'process exit code');
  for (const [cause, n] of Object.entries(want.byCause ?? {})) assert.strictEqual(got.byCause[cause] ?? 0, n, `transitions '${cause}'`);
  for (const v of want.vms ?? []) {
    const gv = got.vms.find((x: { id: number }) => x.id === v.id);
    assert.ok(gv, `VM ${v.id} ran`);
    for (const [reason, n] of Object.entries(v.exits)) assert.strictEqual(gv.exits[reason] ?? 0, n, `VM ${v.id} exits '${reason}'`);
    if (v.exitCount !== undefined) assert.strictEqual(gv.exitCount, v.exitCount, `VM ${v.id} exit count`);
    if (v.entries !== undefined) assert.strictEqual(gv.entries, v.entries, `VM ${v.id} entries`);
    for (const [k, n] of Object.entries(v.tlb ?? {})) assert.strictEqual(gv.tlb[k], n, `VM ${v.id} TLB ${k}`);
  }
  for (const [k, n] of Object.entries(want.tlb ?? {})) assert.strictEqual(got.tlb[k], n, `TLB ${k}`);
  if (want.maxInstructions !== undefined) assert.ok(got.instructions <= want.maxInstructions, `${got.instructions} steps, budget ${want.maxInstructions}`);
}

describe('Samples: headless runs match expected.json', () => {
  const runs = sampleRuns<SampleExpected>(SAMPLES);
  it('there are samples to check', () => assert.ok(runs.length >= 1));
  for (const run of runs) {
    it(run.label, () => {
      assert.ok(run.main, `no .rasm in ${run.dir}`);
      assert.ok(run.want, `${path.relative(ROOT, run.dir)}/expected.json is missing: every sample has one (code the samples share is listed in scripts/sampleRuns.ts SHARED_CODE)`);
      checkRun(run.dir, run.main!, run.want, run.args);
    });
  }
});
