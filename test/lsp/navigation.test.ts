import * as assert from 'assert';
import type { Location } from 'vscode-languageserver-types';
import { RenameError } from '../../language/service/languageService';
import { at, fixture, lines } from './helpers';

const where = (ls: Location[]) => ls.map((l) => `${l.uri}:${l.range.start.line}:${l.range.start.character}-${l.range.end.character}`);

describe('lsp service: definition, references, rename', () => {
  it('go to definition of a label, a local label, an .equ, and into an included file', () => {
    let f = at(lines('.equ N, 4', 'start:', '.loop: jmp .lo|op'));
    assert.deepStrictEqual(where(f.ls.findDefinition(f.uri, f.pos)), ['/w/main.rasm:2:0-5']);
    f = at(lines('.equ N, 4', '    mov r1, |N'));
    assert.deepStrictEqual(where(f.ls.findDefinition(f.uri, f.pos)), ['/w/main.rasm:0:5-6']);
    f = at(lines('.include "lib.rasm"', '    call hel|per'), { 'lib.rasm': '\nhelper: ret' });
    assert.deepStrictEqual(where(f.ls.findDefinition(f.uri, f.pos)), ['/w/lib.rasm:1:0-6']);
    f = at(lines('.include "li|b.rasm"'), { 'lib.rasm': '' });
    assert.deepStrictEqual(where(f.ls.findDefinition(f.uri, f.pos)), ['/w/lib.rasm:0:0-0']);
  });

  it('references: local labels are scoped; full names count', () => {
    const src = lines('a:', '.x: jmp .x', 'b:', '.x: jmp .|x', '    jmp a.x', '    jmp b.x');
    const f = at(src);
    assert.deepStrictEqual(where(f.ls.findReferences(f.uri, f.pos, true)), ['/w/main.rasm:3:0-2', '/w/main.rasm:3:8-10', '/w/main.rasm:5:8-11']);
    assert.deepStrictEqual(where(f.ls.findReferences(f.uri, f.pos, false)), ['/w/main.rasm:3:8-10', '/w/main.rasm:5:8-11']);
  });

  it('references across included files', () => {
    const f = at(lines('.include "lib.rasm"', '.equ SIZE, 8', '    mov r1, SI|ZE'), { 'lib.rasm': '    .space SIZE' });
    assert.deepStrictEqual(where(f.ls.findReferences(f.uri, f.pos, true)).sort(), ['/w/lib.rasm:0:11-15', '/w/main.rasm:1:5-9', '/w/main.rasm:2:12-16']);
  });

  it('rename a label across included files', () => {
    const f = at(lines('.include "lib.rasm"', 'mai|n: call helper'), { 'lib.rasm': 'helper: jmp main' });
    assert.deepStrictEqual(f.ls.prepareRename(f.uri, f.pos)?.placeholder, 'main');
    const e = f.ls.doRename(f.uri, f.pos, 'entry')!;
    assert.deepStrictEqual(
      Object.entries(e.changes!).map(([u, es]) => [u, es.map((x) => `${x.range.start.line}:${x.range.start.character}=${x.newText}`)]),
      [
        ['/w/main.rasm', ['1:0=entry']],
        ['/w/lib.rasm', ['0:12=entry']],
      ],
    );
  });

  it('rename a local label: its uses in scope and by full name; a global label carries its locals', () => {
    let f = at(lines('k:', '.lo|op: jmp .loop', 'other: jmp k.loop'));
    assert.strictEqual(f.ls.prepareRename(f.uri, f.pos)?.placeholder, '.loop');
    let e = f.ls.doRename(f.uri, f.pos, '.again')!;
    assert.deepStrictEqual(e.changes!['/w/main.rasm'].map((x) => x.newText), ['.again', '.again', 'k.again']);
    f = at(lines('|k:', '.loop: jmp .loop', 'other: jmp k.loop'));
    e = f.ls.doRename(f.uri, f.pos, 'kernel')!;
    assert.deepStrictEqual(e.changes!['/w/main.rasm'].map((x) => `${x.range.start.line}:${x.range.start.character}-${x.range.end.character}=${x.newText}`), ['0:0-1=kernel', '2:11-12=kernel']);
  });

  it('references and rename in a file two programs include cover both programs', () => {
    const f = fixture('.include "lib.rasm"\n_start: call helper', { 'lib.rasm': 'helper: ret', 'b.rasm': '.include "lib.rasm"\n_start: call helper\n    call helper' });
    f.ls.openDocument('/w/lib.rasm', 'helper: ret', 1);
    const refs = f.ls.findReferences('/w/lib.rasm', { line: 0, character: 2 }, true).map((l) => `${l.uri}:${l.range.start.line}`).sort();
    assert.deepStrictEqual(refs, ['/w/b.rasm:1', '/w/b.rasm:2', '/w/lib.rasm:0', '/w/main.rasm:1']);
    const e = f.ls.doRename('/w/lib.rasm', { line: 0, character: 2 }, 'aid')!;
    assert.deepStrictEqual(Object.fromEntries(Object.entries(e.changes!).map(([k, v]) => [k, v.map((x) => x.newText)])), { '/w/lib.rasm': ['aid'], '/w/main.rasm': ['aid'], '/w/b.rasm': ['aid', 'aid'] });
  });

  it('a symbol of a shared include, asked about where a program uses it, covers every program that includes it', () => {
    const lib = 'helper: ret\n.equ SIZE, 4';
    const b = '.include "lib.rasm"\nown: call helper\n    mov r1, SIZE';
    const f = fixture('.include "lib.rasm"\nown: call helper\n    mov r2, SIZE', { 'lib.rasm': lib, 'b.rasm': b });
    const refs = (line: number, character: number) => f.ls.findReferences(f.uri, { line, character }, true).map((l) => `${l.uri}:${l.range.start.line}`).sort();
    const renamed = (line: number, character: number, to: string) => Object.keys(f.ls.doRename(f.uri, { line, character }, to)!.changes!).sort();
    assert.deepStrictEqual(refs(1, 12), ['/w/b.rasm:1', '/w/lib.rasm:0', '/w/main.rasm:1']);
    assert.deepStrictEqual(renamed(1, 12, 'aid'), ['/w/b.rasm', '/w/lib.rasm', '/w/main.rasm']);
    assert.deepStrictEqual(refs(2, 13), ['/w/b.rasm:2', '/w/lib.rasm:1', '/w/main.rasm:2']);
    assert.deepStrictEqual(renamed(2, 13, 'LEN'), ['/w/b.rasm', '/w/lib.rasm', '/w/main.rasm']);
    assert.deepStrictEqual(refs(1, 1), ['/w/main.rasm:1'], "a program's own label stays its own");
  });

  it('rename a local label from its full name elsewhere keeps it local', () => {
    const f = at(lines('g1:', '.loop: nop', '.next: nop', 'g2: jmp g1.lo|op', '    jmp g1.next'));
    assert.strictEqual(f.ls.prepareRename(f.uri, f.pos)?.placeholder, 'g1.loop');
    const e = f.ls.doRename(f.uri, f.pos, 'g1.zz')!;
    assert.deepStrictEqual(e.changes!['/w/main.rasm'].map((x) => `${x.range.start.line}=${x.newText}`), ['1=.zz', '3=g1.zz']);
    assert.deepStrictEqual(f.ls.doRename(f.uri, f.pos, '.zz'), e, 'its name in its scope names it too');
  });

  it('the new name is used as given: one of another kind is refused, never rewritten', () => {
    let f = at(lines('main:', '.lo|op: jmp .loop'));
    assert.throws(() => f.ls.doRename(f.uri, f.pos, 'loop2'), /not a local label name/);
    assert.throws(() => f.ls.doRename(f.uri, f.pos, 'other.x'), /not a local label name/);
    // A global label with a dot (the assembler takes it) is a global name: renamed as given.
    f = at(lines('    jmp x.y', 'x|.y: nop'));
    assert.strictEqual(f.ls.prepareRename(f.uri, f.pos)?.placeholder, 'x.y');
    assert.deepStrictEqual(f.ls.doRename(f.uri, f.pos, 'xyz')!.changes!['/w/main.rasm'].map((x) => x.newText), ['xyz', 'xyz']);
    assert.deepStrictEqual(f.ls.doRename(f.uri, f.pos, 'x.z')!.changes!['/w/main.rasm'].map((x) => x.newText), ['x.z', 'x.z']);
    assert.throws(() => f.ls.doRename(f.uri, f.pos, '.z'), /a local label/);
    // Renaming `x` leaves the global `x.y` alone.
    f = at(lines('|x: nop', 'x.y: jmp x'));
    assert.deepStrictEqual(f.ls.doRename(f.uri, f.pos, 'w')!.changes!['/w/main.rasm'].map((x) => `${x.range.start.line}:${x.range.start.character}=${x.newText}`), ['0:0=w', '1:9=w']);
  });

  it('two global labels on one line: each symbol\'s range contains its name', () => {
    const f = at(lines('a: nop', 'g: x: nop|'));
    const syms = f.ls.findDocumentSymbols(f.uri).map((s) => [s.name, s.range.start.line, s.range.start.character, s.range.end.line, s.range.end.character]);
    assert.deepStrictEqual(syms, [['a', 0, 0, 0, 6], ['g', 1, 0, 1, 3], ['x', 1, 3, 1, 9]]);
  });

  it('rename an .equ; refuse registers, clashes and non-symbols', () => {
    const f = at(lines('.equ SI|ZE, 8', '.equ OTHER, 1', '    mov r1, SIZE'));
    assert.deepStrictEqual(f.ls.doRename(f.uri, f.pos, 'LEN')!.changes!['/w/main.rasm'].map((x) => x.newText), ['LEN', 'LEN']);
    assert.throws(() => f.ls.doRename(f.uri, f.pos, 'r2'), RenameError);
    assert.throws(() => f.ls.doRename(f.uri, f.pos, 'OTHER'), /already defined/);
    assert.throws(() => f.ls.doRename(f.uri, f.pos, '1x'), /not a valid/);
    assert.strictEqual(f.ls.prepareRename(f.uri, { line: 2, character: 5 }), null, 'a mnemonic is not renamable');
  });

  it('document highlights and links', () => {
    const f = at(lines('.include "lib.rasm"', 'a|: jmp a'), { 'lib.rasm': '' });
    assert.deepStrictEqual(f.ls.findDocumentHighlights(f.uri, f.pos).map((h) => [h.range.start.character, h.kind]), [[0, 3], [7, 2]]);
    const links = f.ls.findDocumentLinks(f.uri);
    assert.deepStrictEqual(links.map((l) => [l.target, l.range.start.character, l.range.end.character]), [['/w/lib.rasm', 10, 18]]);
  });
});
