/**
 * The samples as a course, with no silent gap: every folder of samples/ with a program is a
 * sample (or code they share, listed in scripts/sampleRuns.ts SHARED_CODE) with an expected.json
 * whose every field is one the tests read, and a row on the course path (samples/README.md,
 * "The path", and its Korean twin) that the suggested order after it names. The same READMEs,
 * and the project's, name every panel a student can open.
 */
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { expectedProblems, SHARED_CODE, sampleFolders } from '../../scripts/sampleRuns';
import { PANEL_KINDS } from '../../extension/panels/kinds';

const ROOT = path.resolve(__dirname, '../../..');
const SAMPLES = path.join(ROOT, 'samples');
const read = (f: string) => fs.readFileSync(path.join(ROOT, f), 'utf8');

describe('Samples: every one checked and on the course path', () => {
  const samples = sampleFolders(SAMPLES);

  it('the shared code is there and is not a sample (no expected.json)', () => {
    assert.ok(samples.length >= 18);
    for (const d of SHARED_CODE) {
      assert.ok(fs.existsSync(path.join(SAMPLES, d)), `samples/${d} (SHARED_CODE) exists`);
      assert.ok(!fs.existsSync(path.join(SAMPLES, d, 'expected.json')), `samples/${d} has an expected.json: take it out of SHARED_CODE`);
    }
  });

  for (const d of samples) {
    it(`${d} has an expected.json, every field of it known`, () => {
      const f = path.join(SAMPLES, d, 'expected.json');
      assert.ok(fs.existsSync(f), `samples/${d}/expected.json is missing: every sample has one (code the samples share is listed in scripts/sampleRuns.ts SHARED_CODE)`);
      assert.deepStrictEqual(expectedProblems(JSON.parse(fs.readFileSync(f, 'utf8'))), [], `samples/${d}/expected.json`);
    });
  }

  it('a misspelt field, cause or exit reason in expected.json is reported, not ignored', () => {
    const run = { output: 'x', byCause: { 'syscall write': 1, 'syscall wirte': 0 }, vms: [{ id: 1, exits: { 'i/o': 2, io: 0 }, exitCont: 3 }], assert: { n: { match: '(\\d+)', equlas: 1 } } };
    assert.deepStrictEqual(expectedProblems({ ...run, byCasue: {}, runs: { slow: { args: [], ...run, maxSecond: 1 } } }), [
      'expected.json.byCasue: unknown field (expected one of output, exitCode, byCause, vms, tlb, maxSeconds, maxInstructions, assert, runs)',
      "expected.json.byCause.syscall wirte: unknown cause (named as --json's byCause names them)",
      'expected.json.vms[0].exitCont: unknown field (expected one of id, exits, exitCount, entries, tlb)',
      'expected.json.vms[0].exits.io: unknown exit reason',
      'expected.json.assert.n.equlas: unknown field (expected one of match, equals, cause)',
      'expected.json.runs.slow.maxSecond: unknown field (expected one of output, exitCode, byCause, vms, tlb, maxSeconds, maxInstructions, assert, args)',
      "expected.json.runs.slow.byCause.syscall wirte: unknown cause (named as --json's byCause names them)",
      'expected.json.runs.slow.vms[0].exitCont: unknown field (expected one of id, exits, exitCount, entries, tlb)',
      'expected.json.runs.slow.vms[0].exits.io: unknown exit reason',
      'expected.json.runs.slow.assert.n.equlas: unknown field (expected one of match, equals, cause)',
    ]);
  });

  for (const readme of ['README.md', 'README.ko.md']) {
    it(`samples/${readme}: each sample has one row of the course path, numbered in order, and the suggested order names every row`, () => {
      const text = read(`samples/${readme}`);
      const rows = [...text.matchAll(/^\| (\d+) \| \[([\w-]+)\]\(([\w-]+)\/(README(?:\.ko)?\.md)\) \|.*$/gm)];
      assert.deepStrictEqual(rows.map((r) => Number(r[1])), rows.map((_, i) => i + 1), 'rows numbered 1, 2, 3...');
      for (const r of rows) assert.deepStrictEqual([r[3], r[4]], [r[2], readme], `row ${r[1]} links its sample's own ${readme}`);
      assert.deepStrictEqual(rows.map((r) => r[2]).sort(), samples, 'the samples on the path are the sample folders');
      // The paragraph right after the table.
      const last = rows[rows.length - 1];
      const after = text.slice(last.index! + last[0].length).replace(/^\s*\n/, '');
      const order = after.slice(0, after.search(/\n\s*\n/));
      const named = new Set([...order.matchAll(/\d+/g)].map((m) => Number(m[0])));
      assert.deepStrictEqual(rows.map((r) => Number(r[1])).filter((n) => !named.has(n)), [], `the suggested order leaves these out:\n${order}`);
      assert.ok([...named].every((n) => n <= rows.length), `the suggested order names a row that is not there:\n${order}`);
    });
  }

  it('README.md, samples/README.md and its Korean twin name every panel by its open command, as the Command Palette shows it', () => {
    for (const [readme, nls] of [['README.md', 'package.nls.json'], ['samples/README.md', 'package.nls.json'], ['samples/README.ko.md', 'package.nls.ko.json']]) {
      const text = read(readme).replace(/\s+/g, ' ');   // a title may wrap
      const titles = JSON.parse(read(nls)) as Record<string, string>;
      for (const p of PANEL_KINDS) {
        const shown = `${titles.category}: ${titles[`${p.command}.title`]}`;
        assert.ok(text.includes(shown), `${readme} does not name the ${p.kind} panel: ${shown}`);
      }
    }
  });
});
