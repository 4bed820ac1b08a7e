/**
 * Golden listings: test/golden/fixtures/NAME.rasm is assembled and its listing
 * compared exactly with NAME.lst next to it. RINGSIDE_UPDATE_GOLDEN=1 rewrites
 * the expected files (then review the diff in git).
 */
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { assemble } from '../../language/assembler';
import { formatListing } from '../../language/listing';
import { nodeHost } from '../../language/nodeHost';

// Compiled to out/test/golden: the fixtures stay in the source tree.
const FIXTURES = path.resolve(__dirname, '../../../test/golden/fixtures');

/** A readable line diff: the first differing lines with their numbers. */
function diff(expected: string, actual: string): string {
  const e = expected.split('\n');
  const a = actual.split('\n');
  const out: string[] = [];
  for (let i = 0; i < Math.max(e.length, a.length) && out.length < 40; i++) {
    if (e[i] === a[i]) continue;
    if (e[i] !== undefined) out.push(`${String(i + 1).padStart(4)} - ${e[i]}`);
    if (a[i] !== undefined) out.push(`${String(i + 1).padStart(4)} + ${a[i]}`);
  }
  return out.join('\n');
}

describe('golden listings', () => {
  const files = fs.readdirSync(FIXTURES).filter((f) => f.endsWith('.rasm')).sort();

  it('has fixtures', () => assert.ok(files.length >= 3));

  for (const f of files) {
    it(f, () => {
      const src = path.join(FIXTURES, f);
      const res = assemble(src, nodeHost);
      assert.deepStrictEqual(res.diagnostics.map((d) => d.message), []);
      const actual = formatListing(res.listing, { fileLabel: (p) => path.relative(FIXTURES, p).split(path.sep).join('/') });
      const expectedFile = src.replace(/\.rasm$/, '.lst');
      if (process.env.RINGSIDE_UPDATE_GOLDEN === '1') fs.writeFileSync(expectedFile, actual);
      const expected = fs.existsSync(expectedFile) ? fs.readFileSync(expectedFile, 'utf8') : '';
      if (actual !== expected) assert.fail(`listing of ${f} differs from ${path.basename(expectedFile)} (- expected, + actual):\n${diff(expected, actual)}`);
    });
  }
});
