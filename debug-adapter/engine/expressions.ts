/**
 * The debugger's expression language, for watches, hovers, the Debug Console
 * and breakpoint conditions: registers, labels and `.equ` names, numbers and
 * characters, `[addr]` (a word of virtual memory through the current page
 * tables), `byte [addr]`, `phys:addr` (a physical address), the assembler's
 * operators plus comparisons and `&& || !`. Values are unsigned 32-bit.
 * Parsed once into a tree so a condition checked a million times is cheap.
 */
import { t as tr } from '../../language/l10n';
import { hex32 as hex8 } from '../../emulator/isa/hex';

export class ExprError extends Error {
  /** 1-based column where the problem is, when it is in the text. */
  constructor(message: string, readonly column?: number) {
    super(column === undefined ? message : `${message} ${tr("(column {0})", column)}`);
  }
}

export type Node =
  | { k: 'num'; v: number }
  | { k: 'name'; name: string; col: number }
  | { k: 'un'; op: string; a: Node }
  | { k: 'bin'; op: string; a: Node; b: Node; col: number }
  | { k: 'mem'; a: Node; size: 1 | 4; col: number }
  | { k: 'phys'; a: Node };

/** What evaluation needs from the machine and the program. */
export interface EvalEnv {
  /** Register, system register, flag or VMCS field value; undefined if not one. */
  register(name: string): number | undefined;
  /** Label or `.equ` value; undefined if not one. */
  symbol(name: string): number | undefined;
  /** Read `size` bytes at an address; throws ExprError when unreadable. */
  read(address: number, physical: boolean, size: 1 | 4): number;
}

export interface Value {
  value: number;
  /** The value is a physical address (`phys:`). */
  physical?: boolean;
  /** The value was read from memory here (for data breakpoints and setVariable). */
  memory?: { address: number; physical: boolean; size: 1 | 4 };
}

type Tok = { t: 'num' | 'name' | 'op' | 'end'; s: string; v: number; col: number };

const OPS = ['<<', '>>', '<=', '>=', '==', '!=', '&&', '||', '+', '-', '*', '/', '%', '&', '|', '^', '~', '!', '<', '>', '(', ')', '[', ']', ':'];

function tokenize(src: string): Tok[] {
  const out: Tok[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i];
    if (c === ' ' || c === '\t') {
      i++;
      continue;
    }
    const col = i + 1;
    if (/[0-9]/.test(c)) {
      const m = /^(0x[0-9a-f_]+|0b[01_]+|0o[0-7_]+|[0-9][0-9_]*)/i.exec(src.slice(i))!;
      const text = m[0].replace(/_/g, '');
      if (/^[0-9a-z_]/i.test(src[i + m[0].length] ?? '')) throw new ExprError(tr("bad number '{0}'", src.slice(i).split(/[^\w]/)[0]), col);
      const v = /^0o/i.test(text) ? parseInt(text.slice(2), 8) : Number(text);
      if (!Number.isFinite(v) || v > 0xffffffff) throw new ExprError(tr('number {0} does not fit in 32 bits', m[0]), col);
      out.push({ t: 'num', s: m[0], v, col });
      i += m[0].length;
      continue;
    }
    if (c === "'") {
      const m = /^'(\\.|[^\\'])'/.exec(src.slice(i));
      if (!m) throw new ExprError(tr('bad character constant'), col);
      const ch = m[1].length === 2 ? ({ n: 10, t: 9, '0': 0, '\\': 92, "'": 39 } as Record<string, number>)[m[1][1]] ?? m[1].charCodeAt(1) : m[1].charCodeAt(0);
      out.push({ t: 'num', s: m[0], v: ch, col });
      i += m[0].length;
      continue;
    }
    if (/[A-Za-z_.$]/.test(c)) {
      const m = /^[A-Za-z_.$][\w.$]*/.exec(src.slice(i))!;
      out.push({ t: 'name', s: m[0], v: 0, col });
      i += m[0].length;
      continue;
    }
    const op = OPS.find((o) => src.startsWith(o, i));
    if (!op) throw new ExprError(tr("unexpected '{0}'", c), col);
    out.push({ t: 'op', s: op, v: 0, col });
    i += op.length;
  }
  out.push({ t: 'end', s: '', v: 0, col: src.length + 1 });
  return out;
}

/** Limits that keep the recursive parser and evaluator well inside the stack. */
const MAX_LENGTH = 10_000;
const MAX_DEPTH = 100;
const MAX_OPERATORS = 1000;

const BINARY: string[][] = [['||'], ['&&'], ['==', '!=', '<', '<=', '>', '>='], ['|'], ['^'], ['&'], ['<<', '>>'], ['+', '-'], ['*', '/', '%']];

