import * as assert from 'assert';
import { EvalProblem, evaluate, parseExpr, symbolsOf } from '../../language/expr';
import { lexLine, LineDiagnostic } from '../../language/lexer';

function parse(text: string) {
  const { tokens } = lexLine(text);
  const diags: LineDiagnostic[] = [];
  const r = parseExpr(tokens, 0, tokens.length, diags);
  return { ...r, diags, tokens };
}

function ev(text: string, syms: Record<string, number> = {}): number | undefined {
  const { expr, diags } = parse(text);
  assert.deepStrictEqual(diags, [], text);
  const problems: EvalProblem[] = [];
  const v = evaluate(expr!, (n) => syms[n], problems);
  return v === undefined ? undefined : v >>> 0;
}

describe('expressions', () => {
  it('follows C precedence', () => {
    assert.strictEqual(ev('1 + 2 * 3'), 7);
    assert.strictEqual(ev('(1 + 2) * 3'), 9);
    assert.strictEqual(ev('1 | 2 ^ 3 & 4'), 1 | (2 ^ (3 & 4)));
    assert.strictEqual(ev('1 << 2 + 1'), 8);
    assert.strictEqual(ev('10 - 4 - 3'), 3, 'left associative');
    assert.strictEqual(ev('100 / 10 / 5'), 2);
    assert.strictEqual(ev('7 % 4 * 2'), 6);
  });

  it('has unary minus, plus and not', () => {
    assert.strictEqual(ev('-1'), 0xffffffff);
    assert.strictEqual(ev('~0'), 0xffffffff);
    assert.strictEqual(ev('- -5'), 5);
    assert.strictEqual(ev('+3'), 3);
    assert.strictEqual(ev('-2 * 3'), (-6 >>> 0));
  });

  it('wraps at 32 bits and divides, shifts unsigned', () => {
    assert.strictEqual(ev('0xFFFFFFFF + 2'), 1);
    assert.strictEqual(ev('0x80000000 * 2'), 0);
    assert.strictEqual(ev('0xC0000000 >> 22'), 0x300);
    assert.strictEqual(ev('0xC0000000 / 0x1000'), 0xc0000);
    assert.strictEqual(ev('-1 % 16'), 15);
    assert.strictEqual(ev('1 << 32'), 0);
    assert.strictEqual(ev("'A' + 1"), 66);
  });

  it('resolves symbols and reports undefined ones at their range', () => {
    assert.strictEqual(ev('base + 4 * n', { base: 0x1000, n: 3 }), 0x100c);
    const { expr } = parse('a + missing');
    const problems: EvalProblem[] = [];
    assert.strictEqual(evaluate(expr!, (n) => (n === 'a' ? 1 : undefined), problems), undefined);
    assert.deepStrictEqual(problems.map((p) => [p.code, p.name, p.start, p.end]), [['undefined-symbol', 'missing', 4, 11]]);
  });

  it('reports division by zero at the divisor', () => {
    const { expr } = parse('8 / (2 - 2)');
    const problems: EvalProblem[] = [];
    assert.strictEqual(evaluate(expr!, () => undefined, problems), undefined);
    assert.deepStrictEqual(problems.map((p) => [p.code, p.start, p.end]), [['division-by-zero', 4, 11]]);
    const m: EvalProblem[] = [];
    evaluate(parse('1 % 0').expr!, () => undefined, m);
    assert.strictEqual(m[0].code, 'division-by-zero');
  });

  it('gives every node its range', () => {
    const { expr } = parse('  (a + 1) * b');
    assert.ok(expr && expr.kind === 'binary');
    assert.deepStrictEqual([expr.start, expr.end], [2, 13]);
    if (expr.kind !== 'binary') return;
    assert.deepStrictEqual([expr.left.start, expr.left.end], [2, 9]);
    assert.deepStrictEqual(symbolsOf(expr).map((s) => [s.name, s.start]), [
      ['a', 3],
      ['b', 12],
    ]);
  });

  it('reports syntax errors and stops at the first token it cannot use', () => {
    assert.deepStrictEqual(parse('1 +').diags.map((d) => d.code), ['expected-expression']);
    assert.deepStrictEqual(parse('(1 + 2').diags.map((d) => [d.code, d.start]), [['unbalanced-paren', 0]]);
    assert.deepStrictEqual(parse('* 2').diags.map((d) => d.code), ['expected-expression']);
    const r = parse('1 + 2 ]');
    assert.deepStrictEqual(r.diags, []);
    assert.strictEqual(r.next, 3);
  });
});
