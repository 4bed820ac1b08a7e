import * as assert from 'assert';
import { lexLine } from '../../language/lexer';
import { parseLine } from '../../language/parser';

const kinds = (text: string) => lexLine(text).tokens.map((t) => `${t.kind}:${t.text}`);

describe('lexer', () => {
  it('splits a line into tokens with exact columns', () => {
    const { tokens, diagnostics } = lexLine('loop: add r1, [sp + 0x10] ; hi', 7);
    assert.deepStrictEqual(diagnostics, []);
    assert.deepStrictEqual(
      tokens.map((t) => [t.kind, t.text, t.line, t.start, t.end]),
      [
        ['ident', 'loop', 7, 0, 4],
        ['punct', ':', 7, 4, 5],
        ['ident', 'add', 7, 6, 9],
        ['ident', 'r1', 7, 10, 12],
        ['punct', ',', 7, 12, 13],
        ['punct', '[', 7, 14, 15],
        ['ident', 'sp', 7, 15, 17],
        ['punct', '+', 7, 18, 19],
        ['number', '0x10', 7, 20, 24],
        ['punct', ']', 7, 24, 25],
        ['comment', '; hi', 7, 26, 30],
      ],
    );
  });

  it('reads every number syntax', () => {
    const v = (s: string) => lexLine(s).tokens[0].value;
    assert.strictEqual(v('42'), 42);
    assert.strictEqual(v('0x2A'), 42);
    assert.strictEqual(v('0X2a'), 42);
    assert.strictEqual(v('0b101'), 5);
    assert.strictEqual(v('0o17'), 15);
    assert.strictEqual(v('1_000'), 1000);
    assert.strictEqual(v('0xFFFFFFFF'), 0xffffffff);
  });

  it('reports bad and oversized numbers with their range', () => {
    const a = lexLine('mov r1, 12abc');
    assert.deepStrictEqual(a.diagnostics.map((d) => [d.code, d.start, d.end]), [['bad-number', 8, 13]]);
    const b = lexLine('.word 0x100000000');
    assert.deepStrictEqual(b.diagnostics.map((d) => [d.code, d.start, d.end]), [['number-too-large', 6, 17]]);
  });

  it('reads character literals with escapes', () => {
    const v = (s: string) => lexLine(s).tokens[0].value;
    assert.strictEqual(v("'A'"), 65);
    assert.strictEqual(v("'\\n'"), 10);
    assert.strictEqual(v("'\\0'"), 0);
    assert.strictEqual(v("'\\''"), 39);
    assert.strictEqual(v("'\\\\'"), 92);
    assert.strictEqual(v("';'"), 59, 'a semicolon inside quotes is not a comment');
  });

  it('decodes strings and reports bad escapes at the escape', () => {
    const ok = lexLine('.ascii "a\\tb\\"\\\\\\n\\0"');
    assert.deepStrictEqual(ok.tokens[1].bytes, [97, 9, 98, 34, 92, 10, 0]);
    const bad = lexLine('.ascii "ab\\qc"');
    assert.deepStrictEqual(bad.diagnostics.map((d) => [d.code, d.start, d.end]), [['bad-escape', 10, 12]]);
    assert.strictEqual(bad.tokens[1].kind, 'error');
  });

  it('stores non-ASCII characters as UTF-8', () => {
    assert.deepStrictEqual(lexLine('"é"').tokens[0].bytes, [0xc3, 0xa9]);
  });

  it('reports unterminated strings and characters', () => {
    assert.deepStrictEqual(lexLine('.ascii "abc').diagnostics.map((d) => [d.code, d.start, d.end]), [['unterminated-string', 7, 11]]);
    assert.deepStrictEqual(lexLine("mov r1, 'a").diagnostics.map((d) => d.code), ['unterminated-string']);
    assert.deepStrictEqual(lexLine("mov r1, 'ab'").diagnostics.map((d) => d.code), ['bad-char']);
  });

  it('groups unexpected characters into one error', () => {
    const r = lexLine('mov r1, @@# 1');
    assert.deepStrictEqual(r.diagnostics.map((d) => [d.code, d.start, d.end]), [['bad-character', 8, 11]]);
  });

  it('lexes two-character shift operators', () => {
    assert.deepStrictEqual(kinds('1<<2>>3'), ['number:1', 'punct:<<', 'number:2', 'punct:>>', 'number:3']);
    assert.deepStrictEqual(lexLine('1 < 2').diagnostics.map((d) => d.code), ['bad-character']);
  });

  it('never throws on binary garbage or huge lines, and caps diagnostics per line', () => {
    let junk = '';
    for (let i = 0; i < 20000; i++) junk += String.fromCharCode((i * 7919) % 65536);
    const r = parseLine(junk);
    assert.ok(r.diagnostics.length > 0 && r.diagnostics.length <= 20);
    const big = parseLine('.ascii "' + 'x'.repeat(90_000));
    assert.deepStrictEqual(big.diagnostics.map((d) => d.code), ['unterminated-string']);
    const deep = parseLine('mov r1, ' + '('.repeat(40_000) + '1');
    assert.ok(deep.diagnostics.some((d) => /nested too deeply/.test(d.message)));
    const long = parseLine('mov r1, ' + '1+'.repeat(40_000) + '1');
    assert.ok(long.diagnostics.some((d) => /too long/.test(d.message)));
    const huge = parseLine('x'.repeat(5_000_000));
    assert.deepStrictEqual(huge.diagnostics.map((d) => [d.code, d.start, d.end]), [['line-too-long', 0, 5_000_000]]);
  });
});

