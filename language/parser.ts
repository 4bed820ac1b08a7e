/**
 * Line parser: one source line → labels, at most one instruction or
 * directive, and a comment. Lines are independent of each other (local
 * labels are resolved later, by the assembler), so an editor can re-parse
 * only the lines that changed. Never throws.
 */
import { registerNumber, sysRegByName, vmcsFieldByName } from '../emulator/isa/registers';
import { Expr, exprNext, parseExprAt } from './expr';
import { clip, lexInto, LineDiagnostic, Token } from './lexer';
import { t as tr } from './l10n';

/** Column range on one line (0-based, end exclusive). */
export interface Span {
  line: number;
  start: number;
  end: number;
}

export interface LabelNode extends Span {
  /** As written, without the colon: `loop` or `.loop`. */
  name: string;
  /** Starts with `.`: local to the nearest preceding global label. */
  local: boolean;
}

export type OperandNode =
  | (Span & { kind: 'reg'; reg: number })
  /** `text` is the name as written: a label may share a system register's or field's name. */
  | (Span & { kind: 'sreg'; id: number; name: string; text: string })
  | (Span & { kind: 'field'; id: number; name: string; text: string })
  | (Span & { kind: 'expr'; expr: Expr })
  /** `[reg]` (no disp), `[reg ± expr]` (disp; `-` is folded in as a unary minus), `[expr]` (no base). */
  | (Span & { kind: 'mem'; base?: number; baseSpan?: Span; disp?: Expr })
  | (Span & { kind: 'string'; bytes: number[] })
  /** An operand that did not parse (already reported). */
  | (Span & { kind: 'bad' });

export interface InstructionNode extends Span {
  kind: 'instruction';
  /** Lower-cased mnemonic as written (may be an alias or unknown). */
  mnemonic: string;
  /** Range of the mnemonic itself. */
  nameSpan: Span;
  operands: OperandNode[];
}

export interface DirectiveNode extends Span {
  kind: 'directive';
  /** Lower-cased, with the dot: `.org`. */
  name: string;
  nameSpan: Span;
  args: OperandNode[];
}

export type StatementNode = InstructionNode | DirectiveNode;

export interface ParsedLine {
  line: number;
  labels: LabelNode[];
  statement?: StatementNode;
  comment?: Span;
  diagnostics: LineDiagnostic[];
}

/** At most this many diagnostics per line: garbage input must not flood the editor. */
const MAX_LINE_DIAGNOSTICS = 20;

const registerInExpr = (name: string) =>
  registerNumber(name) !== undefined ? `register '${name}' cannot be used in an expression` : undefined;

/** Longer lines are refused: nothing legitimate is this long, and lexing megabytes per keystroke would stall an editor. */
export const MAX_LINE_LENGTH = 100_000;

/** The tokens of the line being parsed (reused line after line: no parse keeps a token). */
const pool: Token[] = [];
/** Shared by every line without labels or operands (nothing adds to a parse's lists once it is made). */
const NO_LABELS: LabelNode[] = [];
const NO_OPERANDS: OperandNode[] = [];
const NO_DIAGNOSTICS: LineDiagnostic[] = [];
/** The operands of the statement being parsed, copied out at their exact length (a list grown by push keeps room for 17). */
const scratch: OperandNode[] = [];
/** The token after the operand parseOperand / parseMemory just returned (no result object per operand). */
let after = 0;

/** Parse one line. Its tokens are not kept (`lexLine` makes them again for whoever needs them). */
export function parseLine(text: string, line = 0): ParsedLine {
  if (text.length > MAX_LINE_LENGTH) {
    const diagnostics: LineDiagnostic[] = [
      { start: 0, end: text.length, severity: 'error', message: tr('line is too long ({0} characters; at most {1})', text.length, MAX_LINE_LENGTH), code: 'line-too-long' },
    ];
    return { line, labels: [], comment: undefined, statement: undefined, diagnostics };
  }
  const diagnostics: LineDiagnostic[] = [];
  const tokens = pool;
  let end = lexInto(text, line, tokens, diagnostics);
  // One shape for every result (fields in one order).
  const result: ParsedLine = { line, labels: NO_LABELS, comment: undefined, statement: undefined, diagnostics };
  if (end > 0 && tokens[end - 1].kind === 'comment') {
    const c = tokens[end - 1];
    result.comment = { line, start: c.start, end: c.end };
    end--;
  }
  try {
    parseStatement(tokens, end, result);
  } catch (e) {
    // Defensive: a parser bug must not take the language server down.
    diagnostics.push({ start: 0, end: text.length, severity: 'error', message: `internal parser error: ${String(e)}`, code: 'internal' });
  }
  if (diagnostics.length > MAX_LINE_DIAGNOSTICS) diagnostics.length = MAX_LINE_DIAGNOSTICS;
  // Most lines have no problem: they share one empty list (whoever adds to a parse's list replaces an empty one).
  if (diagnostics.length === 0) result.diagnostics = NO_DIAGNOSTICS;
  return result;
}

