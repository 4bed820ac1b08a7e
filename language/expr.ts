/**
 * Expressions: parsing from line tokens into an AST with column ranges, and
 * evaluation with 32-bit wrap-around. C precedence, lowest first:
 * `|`, `^`, `&`, `<< >>`, `+ -`, `* / %`, unary `- ~ +`.
 * `/`, `%` and `>>` are unsigned, like the machine's div, mod and shr: the
 * values an OS programmer divides and shifts are mostly addresses.
 *
 * The debugger's expressions (watches, hovers, conditions, the Debug Console) are the same
 * language with more (`parseDebugExpr`): `|| && == != < <= > >=` below `|`, unary `!`, and
 * memory: `[addr]` (a word), `byte [addr]`, `word [addr]`, `phys:addr` (a physical address,
 * taking a whole sum). The debug adapter evaluates those trees against the machine.
 */
import { LineDiagnostic, Token, lexLine } from './lexer';
import { t as tr } from './l10n';

export type Expr =
  | { kind: 'num'; value: number; line: number; start: number; end: number }
  | { kind: 'sym'; name: string; line: number; start: number; end: number }
  | { kind: 'unary'; op: '-' | '~' | '+' | '!'; arg: Expr; line: number; start: number; end: number }
  | { kind: 'binary'; op: BinaryOp; left: Expr; right: Expr; line: number; start: number; end: number }
  // The debugger's only (parseDebugExpr): memory at an address, and a physical address.
  | { kind: 'mem'; addr: Expr; size: 1 | 4; line: number; start: number; end: number }
  | { kind: 'phys'; addr: Expr; line: number; start: number; end: number };

export type BinaryOp = '|' | '^' | '&' | '<<' | '>>' | '+' | '-' | '*' | '/' | '%' | DebugOp;
/** Comparisons and truth values: the debugger's expressions only (the assembler's lexer never makes these tokens). */
type DebugOp = '||' | '&&' | '==' | '!=' | '<' | '<=' | '>' | '>=';

const PRECEDENCE: Record<string, number> = { '||': 1, '&&': 2, '==': 3, '!=': 3, '<': 3, '<=': 3, '>': 3, '>=': 3, '|': 4, '^': 5, '&': 6, '<<': 7, '>>': 7, '+': 8, '-': 8, '*': 9, '/': 9, '%': 9 };
/** `phys:` takes a sum: `phys:0x12000 + 4` is one physical address. */
const SUM = PRECEDENCE['+'];

/** Names an expression may not contain (registers): the parser reports them. */
export type NameCheck = (name: string) => string | undefined;

export interface ExprParse {
  expr?: Expr;
  /** Index of the first token not consumed. */
  next: number;
}

/**
 * Parse an expression from tokens[i..end). On error pushes a diagnostic and
 * returns no expression. `badName` returns a message for identifiers that are
 * not allowed in expressions (e.g. register names).
 */
export function parseExpr(tokens: Token[], i: number, end: number, diags: LineDiagnostic[], badName?: NameCheck, debug = false): ExprParse {
  const expr = parseExprAt(tokens, i, end, diags, badName, debug);
  return { expr, next: exprNext() };
}

/** parseExpr without a result object: the index after the expression is `exprNext()`. */
export function parseExprAt(tokens: Token[], i: number, end: number, diags: LineDiagnostic[], badName?: NameCheck, debug = false): Expr | undefined {
  const p = (shared ??= new ExprParser());
  p.tokens = tokens;
  p.end = end;
  p.diags = diags;
  p.badName = badName;
  p.debug = debug;
  p.i = i;
  p.depth = 0;
  p.ops = 0;
  const expr = p.binary(1);
  next = p.i;
  // Keep nothing of the line alive.
  p.tokens = NONE;
  p.diags = NO_DIAGS;
  return expr;
}

/** One parser for every expression (the line parser calls this for each operand: no parser object per call). */
let shared: ExprParser | undefined;
let next = 0;
/** The index of the first token the last parseExprAt did not consume. */
export function exprNext(): number {
  return next;
}

const NONE: Token[] = [];
const NO_DIAGS: LineDiagnostic[] = [];

class ExprParser {
  i = 0;
  depth = 0;
  ops = 0;
  tokens = NONE;
  end = 0;
  diags = NO_DIAGS;
  badName: NameCheck | undefined = undefined;
  /** The debugger's expressions: `!`, memory and `phys:` (see the header). */
  debug = false;

  private err(start: number, end: number, message: string, code = 'bad-expression'): undefined {
    this.diags.push({ start, end, severity: 'error', message, code });
    return undefined;
  }