describe('line parser', () => {
  it('parses labels, an instruction and a comment with ranges', () => {
    const p = parseLine('a: .b: mov r1, 5 ; c', 3);
    assert.deepStrictEqual(p.labels.map((l) => [l.name, l.local, l.line, l.start, l.end]), [
      ['a', false, 3, 0, 1],
      ['.b', true, 3, 3, 5],
    ]);
    const s = p.statement!;
    assert.strictEqual(s.kind, 'instruction');
    if (s.kind !== 'instruction') return;
    assert.strictEqual(s.mnemonic, 'mov');
    assert.deepStrictEqual([s.nameSpan.start, s.nameSpan.end], [7, 10]);
    assert.deepStrictEqual(s.operands.map((o) => [o.kind, o.start, o.end]), [
      ['reg', 11, 13],
      ['expr', 15, 16],
    ]);
    assert.deepStrictEqual(p.comment, { line: 3, start: 17, end: 20 });
  });

  it('is case-insensitive for mnemonics, registers, system registers and fields', () => {
    const p = parseLine('VMWRITE Guest_PC, SP');
    const s = p.statement!;
    assert.ok(s.kind === 'instruction');
    if (s.kind !== 'instruction') return;
    assert.strictEqual(s.mnemonic, 'vmwrite');
    assert.deepStrictEqual(s.operands.map((o) => o.kind), ['field', 'reg']);
    const r = parseLine('rdsr r1, CR3').statement;
    assert.ok(r && r.kind === 'instruction' && r.operands[1].kind === 'sreg' && r.operands[1].id === 3);
  });

  it('parses every memory operand shape', () => {
    const ops = (t: string) => {
      const s = parseLine(t).statement;
      return s && s.kind === 'instruction' ? s.operands : [];
    };
    const m1 = ops('ld r1, [fp]')[1];
    assert.ok(m1.kind === 'mem' && m1.base === 14 && !m1.disp);
    const m2 = ops('ld r1, [r2 - 8]')[1];
    assert.ok(m2.kind === 'mem' && m2.base === 2 && m2.disp?.kind === 'unary');
    const m3 = ops('ld r1, [label + 4]')[1];
    assert.ok(m3.kind === 'mem' && m3.base === undefined && m3.disp?.kind === 'binary');
    assert.deepStrictEqual([m3.start, m3.end], [7, 18]);
  });

  it('reports malformed memory operands and registers inside expressions', () => {
    const codes = (t: string) => parseLine(t).diagnostics.map((d) => [d.code, d.start, d.end]);
    assert.deepStrictEqual(codes('ld r1, [r2'), [['unbalanced-bracket', 7, 8]]);
    assert.deepStrictEqual(codes('ld r1, []'), [['bad-memory-operand', 8, 9]]);
    assert.deepStrictEqual(codes('ld r1, [r2 + r3]'), [['register-in-expression', 13, 15]]);
    assert.deepStrictEqual(codes('ld r1, [r2 * 4]'), [['bad-memory-operand', 11, 12]]);
    assert.deepStrictEqual(codes('mov r1, r2 + 1'), [['register-in-expression', 8, 10]]);
    assert.deepStrictEqual(codes('mov r1,'), [['expected-operand', 6, 7]]);
    assert.deepStrictEqual(codes('mov r1 5'), [['syntax', 7, 8]]);
  });

  it('rejects register names as labels', () => {
    assert.deepStrictEqual(parseLine('sp: nop').diagnostics.map((d) => [d.code, d.start, d.end]), [['bad-label', 0, 2]]);
  });

  it('parses directives with string and value arguments', () => {
    const s = parseLine('.ASCIZ "hi", "x"').statement!;
    assert.ok(s.kind === 'directive' && s.name === '.asciz');
    if (s.kind !== 'directive') return;
    assert.deepStrictEqual(s.args.map((a) => a.kind), ['string', 'string']);
  });

  it('keeps lines independent: a local label line parses the same anywhere', () => {
    assert.deepStrictEqual(parseLine('.x: nop', 1).labels[0].name, '.x');
    assert.strictEqual(parseLine('', 0).statement, undefined);
    assert.strictEqual(parseLine('   ; only a comment').statement, undefined);
  });
});
