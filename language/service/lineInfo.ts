/**
 * What one line means on its own: the shared parser's result plus the
 * instruction checks that need nothing but the line (mnemonic, operand
 * forms). Cached per line by SourceDocument; the unit pass (unit.ts) adds
 * everything that depends on other lines. LineInfo and EvalSlot are classes
 * with fixed fields so that the per-keystroke unit pass over 10,000 lines
 * sees one object shape (the parser's nodes come in many).
 */
import { allMnemonics, Form, InstructionDef, instructionByName } from '../../emulator/isa/table';
import { SysReg } from '../../emulator/isa/registers';
import { asExpr } from '../directives';
import type { Expr } from '../expr';
import { chooseForm, suggest } from '../forms';
import { clip } from '../lexer';
import { LabelNode, parseLine, ParsedLine, StatementNode } from '../parser';
import { t } from '../l10n';

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

export const enum Kind {
  None = 0,
  Instruction = 1,
  Directive = 2,
}

/** One value pass 2 evaluates: an operand expression, with the range check the encoder applies. */
export class EvalSlot {
  /** The expression is a lone symbol (the common case: evaluated without the tree walk). */
  readonly sym: string | null;
  readonly isNum: boolean;
  readonly num: number;
  constructor(
    readonly expr: Expr,
    readonly check: Check,
    /** The operand's range, for range errors. */
    readonly start: number,
    readonly end: number,
  ) {
    this.sym = expr.kind === 'sym' ? expr.name : null;
    this.isNum = expr.kind === 'num';
    this.num = expr.kind === 'num' ? expr.value | 0 : 0;
  }
}

const NO_SLOTS: EvalSlot[] = [];
const MNEMONICS = allMnemonics();

export class LineInfo {
  readonly parsed: ParsedLine;
  readonly labels: LabelNode[];
  readonly kind: Kind;
  readonly stmt: StatementNode | undefined;
  /** Lower-cased directive name, '' otherwise. */
  readonly directive: string;
  /** Known instruction on this line (it occupies memory even when its operands are wrong). */
  readonly def: InstructionDef | undefined;
  /** The chosen form, or the assembler's best guess when none fits. */
  readonly form: Form | undefined;
  readonly formOk: boolean;
  /** The line's own problems, as the assembler reports them: the parser's first, then the instruction checks. */
  readonly local: LineDiag[];
  readonly parseDiagCount: number;
  /** What pass 2 evaluates (instructions with a fitting form; `.word`/`.byte` whose arguments are all values). */
  readonly slots: EvalSlot[];

  constructor(readonly text: string) {
    const parsed = (this.parsed = parseLine(text, 0));
    this.labels = parsed.labels;
    const local: LineDiag[] = (this.local = parsed.diagnostics.slice());
    this.parseDiagCount = local.length;
    const s = (this.stmt = parsed.statement);
    this.kind = !s ? Kind.None : s.kind === 'instruction' ? Kind.Instruction : Kind.Directive;
    this.directive = s && s.kind === 'directive' ? s.name : '';
    this.def = undefined;
    this.form = undefined;
    this.formOk = false;
    this.slots = NO_SLOTS;
    if (s && s.kind === 'directive' && (s.name === '.word' || s.name === '.byte') && s.args.length) {
      const slots: EvalSlot[] = [];
      for (const a of s.args) {
        const e = a.kind === 'bad' ? undefined : asExpr(a);
        if (!e) return;
        slots.push(new EvalSlot(e, s.name === '.byte' ? Check.Byte : Check.None, a.start, a.end));
      }
      this.slots = slots;
      return;
    }
    if (!s || s.kind !== 'instruction') return;
    const def = instructionByName(s.mnemonic);
    if (!def) {
      const did = suggest(s.mnemonic, MNEMONICS);
      const hint = did.length ? t('; did you mean {0}?', did.map((d) => `'${d}'`).join(t(' or '))) : '';
      local.push({ start: s.nameSpan.start, end: s.nameSpan.end, severity: 'error', message: t("unknown instruction '{0}'", clip(s.mnemonic)) + hint, code: 'unknown-mnemonic', data: { suggestions: did } });
      return;
    }
    this.def = def;
    const choice = chooseForm(def, s.operands);
    this.form = choice.form;
    this.formOk = choice.ok;
    const ops = s.operands;
    if (!choice.ok && choice.message) {
      const span = choice.operand !== undefined ? ops[choice.operand] : ops.length ? { start: ops[0].start, end: ops[ops.length - 1].end } : s.nameSpan;
      local.push({ start: span.start, end: span.end, severity: 'error', message: choice.message, code: choice.code! });
    }
    if (!choice.ok) return;
    if (def.mnemonic === 'wrsr') {
      const sr = ops[0];
      if (sr.kind === 'sreg' && sr.id === SysReg.STATUS) {
        local.push({ start: sr.start, end: sr.end, severity: 'error', message: t('status cannot be written whole; use popf or iret'), code: 'status-not-writable' });
      }
    }
    // The operands the encoder evaluates (language/emit.ts `operand`).
    const slots: EvalSlot[] = [];
    const kinds = choice.form.operands;
    for (let i = 0; i < kinds.length; i++) {
      const kind = kinds[i];
      const op = ops[i];
      if (op.kind === 'reg') continue;
      if (op.kind === 'mem') {
        if (op.disp) slots.push(new EvalSlot(op.disp, Check.None, op.start, op.end));
        continue;
      }
      if ((op.kind === 'sreg' || op.kind === 'field') && (kind === 'sreg' || kind === 'field')) continue;
      const e = asExpr(op);
      if (e) slots.push(new EvalSlot(e, kind === 'port' ? Check.Port : kind === 'vector' ? Check.Vector : Check.None, op.start, op.end));
    }
    if (slots.length) this.slots = slots;
  }
}

export function computeLineInfo(text: string): LineInfo {
  return new LineInfo(text);
}
