/**
 * Choosing an instruction form from the table by the operands' syntactic
 * kinds, and explaining the choice when none fits.
 */
import { GPR_COUNT, registerNumber, SYSTEM_REGISTERS, VMCS_FIELDS } from '../emulator/isa/registers';
import { Form, InstructionDef, OperandKind } from '../emulator/isa/table';
import { OperandNode } from './parser';
import { k, t } from './l10n';

/** Whether a parsed operand can fill a form slot. `loose` lets a system-register or
 * VMCS-field name stand for a label of the same name where an immediate is wanted. */
export function accepts(kind: OperandKind, op: OperandNode, loose: boolean): boolean {
  switch (kind) {
    case 'reg':
      return op.kind === 'reg';
    case 'imm':
      return op.kind === 'expr' || (loose && (op.kind === 'sreg' || op.kind === 'field'));
    case 'port':
    case 'vector':
      return op.kind === 'expr';
    case 'mreg':
      return op.kind === 'mem' && op.base !== undefined && op.disp === undefined;
    case 'mdisp':
      return op.kind === 'mem' && op.base !== undefined && op.disp !== undefined;
    case 'mabs':
      return op.kind === 'mem' && op.base === undefined;
    case 'sreg':
      return op.kind === 'sreg';
    case 'field':
      return op.kind === 'field';
  }
}

const KIND_WORDS: Record<OperandKind, string> = {
  reg: k('a register'),
  imm: k('an immediate or label'),
  mreg: k('a memory operand'),
  mdisp: k('a memory operand'),
  mabs: k('a memory operand'),
  sreg: k('a system register (cr0 cr2 cr3 ivt ksp ksp1 status)'),
  field: k('a VMCS field name'),
  port: k('a port number'),
  vector: k('a vector number'),
};

/** A name shaped like a register that R32 does not have (`r16`, `r01`): worth saying so, rather than "an expression" or "undefined label". */
export const registerLike = (name: string): boolean => /^r\d+$/i.test(name) && registerNumber(name) === undefined;

function describeFound(op: OperandNode, wanted: readonly OperandKind[]): string {
  switch (op.kind) {
    case 'reg': return t('a register');
    case 'expr': return op.expr.kind === 'sym' ? describeName(op.expr.name, wanted) : t('an expression');
    case 'mem': return t('a memory operand');
    case 'sreg': return t('a system register');
    case 'field': return t('a VMCS field');
    case 'string': return t('a string');
    case 'bad': return t('an invalid operand');
  }
}

/** A bare name where another kind of operand was wanted: what it is not. */
function describeName(name: string, wanted: readonly OperandKind[]): string {
  if (registerLike(name)) return t("'{0}', which is not a register (R32 has r0 to r{1}; sp is r15, fp is r14)", name, GPR_COUNT - 1);
  if (wanted.includes('field')) return t("'{0}', which is not a VMCS field name", name);
  if (wanted.includes('sreg')) return t("'{0}', which is not a system register", name);
  return t('an expression');
}

/** For a bare name where a VMCS field or a system register was wanted, the nearest names of that kind (the did-you-mean, and the quick fixes). */
function nearNames(op: OperandNode, wanted: readonly OperandKind[]): string[] {
  if (op.kind !== 'expr' || op.expr.kind !== 'sym') return [];
  const names = wanted.includes('field') ? VMCS_FIELDS.map((f) => f.name) : wanted.includes('sreg') ? SYSTEM_REGISTERS.map((r) => r.name) : [];
  return suggest(op.expr.name, names);
}

/** Accepted forms as written: `ld rd, [rb] | ld rd, [rb + disp] | ld rd, [addr]`. */
export function acceptedForms(def: InstructionDef): string {
  return def.syntax.map((s) => (s ? `${def.mnemonic} ${s}` : def.mnemonic)).join(' | ');
}

export type FormChoice =
  | { ok: true; form: Form }
  /** No form fits: `form` is a best guess used for layout so later addresses stay sensible. */
  | { ok: false; form: Form; message?: string; code?: string; operand?: number; suggestions?: string[]; swap?: boolean };

function fits(f: Form, ops: readonly OperandNode[], loose: boolean): boolean {
  if (f.operands.length !== ops.length) return false;
  for (let i = 0; i < ops.length; i++) if (!accepts(f.operands[i], ops[i], loose)) return false;
  return true;
}