function parseStatement(tokens: Token[], end: number, out: ParsedLine): void {
  const diags = out.diagnostics;
  const line = out.line;
  let i = 0;
  while (i + 1 < end && tokens[i].kind === 'ident' && tokens[i + 1].kind === 'punct' && tokens[i + 1].text === ':') {
    const t = tokens[i];
    if (t.text === '.' || t.text.includes('..')) {
      diags.push({ start: t.start, end: t.end, severity: 'error', message: tr("bad label name '{0}'", clip(t.text)), code: 'bad-label' });
    } else if (registerNumber(t.text) !== undefined) {
      diags.push({ start: t.start, end: t.end, severity: 'error', message: tr("'{0}' is a register name and cannot be a label", t.text), code: 'bad-label' });
    } else {
      const label: LabelNode = { line, start: t.start, end: t.end, name: t.text, local: t.text.startsWith('.') };
      // Most lines have no label: they share one empty list (never pushed to).
      if (out.labels === NO_LABELS) out.labels = [label];
      else out.labels.push(label);
    }
    i += 2;
  }
  if (i >= end) return;
  const head = tokens[i];
  if (head.kind !== 'ident') {
    if (head.kind !== 'error') {
      diags.push({ start: head.start, end: head.end, severity: 'error', message: tr("expected a label, an instruction or a directive, found '{0}'", clip(head.text)), code: 'syntax' });
    }
    return;
  }
  const nameSpan: Span = { line, start: head.start, end: head.end };
  const operands = parseOperands(tokens, i + 1, end, diags, line);
  const stmtEnd = end > i + 1 ? tokens[end - 1].end : head.end;
  if (head.text.startsWith('.')) {
    out.statement = { kind: 'directive', name: head.text.toLowerCase(), nameSpan, args: operands, line, start: head.start, end: stmtEnd };
  } else {
    out.statement = { kind: 'instruction', mnemonic: head.text.toLowerCase(), nameSpan, operands, line, start: head.start, end: stmtEnd };
  }
}

function isPunct(t: Token | undefined, p: string): boolean {
  return t !== undefined && t.kind === 'punct' && t.text === p;
}

/** Comma-separated operands in tokens[i..end). */
function parseOperands(tokens: Token[], i: number, end: number, diags: LineDiagnostic[], line: number): OperandNode[] {
  if (i >= end) return NO_OPERANDS;
  const ops = scratch;
  let n = 0;
  for (;;) {
    const before = diags.length;
    const op = parseOperand(tokens, i, end, diags, line);
    ops[n++] = op;
    let j = after;
    if (j < end && !isPunct(tokens[j], ',')) {
      if (diags.length === before) {
        const t = tokens[j];
        diags.push({ start: t.start, end: t.end, severity: 'error', message: tr("expected ',' or end of line, found '{0}'", clip(t.text)), code: 'syntax' });
      }
      // Recover at the next top-level comma.
      let depth = 0;
      while (j < end) {
        const t = tokens[j];
        if (t.kind === 'punct') {
          if (t.text === '[' || t.text === '(') depth++;
          else if (t.text === ']' || t.text === ')') depth--;
          else if (t.text === ',' && depth <= 0) break;
        }
        j++;
      }
      if (op.kind !== 'bad') ops[n - 1] = { kind: 'bad', line, start: op.start, end: tokens[j - 1].end };
    }
    if (j >= end) return ops.slice(0, n);
    // tokens[j] is a comma
    if (j + 1 >= end) {
      const t = tokens[j];
      diags.push({ start: t.start, end: t.end, severity: 'error', message: tr("expected an operand after ','"), code: 'expected-operand' });
      return ops.slice(0, n);
    }
    i = j + 1;
  }
}

/** `op`, and the token after it (in `after`). */
function took(op: OperandNode, next: number): OperandNode {
  after = next;
  return op;
}

function bad(line: number, start: number, end: number): OperandNode {
  return { kind: 'bad', line, start, end };
}

