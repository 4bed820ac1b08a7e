/**
 * Numbers a sample's own program measures and prints (faults its kernel handled, ring crossings
 * and messages it counted) are checked by name, from the `assert` section of the sample's
 * expected.json:
 *
 *   "assert": {
 *     "read, monolithic: crossings": { "match": "read\\(fd, buf, 64\\) = \\d+: (\\d+) ring crossings", "equals": 2 },
 *     "kernel's iret count":          { "match": "(\\d+) irets", "cause": "iret" },
 *     "system calls":                 { "match": "(\\d+) system calls", "cause": "syscall *" }
 *   }
 *
 * `match` is a regular expression (multiline) whose first group is a number in the console
 * output. `equals` is the number it must be; `cause` names transition causes (a key of byCause,
 * a prefix ending in `*`, or a list of them) whose total it must be: a guest's own count
 * checked against what the machine recorded. The golden test (samples.test.ts) already compares
 * the whole output; these say which numbers are the point, and fail with their names.
 *
 * A sample run again with other CLI arguments (expected.json `runs`: `{ "vtx-2006": { "args":
 * ["--costs", "vtx-2006"], "output": ..., "assert": { NAME: { "equals": 142089 } } } }`) has its
 * own checks; an entry may leave out `match` to use the default run's entry of the same name.
 */
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { spawnSync } from 'child_process';
import { mainProgram, sampleFolders } from '../../scripts/sampleRuns';

const ROOT = path.resolve(__dirname, '../../..');
const SAMPLES = path.join(ROOT, 'samples');

interface Check {
  match: string;
  equals?: number;
  cause?: string | string[];
}

/** Total of the byCause entries named by `cause` (exact keys, or prefixes ending in '*'). */
export function causeTotal(byCause: Record<string, number>, cause: string | string[]): number {
  let total = 0;
  for (const c of Array.isArray(cause) ? cause : [cause]) {
    for (const [k, n] of Object.entries(byCause)) {
      if (c.endsWith('*') ? k.startsWith(c.slice(0, -1)) : k === c) total += n;
    }
  }
  return total;
}

describe('Samples: the numbers each program prints (expected.json "assert")', () => {
  // A sample without an expected.json fails in samples.test.ts.
  const dirs = sampleFolders(SAMPLES).filter((d) => {
    const f = path.join(SAMPLES, d, 'expected.json');
    return fs.existsSync(f) && JSON.parse(fs.readFileSync(f, 'utf8')).assert !== undefined;
  });
  for (const d of dirs) {
    it(`${d}`, () => {
      const dir = path.join(SAMPLES, d);
      const main = mainProgram(dir);
      assert.ok(main, `no .rasm in ${d}`);
      const expected: { assert: Record<string, Check>; runs?: Record<string, { args: string[]; assert?: Record<string, Check> }> } =
        JSON.parse(fs.readFileSync(path.join(dir, 'expected.json'), 'utf8'));
      // The default run, then each other run (`runs`) with the checks it names.
      for (const [runName, args, checks] of [['', [], expected.assert] as const, ...Object.entries(expected.runs ?? {}).map(([n, r]) => [n, r.args, r.assert ?? {}] as const)]) {
        const r = spawnSync(process.execPath, [path.join(ROOT, 'dist/cli.js'), 'run', path.join(dir, main!), '--json', ...args], { encoding: 'utf8' });
        const got = JSON.parse(r.stdout) as { output: string; byCause: Record<string, number> };
        const where = runName ? ` (run '${runName}')` : '';
        for (const [name, own] of Object.entries(checks)) {
          const c: Check = runName ? { ...expected.assert?.[name], ...own } : own;   // a run's entry may reuse the default run's match
          assert.ok(c.match !== undefined, `'${name}'${where}: give "match"`);
          assert.ok(c.equals !== undefined || c.cause !== undefined, `'${name}'${where}: give "equals" or "cause"`);
          const m = new RegExp(c.match, 'm').exec(got.output);
          assert.ok(m && m[1] !== undefined, `'${name}'${where}: /${c.match}/ does not match the output`);
          const value = Number(m![1]);
          if (c.equals !== undefined) assert.strictEqual(value, c.equals, `'${name}'${where}`);
          if (c.cause !== undefined) assert.strictEqual(value, causeTotal(got.byCause, c.cause), `'${name}'${where} against the machine's transitions ${JSON.stringify(c.cause)}`);
        }
      }
    });
  }
});