/** Parse an expression; throws ExprError with the column of the problem. */
export function parse(src: string): Node {
  if (!src.trim()) throw new ExprError(tr('empty expression'));
  if (src.length > MAX_LENGTH) throw new ExprError(tr('the expression is too long ({0} characters; at most {1})', src.length, MAX_LENGTH));
  const toks = tokenize(src);
  let p = 0;
  // Parsing and evaluating recurse once per level: a bound keeps a pathological input from
  // overflowing the stack, with a message instead of "Maximum call stack size exceeded".
  let depth = 0;
  let operators = 0;
  const deeper = (col: number) => {
    if (++depth > MAX_DEPTH) throw new ExprError(tr('the expression nests more than {0} levels deep (brackets or signs)', MAX_DEPTH), col);
  };
  const peek = () => toks[p];
  const expect = (s: string) => {
    const t = toks[p];
    if (t.t !== 'op' || t.s !== s) throw new ExprError(t.t === 'end' ? `expected '${s}' at the end` : `expected '${s}' but found '${t.s}'`, t.col);
    p++;
  };
  const level = (n: number): Node => {
    if (n === BINARY.length) return unary();
    let a = level(n + 1);
    for (;;) {
      const t = peek();
      if (t.t !== 'op' || !BINARY[n].includes(t.s)) return a;
      p++;
      // A chain of operators is a tree as deep as it is long: evaluation recurses through it.
      if (++operators > MAX_OPERATORS) throw new ExprError(tr('the expression has more than {0} operators', MAX_OPERATORS), t.col);
      a = { k: 'bin', op: t.s, a, b: level(n + 1), col: t.col };
    }
  };
  const unary = (): Node => {
    const t = peek();
    if (t.t === 'op' && ['-', '~', '!', '+'].includes(t.s)) {
      p++;
      deeper(t.col);
      const a = unary();
      depth--;
      return { k: 'un', op: t.s, a };
    }
    return primary();
  };
  const primary = (): Node => {
    const t = toks[p++];
    if (t.t === 'num') return { k: 'num', v: t.v };
    if (t.t === 'op' && (t.s === '(' || t.s === '[')) {
      deeper(t.col);
      const e = level(0);
      depth--;
      expect(t.s === '(' ? ')' : ']');
      return t.s === '(' ? e : { k: 'mem', a: e, size: 4, col: t.col };
    }
    if (t.t === 'name') {
      const lower = t.s.toLowerCase();
      const n = peek();
      if (lower === 'phys' && n.t === 'op' && n.s === ':') {
        p++;
        deeper(t.col);
        // `phys:0x12000 + 4` is one physical address: phys: takes a whole sum.
        const a = level(7);
        depth--;
        return { k: 'phys', a };
      }
      if ((lower === 'byte' || lower === 'word') && n.t === 'op' && n.s === '[') {
        p++;
        deeper(t.col);
        const e = level(0);
        depth--;
        expect(']');
        return { k: 'mem', a: e, size: lower === 'byte' ? 1 : 4, col: t.col };
      }
      return { k: 'name', name: t.s, col: t.col };
    }
    if (t.t === 'end') throw new ExprError(tr('expression ends too early'), t.col);
    throw new ExprError(tr("unexpected '{0}'", t.s), t.col);
  };
  const e = level(0);
  const rest = peek();
  if (rest.t !== 'end') throw new ExprError(tr("unexpected '{0}' after the expression", rest.s), rest.col);
  return e;
}

const u32 = (v: number) => v >>> 0;

/** Evaluate a parsed expression. */
export function evaluate(node: Node, env: EvalEnv): Value {
  switch (node.k) {
    case 'num':
      return { value: u32(node.v) };
    case 'name': {
      const r = env.register(node.name);
      if (r !== undefined) return { value: u32(r) };
      const s = env.symbol(node.name);
      if (s !== undefined) return { value: u32(s) };
      throw new ExprError(tr("unknown name '{0}' (not a register, label or constant)", node.name), node.col);
    }
    case 'phys':
      return { value: evaluate(node.a, env).value, physical: true };
    case 'mem': {
      const addr = evaluate(node.a, env);
      const physical = addr.physical === true;
      return { value: u32(env.read(addr.value, physical, node.size)), memory: { address: addr.value, physical, size: node.size } };
    }
    case 'un': {
      const a = evaluate(node.a, env).value;
      switch (node.op) {
        case '-': return { value: u32(-a) };
        case '~': return { value: u32(~a) };
        case '!': return { value: a === 0 ? 1 : 0 };
        default: return { value: a };
      }
    }
    case 'bin': {
      const a = evaluate(node.a, env).value;
      if (node.op === '&&') return { value: a !== 0 && evaluate(node.b, env).value !== 0 ? 1 : 0 };
      if (node.op === '||') return { value: a !== 0 || evaluate(node.b, env).value !== 0 ? 1 : 0 };
      const b = evaluate(node.b, env).value;
      switch (node.op) {
        case '+': return { value: u32(a + b) };
        case '-': return { value: u32(a - b) };
        case '*': return { value: u32(Math.imul(a, b)) };
        case '/':
        case '%':
          if (b === 0) throw new ExprError(tr('division by zero'), node.col);
          return { value: u32(node.op === '/' ? Math.floor(a / b) : a % b) };
        case '&': return { value: u32(a & b) };
        case '|': return { value: u32(a | b) };
        case '^': return { value: u32(a ^ b) };
        case '<<': return { value: u32(a << (b & 31)) };
        case '>>': return { value: a >>> (b & 31) };
        case '==': return { value: a === b ? 1 : 0 };
        case '!=': return { value: a !== b ? 1 : 0 };
        case '<': return { value: a < b ? 1 : 0 };
        case '<=': return { value: a <= b ? 1 : 0 };
        case '>': return { value: a > b ? 1 : 0 };
        default: return { value: a >= b ? 1 : 0 };
      }
    }
  }
}

/** Parse and evaluate. */
export function evaluateText(src: string, env: EvalEnv): Value {
  return evaluate(parse(src), env);
}

/** `0x0000002a (42)`, with the signed value too when the top bit is set. */
export function formatValue(v: number): string {
  const u = v >>> 0;
  return u >= 0x80000000 ? `${hex8(u)} (${u}, ${u | 0})` : `${hex8(u)} (${u})`;
}

export { hex32 as hex8 } from '../../emulator/isa/hex';

/** Expand `{expr}` in a logpoint message. */
export function interpolate(message: string, env: EvalEnv): string {
  return message.replace(/\{([^{}]+)\}/g, (_, e: string) => {
    try {
      return hex8(evaluateText(e, env).value);
    } catch (err) {
      return `<${(err as Error).message}>`;
    }
  });
}