  binary(minPrec: number): Expr | undefined {
    let left = this.unary();
    if (!left) return undefined;
    for (;;) {
      const t = this.i < this.end ? this.tokens[this.i] : undefined;
      const prec = t && t.kind === 'punct' ? PRECEDENCE[t.text] : undefined;
      if (prec === undefined || prec < minPrec) return left;
      this.i++;
      // Evaluation recurses over the tree: keep it shallow enough for the stack.
      if (++this.ops > 2000) return this.err(t!.start, t!.end, tr('expression too long (more than 2000 operators)'));
      const right = this.binary(prec + 1);
      if (!right) return undefined;
      left = { kind: 'binary', op: t!.text as BinaryOp, left, right, line: t!.line, start: left.start, end: right.end };
    }
  }

  unary(): Expr | undefined {
    const t = this.i < this.end ? this.tokens[this.i] : undefined;
    if (!t) {
      const last = this.tokens[this.i - 1];
      const col = last ? last.end : 0;
      return this.err(col, col, tr('expected an expression'), 'expected-expression');
    }
    if (t.kind === 'punct' && (t.text === '-' || t.text === '~' || t.text === '+' || t.text === '!')) {
      this.i++;
      // Deep chains of unary operators are legal but must not overflow the stack.
      if (++this.depth > 500) return this.err(t.start, t.end, tr('expression nested too deeply'));
      const arg = this.unary();
      this.depth--;
      if (!arg) return undefined;
      return { kind: 'unary', op: t.text as '-' | '~' | '+' | '!', arg, line: t.line, start: t.start, end: arg.end };
    }
    if (this.debug) {
      const m = this.memory(t);
      if (m !== null) return m;
    }
    this.i++;
    switch (t.kind) {
      case 'number':
      case 'char':
        return { kind: 'num', value: t.value! >>> 0, line: t.line, start: t.start, end: t.end };
      case 'ident': {
        const bad = this.badName?.(t.text);
        if (bad) return this.err(t.start, t.end, bad, 'register-in-expression');
        return { kind: 'sym', name: t.text, line: t.line, start: t.start, end: t.end };
      }
      case 'punct':
        if (t.text === '(') {
          if (++this.depth > 500) return this.err(t.start, t.end, tr('expression nested too deeply'));
          const inner = this.binary(1);
          this.depth--;
          if (!inner) return undefined;
          const close = this.i < this.end ? this.tokens[this.i] : undefined;
          if (!close || close.kind !== 'punct' || close.text !== ')') {
            return this.err(t.start, t.end, "unbalanced '(': missing ')'", 'unbalanced-paren');
          }
          this.i++;
          return { ...inner, start: t.start, end: close.end };
        }
        return this.err(t.start, t.end, tr("expected an expression, found '{0}'", t.text), 'expected-expression');
      case 'string':
        return this.err(t.start, t.end, tr('a string is not allowed in an expression (use a character literal)'));
      default:
        // error tokens were already reported by the lexer
        return undefined;
    }
  }

  /** The debugger's forms at `t`: `[e]`, `byte [e]`, `word [e]`, `phys:e`; null when `t` starts none of them. */
  private memory(t: Token): Expr | undefined | null {
    const next = this.i + 1 < this.end ? this.tokens[this.i + 1] : undefined;
    const punct = (x: Token | undefined, text: string) => x?.kind === 'punct' && x.text === text;
    const word = t.kind === 'ident' ? t.text.toLowerCase() : '';
    let size: 1 | 4 = 4;
    if (punct(t, '[')) this.i++;
    else if ((word === 'byte' || word === 'word') && punct(next, '[')) {
      size = word === 'byte' ? 1 : 4;
      this.i += 2;
    } else if (word === 'phys' && punct(next, ':')) {
      this.i += 2;
      if (++this.depth > 500) return this.err(t.start, t.end, tr('expression nested too deeply'));
      const addr = this.binary(SUM);
      this.depth--;
      return addr && { kind: 'phys', addr, line: t.line, start: t.start, end: addr.end };
    } else return null;
    if (++this.depth > 500) return this.err(t.start, t.end, tr('expression nested too deeply'));
    const addr = this.binary(1);
    this.depth--;
    if (!addr) return undefined;
    const close = this.i < this.end ? this.tokens[this.i] : undefined;
    if (!punct(close, ']')) return this.err(t.start, t.end, tr("unbalanced '[': missing ']'"), 'unbalanced-bracket');
    this.i++;
    return { kind: 'mem', addr, size, line: t.line, start: t.start, end: close!.end };
  }
}

