/** The debugger's expressions: the language's parser in its debugger form, evaluated against a machine. */
import * as assert from 'assert';
import { parseDebugExpr, parseExpr } from '../../language/expr';
import { lexLine, LineDiagnostic } from '../../language/lexer';
import { evaluate, evaluateText, EvalEnv, ExprError, parse } from '../../debug-adapter/engine/expressions';

/** A machine of a few registers and labels; memory reads are logged and answer a value made of their arguments. */
function machine() {
  const reads: string[] = [];
  const regs: Record<string, number> = { r1: 0x10, sp: 0x8000, pc: 0x40 };
  const syms: Record<string, number> = { buf: 0x2000, r1x: 7, pc: 0x999 };
  const env: EvalEnv = {
    register: (n) => regs[n.toLowerCase()],
    symbol: (n) => syms[n],
    read: (address, physical, size) => {
      reads.push(`${physical ? 'phys' : 'virt'}:${address.toString(16)}/${size}`);
      if (address === 0xdead) throw new ExprError('page not present');
      return address + size;
    },
  };
  return { env, reads };
}

const value = (text: string) => evaluateText(text, machine().env).value;

function problem(text: string): string {
  try {
    parse(text);
  } catch (e) {
    return (e as Error).message;
  }
  assert.fail(`"${text}" parsed`);
}

describe('debugger expressions (one parser: language/expr.ts)', () => {
  it('keeps the assembler\'s operators and C precedence, adding comparisons and truth values below |', () => {
    assert.strictEqual(value('1 + 2 * 3'), 7);
    assert.strictEqual(value('1 | 2 ^ 3 & 4'), 1 | (2 ^ (3 & 4)));
    assert.strictEqual(value('1 + 2 == 3 && 4 > 3'), 1);
    assert.strictEqual(value('1 | 2 == 3'), 1, '== binds looser than |');
    assert.strictEqual(value('0 || 5 < 4 || 2 >= 2'), 1);
    assert.strictEqual(value('3 != 3'), 0);
    assert.strictEqual(value('!0 + !7'), 1);
    assert.strictEqual(value('-1 > 0'), 1, 'unsigned');
    assert.strictEqual(value("'A' + 1"), 66);
    assert.strictEqual(value('0x1_0 + 0b11 + 0o10'), 16 + 3 + 8);
  });

  it('keeps the machine\'s own arithmetic: unsigned values, shift counts modulo 32', () => {
    assert.strictEqual(value('0 - 1'), 0xffffffff);
    assert.strictEqual(value('1 << 33'), 2);
    assert.strictEqual(value('0x80000000 >> 31'), 1);
    assert.strictEqual(value('-1 / 2'), 0x7fffffff);
  });

  it('reads names as registers first, then labels and constants', () => {
    assert.strictEqual(value('r1 + buf'), 0x2010);
    assert.strictEqual(value('PC'), 0x40, 'a register shadows a label of its name');
    assert.strictEqual(value('r1x'), 7);
  });

  it('reads memory: [a] a word, byte [a], word [a], phys:a a physical address taking a whole sum', () => {
    const { env, reads } = machine();
    assert.deepStrictEqual(evaluateText('[sp + 4]', env), { value: 0x8008, memory: { address: 0x8004, physical: false, size: 4 } });
    assert.deepStrictEqual(evaluateText('BYTE [buf]', env), { value: 0x2001, memory: { address: 0x2000, physical: false, size: 1 } });
    assert.strictEqual(evaluateText('word [1]', env).value, 5);
    assert.deepStrictEqual(evaluateText('phys:0x1000 + 4', env), { value: 0x1004, physical: true });
    assert.strictEqual(evaluateText('[phys:0x1000 + 4] + 1', env).value, 0x1009);
    assert.deepStrictEqual(reads, ['virt:8004/4', 'virt:2000/1', 'virt:1/4', 'phys:1004/4']);
    // A name that is not followed by its form is a name.
    assert.throws(() => evaluateText('byte + 1', env), /unknown name 'byte' \(not a register, label or constant\) \(column 1\)/);
  });

  it('&& and || do not evaluate their right side when the left decides', () => {
    const { env, reads } = machine();
    assert.strictEqual(evaluateText('0 && [0xdead]', env).value, 0);
    assert.strictEqual(evaluateText('1 || [0xdead]', env).value, 1);
    assert.deepStrictEqual(reads, []);
    assert.throws(() => evaluateText('1 && [0xdead]', env), /page not present/);
  });

  it('says what is wrong and at which column (1-based)', () => {
    assert.strictEqual(problem(''), 'empty expression');
    assert.strictEqual(problem('r1 +'), 'expression ends too early (column 5)');
    assert.strictEqual(problem('r2 + + '), 'expression ends too early (column 8)');
    assert.strictEqual(problem('(1 + 2'), "unbalanced '(': missing ')' (column 1)");
    assert.strictEqual(problem('2 * [r1 + 1'), "unbalanced '[': missing ']' (column 5)");
    assert.strictEqual(problem('r1 ; a comment'), "unexpected ';' after the expression (column 4)");
    assert.strictEqual(problem('r1 r2'), "unexpected 'r2' after the expression (column 4)");
    assert.strictEqual(problem('r1 = 2'), "unexpected character '=' (column 4)");
    assert.strictEqual(problem('1 + )'), "expected an expression, found ')' (column 5)");
    assert.strictEqual(problem('0x1g'), "bad number '0x1g' (column 1)");
    assert.strictEqual(problem('"ab"'), 'a string is not allowed in an expression (use a character literal) (column 1)');
    assert.throws(() => evaluateText('8 / (r1 - 16)', machine().env), /division by zero \(column 5\)/);
    assert.throws(() => evaluateText('1 + nosuch', machine().env), /unknown name 'nosuch' \(not a register, label or constant\) \(column 5\)/);
  });

  it('gives the tree the language\'s ranges (0-based, as the language service counts)', () => {
    const r = parseDebugExpr('  byte [buf] == 3');
    assert.ok('expr' in r && r.expr.kind === 'binary');
    if (!('expr' in r) || r.expr.kind !== 'binary') return;
    assert.deepStrictEqual([r.expr.left.kind, r.expr.left.start, r.expr.left.end], ['mem', 2, 12]);
    assert.strictEqual(evaluate(r.expr, machine().env).value, 0);
  });

  it('leaves the assembler\'s language as it was: no comparisons, no memory, no phys:', () => {
    assert.deepStrictEqual(lexLine('1 < 2').diagnostics.map((d) => d.code), ['bad-character']);
    assert.deepStrictEqual(lexLine('a && b').tokens.map((t) => t.text), ['a', '&', '&', 'b']);
    const asm = (text: string) => {
      const { tokens } = lexLine(text);
      const diags: LineDiagnostic[] = [];
      const r = parseExpr(tokens, 0, tokens.length, diags);
      return { r, diags: diags.map((d) => d.message), tokens };
    };
    assert.deepStrictEqual(asm('[4]').diags, ["expected an expression, found '['"]);
    const phys = asm('phys:4');
    assert.strictEqual(phys.r.expr?.kind, 'sym', 'phys is a symbol; the colon is left to the line parser');
    assert.strictEqual(phys.r.next, 1);
  });
});
