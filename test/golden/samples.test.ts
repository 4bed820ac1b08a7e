/** Every sample with an expected.json runs through the CLI and must match it: output, exit code, transition counts. */
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { spawnSync } from 'child_process';

const ROOT = path.resolve(__dirname, '../../..');
const SAMPLES = path.join(ROOT, 'samples');

interface Expected {
  output: string;
  exitCode: number;
  byCause?: Record<string, number>;
  vms?: { id: number; exits: Record<string, number> }[];
  tlb?: Record<string, number>;
  maxSeconds?: number;
}

describe('Samples: headless runs match expected.json', () => {
  const dirs = fs.readdirSync(SAMPLES).filter((d) => fs.existsSync(path.join(SAMPLES, d, 'expected.json')));
  it('there are samples to check', () => assert.ok(dirs.length >= 1));
  for (const d of dirs) {
    it(`${d}`, () => {
      const dir = path.join(SAMPLES, d);
      const main = fs.readdirSync(dir).find((f) => f === `${d}.rasm` || f === 'main.rasm') ?? fs.readdirSync(dir).find((f) => f.endsWith('.rasm'));
      assert.ok(main, `no .rasm in ${d}`);
      const want: Expected = JSON.parse(fs.readFileSync(path.join(dir, 'expected.json'), 'utf8'));
      const r = spawnSync(process.execPath, [path.join(ROOT, 'dist/cli.js'), 'run', path.join(dir, main!), '--json'], { encoding: 'utf8' });
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
      }
      for (const [k, n] of Object.entries(want.tlb ?? {})) assert.strictEqual(got.tlb[k], n, `TLB ${k}`);
    });
  }
});
