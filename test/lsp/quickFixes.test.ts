/** Every quick fix the service offers, applied to broken programs: the code then assembles without that error and without a new one. */
import * as assert from 'assert';
import type { CodeAction, Diagnostic, TextEdit } from 'vscode-languageserver-types';
import { fixture, lines } from './helpers';

/** `edits` applied to `text` (positions in UTF-16 code units, lines split at any line break). */
function applyEdits(text: string, edits: readonly TextEdit[]): string {
  const starts = [0];
  for (const m of text.matchAll(/\r\n|\r|\n/g)) starts.push(m.index + m[0].length);
  const off = (p: { line: number; character: number }) => (p.line >= starts.length ? text.length : starts[p.line] + p.character);
  const sorted = [...edits].sort((x, y) => off(y.range.start) - off(x.range.start));
  for (const e of sorted) text = text.slice(0, off(e.range.start)) + e.newText + text.slice(off(e.range.end));
  return text;
}

const validate = (text: string) => {
  const f = fixture(text);
  return f.ls.doValidation(f.uri);
};

function fixesOf(text: string): { d: Diagnostic; actions: CodeAction[] }[] {
  const f = fixture(text);
  return f.ls.doValidation(f.uri).map((d) => ({ d, actions: f.ls.getCodeActions(f.uri, d.range, { diagnostics: [d] }) }));
}

describe('lsp service: the quick fix VS Code applies by itself (the preferred one)', () => {
  it('a misspelled constant becomes the constant in its own case, not a label in another (SYS_WRTE: SYS_WRITE, not sys_write)', () => {
    const text = lines('.equ SYS_WRITE, 1', '.equ KPT_PHYS, 0x11000', 'sys_write:', '    mov r0, SYS_WRTE', '    mov r1, KPT_PHY', '    ret');
    const fixes = fixesOf(text).filter((x) => x.d.code === 'undefined-symbol');
    const preferred = fixes.map((x) => x.actions.find((c) => c.isPreferred)?.title);
    assert.deepStrictEqual(preferred, ["Change to 'SYS_WRITE'", "Change to 'KPT_PHYS'"]);
  });

  it('a misspelled VMCS field or system register becomes the nearest one (guest_cpc: guest_pc; cr4: cr0)', () => {
    const fixes = fixesOf(lines('\tvmread r1, guest_cpc', '\trdsr r2, cr4', '\tvmwrite bogus, r1')).filter((x) => x.d.code === 'operand-kind');
    assert.deepStrictEqual(fixes.map((x) => x.actions.find((c) => c.isPreferred)?.title), ["Change to 'guest_pc'", "Change to 'cr0'", undefined]);
    assert.deepStrictEqual(fixes[2].actions, []);
  });

  it('x86 habits become what R32 writes (inc r1: add r1, 1; mov [r1], r2: st; mov r1, cr2: rdsr)', () => {
    const src = lines('\tinc r1', '\tDEC R2 ; x86', '\tmov [r1 + 8], r2', '\tmov r1, [r2]', '\tmov cr3, r1', '\tmov r1, cr2', '\tlea r1, [r2 + 4]');
    const fixes = fixesOf(src);
    assert.deepStrictEqual(
      fixes.map((x) => x.actions.find((c) => c.isPreferred)?.title),
      ["Change to 'add r1, 1'", "Change to 'SUB R2, 1'", "Change to 'st [r1 + 8], r2'", "Change to 'ld r1, [r2]'", "Change to 'wrsr cr3, r1'", "Change to 'rdsr r1, cr2'", undefined],
    );
    const preferred = fixes.slice(0, 6).map((x) => x.actions.find((c) => c.isPreferred)!.edit!.changes!['/w/main.rasm']);
    assert.strictEqual(applyEdits(src, preferred.flat()), lines('\tadd r1, 1', '\tSUB R2, 1 ; x86', '\tst [r1 + 8], r2', '\tld r1, [r2]', '\twrsr cr3, r1', '\trdsr r1, cr2', '\tlea r1, [r2 + 4]'));
    // lea has no exact rewrite: the message says what to write, no fix is offered.
    assert.deepStrictEqual(fixes[6].actions, []);
  });

  it('operands the wrong way round are swapped (st r1, [r2 + 4]: st [r2 + 4], r1)', () => {
    const src = lines('\tst r1, [r2 + 4]', '\tld r1, r2');
    const fixes = fixesOf(src).filter((x) => x.d.code === 'operand-kind');
    assert.strictEqual(fixes.length, 2);
    const swap = fixes[0].actions.find((c) => c.isPreferred);
    assert.strictEqual(swap?.title, 'Swap the two operands');
    assert.strictEqual(applyEdits(src, swap.edit!.changes!['/w/main.rasm']).split('\n')[0], '\tst [r2 + 4], r1');
    // ld r1, r2 fits no order: nothing to swap.
    assert.deepStrictEqual(fixes[1].actions, []);
  });

  it('a misspelled directive is offered only what its operands fit (.aling 8: .align, not .ring)', () => {
    const fixes = fixesOf(lines('.aling 8', 'x: .word 1')).filter((x) => x.d.code === 'unknown-directive');
    assert.deepStrictEqual(fixes[0].actions.map((c) => c.title), ["Change to '.align'"]);
  });
});

