/** Every README figure of the samples is the run's (see readme-figures.ts for the rules). */
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { sampleFolders } from '../../scripts/sampleRuns';
import { checkReadme, cliRunner, Problem, Run } from './readme-figures';

const ROOT = path.resolve(__dirname, '../../..');
const SAMPLES = path.join(ROOT, 'samples');

const report = (ps: Problem[]) => ps.map((p) => `${p.file}:${p.line}: ${p.message}`).join('\n');

/**
 * READMEs rewritten just before this check landed whose figures are not marked yet: their quotes
 * and marked figures are checked, unmarked figures not flagged. Mark them and empty this list.
 */
const NOT_YET_MARKED = new Set<string>([]);

describe('Samples: README figures match the runs', function () {
  // The course index quotes nearly every sample: it runs them all, which takes a while on a busy machine.
  this.timeout(120_000);
  const run = cliRunner(ROOT);
  const readmes = [
    { file: path.join(SAMPLES, 'README.md'), sample: undefined as string | undefined },
    ...sampleFolders(SAMPLES).map((d) => ({ file: path.join(SAMPLES, d, 'README.md'), sample: d as string | undefined })),
  ];
  for (const r of readmes) {
    it(path.relative(ROOT, r.file), () => {
      assert.ok(fs.existsSync(r.file), `${path.relative(ROOT, r.file)} is missing: every sample has a README`);
      const problems = checkReadme(ROOT, r.file, r.sample, run, !NOT_YET_MARKED.has(r.sample ?? ''));
      assert.strictEqual(problems.length, 0, `\n${report(problems)}`);
    });
  }
});

describe('README figures: the checker catches what goes stale', () => {
  let root: string;
  const out = 'tick\nfaults: 12 (8 demand, 4 fatal)\nsteps 347885\ntock\n';
  const run = (): Run => ({ output: out, json: { cycles: 1234, vms: [{ tlb: { misses: 187, walkReads: 359 } }] } });
  const check = (md: string) => {
    fs.writeFileSync(path.join(root, 'samples/demo/README.md'), md);
    return checkReadme(root, path.join(root, 'samples/demo/README.md'), 'demo', run);
  };
  before(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'readme-figs-'));
    fs.mkdirSync(path.join(root, 'samples/demo'), { recursive: true });
    fs.writeFileSync(path.join(root, 'samples/demo/expected.json'), JSON.stringify({ assert: { faults: { match: 'faults: (\\d+)', equals: 12 } } }));
  });
  after(() => fs.rmSync(root, { recursive: true, force: true }));

  it('accepts marked figures that agree, with commas, ratios and "about"', () => {
    assert.deepStrictEqual(check([
      'It took **12**<!-- fig: faults --> faults and 1,234<!-- fig: json:cycles --> cycles,',
      '1.9<!-- fig: json:vms.0.tlb.walkReads / json:vms.0.tlb.misses --> reads per miss, about 1,200<!-- fig~: json:cycles --> cycles;',
      'vector 14 is not a figure, **3**<!-- fixed --> is a constant.',
      '',
    ].join('\n')), []);
  });
  it('names the file, the line and the actual value of a stale figure', () => {
    const ps = check('one\n| misses | **259**<!-- fig: json:vms.0.tlb.misses --> |\n');
    assert.strictEqual(ps.length, 1);
    assert.strictEqual(ps[0].file, path.join('samples', 'demo', 'README.md'));
    assert.strictEqual(ps[0].line, 2);
    assert.match(ps[0].message, /says 259, the run gives 187/);
  });
  it('rejects unknown names and a wrong "about"', () => {
    const ps = check('x 3<!-- fig: nothing --> and about 2,000<!-- fig~: json:cycles -->\n');
    assert.strictEqual(ps.length, 2);
    assert.match(ps[0].message, /no entry 'nothing'/);
    assert.match(ps[1].message, /says 2,000, the run gives 1,234/);
  });
  it('flags unmarked figures: bold, with a thousands comma, alone in a table cell', () => {
    const ps = check('**29** exits, 347,555 steps\n| timer | 30 |\nring 3, `0x1000`, 2,000<!-- fixed -->, 259 TLB misses, 4<!-- fixed --> exits\n');
    assert.deepStrictEqual(ps.map((p) => [p.line, /figure (\S+)/.exec(p.message)![1]]), [[1, '**29**'], [1, '347,555'], [2, '30'], [3, '259']]);
  });
  it('holds ```text quotes to the output, with ... between runs of lines', () => {
    assert.deepStrictEqual(check('```text\ntick\n...\nsteps 347885\n```\n```sh\nringside run demo.rasm\n```\n'), []);
    const ps = check('intro\n```text\nfaults: 12 (8 demand, 4 fatal)\nsteps 347555\n```\n');
    assert.strictEqual(ps.length, 1);
    assert.strictEqual(ps[0].line, 4);
    assert.match(ps[0].message, /347555 not in the run's line/);
    assert.match(ps[0].message, /run: {4}steps 347885/);
  });
  it('reads another run of the program: @RUN/NAME with the default run\'s match, ```text demo@RUN', () => {
    fs.writeFileSync(path.join(root, 'samples/demo/expected.json'), JSON.stringify({
      assert: { faults: { match: 'faults: (\\d+)', equals: 12 } },
      runs: { slow: { args: ['--costs', 'vtx-2006'] } },
    }));
    const runs = (sample: string, runName?: string): Run => (runName === 'slow' ? { output: 'faults: 40\n', json: { cycles: 9999 } } : run());
    const at = (md: string) => {
      fs.writeFileSync(path.join(root, 'samples/demo/README.md'), md);
      return checkReadme(root, path.join(root, 'samples/demo/README.md'), 'demo', runs);
    };
    try {
      assert.deepStrictEqual(at('12<!-- fig: faults --> then 40<!-- fig: @slow/faults --> and 9,999<!-- fig: demo@slow/json:cycles -->\n```text @slow\nfaults: 40\n```\n'), []);
      const ps = at('40<!-- fig: faults --> 12<!-- fig: @slow/faults --> 1<!-- fig: @fast/faults -->\n');
      assert.deepStrictEqual(ps.map((p) => p.message), [
        "'faults': the README says 40, the run gives 12",
        "'@slow/faults': the README says 12, the run gives 40",
        "'@fast/faults': no run 'fast' in samples/demo/expected.json \"runs\"",
      ]);
    } finally {
      fs.writeFileSync(path.join(root, 'samples/demo/expected.json'), JSON.stringify({ assert: { faults: { match: 'faults: (\\d+)', equals: 12 } } }));
    }
  });
  it('flags quotes out of order and fences without a language', () => {
    const ps = check('```text\ntock\n...\ntick\n```\n```\nwhat is this\n```\n');
    assert.strictEqual(ps.length, 2);
    assert.match(ps[0].message, /not together or not in this order/);
    assert.match(ps[1].message, /without a language/);
  });
});
