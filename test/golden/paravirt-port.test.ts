/**
 * samples/paravirt: the lines of guest code the port changed, counted from the files (the
 * figure its READMEs compare with Xen's ~3,000 lines of Linux), and the READMEs held to the count.
 *
 * Barham et al. (SOSP 2003, Table 1) count "lines of reasonably commented and formatted code
 * which are modified or added". Here: lines of code (comments and blank lines left out, spaces
 * collapsed) of samples/paravirt/guest.rasm that are not in samples/popek-goldberg/guest.rasm,
 * by a longest-common-subsequence line diff, after undoing the renaming that lets both kernels
 * live in one program (gk_ -> xk_ and the others the port's header lists).
 */
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';

const ROOT = path.resolve(__dirname, '../../..');
const ORIGINAL = path.join(ROOT, 'samples/popek-goldberg/guest.rasm');
const PORT = path.join(ROOT, 'samples/paravirt/guest.rasm');

/** The port's renaming, as its header states it: only so both kernels fit in one program. */
const RENAMES: [RegExp, string][] = [
  [/\bgk_/g, 'xk_'], [/\bgu_/g, 'xu_'], [/\bGK_/g, 'XK_'], [/\bG_/g, 'X_'], [/\bmsg_/g, 'xmsg_'], [/\bguest_boot\b/g, 'xk_boot'],
];

/** A line without its comment (a ';' outside quotes), trimmed, runs of spaces made one. */
export function codeOf(line: string): string {
  let quote = '';
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quote) {
      if (c === '\\') i++;
      else if (c === quote) quote = '';
    } else if (c === '"' || c === "'") quote = c;
    else if (c === ';') return line.slice(0, i).trim().replace(/\s+/g, ' ');
  }
  return line.trim().replace(/\s+/g, ' ');
}

export function codeLines(text: string): string[] {
  return text.split('\n').map(codeOf).filter((l) => l !== '');
}

/** Lines of `b` not in a longest common subsequence with `a` (added or changed), and of `a` not in it (removed). */
export function lineDiff(a: string[], b: string[]): { added: number; removed: number } {
  const n = a.length;
  const m = b.length;
  const lcs: Uint16Array[] = Array.from({ length: n + 1 }, () => new Uint16Array(m + 1));
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) lcs[i][j] = a[i] === b[j] ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
  }
  const common = lcs[0][0];
  return { added: m - common, removed: n - common };
}

export function portCount(): { added: number; removed: number; port: number; original: number } {
  let original = fs.readFileSync(ORIGINAL, 'utf8');
  for (const [re, to] of RENAMES) original = original.replace(re, to);
  const a = codeLines(original);
  const b = codeLines(fs.readFileSync(PORT, 'utf8'));
  return { ...lineDiff(a, b), port: b.length, original: a.length };
}

describe('samples/paravirt: the lines the port changed', () => {
  it('the diff counts what it should', () => {
    assert.deepStrictEqual(codeLines('  mov r1, 2   ; a comment\n; only a comment\n\n.asciz "a;b" ; c\n'), ['mov r1, 2', '.asciz "a;b"']);
    assert.deepStrictEqual(lineDiff(['a', 'b', 'c', 'd'], ['a', 'x', 'c', 'd', 'e']), { added: 2, removed: 1 });
    assert.deepStrictEqual(lineDiff(['a'], ['a']), { added: 0, removed: 0 });
  });

  it('the renaming is all that separates the untouched lines (the user program is the same)', () => {
    const c = portCount();
    assert.ok(c.added > 0 && c.added < c.port, JSON.stringify(c));
    // The ring-3 program is not ported at all: every one of its lines is in the original.
    const user = (t: string) => codeLines(t.slice(t.indexOf('.ring 3')));
    let orig = fs.readFileSync(ORIGINAL, 'utf8');
    for (const [re, to] of RENAMES) orig = orig.replace(re, to);
    const pu = user(fs.readFileSync(PORT, 'utf8')).slice(1); // its .org line says where the image is loaded
    assert.deepStrictEqual(pu, user(orig).slice(1));
  });

  for (const readme of ['README.md', 'README.ko.md']) {
    it(`${readme} states the count the files give`, () => {
      const c = portCount();
      const text = fs.readFileSync(path.join(ROOT, 'samples/paravirt', readme), 'utf8');
      const said = (name: string) => {
        const m = new RegExp(`([\\d,]+)<!-- fixed: ${name} -->`).exec(text);
        assert.ok(m, `${readme} marks the figure "${name}"`);
        return Number(m![1].replace(/,/g, ''));
      };
      assert.strictEqual(said('lines the port added or changed, test/golden/paravirt-port.test.ts'), c.added);
      assert.strictEqual(said('lines of code in the port, test/golden/paravirt-port.test.ts'), c.port);
      assert.strictEqual(said('lines of the original the port removed, test/golden/paravirt-port.test.ts'), c.removed);
    });
  }
});