const BROKEN = [
  '\tmovv r1, r2\n',
  '\tMOVV R1, R2\n',
  '\tpsuh r1\n',
  '.wrod 1\n',
  '.EQUU X, 1\n',
  'main:\n.loop:\tnop\n\tjmp .lop\n',
  'main:\n.loop:\tnop\nnext:\tjmp .loop\n',
  'main:\n\tjmp .missing\nother:\tnop\n',
  'count:\tnop\n\tjmp cuont\n',
  '\tjmp undefined_thing ; 주석\n; last line comment',
  '\tmov r1, NOTDEF\n',
  '.space SIZE\n',
  '\tnop\n.space SIZE\nSIZ:\tnop\n',
  '.equ K, 1\n\tnop\n.align ALIGNMENT\n\tnop\n',
  '.org BASE\n\tnop\n',
  '\tnop\n.org BASE\n\tnop\n',
  'x:\tnop\n.ring RING\n\tnop\n',
  'main:\n.space .gap\n',
  '\tjmp nolf',
  '\tld r1, [r2 + OFFS]\n\tnop\n.equ OTHER, 1\n\tnop\n',
  '\tjmp main.sub\nmain:\tnop\n',
  '.word later, 2\n\tnop\n',
  '\tvmread r1, guest_cpc\n',
  '\tvmwrite GUEST_SP0, r1\n',
  '\trdsr r1, cr4\n',
  '\tst r1, [r2 + 4]\n',
  '\tmov 5, r1\n',
  '\tout r1, 0x10\n',
  '\tinc r1\n',
  '\tDEC R2 ; x86\n',
  '\tint3\n',
  'top:\tjc top\n',
  '\tmov [r1 + 8], r2\n',
  '\tmov r1, [r2]\n',
  '\tmov cr3, r1\n',
  '\tmov r1, cr2\n',
  '\tmovzx r1, [r2]\n',
];

describe('lsp service: quick fixes', () => {
  it('each fix offered removes its error and makes no new one', () => {
    let applied = 0;
    for (const src of BROKEN) {
      const before = validate(src).map((d) => d.message);
      for (const { d, actions } of fixesOf(src)) {
        for (const a of actions) {
          const after = validate(applyEdits(src, a.edit!.changes!['/w/main.rasm']));
          // What may remain: the other errors the program had.
          const rest = before.filter((m) => m !== d.message);
          const bad = after.filter((x) => !rest.includes(x.message)).map((x) => x.message);
          assert.deepStrictEqual(bad, [], `${JSON.stringify(src)}: "${a.title}" for "${d.message}"`);
          applied++;
        }
      }
    }
    assert.ok(applied >= 30, `${applied} fixes tried`);
  });

  it('a name a layout value uses: only a constant above it, no label after it', () => {
    const titles = fixesOf('\tnop\n.space SIZE\nSIZ:\tnop\n').flatMap((x) => x.actions.map((a) => a.title));
    assert.deepStrictEqual(titles, ["Create constant 'SIZE' (.equ SIZE, 0)"]);
    const psuh = fixesOf('\tpsuh r1\n').flatMap((x) => x.actions.map((a) => a.title));
    assert.deepStrictEqual(psuh, ["Change to 'push'"]);
  });

  it('inserts the document\'s own line break (CRLF stays CRLF)', () => {
    const src = lines('main:', '.lp:\tsub r1, 1', '\tjnz .lp', '\tjmp undefd', '\tjmp .nope', 'x:\t.ascii "a"', '').replace(/\n/g, '\r\n');
    const edits = fixesOf(src).flatMap((x) => x.actions.flatMap((a) => a.edit!.changes!['/w/main.rasm']));
    assert.ok(edits.length >= 3 && edits.some((e) => e.newText.includes('\r\n')));
    for (const e of edits) assert.ok(!/[^\r]\n|^\n/.test(e.newText), JSON.stringify(e.newText));
  });
});
