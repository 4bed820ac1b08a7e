/**
 * What one line means on its own: the parser's result plus the instruction
 * checks that need nothing but the line (mnemonic, operand form, `wrsr
 * status`). The assembler makes one per line it reads; the language service
 * caches one per line of a document (service/document.ts) and re-makes only
 * the lines an edit touches. Both then run the same passes over them
 * (layout.ts, operands.ts). A class with fixed fields, so that a pass over
 * 10,000 lines sees one object shape (the parser's nodes come in many).
 */
import { allMnemonics, Form, InstructionDef, instructionByName, OperandKind } from '../emulator/isa/table';
import { SysReg } from '../emulator/isa/registers';
import { asExpr } from './directives';
import type { Expr } from './expr';
import { chooseForm, didYouMean, suggest } from './forms';
import { clip, lexLine, Token } from './lexer';
import { LabelNode, parseLine, Span, StatementNode } from './parser';
import { t } from './l10n';
import { x86Operands, x86Unknown } from './x86';

export type Severity = 'error' | 'warning' | 'info';

/** A diagnostic on one line (columns only; the line is where the LineInfo sits). */
export interface LineDiag {
  start: number;
  end: number;
  severity: Severity;
  message: string;
  code: string;
  /** For code actions, e.g. the did-you-mean candidates. */
  data?: unknown;
}

export const enum Check {
  None = 0,
  Port = 1,
  Vector = 2,
  Byte = 3,
}

/**
 * One value pass 2 takes from a line (operands.ts): an instruction operand in its form's
 * order (a register or system register is fixed, an expression is evaluated with the range
 * rule its slot has), or a `.word`/`.byte` value. Made once per line, one object shape.
 */
export class ValueSlot {
  /** The expression is a lone symbol or a number (the common cases: evaluated without the tree walk). */
  readonly sym: string | null;
  readonly isNum: boolean;
  readonly num: number;
  constructor(
    /** The form's operand kind ('imm' for data). */
    readonly kind: OperandKind,
    /** Register number (a register, a memory operand's base) or system register / field id. */
    readonly reg: number,
    /** What to evaluate into the slot's immediate; null: nothing (fixed operands, `[reg]`). */
    readonly expr: Expr | null,
    readonly check: Check,
    /** The operand's columns, for range errors. */
    readonly start: number,
    readonly end: number,
  ) {
    this.sym = expr !== null && expr.kind === 'sym' ? expr.name : null;
    this.isNum = expr !== null && expr.kind === 'num';
    this.num = expr !== null && expr.kind === 'num' ? expr.value | 0 : 0;
  }
}

const NO_SLOTS: ValueSlot[] = [];

export const enum Kind {
  None = 0,
  Instruction = 1,
  Directive = 2,
}

const MNEMONICS = allMnemonics();

export class LineInfo {
  readonly labels: LabelNode[];
  /** Where the comment starts (it runs to the end of the line), -1 for none. */
  readonly commentAt: number;
  readonly kind: Kind;
  /**
   * A directive's statement (the layout pass reads it on every pass); an instruction's is
   * dropped once the line is checked and parsed again if asked for (hover, navigation...):
   * the passes need only the facts below, and a cached line then keeps a third less.
   */
  private statement: StatementNode | undefined;
  /** The tokens, once asked for (see `tokens`). */
  private lexed: Token[] | undefined = undefined;
  /** Lower-cased directive name, '' otherwise. */
  readonly directive: string;
  /** Known instruction on this line (it occupies memory even when its operands are wrong). */
  readonly def: InstructionDef | undefined;
  /** The chosen form, or the best guess when none fits (so that later addresses stay sensible). */
  readonly form: Form | undefined;
  readonly formOk: boolean;
  /** The line's own problems: the parser's first, then the instruction checks. */
  readonly local: LineDiag[];
  readonly parseDiagCount: number;
  /** `.word`/`.byte` whose arguments are all values: how many (their size needs nothing else); else 0. */
  readonly dataCount: number;
  /** What pass 2 takes from the line: an instruction with a fitting form, or `.word`/`.byte` of values; else none. */
  readonly slots: ValueSlot[];
  /** Pass 2 can find a problem here that depends on label values (a range-checked operand, a computed expression). */
  readonly valueChecks: boolean;
  /** Some slot has an expression to evaluate (else pass 2 can report nothing here: `add r1, r2`). */
  readonly evaluates: boolean;

