import * as assert from 'assert';
import { at, decodedTokens, fixture, lines } from './helpers';
import { tokenEdits } from '../../language/service/semanticTokens';

describe('lsp service: document features', () => {
  it('signature help: the forms, the active operand and the form that fits', () => {
    let f = at('    ld r1, [r2 + |');
    let h = f.ls.doSignatureHelp(f.uri, f.pos)!;
    assert.deepStrictEqual(h.signatures.map((s) => s.label), ['ld rd, [rb]', 'ld rd, [rb + disp]', 'ld rd, [addr]']);
    assert.strictEqual(h.activeParameter, 1);
    f = at('    mov r1, |');
    h = f.ls.doSignatureHelp(f.uri, f.pos)!;
    assert.deepStrictEqual([h.activeParameter, h.signatures[0].parameters?.map((p) => p.label)], [1, [[4, 6], [8, 10]]]);
    f = at('    .org |');
    const org = f.ls.doSignatureHelp(f.uri, f.pos)!.signatures[0];
    assert.strictEqual(org.label, '.org LOAD[, LINK]');
    // The optional operand's brackets are not part of either operand; a memory operand keeps its own.
    assert.deepStrictEqual(org.parameters?.map((p) => org.label.slice(...(p.label as [number, number]))), ['LOAD', 'LINK']);
    f = at('    ld r1, [r2 + |');
    const mem = f.ls.doSignatureHelp(f.uri, f.pos)!.signatures[1];
    assert.deepStrictEqual(mem.parameters?.map((p) => mem.label.slice(...(p.label as [number, number]))), ['rd', '[rb + disp]']);
    f = at('    nop ; |');
    assert.strictEqual(f.ls.doSignatureHelp(f.uri, f.pos), null);
  });

  it('document symbols: global labels with their locals, constants', () => {
    const f = fixture(lines('.equ N, 4', 'main:', '.a: nop', '.b: nop', 'sub:', '    ret'));
    const s = f.ls.findDocumentSymbols(f.uri);
    assert.deepStrictEqual(s.map((x) => [x.name, x.detail, x.range.start.line, x.range.end.line, (x.children ?? []).map((c) => c.name)]), [
      ['N', '= 0x00000004', 0, 0, []],
      ['main', '0x00000000', 1, 3, ['.a', '.b']],
      ['sub', '0x00000008', 4, 5, []],
    ]);
  });

  it('workspace symbols: from open units and from files nobody opened', () => {
    const f = fixture('kernel_main: nop', { 'user.rasm': 'user_main: nop\n.equ USER_BASE, 1' });
    const names = f.ls.findWorkspaceSymbols('main').map((s) => s.name).sort();
    assert.deepStrictEqual(names, ['kernel_main', 'user_main']);
    assert.deepStrictEqual(f.ls.findWorkspaceSymbols('usb').map((s) => s.name), ['USER_BASE']);
  });

  it('folding: comment blocks, label bodies, .org regions, region markers', () => {
    const f = fixture(lines('; one', '; two', '.org 0', 'a:', '    nop', '    nop', '', '; region io', 'b:  ret', '; endregion'));
    const r = f.ls.getFoldingRanges(f.uri).map((x) => [x.startLine, x.endLine, x.kind ?? '']);
    assert.deepStrictEqual(r.sort(), [[0, 1, 'comment'], [2, 8, 'region'], [3, 5, ''], [7, 9, 'region']].sort());
  });

  it('formatting aligns mnemonics, operands and comments, and is idempotent', () => {
    const src = lines('.equ N, 4   ; count', 'start:  mov r1,N ; first', '  vmwrite guest_pc,r1;x', '.l: jmp .l', '', '   ; note', 'buf: .word 1,2');
    const f = fixture(src);
    const apply = (text: string, edits: { range: { start: { line: number } }; newText: string }[]) => {
      const ls = text.split('\n');
      for (const e of edits) ls[e.range.start.line] = e.newText;
      return ls.join('\n');
    };
    const once = apply(src, f.ls.format(f.uri, undefined));
    assert.strictEqual(
      once,
      lines('.equ N, 4                    ; count', 'start:  mov     r1, N        ; first', '        vmwrite guest_pc, r1 ;x', '.l:     jmp     .l', '', '        ; note', 'buf:    .word 1, 2'),
    );
    f.ls.changeDocument(f.uri, [{ text: once }]);
    assert.deepStrictEqual(f.ls.format(f.uri, undefined), [], 'formatting the result changes nothing');
  });

  it('formatting indents with tabs when the editor inserts tabs, and is idempotent that way too', () => {
    const src = lines('start:  mov r1,1', '  add r1, 2 ; two', '.l: jmp .l');
    const f = fixture(src);
    const tabs = { tabSize: 4, insertSpaces: false };
    const edits = f.ls.format(f.uri, undefined, tabs);
    const out = src.split('\n');
    for (const e of edits) out[e.range.start.line] = e.newText;
    assert.deepStrictEqual(out, ['start:  mov r1, 1', '\t\tadd r1, 2 ; two', '.l:     jmp .l'], 'indentation in tabs (8 columns = two of 4), alignment in spaces');
    f.ls.changeDocument(f.uri, [{ text: out.join('\n') }]);
    assert.deepStrictEqual(f.ls.format(f.uri, undefined, tabs), []);
    assert.ok(f.ls.format(f.uri, undefined, { tabSize: 4, insertSpaces: true }).length > 0, 'with spaces the tabs go');
  });

  it('formatting lines up the values of a block of constants', () => {
    const f = fixture(lines('.equ A, 1', '.equ LONGER, 2 ; c', '.equ B,3'));
    assert.deepStrictEqual(f.ls.format(f.uri, undefined).map((e) => [e.range.start.line, e.newText]), [
      [0, '.equ A,      1'],
      [2, '.equ B,      3'],
    ]);
  });

  it('range formatting takes the lines the range covers; one ending at a line\'s start does not take that line', () => {
    const f = fixture(lines('main:  mov   r1, 1', 'l2:  add  r1,2', 'l3:  add  r1,3'));
    const at = (a: number, b: number, c: number, d: number) => f.ls.format(f.uri, { start: { line: a, character: b }, end: { line: c, character: d } }).map((e) => e.range.start.line);
    assert.deepStrictEqual(at(0, 0, 1, 0), [0]);
    assert.deepStrictEqual(at(0, 0, 1, 1), [0, 1]);
    assert.deepStrictEqual(at(1, 0, 1, 0), [1]);
  });

  it('formatting leaves lines with syntax errors alone', () => {
    const f = fixture('    mov r1, "unterminated');
    assert.deepStrictEqual(f.ls.format(f.uri, undefined), []);
  });

  it('code actions: two letters swapped (mvo) get "Change to \'mov\'" as the preferred fix', () => {
    const f = fixture(lines('main: mvo r1, 2'));
    const diags = f.ls.doValidation(f.uri).filter((d) => d.code === 'unknown-mnemonic');
    const fixes = f.ls.getCodeActions(f.uri, diags[0].range, { diagnostics: diags });
    assert.strictEqual(fixes[0]?.title, "Change to 'mov'");
    assert.strictEqual(fixes[0].isPreferred, true);
  });

  it('code actions: fix a misspelled mnemonic, create a missing label or constant', () => {
    const f = fixture(lines('.equ A, 1', 'main: MOB r1, A', '    jmp mian', '    jmp .out'));
    const diags = f.ls.doValidation(f.uri);
    const titles = (code: string) => f.ls.getCodeActions(f.uri, diags.find((d) => d.code === code)!.range, { diagnostics: diags.filter((d) => d.code === code) });
    const fix = titles('unknown-mnemonic');
    assert.deepStrictEqual(fix.map((a) => a.title), ["Change to 'MOD'", "Change to 'MOV'"]);
    const undef = f.ls.getCodeActions(f.uri, diags[1].range, { diagnostics: diags.filter((d) => d.code === 'undefined-symbol') });
    assert.deepStrictEqual(undef.map((a) => a.title), ["Change to 'main'", "Create label 'mian'", "Create constant 'mian' (.equ mian, 0)", "Create local label '.out'"]);
    const create = undef[1].edit!.changes!['/w/main.rasm'][0];
    assert.deepStrictEqual([create.range.start.line, create.newText], [3, '\nmian:\n']);
    const constant = undef[2].edit!.changes!['/w/main.rasm'][0];
    assert.deepStrictEqual([constant.range.start.line, constant.newText], [1, '.equ mian, 0\n']);
  });

  it('inline values: each register at its last mention up to the stopped line, in the stopped function, not above a call or trap', () => {
    const f = fixture(lines('main:', '    mov r1, 1', '    add r1, r2 ; r3 is only in a comment', '    jmp .l', '.l: mov sp, r15', 'other:', '    mov r4, 4', '    syscall', '    mov r0, 2', '    mov r5, r4'));
    const at = (line: number) =>
      f.ls.getInlineValues(f.uri, { start: { line: 0, character: 0 }, end: { line: 10, character: 0 } }, { frameId: 1, stoppedLocation: { start: { line, character: 0 }, end: { line, character: 0 } } })
        .map((v) => `${v.range.start.line}:${'variableName' in v ? v.variableName : '?'}`);
    assert.deepStrictEqual(at(4), ['2:r1', '2:r2', '4:sp'], 'r1 at its last mention only (its value now is the one line 2 left); r15 is sp, named once');
    assert.deepStrictEqual(at(6), ['6:r4'], 'only the function the machine stopped in');
    assert.deepStrictEqual(at(2), ['2:r1', '2:r2'], 'nothing after the stopped line');
    assert.deepStrictEqual(at(7), ['6:r4'], 'up to a system call on the stopped line: it has not run yet');
    assert.deepStrictEqual(at(9), ['8:r0', '9:r5', '9:r4'], 'not above the system call that ran since (r4 is shown where it is used after it)');
  });

  it('semantic token edits turn the last array into the new one, whole tokens at a time', () => {
    const tok = (...n: number[]) => n.flatMap((v) => [0, v, 1, 0, 0]);
    const apply = (prev: number[], edits: ReturnType<typeof tokenEdits>) => {
      const out = [...prev];
      for (const e of edits) out.splice(e.start, e.deleteCount, ...e.data);
      return out;
    };
    const a = tok(1, 2, 3, 4, 5);
    for (const b of [a, tok(1, 2, 9, 4, 5), tok(1, 2, 3, 3, 4, 5), tok(2, 3, 4, 5), tok(1, 2, 3, 4), tok(), tok(7, 7, 7, 7, 7, 7, 7)]) {
      const edits = tokenEdits(a, b);
      assert.deepStrictEqual(apply(a, edits), b);
      for (const e of edits) assert.deepStrictEqual([e.start % 5, e.deleteCount % 5, e.data.length % 5], [0, 0, 0], 'whole tokens');
    }
    assert.deepStrictEqual(tokenEdits(a, a), []);
    assert.deepStrictEqual(tokenEdits(a, tok(1, 2, 9, 4, 5)), [{ start: 10, deleteCount: 5, data: tok(9) }]);
  });

  it('semantic tokens: labels, constants, registers, privileged mnemonics', () => {
    const f = fixture(lines('.equ N, 1', 'main: cli', '    mov r1, N ; c', '    jmp main'));
    const toks = decodedTokens(f).map((t) => `${t.line}:${t.ch}:${t.length} ${t.type}`);
    assert.deepStrictEqual(toks, [
      '0:0:4 macro',
      '0:5:1 variable.readonly',
      '0:8:1 number',
      '1:0:4 function.declaration',
      '1:6:3 keyword.privileged',
      '2:4:3 keyword',
      '2:8:2 variable.defaultLibrary',
      '2:12:1 variable.readonly',
      '2:14:3 comment',
      '3:4:3 keyword',
      '3:8:4 function',
    ]);
  });

  it("inlay hints: each label's address (link address; load address in the tooltip)", () => {
    const f = fixture(lines('.org 0x1000, 0xC0001000', 'k:  nop', '.x: nop'));
    const hints = f.ls.getInlayHints(f.uri, { start: { line: 0, character: 0 }, end: { line: 3, character: 0 } });
    assert.deepStrictEqual(hints.map((h) => [h.position.line, h.position.character, h.label, h.tooltip]), [
      [1, 2, '0xc0001000', 'link 0xc0001000, load (physical) 0x00001000'],
      [2, 3, '0xc0001004', 'link 0xc0001004, load (physical) 0x00001004'],
    ]);
  });
});