/** A debugger expression (see the header), parsed whole, or the first problem with its 0-based column. */
export function parseDebugExpr(text: string): { expr: Expr } | { message: string; column: number } {
  const { tokens, diagnostics } = lexLine(text, 0, true);
  if (diagnostics.length) return { message: diagnostics[0].message, column: diagnostics[0].start };
  const diags: LineDiagnostic[] = [];
  const { expr, next } = parseExpr(tokens, 0, tokens.length, diags, undefined, true);
  if (!expr) {
    const d = diags[0];
    // Ran out of tokens (an empty range after the last one): the text ends too early.
    if (!d || (d.code === 'expected-expression' && d.start === d.end)) return { message: tr('expression ends too early'), column: text.length };
    return { message: d.message, column: d.start };
  }
  const rest = tokens[next];
  if (rest) return { message: tr("unexpected '{0}' after the expression", rest.text[0] === ';' ? ';' : rest.text), column: rest.start };
  return { expr };
}

/** Result of evaluating a symbol: its value, or undefined when it has none (yet). */
export type Resolver = (name: string, node: Expr & { kind: 'sym' }) => number | undefined;

export interface EvalProblem {
  line: number;
  start: number;
  end: number;
  message: string;
  code: 'undefined-symbol' | 'division-by-zero';
  name?: string;
}

/**
 * Evaluate to a 32-bit value (returned as a signed int32), or undefined when a
 * symbol is unresolved or a division by zero occurs; problems are collected.
 */
export function evaluate(e: Expr, resolve: Resolver, problems: EvalProblem[]): number | undefined {
  switch (e.kind) {
    case 'num':
      return e.value | 0;
    case 'sym': {
      const v = resolve(e.name, e);
      if (v === undefined) problems.push({ line: e.line, start: e.start, end: e.end, message: tr("undefined symbol '{0}'", e.name), code: 'undefined-symbol', name: e.name });
      return v === undefined ? undefined : v | 0;
    }
    case 'unary': {
      const a = evaluate(e.arg, resolve, problems);
      if (a === undefined) return undefined;
      return e.op === '-' ? -a | 0 : e.op === '~' ? ~a : e.op === '!' ? +(a === 0) : a;
    }
    case 'binary': {
      const a = evaluate(e.left, resolve, problems);
      const b = evaluate(e.right, resolve, problems);
      if (a === undefined || b === undefined) return undefined;
      switch (e.op) {
        case '|': return a | b;
        case '^': return a ^ b;
        case '&': return a & b;
        case '<<': return (b >>> 0) >= 32 ? 0 : a << b;
        case '>>': return (b >>> 0) >= 32 ? 0 : (a >>> b) | 0;
        case '+': return (a + b) | 0;
        case '-': return (a - b) | 0;
        case '*': return Math.imul(a, b);
        case '/':
        case '%':
          if (b === 0) {
            problems.push({ line: e.right.line, start: e.right.start, end: e.right.end, message: tr('division by zero'), code: 'division-by-zero' });
            return undefined;
          }
          return e.op === '/' ? Math.floor((a >>> 0) / (b >>> 0)) | 0 : ((a >>> 0) % (b >>> 0)) | 0;
        default:
          return truth(e.op, a >>> 0, b >>> 0);
      }
    }
    case 'mem':
    case 'phys':
      // The debugger's only: the assembler's parse never makes them, and memory has no value here.
      return undefined;
  }
}

/** A comparison or a truth operator on unsigned values: 1 or 0. */
export function truth(op: DebugOp, a: number, b: number): number {
  switch (op) {
    case '||': return +(a !== 0 || b !== 0);
    case '&&': return +(a !== 0 && b !== 0);
    case '==': return +(a === b);
    case '!=': return +(a !== b);
    case '<': return +(a < b);
    case '<=': return +(a <= b);
    case '>': return +(a > b);
    case '>=': return +(a >= b);
  }
}

/** Names of the symbols an expression refers to (for dependency checks and the language server). */
export function symbolsOf(e: Expr, out: (Expr & { kind: 'sym' })[] = []): (Expr & { kind: 'sym' })[] {
  if (e.kind === 'sym') out.push(e);
  else if (e.kind === 'unary') symbolsOf(e.arg, out);
  else if (e.kind === 'mem' || e.kind === 'phys') symbolsOf(e.addr, out);
  else if (e.kind === 'binary') {
    symbolsOf(e.left, out);
    symbolsOf(e.right, out);
  }
  return out;
}
