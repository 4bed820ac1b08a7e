/**
 * The debugger's expressions, for watches, hovers, the Debug Console and breakpoint
 * conditions: registers, labels and `.equ` names, numbers and characters, `[addr]` (a word of
 * virtual memory through the current page tables), `byte [addr]`, `phys:addr` (a physical
 * address), the assembler's operators plus comparisons and `&& || !`. The language's parser
 * reads them (language/expr.ts, `parseDebugExpr`); this evaluates its tree against the machine.
 * Values are unsigned 32-bit. Parsed once, so a condition checked a million times is cheap.
 */
import { parseDebugExpr, truth, type Expr } from '../../language/expr';
import { t as tr } from '../../language/l10n';
import { hex32 as hex8 } from '../../emulator/isa/hex';

export class ExprError extends Error {
  /** 1-based column where the problem is, when it is in the text. */
  constructor(message: string, readonly column?: number) {
    super(column === undefined ? message : `${message} ${tr("(column {0})", column)}`);
  }
}

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

/** Longer text is refused before it is read: a watch or condition is a line, not a file. */
const MAX_LENGTH = 10_000;

/** Parse an expression with the language's parser (its debugger form); throws ExprError with the column of the problem. */
export function parse(src: string): Expr {
  if (!src.trim()) throw new ExprError(tr('empty expression'));
  if (src.length > MAX_LENGTH) throw new ExprError(tr('the expression is too long ({0} characters; at most {1})', src.length, MAX_LENGTH));
  const r = parseDebugExpr(src);
  if ('message' in r) throw new ExprError(r.message, r.column + 1);
  return r.expr;
}

const u32 = (v: number) => v >>> 0;

/**
 * Evaluate a parsed expression against the machine: names are registers first, then labels
 * and constants; values are unsigned; shifts take their count modulo 32, as the machine's do.
 */
export function evaluate(node: Expr, env: EvalEnv): Value {
  switch (node.kind) {
    case 'num':
      return { value: u32(node.value) };
    case 'sym': {
      const r = env.register(node.name);
      if (r !== undefined) return { value: u32(r) };
      const s = env.symbol(node.name);
      if (s !== undefined) return { value: u32(s) };
      throw new ExprError(tr("unknown name '{0}' (not a register, label or constant)", node.name), node.start + 1);
    }
    case 'phys':
      return { value: evaluate(node.addr, env).value, physical: true };
    case 'mem': {
      const addr = evaluate(node.addr, env);
      const physical = addr.physical === true;
      return { value: u32(env.read(addr.value, physical, node.size)), memory: { address: addr.value, physical, size: node.size } };
    }
    case 'unary': {
      const a = evaluate(node.arg, env).value;
      switch (node.op) {
        case '-': return { value: u32(-a) };
        case '~': return { value: u32(~a) };
        case '!': return { value: a === 0 ? 1 : 0 };
        default: return { value: a };
      }
    }
    case 'binary': {
      const a = evaluate(node.left, env).value;
      // Short-circuit: `p != 0 && [p] == 1` does not read memory at 0.
      if (node.op === '&&' && a === 0) return { value: 0 };
      if (node.op === '||' && a !== 0) return { value: 1 };
      const b = evaluate(node.right, env).value;
      switch (node.op) {
        case '+': return { value: u32(a + b) };
        case '-': return { value: u32(a - b) };
        case '*': return { value: u32(Math.imul(a, b)) };
        case '/':
        case '%':
          if (b === 0) throw new ExprError(tr('division by zero'), node.right.start + 1);
          return { value: u32(node.op === '/' ? Math.floor(a / b) : a % b) };
        case '&': return { value: u32(a & b) };
        case '|': return { value: u32(a | b) };
        case '^': return { value: u32(a ^ b) };
        case '<<': return { value: u32(a << (b & 31)) };
        case '>>': return { value: a >>> (b & 31) };
        default: return { value: truth(node.op, a, b) };
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