export function chooseForm(def: InstructionDef, ops: readonly OperandNode[]): FormChoice {
  // Hot path (every instruction line): plain loops, no allocation.
  for (const f of def.forms) if (fits(f, ops, false)) return { ok: true, form: f };
  for (const f of def.forms) if (fits(f, ops, true)) return { ok: true, form: f };
  const sameCount = def.forms.filter((f) => f.operands.length === ops.length);
  const guess = sameCount[0] ?? def.forms[0];
  // An operand that did not parse was already reported: say nothing more.
  if (ops.some((o) => o.kind === 'bad')) return { ok: false, form: guess };
  const forms = acceptedForms(def);
  if (sameCount.length === 0) {
    const counts = [...new Set(def.forms.map((f) => f.operands.length))].sort();
    const want = counts.map((c) => (c === 0 ? t('no operands') : c === 1 ? t('1 operand') : t('{0} operands', c))).join(t(' or '));
    return { ok: false, form: guess, code: 'operand-count', message: t("'{0}' takes {1}, found {2}; accepted: {3}", def.mnemonic, want, ops.length, forms) };
  }
  // Report at the first operand where the best-matching form stops matching.
  let bestIndex = -1;
  let best = guess;
  for (const f of sameCount) {
    let i = 0;
    while (i < ops.length && accepts(f.operands[i], ops[i], true)) i++;
    if (i > bestIndex) {
      bestIndex = i;
      best = f;
    }
  }
  const kinds = [...new Set(sameCount.filter((f) => f.operands.slice(0, bestIndex).every((k, j) => accepts(k, ops[j], true))).map((f) => f.operands[bestIndex]))];
  const wanted = [...new Set(kinds.map((k) => KIND_WORDS[k]))];
  const op = ops[bestIndex];
  const did = nearNames(op, kinds);
  // `st r1, [r2]`, `mov 5, r1`: the operands in the other order (another assembler's, or the load's) would fit.
  const swap = ops.length === 2 && def.forms.some((f) => fits(f, [ops[1], ops[0]], false));
  return {
    ok: false,
    form: best,
    operand: bestIndex,
    code: 'operand-kind',
    message:
      t("operand {0} of '{1}' must be {2}, found {3}; accepted: {4}", bestIndex + 1, def.mnemonic, wanted.map((w) => t(w)).join(t(' or ')), describeFound(op, kinds), forms) +
      (swap ? t('; the two operands fit the other way round') : didYouMean(did)),
    suggestions: did.length && !swap ? did : undefined,
    swap: swap || undefined,
  };
}

/** Levenshtein distance, for did-you-mean suggestions. */
export function editDistance(a: string, b: string): number {
  if (a === b) return 0;
  if (Math.abs(a.length - b.length) > 3) return 99;
  // Two letters swapped count as one edit (optimal string alignment): `mvo` is one slip from `mov`.
  let prev2: number[] = [];
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) cur[j] = Math.min(cur[j], prev2[j - 2] + 1);
    }
    prev2 = prev;
    prev = cur;
  }
  return prev[b.length];
}

/** `; did you mean 'a' or 'b'?` for the suggestions `did` ('' if none): appended to an error's message. */
export function didYouMean(did: readonly string[]): string {
  return did.length ? t('; did you mean {0}?', did.map((d) => `'${d}'`).join(t(' or '))) : '';
}

/** The closest candidates (distance ≤ 2, or ≤ 1 for short words), best first. */
export function suggest(word: string, candidates: Iterable<string>): string[] {
  // Near regardless of case (mnemonics are case-insensitive; SYS_WRTE is near SYS_WRITE), nearest
  // first, and among those the one written in the same case (labels are case-sensitive: SYS_WRITE, not sys_write).
  const w = word.toLowerCase();
  const limit = w.length <= 3 ? 1 : 2;
  const scored: [string, number, number][] = [];
  for (const c of candidates) {
    const d = editDistance(w, c.toLowerCase());
    if (d <= limit) scored.push([c, d, editDistance(word, c)]);
  }
  scored.sort((x, y) => x[1] - y[1] || x[2] - y[2] || x[0].localeCompare(y[0]));
  return scored.slice(0, 3).map((s) => s[0]);
}