function parseOperand(tokens: Token[], i: number, end: number, diags: LineDiagnostic[], line: number): OperandNode {
  const t = tokens[i];
  if (isPunct(t, ',')) {
    diags.push({ start: t.start, end: t.end, severity: 'error', message: tr("expected an operand before ','"), code: 'expected-operand' });
    return took(bad(line, t.start, t.start), i);
  }
  if (t.kind === 'error') return took(bad(line, t.start, t.end), i + 1);
  if (t.kind === 'string') return took({ kind: 'string', bytes: t.bytes!, line, start: t.start, end: t.end }, i + 1);
  if (isPunct(t, '[')) return parseMemory(tokens, i, end, diags, line);
  if (t.kind === 'ident') {
    const r = registerNumber(t.text);
    const u = tokens[i + 1];
    // A register followed by an operator is a (wrong) expression: say so there. Otherwise
    // it is the operand, and whatever follows is reported as a missing comma.
    if (r !== undefined && !(i + 1 < end && u.kind === 'punct' && u.text !== ',' && u.text !== ':')) {
      return took({ kind: 'reg', reg: r, line, start: t.start, end: t.end }, i + 1);
    }
  }
  if (t.kind === 'ident' && (i + 1 >= end || isPunct(tokens[i + 1], ','))) {
    const s = sysRegByName(t.text);
    if (s) return took({ kind: 'sreg', id: s.id, name: s.name, text: t.text, line, start: t.start, end: t.end }, i + 1);
    const f = vmcsFieldByName(t.text);
    if (f) return took({ kind: 'field', id: f.id, name: f.name, text: t.text, line, start: t.start, end: t.end }, i + 1);
  }
  const expr = parseExprAt(tokens, i, end, diags, registerInExpr);
  const next = exprNext();
  if (!expr) return took(bad(line, t.start, tokens[Math.max(i, Math.min(next, end) - 1)].end), Math.max(next, i + 1));
  return took({ kind: 'expr', expr, line, start: expr.start, end: expr.end }, next);
}

function parseMemory(tokens: Token[], i: number, end: number, diags: LineDiagnostic[], line: number): OperandNode {
  const open = tokens[i];
  let close = i + 1;
  while (close < end && !isPunct(tokens[close], ']')) close++;
  if (close >= end) {
    diags.push({ start: open.start, end: open.end, severity: 'error', message: tr("unbalanced '[': missing ']'"), code: 'unbalanced-bracket' });
    return took(bad(line, open.start, tokens[end - 1].end), end);
  }
  const span = { line, start: open.start, end: tokens[close].end };
  const fail = (t: Token, message: string) => memoryError(diags, t, message, line, span.start, span.end, close + 1);
  if (close === i + 1) return fail(tokens[close], tr('empty memory operand: use [reg], [reg + disp] or [addr]'));
  const first = tokens[i + 1];
  const base = first.kind === 'ident' ? registerNumber(first.text) : undefined;
  if (base !== undefined) {
    const baseSpan = { line, start: first.start, end: first.end };
    if (close === i + 2) return took({ kind: 'mem', base, baseSpan, line, start: span.start, end: span.end }, close + 1);
    const sign = tokens[i + 2];
    if (!isPunct(sign, '+') && !isPunct(sign, '-')) return fail(sign, tr("expected '+', '-' or ']' after the base register, found '{0}'", clip(sign.text)));
    if (i + 3 >= close) return fail(sign, tr("expected a displacement after '{0}'", sign.text));
    const before = diags.length;
    // `[reg - a + b]` is reg + (-a + b), as arithmetic reads it: the '-' starts the displacement
    // (a unary minus on its first term), it does not negate the whole rest.
    const disp = parseExprAt(tokens, sign.text === '-' ? i + 2 : i + 3, close, diags, registerInExpr);
    const next = exprNext();
    if (!disp) return took(bad(line, span.start, span.end), close + 1);
    if (next < close) return diags.length > before ? took(bad(line, span.start, span.end), close + 1) : fail(tokens[next], tr("unexpected '{0}' in memory operand", clip(tokens[next].text)));
    return took({ kind: 'mem', base, baseSpan, disp, line, start: span.start, end: span.end }, close + 1);
  }
  const before = diags.length;
  const expr = parseExprAt(tokens, i + 1, close, diags, registerInExpr);
  const next = exprNext();
  if (!expr) return took(bad(line, span.start, span.end), close + 1);
  if (next < close) return diags.length > before ? took(bad(line, span.start, span.end), close + 1) : fail(tokens[next], tr("unexpected '{0}' in memory operand (a base register goes first: [reg + disp])", clip(tokens[next].text)));
  return took({ kind: 'mem', disp: expr, line, start: span.start, end: span.end }, close + 1);
}

function memoryError(diags: LineDiagnostic[], t: Token, message: string, line: number, start: number, end: number, next: number): OperandNode {
  diags.push({ start: t.start, end: t.end, severity: 'error', message, code: 'bad-memory-operand' });
  return took(bad(line, start, end), next);
}
