/**
 * The Korean READMEs (README.ko.md) are held to the same rules as the English ones: every sample
 * and exercise README has a Korean version that links back and is linked to, the Korean figures
 * are checked against the runs with the same marks and derivations (readme-figures.ts), and a
 * Korean README marks every figure the English one marks, so neither can go stale alone.
 */
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { sampleFolders } from '../../scripts/sampleRuns';
import { checkReadme, cliRunner, figureNames, Problem, Run } from './readme-figures';

const ROOT = path.resolve(__dirname, '../../..');
const SAMPLES = path.join(ROOT, 'samples');
const EXERCISES = path.join(ROOT, 'exercises');

const report = (ps: Problem[]) => ps.map((p) => `${p.file}:${p.line}: ${p.message}`).join('\n');

/** Every folder (relative to ROOT) whose README.md is a sample's or an exercise's, and the two indexes. */
function readmeFolders(): string[] {
  const sub = (dir: string) => fs.readdirSync(dir)
    .filter((d) => fs.existsSync(path.join(dir, d, 'README.md')))
    .map((d) => path.relative(ROOT, path.join(dir, d)).split(path.sep).join('/'));
  return ['samples', 'exercises', ...sub(SAMPLES), ...sub(EXERCISES)];
}

/** A markdown link to `target` (relative to the README), with an optional #anchor. */
const linksTo = (md: string, target: string) => new RegExp(`\\]\\(${target.replace(/\./g, '\\.')}(#[^)]*)?\\)`).test(md);

describe('Korean READMEs: one for each English README, linked both ways', () => {
  for (const folder of readmeFolders()) {
    it(folder, () => {
      const en = path.join(ROOT, folder, 'README.md');
      const ko = path.join(ROOT, folder, 'README.ko.md');
      assert.ok(fs.existsSync(ko), `${folder}/README.ko.md is missing: every README.md has a Korean version`);
      assert.ok(linksTo(fs.readFileSync(en, 'utf8'), 'README.ko.md'), `${folder}/README.md does not link its Korean version: [한국어](README.ko.md)`);
      assert.ok(linksTo(fs.readFileSync(ko, 'utf8'), 'README.md'), `${folder}/README.ko.md does not link back to the English one: [English](README.md)`);
    });
  }
  it('no Korean README without an English one', () => {
    const orphans = [SAMPLES, EXERCISES].flatMap((dir) => [dir, ...fs.readdirSync(dir).map((d) => path.join(dir, d))])
      .filter((d) => fs.existsSync(path.join(d, 'README.ko.md')) && !fs.existsSync(path.join(d, 'README.md')))
      .map((d) => path.relative(ROOT, d));
    assert.deepStrictEqual(orphans, []);
  });
});

describe('Korean READMEs: figures match the runs, every figure of the English', function () {
  // The course index quotes nearly every sample: it runs them all, which takes a while on a busy machine.
  this.timeout(120_000);
  const run = cliRunner(ROOT);
  const readmes = [
    { dir: SAMPLES, sample: undefined as string | undefined },
    ...sampleFolders(SAMPLES).map((d) => ({ dir: path.join(SAMPLES, d), sample: d as string | undefined })),
  ].filter((r) => fs.existsSync(path.join(r.dir, 'README.ko.md')));
  for (const r of readmes) {
    const ko = path.join(r.dir, 'README.ko.md');
    it(path.relative(ROOT, ko), () => {
      const problems = checkReadme(ROOT, ko, r.sample, run);
      assert.strictEqual(problems.length, 0, `\n${report(problems)}`);
      // The Korean may check more (a count the English writes in words), never fewer.
      const kn = figureNames(ko);
      const missing = [...figureNames(path.join(r.dir, 'README.md'))].filter((n) => !kn.has(n));
      assert.deepStrictEqual(missing, [], `${path.relative(ROOT, ko)} does not mark these figures of README.md`);
    });
  }
});

describe('README figures: the checker reads Korean', () => {
  let root: string;
  const run = (): Run => ({ output: 'faults: 12\n', json: { cycles: 1234, byCause: { '#PF': 9 } } });
  const check = (md: string) => {
    fs.writeFileSync(path.join(root, 'samples/demo/README.ko.md'), md);
    return checkReadme(root, path.join(root, 'samples/demo/README.ko.md'), 'demo', run);
  };
  before(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'readme-ko-'));
    fs.mkdirSync(path.join(root, 'samples/demo'), { recursive: true });
    fs.writeFileSync(path.join(root, 'samples/demo/expected.json'), JSON.stringify({ assert: { faults: { match: 'faults: (\\d+)', equals: 12 } } }));
  });
  after(() => fs.rmSync(root, { recursive: true, force: true }));

  it('checks marks in Korean sentences, with particles after them', () => {
    assert.deepStrictEqual(check('page fault가 12<!-- fig: faults -->번, 1,234<!-- fig: json:cycles --> 사이클이 걸립니다. ring 3, 벡터 14번, 24번째 줄.\n'), []);
    const ps = check('page fault는 13<!-- fig: faults -->번입니다.\n');
    assert.strictEqual(ps.length, 1);
    assert.match(ps[0].message, /says 13, the run gives 12/);
  });
  it('flags unmarked Korean counts: noun then number, number then noun, cycles', () => {
    const ps = check('page fault 9번 중에서\n3번의 트랩과\n1234 사이클\n시스템 콜 60번, 메시지 4개\n');
    assert.deepStrictEqual(ps.map((p) => [p.line, /figure (\S+)/.exec(p.message)![1]]), [[1, '9'], [2, '3'], [3, '1234'], [4, '60'], [4, '4']]);
  });
  it('checks a figure written between two code spans', () => {
    const ps = check('`iret` 8<!-- fig: json:byCause.#PF -->번, `cr3` 13<!-- fig: faults -->번, 예: `5<!-- fig: x -->`\n');
    assert.deepStrictEqual(ps.map((p) => p.message), ["'json:byCause.#PF': the README says 8, the run gives 9", "'faults': the README says 13, the run gives 12"]);
  });
  it('collects the figure names a README marks, not those in code', () => {
    fs.writeFileSync(path.join(root, 'samples/demo/README.md'), 'a 12<!-- fig: faults --> `b` 9<!-- fig: json:byCause.#PF --> `c`, `3<!-- fig: example -->`\n```text\n1<!-- fig: quoted -->\n```\n');
    assert.deepStrictEqual([...figureNames(path.join(root, 'samples/demo/README.md'))], ['faults', 'json:byCause.#PF']);
  });
});
