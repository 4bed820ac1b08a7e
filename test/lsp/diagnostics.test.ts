import * as assert from 'assert';
import type { Diagnostic } from 'vscode-languageserver-types';
import { fixture, lines } from './helpers';

function diags(src: string, others: Record<string, string> = {}): Diagnostic[] {
  const f = fixture(src, others);
  return f.ls.doValidation(f.uri);
}
const one = (ds: Diagnostic[], code: string) => {
  const d = ds.filter((x) => x.code === code);
  assert.strictEqual(d.length, 1, `expected one '${code}', got ${JSON.stringify(ds.map((x) => [x.code, x.message]))}`);
  return d[0];
};
const span = (d: Diagnostic) => [d.range.start.line, d.range.start.character, d.range.end.line, d.range.end.character];

describe('lsp service: diagnostics', () => {
  it('unknown mnemonic: exact range and did-you-mean', () => {
    const d = one(diags(lines('start:', '    mob r1, 2')), 'unknown-mnemonic');
    assert.deepStrictEqual(span(d), [1, 4, 1, 7]);
    assert.match(d.message, /did you mean .*'mov'/);
    assert.strictEqual(d.severity, 1);
  });

  it('unknown mnemonic with two letters swapped (mvo, sbu): did you mean the one meant', () => {
    assert.match(one(diags(lines('start:', '    mvo r1, 2')), 'unknown-mnemonic').message, /did you mean 'mov'/);
    assert.match(one(diags(lines('start:', '    sbu r1, 2')), 'unknown-mnemonic').message, /did you mean .*'sub'/);
  });

  it('operand count and operand kind', () => {
    const ds = diags(lines('    mov r1', '    ld r1, r2'));
    assert.deepStrictEqual(span(one(ds, 'operand-count')), [0, 8, 0, 10]);
    const k = one(ds, 'operand-kind');
    assert.deepStrictEqual(span(k), [1, 11, 1, 13]);
    assert.match(k.message, /must be a memory operand/);
  });

  it('immediate ranges: port, vector, byte', () => {
    const ds = diags(lines('    out 0x10000, r1', '    int 256', '    .byte 300'));
    const r = ds.filter((d) => d.code === 'value-out-of-range').map(span);
    assert.deepStrictEqual(r, [
      [0, 8, 0, 15],
      [1, 8, 1, 11],
      [2, 10, 2, 13],
    ]);
  });

  it('undefined and duplicate labels', () => {
    const ds = diags(lines('a:  jmp nowhere', 'a:  nop'));
    assert.deepStrictEqual(span(one(ds, 'undefined-symbol')), [0, 8, 0, 15]);
    const dup = ds.filter((d) => d.code === 'duplicate-label').map(span);
    assert.deepStrictEqual(dup, [
      [0, 0, 0, 1],
      [1, 0, 1, 1],
    ]);
  });

  it('bad directive, missing include, include cycle, overlapping .org', () => {
    assert.match(one(diags('    .wrod 1'), 'unknown-directive').message, /did you mean '.word'/);
    assert.deepStrictEqual(span(one(diags('    .include "nope.rasm"'), 'missing-include')), [0, 4, 0, 24]);
    const f = fixture('.include "a.rasm"', { 'a.rasm': '\n.include "main.rasm"' });
    // The cycle closes in a.rasm: main.rasm, alone open, hears of it at its include line.
    assert.deepStrictEqual(f.ls.doValidation(f.uri).map((d) => [d.code, span(d)]), [['included-file-error', [0, 9, 0, 17]]]);
    f.ls.openDocument('/w/a.rasm', f.files.get('/w/a.rasm')!);
    const cyc = one(f.ls.doValidation('/w/a.rasm'), 'include-cycle');
    assert.deepStrictEqual(span(cyc), [1, 0, 1, 20]);
    assert.match(cyc.message, /include cycle: \/w\/main.rasm → \/w\/a.rasm → \/w\/main.rasm/);
    const self = diags('.include "main.rasm"');
    assert.strictEqual(self.filter((d) => d.code === 'include-cycle').length, 1);
    const ov = one(diags(lines('.org 0', '    .space 16', '.org 8', '    .space 4')), 'org-overlap');
    assert.deepStrictEqual(span(ov), [2, 0, 2, 6]);
    assert.strictEqual(ov.relatedInformation?.[0].location.range.start.line, 0);
  });

  it('privileged instructions in code declared ring 1-3 are warnings', () => {
    const ds = diags(lines('.ring 3', '    cli', '    rdsr r1, cr3', '.ring 0', '    sti'));
    const w = ds.filter((d) => d.code === 'privileged-instruction');
    assert.deepStrictEqual(w.map(span), [
      [1, 4, 1, 7],
      [2, 4, 2, 8],
    ]);
    assert.ok(w.every((d) => d.severity === 2));
    assert.match(w[0].message, /#GP/);
  });

  it('sensitive-but-unprivileged instructions at ring 1-2 are information (the Popek-Goldberg hole)', () => {
    const ds = diags(lines('.ring 1', '    popf', '    pushf', '    rdsr r2, status', '.ring 3', '    popf', '.ring 0', '    popf'));
    const pg = ds.filter((d) => d.code === 'popek-goldberg');
    assert.deepStrictEqual(pg.map((d) => d.range.start.line), [1, 2, 3]);
    assert.ok(pg.every((d) => d.severity === 3));
    assert.match(pg[0].message, /Popek-Goldberg/);
    // Still missed at ring 1-2 (classic trap-and-emulate); VT-x's fix is ring 0, where no hint is given.
    assert.ok(pg.every((d) => /will not trap to the hypervisor \(VT-x does not exit on it either: it runs the guest kernel in non-root ring 0, where the hole is closed\)/.test(d.message)), pg[0].message);
  });

  it('VMX instructions outside ring 0', () => {
    const ds = diags(lines('.ring 2', '    vmlaunch', '    vmread r1, exit_reason', '    vmcall', '.ring 0', '    vmresume'));
    const v = ds.filter((d) => d.code === 'vmx-outside-ring0');
    assert.deepStrictEqual(v.map((d) => [d.range.start.line, d.severity]), [
      [1, 2],
      [2, 2],
      [3, 3],
    ]);
  });

  it('no ring checks without a .ring declaration', () => {
    assert.deepStrictEqual(diags(lines('    cli', '    popf', '    vmlaunch')), []);
  });

  it('incremental edits re-diagnose only what changed, and correctly', () => {
    const f = fixture(lines('a:  mov r1, 1', '    jmp a', '    nop'));
    assert.deepStrictEqual(f.ls.doValidation(f.uri), []);
    f.ls.changeDocument(f.uri, [{ range: { start: { line: 1, character: 9 }, end: { line: 1, character: 9 } }, text: 'b' }], 2);
    assert.strictEqual(one(f.ls.doValidation(f.uri), 'undefined-symbol').range.start.line, 1);
    f.ls.changeDocument(f.uri, [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: 'ab:\n' }], 3);
    assert.deepStrictEqual(f.ls.doValidation(f.uri), []);
    f.ls.changeDocument(f.uri, [{ range: { start: { line: 0, character: 0 }, end: { line: 1, character: 0 } }, text: '' }], 4);
    assert.strictEqual(one(f.ls.doValidation(f.uri), 'undefined-symbol').range.start.line, 1);
  });

  it('every line break counts (LF, CRLF, a lone CR, mixed), on open, in an edit and in a whole-text change', () => {
    const where = (f: ReturnType<typeof fixture>) => f.ls.doValidation(f.uri).map((d) => [d.code, d.range.start.line, d.range.start.character]);
    for (const eol of ['\n', '\r\n', '\r']) {
      const f = fixture(['main: nop', '    bogus r1', 'x:  jmp y'].join(eol));
      assert.deepStrictEqual(where(f), [['unknown-mnemonic', 1, 4], ['undefined-symbol', 2, 8]], JSON.stringify(eol));
    }
    const f = fixture('main: nop\r\n    bogus r1\rx:  nop\n    jmp y');
    assert.deepStrictEqual(where(f), [['unknown-mnemonic', 1, 4], ['undefined-symbol', 3, 8]]);
    // Two lines typed at the start of line 1, with a carriage return and with CRLF.
    f.ls.changeDocument(f.uri, [{ range: { start: { line: 1, character: 0 }, end: { line: 1, character: 0 } }, text: 'a:  nop\rb:  nop\r\n' }], 2);
    assert.deepStrictEqual(where(f), [['unknown-mnemonic', 3, 4], ['undefined-symbol', 5, 8]]);
    f.ls.changeDocument(f.uri, [{ text: '    jmp z\r\n\r\n    oops' }], 3);
    assert.deepStrictEqual(where(f), [['undefined-symbol', 0, 8], ['unknown-mnemonic', 2, 4]]);
  });

  it('an included file opened alone is diagnosed in the context of the workspace file that includes it', () => {
    const files = { 'top.rasm': lines('.include "lib/mid.rasm"', 'main: jmp helper'), 'lib/mid.rasm': '.include "leaf.rasm"', 'lib/leaf.rasm': lines('helper: jmp main', '    bogus') };
    const f = fixture('; another file, open but unrelated', files);
    f.ls.openDocument('/w/lib/leaf.rasm', files['lib/leaf.rasm'], 1);
    assert.deepStrictEqual(f.ls.doValidation('/w/lib/leaf.rasm').map((d) => d.code), ['unknown-mnemonic'], '`main` is known: it comes from the top includer');
  });

  it('an included file opened beside its includer is diagnosed alone at once when the .include goes', () => {
    const f = fixture(lines('main: nop', '    .include "inc.rasm"'), { 'inc.rasm': lines('helper: nop', '    .ring 1', '    cli') });
    f.ls.openDocument('/w/inc.rasm', f.files.get('/w/inc.rasm')!, 1);
    assert.deepStrictEqual(f.ls.doValidation('/w/inc.rasm').map((d) => d.code), ['privileged-instruction']);
    f.ls.changeDocument(f.uri, [{ range: { start: { line: 1, character: 0 }, end: { line: 1, character: 23 } }, text: '' }], 2);
    assert.deepStrictEqual(f.ls.doValidation('/w/inc.rasm').map((d) => d.code), ['privileged-instruction']);
    assert.deepStrictEqual(f.ls.getInlayHints('/w/inc.rasm', { start: { line: 0, character: 0 }, end: { line: 3, character: 0 } }).map((h) => h.label), ['0x00000000']);
  });

  it('an included file is diagnosed in the context of the open file that includes it', () => {
    const f = fixture(lines('.include "lib.rasm"', 'main: jmp helper'), { 'lib.rasm': lines('helper: jmp main', '    bogus') });
    // Unopened, its error is told at the include line (nothing lost); opened, in its own place.
    const main = f.ls.doValidation(f.uri);
    assert.deepStrictEqual(main.map((d) => [d.code, span(d), d.message]), [['included-file-error', [0, 9, 0, 19], "in included file /w/lib.rasm:2:5: unknown instruction 'bogus'"]]);
    assert.deepStrictEqual(main[0].relatedInformation?.[0].location, { uri: '/w/lib.rasm', range: { start: { line: 1, character: 4 }, end: { line: 1, character: 9 } } });
    f.ls.openDocument('/w/lib.rasm', f.files.get('/w/lib.rasm')!, 1);
    const lib = f.ls.doValidation('/w/lib.rasm');
    assert.deepStrictEqual(lib.map((d) => d.code), ['unknown-mnemonic']);
  });
});