  constructor(readonly text: string) {
    const parsed = parseLine(text, 0);
    this.labels = parsed.labels;
    this.commentAt = parsed.comment ? parsed.comment.start : -1;
    // The parse's own list (nothing else reads it): the instruction checks add to it.
    this.local = parsed.diagnostics;
    this.parseDiagCount = this.local.length;
    const s = parsed.statement;
    this.kind = !s ? Kind.None : s.kind === 'instruction' ? Kind.Instruction : Kind.Directive;
    this.statement = this.kind === Kind.Directive ? s : undefined;
    this.directive = s && s.kind === 'directive' ? s.name : '';
    this.def = undefined;
    this.form = undefined;
    this.formOk = false;
    this.dataCount = 0;
    this.valueChecks = false;
    this.evaluates = false;
    this.slots = NO_SLOTS;
    if (s && s.kind === 'directive' && (s.name === '.word' || s.name === '.byte') && s.args.length) {
      const check = s.name === '.byte' ? Check.Byte : Check.None;
      const slots: ValueSlot[] = new Array(s.args.length);
      for (let i = 0; i < slots.length; i++) {
        const a = s.args[i];
        const e = a.kind === 'bad' ? undefined : asExpr(a);
        if (!e) return;
        slots[i] = new ValueSlot('imm', 0, e, check, a.start, a.end);
      }
      this.dataCount = s.args.length;
      this.slots = slots;
      this.valueChecks = slots.some(checked);
      this.evaluates = true;
      return;
    }
    if (!s || s.kind !== 'instruction') return;
    const def = instructionByName(s.mnemonic);
    if (!def) {
      // An x86 instruction R32 writes otherwise says what R32 writes; any other, the nearest mnemonics.
      const x86 = x86Unknown(s.mnemonic);
      const did = x86 ? [] : suggest(s.mnemonic, MNEMONICS);
      const message = x86 ? x86.message : t("unknown instruction '{0}'", clip(s.mnemonic)) + didYouMean(did);
      this.local = withDiag(this.local, { start: s.nameSpan.start, end: s.nameSpan.end, severity: 'error', message, code: 'unknown-mnemonic', data: x86?.data ?? { suggestions: did } });
      return;
    }
    this.def = def;
    const choice = chooseForm(def, s.operands);
    this.form = choice.form;
    this.formOk = choice.ok;
    const ops = s.operands;
    if (!choice.ok && choice.message) {
      const span = choice.operand !== undefined ? ops[choice.operand] : ops.length ? { start: ops[0].start, end: ops[ops.length - 1].end } : s.nameSpan;
      const x86 = x86Operands(def, choice, ops);
      // For the quick fixes: the rewrite, the names to put instead, or both operands' columns to swap them.
      const data = x86?.data ?? (choice.suggestions ? { suggestions: choice.suggestions } : choice.swap ? { swap: [ops[0].start, ops[0].end, ops[1].start, ops[1].end] } : undefined);
      const message = choice.message + (x86?.more ?? '');
      this.local = withDiag(this.local, { start: span.start, end: span.end, severity: 'error', message, code: choice.code!, ...(data && { data }) });
    }
    if (!choice.ok) return;
    if (def.mnemonic === 'wrsr') {
      const sr = ops[0];
      if (sr.kind === 'sreg' && sr.id === SysReg.STATUS) {
        this.local = withDiag(this.local, { start: sr.start, end: sr.end, severity: 'error', message: t('status cannot be written whole; use popf or iret'), code: 'status-not-writable' });
      }
    }
    // The operands in the form's order, as the encoder takes them.
    const kinds = choice.form.operands;
    if (kinds.length === 0) return;
    // Exactly as long as it needs to be (a list grown by push keeps room for 17).
    const slots: ValueSlot[] = new Array(kinds.length);
    for (let i = 0; i < kinds.length; i++) {
      const kind = kinds[i];
      const op = ops[i];
      if (op.kind === 'reg') slots[i] = fixedSlot(kind, op.reg);
      else if (op.kind === 'mem') slots[i] = op.disp === undefined ? fixedSlot(kind, op.base ?? 0) : new ValueSlot(kind, op.base ?? 0, op.disp, Check.None, op.start, op.end);
      else if ((op.kind === 'sreg' || op.kind === 'field') && (kind === 'sreg' || kind === 'field')) slots[i] = new ValueSlot(kind, 0, { kind: 'num', value: op.id, line: 0, start: op.start, end: op.end }, Check.None, op.start, op.end);
      else slots[i] = new ValueSlot(kind, 0, asExpr(op)!, kind === 'port' ? Check.Port : kind === 'vector' ? Check.Vector : Check.None, op.start, op.end);
    }
    this.slots = slots;
    this.valueChecks = slots.some(checked);
    this.evaluates = slots.some((x) => x.expr !== null);
  }

  /** The statement on the line (see `statement`). */
  get stmt(): StatementNode | undefined {
    if (this.kind === Kind.None) return undefined;
    return (this.statement ??= parseLine(this.text, 0).statement);
  }

  /** The comment's columns, when the line has one. */
  get comment(): Span | undefined {
    return this.commentAt < 0 ? undefined : { line: 0, start: this.commentAt, end: this.text.length };
  }

  /**
   * The line's tokens, lexed again the first time a feature asks (semantic highlighting, inlay
   * hints...) and kept from then on: the passes never need them, and they were most of a parse's memory.
   */
  get tokens(): Token[] {
    return (this.lexed ??= lexLine(this.text).tokens);
  }
}

/** `list` with `d` added: a new list when it is empty (lines without problems share one empty list). */
function withDiag(list: LineDiag[], d: LineDiag): LineDiag[] {
  if (list.length === 0) return [d];
  list.push(d);
  return list;
}

/**
 * The slot of a register operand (or a memory operand without a displacement): nothing to
 * evaluate, so its columns are never reported and one object serves every line.
 */
const fixedSlots = new Map<string, ValueSlot>();
function fixedSlot(kind: OperandKind, reg: number): ValueSlot {
  const key = kind + reg;
  let slot = fixedSlots.get(key);
  if (slot === undefined) fixedSlots.set(key, (slot = new ValueSlot(kind, reg, null, Check.None, 0, 0)));
  return slot;
}

/** A value that can become wrong when labels move: range-checked or computed (a lone label's value is always fine). */
const checked = (s: ValueSlot) => s.expr !== null && !s.isNum && (s.sym === null || s.check !== Check.None);
